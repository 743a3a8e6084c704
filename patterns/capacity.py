"""Capacity sizing from the expected load: pure functions, no CDK import.

Every planner returns the smallest capacity that satisfies every published
service limit - never less, and no padding unless the caller asks for it with
``growth_factor`` - together with the limit that binds and the headroom left,
so a reviewer can see *why* a number was chosen.

Arithmetic is exact (``fractions.Fraction``): a load of exactly 1 MiB/s needs
one shard, not two because of a rounding error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeGuard

__all__ = [
    "DYNAMODB_PARTITION_GB",
    "DYNAMODB_PARTITION_RCU",
    "DYNAMODB_PARTITION_WCU",
    "KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS",
    "KINESIS_MAX_RECORD_KIB",
    "KINESIS_SHARD_READ_MIB_PER_S",
    "KINESIS_SHARD_WRITE_MIB_PER_S",
    "KINESIS_SHARD_WRITE_RECORDS_PER_S",
    "PartitionPlan",
    "ShardPlan",
    "dynamodb_partition_problems",
    "dynamodb_partitions",
    "kinesis_shard_problems",
    "kinesis_shards",
]

#: Write limit of one shard: 1 MiB/s ...
KINESIS_SHARD_WRITE_MIB_PER_S = 1
#: ... or 1,000 records/s, whichever is reached first.
KINESIS_SHARD_WRITE_RECORDS_PER_S = 1_000
#: Read limit of one shard: 2 MiB/s shared by all polling consumers, or 2 MiB/s for *each*
#: enhanced fan-out consumer.
KINESIS_SHARD_READ_MIB_PER_S = 2
#: Largest data blob of one record (before base64): 1 MiB.
KINESIS_MAX_RECORD_KIB = 1_024
#: Enhanced fan-out consumers a stream can register.
KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS = 20

#: Limit names, in the order used to break ties for ``binding_limit``.
WRITE_BYTES = "write MiB/s"
WRITE_RECORDS = "write records/s"
READ_BYTES = "read MiB/s"


@dataclass(frozen=True)
class ShardPlan:
    """The shard count for a Kinesis data stream and how it was reached.

    Attributes:
        shards: the smallest shard count that satisfies every limit.
        binding_limit: the limit that needs the most shards (``"write MiB/s"``,
            ``"write records/s"`` or ``"read MiB/s"``).
        shards_by_limit: the shards each limit alone would need.
        utilization: demand / capacity of each limit at ``shards`` (0..1).
        write_mib_per_s: the write load planned for (after ``growth_factor``).
        write_records_per_s: the record rate planned for (after ``growth_factor``).
        read_mib_per_s: the read load that counts against the shared read limit (0 with
            enhanced fan-out, where each consumer has its own 2 MiB/s per shard).
        growth_factor: the padding the caller asked for (1 = none).
        notes: advice that does not change the count (e.g. polling consumers that will
            contend for the 5 GetRecords calls/s of a shard).
    """

    shards: int
    binding_limit: str
    shards_by_limit: dict[str, int]
    utilization: dict[str, float]
    write_mib_per_s: float
    write_records_per_s: float
    read_mib_per_s: float
    growth_factor: float
    notes: tuple[str, ...] = field(default=())

    @property
    def spare(self) -> float:
        """Headroom of the binding limit at the chosen count: ``1 - max(utilization)``."""
        return 1.0 - max(self.utilization.values())

    def summary(self) -> str:
        """One line for the review table: ``3 shards (write MiB/s binds, 12% spare)``."""
        noun = "shard" if self.shards == 1 else "shards"
        return f"{self.shards} {noun} ({self.binding_limit} binds, {self.spare:.0%} spare)"


def _ceil(value: Fraction) -> int:
    return max(0, math.ceil(value))


def _number(value: object) -> str:
    """``1,025`` for an int, ``1.5`` / ``inf`` for a float (the wording of the constructs)."""
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def _is_number(value: object) -> bool:
    """A real number: not a bool, not NaN."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    )


def _given_number(value: object, argument: str, problems: list[str]) -> TypeGuard[float]:
    """Whether ``value`` is to be checked further: False for ``None`` (not given, not
    checked) and for a value that is not a number (recorded on ``problems``)."""
    if value is None:
        return False
    if not _is_number(value):
        problems.append(f"{argument} must be a number, got {value!r}")
        return False
    return True


def _infinite(argument: str, value: object) -> list[str]:
    """Infinity passes every lower bound but cannot size anything."""
    if isinstance(value, float) and math.isinf(value):
        return [f"{argument} must be a finite number, got {value!r}"]
    return []


def kinesis_shard_problems(
    records_per_second: float | None,
    average_record_kib: float | None,
    consumers: int | None = 1,
    enhanced_fan_out: bool = False,
    growth_factor: float | None = 1.0,
) -> list[str]:
    """What is wrong with the arguments of :func:`kinesis_shards`, one line per problem.

    :func:`kinesis_shards` raises these; :class:`~patterns.StreamToS3Pipeline` reports them in
    its ``PatternValidationError``, so the planner's ranges are checked in one place.

    Args:
        records_per_second: > 0 and finite. ``None``: not checked (not given, or a value only
            known at deploy time); the same for the other arguments.
        average_record_kib: 0 < size <= 1,024 KiB.
        consumers: a whole number >= 1; at most 20 with ``enhanced_fan_out``.
        enhanced_fan_out: whether the consumers use enhanced fan-out.
        growth_factor: >= 1 and finite.

    Returns:
        ``<argument> must ..., got <value>`` lines; empty when the arguments can be planned.
    """
    problems: list[str] = []
    if _given_number(records_per_second, "records_per_second", problems):
        if not records_per_second > 0:
            problems.append(
                f"records_per_second must be greater than 0 records/s, "
                f"got {records_per_second:,g} records/s"
            )
        problems.extend(_infinite("records_per_second", records_per_second))
    if _given_number(average_record_kib, "average_record_kib", problems):
        if not average_record_kib > 0:
            problems.append(
                f"average_record_kib must be greater than 0 KiB, got {average_record_kib:,g} KiB"
            )
        elif average_record_kib > KINESIS_MAX_RECORD_KIB:
            problems.append(
                f"average_record_kib must be at most {KINESIS_MAX_RECORD_KIB:,} KiB, "
                f"got {_number(average_record_kib)} KiB"
            )
    if _given_number(consumers, "consumers", problems):
        if not float(consumers).is_integer():
            problems.append(f"consumers must be a whole number, got {consumers!r}")
        elif consumers < 1:
            problems.append(f"consumers must be at least 1, got {_number(consumers)}")
        elif (
            enhanced_fan_out is True
            and isinstance(consumers, int)
            and consumers > KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS
        ):
            limit = KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS
            problems.append(
                f"consumers must be at most {limit} with enhanced fan-out (a stream registers "
                f"at most {limit} enhanced fan-out consumers), got {consumers}"
            )
    if _given_number(growth_factor, "growth_factor", problems):
        if not growth_factor >= 1:
            problems.append(f"growth_factor must be at least 1, got {_number(growth_factor)}")
        problems.extend(_infinite("growth_factor", growth_factor))
    return problems


def kinesis_shards(
    records_per_second: float,
    average_record_kib: float,
    consumers: int = 1,
    enhanced_fan_out: bool = False,
    growth_factor: float = 1.0,
) -> ShardPlan:
    """Plan the shards of a provisioned Kinesis data stream.

    Args:
        records_per_second: expected peak records written per second (> 0).
        average_record_kib: average record size in KiB (0 < size <= 1,024).
        consumers: applications reading the whole stream (>= 1). Polling consumers share a
            shard's 2 MiB/s; enhanced fan-out consumers get 2 MiB/s each.
        enhanced_fan_out: whether the consumers use enhanced fan-out (at most 20).
        growth_factor: multiply the load by this (>= 1) to plan for growth. Default 1: no
            padding.

    Returns:
        A :class:`ShardPlan` whose ``shards`` is the smallest count with
        ``shards * 1 MiB/s >= write``, ``shards * 1,000 >= records/s`` and, for polling
        consumers, ``shards * 2 MiB/s >= consumers * write`` - and at least 1.

    Raises:
        ValueError: an argument is outside the range above; the message lists every problem
            :func:`kinesis_shard_problems` finds, separated by ``; ``.
    """
    problems = kinesis_shard_problems(
        records_per_second, average_record_kib, consumers, enhanced_fan_out, growth_factor
    )
    if problems:
        raise ValueError("; ".join(problems))
    consumers = int(consumers)  # 2.0 is a whole number too; keep the arithmetic exact

    growth = Fraction(growth_factor)
    records = Fraction(records_per_second) * growth
    write_mib = records * Fraction(average_record_kib) / 1024
    read_mib = Fraction(0) if enhanced_fan_out else write_mib * consumers

    demand = {
        WRITE_BYTES: (write_mib, Fraction(KINESIS_SHARD_WRITE_MIB_PER_S)),
        WRITE_RECORDS: (records, Fraction(KINESIS_SHARD_WRITE_RECORDS_PER_S)),
        READ_BYTES: (read_mib, Fraction(KINESIS_SHARD_READ_MIB_PER_S)),
    }
    by_limit = {name: _ceil(need / per_shard) for name, (need, per_shard) in demand.items()}
    shards = max(1, *by_limit.values())
    binding = max(by_limit, key=lambda name: (by_limit[name], demand[name][0] / demand[name][1]))
    utilization = {
        name: float(need / (per_shard * shards)) for name, (need, per_shard) in demand.items()
    }

    notes: list[str] = []
    if not enhanced_fan_out and consumers > 5:
        notes.append(
            f"{consumers} polling consumers share 5 GetRecords calls/s per shard; "
            "consider enhanced fan-out"
        )
    return ShardPlan(
        shards=shards,
        binding_limit=binding,
        shards_by_limit=by_limit,
        utilization=utilization,
        write_mib_per_s=float(write_mib),
        write_records_per_s=float(records),
        read_mib_per_s=float(read_mib),
        growth_factor=float(growth_factor),
        notes=tuple(notes),
    )


# -- DynamoDB partitions ------------------------------------------------------------------------

#: Read capacity one DynamoDB partition serves (strongly consistent 4 KB reads per second).
DYNAMODB_PARTITION_RCU = 3_000
#: Write capacity one DynamoDB partition serves (1 KB writes per second).
DYNAMODB_PARTITION_WCU = 1_000
#: Data one DynamoDB partition holds, in GB.
DYNAMODB_PARTITION_GB = 10

#: Limit names of :class:`PartitionPlan`, in the order used to break ties.
THROUGHPUT = "throughput"
STORAGE = "storage"


@dataclass(frozen=True)
class PartitionPlan:
    """The partitions DynamoDB will spread a table (or a GSI) over, and what each one gets.

    DynamoDB does not expose its partitions; this is the published estimate
    ``max(ceil(RCU / 3,000 + WCU / 1,000), ceil(GB / 10))``. Partitions split as capacity or
    data grow and never merge, so plan with the *peak* capacity (an auto-scaling maximum).

    Attributes:
        partitions: the estimated partition count (at least 1).
        binding_limit: the limit that needs the most partitions: ``"throughput"`` or
            ``"storage"``.
        partitions_by_limit: the partitions each limit alone would need.
        read_capacity_units: the read capacity planned for (after ``growth_factor``).
        write_capacity_units: the write capacity planned for (after ``growth_factor``).
        size_gb: the table size planned for (after ``growth_factor``).
        rcu_per_partition: the read capacity each partition gets (evenly spread).
        wcu_per_partition: the write capacity each partition gets (evenly spread).
        hot_key_share: the share of the traffic the busiest partition key value receives:
            the larger of the given ``hot_key_share`` and ``1 / key_cardinality``; None when
            neither was given.
        hot_key_rcu: reads per second of the busiest key (None without a share).
        hot_key_wcu: writes per second of the busiest key (None without a share).
        growth_factor: the padding the caller asked for (1 = none).
        notes: warnings, e.g. a hot key that needs more than one partition can serve.
    """

    partitions: int
    binding_limit: str
    partitions_by_limit: dict[str, int]
    read_capacity_units: float
    write_capacity_units: float
    size_gb: float
    rcu_per_partition: float
    wcu_per_partition: float
    hot_key_share: float | None
    hot_key_rcu: float | None
    hot_key_wcu: float | None
    growth_factor: float
    notes: tuple[str, ...] = field(default=())

    @property
    def hot_key_exceeds_partition(self) -> bool:
        """True when the busiest key needs more than 3,000 RCU or 1,000 WCU (one partition)."""
        if self.hot_key_rcu is None or self.hot_key_wcu is None:
            return False
        return (
            self.hot_key_rcu > DYNAMODB_PARTITION_RCU or self.hot_key_wcu > DYNAMODB_PARTITION_WCU
        )

    def summary(self) -> str:
        """One line for the review table.

        ``4 partitions (throughput binds; 750 RCU / 250 WCU each)``, plus ``; hot key!`` when
        the busiest key exceeds a partition.
        """
        noun = "partition" if self.partitions == 1 else "partitions"
        text = (
            f"{self.partitions} {noun} ({self.binding_limit} binds; "
            f"{self.rcu_per_partition:,.0f} RCU / {self.wcu_per_partition:,.0f} WCU each"
        )
        if self.hot_key_exceeds_partition:
            text += "; hot key exceeds a partition"
        return text + ")"


def dynamodb_partition_problems(
    read_capacity_units: object = None,
    write_capacity_units: object = None,
    size_gb: object = None,
    key_cardinality: object = None,
    hot_key_share: object = None,
    growth_factor: object = None,
    *,
    names: dict[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`dynamodb_partitions`, one line per problem.

    :func:`dynamodb_partitions` raises these; :class:`~patterns.ScalableTable` and
    :class:`~patterns.TimeSeriesTables` report them in their ``PatternValidationError``, so
    the planner's ranges are checked in one place and in one wording.

    Args:
        read_capacity_units: a number >= 0, finite. ``None``: not checked (not given, or a
            value only known at deploy time); the same for the other arguments.
        write_capacity_units: a number >= 0, finite.
        size_gb: a number of GB >= 0, finite.
        key_cardinality: a whole number >= 1.
        hot_key_share: 0 < share <= 1.
        growth_factor: a number >= 1, finite.
        names: the caller's name of an argument in the problem lines
            (``{"size_gb": "expected_size_gb"}``). Default: the argument names.

    Returns:
        ``<name> must ..., got <value>`` lines; empty when the arguments can be planned.
    """
    named = names or {}
    problems: list[str] = []

    def amount(value: float, unit: str) -> str:
        text = f"{value:,}" if isinstance(value, int) else f"{value:,g}"
        return f"{text} {unit}".rstrip()

    def at_least(
        argument: str, value: object, minimum: int, *, unit: str = "", whole: bool = False
    ) -> None:
        name = named.get(argument, argument)
        if not _given_number(value, name, problems):
            return
        if whole and not float(value).is_integer():
            problems.append(f"{name} must be a whole number, got {value!r}")
        elif value < minimum:
            problems.append(
                f"{name} must be at least {amount(minimum, unit)}, got {amount(value, unit)}"
            )
        elif math.isinf(value):
            problems.append(f"{name} must be a finite number, got {value!r}")

    at_least("read_capacity_units", read_capacity_units, 0)
    at_least("write_capacity_units", write_capacity_units, 0)
    at_least("size_gb", size_gb, 0, unit="GB")
    at_least("key_cardinality", key_cardinality, 1, whole=True)
    if hot_key_share is not None and (
        isinstance(hot_key_share, bool)
        or not isinstance(hot_key_share, int | float)
        or not 0 < hot_key_share <= 1
    ):
        name = named.get("hot_key_share", "hot_key_share")
        problems.append(f"{name} must be between 0 (exclusive) and 1, got {hot_key_share!r}")
    at_least("growth_factor", growth_factor, 1)
    return problems


def dynamodb_partitions(
    read_capacity_units: float,
    write_capacity_units: float,
    size_gb: float = 0,
    key_cardinality: int | None = None,
    hot_key_share: float | None = None,
    growth_factor: float = 1.0,
) -> PartitionPlan:
    """Estimate the partitions of a DynamoDB table (or GSI) and the capacity each one gets.

    Args:
        read_capacity_units: peak read capacity units per second (>= 0); for on-demand, the
            peak read request rate in RCU.
        write_capacity_units: peak write capacity units per second (>= 0).
        size_gb: expected data size in GB (>= 0). Default 0.
        key_cardinality: distinct partition key values (a whole number >= 1). With evenly
            spread traffic the busiest key gets ``1 / key_cardinality`` of it. Default: not
            known.
        hot_key_share: share of all traffic the busiest key value receives (0 < share <= 1).
            Default: not known.
        growth_factor: multiply capacity and size by this (>= 1). Default 1: no padding.

    Returns:
        A :class:`PartitionPlan`; ``partitions`` is the smallest ``n >= 1`` with
        ``n >= RCU / 3,000 + WCU / 1,000`` and ``n * 10 GB >= size``. A note is added when
        the busiest key would need more than a partition's 3,000 RCU or 1,000 WCU - no
        partition count fixes that; the key design (write sharding) or a cache does.

    Raises:
        ValueError: an argument is outside the range above; the message lists every problem
            :func:`dynamodb_partition_problems` finds, separated by ``; ``.
    """
    problems = dynamodb_partition_problems(
        read_capacity_units,
        write_capacity_units,
        size_gb,
        key_cardinality,
        hot_key_share,
        growth_factor,
    )
    if problems:
        raise ValueError("; ".join(problems))

    growth = Fraction(growth_factor)
    rcu = Fraction(read_capacity_units) * growth
    wcu = Fraction(write_capacity_units) * growth
    size = Fraction(size_gb) * growth
    demand = {
        THROUGHPUT: rcu / DYNAMODB_PARTITION_RCU + wcu / DYNAMODB_PARTITION_WCU,
        STORAGE: size / DYNAMODB_PARTITION_GB,
    }
    by_limit = {name: _ceil(need) for name, need in demand.items()}
    partitions = max(1, *by_limit.values())
    binding = max(by_limit, key=lambda name: (by_limit[name], demand[name]))

    share: Fraction | None = None
    if hot_key_share is not None:
        share = Fraction(hot_key_share)
    if key_cardinality is not None:
        uniform = Fraction(1, int(key_cardinality))  # 4.0 is a whole number too
        share = uniform if share is None else max(share, uniform)
    hot_rcu = None if share is None else rcu * share
    hot_wcu = None if share is None else wcu * share

    notes: list[str] = []
    if share is not None and hot_rcu is not None and hot_wcu is not None:
        over = []
        if hot_rcu > DYNAMODB_PARTITION_RCU:
            over.append(f"{float(hot_rcu):,.0f} RCU > {DYNAMODB_PARTITION_RCU:,} RCU")
        if hot_wcu > DYNAMODB_PARTITION_WCU:
            over.append(f"{float(hot_wcu):,.0f} WCU > {DYNAMODB_PARTITION_WCU:,} WCU")
        if over:
            notes.append(
                f"the busiest partition key gets {float(share):.1%} of the traffic "
                f"({' and '.join(over)} that one partition serves): it will be throttled "
                "whatever the table's capacity; spread it over more key values (write "
                "sharding with a suffix) or cache its reads (DAX)"
            )
    return PartitionPlan(
        partitions=partitions,
        binding_limit=binding,
        partitions_by_limit=by_limit,
        read_capacity_units=float(rcu),
        write_capacity_units=float(wcu),
        size_gb=float(size),
        rcu_per_partition=float(rcu / partitions),
        wcu_per_partition=float(wcu / partitions),
        hot_key_share=None if share is None else float(share),
        hot_key_rcu=None if hot_rcu is None else float(hot_rcu),
        hot_key_wcu=None if hot_wcu is None else float(hot_wcu),
        growth_factor=float(growth_factor),
        notes=tuple(notes),
    )
