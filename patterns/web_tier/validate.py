"""The prop rules of :class:`~patterns.web_tier.ScalableWebTier`, one function per feature.

:func:`web_tier` runs them all over the construct's :class:`~patterns.web_tier.props.
WebTierProps`; each rule reads the few props it names, records its problems on the validator
and never raises, so the construct reports every problem at once. The rules of the capacity
and scaling options are in :mod:`patterns.web_tier.validate_scaling`; the common props
(``removal_policy``, ``alarm_topic``, ``dashboard``) are checked by the base
(:meth:`patterns.core.pattern.Pattern.validator`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

from patterns.core.deferred import deferred
from patterns.core.network import check_subnets
from patterns.core.validation import Validator, format_duration, is_unresolved
from patterns.web_tier import validate_scaling
from patterns.web_tier.props import WebTierProps

__all__ = [
    "DEFAULT_HEALTHY_HTTP_CODES",
    "alarm_thresholds",
    "cloudfront_origin",
    "group",
    "health_check",
    "instances",
    "listener",
    "network",
    "unit_slips",
    "web_tier",
]

#: ELBv2 target group bounds (health check interval/timeout/thresholds, deregistration delay).
MIN_HC_INTERVAL, MAX_HC_INTERVAL = (
    deferred(Duration, "seconds", 5),
    deferred(Duration, "seconds", 300),
)
MIN_HC_TIMEOUT, MAX_HC_TIMEOUT = (
    deferred(Duration, "seconds", 2),
    deferred(Duration, "seconds", 120),
)
MAX_DEREGISTRATION_DELAY = deferred(Duration, "hours", 1)
#: ALB health check matcher: HTTP codes 200-499, as "200", "200,202" or "200-299" (Elastic Load
#: Balancing API reference, Matcher.HttpCode).
_HTTP_CODES = re.compile(r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")
MIN_HEALTHY_CODE, MAX_HEALTHY_CODE = 200, 499
DEFAULT_HEALTHY_HTTP_CODES = "200-399"
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$")
_PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]{8,17}$")
_NLB_HEADERS = "needs an Application Load Balancer (an NLB cannot read HTTP headers)"


def web_tier(v: Validator, p: WebTierProps) -> None:
    """Every rule of the web tier's props (the common props aside)."""
    if p.capacity is not None:  # None: no capacity and no valid load, reported by load.py
        validate_scaling.capacity(v, p.capacity)
    network(v, p)
    instances(v, p)
    listener(v, p)
    health_check(v, p)
    cloudfront_origin(v, p)
    group(v, p)
    validate_scaling.policies(v, p)
    alarm_thresholds(v, p)


def network(v: Validator, p: WebTierProps) -> None:
    """``vpc``, ``instance_subnets``; ``max_azs`` >= 2 and 1 <= ``nat_gateways`` <= ``max_azs``
    for a created VPC."""
    v.implements("vpc", p.vpc, "select_subnets", what="an ec2.IVpc")
    v.instance_of(
        "instance_subnets", p.instance_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
    )
    _given_vpc_subnets(v, p)
    if p.vpc is None:
        v.number_in_range("max_azs", p.max_azs, minimum=2, integer=True)
        v.number_in_range(
            "nat_gateways",
            p.nat_gateways,
            minimum=1,
            maximum=(
                p.max_azs
                if isinstance(p.max_azs, int) and not is_unresolved(p.max_azs) and p.max_azs >= 1
                else None
            ),
            integer=True,
        )


def _given_vpc_subnets(v: Validator, p: WebTierProps) -> None:
    """A given VPC has public subnets for the load balancer and private ones (with egress, or
    ``instance_subnets``) for the instances."""
    public = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)
    check_subnets(v, p.vpc, None, default=public, what="the load balancer", public=True)
    private = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    check_subnets(
        v,
        p.vpc,
        p.instance_subnets,
        default=private,
        what="the instances",
        prop="instance_subnets",
    )


def instances(v: Validator, p: WebTierProps) -> None:
    """``architecture`` and an ``instance_type`` of it, ``machine_image``, ``user_data``,
    ``detailed_monitoring``, ``root_volume_size`` (8..16,384 GiB), ``root_volume_key``."""
    architecture, instance_type = p.architecture, p.instance_type
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
    v.implements("machine_image", p.machine_image, "get_image", what="an ec2.IMachineImage")
    v.instance_of("user_data", p.user_data, ec2.UserData, what="an ec2.UserData")
    v.boolean("detailed_monitoring", p.detailed_monitoring)
    v.number_in_range(
        "root_volume_size", p.root_volume_size, minimum=8, maximum=16_384, unit="GiB", integer=True
    )
    v.implements("root_volume_key", p.root_volume_key, "key_arn", what="a kms.IKey")


def listener(v: Validator, p: WebTierProps) -> None:
    """``app_port``, ``load_balancer_type``, ``certificate`` or ``allow_plain_http`` (exactly
    one), ``ssl_policy``, ``deletion_protection``, ``access_logs_bucket``."""
    v.number_in_range("app_port", p.app_port, minimum=1, maximum=65_535, integer=True)
    v.one_of("load_balancer_type", p.load_balancer_type, ("application", "network"))
    v.require(
        p.load_balancer_type is not None,
        "load_balancer_type",
        "must be 'application' or 'network', got None",
    )
    v.implements("certificate", p.certificate, "certificate_arn", what="an acm.ICertificate")
    v.boolean("allow_plain_http", p.allow_plain_http)
    if p.certificate is None and not p.allow_plain_http:
        v.add(
            "certificate",
            "is required for HTTPS (TLS on an NLB); pass allow_plain_http=True to serve "
            "plain HTTP (TCP) on port 80 instead, got neither",
        )
    if p.certificate is not None and p.allow_plain_http:
        v.add(
            "allow_plain_http",
            "cannot be combined with certificate (HTTP already redirects to HTTPS)",
        )
    v.instance_of("ssl_policy", p.ssl_policy, elbv2.SslPolicy, what="an elbv2.SslPolicy")
    v.boolean("deletion_protection", p.deletion_protection)
    if p.deletion_protection is True and p.removal_policy == RemovalPolicy.DESTROY:
        v.add(
            "deletion_protection",
            "cannot be True with removal_policy=RemovalPolicy.DESTROY: CloudFormation could not "
            "delete the load balancer, so the stack could not be deleted; leave "
            "deletion_protection out (off with DESTROY) or keep RETAIN",
        )
    v.implements("access_logs_bucket", p.access_logs_bucket, "bucket_arn", what="an s3.IBucket")


def health_check(v: Validator, p: WebTierProps) -> None:
    """``health_check_path``, ``health_check_interval`` > ``health_check_timeout``, the
    threshold counts (2..10), ``healthy_http_codes``, ``deregistration_delay``."""
    path, interval, timeout = p.health_check_path, p.health_check_interval, p.health_check_timeout
    if not is_unresolved(path) and not (
        isinstance(path, str) and path.startswith("/") and len(path) <= 1024
    ):
        v.add(
            "health_check_path",
            f"must start with '/' and be at most 1,024 characters, got {path!r}",
        )
    v.duration_in_range(
        "health_check_interval",
        interval,
        minimum=MIN_HC_INTERVAL,
        maximum=MAX_HC_INTERVAL,
        whole="seconds",  # HealthCheckIntervalSeconds
    )
    v.duration_in_range(
        "health_check_timeout",
        timeout,
        minimum=MIN_HC_TIMEOUT,
        maximum=MAX_HC_TIMEOUT,
        whole="seconds",  # HealthCheckTimeoutSeconds
    )
    if (
        isinstance(interval, Duration)
        and isinstance(timeout, Duration)
        and not (interval.is_unresolved() or timeout.is_unresolved())
        and timeout.to_seconds(integral=False) >= interval.to_seconds(integral=False)
    ):
        v.add(
            "health_check_timeout",
            f"must be shorter than health_check_interval ({format_duration(interval)}), "
            f"got {format_duration(timeout)}",
        )
    for name, count in (
        ("healthy_threshold_count", p.healthy_threshold_count),
        ("unhealthy_threshold_count", p.unhealthy_threshold_count),
    ):
        v.number_in_range(name, count, minimum=2, maximum=10, integer=True)
    v.duration_in_range(
        "deregistration_delay",
        p.deregistration_delay,
        minimum=Duration.seconds(0),
        maximum=MAX_DEREGISTRATION_DELAY,
        whole="seconds",  # deregistration_delay.timeout_seconds
    )
    _healthy_http_codes(v, p.healthy_http_codes, application=p.application)


def _healthy_http_codes(v: Validator, codes: str, *, application: bool) -> None:
    """ALB only: HTTP codes 200-499 as ``200``, ``200,202`` or ``200-299``."""
    if not v.text("healthy_http_codes", codes):
        return
    if not application:
        v.require(
            codes == DEFAULT_HEALTHY_HTTP_CODES,
            "healthy_http_codes",
            "applies only to an Application Load Balancer (the NLB health check uses its "
            f"own matcher), got {codes!r}",
        )
        return
    numbers = [int(c) for c in re.findall(r"\d+", codes)]
    ranges = re.findall(r"(\d{3})-(\d{3})", codes)
    if (
        not _HTTP_CODES.match(codes)
        or not all(MIN_HEALTHY_CODE <= c <= MAX_HEALTHY_CODE for c in numbers)
        or any(int(lo) > int(hi) for lo, hi in ranges)
    ):
        v.add(
            "healthy_http_codes",
            f"must be HTTP codes {MIN_HEALTHY_CODE}-{MAX_HEALTHY_CODE} as '200', "
            f"'200,202' or '200-299', got {codes!r}",
        )


def cloudfront_origin(v: Validator, p: WebTierProps) -> None:
    """``allow_from_cloudfront_only`` with a ``cloudfront_prefix_list_id``, and at most one of
    ``origin_secret_header`` / ``cloudfront_origin_secret`` (ALB only)."""
    v.boolean("allow_from_cloudfront_only", p.allow_from_cloudfront_only)
    _prefix_list(v, p.cloudfront_prefix_list_id, cloudfront_only=p.allow_from_cloudfront_only)
    v.at_most_one(
        {
            "origin_secret_header": p.origin_secret_header,
            "cloudfront_origin_secret": p.cloudfront_origin_secret,
        }
    )
    v.implements(
        "cloudfront_origin_secret",
        p.cloudfront_origin_secret,
        "secret_value",
        what="a secretsmanager.ISecret",
    )
    if p.cloudfront_origin_secret is not None and not p.application:
        v.add("cloudfront_origin_secret", _NLB_HEADERS)
    if p.origin_secret_header is not None:
        if not p.application:
            v.add("origin_secret_header", _NLB_HEADERS)
        _secret_header(v, p.origin_secret_header)


def _prefix_list(v: Validator, prefix_list_id: str | None, *, cloudfront_only: bool) -> None:
    """Required with ``allow_from_cloudfront_only``, allowed only with it, ``pl-...``."""
    if cloudfront_only and prefix_list_id is None:
        v.add(
            "cloudfront_prefix_list_id",
            "is required with allow_from_cloudfront_only (the id of "
            "com.amazonaws.global.cloudfront.origin-facing in the stack's Region), got None",
        )
    if prefix_list_id is None:
        return
    if not cloudfront_only:
        v.add("cloudfront_prefix_list_id", "applies only with allow_from_cloudfront_only=True")
    if v.text("cloudfront_prefix_list_id", prefix_list_id) and not (
        _PREFIX_LIST_ID.match(prefix_list_id)
    ):
        v.add(
            "cloudfront_prefix_list_id",
            f"must look like 'pl-0123456789abcdef0', got {prefix_list_id!r}",
        )


def _secret_header(v: Validator, header: object) -> None:
    """A ``(name, value)`` tuple: an HTTP token name and a 16-128 character secret."""
    if not (isinstance(header, tuple) and len(header) == 2):
        v.add("origin_secret_header", f"must be a (name, value) tuple, got {header!r}")
        return
    name, value = header
    if not is_unresolved(name) and not _HEADER_NAME.match(str(name)):
        v.add("origin_secret_header", f"name must be 1-40 HTTP token characters, got {name!r}")
    if not is_unresolved(value) and not (isinstance(value, str) and 16 <= len(value) <= 128):
        v.add("origin_secret_header", "value must be a secret of 16-128 characters (or a token)")


def group(v: Validator, p: WebTierProps) -> None:
    """``health_check_grace_period``, ``default_instance_warmup``, ``cooldown`` (0 s..1 h,
    whole seconds), ``termination_policies``, ``notification_topic``."""
    validate_scaling.group_seconds(v, "health_check_grace_period", p.health_check_grace_period)
    validate_scaling.group_seconds(v, "default_instance_warmup", p.default_instance_warmup)
    validate_scaling.group_seconds(v, "cooldown", p.cooldown)
    _termination_policies(v, p.termination_policies)
    v.implements("notification_topic", p.notification_topic, "topic_arn", what="an sns.ITopic")


def _termination_policies(v: Validator, policies: object) -> None:
    if isinstance(policies, str) or not isinstance(policies, Sequence):
        v.add(
            "termination_policies",
            f"must be a list of autoscaling.TerminationPolicy, got {type(policies).__name__}",
        )
        return
    for i, policy in enumerate(policies):
        v.instance_of(
            f"termination_policies[{i}]",
            policy,
            autoscaling.TerminationPolicy,
            what="an autoscaling.TerminationPolicy",
        )


def unit_slips(p: WebTierProps) -> list[str]:
    """Warnings for values AWS accepts but that are plausible only in another unit: a CPU
    target of at most 1 % (a fraction, ``0.5``, where a percentage is meant) and a
    ``root_volume_size`` that is a whole number of GiB counted in MiB (1,024 or more and a
    multiple of 1,024: ``8192`` is 8 TiB, most likely meant as 8 GiB)."""
    slips = []
    tracking = p.target_tracking if isinstance(p.target_tracking, list | tuple) else ()
    for i, policy in enumerate(tracking):
        target = getattr(policy, "target_value", None)
        if (
            getattr(policy, "metric", None) == "cpu"
            and isinstance(target, int | float)
            and not isinstance(target, bool)
            and not is_unresolved(target)
            and 0 < target <= 1
        ):
            slips.append(
                f"target_tracking[{i}] keeps CPU at {target:g} %, an idle group; the target is "
                f"a percentage - for {target:.0%} give TargetTracking.cpu({target * 100:g})."
            )
    size = p.root_volume_size
    if (
        isinstance(size, int)
        and not isinstance(size, bool)
        and not is_unresolved(size)
        and size >= 1_024
        and size % 1_024 == 0
    ):
        slips.append(
            f"root_volume_size is {size:,} GiB ({size // 1_024} TiB per instance); it counts "
            f"GiB - for {size // 1_024} GiB give {size // 1_024}."
        )
    return slips


def alarm_thresholds(v: Validator, p: WebTierProps) -> None:
    """``error_rate_threshold_percent`` (0.01..100 %), ``latency_threshold`` (0 < t <= 1 min)."""
    v.number_in_range(
        "error_rate_threshold_percent",
        p.error_rate_threshold_percent,
        minimum=0.01,
        maximum=100,
        unit="%",
    )
    latency = p.latency_threshold
    v.duration_in_range(
        "latency_threshold", latency, minimum=Duration.seconds(0), maximum=Duration.minutes(1)
    )
    if isinstance(latency, Duration) and not latency.is_unresolved():
        v.require(
            latency.to_milliseconds() > 0,
            "latency_threshold",
            "must be greater than 0 s, got 0 s",
        )
