"""EdgeDistribution with existing buckets: what it adds to them, what it leaves, what it
refuses."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError
from tests.conftest import new_stack
from tests.test_edge import _edge

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _oac_statement() -> Any:
    return Match.object_like(
        {
            "Action": "s3:GetObject",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Condition": {"StringEquals": {"AWS:SourceArn": Match.any_value()}},
        }
    )


def test_users_static_bucket_gets_the_oac_statement_and_keeps_its_encryption() -> None:
    stack = new_stack()
    key = kms.Key(stack, "SiteKey", enable_key_rotation=True)
    site = s3.Bucket(stack, "Site", encryption_key=key, enforce_ssl=True, versioned=False)
    edge = _edge(stack, "Edge", static_bucket=site)
    t = Template.from_stack(stack)
    assert edge.static_bucket is site
    assert edge.node.try_find_child("StaticBucket") is None
    assert edge.node.try_find_child("StaticKey") is None
    site_ref = stack.resolve(site.bucket_name)
    t.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {"Bucket": site_ref, "PolicyDocument": {"Statement": Match.array_with([_oac_statement()])}},
    )
    # the user's key lets CloudFront decrypt; the bucket's encryption and versioning are its own
    t.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [Match.object_like({"Principal": {"Service": "cloudfront.amazonaws.com"}})]
                )
            }
        },
    )
    site_bucket = t.find_resources("AWS::S3::Bucket")[stack.get_logical_id(site.node.default_child)]
    assert "VersioningConfiguration" not in site_bucket["Properties"]


def test_imported_buckets_are_used_as_given() -> None:
    stack = new_stack()
    site = s3.Bucket.from_bucket_attributes(
        stack,
        "Site",
        bucket_name="team-site",
        encryption_key=kms.Key.from_key_arn(stack, "SiteKey", KEY_ARN),
    )
    logs = s3.Bucket.from_bucket_name(stack, "Logs", "team-logs")
    edge = _edge(stack, "Edge", static_bucket=site, log_bucket=logs)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::S3::Bucket", 0)
    t.resource_count_is("AWS::S3::BucketPolicy", 0)  # an imported bucket's policy is its own
    t.resource_count_is("AWS::KMS::Key", 0)
    assert edge.log_bucket is logs
    t.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "Logging": Match.object_like(
                        {"Bucket": {"Fn::Join": Match.any_value()}, "Prefix": "cloudfront/"}
                    )
                }
            )
        },
    )


def test_kms_log_bucket_cannot_take_the_created_static_buckets_access_logs() -> None:
    stack = new_stack()
    logs = s3.Bucket(
        stack,
        "Logs",
        encryption=s3.BucketEncryption.KMS_MANAGED,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    )
    with pytest.raises(PatternValidationError, match=r"log_bucket is SSE-KMS encrypted"):
        _edge(stack, "Edge", log_bucket=logs)


def test_kms_log_bucket_is_fine_with_a_given_static_bucket() -> None:
    stack = new_stack()
    key = kms.Key(stack, "LogsKey", enable_key_rotation=True)
    logs = s3.Bucket(
        stack,
        "Logs",
        encryption_key=key,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    )
    site = s3.Bucket(stack, "Site", enforce_ssl=True)
    _edge(stack, "Edge", static_bucket=site, log_bucket=logs)


def test_log_expiration_with_a_given_log_bucket_is_an_error() -> None:
    stack = new_stack()
    logs = s3.Bucket.from_bucket_name(stack, "Logs", "team-logs")
    with pytest.raises(
        PatternValidationError, match=r"log_expiration applies only to the log bucket this"
    ):
        _edge(stack, "Edge", log_bucket=logs, log_expiration=Duration.days(30))
