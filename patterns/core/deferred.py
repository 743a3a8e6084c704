"""jsii values made at first use, so importing a pattern makes no jsii call.

A default such as ``retention: Duration = Duration.hours(24)`` is evaluated when Python runs
the ``def``: a round trip to the jsii kernel at import time (and the first one loads
typeguard), paid by every app that imports the pattern even if it never builds it. Written
``retention: Duration = deferred(Duration, "hours", 24)``, the default is a ``Duration`` (an
instance of a subclass, so ``isinstance``, type checks, signatures and documentation see the
same type) whose jsii object is made the first time the kernel needs it; it then stands for
that one object, as the module-level value did.

One difference remains: the Python object is not the one jsii hands out for the same value
(``deferred(lambda_.Runtime, "PYTHON_3_14") is lambda_.Runtime.PYTHON_3_14`` is false), so
compare jsii values with their own methods (``Runtime.runtime_equals``, ``to_seconds``), as
for any two jsii objects made apart.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class _Deferred:
    """Mixin: ``__jsii_ref__`` (what the jsii kernel uses for an object) made on first use."""

    _deferred: tuple[type[Any], str, tuple[object, ...]]

    @property
    def __jsii_ref__(self) -> Any:
        made = self.__dict__.get("_made")
        if made is None:
            cls, member, args = self._deferred
            made = getattr(cls, member)(*args) if args else getattr(cls, member)
            self.__dict__["_made"] = made
        return made.__jsii_ref__


#: jsii class -> its deferred subclass
_CLASSES: dict[type[Any], type[Any]] = {}


def _deferred_class(cls: type[Any]) -> type[Any]:
    """``cls`` with a deferred ``__jsii_ref__`` (same name and module, so messages and
    documentation name ``cls``); one per class."""
    metaclass: Any = type(cls)  # jsii's JSIIMeta: a plain subclass makes no kernel call
    if cls not in _CLASSES:
        _CLASSES[cls] = metaclass(cls.__name__, (_Deferred, cls), {"__module__": cls.__module__})
    return _CLASSES[cls]


def deferred(cls: type[T], member: str, *args: object) -> T:
    """``cls.member(*args)`` (a static method, e.g. ``Duration.seconds``) or, without ``args``,
    the static property ``cls.member`` (e.g. ``lambda_.Architecture.ARM_64``), made when the
    jsii kernel first needs it rather than at import."""
    value: T = object.__new__(_deferred_class(cls))
    value.__dict__["_deferred"] = (cls, member, args)
    return value
