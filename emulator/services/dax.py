"""Gap fillers for DynamoDB Accelerator (DAX) resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

import secrets
from typing import Any

from emulator.base import (
    Context,
    Created,
    Deleter,
    Handler,
    Props,
    accept_only,
    delete_nothing,
    is_true,
)


def _dax_cluster(ctx: Context, props: Props) -> Created:
    """The cluster in moto's DAX (control plane only: there is no DAX data plane)."""
    name = props.get("ClusterName") or ctx.generated_name[-20:].lower().strip("-")
    api: Props = {
        "ClusterName": name,
        "NodeType": props["NodeType"],
        "ReplicationFactor": int(props["ReplicationFactor"]),
        "IamRoleArn": props["IAMRoleARN"],
    }
    for cfn_key, api_key in (
        ("Description", "Description"),
        ("SubnetGroupName", "SubnetGroupName"),
        ("ParameterGroupName", "ParameterGroupName"),
        ("SecurityGroupIds", "SecurityGroupIds"),
        ("ClusterEndpointEncryptionType", "ClusterEndpointEncryptionType"),
        ("AvailabilityZones", "AvailabilityZones"),
        ("NotificationTopicARN", "NotificationTopicArn"),
        ("PreferredMaintenanceWindow", "PreferredMaintenanceWindow"),
    ):
        if props.get(cfn_key):
            api[api_key] = props[cfn_key]
    if props.get("SSESpecification"):
        api["SSESpecification"] = {"Enabled": is_true(props["SSESpecification"].get("SSEEnabled"))}
    cluster = ctx.client("dax").create_cluster(**api)["Cluster"]
    endpoint = cluster.get("ClusterDiscoveryEndpoint") or {}
    address = (
        endpoint.get("Address")
        or f"{name}.{secrets.token_hex(3)}.dax-clusters.{ctx.region}.amazonaws.com"
    )
    port = endpoint.get("Port") or 8111
    return Created(
        name,
        {
            "Arn": cluster["ClusterArn"],
            "ClusterDiscoveryEndpoint": f"{address}:{port}",
            "ClusterDiscoveryEndpointURL": endpoint.get("URL") or f"dax://{address}",
        },
    )


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::DAX::Cluster": _dax_cluster,
    # moto's DAX has no parameter or subnet group API: recorded, not modelled
    "AWS::DAX::ParameterGroup": accept_only(),
    "AWS::DAX::SubnetGroup": accept_only(),
}


def _delete_dax_cluster(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("dax").delete_cluster(ClusterName=physical_id)


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::DAX::Cluster": _delete_dax_cluster,
    "AWS::DAX::ParameterGroup": delete_nothing,  # recorded only
    "AWS::DAX::SubnetGroup": delete_nothing,  # recorded only
}
