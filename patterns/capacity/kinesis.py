"""Kinesis Data Streams shards from the expected load (provisioned mode)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from patterns.capacity._numbers import ceil_whole, exact, given_number, infinite, number_text

__all__ = [
    "KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS",
    "KINESIS_MAX_RECORD_KIB",
    "KINESIS_SHARD_READ_MIB_PER_S",
    "KINESIS_SHARD_WRITE_MIB_PER_S",
    "KINESIS_SHARD_WRITE_RECORDS_PER_S",
    "READ_BYTES",
    "WRITE_BYTES",
    "WRITE_RECORDS",
    "ShardPlan",
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
    if given_number(records_per_second, "records_per_second", problems):
        if not records_per_second > 0:
            problems.append(
                f"records_per_second must be greater than 0 records/s, "
                f"got {records_per_second:,g} records/s"
            )
        problems.extend(infinite("records_per_second", records_per_second))
    if given_number(average_record_kib, "average_record_kib", problems):
        if not average_record_kib > 0:
            problems.append(
                f"average_record_kib must be greater than 0 KiB, got {average_record_kib:,g} KiB"
            )
        elif average_record_kib > KINESIS_MAX_RECORD_KIB:
            problems.append(
                f"average_record_kib must be at most {KINESIS_MAX_RECORD_KIB:,} KiB, "
                f"got {number_text(average_record_kib)} KiB"
            )
    if given_number(consumers, "consumers", problems):
        if not float(consumers).is_integer():
            problems.append(f"consumers must be a whole number, got {consumers!r}")
        elif consumers < 1:
            problems.append(f"consumers must be at least 1, got {number_text(consumers)}")
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
    if given_number(growth_factor, "growth_factor", problems):
        if not growth_factor >= 1:
            problems.append(f"growth_factor must be at least 1, got {number_text(growth_factor)}")
        problems.extend(infinite("growth_factor", growth_factor))
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

    growth = exact(growth_factor)
    records = exact(records_per_second) * growth
    write_mib = records * exact(average_record_kib) / 1024
    read_mib = Fraction(0) if enhanced_fan_out else write_mib * consumers

    demand = {
        WRITE_BYTES: (write_mib, exact(KINESIS_SHARD_WRITE_MIB_PER_S)),
        WRITE_RECORDS: (records, exact(KINESIS_SHARD_WRITE_RECORDS_PER_S)),
        READ_BYTES: (read_mib, exact(KINESIS_SHARD_READ_MIB_PER_S)),
    }
    by_limit = {name: ceil_whole(need / per_shard) for name, (need, per_shard) in demand.items()}
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
