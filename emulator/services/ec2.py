"""Gap fillers for EC2 (security group rules) resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from emulator.base import Context, Created, Handler, Props


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
