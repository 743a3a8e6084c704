"""The validator's token tests skip jsii where Python can tell, and agree with CDK everywhere.

``is_unresolved`` answers a plain ``str``, ``int`` or ``float`` without a round trip unless it
could be a token (CDK's own pre-checks: ``Token[`` in a string, the 0xFBFF marker in a
number's top bits); a Duration costs one ``to_seconds``. The oracle is
``aws_cdk.Token.is_unresolved`` (and ``Duration.is_unresolved``) over literals and real tokens.
"""

from __future__ import annotations

import math
import struct

import jsii
import pytest
from aws_cdk import (
    App,
    Aws,
    CfnParameter,
    Duration,
    INumberProducer,
    IResolveContext,
    IStringProducer,
    Lazy,
    Stack,
    Token,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.core import validation
from patterns.core.validation import Validator, duration_seconds, format_duration, is_unresolved


@jsii.implements(INumberProducer)
class Three:
    def produce(self, context: IResolveContext) -> float:
        return 3


@jsii.implements(IStringProducer)
class Text:
    def produce(self, context: IResolveContext) -> str:
        return "x"


STACK = Stack(App(), "Tokens")
NUMBER_PARAMETER = CfnParameter(STACK, "Count", type="Number").value_as_number
STRING_PARAMETER = CfnParameter(STACK, "Name").value_as_string
TOKENS: list[object] = [
    Aws.ACCOUNT_ID,
    Aws.REGION,
    f"arn:aws:sns:{Aws.REGION}:{Aws.ACCOUNT_ID}:topic",
    STRING_PARAMETER,
    NUMBER_PARAMETER,
    Token.as_number(Aws.ACCOUNT_ID),
    Lazy.number(Three()),
    Lazy.string(Text()),
    Token.as_string(NUMBER_PARAMETER),
]


def from_bits(top: int, low: int) -> float:
    """The double whose top 16 bits are ``top`` and low 48 bits ``low``."""
    value: float = struct.unpack("<d", struct.pack("<Q", (top << 48) | low))[0]
    return value


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records every value that reaches jsii's Token.is_unresolved."""
    calls: list[object] = []
    real = Token.is_unresolved

    def spy(value: object) -> bool:
        calls.append(value)
        return bool(real(value))

    monkeypatch.setattr(validation.Token, "is_unresolved", staticmethod(spy))
    return calls


@pytest.mark.parametrize("token", TOKENS, ids=repr)
def test_real_tokens_are_unresolved(token: object) -> None:
    assert Token.is_unresolved(token)
    assert is_unresolved(token)


@pytest.mark.parametrize(
    "duration",
    [
        Duration.seconds(NUMBER_PARAMETER),
        Duration.minutes(NUMBER_PARAMETER),
        Duration.hours(Token.as_number(Aws.ACCOUNT_ID)),
        Duration.millis(NUMBER_PARAMETER),
        Duration.days(Lazy.number(Three())),
    ],
    ids=lambda d: d.to_string(),
)
def test_a_duration_of_a_token_is_unresolved_and_has_no_seconds(duration: Duration) -> None:
    assert duration.is_unresolved()
    assert is_unresolved(duration)
    assert duration_seconds(duration) is None
    assert not validation.is_concrete_duration(duration)
    v = Validator(STACK)
    v.duration_in_range("timeout", duration, maximum=Duration.seconds(1))
    assert v.problems == []


def test_number_tokens_are_exactly_the_marked_doubles() -> None:
    token = Token.as_number(Aws.ACCOUNT_ID)
    bits = struct.unpack("<Q", struct.pack("<d", token))[0]
    assert bits >> 48 == 0xFBFF  # CDK's encoding, as the fast path assumes
    assert validation._may_be_token_number(token)
    assert not validation._may_be_token_number(-1.0e289)  # near, but unmarked
    assert not validation._may_be_token_number(10**400)  # beyond a double: Infinity in JS


@pytest.mark.parametrize(
    "literal",
    [
        0,
        1,
        -1,
        2**53 + 1,
        10**300,
        -(10**300),
        0.5,
        -1.8e289,
        -1.95e289,
        1e-320,
        "",
        "x",
        "${Token[",
        "Token[x]",
        "${Token[TOKEN.1]}",
        "-1.888154589708753e+289",
        "#{Token[LIST.1]}",
    ],
    ids=repr,
)
def test_literals_agree_with_cdk(literal: object) -> None:
    assert is_unresolved(literal) is bool(Token.is_unresolved(literal))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(2**1000), max_value=2**1000),
        st.floats(allow_nan=False, allow_infinity=False),
        st.builds(
            from_bits, st.sampled_from([0xFBFF, 0xFBFE, 0x7BFF, 0xFC00]), st.integers(0, 2**48 - 1)
        ),
        st.text(),
        st.text().map(lambda s: f"{s}${{Token[{s}]}}"),
        st.builds(
            lambda a, n, b: f"{a}${{Token[TOKEN.{n}]}}{b}",
            st.text(),
            st.integers(0, 10**6),
            st.text(),
        ),
    )
)
def test_hypothesis_fast_path_agrees_with_token_is_unresolved(value: object) -> None:
    assert is_unresolved(value) is bool(Token.is_unresolved(value))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(
        [Duration.millis, Duration.seconds, Duration.minutes, Duration.hours, Duration.days]
    ),
    st.one_of(st.integers(0, 10**9), st.floats(0, 1e9, allow_nan=False)),
)
def test_hypothesis_duration_seconds_agree_with_cdk(unit: object, amount: float) -> None:
    duration = unit(amount)  # type: ignore[operator]
    assert is_unresolved(duration) is bool(duration.is_unresolved()) is False
    assert duration_seconds(duration) == duration.to_seconds(integral=False)
    assert format_duration(duration) == format_duration(duration.to_seconds(integral=False))


def test_plain_values_make_no_round_trip(round_trips: list[object]) -> None:
    for value in (0, 5, 3.5, -7, 10**20, "orders", "", "a ${Tok", True, None, 1e300):
        assert not is_unresolved(value)
    assert round_trips == []
    assert is_unresolved(Aws.ACCOUNT_ID)
    assert is_unresolved(NUMBER_PARAMETER)
    assert round_trips == [Aws.ACCOUNT_ID, NUMBER_PARAMETER]


def test_a_duration_costs_one_round_trip_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    duration = Duration.minutes(7)
    real_to_seconds = Duration.to_seconds

    def to_seconds(self: Duration, **kwargs: object) -> float:
        calls.append("to_seconds")
        return float(real_to_seconds(self, **kwargs))  # type: ignore[arg-type]

    monkeypatch.setattr(Duration, "to_seconds", to_seconds)
    v = Validator(STACK)
    low, high = Duration.seconds(0), Duration.hours(1)
    for _ in range(3):
        v.duration_in_range("t", duration, minimum=low, maximum=high)
    assert calls.count("to_seconds") == 3  # the value and each bound, once


def test_the_validator_reads_the_construct_path_only_for_the_error() -> None:
    v = Validator(Stack(App(), "Lazy"))
    assert v._path is None
    v.add("size", "must be small")
    with pytest.raises(validation.PatternValidationError, match="Lazy: 1 invalid prop problem"):
        v.raise_if_invalid()


def test_nan_and_infinity_are_never_tokens(round_trips: list[object]) -> None:
    assert not any(is_unresolved(x) for x in (math.nan, math.inf, -math.inf))
    assert round_trips == []
