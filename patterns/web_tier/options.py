"""Value objects of :class:`~patterns.web_tier.ScalableWebTier`: capacity and scaling modes.

Each mode is a small frozen dataclass; the construct combines them where EC2 Auto Scaling
allows (scheduled actions, several target tracking policies, step policies and one predictive
policy can all act on one group - the group launches what the largest of them asks for).
Validation lives here as plain functions so the construct reports every problem at once.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Literal

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

from patterns.core.validation import Validator, is_unresolved

__all__ = [
    "Capacity",
    "PredictiveScaling",
    "ScalingStep",
    "ScheduledAction",
    "StepScaling",
    "TargetTracking",
    "cron_problems",
]

#: EC2 Auto Scaling bounds (DefaultInstanceWarmup, EstimatedInstanceWarmup: 0..3600 s;
#: PredictiveScalingConfiguration: SchedulingBufferTime 0..3600 s, MaxCapacityBuffer 0..100 %).
MAX_WARMUP = Duration.hours(1)
MAX_SCHEDULING_BUFFER = Duration.hours(1)
MAX_CAPACITY_BUFFER_PERCENT = 100
#: A step scaling policy holds at most 40 step adjustments (aws-cdk-lib enforces it too).
MAX_STEPS = 40
_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")

TrackedMetric = Literal["cpu", "request_count_per_target", "network_in", "network_out", "custom"]
PredictiveMetric = Literal["cpu", "request_count_per_target", "network_in", "network_out"]
GroupMetric = Literal["cpu", "network_in", "network_out"]
AdjustmentType = Literal["change_in_capacity", "percent_change_in_capacity", "exact_capacity"]


@dataclass(frozen=True, kw_only=True)
class Capacity:
    """How many instances the group may run.

    * **maintain** - ``Capacity.maintain(3)``: min = max = 3, the group replaces unhealthy
      instances and never scales. DesiredCapacity is not written: with min = max it can only
      be that number.
    * **manual** - ``Capacity(min_capacity=2, max_capacity=6, desired_capacity=3)``: the group
      runs ``desired_capacity`` until you change it. DesiredCapacity *is* written, so every
      deploy resets the group to it - do not combine with dynamic scaling.
    * **dynamic / scheduled / predictive** - ``Capacity(min_capacity=2, max_capacity=10)``:
      DesiredCapacity is left out of the template (it starts at min) so a deploy never resets a
      group that scaled out; the scaling options move it between min and max.

    Attributes:
        min_capacity: fewest instances (0..max_capacity).
        max_capacity: most instances (at least 1).
        desired_capacity: manual mode only: the size to run now (min..max). Default: not set.
    """

    min_capacity: int
    max_capacity: int
    desired_capacity: int | None = None

    @classmethod
    def maintain(cls, count: int) -> Capacity:
        """A fixed number of healthy instances (min = max = ``count``)."""
        return cls(min_capacity=count, max_capacity=count)

    @property
    def fixed(self) -> bool:
        return self.min_capacity == self.max_capacity


@dataclass(frozen=True, kw_only=True)
class ScheduledAction:
    """A recurring change of the group's size (e.g. more instances during business hours).

    Attributes:
        name: PascalCase id of the action (``BusinessHours``), unique within the web tier.
        schedule: 5-field Unix cron ``minute hour day-of-month month day-of-week``
            (``"0 8 * * MON-FRI"``), as EC2 Auto Scaling uses - not EventBridge's 6-field
            ``cron(...)``.
        time_zone: IANA time zone of ``schedule`` (``"Europe/Berlin"``), so the action follows
            daylight saving time. Default: UTC.
        min_capacity / max_capacity / desired_capacity: the sizes to set; at least one.
        start_time / end_time: timezone-aware datetimes bounding the recurrence.
            Default: starts now, never ends.
    """

    name: str
    schedule: str
    time_zone: str | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    desired_capacity: int | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class TargetTracking:
    """Keep a metric at a target value: the group adds instances above it, removes below it.

    Prefer the constructors: ``TargetTracking.cpu(50)``,
    ``TargetTracking.request_count_per_target(1000)`` (ALB only),
    ``TargetTracking.network_in(50_000_000)``, ``TargetTracking.network_out(...)``,
    ``TargetTracking.custom("QueueBacklog", metric, 100)``.

    Target tracking has no cooldown in EC2 Auto Scaling: new instances are excluded from the
    metric for the warm-up instead.

    Attributes:
        metric: which metric to track.
        target_value: cpu: percent (0 < x <= 100); request_count_per_target: requests per
            target per minute (> 0); network_in/out: bytes per second per instance (> 0);
            custom: any finite number.
        custom_metric: the metric, for ``metric="custom"`` (a plain ``cw.Metric``).
        name: PascalCase id, required for custom metrics (``QueueBacklog``).
        disable_scale_in: only scale out (scale in by another policy or by hand).
            Default False.
        estimated_instance_warmup: how long a new instance is kept out of the metric.
            Default: the group's ``default_instance_warmup``. 0 s..1 h.
    """

    metric: TrackedMetric
    target_value: float
    custom_metric: cw.IMetric | None = None
    name: str | None = None
    disable_scale_in: bool = False
    estimated_instance_warmup: Duration | None = None

    @classmethod
    def cpu(cls, percent: float, **kwargs: object) -> TargetTracking:
        """Average CPU utilization of the group, in percent."""
        return cls(metric="cpu", target_value=percent, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def request_count_per_target(
        cls, requests_per_minute: float, **kwargs: object
    ) -> TargetTracking:
        """ALB requests per instance per minute (Application Load Balancer only)."""
        return cls(
            metric="request_count_per_target",
            target_value=requests_per_minute,
            **kwargs,  # type: ignore[arg-type]
        )

    @classmethod
    def network_in(cls, bytes_per_second: float, **kwargs: object) -> TargetTracking:
        """Average bytes received per instance per second."""
        return cls(metric="network_in", target_value=bytes_per_second, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def network_out(cls, bytes_per_second: float, **kwargs: object) -> TargetTracking:
        """Average bytes sent per instance per second."""
        return cls(metric="network_out", target_value=bytes_per_second, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def custom(
        cls, name: str, metric: cw.IMetric, target_value: float, **kwargs: object
    ) -> TargetTracking:
        """Any CloudWatch metric that scales inversely with the number of instances."""
        return cls(
            metric="custom",
            target_value=target_value,
            custom_metric=metric,
            name=name,
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def construct_id(self) -> str:
        if self.metric == "custom":
            return f"{self.name}Tracking"
        return {
            "cpu": "CpuTracking",
            "request_count_per_target": "RequestCountTracking",
            "network_in": "NetworkInTracking",
            "network_out": "NetworkOutTracking",
        }[self.metric]


@dataclass(frozen=True, kw_only=True)
class ScalingStep:
    """One step adjustment: while the metric is in ``[lower, upper)``, change capacity by
    ``change``. ``lower=None`` means "from minus infinity" (first step only), ``upper=None``
    "to infinity" (last step only). ``change`` 0 marks the no-change band."""

    lower: float | None
    upper: float | None
    change: int


@dataclass(frozen=True, kw_only=True)
class StepScaling:
    """Scale by steps when a CloudWatch alarm on ``metric`` breaches.

    Steps must be in ascending order, each ending where the next begins (no gaps, no
    overlaps), with one band that changes nothing (a ``change=0`` step, or the range below
    the first / above the last step); CDK creates one alarm for the bands below it (scale in)
    and one for the bands above (scale out).

    Step policies have **no cooldown** (EC2 Auto Scaling ignores Cooldown for them): while new
    instances warm up (``estimated_instance_warmup``) they are not counted twice, and a larger
    breach still adds capacity immediately.

    Attributes:
        name: PascalCase id (``QueueDepth``), unique among step policies.
        metric: the metric the alarms watch (its period and statistic apply), or ``"cpu"``,
            ``"network_in"``, ``"network_out"`` for the group's own average EC2 metric (1-minute
            with detailed monitoring, else 5-minute).
        steps: 2..40 :class:`ScalingStep`.
        adjustment_type: how ``change`` is read. Default ``change_in_capacity``.
        min_adjustment_magnitude: percent_change_in_capacity only: change at least this many
            instances. Default: none.
        estimated_instance_warmup: Default: the group's ``default_instance_warmup``. 0 s..1 h.
        evaluation_periods: periods the alarms evaluate. Default 1.
        datapoints_to_alarm: breaching periods (of ``evaluation_periods``) that trigger.
            Default: all of them.
    """

    name: str
    metric: cw.IMetric | GroupMetric
    steps: tuple[ScalingStep, ...]
    adjustment_type: AdjustmentType = "change_in_capacity"
    min_adjustment_magnitude: int | None = None
    estimated_instance_warmup: Duration | None = None
    evaluation_periods: int = 1
    datapoints_to_alarm: int | None = None


@dataclass(frozen=True, kw_only=True)
class PredictiveScaling:
    """Forecast load from up to 14 days of history and scale ahead of it.

    EC2 Auto Scaling needs 24 hours of metric history before the first forecast. Start with
    ``mode="forecast_only"`` (the default): the forecast is shown in the console and changes
    nothing; switch to ``forecast_and_scale`` once it matches reality. Predictive scaling only
    adds capacity ahead of time - combine it with target tracking for scale-in and surprises.

    Attributes:
        metric: the metric pair (load + scaling metric) to forecast. Default ``cpu``.
        target_value: target of the scaling metric: percent for cpu (0 < x <= 100), requests
            per target per minute (ALB only), or bytes per second per instance.
        mode: ``forecast_only`` (default) or ``forecast_and_scale``.
        scheduling_buffer: launch this long before the forecast need (0 s..1 h), so instances
            are warm in time. Default: none.
        max_capacity_breach: ``honor`` (default) keeps max_capacity a hard limit; ``increase``
            lets the forecast raise it by ``max_capacity_buffer`` percent.
        max_capacity_buffer: with ``increase`` only: 0..100 percent above the forecast.
    """

    target_value: float
    metric: PredictiveMetric = "cpu"
    mode: Literal["forecast_only", "forecast_and_scale"] = "forecast_only"
    scheduling_buffer: Duration | None = None
    max_capacity_breach: Literal["honor", "increase"] = "honor"
    max_capacity_buffer: int | None = None


# -- validation -------------------------------------------------------------------------------

_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day-of-month", 1, 31, {}),
    (
        "month",
        1,
        12,
        {
            name: i + 1
            for i, name in enumerate(
                ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            )
        },
    ),
    (
        "day-of-week",
        0,
        6,
        {name: i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])},
    ),
)
_CRON_ITEM = re.compile(r"^(?:(\*)|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:/([0-9]+))?$")


def cron_problems(expression: str) -> list[str]:
    """Problems of a 5-field Unix cron expression as EC2 Auto Scaling accepts it (empty if ok).

    Fields: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 0-6
    or SUN-SAT; each a comma list of ``*``, ``*/step``, ``n``, ``a-b`` or ``a-b/step``.
    """
    text = expression.strip()
    if text.startswith(("cron(", "rate(", "at(")):
        return [
            "uses EventBridge syntax; EC2 Auto Scaling takes 5 Unix cron fields "
            "'minute hour day-of-month month day-of-week'"
        ]
    fields = text.split()
    if len(fields) != 5:
        return [
            f"must have 5 fields 'minute hour day-of-month month day-of-week', got {len(fields)}"
        ]
    problems: list[str] = []
    for value, (field_name, lo, hi, names) in zip(fields, _CRON_FIELDS, strict=True):
        for item in value.split(","):
            problem = _cron_item_problem(item, lo, hi, names)
            if problem:
                problems.append(f"{field_name} field {value!r}: {problem}")
                break
    return problems


def _cron_item_problem(item: str, lo: int, hi: int, names: dict[str, int]) -> str | None:
    match = _CRON_ITEM.match(item)
    if not match:
        return f"{item!r} is not '*', 'n', 'a-b' or one of them with '/step'"
    star, start, end, step = match.groups()
    if step is not None and not 1 <= int(step) <= hi:
        return f"step {step} must be between 1 and {hi}"
    if star:
        return None
    values = []
    for token in (start, end):
        if token is None:
            continue
        if token.isdigit():
            number = int(token)
        elif token.upper() in names:
            number = names[token.upper()]
        else:
            allowed = f"{lo}-{hi}" + (f" or {next(iter(names))}-{list(names)[-1]}" if names else "")
            return f"{token!r} is not a value ({allowed})"
        if not lo <= number <= hi:
            return f"{token} is outside {lo}-{hi}"
        values.append(number)
    if len(values) == 2 and values[0] > values[1]:
        return f"range {start}-{end} runs backwards"
    return None


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_problem(name: str) -> str | None:
    """``None`` if ``name`` is an IANA time zone (or no tz database is installed to check)."""
    zones = _time_zones()
    if not zones or name in zones or name == "UTC":
        return None
    return f"must be an IANA time zone name such as 'Europe/Berlin' or 'UTC', got {name!r}"


def validate_capacity(v: Validator, capacity: Capacity) -> None:
    c = capacity
    v.number_in_range("capacity.min_capacity", c.min_capacity, minimum=0, integer=True)
    v.number_in_range("capacity.max_capacity", c.max_capacity, minimum=1, integer=True)
    v.number_in_range("capacity.desired_capacity", c.desired_capacity, minimum=0, integer=True)
    if not _numbers(c.min_capacity, c.max_capacity, c.desired_capacity):
        return  # reported above; the comparisons need numbers
    if _known(c.min_capacity, c.max_capacity) and c.min_capacity > c.max_capacity:
        v.add(
            "capacity.min_capacity",
            f"must be at most max_capacity ({c.max_capacity}), got {c.min_capacity}",
        )
    if (
        c.desired_capacity is not None
        and _known(c.desired_capacity, c.min_capacity, c.max_capacity)
        and not c.min_capacity <= c.desired_capacity <= c.max_capacity
    ):
        v.add(
            "capacity.desired_capacity",
            f"must be between min_capacity ({c.min_capacity}) and max_capacity "
            f"({c.max_capacity}), got {c.desired_capacity}",
        )


def validate_scheduled(v: Validator, index: int, action: ScheduledAction) -> None:
    a = action
    prop = f"scheduled_actions[{index}]"
    if not isinstance(a.name, str) or not _NAME.match(a.name):
        v.add(f"{prop}.name", f"must be PascalCase letters and digits (1-64), got {a.name!r}")
    if not isinstance(a.schedule, str):
        v.add(f"{prop}.schedule", f"must be a cron expression string, got {a.schedule!r}")
    elif not is_unresolved(a.schedule):
        for problem in cron_problems(a.schedule):
            v.add(f"{prop}.schedule", f"{problem} (got {a.schedule!r})")
    if a.time_zone is not None and not is_unresolved(a.time_zone):
        zone_problem = time_zone_problem(a.time_zone)
        if zone_problem:
            v.add(f"{prop}.time_zone", zone_problem)
    sizes = {
        "min_capacity": a.min_capacity,
        "max_capacity": a.max_capacity,
        "desired_capacity": a.desired_capacity,
    }
    if all(value is None for value in sizes.values()):
        v.add(prop, "must set at least one of min_capacity, max_capacity, desired_capacity")
    for field_name, value in sizes.items():
        v.number_in_range(f"{prop}.{field_name}", value, minimum=0, integer=True)
    lo, hi, want = a.min_capacity, a.max_capacity, a.desired_capacity
    if not _numbers(lo, hi, want):
        lo = hi = want = None  # reported above; the comparisons need numbers
    if lo is not None and hi is not None and _known(lo, hi) and lo > hi:
        v.add(f"{prop}.min_capacity", f"must be at most max_capacity ({hi}), got {lo}")
    if want is not None and _known(want):
        if lo is not None and _known(lo) and want < lo:
            v.add(f"{prop}.desired_capacity", f"must be at least min_capacity ({lo}), got {want}")
        if hi is not None and _known(hi) and want > hi:
            v.add(f"{prop}.desired_capacity", f"must be at most max_capacity ({hi}), got {want}")
    for field_name, moment in (("start_time", a.start_time), ("end_time", a.end_time)):
        if moment is not None and not isinstance(moment, datetime):
            v.add(f"{prop}.{field_name}", f"must be a datetime, got {moment!r}")
        elif moment is not None and moment.tzinfo is None:
            v.add(f"{prop}.{field_name}", f"must be timezone-aware (UTC is sent), got {moment}")
    if (
        isinstance(a.start_time, datetime)
        and isinstance(a.end_time, datetime)
        and a.start_time.tzinfo is not None
        and a.end_time.tzinfo is not None
        and a.end_time <= a.start_time
    ):
        v.add(
            f"{prop}.end_time",
            f"must be after start_time ({a.start_time.isoformat()}), got {a.end_time.isoformat()}",
        )


def validate_target_tracking(
    v: Validator, index: int, policy: TargetTracking, *, application: bool
) -> None:
    t = policy
    prop = f"target_tracking[{index}]"
    kinds = ("cpu", "request_count_per_target", "network_in", "network_out", "custom")
    if t.metric not in kinds:
        v.one_of(f"{prop}.metric", t.metric, kinds)
        return
    if t.metric == "cpu":
        _positive(v, f"{prop}.target_value", t.target_value, maximum=100, unit="%")
    elif t.metric == "custom":
        if not _known(t.target_value):
            pass
        elif not isinstance(t.target_value, int | float) or not math.isfinite(t.target_value):
            v.add(f"{prop}.target_value", f"must be a finite number, got {t.target_value!r}")
        if t.custom_metric is None:
            v.add(f"{prop}.custom_metric", "is required for metric='custom', got None")
        elif not isinstance(t.custom_metric, cw.Metric):
            v.add(
                f"{prop}.custom_metric",
                "must be a cw.Metric (target tracking cannot track math expressions), "
                f"got {type(t.custom_metric).__name__}",
            )
        if not isinstance(t.name, str) or not _NAME.match(t.name):
            v.add(f"{prop}.name", f"must be PascalCase letters and digits (1-64), got {t.name!r}")
    else:
        _positive(v, f"{prop}.target_value", t.target_value)
    if t.metric != "custom" and t.custom_metric is not None:
        v.add(f"{prop}.custom_metric", f"applies only to metric='custom', got metric={t.metric!r}")
    if t.metric == "request_count_per_target" and not application:
        v.add(
            f"{prop}.metric",
            "'request_count_per_target' needs an Application Load Balancer, "
            "got load_balancer_type='network'",
        )
    v.boolean(f"{prop}.disable_scale_in", t.disable_scale_in)
    v.duration_in_range(
        f"{prop}.estimated_instance_warmup",
        t.estimated_instance_warmup,
        minimum=Duration.seconds(0),
        maximum=MAX_WARMUP,
        whole="seconds",  # EstimatedInstanceWarmup is in seconds
    )


def validate_step_scaling(v: Validator, index: int, policy: StepScaling) -> None:
    s = policy
    prop = f"step_scaling[{index}]"
    if not isinstance(s.name, str) or not _NAME.match(s.name):
        v.add(f"{prop}.name", f"must be PascalCase letters and digits (1-64), got {s.name!r}")
    if isinstance(s.metric, str):
        v.one_of(f"{prop}.metric", s.metric, ("cpu", "network_in", "network_out"))
    else:
        v.implements(
            f"{prop}.metric",
            s.metric,
            "to_metric_config",
            what="a cloudwatch.IMetric or 'cpu', 'network_in', 'network_out'",
        )
    v.one_of(
        f"{prop}.adjustment_type",
        s.adjustment_type,
        ("change_in_capacity", "percent_change_in_capacity", "exact_capacity"),
    )
    if s.min_adjustment_magnitude is not None:
        if s.adjustment_type != "percent_change_in_capacity":
            v.add(
                f"{prop}.min_adjustment_magnitude",
                "applies only to adjustment_type='percent_change_in_capacity', "
                f"got {s.adjustment_type!r}",
            )
        v.number_in_range(
            f"{prop}.min_adjustment_magnitude", s.min_adjustment_magnitude, minimum=1, integer=True
        )
    v.duration_in_range(
        f"{prop}.estimated_instance_warmup",
        s.estimated_instance_warmup,
        minimum=Duration.seconds(0),
        maximum=MAX_WARMUP,
        whole="seconds",  # EstimatedInstanceWarmup is in seconds
    )
    v.number_in_range(f"{prop}.evaluation_periods", s.evaluation_periods, minimum=1, integer=True)
    if s.datapoints_to_alarm is not None:
        v.number_in_range(
            f"{prop}.datapoints_to_alarm",
            s.datapoints_to_alarm,
            minimum=1,
            maximum=s.evaluation_periods if _known(s.evaluation_periods) else None,
            integer=True,
        )
    _validate_steps(v, f"{prop}.steps", s.steps, exact=s.adjustment_type == "exact_capacity")


def _validate_steps(
    v: Validator, prop: str, steps: tuple[ScalingStep, ...], *, exact: bool
) -> None:
    if isinstance(steps, str) or not isinstance(steps, tuple | list):
        v.add(prop, f"must be a tuple of ScalingStep, got {type(steps).__name__}")
        return
    if not 2 <= len(steps) <= MAX_STEPS:
        v.add(prop, f"must have between 2 and {MAX_STEPS} steps, got {len(steps)}")
        return
    typed = True
    for i, step in enumerate(steps):
        where = f"{prop}[{i}]"
        if not isinstance(step, ScalingStep):
            v.add(where, f"must be a ScalingStep, got {type(step).__name__}")
            typed = False
            continue
        for bound_name, bound in (("lower", step.lower), ("upper", step.upper)):
            if bound is not None and (
                isinstance(bound, bool)
                or not isinstance(bound, int | float)
                or not math.isfinite(bound)
            ):
                v.add(f"{where}.{bound_name}", f"must be a finite number or None, got {bound!r}")
                typed = False
        # ScalingAdjustment is an integer number of instances (or percent)
        v.number_in_range(f"{where}.change", step.change, integer=True)
        if isinstance(step.change, bool) or not isinstance(step.change, int | float):
            typed = False
    if not typed:
        return
    ok = True
    last = len(steps) - 1
    for i, step in enumerate(steps):
        where = f"{prop}[{i}]"
        if step.lower is None and step.upper is None:
            v.add(where, "must set lower or upper (or both), got neither")
            ok = False
            continue
        if step.lower is None and i != 0:
            v.add(f"{where}.lower", "may be None (minus infinity) only on the first step")
            ok = False
        if step.upper is None and i != last:
            v.add(f"{where}.upper", "may be None (infinity) only on the last step")
            ok = False
        if step.lower is not None and step.upper is not None and step.lower >= step.upper:
            v.add(where, f"must have lower < upper, got [{step.lower}, {step.upper})")
            ok = False
        if exact and step.change < 0:
            v.add(
                f"{where}.change", f"is a capacity with exact_capacity, so >= 0; got {step.change}"
            )
    if not ok:
        return
    for i in range(1, len(steps)):
        before, step = steps[i - 1], steps[i]
        assert before.upper is not None and step.lower is not None
        if step.lower < before.upper:
            v.add(
                f"{prop}[{i}]",
                f"starts at {step.lower:g}, inside step {i - 1} [{_bound(before.lower)}, "
                f"{before.upper:g}): steps must be ascending and must not overlap",
            )
        elif step.lower > before.upper:
            v.add(
                f"{prop}[{i}]",
                f"starts at {step.lower:g} but step {i - 1} ends at {before.upper:g}: "
                f"no step covers [{before.upper:g}, {step.lower:g}) (no gaps allowed)",
            )
    # CDK splits the steps into a scale-in and a scale-out alarm around one no-change band:
    # a change=0 step (not with exact_capacity) or the open range before/after the steps.
    bands: list[bool] = []  # True = no change, per contiguous band in ascending order
    first, final = steps[0], steps[-1]
    if first.lower is not None and first.lower != 0:
        bands.append(True)
    bands.extend((step.change == 0 and not exact) for step in steps)
    if final.upper is not None:
        bands.append(True)
    runs = sum(1 for i, none in enumerate(bands) if none and (i == 0 or not bands[i - 1]))
    if runs > 1:
        v.add(
            prop,
            f"must have one no-change band (a change=0 step or the range outside the steps) "
            f"between scale-in and scale-out, got {runs}",
        )


def validate_predictive(v: Validator, policy: PredictiveScaling, *, application: bool) -> None:
    p = policy
    prop = "predictive_scaling"
    metrics = ("cpu", "request_count_per_target", "network_in", "network_out")
    v.one_of(f"{prop}.metric", p.metric, metrics)
    if p.metric == "cpu":
        _positive(v, f"{prop}.target_value", p.target_value, maximum=100, unit="%")
    else:
        _positive(v, f"{prop}.target_value", p.target_value)
    if p.metric == "request_count_per_target" and not application:
        v.add(
            f"{prop}.metric",
            "'request_count_per_target' needs an Application Load Balancer, "
            "got load_balancer_type='network'",
        )
    v.one_of(f"{prop}.mode", p.mode, ("forecast_only", "forecast_and_scale"))
    v.duration_in_range(
        f"{prop}.scheduling_buffer",
        p.scheduling_buffer,
        minimum=Duration.seconds(0),
        maximum=MAX_SCHEDULING_BUFFER,
        whole="seconds",  # SchedulingBufferTime is in seconds
    )
    v.one_of(f"{prop}.max_capacity_breach", p.max_capacity_breach, ("honor", "increase"))
    if p.max_capacity_buffer is not None:
        if p.max_capacity_breach != "increase":
            v.add(
                f"{prop}.max_capacity_buffer",
                f"applies only to max_capacity_breach='increase', got {p.max_capacity_breach!r}",
            )
        v.number_in_range(
            f"{prop}.max_capacity_buffer",
            p.max_capacity_buffer,
            minimum=0,
            maximum=MAX_CAPACITY_BUFFER_PERCENT,
            unit="%",
            integer=True,
        )


def _positive(
    v: Validator, prop: str, value: float, *, maximum: float | None = None, unit: str = ""
) -> None:
    if not _known(value):
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        v.add(prop, f"must be a finite number, got {value!r}")
        return
    if value <= 0 or (maximum is not None and value > maximum):
        got = f"{value:g}{' ' + unit if unit else ''}"
        limit = f" and at most {maximum:g}{' ' + unit if unit else ''}" if maximum else ""
        v.add(prop, f"must be greater than 0{limit}, got {got}")


def _bound(value: float | None) -> str:
    return "-inf" if value is None else f"{value:g}"


def _numbers(*values: object) -> bool:
    """Every value is None, a token or a real number (bools and strings are not)."""
    return all(
        value is None
        or is_unresolved(value)
        or (isinstance(value, int | float) and not isinstance(value, bool))
        for value in values
    )


def _known(*values: object) -> bool:
    return not any(is_unresolved(value) for value in values)
