"""The VPC :class:`~patterns.batch.BatchJobs` creates when none is given."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from patterns.core.network import new_vpc, public_and_private_subnets

__all__ = ["private_vpc"]


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
