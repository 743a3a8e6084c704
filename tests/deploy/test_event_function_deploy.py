"""EventDrivenFunction deployed: EventBridge events reach the function (its log group shows
what it handled), a failing event ends in the on-failure destination after Lambda's retries,
and the SQS consumer of a fan-out queue reports partial batch failures, so only the bad
message is retried and then moved to the queue's DLQ.

The emulator invokes EventBridge targets and asynchronous invocations before ``PutEvents``
answers, and its SQS poller runs one round per ``emulator.poll_queues()`` (see
``the emulator (emulator/services/)``), so nothing here waits.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from emulator.server import Assembly, DeployedStack, Emulator
from stacks.event_function import ORDER_PLACED, ORDER_SOURCE
from tests.deploy.conftest import Deployments, body_of, drain

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def events_stack(deployed: Deployments) -> DeployedStack:
    return deployed("EventFunctionExample")


def _put(emulator: Emulator, stack: DeployedStack, detail: dict[str, Any], **entry: str) -> str:
    (result,) = emulator.client("events").put_events(
        Entries=[
            {
                "EventBusName": stack.outputs["EventBusName"],
                "Source": ORDER_SOURCE,
                "DetailType": ORDER_PLACED,
                "Detail": json.dumps(detail),
                **entry,
            }
        ]
    )["Entries"]
    assert "ErrorCode" not in result, result
    return str(result["EventId"])


def _log_group(assembly: Assembly, stack: DeployedStack, function_name: str) -> str:
    """The log group the template gives the function (``LoggingConfig.LogGroup``)."""
    resources = assembly.template(stack.name)["Resources"]
    (function,) = [
        lid
        for lid, (rtype, pid) in stack.resources.items()
        if rtype == "AWS::Lambda::Function" and pid == function_name
    ]
    reference = resources[function]["Properties"]["LoggingConfig"]["LogGroup"]
    return stack.resources[reference["Ref"]][1]


def _log_messages(emulator: Emulator, group: str) -> list[str]:
    logs = emulator.client("logs")
    messages: list[str] = []
    for stream in logs.describe_log_streams(logGroupName=group)["logStreams"]:
        events = logs.get_log_events(logGroupName=group, logStreamName=stream["logStreamName"])
        messages.extend(e["message"] for e in events["events"])
    return messages


@pytest.fixture(scope="module")
def order_placed_logs(events_stack: DeployedStack, assembly: Assembly) -> str:
    return _log_group(assembly, events_stack, events_stack.outputs["OrderPlacedFunctionName"])


def test_an_order_placed_event_reaches_the_function(
    events_stack: DeployedStack, emulator: Emulator, order_placed_logs: str
) -> None:
    order_id = f"o-{uuid.uuid4().hex[:8]}"

    event_id = _put(emulator, events_stack, {"order_id": order_id, "total": 20})

    messages = _log_messages(emulator, order_placed_logs)
    handled = [json.loads(m) for m in messages if event_id in m]
    assert len(handled) == 1, messages  # invoked once: no retry of a success
    assert handled[0]["level"] == "INFO"  # the pattern's JSON log format
    assert json.loads(handled[0]["message"].removeprefix("handled ")) == {
        "id": event_id,
        "source": ORDER_SOURCE,
        "detail_type": ORDER_PLACED,
        "detail_keys": ["order_id", "total"],
    }
    # in the pattern's log group, which has a retention (not an unbounded /aws/lambda/ group)
    (group,) = emulator.client("logs").describe_log_groups(logGroupNamePrefix=order_placed_logs)[
        "logGroups"
    ]
    assert group["retentionInDays"] > 0
    assert drain(emulator.client("sqs"), events_stack.outputs["OrderPlacedDlqUrl"]) == []


def test_events_the_rule_does_not_match_do_not_invoke_the_function(
    events_stack: DeployedStack, emulator: Emulator, order_placed_logs: str
) -> None:
    shipped = _put(emulator, events_stack, {"order_id": "o-x"}, DetailType="OrderShipped")
    other = _put(emulator, events_stack, {"order_id": "o-y"}, Source="someone.else")

    messages = _log_messages(emulator, order_placed_logs)
    assert not [m for m in messages if shipped in m or other in m]


def test_a_failing_event_ends_in_the_on_failure_destination(
    events_stack: DeployedStack, emulator: Emulator, order_placed_logs: str
) -> None:
    sqs = emulator.client("sqs")
    function_name = events_stack.outputs["OrderPlacedFunctionName"]
    retries = emulator.client("lambda").get_function_event_invoke_config(
        FunctionName=function_name
    )["MaximumRetryAttempts"]

    event_id = _put(emulator, events_stack, {"order_id": "o-bad", "simulate_failure": True})

    (message,) = drain(sqs, events_stack.outputs["OrderPlacedDlqUrl"])
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 1 + retries
    assert record["requestPayload"]["id"] == event_id  # the event itself: nothing lost
    assert record["requestPayload"]["detail"] == {"order_id": "o-bad", "simulate_failure": True}
    assert record["responsePayload"]["errorType"] == "EventError"
    # EventBridge delivered it (the function failed): the rule's DLQ stays empty
    assert drain(sqs, events_stack.outputs["OrderPlacedRuleDlqUrl"]) == []
    # every attempt failed visibly in the function's log
    failures = [m for m in _log_messages(emulator, order_placed_logs) if f"event {event_id}" in m]
    assert len(failures) == 1 + retries


def check_an_undeliverable_event_ends_in_the_rule_dlq(
    emulator: Emulator, stack: DeployedStack
) -> None:
    """EventBridge -> SQS: an event the rule may not deliver (the function's permission for the
    rule is withdrawn for the test) goes to the rule's dead-letter queue - which admits the
    rule - with EventBridge's error attributes, and the function is not invoked."""
    lam, sqs = emulator.client("lambda"), emulator.client("sqs")
    function_name = stack.outputs["OrderPlacedFunctionName"]
    (statement,) = json.loads(lam.get_policy(FunctionName=function_name)["Policy"])["Statement"]
    lam.remove_permission(FunctionName=function_name, StatementId=statement["Sid"])
    try:
        with emulator.authorizer.expecting() as denied:
            event_id = _put(emulator, stack, {"order_id": "o-lost"})
    finally:
        lam.add_permission(
            FunctionName=function_name,
            StatementId=statement["Sid"],
            Action="lambda:InvokeFunction",
            Principal="events.amazonaws.com",
            SourceArn=statement["Condition"]["ArnLike"]["AWS:SourceArn"],
        )

    assert [d.split(":", 1)[0] for d in denied] == ["DENIED"], denied  # the invocation only
    (message,) = drain(sqs, stack.outputs["OrderPlacedRuleDlqUrl"])
    assert json.loads(message["Body"])["id"] == event_id
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["ERROR_CODE"] == "NO_PERMISSIONS"
    assert attributes["RULE_ARN"] == statement["Condition"]["ArnLike"]["AWS:SourceArn"]


def test_an_event_the_rule_may_not_deliver_ends_in_the_rule_dlq(
    events_stack: DeployedStack, emulator: Emulator
) -> None:
    check_an_undeliverable_event_ends_in_the_rule_dlq(emulator, events_stack)


# -- SQS -> Lambda consumer of a fan-out queue ---------------------------------------------------
@pytest.fixture(scope="module")
def consumer(deployed: Deployments, emulator: Emulator) -> DeployedStack:
    stack = deployed("QueueConsumerExample")
    drain(emulator.client("sqs"), stack.outputs["QueueUrl"])
    return stack


def _publish(emulator: Emulator, stack: DeployedStack, message: dict[str, Any]) -> str:
    body = json.dumps(message)
    emulator.client("sns").publish(
        TopicArn=stack.outputs["TopicArn"],
        Message=body,
        MessageAttributes={
            "event_type": {"DataType": "String", "StringValue": str(message["event_type"])}
        },
    )
    return body


def test_the_consumer_processes_a_batch_and_only_the_bad_message_is_retried_then_dead(
    consumer: DeployedStack, emulator: Emulator
) -> None:
    sqs = emulator.client("sqs")
    queue_url = consumer.outputs["QueueUrl"]
    redrive = json.loads(
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])[
            "Attributes"
        ]["RedrivePolicy"]
    )
    max_receive_count = int(redrive["maxReceiveCount"])
    good = [
        _publish(emulator, consumer, {"order_id": f"o-{n}", "event_type": "order_placed"})
        for n in range(3)
    ]
    bad = _publish(emulator, consumer, {"event_type": "order_placed"})  # no order_id
    filtered = _publish(emulator, consumer, {"order_id": "o-9", "event_type": "order_shipped"})

    # Lambda's poller: one batch with every message the filter let through
    (first,) = emulator.poll_queues()
    assert len(first.message_ids) == len(good) + 1
    assert not first.function_error
    (bad_id,) = first.returned  # the partial batch response names only the bad message
    # the good ones were deleted; the bad one is retried alone until max receives
    attempts = 1
    while attempts < max_receive_count:
        (batch,) = emulator.poll_queues()
        assert batch.message_ids == [bad_id] and batch.returned == [bad_id]
        attempts += 1
    assert emulator.poll_queues() == []  # the next receive moved it to the DLQ

    assert drain(sqs, queue_url) == []
    dead = drain(sqs, consumer.outputs["DlqUrl"])
    assert [body_of(m, raw=False) for m in dead] == [bad]
    assert filtered not in [body_of(m, raw=False) for m in dead]
