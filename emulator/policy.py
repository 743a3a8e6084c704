"""A small IAM policy evaluator: exactly the statement features the example templates use.

No maintained Python library evaluates a request against identity, resource and key policies
together: moto's ``moto.iam.access_control`` matches every statement's ``Resource`` against
``"*"`` outside S3/SQS/IAM/STS, ignores conditions (except in trust policies) and resource
policies; PMapper's simulator (AGPL, unreleased since 2022) treats an operator it does not know
as a match. So the deploy tier evaluates policies here, following the IAM User Guide:

- *Policy evaluation for requests within a single account* (reference_policies_evaluation-
  logic_policy-eval-basics): an explicit ``Deny`` in any policy wins; otherwise an ``Allow`` in
  the identity-based *or* the resource-based policy suffices - except for a KMS key policy and
  a role's trust policy, which must allow the principal themselves (an account principal in
  them only delegates to the identity-based policies: ``allow_via_account``);
- *Condition operators* (reference_policies_elements_condition_operators) and *Conditions with
  multiple context keys or values* (reference_policies_multi-value-conditions): operators AND,
  keys AND, values OR (NOR for a negated operator); a key absent from the request context makes
  a condition false - and a negated one true.

Supported: ``Effect`` Allow/Deny; ``Principal`` ``"*"``, ``{"AWS": ...}`` (``"*"``, an account
id or its root ARN, a role or assumed-role ARN) and ``{"Service": ...}``; ``Action``/``NotAction``
and ``Resource``/``NotResource`` with ``*`` and ``?``; the condition operators in
:data:`OPERATORS`. Anything else - ``NotPrincipal``, another principal type, a policy variable,
``...IfExists``, ``ForAnyValue:``/``ForAllValues:``, ``Null``, a date or IP operator, a
multi-valued context key - raises :class:`UnsupportedPolicyFeature`: it is never read as allow.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

__all__ = [
    "OPERATORS",
    "Decision",
    "Match",
    "NamedPolicy",
    "Principal",
    "Request",
    "UnsupportedPolicyFeature",
    "evaluate",
    "matching_statements",
]


class UnsupportedPolicyFeature(Exception):
    """A policy uses a feature this evaluator does not implement: the request fails loudly."""


@dataclass(frozen=True)
class Principal:
    """Who makes a request: a role session (``arn`` is the role's ARN) or an AWS service."""

    account: str
    #: the role ARN (for a session) - empty for a service principal
    arn: str = ""
    #: ``arn:aws:sts::<account>:assumed-role/<role name>/<session name>``
    session_arn: str = ""
    #: ``sns.amazonaws.com`` for a service principal
    service: str = ""

    @classmethod
    def role(cls, role_arn: str, session_name: str) -> Principal:
        account = role_arn.split(":")[4]
        name = role_arn.rsplit("/", 1)[-1]
        session = f"arn:aws:sts::{account}:assumed-role/{name}/{session_name}"
        return cls(account=account, arn=role_arn, session_arn=session)

    @classmethod
    def of_service(cls, service: str, account: str) -> Principal:
        return cls(account=account, service=service)

    def __str__(self) -> str:
        return self.service or self.session_arn or self.arn


@dataclass(frozen=True)
class Request:
    """One authorization question: may ``principal`` do ``action`` on ``resource``?"""

    principal: Principal
    action: str
    resource: str
    #: the request context: condition key -> value (keys compared case-insensitively)
    context: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.principal} -> {self.action} on {self.resource}"


@dataclass(frozen=True)
class NamedPolicy:
    """A policy document and where it comes from (for the explanation of a decision)."""

    name: str
    document: Mapping[str, Any]

    @classmethod
    def parse(cls, name: str, document: str | Mapping[str, Any]) -> NamedPolicy:
        return cls(name, json.loads(document) if isinstance(document, str) else document)

    def statements(self) -> list[Mapping[str, Any]]:
        statements = self.document.get("Statement", [])
        return [statements] if isinstance(statements, Mapping) else list(statements)


PrincipalMatch = Literal["direct", "account"]


@dataclass(frozen=True)
class Match:
    """A statement that applies to a request."""

    policy: str
    sid: str
    effect: Literal["Allow", "Deny"]
    #: for a resource-based statement: the principal is named itself, or only its account
    principal: PrincipalMatch | None = None

    def __str__(self) -> str:
        sid = f" ({self.sid})" if self.sid else ""
        return f"{self.effect} in {self.policy}{sid}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    request: Request
    reason: str
    matches: tuple[Match, ...] = ()

    def __str__(self) -> str:
        verdict = "ALLOWED" if self.allowed else "DENIED"
        return f"{verdict}: {self.request}: {self.reason}"


# -- matching ----------------------------------------------------------------------------------
def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


@cache
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    if "${" in pattern:
        raise UnsupportedPolicyFeature(f"policy variable in {pattern!r}")
    regex = fnmatch.translate(pattern.replace("[", "[[]"))
    return re.compile(regex, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _wildcard(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's ``*`` (any run of characters) and ``?`` (one character)."""
    return _glob(pattern, ignore_case).match(value) is not None


def _principal_match(statement: Mapping[str, Any], principal: Principal) -> PrincipalMatch | None:
    if "NotPrincipal" in statement:
        raise UnsupportedPolicyFeature("NotPrincipal")
    named = statement.get("Principal")
    if named is None:
        raise UnsupportedPolicyFeature("a resource-based statement without Principal")
    if named == "*":
        return "direct"
    if not isinstance(named, Mapping):
        raise UnsupportedPolicyFeature(f"Principal {named!r}")
    found: PrincipalMatch | None = None
    for kind, values in named.items():
        if kind == "Service":
            if principal.service and principal.service in _as_list(values):
                return "direct"
        elif kind == "AWS":
            for value in _as_list(values):
                if value == "*" or (
                    principal.arn and value in (principal.arn, principal.session_arn)
                ):
                    return "direct"
                root = f"arn:aws:iam::{principal.account}:root"
                if not principal.service and value in (principal.account, root):
                    found = "account"
        else:
            raise UnsupportedPolicyFeature(f"Principal type {kind}")
    return found


def _element_matches(
    statement: Mapping[str, Any], name: str, value: str, *, ignore_case: bool
) -> bool:
    """``Action``/``NotAction`` or ``Resource``/``NotResource`` against one value."""
    if name in statement:
        return any(_wildcard(p, value, ignore_case=ignore_case) for p in _as_list(statement[name]))
    if f"Not{name}" in statement:
        patterns = _as_list(statement[f"Not{name}"])
        return not any(_wildcard(p, value, ignore_case=ignore_case) for p in patterns)
    if name == "Resource":
        return True  # a trust policy's statements name no resource
    raise UnsupportedPolicyFeature(f"a statement without {name} or Not{name}")


# -- conditions ----------------------------------------------------------------------------------
def _numbers(test: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def compare(context: str, policy: str) -> bool:
        try:
            return test(float(context), float(policy))
        except ValueError:
            return False

    return compare


#: Condition operator -> (compare(context value, policy value), negated).
OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "StringEquals": (lambda c, p: c == p, False),
    "StringNotEquals": (lambda c, p: c == p, True),
    "StringEqualsIgnoreCase": (lambda c, p: c.lower() == p.lower(), False),
    "StringNotEqualsIgnoreCase": (lambda c, p: c.lower() == p.lower(), True),
    "StringLike": (lambda c, p: _wildcard(p, c), False),
    "StringNotLike": (lambda c, p: _wildcard(p, c), True),
    # ArnEquals and ArnLike are the same test (the IAM guide: both accept wildcards)
    "ArnEquals": (lambda c, p: _wildcard(p, c), False),
    "ArnLike": (lambda c, p: _wildcard(p, c), False),
    "ArnNotEquals": (lambda c, p: _wildcard(p, c), True),
    "ArnNotLike": (lambda c, p: _wildcard(p, c), True),
    "Bool": (lambda c, p: c.lower() == p.lower(), False),
    "NumericEquals": (_numbers(lambda c, p: c == p), False),
    "NumericNotEquals": (_numbers(lambda c, p: c == p), True),
    "NumericLessThan": (_numbers(lambda c, p: c < p), False),
    "NumericLessThanEquals": (_numbers(lambda c, p: c <= p), False),
    "NumericGreaterThan": (_numbers(lambda c, p: c > p), False),
    "NumericGreaterThanEquals": (_numbers(lambda c, p: c >= p), False),
}


def _policy_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise UnsupportedPolicyFeature(f"condition value {value!r}")


def _conditions_hold(conditions: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in context.items()}
    for operator, keys in conditions.items():
        if operator not in OPERATORS:
            raise UnsupportedPolicyFeature(f"condition operator {operator}")
        compare, negated = OPERATORS[operator]
        for key, values in keys.items():
            actual = lowered.get(key.lower())
            if actual is None:  # absent key: false, or true for a negated operator
                if not negated:
                    return False
                continue
            if not isinstance(actual, str):
                raise UnsupportedPolicyFeature(f"multi-valued context key {key}")
            hit = any(compare(actual, _policy_value(v)) for v in _as_list(values))
            if hit == negated:  # values OR; a negated operator: NOR
                return False
    return True


def matching_statements(
    policy: NamedPolicy, request: Request, *, resource_based: bool
) -> list[Match]:
    """The statements of ``policy`` that apply to ``request``."""
    found: list[Match] = []
    for statement in policy.statements():
        effect = statement.get("Effect")
        if effect not in ("Allow", "Deny"):
            raise UnsupportedPolicyFeature(f"Effect {effect!r}")
        principal: PrincipalMatch | None = None
        if resource_based:
            principal = _principal_match(statement, request.principal)
            if principal is None:
                continue
        elif "Principal" in statement or "NotPrincipal" in statement:
            raise UnsupportedPolicyFeature("Principal in an identity-based policy")
        if not _element_matches(statement, "Action", request.action, ignore_case=True):
            continue
        if not _element_matches(statement, "Resource", request.resource, ignore_case=False):
            continue
        if not _conditions_hold(statement.get("Condition") or {}, request.context):
            continue
        found.append(Match(policy.name, str(statement.get("Sid", "")), effect, principal))
    return found


def evaluate(
    request: Request,
    *,
    identity: Sequence[NamedPolicy] = (),
    resource: NamedPolicy | None = None,
    resource_must_allow: bool = False,
) -> Decision:
    """The decision AWS makes for ``request`` (same account or not).

    ``identity``: the principal's identity-based policies (none for a service principal).
    ``resource``: the resource-based policy (queue, topic, bucket, function, key, trust policy).
    ``resource_must_allow``: a KMS key policy or a trust policy - it must allow the principal
    itself, or its account and then the identity-based policies too.
    """
    identity_matches = [
        m for p in identity for m in matching_statements(p, request, resource_based=False)
    ]
    resource_matches = (
        matching_statements(resource, request, resource_based=True) if resource else []
    )
    matches = tuple(identity_matches + resource_matches)
    denies = [m for m in matches if m.effect == "Deny"]
    if denies:
        return Decision(False, request, f"explicitly denied: {denies[0]}", matches)
    identity_allow = next((m for m in identity_matches if m.effect == "Allow"), None)
    direct = next((m for m in resource_matches if m.principal == "direct"), None)
    via_account = next((m for m in resource_matches if m.principal == "account"), None)
    resource_name = resource.name if resource else "no resource-based policy"
    same_account = request.resource.split(":")[4:5] in ([request.principal.account], [""])
    if resource_must_allow:
        if direct:
            return Decision(True, request, f"allowed: {direct}", matches)
        if via_account and identity_allow:
            return Decision(
                True, request, f"allowed: {identity_allow}, delegated by {via_account}", matches
            )
        why = (
            f"{resource_name} delegates to the account, but no identity-based policy allows it"
            if via_account
            else f"{resource_name} does not allow {request.principal}"
        )
        return Decision(False, request, f"implicitly denied: {why}", matches)
    if direct and same_account:
        return Decision(True, request, f"allowed: {direct}", matches)
    if identity_allow and (same_account or direct or via_account):
        return Decision(True, request, f"allowed: {identity_allow}", matches)
    policies = ", ".join([p.name for p in identity] + ([resource.name] if resource else []))
    return Decision(
        False, request, f"implicitly denied: no statement allows it (in {policies or 'none'})"
    )
