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
    path = series.node.path
    monitoring.alarm(
        "RotationErrors",
        metric=series.metric_rotation_errors(),
        threshold=0,
        description=(
            f"{path}: the table rotation failed; the next period's table may be missing. The "
            "function's log lists every failed step."
        ),
    )
    monitoring.alarm(
        "RotationDlqNotEmpty",
        metric=series.metric_dead_letter_messages(),
        threshold=0,
        description=f"{path}: rotation invocations failed after every retry.",
    )
