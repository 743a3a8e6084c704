"""The alarms of :class:`~patterns.broker.MessageBroker`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_cloudwatch as cw

from patterns.core.monitoring import Monitoring

if TYPE_CHECKING:
    from patterns.broker.construct import MessageBroker

__all__ = ["add_activemq_alarms", "add_rabbitmq_alarms"]


def add_activemq_alarms(broker: MessageBroker, monitoring: Monitoring) -> None:
    """``HeapUsageHigh`` (above 70%) and ``StoreUsageHigh`` (above 80%) of the busiest broker
    instance, for 15 minutes."""
    for metric_name, alarm, metric, threshold, advice in (
        (
            "HeapUsage",
            "HeapUsageHigh",
            broker.metric_heap_usage(),
            70,
            "above 70% the broker throttles producers; consume faster or use a larger "
            "instance type",
        ),
        (
            "StorePercentUsage",
            "StoreUsageHigh",
            broker.metric_store_usage(),
            80,
            "at 100% producers are blocked; messages are piling up unconsumed",
        ),
    ):
        monitoring.alarm(
            alarm,
            metric=metric,
            threshold=threshold,
            evaluation_periods=3,
            description=(
                f"{broker.node.path}: ActiveMQ {metric_name} above {threshold}% for 15 "
                f"minutes: {advice}."
            ),
        )


def add_rabbitmq_alarms(broker: MessageBroker, monitoring: Monitoring) -> None:
    """``MemoryHigh`` (above 80% of the high watermark) and ``DiskFreeLow`` (below twice the
    free disk limit), for 15 minutes."""
    monitoring.alarm(
        "MemoryHigh",
        metric=broker.metric_memory_usage(),
        threshold=80,
        evaluation_periods=3,
        description=(
            f"{broker.node.path}: RabbitMQ memory above 80% of its high watermark for 15 "
            "minutes; at 100% every publisher is blocked. Consume faster or scale up."
        ),
    )
    monitoring.alarm(
        "DiskFreeLow",
        metric=broker.metric_disk_free(),
        threshold=2,
        comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluation_periods=3,
        description=(
            f"{broker.node.path}: RabbitMQ free disk is below twice its limit; at the limit "
            "every publisher is blocked. Messages are piling up unconsumed."
        ),
    )
