"""The S3 bucket that offloaded message bodies are stored in: :class:`PayloadBucket`."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.core import defaults
from patterns.core.deferred import deferred
from patterns.core.pattern import MetricSource, Pattern
from patterns.large_payload import validate
from patterns.large_payload.expiration import DLQ_RETENTION_DAYS, EXPIRATION_MARGIN_DAYS

__all__ = ["PayloadBucket"]

#: S3 reports its storage metrics once a day.
STORAGE_METRIC_PERIOD = deferred(Duration, "days", 1)


_DEFAULT_EXPIRATION = deferred(Duration, "days", DLQ_RETENTION_DAYS + EXPIRATION_MARGIN_DAYS)


class PayloadBucket(Pattern):
    """The S3 bucket that offloaded message bodies are stored in, with producer/consumer grants.

    A KMS-encrypted (customer-managed key with yearly rotation, S3 bucket key), versioned,
    private, TLS-only bucket with server access logs, whose objects expire ``expiration`` after
    they are written (and their deleted versions a day later), so a payload whose message
    expired, or whose consumer did not delete it, does not stay forever. Use it with
    :func:`~patterns.large_payload.send_large_message` /
    :func:`~patterns.large_payload.receive_and_resolve`, or through
    ``TopicFanOut(large_payloads=True)``. The server access log bucket beside it is encrypted
    with S3-managed keys (SSE-S3): S3 server access logging delivers only to SSE-S3 targets.

    Metrics: the daily S3 storage metrics of the bucket (``AWS/S3``, dimension ``BucketName``):
    :meth:`metric_number_of_objects` and :meth:`metric_bucket_size_bytes` show payloads that
    pile up (consumers that do not delete them, an expiration longer than needed). The bucket
    has no alarms of its own.

    Example::

        payloads = PayloadBucket(self, "Payloads", expiration=Duration.days(15))
        payloads.grant_produce(producer_role)
        payloads.grant_consume(consumer_function)

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        expiration: objects expire this long after they are written (1 day .. 3,650 days,
            whole days). Use :func:`~patterns.large_payload.payload_expiration` for queues.
            Default 15 days (the 14-day DLQ retention of this library plus a day).
        encryption_key: the key of the objects. Default: a new key, rotating yearly.
        removal_policy: of the bucket, its access log bucket and the key. Default RETAIN; pass
            DESTROY for dev (the key is then scheduled for deletion).

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        expiration: Duration = _DEFAULT_EXPIRATION,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(
            scope, construct_id, encryption_key=encryption_key, removal_policy=removal_policy
        )
        v = self.validator()
        validate.expiration(v, expiration)
        v.raise_if_invalid()

        self.expiration = expiration
        self.encryption_key: kms.IKey = encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=f"Encrypts the offloaded message payloads of {self.node.path}",
            removal_policy=removal_policy,
        )
        self.bucket: s3.Bucket = defaults.secure_bucket(
            self,
            "Bucket",
            encryption_key=self.encryption_key,
            removal_policy=removal_policy,
            noncurrent_version_expiration=Duration.days(1),
            lifecycle_rules=[s3.LifecycleRule(id="ExpirePayloads", expiration=expiration)],
        )

    @property
    def bucket_name(self) -> str:
        """The name of the bucket (pass it to the producers and consumers)."""
        return self.bucket.bucket_name

    # -- metrics ---------------------------------------------------------------------------
    def metric_source(self) -> MetricSource:
        """``AWS/S3`` by ``BucketName``, daily ``Average`` (S3 storage metrics)."""
        return MetricSource(
            namespace="AWS/S3",
            dimensions={"BucketName": self.bucket_name},
            statistic="Average",
            period=STORAGE_METRIC_PERIOD,
        )

    def metric_number_of_objects(self, **options: Any) -> cw.Metric:
        """``NumberOfObjects`` (all storage classes, noncurrent versions included), daily."""
        return self.metric(
            "NumberOfObjects", dimensions_map={"StorageType": "AllStorageTypes"}, **options
        )

    def metric_bucket_size_bytes(self, **options: Any) -> cw.Metric:
        """``BucketSizeBytes`` of the S3 Standard storage class (where payloads are), daily."""
        return self.metric(
            "BucketSizeBytes", dimensions_map={"StorageType": "StandardStorage"}, **options
        )

    # -- grants ----------------------------------------------------------------------------
    def grant_produce(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` store payloads: ``s3:PutObject`` (and ``s3:DeleteObject``, to remove
        an object whose send failed) and encrypt with the key."""
        self.encryption_key.grant(grantee, "kms:GenerateDataKey")
        return self._grant_objects(grantee, "s3:PutObject", "s3:DeleteObject")

    def grant_consume(self, grantee: iam.IGrantable, *, delete: bool = True) -> iam.Grant:
        """Let ``grantee`` read payloads (and delete them after processing, unless
        ``delete=False``, e.g. for a topic's payload that several queues share)."""
        self.encryption_key.grant(grantee, "kms:Decrypt")
        actions = ["s3:GetObject", *(["s3:DeleteObject"] if delete else [])]
        return self._grant_objects(grantee, *actions)

    def _grant_objects(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """``actions`` on every object of the bucket (payload keys are random per message)."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=list(actions), resource_arns=[self.bucket.arn_for_objects("*")]
        )
