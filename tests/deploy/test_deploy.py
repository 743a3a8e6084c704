"""Every example stack deploys to the emulator, and nothing in it is skipped silently."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

import pytest

from emulator import guard
from emulator.server import Assembly, Emulator, UnsupportedResourceTypes
from stacks import EXAMPLE_STACKS
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


@pytest.mark.parametrize("stack_name", sorted(EXAMPLE_STACKS))
def test_example_stack_deploys(stack_name: str, deployed: Deployments, assembly: Assembly) -> None:
    stack = deployed(stack_name)
    template = assembly.template(stack_name)

    assert stack.status == "CREATE_COMPLETE"
    # Every resource of the template exists with a physical id: none was skipped.
    expected = {lid: r["Type"] for lid, r in template["Resources"].items() if "Condition" not in r}
    assert {lid: rtype for lid, (rtype, _) in stack.resources.items()} == expected
    # Every output resolved to a value.
    assert set(stack.outputs) == set(template.get("Outputs", {}))
    assert all(value and value != "None" for value in stack.outputs.values()), stack.outputs


def test_deploy_template_has_no_bootstrap_rule_or_metadata(assembly: Assembly) -> None:
    """Synthesized for the emulator: explicit env, no CDK metadata, no bootstrap version check."""
    for name in assembly.stack_names:
        template = assembly.template(name)
        types = {r["Type"] for r in template["Resources"].values()}
        assert "AWS::CDK::Metadata" not in types
        assert "CheckBootstrapVersion" not in template.get("Rules", {})
        assert "BootstrapVersion" not in template.get("Parameters", {})


def test_emulator_listens_on_loopback_only(emulator: Emulator) -> None:
    endpoint = urlparse(emulator.endpoint)
    assert endpoint.hostname == "127.0.0.1"
    assert endpoint.port and endpoint.port > 0
    identity = emulator.client("sts").get_caller_identity()
    assert identity["Account"] == emulator.account_id


GUARDED_TEMPLATE: dict[str, Any] = {
    "Resources": {
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "Repository": {
            "Type": "AWS::CodeArtifact::Domain",
            "Properties": {"DomainName": "packages"},
        },
    }
}


@pytest.mark.filterwarnings("ignore:Tried to parse AWS")
def test_moto_alone_skips_an_unknown_type_silently(emulator: Emulator) -> None:
    """Why the guard exists: moto reports CREATE_COMPLETE without creating the resource."""
    assert "AWS::CodeArtifact::Domain" not in guard.supported_types()
    cfn = emulator.client("cloudformation")
    cfn.create_stack(StackName="GuardDemo", TemplateBody=json.dumps(GUARDED_TEMPLATE))
    stack = cfn.describe_stacks(StackName="GuardDemo")["Stacks"][0]
    resources = cfn.describe_stack_resources(StackName="GuardDemo")["StackResources"]

    assert stack["StackStatus"] == "CREATE_COMPLETE"
    # the CodeArtifact domain is an empty entry: no logical id, no type, no physical id
    assert [r.get("LogicalResourceId") for r in resources if r.get("ResourceType")] == ["Queue"]
    assert len(resources) == 2


def test_deploying_an_unimplemented_type_fails_naming_it(emulator: Emulator) -> None:
    with pytest.raises(UnsupportedResourceTypes, match=r"AWS::CodeArtifact::Domain") as raised:
        emulator.create_stack("GuardedStack", GUARDED_TEMPLATE)
    assert raised.value.types == ["AWS::CodeArtifact::Domain"]
    stacks = emulator.client("cloudformation").list_stacks()["StackSummaries"]
    assert "GuardedStack" not in {s["StackName"] for s in stacks}


def test_custom_resources_need_a_handler() -> None:
    """moto would invoke a custom resource's Lambda (Docker); unknown ones are refused."""
    template = {
        "Resources": {"X": {"Type": "Custom::Unknown", "Properties": {"ServiceToken": "x"}}}
    }
    assert guard.unsupported_types(template) == ["Custom::Unknown"]
    template["Resources"]["X"]["Type"] = "Custom::VpcRestrictDefaultSG"
    assert guard.unsupported_types(template) == []


def test_every_example_type_is_implemented(assembly: Assembly) -> None:
    """The same guard over the synthesized examples, reported all at once."""
    missing = {
        name: guard.unsupported_types(assembly.template(name)) for name in assembly.stack_names
    }
    assert {name: types for name, types in missing.items() if types} == {}
