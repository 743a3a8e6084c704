"""Example stacks: one per pattern, plus composed reference stacks.

``build_example_app`` adds every example stack to an app and turns on the
cdk-nag packs. ``app.py`` (``make synth``), the tests and the deploy tier all
call it, so the stacks reviewed, snapshotted and deployed are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from stacks.fan_out import FanOutExampleStack, FifoFanOutExampleStack
from stacks.stream_ingest import StreamIngestExampleStack

__all__ = ["EXAMPLE_STACKS", "build_example_app"]

#: Stack name -> stack class. Names are the CloudFormation stack names.
EXAMPLE_STACKS: dict[str, Callable[..., cdk.Stack]] = {
    "FanOutExample": FanOutExampleStack,
    "FifoFanOutExample": FifoFanOutExampleStack,
    "StreamIngestExample": StreamIngestExampleStack,
}


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
