"""The Kinesis data stream of :class:`~patterns.stream_ingest.StreamToS3Pipeline` and its
capacity: sized from a load by :func:`patterns.capacity.kinesis_shards`, an explicit shard
count, or on-demand."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms

from patterns.capacity import ShardPlan, kinesis_shards
from patterns.core.deferred import deferred
from patterns.core.nag import acknowledge
from patterns.core.pattern import Pattern
from patterns.core.validation import is_unresolved

__all__ = [
    "DEFAULT_SHARD_QUOTA",
    "MAX_RETENTION",
    "MIN_RETENTION",
    "ShardCapacity",
    "create_stream",
    "plan_shards",
]

#: Kinesis data stream retention limits.
MIN_RETENTION = deferred(Duration, "hours", 24)
MAX_RETENTION = deferred(Duration, "hours", 8_760)
#: The default shard quota of an account in most regions; a plan above it needs a quota raise.
DEFAULT_SHARD_QUOTA = 200


@dataclass(frozen=True)
class ShardCapacity:
    """The capacity props of the pipeline as given (checked by
    :func:`patterns.stream_ingest.validate.capacity`): exactly one of a load
    (``records_per_second`` and ``average_record_kib``, with ``consumers``,
    ``enhanced_fan_out`` and ``growth_factor``), ``shard_count`` or ``on_demand``."""

    records_per_second: float | None
    average_record_kib: float | None
    consumers: int
    enhanced_fan_out: bool
    growth_factor: float
    shard_count: int | None
    on_demand: bool

    @property
    def by_load(self) -> bool:
        """Sized from the expected load (either load prop given)."""
        return self.records_per_second is not None or self.average_record_kib is not None


def plan_shards(pipeline: Pattern, capacity: ShardCapacity) -> tuple[ShardPlan | None, int | None]:
    """The plan (for a load) and the shard count (``None``: on-demand).

    Records the capacity line of the review table, a warning per plan note and a warning when
    the count exceeds the default shard quota.
    """
    plan: ShardPlan | None = None
    shards: int | None
    if capacity.by_load:
        assert capacity.records_per_second is not None
        assert capacity.average_record_kib is not None
        plan = kinesis_shards(
            capacity.records_per_second,
            capacity.average_record_kib,
            consumers=capacity.consumers,
            enhanced_fan_out=capacity.enhanced_fan_out,
            growth_factor=capacity.growth_factor,
        )
        shards = plan.shards
        pipeline.report_plan(plan, warning="stream-ingest:plan")
        if slip := growth_factor_slip(capacity.growth_factor):
            pipeline.warn("stream-ingest:growth-factor", slip)
    elif capacity.on_demand:
        shards = None
        pipeline.record_capacity("on-demand")
    else:
        shards = capacity.shard_count
        noun = "shard" if shards == 1 else "shards"
        pipeline.record_capacity(f"{shards} {noun} (explicit)")
    if shards is not None and not is_unresolved(shards) and shards > DEFAULT_SHARD_QUOTA:
        pipeline.warn(
            "stream-ingest:shard-quota",
            f"{shards} shards exceed the default account quota of {DEFAULT_SHARD_QUOTA} "
            "shards in most regions; request a quota increase before deploying",
        )
    return plan, shards


def create_stream(
    pipeline: Pattern,
    *,
    encryption_key: kms.IKey,
    retention: Duration,
    shards: int | None,
    removal_policy: RemovalPolicy,
) -> kinesis.Stream:
    """The KMS-encrypted stream ``Stream``: provisioned with ``shards``, on-demand without."""
    stream = kinesis.Stream(
        pipeline,
        "Stream",
        encryption=kinesis.StreamEncryption.KMS,
        encryption_key=encryption_key,
        retention_period=retention,
        shard_count=shards,
        stream_mode=kinesis.StreamMode.PROVISIONED
        if shards is not None
        else kinesis.StreamMode.ON_DEMAND,
        removal_policy=removal_policy,
    )
    acknowledge(
        stream,
        "AwsSolutions::AwsSolutions-KDS3",
        "The stream uses a customer-managed key with yearly rotation instead of aws/kinesis, "
        "so its key policy decides who can read the records and the same key encrypts the "
        "objects delivered to S3.",
    )
    return stream


#: A growth factor from this up is most likely a percentage (``20`` meant as +20 %).
PERCENT_LIKE_GROWTH_FACTOR = 10


def growth_factor_slip(growth_factor: object) -> str | None:
    """The warning for a ``growth_factor`` plausible only as a percentage: 10 or more
    (``growth_factor=20`` plans for 20x the load; +20 % is 1.2). None otherwise."""
    if (
        not isinstance(growth_factor, int | float)
        or isinstance(growth_factor, bool)
        or is_unresolved(growth_factor)
        or growth_factor < PERCENT_LIKE_GROWTH_FACTOR
    ):
        return None
    return (
        f"growth_factor {growth_factor:g} plans shards for {growth_factor:g}x the load; it is a "
        f"multiplier - for +{growth_factor:g} % give {1 + growth_factor / 100:g}."
    )
