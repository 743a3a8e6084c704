"""Input checks of the load planners: one ``<name> must ..., got <value>`` line per problem."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from patterns.capacity._numbers import is_number


def _text(value: float, unit: str) -> str:
    number = f"{value:,}" if isinstance(value, int) else f"{value:,g}"
    return f"{number} {unit}".rstrip()


class Problems:
    """Collects the problems of one planner's arguments.

    Args:
        names: the caller's name for an argument in the lines (a construct passes its prop
            names). Default: the argument names.
    """

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        self.lines: list[str] = []
        self._names = dict(names or {})

    def name(self, argument: str) -> str:
        return self._names.get(argument, argument)

    def add(self, line: str) -> None:
        self.lines.append(line)

    def number(
        self,
        argument: str,
        value: object,
        *,
        above: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        unit: str = "",
        whole: bool = False,
        why: str = "",
    ) -> bool:
        """Check a number; True when it passed (and may be checked further). ``None`` is not
        given (or a deploy-time token): not checked, False."""
        name = self.name(argument)
        if value is None:
            return False
        if not is_number(value):
            self.add(f"{name} must be a number, got {value!r}")
            return False
        assert isinstance(value, int | float)
        if math.isinf(value):
            self.add(f"{name} must be a finite number, got {value!r}")
            return False
        if whole and not float(value).is_integer():
            self.add(f"{name} must be a whole number, got {value!r}")
            return False
        if above is not None and not value > above:
            self.add(f"{name} must be greater than {_text(above, unit)}, got {_text(value, unit)}")
            return False
        if minimum is not None and value < minimum:
            self.add(f"{name} must be at least {_text(minimum, unit)}, got {_text(value, unit)}")
            return False
        if maximum is not None and value > maximum:
            reason = f" ({why})" if why else ""
            self.add(
                f"{name} must be at most {_text(maximum, unit)}{reason}, got {_text(value, unit)}"
            )
            return False
        return True

    def share(self, argument: str, value: object) -> bool:
        """A share: 0 < value <= 1."""
        name = self.name(argument)
        if value is None:
            return False
        if not is_number(value) or not 0 < value <= 1:  # type: ignore[operator]
            self.add(f"{name} must be between 0 (exclusive) and 1, got {value!r}")
            return False
        return True

    def choice(self, argument: str, value: object, allowed: Collection[str]) -> bool:
        name = self.name(argument)
        if value is None:
            return False
        if value not in allowed:
            options = ", ".join(repr(option) for option in allowed)
            self.add(f"{name} must be one of {options}, got {value!r}")
            return False
        return True

    def flag(self, argument: str, value: object) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.add(f"{self.name(argument)} must be True or False, got {value!r}")
            return False
        return True

    def raise_if_any(self) -> None:
        if self.lines:
            raise ValueError("; ".join(self.lines))
