"""The alarms of :class:`~patterns.stream_ingest.StreamToS3Pipeline`: consumer lag (iterator
age as a share of the retention), throttling on both sides of the stream, delivery freshness."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration

from patterns.core.deferred import deferred
from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration, is_unresolved

if TYPE_CHECKING:
    from patterns.stream_ingest.construct import StreamToS3Pipeline

__all__ = [
    "ALARM_PERIOD",
    "FRESHNESS_MARGIN",
    "THROTTLE_PERIODS",
    "add_pipeline_alarms",
    "default_freshness_threshold",
]

#: The period of every metric the alarms watch.
ALARM_PERIOD = deferred(Duration, "minutes", 5)
#: Margin the default freshness threshold adds to the buffering interval: time for the
#: delivery itself and a few retries before anyone is paged.
FRESHNESS_MARGIN = deferred(Duration, "minutes", 10)
#: Consecutive 5-minute periods of throttling before the throughput alarms fire: the SDKs
#: retry a throttled call, so a single throttled period is not yet a capacity problem.
THROTTLE_PERIODS = 3


def default_freshness_threshold(buffering_interval: Duration) -> Duration | None:
    """``buffering_interval`` + 10 minutes; ``None`` when the interval is a token (or invalid)."""
    if isinstance(buffering_interval, Duration) and not is_unresolved(buffering_interval):
        return buffering_interval.plus(FRESHNESS_MARGIN)
    return None


def add_pipeline_alarms(
    pipeline: StreamToS3Pipeline,
    monitoring: Monitoring,
    *,
    retention: Duration,
    iterator_age_alarm_share: float,
    freshness_threshold: Duration | None,
    buffering_interval: Duration,
) -> None:
    """``IteratorAgeHigh``, ``WriteThroughputExceeded``, ``ReadThroughputExceeded`` and
    ``DataFreshnessHigh`` (``freshness_threshold`` ``None``: the default); a warning instead
    of an alarm whose threshold is a token."""
    path = pipeline.node.path
    if freshness_threshold is None:
        freshness_threshold = default_freshness_threshold(buffering_interval)
    if is_unresolved(retention):
        pipeline.warn(
            "stream-ingest:iterator-age",
            "retention is an unresolved token, so no iterator age alarm was created "
            "(its threshold is a share of the retention)",
        )
    else:
        max_age = Duration.seconds(retention.to_seconds() * iterator_age_alarm_share)
        monitoring.alarm(
            "IteratorAgeHigh",
            metric=pipeline.metric_iterator_age(),
            threshold=max_age.to_milliseconds(),
            description=(
                f"The oldest unread record of {path} is older than "
                f"{format_duration(max_age)} ({iterator_age_alarm_share:.0%} of the "
                f"{format_duration(retention)} retention): a consumer is falling behind "
                "and records will expire unread."
            ),
        )
    for name, metric, side, remedy in (
        (
            "WriteThroughputExceeded",
            pipeline.metric_write_provisioned_throughput_exceeded(),
            "Writes to",
            "the stream needs more shards (or producers a better partition key)",
        ),
        (
            "ReadThroughputExceeded",
            pipeline.metric_read_provisioned_throughput_exceeded(),
            "Reads from",
            "the consumers need more shards or enhanced fan-out",
        ),
    ):
        monitoring.alarm(
            name,
            metric=metric,
            threshold=0,
            evaluation_periods=THROTTLE_PERIODS,
            description=(
                f"{side} {path} were throttled for {THROTTLE_PERIODS * 5} minutes: {remedy}."
            ),
        )
    if freshness_threshold is None or is_unresolved(freshness_threshold):
        pipeline.warn(
            "stream-ingest:freshness",
            "the data freshness threshold is an unresolved token (or follows an unresolved "
            "buffering_interval), so no data freshness alarm was created",
        )
        return
    interval = (
        ""
        if is_unresolved(buffering_interval)
        else f" (buffering interval {format_duration(buffering_interval)})"
    )
    monitoring.alarm(
        "DataFreshnessHigh",
        metric=pipeline.metric_delivery_freshness(),
        threshold=freshness_threshold.to_seconds(),
        description=(
            f"Records of {path} wait more than {format_duration(freshness_threshold)} to reach "
            f"S3{interval}: delivery is failing or lagging."
        ),
    )
