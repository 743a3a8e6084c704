"""Prop rules shared by :class:`~patterns.data_tier.ScalableTable` and
:class:`~patterns.data_tier.TimeSeriesTables`: key attributes and key schemas, attribute
types, the TTL attribute and the inputs of the partition plan.

Each rule records its problems on the validator it is given and never raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeGuard

from aws_cdk import aws_dynamodb as dynamodb

from patterns.capacity import dynamodb_partition_problems
from patterns.core.validation import Validator, is_unresolved
from patterns.data_tier.limits import MAX_ATTRIBUTE_NAME

__all__ = [
    "attribute",
    "attribute_types",
    "booleans",
    "concrete_number",
    "key_schema",
    "keys",
    "plan_inputs",
    "time_to_live_attribute",
]


def attribute(v: Validator, prop: str, value: object) -> None:
    """A key attribute prop: a ``dynamodb.Attribute`` with a name of 1-255 characters."""
    if not isinstance(value, dynamodb.Attribute):
        v.add(prop, f"must be a dynamodb.Attribute, got {type(value).__name__}")
    elif not 1 <= len(value.name) <= MAX_ATTRIBUTE_NAME:
        v.add(prop, f"name must be 1-{MAX_ATTRIBUTE_NAME} characters, got {value.name!r}")


def key_schema(v: Validator, prop: str, partition_key: object, sort_key: object | None) -> None:
    """A sort key (``prop``) that repeats the partition key's name: DynamoDB rejects it (for
    time-series tables only at run time, in the rotation's CreateTable, after a deploy)."""
    if (
        isinstance(partition_key, dynamodb.Attribute)
        and isinstance(sort_key, dynamodb.Attribute)
        and partition_key.name == sort_key.name
    ):
        v.add(
            prop,
            "must differ from the partition key (DynamoDB needs two distinct key attributes), "
            f"got {sort_key.name!r} for both",
        )


def keys(v: Validator, partition_key: object, sort_key: object | None, prefix: str = "") -> None:
    """The key schema of a table or GSI: both attributes and their distinct names
    (``prefix`` names an index: ``global_secondary_indexes["byX"].``)."""
    attribute(v, f"{prefix}partition_key", partition_key)
    if sort_key is not None:
        attribute(v, f"{prefix}sort_key", sort_key)
    key_schema(v, f"{prefix}sort_key", partition_key, sort_key)


def attribute_types(v: Validator, key_props: Sequence[tuple[str, object | None]]) -> None:
    """Key attributes of a table and its indexes defined twice with different types (one
    attribute definition per name: aws-cdk-lib would fail with ``AttributeTypeConflict``)."""
    seen: dict[str, tuple[str, dynamodb.AttributeType]] = {}
    for prop, key in key_props:
        if not isinstance(key, dynamodb.Attribute):
            continue
        first = seen.setdefault(key.name, (prop, key.type))
        if first[1] != key.type:
            v.add(
                prop,
                f"defines attribute {key.name!r} as {key.type.value}, but {first[0]} defines it "
                f"as {first[1].value} (an attribute has one type)",
            )


def time_to_live_attribute(v: Validator, value: object) -> None:
    """A string of 1-255 characters (an attribute name)."""
    if v.text("time_to_live_attribute", value):
        assert isinstance(value, str)
        v.require(
            1 <= len(value) <= MAX_ATTRIBUTE_NAME,
            "time_to_live_attribute",
            f"must be 1-{MAX_ATTRIBUTE_NAME} characters, got {value!r}",
        )


def booleans(v: Validator, **flags: object) -> None:
    """Each flag is True or False (``"false"`` would be truthy)."""
    for prop, flag in flags.items():
        v.boolean(prop, flag)


def plan_inputs(v: Validator, **inputs: tuple[str, object]) -> None:
    """The inputs of a partition plan, checked by the planner's own rules
    (:func:`patterns.capacity.dynamodb_partition_problems`), so a construct reports them in
    the planner's words, named as its props, with its other problems.

    Args:
        v: the pattern's validator.
        **inputs: planner argument (``size_gb``) -> (prop name, value) of the construct:
            ``size_gb=("expected_size_gb", expected_size_gb)``. ``None`` (not given) and
            unresolved tokens (not checkable at synth time) are skipped.
    """
    values = {arg: None if is_unresolved(value) else value for arg, (_, value) in inputs.items()}
    names = {arg: prop for arg, (prop, _) in inputs.items()}
    v.problems.extend(dynamodb_partition_problems(**values, names=names))


def concrete_number(value: object) -> TypeGuard[float]:
    """A number known at synth time (not a token, not a bool, not a string)."""
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and not is_unresolved(value)
    )
