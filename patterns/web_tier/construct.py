"""ScalableWebTier: an EC2 Auto Scaling group behind an ALB or NLB, with every scaling mode."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, TypeVar

from aws_cdk import Annotations, CfnResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.defaults import access_log_bucket
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge
from patterns.core.network import new_vpc, public_and_private_subnets
from patterns.core.validation import Validator, format_duration, is_unresolved
from patterns.web_tier.options import (
    MAX_WARMUP,
    Capacity,
    GroupMetric,
    PredictiveScaling,
    ScheduledAction,
    StepScaling,
    TargetTracking,
    validate_capacity,
    validate_predictive,
    validate_scheduled,
    validate_step_scaling,
    validate_target_tracking,
)

__all__ = ["ScalableWebTier"]

_T = TypeVar("_T")

#: ELBv2 target group bounds (health check interval/timeout/thresholds, deregistration delay).
MIN_HC_INTERVAL, MAX_HC_INTERVAL = Duration.seconds(5), Duration.seconds(300)
MIN_HC_TIMEOUT, MAX_HC_TIMEOUT = Duration.seconds(2), Duration.seconds(120)
MAX_DEREGISTRATION_DELAY = Duration.hours(1)
#: CloudFormation's rolling update PauseTime is at most one hour.
MAX_PAUSE = Duration.hours(1)
#: AL2023's root device.
ROOT_DEVICE = "/dev/xvda"
#: The ALB access-log delivery principal; AWS recommends it over the per-Region ELB account ids
#: in every Region, so the bucket policy needs no Region at synth time.
ALB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com"
#: NLB access logs (TLS listeners only) are delivered by the log delivery service.
NLB_LOG_DELIVERY = "delivery.logs.amazonaws.com"
ACCESS_LOG_PREFIX = "load-balancer"
#: Header of ``cloudfront_origin_secret``; the default of ``HttpOriginOptions.verify_header_name``.
ORIGIN_VERIFY_HEADER = "X-Origin-Verify"
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$")
_PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]{8,17}$")
#: ALB health check matcher: HTTP codes 200-499, as "200", "200,202" or "200-299" (Elastic Load
#: Balancing API reference, Matcher.HttpCode).
_HTTP_CODES = re.compile(r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")
MIN_HEALTHY_CODE, MAX_HEALTHY_CODE = 200, 499
DEFAULT_HEALTHY_HTTP_CODES = "200-399"

LoadBalancerType = Literal["application", "network"]
Architecture = Literal["arm64", "x86_64"]


class ScalableWebTier(Construct):
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

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        capacity: min / max (/ desired) instances; ``Capacity.maintain(n)`` for a fixed group.
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
        root_volume_size: root volume in GiB (8..16,384). Default 16.
        root_volume_key: KMS key of the root volume. Its key policy must let the Auto Scaling
            service-linked role use it. Default: the account's ``aws/ebs`` key.
        app_port: port the instances serve on (1..65,535). Default 80.
        load_balancer_type: ``application`` (default) or ``network``.
        certificate: ACM certificate for HTTPS (ALB) or TLS (NLB) on port 443. Default: none.
        allow_plain_http: without a certificate, serve plain HTTP (TCP for an NLB) on port 80.
            Default False (a certificate is required).
        ssl_policy: TLS policy of the HTTPS/TLS listener. Default: CDK's recommended policy.
        health_check_path: HTTP path the load balancer probes. Default ``/``.
        health_check_interval: 5 s..300 s. Default 15 s.
        health_check_timeout: 2 s..120 s and shorter than the interval. Default 5 s.
        healthy_threshold_count: consecutive successes to mark healthy (2..10). Default 2.
        unhealthy_threshold_count: consecutive failures to mark unhealthy (2..10). Default 3.
        healthy_http_codes: ALB only: HTTP codes that count as healthy. Default ``200-399``.
        deregistration_delay: connection draining on scale-in (0 s..1 h). Default 30 s.
        deletion_protection: protect the load balancer from deletion. Default True; set False
            in dev stacks you destroy.
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
        scheduled_actions: scheduled size changes. Default: none.
        target_tracking: target tracking policies, at most one per predefined metric.
        step_scaling: step scaling policies. Default: none.
        predictive_scaling: the group's predictive policy. Default: none.
        error_rate_threshold_percent: ALB only: alarm when more than this share of requests
            (0 < x <= 100) fails with 5xx (load balancer or target) in 3 of 5 minutes.
            Default 5.
        latency_threshold: ALB only: alarm when p95 target response time exceeds it in 3 of
            5 minutes. Default 1 s.
        notification_topic: receives the group's launch/terminate notifications.
            Default: ``alarm_topic``.
        removal_policy: of the created access log bucket and flow log group. Default RETAIN.
        alarm_topic: notified on ALARM and OK. Default: no notification.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        capacity: Capacity,
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
        ssl_policy: elbv2.SslPolicy | None = None,
        health_check_path: str = "/",
        health_check_interval: Duration = Duration.seconds(15),
        health_check_timeout: Duration = Duration.seconds(5),
        healthy_threshold_count: int = 2,
        unhealthy_threshold_count: int = 3,
        healthy_http_codes: str = DEFAULT_HEALTHY_HTTP_CODES,
        deregistration_delay: Duration = Duration.seconds(30),
        deletion_protection: bool = True,
        access_logs_bucket: s3.IBucket | None = None,
        allow_from_cloudfront_only: bool = False,
        cloudfront_prefix_list_id: str | None = None,
        origin_secret_header: tuple[str, str] | None = None,
        cloudfront_origin_secret: secretsmanager.ISecret | None = None,
        health_check_grace_period: Duration = Duration.minutes(5),
        default_instance_warmup: Duration = Duration.minutes(3),
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
        latency_threshold: Duration = Duration.seconds(1),
        notification_topic: sns.ITopic | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        application = load_balancer_type == "application"
        v = self._validate(
            capacity=capacity,
            vpc=vpc,
            max_azs=max_azs,
            nat_gateways=nat_gateways,
            architecture=architecture,
            instance_type=instance_type,
            root_volume_size=root_volume_size,
            app_port=app_port,
            load_balancer_type=load_balancer_type,
            certificate=certificate,
            allow_plain_http=allow_plain_http,
            health_check_path=health_check_path,
            health_check_interval=health_check_interval,
            health_check_timeout=health_check_timeout,
            healthy_threshold_count=healthy_threshold_count,
            unhealthy_threshold_count=unhealthy_threshold_count,
            deregistration_delay=deregistration_delay,
            allow_from_cloudfront_only=allow_from_cloudfront_only,
            cloudfront_prefix_list_id=cloudfront_prefix_list_id,
            origin_secret_header=origin_secret_header,
            cloudfront_origin_secret=cloudfront_origin_secret,
            health_check_grace_period=health_check_grace_period,
            default_instance_warmup=default_instance_warmup,
            cooldown=cooldown,
            scheduled_actions=scheduled_actions,
            target_tracking=target_tracking,
            step_scaling=step_scaling,
            predictive_scaling=predictive_scaling,
            error_rate_threshold_percent=error_rate_threshold_percent,
            latency_threshold=latency_threshold,
        )
        self._validate_more(
            v,
            vpc=vpc,
            instance_subnets=instance_subnets,
            machine_image=machine_image,
            user_data=user_data,
            detailed_monitoring=detailed_monitoring,
            root_volume_key=root_volume_key,
            ssl_policy=ssl_policy,
            healthy_http_codes=healthy_http_codes,
            application=application,
            deletion_protection=deletion_protection,
            access_logs_bucket=access_logs_bucket,
            termination_policies=termination_policies,
            notification_topic=notification_topic,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        v.raise_if_invalid()
        self.capacity = capacity
        self._detailed_monitoring = detailed_monitoring
        self.load_balancer_type: LoadBalancerType = load_balancer_type
        self.app_port = app_port
        if cloudfront_origin_secret is not None:
            origin_secret_header = (
                ORIGIN_VERIFY_HEADER,
                cloudfront_origin_secret.secret_value.unsafe_unwrap(),
            )
        #: ``(name, value)`` of the header the ALB requires, or None.
        self.origin_secret_header = origin_secret_header
        #: The protocol CloudFront (or any client) uses to reach the load balancer.
        self.origin_protocol: Literal["https", "http"] = "https" if certificate else "http"
        #: The port of the serving listener (443 with a certificate, else 80).
        self.origin_port = 443 if certificate else 80

        self.vpc = (
            vpc if vpc is not None else self._create_vpc(max_azs, nat_gateways, removal_policy)
        )

        # -- security groups: internet (or CloudFront) -> load balancer -> instances ----------
        lb_sg = ec2.SecurityGroup(
            self,
            "LoadBalancerSecurityGroup",
            vpc=self.vpc,
            description=f"Load balancer of {self.node.path}: clients in, app port to instances",
            allow_all_outbound=False,
        )
        instance_sg = ec2.SecurityGroup(
            self,
            "InstanceSecurityGroup",
            vpc=self.vpc,
            description=f"Instances of {self.node.path}: app port from the load balancer only",
            allow_all_outbound=False,
        )
        instance_sg.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to SSM and package repositories"
        )
        instance_sg.add_ingress_rule(
            lb_sg, ec2.Port.tcp(app_port), "App port from the load balancer only"
        )
        lb_sg.add_egress_rule(
            instance_sg, ec2.Port.tcp(app_port), "App port and health checks to the instances"
        )
        self.security_groups: dict[str, ec2.SecurityGroup] = {
            "load_balancer": lb_sg,
            "instances": instance_sg,
        }
        if allow_from_cloudfront_only:
            assert cloudfront_prefix_list_id is not None
            lb_sg.add_ingress_rule(
                ec2.Peer.prefix_list(cloudfront_prefix_list_id),
                ec2.Port.tcp(self.origin_port),
                "CloudFront origin-facing servers only",
            )
        else:
            ports = [self.origin_port] + ([80] if certificate and application else [])
            for port in ports:
                lb_sg.add_ingress_rule(
                    ec2.Peer.any_ipv4(), ec2.Port.tcp(port), f"Clients on port {port}"
                )
            acknowledge(
                lb_sg,
                "AwsSolutions::AwsSolutions-EC23",
                "This is the internet-facing load balancer of a public web tier; it must accept "
                "clients from any address. Instances accept only this security group.",
            )

        # -- instances ---------------------------------------------------------------------
        cpu = (
            ec2.AmazonLinuxCpuType.ARM_64
            if architecture == "arm64"
            else ec2.AmazonLinuxCpuType.X86_64
        )
        self.role = iam.Role(
            self,
            "InstanceRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description=f"Instances of {self.node.path}: SSM Session Manager access",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMManagedInstanceCore")
            ],
        )
        acknowledge(
            self.role,
            "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
            "AmazonSSMManagedInstanceCore]",
            "AmazonSSMManagedInstanceCore is the minimal AWS-maintained policy for SSM Session "
            "Manager, which replaces SSH; AWS updates it as the SSM agent's API needs change.",
        )
        self.user_data = user_data if user_data is not None else ec2.UserData.for_linux()
        self.launch_template = ec2.LaunchTemplate(
            self,
            "LaunchTemplate",
            instance_type=instance_type or self._default_instance_type(architecture),
            machine_image=machine_image or ec2.MachineImage.latest_amazon_linux2023(cpu_type=cpu),
            user_data=self.user_data,
            role=self.role,
            security_group=instance_sg,
            require_imdsv2=True,
            http_put_response_hop_limit=1,
            detailed_monitoring=detailed_monitoring,
            block_devices=[
                ec2.BlockDevice(
                    device_name=ROOT_DEVICE,
                    volume=ec2.BlockDeviceVolume.ebs(
                        root_volume_size,
                        encrypted=True,
                        kms_key=root_volume_key,
                        volume_type=ec2.EbsDeviceVolumeType.GP3,
                        delete_on_termination=True,
                    ),
                )
            ],
        )

        # -- the group ---------------------------------------------------------------------
        notify = notification_topic or alarm_topic
        grace = health_check_grace_period
        pause = (
            grace
            if grace.is_unresolved() or grace.to_seconds() <= MAX_PAUSE.to_seconds()
            else MAX_PAUSE
        )
        # CloudFormation needs MinInstancesInService < MaxSize; 0 when the sizes are tokens.
        in_service = (
            0
            if is_unresolved(capacity.min_capacity) or is_unresolved(capacity.max_capacity)
            else max(0, min(capacity.min_capacity, capacity.max_capacity - 1))
        )
        self.auto_scaling_group = autoscaling.AutoScalingGroup(
            self,
            "AutoScalingGroup",
            vpc=self.vpc,
            vpc_subnets=instance_subnets
            or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            launch_template=self.launch_template,
            min_capacity=capacity.min_capacity,
            max_capacity=capacity.max_capacity,
            desired_capacity=capacity.desired_capacity,
            health_checks=autoscaling.HealthChecks.with_additional_checks(
                additional_types=[autoscaling.AdditionalHealthCheckType.ELB],
                grace_period=grace,
            ),
            default_instance_warmup=default_instance_warmup,
            cooldown=cooldown,
            termination_policies=list(termination_policies),
            group_metrics=[autoscaling.GroupMetrics.all()],
            update_policy=autoscaling.UpdatePolicy.rolling_update(
                max_batch_size=1, min_instances_in_service=in_service, pause_time=pause
            ),
            ignore_unmodified_size_properties=True,
            notifications=(
                [autoscaling.NotificationConfiguration(topic=notify)] if notify else None
            ),
        )

        # -- load balancer -----------------------------------------------------------------
        self.access_logs_bucket = access_logs_bucket or access_log_bucket(
            self, "AccessLogs", removal_policy=removal_policy
        )
        self.redirect_listener: elbv2.ApplicationListener | None = None
        self.load_balancer: elbv2.ApplicationLoadBalancer | elbv2.NetworkLoadBalancer
        self.listener: elbv2.ApplicationListener | elbv2.NetworkListener
        self.target_group: elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup
        health = dict(
            interval=health_check_interval,
            timeout=health_check_timeout,
            healthy_threshold_count=healthy_threshold_count,
            unhealthy_threshold_count=unhealthy_threshold_count,
            path=health_check_path,
        )
        if application:
            self._create_application_load_balancer(
                lb_sg=lb_sg,
                certificate=certificate,
                ssl_policy=ssl_policy,
                health_check=elbv2.HealthCheck(**health, healthy_http_codes=healthy_http_codes),  # type: ignore[arg-type]
                deregistration_delay=deregistration_delay,
                deletion_protection=deletion_protection,
                cloudfront_only=allow_from_cloudfront_only,
            )
        else:
            self._create_network_load_balancer(
                lb_sg=lb_sg,
                certificate=certificate,
                ssl_policy=ssl_policy,
                health_check=elbv2.HealthCheck(**health, protocol=elbv2.Protocol.HTTP),  # type: ignore[arg-type]
                deregistration_delay=deregistration_delay,
                deletion_protection=deletion_protection,
            )
        self._log_access(application)

        # -- scaling -----------------------------------------------------------------------
        self.scheduled_actions: dict[str, autoscaling.ScheduledAction] = {}
        for action in scheduled_actions:
            self.scheduled_actions[action.name] = self.auto_scaling_group.scale_on_schedule(
                action.name,
                schedule=autoscaling.Schedule.expression(action.schedule),
                time_zone=action.time_zone,
                min_capacity=action.min_capacity,
                max_capacity=action.max_capacity,
                desired_capacity=action.desired_capacity,
                start_time=action.start_time,
                end_time=action.end_time,
            )
        self.target_tracking_policies: dict[str, autoscaling.TargetTrackingScalingPolicy] = {}
        for policy in target_tracking:
            self.target_tracking_policies[policy.construct_id] = self._add_target_tracking(policy)
        self.step_scaling_policies: dict[str, autoscaling.StepScalingPolicy] = {}
        for step in step_scaling:
            self.step_scaling_policies[step.name] = self._add_step_scaling(step)
        self.predictive_scaling_policy: autoscaling.CfnScalingPolicy | None = None
        if predictive_scaling is not None:
            self.predictive_scaling_policy = self._add_predictive(predictive_scaling)

        # -- alarms ------------------------------------------------------------------------
        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        self._add_alarms(
            scheduled_actions,
            error_rate_threshold_percent=error_rate_threshold_percent,
            latency_threshold=latency_threshold,
        )
        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"Web tier {self.node.path}")
        record_capacity(
            self,
            self._summary(
                instance_type or self._default_instance_type(architecture),
                architecture,
                scheduled_actions,
                target_tracking,
                step_scaling,
                predictive_scaling,
            ),
        )

    # -- public API ------------------------------------------------------------------------
    def cloudfront_origin_headers(self) -> dict[str, str]:
        """Custom headers a CloudFront origin for this load balancer must send (the secret
        origin header, if any) - pass them as ``custom_headers`` of the origin."""
        if self.origin_secret_header is None:
            return {}
        name, value = self.origin_secret_header
        return {name: value}

    def group_metric(self, name: GroupMetric) -> cw.Metric:
        """The group's average EC2 ``cpu`` (percent), ``network_in`` or ``network_out`` (bytes
        per period), 1-minute with detailed monitoring, else 5-minute."""
        return cw.Metric(
            namespace="AWS/EC2",
            metric_name={
                "cpu": "CPUUtilization",
                "network_in": "NetworkIn",
                "network_out": "NetworkOut",
            }[name],
            dimensions_map={
                "AutoScalingGroupName": self.auto_scaling_group.auto_scaling_group_name
            },
            statistic="Average",
            period=Duration.minutes(1 if self._detailed_monitoring else 5),
        )

    @property
    def load_balancer_dns_name(self) -> str:
        """DNS name of the load balancer (the CloudFront origin domain)."""
        return self.load_balancer.load_balancer_dns_name

    # -- construction ----------------------------------------------------------------------
    def _create_vpc(
        self, max_azs: int, nat_gateways: int, removal_policy: RemovalPolicy
    ) -> ec2.Vpc:
        vpc, _ = new_vpc(
            self,
            "Vpc",
            subnet_configuration=public_and_private_subnets(private_cidr_mask=22),
            max_azs=max_azs,
            nat_gateways=nat_gateways,
            removal_policy=removal_policy,
        )
        return vpc

    @staticmethod
    def _default_instance_type(architecture: Architecture) -> ec2.InstanceType:
        return ec2.InstanceType("t4g.small" if architecture == "arm64" else "t3.small")

    def _create_application_load_balancer(
        self,
        *,
        lb_sg: ec2.SecurityGroup,
        certificate: acm.ICertificate | None,
        ssl_policy: elbv2.SslPolicy | None,
        health_check: elbv2.HealthCheck,
        deregistration_delay: Duration,
        deletion_protection: bool,
        cloudfront_only: bool,
    ) -> None:
        alb = elbv2.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            vpc=self.vpc,
            internet_facing=True,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            security_group=lb_sg,
            drop_invalid_header_fields=True,
            deletion_protection=deletion_protection,
        )
        target_group = elbv2.ApplicationTargetGroup(
            self,
            "TargetGroup",
            vpc=self.vpc,
            port=self.app_port,
            protocol=elbv2.ApplicationProtocol.HTTP,
            targets=[self.auto_scaling_group],
            health_check=health_check,
            deregistration_delay=deregistration_delay,
        )
        forward = elbv2.ListenerAction.forward([target_group])
        default_action = forward
        if self.origin_secret_header is not None:
            default_action = elbv2.ListenerAction.fixed_response(
                403, content_type="text/plain", message_body="Forbidden"
            )
        if certificate is not None:
            listener = alb.add_listener(
                "HttpsListener",
                port=443,
                protocol=elbv2.ApplicationProtocol.HTTPS,
                certificates=[elbv2.ListenerCertificate.from_certificate_manager(certificate)],
                ssl_policy=ssl_policy,
                default_action=default_action,
                open=False,
            )
            if not cloudfront_only:
                self.redirect_listener = alb.add_redirect(
                    source_port=80, target_port=443, open=False
                )
        else:
            listener = alb.add_listener(
                "HttpListener",
                port=80,
                protocol=elbv2.ApplicationProtocol.HTTP,
                default_action=default_action,
                open=False,
            )
        if self.origin_secret_header is not None:
            name, value = self.origin_secret_header
            listener.add_action(
                "FromCloudFront",
                priority=1,
                conditions=[elbv2.ListenerCondition.http_header(name, [value])],
                action=forward,
            )
        self.load_balancer = alb
        self.listener = listener
        self.target_group = target_group

    def _create_network_load_balancer(
        self,
        *,
        lb_sg: ec2.SecurityGroup,
        certificate: acm.ICertificate | None,
        ssl_policy: elbv2.SslPolicy | None,
        health_check: elbv2.HealthCheck,
        deregistration_delay: Duration,
        deletion_protection: bool,
    ) -> None:
        nlb = elbv2.NetworkLoadBalancer(
            self,
            "LoadBalancer",
            vpc=self.vpc,
            internet_facing=True,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            security_groups=[lb_sg],
            deletion_protection=deletion_protection,
            cross_zone_enabled=True,
        )
        target_group = elbv2.NetworkTargetGroup(
            self,
            "TargetGroup",
            vpc=self.vpc,
            port=self.app_port,
            protocol=elbv2.Protocol.TCP,
            targets=[self.auto_scaling_group],
            health_check=health_check,
            deregistration_delay=deregistration_delay,
        )
        listener = nlb.add_listener(
            "TlsListener" if certificate else "TcpListener",
            port=self.origin_port,
            protocol=elbv2.Protocol.TLS if certificate else elbv2.Protocol.TCP,
            certificates=(
                [elbv2.ListenerCertificate.from_certificate_manager(certificate)]
                if certificate
                else None
            ),
            ssl_policy=ssl_policy if certificate else None,
            default_target_groups=[target_group],
        )
        self.load_balancer = nlb
        self.listener = listener
        self.target_group = target_group

    def _log_access(self, application: bool) -> None:
        """Access logs without a Region at synth time.

        ``BaseLoadBalancer.log_access_logs`` needs the stack's Region (for the legacy per-Region
        ELB account) and fails in an environment-agnostic stack, so the attributes and bucket
        statements are written here with the Region-independent service principals.
        """
        bucket = self.access_logs_bucket
        account = Stack.of(self).account
        objects = bucket.arn_for_objects(f"{ACCESS_LOG_PREFIX}/AWSLogs/{account}/*")
        self.load_balancer.set_attribute("access_logs.s3.enabled", "true")
        self.load_balancer.set_attribute("access_logs.s3.bucket", bucket.bucket_name)
        self.load_balancer.set_attribute("access_logs.s3.prefix", ACCESS_LOG_PREFIX)
        if application:
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowAlbAccessLogDelivery",
                    principals=[iam.ServicePrincipal(ALB_LOG_DELIVERY)],
                    actions=["s3:PutObject"],
                    resources=[objects],
                )
            )
        else:
            source = {"aws:SourceAccount": account}
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowNlbAccessLogDelivery",
                    principals=[iam.ServicePrincipal(NLB_LOG_DELIVERY)],
                    actions=["s3:PutObject"],
                    resources=[objects],
                    conditions={
                        "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", **source}
                    },
                )
            )
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowNlbAccessLogAclCheck",
                    principals=[iam.ServicePrincipal(NLB_LOG_DELIVERY)],
                    actions=["s3:GetBucketAcl"],
                    resources=[bucket.bucket_arn],
                    conditions={"StringEquals": source},
                )
            )
        # ELB checks that it may write to the bucket when the attribute is set.
        if bucket.policy is not None:
            self.load_balancer.node.add_dependency(bucket.policy)

    def _add_target_tracking(self, t: TargetTracking) -> autoscaling.TargetTrackingScalingPolicy:
        asg = self.auto_scaling_group
        common = dict(
            disable_scale_in=t.disable_scale_in or None,
            estimated_instance_warmup=t.estimated_instance_warmup,
        )
        if t.metric == "cpu":
            return asg.scale_on_cpu_utilization(
                t.construct_id,
                target_utilization_percent=t.target_value,
                **common,  # type: ignore[arg-type]
            )
        if t.metric == "request_count_per_target":
            policy = asg.scale_on_request_count(
                t.construct_id,
                target_requests_per_minute=t.target_value,
                **common,  # type: ignore[arg-type]
            )
            # Its ResourceLabel already refers to the listener that aws-cdk-lib depends on.
            self._drop_redundant_depends_on(policy.node.try_find_child("Resource"))  # type: ignore[arg-type]
            return policy
        if t.metric == "network_in":
            return asg.scale_on_incoming_bytes(
                t.construct_id,
                target_bytes_per_second=t.target_value,
                **common,  # type: ignore[arg-type]
            )
        if t.metric == "network_out":
            return asg.scale_on_outgoing_bytes(
                t.construct_id,
                target_bytes_per_second=t.target_value,
                **common,  # type: ignore[arg-type]
            )
        assert t.custom_metric is not None
        return asg.scale_to_track_metric(
            t.construct_id,
            metric=t.custom_metric,
            target_value=t.target_value,
            **common,  # type: ignore[arg-type]
        )

    @staticmethod
    def _drop_redundant_depends_on(resource: CfnResource | None) -> None:
        """aws-cdk-lib lists a resource in DependsOn that it already references with Ref or
        GetAtt (cfn-lint W3005); the reference alone orders the two."""
        if isinstance(resource, CfnResource):
            resource.add_deletion_override("DependsOn")

    def _add_step_scaling(self, s: StepScaling) -> autoscaling.StepScalingPolicy:
        adjustment = {
            "change_in_capacity": autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
            "percent_change_in_capacity": autoscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
            "exact_capacity": autoscaling.AdjustmentType.EXACT_CAPACITY,
        }[s.adjustment_type]
        metric = s.metric if not isinstance(s.metric, str) else self.group_metric(s.metric)
        return self.auto_scaling_group.scale_on_metric(
            f"{s.name}StepScaling",
            metric=metric,
            scaling_steps=[
                autoscaling.ScalingInterval(lower=step.lower, upper=step.upper, change=step.change)
                for step in s.steps
            ],
            adjustment_type=adjustment,
            min_adjustment_magnitude=s.min_adjustment_magnitude,
            estimated_instance_warmup=s.estimated_instance_warmup,
            evaluation_periods=s.evaluation_periods,
            datapoints_to_alarm=s.datapoints_to_alarm,
        )

    def _add_predictive(self, p: PredictiveScaling) -> autoscaling.CfnScalingPolicy:
        metric_type = {
            "cpu": "ASGCPUUtilization",
            "network_in": "ASGNetworkIn",
            "network_out": "ASGNetworkOut",
            "request_count_per_target": "ALBRequestCount",
        }[p.metric]
        resource_label = None
        if p.metric == "request_count_per_target":
            assert isinstance(self.load_balancer, elbv2.ApplicationLoadBalancer)
            assert isinstance(self.target_group, elbv2.ApplicationTargetGroup)
            resource_label = (
                f"{self.load_balancer.load_balancer_full_name}/"
                f"{self.target_group.target_group_full_name}"
            )
        cfn = autoscaling.CfnScalingPolicy
        return cfn(
            self,
            "PredictiveScaling",
            auto_scaling_group_name=self.auto_scaling_group.auto_scaling_group_name,
            policy_type="PredictiveScaling",
            predictive_scaling_configuration=cfn.PredictiveScalingConfigurationProperty(
                metric_specifications=[
                    cfn.PredictiveScalingMetricSpecificationProperty(
                        target_value=p.target_value,
                        predefined_metric_pair_specification=(
                            cfn.PredictiveScalingPredefinedMetricPairProperty(
                                predefined_metric_type=metric_type,
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
                    "HonorMaxCapacity"
                    if p.max_capacity_breach == "honor"
                    else "IncreaseMaxCapacity"
                ),
                max_capacity_buffer=p.max_capacity_buffer,
            ),
        )

    def _add_alarms(
        self,
        scheduled_actions: Sequence[ScheduledAction],
        *,
        error_rate_threshold_percent: float,
        latency_threshold: Duration,
    ) -> None:
        minute = Duration.minutes(1)
        path = self.node.path
        lb, tg = self.load_balancer, self.target_group
        if isinstance(lb, elbv2.ApplicationLoadBalancer):
            assert isinstance(tg, elbv2.ApplicationTargetGroup)
            rate = cw.MathExpression(
                expression="IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) "
                "/ requests, 0)",
                using_metrics={
                    "requests": lb.metrics.request_count(period=minute, statistic="Sum"),
                    "elb5xx": lb.metrics.http_code_elb(
                        elbv2.HttpCodeElb.ELB_5XX_COUNT, period=minute, statistic="Sum"
                    ),
                    "target5xx": lb.metrics.http_code_target(
                        elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=minute, statistic="Sum"
                    ),
                },
                period=minute,
                label="5xx responses (% of requests)",
            )
            self.monitoring.alarm(
                "ServerErrorRate",
                metric=rate,
                threshold=error_rate_threshold_percent,
                evaluation_periods=5,
                datapoints_to_alarm=3,
                description=(
                    f"{path}: more than {error_rate_threshold_percent:g}% of requests failed "
                    "with 5xx (load balancer or targets) in 3 of 5 minutes."
                ),
            )
            self.monitoring.alarm(
                "TargetResponseTime",
                metric=tg.metrics.target_response_time(period=minute, statistic="p95"),
                threshold=latency_threshold.to_seconds(),
                evaluation_periods=5,
                datapoints_to_alarm=3,
                description=(
                    f"{path}: p95 target response time above "
                    f"{format_duration(latency_threshold)} in 3 of 5 minutes."
                ),
            )
            unhealthy = tg.metrics.unhealthy_host_count(period=minute, statistic="Maximum")
        else:
            assert isinstance(tg, elbv2.NetworkTargetGroup)
            unhealthy = tg.metrics.un_healthy_host_count(period=minute, statistic="Maximum")
        self.monitoring.alarm(
            "UnhealthyHosts",
            metric=unhealthy,
            threshold=0,
            evaluation_periods=5,
            datapoints_to_alarm=5,
            description=(
                f"{path}: targets failed load balancer health checks for 5 minutes; the group "
                "replaces them - if it keeps happening, check the app and the health check path."
            ),
        )
        # The lowest minimum any mode can set: below it the group is really short of capacity.
        minimums = [self.capacity.min_capacity] + [
            a.min_capacity for a in scheduled_actions if a.min_capacity is not None
        ]
        if any(is_unresolved(m) for m in minimums):
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:web-tier:in-service-alarm",
                "A minimum capacity is a deploy-time token, so the in-service-below-minimum "
                "alarm has no threshold and is not created.",
            )
            return
        floor = min(minimums)
        if floor > 0:
            self.monitoring.alarm(
                "InServiceBelowMinimum",
                metric=cw.Metric(
                    namespace="AWS/AutoScaling",
                    metric_name="GroupInServiceInstances",
                    dimensions_map={
                        "AutoScalingGroupName": self.auto_scaling_group.auto_scaling_group_name
                    },
                    period=minute,
                    statistic="Minimum",
                ),
                threshold=floor,
                comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
                evaluation_periods=10,
                datapoints_to_alarm=10,
                description=(
                    f"{path}: fewer than {floor} instances in service for 10 minutes; instances "
                    "fail to launch or to pass health checks (capacity, AMI, user data, quota)."
                ),
            )

    def _summary(
        self,
        instance_type: ec2.InstanceType,
        architecture: Architecture,
        scheduled_actions: Sequence[ScheduledAction],
        target_tracking: Sequence[TargetTracking],
        step_scaling: Sequence[StepScaling],
        predictive: PredictiveScaling | None,
    ) -> str:
        c = self.capacity
        if any(is_unresolved(n) for n in (c.min_capacity, c.max_capacity, c.desired_capacity)):
            size = "deploy-time size"
        elif c.fixed:
            size = f"maintain {c.min_capacity}"
        elif c.desired_capacity is not None:
            size = f"{c.min_capacity}-{c.max_capacity} (manual, desired {c.desired_capacity})"
        else:
            size = f"{c.min_capacity}-{c.max_capacity}"
        modes = []
        if target_tracking:
            modes.append("tracking " + ", ".join(t.metric for t in target_tracking))
        if step_scaling:
            modes.append(f"{len(step_scaling)} step")
        if scheduled_actions:
            modes.append(f"{len(scheduled_actions)} scheduled")
        if predictive:
            modes.append(f"predictive {predictive.mode.replace('_', '-')}")
        lb = "ALB" if self.load_balancer_type == "application" else "NLB"
        return f"{size} x {instance_type.to_string()} ({architecture}) behind {lb}" + (
            f"; {'; '.join(modes)}" if modes else ""
        )

    # -- validation ------------------------------------------------------------------------
    def _validate_more(
        self,
        v: Validator,
        *,
        vpc: ec2.IVpc | None,
        instance_subnets: ec2.SubnetSelection | None,
        machine_image: ec2.IMachineImage | None,
        user_data: ec2.UserData | None,
        detailed_monitoring: bool,
        root_volume_key: kms.IKey | None,
        ssl_policy: elbv2.SslPolicy | None,
        healthy_http_codes: str,
        application: bool,
        deletion_protection: bool,
        access_logs_bucket: s3.IBucket | None,
        termination_policies: Sequence[autoscaling.TerminationPolicy],
        notification_topic: sns.ITopic | None,
        removal_policy: RemovalPolicy,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
    ) -> None:
        """Types of the props aws-cdk-lib would otherwise reject with a jsii trace, and the
        health check matcher."""
        v.implements("vpc", vpc, "select_subnets", what="an ec2.IVpc")
        v.instance_of(
            "instance_subnets", instance_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
        )
        v.implements("machine_image", machine_image, "get_image", what="an ec2.IMachineImage")
        v.instance_of("user_data", user_data, ec2.UserData, what="an ec2.UserData")
        v.boolean("detailed_monitoring", detailed_monitoring)
        v.boolean("deletion_protection", deletion_protection)
        v.implements("root_volume_key", root_volume_key, "key_arn", what="a kms.IKey")
        v.instance_of("ssl_policy", ssl_policy, elbv2.SslPolicy, what="an elbv2.SslPolicy")
        v.implements("access_logs_bucket", access_logs_bucket, "bucket_arn", what="an s3.IBucket")
        if isinstance(termination_policies, str) or not isinstance(termination_policies, Sequence):
            v.add(
                "termination_policies",
                "must be a list of autoscaling.TerminationPolicy, got "
                f"{type(termination_policies).__name__}",
            )
        else:
            for i, policy in enumerate(termination_policies):
                v.instance_of(
                    f"termination_policies[{i}]",
                    policy,
                    autoscaling.TerminationPolicy,
                    what="an autoscaling.TerminationPolicy",
                )
        v.implements("notification_topic", notification_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        if not v.text("healthy_http_codes", healthy_http_codes):
            return
        if not application:
            v.require(
                healthy_http_codes == DEFAULT_HEALTHY_HTTP_CODES,
                "healthy_http_codes",
                "applies only to an Application Load Balancer (the NLB health check uses its "
                f"own matcher), got {healthy_http_codes!r}",
            )
            return
        codes = [int(c) for c in re.findall(r"\d+", healthy_http_codes)]
        ranges = re.findall(r"(\d{3})-(\d{3})", healthy_http_codes)
        if (
            not _HTTP_CODES.match(healthy_http_codes)
            or not all(MIN_HEALTHY_CODE <= c <= MAX_HEALTHY_CODE for c in codes)
            or any(int(lo) > int(hi) for lo, hi in ranges)
        ):
            v.add(
                "healthy_http_codes",
                f"must be HTTP codes {MIN_HEALTHY_CODE}-{MAX_HEALTHY_CODE} as '200', "
                f"'200,202' or '200-299', got {healthy_http_codes!r}",
            )

    def _validate(
        self,
        *,
        capacity: Capacity,
        vpc: ec2.IVpc | None,
        max_azs: int,
        nat_gateways: int,
        architecture: str,
        instance_type: ec2.InstanceType | None,
        root_volume_size: int,
        app_port: int,
        load_balancer_type: str,
        certificate: acm.ICertificate | None,
        allow_plain_http: bool,
        health_check_path: str,
        health_check_interval: Duration,
        health_check_timeout: Duration,
        healthy_threshold_count: int,
        unhealthy_threshold_count: int,
        deregistration_delay: Duration,
        allow_from_cloudfront_only: bool,
        cloudfront_prefix_list_id: str | None,
        origin_secret_header: tuple[str, str] | None,
        cloudfront_origin_secret: secretsmanager.ISecret | None,
        health_check_grace_period: Duration,
        default_instance_warmup: Duration,
        cooldown: Duration | None,
        scheduled_actions: Sequence[ScheduledAction],
        target_tracking: Sequence[TargetTracking],
        step_scaling: Sequence[StepScaling],
        predictive_scaling: PredictiveScaling | None,
        error_rate_threshold_percent: float,
        latency_threshold: Duration,
    ) -> Validator:
        """Every problem of the scaling, network and load balancer props (not raised yet)."""
        v = Validator(self)
        application = load_balancer_type == "application"
        if not isinstance(capacity, Capacity):
            v.add("capacity", f"must be a Capacity, got {type(capacity).__name__}")
        else:
            validate_capacity(v, capacity)
        if vpc is None:
            v.number_in_range("max_azs", max_azs, minimum=2, integer=True)
            v.number_in_range(
                "nat_gateways",
                nat_gateways,
                minimum=1,
                maximum=max_azs if not is_unresolved(max_azs) and max_azs >= 1 else None,
                integer=True,
            )
        v.one_of("architecture", architecture, ("arm64", "x86_64"))
        v.require(architecture is not None, "architecture", "must be 'arm64' or 'x86_64', got None")
        v.instance_of("instance_type", instance_type, ec2.InstanceType, what="an ec2.InstanceType")
        if isinstance(instance_type, ec2.InstanceType) and architecture in ("arm64", "x86_64"):
            wanted = (
                ec2.InstanceArchitecture.ARM_64
                if architecture == "arm64"
                else ec2.InstanceArchitecture.X86_64
            )
            if instance_type.architecture != wanted:
                v.add(
                    "instance_type",
                    f"must be an {architecture} type to match architecture, "
                    f"got {instance_type.to_string()}",
                )
        v.number_in_range(
            "root_volume_size",
            root_volume_size,
            minimum=8,
            maximum=16_384,
            unit="GiB",
            integer=True,
        )
        v.number_in_range("app_port", app_port, minimum=1, maximum=65_535, integer=True)
        v.one_of("load_balancer_type", load_balancer_type, ("application", "network"))
        v.require(
            load_balancer_type is not None,
            "load_balancer_type",
            "must be 'application' or 'network', got None",
        )
        v.implements("certificate", certificate, "certificate_arn", what="an acm.ICertificate")
        v.boolean("allow_plain_http", allow_plain_http)
        v.boolean("allow_from_cloudfront_only", allow_from_cloudfront_only)
        if certificate is None and not allow_plain_http:
            v.add(
                "certificate",
                "is required for HTTPS (TLS on an NLB); pass allow_plain_http=True to serve "
                "plain HTTP (TCP) on port 80 instead, got neither",
            )
        if certificate is not None and allow_plain_http:
            v.add(
                "allow_plain_http",
                "cannot be combined with certificate (HTTP already redirects to HTTPS)",
            )
        if not is_unresolved(health_check_path) and not (
            isinstance(health_check_path, str)
            and health_check_path.startswith("/")
            and len(health_check_path) <= 1024
        ):
            v.add(
                "health_check_path",
                f"must start with '/' and be at most 1,024 characters, got {health_check_path!r}",
            )
        v.duration_in_range(
            "health_check_interval",
            health_check_interval,
            minimum=MIN_HC_INTERVAL,
            maximum=MAX_HC_INTERVAL,
            whole="seconds",  # HealthCheckIntervalSeconds
        )
        v.duration_in_range(
            "health_check_timeout",
            health_check_timeout,
            minimum=MIN_HC_TIMEOUT,
            maximum=MAX_HC_TIMEOUT,
            whole="seconds",  # HealthCheckTimeoutSeconds
        )
        if (
            isinstance(health_check_interval, Duration)
            and isinstance(health_check_timeout, Duration)
            and not (health_check_interval.is_unresolved() or health_check_timeout.is_unresolved())
            and health_check_timeout.to_seconds(integral=False)
            >= health_check_interval.to_seconds(integral=False)
        ):
            v.add(
                "health_check_timeout",
                f"must be shorter than health_check_interval "
                f"({format_duration(health_check_interval)}), "
                f"got {format_duration(health_check_timeout)}",
            )
        for name, count in (
            ("healthy_threshold_count", healthy_threshold_count),
            ("unhealthy_threshold_count", unhealthy_threshold_count),
        ):
            v.number_in_range(name, count, minimum=2, maximum=10, integer=True)
        v.duration_in_range(
            "deregistration_delay",
            deregistration_delay,
            minimum=Duration.seconds(0),
            maximum=MAX_DEREGISTRATION_DELAY,
            whole="seconds",  # deregistration_delay.timeout_seconds
        )
        if allow_from_cloudfront_only and cloudfront_prefix_list_id is None:
            v.add(
                "cloudfront_prefix_list_id",
                "is required with allow_from_cloudfront_only (the id of "
                "com.amazonaws.global.cloudfront.origin-facing in the stack's Region), got None",
            )
        if cloudfront_prefix_list_id is not None:
            if not allow_from_cloudfront_only:
                v.add(
                    "cloudfront_prefix_list_id",
                    "applies only with allow_from_cloudfront_only=True",
                )
            if v.text("cloudfront_prefix_list_id", cloudfront_prefix_list_id) and not (
                _PREFIX_LIST_ID.match(cloudfront_prefix_list_id)
            ):
                v.add(
                    "cloudfront_prefix_list_id",
                    f"must look like 'pl-0123456789abcdef0', got {cloudfront_prefix_list_id!r}",
                )
        v.at_most_one(
            {
                "origin_secret_header": origin_secret_header,
                "cloudfront_origin_secret": cloudfront_origin_secret,
            }
        )
        v.implements(
            "cloudfront_origin_secret",
            cloudfront_origin_secret,
            "secret_value",
            what="a secretsmanager.ISecret",
        )
        if cloudfront_origin_secret is not None and not application:
            v.add(
                "cloudfront_origin_secret",
                "needs an Application Load Balancer (an NLB cannot read HTTP headers)",
            )
        if origin_secret_header is not None:
            if not application:
                v.add(
                    "origin_secret_header",
                    "needs an Application Load Balancer (an NLB cannot read HTTP headers)",
                )
            if not (isinstance(origin_secret_header, tuple) and len(origin_secret_header) == 2):
                v.add(
                    "origin_secret_header",
                    f"must be a (name, value) tuple, got {origin_secret_header!r}",
                )
            else:
                name, value = origin_secret_header
                if not is_unresolved(name) and not _HEADER_NAME.match(str(name)):
                    v.add(
                        "origin_secret_header",
                        f"name must be 1-40 HTTP token characters, got {name!r}",
                    )
                if not is_unresolved(value) and not (
                    isinstance(value, str) and 16 <= len(value) <= 128
                ):
                    v.add(
                        "origin_secret_header",
                        "value must be a secret of 16-128 characters (or a token)",
                    )
        v.duration_in_range(
            "health_check_grace_period",
            health_check_grace_period,
            minimum=Duration.seconds(0),
            maximum=Duration.hours(1),
            whole="seconds",  # HealthCheckGracePeriod is in seconds
        )
        v.duration_in_range(
            "default_instance_warmup",
            default_instance_warmup,
            minimum=Duration.seconds(0),
            maximum=MAX_WARMUP,
            whole="seconds",  # DefaultInstanceWarmup is in seconds
        )
        v.duration_in_range(
            "cooldown",
            cooldown,
            minimum=Duration.seconds(0),
            maximum=Duration.hours(1),
            whole="seconds",  # Cooldown is in seconds
        )
        scheduled_actions = _typed_items(v, "scheduled_actions", scheduled_actions, ScheduledAction)
        target_tracking = _typed_items(v, "target_tracking", target_tracking, TargetTracking)
        step_scaling = _typed_items(v, "step_scaling", step_scaling, StepScaling)
        if predictive_scaling is not None and not v.instance_of(
            "predictive_scaling", predictive_scaling, PredictiveScaling, what="a PredictiveScaling"
        ):
            predictive_scaling = None
        seen: set[str] = set()
        for i, action in enumerate(scheduled_actions):
            validate_scheduled(v, i, action)
            if action.name in seen:
                v.add(f"scheduled_actions[{i}].name", f"is used twice, got {action.name!r}")
            seen.add(action.name)
        tracked: set[str] = set()
        for i, policy in enumerate(target_tracking):
            validate_target_tracking(v, i, policy, application=application)
            key = policy.construct_id if policy.metric == "custom" else policy.metric
            if key in tracked:
                v.add(
                    f"target_tracking[{i}]",
                    f"tracks {key!r} twice; one policy per metric, got a second",
                )
            tracked.add(key)
        names: set[str] = set()
        for i, step in enumerate(step_scaling):
            validate_step_scaling(v, i, step)
            if step.name in names:
                v.add(f"step_scaling[{i}].name", f"is used twice, got {step.name!r}")
            names.add(step.name)
        if predictive_scaling is not None:
            validate_predictive(v, predictive_scaling, application=application)
        if isinstance(capacity, Capacity) and not is_unresolved(capacity.min_capacity):
            moves_bounds = any(
                a.min_capacity is not None or a.max_capacity is not None for a in scheduled_actions
            )
            dynamic = [
                name
                for name, given in (
                    ("target_tracking", bool(target_tracking)),
                    ("step_scaling", bool(step_scaling)),
                    (
                        "predictive_scaling",
                        predictive_scaling is not None
                        and predictive_scaling.mode == "forecast_and_scale",
                    ),
                )
                if given
            ]
            if capacity.fixed and dynamic and not moves_bounds:
                v.add(
                    "capacity",
                    f"is fixed at {capacity.min_capacity} (min = max), so {', '.join(dynamic)} "
                    "could never change it; widen max_capacity or drop the policies",
                )
        v.number_in_range(
            "error_rate_threshold_percent",
            error_rate_threshold_percent,
            minimum=0.01,
            maximum=100,
            unit="%",
        )
        v.duration_in_range(
            "latency_threshold",
            latency_threshold,
            minimum=Duration.seconds(0),
            maximum=Duration.minutes(1),
        )
        if isinstance(latency_threshold, Duration) and not latency_threshold.is_unresolved():
            v.require(
                latency_threshold.to_milliseconds() > 0,
                "latency_threshold",
                "must be greater than 0 s, got 0 s",
            )
        return v


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
