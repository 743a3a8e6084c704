"""Number checks and exact rounding shared by the planners (no CDK import)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TypeGuard


def exact(value: float) -> Fraction:
    """The number the caller wrote: a float by its shortest decimal (``0.2`` is 1/5, not the
    binary 0.2000000000000000111...), so ``50/s x 0.2 s`` is exactly 10 concurrent, not 11."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def ceil_whole(value: Fraction) -> int:
    return max(0, math.ceil(value))


def number_text(value: object) -> str:
    """``1,025`` for an int, ``1.5`` / ``inf`` for a float (the wording of the constructs)."""
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def is_number(value: object) -> bool:
    """A real number: not a bool, not NaN."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    )


def given_number(value: object, argument: str, problems: list[str]) -> TypeGuard[float]:
    """Whether ``value`` is to be checked further: False for ``None`` (not given, not
    checked) and for a value that is not a number (recorded on ``problems``)."""
    if value is None:
        return False
    if not is_number(value):
        problems.append(f"{argument} must be a number, got {value!r}")
        return False
    return True


def infinite(argument: str, value: object) -> list[str]:
    """Infinity passes every lower bound but cannot size anything."""
    if isinstance(value, float) and math.isinf(value):
        return [f"{argument} must be a finite number, got {value!r}"]
    return []
