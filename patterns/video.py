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

import re

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisvideo as kinesisvideo
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core import defaults
from patterns.core.monitoring import Monitoring
from patterns.core.review import record_capacity
from patterns.core.validation import Validator, format_duration, is_unresolved

__all__ = ["VideoIngestStream"]

#: Kinesis Video retention: 0 (no archive, live consumption only) to 87,600 hours (10 years).
MAX_RETENTION = Duration.hours(87_600)
#: AWS::KinesisVideo::Stream MediaType: 1-128 characters (CloudFormation resource schema).
MAX_MEDIA_TYPE_LENGTH = 128
_MEDIA_TYPE = re.compile(r"^[\w\-.+]+/[\w\-.+]+(,[\w\-.+]+/[\w\-.+]+)*$")
_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,256}$")
_DEVICE_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,128}$")
#: PutMedia calls of a device are long-lived; a period with failures means dropped media.
ALARM_PERIOD = Duration.minutes(5)

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


class VideoIngestStream(Construct):
    """A KMS-encrypted Kinesis video stream with least-privilege grants and ingest alarms.

    Alarms (namespace ``AWS/KinesisVideo``, dimension ``StreamName``): ``PutMediaErrors`` when
    the average of ``PutMedia.Success`` (1 per successful, 0 per failed request) drops below
    ``min_put_media_success_rate`` in a 5-minute period, and ``PutMediaLatencyHigh`` when the
    average ``PutMedia.Latency`` (connection set-up) exceeds ``put_media_latency_threshold``
    for 3 periods. With no producer connected there is no data and no alarm.

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

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        retention: Duration = Duration.hours(24),
        media_type: str = "video/h264",
        device_name: str | None = None,
        stream_name: str | None = None,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        min_put_media_success_rate: float = 1.0,
        put_media_latency_threshold: Duration = Duration.seconds(1),
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._validate(
            retention=retention,
            media_type=media_type,
            device_name=device_name,
            stream_name=stream_name,
            min_put_media_success_rate=min_put_media_success_rate,
            put_media_latency_threshold=put_media_latency_threshold,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
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

        # -- alarms ------------------------------------------------------------------------
        monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        monitoring.alarm(
            "PutMediaErrors",
            metric=self.metric("PutMedia.Success", statistic="Average"),
            threshold=min_put_media_success_rate,
            comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
            description=(
                f"{self.node.path}: fewer than {min_put_media_success_rate:.0%} of PutMedia "
                "requests succeeded in 5 minutes; devices are losing media (check credentials, "
                "KMS permissions and the producer SDK logs)."
            ),
        )
        if not is_unresolved(put_media_latency_threshold):
            monitoring.alarm(
                "PutMediaLatencyHigh",
                metric=self.metric("PutMedia.Latency", statistic="Average"),
                threshold=put_media_latency_threshold.to_milliseconds(),
                evaluation_periods=3,
                description=(
                    f"{self.node.path}: PutMedia connections take more than "
                    f"{format_duration(put_media_latency_threshold)} on average for 15 minutes; "
                    "producers buffer and may drop fragments."
                ),
            )
        self.alarms: dict[str, cw.Alarm] = monitoring.alarms
        monitoring.finish(f"Video ingest {self.node.path}")
        if is_unresolved(retention):
            record_capacity(self, "video stream, retention from a parameter")
        elif retention.to_hours() == 0:
            record_capacity(self, "video stream, no retention (live only)")
        else:
            record_capacity(self, f"video stream, retention {format_duration(retention)}")

    # -- public API ------------------------------------------------------------------------
    def metric(self, metric_name: str, *, statistic: str = "Average") -> cw.Metric:
        """A 5-minute ``AWS/KinesisVideo`` metric of this stream (``PutMedia.IncomingBytes``...)."""
        return cw.Metric(
            namespace="AWS/KinesisVideo",
            metric_name=metric_name,
            dimensions_map={"StreamName": self.stream_name},
            statistic=statistic,
            period=ALARM_PERIOD,
        )

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

    # -- validation ------------------------------------------------------------------------
    def _validate(
        self,
        *,
        retention: Duration,
        media_type: str,
        device_name: str | None,
        stream_name: str | None,
        min_put_media_success_rate: float,
        put_media_latency_threshold: Duration,
        encryption_key: kms.IKey | None,
        removal_policy: RemovalPolicy,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
    ) -> None:
        v = Validator(self)
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        v.duration_in_range(
            "retention", retention, minimum=Duration.hours(0), maximum=MAX_RETENTION
        )
        if (
            isinstance(retention, Duration)
            and not is_unresolved(retention)
            and not float(retention.to_seconds(integral=False) / 3_600).is_integer()
        ):
            v.add("retention", f"must be a whole number of hours, got {format_duration(retention)}")
        if v.text("media_type", media_type):
            if not _MEDIA_TYPE.match(media_type):
                v.add(
                    "media_type",
                    "must be type/subtype[,type/subtype...] (e.g. 'video/h264'), "
                    f"got {media_type!r}",
                )
            elif len(media_type) > MAX_MEDIA_TYPE_LENGTH:
                v.add(
                    "media_type",
                    f"must be at most {MAX_MEDIA_TYPE_LENGTH} characters, got {len(media_type)}",
                )
        if v.text("device_name", device_name) and not _DEVICE_NAME.match(str(device_name)):
            v.add(
                "device_name",
                f"must be 1-128 letters, digits, '_', '.' or '-', got {device_name!r}",
            )
        if v.text("stream_name", stream_name) and not _NAME.match(str(stream_name)):
            v.add(
                "stream_name",
                f"must be 1-256 letters, digits, '_', '.' or '-', got {stream_name!r}",
            )
        v.number_in_range(
            "min_put_media_success_rate", min_put_media_success_rate, minimum=0, maximum=1
        )
        if (
            isinstance(min_put_media_success_rate, int | float)
            and not isinstance(min_put_media_success_rate, bool)
            and min_put_media_success_rate == 0
        ):
            v.add("min_put_media_success_rate", "must be above 0 (0 would never alarm), got 0")
        v.duration_in_range(
            "put_media_latency_threshold",
            put_media_latency_threshold,
            minimum=Duration.millis(1),
            maximum=Duration.seconds(60),
        )
        v.raise_if_invalid()
