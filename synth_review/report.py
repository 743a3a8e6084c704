"""Put the review together: one :class:`StackReport` per stack, compared with a baseline."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth_review import cost, iam, inventory, security
from synth_review.changes import (
    Change,
    StackChanges,
    apply_acknowledgements,
    compare_stacks,
    load_acknowledgements,
)
from synth_review.diagram import build_dot, render_svgs
from synth_review.model import Assembly, Stack, normalise_template, read_assembly

__all__ = ["Baseline", "Report", "StackReport", "build_report", "load_baseline"]

SNAPSHOT_DIR = Path("tests/__snapshots__/test_gates")
_SNAPSHOT_FILE = re.compile(r"^test_snapshot\[(?P<name>[^\]]+)\]\[(?P=name)\]\.json$")


@dataclass
class Baseline:
    label: str
    templates: dict[str, dict[str, Any]]
    #: snapshots mask asset hashes, so the current side is masked too
    mask_assets: bool


def load_baseline(spec: str | None) -> Baseline | None:
    """``snapshots`` (the committed syrupy snapshots), a cdk.out folder, a folder of
    ``<Stack>.template.json`` files, or ``none``."""
    if spec is None or spec == "none":
        return None
    if spec == "snapshots":
        folder = SNAPSHOT_DIR
        if not folder.is_dir():
            raise FileNotFoundError(f"no snapshots at {folder} (run from the repository root)")
        templates = {}
        for file in sorted(folder.glob("*.json")):
            match = _SNAPSHOT_FILE.match(file.name)
            if match:
                templates[match["name"]] = json.loads(file.read_text())
        return Baseline(f"committed snapshots ({folder})", templates, mask_assets=True)
    folder = Path(spec)
    if (folder / "manifest.json").exists():
        assembly = read_assembly(folder)
        templates = {name: s.template for name, s in assembly.stacks.items()}
        return Baseline(f"cloud assembly {folder}", templates, mask_assets=False)
    if folder.is_dir():
        templates = {
            f.name.removesuffix(".template.json"): json.loads(f.read_text())
            for f in sorted(folder.glob("*.template.json"))
        }
        if templates:
            return Baseline(f"templates in {folder}", templates, mask_assets=False)
    raise FileNotFoundError(f"baseline {spec!r}: not 'snapshots', 'none', a cdk.out or templates")


@dataclass
class StackReport:
    stack: Stack
    changes: StackChanges | None
    principals: list[iam.Principal]
    alarms: list[inventory.Alarm]
    storage: list[inventory.Storage]
    idle: list[cost.IdleDriver]
    dot: str
    svg: str | None = None
    #: cdk diff's security view against the baseline (None without a baseline)
    security: security.StackSecurity | None = None

    @property
    def name(self) -> str:
        return self.stack.name

    @property
    def blocking(self) -> list[Change]:
        return self.changes.blocking if self.changes else []


@dataclass
class Report:
    stacks: list[StackReport]
    baseline: str | None
    prices: cost.PriceTable
    removed_stacks: list[StackChanges] = field(default_factory=list)
    stale_acknowledgements: list[str] = field(default_factory=list)
    diagram_error: str | None = None

    @property
    def blocking(self) -> list[Change]:
        found = [c for s in self.stacks for c in s.blocking]
        return found + [c for s in self.removed_stacks for c in s.blocking]

    @property
    def broadened(self) -> list[StackReport]:
        """The stacks whose permissions or security-group rules are broadened."""
        return [s for s in self.stacks if s.security and s.security.permissions_broadened]

    @property
    def has_changes(self) -> bool:
        return bool(self.removed_stacks) or any(
            s.changes and (s.changes.changes or s.changes.status) for s in self.stacks
        )


def build_report(
    assembly: Assembly,
    baseline: Baseline | None,
    *,
    acknowledgements: Path | None = None,
    prices: cost.PriceTable = cost.DEFAULT_PRICES,
    diagrams: bool = True,
) -> Report:
    changes: dict[str, StackChanges] = {}
    stale: list[str] = []
    secured: dict[str, security.StackSecurity] = {}
    if baseline is not None:
        mask = baseline.mask_assets
        current = {
            name: normalise_template(s.template, mask_assets=mask)
            for name, s in assembly.stacks.items()
        }
        old = {
            name: normalise_template(t, mask_assets=mask) for name, t in baseline.templates.items()
        }
        paths = {
            name: {lid: r.path for lid, r in s.resources.items() if r.path}
            for name, s in assembly.stacks.items()
        }
        changes = compare_stacks(old, current, paths=paths)
        secured = security.security_changes(
            {name: (old.get(name, {}), template) for name, template in current.items()}
        )
        acks = load_acknowledgements(acknowledgements) if acknowledgements else {}
        stale = apply_acknowledgements(changes, acks)
    reports = []
    for name, stack in assembly.stacks.items():
        stack_changes = changes.get(name)
        reports.append(
            StackReport(
                stack=stack,
                changes=stack_changes,
                principals=iam.principals(stack),
                alarms=inventory.alarms(stack),
                storage=inventory.storage(stack),
                idle=cost.idle_drivers(stack),
                dot=build_dot(stack, stack_changes.changes if stack_changes else None),
                security=secured.get(name),
            )
        )
    report = Report(
        stacks=reports,
        baseline=baseline.label if baseline else None,
        prices=prices,
        removed_stacks=[c for n, c in changes.items() if n not in assembly.stacks],
        stale_acknowledgements=stale,
    )
    if diagrams:
        try:
            svgs = render_svgs({r.name: r.dot for r in reports})
        except Exception as exc:  # the report is still worth having without pictures
            report.diagram_error = str(exc)
        else:
            for r in reports:
                r.svg = svgs.get(r.name)
    return report
