"""Secure defaults every pattern builds on.

* KMS keys rotate yearly and are retained by default.
* Buckets block public access, enforce TLS 1.2+, are versioned, encrypted, write
  server access logs and expire old versions and incomplete uploads.
* Queues are encrypted, TLS-only and (except DLQs themselves) have a DLQ.
* Log groups have a retention (never "forever") and can be KMS-encrypted.

Stateful resources default to ``RemovalPolicy.RETAIN``; a dev stack opts out by
passing ``removal_policy=RemovalPolicy.DESTROY`` to the pattern.
"""

from __future__ import annotations

import functools

from aws_cdk import CfnResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.logs_key import logs_key
from patterns.core.nag import acknowledge

__all__ = [
    "DLQ_RETENTION",
    "access_log_bucket",
    "allow_service_to_use_key",
    "dead_letter_queue",
    "depend_on_role_policy_only",
    "encryption_key",
    "given_or_new_key",
    "log_group",
    "logs_key",
    "secure_bucket",
]

#: DLQs keep messages for the SQS maximum, so nothing is lost while a consumer is fixed.
DLQ_RETENTION = deferred(Duration, "days", 14)


@functools.cache
def _key_pending_window() -> Duration:
    """30 days, created once (a Duration is immutable; one jsii round trip less per key)."""
    return Duration.days(30)


def encryption_key(
    scope: Construct,
    construct_id: str,
    *,
    description: str,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    service_principals: tuple[str, ...] = (),
) -> kms.Key:
    """A customer-managed KMS key with yearly automatic rotation.

    ``service_principals`` (``"sns.amazonaws.com"``) may use the key to encrypt data they deliver
    (``kms:GenerateDataKey*`` and ``kms:Decrypt``), scoped to this account.
    """
    key = kms.Key(
        scope,
        construct_id,
        description=description,
        enable_key_rotation=True,
        removal_policy=removal_policy,
        pending_window=_key_pending_window(),
    )
    for principal in service_principals:
        allow_service_to_use_key(key, principal, sid=_service_sid(principal))
    return key


def given_or_new_key(
    scope: Construct,
    construct_id: str,
    given: kms.IKey | None,
    *,
    description: str,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    service_principals: tuple[str, ...] = (),
) -> kms.IKey:
    """The user's ``given`` key - whose key policy, for a key of this app, gets the same
    statement for each of ``service_principals`` that a new key would have (an imported key's
    policy must have it already; nothing else about the key is changed) - or else a new
    :func:`encryption_key` ``construct_id``."""
    if given is None:
        return encryption_key(
            scope,
            construct_id,
            description=description,
            removal_policy=removal_policy,
            service_principals=service_principals,
        )
    for principal in service_principals:
        allow_service_to_use_key(given, principal, sid=_service_sid(principal))
    return given


def _service_sid(principal: str) -> str:
    """``AllowEventsToUseKey`` for ``events.amazonaws.com``."""
    return f"Allow{principal.split('.')[0].capitalize()}ToUseKey"


def allow_service_to_use_key(key: kms.IKey, service: str, *, sid: str) -> None:
    """Key policy: ``service`` (``"events.amazonaws.com"``) may encrypt with ``key`` what it
    delivers for this account (``kms:GenerateDataKey*`` and ``kms:Decrypt``, scoped by
    ``aws:SourceAccount``). A service that writes into an encrypted queue or topic needs it.

    An imported key cannot be changed here: its policy must already allow ``service``.
    """
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(service)],
            actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": key.stack.account}},
        )
    )


_DEFAULT_EXPIRATION = deferred(Duration, "days", 365)


def access_log_bucket(
    scope: Construct,
    construct_id: str,
    *,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    expiration: Duration = _DEFAULT_EXPIRATION,
    object_ownership: s3.ObjectOwnership = s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
) -> s3.Bucket:
    """A bucket that receives S3 server access logs (or load balancer / CloudFront logs).

    S3 server access logging delivers only to SSE-S3 encrypted targets, so this bucket uses
    S3-managed keys. Logs expire after ``expiration``. ACLs stay disabled
    (``BUCKET_OWNER_ENFORCED``) unless ``object_ownership`` says otherwise: CloudFront standard
    (legacy) logs are delivered through an ACL grant and need ``BUCKET_OWNER_PREFERRED``.
    """
    bucket = s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        versioned=True,
        object_ownership=object_ownership,
        removal_policy=removal_policy,
        # A DESTROY bucket is emptied first (aws-cdk-lib's auto-delete custom resource):
        # CloudFormation cannot delete a bucket that holds objects.
        auto_delete_objects=removal_policy == RemovalPolicy.DESTROY,
        lifecycle_rules=[
            s3.LifecycleRule(
                id="ExpireLogs",
                expiration=expiration,
                noncurrent_version_expiration=Duration.days(30),
                abort_incomplete_multipart_upload_after=Duration.days(7),
            )
        ],
    )
    acknowledge(
        bucket,
        "AwsSolutions::AwsSolutions-S1",
        "This bucket is the server access log target; logging its own access would loop.",
    )
    _tidy_auto_delete_provider(bucket)
    return bucket


_DEFAULT_NONCURRENT_VERSION_EXPIRATION = deferred(Duration, "days", 90)


def secure_bucket(
    scope: Construct,
    construct_id: str,
    *,
    encryption_key: kms.IKey | None = None,
    server_access_logs_bucket: s3.IBucket | None = None,
    server_access_logs_prefix: str | None = None,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    noncurrent_version_expiration: Duration = _DEFAULT_NONCURRENT_VERSION_EXPIRATION,
    lifecycle_rules: list[s3.LifecycleRule] | None = None,
) -> s3.Bucket:
    """An encrypted, versioned, private, TLS-only bucket with access logs and lifecycle rules.

    Without ``encryption_key`` the bucket uses SSE-S3; with one, SSE-KMS with an S3 bucket key
    (fewer KMS requests). Without ``server_access_logs_bucket`` a dedicated access log bucket
    ``<construct_id>AccessLogs`` is created beside it.
    """
    if server_access_logs_bucket is None:
        server_access_logs_bucket = access_log_bucket(
            scope, f"{construct_id}AccessLogs", removal_policy=removal_policy
        )
    rules = [
        s3.LifecycleRule(
            id="ExpireNoncurrentVersions",
            noncurrent_version_expiration=noncurrent_version_expiration,
            abort_incomplete_multipart_upload_after=Duration.days(7),
        ),
        *(lifecycle_rules or []),
    ]
    prefix = server_access_logs_prefix or f"{construct_id}/"
    bucket = s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.KMS if encryption_key else s3.BucketEncryption.S3_MANAGED,
        encryption_key=encryption_key,
        bucket_key_enabled=True if encryption_key else None,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removal_policy=removal_policy,
        # A DESTROY bucket is emptied first (aws-cdk-lib's auto-delete custom resource):
        # CloudFormation cannot delete a bucket that holds objects.
        auto_delete_objects=removal_policy == RemovalPolicy.DESTROY,
        lifecycle_rules=rules,
    )
    _log_access(bucket, server_access_logs_bucket, prefix)
    _tidy_auto_delete_provider(bucket)
    return bucket


#: aws-cdk-lib's per-stack provider of Custom::S3AutoDeleteObjects (buckets with DESTROY).
_AUTO_DELETE_PROVIDER = "Custom::S3AutoDeleteObjectsCustomResourceProvider"


def _tidy_auto_delete_provider(scope: Construct) -> None:
    """aws-cdk-lib's auto-delete provider function both ``DependsOn`` its role and reads the
    role's ARN (cfn-lint W3005: the explicit dependency is redundant): keep the ``GetAtt``."""
    provider = Stack.of(scope).node.try_find_child(_AUTO_DELETE_PROVIDER)
    if provider is None:
        return
    handler = provider.node.try_find_child("Handler")
    role = provider.node.try_find_child("Role")
    if (
        isinstance(handler, CfnResource)
        and isinstance(role, CfnResource)
        and any(d.node.path == role.node.path for d in handler.obtain_dependencies())
    ):
        handler.remove_resource_dependency(role)


def _log_access(bucket: s3.Bucket, target: s3.IBucket, prefix: str) -> None:
    """Server access logs of ``bucket`` to ``target`` through a bucket policy, never ACLs.

    ``s3.Bucket(server_access_logs_bucket=...)`` grants log delivery with a bucket policy only
    when the app has the feature flag ``@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy``;
    without it, it switches the target to the ``LogDeliveryWrite`` ACL, which fails on a bucket
    with ACLs disabled (``BUCKET_OWNER_ENFORCED``). Doing it here works in every user's app,
    whatever its flags. An imported ``target`` must already allow ``logging.s3.amazonaws.com``.
    """
    cfn_bucket = bucket.node.default_child
    assert isinstance(cfn_bucket, s3.CfnBucket)
    cfn_bucket.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
        destination_bucket_name=target.bucket_name, log_file_prefix=prefix
    )
    target.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
            actions=["s3:PutObject"],
            resources=[target.arn_for_objects(f"{prefix}*")],
            conditions={
                "ArnLike": {"aws:SourceArn": bucket.bucket_arn},
                "StringEquals": {"aws:SourceAccount": Stack.of(bucket).account},
            },
        )
    )


def dead_letter_queue(
    scope: Construct,
    construct_id: str,
    *,
    encryption_key: kms.IKey,
    fifo: bool = False,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> sqs.Queue:
    """A KMS-encrypted, TLS-only DLQ that keeps messages for 14 days (the SQS maximum)."""
    queue = sqs.Queue(
        scope,
        construct_id,
        fifo=True if fifo else None,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=encryption_key,
        enforce_ssl=True,
        retention_period=DLQ_RETENTION,
        removal_policy=removal_policy,
    )
    acknowledge(
        queue,
        "AwsSolutions::AwsSolutions-SQS3",
        "This queue is itself a dead-letter queue; a DLQ of a DLQ would only move the problem.",
    )
    acknowledge(
        queue,
        "Serverless::Serverless-SQSRedrivePolicy",
        "This queue is itself a dead-letter queue and so has no redrive policy of its own.",
    )
    return queue


def log_group(
    scope: Construct,
    construct_id: str,
    *,
    retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
    encryption_key: kms.IKey | None = None,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    log_group_name: str | None = None,
) -> logs.LogGroup:
    """A log group with a retention (one year unless given), encrypted with a customer-managed
    key: ``encryption_key``, or else the stack's logs key (:func:`~patterns.core.logs_key.logs_key`:
    created, or the key given to :func:`~patterns.use_logs_key`)."""
    return logs.LogGroup(
        scope,
        construct_id,
        retention=retention,
        encryption_key=encryption_key or logs_key(scope, removal_policy=removal_policy),
        removal_policy=removal_policy,
        log_group_name=log_group_name,
    )


def depend_on_role_policy_only(resource: CfnResource, role: iam.IRole | None) -> None:
    """Make ``resource`` depend on its role's default policy only.

    aws-cdk-lib lists both the role and its policy in the ``DependsOn`` of a function or state
    machine; the role is already a ``Fn::GetAtt`` reference (cfn-lint W3005). The policy must
    stay: the service checks the grants (logs, X-Ray, destinations) when it creates the
    resource. Nothing changes when the role has no default policy.
    """
    policy = role.node.try_find_child("DefaultPolicy") if role is not None else None
    if not isinstance(policy, iam.Policy):
        return
    cfn_policy = policy.node.default_child
    assert isinstance(cfn_policy, iam.CfnPolicy)
    resource.add_override("DependsOn", [Stack.of(resource).get_logical_id(cfn_policy)])
