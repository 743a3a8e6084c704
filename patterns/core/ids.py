"""Construct ids derived from user-given names.

Construct ids are part of every logical id: the same name must always give the same id,
or a stateful resource is replaced on the next deploy.
"""

from __future__ import annotations

import re

__all__ = ["pascal"]

#: Separators of the names a pattern validates (``orders-by-date``, ``orders_by_date``).
DEFAULT_SEPARATORS = r"[-_]"


def pascal(name: str, separators: str = DEFAULT_SEPARATORS) -> str:
    """``orders-by-date`` -> ``OrdersByDate``: split on ``separators`` (a regular expression),
    upper-case the first letter of each part and join them.

    Each pattern keeps the separators it has always used, so ids stay stable: queue and job
    names split on ``-``/``_``, step names also on spaces, path patterns on anything that is
    not a letter or digit (``r"[^A-Za-z0-9]+"``).
    """
    return "".join(part[:1].upper() + part[1:] for part in re.split(separators, name) if part)
