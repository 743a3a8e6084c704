"""Large payloads through the deployed fan-out: a body above the 256 KiB SNS/SQS limit, published
with the package's helper, reaches every queue as a pointer, resolves to the original body at
each consumer, and its S3 object is deleted by the last consumer's delete; a small message does
not go through S3 at all."""

from __future__ import annotations

import json
import uuid

import pytest

from emulator.server import DeployedStack, Emulator
from patterns.clients import large_payload_client as client
from tests.deploy.conftest import Deployments, drain

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def documents(deployed: Deployments, emulator: Emulator) -> DeployedStack:
    stack = deployed("LargePayloadExample")
    for key, url in stack.outputs.items():
        if key.endswith("QueueUrl"):
            drain(emulator.client("sqs"), url)
    return stack


def _queues(stack: DeployedStack) -> list[str]:
    return [url for key, url in sorted(stack.outputs.items()) if key.endswith("QueueUrl")]


def test_a_large_body_arrives_resolved_and_its_object_is_deleted_by_the_last_consumer(
    documents: DeployedStack, emulator: Emulator
) -> None:
    sqs, s3 = emulator.client("sqs"), emulator.client("s3")
    bucket = documents.outputs["PayloadBucketName"]
    body = json.dumps({"document": str(uuid.uuid4()), "text": "x" * (300 * 1024)})
    assert len(body.encode()) > client.DEFAULT_THRESHOLD

    published = client.publish_large_message(
        emulator.client("sns"), s3, documents.outputs["TopicArn"], bucket, body
    )

    pointer = published["PayloadPointer"]
    assert pointer.bucket == bucket
    assert s3.head_object(Bucket=bucket, Key=pointer.key)["ContentLength"] == len(body.encode())
    queues = _queues(documents)
    assert len(queues) == 2
    for n, queue_url in enumerate(queues):
        (message,) = client.receive_and_resolve(sqs, s3, queue_url, WaitTimeSeconds=0)
        assert message["Body"] == body  # the consumer sees the original document
        last = n == len(queues) - 1
        client.delete_message(sqs, s3, queue_url, message["ReceiptHandle"], delete_payload=last)
        assert drain(sqs, queue_url) == []
        objects = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        assert (pointer.key in {o["Key"] for o in objects}) is not last


def test_a_large_message_sent_to_one_queue_loses_its_object_on_delete(
    documents: DeployedStack, emulator: Emulator
) -> None:
    sqs, s3 = emulator.client("sqs"), emulator.client("s3")
    bucket = documents.outputs["PayloadBucketName"]
    queue_url = _queues(documents)[0]
    body = "y" * (client.DEFAULT_THRESHOLD + 1)

    sent = client.send_large_message(sqs, s3, queue_url, bucket, body)

    (message,) = client.receive_and_resolve(sqs, s3, queue_url, WaitTimeSeconds=0)
    assert message["Body"] == body
    client.delete_message(sqs, s3, queue_url, message["ReceiptHandle"])
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert sent["PayloadPointer"].key not in keys
    assert drain(sqs, queue_url) == []


def test_a_small_message_is_sent_as_is(documents: DeployedStack, emulator: Emulator) -> None:
    sqs, s3 = emulator.client("sqs"), emulator.client("s3")
    bucket = documents.outputs["PayloadBucketName"]
    before = s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0)

    published = client.publish_large_message(
        emulator.client("sns"), s3, documents.outputs["TopicArn"], bucket, "small"
    )

    assert "PayloadPointer" not in published
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == before
    for queue_url in _queues(documents):
        assert [m["Body"] for m in drain(sqs, queue_url)] == ["small"]  # raw delivery
