"""``python -m synth_review [--cdk-out DIR] [--baseline snapshots|none|DIR] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from synth_review import render_html, render_md
from synth_review.cost import load_prices
from synth_review.model import read_assembly
from synth_review.report import Report, build_report, load_baseline
from synth_review.security import SecurityDiffUnavailable

__all__ = ["main", "write_report"]


def write_report(report: Report, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(render_html.render_index(report))
    (out / "README.md").write_text(render_md.render_index(report))
    for r in report.stacks:
        (out / render_html.stack_file(r.name)).write_text(render_html.render_stack(r, report))
        (out / f"{r.name}.md").write_text(render_md.render_stack(r, report))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth_review", description=__doc__)
    parser.add_argument("--cdk-out", type=Path, default=Path("cdk.out"), help="cloud assembly")
    parser.add_argument(
        "--baseline",
        default="snapshots",
        help="'snapshots' (the committed test snapshots, default), 'none', a cdk.out folder "
        "or a folder of <Stack>.template.json files",
    )
    parser.add_argument("--out", type=Path, default=Path("review"), help="report folder")
    parser.add_argument(
        "--acknowledgements",
        type=Path,
        default=Path("review-acknowledgements.toml"),
        help="acknowledged data-loss and loosened-retention changes (Stack/LogicalId + reason)",
    )
    parser.add_argument("--prices", type=Path, help="JSON price table overriding the built-in")
    parser.add_argument("--no-diagrams", action="store_true", help="skip Graphviz")
    parser.add_argument(
        "--fail-on-broadening",
        action="store_true",
        help="exit 1 when a stack's permissions or security-group rules are broadened",
    )
    args = parser.parse_args(argv)

    if not (args.cdk_out / "manifest.json").exists():
        print(f"{args.cdk_out}: no cloud assembly (run `make synth` first)", file=sys.stderr)
        return 2
    try:
        report = build_report(
            read_assembly(args.cdk_out),
            load_baseline(args.baseline),
            acknowledgements=args.acknowledgements,
            prices=load_prices(args.prices),
            diagrams=not args.no_diagrams,
        )
    except (FileNotFoundError, ValueError, SecurityDiffUnavailable) as exc:
        print(f"review: {exc}", file=sys.stderr)
        return 2
    write_report(report, args.out)

    print(f"review: {len(report.stacks)} stacks -> {args.out / 'index.html'} (+ Markdown)")
    if report.diagram_error:
        print(f"review: diagrams not drawn: {report.diagram_error}", file=sys.stderr)
    if report.baseline and not report.has_changes:
        print(f"review: no changes against the baseline ({report.baseline})")
    for stale in report.stale_acknowledgements:
        print(f"review: acknowledgement {stale} matches no blocking change", file=sys.stderr)
    for r in report.broadened:
        assert r.security is not None
        open_ingress = len(r.security.open_ingress)
        print(
            f"review: {r.name}: permissions broadened ({len(r.security.statements)} IAM, "
            f"{len(r.security.rules)} security-group changes"
            + (f", {open_ingress} NEW INGRESS FROM ANYWHERE" if open_ingress else "")
            + ")",
            file=sys.stderr,
        )
    blocking = report.blocking
    if blocking:
        print(
            f"\nreview: DATA LOSS - {len(blocking)} unacknowledged stateful replacement(s), "
            "removal(s) or loosened retention policies:",
            file=sys.stderr,
        )
        for c in blocking:
            why = "; ".join((*c.reasons, *c.loosened)) or c.kind.value
            print(f"  {c.key} ({c.type}) {c.kind.value}: {why}", file=sys.stderr)
        print(
            "Fix the change or acknowledge each as [[acknowledge]] resource = "
            f'"Stack/LogicalId", reason = "..." in {args.acknowledgements}.',
            file=sys.stderr,
        )
        return 1
    if args.fail_on_broadening and report.broadened:
        print("review: failing on broadened permissions (--fail-on-broadening)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
