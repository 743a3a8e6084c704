"""EventBridge -> Lambda handler of the example: acknowledges each event it receives.

EventBridge invokes the function asynchronously. Returning normally ends the invocation; an
exception makes Lambda retry (``async_retry_attempts``) and then send the event, with the
error, to the function's on-failure destination. The example fails events whose detail says
``"simulate_failure": true`` so that path can be exercised.

Runs under plain Python: no dependency beyond the standard library.
"""

from __future__ import annotations

import json
import logging
from typing import Any

logger = logging.getLogger()
logger.setLevel(logging.INFO)


class EventError(Exception):
    """The event cannot be handled; Lambda retries it, then sends it to the DLQ."""


def summarise(event: dict[str, Any]) -> dict[str, Any]:
    """What the function did with an event: its id, source, type and detail keys."""
    for field in ("id", "source", "detail-type"):
        if not isinstance(event.get(field), str):
            raise EventError(f"event has no {field}")
    detail = event.get("detail")
    if not isinstance(detail, dict):
        raise EventError("event detail must be an object")
    if detail.get("simulate_failure") is True:
        raise EventError(f"event {event['id']} asked to fail (simulate_failure)")
    return {
        "id": event["id"],
        "source": event["source"],
        "detail_type": event["detail-type"],
        "detail_keys": sorted(detail),
    }


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    result = summarise(event)
    logger.info("handled %s", json.dumps(result))
    return result
