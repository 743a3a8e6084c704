"""DynamoDB read and write capacity from the workload (reads/s, writes/s, item size,
consistency, transactions), for the table and each global secondary index, then the
partition plan and hot-key check of :func:`~patterns.capacity.dynamodb_partitions`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.dynamodb import (
    DYNAMODB_PARTITION_RCU,
    DYNAMODB_PARTITION_WCU,
    PartitionPlan,
    dynamodb_partitions,
)
from patterns.capacity.plan import CAPACITY, QUOTA, Limit, LoadPlan, Source, build_limits
from patterns.capacity.pricing import HOURS_PER_MONTH, SECONDS_PER_MONTH

__all__ = [
    "DYNAMODB_MAX_ITEM_KB",
    "DYNAMODB_TABLE_MAX_RCU",
    "DYNAMODB_TABLE_MAX_WCU",
    "READ_CONSISTENCIES",
    "IndexLoad",
    "ThroughputPlan",
    "dynamodb_throughput",
    "dynamodb_throughput_problems",
    "index_size_gb",
    "index_write_units",
    "read_units_per_read",
    "write_units_per_write",
]

#: Largest DynamoDB item, in KB.
DYNAMODB_MAX_ITEM_KB = 400
#: Default per-table quotas of provisioned (and on-demand maximum) throughput.
DYNAMODB_TABLE_MAX_RCU = 40_000
DYNAMODB_TABLE_MAX_WCU = 40_000
#: Read unit per 4 KB by consistency.
READ_CONSISTENCIES: Mapping[str, Fraction] = {
    "eventual": Fraction(1, 2),
    "strong": Fraction(1),
    "transactional": Fraction(2),
}
_ABSURD_RATE = 10**9  # requests/s: beyond any table (and any quota increase)


def read_units_per_read(item_kb: float, consistency: str = "eventual") -> Fraction:
    """Read units one read of an ``item_kb`` item consumes: ``ceil(kb / 4) x`` 1/2 (eventual),
    1 (strong) or 2 (transactional)."""
    return math.ceil(exact(item_kb) / 4) * READ_CONSISTENCIES[consistency]


def write_units_per_write(item_kb: float, transactional: bool = False) -> Fraction:
    """Write units one write of an ``item_kb`` item consumes: ``ceil(kb) x`` 1 or 2."""
    return math.ceil(exact(item_kb)) * exact(2 if transactional else 1)


#: Projection types (``aws_dynamodb.ProjectionType`` values) and whether they copy the item.
INDEX_PROJECTIONS = ("ALL", "KEYS_ONLY", "INCLUDE")


def index_size_gb(
    table_size_gb: float,
    projection: str,
    *,
    item_kb: float | None = None,
    projected_item_kb: float | None = None,
) -> float | None:
    """The size of a global secondary index of a ``table_size_gb`` table.

    ``ALL`` copies every item: the table's size. ``KEYS_ONLY`` and ``INCLUDE`` copy the
    projected part: ``table_size_gb x projected_item_kb / item_kb`` (every item in the index;
    a sparse index - items without the index key are left out - is smaller: give its size).
    None when a partial projection's item sizes are not known.
    """
    if projection == "ALL":
        return float(table_size_gb)
    if item_kb is None or projected_item_kb is None:
        return None
    return float(exact(table_size_gb) * exact(projected_item_kb) / exact(item_kb))


def index_write_units(
    table_write_units: float,
    *,
    write_share: float = 1,
    item_kb: float | None = None,
    projected_item_kb: float | None = None,
) -> int:
    """The write capacity units a global secondary index receives from its table.

    Every table write that touches the index is a write to it (``write_share`` of them), of
    the projected item: ``ceil(table WCU x share x ceil(projected kb) / ceil(item kb))`` -
    the table's WCU are ``writes x ceil(item kb)``. Without the item sizes the index item
    is taken as large as the table's (its projection is part of the item): ``ceil(table WCU
    x share)``, an upper bound. 0 only for a table without writes.
    """
    units = exact(table_write_units) * exact(write_share)
    if item_kb is not None and projected_item_kb is not None:
        units *= Fraction(math.ceil(exact(projected_item_kb)), math.ceil(exact(item_kb)))
    return math.ceil(units)


@dataclass(frozen=True)
class IndexLoad:
    """The load on one global secondary index.

    Attributes:
        name: the index name (for the notes and ``capacity`` keys).
        projected_item_kb: size of the projected item (keys + projected attributes), KB.
        write_share: share of the table's writes that touch the index (0 < share <= 1).
        reads_per_second: queries of the index per second (eventually consistent). Default 0.
    """

    name: str
    projected_item_kb: float
    write_share: float = 1.0
    reads_per_second: float = 0.0


@dataclass(frozen=True, kw_only=True)
class ThroughputPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for a DynamoDB table and its indexes.

    Attributes:
        read_capacity_units / write_capacity_units: the table's provisioned capacity (whole
            units, after ``growth_factor``).
        index_capacity: ``{index: (RCU, WCU)}``.
        partitions: the table's partition plan (hot-key notes included).
        index_partitions: each index's partition plan.
        on_demand_usage: the month's usage in on-demand mode, to compare with ``usage``
            (provisioned) through :func:`~patterns.capacity.monthly_cost`.
    """

    read_capacity_units: int
    write_capacity_units: int
    index_capacity: Mapping[str, tuple[int, int]]
    partitions: PartitionPlan
    index_partitions: Mapping[str, PartitionPlan]
    on_demand_usage: Mapping[str, float]


def dynamodb_throughput_problems(
    reads_per_second: object,
    writes_per_second: object,
    item_kb: object,
    *,
    read_consistency: object = "eventual",
    transactional_writes: object = False,
    indexes: object = (),
    size_gb: object = 0,
    growth_factor: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`dynamodb_throughput`, one line per problem.

    ``None`` is not checked (not given, or a deploy-time token). Ranges: rates >= 0 and
    below 10^9/s, not both 0; ``0 < item_kb <= 400``; ``read_consistency`` one of
    ``eventual``, ``strong``, ``transactional``; each index's projected item no larger than
    the table item, its ``write_share`` in (0, 1], its reads >= 0; ``size_gb >= 0``;
    ``growth_factor >= 1``.
    """
    p = Problems(names)
    rates = [
        p.number(arg, value, minimum=0, maximum=_ABSURD_RATE, unit="/s")
        for arg, value in (
            ("reads_per_second", reads_per_second),
            ("writes_per_second", writes_per_second),
        )
    ]
    if all(rates) and reads_per_second == 0 and writes_per_second == 0:
        p.add(
            f"{p.name('reads_per_second')} and {p.name('writes_per_second')} must not both be "
            "0: a table with no load needs no throughput plan"
        )
    item_ok = p.number(
        "item_kb",
        item_kb,
        above=0,
        maximum=DYNAMODB_MAX_ITEM_KB,
        unit="KB",
        why="the DynamoDB item size limit",
    )
    p.choice("read_consistency", read_consistency, READ_CONSISTENCIES)
    p.flag("transactional_writes", transactional_writes)
    p.number("size_gb", size_gb, minimum=0, maximum=10**9, unit="GB")
    p.number("growth_factor", growth_factor, minimum=1, maximum=1_000)
    if isinstance(indexes, Sequence) and not isinstance(indexes, str):
        seen: set[str] = set()
        for position, index in enumerate(indexes):
            label = f"{p.name('indexes')}[{position}]"
            if not isinstance(index, IndexLoad):
                p.add(f"{label} must be an IndexLoad, got {index!r}")
                continue
            if index.name in seen:
                p.add(f"{label}.name {index.name!r} is used by another index")
            seen.add(index.name)
            fine = p.number(
                f"{label}.projected_item_kb", index.projected_item_kb, above=0, unit="KB"
            )
            if fine and item_ok and index.projected_item_kb > item_kb:  # type: ignore[operator]
                p.add(
                    f"{label}.projected_item_kb must be at most item_kb ({item_kb} KB: an index "
                    f"projects part of the item), got {index.projected_item_kb} KB"
                )
            p.share(f"{label}.write_share", index.write_share)
            p.number(
                f"{label}.reads_per_second",
                index.reads_per_second,
                minimum=0,
                maximum=_ABSURD_RATE,
                unit="/s",
            )
    elif indexes is not None:
        p.add(f"{p.name('indexes')} must be a sequence of IndexLoad, got {indexes!r}")
    return p.lines


def dynamodb_throughput(
    reads_per_second: float,
    writes_per_second: float,
    item_kb: float,
    *,
    read_consistency: str = "eventual",
    transactional_writes: bool = False,
    indexes: Sequence[IndexLoad] = (),
    size_gb: float = 0,
    key_cardinality: int | None = None,
    hot_key_share: float | None = None,
    growth_factor: float = 1,
) -> ThroughputPlan:
    """Plan a DynamoDB table's (and its indexes') read and write capacity from the workload.

    Args:
        reads_per_second: peak item reads per second (GetItem, or items a Query returns).
        writes_per_second: peak item writes per second (PutItem, UpdateItem, DeleteItem).
        item_kb: average item size in KB (0 < size <= 400).
        read_consistency: ``"eventual"`` (default: half a unit per 4 KB), ``"strong"`` (one)
            or ``"transactional"`` (two).
        transactional_writes: whether writes go through TransactWriteItems (two units per KB).
        indexes: the global secondary indexes and their load. Default none.
        size_gb: expected table size in GB, for the partition plan. Default 0.
        key_cardinality: distinct partition key values, for the hot-key check.
        hot_key_share: share of the traffic of the busiest key, for the hot-key check.
        growth_factor: multiply the load by this (>= 1). Default 1: no padding.

    Returns:
        A :class:`ThroughputPlan`: ``RCU = ceil(reads x ceil(kb/4) x consistency)``,
        ``WCU = ceil(writes x ceil(kb) x (2 if transactional else 1))``, per index
        ``WCU = ceil(writes x share x ceil(projected kb))`` and ``RCU`` from its
        (eventually consistent) reads; all at least 1.

    Raises:
        ValueError: the problems :func:`dynamodb_throughput_problems` (and
            :func:`~patterns.capacity.dynamodb_partition_problems`) find.
    """
    problems = dynamodb_throughput_problems(
        reads_per_second,
        writes_per_second,
        item_kb,
        read_consistency=read_consistency,
        transactional_writes=transactional_writes,
        indexes=indexes,
        size_gb=size_gb,
        growth_factor=growth_factor,
    )
    if problems:
        raise ValueError("; ".join(problems))
    growth = exact(growth_factor)
    writes = exact(writes_per_second) * growth
    read_demand = exact(reads_per_second) * growth * read_units_per_read(item_kb, read_consistency)
    write_demand = writes * write_units_per_write(item_kb, transactional_writes)
    rcu, wcu = max(1, math.ceil(read_demand)), max(1, math.ceil(write_demand))
    partitions = dynamodb_partitions(
        rcu, wcu, size_gb * growth_factor, key_cardinality, hot_key_share
    )
    rows = _table_rows(read_demand, write_demand, rcu, wcu, partitions)
    capacity: dict[str, float] = {"read_capacity_units": rcu, "write_capacity_units": wcu}
    index_capacity: dict[str, tuple[int, int]] = {}
    index_partitions: dict[str, PartitionPlan] = {}
    demand = [read_demand, write_demand]
    storage = exact(size_gb) * growth
    for index in indexes:
        i_read = exact(index.reads_per_second) * growth
        i_read *= read_units_per_read(index.projected_item_kb)
        i_write = writes * exact(index.write_share)
        i_write *= write_units_per_write(index.projected_item_kb)
        demand = [demand[0] + i_read, demand[1] + i_write]
        i_rcu, i_wcu = max(1, math.ceil(i_read)), max(1, math.ceil(i_write))
        index_capacity[index.name] = (i_rcu, i_wcu)
        capacity[f"{index.name} read_capacity_units"] = i_rcu
        capacity[f"{index.name} write_capacity_units"] = i_wcu
        share = exact(index.projected_item_kb) / exact(item_kb)
        index_partitions[index.name] = dynamodb_partitions(i_rcu, i_wcu, float(storage * share))
        rows.extend(_index_rows(index.name, i_read, i_write, i_rcu, i_wcu))
    limits, binding, headroom = build_limits(rows)
    units = [rcu + sum(r for r, _ in index_capacity.values())]
    units.append(wcu + sum(w for _, w in index_capacity.values()))
    notes = _notes(partitions, limits, bool(indexes))
    used = [src.DYNAMODB_READ_UNIT, src.DYNAMODB_WRITE_UNIT, src.DYNAMODB_ITEM_SIZE]
    used += [src.DYNAMODB_TABLE_QUOTA, src.DYNAMODB_PARTITION]
    used += [src.DYNAMODB_GSI_READS] if indexes else []
    return ThroughputPlan(
        what="DynamoDB table",
        capacity=capacity,
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage={
            "dynamodb.rcu-hour": float(units[0] * HOURS_PER_MONTH),
            "dynamodb.wcu-hour": float(units[1] * HOURS_PER_MONTH),
            "dynamodb.storage-gb-month": float(storage),
        },
        notes=notes,
        sources=tuple(used),
        read_capacity_units=rcu,
        write_capacity_units=wcu,
        index_capacity=index_capacity,
        partitions=partitions,
        index_partitions=index_partitions,
        on_demand_usage={
            "dynamodb.read-request-units": float(demand[0] * SECONDS_PER_MONTH),
            "dynamodb.write-request-units": float(demand[1] * SECONDS_PER_MONTH),
            "dynamodb.storage-gb-month": float(storage),
        },
    )


_Row = tuple[str, Fraction, Fraction, str, str, Source]


def _notes(partitions: PartitionPlan, limits: tuple[Limit, ...], indexed: bool) -> tuple[str, ...]:
    notes = list(partitions.notes)
    notes += [
        f"{limit.demand:,.0f} units are over the default {limit.name} of "
        f"{limit.capacity:,.0f}: {limit.way_out} before deploying"
        for limit in limits
        if limit.kind == QUOTA and limit.name.startswith("table") and limit.utilization > 1
    ]
    if indexed:
        notes.append(
            "an update that changes an index key attribute costs the index two writes (delete "
            "and put): raise write_share for such updates"
        )
    return tuple(notes)


def _table_rows(
    read_demand: Fraction, write_demand: Fraction, rcu: int, wcu: int, partitions: PartitionPlan
) -> list[_Row]:
    rows: list[_Row] = [
        (
            "read capacity units",
            read_demand,
            exact(rcu),
            CAPACITY,
            "raise the provisioned read capacity (or its auto-scaling maximum)",
            src.DYNAMODB_READ_UNIT,
        ),
        (
            "write capacity units",
            write_demand,
            exact(wcu),
            CAPACITY,
            "raise the provisioned write capacity (or its auto-scaling maximum)",
            src.DYNAMODB_WRITE_UNIT,
        ),
        (
            "table read quota",
            read_demand,
            exact(DYNAMODB_TABLE_MAX_RCU),
            QUOTA,
            "request a table-level read throughput quota increase",
            src.DYNAMODB_TABLE_QUOTA,
        ),
        (
            "table write quota",
            write_demand,
            exact(DYNAMODB_TABLE_MAX_WCU),
            QUOTA,
            "request a table-level write throughput quota increase",
            src.DYNAMODB_TABLE_QUOTA,
        ),
    ]
    if partitions.hot_key_share is not None:
        share = exact(partitions.hot_key_share)
        rows.append(
            (
                "hot key reads per partition",
                read_demand * share,
                exact(DYNAMODB_PARTITION_RCU),
                QUOTA,
                "spread the key (write sharding) or cache its reads (DAX)",
                src.DYNAMODB_PARTITION,
            )
        )
        rows.append(
            (
                "hot key writes per partition",
                write_demand * share,
                exact(DYNAMODB_PARTITION_WCU),
                QUOTA,
                "spread the key over more values (write sharding)",
                src.DYNAMODB_PARTITION,
            )
        )
    return rows


def _index_rows(name: str, read: Fraction, write: Fraction, rcu: int, wcu: int) -> list[_Row]:
    return [
        (
            f"{name} write capacity units",
            write,
            exact(wcu),
            CAPACITY,
            f"raise the write capacity of index {name} (a throttled index throttles the "
            "table's writes)",
            src.DYNAMODB_WRITE_UNIT,
        ),
        (
            f"{name} read capacity units",
            read,
            exact(rcu),
            CAPACITY,
            f"raise the read capacity of index {name}",
            src.DYNAMODB_READ_UNIT,
        ),
    ]
