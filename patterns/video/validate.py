"""The prop rules of :class:`~patterns.video.VideoIngestStream`, one function per prop group.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once.
"""

from __future__ import annotations

import re

from aws_cdk import Duration

from patterns.core.deferred import deferred
from patterns.core.validation import Validator, format_duration, is_unresolved

__all__ = ["MAX_MEDIA_TYPE_LENGTH", "MAX_RETENTION", "alarm_thresholds", "names", "retention"]

#: Kinesis Video retention: 0 (no archive, live consumption only) to 87,600 hours (10 years).
MAX_RETENTION = deferred(Duration, "hours", 87_600)
#: AWS::KinesisVideo::Stream MediaType: 1-128 characters (CloudFormation resource schema).
MAX_MEDIA_TYPE_LENGTH = 128
_MEDIA_TYPE = re.compile(r"^[\w\-.+]+/[\w\-.+]+(,[\w\-.+]+/[\w\-.+]+)*$")
_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,256}$")
_DEVICE_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,128}$")


def retention(v: Validator, value: Duration) -> None:
    """0 .. 87,600 hours, in whole hours (``DataRetentionInHours``)."""
    v.duration_in_range("retention", value, minimum=Duration.hours(0), maximum=MAX_RETENTION)
    if (
        isinstance(value, Duration)
        and not is_unresolved(value)
        and not float(value.to_seconds(integral=False) / 3_600).is_integer()
    ):
        v.add("retention", f"must be a whole number of hours, got {format_duration(value)}")


def names(
    v: Validator, *, media_type: str, device_name: str | None, stream_name: str | None
) -> None:
    """The MIME type(s), device name and stream name Kinesis Video accepts."""
    if v.text("media_type", media_type):
        if not _MEDIA_TYPE.match(media_type):
            v.add(
                "media_type",
                f"must be type/subtype[,type/subtype...] (e.g. 'video/h264'), got {media_type!r}",
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


def alarm_thresholds(
    v: Validator, *, min_put_media_success_rate: float, put_media_latency_threshold: Duration
) -> None:
    """0 < success rate <= 1; latency 1 ms .. 60 s."""
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
