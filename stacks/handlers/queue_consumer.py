"""SQS -> Lambda consumer with partial batch responses (``ReportBatchItemFailures``).

Each record is processed on its own; the handler returns the ids of the records that failed,
``{"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}``, so Lambda deletes the rest and
only the failures become visible again (and, after the queue's ``maxReceiveCount``, move to its
DLQ). A record's body may be an SNS envelope (a fan-out queue without raw delivery) or the raw
message; both are unwrapped. The example processing accepts an order event
``{"order_id": ..., "event_type": ...}`` and fails a record without ``order_id``.

Runs under plain Python: no dependency beyond the standard library.
"""

from __future__ import annotations

import json
import logging
from typing import Any

logger = logging.getLogger()
logger.setLevel(logging.INFO)


class RecordError(Exception):
    """A record that cannot be processed (it is reported as a batch item failure)."""


def unwrap(body: str) -> dict[str, Any]:
    """The message of a record body: the SNS envelope's ``Message`` or the body itself."""
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as exc:
        raise RecordError(f"body is not JSON: {exc.msg}") from exc
    if isinstance(payload, dict) and payload.get("Type") == "Notification" and "Message" in payload:
        try:
            payload = json.loads(payload["Message"])
        except json.JSONDecodeError as exc:
            raise RecordError(f"SNS message is not JSON: {exc.msg}") from exc
    if not isinstance(payload, dict):
        raise RecordError(f"message must be a JSON object, got {type(payload).__name__}")
    return payload


def process(message: dict[str, Any]) -> dict[str, Any]:
    """Example business logic: accept an order event; replace it with your own."""
    order_id = message.get("order_id")
    if not isinstance(order_id, str) or not order_id:
        raise RecordError("order_id is missing")
    return {"order_id": order_id, "event_type": message.get("event_type", "unknown")}


def handler(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    """Process every record; report the ones that failed so only they are retried."""
    failures: list[dict[str, str]] = []
    for record in event.get("Records", []):
        message_id = record.get("messageId", "")
        try:
            result = process(unwrap(record.get("body", "")))
        except RecordError as exc:
            logger.warning("record %s failed: %s", message_id, exc)
            failures.append({"itemIdentifier": message_id})
        except Exception:  # an unexpected bug: retry the record, keep the rest of the batch
            logger.exception("record %s failed unexpectedly", message_id)
            failures.append({"itemIdentifier": message_id})
        else:
            logger.info("processed %s: %s", message_id, json.dumps(result))
    return {"batchItemFailures": failures}
