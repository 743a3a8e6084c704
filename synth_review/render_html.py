"""The review as self-contained HTML: ``index.html`` and one page per stack, with the
diagram inlined as SVG and the CSS inline (no network, no scripts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from synth_review.changes import Change, Severity
from synth_review.inventory import by_pattern, by_type
from synth_review.render_md import LOAD_COST_HEADER, SUMMARY_HEADER, load_cost_rows, summary_row
from synth_review.report import Report, StackReport

__all__ = ["render_index", "render_stack", "stack_file"]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;
 color:#1d1d1f;background:#fff}
header{background:#232f3e;color:#fff;padding:12px 24px}header a{color:#ffb84d}
main{padding:8px 24px 48px;max-width:1500px}
h1{font-size:22px;margin:0}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;
 margin-top:28px}h3{font-size:15px;margin:18px 0 4px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}code{font-size:12px;background:#f5f5f5;padding:0 3px;border-radius:3px}
.danger{background:#b00020;color:#fff;padding:14px 18px;border-radius:6px;margin:16px 0;
 font-size:15px;border:3px solid #7a0016}
.danger h2{color:#fff;border:0;margin:0 0 6px;font-size:20px}.danger li{margin:4px 0}
.danger code{background:#7a0016;color:#fff}
.ok{background:#e7f6e7;border:1px solid #8fce8f;padding:10px 14px;border-radius:6px}
.note{background:#fff6e0;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px}
tr.data-loss td{background:#ffd6d6;color:#7a0016;font-weight:600}
tr.retention-loosened td{background:#ffd6d6;color:#7a0016}
tr.orphaned td{background:#fff0cc}tr.replacement td{background:#fff6e0}
.wild{color:#b00020;font-weight:600}.ack{color:#555;font-size:12px}
.unack{color:#fff;background:#b00020;padding:0 4px;border-radius:3px}
.diagram{overflow:auto;border:1px solid #ddd;border-radius:6px;padding:8px;background:#fff}
.diagram svg{max-width:none;height:auto}
.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #999;
 border-radius:4px;font-size:12px}
nav a{margin-right:10px}
"""


def stack_file(name: str) -> str:
    return f"{name}.html"


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f"<meta name=viewport content='width=device-width'><title>{escape(title)}</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def _table(
    header: Iterable[str], rows: Iterable[Iterable[str]], classes: Iterable[str] = ()
) -> str:
    """Cells are already-escaped HTML."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    class_list = list(classes)
    body = []
    for i, row in enumerate(rows):
        cls = f" class='{class_list[i]}'" if i < len(class_list) and class_list[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    if not body:
        return "<p>None.</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _danger(changes: list[Change], link: bool = False) -> str:
    if not changes:
        return ""
    items = []
    for c in changes:
        target = f"<a style='color:#fff' href='{stack_file(c.stack)}'>{escape(c.stack)}</a>/"
        name = (target if link else "") + f"<code>{escape(c.logical_id)}</code>"
        why = escape("; ".join((*c.reasons, *c.loosened)) or f"{c.kind.value}")
        items.append(
            f"<li><b>{escape(c.kind.value.upper())}</b> {name} {escape(c.type)}"
            f" {escape(c.construct)}: {why}</li>"
        )
    return (
        "<div class='danger' id='data-loss' role='alert'><h2>&#9888; Stateful replacement or "
        "loosened retention: this deployment loses data, or lets the next one lose it "
        f"({len(changes)} unacknowledged)</h2><ul>{''.join(items)}</ul>"
        "Fix the change (keep the logical ID, the create-only properties and the Retain "
        "policies), or acknowledge each resource in <code>review-acknowledgements.toml</code> "
        "with a reason.</div>"
    )


def render_index(report: Report) -> str:
    parts = ["<header><h1>Synth review</h1></header><main>"]
    if report.baseline:
        parts.append(f"<p>Baseline: {escape(report.baseline)}.</p>")
    else:
        parts.append("<p class='note'>No baseline: no change review.</p>")
    parts.append(_danger(report.blocking, link=True))
    if report.baseline and not report.has_changes:
        parts.append("<p class='ok' id='no-changes'>No changes against the baseline.</p>")
    rows = []
    for r in report.stacks:
        cells = [escape(str(c)) for c in summary_row(r, report)]
        cells[0] = f"<a href='{stack_file(r.name)}'>{cells[0]}</a>"
        cells[-1] = cells[-1].replace("**", "")
        rows.append(cells)
    classes = ["data-loss" if r.blocking else "" for r in report.stacks]
    parts.append(_table(SUMMARY_HEADER, rows, classes))
    for removed in report.removed_stacks:
        parts.append(f"<p class='note'>{escape(removed.stack)}: {escape(removed.status or '')}</p>")
    for r in report.broadened:
        world = len(r.security.open_ingress) if r.security else 0
        parts.append(
            f"<p class='note'><a href='{stack_file(r.name)}'>{escape(r.name)}</a>: permissions "
            "broadened" + (f", {world} new ingress rule(s) from anywhere" if world else "") + "</p>"
        )
    if report.stale_acknowledgements:
        stale = ", ".join(f"<code>{escape(a)}</code>" for a in report.stale_acknowledgements)
        parts.append(f"<p class='note'>Acknowledgements matching no blocking change: {stale}</p>")
    if report.diagram_error:
        parts.append(f"<p class='note'>Diagrams not drawn: {escape(report.diagram_error)}</p>")
    p = report.prices
    parts.append(
        f"<p class='ack'>Idle prices: {escape(p.region)}, as of {escape(p.as_of)} "
        f"({escape(p.source)}); + = some drivers have no price in the table.</p></main>"
    )
    return _page("Synth review", "".join(parts))


def _changes(r: StackReport) -> str:
    if r.changes is None:
        return "<p class='note'>No baseline given.</p>"
    if not r.changes.changes:
        text = escape(r.changes.status or "No changes against the baseline.")
        return f"<p class='ok' id='no-changes'>{text}</p>"
    rows, classes = [], []
    order = list(Severity)
    for c in sorted(r.changes.changes, key=lambda c: (order.index(c.severity), c.logical_id)):
        name = escape(c.logical_id)
        if c.old_logical_id:
            name = f"{escape(c.old_logical_id)} &rarr; {name}"
        ack = (
            f"<div class='ack'>acknowledged: {escape(c.acknowledgement)}</div>"
            if c.acknowledgement
            else ""
        )
        why = "<br>".join(escape(x) for x in (*c.reasons, *c.loosened)) or escape(
            ", ".join(c.changed)
        )
        notes = "".join(f"<div class='ack'>{escape(n)}</div>" for n in c.notes)
        if c.retained and c.stateful:
            policy = "DeletionPolicy" if c.kind.value == "removed" else "UpdateReplacePolicy"
            notes += f"<div class='ack'>old resource retained by {policy}: orphaned</div>"
        rows.append(
            [
                f"<b>{escape(c.severity.value)}</b>",
                escape(c.kind.value),
                f"<code>{name}</code>",
                escape(c.type) + (" (stateful)" if c.stateful else ""),
                escape(c.construct),
                why + notes + ack,
            ]
        )
        classes.append(
            c.severity.name.lower().replace("_", "-") if c.severity is not Severity.INFO else ""
        )
    status = f"<p>{escape(r.changes.status)}</p>" if r.changes.status else ""
    return status + _table(
        ["severity", "change", "logical id", "type", "construct", "why"], rows, classes
    )


def _security(r: StackReport) -> str:
    """cdk diff's security view: IAM statements and security-group rules added/removed."""
    sec = r.security
    if sec is None:
        return "<p class='note'>No baseline given.</p>"
    if not sec.has_changes:
        return "<p class='ok'>No IAM or security-group changes against the baseline.</p>"
    parts = []
    if sec.permissions_broadened:
        parts.append("<p class='note' id='broadened'><b>Permissions are broadened</b>.</p>")
    for rule in sec.open_ingress:
        parts.append(
            f"<p class='unack'>New ingress from anywhere: {escape(rule.group)} "
            f"{escape(rule.protocol)} from {escape(rule.peer)}</p>"
        )
    rows = [
        [
            escape(("+" if s.change == "added" else "-") + (" broadens" if s.broadening else "")),
            *(escape(x) for x in (s.effect, s.action, s.resource, s.principal, s.condition)),
        ]
        for s in sec.statements
    ]
    if rows:
        header = ["", "effect", "action", "resource", "principal", "condition"]
        parts.append(_table(header, rows))
    rule_rows = [
        [escape(x) for x in ("+" if g.change == "added" else "-", g.direction, g.group,
                             g.protocol, g.peer)]
        for g in sec.rules
    ]  # fmt: skip
    if rule_rows:
        parts.append(_table(["", "direction", "group", "protocol", "peer"], rule_rows))
    return "".join(parts)


def render_stack(r: StackReport, report: Report) -> str:
    s = r.stack
    against = f" against {escape(report.baseline)}" if report.baseline else ""
    parts = [
        "<header><a href='index.html'>&larr; all stacks</a>"
        f"<h1>{escape(s.name)}</h1></header><main>",
        _danger(r.blocking),
        "<nav><a href='#changes'>changes</a><a href='#security'>security</a>"
        "<a href='#diagram'>diagram</a>"
        "<a href='#resources'>resources</a><a href='#capacity'>capacity</a>"
        "<a href='#load-cost'>cost at load</a><a href='#iam'>IAM</a>"
        "<a href='#alarms'>alarms</a><a href='#storage'>stateful</a><a href='#idle'>idle cost</a>"
        "</nav>",
        f"<h2 id='changes'>Changes{against}</h2>",
        _changes(r),
        "<h2 id='security'>Security changes (cdk diff's view)</h2>",
        _security(r),
        "<h2 id='diagram'>Diagram</h2>",
        "<p class='legend'><span style='background:#dde9f7'>stateful</span>"
        "<span style='background:#d8f5d0'>added</span>"
        "<span style='background:#ffe7b3'>modified</span>"
        "<span style='background:#ffb3b3'>replaced</span>arrow: refers to (dashed: DependsOn); "
        "policies, subnets, alarms ... folded into their owner</p>",
    ]
    if r.svg:
        parts.append(f"<div class='diagram' id='diagram-svg'>{r.svg}</div>")
    else:
        parts.append(
            f"<p class='note'>Diagram not drawn ({escape(report.diagram_error or 'no renderer')}); "
            f"Graphviz source:</p><pre>{escape(r.dot)}</pre>"
        )
    parts.append(f"<h2 id='resources'>Resources ({len(s.resources)})</h2><h3>By pattern</h3>")
    parts.append(
        _table(
            ["pattern", "resources"],
            (
                [
                    escape(g),
                    escape(
                        ", ".join(f"{t.removeprefix('AWS::')} x{n}" for t, n in sorted(c.items()))
                    ),
                ]
                for g, c in by_pattern(s)
            ),
        )
    )
    parts.append("<h3>By type</h3>")
    parts.append(_table(["type", "count"], ([escape(t), str(n)] for t, n in by_type(s))))
    parts.append("<h2 id='capacity'>Capacity plans</h2>")
    parts.append(
        _table(["construct", "plan"], ([escape(c.path), escape(c.summary)] for c in s.capacity))
    )
    parts.append("<h2 id='load-cost'>Cost at load</h2>")
    if s.load_costs:
        parts.append(f"<p class='ack'>prices: {escape(s.load_costs[0].prices)}</p>")
        rows = [[escape(cell) for cell in row] for row in load_cost_rows(r)]
        parts.append(_table(LOAD_COST_HEADER, rows))
    else:
        parts.append("<p>No pattern of this stack was sized from a stated load.</p>")
    parts.append("<h2 id='iam'>IAM</h2>")
    for p in r.principals:
        parts.append(
            f"<h3>{escape(p.path)}</h3>"
            f"<p class='ack'>trusted: {escape(', '.join(p.trusted) or '-')}</p>"
        )
        for m in p.managed_policies:
            parts.append(
                f"<div>managed policy <code class='wild'>{escape(m.finding)}</code> "
                f"{_ack(m.acknowledgement)}</div>"
            )
        rows = []
        for g in p.grants:
            wild = {w.finding: w for w in g.wildcards}
            actions = "<br>".join(_mark(f"Action::{a}", a, wild) for a in g.actions)
            resources = "<br>".join(_mark(f"Resource::{x}", x, wild) for x in g.resources)
            acks = "".join(
                f"<div><code>{escape(w.finding)}</code> {_ack(w.acknowledgement)}</div>"
                for w in g.wildcards
            )
            rows.append([escape(g.effect), actions, resources, escape(g.policy), acks or "-"])
        parts.append(
            _table(["effect", "actions", "resources", "policy", "wildcard acknowledgements"], rows)
        )
    parts.append("<h2 id='alarms'>Alarms</h2>")
    parts.append(
        _table(
            ["alarm", "metric", "condition", "notifies"],
            (
                [
                    escape(a.path),
                    escape(a.metric),
                    escape(a.condition),
                    escape(", ".join(a.notifies)) or "<span class='unack'>nobody</span>",
                ]
                for a in r.alarms
            ),
        )
    )
    parts.append("<h2 id='storage'>Stateful resources: encryption and retention</h2>")
    parts.append(
        _table(
            [
                "resource",
                "type",
                "encryption",
                "retention",
                "DeletionPolicy",
                "UpdateReplacePolicy",
            ],
            (
                [
                    escape(x.path),
                    escape(x.type),
                    escape(x.encryption),
                    escape(x.retention),
                    escape(x.deletion_policy),
                    escape(x.update_replace_policy),
                ]
                for x in r.storage
            ),
        )
    )
    prices = report.prices
    parts.append(
        f"<h2 id='idle'>Idle cost drivers</h2><p class='ack'>prices: {escape(prices.region)}, "
        f"as of {escape(prices.as_of)} ({escape(prices.source)})</p>"
    )
    total = 0.0
    rows = []
    for d in r.idle:
        monthly = d.monthly(prices)
        total += monthly or 0
        rows.append([escape(d.driver), f"{d.count:g}", escape(d.detail),
                     "-" if monthly is None else f"${monthly:,.2f}"])  # fmt: skip
    if rows:
        rows.append(["<b>total (priced)</b>", "", "", f"<b>${total:,.2f}</b>"])
    parts.append(_table(["driver", "count", "where", "per month"], rows))
    parts.append("</main>")
    return _page(f"{s.name} - synth review", "".join(parts))


def _ack(ack: object) -> str:
    reason = getattr(ack, "reason", None)
    if reason is None:
        return "<span class='unack'>not acknowledged</span>"
    return f"<span class='ack'>acknowledged: {escape(str(reason))}</span>"


def _mark(finding: str, text: str, wild: Mapping[str, object]) -> str:
    if finding in wild:
        return f"<code class='wild'>{escape(text)}</code>"
    return f"<code>{escape(text)}</code>"
