"""DynamoDB limits the data-tier constructs check."""

from __future__ import annotations

import re

__all__ = [
    "MAX_ATTRIBUTE_NAME",
    "MAX_CAPACITY",
    "MAX_ITEM_KB",
    "MAX_TARGET_UTILIZATION",
    "MIN_CAPACITY",
    "MIN_TARGET_UTILIZATION",
    "TABLE_NAME",
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
#: Largest item DynamoDB stores (attribute names and values together).
MAX_ITEM_KB = 400
