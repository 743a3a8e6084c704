"""The option types of :class:`~patterns.data_tier.ScalableTable`: auto scaling (with its
scheduled changes) and the secondary indexes."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, TimeZone
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_dynamodb as dynamodb

from patterns.core.validation import is_unresolved

__all__ = ["AutoScalingOptions", "GsiOptions", "LsiOptions", "ScheduledCapacity"]


@dataclass(frozen=True)
class ScheduledCapacity:
    """One scheduled change of an auto-scaling range, e.g. a lower minimum at night.

    Target tracking scales in only after consumption is *recorded*: a table whose traffic
    drops to zero emits no consumed-capacity datapoints and keeps its capacity. A scheduled
    action that lowers the minimum (and one that restores it before the morning peak) is the
    documented work-around.

    Attributes:
        name: a PascalCase-able name, unique per scaled attribute (``NightlyScaleIn``).
        schedule: when, e.g. ``appscaling.Schedule.cron(hour="22", minute="0")`` (UTC unless
            ``time_zone`` is given).
        min_capacity: the new minimum. Default: unchanged. At least one of the two is needed.
        max_capacity: the new maximum. Default: unchanged.
        time_zone: time zone of a cron schedule. Default: UTC.
    """

    name: str
    schedule: appscaling.Schedule
    min_capacity: int | None = None
    max_capacity: int | None = None
    time_zone: TimeZone | None = None


@dataclass(frozen=True)
class AutoScalingOptions:
    """Target-tracking auto scaling of the reads or the writes of a table or GSI.

    Attributes:
        min_capacity: the capacity units scaling never goes below (1..40,000). Default 5.
        max_capacity: the capacity units scaling never exceeds (min..40,000). Default 100.
            The partition plan uses it: partitions created at the peak are never merged.
        target_utilization_percent: consumed / provisioned capacity to hold (20..90 %).
            Default 70: room for a burst while scaling out takes a few minutes.
        scale_in_cooldown: wait after a scale-in before another. Default: the service default.
        scale_out_cooldown: wait after a scale-out before another. Default: the service
            default.
        schedules: scheduled changes of the range. Default: none.
    """

    min_capacity: int = 5
    max_capacity: int = 100
    target_utilization_percent: float = 70
    scale_in_cooldown: Duration | None = None
    scale_out_cooldown: Duration | None = None
    schedules: tuple[ScheduledCapacity, ...] = ()

    @property
    def peak_capacity(self) -> int:
        """The largest capacity this configuration can reach (scheduled maxima included)."""
        maxima = [self.max_capacity]
        maxima += [s.max_capacity for s in self.schedules if s.max_capacity is not None]
        return max(m for m in maxima if not is_unresolved(m))


@dataclass(frozen=True)
class GsiOptions:
    """One global secondary index of a :class:`~patterns.data_tier.ScalableTable`.

    Attributes:
        partition_key: the index partition key.
        sort_key: the index sort key. Default: none.
        projection_type: attributes copied into the index. Default ALL.
        non_key_attributes: with ``ProjectionType.INCLUDE``, the attributes projected.
        read_scaling: auto scaling of the index reads. Default: the table's ``read_scaling``.
        write_scaling: auto scaling of the index writes. Default: the table's
            ``write_scaling``. An index whose writes throttle throttles the table's writes
            too, so keep it at least as high as the table's.
        key_cardinality: distinct values of the index partition key, for the hot-key check.
            Default: not known.
        hot_key_share: share of the index traffic on its busiest key value. Default: not known.
        expected_size_gb: the index's size in GB, for its partition plan (a sparse index is
            smaller than its projection says). Default: derived from the projection - ``ALL``
            the table's ``expected_size_gb``; ``KEYS_ONLY``/``INCLUDE`` that times
            ``projected_item_kb / item_kb`` (the table's ``item_kb``), else 0 (not known).
        projected_item_kb: size of the index item (keys + projected attributes) in KB, at
            most the table's ``item_kb``. Default: not known (the index item is taken as large
            as the table's for its writes).
        write_share: share of the table's writes that touch the index (0 < share <= 1): each
            is a write to it. Default 1.
    """

    partition_key: dynamodb.Attribute
    sort_key: dynamodb.Attribute | None = None
    projection_type: dynamodb.ProjectionType = dynamodb.ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()
    read_scaling: AutoScalingOptions | None = None
    write_scaling: AutoScalingOptions | None = None
    key_cardinality: int | None = None
    hot_key_share: float | None = None
    expected_size_gb: float | None = None
    projected_item_kb: float | None = None
    write_share: float = 1.0


@dataclass(frozen=True)
class LsiOptions:
    """One local secondary index (same partition key as the table, another sort key).

    Attributes:
        sort_key: the index sort key.
        projection_type: attributes copied into the index. Default ALL.
        non_key_attributes: with ``ProjectionType.INCLUDE``, the attributes projected.
    """

    sort_key: dynamodb.Attribute
    projection_type: dynamodb.ProjectionType = dynamodb.ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()
