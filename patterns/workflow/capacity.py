"""The stated load of :class:`~patterns.workflow.Workflow` (:class:`WorkflowLoad`:
executions/s, states per execution and duration), planned by
:func:`patterns.capacity.step_functions_workflow` for the workflow's type (Standard vs
Express advice, quotas, the 5-minute Express limit)."""

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

__all__ = ["LOAD_WARNING", "WorkflowLoad", "check_load", "plan_load"]

LOAD_WARNING = "workflow:load"
_PROP = "expected_load"
_NAMES = {
    "executions_per_second": f"{_PROP}.executions_per_second",
    "states_per_execution": f"{_PROP}.states_per_execution",
    "duration_s": f"{_PROP}.duration",
}


@dataclass(frozen=True, kw_only=True)
class WorkflowLoad:
    """The load a :class:`~patterns.workflow.Workflow` is planned for.

    Attributes:
        executions_per_second: executions started per second (> 0).
        states_per_execution: state transitions of one execution, retries included (>= 1).
        duration: how long one execution runs (at most the workflow's ``timeout``; 5 minutes
            for EXPRESS).
    """

    executions_per_second: float
    states_per_execution: int
    duration: Duration


def check_load(
    v: Validator,
    load: object,
    *,
    workflow_type: sfn.StateMachineType,
    timeout: Duration | None,
) -> WorkflowPlan | None:
    """The plan at the stated load, or None (no load, or a problem recorded on ``v``)."""
    if load is None:
        return None
    if not isinstance(load, WorkflowLoad):
        v.add(_PROP, f"must be a WorkflowLoad, got {load!r}")
        return None
    values = (load.executions_per_second, load.states_per_execution, load.duration)
    if any(is_unresolved(value) for value in values):
        v.add(_PROP, "must hold concrete values to plan the load, got an unresolved token")
        return None
    if not is_concrete_duration(load.duration):
        v.add(f"{_PROP}.duration", f"must be a Duration, got {load.duration!r}")
        return None
    seconds = load.duration.to_seconds()
    kind = "EXPRESS" if workflow_type == sfn.StateMachineType.EXPRESS else "STANDARD"
    problems = step_functions_workflow_problems(
        load.executions_per_second, load.states_per_execution, seconds, workflow_type=kind,
        names=_NAMES,
    )  # fmt: skip
    if timeout is not None and is_concrete_duration(timeout) and seconds > timeout.to_seconds():
        problems.append(
            f"{_PROP}.duration must be at most timeout ({format_duration(timeout)}: longer "
            f"executions time out), got {format_duration(load.duration)}"
        )
    if problems:
        v.problems.extend(problems)
        return None
    return step_functions_workflow(
        load.executions_per_second, load.states_per_execution, seconds, workflow_type=kind
    )


def plan_load(
    workflow: Pattern,
    v: Validator,
    load: object,
    workflow_type: sfn.StateMachineType,
    timeout: Duration | None,
) -> WorkflowPlan | None:
    """:func:`check_load`; when it found no problem, the plan's notes (the cheaper type,
    quotas) as warnings, a load over a (soft) rate quota as a warning naming the way out, and
    the review-table line (recorded before the resources: moot if validation fails)."""
    plan = check_load(v, load, workflow_type=workflow_type, timeout=timeout)
    if plan is None or not isinstance(load, WorkflowLoad):
        return None
    workflow.report_plan(plan, warning=LOAD_WARNING)
    for line in exceeded_limits(plan, f"{_PROP}.executions_per_second", load.executions_per_second):
        workflow.warn(LOAD_WARNING, line)
    return plan
