"""The alarms of :class:`~patterns.fan_out.TopicFanOut`: per queue, then the topic's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration

from patterns.core.ids import pascal
from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration
from patterns.fan_out.options import QueueOptions

if TYPE_CHECKING:
    from patterns.fan_out.construct import TopicFanOut

__all__ = ["add_queue_alarms", "add_topic_alarms", "age_alarm_threshold"]


def add_queue_alarms(
    fan_out: TopicFanOut, monitoring: Monitoring, name: str, options: QueueOptions
) -> None:
    """``<Name>DlqNotEmpty`` (a message failed its receives) and ``<Name>OldestMessageAge``
    (consumers are behind: the oldest message is older than the threshold)."""
    construct_id = pascal(name)
    path = fan_out.node.path
    monitoring.alarm(
        f"{construct_id}DlqNotEmpty",
        metric=fan_out.metric_dlq_depth(name),
        threshold=0,
        description=(
            f"{path}: messages of the {name} queue failed "
            f"{options.max_receive_count} receives and are in its DLQ (kept 14 days)."
        ),
    )
    threshold = age_alarm_threshold(options)
    if threshold is None or threshold.is_unresolved():
        return
    monitoring.alarm(
        f"{construct_id}OldestMessageAge",
        metric=fan_out.metric_oldest_message_age(name),
        threshold=threshold.to_seconds(),
        description=(
            f"{path}: the oldest message of the {name} queue is older than "
            f"{format_duration(threshold)}; it expires after "
            f"{format_duration(options.retention_period)}. Consumers are behind or stopped."
        ),
    )


def age_alarm_threshold(options: QueueOptions) -> Duration | None:
    """The option, or half the retention period (None when that is a token)."""
    if options.age_alarm_threshold is not None or options.retention_period.is_unresolved():
        return options.age_alarm_threshold
    return Duration.seconds(int(options.retention_period.to_seconds() // 2))


def add_topic_alarms(fan_out: TopicFanOut, monitoring: Monitoring) -> None:
    """``NotificationsFailed`` (SNS could not deliver) and ``UndeliverableDlqNotEmpty``."""
    path = fan_out.node.path
    for name, metric, description in (
        (
            "NotificationsFailed",
            fan_out.metric_number_of_notifications_failed(),
            f"{path}: SNS failed to deliver notifications; they are in the "
            "undeliverable DLQ. Check the subscribers' key and queue policies.",
        ),
        (
            "UndeliverableDlqNotEmpty",
            fan_out.metric_undeliverable_depth(),
            f"{path}: messages SNS could not deliver are waiting.",
        ),
    ):
        monitoring.alarm(name, metric=metric, threshold=0, description=description)
