"""The review as Markdown, for pull-request comments: ``README.md`` (every stack at a
glance, and every data-loss change) and ``<Stack>.md`` per stack."""

from __future__ import annotations

from collections.abc import Iterable

from synth_review.changes import Change, ChangeKind, Severity
from synth_review.inventory import by_pattern
from synth_review.load_cost import total
from synth_review.report import Report, StackReport

__all__ = ["render_index", "render_stack", "summary_row"]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def summary_row(r: StackReport, report: Report) -> list[object]:
    priced = [d.monthly(report.prices) for d in r.idle]
    idle_total = sum(p for p in priced if p is not None)
    wildcards = sum(len(p.wildcards) for p in r.principals)
    if r.changes is None:
        changes = "no baseline"
    elif r.changes.status and not r.changes.changes:
        changes = r.changes.status
    else:
        counts = {k: sum(1 for c in r.changes.changes if c.kind is k) for k in ChangeKind}
        changes = ", ".join(f"{n} {k.value}" for k, n in counts.items() if n) or "none"
    loss = len(r.blocking)
    return [
        r.name,
        len(r.stack.resources),
        len(r.alarms),
        len(r.principals),
        wildcards,
        f"{_money(idle_total)}{'+' if None in priced else ''}",
        _at_load(r),
        changes,
        f"**{loss} UNACKNOWLEDGED**" if loss else "0",
    ]


SUMMARY_HEADER = [
    "stack",
    "resources",
    "alarms",
    "roles",
    "IAM wildcards",
    "idle / month",
    "at load / month",
    "changes",
    "data loss",
]


def _at_load(r: StackReport) -> str:
    """The stack's cost at the stated loads (the patterns sized from one), or ``-``."""
    sums = total(r.stack.load_costs)
    return "-" if sums is None else _money(sums[0])


#: The columns of the cost at load of each pattern sized from a stated load.
LOAD_COST_HEADER = ["pattern", "plan", "at load / month", "idle / month", "first limit to bind"]


def load_cost_rows(r: StackReport) -> list[list[str]]:
    """One row per pattern sized from a load, and the stack's total."""
    rows = [
        [c.pattern, c.what, _money(c.monthly_usd), _money(c.idle_usd), c.growth_text()]
        for c in r.stack.load_costs
    ]
    sums = total(r.stack.load_costs)
    if sums is not None and len(rows) > 1:
        rows.append(["total", "", _money(sums[0]), _money(sums[1]), ""])
    return rows


def _change_line(c: Change) -> str:
    what = f"`{c.key}` {c.type}"
    if c.construct:
        what += f" ({c.construct})"
    why = "; ".join((*c.reasons, *c.loosened)) or ", ".join(c.changed)
    line = f"- **{c.severity.value.upper()}** {c.kind.value}: {what}"
    line += f" - {why}" if why else ""
    if c.acknowledgement:
        line += f" - acknowledged: {c.acknowledgement}"
    return line


def _caution(changes: list[Change]) -> list[str]:
    if not changes:
        return []
    lines = [
        "> [!CAUTION]",
        f"> **{len(changes)} unacknowledged stateful replacement(s), removal(s) or loosened "
        "retention policies: this deployment loses data, or lets the next one lose it.** Fix "
        "the change, or acknowledge each in `review-acknowledgements.toml` with a reason.",
    ]
    lines += [f"> {_change_line(c)}" for c in changes]
    return [*lines, ""]


def _security(r: StackReport) -> list[str]:
    """cdk diff's security view: IAM statements and security-group rules added/removed."""
    lines = ["## Security changes (cdk diff's view)", ""]
    sec = r.security
    if sec is None:
        return [*lines, "No baseline given.", ""]
    if not sec.has_changes:
        return [*lines, "No IAM or security-group changes against the baseline.", ""]
    if sec.permissions_broadened:
        lines += ["> [!WARNING]", "> **Permissions are broadened** by this deployment.", ""]
    for rule in sec.open_ingress:
        lines.append(
            f"- **NEW INGRESS FROM ANYWHERE**: {rule.group} {rule.protocol} from {rule.peer}"
        )
    if sec.statements:
        lines += _table(
            ["", "effect", "action", "resource", "principal", "condition"],
            (
                [
                    ("+" if s.change == "added" else "-") + (" broadens" if s.broadening else ""),
                    s.effect,
                    s.action,
                    s.resource,
                    s.principal,
                    s.condition or "-",
                ]
                for s in sec.statements
            ),
        )
    if sec.rules:
        lines += _table(
            ["", "direction", "group", "protocol", "peer"],
            (
                ["+" if x.change == "added" else "-", x.direction, x.group, x.protocol, x.peer]
                for x in sec.rules
            ),
        )
    return lines


def render_index(report: Report) -> str:
    lines = ["# Synth review", ""]
    lines.append(
        f"Baseline: {report.baseline}." if report.baseline else "No baseline: no change review."
    )
    lines.append("")
    lines += _caution(report.blocking)
    if report.baseline and not report.has_changes:
        lines += ["**No changes** against the baseline.", ""]
    lines += _table(SUMMARY_HEADER, (summary_row(r, report) for r in report.stacks))
    for removed in report.removed_stacks:
        lines.append(f"- `{removed.stack}`: {removed.status} ({len(removed.changes)} resources)")
    for r in report.broadened:
        assert r.security is not None
        world = len(r.security.open_ingress)
        lines.append(
            f"- `{r.name}`: **permissions broadened** (cdk diff's security view)"
            + (f", **{world} new ingress rule(s) from anywhere**" if world else "")
        )
    if report.stale_acknowledgements:
        lines.append(
            "Acknowledgements that match no blocking change (remove them): "
            + ", ".join(f"`{a}`" for a in report.stale_acknowledgements)
        )
    lines.append(
        f"\nIdle prices: {report.prices.region}, as of {report.prices.as_of} "
        f"({report.prices.source}); `+` = some drivers have no price in the table."
    )
    return "\n".join(lines) + "\n"


def render_stack(r: StackReport, report: Report) -> str:
    s = r.stack
    lines = [f"# {s.name}", ""]
    lines += _caution(r.blocking)
    lines.append("## Changes")
    lines.append("")
    if r.changes is None:
        lines.append("No baseline given.")
    elif not r.changes.changes:
        lines.append(r.changes.status or "No changes against the baseline.")
    else:
        if r.changes.status:
            lines.append(f"_{r.changes.status}_")
        lines += [_change_line(c) for c in r.changes.changes if c.severity is not Severity.INFO]
        info = [c for c in r.changes.changes if c.severity is Severity.INFO]
        if info:
            lines += ["", "<details><summary>" + f"{len(info)} other changes</summary>", ""]
            lines += [_change_line(c) for c in info] + ["", "</details>"]
    lines += ["", *_security(r)]
    lines += ["## Capacity", ""]
    lines += [f"- {c.path}: {c.summary}" for c in s.capacity] or ["- none recorded"]
    lines += ["", "## Cost at load", ""]
    if s.load_costs:
        lines.append(f"Prices: {s.load_costs[0].prices}.")
        lines.append("")
        lines += _table(LOAD_COST_HEADER, load_cost_rows(r))
        lines += [f"- {c.pattern}: {note}" for c in s.load_costs for note in c.notes]
        lines += [""] if any(c.notes for c in s.load_costs) else []
    else:
        lines += ["No pattern of this stack was sized from a stated load.", ""]
    lines += ["", "## Idle cost drivers", ""]
    lines += _table(
        ["driver", "count", "where", f"per month ({report.prices.as_of})"],
        ([d.driver, f"{d.count:g}", d.detail, _money(d.monthly(report.prices))] for d in r.idle),
    )
    lines += ["## IAM", ""]
    for p in r.principals:
        lines.append(f"### {p.path}")
        lines.append(f"Trusted: {', '.join(p.trusted) or '-'}")
        lines.append("")
        for m in p.managed_policies:
            ack = m.acknowledgement
            lines.append(
                f"- managed policy `{m.finding}` - "
                + (f"acknowledged: {ack.reason}" if ack else "**not acknowledged**")
            )
        rows = []
        for g in p.grants:
            marks = [
                f"`{w.finding}`: "
                + (w.acknowledgement.reason if w.acknowledgement else "**not acknowledged**")
                for w in g.wildcards
            ]
            rows.append(
                [g.effect, ", ".join(g.actions), ", ".join(g.resources), "<br>".join(marks) or "-"]
            )
        if rows:
            lines += _table(["effect", "actions", "resources", "wildcards"], rows)
    lines += ["## Alarms", ""]
    lines += _table(
        ["alarm", "metric", "condition", "notifies"],
        ([a.path, a.metric, a.condition, ", ".join(a.notifies) or "**nobody**"] for a in r.alarms),
    )
    lines += ["## Stateful resources", ""]
    lines += _table(
        ["resource", "type", "encryption", "retention", "DeletionPolicy", "UpdateReplacePolicy"],
        (
            [x.path, x.type, x.encryption, x.retention, x.deletion_policy, x.update_replace_policy]
            for x in r.storage
        ),
    )
    lines += ["## Resources by pattern", ""]
    lines += _table(
        ["pattern", "resources"],
        (
            [group, ", ".join(f"{t.removeprefix('AWS::')} x{n}" for t, n in sorted(c.items()))]
            for group, c in _by_pattern(r)
        ),
    )
    lines += [
        "<details><summary>Diagram source (Graphviz)</summary>",
        "",
        "```dot",
        r.dot,
        "```",
        "</details>",
    ]
    return "\n".join(lines) + "\n"


def _by_pattern(r: StackReport) -> list[tuple[str, dict[str, int]]]:
    return [(g, dict(c)) for g, c in by_pattern(r.stack)]
