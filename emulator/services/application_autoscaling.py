"""Gap fillers for Application Auto Scaling resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, cfn_numbers


def _scalable_target(ctx: Context, props: Props) -> Created:
    api: Props = {
        "ServiceNamespace": props["ServiceNamespace"],
        "ResourceId": props["ResourceId"],
        "ScalableDimension": props["ScalableDimension"],
        "MinCapacity": int(props["MinCapacity"]),
        "MaxCapacity": int(props["MaxCapacity"]),
    }
    if props.get("RoleARN"):
        api["RoleARN"] = props["RoleARN"]
    if props.get("SuspendedState"):
        api["SuspendedState"] = props["SuspendedState"]
    autoscaling = ctx.client("application-autoscaling")
    autoscaling.register_scalable_target(**api)
    for action in props.get("ScheduledActions") or []:
        autoscaling.put_scheduled_action(
            ServiceNamespace=api["ServiceNamespace"],
            ResourceId=api["ResourceId"],
            ScalableDimension=api["ScalableDimension"],
            **action,
        )
    physical_id = "|".join((api["ResourceId"], api["ScalableDimension"], api["ServiceNamespace"]))
    return Created(physical_id, {"Id": physical_id})


def _scaling_policy(ctx: Context, props: Props) -> Created:
    if props.get("ScalingTargetId"):
        resource_id, dimension, namespace = props["ScalingTargetId"].split("|")
    else:
        resource_id = props["ResourceId"]
        dimension = props["ScalableDimension"]
        namespace = props["ServiceNamespace"]
    api: Props = {
        "PolicyName": props["PolicyName"],
        "PolicyType": props["PolicyType"],
        "ResourceId": resource_id,
        "ScalableDimension": dimension,
        "ServiceNamespace": namespace,
    }
    for key in (
        "TargetTrackingScalingPolicyConfiguration",
        "StepScalingPolicyConfiguration",
        "PredictiveScalingPolicyConfiguration",
    ):
        if props.get(key):
            api[key] = cfn_numbers(props[key])
    arn = ctx.client("application-autoscaling").put_scaling_policy(**api)["PolicyARN"]
    return Created(arn, {"Arn": arn})


def _delete_scalable_target(
    ctx: Context, physical_id: str, props: Props, _: dict[str, Any]
) -> None:
    """``DeregisterScalableTarget``, which also deletes its scheduled actions and policies."""
    resource_id, dimension, namespace = physical_id.split("|")
    autoscaling = ctx.client("application-autoscaling")
    key = {"ServiceNamespace": namespace, "ResourceId": resource_id, "ScalableDimension": dimension}
    for action in autoscaling.describe_scheduled_actions(
        ServiceNamespace=namespace, ResourceId=resource_id, ScalableDimension=dimension
    )["ScheduledActions"]:
        autoscaling.delete_scheduled_action(
            ScheduledActionName=action["ScheduledActionName"], **key
        )
    autoscaling.deregister_scalable_target(**key)


def _delete_scaling_policy(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    autoscaling = ctx.client("application-autoscaling")
    for policy in autoscaling.describe_scaling_policies(ServiceNamespace=_namespace(props))[
        "ScalingPolicies"
    ]:
        if policy["PolicyARN"] == physical_id:
            autoscaling.delete_scaling_policy(
                PolicyName=policy["PolicyName"],
                ServiceNamespace=policy["ServiceNamespace"],
                ResourceId=policy["ResourceId"],
                ScalableDimension=policy["ScalableDimension"],
            )


def _namespace(props: Props) -> str:
    if props.get("ScalingTargetId"):
        return str(props["ScalingTargetId"].split("|")[2])
    return str(props["ServiceNamespace"])


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::ApplicationAutoScaling::ScalableTarget": _delete_scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _delete_scaling_policy,
}

#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::ApplicationAutoScaling::ScalableTarget": _scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _scaling_policy,
}
