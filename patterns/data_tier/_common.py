"""Limits and helpers shared by the data-tier constructs."""

from __future__ import annotations

import re

from aws_cdk import aws_dynamodb as dynamodb

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


def pascal(name: str) -> str:
    """``orders-by-date`` -> ``OrdersByDate`` (for construct ids)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_.\s]", name) if part)


def attribute_problems(prop: str, value: object) -> list[str]:
    """Problems with a key attribute prop (``dynamodb.Attribute``)."""
    if not isinstance(value, dynamodb.Attribute):
        return [f"{prop} must be a dynamodb.Attribute, got {type(value).__name__}"]
    if not 1 <= len(value.name) <= MAX_ATTRIBUTE_NAME:
        return [f"{prop} name must be 1-{MAX_ATTRIBUTE_NAME} characters, got {value.name!r}"]
    return []
