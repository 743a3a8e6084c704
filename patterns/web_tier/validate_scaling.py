"""The rules of the capacity and scaling options of :class:`~patterns.web_tier.ScalableWebTier`.

One function per option type (:class:`Capacity`, :class:`ScheduledAction`,
:class:`TargetTracking`, :class:`StepScaling`, :class:`PredictiveScaling`) and
:func:`policies`, which checks the lists the construct was given and the rules between them.
Each rule records its problems on the validator it is given and never raises, so the construct
reports every problem at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

from patterns.core.deferred import deferred
from patterns.core.validation import Validator, is_unresolved
from patterns.web_tier.cron import cron_problems, time_zone_problem
from patterns.web_tier.options import (
    Capacity,
    PredictiveScaling,
    ScalingStep,
    ScheduledAction,
    StepScaling,
    TargetTracking,
)
from patterns.web_tier.props import WebTierProps

__all__ = [
    "MAX_CAPACITY_BUFFER_PERCENT",
    "MAX_GROUP_SECONDS",
    "MAX_SCHEDULING_BUFFER",
    "MAX_STEPS",
    "capacity",
    "group_seconds",
    "policies",
    "predictive",
    "scheduled_action",
    "scheduled_against_group",
    "step_scaling",
    "target_tracking",
]

_T = TypeVar("_T")

#: EC2 Auto Scaling bounds (HealthCheckGracePeriod, Cooldown, DefaultInstanceWarmup,
#: EstimatedInstanceWarmup: 0..3600 s; PredictiveScalingConfiguration: SchedulingBufferTime
#: 0..3600 s, MaxCapacityBuffer 0..100 %).
MAX_GROUP_SECONDS = deferred(Duration, "hours", 1)
MAX_SCHEDULING_BUFFER = deferred(Duration, "hours", 1)
MAX_CAPACITY_BUFFER_PERCENT = 100
#: A step scaling policy holds at most 40 step adjustments (aws-cdk-lib enforces it too).
MAX_STEPS = 40
_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")


def policies(v: Validator, p: WebTierProps) -> None:
    """``scheduled_actions``, ``target_tracking``, ``step_scaling``, ``predictive_scaling``:
    each item, unique names (one target tracking policy per metric), and a fixed ``capacity``
    only with a scheduled action that moves min or max."""
    actions = _typed_items(v, "scheduled_actions", p.scheduled_actions, ScheduledAction)
    tracking = _typed_items(v, "target_tracking", p.target_tracking, TargetTracking)
    steps = _typed_items(v, "step_scaling", p.step_scaling, StepScaling)
    predictive_policy = p.predictive_scaling
    if predictive_policy is not None and not v.instance_of(
        "predictive_scaling", predictive_policy, PredictiveScaling, what="a PredictiveScaling"
    ):
        predictive_policy = None
    names: set[str] = set()
    for i, action in enumerate(actions):
        scheduled_action(v, i, action)
        if _repeated(action.name, names):
            v.add(f"scheduled_actions[{i}].name", f"is used twice, got {action.name!r}")
    if isinstance(p.capacity, Capacity):
        scheduled_against_group(v, p.capacity, actions)
    tracked: set[str] = set()
    for i, policy in enumerate(tracking):
        target_tracking(v, i, policy, application=p.application)
        key = policy.construct_id if policy.metric == "custom" else policy.metric
        if _repeated(key, tracked):
            v.add(
                f"target_tracking[{i}]",
                f"tracks {key!r} twice; one policy per metric, got a second",
            )
    step_names: set[str] = set()
    for i, step in enumerate(steps):
        step_scaling(v, i, step)
        if _repeated(step.name, step_names):
            v.add(f"step_scaling[{i}].name", f"is used twice, got {step.name!r}")
    if predictive_policy is not None:
        predictive(v, predictive_policy, application=p.application)
    if isinstance(p.capacity, Capacity) and not is_unresolved(p.capacity.min_capacity):
        dynamic = [
            name
            for name, given in (
                ("target_tracking", bool(tracking)),
                ("step_scaling", bool(steps)),
                (
                    "predictive_scaling",
                    predictive_policy is not None
                    and predictive_policy.mode == "forecast_and_scale",
                ),
            )
            if given
        ]
        _fixed_capacity(v, p.capacity, dynamic, actions)


def _repeated(key: str, seen: set[str]) -> bool:
    """Whether ``key`` was seen before; remembers it."""
    repeated = key in seen
    seen.add(key)
    return repeated


def _fixed_capacity(
    v: Validator, c: Capacity, dynamic: list[str], actions: list[ScheduledAction]
) -> None:
    """A fixed group (min = max) cannot be changed by the ``dynamic`` policies unless a
    scheduled action moves min or max."""
    moves_bounds = any(a.min_capacity is not None or a.max_capacity is not None for a in actions)
    if c.fixed and dynamic and not moves_bounds:
        v.add(
            "capacity",
            f"is fixed at {c.min_capacity} (min = max), so {', '.join(dynamic)} "
            "could never change it; widen max_capacity or drop the policies",
        )


def _typed_items(v: Validator, prop: str, items: object, item_type: type[_T]) -> list[_T]:
    """The items of a list prop that are ``item_type``; the rest (or a non-list) is reported."""
    if isinstance(items, str) or not isinstance(items, Sequence):
        v.add(prop, f"must be a list of {item_type.__name__}, got {type(items).__name__}")
        return []
    typed: list[_T] = []
    for i, item in enumerate(items):
        if isinstance(item, item_type):
            typed.append(item)
        else:
            v.add(f"{prop}[{i}]", f"must be a {item_type.__name__}, got {type(item).__name__}")
    return typed


def capacity(v: Validator, c: object) -> None:
    """A :class:`Capacity` with 0 <= min <= desired <= max and max >= 1."""
    if not isinstance(c, Capacity):
        v.add("capacity", f"must be a Capacity, got {type(c).__name__}")
        return
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


def scheduled_action(v: Validator, index: int, a: ScheduledAction) -> None:
    """Name, cron schedule, time zone, sizes (min <= desired <= max) and the time window."""
    prop = f"scheduled_actions[{index}]"
    _pascal_name(v, f"{prop}.name", a.name)
    if not isinstance(a.schedule, str):
        v.add(f"{prop}.schedule", f"must be a cron expression string, got {a.schedule!r}")
    elif not is_unresolved(a.schedule):
        for problem in cron_problems(a.schedule):
            v.add(f"{prop}.schedule", f"{problem} (got {a.schedule!r})")
    if a.time_zone is not None and not is_unresolved(a.time_zone):
        zone_problem = time_zone_problem(a.time_zone)
        if zone_problem:
            v.add(f"{prop}.time_zone", zone_problem)
    _scheduled_sizes(v, prop, a)
    _scheduled_window(v, prop, a)


def _scheduled_sizes(v: Validator, prop: str, a: ScheduledAction) -> None:
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


def scheduled_against_group(v: Validator, c: Capacity, actions: Sequence[ScheduledAction]) -> None:
    """A scheduled action's sizes against the bounds the group can have when it runs: its
    ``capacity`` or what another action set. EC2 Auto Scaling fails an action whose new min
    is above the group's max (or new max below its min, or desired outside them), so each of
    these is an error: an action that sets only ``min_capacity`` above every reachable max,
    only ``max_capacity`` below every reachable min, or a ``desired_capacity`` outside the
    widest bounds it can meet. Tokens and non-numbers are skipped (reported elsewhere)."""
    sizes = [(a.min_capacity, a.max_capacity, a.desired_capacity) for a in actions]
    group = (c.min_capacity, c.max_capacity)
    if None in group or not _concrete(*group, *(x for size in sizes for x in size)):
        return
    for i, (lo, hi, want) in enumerate(sizes):
        others = [size for j, size in enumerate(sizes) if j != i]
        reach_hi = max([c.max_capacity, *(o[1] for o in others if o[1] is not None)])
        reach_lo = min([c.min_capacity, *(o[0] for o in others if o[0] is not None)])
        prop = f"scheduled_actions[{i}]"
        if lo is not None and hi is None and lo > reach_hi:
            v.add(
                f"{prop}.min_capacity",
                f"must be at most {_group_bound('max', c.max_capacity, reach_hi)}, got {lo}; "
                "set max_capacity in the action too",
            )
        if hi is not None and lo is None and hi < reach_lo:
            v.add(
                f"{prop}.max_capacity",
                f"must be at least {_group_bound('min', c.min_capacity, reach_lo)}, got {hi}; "
                "set min_capacity in the action too",
            )
        if want is None:
            continue
        if lo is None and want < reach_lo:
            v.add(
                f"{prop}.desired_capacity",
                f"must be at least {_group_bound('min', c.min_capacity, reach_lo)}, got {want}",
            )
        if hi is None and want > reach_hi:
            v.add(
                f"{prop}.desired_capacity",
                f"must be at most {_group_bound('max', c.max_capacity, reach_hi)}, got {want}",
            )


def _group_bound(kind: str, group: int, reachable: int) -> str:
    """``the group's max_capacity (6)`` or, when another action moves it further,
    ``the largest max_capacity the group can have (10: capacity 6, a scheduled action 10)``."""
    if group == reachable:
        return f"the group's {kind}_capacity ({group})"
    extreme = "largest" if kind == "max" else "smallest"
    return (
        f"the {extreme} {kind}_capacity the group can have ({reachable}: capacity "
        f"{group}, a scheduled action {reachable})"
    )


def _concrete(*values: object) -> bool:
    """Every value is None or a real, resolved number."""
    return all(
        value is None
        or (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and not is_unresolved(value)
        )
        for value in values
    )


def _scheduled_window(v: Validator, prop: str, a: ScheduledAction) -> None:
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


def target_tracking(v: Validator, index: int, t: TargetTracking, *, application: bool) -> None:
    """The metric and a target value in its unit; the custom metric only with ``custom``."""
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
        _pascal_name(v, f"{prop}.name", t.name)
    else:
        _positive(v, f"{prop}.target_value", t.target_value)
    if t.metric != "custom" and t.custom_metric is not None:
        v.add(f"{prop}.custom_metric", f"applies only to metric='custom', got metric={t.metric!r}")
    _request_count_needs_alb(v, f"{prop}.metric", t.metric, application=application)
    v.boolean(f"{prop}.disable_scale_in", t.disable_scale_in)
    group_seconds(v, f"{prop}.estimated_instance_warmup", t.estimated_instance_warmup)


def step_scaling(v: Validator, index: int, s: StepScaling) -> None:
    """Name, metric, adjustment, warm-up, alarm periods and the steps themselves."""
    prop = f"step_scaling[{index}]"
    _pascal_name(v, f"{prop}.name", s.name)
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
    group_seconds(v, f"{prop}.estimated_instance_warmup", s.estimated_instance_warmup)
    v.number_in_range(f"{prop}.evaluation_periods", s.evaluation_periods, minimum=1, integer=True)
    if s.datapoints_to_alarm is not None:
        v.number_in_range(
            f"{prop}.datapoints_to_alarm",
            s.datapoints_to_alarm,
            minimum=1,
            maximum=s.evaluation_periods if _known(s.evaluation_periods) else None,
            integer=True,
        )
    _steps(v, f"{prop}.steps", s.steps, exact=s.adjustment_type == "exact_capacity")


def _steps(v: Validator, prop: str, steps: tuple[ScalingStep, ...], *, exact: bool) -> None:
    """2..40 numeric steps, each bounded, ascending without gaps or overlaps, around one
    no-change band."""
    if isinstance(steps, str) or not isinstance(steps, tuple | list):
        v.add(prop, f"must be a tuple of ScalingStep, got {type(steps).__name__}")
        return
    if not 2 <= len(steps) <= MAX_STEPS:
        v.add(prop, f"must have between 2 and {MAX_STEPS} steps, got {len(steps)}")
        return
    if _step_types(v, prop, steps) and _step_bounds(v, prop, steps, exact=exact):
        _step_order(v, prop, steps)
        _no_change_band(v, prop, steps, exact=exact)


def _step_types(v: Validator, prop: str, steps: Sequence[object]) -> bool:
    """Every step a ScalingStep with finite (or None) bounds and a whole change."""
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
    return typed


def _step_bounds(v: Validator, prop: str, steps: Sequence[ScalingStep], *, exact: bool) -> bool:
    """Open bounds only at the ends, lower < upper; no negative capacity with exact_capacity.
    True when the steps can be ordered."""
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
    return ok


def _step_order(v: Validator, prop: str, steps: Sequence[ScalingStep]) -> None:
    """Each step starts where the one before ends."""
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


def _no_change_band(v: Validator, prop: str, steps: Sequence[ScalingStep], *, exact: bool) -> None:
    """CDK splits the steps into a scale-in and a scale-out alarm around one no-change band:
    a change=0 step (not with exact_capacity) or the open range before/after the steps."""
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


def predictive(v: Validator, p: PredictiveScaling, *, application: bool) -> None:
    """Metric, target value, mode, scheduling buffer and the max capacity breach behavior."""
    prop = "predictive_scaling"
    metrics = ("cpu", "request_count_per_target", "network_in", "network_out")
    v.one_of(f"{prop}.metric", p.metric, metrics)
    if p.metric == "cpu":
        _positive(v, f"{prop}.target_value", p.target_value, maximum=100, unit="%")
    else:
        _positive(v, f"{prop}.target_value", p.target_value)
    _request_count_needs_alb(v, f"{prop}.metric", p.metric, application=application)
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


def group_seconds(v: Validator, prop: str, value: Duration | None) -> None:
    """0 s..1 h in whole seconds: a grace period, cooldown or instance warm-up, which EC2 Auto
    Scaling takes in seconds."""
    v.duration_in_range(
        prop, value, minimum=Duration.seconds(0), maximum=MAX_GROUP_SECONDS, whole="seconds"
    )


def _request_count_needs_alb(v: Validator, prop: str, metric: str, *, application: bool) -> None:
    if metric == "request_count_per_target" and not application:
        v.add(
            prop,
            "'request_count_per_target' needs an Application Load Balancer, "
            "got load_balancer_type='network'",
        )


def _pascal_name(v: Validator, prop: str, name: object) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        v.add(prop, f"must be PascalCase letters and digits (1-64), got {name!r}")


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
