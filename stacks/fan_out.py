"""Example stacks of TopicFanOut: a standard order-events fan-out and a FIFO ledger fan-out."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns import QueueOptions, TopicFanOut
from patterns.core.monitoring import create_alarm_topic


class FanOutExampleStack(cdk.Stack):
    """Order events fanned out to billing (filtered), audit (raw, 14 days) and analytics."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.fan_out = TopicFanOut(
            self,
            "OrderEvents",
            queues={
                "billing": QueueOptions(
                    max_receive_count=3,
                    consumer_timeout=Duration.seconds(30),
                    visibility_timeout=Duration.minutes(3),
                    filter_policy={
                        "event_type": sns.SubscriptionFilter.string_filter(
                            allowlist=["order_placed", "order_cancelled"]
                        )
                    },
                ),
                "audit": QueueOptions(
                    raw_message_delivery=True,
                    retention_period=Duration.days(14),
                ),
                "analytics": QueueOptions(
                    age_alarm_threshold=Duration.minutes(30),
                ),
            },
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        cdk.CfnOutput(self, "TopicArn", value=self.fan_out.topic.topic_arn)
        for name, queue in self.fan_out.queues.items():
            cdk.CfnOutput(self, f"{name.capitalize()}QueueUrl", value=queue.queue_url)
            cdk.CfnOutput(
                self,
                f"{name.capitalize()}DlqUrl",
                value=self.fan_out.dead_letter_queues[name].queue_url,
            )


class FifoFanOutExampleStack(cdk.Stack):
    """A FIFO fan-out: ledger entries in order per account, de-duplicated by content."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        self.fan_out = TopicFanOut(
            self,
            "LedgerEvents",
            fifo=True,
            content_based_deduplication=True,
            shared_key=True,
            queues={
                "ledger": QueueOptions(max_receive_count=5, raw_message_delivery=True),
                "notifications": QueueOptions(max_receive_count=2),
            },
            alarm_topic=alarm_topic,
        )
        cdk.CfnOutput(self, "TopicArn", value=self.fan_out.topic.topic_arn)
        for name, queue in self.fan_out.queues.items():
            cdk.CfnOutput(self, f"{name.capitalize()}QueueUrl", value=queue.queue_url)
            cdk.CfnOutput(
                self,
                f"{name.capitalize()}DlqUrl",
                value=self.fan_out.dead_letter_queues[name].queue_url,
            )


EXAMPLES = {
    "FanOutExample": FanOutExampleStack,
    "FifoFanOutExample": FifoFanOutExampleStack,
}
