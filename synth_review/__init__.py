"""The synth review: ``python -m synth_review`` (``make review``).

Reads a cloud assembly and writes ``review/index.html`` with one page per stack
(diagram, resources, capacity plans, IAM with wildcards and their cdk-nag
acknowledgements, alarms, encryption and retention of stateful resources, idle cost
drivers and the change review against a baseline), plus the same as Markdown. Exits
non-zero when a stateful resource would be replaced or removed (data loss), or its
``DeletionPolicy`` / ``UpdateReplacePolicy`` is loosened from Retain, and
``review-acknowledgements.toml`` does not acknowledge it. The IAM statement, managed-policy
and security-group changes come from ``@aws-cdk/cloudformation-diff`` (``cdk diff``'s
security view, run offline): broadened permissions and ingress from anywhere are flagged.
"""

from __future__ import annotations

from synth_review.changes import (
    STATEFUL_TYPES,
    Change,
    ChangeKind,
    Severity,
    compare_templates,
)
from synth_review.model import read_assembly
from synth_review.report import build_report, load_baseline

__all__ = [
    "STATEFUL_TYPES",
    "Change",
    "ChangeKind",
    "Severity",
    "build_report",
    "compare_templates",
    "load_baseline",
    "read_assembly",
]
