"""The network of :class:`~patterns.web_tier.ScalableWebTier`: its VPC and the two security
groups, internet (or CloudFront) -> load balancer -> instances."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from patterns.core.nag import acknowledge
from patterns.core.network import new_vpc, public_and_private_subnets
from patterns.web_tier.props import WebTierProps

__all__ = ["create_security_groups", "create_vpc"]


def create_vpc(scope: Construct, p: WebTierProps) -> ec2.Vpc:
    """``Vpc``: ``max_azs`` AZs, public subnets for the load balancer, private ones (/22) for
    the instances, ``nat_gateways`` NAT gateways and flow logs (``removal_policy``)."""
    vpc, _ = new_vpc(
        scope,
        "Vpc",
        subnet_configuration=public_and_private_subnets(private_cidr_mask=22),
        max_azs=p.max_azs,
        nat_gateways=p.nat_gateways,
        removal_policy=p.removal_policy,
    )
    return vpc


def create_security_groups(
    scope: Construct, vpc: ec2.IVpc, p: WebTierProps
) -> dict[str, ec2.SecurityGroup]:
    """``load_balancer`` (clients in on the origin port - and port 80 when it redirects -, or
    only CloudFront's prefix list; out to the instances on ``app_port``) and ``instances``
    (``app_port`` from the load balancer only; HTTPS out for SSM and package repositories)."""
    path = scope.node.path
    lb_sg = ec2.SecurityGroup(
        scope,
        "LoadBalancerSecurityGroup",
        vpc=vpc,
        description=f"Load balancer of {path}: clients in, app port to instances",
        allow_all_outbound=False,
    )
    instance_sg = ec2.SecurityGroup(
        scope,
        "InstanceSecurityGroup",
        vpc=vpc,
        description=f"Instances of {path}: app port from the load balancer only",
        allow_all_outbound=False,
    )
    instance_sg.add_egress_rule(
        ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to SSM and package repositories"
    )
    instance_sg.add_ingress_rule(
        lb_sg, ec2.Port.tcp(p.app_port), "App port from the load balancer only"
    )
    lb_sg.add_egress_rule(
        instance_sg, ec2.Port.tcp(p.app_port), "App port and health checks to the instances"
    )
    if p.allow_from_cloudfront_only:
        assert p.cloudfront_prefix_list_id is not None
        lb_sg.add_ingress_rule(
            ec2.Peer.prefix_list(p.cloudfront_prefix_list_id),
            ec2.Port.tcp(p.origin_port),
            "CloudFront origin-facing servers only",
        )
    else:
        _open_to_the_internet(lb_sg, p)
    return {"load_balancer": lb_sg, "instances": instance_sg}


def _open_to_the_internet(lb_sg: ec2.SecurityGroup, p: WebTierProps) -> None:
    ports = [p.origin_port] + ([80] if p.redirects_http else [])
    for port in ports:
        lb_sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(port), f"Clients on port {port}")
    acknowledge(
        lb_sg,
        "AwsSolutions::AwsSolutions-EC23",
        "This is the internet-facing load balancer of a public web tier; it must accept "
        "clients from any address. Instances accept only this security group.",
    )
