"""The steps of the example order-fulfilment workflow, as one small Lambda handler.

Step Functions passes ``{"step": <name>, "order": {...}}`` (and ``"item"`` for a Map
iteration); the handler returns the step's result. Validation errors raise
``InvalidOrder`` (the workflow catches it by name and records the order as failed); other
errors are retried by the workflow with backoff.

Runs under plain Python: no dependency beyond the standard library.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


class InvalidOrder(Exception):
    """The order cannot be fulfilled as submitted (not worth a retry)."""


def _amount(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidOrder(f"{what} must be a number, got {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidOrder(f"{what} must be a non-negative number, got {value!r}")
    return amount


def validate(order: dict[str, Any]) -> dict[str, Any]:
    """Check the order and compute its total: ``{"order_id", "total", "item_count"}``."""
    order_id = order.get("order_id")
    if not isinstance(order_id, str) or not order_id:
        raise InvalidOrder("order_id is missing")
    items = order.get("items")
    if not isinstance(items, list) or not items:
        raise InvalidOrder("an order needs at least one item")
    total = Decimal(0)
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("sku"), str):
            raise InvalidOrder(f"items[{index}] needs a sku")
        quantity = item.get("quantity", 1)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise InvalidOrder(f"items[{index}].quantity must be a positive integer")
        total += _amount(item.get("price", 0), f"items[{index}].price") * quantity
    return {"order_id": order_id, "total": float(total), "item_count": len(items)}


def reserve(order: dict[str, Any]) -> dict[str, Any]:
    """Reserve stock for every item (example: always succeeds)."""
    return {"reserved": [item["sku"] for item in order.get("items", [])]}


def charge(order: dict[str, Any]) -> dict[str, Any]:
    """Charge the order's total (example: a payment reference derived from the order id)."""
    return {"payment_id": f"pay-{order.get('order_id', 'unknown')}", "status": "CHARGED"}


def pack(item: dict[str, Any]) -> dict[str, Any]:
    """Pack one item of the order (a Map iteration)."""
    if not isinstance(item, dict) or not isinstance(item.get("sku"), str):
        raise InvalidOrder("item needs a sku")
    return {"sku": item["sku"], "packed": int(item.get("quantity", 1))}


STEPS = {"validate": validate, "reserve": reserve, "charge": charge}


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    step = event.get("step")
    if step == "pack":
        return pack(event.get("item", {}))
    if step not in STEPS:
        raise InvalidOrder(f"unknown step {step!r}; known: pack, {', '.join(STEPS)}")
    order = event.get("order")
    if not isinstance(order, dict):
        raise InvalidOrder("order must be an object")
    return STEPS[step](order)
