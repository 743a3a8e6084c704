"""Example: a clickstream ingested through Kinesis and Firehose into S3.

2,500 records/s of 1.5 KiB (about 3.7 MiB/s) with two applications reading the
stream (the Firehose delivery stream and one real-time consumer), sized by the
planner. Alarms go to a KMS-encrypted, TLS-only topic and onto a dashboard.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core import defaults
from patterns.stream_ingest import StreamToS3Pipeline

__all__ = ["StreamIngestExampleStack"]


class StreamIngestExampleStack(cdk.Stack):
    """A load-sized stream-to-S3 pipeline with an alarm topic and a dashboard."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)

        topic_key = defaults.encryption_key(
            self,
            "AlarmTopicKey",
            description="Encrypts the stream ingest alarm topic",
        )
        # A topic of your own, as a user writes it: the pattern lets CloudWatch use its key
        # and adds the publish statement to its TLS-only policy (core.monitoring).
        alarm_topic = sns.Topic(
            self,
            "AlarmTopic",
            display_name="Stream ingest alarms",
            master_key=topic_key,
            enforce_ssl=True,
        )
        dashboard = cw.Dashboard(self, "Dashboard")

        self.pipeline = StreamToS3Pipeline(
            self,
            "Clickstream",
            records_per_second=2_500,
            average_record_kib=1.5,
            consumers=2,
            retention=cdk.Duration.hours(48),
            buffering_size_mib=128,
            buffering_interval=cdk.Duration.seconds(120),
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )

        cdk.CfnOutput(
            self,
            "StreamName",
            value=self.pipeline.stream.stream_name,
            description="Kinesis data stream producers write to",
        )
        cdk.CfnOutput(
            self,
            "DeliveryStreamName",
            value=self.pipeline.delivery_stream.delivery_stream_name,
            description="Firehose delivery stream that writes the records to S3",
        )
        cdk.CfnOutput(
            self,
            "BucketName",
            value=self.pipeline.bucket.bucket_name,
            description="Bucket holding the delivered records",
        )


#: Example stacks of this module, discovered by ``stacks.EXAMPLE_STACKS``.
EXAMPLES = {"StreamIngestExample": StreamIngestExampleStack}
