"""Construct metadata keys the patterns write, and the helpers that write them.

Patterns record what a reviewer wants to see at a glance (the capacity chosen, the
number of alarms) as construct metadata; it lands in ``cdk.out/manifest.json``
where :mod:`synth_review` reads it without re-running the app.
"""

from __future__ import annotations

from constructs import Construct

__all__ = ["ALARMS_METADATA", "CAPACITY_METADATA", "record_capacity"]

CAPACITY_METADATA = "scalable-patterns:capacity"
ALARMS_METADATA = "scalable-patterns:alarms"


def record_capacity(scope: Construct, summary: str) -> None:
    """Record a one-line capacity summary (``4 shards (write MiB/s binds)``) for the review."""
    scope.node.add_metadata(CAPACITY_METADATA, summary)
