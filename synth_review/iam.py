"""Who can do what: every IAM role with the actions and resources its policies grant.

Wildcards (an action or a resource with ``*``) are highlighted and matched to the cdk-nag
acknowledgement that allowed them: cdk-nag reports them as granular findings
``AwsSolutions-IAM5[Action::s3:GetObject*]`` / ``[Resource::<Bucket.Arn>/*]`` at the
policy's construct path, and AWS managed policies as ``AwsSolutions-IAM4[Policy::...]``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from synth_review.model import Acknowledgement, Resource, Stack, references

__all__ = ["Grant", "Principal", "Wildcard", "flatten", "principals"]

_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def flatten(value: Any) -> str:
    """A policy value as cdk-nag prints it in finding ids: ``Ref`` -> ``<Id>``,
    ``Fn::GetAtt`` -> ``<Id.Attr>``, ``Fn::Join`` concatenated, ``Fn::Sub`` variables
    as ``<Var>``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return f"<{arg}>"
        if fn == "Fn::GetAtt":
            return f"<{'.'.join(arg) if isinstance(arg, list) else arg}>"
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            return str(arg[0]).join(flatten(part) for part in arg[1])
        if fn == "Fn::Sub":
            text = arg[0] if isinstance(arg, list) else arg
            return _SUB_VARIABLE.sub(lambda m: f"<{m.group(1)}>", str(text))
        if fn == "Fn::ImportValue":
            return f"<ImportValue {flatten(arg)}>"
    return json.dumps(value, sort_keys=True)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class Wildcard:
    finding: str  # Action::s3:GetObject* / Resource::<X.Arn>/* / Policy::arn:...
    acknowledgement: Acknowledgement | None


@dataclass
class Grant:
    """One statement, flattened."""

    policy: str  # construct path of the policy (or "inline: <name>")
    effect: str
    actions: list[str]
    resources: list[str]
    conditions: str = ""
    wildcards: list[Wildcard] = field(default_factory=list)


@dataclass
class Principal:
    """A role (or a standalone policy's attachments) and what it may do."""

    logical_id: str
    path: str
    trusted: list[str]  # who may assume it
    managed_policies: list[Wildcard] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)

    @property
    def wildcards(self) -> list[Wildcard]:
        return [w for g in self.grants for w in g.wildcards]

    @property
    def unacknowledged(self) -> list[Wildcard]:
        return [w for w in [*self.wildcards, *self.managed_policies] if w.acknowledgement is None]


def _acknowledgement(
    stack: Stack, rule: str, construct_paths: list[str | None]
) -> Acknowledgement | None:
    paths = {p for p in construct_paths if p}
    for ack in stack.acknowledgements:
        if ack.rule.split("-", 1)[-1] == rule.split("-", 1)[-1] and paths & set(
            ack.construct_paths
        ):
            return ack
    return None


def _statements(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        return []
    return [s for s in _as_list(document.get("Statement")) if isinstance(s, dict)]


def _grants(stack: Stack, policy_label: str, document: Any, paths: list[str | None]) -> list[Grant]:
    grants = []
    for statement in _statements(document):
        actions = [flatten(a) for a in _as_list(statement.get("Action"))]
        not_actions = [f"NOT {flatten(a)}" for a in _as_list(statement.get("NotAction"))]
        resources = [flatten(r) for r in _as_list(statement.get("Resource"))]
        grant = Grant(
            policy=policy_label,
            effect=str(statement.get("Effect", "Allow")),
            actions=actions + not_actions,
            resources=resources,
            conditions=json.dumps(statement["Condition"], sort_keys=True)
            if "Condition" in statement
            else "",
        )
        if grant.effect == "Allow":
            findings = [f"Action::{a}" for a in actions if "*" in a]
            findings += [f"Resource::{r}" for r in resources if "*" in r]
            for finding in findings:
                ack = _acknowledgement(stack, f"AwsSolutions-IAM5[{finding}]", paths)
                grant.wildcards.append(Wildcard(finding, ack))
        grants.append(grant)
    return grants


def _trusted(role: Resource) -> list[str]:
    trusted: list[str] = []
    for statement in _statements(role.properties.get("AssumeRolePolicyDocument")):
        principal = statement.get("Principal")
        if isinstance(principal, dict):
            for kind, value in principal.items():
                trusted.extend(f"{kind}: {flatten(v)}" for v in _as_list(value))
        elif principal is not None:
            trusted.append(flatten(principal))
    return trusted


def principals(stack: Stack) -> list[Principal]:
    """Every role of the stack with its inline, attached and managed policies; then
    every policy attached to no role of this stack (imported roles, users, groups)."""
    result: dict[str, Principal] = {}
    for role in stack.of_type("AWS::IAM::Role"):
        principal = Principal(role.logical_id, role.display_path, _trusted(role))
        for arn in _as_list(role.properties.get("ManagedPolicyArns")):
            text = flatten(arn)
            if text.startswith("arn:<AWS::Partition>:iam::aws:policy/"):
                ack = _acknowledgement(stack, f"AwsSolutions-IAM4[Policy::{text}]", [role.path])
                principal.managed_policies.append(Wildcard(f"Policy::{text}", ack))
        for inline in _as_list(role.properties.get("Policies")):
            label = f"inline: {inline.get('PolicyName', '?')}"
            principal.grants += _grants(stack, label, inline.get("PolicyDocument"), [role.path])
        result[role.logical_id] = principal
    for policy in stack.of_type("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        attached = [r for r in references(policy.properties.get("Roles")) if r in result]
        # An aws-cdk DefaultPolicy is acknowledged at the role or the policy: try both.
        owner_paths = [policy.path] + [stack.resources[r].path for r in attached]
        grants = _grants(
            stack, policy.display_path, policy.properties.get("PolicyDocument"), owner_paths
        )
        if attached:
            for role_id in attached:
                result[role_id].grants += grants
        else:
            targets = [
                flatten(t)
                for key in ("Roles", "Users", "Groups")
                for t in _as_list(policy.properties.get(key))
            ]
            result[policy.logical_id] = Principal(
                policy.logical_id,
                policy.display_path,
                [f"attached to {', '.join(targets) or 'nothing'}"],
                grants=grants,
            )
    return sorted(result.values(), key=lambda p: p.path)
