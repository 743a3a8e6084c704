"""The alarms of :class:`~patterns.data_tier.TimeSeriesTables`.

Two kinds:

* per live table (the current and the next period's), CloudFormation's alarms that the
  rotation points at the slot's table (:func:`add_table_alarms`): throttled requests and,
  for provisioned tables, consumed capacity against the provisioned capacity. In the
  template their ``TableName`` dimension is a placeholder (``<prefix>-current``), which the
  deployment's rotation run replaces before the deployment finishes; the stack owns them, so
  they go with it (DESTROY or RETAIN alike: an alarm holds no data);
* on the rotation itself (:func:`add_rotation_alarms`): failed invocations, the DLQ, and
  ``RotationNotSucceeded`` - no successful run for the whole alarm window.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

from patterns.core.deferred import deferred
from patterns.core.monitoring import Monitoring
from patterns.data_tier.time_series.props import LIVE_SLOTS
from patterns.data_tier.time_series.validate import rotation_interval

if TYPE_CHECKING:
    from patterns.data_tier.time_series.construct import TimeSeriesTables
    from patterns.data_tier.time_series.props import SeriesProps

__all__ = [
    "MAX_WINDOW_HOURS",
    "TABLE_ALARM_PERIOD",
    "add_rotation_alarms",
    "add_table_alarms",
    "stale_window_hours",
]

#: Period of the per-table alarms.
TABLE_ALARM_PERIOD = deferred(Duration, "minutes", 5)
#: CloudWatch evaluates at most a day of hourly datapoints for an alarm: the longest window
#: of ``RotationNotSucceeded``.
MAX_WINDOW_HOURS = 24


def stale_window_hours(props: SeriesProps) -> int:
    """The window of ``RotationNotSucceeded`` in hours: the pre-warm lead time (a rotation
    that has not succeeded for that long may miss the next table's pre-warm), at least the
    rotation interval, rounded up to hours, 1..24."""
    seconds = props.prewarm_lead_time.to_seconds()
    interval = rotation_interval(props.rotation_schedule)
    if interval is not None:
        seconds = max(seconds, interval)
    return max(1, min(MAX_WINDOW_HOURS, math.ceil(seconds / 3_600)))


def _table_metric(props: SeriesProps, slot: str, name: str, statistic: str) -> cw.Metric:
    return cw.Metric(
        namespace="AWS/DynamoDB",
        metric_name=name,
        dimensions_map={"TableName": props.placeholder_table(slot)},
        statistic=statistic,
        period=TABLE_ALARM_PERIOD,
    )


def add_table_alarms(
    series: TimeSeriesTables, props: SeriesProps, monitoring: Monitoring
) -> dict[str, list[cw.Alarm]]:
    """Per live slot (``Current``, ``Next``): ``<Slot>TableThrottles`` (throttled reads or
    writes in 2 of 3 five-minute periods) and, provisioned, ``<Slot>TableRead/
    WriteUtilization`` (consumed above ``capacity_alarm_percent`` of the provisioned capacity
    for 3 periods). Returns the alarms by slot, for the rotation to point them."""
    by_slot: dict[str, list[cw.Alarm]] = {}
    for slot in LIVE_SLOTS:
        title = slot.capitalize()
        throttles = cw.MathExpression(
            expression="FILL(r, 0) + FILL(w, 0)",
            using_metrics={
                "r": _table_metric(props, slot, "ReadThrottleEvents", "Sum"),
                "w": _table_metric(props, slot, "WriteThrottleEvents", "Sum"),
            },
            label="throttled requests",
            period=TABLE_ALARM_PERIOD,
        )
        alarms: list[cw.Alarm | None] = [
            monitoring.alarm(
                f"{title}TableThrottles",
                metric=throttles,
                threshold=0,
                evaluation_periods=3,
                datapoints_to_alarm=2,
                description=f"{series.node.path}: the {slot} table throttles requests (the "
                "rotation points this alarm at it).",
            )
        ]
        if props.hot_capacity is not None:
            alarms += [
                _utilization_alarm(series, props, monitoring, slot, k) for k in ("Read", "Write")
            ]
        by_slot[slot] = [a for a in alarms if a is not None]  # None: removed by an override
    return by_slot


def _utilization_alarm(
    series: TimeSeriesTables,
    props: SeriesProps,
    monitoring: Monitoring,
    slot: str,
    kind: str,
) -> cw.Alarm | None:
    utilization = cw.MathExpression(
        expression="100 * c / PERIOD(c) / p",
        using_metrics={
            "c": _table_metric(props, slot, f"Consumed{kind}CapacityUnits", "Sum"),
            "p": _table_metric(props, slot, f"Provisioned{kind}CapacityUnits", "Average"),
        },
        label=f"consumed / provisioned {kind.lower()} capacity (%)",
        period=TABLE_ALARM_PERIOD,
    )
    return monitoring.alarm(
        f"{slot.capitalize()}Table{kind}Utilization",
        metric=utilization,
        threshold=props.capacity_alarm_percent,
        evaluation_periods=3,
        description=f"{series.node.path}: the {slot} table consumes over "
        f"{props.capacity_alarm_percent:g} % of its provisioned {kind.lower()} capacity "
        "(throttling is near: raise the hot capacity).",
    )


def add_rotation_alarms(
    series: TimeSeriesTables, props: SeriesProps, monitoring: Monitoring
) -> None:
    """``RotationErrors`` (any failed invocation in 5 minutes), ``RotationDlqNotEmpty`` (an
    invocation failed after every retry) and ``RotationNotSucceeded`` (no successful run in
    :func:`stale_window_hours`: invocations minus errors, hourly, missing data breaching)."""
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
    hours = stale_window_hours(props)
    hourly = Duration.hours(1)
    successes = cw.MathExpression(
        expression="FILL(invocations, 0) - FILL(errors, 0)",
        using_metrics={
            "invocations": series.function.metric_invocations(period=hourly, statistic="Sum"),
            "errors": series.function.metric_errors(period=hourly, statistic="Sum"),
        },
        label="successful rotations",
        period=hourly,
    )
    monitoring.alarm(
        "RotationNotSucceeded",
        metric=successes,
        threshold=1,
        comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluation_periods=hours,
        datapoints_to_alarm=hours,
        treat_missing_data=cw.TreatMissingData.BREACHING,
        description=f"{series.node.path}: no rotation succeeded in {hours} h; the next "
        "period's table may not be created or pre-warmed in time.",
    )
