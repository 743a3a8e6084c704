"""The stated load of :class:`~patterns.workflow.Workflow`: executions/s, states per
execution and duration, planned by :func:`patterns.capacity.step_functions_workflow` for the
workflow's type (Standard vs Express advice, quotas, the 5-minute Express limit)."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_stepfunctions as sfn

from patterns.capacity import (
    WorkflowPlan,
    step_functions_workflow,
    step_functions_workflow_problems,
)
from patterns.capacity.load import exceeded_limits
from patterns.core.pattern import Pattern
from patterns.core.validation import Validator, format_duration, is_concrete_duration, is_unresolved

__all__ = ["LOAD_WARNING", "WorkflowLoad", "check_load", "report_load"]

LOAD_WARNING = "workflow:load"
_RATE = "expected_executions_per_second"
_NAMES = {
    "executions_per_second": _RATE,
    "states_per_execution": "states_per_execution",
    "duration_s": "expected_duration",
}


@dataclass(frozen=True)
class WorkflowLoad:
    """The load props as given."""

    executions_per_second: float | None
    states_per_execution: int | None
    duration: Duration | None


def check_load(
    v: Validator, load: WorkflowLoad, *, workflow_type: sfn.StateMachineType, timeout: Duration
) -> WorkflowPlan | None:
    """The plan at the stated load, or None (no load, or a problem recorded on ``v``)."""
    given = {
        _RATE: load.executions_per_second,
        "states_per_execution": load.states_per_execution,
        "expected_duration": load.duration,
    }
    if all(value is None for value in given.values()):
        return None
    missing = [name for name, value in given.items() if value is None]
    for name in missing:
        v.add(name, f"is required to plan the load (give {', '.join(given)} together)")
    if missing or any(is_unresolved(value) for value in given.values()):
        if not missing:
            v.add(_RATE, "and the load props must be concrete values, got an unresolved token")
        return None
    if not is_concrete_duration(load.duration):
        v.add("expected_duration", f"must be a Duration, got {load.duration!r}")
        return None
    assert load.duration is not None
    seconds = load.duration.to_seconds()
    kind = "EXPRESS" if workflow_type == sfn.StateMachineType.EXPRESS else "STANDARD"
    problems = step_functions_workflow_problems(
        load.executions_per_second, load.states_per_execution, seconds, workflow_type=kind,
        names=_NAMES,
    )  # fmt: skip
    if is_concrete_duration(timeout) and seconds > timeout.to_seconds():
        problems.append(
            f"expected_duration must be at most timeout ({format_duration(timeout)}: longer "
            f"executions time out), got {format_duration(load.duration)}"
        )
    if problems:
        v.problems.extend(problems)
        return None
    assert load.executions_per_second is not None and load.states_per_execution is not None
    return step_functions_workflow(
        load.executions_per_second, load.states_per_execution, seconds, workflow_type=kind
    )


def report_load(workflow: Pattern, plan: WorkflowPlan | None, rate: float | None) -> None:
    """The plan's notes (the cheaper type, quotas) as warnings and its review-table line; a
    load over a (soft) rate quota is a warning naming the way out."""
    if plan is None or rate is None:
        return
    workflow.report_plan(plan, warning=LOAD_WARNING)
    for line in exceeded_limits(plan, _RATE, rate):
        workflow.warn(LOAD_WARNING, line)
