"""TopicFanOut deployed: what a user relies on, exercised through the emulator's SNS and SQS."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from emulator.server import DeployedStack, Emulator
from tests.deploy.conftest import Deployments, body_of, drain

pytestmark = pytest.mark.deploy

#: As configured in stacks/fan_out.py.
RAW = {"billing": False, "audit": True, "analytics": False}


@pytest.fixture(scope="module")
def fan_out(deployed: Deployments, emulator: Emulator) -> DeployedStack:
    stack = deployed("FanOutExample")
    sqs = emulator.client("sqs")
    for key, url in stack.outputs.items():
        if key.endswith("Url"):
            drain(sqs, url)
    return stack


def _publish(emulator: Emulator, stack: DeployedStack, event_type: str) -> str:
    message = json.dumps({"order": str(uuid.uuid4()), "event_type": event_type})
    emulator.client("sns").publish(
        TopicArn=stack.outputs["TopicArn"],
        Message=message,
        MessageAttributes={"event_type": {"DataType": "String", "StringValue": event_type}},
    )
    return message


def _received(emulator: Emulator, stack: DeployedStack, queue: str) -> list[dict[str, Any]]:
    return drain(emulator.client("sqs"), stack.outputs[f"{queue.capitalize()}QueueUrl"])


def test_a_message_reaches_every_queue_exactly_once(
    fan_out: DeployedStack, emulator: Emulator
) -> None:
    message = _publish(emulator, fan_out, "order_placed")

    for queue, raw in RAW.items():
        received = _received(emulator, fan_out, queue)
        assert [body_of(m, raw=raw) for m in received] == [message], queue
        assert _received(emulator, fan_out, queue) == [], f"{queue} delivered twice"


def test_raw_delivery_and_envelope_as_configured(
    fan_out: DeployedStack, emulator: Emulator
) -> None:
    message = _publish(emulator, fan_out, "order_placed")

    (audit,) = _received(emulator, fan_out, "audit")
    assert audit["Body"] == message  # raw: the body as published, attributes as SQS attributes
    assert audit["MessageAttributes"]["event_type"]["StringValue"] == "order_placed"
    (billing,) = _received(emulator, fan_out, "billing")
    envelope = json.loads(billing["Body"])
    assert envelope["TopicArn"] == fan_out.outputs["TopicArn"]
    assert envelope["Message"] == message
    assert envelope["MessageAttributes"]["event_type"]["Value"] == "order_placed"
    _received(emulator, fan_out, "analytics")


def test_the_filter_policy_keeps_other_events_out_of_billing(
    fan_out: DeployedStack, emulator: Emulator
) -> None:
    shipped = _publish(emulator, fan_out, "order_shipped")
    cancelled = _publish(emulator, fan_out, "order_cancelled")

    billing = [body_of(m, raw=False) for m in _received(emulator, fan_out, "billing")]
    assert billing == [cancelled]
    for queue in ("audit", "analytics"):  # unfiltered: both events
        bodies = {body_of(m, raw=RAW[queue]) for m in _received(emulator, fan_out, queue)}
        assert bodies == {shipped, cancelled}, queue


def test_a_poisoned_message_ends_in_the_dlq_after_max_receive_count(
    fan_out: DeployedStack, emulator: Emulator
) -> None:
    sqs = emulator.client("sqs")
    queue_url = fan_out.outputs["BillingQueueUrl"]
    dlq_url = fan_out.outputs["BillingDlqUrl"]
    redrive = json.loads(
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])[
            "Attributes"
        ]["RedrivePolicy"]
    )
    max_receive_count = int(redrive["maxReceiveCount"])
    assert max_receive_count == 3  # as configured in the example
    message = _publish(emulator, fan_out, "order_placed")

    for attempt in range(1, max_receive_count + 1):
        (received,) = sqs.receive_message(
            QueueUrl=queue_url, WaitTimeSeconds=0, AttributeNames=["ApproximateReceiveCount"]
        )["Messages"]
        assert received["Attributes"]["ApproximateReceiveCount"] == str(attempt)
        # the consumer fails: no delete; the message becomes visible again at once
        sqs.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=received["ReceiptHandle"], VisibilityTimeout=0
        )

    assert drain(sqs, queue_url) == []  # the next receive moved it to the DLQ
    dead = drain(sqs, dlq_url)
    assert [body_of(m, raw=False) for m in dead] == [message]  # nothing lost
    for queue in ("audit", "analytics"):
        _received(emulator, fan_out, queue)


# -- FIFO ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fifo(deployed: Deployments) -> DeployedStack:
    return deployed("FifoFanOutExample")


def test_fifo_fan_out_keeps_order_per_message_group(
    fifo: DeployedStack, emulator: Emulator
) -> None:
    sns = emulator.client("sns")
    sqs = emulator.client("sqs")
    published: dict[str, list[str]] = {"account-a": [], "account-b": []}
    for n in range(6):
        group = "account-a" if n % 3 else "account-b"
        message = json.dumps({"group": group, "entry": n})
        sns.publish(TopicArn=fifo.outputs["TopicArn"], Message=message, MessageGroupId=group)
        published[group].append(message)

    for queue, raw in (("Ledger", True), ("Notifications", False)):
        seen: dict[str, list[str]] = {"account-a": [], "account-b": []}
        for message in drain(sqs, fifo.outputs[f"{queue}QueueUrl"]):
            body = body_of(message, raw=raw)
            seen[json.loads(body)["group"]].append(body)
        assert seen == published, queue


def test_fifo_fan_out_drops_a_duplicate_by_content(fifo: DeployedStack, emulator: Emulator) -> None:
    sns = emulator.client("sns")
    message = json.dumps({"group": "account-c", "entry": str(uuid.uuid4())})
    for _ in range(2):
        sns.publish(TopicArn=fifo.outputs["TopicArn"], Message=message, MessageGroupId="account-c")

    received = drain(emulator.client("sqs"), fifo.outputs["LedgerQueueUrl"])
    assert [m["Body"] for m in received] == [message]
    drain(emulator.client("sqs"), fifo.outputs["NotificationsQueueUrl"])
