"""The alarms of :class:`~patterns.edge.EdgeDistribution`, where CloudFront's metrics are.

CloudFront publishes metrics only in us-east-1 and an alarm must live in the region of its
metric. In a stack bound to us-east-1 the alarms are created; in a stack bound to another
region they are not (a warning says so); in a region-agnostic stack they carry the condition
``AWS::Region == us-east-1``, and a dashboard gets metric graphs instead of alarm widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from aws_cdk import Aws, CfnCondition, Duration, Fn, Stack, Token
from aws_cdk import aws_cloudwatch as cw
from constructs import Construct

from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration

if TYPE_CHECKING:
    from patterns.edge.construct import EdgeDistribution

__all__ = ["METRICS_REGION", "MetricsRegion", "add_edge_alarms", "metrics_region"]

#: CloudFront publishes its metrics in us-east-1 with this Region dimension.
METRICS_REGION = "us-east-1"

#: The stack's region against :data:`METRICS_REGION`: the same, another, or unknown at synth.
MetricsRegion = Literal["same", "other", "unknown"]


def metrics_region(scope: Construct) -> MetricsRegion:
    """Whether the stack of ``scope`` is in the metrics region (``unknown``: region-agnostic)."""
    region = Stack.of(scope).region
    if Token.is_unresolved(region):
        return "unknown"
    return "same" if region == METRICS_REGION else "other"


def add_edge_alarms(
    edge: EdgeDistribution,
    monitoring: Monitoring,
    *,
    region: MetricsRegion,
    error_rate_alarm_percent: float,
    publish_additional_metrics: bool,
    origin_latency_alarm: Duration,
    dashboard: cw.Dashboard | None,
) -> None:
    """``ErrorRate5xx`` (5xx error rate above the percentage for 2 of 3 five-minute periods)
    and, with additional metrics, ``OriginLatency`` (p90 above the threshold, 2 of 3) - where
    the metrics are (see the module docstring)."""
    if region == "other":
        edge.warn(
            "edge:alarms-region",
            "CloudFront metrics exist only in us-east-1, so this stack's region cannot "
            "alarm on them; no alarms were created. Create them in a us-east-1 stack.",
        )
        # Their names stay valid alarm_overrides keys: the same props work in every region.
        monitoring.skip(
            ["ErrorRate5xx", "OriginLatency"] if publish_additional_metrics else ["ErrorRate5xx"]
        )
        return
    path = edge.node.path
    monitoring.alarm(
        "ErrorRate5xx",
        metric=edge.metric_5xx_error_rate(),
        threshold=error_rate_alarm_percent,
        evaluation_periods=3,
        datapoints_to_alarm=2,
        description=(
            f"{path}: more than {error_rate_alarm_percent:g}% of viewer requests "
            "got a 5xx response. Check the origin health and its logs."
        ),
    )
    if publish_additional_metrics:
        monitoring.alarm(
            "OriginLatency",
            metric=edge.metric_origin_latency(),
            threshold=origin_latency_alarm.to_milliseconds(),
            evaluation_periods=3,
            datapoints_to_alarm=2,
            description=(
                f"{path}: p90 origin latency above {format_duration(origin_latency_alarm)}."
            ),
        )
    if region == "unknown":
        _only_in_metrics_region(edge, monitoring, dashboard)


def _only_in_metrics_region(
    edge: EdgeDistribution, monitoring: Monitoring, dashboard: cw.Dashboard | None
) -> None:
    """Condition the alarms on the metrics region; graph the metrics on the dashboard."""
    condition = CfnCondition(
        edge,
        "InMetricsRegion",
        expression=Fn.condition_equals(Aws.REGION, METRICS_REGION),
    )
    for alarm in monitoring.alarms.values():
        cfn = alarm.node.default_child
        assert isinstance(cfn, cw.CfnAlarm)
        cfn.cfn_options.condition = condition
    if dashboard is not None:
        dashboard.add_widgets(
            cw.GraphWidget(
                title=f"{edge.node.path} 5xx error rate (%)",
                left=[edge.metric_5xx_error_rate()],
                width=12,
            ),
            cw.GraphWidget(
                title=f"{edge.node.path} requests",
                left=[edge.metric_requests()],
                width=12,
            ),
        )
