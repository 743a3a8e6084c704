"""VPCs created by the patterns when the user passes none.

Every created VPC logs all flows (accepted and rejected) to a log group with a
retention (AwsSolutions-VPC7), and keeps aws-cdk-lib's restriction of the default
security group (no rules), which CDK implements with a stack-singleton custom
resource. For production, pass your own ``ec2.IVpc`` to the pattern instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from aws_cdk import CfnResource, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

from patterns.core.defaults import log_group
from patterns.core.validation import Validator

__all__ = [
    "check_subnets",
    "isolated_subnets",
    "new_vpc",
    "private_vpc",
    "public_and_private_subnets",
    "select_subnets",
    "tidy_restrict_default_sg_provider",
]


def public_and_private_subnets(private_cidr_mask: int = 22) -> list[ec2.SubnetConfiguration]:
    """Public subnets (load balancers, NAT gateways) and private subnets with egress."""
    return [
        ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
        ec2.SubnetConfiguration(
            name="Private",
            subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS,
            cidr_mask=private_cidr_mask,
        ),
    ]


def isolated_subnets(name: str, cidr_mask: int = 24) -> list[ec2.SubnetConfiguration]:
    """Only isolated subnets: no route to or from the internet (no NAT gateway to pay for)."""
    return [
        ec2.SubnetConfiguration(
            name=name, subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=cidr_mask
        )
    ]


def new_vpc(
    scope: Construct,
    construct_id: str,
    *,
    subnet_configuration: Sequence[ec2.SubnetConfiguration],
    max_azs: int = 2,
    nat_gateways: int = 0,
    gateway_endpoints: Mapping[str, ec2.GatewayVpcEndpointOptions] | None = None,
    flow_log_group_id: str = "FlowLogs",
    flow_log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> tuple[ec2.Vpc, logs.LogGroup]:
    """A VPC with flow logs to its own log group; returns both.

    Args:
        scope: the pattern.
        construct_id: id of the VPC (``Vpc``).
        subnet_configuration: e.g. :func:`public_and_private_subnets` or
            :func:`isolated_subnets`.
        max_azs: availability zones (2 for cost; 3 where a service spreads over three).
        nat_gateways: NAT gateways for private subnets with egress (1 for cost; one per AZ
            survives the loss of an AZ).
        gateway_endpoints: free gateway endpoints (S3, DynamoDB) by id.
        flow_log_group_id: id of the flow log group, beside the VPC.
        flow_log_retention: retention of the flow logs. Default one year.
        removal_policy: of the flow log group.
    """
    flow_logs = log_group(
        scope, flow_log_group_id, retention=flow_log_retention, removal_policy=removal_policy
    )
    vpc = ec2.Vpc(
        scope,
        construct_id,
        max_azs=max_azs,
        nat_gateways=nat_gateways,
        subnet_configuration=list(subnet_configuration),
        gateway_endpoints=dict(gateway_endpoints) if gateway_endpoints else None,
        restrict_default_security_group=True,
        flow_logs={
            "FlowLog": ec2.FlowLogOptions(
                destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
                traffic_type=ec2.FlowLogTrafficType.ALL,
            )
        },
    )
    tidy_restrict_default_sg_provider(Stack.of(scope))
    return vpc, flow_logs


def tidy_restrict_default_sg_provider(stack: Stack) -> None:
    """Drop the redundant DependsOn of aws-cdk-lib's restrict-default-SG handler.

    The stack-singleton provider's handler both reads its role with ``Fn::GetAtt`` and lists
    it in ``DependsOn`` (cfn-lint W3005). The role's policies are inline, so the GetAtt alone
    orders them; the provider is otherwise kept as is.
    """
    provider = stack.node.try_find_child("Custom::VpcRestrictDefaultSGCustomResourceProvider")
    handler = provider.node.try_find_child("Handler") if provider is not None else None
    if isinstance(handler, CfnResource):
        handler.add_deletion_override("DependsOn")


def private_vpc(
    scope: Construct,
    construct_id: str,
    *,
    max_azs: int = 2,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> ec2.Vpc:
    """A VPC with public subnets (for one NAT gateway) and private subnets with egress.

    Every flow is logged (accepted and rejected) to a log group kept for one year, and the
    default security group has no rules (see :func:`patterns.core.network.new_vpc`).
    """
    vpc, _ = new_vpc(
        scope,
        construct_id,
        subnet_configuration=public_and_private_subnets(private_cidr_mask=20),
        max_azs=max_azs,
        nat_gateways=1,
        flow_log_group_id=f"{construct_id}FlowLogs",
        removal_policy=removal_policy,
    )
    return vpc


def select_subnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection) -> ec2.SelectedSubnets:
    """``vpc.select_subnets`` with every field of ``selection`` (the method takes them as
    keyword arguments, not a ``SubnetSelection``)."""
    return vpc.select_subnets(
        availability_zones=selection.availability_zones,
        one_per_az=selection.one_per_az,
        subnet_filters=selection.subnet_filters,
        subnet_group_name=selection.subnet_group_name,
        subnet_type=selection.subnet_type,
        subnets=selection.subnets,
    )


def check_subnets(
    v: Validator,
    vpc: object,
    vpc_subnets: object,
    *,
    default: ec2.SubnetSelection,
    what: str,
    public: bool = False,
    prop: str = "vpc_subnets",
) -> None:
    """The subnets a pattern selects in a given ``vpc`` (``vpc_subnets``, else ``default``):
    at least one, and - unless ``public`` - none of the VPC's public subnets.

    Reported as ``vpc`` (when the default selection finds none) or ``prop`` (the selection
    prop, ``vpc_subnets``). Nothing is
    checked without a VPC (the pattern creates one) or with props of the wrong type (reported
    by the type checks); a VPC imported with ``Vpc.from_vpc_attributes`` is checked by the
    subnets it names.
    """
    if not hasattr(vpc, "select_subnets"):
        return
    if vpc_subnets is not None and not isinstance(vpc_subnets, ec2.SubnetSelection):
        return
    selection = vpc_subnets if vpc_subnets is not None else default
    hint = "" if vpc_subnets is not None else f"; pass {prop} to choose others"
    prop = prop if vpc_subnets is not None else "vpc"
    try:
        selected = select_subnets(cast(ec2.IVpc, vpc), selection)
    except RuntimeError as error:  # aws-cdk-lib: "There are no 'Private' subnet groups ..."
        reason = str(error).splitlines()[0]
        name, _, rest = reason.partition(": ")
        reason = rest if rest and name.isidentifier() else reason  # jsii prefixes the error type
        v.add(prop, f"must provide subnets for {what}, but the selection fails: {reason}{hint}")
        return
    subnets = list(selected.subnets)
    if not subnets:
        v.add(prop, f"must provide subnets for {what}, got none{hint}")
        return
    if public:
        return
    public_ids = {subnet.subnet_id for subnet in vpc.public_subnets}  # type: ignore[attr-defined]
    chosen = [subnet.subnet_id for subnet in subnets if subnet.subnet_id in public_ids]
    if chosen:
        v.add(
            prop,
            f"must select private subnets for {what} (they get no public IP), got the public "
            f"subnets {', '.join(chosen)}{hint}",
        )
