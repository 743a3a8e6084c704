"""The load balancer of :class:`~patterns.web_tier.ScalableWebTier`: an internet-facing ALB
(HTTP/HTTPS) or NLB (TCP/TLS), its target group and listeners, and its access logs.

With a ``certificate`` the listener is HTTPS on 443 (TLS for an NLB) with the ``ssl_policy``
given (:data:`DEFAULT_SSL_POLICY` otherwise, always written into the template: aws-cdk-lib
would otherwise leave it to a feature flag of the user's app) and the ALB redirects port 80 to
HTTPS; without one it is plain HTTP (TCP) on port 80. A required origin header makes the ALB
answer 403 unless the request carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.core.defaults import access_log_bucket
from patterns.web_tier.props import WebTierProps

__all__ = [
    "ACCESS_LOG_PREFIX",
    "ALB_LOG_DELIVERY",
    "DEFAULT_SSL_POLICY",
    "NLB_LOG_DELIVERY",
    "LoadBalancing",
    "create_load_balancer",
    "log_access",
]

#: The ALB access-log delivery principal; AWS recommends it over the per-Region ELB account ids
#: in every Region, so the bucket policy needs no Region at synth time.
ALB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com"
#: NLB access logs (TLS listeners only) are delivered by the log delivery service.
NLB_LOG_DELIVERY = "delivery.logs.amazonaws.com"
ACCESS_LOG_PREFIX = "load-balancer"
#: The TLS policy of the HTTPS/TLS listener unless ``ssl_policy`` says otherwise:
#: ``ELBSecurityPolicy-TLS13-1-2-PQ-2025-09`` (TLS 1.3 and 1.2 only, post-quantum hybrid key
#: exchange) - the policy aws-cdk-lib picks only in apps with the flag
#: ``@aws-cdk/aws-elasticloadbalancingv2:usePostQuantumTlsPolicy``; a plain app would get none
#: in its template (ELB's older default).
DEFAULT_SSL_POLICY = elbv2.SslPolicy.TLS13_12_PQ


@dataclass(frozen=True)
class LoadBalancing:
    """What :func:`create_load_balancer` created (the web tier's public attributes)."""

    load_balancer: elbv2.ApplicationLoadBalancer | elbv2.NetworkLoadBalancer
    listener: elbv2.ApplicationListener | elbv2.NetworkListener
    target_group: elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup
    access_logs_bucket: s3.IBucket
    redirect_listener: elbv2.ApplicationListener | None = None


def create_load_balancer(
    scope: Construct,
    p: WebTierProps,
    *,
    vpc: ec2.IVpc,
    group: autoscaling.AutoScalingGroup,
    security_group: ec2.ISecurityGroup,
    required_header: tuple[str, str] | None,
) -> LoadBalancing:
    """``AccessLogs`` (unless ``access_logs_bucket``), ``LoadBalancer``, ``TargetGroup`` of
    ``group`` and the listeners, in public subnets; ``required_header`` (ALB only) is the
    ``(name, value)`` every forwarded request must carry."""
    bucket = p.access_logs_bucket or access_log_bucket(
        scope, "AccessLogs", removal_policy=p.removal_policy
    )
    placement: dict[str, Any] = {
        "vpc": vpc,
        "internet_facing": True,
        "vpc_subnets": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
        "deletion_protection": p.protects_load_balancer,
    }
    targets: dict[str, Any] = {
        "vpc": vpc,
        "port": p.app_port,
        "targets": [group],
        "health_check": _health_check(p),
        "deregistration_delay": p.deregistration_delay,
    }
    if p.application:
        alb = elbv2.ApplicationLoadBalancer(
            scope,
            "LoadBalancer",
            security_group=security_group,
            drop_invalid_header_fields=True,
            **placement,
        )
        alb_targets = elbv2.ApplicationTargetGroup(
            scope, "TargetGroup", protocol=elbv2.ApplicationProtocol.HTTP, **targets
        )
        parts = _application_listeners(p, alb, alb_targets, bucket, required_header)
    else:
        nlb = elbv2.NetworkLoadBalancer(
            scope,
            "LoadBalancer",
            security_groups=[security_group],
            cross_zone_enabled=True,
            **placement,
        )
        nlb_targets = elbv2.NetworkTargetGroup(
            scope, "TargetGroup", protocol=elbv2.Protocol.TCP, **targets
        )
        parts = _network_listener(p, nlb, nlb_targets, bucket)
    log_access(parts.load_balancer, bucket, application=p.application)
    return parts


def _health_check(p: WebTierProps) -> elbv2.HealthCheck:
    """``health_check_path`` every ``health_check_interval`` (``health_check_timeout``), the
    threshold counts, and ``healthy_http_codes`` (ALB) or HTTP (NLB)."""
    return elbv2.HealthCheck(
        path=p.health_check_path,
        interval=p.health_check_interval,
        timeout=p.health_check_timeout,
        healthy_threshold_count=p.healthy_threshold_count,
        unhealthy_threshold_count=p.unhealthy_threshold_count,
        healthy_http_codes=p.healthy_http_codes if p.application else None,
        protocol=None if p.application else elbv2.Protocol.HTTP,
    )


def _application_listeners(
    p: WebTierProps,
    alb: elbv2.ApplicationLoadBalancer,
    target_group: elbv2.ApplicationTargetGroup,
    bucket: s3.IBucket,
    required_header: tuple[str, str] | None,
) -> LoadBalancing:
    """HTTPS (``certificate``, ``ssl_policy``) with the HTTP redirect, or plain HTTP; with a
    required header, 403 unless the request carries it."""
    forward = elbv2.ListenerAction.forward([target_group])
    default_action = forward
    if required_header is not None:
        default_action = elbv2.ListenerAction.fixed_response(
            403, content_type="text/plain", message_body="Forbidden"
        )
    redirect = None
    if p.certificate is not None:
        listener = alb.add_listener(
            "HttpsListener",
            port=443,
            protocol=elbv2.ApplicationProtocol.HTTPS,
            certificates=[elbv2.ListenerCertificate.from_certificate_manager(p.certificate)],
            ssl_policy=p.ssl_policy,
            default_action=default_action,
            open=False,
        )
        if p.redirects_http:
            redirect = alb.add_redirect(source_port=80, target_port=443, open=False)
    else:
        listener = alb.add_listener(
            "HttpListener",
            port=80,
            protocol=elbv2.ApplicationProtocol.HTTP,
            default_action=default_action,
            open=False,
        )
    if required_header is not None:
        name, value = required_header
        listener.add_action(
            "FromCloudFront",
            priority=1,
            conditions=[elbv2.ListenerCondition.http_header(name, [value])],
            action=forward,
        )
    return LoadBalancing(alb, listener, target_group, bucket, redirect)


def _network_listener(
    p: WebTierProps,
    nlb: elbv2.NetworkLoadBalancer,
    target_group: elbv2.NetworkTargetGroup,
    bucket: s3.IBucket,
) -> LoadBalancing:
    """TLS on 443 (``certificate``, ``ssl_policy``) or TCP on 80."""
    certificate = p.certificate
    listener = nlb.add_listener(
        "TlsListener" if certificate else "TcpListener",
        port=p.origin_port,
        protocol=elbv2.Protocol.TLS if certificate else elbv2.Protocol.TCP,
        certificates=(
            [elbv2.ListenerCertificate.from_certificate_manager(certificate)]
            if certificate
            else None
        ),
        ssl_policy=p.ssl_policy if certificate else None,
        default_target_groups=[target_group],
    )
    return LoadBalancing(nlb, listener, target_group, bucket)


def log_access(
    load_balancer: elbv2.ApplicationLoadBalancer | elbv2.NetworkLoadBalancer,
    bucket: s3.IBucket,
    *,
    application: bool,
) -> None:
    """Access logs without a Region at synth time.

    ``BaseLoadBalancer.log_access_logs`` needs the stack's Region (for the legacy per-Region
    ELB account) and fails in an environment-agnostic stack, so the attributes and bucket
    statements are written here with the Region-independent service principals.
    """
    account = Stack.of(load_balancer).account
    objects = bucket.arn_for_objects(f"{ACCESS_LOG_PREFIX}/AWSLogs/{account}/*")
    load_balancer.set_attribute("access_logs.s3.enabled", "true")
    load_balancer.set_attribute("access_logs.s3.bucket", bucket.bucket_name)
    load_balancer.set_attribute("access_logs.s3.prefix", ACCESS_LOG_PREFIX)
    if application:
        _allow_delivery(
            bucket, "AllowAlbAccessLogDelivery", ALB_LOG_DELIVERY, "s3:PutObject", objects
        )
    else:
        source = {"aws:SourceAccount": account}
        owner = {"s3:x-amz-acl": "bucket-owner-full-control", **source}
        _allow_delivery(
            bucket,
            "AllowNlbAccessLogDelivery",
            NLB_LOG_DELIVERY,
            "s3:PutObject",
            objects,
            conditions={"StringEquals": owner},
        )
        _allow_delivery(
            bucket,
            "AllowNlbAccessLogAclCheck",
            NLB_LOG_DELIVERY,
            "s3:GetBucketAcl",
            bucket.bucket_arn,
            conditions={"StringEquals": source},
        )
    # ELB checks that it may write to the bucket when the attribute is set.
    if bucket.policy is not None:
        load_balancer.node.add_dependency(bucket.policy)


def _allow_delivery(
    bucket: s3.IBucket,
    sid: str,
    service: str,
    action: str,
    resource: str,
    *,
    conditions: dict[str, Any] | None = None,
) -> None:
    """A bucket policy statement that lets the log delivery ``service`` call ``action``."""
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(service)],
            actions=[action],
            resources=[resource],
            conditions=conditions,
        )
    )
