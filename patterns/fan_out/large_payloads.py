"""``TopicFanOut(large_payloads=True)``: the payload bucket for bodies above the SNS limit.

Publishers store bodies above 256 KiB in a :class:`~patterns.large_payload.PayloadBucket` and
publish a pointer (:func:`~patterns.large_payload.publish_large_message`); every subscribed
queue receives the pointer to the same object. The objects expire once no queue - nor its
DLQ - can still hold a pointer to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy

from patterns.fan_out.options import QueueOptions
from patterns.fan_out.validate import MAX_RETENTION
from patterns.large_payload import PayloadBucket, payload_expiration

if TYPE_CHECKING:
    from patterns.fan_out.construct import TopicFanOut

__all__ = ["add_payload_bucket"]


def add_payload_bucket(
    fan_out: TopicFanOut,
    queues: Mapping[str, QueueOptions],
    *,
    fifo: bool,
    removal_policy: RemovalPolicy,
) -> PayloadBucket:
    """``Payloads``: objects outlive every pointer that can still be queued (a retention from
    a parameter counts as the SQS maximum, 14 days)."""
    retentions = [
        MAX_RETENTION.to_days()
        if o.retention_period.is_unresolved()
        else o.retention_period.to_seconds() / 86_400
        for o in queues.values()
    ]
    days = payload_expiration(retentions, fifo=fifo)
    return PayloadBucket(
        fan_out, "Payloads", expiration=Duration.days(days), removal_policy=removal_policy
    )
