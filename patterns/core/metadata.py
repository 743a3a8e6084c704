"""Construct metadata keys the patterns write, and the helpers that write them.

Patterns record what a reviewer wants to see at a glance (the capacity chosen, the
number of alarms) as construct metadata; it lands in ``cdk.out/manifest.json``
where :mod:`synth_review` reads it without re-running the app.
"""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

__all__ = [
    "ALARMS_METADATA",
    "CAPACITY_METADATA",
    "COST_METADATA",
    "record_capacity",
    "record_cost",
]

CAPACITY_METADATA = "scalable-patterns:capacity"
#: The monthly cost of a capacity line at its stated load, its idle cost and the first limit
#: to break as the load grows (a JSON object, see :func:`patterns.core.cost.cost_record`).
COST_METADATA = "scalable-patterns:cost"
ALARMS_METADATA = "scalable-patterns:alarms"


def record_capacity(scope: Construct, summary: str) -> None:
    """Record a one-line capacity summary (``4 shards (write MiB/s binds)``) for the review."""
    scope.node.add_metadata(CAPACITY_METADATA, summary)


def record_cost(scope: Construct, record: Mapping[str, object]) -> None:
    """Record the cost at load of one capacity line (a JSON object) for the review."""
    scope.node.add_metadata(COST_METADATA, dict(record))
