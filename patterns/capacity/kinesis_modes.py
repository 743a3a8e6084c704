"""Kinesis Data Streams on-demand vs provisioned: the monthly cost of each at a load, and the
average load below which on-demand is the cheaper mode (the cost crossover).

Provisioned capacity is sized for the *peak* (shards from :func:`kinesis_shards`) and billed
per shard-hour plus 25 KB PUT payload units; on-demand is billed per stream-hour plus the GB
actually written (each record rounded up to 1 KB) and read - so on-demand wins when the
average load is a small share of the peak.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.kinesis import kinesis_shard_problems, kinesis_shards
from patterns.capacity.plan import (  # Limit, Source: the inherited fields' annotations
    CAPACITY,
    QUOTA,
    Limit,  # noqa: F401
    LoadPlan,
    Source,
    build_limits,
)
from patterns.capacity.pricing import (
    HOURS_PER_MONTH,
    SECONDS_PER_MONTH,
    Price,
    monthly_cost,
)

__all__ = [
    "KINESIS_ON_DEMAND_MAX_MIB_PER_S",
    "KINESIS_ON_DEMAND_MAX_RECORDS_PER_S",
    "KINESIS_ON_DEMAND_START_MIB_PER_S",
    "StreamModePlan",
    "kinesis_stream_mode",
    "kinesis_stream_mode_problems",
]

#: A new on-demand stream takes 4 MiB/s (4,000 records/s) of writes at first ...
KINESIS_ON_DEMAND_START_MIB_PER_S = 4
#: ... and at most 200 MiB/s and 200,000 records/s by default.
KINESIS_ON_DEMAND_MAX_MIB_PER_S = 200
KINESIS_ON_DEMAND_MAX_RECORDS_PER_S = 200_000
_PUT_PAYLOAD_KIB = 25
_GIB = 1_024 * 1_024  # KiB per GB (Kinesis meters GB of 1,024^3 bytes)


@dataclass(frozen=True, kw_only=True)
class StreamModePlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` comparing the two capacity modes.

    Attributes:
        recommended: ``"provisioned"`` or ``"on-demand"`` (the cheaper at the average load).
        shards: the provisioned shards for the peak.
        provisioned_usd / on_demand_usd: the monthly cost of each mode at the average load,
            with the given price table.
        crossover_records_per_second: the average load (records/s) at or below which
            on-demand costs no more than the provisioned shards for this peak; 0 when
            provisioned is cheaper at every average load.
        provisioned: the plan of the provisioned stream alone (its shards, limits and usage),
            whichever mode is recommended: what a stream created with ``shards`` costs.
    """

    recommended: str
    shards: int
    provisioned_usd: float
    on_demand_usd: float
    crossover_records_per_second: float
    provisioned: LoadPlan


def kinesis_stream_mode_problems(
    records_per_second: object,
    average_record_kib: object,
    *,
    average_records_per_second: object = None,
    consumers: object = 1,
    enhanced_fan_out: object = False,
    growth_factor: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`kinesis_stream_mode`: those of
    :func:`~patterns.capacity.kinesis_shard_problems`, and an average load
    ``0 < average <= peak``."""
    p = Problems(names)
    p.lines = [
        _renamed(line, p)
        for line in kinesis_shard_problems(
            records_per_second, average_record_kib, consumers, enhanced_fan_out,  # type: ignore[arg-type]
            growth_factor,  # type: ignore[arg-type]
        )
    ]  # fmt: skip
    if p.number("average_records_per_second", average_records_per_second, above=0):
        peak_ok = not any(line.startswith(p.name("records_per_second")) for line in p.lines)
        if peak_ok and average_records_per_second > records_per_second:  # type: ignore[operator]
            p.add(
                f"{p.name('average_records_per_second')} must be at most "
                f"{p.name('records_per_second')} (the peak, {records_per_second:,g}), "
                f"got {average_records_per_second:,g}"
            )
    return p.lines


def _renamed(line: str, p: Problems) -> str:
    argument = line.split(" ", 1)[0]
    return p.name(argument) + line[len(argument) :]


def kinesis_stream_mode(
    records_per_second: float,
    average_record_kib: float,
    *,
    average_records_per_second: float | None = None,
    consumers: int = 1,
    enhanced_fan_out: bool = False,
    growth_factor: float = 1,
    prices: Mapping[str, Price | float] | None = None,
) -> StreamModePlan:
    """Compare on-demand and provisioned capacity for a stream's load.

    Args:
        records_per_second: the peak write rate (provisioned shards are sized for it).
        average_record_kib: the average record size (0 < size <= 1,024 KiB).
        average_records_per_second: the month's average write rate (billed by on-demand and
            by the PUT payload units). Default: the peak (a steady load).
        consumers: applications reading the whole stream; each reads every GB once.
        enhanced_fan_out: the consumers use enhanced fan-out (its charges are not priced).
        growth_factor: multiply both rates by this (>= 1). Default 1.
        prices: price overrides (see :func:`~patterns.capacity.price_table`).

    Returns:
        A :class:`StreamModePlan` for the recommended mode: its limits (the shard limits, or
        the on-demand stream's 200 MiB/s and 200,000 records/s), its monthly usage, and the
        cost of both modes.

    Raises:
        ValueError: the problems :func:`kinesis_stream_mode_problems` finds.
    """
    p = Problems()
    p.lines = kinesis_stream_mode_problems(
        records_per_second, average_record_kib,
        average_records_per_second=average_records_per_second, consumers=consumers,
        enhanced_fan_out=enhanced_fan_out, growth_factor=growth_factor,
    )  # fmt: skip
    p.raise_if_any()
    growth = exact(growth_factor)
    peak = exact(records_per_second) * growth
    average = (
        peak if average_records_per_second is None else exact(average_records_per_second) * growth
    )
    kib = exact(average_record_kib)
    shard_plan = kinesis_shards(
        float(peak), average_record_kib, consumers=consumers, enhanced_fan_out=enhanced_fan_out
    )
    provisioned = _provisioned_usage(shard_plan.shards, average, kib)
    on_demand = _on_demand_usage(average, kib, 0 if enhanced_fan_out else int(consumers))
    provisioned_usd = monthly_cost(provisioned, prices).usd
    on_demand_usd = monthly_cost(on_demand, prices).usd
    crossover = _crossover(shard_plan.shards, kib, int(consumers), enhanced_fan_out, prices)
    mode = "on-demand" if on_demand_usd < provisioned_usd else "provisioned"
    limits, binding, headroom = build_limits(_rows(mode, peak, kib, shard_plan.shards, consumers))
    shard_limits, shard_binding, shard_headroom = build_limits(
        _rows("provisioned", peak, kib, shard_plan.shards, consumers)
    )
    provisioned_plan = LoadPlan(
        what="Kinesis data stream (provisioned)",
        capacity={"shards": shard_plan.shards},
        binding_limit=shard_binding,
        headroom=shard_headroom,
        limits=shard_limits,
        usage=provisioned,
        sources=(src.KINESIS_SHARD, src.KINESIS_ON_DEMAND_BILLING),
    )
    notes = _notes(mode, peak, kib, average, crossover, provisioned_usd, on_demand_usd)
    if enhanced_fan_out:
        notes.append("enhanced fan-out is billed per consumer-shard-hour and GB: not priced")
    return StreamModePlan(
        what=f"Kinesis data stream ({mode})",
        capacity={"shards": shard_plan.shards} if mode == "provisioned" else {"on-demand": 1},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage=provisioned if mode == "provisioned" else on_demand,
        notes=tuple(notes),
        sources=(src.KINESIS_SHARD, src.KINESIS_ON_DEMAND, src.KINESIS_ON_DEMAND_BILLING),
        recommended=mode,
        shards=shard_plan.shards,
        provisioned_usd=provisioned_usd,
        on_demand_usd=on_demand_usd,
        crossover_records_per_second=float(crossover),
        provisioned=provisioned_plan,
    )


def _provisioned_usage(shards: int, average: Fraction, kib: Fraction) -> dict[str, float]:
    units = math.ceil(kib / _PUT_PAYLOAD_KIB)
    return {
        "kinesis.shard-hour": float(shards * HOURS_PER_MONTH),
        "kinesis.put-payload-units": float(average * units * SECONDS_PER_MONTH),
    }


def _on_demand_usage(average: Fraction, kib: Fraction, readers: int) -> dict[str, float]:
    written = average * math.ceil(kib) * SECONDS_PER_MONTH / _GIB
    read = average * kib * readers * SECONDS_PER_MONTH / _GIB
    return {
        "kinesis.on-demand-stream-hour": float(HOURS_PER_MONTH),
        "kinesis.on-demand-gb-in": float(written),
        "kinesis.on-demand-gb-out": float(read),
    }


def _crossover(
    shards: int, kib: Fraction, consumers: int, enhanced_fan_out: bool,
    prices: Mapping[str, Price | float] | None,
) -> Fraction:  # fmt: skip
    """The average rate at which both modes cost the same (both are linear in it)."""
    readers = 0 if enhanced_fan_out else consumers

    def cost(usage: dict[str, float]) -> Fraction:
        return exact(monthly_cost(usage, prices).usd)

    fixed_p, fixed_o = (
        cost(_provisioned_usage(shards, Fraction(0), kib)),
        cost(_on_demand_usage(Fraction(0), kib, readers)),
    )
    slope_p = cost(_provisioned_usage(shards, Fraction(1), kib)) - fixed_p
    slope_o = cost(_on_demand_usage(Fraction(1), kib, readers)) - fixed_o
    if slope_o <= slope_p:
        return Fraction(0) if fixed_o >= fixed_p else exact(10**12)
    return max(Fraction(0), (fixed_p - fixed_o) / (slope_o - slope_p))


def _rows(
    mode: str, peak: Fraction, kib: Fraction, shards: int, consumers: int
) -> list[tuple[str, Fraction, Fraction, str, str, Source]]:
    write_mib = peak * kib / 1_024
    if mode == "on-demand":
        return [
            ("on-demand write MiB/s", write_mib, exact(KINESIS_ON_DEMAND_MAX_MIB_PER_S),
             QUOTA, "request a quota increase or split the stream", src.KINESIS_ON_DEMAND),
            ("on-demand write records/s", peak, exact(KINESIS_ON_DEMAND_MAX_RECORDS_PER_S),
             QUOTA, "request a quota increase or split the stream", src.KINESIS_ON_DEMAND),
        ]  # fmt: skip
    return [
        ("write MiB/s", write_mib, exact(shards), CAPACITY, "add shards", src.KINESIS_SHARD),
        ("write records/s", peak, exact(1_000 * shards), CAPACITY, "add shards",
         src.KINESIS_SHARD),
    ]  # fmt: skip


def _notes(
    mode: str, peak: Fraction, kib: Fraction, average: Fraction, crossover: Fraction,
    provisioned_usd: float, on_demand_usd: float,
) -> list[str]:  # fmt: skip
    notes = [
        f"provisioned ${provisioned_usd:,.2f}/month vs on-demand ${on_demand_usd:,.2f}/month "
        f"at an average {float(average):,.4g} records/s: {mode} is cheaper"
    ]
    if 0 < crossover < peak:
        notes.append(
            f"on-demand is cheaper while the average load stays below "
            f"{float(crossover):,.4g} records/s ({float(crossover / peak):.0%} of the peak)"
        )
    if mode == "on-demand" and peak * kib / 1_024 > KINESIS_ON_DEMAND_START_MIB_PER_S:
        notes.append(
            "a new on-demand stream takes 4 MiB/s of writes at first and adapts to twice its "
            "previous peak: ramp the load up or start provisioned"
        )
    return notes
