"""Example stacks: one per pattern, plus composed reference stacks.

``build_example_app`` adds every example stack to an app and turns on the
cdk-nag packs. ``app.py`` (``make synth``), the tests and the deploy tier all
call it, so the stacks reviewed, snapshotted and deployed are the same.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

__all__ = ["EXAMPLE_STACKS", "build_example_app"]

StackFactory = Callable[..., cdk.Stack]


def _discover() -> dict[str, StackFactory]:
    """Collect ``EXAMPLES`` (stack name -> stack class) from every module of this package.

    A pattern registers its example stacks by defining ``EXAMPLES`` in ``stacks/<pattern>.py``;
    stack names are CloudFormation stack names and must be unique.
    """
    found: dict[str, StackFactory] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, factory in getattr(module, "EXAMPLES", {}).items():
            if name in found:
                raise ValueError(f"example stack {name} is defined twice (in {info.name})")
            found[name] = factory
    return found


#: Stack name -> stack class, from every ``stacks/*.py`` module's ``EXAMPLES``.
EXAMPLE_STACKS: dict[str, StackFactory] = _discover()


def build_example_app(
    app: cdk.App,
    *,
    nag: bool = True,
    only: list[str] | None = None,
    **stack_props: Any,
) -> dict[str, cdk.Stack]:
    """Add the example stacks (all, or the names in ``only``) to ``app``.

    Args:
        app: the app to add them to.
        nag: add the cdk-nag ``AwsSolutionsChecks`` and ``ServerlessChecks`` packs, so an
            unacknowledged finding fails ``app.synth()``.
        only: stack names to build. Default: every example stack.
        **stack_props: passed to every stack (``env``, ``synthesizer``,
            ``analytics_reporting`` ...); the deploy tier uses them.
    """
    names = only if only is not None else list(EXAMPLE_STACKS)
    unknown = sorted(set(names) - set(EXAMPLE_STACKS))
    if unknown:
        raise KeyError(f"unknown example stacks {unknown}; known: {sorted(EXAMPLE_STACKS)}")
    stacks = {
        name: EXAMPLE_STACKS[name](
            app,
            name,
            description=f"scalable-patterns example: {name}",
            **stack_props,
        )
        for name in names
    }
    if nag:
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    return stacks
