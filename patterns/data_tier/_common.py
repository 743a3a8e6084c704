"""Limits and helpers shared by the data-tier constructs."""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import aws_dynamodb as dynamodb

from patterns.core.validation import is_unresolved

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


def share_problems(prop: str, value: object) -> list[str]:
    """Problems with a share of traffic (``hot_key_share``): a number in (0, 1]."""
    if value is None or is_unresolved(value):
        return []
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        return [f"{prop} must be between 0 (exclusive) and 1, got {value!r}"]
    return []


def key_schema_problems(prop: str, partition_key: object, sort_key: object | None) -> list[str]:
    """A key schema whose sort key repeats the partition key's name (DynamoDB rejects it)."""
    if (
        isinstance(partition_key, dynamodb.Attribute)
        and isinstance(sort_key, dynamodb.Attribute)
        and partition_key.name == sort_key.name
    ):
        return [
            f"{prop} must differ from the partition key (DynamoDB needs two distinct key "
            f"attributes), got {sort_key.name!r} for both"
        ]
    return []


def attribute_type_problems(keys: Sequence[tuple[str, object | None]]) -> list[str]:
    """Key attributes of a table and its indexes defined twice with different types (one
    attribute definition per name: aws-cdk-lib would fail with ``AttributeTypeConflict``)."""
    seen: dict[str, tuple[str, dynamodb.AttributeType]] = {}
    problems = []
    for prop, key in keys:
        if not isinstance(key, dynamodb.Attribute):
            continue
        first = seen.setdefault(key.name, (prop, key.type))
        if first[1] != key.type:
            problems.append(
                f"{prop} defines attribute {key.name!r} as {key.type.value}, but {first[0]} "
                f"defines it as {first[1].value} (an attribute has one type)"
            )
    return problems
