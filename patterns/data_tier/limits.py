"""DynamoDB limits and construct-id casing shared by the data-tier constructs."""

from __future__ import annotations

import re

from patterns.core.ids import pascal

__all__ = [
    "HOT_KEY_WARNING",
    "ID_SEPARATORS",
    "MAX_ATTRIBUTE_NAME",
    "MAX_CAPACITY",
    "MAX_ITEM_KB",
    "MAX_TARGET_UTILIZATION",
    "MIN_CAPACITY",
    "MIN_TARGET_UTILIZATION",
    "TABLE_NAME",
    "THROTTLE_PERIODS",
    "construct_id",
]

#: DynamoDB table and index names: 3-255 letters, digits, '_', '-' or '.'.
TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
#: Attribute names: 1-255 characters (the key attributes' limit).
MAX_ATTRIBUTE_NAME = 255
#: Provisioned capacity per table or GSI: at least 1, at most the default per-table quota.
MIN_CAPACITY = 1
MAX_CAPACITY = 40_000
#: Target tracking utilization DynamoDB auto scaling accepts, narrowed to a sane band.
MIN_TARGET_UTILIZATION = 20
MAX_TARGET_UTILIZATION = 90
#: Consecutive 5-minute periods of throttling before the throttle alarms fire: the SDKs retry
#: a throttled request and auto scaling needs a few minutes to react, so one throttled period
#: is not yet a capacity problem.
THROTTLE_PERIODS = 3
#: Largest item DynamoDB stores (attribute names and values together).
MAX_ITEM_KB = 400
#: Warning id of a partition plan's notes (a key hotter than one partition serves).
HOT_KEY_WARNING = "data-tier:hot-key"
#: Separators of index and scheduled-action names in construct ids (``orders-by-date``,
#: ``orders_by_date``, ``orders.by.date`` and ``orders by date`` all give ``OrdersByDate``).
ID_SEPARATORS = r"[-_.\s]"


def construct_id(name: str) -> str:
    """``orders-by-date`` -> ``OrdersByDate``: the id of an index's alarms or a scheduled
    action (stable: a changed id replaces the resource)."""
    return pascal(name, ID_SEPARATORS)
