"""Gap fillers for Elastic Load Balancing v2 resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, with_attributes


def _elbv2_load_balancer(ctx: Context, props: Props) -> Created:
    """moto's load balancer of the template's ``Type`` (moto's handler makes every one an
    application load balancer) with the attributes CloudWatch dimensions need."""
    from moto.elbv2.models import elbv2_backends

    name = props.get("Name") or ctx.generated_name
    balancer = elbv2_backends[ctx.account_id][ctx.region].create_load_balancer(
        name,
        props.get("SecurityGroups") or [],
        props.get("Subnets") or [],
        subnet_mappings=props.get("SubnetMappings"),
        scheme=props.get("Scheme", "internet-facing"),
        loadbalancer_type=props.get("Type", "application"),
        ip_address_type=props.get("IpAddressType", "ipv4"),
        tags=props.get("Tags"),
    )
    if props.get("LoadBalancerAttributes"):
        ctx.client("elbv2").modify_load_balancer_attributes(
            LoadBalancerArn=balancer.arn,
            Attributes=[
                {"Key": a["Key"], "Value": str(a["Value"]).lower()}
                for a in props["LoadBalancerAttributes"]
            ],
        )
    arn = balancer.arn
    return Created(
        arn,
        {
            "LoadBalancerArn": arn,
            "LoadBalancerName": balancer.name,
            "LoadBalancerFullName": arn.split(":loadbalancer/", 1)[1],
            "DNSName": balancer.dns_name,
            "CanonicalHostedZoneID": "Z35SXDOTRQ7X7K",
            "SecurityGroups": props.get("SecurityGroups") or [],
        },
    )


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _elbv2_load_balancer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": with_attributes(
        lambda tg: {
            "TargetGroupArn": tg.arn,
            "TargetGroupName": tg.name,
            "TargetGroupFullName": tg.arn.split(":", 5)[5],
            "LoadBalancerArns": list(tg.load_balancer_arns),
        }
    ),
}


def _delete_load_balancer(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("elbv2").delete_load_balancer(LoadBalancerArn=physical_id)


def _delete_target_group(
    ctx: Context, physical_id: str, props: Props, attributes: dict[str, Any]
) -> None:
    ctx.client("elbv2").delete_target_group(TargetGroupArn=attributes["TargetGroupArn"])


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _delete_load_balancer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": _delete_target_group,
}
