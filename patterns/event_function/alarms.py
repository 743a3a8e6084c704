"""The alarms of :class:`~patterns.event_function.EventDrivenFunction`: errors, throttles and
the DLQs of the function, rule ``FailedInvocations`` and the age of a source queue's oldest
message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs

from patterns.core.deferred import deferred
from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration, is_unresolved

if TYPE_CHECKING:
    from patterns.event_function.construct import EventDrivenFunction

__all__ = [
    "ALARM_PERIOD",
    "add_function_alarms",
    "add_queue_alarm",
    "add_rule_alarms",
    "metric_options",
]

#: The period of every metric the alarms use.
ALARM_PERIOD = deferred(Duration, "minutes", 5)


def metric_options(options: dict[str, Any], *, statistic: str) -> dict[str, Any]:
    """``options`` over the alarms' defaults: ``statistic`` per 5 minutes."""
    return {"period": ALARM_PERIOD, "statistic": statistic, **options}


def add_rule_alarms(
    fn: EventDrivenFunction, monitoring: Monitoring, rule_dead_letter_queue: sqs.IQueue
) -> None:
    """``RuleFailedInvocations`` (EventBridge gave up on an event) and ``RuleDlqNotEmpty``."""
    path = fn.node.path
    monitoring.alarm(
        "RuleFailedInvocations",
        metric=fn.metric_failed_invocations(),
        threshold=0,
        description=(
            f"{path}: EventBridge gave up delivering events to the function; "
            "they are in the rule DLQ."
        ),
    )
    monitoring.queue_not_empty(
        "RuleDlqNotEmpty",
        rule_dead_letter_queue,
        description=f"{path}: events EventBridge could not deliver are waiting.",
    )


def add_queue_alarm(
    fn: EventDrivenFunction, monitoring: Monitoring, *, queue_age_alarm_threshold: Duration
) -> None:
    """``QueueOldestMessageAge``: the source queue's oldest message is older than the
    threshold (none for a threshold from a parameter)."""
    if is_unresolved(queue_age_alarm_threshold):
        return
    monitoring.alarm(
        "QueueOldestMessageAge",
        metric=fn.metric_queue_oldest_message_age(),
        threshold=queue_age_alarm_threshold.to_seconds(integral=False),
        description=(
            f"{fn.node.path}: the oldest message of the source queue is older than "
            f"{format_duration(queue_age_alarm_threshold)}; the consumer is behind, "
            "throttled or failing."
        ),
    )


def add_function_alarms(fn: EventDrivenFunction, monitoring: Monitoring) -> None:
    """``Errors``, ``Throttles`` and, for asynchronous invocations, ``DlqNotEmpty``."""
    path = fn.node.path
    monitoring.alarm(
        "Errors",
        metric=fn.metric_errors(),
        threshold=0,
        description=f"{path}: invocations failed. See the function's log group.",
    )
    monitoring.alarm(
        "Throttles",
        metric=fn.metric_throttles(),
        threshold=0,
        description=(
            f"{path}: invocations were throttled (reserved or account concurrency reached)."
        ),
    )
    if fn.dead_letter_queue is not None:
        monitoring.queue_not_empty(
            "DlqNotEmpty",
            fn.dead_letter_queue,
            description=(
                f"{path}: asynchronous invocations failed every retry and are "
                "in the DLQ (kept 14 days)."
            ),
        )
