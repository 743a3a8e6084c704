"""Example stacks of EventDrivenFunction: EventBridge rules and an SQS consumer of a fan-out."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_events as events
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.lambda_code import handler_code
from patterns.core.monitoring import create_alarm_topic
from patterns.event_function import EventDrivenFunction, FunctionLoad
from patterns.fan_out import QueueOptions, TopicFanOut
from stacks.handlers import HANDLERS

#: Events the example rule matches (what the deploy tier puts on the bus).
ORDER_SOURCE = "scalable-patterns.orders"
ORDER_PLACED = "OrderPlaced"


class EventFunctionExampleStack(cdk.Stack):
    """A custom ``orders`` bus whose OrderPlaced events invoke a function (target DLQ, retry
    policy, 30-day archive for replay), plus a nightly scheduled function on the default bus."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.bus = events.EventBus(self, "OrdersBus", description="Order events")
        self.order_placed = EventDrivenFunction(
            self,
            "OrderPlaced",
            code=handler_code(HANDLERS / "event_handler.py"),
            handler="event_handler.handler",
            description="Handles OrderPlaced events of the orders bus",
            event_bus=self.bus,
            event_pattern=events.EventPattern(source=[ORDER_SOURCE], detail_type=[ORDER_PLACED]),
            rule_retry_attempts=8,
            rule_max_event_age=Duration.hours(2),
            archive_retention=Duration.days(30),
            reserved_concurrency=10,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self.nightly = EventDrivenFunction(
            self,
            "Nightly",
            code=handler_code(HANDLERS / "event_handler.py"),
            handler="event_handler.handler",
            description="Nightly housekeeping at 03:00 UTC",
            schedule=events.Schedule.cron(minute="0", hour="3"),
            reserved_concurrency=1,
            async_retry_attempts=1,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        cdk.CfnOutput(self, "EventBusName", value=self.bus.event_bus_name)
        cdk.CfnOutput(
            self, "OrderPlacedFunctionName", value=self.order_placed.function.function_name
        )
        for name, fn in (("OrderPlaced", self.order_placed), ("Nightly", self.nightly)):
            assert fn.dead_letter_queue is not None and fn.rule_dead_letter_queue is not None
            cdk.CfnOutput(self, f"{name}DlqUrl", value=fn.dead_letter_queue.queue_url)
            cdk.CfnOutput(self, f"{name}RuleDlqUrl", value=fn.rule_dead_letter_queue.queue_url)


class QueueConsumerExampleStack(cdk.Stack):
    """An SQS -> Lambda consumer of a TopicFanOut queue, with partial batch responses."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        consumer_timeout = Duration.seconds(30)
        self.fan_out = TopicFanOut(
            self,
            "OrderEvents",
            queues={
                "fulfilment": QueueOptions(
                    consumer_timeout=consumer_timeout,
                    visibility_timeout=Duration.minutes(3),
                    max_receive_count=3,
                    filter_policy={
                        "event_type": sns.SubscriptionFilter.string_filter(
                            allowlist=["order_placed"]
                        )
                    },
                )
            },
            alarm_topic=alarm_topic,
        )
        self.consumer = EventDrivenFunction(
            self,
            "FulfilmentConsumer",
            code=handler_code(HANDLERS / "queue_consumer.py"),
            handler="queue_consumer.handler",
            description="Consumes the fulfilment queue of the order-events fan-out",
            timeout=consumer_timeout,
            queue=self.fan_out.queues["fulfilment"],
            batch_size=10,
            max_batching_window=Duration.seconds(5),
            max_concurrency=5,
            reserved_concurrency=10,
            # 20 messages/s in batches of 10 taking 2 s: 4 concurrent batches (max 5 is enough)
            load=FunctionLoad(requests_per_second=20, average_duration=Duration.seconds(2)),
            alarm_topic=alarm_topic,
        )
        cdk.CfnOutput(self, "TopicArn", value=self.fan_out.topic.topic_arn)
        cdk.CfnOutput(self, "QueueUrl", value=self.fan_out.queues["fulfilment"].queue_url)
        cdk.CfnOutput(self, "DlqUrl", value=self.fan_out.dead_letter_queues["fulfilment"].queue_url)
        cdk.CfnOutput(self, "ConsumerFunctionName", value=self.consumer.function.function_name)


EXAMPLES = {
    "EventFunctionExample": EventFunctionExampleStack,
    "QueueConsumerExample": QueueConsumerExampleStack,
}
