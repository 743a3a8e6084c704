"""Step Functions Standard vs Express from executions/s, states per execution and duration:
each type's quotas and duration limit, the monthly cost of each, and the recommendation."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.plan import (  # Limit, Source: the inherited fields' annotations
    QUOTA,
    Limit,  # noqa: F401
    LoadPlan,
    Source,
    build_limits,
)
from patterns.capacity.pricing import SECONDS_PER_MONTH, Price, monthly_cost

__all__ = [
    "EXPRESS",
    "EXPRESS_MAX_DURATION_S",
    "EXPRESS_START_PER_S",
    "STANDARD",
    "STANDARD_MAX_DURATION_S",
    "STANDARD_MAX_HISTORY_EVENTS",
    "STANDARD_START_PER_S",
    "STANDARD_TRANSITIONS_PER_S",
    "WorkflowPlan",
    "step_functions_workflow",
    "step_functions_workflow_problems",
]

STANDARD = "STANDARD"
EXPRESS = "EXPRESS"
EXPRESS_MAX_DURATION_S = 300
STANDARD_MAX_DURATION_S = 365 * 24 * 3_600
STANDARD_MAX_HISTORY_EVENTS = 25_000
#: us-east-1 defaults (soft quotas): StartExecution refill rates and state transitions.
STANDARD_START_PER_S = 300
STANDARD_TRANSITIONS_PER_S = 5_000
EXPRESS_START_PER_S = 6_000
_EXPRESS_MEMORY_CHUNK_MB = 64
_EXPRESS_DURATION_STEP = Fraction(1, 10)


@dataclass(frozen=True, kw_only=True)
class WorkflowPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for the recommended (or the given) workflow type.

    Attributes:
        workflow_type: ``"STANDARD"`` or ``"EXPRESS"``: the type planned.
        recommended: the type the load calls for (the cheaper one that can run it).
        standard_usd: Standard's monthly cost at the load.
        express_usd: Express's monthly cost, or None when Express cannot run it (over 5
            minutes, or exactly-once required).
    """

    workflow_type: str
    recommended: str
    standard_usd: float
    express_usd: float | None


def step_functions_workflow_problems(
    executions_per_second: object,
    states_per_execution: object,
    duration_s: object,
    *,
    memory_mb: object = 64,
    workflow_type: object = None,
    exactly_once: object = False,
    growth_factor: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`step_functions_workflow`.

    Ranges: ``0 < rate <= 10^7 /s``; states a whole number 1..10^6; ``0 < duration <= 1
    year``; memory 64..10^5 MB; ``workflow_type`` ``"STANDARD"``/``"EXPRESS"``; an Express
    workflow at most 300 s and not with ``exactly_once``; growth 1..1,000.
    """
    p = Problems(names)
    p.number("executions_per_second", executions_per_second, above=0, maximum=10**7, unit="/s")
    p.number("states_per_execution", states_per_execution, minimum=1, maximum=10**6, whole=True)
    duration_ok = p.number(
        "duration_s", duration_s, above=0, maximum=STANDARD_MAX_DURATION_S, unit="s",
        why="a Standard execution runs at most 1 year",
    )  # fmt: skip
    p.number("memory_mb", memory_mb, minimum=64, maximum=10**5, unit="MB")
    once_ok = p.flag("exactly_once", exactly_once)
    if p.choice("workflow_type", workflow_type, (STANDARD, EXPRESS)) and workflow_type == EXPRESS:
        if duration_ok and duration_s > EXPRESS_MAX_DURATION_S:  # type: ignore[operator]
            p.add(
                f"{p.name('duration_s')} must be at most 300 s for an Express workflow (its "
                f"execution limit is 5 minutes; use {STANDARD}), got {duration_s:,g} s"
            )
        if once_ok and exactly_once:
            p.add(
                f"{p.name('exactly_once')}=True contradicts {p.name('workflow_type')}="
                f"{EXPRESS!r}: Express runs at-least-once, Standard exactly-once"
            )
    p.number("growth_factor", growth_factor, minimum=1, maximum=1_000)
    return p.lines


def step_functions_workflow(
    executions_per_second: float,
    states_per_execution: int,
    duration_s: float,
    *,
    memory_mb: float = 64,
    workflow_type: str | None = None,
    exactly_once: bool = False,
    growth_factor: float = 1,
    prices: Mapping[str, Price | float] | None = None,
) -> WorkflowPlan:
    """Compare Standard and Express workflows at a load, and plan one.

    Args:
        executions_per_second: the average (and peak) executions started per second.
        states_per_execution: state transitions of one execution (retries included).
        duration_s: the duration of one execution.
        memory_mb: the memory an Express execution uses (billed in 64 MB chunks). Default 64.
        workflow_type: plan this type (``"STANDARD"`` or ``"EXPRESS"``). Default: the
            recommended one.
        exactly_once: the workflow needs exactly-once execution (Standard only).
        growth_factor: multiply the rate by this (>= 1). Default 1.
        prices: price overrides (see :func:`~patterns.capacity.price_table`).

    Returns:
        A :class:`WorkflowPlan`. Standard costs ``transitions x $0.025/1,000``; Express
        ``requests x $1/million + GB-seconds`` (duration rounded up to 100 ms, memory to 64
        MB). The recommendation is the cheaper type that can run the workflow.

    Raises:
        ValueError: the problems :func:`step_functions_workflow_problems` finds.
    """
    p = Problems()
    p.lines = step_functions_workflow_problems(
        executions_per_second, states_per_execution, duration_s, memory_mb=memory_mb,
        workflow_type=workflow_type, exactly_once=exactly_once, growth_factor=growth_factor,
    )  # fmt: skip
    p.raise_if_any()
    rate = exact(executions_per_second) * exact(growth_factor)
    states = int(states_per_execution)
    # the decimal the user wrote (0.1 s is 1/10, not the binary float just above it), so
    # rounding up to 100 ms bills 0.1 s as one step
    duration = exact(duration_s)
    usage = {
        STANDARD: _standard_usage(rate, states),
        EXPRESS: _express_usage(rate, duration, memory_mb),
    }
    standard_usd = monthly_cost(usage[STANDARD], prices).usd
    express_ok = duration <= EXPRESS_MAX_DURATION_S and not exactly_once
    express_usd = monthly_cost(usage[EXPRESS], prices).usd if express_ok else None
    recommended = EXPRESS if express_usd is not None and express_usd < standard_usd else STANDARD
    chosen = workflow_type or recommended
    limits, binding, headroom = build_limits(_rows(chosen, rate, states))
    notes = _notes(chosen, recommended, rate, states, standard_usd, express_usd, exactly_once)
    return WorkflowPlan(
        what=f"Step Functions {chosen.lower()} workflow",
        capacity={"executions/s": float(rate), "state transitions/s": float(rate * states)},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage=usage[chosen],
        notes=tuple(notes),
        sources=(src.STEP_FUNCTIONS_EXPRESS_DURATION, src.STEP_FUNCTIONS_STANDARD_LIMITS,
                 src.STEP_FUNCTIONS_QUOTAS, src.STEP_FUNCTIONS_BILLING),
        workflow_type=chosen,
        recommended=recommended,
        standard_usd=standard_usd,
        express_usd=express_usd,
    )  # fmt: skip


def _standard_usage(rate: Fraction, states: int) -> dict[str, float]:
    return {"stepfunctions.state-transitions": float(rate * states * SECONDS_PER_MONTH)}


def _express_usage(rate: Fraction, duration: Fraction, memory_mb: float) -> dict[str, float]:
    billed_s = math.ceil(duration / _EXPRESS_DURATION_STEP) * _EXPRESS_DURATION_STEP
    billed_gb = Fraction(
        math.ceil(exact(memory_mb) / _EXPRESS_MEMORY_CHUNK_MB) * _EXPRESS_MEMORY_CHUNK_MB,
        1_024,
    )
    executions = rate * SECONDS_PER_MONTH
    return {
        "stepfunctions.express-requests": float(executions),
        "stepfunctions.express-gb-second": float(executions * billed_s * billed_gb),
    }


def _rows(
    chosen: str, rate: Fraction, states: int
) -> list[tuple[str, Fraction, Fraction, str, str, Source]]:
    """The rate quotas (the duration limits do not grow with the load: they are problems)."""
    quotas = src.STEP_FUNCTIONS_QUOTAS
    if chosen == EXPRESS:
        return [
            ("Express StartExecution/s", rate, exact(EXPRESS_START_PER_S), QUOTA,
             "request a StartExecution quota increase", quotas),
        ]  # fmt: skip
    return [
        ("Standard StartExecution/s", rate, exact(STANDARD_START_PER_S), QUOTA,
         "request a StartExecution quota increase, or use Express", quotas),
        ("state transitions/s", rate * states, exact(STANDARD_TRANSITIONS_PER_S), QUOTA,
         "request a state transition quota increase, or use Express", quotas),
    ]  # fmt: skip


def _notes(
    chosen: str, recommended: str, rate: Fraction, states: int, standard_usd: float,
    express_usd: float | None, exactly_once: bool,
) -> list[str]:  # fmt: skip
    express = "cannot run it" if express_usd is None else f"${express_usd:,.2f}/month"
    notes = [f"Standard ${standard_usd:,.2f}/month vs Express {express}: {recommended} fits best"]
    if chosen != recommended:
        notes.append(f"the load calls for a {recommended} workflow, not {chosen}")
    if chosen == STANDARD and 2 * states > STANDARD_MAX_HISTORY_EVENTS:
        notes.append(
            f"{states:,} states write at least {2 * states:,} history events (entered and "
            "exited), over the 25,000 of a Standard execution: split it (child workflows)"
        )
    if chosen == EXPRESS and not exactly_once:
        notes.append("Express runs at-least-once: make every state idempotent")
    if chosen == STANDARD and rate > STANDARD_START_PER_S:
        notes.append(
            f"{float(rate):,.4g} executions/s exceed Standard's StartExecution refill of 300/s "
            "(us-east-1): request an increase, or use Express"
        )
    return notes
