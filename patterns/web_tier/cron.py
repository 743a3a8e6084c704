"""Schedules of EC2 Auto Scaling scheduled actions: 5-field Unix cron and IANA time zones.

Pure checks (no CDK): each returns the problems it found, worded for the validation error.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

__all__ = ["cron_problems", "time_zone_problem"]

_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day-of-month", 1, 31, {}),
    (
        "month",
        1,
        12,
        {
            name: i + 1
            for i, name in enumerate(
                ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            )
        },
    ),
    (
        "day-of-week",
        0,
        6,
        {name: i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])},
    ),
)
_CRON_ITEM = re.compile(r"^(?:(\*)|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:/([0-9]+))?$")


def cron_problems(expression: str) -> list[str]:
    """Problems of a 5-field Unix cron expression as EC2 Auto Scaling accepts it (empty if ok).

    Fields: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 0-6
    or SUN-SAT; each a comma list of ``*``, ``*/step``, ``n``, ``a-b`` or ``a-b/step``.
    """
    text = expression.strip()
    if text.startswith(("cron(", "rate(", "at(")):
        return [
            "uses EventBridge syntax; EC2 Auto Scaling takes 5 Unix cron fields "
            "'minute hour day-of-month month day-of-week'"
        ]
    fields = text.split()
    if len(fields) != 5:
        return [
            f"must have 5 fields 'minute hour day-of-month month day-of-week', got {len(fields)}"
        ]
    problems: list[str] = []
    for value, (field_name, lo, hi, names) in zip(fields, _CRON_FIELDS, strict=True):
        for item in value.split(","):
            problem = _cron_item_problem(item, lo, hi, names)
            if problem:
                problems.append(f"{field_name} field {value!r}: {problem}")
                break
    return problems


def _cron_item_problem(item: str, lo: int, hi: int, names: dict[str, int]) -> str | None:
    match = _CRON_ITEM.match(item)
    if not match:
        return f"{item!r} is not '*', 'n', 'a-b' or one of them with '/step'"
    star, start, end, step = match.groups()
    if step is not None and not 1 <= int(step) <= hi:
        return f"step {step} must be between 1 and {hi}"
    if star:
        return None
    values = []
    for token in (start, end):
        if token is None:
            continue
        if token.isdigit():
            number = int(token)
        elif token.upper() in names:
            number = names[token.upper()]
        else:
            allowed = f"{lo}-{hi}" + (f" or {next(iter(names))}-{list(names)[-1]}" if names else "")
            return f"{token!r} is not a value ({allowed})"
        if not lo <= number <= hi:
            return f"{token} is outside {lo}-{hi}"
        values.append(number)
    if len(values) == 2 and values[0] > values[1]:
        return f"range {start}-{end} runs backwards"
    return None


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_problem(name: str) -> str | None:
    """``None`` if ``name`` is an IANA time zone (or no tz database is installed to check)."""
    zones = _time_zones()
    if not zones or name in zones or name == "UTC":
        return None
    return f"must be an IANA time zone name such as 'Europe/Berlin' or 'UTC', got {name!r}"
