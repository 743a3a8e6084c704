"""Large payloads: the S3-pointer helper (moto in-process, no network), PayloadBucket and the
TopicFanOut option."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template
from moto import mock_aws

from patterns.core.validation import PatternValidationError
from patterns.fan_out import QueueOptions, TopicFanOut
from patterns.large_payload import (
    DEFAULT_THRESHOLD,
    POINTER_CLASS,
    SIZE_ATTRIBUTE,
    PayloadBucket,
    PayloadPointer,
    delete_message,
    delete_payload,
    is_pointer_message,
    payload_expiration,
    publish_large_message,
    receive_and_resolve,
    resolve_message,
    resolve_record,
    send_large_message,
)
from tests.conftest import SynthResult, new_stack

REGION = "us-east-1"
BUCKET = "payloads"
STACK = "LargePayloadExample"


class Aws:
    def __init__(self) -> None:
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sns = boto3.client("sns", region_name=REGION)
        self.s3.create_bucket(Bucket=BUCKET)
        self.queue = self.sqs.create_queue(QueueName="documents")["QueueUrl"]

    def objects(self) -> list[str]:
        return [o["Key"] for o in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    def queue_arn(self, url: str) -> str:
        return str(
            self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
        )


@pytest.fixture()
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        yield Aws()


# -- producer ---------------------------------------------------------------------------------
def test_small_message_is_sent_inline(aws: Aws) -> None:
    response = send_large_message(aws.sqs, aws.s3, aws.queue, BUCKET, "hello")
    assert "PayloadPointer" not in response
    assert aws.objects() == []
    (message,) = aws.sqs.receive_message(QueueUrl=aws.queue, MessageAttributeNames=["All"])[
        "Messages"
    ]
    assert message["Body"] == "hello"
    assert "MessageAttributes" not in message


def test_large_message_goes_to_s3_with_a_java_compatible_pointer(aws: Aws) -> None:
    body = "x" * (DEFAULT_THRESHOLD + 1)
    response = send_large_message(aws.sqs, aws.s3, aws.queue, BUCKET, body)
    pointer = response["PayloadPointer"]
    assert aws.objects() == [pointer.key]
    (message,) = aws.sqs.receive_message(QueueUrl=aws.queue, MessageAttributeNames=["All"])[
        "Messages"
    ]
    assert json.loads(message["Body"]) == [
        POINTER_CLASS,
        {"s3BucketName": BUCKET, "s3Key": pointer.key},
    ]
    assert message["MessageAttributes"][SIZE_ATTRIBUTE] == {
        "DataType": "Number",
        "StringValue": str(len(body)),
    }
    assert re.fullmatch(r"[0-9a-f-]{36}", pointer.key)


def test_threshold_counts_the_attributes_too(aws: Aws) -> None:
    attributes = {"kind": {"DataType": "String", "StringValue": "invoice"}}
    attribute_bytes = len("kind") + len("String") + len("invoice")
    body = "y" * (1_000 - attribute_bytes)
    assert "PayloadPointer" not in send_large_message(
        aws.sqs, aws.s3, aws.queue, BUCKET, body, threshold=1_000, message_attributes=attributes
    )
    response = send_large_message(
        aws.sqs,
        aws.s3,
        aws.queue,
        BUCKET,
        body + "y",
        threshold=1_000,
        message_attributes=attributes,
    )
    assert "PayloadPointer" in response


def test_always_through_s3_and_key_prefix(aws: Aws) -> None:
    response = send_large_message(
        aws.sqs, aws.s3, aws.queue, BUCKET, b"tiny", always_through_s3=True, key_prefix="orders/"
    )
    assert response["PayloadPointer"].key.startswith("orders/")
    assert (
        aws.s3.get_object(Bucket=BUCKET, Key=response["PayloadPointer"].key)["Body"].read()
        == b"tiny"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0}, "threshold must be a positive number of bytes, got 0"),
        (
            {"message_attributes": {SIZE_ATTRIBUTE: {"DataType": "Number", "StringValue": "1"}}},
            "ExtendedPayloadSize is reserved",
        ),
        (
            {
                "message_attributes": {
                    f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(10)
                }
            },
            "at most 9 message attributes",
        ),
    ],
)
def test_send_rejects_bad_arguments(aws: Aws, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        send_large_message(aws.sqs, aws.s3, aws.queue, BUCKET, "body", **kwargs)


def test_failed_send_removes_the_uploaded_payload(aws: Aws) -> None:
    class BrokenSqs:
        def send_message(self, **_: Any) -> dict[str, Any]:
            raise RuntimeError("queue does not exist")

    with pytest.raises(RuntimeError, match="queue does not exist"):
        send_large_message(BrokenSqs(), aws.s3, aws.queue, BUCKET, "z" * 300_000)
    assert aws.objects() == []


# -- consumer ---------------------------------------------------------------------------------
def test_receive_resolves_and_delete_removes_message_and_object(aws: Aws) -> None:
    body = json.dumps({"doc": "d" * 400_000})
    attributes = {"kind": {"DataType": "String", "StringValue": "invoice"}}
    send_large_message(aws.sqs, aws.s3, aws.queue, BUCKET, body, message_attributes=attributes)
    (message,) = receive_and_resolve(aws.sqs, aws.s3, aws.queue)
    assert message["Body"] == body
    assert message["MessageAttributes"] == {
        "kind": {"StringValue": "invoice", "DataType": "String"}
    }
    assert message["ReceiptHandle"].startswith(
        f"-..s3BucketName..-{BUCKET}-..s3BucketName..--..s3Key..-"
    )
    delete_message(aws.sqs, aws.s3, aws.queue, message["ReceiptHandle"])
    assert aws.objects() == []
    attrs = aws.sqs.get_queue_attributes(QueueUrl=aws.queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_delete_can_keep_the_payload(aws: Aws) -> None:
    send_large_message(aws.sqs, aws.s3, aws.queue, BUCKET, "q" * 300_000)
    (message,) = receive_and_resolve(aws.sqs, aws.s3, aws.queue)
    delete_message(aws.sqs, aws.s3, aws.queue, message["ReceiptHandle"], delete_payload=False)
    assert len(aws.objects()) == 1


def test_plain_messages_pass_through_unchanged(aws: Aws) -> None:
    aws.sqs.send_message(QueueUrl=aws.queue, MessageBody='["not", "a pointer"]')
    (message,) = receive_and_resolve(aws.sqs, aws.s3, aws.queue, MessageAttributeNames=["kind"])
    assert message["Body"] == '["not", "a pointer"]'
    assert not message["ReceiptHandle"].startswith("-..s3BucketName..-")
    delete_message(aws.sqs, aws.s3, aws.queue, message["ReceiptHandle"])


def test_a_java_client_message_with_the_legacy_attribute_is_resolved(aws: Aws) -> None:
    aws.s3.put_object(Bucket=BUCKET, Key="from-java", Body=b"payload from java")
    aws.sqs.send_message(
        QueueUrl=aws.queue,
        MessageBody=f'["{POINTER_CLASS}",{{"s3BucketName":"{BUCKET}","s3Key":"from-java"}}]',
        MessageAttributes={"SQSLargePayloadSize": {"DataType": "Number", "StringValue": "17"}},
    )
    (message,) = receive_and_resolve(aws.sqs, aws.s3, aws.queue)
    assert message["Body"] == "payload from java"
    assert "MessageAttributes" not in message


def test_a_pointer_body_of_another_class_is_rejected(aws: Aws) -> None:
    with pytest.raises(
        ValueError, match=re.escape("is not a software.amazon.payloadoffloading.PayloadS3Pointer")
    ):
        resolve_message(
            aws.s3,
            {
                "Body": '["com.example.Other", {}]',
                "ReceiptHandle": "r",
                "MessageAttributes": {SIZE_ATTRIBUTE: {"DataType": "Number", "StringValue": "1"}},
            },
        )


@pytest.mark.parametrize("raw", [True, False])
def test_topic_payload_reaches_a_subscribed_queue(aws: Aws, raw: bool) -> None:
    topic = aws.sns.create_topic(Name="documents")["TopicArn"]
    aws.sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=aws.queue_arn(aws.queue),
        Attributes={"RawMessageDelivery": "true" if raw else "false"},
    )
    body = "p" * 300_000
    response = publish_large_message(aws.sns, aws.s3, topic, BUCKET, body)
    assert "PayloadPointer" in response
    (message,) = receive_and_resolve(aws.sqs, aws.s3, aws.queue)
    assert message["PayloadPointer"] == response["PayloadPointer"]
    if raw:
        assert message["Body"] == body
    else:
        envelope = json.loads(message["Body"])
        assert envelope["Message"] == body
        assert SIZE_ATTRIBUTE not in envelope["MessageAttributes"]
        # the receipt handle is the queue's own: the object is shared by every subscriber
        assert not message["ReceiptHandle"].startswith("-..s3BucketName..-")


def test_lambda_record_is_resolved_and_its_payload_deleted(aws: Aws) -> None:
    response = send_large_message(aws.sqs, aws.s3, aws.queue, BUCKET, "r" * 300_000)
    pointer = response["PayloadPointer"]
    record = {
        "messageId": "1",
        "receiptHandle": "handle",
        "body": pointer.to_json(),
        "messageAttributes": {SIZE_ATTRIBUTE: {"stringValue": "300000", "dataType": "Number"}},
    }
    assert is_pointer_message(record)
    resolved = resolve_record(aws.s3, record)
    assert resolved["body"] == "r" * 300_000
    assert resolved["messageAttributes"] == {}
    delete_payload(aws.s3, resolved["payloadPointer"])
    assert aws.objects() == []
    assert resolve_record(aws.s3, {"body": "plain", "messageAttributes": {}}) == {
        "body": "plain",
        "messageAttributes": {},
    }


def test_pointer_round_trip() -> None:
    pointer = PayloadPointer("b", "k")
    assert PayloadPointer.from_json(pointer.to_json()) == pointer
    with pytest.raises(ValueError, match="not a payload pointer"):
        PayloadPointer.from_json("{not json")


# -- expiry -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("retentions", "fifo", "days"),
    [
        ([4], False, 15),  # the 14-day DLQ keeps the original enqueue time
        ([4, 14], False, 15),
        ([4], True, 19),  # a FIFO DLQ restarts the clock: 4 + 14, plus a day
        ([0.5], False, 15),
        ([14], True, 29),
    ],
)
def test_payload_expiration(retentions: list[float], fifo: bool, days: int) -> None:
    assert payload_expiration(retentions, fifo=fifo) == days


def test_payload_expiration_needs_a_queue() -> None:
    with pytest.raises(ValueError, match="at least one queue retention"):
        payload_expiration([])


# -- CDK --------------------------------------------------------------------------------------
def test_example_payload_bucket_is_encrypted_tls_only_and_expires(synth: SynthResult) -> None:
    buckets = synth.resources(STACK, "AWS::S3::Bucket")
    (bucket,) = [
        b
        for lid, b in buckets.items()
        if lid.startswith("DocumentsPayloadsBucket") and "AccessLogs" not in lid
    ]
    rules = {r["Id"]: r for r in bucket["Properties"]["LifecycleConfiguration"]["Rules"]}
    assert rules["ExpirePayloads"]["ExpirationInDays"] == 15
    assert rules["ExpireNoncurrentVersions"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
    encryption = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    policies = synth.resources(STACK, "AWS::S3::BucketPolicy")
    assert any(
        s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        for p in policies.values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    )


def test_example_producer_stores_and_consumers_only_read_payloads(synth: SynthResult) -> None:
    policies = synth.resources(STACK, "AWS::IAM::Policy")

    def s3_actions(prefix: str) -> set[str]:
        (policy,) = [p for lid, p in policies.items() if lid.startswith(prefix)]
        found: set[str] = set()
        for s in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
            found.update(a for a in actions if a.startswith("s3:"))
        return found

    assert s3_actions("ProducerRole") == {"s3:PutObject", "s3:DeleteObject"}
    assert s3_actions("IndexerRole") == {"s3:GetObject"}
    assert s3_actions("ArchiverRole") == {"s3:GetObject"}


def test_fan_out_without_the_option_has_no_payload_bucket() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"a": QueueOptions()})
    assert fan_out.payload_bucket is None
    Template.from_stack(stack).resource_count_is("AWS::S3::Bucket", 0)


@pytest.mark.parametrize(
    ("removal_policy", "deletion_policy"),
    [(RemovalPolicy.RETAIN, "Retain"), (RemovalPolicy.DESTROY, "Delete")],
)
def test_payload_bucket_follows_the_removal_policy(
    removal_policy: RemovalPolicy, deletion_policy: str
) -> None:
    """The payload bucket, its access log bucket and its key are retained by default and
    deleted with DESTROY; the payloads are SSE-KMS with the key, the access logs SSE-S3 (the
    only encryption S3 server access logging delivers to)."""
    stack = new_stack()
    PayloadBucket(stack, "Payloads", removal_policy=removal_policy)
    template = Template.from_stack(stack)
    buckets = template.find_resources("AWS::S3::Bucket")
    keys = template.find_resources("AWS::KMS::Key")
    assert len(buckets) == 2 and len(keys) == 1
    for resource in [*buckets.values(), *keys.values()]:
        assert resource["DeletionPolicy"] == deletion_policy
    encryption = {
        logical_id: bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][
            0
        ]["ServerSideEncryptionByDefault"]["SSEAlgorithm"]
        for logical_id, bucket in buckets.items()
    }
    assert sorted(encryption.values()) == ["AES256", "aws:kms"]
    assert encryption[next(k for k in buckets if "AccessLogs" in k)] == "AES256"


def test_fifo_fan_out_payloads_outlive_queue_plus_dlq() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(
        stack,
        "F",
        fifo=True,
        large_payloads=True,
        queues={
            "a": QueueOptions(retention_period=Duration.days(4)),
            "b": QueueOptions(retention_period=Duration.days(2)),
        },
    )
    assert fan_out.payload_bucket is not None
    Template.from_stack(stack).has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "ExpireNoncurrentVersions",
                        "Status": "Enabled",
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                        "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
                    },
                    {"Id": "ExpirePayloads", "Status": "Enabled", "ExpirationInDays": 19},
                ]
            }
        },
    )


def test_grant_consume_names_a_queue() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"a": QueueOptions()})
    with pytest.raises(PatternValidationError, match="name must be one of the queues a, got 'b'"):
        fan_out.grant_consume(iam.User(stack, "U"), "b")


def test_payload_bucket_metrics_are_the_daily_s3_storage_metrics() -> None:
    stack = new_stack()
    payloads = PayloadBucket(stack, "P")
    objects = payloads.metric_number_of_objects()
    size = payloads.metric_bucket_size_bytes(statistic="Maximum")
    assert (objects.namespace, objects.metric_name) == ("AWS/S3", "NumberOfObjects")
    assert objects.dimensions == {
        "BucketName": payloads.bucket_name,
        "StorageType": "AllStorageTypes",
    }
    assert (objects.statistic, objects.period.to_days()) == ("Average", 1)
    assert size.metric_name == "BucketSizeBytes"
    assert size.dimensions == {"BucketName": payloads.bucket_name, "StorageType": "StandardStorage"}
    assert size.statistic == "Maximum"
    assert payloads.metric("NumberOfObjects").dimensions == {"BucketName": payloads.bucket_name}
    assert payloads.alarms == {}


@pytest.mark.parametrize(
    ("expiration", "message"),
    [
        (Duration.hours(12), "expiration must be between 1 day and 3650 days, got 12 h"),
        (Duration.days(4_000), "expiration must be between 1 day and 3650 days, got 4000 days"),
        (Duration.hours(36), "expiration must be a whole number of days (S3 lifecycle), got 36 h"),
    ],
)
def test_payload_bucket_validation(expiration: Duration, message: str) -> None:
    with pytest.raises(PatternValidationError, match=re.escape(message)):
        PayloadBucket(new_stack(), "P", expiration=expiration)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        # before the audit: a typeguard / jsii deserialization error from aws-cdk-lib
        ({"removal_policy": "DESTROY"}, "removal_policy must be a RemovalPolicy, got str"),
        ({"encryption_key": "alias/payloads"}, "encryption_key must be a kms.IKey, got str"),
    ],
)
def test_payload_bucket_rejects_wrong_types(props: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=re.escape(message)):
        PayloadBucket(new_stack(), "P", **props)


def test_payload_bucket_reports_every_problem_at_once() -> None:
    with pytest.raises(PatternValidationError) as info:
        PayloadBucket(
            new_stack(),
            "P",
            expiration=Duration.hours(36),
            removal_policy="DESTROY",  # type: ignore[arg-type]
        )
    assert len(info.value.problems) == 2


def test_client_helper_needs_only_the_standard_library() -> None:
    """A consumer (e.g. a Lambda function shipping the one file) must not need aws-cdk-lib."""
    import subprocess
    import sys
    from pathlib import Path

    import patterns.clients.large_payload_client as client

    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('client', {str(Path(client.__file__))!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "assert module.POINTER_CLASS.endswith('PayloadS3Pointer')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs', 'boto3')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
