"""Example: page views per minute, computed by Flink from the clickstream ingest pipeline.

The ``StreamToS3Pipeline`` delivers the raw clickstream to S3; a PyFlink application
(``stacks/assets/flink/page_counts``) reads the same stream and writes per-page counts per
minute to a results bucket. The application starts in the READY state: start it after adding
the Kinesis connector JAR to the code (see the job's docstring).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from constructs import Construct

from patterns.core import defaults
from patterns.core.monitoring import create_alarm_topic
from patterns.stream_analytics import StreamAnalytics
from patterns.stream_ingest import StreamToS3Pipeline

__all__ = ["StreamAnalyticsExampleStack"]

JOB = Path(__file__).parent / "assets" / "flink" / "page_counts"
KINESIS_CONNECTOR = "lib/flink-sql-connector-kinesis-5.0.0-1.20.jar"


class StreamAnalyticsExampleStack(cdk.Stack):
    """Clickstream pipeline plus a Flink application counting page views per minute."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.pipeline = StreamToS3Pipeline(
            self,
            "Clickstream",
            records_per_second=1_000,
            average_record_kib=1,
            consumers=2,  # Firehose and the Flink application
            alarm_topic=alarm_topic,
        )
        results_key = defaults.encryption_key(
            self, "ResultsKey", description="Encrypts the page view counts"
        )
        self.results = defaults.secure_bucket(self, "Results", encryption_key=results_key)
        self.analytics = StreamAnalytics(
            self,
            "PageCounts",
            source=self.pipeline,
            code_asset_path=str(JOB),
            python_entry="main.py",
            jar_file=KINESIS_CONNECTOR,
            parallelism=2,
            parallelism_per_kpu=1,
            checkpoint_interval=Duration.seconds(60),
            properties={"sink": {"path": f"s3a://{self.results.bucket_name}/page-counts/"}},
            sink_buckets=[self.results],
            max_lag=Duration.minutes(2),
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        cdk.CfnOutput(self, "ApplicationName", value=self.analytics.application_name)
        cdk.CfnOutput(self, "ResultsBucket", value=self.results.bucket_name)


EXAMPLES = {"StreamAnalyticsExample": StreamAnalyticsExampleStack}
