"""The network of a :class:`~patterns.data_tier.DaxCache`: its VPC, subnets and the security
group of its TLS endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs

from patterns.core.network import isolated_subnets, new_vpc, select_subnets

if TYPE_CHECKING:
    from patterns.data_tier.dax.construct import DaxCache

__all__ = ["DAX_TLS_PORT", "cache_security_group", "cache_subnets", "cache_vpc"]

#: Port of the TLS-encrypted cluster endpoint (8111 is the unencrypted one, not used).
DAX_TLS_PORT = 9111


def cache_vpc(
    cache: DaxCache, vpc: ec2.IVpc | None, removal_policy: RemovalPolicy
) -> tuple[ec2.IVpc, logs.LogGroup | None]:
    """``vpc``, or a new VPC (``Vpc``) with isolated subnets in up to 3 AZs, a DynamoDB
    gateway endpoint and flow logs; with the flow log group of a created VPC."""
    if vpc is not None:
        return vpc, None
    return new_vpc(
        cache,
        "Vpc",
        subnet_configuration=isolated_subnets("Cache"),
        max_azs=3,
        gateway_endpoints={
            "DynamoDb": ec2.GatewayVpcEndpointOptions(
                service=ec2.GatewayVpcEndpointAwsService.DYNAMODB
            )
        },
        removal_policy=removal_policy,
    )


def cache_subnets(
    cache: DaxCache, vpc: ec2.IVpc, vpc_subnets: ec2.SubnetSelection | None
) -> list[ec2.ISubnet]:
    """The selected subnets, or the VPC's private (else isolated) ones.

    Raises:
        PatternValidationError: the selection (or the VPC) has no such subnet.
    """
    if vpc_subnets is not None:
        subnets = select_subnets(vpc, vpc_subnets).subnets
    else:
        subnets = list(vpc.private_subnets) or list(vpc.isolated_subnets)
    if not subnets:
        v = cache.validator()
        v.add("vpc", "has no private or isolated subnets for the cache; pass vpc_subnets")
        v.raise_if_invalid()
    return list(subnets)


def cache_security_group(cache: DaxCache, vpc: ec2.IVpc) -> ec2.SecurityGroup:
    """The cluster's security group (``SecurityGroup``): no ingress until ``allow_from``, no
    egress."""
    return ec2.SecurityGroup(
        cache,
        "SecurityGroup",
        vpc=vpc,
        description=f"DAX cluster {cache.node.path}: TLS port {DAX_TLS_PORT} from granted peers",
        allow_all_outbound=False,
    )
