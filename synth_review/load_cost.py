"""The cost at load the patterns recorded (construct metadata ``scalable-patterns:cost``, one
entry per capacity line sized from a stated load): the monthly cost at that load, the idle
cost, and the first limit that binds as the load grows (x2, x10)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LoadCost", "from_entry", "total"]


@dataclass(frozen=True)
class LoadCost:
    """One recorded cost at load.

    Attributes:
        path: the construct path of the pattern (``Stack/Web``).
        line: the capacity line it prices.
        what: the planned resource (``web tier``).
        monthly_usd / idle_usd: per month at the stated load, and with no traffic.
        growth: the first limit to bind (name, kind, breaks_at, way_out, advice, x2, x10),
            or None.
        unpriced: usage left out for want of a price.
        prices: which price table.
        notes: the plan's advice (quotas to check, how the zones are used).
    """

    path: str
    line: str
    what: str
    monthly_usd: float
    idle_usd: float
    growth: Mapping[str, Any] | None = None
    unpriced: tuple[str, ...] = field(default=())
    prices: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def pattern(self) -> str:
        """The pattern's construct id (``Web``)."""
        parts = self.path.strip("/").split("/")
        return parts[1] if len(parts) > 1 else parts[0]

    def cost_text(self) -> str:
        """``$139.07/month at load (idle $40.95)``, ``+`` when some usage is unpriced."""
        more = "+" if self.unpriced else ""
        return f"${self.monthly_usd:,.2f}{more}/month at load (idle ${self.idle_usd:,.2f})"

    def growth_text(self) -> str:
        """The first limit to bind and what breaks at x2 and x10."""
        if not self.growth:
            return "-"
        broken = "; ".join(
            f"{factor}: {', '.join(self.growth.get(factor) or []) or 'nothing'}"
            for factor in ("x2", "x10")
        )
        return f"{self.growth.get('advice', '')} ({broken})"


def from_entry(path: str, data: object) -> LoadCost | None:
    """A :class:`LoadCost` from one metadata entry's data; None for a malformed one."""
    if not isinstance(data, Mapping):
        return None
    try:
        return LoadCost(
            path=path.lstrip("/"),
            line=str(data["line"]),
            what=str(data.get("what", "")),
            monthly_usd=float(data["monthly_usd"]),
            idle_usd=float(data.get("idle_usd", 0)),
            growth=data.get("growth"),
            unpriced=tuple(data.get("unpriced") or ()),
            prices=str(data.get("prices", "")),
            notes=tuple(str(note) for note in data.get("notes") or ()),
        )
    except (KeyError, TypeError, ValueError):
        return None


def total(costs: Iterable[LoadCost]) -> tuple[float, float] | None:
    """``(at load, idle)`` per month summed, or None when nothing was sized from a load."""
    found = list(costs)
    if not found:
        return None
    return sum(c.monthly_usd for c in found), sum(c.idle_usd for c in found)
