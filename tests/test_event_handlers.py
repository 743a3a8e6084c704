"""The Lambda handlers of the workflow and event-function examples, imported directly (no AWS)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stacks.handlers import event_handler, order_step, queue_consumer

# -- queue_consumer: partial batch responses ---------------------------------------------------


def sqs_record(message_id: str, body: Any, *, sns_envelope: bool = False) -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    if sns_envelope:
        text = json.dumps({"Type": "Notification", "MessageId": "sns-1", "Message": text})
    return {"messageId": message_id, "body": text, "eventSource": "aws:sqs"}


def test_a_good_batch_reports_no_failures() -> None:
    event = {
        "Records": [
            sqs_record("m-1", {"order_id": "o-1", "event_type": "order_placed"}),
            sqs_record("m-2", {"order_id": "o-2"}, sns_envelope=True),
        ]
    }
    assert queue_consumer.handler(event) == {"batchItemFailures": []}


def test_only_the_failed_records_are_reported() -> None:
    event = {
        "Records": [
            sqs_record("ok-1", {"order_id": "o-1"}),
            sqs_record("no-id", {"event_type": "order_placed"}),
            sqs_record("not-json", "{oops"),
            sqs_record("ok-2", {"order_id": "o-2"}, sns_envelope=True),
            sqs_record("bad-envelope", json.dumps({"Type": "Notification", "Message": "[1"})),
            sqs_record("a-list", [1, 2]),
        ]
    }
    assert queue_consumer.handler(event) == {
        "batchItemFailures": [
            {"itemIdentifier": "no-id"},
            {"itemIdentifier": "not-json"},
            {"itemIdentifier": "bad-envelope"},
            {"itemIdentifier": "a-list"},
        ]
    }


def test_an_unexpected_error_fails_only_its_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(message: dict[str, Any]) -> dict[str, Any]:
        if message["order_id"] == "boom":
            raise RuntimeError("bug")
        return message

    monkeypatch.setattr(queue_consumer, "process", explode)
    event = {"Records": [sqs_record("a", {"order_id": "boom"}), sqs_record("b", {"order_id": "x"})]}
    assert queue_consumer.handler(event) == {"batchItemFailures": [{"itemIdentifier": "a"}]}


def test_an_empty_event_has_no_failures() -> None:
    assert queue_consumer.handler({}) == {"batchItemFailures": []}


def test_unwrap_keeps_a_raw_message_that_merely_has_a_type_field() -> None:
    assert queue_consumer.unwrap(json.dumps({"Type": "Invoice", "order_id": "o"})) == {
        "Type": "Invoice",
        "order_id": "o",
    }


# -- event_handler: EventBridge events ---------------------------------------------------------


def bridge_event(**detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "e-1",
        "source": "scalable-patterns.orders",
        "detail-type": "OrderPlaced",
        "detail": detail,
    }


def test_event_is_summarised() -> None:
    assert event_handler.handler(bridge_event(order_id="o-1", total=5)) == {
        "id": "e-1",
        "source": "scalable-patterns.orders",
        "detail_type": "OrderPlaced",
        "detail_keys": ["order_id", "total"],
    }


def test_a_scheduled_event_with_empty_detail_is_handled() -> None:
    event = {"id": "s-1", "source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
    assert event_handler.handler(event)["detail_keys"] == []


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (bridge_event(simulate_failure=True), "asked to fail"),
        ({**bridge_event(), "detail": "text"}, "detail must be an object"),
        ({"source": "x", "detail-type": "y", "detail": {}}, "event has no id"),
    ],
)
def test_bad_events_raise_so_lambda_retries_then_dead_letters(
    event: dict[str, Any], message: str
) -> None:
    with pytest.raises(event_handler.EventError, match=message):
        event_handler.handler(event)


# -- order_step: the workflow's steps ----------------------------------------------------------

ORDER = {
    "order_id": "o-1",
    "items": [{"sku": "A", "quantity": 2, "price": 10.5}, {"sku": "B", "price": "4"}],
}


def test_validate_computes_the_total() -> None:
    assert order_step.handler({"step": "validate", "order": ORDER}) == {
        "order_id": "o-1",
        "total": 25.0,
        "item_count": 2,
    }


def test_reserve_charge_and_pack() -> None:
    assert order_step.handler({"step": "reserve", "order": ORDER}) == {"reserved": ["A", "B"]}
    assert order_step.handler({"step": "charge", "order": ORDER}) == {
        "payment_id": "pay-o-1",
        "status": "CHARGED",
    }
    assert order_step.handler({"step": "pack", "item": {"sku": "A", "quantity": 2}}) == {
        "sku": "A",
        "packed": 2,
    }


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"step": "validate", "order": {"items": [{"sku": "A"}]}}, "order_id is missing"),
        ({"step": "validate", "order": {"order_id": "o", "items": []}}, "at least one item"),
        (
            {"step": "validate", "order": {"order_id": "o", "items": [{}]}},
            r"items\[0\] needs a sku",
        ),
        (
            {
                "step": "validate",
                "order": {"order_id": "o", "items": [{"sku": "A", "quantity": 0}]},
            },
            r"items\[0\].quantity must be a positive integer",
        ),
        (
            {"step": "validate", "order": {"order_id": "o", "items": [{"sku": "A", "price": -1}]}},
            r"items\[0\].price must be a non-negative number",
        ),
        (
            {"step": "validate", "order": {"order_id": "o", "items": [{"sku": "A", "price": "x"}]}},
            r"items\[0\].price must be a number",
        ),
        ({"step": "refund", "order": ORDER}, "unknown step 'refund'"),
        ({"step": "charge", "order": "o-1"}, "order must be an object"),
        ({"step": "pack", "item": {"quantity": 1}}, "item needs a sku"),
    ],
)
def test_invalid_orders_raise_invalid_order(event: dict[str, Any], message: str) -> None:
    # the workflow does not retry InvalidOrder (its name is in the non-retryable errors)
    with pytest.raises(order_step.InvalidOrder, match=message):
        order_step.handler(event)
