"""What the stated load of :class:`~patterns.stream_ingest.StreamToS3Pipeline` means beyond
its shards: provisioned vs on-demand at that load (:func:`patterns.capacity.kinesis_stream_mode`)
and the objects Firehose writes to S3 (:func:`patterns.capacity.firehose_delivery`)."""

from __future__ import annotations

from aws_cdk import Duration

from patterns.capacity import (
    DeliveryPlan,
    StreamModePlan,
    firehose_delivery,
    kinesis_stream_mode,
)
from patterns.core.pattern import Pattern
from patterns.core.validation import is_concrete_duration, is_unresolved
from patterns.stream_ingest.stream import ShardCapacity

__all__ = ["plan_load"]

_WARNING = "stream-ingest:plan"


def plan_load(
    pipeline: Pattern, capacity: ShardCapacity, buffering_size_mib: int,
    buffering_interval: Duration,
) -> None:  # fmt: skip
    """Set ``pipeline.mode_plan`` and ``pipeline.delivery_plan`` (None without a load, or
    when a buffering hint is a token)."""
    mode, delivery = _plans(pipeline, capacity, buffering_size_mib, buffering_interval)
    pipeline.mode_plan = mode  # type: ignore[attr-defined]
    pipeline.delivery_plan = delivery  # type: ignore[attr-defined]


def _plans(
    pipeline: Pattern, capacity: ShardCapacity, buffering_size_mib: int,
    buffering_interval: Duration,
) -> tuple[StreamModePlan | None, DeliveryPlan | None]:  # fmt: skip
    """Both plans for a load (None without one, or when a buffering hint is a token).

    Records two review-table lines: the monthly cost of each capacity mode (and where
    on-demand would be cheaper), and the object size and count per hour; a warning when the
    objects are under 1 MiB."""
    if not capacity.by_load or capacity.records_per_second is None:
        return None, None
    assert capacity.average_record_kib is not None
    mode = kinesis_stream_mode(
        capacity.records_per_second, capacity.average_record_kib, consumers=capacity.consumers,
        enhanced_fan_out=capacity.enhanced_fan_out, growth_factor=capacity.growth_factor,
    )  # fmt: skip
    crossover = (
        f"on-demand below an average {mode.crossover_records_per_second:,.4g} records/s"
        if mode.crossover_records_per_second > 0
        else "on-demand is dearer at any rate: its stream-hour fee alone exceeds these shards"
    )
    # the created stream is provisioned: its cost at load is the provisioned plan's
    pipeline.report_plan(
        mode.provisioned,
        warning=_WARNING,
        warn_notes=False,
        summary=(
            f"provisioned ${mode.provisioned_usd:,.2f}/month vs on-demand "
            f"${mode.on_demand_usd:,.2f}/month at the planned load ({mode.recommended} is "
            f"cheaper; {crossover})"
        ),
    )
    if is_unresolved(buffering_size_mib) or not is_concrete_duration(buffering_interval):
        return mode, None
    if buffering_interval.to_seconds() == 0:  # zero buffering: no object count to plan
        return mode, None
    delivery = firehose_delivery(
        capacity.records_per_second * capacity.growth_factor, capacity.average_record_kib,
        buffer_mib=buffering_size_mib, buffer_interval_s=buffering_interval.to_seconds(),
    )  # fmt: skip
    pipeline.report_plan(delivery, warning=_WARNING, what="delivery")
    return mode, delivery
