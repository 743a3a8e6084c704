"""The prop rules of :class:`~patterns.workflow.Workflow`,
:class:`~patterns.workflow.WorkflowActivity` and the retry/catch helpers, one function per
feature.

Each rule records its problems on the validator it is given and never raises, so every problem
is reported at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn

from patterns.core.deferred import deferred
from patterns.core.validation import Validator, format_duration, is_unresolved

if TYPE_CHECKING:
    from patterns.workflow.retry import RetryPolicy

__all__ = [
    "MAX_EXPRESS_TIMEOUT",
    "MAX_RETRY_ATTEMPTS",
    "MAX_RETRY_SECONDS",
    "MAX_STANDARD_TIMEOUT",
    "activity",
    "catch",
    "definition_states",
    "express_definition",
    "failure_topic",
    "logging",
    "retry_policy",
    "state_machine",
    "task_timeouts",
    "timeout_covers_tasks",
]

#: Step Functions limits (https://docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html)
MAX_STANDARD_TIMEOUT = deferred(Duration, "days", 365)
MAX_EXPRESS_TIMEOUT = deferred(Duration, "minutes", 5)
MAX_RETRY_ATTEMPTS = 99_999_999
MAX_RETRY_SECONDS = 99_999_999
_STATE_MACHINE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_ACTIVITY_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
#: Task resources an EXPRESS workflow cannot run (it never waits for a callback or a job).
_EXPRESS_UNSUPPORTED = (".sync", ".waitForTaskToken")


# -- the workflow ------------------------------------------------------------------------------
def state_machine(
    v: Validator,
    *,
    definition: object,
    workflow_type: sfn.StateMachineType,
    timeout: Duration,
    state_machine_name: str | None,
    comment: str | None,
    tracing: bool,
) -> None:
    """A definition (``sfn.IChainable``), STANDARD or EXPRESS, a timeout in whole seconds up
    to the type's limit, a name of 1-80 letters, digits, ``-``, ``_``; comment and tracing."""
    v.require(
        definition is not None and hasattr(definition, "start_state"),
        "definition",
        f"must be a state or chain (sfn.IChainable), got {type(definition).__name__}",
    )
    v.one_of(
        "workflow_type",
        workflow_type,
        [sfn.StateMachineType.STANDARD, sfn.StateMachineType.EXPRESS],
    )
    express = workflow_type == sfn.StateMachineType.EXPRESS
    v.duration_in_range(
        "timeout",
        timeout,
        minimum=Duration.seconds(1),
        maximum=MAX_EXPRESS_TIMEOUT if express else MAX_STANDARD_TIMEOUT,
        whole="seconds",  # TimeoutSeconds is an integer
    )
    if state_machine_name is not None and not is_unresolved(state_machine_name):
        v.require(
            bool(_STATE_MACHINE_NAME.match(state_machine_name)),
            "state_machine_name",
            f"must be 1-80 letters, digits, '-' or '_', got {state_machine_name!r}",
        )
    v.text("comment", comment)
    v.boolean("tracing", tracing)


def logging(
    v: Validator,
    *,
    include_execution_data: bool,
    log_retention: logs.RetentionDays,
    log_group: logs.ILogGroup | None,
) -> None:
    """The execution log: a flag, a retention, an existing log group."""
    v.boolean("include_execution_data", include_execution_data)
    v.instance_of("log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays")
    v.implements("log_group", log_group, "log_group_arn", what="a logs.ILogGroup")


def failure_topic(v: Validator, topic: object, *, workflow_type: sfn.StateMachineType) -> None:
    """An ``sns.ITopic``, for a STANDARD workflow (EXPRESS ones emit no status events)."""
    if workflow_type == sfn.StateMachineType.EXPRESS and topic is not None:
        v.add(
            "failure_topic",
            "needs a STANDARD workflow (EXPRESS workflows emit no execution status "
            "events), got workflow_type EXPRESS",
        )
    v.implements("failure_topic", topic, "topic_arn", what="an sns.ITopic")


def failure_dlq_key(v: Validator, key: object, *, failure_topic: object) -> None:
    """A ``kms.IKey``, only with the ``failure_topic`` whose DLQ it encrypts."""
    v.implements("failure_dlq_key", key, "key_arn", what="a kms.IKey")
    if key is not None and failure_topic is None:
        v.add("failure_dlq_key", "applies only with a failure_topic (it encrypts its DLQ)")


def express_definition(v: Validator, stack: Stack, definition: sfn.IChainable) -> None:
    """EXPRESS workflows run neither activities nor ``.sync`` / callback tasks (checked once
    the definition is bound to its state machine in ``stack``)."""
    activity_refs = {
        stack.resolve(child.ref)["Ref"]
        for child in stack.node.find_all()
        if isinstance(child, sfn.CfnActivity)
    }
    found: list[str] = []
    for name, state in definition_states(stack, definition):
        resource = state.get("Resource")
        text = json.dumps(resource) if resource is not None else ""
        is_ref = isinstance(resource, dict) and resource.get("Ref") in activity_refs
        if is_ref or ":activity:" in text:
            found.append(f"{name} (activity)")
        else:
            for suffix in _EXPRESS_UNSUPPORTED:
                if suffix in text:
                    found.append(f"{name} ({suffix})")
    if found:
        v.add(
            "definition",
            "of an EXPRESS workflow cannot use activities, .sync or .waitForTaskToken "
            f"tasks (use STANDARD), got {', '.join(found)}",
        )


def definition_states(
    stack: Stack, definition: sfn.IChainable
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every state reachable from ``definition`` (error handlers, Parallel branches and Map
    processors included) as ``(name, resolved state JSON)``; the definition must be bound to
    its state machine in ``stack`` (states render their branches only there)."""

    def walk(states: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        for name, state in states.items():
            yield name, state
            for branch in state.get("Branches", []):
                yield from walk(branch.get("States", {}))
            for key in ("ItemProcessor", "Iterator"):
                if key in state:
                    yield from walk(state[key].get("States", {}))

    reachable = sfn.State.find_reachable_states(definition.start_state, include_error_handlers=True)
    yield from walk({s.state_id: stack.resolve(s.to_state_json()) for s in reachable})


def task_timeouts(stack: Stack, definition: sfn.IChainable) -> dict[str, float]:
    """The fixed ``TimeoutSeconds`` of every task state in the bound ``definition`` (an
    activity's task timeout included), by state name; a ``TimeoutSecondsPath`` or token is
    left out."""
    return {
        name: float(state["TimeoutSeconds"])
        for name, state in definition_states(stack, definition)
        if state.get("Type") == "Task"
        and isinstance(state.get("TimeoutSeconds"), int | float)
        and not isinstance(state.get("TimeoutSeconds"), bool)
    }


def timeout_covers_tasks(
    v: Validator, timeout: Duration, tasks: dict[str, float], *, given: bool
) -> None:
    """The workflow ``timeout`` is not shorter than any task's timeout: the execution would
    fail with ``States.Timeout`` before the task could time out (its retry or catch never
    runs). An error; the message says when ``timeout`` is the default (not ``given``)."""
    if not tasks or not isinstance(timeout, Duration) or is_unresolved(timeout):
        return
    limit = timeout.to_seconds(integral=False)
    longer = {name: seconds for name, seconds in tasks.items() if seconds > limit}
    if not longer:
        return
    states = ", ".join(f"{name} ({format_duration(s)})" for name, s in sorted(longer.items()))
    shown = format_duration(timeout) + ("" if given else " (the default)")
    v.add(
        "timeout",
        f"must be at least the longest task timeout in the definition, "
        f"{format_duration(max(longer.values()))}, or the workflow times out before its tasks "
        f"can; got {shown} with {states}",
    )


# -- activities --------------------------------------------------------------------------------
def activity(
    v: Validator,
    *,
    activity_name: str | None,
    heartbeat_timeout: Duration,
    task_timeout: Duration,
    schedule_time_alarm_threshold: Duration,
) -> None:
    """A name of 1-80 letters, digits, ``-``, ``_``; task timeout 1 s..1 year and heartbeat
    1 s..task timeout, both whole seconds; the waiting-for-workers alarm 1 s or more and
    shorter than the task timeout (an error: it could never fire)."""
    if activity_name is not None and not is_unresolved(activity_name):
        v.require(
            bool(_ACTIVITY_NAME.match(activity_name)),
            "activity_name",
            f"must be 1-80 letters, digits, '-' or '_', got {activity_name!r}",
        )
    # A task state's TimeoutSeconds and HeartbeatSeconds are integers.
    v.duration_in_range(
        "task_timeout",
        task_timeout,
        minimum=Duration.seconds(1),
        maximum=MAX_STANDARD_TIMEOUT,
        whole="seconds",
    )
    both_known = not is_unresolved(task_timeout) and isinstance(task_timeout, Duration)
    v.duration_in_range(
        "heartbeat_timeout",
        heartbeat_timeout,
        minimum=Duration.seconds(1),
        maximum=task_timeout if both_known else None,
        whole="seconds",
    )
    # A task that waits for a worker as long as task_timeout times out unstarted, and
    # ActivityScheduleTime is published only when a worker starts it: the alarm never fires.
    v.duration_in_range(
        "schedule_time_alarm_threshold",
        schedule_time_alarm_threshold,
        minimum=Duration.seconds(1),
    )
    if (
        both_known
        and isinstance(schedule_time_alarm_threshold, Duration)
        and not is_unresolved(schedule_time_alarm_threshold)
        and schedule_time_alarm_threshold.to_seconds(integral=False)
        >= task_timeout.to_seconds(integral=False)
    ):
        v.add(
            "schedule_time_alarm_threshold",
            f"must be shorter than task_timeout ({format_duration(task_timeout)}): a task "
            "waiting that long times out before a worker starts it, so the alarm never "
            f"fires, got {format_duration(schedule_time_alarm_threshold)}",
        )


# -- retry and catch ---------------------------------------------------------------------------
def error_names(
    v: Validator, prop: str, errors: Sequence[str], *, allow_empty: bool = False
) -> None:
    """A tuple of non-empty error names; ``States.ALL`` alone (Step Functions rule)."""
    if isinstance(errors, str):
        v.add(prop, f"must be a tuple of error names, got the string {errors!r}")
        return
    if not v.sequence_of(prop, errors, str):
        return
    if not errors and not allow_empty:
        v.add(prop, "must name at least one error, got none")
    if any(not name for name in errors):
        v.add(prop, f"must hold non-empty error names, got {list(errors)}")
    if "States.ALL" in errors and len(errors) > 1:
        v.add(prop, f"must list States.ALL alone (Step Functions rule), got {list(errors)}")


def retry_policy(v: Validator, policy: RetryPolicy) -> None:
    """Every field of ``policy``; ``max_delay`` at least ``interval``; ``non_retryable``
    disjoint from ``errors`` and without ``States.ALL``."""
    error_names(v, "RetryPolicy.errors", policy.errors)
    error_names(v, "RetryPolicy.non_retryable", policy.non_retryable, allow_empty=True)
    v.number_in_range(
        "RetryPolicy.max_attempts",
        policy.max_attempts,
        minimum=0,
        maximum=MAX_RETRY_ATTEMPTS,
        integer=True,
    )
    # IntervalSeconds and MaxDelaySeconds of a Retrier are integers.
    for prop, value in (("interval", policy.interval), ("max_delay", policy.max_delay)):
        v.duration_in_range(
            f"RetryPolicy.{prop}",
            value,
            minimum=Duration.seconds(1),
            maximum=Duration.seconds(MAX_RETRY_SECONDS),
            whole="seconds",
        )
    v.number_in_range("RetryPolicy.backoff_rate", policy.backoff_rate, minimum=1.0)
    v.boolean("RetryPolicy.jitter", policy.jitter)
    if (
        policy.max_delay is not None
        and not is_unresolved(policy.max_delay)
        and not is_unresolved(policy.interval)
        and isinstance(policy.max_delay, Duration)
        and isinstance(policy.interval, Duration)
        and policy.max_delay.to_seconds(integral=False) < policy.interval.to_seconds(integral=False)
    ):
        v.add(
            "RetryPolicy.max_delay",
            f"must be at least interval ({format_duration(policy.interval)}), "
            f"got {format_duration(policy.max_delay)}",
        )
    lists_ok = all(
        isinstance(errors, list | tuple) and all(isinstance(e, str) for e in errors)
        for errors in (policy.errors, policy.non_retryable)
    )
    overlap = sorted(set(policy.non_retryable) & set(policy.errors)) if lists_ok else []
    if overlap:
        v.add("RetryPolicy.non_retryable", f"must not repeat retried errors, got {overlap}")
    if lists_ok and "States.ALL" in policy.non_retryable:
        v.add("RetryPolicy.non_retryable", "cannot contain States.ALL (nothing would retry)")


def catch(v: Validator, *, errors: Sequence[str], result_path: str) -> None:
    """Error names as for a retrier; ``result_path`` ``$`` or ``$.field``."""
    error_names(v, "errors", errors)
    if not isinstance(result_path, str) or not (result_path == "$" or result_path.startswith("$.")):
        v.add("result_path", f"must be $ or start with $., got {result_path!r}")
