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
    alarms = (
        (
            "CpuUtilization",
            cache.metric_cpu_utilization,
            cpu_alarm_percent,
            f"average DAX node CPU stayed above {cpu_alarm_percent:g}% for 15 minutes; add "
            "nodes (reads) or use a larger node type.",
        ),
        (
            "ErrorRequestCount",
            cache.metric_error_request_count,
            0,
            "DAX requests failed with errors for 15 minutes.",
        ),
        (
            "ThrottledRequestCount",
            cache.metric_throttled_request_count,
            0,
            "DAX throttled requests for 15 minutes (the cluster or the table behind it is at "
            "capacity).",
        ),
    )
    for name, metric, threshold, description in alarms:
        monitoring.alarm(
            name,
            metric=metric(),
            threshold=threshold,
            evaluation_periods=EVALUATION_PERIODS,
            description=f"{cache.node.path}: {description}",
        )
