"""The cost at load of a capacity plan, as the review shows it: the monthly cost at the plan's
stated load, the idle cost, and the first limit that binds as the load grows (x2, x10).

:meth:`patterns.core.pattern.Pattern.report_plan` writes one :func:`cost_record` per
:class:`~patterns.capacity.LoadPlan` as construct metadata (:data:`COST_METADATA`); the review
(``make synth``'s table, ``python -m synth_review``) reads it from the cloud assembly.

**Prices**: the dated, cited us-east-1 list prices of :data:`patterns.capacity.US_EAST_1`,
overridden by the app context key ``scalable-patterns:prices`` (every pattern of the app), then
by a pattern's own ``prices`` (``WebLoad(prices=...)``, ``FunctionLoad(prices=...)``). Both
map a price-table key to a number (US dollars per the built-in entry's unit: another Region
or a negotiated rate) or, for a key the table lacks, to a price object - ``{"usd": 0.0168,
"unit": "instance-hour", "source": "https://aws.amazon.com/ec2/pricing/on-demand/"}`` in
``cdk.json`` (``per`` defaults to 1), a :class:`~patterns.capacity.Price` in Python.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from constructs import Construct

from patterns.capacity import (
    PRICES_READ_ON,
    US_EAST_1,
    LoadPlan,
    Price,
    first_binding_limit,
    monthly_cost,
    price_table,
)
from patterns.core.metadata import COST_METADATA

__all__ = [
    "COST_METADATA",
    "GROWTH_FACTORS",
    "PRICES_CONTEXT",
    "cost_record",
    "idle_usage",
    "prices_for",
]

#: App context key of a price table overriding the built-in us-east-1 list prices.
PRICES_CONTEXT = "scalable-patterns:prices"
#: The load multiples the review reports the broken limits at.
GROWTH_FACTORS = (2, 10)
#: Hourly keys billed by use, not by the hour whatever the traffic.
_USE_BILLED_HOURS = frozenset({"alb.lcu-hour"})


def _context_price(key: str, value: object) -> Price | object:
    """A price object of the context (``{"usd": ..., "unit": ..., "source": ...}``) as a
    :class:`Price`; a number as given (checked by ``price_table``)."""
    if not isinstance(value, Mapping):
        return value
    unknown = sorted(set(value) - {"usd", "unit", "source", "per", "read_on"})
    per = value.get("per", 1)
    if unknown or "usd" not in value or isinstance(per, bool) or not isinstance(per, int):
        raise ValueError(
            f"prices[{key!r}] must be a number or an object with usd, unit, source (and a "
            f"whole per), got {dict(value)!r}"
        )
    return Price(
        value["usd"],
        str(value.get("unit", "unit")),
        str(value.get("source", "user-supplied")),
        per=per,
        read_on=str(value.get("read_on", "")),
    )


def prices_for(
    scope: Construct, prices: Mapping[str, Price | float] | None, prop: str
) -> tuple[dict[str, Price], list[str]]:
    """The price table a pattern uses: the built-in table, the app context's
    ``scalable-patterns:prices``, then ``prices`` (the pattern's prop called ``prop``).

    Returns:
        The table, and one problem line per bad entry (naming the context key or the prop).
    """
    problems: list[str] = []
    table = dict(US_EAST_1)
    raw = scope.node.try_get_context(PRICES_CONTEXT)
    if raw is not None:
        try:
            if not isinstance(raw, Mapping):
                raise ValueError(f"must be an object of price-table key -> price, got {raw!r}")
            table = price_table(
                {key: _context_price(key, value) for key, value in raw.items()},  # type: ignore[misc]
                base=table,
            )
        except ValueError as exc:
            problems.append(f"context {PRICES_CONTEXT}: {exc}")
    if prices is not None:
        try:
            if not isinstance(prices, Mapping):
                raise ValueError(f"must be a mapping of price-table key -> price, got {prices!r}")
            table = price_table(prices, base=table)
        except ValueError as exc:
            problems.append(f"{prop}: {exc}")
    return table, problems


def idle_usage(plan: LoadPlan) -> dict[str, float]:
    """What the plan is billed with no traffic at all: its capacity-hours and stored GB-months
    (provisioned capacity, instances, shards, storage); nothing for a plan billed per
    request only."""
    return {
        key: quantity
        for key, quantity in plan.usage.items()
        if key.endswith(("-hour", ".hour", "-month")) and key not in _USE_BILLED_HOURS
    }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _growth(plan: LoadPlan) -> dict[str, Any] | None:
    if not plan.limits:
        return None
    growth = first_binding_limit(plan, GROWTH_FACTORS)
    first = growth.first
    binds = math.isfinite(growth.breaks_at)
    return {
        "first": first.name,
        "kind": first.kind,
        "breaks_at": _finite(round(growth.breaks_at, 4)),
        "way_out": first.way_out,
        "advice": growth.advice() if binds else "no limit binds as the load grows",
        **{
            f"x{factor:g}": [limit.name for limit in broken]
            for factor, broken in growth.broken.items()
        },
    }


def cost_record(
    plan: LoadPlan,
    table: Mapping[str, Price],
    *,
    line: str,
    idle: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The review's cost entry of one plan (a JSON object).

    Args:
        plan: the plan, with its monthly ``usage`` at the stated load.
        table: the full price table (:func:`prices_for`).
        line: the capacity line it belongs to.
        idle: the usage with no traffic. Default :func:`idle_usage`.

    Returns:
        ``line``, ``what``, ``monthly_usd`` (at load), ``idle_usd``, ``lines`` (the priced
        usage, largest first), ``unpriced`` (usage keys the table has no price for: left out
        of both totals), ``unconfirmed``, ``prices`` (which table) and ``growth`` (the first
        limit to bind: name, kind, breaks_at, way_out, advice, and the limits broken at x2
        and x10; None for a plan without limits) and ``notes`` (the plan's advice).
    """
    usage = {key: q for key, q in plan.usage.items() if key in table}
    at_load = monthly_cost(usage, table)
    idle_use = idle_usage(plan) if idle is None else dict(idle)
    idle_cost = monthly_cost({k: q for k, q in idle_use.items() if k in table}, table)
    user = sorted(key for key, price in table.items() if US_EAST_1.get(key) is not price)
    label = f"us-east-1 list prices read {PRICES_READ_ON}"
    if user:
        label += f", {len(user)} user price(s): {', '.join(user)}"
    return {
        "line": line,
        "what": plan.what,
        "monthly_usd": round(at_load.usd, 2),
        "idle_usd": round(idle_cost.usd, 2),
        "lines": [
            {"key": c.key, "quantity": c.quantity, "usd": round(c.usd, 2)} for c in at_load.lines
        ],
        "unpriced": sorted(set(plan.usage) - set(usage)),
        "unconfirmed": list(at_load.unconfirmed),
        "prices": label,
        "growth": _growth(plan),
        "notes": list(plan.notes),
    }
