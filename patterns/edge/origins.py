"""The origins of the distribution: the private static bucket (Origin Access Control) and the
HTTP origin with its origin-verify header (:func:`origin_verify_secret`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import Annotations, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from patterns.core import defaults
from patterns.core.nag import acknowledge
from patterns.core.pattern import Pattern
from patterns.core.typecheck import checked
from patterns.edge.options import HttpOriginOptions

__all__ = ["HttpOrigin", "http_origin", "origin_verify_secret", "static_origin"]


@checked
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
    """The static bucket (``static_bucket``, or a new private one ``StaticBucket``, SSE-KMS
    with ``encryption_key`` or a new ``StaticKey``, access logs to ``log_bucket``) and its
    origin: only this distribution may read it (OAC)."""
    if static_bucket is not None:
        bucket = static_bucket
    else:
        key = encryption_key or defaults.encryption_key(
            scope,
            "StaticKey",
            description=f"Encrypts the static content of {scope.node.path}",
            removal_policy=removal_policy,
        )
        bucket = defaults.secure_bucket(
            scope,
            "StaticBucket",
            encryption_key=key,
            server_access_logs_bucket=log_bucket,
            server_access_logs_prefix="s3-access/static/",
            removal_policy=removal_policy,
        )
    origin = origins.S3BucketOrigin.with_origin_access_control(
        bucket, origin_access_levels=[cloudfront.AccessLevel.READ]
    )
    if isinstance(bucket.encryption_key, kms.Key):
        # aws-cdk-lib lets CloudFront decrypt (S3 asks KMS on its behalf) for any distribution of
        # this account, as the distribution's ARN in the key policy would be circular (key ->
        # distribution -> bucket -> key). Who may read is decided by the bucket policy, which
        # names this distribution alone.
        Annotations.of(bucket.encryption_key.node.scope or scope).acknowledge_warning(
            "@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac",
            "The key only decrypts objects that S3 already agreed to serve: the bucket policy "
            "lets this distribution alone (AWS:SourceArn) call s3:GetObject.",
        )
    return bucket, origin


@dataclass(frozen=True)
class HttpOrigin:
    """The HTTP origin and its verification header.

    Attributes:
        origin: the CloudFront origin of the dynamic behaviors.
        secret: the secret whose value the verify header carries. None without the header.
        verify_header: the verify header's name. None when turned off.
        protocol: ``"https"`` or ``"http"`` (the user's explicit opt-in) to the origin.
    """

    origin: cloudfront.IOrigin
    secret: secretsmanager.ISecret | None
    verify_header: str | None
    protocol: str


def http_origin(
    edge: Pattern, options: HttpOriginOptions, removal_policy: RemovalPolicy
) -> HttpOrigin:
    """The origin of ``options``: HTTPS (TLS 1.2) unless ``protocol="http"`` (the user's opt-in);
    the verify header from ``verify_secret`` or a new secret ``OriginVerifySecret``."""
    headers: dict[str, str] = {}
    secret: secretsmanager.ISecret | None = None
    if options.verify_header_name is not None:
        secret = options.verify_secret or origin_verify_secret(
            edge, "OriginVerifySecret", removal_policy=removal_policy
        )
        headers[options.verify_header_name] = secret.secret_value.unsafe_unwrap()
    # Plain HTTP only by the user's explicit protocol="http" (validated: no silent fallback).
    protocol = options.protocol or "https"
    policy = (
        cloudfront.OriginProtocolPolicy.HTTPS_ONLY
        if protocol == "https"
        else cloudfront.OriginProtocolPolicy.HTTP_ONLY
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
    return HttpOrigin(
        origin=origin, secret=secret, verify_header=options.verify_header_name, protocol=protocol
    )
