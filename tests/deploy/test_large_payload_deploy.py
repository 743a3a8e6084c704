"""Large payloads through the deployed fan-out: a body above the 256 KiB SNS/SQS limit, published
with the package's helper by the example's producer role, reaches every queue as a pointer and
resolves to the original body at each consumer, each with its own role (the example's grants,
authorized by the emulator); the client's delete of the payload works for a caller allowed to
delete it; a small message does not go through S3 at all."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

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


def check_a_large_body_reaches_each_consumer_as_its_role(
    emulator: Emulator, stack: DeployedStack
) -> None:
    """The producer (its role: publish, write the bucket with its key) sends a large body; each
    consumer (its own role: its queue, the bucket's objects, both keys) resolves it. The objects
    are shared by both queues, so no consumer may delete them (the lifecycle rule expires
    them): a consumer's delete of the payload is denied."""
    as_producer = {
        name: emulator.client_as(
            stack.role_arn("ProducerRole"), name, principal="lambda.amazonaws.com"
        )
        for name in ("sns", "s3")
    }
    bucket = stack.outputs["PayloadBucketName"]
    body = json.dumps({"document": str(uuid.uuid4()), "text": "x" * (300 * 1024)})
    assert len(body.encode()) > client.DEFAULT_THRESHOLD

    published = client.publish_large_message(
        as_producer["sns"], as_producer["s3"], stack.outputs["TopicArn"], bucket, body
    )

    pointer = published["PayloadPointer"]
    s3 = emulator.client("s3")
    assert pointer.bucket == bucket
    assert s3.head_object(Bucket=bucket, Key=pointer.key)["ContentLength"] == len(body.encode())
    for name in ("Indexer", "Archiver"):
        role = stack.role_arn(f"{name}Role")
        sqs_as, s3_as = (
            emulator.client_as(role, service, principal="lambda.amazonaws.com")
            for service in ("sqs", "s3")
        )
        queue_url = stack.outputs[f"{name}QueueUrl"]
        (message,) = client.receive_and_resolve(sqs_as, s3_as, queue_url, WaitTimeSeconds=0)
        assert message["Body"] == body  # the consumer sees the original document
        client.delete_message(
            sqs_as, s3_as, queue_url, message["ReceiptHandle"], delete_payload=False
        )
        assert drain(emulator.client("sqs"), queue_url) == []
        with emulator.authorizer.expecting() as denied, pytest.raises(ClientError):
            s3_as.delete_object(Bucket=bucket, Key=pointer.key)
        assert len(denied) == 1 and "s3:DeleteObject" in denied[0], denied
    assert s3.head_object(Bucket=bucket, Key=pointer.key)  # left for the lifecycle rule


def test_a_large_body_reaches_each_consumer_as_its_role(
    documents: DeployedStack, emulator: Emulator
) -> None:
    check_a_large_body_reaches_each_consumer_as_its_role(emulator, documents)


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
