"""The alarms of :class:`~patterns.data_tier.TimeSeriesTables`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns.core.monitoring import Monitoring

if TYPE_CHECKING:
    from patterns.data_tier.time_series.construct import TimeSeriesTables

__all__ = ["add_rotation_alarms"]


def add_rotation_alarms(series: TimeSeriesTables, monitoring: Monitoring) -> None:
    """``RotationErrors`` (any failed invocation in 5 minutes) and ``RotationDlqNotEmpty``
    (an invocation failed after every retry)."""
    alarms = (
        (
            "RotationErrors",
            series.metric_rotation_errors,
            "the table rotation failed; the next period's table may be missing. The "
            "function's log lists every failed step.",
        ),
        (
            "RotationDlqNotEmpty",
            series.metric_dead_letter_messages,
            "rotation invocations failed after every retry.",
        ),
    )
    for name, metric, description in alarms:
        monitoring.alarm(
            name,
            metric=metric(),
            threshold=0,
            description=f"{series.node.path}: {description}",
        )
