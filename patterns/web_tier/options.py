"""Option types of :class:`~patterns.web_tier.ScalableWebTier`: capacity and scaling modes.

Each mode is a small frozen dataclass; the construct combines them where EC2 Auto Scaling
allows (scheduled actions, several target tracking policies, step policies and one predictive
policy can all act on one group - the group launches what the largest of them asks for).
Their rules are in :mod:`patterns.web_tier.validate`, so the construct reports every problem
at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

# ``cron_problems`` was defined here; it stays importable from this module.
from patterns.web_tier.cron import cron_problems

__all__ = [
    "AdjustmentType",
    "Architecture",
    "Capacity",
    "GroupMetric",
    "LoadBalancerType",
    "PredictiveMetric",
    "PredictiveScaling",
    "ScalingStep",
    "ScheduledAction",
    "StepScaling",
    "TargetTracking",
    "TrackedMetric",
    "cron_problems",
]

LoadBalancerType = Literal["application", "network"]
Architecture = Literal["arm64", "x86_64"]
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
        """Maintain mode: ``min_capacity == max_capacity`` (the group never scales)."""
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
        target_value: cpu: percent (0 < x <= 100; at most 1 is a warning: a fraction where a
            percentage is meant); request_count_per_target: requests per
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
        """The stable construct id of this policy (``CpuTracking``; ``<name>Tracking`` for a
        custom metric)."""
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
