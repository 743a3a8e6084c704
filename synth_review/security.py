"""The security view of ``cdk diff``, offline: IAM and security-group changes per stack.

``@aws-cdk/cloudformation-diff`` (the npm library behind ``cdk diff``, installed into
``synth_review/node_modules`` by ``make setup``) compares each stack's baseline template
with its current one (``security_diff.cjs``, run once for all stacks with the project's
Node.js). It reports IAM statements added or removed (identity policies, resource
policies, Lambda permissions), managed policies attached or detached, and security-group
ingress and egress rules added or removed. As that library defines it, permissions are
*broadened* when an Allow statement or a managed policy is added, a Deny statement is
removed, or a security-group rule is added. A rule that admits ``0.0.0.0/0`` or ``::/0`` is
flagged as open to the world.

This complements :mod:`synth_review.changes` (which knows replacements and data loss);
neither replaces the other.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "RuleChange",
    "SecurityDiffUnavailable",
    "StackSecurity",
    "StatementChange",
    "security_changes",
]

SCRIPT = Path(__file__).with_name("security_diff.cjs")
MODULE = Path(__file__).with_name("node_modules") / "@aws-cdk" / "cloudformation-diff"


class SecurityDiffUnavailable(RuntimeError):
    """Node.js or ``@aws-cdk/cloudformation-diff`` is missing, or the library failed."""


@dataclass(frozen=True)
class StatementChange:
    """An IAM statement (or a managed-policy attachment, ``effect`` = ``Attach``) added or
    removed; the fields are cloudformation-diff's rendering (``${Role.Arn}`` ...)."""

    change: str  # "added" | "removed"
    effect: str
    action: str
    resource: str
    principal: str
    condition: str
    broadening: bool


@dataclass(frozen=True)
class RuleChange:
    """A security-group rule added or removed."""

    change: str  # "added" | "removed"
    direction: str  # "ingress" | "egress"
    group: str
    protocol: str
    peer: str
    open_to_world: bool

    @property
    def new_open_ingress(self) -> bool:
        """An added ingress rule from anywhere (``0.0.0.0/0`` or ``::/0``)."""
        return self.change == "added" and self.direction == "ingress" and self.open_to_world


@dataclass(frozen=True)
class StackSecurity:
    """The security changes of one stack against its baseline."""

    permissions_broadened: bool
    statements: tuple[StatementChange, ...]
    rules: tuple[RuleChange, ...]

    @property
    def has_changes(self) -> bool:
        return bool(self.statements or self.rules)

    @property
    def open_ingress(self) -> tuple[RuleChange, ...]:
        return tuple(rule for rule in self.rules if rule.new_open_ingress)


def _statements(raw: Mapping[str, Any]) -> tuple[StatementChange, ...]:
    rows = [
        StatementChange(
            s["change"],
            s["effect"],
            s["action"],
            s["resource"],
            s["principal"],
            s["condition"],
            bool(s["broadening"]),
        )
        for s in raw["statements"]
    ]
    rows += [
        StatementChange(
            m["change"], "Attach", m["policy"], "-", m["identity"], "", bool(m["broadening"])
        )
        for m in raw["managed_policies"]
    ]
    return tuple(rows)


def _rules(raw: Mapping[str, Any]) -> tuple[RuleChange, ...]:
    return tuple(
        RuleChange(
            r["change"], direction, r["group"], r["protocol"], r["peer"], bool(r["open_to_world"])
        )
        for direction in ("ingress", "egress")
        for r in raw[direction]
    )


def security_changes(
    pairs: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]],
    *,
    node: str | None = None,
) -> dict[str, StackSecurity]:
    """Run cloudformation-diff on each stack's ``(baseline, current)`` templates.

    A stack new to the baseline is compared with an empty template (everything it grants is
    an addition).

    Raises:
        SecurityDiffUnavailable: no Node.js, the library is not installed (``make setup``),
            or it failed on a template.
    """
    if not pairs:
        return {}
    executable = node or shutil.which("node")
    if executable is None:
        raise SecurityDiffUnavailable("no `node` on PATH (make setup puts Node.js in .venv/bin)")
    if not MODULE.is_dir():
        raise SecurityDiffUnavailable(
            f"{MODULE} is missing: run `make setup` (npm ci --prefix synth_review)"
        )
    payload = {name: {"old": old, "new": new} for name, (old, new) in pairs.items()}
    try:
        done = subprocess.run(
            [executable, str(SCRIPT)],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SecurityDiffUnavailable(f"cloudformation-diff did not run: {exc}") from exc
    if done.returncode != 0:
        raise SecurityDiffUnavailable(
            f"cloudformation-diff failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
        )
    result = json.loads(done.stdout)
    return {
        name: StackSecurity(bool(raw["permissions_broadened"]), _statements(raw), _rules(raw))
        for name, raw in result.items()
    }
