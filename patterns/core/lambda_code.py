"""The Lambda runtime and handler assets every pattern uses.

A handler a pattern ships is a plain Python file beside the pattern that runs it
(``patterns/data_tier/time_series/time_series_rotation.py``), packaged as an asset that holds
only that file (no Docker bundling): its hash - and so the function's code version - changes
only when that file does. Example handlers live with the example stacks
(``stacks/handlers/``) and use the same helper.
"""

from __future__ import annotations

import re
from pathlib import Path

import jsii
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.deferred import deferred

__all__ = ["LATEST_PYTHON", "QueueDestination", "handler_code"]

#: The newest Python runtime of this aws-cdk-lib (cdk-nag L1 / LambdaLatestVersion want it).
#: Every function the patterns create uses it; it moves up project-wide at once.
LATEST_PYTHON = deferred(lambda_.Runtime, "PYTHON_3_14")

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.py$")


def handler_code(handler_file: str | Path) -> lambda_.Code:
    """An asset with only ``handler_file`` (a ``.py`` module), so its hash follows that file.

    The function's handler is then ``<module>.handler``.

    Raises:
        ValueError: ``handler_file`` is not an existing Python module file.
    """
    path = Path(handler_file).resolve()
    if not _MODULE.match(path.name) or not path.is_file():
        raise ValueError(f"no handler module file {str(handler_file)!r}")
    return lambda_.Code.from_asset(str(path.parent), exclude=["*", f"!{path.name}"])


@jsii.implements(lambda_.IDestination)
class QueueDestination:
    """An SQS on-failure destination that adds no grants: the pattern writes exact ones (the
    L2 ``SqsDestination`` would add ``kms:ReEncrypt*`` and ``kms:GenerateDataKey*`` to the
    function's default policy, where a user's ``grant_*`` statements go).

    Args:
        queue: the queue failed invocation records go to; the pattern grants the function
            ``sqs:SendMessage`` on it (and the use of its key) itself.
    """

    def __init__(self, queue: sqs.IQueue) -> None:
        self._queue = queue

    def bind(
        self,
        scope: Construct,
        fn: lambda_.IFunction,
        *,
        type: lambda_.DestinationType | None = None,
    ) -> lambda_.DestinationConfig:
        """The destination's ARN, for ``fn``'s event invoke config (no grant is added)."""
        return lambda_.DestinationConfig(destination=self._queue.queue_arn)
