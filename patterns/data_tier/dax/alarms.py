"""The alarms of :class:`~patterns.data_tier.DaxCache`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns.core.monitoring import Monitoring

if TYPE_CHECKING:
    from patterns.data_tier.dax.construct import DaxCache

__all__ = ["add_cache_alarms"]

#: Consecutive 5-minute periods before a DAX alarm fires.
EVALUATION_PERIODS = 3


def add_cache_alarms(cache: DaxCache, monitoring: Monitoring, *, cpu_alarm_percent: float) -> None:
    """``CpuUtilization`` (average node CPU above the threshold), ``ErrorRequestCount`` and
    ``ThrottledRequestCount`` (any), each for 15 minutes."""
    path = cache.node.path
    monitoring.alarm(
        "CpuUtilization",
        metric=cache.metric_cpu_utilization(),
        threshold=cpu_alarm_percent,
        evaluation_periods=EVALUATION_PERIODS,
        description=(
            f"{path}: average DAX node CPU stayed above {cpu_alarm_percent:g}% for 15 "
            "minutes; add nodes (reads) or use a larger node type."
        ),
    )
    monitoring.alarm(
        "ErrorRequestCount",
        metric=cache.metric_error_request_count(),
        threshold=0,
        evaluation_periods=EVALUATION_PERIODS,
        description=f"{path}: DAX requests failed with errors for 15 minutes.",
    )
    monitoring.alarm(
        "ThrottledRequestCount",
        metric=cache.metric_throttled_request_count(),
        threshold=0,
        evaluation_periods=EVALUATION_PERIODS,
        description=(
            f"{path}: DAX throttled requests for 15 minutes (the cluster or the table "
            "behind it is at capacity)."
        ),
    )
