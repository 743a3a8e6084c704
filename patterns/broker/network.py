"""The network of :class:`~patterns.broker.MessageBroker`: a created VPC, the broker's
private subnets (one per AZ) and its security group."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

from patterns.broker.engines import SUBNETS_NEEDED, SUBNETS_USED
from patterns.core.network import isolated_subnets, new_vpc
from patterns.core.validation import Validator

__all__ = ["create_vpc", "pick_subnets", "security_group", "select_subnets"]


def create_vpc(
    scope: Construct, *, deployment_mode: str, removal_policy: RemovalPolicy
) -> tuple[ec2.Vpc, logs.LogGroup]:
    """The VPC ``Vpc``: isolated subnets in two AZs (three for a RabbitMQ cluster), every
    flow logged; returns it with its flow log group."""
    return new_vpc(
        scope,
        "Vpc",
        subnet_configuration=isolated_subnets("Broker"),
        max_azs=3 if deployment_mode == "CLUSTER_MULTI_AZ" else 2,
        removal_policy=removal_policy,
    )


def select_subnets(
    scope: Construct,
    vpc: ec2.IVpc,
    selection: ec2.SubnetSelection | None,
    deployment_mode: str,
) -> list[ec2.ISubnet]:
    """The broker's subnets; raises ``PatternValidationError`` if ``vpc`` lacks them."""
    v = Validator(scope)
    subnets = pick_subnets(v, vpc, selection, deployment_mode)
    v.raise_if_invalid()
    return subnets


def pick_subnets(
    v: Validator, vpc: ec2.IVpc, selection: ec2.SubnetSelection | None, deployment_mode: str
) -> list[ec2.ISubnet]:
    """The broker's subnets (one per AZ, as many as the deployment mode uses); problems go
    to ``v``."""
    if selection is not None:
        try:
            subnets = list(
                vpc.select_subnets(
                    subnet_type=selection.subnet_type,
                    subnet_group_name=selection.subnet_group_name,
                    subnets=selection.subnets,
                    availability_zones=selection.availability_zones,
                    one_per_az=True,
                ).subnets
            )
        except RuntimeError as error:  # jsii: "There are no 'Public' subnet groups ..."
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "error"
            v.add("vpc_subnets", f"selects no subnets of the vpc: {reason}")
            return []
    else:
        subnets = _private_subnets_one_per_az(vpc)
    public_ids = {subnet.node.path for subnet in vpc.public_subnets}
    if any(subnet.node.path in public_ids for subnet in subnets):
        v.add("vpc_subnets", "must not select public subnets: the broker is private")
    needed = SUBNETS_NEEDED[deployment_mode]
    if len(subnets) < needed:
        v.add(
            "vpc_subnets",
            f"must select private subnets in at least {needed} availability zone(s) for "
            f"{deployment_mode}, got {len(subnets)}",
        )
    return subnets[: SUBNETS_USED[deployment_mode]]


def _private_subnets_one_per_az(vpc: ec2.IVpc) -> list[ec2.ISubnet]:
    """The first private (else isolated) subnet of each availability zone."""
    subnets: list[ec2.ISubnet] = []
    zones: set[str] = set()
    for subnet in list(vpc.private_subnets) or list(vpc.isolated_subnets):
        if subnet.availability_zone not in zones:
            zones.add(subnet.availability_zone)
            subnets.append(subnet)
    return subnets


def security_group(scope: Construct, vpc: ec2.IVpc) -> ec2.SecurityGroup:
    """The security group ``SecurityGroup``: admits nothing until clients are allowed."""
    return ec2.SecurityGroup(
        scope,
        "SecurityGroup",
        vpc=vpc,
        description=f"Amazon MQ broker {scope.node.path}: TLS endpoints from granted clients",
        allow_all_outbound=False,
    )
