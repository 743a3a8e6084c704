"""patterns.core.typecheck: the type check every pattern's props go through (see also the
generated tests/test_bad_inputs.py)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn

import patterns
from patterns.core.typecheck import MAX_AWS_INTEGER, call_checked, describe, type_problems
from patterns.core.validation import PatternValidationError
from tests.user_apps.cases import MINIMAL


@dataclass(frozen=True)
class _Options:
    count: int = 1
    names: tuple[str, ...] = ()


def _props(
    *,
    flag: bool = False,
    size: int = 1,
    ratio: float = 0.5,
    name: str = "x",
    mode: Literal["a", "b"] = "a",
    timeout: Duration | None = None,
    topic: sns.ITopic | None = None,
    tags: Mapping[str, str] | None = None,
    items: Sequence[_Options] = (),
) -> None:
    """A signature of every kind the checker knows."""


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"flag": 1}, "flag must be True or False, got int 1"),
        ({"size": True}, "size must be a whole number, got bool True"),
        ({"size": 2.5}, "size must be a whole number, got 2.5"),
        ({"size": 2**31}, f"size must be at most {MAX_AWS_INTEGER:,} "),
        ({"ratio": math.nan}, "ratio must be a number, got nan"),
        ({"ratio": -math.inf}, "ratio must be a finite number, got -inf"),
        ({"name": 5}, "name must be a string, got int 5"),
        ({"mode": "c"}, "mode must be one of 'a', 'b', got 'c'"),
        ({"timeout": 30}, "timeout must be an aws_cdk.Duration, got int 30"),
        ({"topic": "arn:aws:sns:eu-west-1:1:t"}, "topic must be an sns.ITopic, got str"),
        ({"tags": ["a"]}, "tags must be a mapping of string to string, got list"),
        ({"tags": {"a": 1}}, "tags['a'] must be a string, got int 1"),
        ({"items": "ab"}, "items must be a list or tuple of _Options, got str 'ab'"),
        ({"items": [_Options(count="2")]}, "items[0].count must be a whole number, got str"),  # type: ignore[arg-type]
        ({"items": [_Options(names=("a", 3))]}, r"items[0].names[1] must be a string, got int 3"),  # type: ignore[arg-type]
    ],
)
def test_each_kind_of_mismatch_is_named(kwargs: dict[str, object], expected: str) -> None:
    problems = type_problems(_props, (), kwargs)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_matching_values_and_tokens_pass() -> None:
    stack = cdk.Stack()
    token = cdk.CfnParameter(stack, "Size", type="Number").value_as_number
    kwargs = {
        "flag": True,
        "size": token,
        "ratio": 1,
        "mode": "b",
        "timeout": Duration.seconds(5),
        "topic": sns.Topic(stack, "T"),
        "tags": {"a": "b"},
        "items": [_Options(count=2, names=("x",))],
    }
    assert type_problems(_props, (), kwargs) == []
    assert describe(Sequence[str] | None) == "a list or tuple of string"


def _crashes(*, size: int = 1) -> None:
    raise AttributeError("'str' object has no attribute 'to_seconds'")


def _accepts(*, size: int = 1) -> None:
    """Builds whatever it is given."""


def test_a_crash_or_a_silent_build_on_a_mistyped_prop_becomes_the_report() -> None:
    for func in (_crashes, _accepts):
        with pytest.raises(PatternValidationError, match="size must be a whole number, got str"):
            call_checked(func, (), {"size": "3"}, path=lambda: "Stack/P")


def test_a_bug_on_valid_props_is_not_hidden() -> None:
    with pytest.raises(AttributeError):
        call_checked(_crashes, (), {"size": 3}, path=lambda: "Stack/P")


def test_the_patterns_own_message_wins_and_the_rest_is_added() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    with pytest.raises(PatternValidationError) as error:
        MINIMAL["TopicFanOut"](stack, fifo="yes", display_name=5)
    problems = error.value.problems
    assert any(p.startswith("fifo must be True or False") for p in problems)
    assert any(p.startswith("display_name must be a string, got int 5") for p in problems)


def test_an_infinite_backoff_no_longer_kills_the_jsii_kernel() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    task = sfn.Parallel(stack, "Work")
    with pytest.raises(PatternValidationError, match="backoff_rate must be a finite number"):
        patterns.add_retry(task, patterns.RetryPolicy(backoff_rate=math.inf))
    # the kernel is alive: the next jsii call works
    patterns.add_retry(task, patterns.RetryPolicy())


def test_a_retry_policy_with_non_string_errors_does_not_reach_the_template() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    with pytest.raises(PatternValidationError, match=r"policy.errors\[0\] must be a string"):
        patterns.add_retry(sfn.Parallel(stack, "Work"), patterns.RetryPolicy(errors=(5,)))  # type: ignore[arg-type]


def test_a_duration_beyond_what_aws_accepts_is_named() -> None:
    """Every AWS duration field is a 32-bit integer (seconds or less): ~68 years and up is
    refused before it reaches the template."""
    import aws_cdk as cdk
    from aws_cdk import Duration

    import patterns

    stack = cdk.Stack(cdk.App(), "Durations")
    with pytest.raises(
        PatternValidationError, match=r"log_expiration must be at most 2,147,483,647 seconds"
    ):
        from tests.user_apps.cases import MINIMAL

        MINIMAL["EdgeDistribution"](stack, log_expiration=Duration.days(10**8))
    assert patterns.AlarmOverride  # the package is importable after the error
