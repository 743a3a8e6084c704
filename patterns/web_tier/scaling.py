"""The scaling of :class:`~patterns.web_tier.ScalableWebTier`: scheduled actions, target
tracking, step and predictive policies on its Auto Scaling group, and the capacity line of
the review table.

EC2 Auto Scaling runs the largest capacity any of them asks for. Target tracking and step
policies have no cooldown: they wait for new instances to warm up instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aws_cdk import CfnResource
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from patterns.core.validation import is_unresolved
from patterns.web_tier.instances import default_instance_type
from patterns.web_tier.options import (
    GroupMetric,
    PredictiveScaling,
    ScheduledAction,
    StepScaling,
    TargetTracking,
)
from patterns.web_tier.props import WebTierProps

__all__ = [
    "add_predictive_scaling",
    "add_scheduled_actions",
    "add_step_scaling",
    "add_target_tracking",
    "summary",
]

_ADJUSTMENTS = {
    "change_in_capacity": autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
    "percent_change_in_capacity": autoscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
    "exact_capacity": autoscaling.AdjustmentType.EXACT_CAPACITY,
}
_PREDICTIVE_METRICS = {
    "cpu": "ASGCPUUtilization",
    "network_in": "ASGNetworkIn",
    "network_out": "ASGNetworkOut",
    "request_count_per_target": "ALBRequestCount",
}


def add_scheduled_actions(
    group: autoscaling.AutoScalingGroup, actions: Sequence[ScheduledAction]
) -> dict[str, autoscaling.ScheduledAction]:
    """One scheduled action per item, by name."""
    return {
        action.name: group.scale_on_schedule(
            action.name,
            schedule=autoscaling.Schedule.expression(action.schedule),
            time_zone=action.time_zone,
            min_capacity=action.min_capacity,
            max_capacity=action.max_capacity,
            desired_capacity=action.desired_capacity,
            start_time=action.start_time,
            end_time=action.end_time,
        )
        for action in actions
    }


def add_target_tracking(
    group: autoscaling.AutoScalingGroup, policies: Sequence[TargetTracking]
) -> dict[str, autoscaling.TargetTrackingScalingPolicy]:
    """One target tracking policy per item, by construct id (``CpuTracking`` ...)."""
    return {t.construct_id: _target_tracking(group, t) for t in policies}


def _target_tracking(
    group: autoscaling.AutoScalingGroup, t: TargetTracking
) -> autoscaling.TargetTrackingScalingPolicy:
    common: dict[str, Any] = {
        "disable_scale_in": t.disable_scale_in or None,
        "estimated_instance_warmup": t.estimated_instance_warmup,
    }
    if t.metric == "cpu":
        return group.scale_on_cpu_utilization(
            t.construct_id, target_utilization_percent=t.target_value, **common
        )
    if t.metric == "request_count_per_target":
        policy = group.scale_on_request_count(
            t.construct_id, target_requests_per_minute=t.target_value, **common
        )
        # Its ResourceLabel already refers to the listener that aws-cdk-lib depends on.
        _drop_redundant_depends_on(policy.node.try_find_child("Resource"))
        return policy
    if t.metric == "network_in":
        return group.scale_on_incoming_bytes(
            t.construct_id, target_bytes_per_second=t.target_value, **common
        )
    if t.metric == "network_out":
        return group.scale_on_outgoing_bytes(
            t.construct_id, target_bytes_per_second=t.target_value, **common
        )
    assert t.custom_metric is not None
    return group.scale_to_track_metric(
        t.construct_id, metric=t.custom_metric, target_value=t.target_value, **common
    )


def _drop_redundant_depends_on(resource: object) -> None:
    """aws-cdk-lib lists a resource in DependsOn that it already references with Ref or
    GetAtt (cfn-lint W3005); the reference alone orders the two."""
    if isinstance(resource, CfnResource):
        resource.add_deletion_override("DependsOn")


def add_step_scaling(
    group: autoscaling.AutoScalingGroup,
    policies: Sequence[StepScaling],
    *,
    group_metric: Callable[[GroupMetric], cw.Metric],
) -> dict[str, autoscaling.StepScalingPolicy]:
    """One step policy (``<name>StepScaling``, with its two alarms) per item, by name; a
    metric named ``cpu`` / ``network_in`` / ``network_out`` is ``group_metric(name)``."""
    return {
        s.name: group.scale_on_metric(
            f"{s.name}StepScaling",
            metric=s.metric if not isinstance(s.metric, str) else group_metric(s.metric),
            scaling_steps=[
                autoscaling.ScalingInterval(lower=step.lower, upper=step.upper, change=step.change)
                for step in s.steps
            ],
            adjustment_type=_ADJUSTMENTS[s.adjustment_type],
            min_adjustment_magnitude=s.min_adjustment_magnitude,
            estimated_instance_warmup=s.estimated_instance_warmup,
            evaluation_periods=s.evaluation_periods,
            datapoints_to_alarm=s.datapoints_to_alarm,
        )
        for s in policies
    }


def add_predictive_scaling(
    scope: Construct,
    p: PredictiveScaling,
    *,
    group: autoscaling.AutoScalingGroup,
    load_balancer: elbv2.ApplicationLoadBalancer | elbv2.NetworkLoadBalancer,
    target_group: elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup,
) -> autoscaling.CfnScalingPolicy:
    """``PredictiveScaling`` (an L1: aws-cdk-lib has no L2 for it) on ``group``; the request
    count pair is labelled with the ALB and its target group."""
    resource_label = None
    if p.metric == "request_count_per_target":
        assert isinstance(load_balancer, elbv2.ApplicationLoadBalancer)
        assert isinstance(target_group, elbv2.ApplicationTargetGroup)
        resource_label = (
            f"{load_balancer.load_balancer_full_name}/{target_group.target_group_full_name}"
        )
    cfn = autoscaling.CfnScalingPolicy
    return cfn(
        scope,
        "PredictiveScaling",
        auto_scaling_group_name=group.auto_scaling_group_name,
        policy_type="PredictiveScaling",
        predictive_scaling_configuration=cfn.PredictiveScalingConfigurationProperty(
            metric_specifications=[
                cfn.PredictiveScalingMetricSpecificationProperty(
                    target_value=p.target_value,
                    predefined_metric_pair_specification=(
                        cfn.PredictiveScalingPredefinedMetricPairProperty(
                            predefined_metric_type=_PREDICTIVE_METRICS[p.metric],
                            resource_label=resource_label,
                        )
                    ),
                )
            ],
            mode="ForecastOnly" if p.mode == "forecast_only" else "ForecastAndScale",
            scheduling_buffer_time=(
                int(p.scheduling_buffer.to_seconds()) if p.scheduling_buffer else None
            ),
            max_capacity_breach_behavior=(
                "HonorMaxCapacity" if p.max_capacity_breach == "honor" else "IncreaseMaxCapacity"
            ),
            max_capacity_buffer=p.max_capacity_buffer,
        ),
    )


def summary(p: WebTierProps) -> str:
    """The review-table line: size x instance type (architecture) behind ALB/NLB; modes."""
    c = p.capacity
    if any(is_unresolved(n) for n in (c.min_capacity, c.max_capacity, c.desired_capacity)):
        size = "deploy-time size"
    elif c.fixed:
        size = f"maintain {c.min_capacity}"
    elif c.desired_capacity is not None:
        size = f"{c.min_capacity}-{c.max_capacity} (manual, desired {c.desired_capacity})"
    else:
        size = f"{c.min_capacity}-{c.max_capacity}"
    modes = []
    if p.target_tracking:
        modes.append("tracking " + ", ".join(t.metric for t in p.target_tracking))
    if p.step_scaling:
        modes.append(f"{len(p.step_scaling)} step")
    if p.scheduled_actions:
        modes.append(f"{len(p.scheduled_actions)} scheduled")
    if p.predictive_scaling:
        modes.append(f"predictive {p.predictive_scaling.mode.replace('_', '-')}")
    instance_type = p.instance_type or default_instance_type(p.architecture)
    lb = "ALB" if p.application else "NLB"
    return f"{size} x {instance_type.to_string()} ({p.architecture}) behind {lb}" + (
        f"; {'; '.join(modes)}" if modes else ""
    )
