"""Gap fillers for EMR resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import (
    Context,
    Created,
    Deleter,
    Handler,
    Props,
    cfn_numbers,
    delete_nothing,
    is_true,
)


def _emr_cluster(ctx: Context, props: Props) -> Created:
    """``RunJobFlow`` with the template's properties (moto's own handler drops the
    applications, instance groups, security configuration and scaling policies)."""
    instances = dict(props["Instances"])
    groups = []
    for key, role in (("MasterInstanceGroup", "MASTER"), ("CoreInstanceGroup", "CORE")):
        if key in instances:
            groups.append({**instances.pop(key), "InstanceRole": role})
    groups.extend({**g, "InstanceRole": "TASK"} for g in instances.pop("TaskInstanceGroups", []))
    if groups:
        instances["InstanceGroups"] = [
            {k: v for k, v in g.items() if k != "EbsConfiguration"} for g in groups
        ]
    if any(key in instances for key in ("MasterInstanceFleet", "CoreInstanceFleet")):
        raise ValueError("instance fleets are not emulated")
    for flag in ("KeepJobFlowAliveWhenNoSteps", "TerminationProtected"):
        if flag in instances:
            instances[flag] = is_true(instances[flag])
    api: Props = {"Instances": cfn_numbers(instances)}
    for key in (
        "Name",
        "ReleaseLabel",
        "LogUri",
        "Applications",
        "Configurations",
        "JobFlowRole",
        "ServiceRole",
        "SecurityConfiguration",
        "ScaleDownBehavior",
        "ManagedScalingPolicy",
        "AutoTerminationPolicy",
        "StepConcurrencyLevel",
        "Tags",
        "VisibleToAllUsers",
    ):
        if key in props:
            api[key] = props[key]
    api = cfn_numbers(api)
    if "VisibleToAllUsers" in api:
        api["VisibleToAllUsers"] = is_true(api["VisibleToAllUsers"])
    emr = ctx.client("emr")
    cluster_id = emr.run_job_flow(**api)["JobFlowId"]
    cluster = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]
    return Created(
        cluster_id,
        {
            "Id": cluster_id,
            "Arn": cluster["ClusterArn"],
            "MasterPublicDNS": cluster.get("MasterPublicDnsName", ""),
        },
    )


def _emr_step(ctx: Context, props: Props) -> Created:
    step = {k: props[k] for k in ("Name", "ActionOnFailure", "HadoopJarStep")}
    (step_id,) = ctx.client("emr").add_job_flow_steps(JobFlowId=props["JobFlowId"], Steps=[step])[
        "StepIds"
    ]
    return Created(step_id, {"Id": step_id})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::EMR::Cluster": _emr_cluster,
    "AWS::EMR::Step": _emr_step,
}


def _terminate(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("emr").terminate_job_flows(JobFlowIds=[physical_id])


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::EMR::Cluster": _terminate,
    "AWS::EMR::Step": delete_nothing,  # goes with its cluster
}
