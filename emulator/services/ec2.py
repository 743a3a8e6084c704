"""Gap fillers for EC2 (security group rules) resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props


def _permission(props: Props, direction: str) -> Props:
    """One IpPermission of ``AWS::EC2::SecurityGroupIngress``/``Egress`` properties."""
    peer = "Source" if direction == "ingress" else "Destination"
    permission: Props = {"IpProtocol": str(props["IpProtocol"])}
    for key in ("FromPort", "ToPort"):
        if key in props:
            permission[key] = int(props[key])
    extra = _description(props)
    if props.get("CidrIp"):
        permission["IpRanges"] = [{"CidrIp": props["CidrIp"], **extra}]
    if props.get("CidrIpv6"):
        permission["Ipv6Ranges"] = [{"CidrIpv6": props["CidrIpv6"], **extra}]
    if props.get(f"{peer}SecurityGroupId"):
        permission["UserIdGroupPairs"] = [{"GroupId": props[f"{peer}SecurityGroupId"], **extra}]
    if props.get(f"{peer}PrefixListId"):
        permission["PrefixListIds"] = [{"PrefixListId": props[f"{peer}PrefixListId"], **extra}]
    return permission


def _security_group_ingress(ctx: Context, props: Props) -> Created:
    """Replaces moto's handler, which rejects a prefix-list source (CloudFront origin-facing)."""
    ctx.client("ec2").authorize_security_group_ingress(
        GroupId=props["GroupId"], IpPermissions=[_permission(props, "ingress")]
    )
    return Created(f"{props['GroupId']}-ingress-{ctx.logical_id}")


def _security_group_egress(ctx: Context, props: Props) -> Created:
    ctx.client("ec2").authorize_security_group_egress(
        GroupId=props["GroupId"], IpPermissions=[_permission(props, "egress")]
    )
    return Created(f"{props['GroupId']}-egress-{ctx.logical_id}")


def _description(props: Props) -> Props:
    return {"Description": props["Description"]} if props.get("Description") else {}


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::EC2::SecurityGroupIngress": _security_group_ingress,
    "AWS::EC2::SecurityGroupEgress": _security_group_egress,
}


def _revoke(direction: str) -> Deleter:
    def delete(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
        ec2 = ctx.client("ec2")
        revoke = getattr(ec2, f"revoke_security_group_{direction}")
        try:
            revoke(GroupId=props["GroupId"], IpPermissions=[_permission(props, direction)])
        except ec2.exceptions.ClientError as gone:  # the group went first
            if "NotFound" not in str(gone):
                raise

    return delete


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::EC2::SecurityGroupIngress": _revoke("ingress"),
    "AWS::EC2::SecurityGroupEgress": _revoke("egress"),
}


# -- types moto's CloudFormation creates but never deletes (its models have no delete) ---------
def _delete_route_table(ctx: Context, physical_id: str) -> None:
    ec2 = ctx.client("ec2")
    (table,) = ec2.describe_route_tables(RouteTableIds=[physical_id])["RouteTables"]
    for association in table.get("Associations", []):
        if not association.get("Main"):
            ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
    ec2.delete_route_table(RouteTableId=physical_id)


def _delete_internet_gateway(ctx: Context, physical_id: str) -> None:
    ec2 = ctx.client("ec2")
    (gateway,) = ec2.describe_internet_gateways(InternetGatewayIds=[physical_id])[
        "InternetGateways"
    ]
    for attachment in gateway.get("Attachments", []):
        ec2.detach_internet_gateway(InternetGatewayId=physical_id, VpcId=attachment["VpcId"])
    ec2.delete_internet_gateway(InternetGatewayId=physical_id)


def _release_address(ctx: Context, physical_id: str) -> None:
    ec2 = ctx.client("ec2")
    for address in ec2.describe_addresses()["Addresses"]:
        if physical_id in (address.get("PublicIp"), address.get("AllocationId")):
            if any(
                g["State"] not in ("deleted", "deleting")
                for g in ec2.describe_nat_gateways()["NatGateways"]
                for a in g.get("NatGatewayAddresses", [])
                if a.get("AllocationId") == address.get("AllocationId")
            ):
                raise RuntimeError(f"{physical_id} is still used by a NAT gateway")
            ec2.release_address(AllocationId=address["AllocationId"])


def _delete_vpc_endpoint(ctx: Context, physical_id: str) -> None:
    """``DeleteVpcEndpoints``; moto refuses it once a route table of a gateway endpoint is gone
    (CloudFormation deletes the endpoint first), so then the endpoint leaves moto's backend."""
    from moto.ec2.models import ec2_backends

    try:
        ctx.client("ec2").delete_vpc_endpoints(VpcEndpointIds=[physical_id])
    except Exception as error:
        if "does not exist" not in str(error):
            raise
        ec2_backends[ctx.account_id][ctx.region].vpc_end_points.pop(physical_id, None)


def _part_of_parent(ctx: Context, physical_id: str) -> None:
    """A route (association, gateway attachment) goes with its route table (gateway)."""


def _unless_gone(delete: Callable[[Context, str], None]) -> Callable[[Context, str], None]:
    """A resource CloudFormation already removed with another (moto) counts as deleted."""

    def tolerant(ctx: Context, physical_id: str) -> None:
        try:
            delete(ctx, physical_id)
        except Exception as error:
            if "does not exist" not in str(error) and "NotFound" not in str(error):
                raise

    return tolerant


#: Type -> deleter by physical id, for the types moto creates and does not delete.
MOTO_DELETERS: dict[str, Callable[[Context, str], None]] = {
    "AWS::EC2::RouteTable": _unless_gone(_delete_route_table),
    "AWS::EC2::Route": _part_of_parent,
    "AWS::EC2::SubnetRouteTableAssociation": _part_of_parent,
    "AWS::EC2::VPCGatewayAttachment": _part_of_parent,
    "AWS::EC2::InternetGateway": _unless_gone(_delete_internet_gateway),
    "AWS::EC2::NatGateway": lambda ctx, p: ctx.client("ec2").delete_nat_gateway(NatGatewayId=p),
    "AWS::EC2::EIP": _release_address,
    "AWS::EC2::FlowLog": lambda ctx, p: ctx.client("ec2").delete_flow_logs(FlowLogIds=[p]),
    "AWS::EC2::VPCEndpoint": lambda ctx, p: _delete_vpc_endpoint(ctx, p),
    "AWS::EC2::LaunchTemplate": lambda ctx, p: ctx.client("ec2").delete_launch_template(
        LaunchTemplateId=p
    ),
}
