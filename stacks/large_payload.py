"""Example: document events of up to 2 GB fanned out through SNS with the body in S3.

``TopicFanOut(large_payloads=True)`` adds the payload bucket. The producer publishes with
``patterns.large_payload.publish_large_message`` (bodies above 256 KiB go to S3, the message
carries a pointer); each consumer reads with ``receive_and_resolve`` / ``resolve_record``.
The objects are shared by both queues, so consumers do not delete them: they expire with the
bucket's lifecycle rule once no queue (or DLQ) can still hold a pointer.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from constructs import Construct

from patterns.core.monitoring import create_alarm_topic
from patterns.core.nag import acknowledge
from patterns.fan_out import QueueOptions, TopicFanOut

__all__ = ["LargePayloadExampleStack"]


class LargePayloadExampleStack(cdk.Stack):
    """A fan-out of large documents: a payload bucket, a producer role and two consumers."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        self.fan_out = TopicFanOut(
            self,
            "Documents",
            queues={
                "indexer": QueueOptions(raw_message_delivery=True),
                "archiver": QueueOptions(
                    raw_message_delivery=True, retention_period=Duration.days(7)
                ),
            },
            large_payloads=True,
            alarm_topic=alarm_topic,
        )
        assert self.fan_out.payload_bucket is not None
        payload_objects = self.resolve(self.fan_out.payload_bucket.bucket.bucket_arn)

        self.producer_role = iam.Role(
            self,
            "ProducerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Publishes document events; stores bodies above 256 KiB in S3",
        )
        self.fan_out.grant_publish(self.producer_role)
        self.consumer_roles: dict[str, iam.Role] = {}
        for name in self.fan_out.queues:
            role = iam.Role(
                self,
                f"{name.capitalize()}Role",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"Consumes the {name} queue and reads offloaded bodies",
            )
            self.fan_out.grant_consume(role, name)
            self.consumer_roles[name] = role
        for role in (self.producer_role, *self.consumer_roles.values()):
            acknowledge(
                role,
                "AwsSolutions::AwsSolutions-IAM5[Resource::<"
                + payload_objects["Fn::GetAtt"][0]
                + ".Arn>/*]",
                "Offloaded bodies are stored under random UUID keys chosen per message, so "
                "producers and consumers need every object of the payload bucket (and only "
                "of that bucket).",
            )
        cdk.CfnOutput(self, "TopicArn", value=self.fan_out.topic.topic_arn)
        cdk.CfnOutput(self, "PayloadBucketName", value=self.fan_out.payload_bucket.bucket_name)
        for name, queue in self.fan_out.queues.items():
            cdk.CfnOutput(self, f"{name.capitalize()}QueueUrl", value=queue.queue_url)


EXAMPLES = {"LargePayloadExample": LargePayloadExampleStack}
