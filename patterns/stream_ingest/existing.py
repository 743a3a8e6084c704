"""An existing Kinesis data stream for :class:`~patterns.stream_ingest.StreamToS3Pipeline`.

``existing_stream`` replaces the created ``Stream``. What can be told of it is checked: its
capacity (the shard count or on-demand mode of a stream of this app) against a load the user
expects, its retention against ``retention``, and an encryption whose key the stream does
not expose. An imported stream's settings are taken as given.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_kinesis as kinesis

from patterns.capacity import ShardPlan, kinesis_shard_problems, kinesis_shards
from patterns.core.pattern import Pattern
from patterns.core.validation import Validator, format_duration, is_unresolved
from patterns.stream_ingest.stream import MIN_RETENTION, ShardCapacity, plan_shards

__all__ = [
    "AWS_MANAGED_KEY",
    "check_existing_stream",
    "plan",
    "plan_existing",
    "stream_retention",
]

#: The key id of a stream encrypted with the AWS-managed key (no key grants needed).
AWS_MANAGED_KEY = "alias/aws/kinesis"


def _cfn(stream: kinesis.IStream) -> kinesis.CfnStream | None:
    """The L1 of a stream of this app (``kinesis.Stream``), else None (imported)."""
    child = stream.node.default_child if isinstance(stream, kinesis.Stream) else None
    return child if isinstance(child, kinesis.CfnStream) else None


def _mode(cfn: kinesis.CfnStream) -> str | None:
    details = cfn.stream_mode_details
    mode = getattr(details, "stream_mode", None)
    return mode if isinstance(mode, str) and not is_unresolved(mode) else None


def _shards(cfn: kinesis.CfnStream) -> int | None:
    count = cfn.shard_count
    return int(count) if isinstance(count, int | float) and not is_unresolved(count) else None


def stream_retention(stream: kinesis.IStream | None) -> Duration | None:
    """The retention of a stream of this app, when known at synth time."""
    cfn = _cfn(stream) if stream is not None else None
    hours = cfn.retention_period_hours if cfn is not None else None
    if isinstance(hours, int | float) and not is_unresolved(hours):
        return Duration.hours(int(hours))
    return None


def check_existing_stream(
    v: Validator,
    stream: kinesis.IStream | None,
    capacity: ShardCapacity,
    *,
    retention: Duration,
) -> None:
    """An ``kinesis.IStream``; no capacity props it cannot take; a load it can carry; the
    retention it has; a key it exposes when it is encrypted with a customer-managed key."""
    if stream is None:
        return
    if not hasattr(stream, "stream_arn"):
        v.add("existing_stream", f"must be a kinesis.IStream, got {type(stream).__name__}")
        return
    given = [
        name
        for name, value in (
            ("shard_count", capacity.shard_count),
            ("on_demand", capacity.on_demand),
        )
        if value is not None and value is not False
    ]
    if given:
        v.add(
            "existing_stream",
            f"cannot be combined with {', '.join(given)} (the pattern never changes an "
            "existing stream's capacity): leave them out",
        )
    cfn = _cfn(stream)
    if cfn is None:
        return  # imported: taken as given
    _load_fits(v, cfn, capacity)
    known = stream_retention(stream)
    if (
        known is not None
        and isinstance(retention, Duration)
        and not retention.is_unresolved()
        and retention.to_seconds() != MIN_RETENTION.to_seconds()
        and retention.to_seconds() != known.to_seconds()
    ):
        v.add(
            "retention",
            f"must be the existing_stream's retention ({format_duration(known)}) or left out, "
            f"got {format_duration(retention)}",
        )
    key_id = _key_id(cfn)
    if key_id is not None and key_id != AWS_MANAGED_KEY and stream.encryption_key is None:
        v.add(
            "existing_stream",
            "is encrypted with a KMS key it does not expose (StreamEncryption set on its L1): "
            "import it with kinesis.Stream.from_stream_attributes(encryption_key=...) so the "
            "delivery stream may decrypt its records",
        )


def _key_id(cfn: kinesis.CfnStream) -> object:
    """The ``KeyId`` of the stream's encryption; None when it has none or it is not known
    (aws-cdk-lib writes an unencrypted stream's ``StreamEncryption`` as a lazy value jsii
    cannot read back)."""
    try:
        encryption = cfn.stream_encryption
    except RuntimeError:
        return None
    return getattr(encryption, "key_id", None)


def _load_fits(v: Validator, cfn: kinesis.CfnStream, capacity: ShardCapacity) -> None:
    """A load given with a stream of this app must fit its provisioned shards."""
    if not capacity.by_load or capacity.records_per_second is None:
        return
    if capacity.average_record_kib is None:
        return
    load = (capacity.records_per_second, capacity.average_record_kib)
    numbers = (*load, capacity.consumers, capacity.growth_factor)
    if any(is_unresolved(n) for n in numbers) or kinesis_shard_problems(
        *load,
        consumers=capacity.consumers,
        enhanced_fan_out=capacity.enhanced_fan_out,
        growth_factor=capacity.growth_factor,
    ):
        return  # reported by the capacity rules
    planned = kinesis_shards(
        *load,
        consumers=capacity.consumers,
        enhanced_fan_out=capacity.enhanced_fan_out,
        growth_factor=capacity.growth_factor,
    ).shards
    if _mode(cfn) == "ON_DEMAND":
        v.add(
            "existing_stream",
            f"is in on-demand mode, but records_per_second/average_record_kib plan {planned} "
            "provisioned shards: leave the load out (an on-demand stream scales itself)",
        )
        return
    shards = _shards(cfn)
    if shards is not None and shards < planned:
        v.add(
            "existing_stream",
            f"has {shards} shards, but the load (records_per_second/average_record_kib) "
            f"needs {planned}: add shards to the stream or lower the load",
        )


def plan(
    pipeline: Pattern,
    capacity: ShardCapacity,
    stream: kinesis.IStream | None,
    retention: Duration,
) -> tuple[ShardPlan | None, int | None, Duration]:
    """The plan, the shard count of a created stream (None: on-demand, or an existing stream)
    and the retention the alarms are a share of (an existing stream's own, when known)."""
    if stream is None:
        shard_plan, shards = plan_shards(pipeline, capacity)
        return shard_plan, shards, retention
    return plan_existing(pipeline, capacity), None, stream_retention(stream) or retention


def plan_existing(pipeline: Pattern, capacity: ShardCapacity) -> ShardPlan | None:
    """The plan of a load given with an existing stream (its review-table line and notes), or
    None and a review-table line saying the stream's capacity is its own."""
    if capacity.by_load:
        return plan_shards(pipeline, capacity)[0]
    pipeline.record_capacity("existing stream (capacity managed outside the pattern)")
    return None
