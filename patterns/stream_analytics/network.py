"""The VPC of a :class:`~patterns.stream_analytics.StreamAnalytics` application that must
reach private resources: its security group (HTTPS out only) and subnets."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisanalyticsv2 as kda
from constructs import Construct

from patterns.core.network import select_subnets
from patterns.stream_analytics.role import grant_vpc_access

__all__ = ["vpc_configuration"]


def vpc_configuration(
    application: Construct,
    policy: iam.Policy,
    vpc: ec2.IVpc,
    vpc_subnets: ec2.SubnetSelection | None,
) -> tuple[ec2.SecurityGroup, kda.CfnApplication.VpcConfigurationProperty]:
    """The security group ``SecurityGroup`` and the application's VPC configuration in the
    selected subnets (default: the private ones); ``policy`` lets the role manage the
    interfaces."""
    security_group = ec2.SecurityGroup(
        application,
        "SecurityGroup",
        vpc=vpc,
        description=f"Flink application {application.node.path}: HTTPS out to AWS endpoints",
        allow_all_outbound=False,
    )
    security_group.add_egress_rule(
        ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "AWS service endpoints (Kinesis, S3)"
    )
    selection = vpc_subnets or ec2.SubnetSelection()
    subnets = select_subnets(vpc, selection)
    configuration = kda.CfnApplication.VpcConfigurationProperty(
        security_group_ids=[security_group.security_group_id],
        subnet_ids=list(subnets.subnet_ids),
    )
    grant_vpc_access(policy)
    return security_group, configuration
