"""The alarms of :class:`~patterns.web_tier.ScalableWebTier`, on its key metrics
(``metric_server_error_rate``, ``metric_target_response_time``, ``metric_unhealthy_hosts``,
``metric_in_service_instances``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_cloudwatch as cw

from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration, is_unresolved
from patterns.web_tier.props import WebTierProps

if TYPE_CHECKING:
    from patterns.web_tier.construct import ScalableWebTier

__all__ = ["add_web_tier_alarms"]


def add_web_tier_alarms(web: ScalableWebTier, monitoring: Monitoring, p: WebTierProps) -> None:
    """ALB only: ``ServerErrorRate`` (5xx above ``error_rate_threshold_percent``) and
    ``TargetResponseTime`` (p95 above ``latency_threshold``), both in 3 of 5 minutes; then
    ``UnhealthyHosts`` (failed health checks for 5 minutes) and ``InServiceBelowMinimum``."""
    path = web.node.path
    if p.application:
        threshold = p.error_rate_threshold_percent
        monitoring.alarm(
            "ServerErrorRate",
            metric=web.metric_server_error_rate(),
            threshold=threshold,
            evaluation_periods=5,
            datapoints_to_alarm=3,
            description=(
                f"{path}: more than {threshold:g}% of requests failed "
                "with 5xx (load balancer or targets) in 3 of 5 minutes."
            ),
        )
        monitoring.alarm(
            "TargetResponseTime",
            metric=web.metric_target_response_time(),
            threshold=p.latency_threshold.to_seconds(),
            evaluation_periods=5,
            datapoints_to_alarm=3,
            description=(
                f"{path}: p95 target response time above "
                f"{format_duration(p.latency_threshold)} in 3 of 5 minutes."
            ),
        )
    monitoring.alarm(
        "UnhealthyHosts",
        metric=web.metric_unhealthy_hosts(),
        threshold=0,
        evaluation_periods=5,
        datapoints_to_alarm=5,
        description=(
            f"{path}: targets failed load balancer health checks for 5 minutes; the group "
            "replaces them - if it keeps happening, check the app and the health check path."
        ),
    )
    _in_service_alarm(web, monitoring, p)


def _in_service_alarm(web: ScalableWebTier, monitoring: Monitoring, p: WebTierProps) -> None:
    """``InServiceBelowMinimum``: fewer instances in service than the lowest minimum any mode
    can set (``capacity`` or a scheduled action) for 10 minutes; below it the group is really
    short of capacity. None when that minimum is 0, a warning when it is a token."""
    minimums = [p.capacity.min_capacity] + [
        a.min_capacity for a in p.scheduled_actions if a.min_capacity is not None
    ]
    if any(is_unresolved(m) for m in minimums):
        web.warn(
            "web-tier:in-service-alarm",
            "A minimum capacity is a deploy-time token, so the in-service-below-minimum "
            "alarm has no threshold and is not created.",
        )
        return
    floor = min(minimums)
    if floor > 0:
        monitoring.alarm(
            "InServiceBelowMinimum",
            metric=web.metric_in_service_instances(),
            threshold=floor,
            comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluation_periods=10,
            datapoints_to_alarm=10,
            description=(
                f"{web.node.path}: fewer than {floor} instances in service for 10 minutes; "
                "instances fail to launch or to pass health checks (capacity, AMI, user data, "
                "quota)."
            ),
        )
