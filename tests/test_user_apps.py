"""The user-app gate: every public pattern as a new user writes it, in the user's own app.

Three apps, each synthesized once per session with the cdk-nag packs the README shows:

- ``plain``: a plain ``cdk.App()`` with no context, every case (minimal and typical);
- ``init``: an app with the feature flags the current ``cdk init`` writes, every case;
- ``destroy``: the plain app with every minimal case and ``removal_policy=DESTROY``.

No case acknowledges anything itself: a finding is either fixed in the library or
acknowledged by the library on the exact construct that causes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from tests.user_apps.cases import CASES, Case, destroy

ROOT = Path(__file__).resolve().parent.parent
FLAVORS = ("plain", "init", "destroy", "grants")
#: The wildcard grant a user adds to every role a pattern creates (``grants`` app).
USER_WILDCARD = {"actions": ["dynamodb:DeleteItem"], "resources": ["*"]}


def cdk_init_context() -> dict[str, Any]:
    """The context (feature flags) that ``cdk init app --language python`` writes today."""
    cdk_cli = ROOT / "node_modules" / ".bin" / "cdk"
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [str(cdk_cli), "init", "app", "--language", "python", "--generate-only"],
            cwd=folder,
            check=True,
            capture_output=True,
            env={**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true"},
        )
        context: dict[str, Any] = json.loads((Path(folder) / "cdk.json").read_text())["context"]
    return context


def cases_of(flavor: str) -> list[Case]:
    if flavor == "grants":
        return [case for case in CASES if case.configuration == "minimal"]
    if flavor == "destroy":
        return [destroy(case) for case in CASES if case.configuration == "minimal"]
    return list(CASES)


@dataclass
class UserApp:
    flavor: str
    outdir: Path
    cases: list[Case]
    #: stack name -> the construct it built
    built: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    #: stack name -> paths of the roles the pattern created (the ``grants`` app adds the
    #: user's wildcard statement to each)
    roles: dict[str, list[str]] = field(default_factory=dict)

    @property
    def report(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads((self.outdir / "validation-report.json").read_text())
        return report

    def template(self, stack_name: str) -> dict[str, Any]:
        template: dict[str, Any] = json.loads(
            (self.outdir / f"{stack_name}.template.json").read_text()
        )
        return template


def _add_user_wildcards(stack: cdk.Stack) -> list[str]:
    """Add the user's wildcard statement to every role the patterns of ``stack`` created,
    as ``grant_*`` / ``add_to_role_policy`` would; the paths of those roles."""
    roles = [
        child
        for child in stack.node.find_all()
        if isinstance(child, iam.Role) and not _is_cdk_singleton(stack, child)
    ]
    for role in roles:
        role.add_to_principal_policy(iam.PolicyStatement(**USER_WILDCARD))
    return [role.node.path for role in roles]


def _is_cdk_singleton(stack: cdk.Stack, role: iam.Role) -> bool:
    """A role of aws-cdk-lib's own per-stack provider functions (custom resources), created at
    the stack's top level rather than inside a pattern."""
    return role.node.scopes[1].node.scope is stack and role.node.scopes[1].node.id.startswith(
        ("Custom", "AWS", "LogRetention", "BucketNotificationsHandler")
    )


def _synth(flavor: str, outdir: Path, context: dict[str, Any]) -> UserApp:
    app = cdk.App(context=context, outdir=str(outdir))
    user_app = UserApp(flavor=flavor, outdir=outdir, cases=cases_of(flavor))
    for case in user_app.cases:
        stack = cdk.Stack(app, case.stack_name)
        try:
            user_app.built[case.stack_name] = case.build(stack)
        except Exception as exc:  # reported by test_builds
            user_app.errors[case.stack_name] = f"{type(exc).__name__}: {exc}"
            continue
        if flavor == "grants":
            user_app.roles[case.stack_name] = _add_user_wildcards(stack)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    with contextlib.suppress(RuntimeError):  # ValidationFailed: see test_nag_clean
        app.synth()
    return user_app


@pytest.fixture(scope="session")
def user_apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, UserApp]]:
    init = cdk_init_context()
    yield {
        flavor: _synth(
            flavor, tmp_path_factory.mktemp(f"user-{flavor}"), init if flavor == "init" else {}
        )
        for flavor in FLAVORS
    }


def _findings(user_app: UserApp, stack_name: str) -> list[str]:
    found = []
    for plugin in user_app.report["pluginReports"]:
        for violation in plugin.get("violations", []):
            for construct in violation["violatingConstructs"]:
                if construct["constructPath"].split("/")[0] == stack_name:
                    found.append(
                        f"{plugin['pluginName']}: {violation['ruleName']} at "
                        f"{construct['constructPath']}: {violation['description']}"
                    )
    return found


PARAMS = [
    pytest.param(flavor, case, id=f"{flavor}-{case.stack_name}")
    for flavor in FLAVORS
    if flavor != "grants"  # there the user's own wildcard must be reported (see below)
    for case in cases_of(flavor)
]


@pytest.mark.parametrize(("flavor", "case"), PARAMS)
def test_builds(user_apps: dict[str, UserApp], flavor: str, case: Case) -> None:
    assert user_apps[flavor].errors.get(case.stack_name) is None


@pytest.mark.parametrize(("flavor", "case"), PARAMS)
def test_nag_clean(user_apps: dict[str, UserApp], flavor: str, case: Case) -> None:
    """Zero unacknowledged cdk-nag findings (errors and warnings) in the user's app."""
    assert _findings(user_apps[flavor], case.stack_name) == []


@pytest.mark.parametrize("flavor", FLAVORS)
def test_acknowledgements_are_the_librarys_own(user_apps: dict[str, UserApp], flavor: str) -> None:
    """Every acknowledgement is written inside a pattern (never at the user's stack) and
    says why."""
    for plugin in user_apps[flavor].report["pluginReports"]:
        for suppressed in plugin.get("suppressedViolations", []):
            where = suppressed["acknowledgedAt"]
            assert "/" in where, f"acknowledged at a whole stack: {suppressed}"
            assert len(suppressed["reason"]) >= 40, suppressed["reason"]


@pytest.fixture(scope="session")
def cfn_lint(user_apps: dict[str, UserApp]) -> dict[tuple[str, str], list[str]]:
    """cfn-lint over every user-app template in one run."""
    files = {
        str(app.outdir / f"{case.stack_name}.template.json"): (flavor, case.stack_name)
        for flavor, app in user_apps.items()
        for case in app.cases
        if case.stack_name not in app.errors
    }
    exe = shutil.which("cfn-lint", path=os.path.dirname(sys.executable)) or "cfn-lint"
    proc = subprocess.run(
        [exe, "--format", "json", *files], capture_output=True, text=True, check=False
    )
    if proc.returncode not in (0, 2, 4, 6, 8, 10, 12, 14):
        raise RuntimeError(f"cfn-lint failed to run ({proc.returncode}): {proc.stderr}")
    found: dict[tuple[str, str], list[str]] = {key: [] for key in files.values()}
    for finding in json.loads(proc.stdout or "[]"):
        key = files[finding["Filename"]]
        found[key].append(f"{finding['Rule']['Id']} {finding['Message']}")
    return found


@pytest.mark.parametrize(("flavor", "case"), PARAMS)
def test_cfn_lint_clean(
    cfn_lint: dict[tuple[str, str], list[str]], flavor: str, case: Case
) -> None:
    assert cfn_lint.get((flavor, case.stack_name), []) == []


# -- security does not depend on the user's feature flags -------------------------------------
#: Properties that decide encryption, TLS, public access or deletion protection.
SECURITY_PROPERTIES = frozenset(
    {
        "BucketEncryption",
        "DeletionProtectionEnabled",
        "DeliveryStreamEncryptionConfigurationInput",
        "EnableKeyRotation",
        "Encrypted",
        "EncryptionConfiguration",
        "KMSMasterKeyID",
        "KmsKeyId",
        "KmsMasterKeyId",
        "LoadBalancerAttributes",
        "MinimumProtocolVersion",
        "PublicAccessBlockConfiguration",
        "SSESpecification",
        "SqsManagedSseEnabled",
        "SslPolicy",
        "StreamEncryption",
        "ViewerCertificate",
    }
)
#: Resource types whose mere presence is a security decision (TLS-only and access policies).
SECURITY_TYPES = frozenset(
    {"AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::KMS::Key"}
)


def _statement_atoms(document: Any) -> Any:
    """A policy document as a sorted list of single (effect, principal, action, resource,
    condition) grants, so that merging or re-ordering statements (cdk init's
    ``@aws-cdk/aws-iam:minimizePolicies``) compares equal while any change of what is
    allowed does not."""
    if not isinstance(document, dict) or "Statement" not in document:
        return document
    atoms = set()
    for statement in document["Statement"]:
        actions = statement.get("Action", [])
        resources = statement.get("Resource", [])
        for action in actions if isinstance(actions, list) else [actions]:
            for resource in resources if isinstance(resources, list) else [resources]:
                atoms.add(
                    json.dumps(
                        [
                            statement.get("Effect"),
                            statement.get("Principal"),
                            action,
                            resource,
                            statement.get("Condition"),
                            statement.get("Sid") is not None,
                        ],
                        sort_keys=True,
                    )
                )
    return sorted(atoms)


def _security_view(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    view: dict[str, dict[str, Any]] = {}
    for logical_id, resource in template.get("Resources", {}).items():
        props = resource.get("Properties", {})
        chosen = {k: v for k, v in props.items() if k in SECURITY_PROPERTIES}
        if resource["Type"] == "AWS::CloudFront::Distribution":
            config = props.get("DistributionConfig", {})
            chosen = {k: v for k, v in config.items() if k in SECURITY_PROPERTIES}
        if resource["Type"] in SECURITY_TYPES:  # resource policies: TLS-only, who may use it
            chosen.update(
                {
                    k: _statement_atoms(props.get(k))
                    for k in ("PolicyDocument", "KeyPolicy")
                    if k in props
                }
            )
        if chosen or resource["Type"] in SECURITY_TYPES:
            view[f"{logical_id} ({resource['Type']})"] = chosen
    return view


@pytest.mark.parametrize("case", CASES, ids=[case.stack_name for case in CASES])
def test_security_does_not_depend_on_feature_flags(
    user_apps: dict[str, UserApp], case: Case
) -> None:
    """TLS policy, encryption, public access and deletion protection are set explicitly: the
    same in a plain app and in an app with ``cdk init``'s flags."""
    if case.stack_name in user_apps["plain"].errors:
        pytest.fail(user_apps["plain"].errors[case.stack_name])
    plain = _security_view(user_apps["plain"].template(case.stack_name))
    init = _security_view(user_apps["init"].template(case.stack_name))
    differing = {
        key: (plain.get(key), init.get(key))
        for key in sorted(set(plain) | set(init))
        if plain.get(key) != init.get(key)
    }
    assert differing == {}


# -- a dev stack (removal_policy=DESTROY) can really be deleted -------------------------------
def _deletion_blockers(template: dict[str, Any]) -> list[str]:
    resources: dict[str, Any] = template.get("Resources", {})
    emptied = {
        json.dumps(r["Properties"].get("BucketName"))
        for r in resources.values()
        if r["Type"] == "Custom::S3AutoDeleteObjects"
    }
    blockers = []
    for logical_id, r in resources.items():
        props = r.get("Properties", {})
        policy = r.get("DeletionPolicy", "Delete")
        if policy != "Delete":
            blockers.append(f"{logical_id} ({r['Type']}) has DeletionPolicy {policy}")
        if props.get("DeletionProtectionEnabled") is True:
            blockers.append(f"{logical_id} ({r['Type']}) has deletion protection on")
        for attribute in props.get("LoadBalancerAttributes", []):
            if attribute["Key"] == "deletion_protection.enabled" and attribute["Value"] == "true":
                blockers.append(f"{logical_id} ({r['Type']}) has deletion protection on")
        if props.get("TerminationProtected") is True:
            blockers.append(f"{logical_id} ({r['Type']}) is termination-protected")
        if r["Type"] == "AWS::S3::Bucket" and json.dumps({"Ref": logical_id}) not in emptied:
            blockers.append(f"{logical_id} (AWS::S3::Bucket) is not emptied before deletion")
    return blockers


DESTROY_CASES = cases_of("destroy")


@pytest.mark.parametrize("case", DESTROY_CASES, ids=[case.stack_name for case in DESTROY_CASES])
def test_destroy_leaves_a_deletable_stack(user_apps: dict[str, UserApp], case: Case) -> None:
    """With removal_policy=DESTROY every resource can be deleted by CloudFormation: no
    Retain, no deletion or termination protection, buckets emptied first."""
    app = user_apps["destroy"]
    if case.stack_name in app.errors:
        pytest.fail(app.errors[case.stack_name])
    assert _deletion_blockers(app.template(case.stack_name)) == []


# -- acknowledgements never cover what the user adds -------------------------------------------
GRANT_CASES = cases_of("grants")


@pytest.mark.parametrize("case", GRANT_CASES, ids=[case.stack_name for case in GRANT_CASES])
def test_a_users_wildcard_on_any_pattern_role_is_reported(
    user_apps: dict[str, UserApp], case: Case
) -> None:
    """A wildcard statement the user adds to a role the pattern created is an unacknowledged
    AwsSolutions-IAM5 finding on that role: no library acknowledgement covers it."""
    app = user_apps["grants"]
    if case.stack_name in app.errors:
        pytest.fail(app.errors[case.stack_name])
    findings = _findings(app, case.stack_name)
    unreported = [
        role
        for role in app.roles[case.stack_name]
        if not any(
            "AwsSolutions-IAM5" in finding and f" at {role}/" in finding for finding in findings
        )
    ]
    assert unreported == []
