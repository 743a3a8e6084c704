"""Where the distribution's standard logs and the static bucket's access logs go."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.core import defaults

__all__ = ["DISTRIBUTION_LOG_PREFIX", "log_bucket"]

#: Key prefix of CloudFront's standard (legacy) logs in the log bucket.
DISTRIBUTION_LOG_PREFIX = "cloudfront/"


def log_bucket(
    scope: Construct,
    given: s3.IBucket | None,
    expiration: Duration,
    removal_policy: RemovalPolicy,
) -> s3.IBucket:
    """``given``, else a new ``LogBucket`` that keeps logs for ``expiration``.

    SSE-S3, not a KMS key: the static bucket's S3 server access logs land here too, and S3
    server access logging delivers only to buckets encrypted with S3-managed keys.

    CloudFront delivers standard logs through an ACL grant, so the created bucket keeps ACLs
    enabled (object ownership ``BUCKET_OWNER_PREFERRED``; public access stays blocked).
    """
    return given or defaults.access_log_bucket(
        scope,
        "LogBucket",
        removal_policy=removal_policy,
        expiration=expiration,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    )
