"""The props of :class:`~patterns.web_tier.ScalableWebTier`, gathered once.

The constructor builds one :class:`WebTierProps` from its keyword arguments; the rules in
:mod:`patterns.web_tier.validate` check it whole (every problem at once) and the feature
builders (:mod:`~patterns.web_tier.network`, :mod:`~patterns.web_tier.instances`,
:mod:`~patterns.web_tier.load_balancer`, :mod:`~patterns.web_tier.scaling`,
:mod:`~patterns.web_tier.alarms`) read the props they need from it. Each prop and its default
is documented once, on ``ScalableWebTier``; the derived values that several features share
are the properties below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns

from patterns.web_tier.options import (
    Architecture,
    Capacity,
    LoadBalancerType,
    PredictiveScaling,
    ScheduledAction,
    StepScaling,
    TargetTracking,
)

__all__ = ["ORIGIN_VERIFY_HEADER", "WebTierProps"]

#: Header of ``cloudfront_origin_secret``; the default of ``HttpOriginOptions.verify_header_name``.
ORIGIN_VERIFY_HEADER = "X-Origin-Verify"


@dataclass(frozen=True, kw_only=True)
class WebTierProps:
    """The keyword arguments of ``ScalableWebTier``, as given (see its docstring)."""

    capacity: Capacity
    vpc: ec2.IVpc | None
    max_azs: int
    nat_gateways: int
    instance_subnets: ec2.SubnetSelection | None
    architecture: Architecture
    instance_type: ec2.InstanceType | None
    machine_image: ec2.IMachineImage | None
    user_data: ec2.UserData | None
    detailed_monitoring: bool
    root_volume_size: int
    root_volume_key: kms.IKey | None
    app_port: int
    load_balancer_type: LoadBalancerType
    certificate: acm.ICertificate | None
    allow_plain_http: bool
    ssl_policy: elbv2.SslPolicy
    health_check_path: str
    health_check_interval: Duration
    health_check_timeout: Duration
    healthy_threshold_count: int
    unhealthy_threshold_count: int
    healthy_http_codes: str
    deregistration_delay: Duration
    deletion_protection: bool | None
    access_logs_bucket: s3.IBucket | None
    allow_from_cloudfront_only: bool
    cloudfront_prefix_list_id: str | None
    origin_secret_header: tuple[str, str] | None
    cloudfront_origin_secret: secretsmanager.ISecret | None
    health_check_grace_period: Duration
    default_instance_warmup: Duration
    cooldown: Duration | None
    termination_policies: Sequence[autoscaling.TerminationPolicy]
    scheduled_actions: Sequence[ScheduledAction]
    target_tracking: Sequence[TargetTracking]
    step_scaling: Sequence[StepScaling]
    predictive_scaling: PredictiveScaling | None
    error_rate_threshold_percent: float
    latency_threshold: Duration
    notification_topic: sns.ITopic | None
    removal_policy: RemovalPolicy
    alarm_topic: sns.ITopic | None
    #: The capacity came from a stated load (``ScalableWebTier(load=...)``).
    load: object = None

    @property
    def protects_load_balancer(self) -> bool:
        """``deletion_protection`` as given, else on - and off in a dev stack (DESTROY)."""
        if self.deletion_protection is not None:
            return self.deletion_protection
        return self.removal_policy != RemovalPolicy.DESTROY

    @property
    def application(self) -> bool:
        """An Application Load Balancer (else a Network Load Balancer)."""
        return self.load_balancer_type == "application"

    @property
    def origin_protocol(self) -> Literal["https", "http"]:
        """How clients (and CloudFront) reach the load balancer."""
        return "https" if self.certificate else "http"

    @property
    def origin_port(self) -> int:
        """The port of the serving listener: 443 with a certificate, else 80."""
        return 443 if self.certificate else 80

    @property
    def redirects_http(self) -> bool:
        """An ALB with a certificate also listens on port 80 to redirect to HTTPS - unless only
        CloudFront may connect (its prefix list leaves no room for a second port's rules)."""
        return (
            self.application
            and self.certificate is not None
            and not self.allow_from_cloudfront_only
        )

    def required_header(self) -> tuple[str, str] | None:
        """``(name, value)`` of the header the ALB requires: ``origin_secret_header``, or
        ``X-Origin-Verify`` with the value of ``cloudfront_origin_secret`` (a dynamic
        reference, resolved at deploy time)."""
        if self.cloudfront_origin_secret is not None:
            return (
                ORIGIN_VERIFY_HEADER,
                self.cloudfront_origin_secret.secret_value.unsafe_unwrap(),
            )
        return self.origin_secret_header
