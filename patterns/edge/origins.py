"""The origins of the distribution: the private static bucket (Origin Access Control) and the
HTTP origin with its origin-verify header (:func:`origin_verify_secret`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from patterns.core import defaults
from patterns.core.nag import acknowledge
from patterns.core.pattern import Pattern
from patterns.edge.options import HttpOriginOptions

__all__ = ["HttpOrigin", "http_origin", "origin_verify_secret", "static_origin"]


def origin_verify_secret(
    scope: Construct,
    construct_id: str,
    *,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> secretsmanager.Secret:
    """A random 32-character (letters and digits) secret for the origin-verify header.

    Give the same secret to :class:`HttpOriginOptions` and to the origin (the web tier's
    listener rule). CloudFormation resolves it at deploy time (a ``{{resolve:secretsmanager}}``
    dynamic reference), so the value is never in the template - but it is readable in the
    distribution's origin configuration and the listener rule by anyone allowed to describe
    them. To rotate: put a new value and redeploy the stack (both sides update together).
    """
    secret = secretsmanager.Secret(
        scope,
        construct_id,
        description="Value of the header CloudFront adds to origin requests (origin verification)",
        generate_secret_string=secretsmanager.SecretStringGenerator(
            exclude_punctuation=True, include_space=False, password_length=32
        ),
        removal_policy=removal_policy,
    )
    acknowledge(
        secret,
        "AwsSolutions::AwsSolutions-SMG4",
        "CloudFront and the load balancer rule read this value only at deploy time; a rotation "
        "Lambda would change it under them and break every request, so it is rotated by "
        "putting a new value and redeploying the stack.",
    )
    return secret


def static_origin(
    scope: Construct,
    *,
    static_bucket: s3.IBucket | None,
    encryption_key: kms.IKey | None,
    log_bucket: s3.IBucket,
    removal_policy: RemovalPolicy,
) -> tuple[s3.IBucket, cloudfront.IOrigin]:
    """The static bucket (``static_bucket``, or a new private one ``StaticBucket`` with access
    logs to ``log_bucket``) and its origin: only this distribution may read it (OAC)."""
    bucket = static_bucket or defaults.secure_bucket(
        scope,
        "StaticBucket",
        encryption_key=encryption_key,
        server_access_logs_bucket=log_bucket,
        server_access_logs_prefix="s3-access/static/",
        removal_policy=removal_policy,
    )
    origin = origins.S3BucketOrigin.with_origin_access_control(
        bucket, origin_access_levels=[cloudfront.AccessLevel.READ]
    )
    return bucket, origin


@dataclass(frozen=True)
class HttpOrigin:
    """The HTTP origin and its verification header.

    Attributes:
        origin: the CloudFront origin of the dynamic behaviors.
        secret: the secret whose value the verify header carries. None without the header.
        verify_header: the verify header's name. None when turned off.
    """

    origin: cloudfront.IOrigin
    secret: secretsmanager.ISecret | None
    verify_header: str | None


def http_origin(
    edge: Pattern, options: HttpOriginOptions, removal_policy: RemovalPolicy
) -> HttpOrigin:
    """The origin of ``options``: HTTPS (TLS 1.2) with a ``domain_name``, else HTTP to the load
    balancer (with a warning); the verify header from ``verify_secret`` or a new secret
    ``OriginVerifySecret``."""
    headers: dict[str, str] = {}
    secret: secretsmanager.ISecret | None = None
    if options.verify_header_name is not None:
        secret = options.verify_secret or origin_verify_secret(
            edge, "OriginVerifySecret", removal_policy=removal_policy
        )
        headers[options.verify_header_name] = secret.secret_value.unsafe_unwrap()
    protocol = options.protocol or ("https" if options.domain_name else "http")
    policy = (
        cloudfront.OriginProtocolPolicy.HTTPS_ONLY
        if protocol == "https"
        else cloudfront.OriginProtocolPolicy.HTTP_ONLY
    )
    if protocol == "http":
        edge.warn(
            "edge:http-origin",
            "CloudFront reaches the HTTP origin over plain HTTP across the internet. Give "
            "HttpOriginOptions.domain_name (a name the origin's certificate covers) to use "
            "HTTPS.",
        )
    props: dict[str, Any] = {
        "protocol_policy": policy,
        "http_port": options.http_port,
        "https_port": options.https_port,
        "origin_ssl_protocols": [cloudfront.OriginSslPolicy.TLS_V1_2],
        "read_timeout": options.read_timeout,
        "keepalive_timeout": options.keepalive_timeout,
        "custom_headers": headers or None,
    }
    origin: cloudfront.IOrigin
    if options.domain_name is not None:
        origin = origins.HttpOrigin(options.domain_name, **props)
    else:
        assert options.load_balancer is not None
        origin = origins.LoadBalancerV2Origin(options.load_balancer, **props)
    return HttpOrigin(origin=origin, secret=secret, verify_header=options.verify_header_name)
