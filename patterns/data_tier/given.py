"""Which keyword props the user passed, for a default that follows another prop.

``ScalableTable(deletion_protection=...)`` defaults to True, and to False with
``removal_policy=DESTROY`` (a protected table would make the dev stack undeletable); a True the
user *passed* with DESTROY is an error instead. The signature cannot tell a passed True from
the default one, so :func:`records_given_props` remembers the names of the keyword arguments
of a pattern's ``__init__`` while it runs and :func:`given_props` reads them.

The type hints stay those of the wrapped ``__init__`` (``functools.wraps``), so the base's
"no silent None" rules and the generated tests see the same signature.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

__all__ = ["given_props", "records_given_props"]

_P = ParamSpec("_P")
_S = TypeVar("_S")
#: id(pattern) -> the keyword props given to its ``__init__``, while it runs.
_GIVEN: dict[int, frozenset[str]] = {}


def records_given_props(
    init: Callable[Concatenate[_S, _P], None],
) -> Callable[Concatenate[_S, _P], None]:
    """Decorate a pattern's ``__init__`` so that :func:`given_props` knows its keyword props."""

    @functools.wraps(init)
    def wrapper(self: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> None:
        _GIVEN[id(self)] = frozenset(kwargs)
        try:
            init(self, *args, **kwargs)
        finally:
            _GIVEN.pop(id(self), None)

    return wrapper


def given_props(pattern: object) -> frozenset[str]:
    """The keyword props passed to ``pattern``'s ``__init__`` (while it runs; empty after)."""
    return _GIVEN.get(id(pattern), frozenset())
