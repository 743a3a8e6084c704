"""Gap fillers for EC2 Auto Scaling resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, cfn_numbers, is_true


def _autoscaling_scaling_policy(ctx: Context, props: Props) -> Created:
    """``PutScalingPolicy`` of EC2 Auto Scaling (policy only: moto runs no scaling)."""
    name = props.get("PolicyName") or ctx.generated_name[:255]
    api = cfn_numbers({k: v for k, v in props.items() if k != "PolicyName"})
    for key in ("Cooldown", "EstimatedInstanceWarmup"):
        if key in api:
            api[key] = int(api[key])
    if "Enabled" in api:
        api["Enabled"] = is_true(api["Enabled"])
    if (
        "TargetTrackingConfiguration" in api
        and "DisableScaleIn" in api["TargetTrackingConfiguration"]
    ):
        tt = api["TargetTrackingConfiguration"]
        tt["DisableScaleIn"] = is_true(tt["DisableScaleIn"])
    if "TargetTrackingConfiguration" in api:
        api["TargetTrackingConfiguration"]["TargetValue"] = float(
            api["TargetTrackingConfiguration"]["TargetValue"]
        )
    autoscaling = ctx.client("autoscaling")
    autoscaling.put_scaling_policy(PolicyName=name, **api)
    (policy,) = autoscaling.describe_policies(
        AutoScalingGroupName=props["AutoScalingGroupName"], PolicyNames=[name]
    )["ScalingPolicies"]
    return Created(policy["PolicyARN"], {"Arn": policy["PolicyARN"], "PolicyName": name})


def _delete_scaling_policy(
    ctx: Context, physical_id: str, props: Props, attributes: dict[str, Any]
) -> None:
    ctx.client("autoscaling").delete_policy(
        AutoScalingGroupName=props["AutoScalingGroupName"], PolicyName=attributes["PolicyName"]
    )


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {"AWS::AutoScaling::ScalingPolicy": _delete_scaling_policy}

#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::AutoScaling::ScalingPolicy": _autoscaling_scaling_policy,
}
