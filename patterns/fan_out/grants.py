"""The grants of a :class:`~patterns.fan_out.TopicFanOut`: publish to the topic, consume a queue.

With ``large_payloads`` each grant also covers the payload bucket: publishers store bodies,
consumers read them.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, cast

from aws_cdk import aws_iam as iam

from patterns.fan_out.queues import queue_name

if TYPE_CHECKING:
    from patterns.fan_out.construct import TopicFanOut

__all__ = ["consume_arguments", "grant_consume", "grant_publish"]

#: SSE-KMS publishing calls exactly these. (``Topic.grant_publish`` would add
#: ``kms:GenerateDataKey*``, a wildcard action that cdk-nag IAM5 flags on every publisher.)
PUBLISH_KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")

OLD_ORDER_WARNING = (
    "TopicFanOut.grant_consume(name, grantee) is deprecated: pass the grantee first, "
    "grant_consume(grantee, name). The old order will stop working in the next minor version."
)


def grant_publish(fan_out: TopicFanOut, grantee: iam.IGrantable) -> iam.Grant:
    """``sns:Publish`` on the topic, use of the topic's key (when known), and storing
    payloads."""
    if fan_out.topic_key is not None:
        fan_out.topic_key.grant(grantee, *PUBLISH_KEY_ACTIONS)
    if fan_out.payload_bucket is not None:
        fan_out.payload_bucket.grant_produce(grantee)
    return iam.Grant.add_to_principal_or_resource(
        grantee=grantee,
        actions=["sns:Publish"],
        resource_arns=[fan_out.topic.topic_arn],
        resource=fan_out.topic,
    )


def grant_consume(fan_out: TopicFanOut, grantee: iam.IGrantable, name: object) -> iam.Grant:
    """Receive, delete and decrypt on the queue ``name``; read (never delete) payloads."""
    queue = fan_out.queues[queue_name(fan_out, name)]
    if fan_out.payload_bucket is not None:
        fan_out.payload_bucket.grant_consume(grantee, delete=False)
    return queue.grant_consume_messages(grantee)


def consume_arguments(
    grantee: iam.IGrantable | str, name: str | iam.IGrantable
) -> tuple[iam.IGrantable, object]:
    """``(grantee, name)`` of a ``grant_consume`` call in either order.

    A string first is the order of 0.1 (``grant_consume(name, grantee)``): it still works,
    with a :class:`DeprecationWarning`, for one minor version. ``stacklevel`` points the
    warning at the caller of ``TopicFanOut.grant_consume``.
    """
    if isinstance(grantee, str):
        warnings.warn(OLD_ORDER_WARNING, DeprecationWarning, stacklevel=3)
        return cast(iam.IGrantable, name), grantee
    return grantee, name
