"""Gap fillers for Application Auto Scaling resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from emulator.base import Context, Created, Handler, Props, cfn_numbers


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


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::ApplicationAutoScaling::ScalableTarget": _scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _scaling_policy,
}
