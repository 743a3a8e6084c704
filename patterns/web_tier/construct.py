"""ScalableWebTier: an EC2 Auto Scaling group behind an ALB or NLB, with every scaling mode.

The constructor checks its props (:mod:`~patterns.web_tier.validate`), then calls the feature
builders in the order their resources appear in the template: :mod:`~patterns.web_tier.network`
(VPC, security groups), :mod:`~patterns.web_tier.instances` (role, launch template, group),
:mod:`~patterns.web_tier.load_balancer` (ALB/NLB, listeners, TLS, access logs),
:mod:`~patterns.web_tier.scaling` and :mod:`~patterns.web_tier.alarms`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import Pattern
from patterns.web_tier import instances, load_balancer, network, notifications, scaling, validate
from patterns.web_tier.alarms import add_web_tier_alarms
from patterns.web_tier.load import SizedTier, WebLoad, idle_usage, size_from_load
from patterns.web_tier.load_balancer import DEFAULT_SSL_POLICY
from patterns.web_tier.options import (
    Architecture,
    Capacity,
    GroupMetric,
    LoadBalancerType,
    PredictiveScaling,
    ScheduledAction,
    StepScaling,
    TargetTracking,
)
from patterns.web_tier.props import WebTierProps
from patterns.web_tier.validate import DEFAULT_HEALTHY_HTTP_CODES

__all__ = ["ScalableWebTier"]

#: The period of the alarms' metrics (and the default of the ``metric_*`` methods).
ALARM_PERIOD = deferred(Duration, "minutes", 1)
_GROUP_METRICS = {"cpu": "CPUUtilization", "network_in": "NetworkIn", "network_out": "NetworkOut"}


_DEFAULT_LATENCY_THRESHOLD = deferred(Duration, "seconds", 1)
_DEFAULT_DEFAULT_INSTANCE_WARMUP = deferred(Duration, "minutes", 3)
_DEFAULT_HEALTH_CHECK_GRACE_PERIOD = deferred(Duration, "minutes", 5)
_DEFAULT_DEREGISTRATION_DELAY = deferred(Duration, "seconds", 30)
_DEFAULT_HEALTH_CHECK_TIMEOUT = deferred(Duration, "seconds", 5)
_DEFAULT_HEALTH_CHECK_INTERVAL = deferred(Duration, "seconds", 15)


class ScalableWebTier(Pattern):
    """An elastic web tier: an EC2 Auto Scaling group in private subnets behind a public load
    balancer, with maintain / manual / scheduled / target tracking / step / predictive scaling.

    **Instances** boot from a *launch template* (Amazon Linux 2023, Graviton ``arm64`` unless
    ``architecture="x86_64"``). Launch configurations are deprecated: new accounts cannot
    create them, and they lack IMDSv2 settings, gp3 volumes, mixed instance types and
    versioning - so this construct never uses one. Instances require IMDSv2 tokens, have an
    encrypted gp3 root volume, no SSH key and no inbound port but the app port from the load
    balancer; operators connect with SSM Session Manager (the instance role has the AWS
    managed ``AmazonSSMManagedInstanceCore`` policy). Egress is HTTPS only (SSM, package
    repositories); add rules to ``security_groups["instances"]`` for anything else.

    **Load balancer**: an Application Load Balancer (HTTP/HTTPS) by default, or a Network Load
    Balancer (TCP/TLS). With a ``certificate`` the listener is HTTPS (TLS for an NLB) and the
    ALB redirects HTTP to HTTPS; without one, plain HTTP (TCP) needs ``allow_plain_http=True``.
    The ALB drops invalid header fields; access logs go to an SSE-S3 bucket (the only
    encryption ELB log delivery supports). Only the load balancer's security group reaches the
    instances, only on ``app_port``.

    **Notifications**: every launch, terminate and launch/terminate error goes to
    ``notification_topic`` - by default ``alarm_topic``, else a topic the construct creates
    (:attr:`notification_topic`, TLS only, encrypted with its own key). The key policy lets
    Auto Scaling's service-linked role encrypt with the key (added to any key of this app
    behind the topic), without which an encrypted topic silently receives nothing.

    **Decisions you make** (the secure choice is the default): ``allow_plain_http=True``
    serves plain HTTP (TCP) without a certificate; ``deletion_protection=False`` lets the load
    balancer be deleted (automatic with ``removal_policy=DESTROY``). Neither needs a cdk-nag
    acknowledgement. The TLS policy is written explicitly (``ssl_policy``), never left to a
    feature flag of your app.

    **Group**: ELB health checks with a grace period, default instance warm-up, 1-minute group
    metrics, termination of the oldest launch template first, and a rolling replacement (one
    instance at a time) whenever the launch template changes. ``DesiredCapacity`` is written
    only in manual mode (``Capacity(desired_capacity=...)``), so a deploy never shrinks a group
    that scaled out; unchanged min/max are not reset while scheduled actions changed them.

    **Scaling** (combine freely; EC2 Auto Scaling runs the largest capacity any policy asks):
    ``scheduled_actions``, ``target_tracking``, ``step_scaling``, ``predictive_scaling``. A
    fixed group (min = max) cannot be combined with dynamic or predictive-and-scale policies
    unless a scheduled action moves min or max. Target tracking and step policies have no
    cooldown - they wait for new instances to warm up (``default_instance_warmup``) instead;
    ``cooldown`` applies only to simple scaling policies you add yourself.

    **CloudFront in front** (see ``EdgeDistribution``): ``allow_from_cloudfront_only=True``
    admits only CloudFront's origin-facing managed prefix list on the one origin port (the
    prefix list weighs ~55 rules against the 60-rule security group quota, so no HTTP
    redirect listener is opened); ``origin_secret_header=(name, value)`` makes the ALB answer
    403 unless CloudFront sent the header - or ``cloudfront_origin_secret=secret``, the same
    Secrets Manager secret ``EdgeDistribution`` sends as ``X-Origin-Verify`` (resolved at
    deploy time, never in the template). ``cloudfront_origin_headers()`` returns what the
    CloudFront origin must send; ``origin_protocol`` / ``origin_port`` how to reach it.

    **Alarms and metrics**: ``ServerErrorRate`` (:meth:`metric_server_error_rate`) and
    ``TargetResponseTime`` (:meth:`metric_target_response_time`, ALB only), ``UnhealthyHosts``
    (:meth:`metric_unhealthy_hosts`) and ``InServiceBelowMinimum``
    (:meth:`metric_in_service_instances`); :meth:`metric` gives any metric of the load
    balancer, :meth:`group_metric` the group's EC2 averages.

    Example::

        web = ScalableWebTier(self, "Web",
            capacity=Capacity(min_capacity=2, max_capacity=10),
            certificate=certificate,
            target_tracking=[TargetTracking.cpu(50)],
            scheduled_actions=[ScheduledAction(name="BusinessHours", schedule="0 8 * * MON-FRI",
                                               time_zone="Europe/Berlin", min_capacity=4)],
            predictive_scaling=PredictiveScaling(target_value=50),
        )
        web.user_data.add_commands("dnf install -y nginx", "systemctl enable --now nginx")

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``ServerErrorRate`` and
    ``TargetResponseTime`` (Application Load Balancer only), ``UnhealthyHosts`` and
    ``InServiceBelowMinimum`` (not when the lowest minimum capacity is 0 or a token).

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        capacity: min / max (/ desired) instances; ``Capacity.maintain(n)`` for a fixed group.
            Default: none - then ``load`` is required.
        load: size the group from the stated load instead (:class:`~patterns.web_tier.WebLoad`:
            peak requests/s, requests/s one instance serves, surviving the loss of a zone):
            min and max capacity over the instance subnets' zones, and a request-count target
            tracking policy (ALB) at 60 x the per-instance rate; the review shows the monthly
            cost at that load and the first limit to bind as it grows (:attr:`load_plan`).
            Not with ``capacity``. Default: none.
        vpc: an existing VPC with public and private-with-egress subnets. Default: a VPC is
            created with ``max_azs`` AZs, public subnets for the load balancer, private ones
            for the instances, ``nat_gateways`` NAT gateways and flow logs (1 year).
        max_azs: AZs of a created VPC (at least 2). Default 2.
        nat_gateways: NAT gateways of a created VPC (1..max_azs). Default 1 for cost; use one
            per AZ in production so an AZ outage does not cut the other AZs' egress.
        instance_subnets: where instances run. Default: the private subnets with egress.
        architecture: ``arm64`` (Graviton, default: better price/performance) or ``x86_64``.
        instance_type: Default ``t4g.small`` (arm64) / ``t3.small`` (x86_64); must match
            ``architecture``.
        machine_image: Default: the latest Amazon Linux 2023 for ``architecture``, resolved
            at deploy time from its public SSM parameter (no account lookup at synth).
        user_data: user data to start from; more commands can be added to ``user_data``.
            Default: an empty Linux user data script.
        detailed_monitoring: 1-minute EC2 metrics (basic monitoring is 5-minute), so target
            tracking reacts within minutes. Costs per metric. Default True.
        root_volume_size: root volume in GiB (8..16,384). Default 16. A multiple of 1,024
            is a warning (most likely MiB: ``8192`` meant as 8 GiB).
        root_volume_key: KMS key of the root volume. Its key policy must let the Auto Scaling
            service-linked role use it. Default: the account's ``aws/ebs`` key.
        app_port: port the instances serve on (1..65,535). Default 80.
        load_balancer_type: ``application`` (default) or ``network``.
        certificate: ACM certificate for HTTPS (ALB) or TLS (NLB) on port 443. Default: none.
        allow_plain_http: without a certificate, serve plain HTTP (TCP for an NLB) on port 80.
            Default False (a certificate is required).
        ssl_policy: TLS policy of the HTTPS/TLS listener. Default ``TLS13_12_PQ``
            (``ELBSecurityPolicy-TLS13-1-2-PQ-2025-09``: TLS 1.3 and 1.2 only, post-quantum key
            exchange), written into the template whatever the app's feature flags.
        health_check_path: HTTP path the load balancer probes. Default ``/``.
        health_check_interval: 5 s..300 s. Default 15 s.
        health_check_timeout: 2 s..120 s and shorter than the interval. Default 5 s.
        healthy_threshold_count: consecutive successes to mark healthy (2..10). Default 2.
        unhealthy_threshold_count: consecutive failures to mark unhealthy (2..10). Default 3.
        healthy_http_codes: ALB only: HTTP codes that count as healthy. Default ``200-399``.
        deregistration_delay: connection draining on scale-in (0 s..1 h). Default 30 s.
        deletion_protection: protect the load balancer from deletion. Default on, and off with
            ``removal_policy=DESTROY`` (a dev stack CloudFormation must be able to delete);
            True with DESTROY is rejected.
        access_logs_bucket: an existing SSE-S3 bucket for the load balancer's access logs
            (the construct adds the delivery statement to its policy). Default: a bucket is
            created (logs expire after a year).
        allow_from_cloudfront_only: admit only CloudFront's origin-facing prefix list.
            Default False (the internet).
        cloudfront_prefix_list_id: id of ``com.amazonaws.global.cloudfront.origin-facing`` in
            the stack's Region (``pl-...``, or a token such as a CfnParameter), required with
            ``allow_from_cloudfront_only``. ``aws ec2 describe-managed-prefix-lists --filters
            Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing``.
        origin_secret_header: ALB only: ``(header name, secret value)`` the request must carry;
            anything else gets 403. Default: none.
        cloudfront_origin_secret: ALB only: shorthand for ``origin_secret_header=
            ("X-Origin-Verify", <the secret's value>)`` - the same secret given to
            ``HttpOriginOptions.verify_secret`` of ``EdgeDistribution`` (the value is a
            ``{{resolve:secretsmanager}}`` dynamic reference, never in the template).
            Default: none.
        health_check_grace_period: time after launch before ELB health checks count
            (0 s..1 h; also the pause between rolling-update batches). Default 5 min.
        default_instance_warmup: time before a new instance's metrics count for scaling
            (0 s..1 h). Default 3 min.
        cooldown: default cooldown of simple scaling policies (0 s..1 h). Default: AWS's 300 s.
        termination_policies: Default oldest launch template first, then AWS's default.
        scheduled_actions: scheduled size changes. Default: none. An action whose min is above
            every max the group can have when it runs (``capacity`` or another action's), whose
            max is below every such min, or whose desired is outside them, is an error (EC2
            Auto Scaling fails it).
        target_tracking: target tracking policies, at most one per predefined metric. A CPU
            target of at most 1 % is a warning (a fraction where a percentage is meant).
        step_scaling: step scaling policies. Default: none.
        predictive_scaling: the group's predictive policy. Default: none.
        error_rate_threshold_percent: ALB only: alarm when more than this share of requests
            (0 < x <= 100) fails with 5xx (load balancer or target) in 3 of 5 minutes.
            Default 5.
        latency_threshold: ALB only: alarm when p95 target response time exceeds it in 3 of
            5 minutes. Default 1 s.
        notification_topic: receives the group's launch, terminate and launch/terminate error
            notifications. Default: ``alarm_topic``, else a topic this construct creates
            (:attr:`notification_topic`, encrypted with its own key) - subscribe to it. Auto
            Scaling publishes with its service-linked role, so the key policy of an encrypted
            topic's key must let ``AWSServiceRoleForAutoScaling`` use it: the construct adds
            that statement to a key of this app; an imported key must already allow it.
        removal_policy: of the created access log bucket (emptied first with DESTROY), flow
            log group and notification key. Default RETAIN; DESTROY also turns the load
            balancer's deletion protection off.
        alarm_topic: notified on ALARM and OK. Default: no notification.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        capacity: Capacity | None = None,
        load: WebLoad | None = None,
        vpc: ec2.IVpc | None = None,
        max_azs: int = 2,
        nat_gateways: int = 1,
        instance_subnets: ec2.SubnetSelection | None = None,
        architecture: Architecture = "arm64",
        instance_type: ec2.InstanceType | None = None,
        machine_image: ec2.IMachineImage | None = None,
        user_data: ec2.UserData | None = None,
        detailed_monitoring: bool = True,
        root_volume_size: int = 16,
        root_volume_key: kms.IKey | None = None,
        app_port: int = 80,
        load_balancer_type: LoadBalancerType = "application",
        certificate: acm.ICertificate | None = None,
        allow_plain_http: bool = False,
        ssl_policy: elbv2.SslPolicy = DEFAULT_SSL_POLICY,
        health_check_path: str = "/",
        health_check_interval: Duration = _DEFAULT_HEALTH_CHECK_INTERVAL,
        health_check_timeout: Duration = _DEFAULT_HEALTH_CHECK_TIMEOUT,
        healthy_threshold_count: int = 2,
        unhealthy_threshold_count: int = 3,
        healthy_http_codes: str = DEFAULT_HEALTHY_HTTP_CODES,
        deregistration_delay: Duration = _DEFAULT_DEREGISTRATION_DELAY,
        deletion_protection: bool | None = None,
        access_logs_bucket: s3.IBucket | None = None,
        allow_from_cloudfront_only: bool = False,
        cloudfront_prefix_list_id: str | None = None,
        origin_secret_header: tuple[str, str] | None = None,
        cloudfront_origin_secret: secretsmanager.ISecret | None = None,
        health_check_grace_period: Duration = _DEFAULT_HEALTH_CHECK_GRACE_PERIOD,
        default_instance_warmup: Duration = _DEFAULT_DEFAULT_INSTANCE_WARMUP,
        cooldown: Duration | None = None,
        termination_policies: Sequence[autoscaling.TerminationPolicy] = (
            autoscaling.TerminationPolicy.OLDEST_LAUNCH_TEMPLATE,
            autoscaling.TerminationPolicy.DEFAULT,
        ),
        scheduled_actions: Sequence[ScheduledAction] = (),
        target_tracking: Sequence[TargetTracking] = (),
        step_scaling: Sequence[StepScaling] = (),
        predictive_scaling: PredictiveScaling | None = None,
        error_rate_threshold_percent: float = 5,
        latency_threshold: Duration = _DEFAULT_LATENCY_THRESHOLD,
        notification_topic: sns.ITopic | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        p = WebTierProps(
            capacity=capacity,  # type: ignore[arg-type]  # None: sized from the load below
            load=load,
            vpc=vpc,
            max_azs=max_azs,
            nat_gateways=nat_gateways,
            instance_subnets=instance_subnets,
            architecture=architecture,
            instance_type=instance_type,
            machine_image=machine_image,
            user_data=user_data,
            detailed_monitoring=detailed_monitoring,
            root_volume_size=root_volume_size,
            root_volume_key=root_volume_key,
            app_port=app_port,
            load_balancer_type=load_balancer_type,
            certificate=certificate,
            allow_plain_http=allow_plain_http,
            ssl_policy=ssl_policy,
            health_check_path=health_check_path,
            health_check_interval=health_check_interval,
            health_check_timeout=health_check_timeout,
            healthy_threshold_count=healthy_threshold_count,
            unhealthy_threshold_count=unhealthy_threshold_count,
            healthy_http_codes=healthy_http_codes,
            deregistration_delay=deregistration_delay,
            deletion_protection=deletion_protection,
            access_logs_bucket=access_logs_bucket,
            allow_from_cloudfront_only=allow_from_cloudfront_only,
            cloudfront_prefix_list_id=cloudfront_prefix_list_id,
            origin_secret_header=origin_secret_header,
            cloudfront_origin_secret=cloudfront_origin_secret,
            health_check_grace_period=health_check_grace_period,
            default_instance_warmup=default_instance_warmup,
            cooldown=cooldown,
            termination_policies=termination_policies,
            scheduled_actions=scheduled_actions,
            target_tracking=target_tracking,
            step_scaling=step_scaling,
            predictive_scaling=predictive_scaling,
            error_rate_threshold_percent=error_rate_threshold_percent,
            latency_threshold=latency_threshold,
            notification_topic=notification_topic,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
        )
        p, sized = self._sized_and_checked(p)

        self.capacity = p.capacity
        #: The plan of ``load`` (capacity, binding limit, usage to price); None without a load.
        self.load_plan = sized.plan
        self.load_balancer_type: LoadBalancerType = p.load_balancer_type
        self.app_port = p.app_port
        self._detailed_monitoring = p.detailed_monitoring
        #: ``(name, value)`` of the header the ALB requires, or None.
        self.origin_secret_header = p.required_header()
        #: The protocol CloudFront (or any client) uses to reach the load balancer.
        self.origin_protocol: Literal["https", "http"] = p.origin_protocol
        #: The port of the serving listener (443 with a certificate, else 80).
        self.origin_port = p.origin_port
        self._add_network_and_instances(p)
        self._add_load_balancer(p)
        self._add_scaling(p)
        self.monitoring = self.start_monitoring()
        add_web_tier_alarms(self, self.monitoring, p)
        self.monitoring.finish(f"Web tier {self.node.path}")
        self._record_capacity(p, sized)

    # -- the features, in the order of their resources ----------------------------------------

    def _sized_and_checked(self, p: WebTierProps) -> tuple[WebTierProps, SizedTier]:
        """Size the group from ``p.load`` (if given), then check every prop at once and warn
        on unit slips."""
        sized = size_from_load(self, p)
        # capacity None only with a problem recorded by size_from_load
        p = replace(p, capacity=sized.capacity, target_tracking=sized.target_tracking)  # type: ignore[arg-type]
        v = self.validator()
        v.problems.extend(sized.problems)
        validate.web_tier(v, p)
        v.raise_if_invalid()
        for slip in validate.unit_slips(p):
            self.warn("web-tier:unit", slip)
        return p, sized

    def _add_network_and_instances(self, p: WebTierProps) -> None:
        """The VPC (unless ``vpc``), the security groups, the instances' role, user data and
        launch template, the notification topic and the Auto Scaling group."""
        self.vpc: ec2.IVpc = p.vpc if p.vpc is not None else network.create_vpc(self, p)
        self.security_groups = network.create_security_groups(self, self.vpc, p)
        self.role = instances.create_role(self)
        self.user_data = p.user_data if p.user_data is not None else ec2.UserData.for_linux()
        self.launch_template = instances.create_launch_template(
            self,
            p,
            role=self.role,
            user_data=self.user_data,
            security_group=self.security_groups["instances"],
        )
        #: Receives the group's launch and terminate notifications (and their errors).
        self.notification_topic = notifications.notification_topic(self, p)
        self.auto_scaling_group = instances.create_group(
            self,
            p,
            vpc=self.vpc,
            launch_template=self.launch_template,
            notification_topic=self.notification_topic,
        )

    def _add_load_balancer(self, p: WebTierProps) -> None:
        """The access log bucket (unless ``access_logs_bucket``), the load balancer, its target
        group (the Auto Scaling group) and listeners."""
        parts = load_balancer.create_load_balancer(
            self,
            p,
            vpc=self.vpc,
            group=self.auto_scaling_group,
            security_group=self.security_groups["load_balancer"],
            required_header=self.origin_secret_header,
        )
        self.access_logs_bucket = parts.access_logs_bucket
        self.load_balancer = parts.load_balancer
        self.listener = parts.listener
        self.target_group = parts.target_group
        self.redirect_listener = parts.redirect_listener

    def _add_scaling(self, p: WebTierProps) -> None:
        """Scheduled actions, target tracking, step and predictive policies."""
        group = self.auto_scaling_group
        self.scheduled_actions = scaling.add_scheduled_actions(group, p.scheduled_actions)
        self.target_tracking_policies = scaling.add_target_tracking(group, p.target_tracking)
        self.step_scaling_policies = scaling.add_step_scaling(
            group, p.step_scaling, group_metric=self.group_metric
        )
        self.predictive_scaling_policy: autoscaling.CfnScalingPolicy | None = None
        if p.predictive_scaling is not None:
            self.predictive_scaling_policy = scaling.add_predictive_scaling(
                self,
                p.predictive_scaling,
                group=group,
                load_balancer=self.load_balancer,
                target_group=self.target_group,
            )

    def _record_capacity(self, p: WebTierProps, sized: SizedTier) -> None:
        """The review-table line; sized from a load, also its cost at load and growth."""
        line = scaling.summary(p)
        load, plan = p.load, sized.plan
        if plan is None or not isinstance(load, WebLoad):
            self.record_capacity(line)
            return
        self.report_plan(
            plan,
            warning="web-tier:load",
            summary=f"{line}; sized for {load.peak_requests_per_second:,g} requests/s at peak "
            f"({plan.binding_limit} binds, {plan.headroom:.0%} spare)",
            prices=load.prices,
            prices_prop="load.prices",
            idle_usage=idle_usage(plan),
            warn_notes=False,  # the vCPU quota and zone notes inform: the review lists them
        )

    # -- public API ------------------------------------------------------------------------
    def cloudfront_origin_headers(self) -> dict[str, str]:
        """Custom headers a CloudFront origin for this load balancer must send (the secret
        origin header, if any) - pass them as ``custom_headers`` of the origin."""
        if self.origin_secret_header is None:
            return {}
        name, value = self.origin_secret_header
        return {name: value}

    @property
    def load_balancer_dns_name(self) -> str:
        """DNS name of the load balancer (the CloudFront origin domain)."""
        return self.load_balancer.load_balancer_dns_name

    # -- metrics ---------------------------------------------------------------------------
    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """A metric of the load balancer: ``AWS/ApplicationELB`` (or ``AWS/NetworkELB``) by
        ``LoadBalancer``, from aws-cdk-lib's load balancer metrics.

        Args:
            metric_name: the metric's name (``RequestCount``, ``ActiveFlowCount`` ...).
            **options: ``cloudwatch.MetricOptions``. Default: CloudWatch's (``Average`` over
                5 minutes).
        """
        return self.load_balancer.metrics.custom(metric_name, **options)

    def metric_server_error_rate(self, period: Duration = ALARM_PERIOD) -> cw.MathExpression:
        """ALB only: the share of requests (percent) answered with a 5xx by the load balancer
        or the targets in each ``period`` (0 without requests)."""
        alb = self._application("metric_server_error_rate")
        return cw.MathExpression(
            expression="IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) "
            "/ requests, 0)",
            using_metrics={
                "requests": alb.metrics.request_count(period=period, statistic="Sum"),
                "elb5xx": alb.metrics.http_code_elb(
                    elbv2.HttpCodeElb.ELB_5XX_COUNT, period=period, statistic="Sum"
                ),
                "target5xx": alb.metrics.http_code_target(
                    elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=period, statistic="Sum"
                ),
            },
            period=period,
            label="5xx responses (% of requests)",
        )

    def metric_target_response_time(self, **options: Any) -> cw.Metric:
        """ALB only: the targets' response time in seconds; default p95 per minute."""
        self._application("metric_target_response_time")
        assert isinstance(self.target_group, elbv2.ApplicationTargetGroup)
        props = {"period": ALARM_PERIOD, "statistic": "p95", **options}
        return self.target_group.metrics.target_response_time(**props)

    def metric_unhealthy_hosts(self, **options: Any) -> cw.Metric:
        """Targets failing the load balancer's health checks; default the maximum per minute."""
        props = {"period": ALARM_PERIOD, "statistic": "Maximum", **options}
        if isinstance(self.target_group, elbv2.ApplicationTargetGroup):
            return self.target_group.metrics.unhealthy_host_count(**props)
        return self.target_group.metrics.un_healthy_host_count(**props)

    def metric_in_service_instances(self, **options: Any) -> cw.Metric:
        """``AWS/AutoScaling`` ``GroupInServiceInstances`` of the group; default the minimum
        per minute."""
        props = {"period": ALARM_PERIOD, "statistic": "Minimum", **options}
        return cw.Metric(
            namespace="AWS/AutoScaling",
            metric_name="GroupInServiceInstances",
            dimensions_map={
                "AutoScalingGroupName": self.auto_scaling_group.auto_scaling_group_name
            },
            **props,
        )

    def group_metric(self, name: GroupMetric) -> cw.Metric:
        """The group's average EC2 ``cpu`` (percent), ``network_in`` or ``network_out`` (bytes
        per period), 1-minute with detailed monitoring, else 5-minute."""
        return cw.Metric(
            namespace="AWS/EC2",
            metric_name=_GROUP_METRICS[name],
            dimensions_map={
                "AutoScalingGroupName": self.auto_scaling_group.auto_scaling_group_name
            },
            statistic="Average",
            period=Duration.minutes(1 if self._detailed_monitoring else 5),
        )

    def _application(self, method: str) -> elbv2.ApplicationLoadBalancer:
        if not isinstance(self.load_balancer, elbv2.ApplicationLoadBalancer):
            raise TypeError(
                f"{self.node.path}: {method} needs an Application Load Balancer "
                "(a Network Load Balancer has no HTTP metrics)"
            )
        return self.load_balancer
