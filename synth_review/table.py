"""The short review table ``make synth`` prints after ``cdk synth``.

Usage: ``python -m synth_review.table [cdk.out]``. Works on any cloud assembly
(your own app's too): per stack it prints the resource count, the capacity each
pattern chose (recorded as construct metadata) with its monthly cost at the stated load where
it was sized from one, the alarms, and the cdk-nag acknowledgements. It exits 1 when the
validation report holds an unacknowledged finding.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from patterns.core.metadata import CAPACITY_METADATA, COST_METADATA
from synth_review.load_cost import from_entry
from synth_review.model import stack_artifacts, stack_metadata

__all__ = ["StackReview", "main", "read_assembly", "render"]


@dataclass
class StackReview:
    name: str
    resources: int
    alarms: int
    capacity: list[str] = field(default_factory=list)
    #: The cost at load of the capacity line at the same index ("" when not sized from a load).
    costs: list[str] = field(default_factory=list)
    acknowledgements: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)


def read_assembly(outdir: Path) -> list[StackReview]:
    """Read every stack of a synthesized cloud assembly."""
    reviews: dict[str, StackReview] = {}
    for name, artifact in stack_artifacts(outdir).items():
        template_file = artifact["properties"]["templateFile"]
        resources = json.loads((outdir / template_file).read_text()).get("Resources", {})
        review = StackReview(
            name=name,
            resources=len(resources),
            alarms=sum(1 for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"),
        )
        for path, entries in sorted(stack_metadata(outdir, artifact).items()):
            costs = {}
            for entry in entries:
                cost = from_entry(path, entry.get("data"))
                if entry.get("type") == COST_METADATA and cost is not None:
                    costs[cost.line] = cost.cost_text()
            for entry in entries:
                if entry.get("type") == CAPACITY_METADATA:
                    review.capacity.append(f"{path.rsplit('/', 1)[-1]}: {entry['data']}")
                    review.costs.append(costs.get(str(entry["data"]), ""))
        reviews[name] = review

    report_path = outdir / "validation-report.json"
    if report_path.exists():
        report = json.loads(report_path.read_text())
        for plugin in report.get("pluginReports", []):
            for suppressed in plugin.get("suppressedViolations", []):
                for construct in suppressed["violatingConstructs"]:
                    stack = construct["constructPath"].split("/")[0]
                    if stack in reviews:
                        reviews[stack].acknowledgements[suppressed["ruleName"]] += 1
            for violation in plugin.get("violations", []):
                for construct in violation["violatingConstructs"]:
                    stack = construct["constructPath"].split("/")[0]
                    if stack in reviews:
                        reviews[stack].violations.append(
                            f"{violation['ruleName']} at {construct['constructPath']}"
                        )
    return list(reviews.values())


def render(reviews: list[StackReview]) -> str:
    """A plain-text table, one row per stack (and one per further capacity line)."""
    header = ("stack", "resources", "alarms", "nag acks", "capacity", "cost at load")
    rows: list[tuple[str, ...]] = []
    for r in reviews:
        acks = str(sum(r.acknowledgements.values()))
        capacity = r.capacity or ["-"]
        costs = r.costs or [""]
        rows.append((r.name, str(r.resources), str(r.alarms), acks, capacity[0], costs[0]))
        more = zip(capacity[1:], costs[1:], strict=True)
        rows.extend(("", "", "", "", line, cost) for line, cost in more)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]
    for r in reviews:
        if r.acknowledgements:
            detail = ", ".join(f"{rule} x{n}" for rule, n in sorted(r.acknowledgements.items()))
            lines.append(f"{r.name} acknowledged: {detail}")
        for violation in r.violations:
            lines.append(f"{r.name} UNACKNOWLEDGED: {violation}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0] if args else "cdk.out")
    reviews = read_assembly(outdir)
    print(render(reviews))
    return 1 if any(r.violations for r in reviews) else 0


if __name__ == "__main__":
    sys.exit(main())
