"""StreamToS3Pipeline with an existing stream and/or bucket: what it adds, what it leaves."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError, StreamToS3Pipeline
from patterns.capacity import kinesis_shards
from tests.conftest import new_stack

STREAM_ARN = "arn:aws:kinesis:eu-west-1:111111111111:stream/clicks"
KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _source_role_statements(template: Template) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for policy in template.find_resources("AWS::IAM::Policy").values():
        statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def test_imported_stream_is_delivered_not_created() -> None:
    stack = new_stack()
    key = kms.Key.from_key_arn(stack, "ClicksKey", KEY_ARN)
    stream = kinesis.Stream.from_stream_attributes(
        stack, "Clicks", stream_arn=STREAM_ARN, encryption_key=key
    )
    pipeline = StreamToS3Pipeline(stack, "P", existing_stream=stream)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::Kinesis::Stream", 0)
    t.has_resource_properties(
        "AWS::KinesisFirehose::DeliveryStream",
        {"KinesisStreamSourceConfiguration": {"KinesisStreamARN": STREAM_ARN}},
    )
    statements = _source_role_statements(t)
    # the source role reads the imported stream and decrypts with its key
    assert any(
        s["Resource"] == STREAM_ARN and "kinesis:GetRecords" in s["Action"] for s in statements
    )
    assert any(s["Resource"] == KEY_ARN and "kms:Decrypt" in s["Action"] for s in statements)
    # alarms watch the imported stream's metrics
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "GetRecords.IteratorAgeMilliseconds",
            "Dimensions": [{"Name": "StreamName", "Value": "clicks"}],
            "Threshold": 12 * 3_600_000,  # half of the default 24 h retention
        },
    )
    assert pipeline.stream is stream
    assert pipeline.capacity_plan is None
    assert pipeline.node.try_find_child("Stream") is None


def test_users_stream_keeps_its_settings_and_sets_the_alarm_retention() -> None:
    stack = new_stack()
    stream = kinesis.Stream(
        stack,
        "Clicks",
        shard_count=4,
        retention_period=Duration.hours(48),
        encryption=kinesis.StreamEncryption.KMS,
    )
    pipeline = StreamToS3Pipeline(
        stack, "P", existing_stream=stream, records_per_second=2_000, average_record_kib=1.0
    )
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::Kinesis::Stream", 1)
    t.has_resource_properties("AWS::Kinesis::Stream", {"ShardCount": 4, "RetentionPeriodHours": 48})
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "GetRecords.IteratorAgeMilliseconds", "Threshold": 24 * 3_600_000},
    )
    assert pipeline.capacity_plan == kinesis_shards(2_000, 1.0)
    assert pipeline.capacity_plan.shards <= 4
    # the stream's own key (not the pipeline key) is the one the source role may decrypt with
    assert stream.encryption_key is not None
    key_ref = stack.resolve(stream.encryption_key.key_arn)
    statements = _source_role_statements(t)
    assert any(s["Resource"] == key_ref and "kms:Decrypt" in s["Action"] for s in statements)


def test_users_bucket_receives_the_objects_and_keeps_its_settings() -> None:
    stack = new_stack()
    bucket = s3.Bucket(
        stack,
        "Landing",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
    )
    StreamToS3Pipeline(stack, "P", on_demand=True, bucket=bucket)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::S3::Bucket", 1)  # the user's; no created bucket, no log bucket
    bucket_ref = stack.resolve(bucket.bucket_arn)
    t.has_resource_properties(
        "AWS::KinesisFirehose::DeliveryStream",
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "BucketARN": bucket_ref,
                    "EncryptionConfiguration": {
                        "KMSEncryptionConfig": {"AWSKMSKeyARN": Match.any_value()}
                    },
                }
            )
        },
    )
    t.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            }
        },
    )


def test_imported_bucket_and_imported_stream_together() -> None:
    stack = new_stack()
    stream = kinesis.Stream.from_stream_arn(stack, "Clicks", STREAM_ARN)
    bucket = s3.Bucket.from_bucket_name(stack, "Landing", "team-landing")
    StreamToS3Pipeline(stack, "P", existing_stream=stream, bucket=bucket)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::Kinesis::Stream", 0)
    t.resource_count_is("AWS::S3::Bucket", 0)
    t.resource_count_is("AWS::S3::BucketPolicy", 0)  # the imported bucket's policy is its own
    t.has_resource_properties(
        "AWS::KinesisFirehose::DeliveryStream",
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "BucketARN": {
                        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::team-landing"]]
                    }
                }
            )
        },
    )


# -- errors ------------------------------------------------------------------------------------
def _raises(message: str, stack: cdk.Stack, **kwargs: Any) -> None:
    with pytest.raises(PatternValidationError, match=message):
        StreamToS3Pipeline(stack, "P", **kwargs)


def test_existing_stream_contradicts_capacity_props() -> None:
    stack = new_stack()
    stream = kinesis.Stream.from_stream_arn(stack, "Clicks", STREAM_ARN)
    _raises(
        r"existing_stream cannot be combined with shard_count, on_demand",
        stack,
        existing_stream=stream,
        shard_count=2,
        on_demand=True,
    )


def test_on_demand_existing_stream_takes_no_load() -> None:
    stack = new_stack()
    stream = kinesis.Stream(stack, "Clicks", stream_mode=kinesis.StreamMode.ON_DEMAND)
    _raises(
        r"existing_stream is in on-demand mode, but records_per_second/average_record_kib "
        r"plan \d+ provisioned shards",
        stack,
        existing_stream=stream,
        records_per_second=2_000,
        average_record_kib=1.0,
    )


def test_load_must_fit_the_existing_streams_shards() -> None:
    stack = new_stack()
    stream = kinesis.Stream(stack, "Clicks", shard_count=1)
    planned = kinesis_shards(5_000, 1.0).shards
    _raises(
        rf"existing_stream has 1 shards, but the load .* needs {planned}",
        stack,
        existing_stream=stream,
        records_per_second=5_000,
        average_record_kib=1.0,
    )


def test_retention_must_be_the_existing_streams() -> None:
    stack = new_stack()
    stream = kinesis.Stream(stack, "Clicks", retention_period=Duration.hours(48))
    _raises(
        r"retention must be the existing_stream's retention \(2 days\) or left out, got 3 days",
        stack,
        existing_stream=stream,
        retention=Duration.hours(72),
    )


def test_stream_encrypted_with_a_hidden_key_is_an_error() -> None:
    stack = new_stack()
    stream = kinesis.Stream(stack, "Clicks", encryption=kinesis.StreamEncryption.UNENCRYPTED)
    cfn = stream.node.default_child
    assert isinstance(cfn, kinesis.CfnStream)
    cfn.stream_encryption = kinesis.CfnStream.StreamEncryptionProperty(
        encryption_type="KMS", key_id=KEY_ARN
    )
    _raises(
        r"existing_stream is encrypted with a KMS key it does not expose",
        stack,
        existing_stream=stream,
    )


def test_stream_with_the_aws_managed_key_needs_no_key() -> None:
    stack = new_stack()
    stream = kinesis.Stream(stack, "Clicks", encryption=kinesis.StreamEncryption.MANAGED)
    StreamToS3Pipeline(stack, "P", existing_stream=stream)


def test_existing_stream_must_be_a_stream() -> None:
    _raises(
        r"existing_stream must be a kinesis.IStream, got str",
        new_stack(),
        existing_stream=STREAM_ARN,
    )


def test_without_existing_stream_a_capacity_mode_is_still_required() -> None:
    _raises(r"capacity must be given", new_stack())
