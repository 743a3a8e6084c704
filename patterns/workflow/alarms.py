"""The alarms of :class:`~patterns.workflow.Workflow` (failed, timed-out, throttled and aborted
executions; undelivered failure notifications) and :class:`~patterns.workflow.WorkflowActivity`
(timed-out tasks, missing heartbeats, tasks waiting for workers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs

from patterns.core.deferred import deferred
from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration, is_unresolved

if TYPE_CHECKING:
    from patterns.workflow.activity import WorkflowActivity
    from patterns.workflow.construct import Workflow

__all__ = [
    "ALARM_PERIOD",
    "add_activity_alarms",
    "add_execution_alarms",
    "add_failure_notification_alarm",
    "metric_options",
]

#: The period of every metric the alarms use.
ALARM_PERIOD = deferred(Duration, "minutes", 5)


def metric_options(options: dict[str, Any], *, statistic: str = "Sum") -> dict[str, Any]:
    """``options`` over the alarms' defaults: ``statistic`` per 5 minutes."""
    return {"period": ALARM_PERIOD, "statistic": statistic, **options}


def add_execution_alarms(flow: Workflow, monitoring: Monitoring) -> None:
    """``ExecutionsFailed``, ``ExecutionsTimedOut``, ``ExecutionsThrottled`` and
    ``ExecutionsAborted``: any such execution in 5 minutes."""
    path = flow.node.path
    for name, metric, description in (
        (
            "ExecutionsFailed",
            flow.metric_failed(),
            f"{path}: executions failed. See the log group for the error.",
        ),
        (
            "ExecutionsTimedOut",
            flow.metric_timed_out(),
            f"{path}: executions ran longer than the workflow timeout "
            f"({format_duration(flow.timeout)}).",
        ),
        (
            "ExecutionsThrottled",
            flow.metric_throttled(),
            f"{path}: StartExecution or state transitions were throttled; "
            "request a quota increase or smooth the start rate.",
        ),
        (
            "ExecutionsAborted",
            flow.metric_aborted(),
            f"{path}: executions were stopped (aborted) before finishing.",
        ),
    ):
        monitoring.alarm(name, metric=metric, threshold=0, description=description)


def add_failure_notification_alarm(
    flow: Workflow, monitoring: Monitoring, dead_letter_queue: sqs.IQueue
) -> None:
    """``FailureDlqNotEmpty``: a failure notification could not be published."""
    monitoring.queue_not_empty(
        "FailureDlqNotEmpty",
        dead_letter_queue,
        description=(
            f"{flow.node.path}: failure notifications could not be published to the "
            "failure topic (check its key policy); they wait in the DLQ for 14 days."
        ),
    )


def add_activity_alarms(
    activity: WorkflowActivity,
    monitoring: Monitoring,
    *,
    schedule_time_alarm_threshold: Duration,
) -> None:
    """``TimedOut``, ``HeartbeatTimedOut`` and ``WaitingForWorkers`` (a task waited longer
    than the threshold for a worker; none for a threshold from a parameter)."""
    path = activity.node.path
    for name, metric, description in (
        (
            "TimedOut",
            activity.metric_timed_out(),
            f"{path}: activity tasks were not finished within "
            f"{format_duration(activity.task_timeout)}.",
        ),
        (
            "HeartbeatTimedOut",
            activity.metric_heartbeat_timed_out(),
            f"{path}: workers stopped sending heartbeats for "
            f"{format_duration(activity.heartbeat_timeout)} (crashed or stuck workers).",
        ),
    ):
        monitoring.alarm(name, metric=metric, threshold=0, description=description)
    if is_unresolved(schedule_time_alarm_threshold):
        return
    monitoring.alarm(
        "WaitingForWorkers",
        metric=activity.metric_schedule_time(),
        threshold=schedule_time_alarm_threshold.to_milliseconds(),
        description=(
            f"{path}: a task waited more than "
            f"{format_duration(schedule_time_alarm_threshold)} for a worker; "
            "no worker is polling or too few are."
        ),
    )
