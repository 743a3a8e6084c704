"""No silent None: ``None`` for a prop whose type does not admit it is a
PatternValidationError naming the prop, on every public pattern (generated from the
signatures, so a new prop is covered without a new test)."""

from __future__ import annotations

import inspect
import typing

import aws_cdk as cdk
import pytest

import patterns
from patterns.core.pattern import Pattern, _admits_none
from patterns.core.validation import PatternValidationError
from tests.user_apps.cases import MINIMAL


def _strict_props(cls: type) -> list[str]:
    hints = typing.get_type_hints(cls.__init__)
    return [
        name
        for name, parameter in inspect.signature(cls.__init__).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        and parameter.default is not inspect.Parameter.empty
        and not _admits_none(hints[name])
    ]


PATTERNS = {
    name: getattr(patterns, name)
    for name in patterns.__all__
    if inspect.isclass(getattr(patterns, name)) and issubclass(getattr(patterns, name), Pattern)
}
CASES = [
    pytest.param(name, prop, id=f"{name}.{prop}")
    for name, cls in sorted(PATTERNS.items())
    for prop in _strict_props(cls)
]


def test_every_public_pattern_has_a_minimal_case() -> None:
    assert sorted(PATTERNS) == sorted(set(PATTERNS) & set(MINIMAL)), sorted(
        set(PATTERNS) - set(MINIMAL)
    )


@pytest.mark.parametrize(("pattern", "prop"), CASES)
def test_none_is_reported_not_taken_as_off(pattern: str, prop: str) -> None:
    stack = cdk.Stack(cdk.App(), "NoneCheck")
    with pytest.raises(PatternValidationError, match=rf"\b{prop} must not be None"):
        MINIMAL[pattern](stack, **{prop: None})


def test_the_generated_cases_cover_the_props_the_issue_names() -> None:
    covered = {(pattern, prop) for pattern, prop in (c.values for c in CASES)}
    for expected in [
        ("TopicFanOut", "removal_policy"),
        ("ScalableTable", "deletion_protection"),
        ("ScalableTable", "point_in_time_recovery"),
        ("Workflow", "tracing"),
        ("MessageBroker", "removal_policy"),
    ]:
        assert expected in covered
