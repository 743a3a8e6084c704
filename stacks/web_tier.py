"""Example stacks of ScalableWebTier: an ALB web tier with target tracking, scheduled and
predictive (forecast-only) scaling, and an NLB web tier with step scaling.

Both serve plain HTTP by explicit opt-in (``allow_plain_http=True``): an example stack must
deploy in any account and Region without a certificate, and an imported certificate ARN would
name an account that does not exist. Production stacks pass an ACM ``certificate`` (HTTPS with
an HTTP -> HTTPS redirect), or put ``EdgeDistribution`` (HTTPS to viewers) in front.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from constructs import Construct

from patterns.core.monitoring import create_alarm_topic
from patterns.web_tier import (
    Capacity,
    PredictiveScaling,
    ScalableWebTier,
    ScalingStep,
    ScheduledAction,
    StepScaling,
    TargetTracking,
    WebLoad,
)

#: AL2023 user data: nginx serves the app port (80) and the health check path.
NGINX = (
    "dnf install -y nginx",
    "echo ok > /usr/share/nginx/html/healthz",
    "systemctl enable --now nginx",
)


class WebTierExampleStack(cdk.Stack):
    """ALB -> ASG (Graviton) sized from its load: 100 requests/s at peak, 20 per instance,
    surviving the loss of one of its 2 zones -> 2-10 instances and request-count target
    tracking at 1,200 per target per minute; CPU target tracking, more instances in Berlin
    business hours, and a predictive policy in forecast-only mode."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.web = ScalableWebTier(
            self,
            "Web",
            load=WebLoad(peak_requests_per_second=100, requests_per_second_per_instance=20),
            allow_plain_http=True,
            health_check_path="/healthz",
            target_tracking=[TargetTracking.cpu(50)],
            scheduled_actions=[
                ScheduledAction(
                    name="BusinessHours",
                    schedule="0 8 * * MON-FRI",
                    time_zone="Europe/Berlin",
                    min_capacity=4,
                ),
                ScheduledAction(
                    name="Night",
                    schedule="0 20 * * *",
                    time_zone="Europe/Berlin",
                    min_capacity=2,
                ),
            ],
            predictive_scaling=PredictiveScaling(
                metric="cpu",
                target_value=50,
                scheduling_buffer=Duration.minutes(5),
            ),
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self.web.user_data.add_commands(*NGINX)
        cdk.CfnOutput(self, "Url", value=f"http://{self.web.load_balancer_dns_name}")
        cdk.CfnOutput(
            self,
            "AutoScalingGroupName",
            value=self.web.auto_scaling_group.auto_scaling_group_name,
        )


class WebTierStepScalingExampleStack(cdk.Stack):
    """NLB (TCP) -> ASG (2-8 instances) scaled by CPU steps: -1 below 30 %, +1 from 60 %,
    +3 from 80 %."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        self.web = ScalableWebTier(
            self,
            "Web",
            capacity=Capacity(min_capacity=2, max_capacity=8),
            load_balancer_type="network",
            allow_plain_http=True,
            health_check_path="/healthz",
            step_scaling=[
                StepScaling(
                    name="Cpu",
                    metric="cpu",
                    steps=(
                        ScalingStep(lower=None, upper=30, change=-1),
                        ScalingStep(lower=30, upper=60, change=0),
                        ScalingStep(lower=60, upper=80, change=1),
                        ScalingStep(lower=80, upper=None, change=3),
                    ),
                    estimated_instance_warmup=Duration.minutes(3),
                    evaluation_periods=3,
                    datapoints_to_alarm=2,
                )
            ],
            alarm_topic=alarm_topic,
        )
        self.web.user_data.add_commands(*NGINX)
        cdk.CfnOutput(self, "Endpoint", value=f"{self.web.load_balancer_dns_name}:80")
        cdk.CfnOutput(
            self,
            "AutoScalingGroupName",
            value=self.web.auto_scaling_group.auto_scaling_group_name,
        )


EXAMPLES = {
    "WebTierExample": WebTierExampleStack,
    "WebTierStepScalingExample": WebTierStepScalingExampleStack,
}
