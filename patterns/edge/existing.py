"""The existing buckets of :class:`~patterns.edge.EdgeDistribution`: what can be told of a
given ``log_bucket`` is checked (a bucket of this app: its default encryption); an imported
bucket's settings are taken as given. Its object ownership cannot be told at synth time
(aws-cdk-lib renders it lazily): ACLs must be enabled, as the docstring says."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_s3 as s3

from patterns.core.deferred import deferred
from patterns.core.validation import Validator

__all__ = ["DEFAULT_LOG_EXPIRATION", "given_log_bucket"]

#: The expiration of the created log bucket (the ``log_expiration`` default).
DEFAULT_LOG_EXPIRATION = deferred(Duration, "days", 365)


def _kms_encrypted(bucket: s3.Bucket) -> bool:
    """A bucket of this app whose default encryption is SSE-KMS (or DSSE-KMS), any key."""
    cfn = bucket.node.default_child
    if not isinstance(cfn, s3.CfnBucket):
        return False
    try:
        encryption = Stack.of(bucket).resolve(cfn.bucket_encryption)
    except RuntimeError:  # a lazy value jsii cannot read back: not known
        return False
    rules = (
        encryption.get("serverSideEncryptionConfiguration")
        if isinstance(encryption, dict)
        else None
    )
    for rule in rules if isinstance(rules, list) else []:
        default = rule.get("serverSideEncryptionByDefault") if isinstance(rule, dict) else None
        algorithm = default.get("sseAlgorithm") if isinstance(default, dict) else None
        if isinstance(algorithm, str) and algorithm.startswith("aws:kms"):
            return True
    return False


def given_log_bucket(
    v: Validator,
    log_bucket: s3.IBucket | None,
    log_expiration: Duration,
    *,
    creates_static_bucket: bool,
) -> None:
    """A given ``log_bucket`` takes no ``log_expiration`` (its lifecycle is its own); one of
    this app must, when the construct creates the static bucket (whose S3 server access logs it
    receives), be SSE-S3 encrypted (S3 server access logging delivers only there)."""
    if log_bucket is None or not hasattr(log_bucket, "bucket_arn"):
        return
    if (
        isinstance(log_expiration, Duration)
        and not log_expiration.is_unresolved()
        and log_expiration.to_seconds() != DEFAULT_LOG_EXPIRATION.to_seconds()
    ):
        v.add(
            "log_expiration",
            "applies only to the log bucket this construct creates, not to log_bucket (its "
            "lifecycle is its own)",
        )
    if not isinstance(log_bucket, s3.Bucket):
        return  # imported: taken as given
    if creates_static_bucket and _kms_encrypted(log_bucket):
        v.add(
            "log_bucket",
            "is SSE-KMS encrypted, but it receives the created static bucket's S3 server "
            "access logs, which S3 delivers only to SSE-S3 buckets: use "
            "s3.BucketEncryption.S3_MANAGED",
        )
