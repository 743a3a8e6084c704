"""Every pattern that creates a VPC takes an existing one (``vpc=``, ``vpc_subnets=``): it then
creates no VPC, runs in the selected subnets, and refuses a selection that cannot work."""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from patterns import PatternValidationError
from tests.user_apps.cases import MINIMAL

ENV = cdk.Environment(account="111111111111", region="eu-west-1")
AZS = ["eu-west-1a", "eu-west-1b"]
PRIVATE = ["subnet-0a0a0a0a0a0a0a0a0", "subnet-0b0b0b0b0b0b0b0b0"]
PUBLIC = ["subnet-0c0c0c0c0c0c0c0c0", "subnet-0d0d0d0d0d0d0d0d0"]

#: The patterns that create a VPC when none is given, and the subnet prop of each.
VPC_PATTERNS = {
    "BatchJobs": "vpc_subnets",
    "MessageBroker": "vpc_subnets",
    "DaxCache": "vpc_subnets",
    "EmrCluster": "vpc_subnets",
    "TransientEmrWorkflow": "vpc_subnets",
    "ScalableWebTier": "instance_subnets",
}
#: Patterns that run in a VPC only when given one.
OPTIONAL_VPC_PATTERNS = {"StreamAnalytics": "vpc_subnets"}
ALL = {**VPC_PATTERNS, **OPTIONAL_VPC_PATTERNS}


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Test", env=ENV)


def _imported(stack: cdk.Stack, *, private: bool = True) -> ec2.IVpc:
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "TeamVpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=AZS,
        private_subnet_ids=PRIVATE if private else None,
        public_subnet_ids=PUBLIC,
    )


def _build(name: str) -> Callable[..., object]:
    return MINIMAL[name]


def _subnet_ids(template: Template) -> set[str]:
    """Every subnet id written as a literal anywhere in the template."""
    text = str(template.to_json())
    return {subnet for subnet in PRIVATE + PUBLIC if subnet in text}


@pytest.mark.parametrize("name", sorted(ALL))
def test_imported_vpc_is_used_not_created(name: str) -> None:
    stack = _stack()
    _build(name)(stack, vpc=_imported(stack))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::VPC", 0)
    template.resource_count_is("AWS::EC2::FlowLog", 0)  # the VPC's flow logs are its own
    used = _subnet_ids(template)
    assert set(PRIVATE) & used  # the pattern's resources are in the private subnets
    if name != "ScalableWebTier":  # only the web tier's load balancer is in public subnets
        assert not set(PUBLIC) & used


@pytest.mark.parametrize("name", sorted(ALL))
def test_users_vpc_in_the_same_stack_is_used(name: str) -> None:
    stack = _stack()
    vpc = ec2.Vpc(stack, "TeamVpc", max_azs=2, nat_gateways=1)
    _build(name)(stack, vpc=vpc)
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPC", 1)  # the user's


@pytest.mark.parametrize("name", sorted(ALL))
def test_vpc_without_private_subnets_is_an_error(name: str) -> None:
    stack = _stack()
    with pytest.raises(PatternValidationError, match=r"vpc(_subnets)? (must|has no)"):
        _build(name)(stack, vpc=_imported(stack, private=False))


@pytest.mark.parametrize("name", sorted(set(ALL) - {"MessageBroker", "DaxCache"}))
def test_selecting_public_subnets_is_an_error(name: str) -> None:
    stack = _stack()
    prop = ALL[name]
    public = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)
    with pytest.raises(
        PatternValidationError, match=rf"{prop} must select private subnets for .* got the public"
    ):
        _build(name)(stack, vpc=_imported(stack), **{prop: public})


def test_web_tier_needs_public_subnets_for_its_load_balancer() -> None:
    stack = _stack()
    vpc = ec2.Vpc.from_vpc_attributes(
        stack, "TeamVpc", vpc_id="vpc-1", availability_zones=AZS, private_subnet_ids=PRIVATE
    )
    with pytest.raises(
        PatternValidationError, match=r"vpc must provide subnets for the load balancer"
    ):
        _build("ScalableWebTier")(stack, vpc=vpc)


def test_selection_that_finds_nothing_names_the_prop() -> None:
    stack = _stack()
    missing = ec2.SubnetSelection(subnet_group_name="Data")
    with pytest.raises(
        PatternValidationError,
        match=r"vpc_subnets must provide subnets for the compute environments",
    ):
        _build("BatchJobs")(stack, vpc=_imported(stack), vpc_subnets=missing)
