"""The named queues of a :class:`~patterns.fan_out.TopicFanOut`: key, DLQ, queue, subscription.

Construct ids follow the queue name (``billing`` -> ``BillingKey``, ``BillingDlq``,
``BillingQueue``); they are part of the logical ids, so a renamed queue is a new queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs

from patterns.core.defaults import dead_letter_queue, encryption_key
from patterns.core.ids import pascal
from patterns.fan_out.options import QueueOptions
from patterns.fan_out.subscriptions import subscribe_queue

if TYPE_CHECKING:
    from patterns.fan_out.construct import TopicFanOut

__all__ = ["QueueSettings", "add_queue", "queue_name"]

#: The construct id of the one key of every queue (``shared_key=True``).
SHARED_KEY_ID = "QueueKey"


@dataclass(frozen=True)
class QueueSettings:
    """What every queue of one fan-out shares (the fan-out's props, checked)."""

    fifo: bool
    content_based_deduplication: bool
    high_throughput_fifo: bool
    encryption_key: kms.IKey | None
    shared_key: bool
    removal_policy: RemovalPolicy


def add_queue(
    fan_out: TopicFanOut, name: str, options: QueueOptions, settings: QueueSettings
) -> sqs.Queue:
    """Create the queue ``name`` with its key and DLQ, subscribe it to the topic and record
    them in the fan-out's ``queues``, ``dead_letter_queues`` and ``queue_keys``."""
    construct_id = pascal(name)
    key = _queue_key(fan_out, construct_id, name, settings)
    dlq = dead_letter_queue(
        fan_out,
        f"{construct_id}Dlq",
        encryption_key=key,
        fifo=settings.fifo,
        removal_policy=settings.removal_policy,
    )
    queue = sqs.Queue(
        fan_out,
        f"{construct_id}Queue",
        fifo=True if settings.fifo else None,
        content_based_deduplication=True if settings.content_based_deduplication else None,
        deduplication_scope=(
            sqs.DeduplicationScope.MESSAGE_GROUP if settings.high_throughput_fifo else None
        ),
        fifo_throughput_limit=(
            sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID if settings.high_throughput_fifo else None
        ),
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        visibility_timeout=options.visibility_timeout,
        retention_period=options.retention_period,
        max_message_size_bytes=options.max_message_size_bytes,
        delivery_delay=options.delivery_delay,
        receive_message_wait_time=options.receive_wait_time,
        dead_letter_queue=sqs.DeadLetterQueue(
            queue=dlq, max_receive_count=options.max_receive_count
        ),
        removal_policy=settings.removal_policy,
    )
    subscribe_queue(fan_out, name, queue, options)
    fan_out.queues[name] = queue
    fan_out.dead_letter_queues[name] = dlq
    fan_out.queue_keys[name] = key
    return queue


def _queue_key(
    fan_out: TopicFanOut, construct_id: str, name: str, settings: QueueSettings
) -> kms.IKey:
    """The given key, the one shared key (created for the first queue), or a key per queue."""
    if settings.encryption_key is not None:
        return settings.encryption_key
    if settings.shared_key:
        existing = fan_out.node.try_find_child(SHARED_KEY_ID)
        if isinstance(existing, kms.Key):
            return existing
        return encryption_key(
            fan_out,
            SHARED_KEY_ID,
            description=f"Encrypts the SQS queues and DLQs of {fan_out.node.path}",
            removal_policy=settings.removal_policy,
        )
    return encryption_key(
        fan_out,
        f"{construct_id}Key",
        description=f"Encrypts the {name} queue and its DLQ of {fan_out.node.path}",
        removal_policy=settings.removal_policy,
    )


def queue_name(fan_out: TopicFanOut, name: object) -> str:
    """``name`` if it names one of the fan-out's queues, else a PatternValidationError."""
    if not (isinstance(name, str) and name in fan_out.queues):
        v = fan_out.validator()
        v.add("name", f"must be one of the queues {', '.join(fan_out.queues)}, got {name!r}")
        v.raise_if_invalid()
    return cast(str, name)
