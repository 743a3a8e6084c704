"""Kinesis Video Streams: ingest video (or audio, or time-encoded data) from devices.

Cameras and other devices send media fragments with ``PutMedia`` (through the producer SDK);
applications read them back live or from the archive (``GetMedia``, HLS playback), or
Rekognition / SageMaker consume the stream. aws-cdk-lib has no L2 for Kinesis Video, so the
pattern puts a typed, validated surface over ``AWS::KinesisVideo::Stream``.

Example::

    camera = VideoIngestStream(self, "FrontDoor", retention=Duration.days(7),
                               device_name="front-door-cam")
    camera.grant_produce(device_role)
    camera.grant_consume(analysis_function)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisvideo as kinesisvideo
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core import defaults
from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import MetricSource, Pattern
from patterns.core.validation import format_duration, is_unresolved
from patterns.video import validate
from patterns.video.alarms import add_ingest_alarms

__all__ = ["VideoIngestStream"]

#: PutMedia calls of a device are long-lived; a period with failures means dropped media.
ALARM_PERIOD = deferred(Duration, "minutes", 5)

PRODUCER_ACTIONS = (
    "kinesisvideo:PutMedia",
    "kinesisvideo:DescribeStream",
    "kinesisvideo:GetDataEndpoint",
)
CONSUMER_ACTIONS = (
    "kinesisvideo:GetMedia",
    "kinesisvideo:GetHLSStreamingSessionURL",
    "kinesisvideo:GetDataEndpoint",
    "kinesisvideo:DescribeStream",
)


_DEFAULT_PUT_MEDIA_LATENCY_THRESHOLD = deferred(Duration, "seconds", 1)
_DEFAULT_RETENTION = deferred(Duration, "hours", 24)


class VideoIngestStream(Pattern):
    """A KMS-encrypted Kinesis video stream with least-privilege grants and ingest alarms.

    Alarms (namespace ``AWS/KinesisVideo``, dimension ``StreamName``): ``PutMediaErrors`` when
    the average of ``PutMedia.Success`` (1 per successful, 0 per failed request) drops below
    ``min_put_media_success_rate`` in a 5-minute period, and ``PutMediaLatencyHigh`` when the
    average ``PutMedia.Latency`` (connection set-up) exceeds ``put_media_latency_threshold``
    for 3 periods. With no producer connected there is no data and no alarm.

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``PutMediaErrors`` and
    ``PutMediaLatencyHigh`` (not when the latency threshold is a token).

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        retention: how long fragments are kept for playback and later reads, in whole hours
            (0 .. 87,600 h). ``Duration.hours(0)`` keeps nothing: consumers must read live.
            Default 24 hours.
        media_type: MIME type(s) of the content, for consumers (``video/h264``,
            ``video/h265``, ``audio/aac``, comma-separated for several tracks).
            Default ``video/h264``.
        device_name: name of the device that writes to the stream. Default: none.
        stream_name: physical stream name (1-256 letters, digits, ``_.-``). Default: generated
            by CloudFormation (recommended).
        encryption_key: the KMS key of the stored media. Default: a new customer-managed key
            with yearly rotation (the service default is the AWS managed
            ``aws/kinesisvideo`` key, whose use cannot be limited by a key policy).
        removal_policy: of the stream and a created key. Default RETAIN; DESTROY for dev.
        min_put_media_success_rate: the success-rate alarm fires below this share of
            successful ``PutMedia`` requests (0 < rate <= 1). Default 1 (any failure).
        put_media_latency_threshold: the latency alarm fires above this average ``PutMedia``
            connection latency (1 ms .. 60 s). Default 1 second.
        alarm_topic: notified on ALARM and OK. Default: none.
        dashboard: a dashboard to add the alarm widgets to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        retention: Duration = _DEFAULT_RETENTION,
        media_type: str = "video/h264",
        device_name: str | None = None,
        stream_name: str | None = None,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        min_put_media_success_rate: float = 1.0,
        put_media_latency_threshold: Duration = _DEFAULT_PUT_MEDIA_LATENCY_THRESHOLD,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        v = self.validator()
        validate.retention(v, retention)
        validate.names(v, media_type=media_type, device_name=device_name, stream_name=stream_name)
        validate.alarm_thresholds(
            v,
            min_put_media_success_rate=min_put_media_success_rate,
            put_media_latency_threshold=put_media_latency_threshold,
        )
        v.raise_if_invalid()

        self.encryption_key: kms.IKey = encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=f"Encrypts the media stored by the video stream {self.node.path}",
            removal_policy=removal_policy,
        )
        self.stream = kinesisvideo.CfnStream(
            self,
            "Resource",
            name=stream_name,
            data_retention_in_hours=retention.to_hours(),
            media_type=media_type,
            device_name=device_name,
            kms_key_id=self.encryption_key.key_arn,
        )
        self.stream.apply_removal_policy(removal_policy)
        self.stream_arn: str = self.stream.attr_arn
        self.stream_name: str = self.stream.ref

        monitoring = self.start_monitoring()
        add_ingest_alarms(
            self,
            monitoring,
            min_put_media_success_rate=min_put_media_success_rate,
            put_media_latency_threshold=put_media_latency_threshold,
        )
        monitoring.finish(f"Video ingest {self.node.path}")
        self.record_capacity(_retention_summary(retention))

    # -- public API ------------------------------------------------------------------------
    def metric_source(self) -> MetricSource:
        """``AWS/KinesisVideo`` by ``StreamName``, 5-minute periods, ``Average``."""
        return MetricSource(
            namespace="AWS/KinesisVideo",
            dimensions={"StreamName": self.stream_name},
            statistic="Average",
            period=ALARM_PERIOD,
        )

    def metric_put_media_success(self, **options: Any) -> cw.Metric:
        """Average ``PutMedia.Success``: the share of successful ``PutMedia`` requests."""
        return self.metric("PutMedia.Success", **options)

    def metric_put_media_latency(self, **options: Any) -> cw.Metric:
        """Average ``PutMedia.Latency`` (connection set-up), in milliseconds."""
        return self.metric("PutMedia.Latency", **options)

    def grant_produce(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let a device write media: PutMedia, DescribeStream, GetDataEndpoint; encrypt."""
        self.encryption_key.grant(grantee, "kms:GenerateDataKey")
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=list(PRODUCER_ACTIONS), resource_arns=[self.stream_arn]
        )

    def grant_consume(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let an application read media: GetMedia, HLS playback, GetDataEndpoint,
        DescribeStream; decrypt."""
        self.encryption_key.grant(grantee, "kms:Decrypt")
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=list(CONSUMER_ACTIONS), resource_arns=[self.stream_arn]
        )


def _retention_summary(retention: Duration) -> str:
    """The review-table line."""
    if is_unresolved(retention):
        return "video stream, retention from a parameter"
    if retention.to_hours() == 0:
        return "video stream, no retention (live only)"
    return f"video stream, retention {format_duration(retention)}"
