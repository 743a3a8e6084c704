"""What a construct says when its stated load outgrows the configuration: one problem line
per exceeded limit, naming the load prop, the limit and the way out (no CDK import)."""

from __future__ import annotations

from patterns.capacity.plan import QUOTA, LoadPlan

__all__ = ["exceeded_limits"]


def exceeded_limits(
    plan: LoadPlan, prop: str, value: float, *, kinds: tuple[str, ...] = (QUOTA,)
) -> list[str]:
    """``<prop> <value> exceeds <limit> of the <what> (<demand> of <capacity>): <way out>``
    for each limit of ``plan`` (of the given kinds) whose demand exceeds its capacity.

    Args:
        plan: the plan of the construct's configuration at the stated load.
        prop: the construct's load prop (``"expected_messages_per_second"``).
        value: its value, as given.
        kinds: which limits count (default the quotas: what the configuration cannot carry).
    """
    return [
        f"{prop} {value:,g} exceeds the {plan.what}'s {limit.name} ({_amount(limit.demand)} "
        f"of {_amount(limit.capacity)}): {limit.way_out}"
        for limit in plan.limits
        if limit.kind in kinds and limit.utilization > 1
    ]


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
