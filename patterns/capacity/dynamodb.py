"""DynamoDB partitions of a table (or GSI) from its capacity and size, and the hot-key check."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from patterns.capacity._numbers import ceil_whole, exact, given_number

__all__ = [
    "DYNAMODB_PARTITION_GB",
    "DYNAMODB_PARTITION_RCU",
    "DYNAMODB_PARTITION_WCU",
    "STORAGE",
    "THROUGHPUT",
    "PartitionPlan",
    "dynamodb_partition_problems",
    "dynamodb_partitions",
]

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
        if not given_number(value, name, problems):
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

    growth = exact(growth_factor)
    rcu = exact(read_capacity_units) * growth
    wcu = exact(write_capacity_units) * growth
    size = exact(size_gb) * growth
    demand = {
        THROUGHPUT: rcu / DYNAMODB_PARTITION_RCU + wcu / DYNAMODB_PARTITION_WCU,
        STORAGE: size / DYNAMODB_PARTITION_GB,
    }
    by_limit = {name: ceil_whole(need) for name, need in demand.items()}
    partitions = max(1, *by_limit.values())
    binding = max(by_limit, key=lambda name: (by_limit[name], demand[name]))

    share: Fraction | None = None
    if hot_key_share is not None:
        share = exact(hot_key_share)
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
