"""The alarms of :class:`~patterns.data_tier.ScalableTable`: throttling, system errors and -
provisioned only - capacity utilization, for the table and each GSI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aws_cdk import aws_cloudwatch as cw

from patterns.core.monitoring import Monitoring
from patterns.data_tier.ids import construct_id

if TYPE_CHECKING:
    from patterns.data_tier.table.construct import ScalableTable

__all__ = ["add_table_alarms"]

KINDS = ("Read", "Write")
#: Consecutive 5-minute periods of throttling before the throttle alarms fire: the SDKs retry
#: a throttled request and auto scaling needs a few minutes to react, so one throttled period
#: is not yet a capacity problem.
THROTTLE_PERIODS = 3


def add_table_alarms(
    table: ScalableTable,
    monitoring: Monitoring,
    *,
    global_index_names: Iterable[str],
    capacity_alarm_percent: float,
) -> None:
    """``<Read|Write>ThrottleEvents`` and ``SystemErrors`` of the table, then
    ``<Index><Read|Write>ThrottleEvents`` of each GSI; provisioned, also
    ``[<Index>]<Read|Write>CapacityUtilization``. Each fires after 3 periods of 5 minutes."""
    path = table.node.path
    for kind in KINDS:
        monitoring.alarm(
            f"{kind}ThrottleEvents",
            metric=_throttle_events(table, kind),
            threshold=0,
            evaluation_periods=THROTTLE_PERIODS,
            description=(
                f"{path}: {kind.lower()} requests were throttled for "
                f"{THROTTLE_PERIODS * 5} minutes. "
                + (
                    "Auto scaling is at its maximum or a key is hot (Contributor Insights "
                    "shows it)."
                    if table.provisioned
                    else "A key is hot or the on-demand peak doubled the previous one."
                )
            ),
        )
    monitoring.alarm(
        "SystemErrors",
        metric=table.metric_system_errors(),
        threshold=0,
        evaluation_periods=THROTTLE_PERIODS,
        description=f"{path}: DynamoDB returned HTTP 500 errors (service-side failures).",
    )
    if table.provisioned:
        for kind in KINDS:
            _capacity_alarm(table, monitoring, kind, None, capacity_alarm_percent)
    for name in global_index_names:
        _index_alarms(table, monitoring, name, capacity_alarm_percent)


def _throttle_events(table: ScalableTable, kind: str, index: str | None = None) -> cw.Metric:
    metric = (
        table.metric_read_throttle_events if kind == "Read" else table.metric_write_throttle_events
    )
    return metric(index_name=index)


def _index_alarms(
    table: ScalableTable, monitoring: Monitoring, name: str, capacity_alarm_percent: float
) -> None:
    prefix = construct_id(name)
    for kind in KINDS:
        extra = (
            " Index write throttling also throttles writes to the table." if kind == "Write" else ""
        )
        monitoring.alarm(
            f"{prefix}{kind}ThrottleEvents",
            metric=_throttle_events(table, kind, name),
            threshold=0,
            evaluation_periods=THROTTLE_PERIODS,
            description=(
                f"{table.node.path}: {kind.lower()}s of index {name} were throttled for "
                f"{THROTTLE_PERIODS * 5} minutes.{extra}"
            ),
        )
        if table.provisioned:
            _capacity_alarm(table, monitoring, kind, name, capacity_alarm_percent)


def _capacity_alarm(
    table: ScalableTable,
    monitoring: Monitoring,
    kind: str,
    index: str | None,
    capacity_alarm_percent: float,
) -> None:
    what = "the table" if index is None else f"index {index}"
    monitoring.alarm(
        f"{'' if index is None else construct_id(index)}{kind}CapacityUtilization",
        metric=(
            table.metric_read_capacity_utilization
            if kind == "Read"
            else table.metric_write_capacity_utilization
        )(index_name=index),
        threshold=capacity_alarm_percent,
        evaluation_periods=THROTTLE_PERIODS,
        description=(
            f"{table.node.path}: consumed {kind.lower()} capacity of {what} stayed above "
            f"{capacity_alarm_percent:g}% of provisioned for {THROTTLE_PERIODS * 5} "
            "minutes: auto scaling is at its maximum or cannot keep up. Raise max_capacity."
        ),
    )
