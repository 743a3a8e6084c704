"""VPCs created by the patterns when the user passes none.

Every created VPC logs all flows (accepted and rejected) to a log group with a
retention (AwsSolutions-VPC7), and keeps aws-cdk-lib's restriction of the default
security group (no rules), which CDK implements with a stack-singleton custom
resource. For production, pass your own ``ec2.IVpc`` to the pattern instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import CfnResource, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

from patterns.core.defaults import log_group

__all__ = [
    "isolated_subnets",
    "new_vpc",
    "private_vpc",
    "public_and_private_subnets",
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
