"""The alarms of :class:`~patterns.stream_analytics.StreamAnalytics`: the job is down, its
checkpoints fail, or it lags behind its source stream."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration

from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration, is_unresolved

if TYPE_CHECKING:
    from patterns.stream_analytics.construct import StreamAnalytics

__all__ = ["add_application_alarms"]


def add_application_alarms(
    analytics: StreamAnalytics, monitoring: Monitoring, *, max_lag: Duration
) -> None:
    """``Downtime`` and ``CheckpointFailures`` (above 0), ``ConsumerLag`` (above ``max_lag``
    for 15 minutes; none when it is a token)."""
    path = analytics.node.path
    for name, metric, description in (
        (
            "Downtime",
            analytics.metric_downtime(),
            f"{path}: the Flink job is failing or restarting (downtime > 0). "
            "Check the application log stream for the exception.",
        ),
        (
            "CheckpointFailures",
            analytics.metric_number_of_failed_checkpoints(),
            f"{path}: checkpoints failed; after a failure the job would replay "
            "from an older state. Check checkpoint duration, backpressure and state size.",
        ),
    ):
        monitoring.alarm(name, metric=metric, threshold=0, description=description)
    if is_unresolved(max_lag):
        return
    monitoring.alarm(
        "ConsumerLag",
        metric=analytics.metric_millis_behind_latest(),
        threshold=max_lag.to_milliseconds(),
        evaluation_periods=3,
        description=(
            f"{path}: the application is more than {format_duration(max_lag)} behind the "
            "newest record of its source stream for 15 minutes; raise parallelism (or let "
            "auto scaling) or fix backpressure."
        ),
    )
