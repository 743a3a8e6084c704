"""The prop rules of :class:`~patterns.data_tier.TimeSeriesTables`, one function per prop
group.

The tables are created at run time by the rotation function, so what CloudFormation would
reject at deploy time is checked here: a failed ``CreateTable`` would only show after a
successful deploy. Each rule records its problems on the validator it is given and never
raises.
"""

from __future__ import annotations

import re

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_logs as logs

from patterns.core.validation import Validator, format_duration, is_unresolved
from patterns.data_tier import rules
from patterns.data_tier.limits import MAX_CAPACITY, MIN_CAPACITY
from patterns.data_tier.time_series.props import (
    SHORTEST_PERIOD,
    TIME_SERIES_PERIODS,
    SeriesProps,
)
from patterns.data_tier.workload import exclusive_with_workload, workload_problems

__all__ = [
    "MAX_PREFIX",
    "MAX_RETENTION_PERIODS",
    "capacities",
    "naming",
    "prewarm",
    "rotation_interval",
    "series_props",
]

#: Longest label suffix (``-2024-06-03``) and so the longest prefix: names are <= 255.
MAX_PREFIX = 255 - len("-2024-06-03")
MAX_RETENTION_PERIODS = 1_000


def series_props(v: Validator, props: SeriesProps) -> None:
    """Every rule of a :class:`~patterns.data_tier.TimeSeriesTables`' props but the common
    ones (``check_common_props``)."""
    naming(v, props)
    rules.keys(v, props.partition_key, props.sort_key)
    exclusive_with_workload(
        v,
        props.workload,
        {
            "hot_read_capacity": props.hot_read_capacity,
            "hot_write_capacity": props.hot_write_capacity,
        },
    )
    workload_problems(v, props.workload, {})
    capacities(v, props)
    partition_plan(v, props)
    rules.time_to_live_attribute(v, props.time_to_live_attribute)
    rules.booleans(
        v,
        point_in_time_recovery=props.point_in_time_recovery,
        deletion_protection=props.deletion_protection,
    )
    v.implements("dead_letter_key", props.dead_letter_key, "key_arn", what="a kms.IKey")
    v.instance_of(
        "rotation_schedule", props.rotation_schedule, events.Schedule, what="an events.Schedule"
    )
    v.instance_of(
        "log_retention", props.log_retention, logs.RetentionDays, what="a logs.RetentionDays"
    )
    prewarm(v, props)
    v.number_in_range(
        "capacity_alarm_percent", props.capacity_alarm_percent, minimum=1, maximum=100, unit="%"
    )


def naming(v: Validator, props: SeriesProps) -> None:
    """A plain prefix (it names tables at run time), a period, 1..1,000 kept periods."""
    prefix = props.table_prefix
    if is_unresolved(prefix) or not isinstance(prefix, str):
        v.add("table_prefix", "must be a plain string (it names tables at run time)")
    else:
        v.require(
            1 <= len(prefix) <= MAX_PREFIX
            and all(c.isascii() and (c.isalnum() or c in "_-.") for c in prefix),
            "table_prefix",
            f"must be 1-{MAX_PREFIX} letters, digits, '_', '-' or '.', got {prefix!r}",
        )
    v.one_of("period", props.period, TIME_SERIES_PERIODS)
    v.number_in_range(
        "retention_periods",
        props.retention_periods,
        minimum=1,
        maximum=MAX_RETENTION_PERIODS,
        integer=True,
    )


def capacities(v: Validator, props: SeriesProps) -> None:
    """Both hot capacities or neither; plain numbers (the function reads them) of 1..40,000;
    cold at most hot; on-demand, no cold capacity."""
    hot_read, hot_write = props.hot_read_capacity, props.hot_write_capacity
    if (hot_read is None) != (hot_write is None):
        given = "hot_read_capacity" if hot_read is not None else "hot_write_capacity"
        v.add(
            given,
            "needs both hot_read_capacity and hot_write_capacity (provisioned) or neither "
            "(on-demand)",
        )
    for prop, value in (
        ("hot_read_capacity", hot_read),
        ("hot_write_capacity", hot_write),
        ("cold_read_capacity", props.cold_read_capacity),
        ("cold_write_capacity", props.cold_write_capacity),
    ):
        if value is not None and is_unresolved(value):
            v.add(prop, "must be a plain number (the rotation function reads it)")
            continue
        v.number_in_range(prop, value, minimum=MIN_CAPACITY, maximum=MAX_CAPACITY, integer=True)
    for kind, hot, cold in (
        ("read", hot_read, props.cold_read_capacity),
        ("write", hot_write, props.cold_write_capacity),
    ):
        if rules.concrete_number(hot) and rules.concrete_number(cold) and cold > hot:
            v.add(
                f"cold_{kind}_capacity", f"must be at most hot_{kind}_capacity ({hot}), got {cold}"
            )
        if hot_read is None and hot_write is None and props.workload is None and cold != 1:
            v.add(
                f"cold_{kind}_capacity",
                "applies to provisioned tables only (give hot_read_capacity and "
                f"hot_write_capacity); on-demand tables have no capacity, got {cold!r}",
            )


def partition_plan(v: Validator, props: SeriesProps) -> None:
    """The planner's inputs; the hot-key figures need the hot capacities to compare with."""
    rules.plan_inputs(
        v,
        size_gb=("expected_size_gb", props.expected_size_gb),
        key_cardinality=("key_cardinality", props.key_cardinality),
        hot_key_share=("hot_key_share", props.hot_key_share),
    )
    if (
        props.hot_read_capacity is None
        and props.workload is None
        and (props.key_cardinality or props.hot_key_share) is not None
    ):
        v.add(
            "key_cardinality" if props.key_cardinality is not None else "hot_key_share",
            "needs hot_read_capacity and hot_write_capacity (the hot-key check compares "
            "a key's share of them with a partition's limits)",
        )


_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_RATE_SECONDS = {"minute": 60, "hour": 3_600, "day": 86_400}


def rotation_interval(schedule: events.Schedule | None) -> int | None:
    """Seconds between runs of a ``rate(...)`` schedule (the default: an hour); None for a
    cron schedule or a token."""
    if schedule is None:
        return 3_600
    if not isinstance(schedule, events.Schedule):
        return None
    found = _RATE.match(schedule.expression_string)
    if found is None:
        return None
    return int(found[1]) * _RATE_SECONDS[found[2].rstrip("s")]


def prewarm(v: Validator, props: SeriesProps) -> None:
    """``prewarm_lead_time``: a Duration of whole minutes, positive, shorter than the period
    (its shortest length: 28 days for a month), and at least the rotation interval of a rate
    schedule - else no run may fall inside the lead time and the next table switches cold."""
    lead = props.prewarm_lead_time
    if not isinstance(lead, Duration):
        v.add("prewarm_lead_time", f"must be a Duration, got {type(lead).__name__}")
        return
    if is_unresolved(lead.to_seconds()):
        return
    period = SHORTEST_PERIOD.get(props.period) if isinstance(props.period, str) else None
    v.duration_in_range("prewarm_lead_time", lead, minimum=Duration.minutes(1), whole="minutes")
    if period is not None and lead.to_seconds() >= period.to_seconds():
        v.add(
            "prewarm_lead_time",
            f"must be shorter than the period ({props.period}: {format_duration(period)}), "
            f"got {format_duration(lead)}",
        )
    interval = rotation_interval(props.rotation_schedule)
    if interval is not None and 0 < lead.to_seconds() < interval:
        v.add(
            "prewarm_lead_time",
            f"must be at least the rotation interval ({interval // 60} minutes: no run might "
            f"fall inside a shorter lead time), got {format_duration(lead)}; shorten "
            "rotation_schedule or lengthen the lead time",
        )
