"""The props of a :class:`~patterns.data_tier.TimeSeriesTables`, as one frozen object.

The construct builds it once from its keyword arguments; :func:`~.validate.series_props`
checks it whole and the feature builders (the rotation, the partition plan) read what they
need from it. Its fields are the construct's props as given (the defaults live in the
construct's signature).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs

from patterns.core.deferred import deferred
from patterns.data_tier.workload import TableWorkload

__all__ = [
    "LIVE_SLOTS",
    "NAME_PATTERNS",
    "SHORTEST_PERIOD",
    "TIME_SERIES_PERIODS",
    "SeriesProps",
]

TIME_SERIES_PERIODS = ("day", "week", "month")
#: The shortest length of each period (a month: February), which the lead time must be below.
SHORTEST_PERIOD = {
    "day": deferred(Duration, "days", 1),
    "week": deferred(Duration, "days", 7),
    "month": deferred(Duration, "days", 28),
}
#: The live tables whose alarms follow the rotation (as the handler's ``SLOTS``).
LIVE_SLOTS = ("current", "next")
#: IAM patterns matching exactly the table names of each period (``?`` is one character).
NAME_PATTERNS = {"day": "????-??-??", "week": "????-W??", "month": "????-??"}


@dataclass(frozen=True)
class SeriesProps:
    """What a :class:`~patterns.data_tier.TimeSeriesTables` was given (see its Args)."""

    table_prefix: str
    partition_key: dynamodb.Attribute
    sort_key: dynamodb.Attribute | None
    period: str
    retention_periods: int
    hot_read_capacity: int | None
    hot_write_capacity: int | None
    cold_read_capacity: int
    cold_write_capacity: int
    expected_size_gb: float
    key_cardinality: int | None
    hot_key_share: float | None
    point_in_time_recovery: bool
    deletion_protection: bool
    time_to_live_attribute: str | None
    encryption_key: kms.IKey | None
    dead_letter_key: kms.IKey | None
    rotation_schedule: events.Schedule | None
    prewarm_lead_time: Duration
    capacity_alarm_percent: float
    log_retention: logs.RetentionDays
    removal_policy: RemovalPolicy
    workload: TableWorkload | None = None

    @property
    def hot_capacity(self) -> tuple[int, int] | None:
        """(reads, writes) of the hot tables; None for on-demand tables."""
        if self.hot_read_capacity is None or self.hot_write_capacity is None:
            return None
        return self.hot_read_capacity, self.hot_write_capacity

    def placeholder_table(self, slot: str) -> str:
        """The ``TableName`` an alarm of ``slot`` has in the template (``<prefix>-current``: no
        table of this construct has that name) until the rotation points it at its table."""
        return f"{self.table_prefix}-{slot}"

    @property
    def table_name_pattern(self) -> str:
        """``<prefix>-????-??-??``: exactly the names of this construct's tables."""
        return f"{self.table_prefix}-{NAME_PATTERNS[self.period]}"
