"""Read a synthesized cloud assembly (``cdk.out``) into plain data for the review.

Everything comes from files ``cdk synth`` writes: ``manifest.json`` (the stacks),
``<Stack>.template.json``, ``<Stack>.metadata.json`` (capacity lines recorded by the
patterns), ``tree.json`` (the construct tree: resource -> construct path -> pattern) and
``validation-report.json`` (cdk-nag findings and their acknowledgements).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patterns.core.metadata import CAPACITY_METADATA, COST_METADATA
from synth_review.load_cost import LoadCost, from_entry

__all__ = [
    "Acknowledgement",
    "Assembly",
    "CapacityLine",
    "Resource",
    "Stack",
    "cdk_logical_id",
    "normalise_template",
    "read_assembly",
    "references",
]

_ASSET_HASH = re.compile(r"[0-9a-f]{64}")
#: Template entries the CDK CLI adds (version reporting) that carry no infrastructure.
_CDK_METADATA = "CDKMetadata"
_CDK_METADATA_CONDITION = "CDKMetadataAvailable"
#: Resource metadata keys that say where a resource came from, not what it is.
_VOLATILE_METADATA = (
    "aws:cdk:path",
    "aws:asset:path",
    "aws:asset:property",
    "aws:asset:is-bundled",
)
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass(frozen=True)
class Resource:
    """One CloudFormation resource of a stack."""

    logical_id: str
    type: str
    body: dict[str, Any]
    #: construct path (``Stack/Pattern/Child/Resource``), from tree.json or aws:cdk:path
    path: str | None = None

    @property
    def properties(self) -> dict[str, Any]:
        props: dict[str, Any] = self.body.get("Properties") or {}
        return props

    @property
    def deletion_policy(self) -> str:
        return str(self.body.get("DeletionPolicy", "Delete"))

    @property
    def update_replace_policy(self) -> str:
        return str(self.body.get("UpdateReplacePolicy", "Delete"))

    @property
    def display_path(self) -> str:
        """The construct path without the stack name and a trailing ``/Resource``."""
        if not self.path:
            return self.logical_id
        parts = self.path.split("/")[1:]
        if len(parts) > 1 and parts[-1] in ("Resource", "Default"):
            parts = parts[:-1]
        return "/".join(parts) or self.logical_id

    @property
    def group(self) -> str:
        """The top-level construct of the stack it belongs to (the pattern, as a rule)."""
        if not self.path or "/" not in self.path:
            return "(stack)"
        parts = self.path.split("/")
        return parts[1] if len(parts) > 2 else "(stack)"


@dataclass(frozen=True)
class CapacityLine:
    path: str
    summary: str


@dataclass(frozen=True)
class Acknowledgement:
    """A cdk-nag finding acknowledged in the app (``suppressedViolations``)."""

    plugin: str
    rule: str  # e.g. AwsSolutions-IAM5[Resource::*]
    reason: str
    acknowledged_at: str
    construct_paths: tuple[str, ...]


@dataclass
class Stack:
    name: str
    template: dict[str, Any]
    resources: dict[str, Resource]
    capacity: list[CapacityLine] = field(default_factory=list)
    #: The cost at load of each capacity line sized from a stated load.
    load_costs: list[LoadCost] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def of_type(self, *types: str) -> Iterator[Resource]:
        for resource in self.resources.values():
            if resource.type in types:
                yield resource

    def path_of(self, logical_id: str) -> str:
        resource = self.resources.get(logical_id)
        return resource.display_path if resource else logical_id


@dataclass
class Assembly:
    outdir: Path
    stacks: dict[str, Stack]


def references(value: Any) -> set[str]:
    """Names referenced by ``Ref``, ``Fn::GetAtt`` and ``Fn::Sub`` anywhere inside ``value``."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        getatt = value.get("Fn::GetAtt")
        if isinstance(getatt, list) and getatt and isinstance(getatt[0], str):
            found.add(getatt[0])
        elif isinstance(getatt, str):
            found.add(getatt.split(".", 1)[0])
        sub = value.get("Fn::Sub")
        if isinstance(sub, str):
            found.update(m.split(".", 1)[0] for m in _SUB_VARIABLE.findall(sub))
        elif isinstance(sub, list) and sub and isinstance(sub[0], str):
            local = set(sub[1].keys()) if len(sub) > 1 and isinstance(sub[1], dict) else set()
            found.update(
                m.split(".", 1)[0] for m in _SUB_VARIABLE.findall(sub[0]) if m not in local
            )
        for item in value.values():
            found |= references(item)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def mask_asset_hashes(value: Any) -> Any:
    """Replace 64-hex asset hashes (and so asset S3 keys) with ``<asset-hash>``, as the
    committed snapshots do, so a template compares equal until its content changes."""
    if isinstance(value, dict):
        return {key: mask_asset_hashes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_asset_hashes(item) for item in value]
    if isinstance(value, str):
        return _ASSET_HASH.sub("<asset-hash>", value)
    return value


def normalise_template(template: dict[str, Any], *, mask_assets: bool = True) -> dict[str, Any]:
    """A template as the snapshots hold it: no CDK version-reporting resource, no
    path/asset metadata, and (by default) asset hashes masked as ``<asset-hash>``."""
    result = json.loads(json.dumps(template))
    resources: dict[str, Any] = result.get("Resources") or {}
    resources.pop(_CDK_METADATA, None)
    conditions = result.get("Conditions")
    if isinstance(conditions, dict):
        conditions.pop(_CDK_METADATA_CONDITION, None)
        if not conditions:
            result.pop("Conditions")
    for body in resources.values():
        metadata = body.get("Metadata")
        if isinstance(metadata, dict):
            for key in _VOLATILE_METADATA:
                metadata.pop(key, None)
            if not metadata:
                body.pop("Metadata")
    return mask_asset_hashes(result) if mask_assets else result  # type: ignore[no-any-return]


def stack_artifacts(outdir: Path) -> dict[str, dict[str, Any]]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    return {
        name: artifact
        for name, artifact in manifest["artifacts"].items()
        if artifact.get("type") == "aws:cloudformation:stack"
    }


def stack_metadata(outdir: Path, artifact: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    metadata: dict[str, list[dict[str, Any]]] = dict(artifact.get("metadata") or {})
    extra = artifact.get("additionalMetadataFile")
    if extra and (outdir / extra).exists():
        metadata.update(json.loads((outdir / extra).read_text()))
    return metadata


def cdk_logical_id(path: str) -> str:
    """The logical id aws-cdk allocates to a construct path (``Stack/A/B/Resource``): the
    fallback for generic ``CfnResource`` nodes that tree.json records without one."""
    components = [c for c in path.split("/")[1:] if c != "Default"]
    if len(components) == 1:
        return re.sub(r"[^A-Za-z0-9]", "", components[0])
    digest = hashlib.md5("/".join(components).encode(), usedforsecurity=False).hexdigest()
    human: list[str] = []
    for component in components:
        if component != "Resource" and (not human or human[-1] != component):
            human.append(component)
    return "".join(re.sub(r"[^A-Za-z0-9]", "", c) for c in human)[:240] + digest[:8].upper()


def _tree_paths(outdir: Path) -> dict[str, dict[str, str]]:
    """Stack name -> logical id -> construct path, from tree.json."""
    tree_file = outdir / "tree.json"
    if not tree_file.exists():
        return {}
    root = json.loads(tree_file.read_text()).get("tree", {})
    paths: dict[str, dict[str, str]] = {}

    def walk(node: dict[str, Any], stack: str | None) -> None:
        attributes = node.get("attributes") or {}
        logical_id = attributes.get("aws:cdk:cloudformation:logicalId")
        fqn = (node.get("constructInfo") or {}).get("fqn")
        if stack and not isinstance(logical_id, str) and fqn == "aws-cdk-lib.CfnResource":
            logical_id = cdk_logical_id(node.get("path", ""))
        if stack and isinstance(logical_id, str):
            paths.setdefault(stack, {})[logical_id] = node.get("path", "")
        for child in (node.get("children") or {}).values():
            child_stack = stack
            if stack is None and child.get("constructInfo", {}).get("fqn") == "aws-cdk-lib.Stack":
                child_stack = child.get("id")
            walk(child, child_stack)

    walk(root, None)
    return paths


def stack_from_template(
    name: str, template: dict[str, Any], paths: dict[str, str] | None = None
) -> Stack:
    """A :class:`Stack` from a template alone (construct paths from aws:cdk:path if present)."""
    paths = paths or {}
    resources = {}
    for logical_id, body in (template.get("Resources") or {}).items():
        if logical_id == _CDK_METADATA:
            continue
        path = paths.get(logical_id) or (body.get("Metadata") or {}).get("aws:cdk:path")
        resources[logical_id] = Resource(logical_id, str(body.get("Type")), body, path)
    return Stack(name=name, template=template, resources=resources)


def read_assembly(outdir: Path) -> Assembly:
    """Read every stack of a synthesized cloud assembly."""
    tree = _tree_paths(outdir)
    stacks: dict[str, Stack] = {}
    for name, artifact in stack_artifacts(outdir).items():
        template = json.loads((outdir / artifact["properties"]["templateFile"]).read_text())
        stack = stack_from_template(name, template, tree.get(name))
        for path, entries in sorted(stack_metadata(outdir, artifact).items()):
            for entry in entries:
                if entry.get("type") == CAPACITY_METADATA:
                    stack.capacity.append(CapacityLine(path.lstrip("/"), str(entry["data"])))
                elif entry.get("type") == COST_METADATA:
                    cost = from_entry(path, entry.get("data"))
                    if cost is not None:
                        stack.load_costs.append(cost)
        stacks[name] = stack

    report_path = outdir / "validation-report.json"
    if report_path.exists():
        report = json.loads(report_path.read_text())
        for plugin in report.get("pluginReports", []):
            for suppressed in plugin.get("suppressedViolations", []):
                paths = tuple(c["constructPath"] for c in suppressed["violatingConstructs"])
                ack = Acknowledgement(
                    plugin=plugin.get("pluginName", ""),
                    rule=suppressed["ruleName"],
                    reason=suppressed.get("reason", ""),
                    acknowledged_at=suppressed.get("acknowledgedAt", ""),
                    construct_paths=paths,
                )
                for stack_name in {p.split("/")[0] for p in paths}:
                    if stack_name in stacks:
                        stacks[stack_name].acknowledgements.append(ack)
            for violation in plugin.get("violations", []):
                for construct in violation["violatingConstructs"]:
                    stack_name = construct["constructPath"].split("/")[0]
                    if stack_name in stacks:
                        stacks[stack_name].violations.append(
                            f"{violation['ruleName']} at {construct['constructPath']}"
                        )
    return Assembly(outdir=outdir, stacks=stacks)
