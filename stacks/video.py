"""Example: a camera's video stream kept for a week, with a device role and a consumer role.

The device role (assumed by the camera through IoT credentials, say) may only write media; the
analysis role may only read it and open HLS playback sessions.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from constructs import Construct

from patterns.core.monitoring import create_alarm_topic
from patterns.video import VideoIngestStream

__all__ = ["VideoIngestExampleStack"]


class VideoIngestExampleStack(cdk.Stack):
    """One H.264 camera stream with 7 days of retention, alarms and two least-privilege roles."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.video = VideoIngestStream(
            self,
            "FrontDoorCamera",
            retention=Duration.days(7),
            media_type="video/h264",
            device_name="front-door-cam",
            put_media_latency_threshold=Duration.millis(1_500),
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self.device_role = iam.Role(
            self,
            "DeviceRole",
            assumed_by=iam.AccountRootPrincipal(),
            description="Assumed by the camera to write media to its video stream",
        )
        self.video.grant_produce(self.device_role)
        self.analysis_role = iam.Role(
            self,
            "AnalysisRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Reads the camera's media for analysis and HLS playback",
        )
        self.video.grant_consume(self.analysis_role)
        cdk.CfnOutput(self, "StreamName", value=self.video.stream_name)
        cdk.CfnOutput(self, "StreamArn", value=self.video.stream_arn)


EXAMPLES = {"VideoIngestExample": VideoIngestExampleStack}
