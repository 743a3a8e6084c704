"""The shape every load planner returns: the capacity, the limit that binds, the headroom,
the notes, the published source of every limit, the monthly usage to price - and which limit
breaks first as the load grows."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "CAPACITY",
    "QUOTA",
    "GrowthReport",
    "Limit",
    "LoadPlan",
    "Source",
    "first_binding_limit",
]

#: A limit the chosen capacity sets (more shards, more instances fix it).
CAPACITY = "capacity"
#: A service quota or hard limit (only a quota increase or another design fixes it).
QUOTA = "quota"


@dataclass(frozen=True)
class Source:
    """Where a published figure comes from.

    Attributes:
        figure: the figure as the planner uses it (``"FIFO queue: 300 API calls/s per action"``).
        url: the AWS documentation or pricing page that states it.
        confirmed: False when the figure could not be read in a stored copy of that page
            (the page is where AWS publishes it, but the number is from memory or a third
            party): check it before relying on it.
    """

    figure: str
    url: str
    confirmed: bool = True

    def __str__(self) -> str:
        return f"{self.figure} ({self.url}{'' if self.confirmed else '; unconfirmed'})"


@dataclass(frozen=True)
class Limit:
    """One limit a plan is checked against, at the planned load.

    Attributes:
        name: what is limited (``"write MiB/s per shard"``, ``"account concurrency"``).
        demand: the load on the limit, in its unit.
        capacity: what the limit allows at the chosen configuration, in the same unit.
        kind: :data:`CAPACITY` (the planner's own choice: re-plan to grow it) or
            :data:`QUOTA` (a service quota: ask for an increase or change the design).
        way_out: what to change when the load outgrows it.
        source: where the limit is published.
    """

    name: str
    demand: float
    capacity: float
    kind: str
    way_out: str
    source: Source

    @property
    def utilization(self) -> float:
        """``demand / capacity`` (0 when nothing is demanded, infinity for a zero capacity)."""
        if self.demand == 0:
            return 0.0
        return math.inf if self.capacity == 0 else self.demand / self.capacity

    @property
    def breaks_at(self) -> float:
        """The load multiple at which this limit is exceeded (``1 / utilization``)."""
        share = self.utilization
        return math.inf if share == 0 else 1 / share


@dataclass(frozen=True, kw_only=True)
class LoadPlan:
    """What a load planner chose and why.

    Attributes:
        what: the resource planned (``"DynamoDB table"``).
        capacity: the chosen capacity by name (``{"read_capacity_units": 80}``).
        binding_limit: the name of the limit with the highest utilisation.
        headroom: ``1 - utilisation`` of the binding limit (0 = exactly at the limit;
            negative = a quota is already exceeded at the planned load, see ``notes``).
        limits: every limit checked, with its utilisation at the planned load.
        usage: what a month at the planned load uses, by price-table key
            (``{"dynamodb.rcu-hour": 58_400}``); priced by :func:`patterns.capacity.monthly_cost`.
        notes: advice that does not change the capacity.
        sources: the published source of every figure the planner used.
    """

    what: str
    capacity: Mapping[str, float]
    binding_limit: str
    headroom: float
    limits: tuple[Limit, ...]
    usage: Mapping[str, float]
    notes: tuple[str, ...] = field(default=())
    sources: tuple[Source, ...] = field(default=())

    def summary(self) -> str:
        """One line for the review table: ``DynamoDB table: 80 read_capacity_units, ...``."""
        parts = ", ".join(f"{_amount(value)} {name}" for name, value in self.capacity.items())
        return f"{self.what}: {parts} ({self.binding_limit} binds, {self.headroom:.0%} spare)"

    def limit(self, name: str) -> Limit:
        """The limit called ``name``; KeyError when the plan has none."""
        for limit in self.limits:
            if limit.name == name:
                return limit
        raise KeyError(name)


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def build_limits(
    entries: Sequence[tuple[str, Fraction, Fraction, str, str, Source]],
) -> tuple[tuple[Limit, ...], str, float]:
    """Limits from exact ``(name, demand, capacity, kind, way_out, source)`` rows, the name of
    the binding one (highest utilisation; the first on a tie) and its headroom."""
    limits = tuple(
        Limit(name, float(demand), float(cap), kind, way_out, source)
        for name, demand, cap, kind, way_out, source in entries
    )

    def share(row: tuple[str, Fraction, Fraction, str, str, Source]) -> Fraction:
        demand, cap = row[1], row[2]
        if demand == 0:
            return Fraction(0)
        return demand / cap if cap else Fraction(10**18)

    best = max(range(len(entries)), key=lambda index: (share(entries[index]), -index))
    return limits, entries[best][0], float(1 - share(entries[best]))


@dataclass(frozen=True)
class GrowthReport:
    """Which limit breaks first as the load grows.

    Attributes:
        first: the limit with the smallest :attr:`Limit.breaks_at`.
        breaks_at: the load multiple at which it is exceeded (``2.5`` = at 2.5x today's load).
        broken: for each multiple asked about (``2``, ``10``), the limits exceeded at it, the
            first to break first.
    """

    first: Limit
    breaks_at: float
    broken: Mapping[float, tuple[Limit, ...]]

    def advice(self) -> str:
        """``above 2.5x the load, read capacity units breaks first: raise the provisioned
        read capacity (or let auto scaling raise it)``."""
        return (
            f"above {self.breaks_at:,.3g}x the load, {self.first.name} ({self.first.kind}) breaks "
            f"first: {self.first.way_out}"
        )


def first_binding_limit(plan: LoadPlan, factors: Sequence[float] = (2, 10)) -> GrowthReport:
    """Say which quota or capacity of ``plan`` breaks first as the load grows.

    Every limit is assumed to grow with the load (twice the load, twice the demand), which
    holds for the rate and size limits the planners check.

    Args:
        plan: a plan from a ``patterns.capacity`` planner.
        factors: the load multiples to report (each > 0). Default x2 and x10.

    Returns:
        A :class:`GrowthReport`.

    Raises:
        ValueError: ``plan`` has no limits, or a factor is not a positive finite number.
    """
    if not plan.limits:
        raise ValueError(f"plan {plan.what!r} has no limits to grow against")
    for factor in factors:
        if isinstance(factor, bool) or not (isinstance(factor, int | float) and factor > 0):
            raise ValueError(f"factors must be numbers greater than 0, got {factor!r}")
        if math.isinf(factor):
            raise ValueError(f"factors must be finite numbers, got {factor!r}")
    ordered = sorted(plan.limits, key=lambda limit: limit.breaks_at)
    broken = {
        float(factor): tuple(limit for limit in ordered if limit.utilization * factor > 1)
        for factor in factors
    }
    return GrowthReport(first=ordered[0], breaks_at=ordered[0].breaks_at, broken=broken)
