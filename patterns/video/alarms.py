"""The alarms of :class:`~patterns.video.VideoIngestStream`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration, is_unresolved

if TYPE_CHECKING:
    from patterns.video.construct import VideoIngestStream

__all__ = ["add_ingest_alarms"]


def add_ingest_alarms(
    stream: VideoIngestStream,
    monitoring: Monitoring,
    *,
    min_put_media_success_rate: float,
    put_media_latency_threshold: Duration,
) -> None:
    """``PutMediaErrors`` (success rate below the minimum in 5 minutes) and
    ``PutMediaLatencyHigh`` (average connection latency above the threshold for 15 minutes)."""
    path = stream.node.path
    monitoring.alarm(
        "PutMediaErrors",
        metric=stream.metric_put_media_success(),
        threshold=min_put_media_success_rate,
        comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        description=(
            f"{path}: fewer than {min_put_media_success_rate:.0%} of PutMedia "
            "requests succeeded in 5 minutes; devices are losing media (check credentials, "
            "KMS permissions and the producer SDK logs)."
        ),
    )
    if not is_unresolved(put_media_latency_threshold):
        monitoring.alarm(
            "PutMediaLatencyHigh",
            metric=stream.metric_put_media_latency(),
            threshold=put_media_latency_threshold.to_milliseconds(),
            evaluation_periods=3,
            description=(
                f"{path}: PutMedia connections take more than "
                f"{format_duration(put_media_latency_threshold)} on average for 15 minutes; "
                "producers buffer and may drop fragments."
            ),
        )
