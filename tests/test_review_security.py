"""cdk diff's security view in the synth review: ``@aws-cdk/cloudformation-diff`` run
offline on hand-made templates and on mutated example templates."""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synth_review.__main__ import main
from synth_review.security import SecurityDiffUnavailable, security_changes
from tests.conftest import ROOT, SynthResult


def role_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    }
                },
            },
            "Policy": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyName": "p",
                    "Roles": [{"Ref": "Role"}],
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": list(statements)},
                },
            },
        }
    }


READ = {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "arn:aws:sqs:::q"}
WILD = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
DENY = {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}


def diff(old: dict[str, Any], new: dict[str, Any]) -> Any:
    return security_changes({"S": (old, new)})["S"]


def test_identical_templates_have_no_security_changes() -> None:
    sec = diff(role_policy(READ), role_policy(READ))
    assert (sec.has_changes, sec.permissions_broadened) == (False, False)


def test_an_added_allow_statement_broadens_permissions() -> None:
    sec = diff(role_policy(READ), role_policy(READ, WILD))
    assert sec.permissions_broadened
    (statement,) = sec.statements
    assert (statement.change, statement.effect, statement.action, statement.resource) == (
        "added",
        "Allow",
        "s3:*",
        "*",
    )
    assert statement.broadening and statement.principal == "AWS:${Role}"


def test_a_removed_allow_narrows_and_a_removed_deny_broadens() -> None:
    narrowed = diff(role_policy(READ, WILD), role_policy(READ))
    assert not narrowed.permissions_broadened
    assert [(s.change, s.broadening) for s in narrowed.statements] == [("removed", False)]
    undenied = diff(role_policy(READ, DENY), role_policy(READ))
    assert undenied.permissions_broadened
    assert [(s.change, s.effect, s.broadening) for s in undenied.statements] == [
        ("removed", "Deny", True)
    ]


def test_an_attached_managed_policy_broadens_permissions() -> None:
    old = role_policy(READ)
    new = copy.deepcopy(old)
    new["Resources"]["Role"]["Properties"]["ManagedPolicyArns"] = [
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ]
    sec = diff(old, new)
    assert sec.permissions_broadened
    assert [(s.effect, s.action, s.change) for s in sec.statements] == [
        ("Attach", "arn:aws:iam::aws:policy/AdministratorAccess", "added")
    ]


def group(*ingress: dict[str, Any]) -> dict[str, Any]:
    return {
        "Resources": {
            "Sg": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {"GroupDescription": "web", "SecurityGroupIngress": list(ingress)},
            }
        }
    }


HTTPS_VPC = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}
SSH_WORLD = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}
SSH_WORLD6 = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv6": "::/0"}


def test_new_ingress_from_anywhere_is_flagged() -> None:
    sec = diff(group(HTTPS_VPC), group(HTTPS_VPC, SSH_WORLD, SSH_WORLD6))
    assert sec.permissions_broadened
    assert [(r.direction, r.protocol, r.open_to_world) for r in sec.rules] == [
        ("ingress", "TCP 22", True),
        ("ingress", "TCP 22", True),
    ]
    assert len(sec.open_ingress) == 2


def test_new_ingress_from_a_private_range_is_not_open_to_the_world() -> None:
    sec = diff(group(), group(HTTPS_VPC))
    (rule,) = sec.rules
    assert (rule.change, rule.open_to_world, rule.new_open_ingress) == ("added", False, False)
    assert sec.open_ingress == ()


def test_a_removed_world_rule_is_not_new_open_ingress() -> None:
    sec = diff(group(SSH_WORLD), group())
    (rule,) = sec.rules
    assert (rule.change, rule.open_to_world, rule.new_open_ingress) == ("removed", True, False)


def test_a_missing_node_is_an_error_not_a_silent_pass(tmp_path: Path) -> None:
    with pytest.raises(SecurityDiffUnavailable, match="cloudformation-diff"):
        security_changes({"S": ({}, {})}, node=str(tmp_path / "no-node"))


# -- the whole review on mutated example templates ------------------------------------------


def mutated(
    synth: SynthResult, tmp_path: Path, stack: str, mutate: Callable[[dict[str, Any]], None]
) -> Path:
    """A copy of the session's cloud assembly whose ``stack`` template is mutated."""
    out = tmp_path / "current.out"
    shutil.copytree(synth.outdir, out, ignore=shutil.ignore_patterns("asset.*"))
    path = out / f"{stack}.template.json"
    template = json.loads(path.read_text())
    mutate(template["Resources"])
    path.write_text(json.dumps(template))
    return out


def review(cdk_out: Path, tmp_path: Path, *extra: str) -> int:
    cwd = Path.cwd()
    try:
        os.chdir(ROOT)  # the snapshots baseline is found from the repository root
        return main(
            [
                "--cdk-out", str(cdk_out), "--baseline", "snapshots",
                "--out", str(tmp_path / "review"), "--no-diagrams",
                "--acknowledgements", str(tmp_path / "acks.toml"), *extra,
            ]
        )  # fmt: skip
    finally:
        os.chdir(cwd)


def first(resources: dict[str, Any], type_name: str) -> str:
    return next(k for k, v in resources.items() if v["Type"] == type_name)


def broaden_a_role_and_open_ssh(resources: dict[str, Any]) -> None:
    policy = resources[first(resources, "AWS::IAM::Policy")]
    policy["Properties"]["PolicyDocument"]["Statement"].append(WILD)
    sg = first(resources, "AWS::EC2::SecurityGroup")
    resources["OpenSsh"] = {
        "Type": "AWS::EC2::SecurityGroupIngress",
        "Properties": {**SSH_WORLD, "GroupId": {"Fn::GetAtt": [sg, "GroupId"]}},
    }


def test_review_shows_broadened_permissions_and_open_ingress(
    synth: SynthResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = mutated(synth, tmp_path, "WebTierExample", broaden_a_role_and_open_ssh)
    assert review(out, tmp_path) == 0  # shown, not blocking by default
    err = capsys.readouterr().err
    assert "review: WebTierExample: permissions broadened" in err
    assert "1 NEW INGRESS FROM ANYWHERE" in err
    md = (tmp_path / "review" / "WebTierExample.md").read_text()
    assert "**Permissions are broadened**" in md
    assert "| + broadens | Allow | s3:* | * |" in md
    assert "**NEW INGRESS FROM ANYWHERE**" in md and "TCP 22 from Everyone (IPv4)" in md
    html = (tmp_path / "review" / "WebTierExample.html").read_text()
    assert "id='broadened'" in html and "New ingress from anywhere" in html
    index = (tmp_path / "review" / "README.md").read_text()
    assert "`WebTierExample`: **permissions broadened**" in index
    unchanged = (tmp_path / "review" / "FanOutExample.md").read_text()
    assert "No IAM or security-group changes against the baseline." in unchanged

    assert review(out, tmp_path, "--fail-on-broadening") == 1


def test_review_fails_on_a_deletion_policy_loosened_from_retain(
    synth: SynthResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder: dict[str, str] = {}

    def loosen(resources: dict[str, Any]) -> None:
        table = first(resources, "AWS::DynamoDB::Table")
        holder["id"] = table
        resources[table]["DeletionPolicy"] = "Delete"

    out = mutated(synth, tmp_path, "CachedTableExample", loosen)
    assert review(out, tmp_path) == 1
    err = capsys.readouterr().err
    key = f"CachedTableExample/{holder['id']}"
    assert f"{key} (AWS::DynamoDB::Table) modified in place: DeletionPolicy Retain -> Delete" in err
    md = (tmp_path / "review" / "CachedTableExample.md").read_text()
    assert "**RETENTION LOOSENED**" in md
    (tmp_path / "acks.toml").write_text(
        f'[[acknowledge]]\nresource = "{key}"\n'
        'reason = "dev copy of the catalogue table: re-seeded from the export on every deploy"\n'
    )
    assert review(out, tmp_path) == 0
