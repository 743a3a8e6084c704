"""Lazy public names for a package (PEP 562), shared by :mod:`patterns`, :mod:`patterns.capacity`,
:mod:`patterns.data_tier`, :mod:`patterns.emr` and :mod:`patterns.workflow`: a name's module is
imported on first access, so ``from patterns import TopicFanOut`` loads the fan-out and not
every pattern.

Standard library only: :mod:`patterns` imports this module before anything else.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, exports: Mapping[str, str], *, modules: frozenset[str] = frozenset()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` for its public names.

    Args:
        package: the package's ``__name__``.
        exports: public name -> the module that defines it.
        modules: the public names that are the module itself (``capacity`` in
            :mod:`patterns`); any other name is looked up in its module, even where it is
            also a submodule's name (``patterns.capacity.dynamodb_throughput``, a planner).

    ``__getattr__`` imports the module, caches the name in the package's namespace and
    returns it; any other name is an ``AttributeError``, so ``from package import X`` of an
    unknown ``X`` is an ``ImportError`` as usual. ``__dir__`` lists every public name, loaded
    or not.
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module_name = exports.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(module_name)
        value = module if name in modules else getattr(module, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__
