"""Gap fillers for SNS resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from emulator.base import Context, Created, Handler, Props, as_json, is_true


def _sns_subscription(ctx: Context, props: Props) -> Created:
    """A real subscription: moto's SNS then delivers to SQS (raw or enveloped), filtered."""
    attributes: dict[str, str] = {}
    # FilterPolicyScope first: moto validates the filter policy against the scope.
    for name in ("FilterPolicyScope", "FilterPolicy", "RedrivePolicy", "DeliveryPolicy"):
        if props.get(name):
            attributes[name] = as_json(props[name])
    if is_true(props.get("RawMessageDelivery")):
        attributes["RawMessageDelivery"] = "true"
    if props.get("SubscriptionRoleArn"):
        attributes["SubscriptionRoleArn"] = props["SubscriptionRoleArn"]
    arn = ctx.client("sns").subscribe(
        TopicArn=props["TopicArn"],
        Protocol=props["Protocol"],
        Endpoint=props["Endpoint"],
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return Created(arn, {"Arn": arn})


def _sns_topic_policy(ctx: Context, props: Props) -> Created:
    for topic_arn in props["Topics"]:
        ctx.client("sns").set_topic_attributes(
            TopicArn=topic_arn,
            AttributeName="Policy",
            AttributeValue=as_json(props["PolicyDocument"]),
        )
    return Created(ctx.generated_name, {"Id": ctx.generated_name})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::SNS::Subscription": _sns_subscription,
    "AWS::SNS::TopicPolicy": _sns_topic_policy,
}
