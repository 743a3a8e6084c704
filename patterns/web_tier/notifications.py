"""The scaling notifications of :class:`~patterns.web_tier.ScalableWebTier`: launch, terminate
and their errors, to ``notification_topic``, ``alarm_topic`` or a topic created here.

Auto Scaling publishes them with its service-linked role ``AWSServiceRoleForAutoScaling``. A
topic encrypted with a KMS key receives nothing unless the key policy lets that role encrypt -
Auto Scaling drops the notification silently - so every key of this app behind the topic gets
the statement (:func:`allow_auto_scaling_to_use`).
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.defaults import encryption_key
from patterns.web_tier.props import WebTierProps

__all__ = ["AUTO_SCALING_ROLE", "allow_auto_scaling_to_use", "notification_topic"]

#: The path and name of the service-linked role Auto Scaling publishes notifications with.
AUTO_SCALING_ROLE = "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
#: Marks a key that already carries the statement (one statement per key of this app).
_MARKER = "AllowsAutoScalingNotifications"


def notification_topic(scope: Construct, p: WebTierProps) -> sns.ITopic:
    """``notification_topic``, else ``alarm_topic``, else a new ``NotificationTopic`` (TLS
    only, encrypted with a new ``NotificationKey``); its key lets Auto Scaling publish."""
    topic = p.notification_topic or p.alarm_topic
    if topic is None:
        key = encryption_key(
            scope,
            "NotificationKey",
            description=f"Encrypts the scaling notifications of {scope.node.path}",
            removal_policy=p.removal_policy,
        )
        topic = sns.Topic(scope, "NotificationTopic", master_key=key, enforce_ssl=True)
    if isinstance(topic.master_key, kms.Key):
        allow_auto_scaling_to_use(topic.master_key)
    return topic


def allow_auto_scaling_to_use(key: kms.Key) -> None:
    """Key policy: Auto Scaling's service-linked role of this account may encrypt notifications
    with ``key`` through SNS (``kms:GenerateDataKey*``, ``kms:Decrypt``), once per key.

    The role is named by a condition on ``aws:PrincipalArn``, not as the principal: a key
    policy naming a role that does not exist yet is rejected, and Auto Scaling creates its
    service-linked role only with the account's first group - after this key.
    """
    if key.node.try_find_child(_MARKER) is not None:
        return
    Construct(key, _MARKER)
    stack = Stack.of(key)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowAutoScalingNotifications",
            principals=[iam.AnyPrincipal()],
            actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            resources=["*"],
            conditions={
                "StringEquals": {
                    "aws:PrincipalArn": (
                        f"arn:{stack.partition}:iam::{stack.account}:role/{AUTO_SCALING_ROLE}"
                    ),
                    "kms:ViaService": f"sns.{stack.region}.amazonaws.com",
                }
            },
        )
    )
