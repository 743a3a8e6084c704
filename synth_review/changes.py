"""The change review: what a deployment of the current templates does to the baseline.

Each resource is classified as added, removed, modified in place or modified by
replacement. Which property changes force a replacement comes from the CloudFormation
resource provider schemas (``createOnlyProperties``) that cfn-lint ships, plus the cases
the CloudFormation documentation lists and the schemas do not (:data:`DOCUMENTED_REPLACEMENTS`).
A changed logical ID is a replacement too (CloudFormation creates the new id and deletes
the old one), and so is a change of a resource's type.

A replacement, or a removal without ``DeletionPolicy: Retain``, of a stateful resource
(:data:`STATEFUL_TYPES`) is data loss: the deployment empties the table, bucket, stream or
queue. A ``DeletionPolicy`` or ``UpdateReplacePolicy`` loosened from ``Retain`` (or
``RetainExceptOnCreate`` / ``Snapshot``) to ``Delete`` on a stateful resource loses nothing
today but lets the next removal or replacement delete the data (neither ``cdk diff`` nor the
change classifier's replacement rules flag it). Both fail the review unless
``review-acknowledgements.toml`` lists them::

    [[acknowledge]]
    resource = "CachedTableExample/Catalogue5682C6AE"
    reason = "dev table, re-seeded by the pipeline after the key schema change"
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from synth_review.model import references

__all__ = [
    "BLOCKING_SEVERITIES",
    "DOCUMENTED_REPLACEMENTS",
    "STATEFUL_TYPES",
    "Change",
    "ChangeKind",
    "Severity",
    "StackChanges",
    "apply_acknowledgements",
    "compare_stacks",
    "compare_templates",
    "create_only_properties",
    "load_acknowledgements",
]

#: Resource types that hold data a replacement or deletion loses (or, for keys, makes
#: unreadable; for secrets, regenerates; for an EMR cluster, its HDFS; for a Flink
#: application, its snapshots and running state).
STATEFUL_TYPES: frozenset[str] = frozenset(
    {
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
        "AWS::S3::Bucket",
        "AWS::Kinesis::Stream",
        "AWS::KinesisVideo::Stream",
        "AWS::KinesisAnalyticsV2::Application",
        "AWS::SQS::Queue",
        "AWS::KMS::Key",
        "AWS::Logs::LogGroup",
        "AWS::EFS::FileSystem",
        "AWS::FSx::FileSystem",
        "AWS::EC2::Volume",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::DocDB::DBCluster",
        "AWS::Neptune::DBCluster",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::MemoryDB::Cluster",
        "AWS::OpenSearchService::Domain",
        "AWS::MSK::Cluster",
        "AWS::AmazonMQ::Broker",
        "AWS::SecretsManager::Secret",
        "AWS::EMR::Cluster",
        "AWS::Cognito::UserPool",
        "AWS::ECR::Repository",
        "AWS::Backup::BackupVault",
        "AWS::Timestream::Table",
    }
)

#: Properties whose change the CloudFormation documentation says requires replacement
#: ("Update requires: Replacement") but whose provider schema does not list them as
#: ``createOnlyProperties``. Type -> JSON pointer -> documented reason.
DOCUMENTED_REPLACEMENTS: dict[str, dict[str, str]] = {
    "AWS::DynamoDB::Table": {
        "/properties/KeySchema": (
            "AWS::DynamoDB::Table KeySchema: 'Update requires: Replacement' in the "
            "CloudFormation docs (the provider schema does not list it as create-only)"
        ),
        "/properties/LocalSecondaryIndexes": (
            "AWS::DynamoDB::Table LocalSecondaryIndexes: 'Update requires: Replacement' in "
            "the CloudFormation docs (an LSI can only be created with the table)"
        ),
    },
    "AWS::DynamoDB::GlobalTable": {
        "/properties/KeySchema": (
            "AWS::DynamoDB::GlobalTable KeySchema: 'Update requires: Replacement' in the "
            "CloudFormation docs"
        ),
        "/properties/LocalSecondaryIndexes": (
            "AWS::DynamoDB::GlobalTable LocalSecondaryIndexes: 'Update requires: "
            "Replacement' in the CloudFormation docs"
        ),
    },
}

#: Types whose key attributes' types are part of the key: a change of the
#: AttributeDefinitions entry of a key attribute changes the key schema.
_KEYED_TABLES = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")
_RETAINING_POLICIES = ("Retain", "RetainExceptOnCreate", "Snapshot")
_MISSING = object()
#: The policies whose loosening from a retaining value is flagged.
_RETENTION_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy")


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified in place"
    REPLACED = "replaced"


class Severity(StrEnum):
    """How much a change matters; :data:`BLOCKING_SEVERITIES` fail the review."""

    DATA_LOSS = "data loss"  # stateful replacement, or removal without Retain
    RETENTION_LOOSENED = "retention loosened"  # stateful: Retain -> Delete
    ORPHANED = "orphaned"  # stateful removal with Retain: the data stays, unmanaged
    REPLACEMENT = "replacement"  # stateless replacement: new physical id / ARN
    INFO = "info"


#: Severities that fail the review unless acknowledged.
BLOCKING_SEVERITIES = frozenset({Severity.DATA_LOSS, Severity.RETENTION_LOOSENED})


@dataclass(frozen=True)
class Change:
    stack: str
    logical_id: str
    type: str
    kind: ChangeKind
    stateful: bool
    #: what differs: property names, ``DeletionPolicy`` ... (top level)
    changed: tuple[str, ...] = ()
    #: why CloudFormation replaces it (create-only property, documented case, logical id)
    reasons: tuple[str, ...] = ()
    #: the old logical id when the logical id changed
    old_logical_id: str | None = None
    #: DeletionPolicy (removal) or UpdateReplacePolicy (replacement) keeps the old resource
    retained: bool = False
    path: str | None = None
    notes: tuple[str, ...] = ()
    acknowledgement: str | None = None
    #: retention policies loosened from a retaining value to Delete (``DeletionPolicy
    #: Retain -> Delete``), on a resource kept in place
    loosened: tuple[str, ...] = ()

    @property
    def severity(self) -> Severity:
        if self.stateful and self.kind is ChangeKind.REPLACED:
            return Severity.DATA_LOSS
        if self.stateful and self.kind is ChangeKind.REMOVED:
            return Severity.ORPHANED if self.retained else Severity.DATA_LOSS
        if self.stateful and self.loosened:
            return Severity.RETENTION_LOOSENED
        if self.kind is ChangeKind.REPLACED:
            return Severity.REPLACEMENT
        return Severity.INFO

    @property
    def construct(self) -> str:
        """The construct path without the stack name and trailing ``/Resource``s."""
        parts = (self.path or "").split("/")[1:]
        while len(parts) > 1 and parts[-1] in ("Resource", "Default"):
            parts.pop()
        return "/".join(parts)

    @property
    def key(self) -> str:
        """``Stack/LogicalId``: how review-acknowledgements.toml names it."""
        return f"{self.stack}/{self.logical_id}"

    @property
    def blocking(self) -> bool:
        return self.severity in BLOCKING_SEVERITIES and self.acknowledgement is None


@dataclass
class StackChanges:
    stack: str
    changes: list[Change] = field(default_factory=list)
    #: "new stack", "stack removed", or None when both sides have it
    status: str | None = None

    @property
    def blocking(self) -> list[Change]:
        return [c for c in self.changes if c.blocking]


def _schema_dir() -> Path:
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "cfn-lint is not installed: the change review reads the CloudFormation resource "
            "schemas it ships (make setup-dev installs it from requirements-dev.txt)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "schemas"


@cache
def _provider_index(region: str = "us-east-1") -> dict[str, str]:
    index: dict[str, str] = json.loads((_schema_dir() / "providers" / f"{region}.json").read_text())
    return index


@cache
def create_only_properties(type_name: str) -> tuple[str, ...] | None:
    """The ``createOnlyProperties`` JSON pointers of a resource type's provider schema,
    or None when cfn-lint ships no schema for it (custom resources, very new types)."""
    digest = _provider_index().get(type_name)
    if digest is None:
        return None
    schema = json.loads((_schema_dir() / "resources" / f"{digest}.json").read_text())
    return tuple(schema.get("createOnlyProperties") or ())


def _resolve(value: Any, parts: list[str]) -> Any:
    """Follow a schema JSON pointer (``*`` = every list item) into template properties."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if head == "*":
        if not isinstance(value, list):
            return _MISSING
        return [_resolve(item, rest) for item in value]
    if isinstance(value, dict):
        return _resolve(value[head], rest) if head in value else _MISSING
    return _MISSING


def _pointer_value(body: Mapping[str, Any], pointer: str) -> Any:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if not parts or parts[0] != "properties":
        return _MISSING
    return _resolve(body.get("Properties") or {}, parts[1:])


def _key_attribute_types(body: Mapping[str, Any]) -> dict[Any, Any]:
    props = body.get("Properties") or {}
    keys = {k.get("AttributeName") for k in props.get("KeySchema") or [] if isinstance(k, dict)}
    return {
        a.get("AttributeName"): a.get("AttributeType")
        for a in props.get("AttributeDefinitions") or []
        if isinstance(a, dict) and a.get("AttributeName") in keys
    }


def _replacement_reasons(
    type_name: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[str]:
    reasons = []
    for pointer in create_only_properties(type_name) or ():
        if _pointer_value(old, pointer) != _pointer_value(new, pointer):
            reasons.append(f"{pointer.removeprefix('/properties/')} is create-only (schema)")
    for pointer, doc in DOCUMENTED_REPLACEMENTS.get(type_name, {}).items():
        if _pointer_value(old, pointer) != _pointer_value(new, pointer):
            reasons.append(f"{pointer.removeprefix('/properties/')}: {doc}")
    if (
        type_name in _KEYED_TABLES
        and _key_attribute_types(old) != _key_attribute_types(new)
        and not any(r.startswith("KeySchema") for r in reasons)
    ):
        reasons.append(
            "AttributeDefinitions: the type of a key attribute changed; the key schema "
            "(attribute names and types) requires replacement per the CloudFormation docs"
        )
    return reasons


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    changed = []
    old_props, new_props = old.get("Properties") or {}, new.get("Properties") or {}
    for name in sorted(set(old_props) | set(new_props)):
        if old_props.get(name, _MISSING) != new_props.get(name, _MISSING):
            changed.append(name)
    for attribute in sorted((set(old) | set(new)) - {"Properties", "Type", "Metadata"}):
        if old.get(attribute, _MISSING) != new.get(attribute, _MISSING):
            changed.append(attribute)
    return changed


def _retained(policy: Any) -> bool:
    return policy in _RETAINING_POLICIES


def _loosened(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """``DeletionPolicy Retain -> Delete`` for each retention policy that no longer retains
    (an absent policy is CloudFormation's default, Delete)."""
    return tuple(
        f"{name} {before[name]} -> {after.get(name, 'Delete (the default)')}"
        for name in _RETENTION_ATTRIBUTES
        if _retained(before.get(name)) and not _retained(after.get(name, "Delete"))
    )


def _same_resource(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return old.get("Type") == new.get("Type") and old.get("Properties") == new.get("Properties")


def compare_templates(
    stack: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    paths: Mapping[str, str] | None = None,
) -> list[Change]:
    """Classify every resource difference between two (normalised) templates of a stack.

    ``paths`` (logical id -> construct path of the current side) labels the changes and
    pairs a removed and an added resource at the same construct path as one resource
    whose logical id changed (otherwise they pair when type and properties are equal).
    """
    paths = paths or {}
    old_res: dict[str, Any] = dict(old.get("Resources") or {})
    new_res: dict[str, Any] = dict(new.get("Resources") or {})
    changes: dict[str, Change] = {}

    removed = [lid for lid in old_res if lid not in new_res]
    added = [lid for lid in new_res if lid not in old_res]
    old_paths = {lid: (old_res[lid].get("Metadata") or {}).get("aws:cdk:path") for lid in removed}
    renamed: dict[str, str] = {}  # new id -> old id
    for new_id in added:
        for old_id in removed:
            if old_id in renamed.values() or old_res[old_id].get("Type") != new_res[new_id]["Type"]:
                continue
            same_path = old_paths[old_id] is not None and old_paths[old_id] == paths.get(new_id)
            if same_path or _same_resource(old_res[old_id], new_res[new_id]):
                renamed[new_id] = old_id
                break

    for lid in added:
        body = new_res[lid]
        type_name = str(body.get("Type"))
        stateful = type_name in STATEFUL_TYPES
        if lid in renamed:
            old_id = renamed[lid]
            changes[lid] = Change(
                stack, lid, type_name, ChangeKind.REPLACED, stateful,
                changed=tuple(_changed_fields(old_res[old_id], body)),
                reasons=(f"logical ID changed from {old_id} to {lid}",),
                old_logical_id=old_id,
                retained=_retained(old_res[old_id].get("DeletionPolicy")),
                path=paths.get(lid),
            )  # fmt: skip
        else:
            changes[lid] = Change(
                stack, lid, type_name, ChangeKind.ADDED, stateful, path=paths.get(lid)
            )
    for lid in removed:
        if lid in renamed.values():
            continue
        body = old_res[lid]
        type_name = str(body.get("Type"))
        changes[lid] = Change(
            stack, lid, type_name, ChangeKind.REMOVED, type_name in STATEFUL_TYPES,
            retained=_retained(body.get("DeletionPolicy", "Delete")),
            path=old_paths.get(lid),
        )  # fmt: skip
    for lid in old_res.keys() & new_res.keys():
        before, after = old_res[lid], new_res[lid]
        type_name = str(after.get("Type"))
        stateful = type_name in STATEFUL_TYPES or before.get("Type") in STATEFUL_TYPES
        if before.get("Type") != type_name:
            reasons = [f"type changed from {before.get('Type')} to {type_name}"]
        else:
            reasons = _replacement_reasons(type_name, before, after)
        changed = _changed_fields(before, after)
        if not changed and not reasons:
            continue
        loosened = _loosened(before, after) if stateful else ()
        notes = []
        if create_only_properties(type_name) is None and not type_name.startswith("Custom::"):
            notes.append(f"no provider schema for {type_name}: replacement not assessed")
        changes[lid] = Change(
            stack, lid, type_name,
            ChangeKind.REPLACED if reasons else ChangeKind.MODIFIED, stateful,
            changed=tuple(changed), reasons=tuple(reasons),
            retained=_retained(after.get("UpdateReplacePolicy", "Delete")),
            path=paths.get(lid), notes=tuple(notes), loosened=loosened,
        )  # fmt: skip

    _cascade(changes, new_res)
    return sorted(changes.values(), key=lambda c: (c.kind.value, c.logical_id))


def _cascade(changes: dict[str, Change], new_res: Mapping[str, Any]) -> None:
    """A create-only property that references a replaced resource changes at deploy time
    (new name / ARN) although its template text does not: that resource is replaced too."""
    while True:
        replaced = {lid for lid, c in changes.items() if c.kind is ChangeKind.REPLACED}
        grew = False
        for lid, body in new_res.items():
            current = changes.get(lid)
            if current is not None and current.kind in (ChangeKind.REPLACED, ChangeKind.ADDED):
                continue
            type_name = str(body.get("Type"))
            via = []
            for pointer in create_only_properties(type_name) or ():
                value = _pointer_value(body, pointer)
                hit = references(value) & replaced if value is not _MISSING else set()
                if hit:
                    via.append(
                        f"{pointer.removeprefix('/properties/')} is create-only and refers to "
                        f"replaced {', '.join(sorted(hit))}"
                    )
            if not via:
                continue
            base = current or Change(
                changes[next(iter(replaced))].stack, lid, type_name, ChangeKind.MODIFIED,
                type_name in STATEFUL_TYPES,
                retained=_retained(body.get("UpdateReplacePolicy", "Delete")),
            )  # fmt: skip
            changes[lid] = replace(base, kind=ChangeKind.REPLACED, reasons=(*base.reasons, *via))
            grew = True
        if not grew:
            return


def compare_stacks(
    baseline: Mapping[str, Mapping[str, Any]],
    current: Mapping[str, Mapping[str, Any]],
    *,
    paths: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, StackChanges]:
    """Compare stack name -> template maps. A stack only on one side is new / removed."""
    paths = paths or {}
    result: dict[str, StackChanges] = {}
    for name in sorted(set(baseline) | set(current)):
        old = baseline.get(name, {"Resources": {}})
        new = current.get(name, {"Resources": {}})
        status = None
        if name not in baseline:
            status = "new stack (not in the baseline)"
        elif name not in current:
            status = "stack removed (only in the baseline)"
        result[name] = StackChanges(
            name, compare_templates(name, old, new, paths=paths.get(name)), status
        )
    return result


def load_acknowledgements(path: Path) -> dict[str, str]:
    """``Stack/LogicalId`` -> reason, from a TOML (``[[acknowledge]]`` tables with
    ``resource`` and ``reason``) or JSON (a list of such objects) file; {} if absent."""
    if not path.exists():
        return {}
    if path.suffix == ".json":
        entries = json.loads(path.read_text())
    else:
        entries = tomllib.loads(path.read_text()).get("acknowledge", [])
    result: dict[str, str] = {}
    problems = []
    for entry in entries:
        resource, reason = entry.get("resource", ""), str(entry.get("reason", "")).strip()
        if resource.count("/") != 1:
            problems.append(f"resource must be Stack/LogicalId, got {resource!r}")
        elif len(reason) < 20:
            problems.append(f"{resource}: give a reason a reviewer can check (>= 20 characters)")
        else:
            result[resource] = reason
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return result


def apply_acknowledgements(
    changes: Mapping[str, StackChanges], acknowledgements: Mapping[str, str]
) -> list[str]:
    """Attach reasons to the changes they name; return the acknowledgements that match no
    blocking change (data loss or loosened retention: stale entries a reviewer should
    remove)."""
    used = set()
    for stack_changes in changes.values():
        for i, change in enumerate(stack_changes.changes):
            if change.severity not in BLOCKING_SEVERITIES:
                continue
            keys = [change.key]
            if change.old_logical_id:
                keys.append(f"{change.stack}/{change.old_logical_id}")
            for key in keys:
                if key in acknowledgements:
                    stack_changes.changes[i] = replace(
                        change, acknowledgement=acknowledgements[key]
                    )
                    used.add(key)
                    break
    return sorted(set(acknowledgements) - used)
