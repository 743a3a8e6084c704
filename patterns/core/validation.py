"""Prop validation shared by every pattern.

A pattern validates all of its props in one place, before it creates any
child construct, and reports every problem at once::

    v = Validator(self)
    v.duration_in_range("visibility_timeout", timeout, minimum=Duration.seconds(0),
                        maximum=Duration.hours(12))
    v.number_in_range("max_receive_count", count, minimum=1)
    v.raise_if_invalid()

Each problem names the prop, the value received and what is allowed, e.g.
``visibility_timeout must be between 0 s and 12 h, got 13 h``. Values that are
unresolved CDK tokens (a ``CfnParameter``, an imported value) cannot be checked
at synth time and are skipped.

Telling a token from a literal is cheap where Python can tell (each jsii round trip costs
about 0.2 ms): a ``str`` is a token only if it contains ``Token[`` and a number only if its
IEEE-754 bits carry CDK's token marker (aws-cdk-lib ``core/lib/private/encoding.js``:
``unresolved`` checks ``includes("Token[")`` first; ``extractTokenDouble`` tests the top 16
bits against ``0xFBFF``, doubles near -1.9e289). Only those candidates go to
``Token.is_unresolved``. A Duration costs one ``to_seconds`` round trip, cached per object.
"""

from __future__ import annotations

import math
import struct
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from aws_cdk import Duration, Token
from constructs import Construct

__all__ = [
    "PatternValidationError",
    "Validator",
    "duration_seconds",
    "format_duration",
    "is_concrete_duration",
    "is_unresolved",
]


class PatternValidationError(ValueError):
    """Raised once per construct with every invalid prop it was given.

    Attributes:
        construct_path: the construct path (``Stack/FanOut``) of the pattern.
        problems: one human-readable line per problem.
    """

    def __init__(self, construct_path: str, problems: Iterable[str]) -> None:
        self.construct_path = construct_path
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{construct_path}: {count} invalid prop {noun}:\n{lines}")


#: CDK's string-token test runs only on strings containing this (``ANY_TOKEN_MARKER``).
_TOKEN_STRING_MARKER = "Token["
#: The top 16 bits of every CDK number token (``DOUBLE_TOKEN_MARKER_BITS`` = 0xFBFF0000).
_TOKEN_DOUBLE_MARKER = 0xFBFF


def _may_be_token_number(value: float) -> bool:
    """False when ``value`` cannot be a CDK number token (its top 16 bits lack the marker)."""
    try:
        bits: int = struct.unpack("<Q", struct.pack("<d", float(value)))[0]
    except OverflowError:  # an int beyond a double reaches JavaScript as Infinity: no token
        return False
    return bits >> 48 == _TOKEN_DOUBLE_MARKER


#: Duration -> its seconds (None: built from a token). A Duration is immutable.
_SECONDS: weakref.WeakKeyDictionary[Duration, float | None] = weakref.WeakKeyDictionary()


def duration_seconds(value: Duration) -> float | None:
    """The seconds of a Duration known at synth time, ``None`` for one built from a token.

    One jsii round trip per Duration object (cached): ``to_seconds`` converts a token amount
    only from seconds (it returns the token number, recognised here) and throws for any other
    unit; a resolved Duration converts without error.
    """
    try:
        return _SECONDS[value]
    except KeyError:
        pass
    seconds: float | None
    try:
        seconds = value.to_seconds(integral=False)
    except RuntimeError:
        if not value.is_unresolved():
            raise
        seconds = None
    else:
        if _may_be_token_number(seconds) and value.is_unresolved():
            seconds = None
    _SECONDS[value] = seconds
    return seconds


def is_unresolved(value: object) -> bool:
    """True for a CDK token (or a Duration built from one) that resolves only at deploy time."""
    if isinstance(value, Duration):
        return duration_seconds(value) is None
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return _TOKEN_STRING_MARKER in value and bool(Token.is_unresolved(value))
    if isinstance(value, float) and not math.isfinite(value):
        return False  # NaN/infinity are never tokens (and jsii cannot serialize them)
    if isinstance(value, int | float):
        return _may_be_token_number(value) and bool(Token.is_unresolved(value))
    return False


def is_concrete_duration(value: object) -> bool:
    """True for an ``aws_cdk.Duration`` known at synth time (safe for ``to_seconds`` etc.)."""
    return isinstance(value, Duration) and duration_seconds(value) is not None


#: Units a Duration may be required to be whole in (see ``Validator.duration_in_range``).
_WHOLE_UNITS: dict[str, int] = {"seconds": 1, "minutes": 60, "hours": 3_600, "days": 86_400}


_UNITS: tuple[tuple[str, int], ...] = (
    ("days", 86_400),
    ("h", 3_600),
    ("min", 60),
    ("s", 1),
)


def format_duration(value: Duration | float) -> str:
    """Format a duration with the largest unit that divides it: ``12 h``, ``14 days``, ``90 s``."""
    if isinstance(value, Duration):
        concrete = duration_seconds(value)
        if concrete is None:
            return value.to_string()  # a token: Duration.<unit>(<token number>)
        seconds = concrete
    else:
        seconds = float(value)
    if seconds == 0:
        return "0 s"
    for unit, size in _UNITS:
        if seconds >= size and float(seconds / size).is_integer():
            amount = int(seconds // size)
            if unit == "days" and amount == 1:
                unit = "day"
            return f"{amount} {unit}"
    return f"{seconds:g} s"


def _type_name(cls: type) -> str:
    """``bool``, ``str`` or the CDK style ``aws_dynamodb.TableEncryption``."""
    module = cls.__module__
    if module == "builtins":
        return cls.__name__
    return f"{module.rsplit('.', 1)[-1]}.{cls.__name__}"


def _format_number(value: float, unit: str) -> str:
    text = f"{value:,}" if isinstance(value, int) else f"{value:,g}"
    return f"{text} {unit}".rstrip() if unit else text


class Validator:
    """Collects the problems of one construct's props and raises them together.

    Args:
        scope: the pattern being validated; its path names the construct in the error.
    """

    def __init__(self, scope: Construct) -> None:
        self._scope = scope
        self._path: str | None = None
        self.problems: list[str] = []

    @property
    def construct_path(self) -> str:
        """The pattern's construct path (read from jsii only when needed: on an error)."""
        if self._path is None:
            self._path = self._scope.node.path
        return self._path

    # -- generic -------------------------------------------------------------------------
    def add(self, prop: str, message: str) -> None:
        """Record a problem: ``<prop> <message>``."""
        self.problems.append(f"{prop} {message}")

    def require(self, condition: bool, prop: str, message: str) -> None:
        """Record ``<prop> <message>`` unless ``condition`` holds."""
        if not condition:
            self.add(prop, message)

    # -- numbers -------------------------------------------------------------------------
    def number_in_range(
        self,
        prop: str,
        value: float | None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        unit: str = "",
        integer: bool = False,
    ) -> None:
        """Check ``minimum <= value <= maximum`` (either bound optional); ``None`` is skipped."""
        if value is None or is_unresolved(value):
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.add(prop, f"must be a number, got {value!r}")
            return
        if integer and not float(value).is_integer():
            self.add(prop, f"must be a whole number, got {value!r}")
            return
        below = minimum is not None and value < minimum
        above = maximum is not None and value > maximum
        if not (below or above):
            return
        got = _format_number(value, unit)
        if minimum is not None and maximum is not None:
            lo, hi = _format_number(minimum, unit), _format_number(maximum, unit)
            self.add(prop, f"must be between {lo} and {hi}, got {got}")
        elif minimum is not None:
            self.add(prop, f"must be at least {_format_number(minimum, unit)}, got {got}")
        else:
            assert maximum is not None
            self.add(prop, f"must be at most {_format_number(maximum, unit)}, got {got}")

    def duration_in_range(
        self,
        prop: str,
        value: Duration | None,
        *,
        minimum: Duration | None = None,
        maximum: Duration | None = None,
        whole: str | None = None,
    ) -> None:
        """Check a Duration against inclusive bounds; ``None`` and tokens are skipped.

        ``whole`` (``"seconds"``, ``"minutes"``, ``"hours"`` or ``"days"``) also requires a
        whole number of that unit, for properties AWS takes as an integer (an SQS visibility
        timeout in seconds, a Kinesis retention in hours): aws-cdk-lib would otherwise fail
        with an opaque ``cannot be converted into a whole number of seconds``.
        """
        if value is None or is_unresolved(value):
            return
        if not isinstance(value, Duration):
            self.add(prop, f"must be an aws_cdk.Duration, got {value!r}")
            return
        seconds = duration_seconds(value)
        assert seconds is not None  # is_unresolved returned above for a token
        if whole is not None and not float(seconds / _WHOLE_UNITS[whole]).is_integer():
            self.add(prop, f"must be a whole number of {whole}, got {format_duration(seconds)}")
        lo = duration_seconds(minimum) if minimum is not None else None
        hi = duration_seconds(maximum) if maximum is not None else None
        if (lo is None or seconds >= lo) and (hi is None or seconds <= hi):
            return
        got = format_duration(seconds)
        if minimum is not None and maximum is not None:
            self.add(
                prop,
                f"must be between {format_duration(minimum)} and {format_duration(maximum)}, "
                f"got {got}",
            )
        elif minimum is not None:
            self.add(prop, f"must be at least {format_duration(minimum)}, got {got}")
        else:
            assert maximum is not None
            self.add(prop, f"must be at most {format_duration(maximum)}, got {got}")

    # -- types ---------------------------------------------------------------------------
    def boolean(self, prop: str, value: object) -> None:
        """Check ``value`` is True or False (``"false"`` would be truthy); ``None`` is skipped."""
        if value is not None and not isinstance(value, bool):
            self.add(prop, f"must be True or False, got {value!r}")

    def instance_of(
        self, prop: str, value: object, expected: type | tuple[type, ...], *, what: str
    ) -> bool:
        """Check ``isinstance(value, expected)`` (classes and jsii enums, not jsii interfaces);
        ``None`` is skipped. ``what`` names the expected type in the message. True if it is."""
        if value is None:
            return False
        if isinstance(value, expected):
            return True
        self.add(prop, f"must be {what}, got {type(value).__name__} {value!r}")
        return False

    def implements(self, prop: str, value: object, attribute: str, *, what: str) -> None:
        """Duck-type check of a jsii interface (which ``isinstance`` cannot test): ``value``
        must have ``attribute`` (``topic_arn`` for an ``sns.ITopic``); ``None`` is skipped."""
        if value is not None and not hasattr(value, attribute):
            self.add(prop, f"must be {what}, got {type(value).__name__} {value!r}")

    def text(self, prop: str, value: object) -> bool:
        """Check ``value`` is a string; True when it is a concrete string worth checking
        further (False for ``None``, tokens and non-strings, which are reported)."""
        if value is None or is_unresolved(value):
            return False
        if not isinstance(value, str):
            self.add(prop, f"must be a string, got {type(value).__name__} {value!r}")
            return False
        return True

    def one_of(self, prop: str, value: Any, allowed: Iterable[Any]) -> None:
        """Check membership; the message lists the allowed values."""
        if value is None or is_unresolved(value):
            return
        options = list(allowed)
        if value not in options:
            self.add(prop, f"must be one of {', '.join(map(repr, options))}, got {value!r}")

    def sequence_of(
        self,
        prop: str,
        value: object,
        item_type: type,
        *,
        minimum: int = 0,
        maximum: int | None = None,
    ) -> bool:
        """Check a list or tuple (not a string) of ``minimum..maximum`` ``item_type`` items;
        ``None`` is skipped. Returns whether it passed."""
        if value is None:
            return True
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
            self.add(
                prop,
                f"must be a list or tuple of {_type_name(item_type)}, "
                f"got {type(value).__name__} {value!r}",
            )
            return False
        ok = True
        wrong = [
            item
            for item in value
            if not isinstance(item, item_type) or (isinstance(item, bool) and item_type is not bool)
        ]
        if wrong:
            self.add(prop, f"must hold only {_type_name(item_type)} items, got {wrong!r}")
            ok = False
        count = len(value)
        if count < minimum or (maximum is not None and count > maximum):
            limit = f"{minimum}-{maximum}" if maximum is not None else f"at least {minimum}"
            self.add(prop, f"must hold {limit} items, got {count}")
            ok = False
        return ok

    def at_most_one(self, props: Mapping[str, object]) -> None:
        """At most one of the named props may be set (not None / not False)."""
        given = [name for name, value in props.items() if value is not None and value is not False]
        if len(given) > 1:
            names = ", ".join(props)
            self.add(
                given[0], f"cannot be combined with {', '.join(given[1:])} (choose one of {names})"
            )

    # -- outcome -------------------------------------------------------------------------
    @property
    def ok(self) -> bool:
        """True while no problem has been recorded."""
        return not self.problems

    def raise_if_invalid(self) -> None:
        """Raise one PatternValidationError with every recorded problem, if any."""
        if self.problems:
            raise PatternValidationError(self.construct_path, self.problems)
