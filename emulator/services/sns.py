"""Gap fillers for SNS resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, as_json, is_true


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


def _unsubscribe(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("sns").unsubscribe(SubscriptionArn=physical_id)


def _delete_topic_policy(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    """The topics get SNS's default policy back (the topic may be gone already)."""
    from moto.sns.models import sns_backends

    for topic_arn in props["Topics"]:
        topic = sns_backends[ctx.account_id][ctx.region].topics.get(topic_arn)
        if topic is not None:
            topic._policy_json = topic._create_default_topic_policy(
                ctx.region, ctx.account_id, topic.name
            )


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::SNS::Subscription": _unsubscribe,
    "AWS::SNS::TopicPolicy": _delete_topic_policy,
}
