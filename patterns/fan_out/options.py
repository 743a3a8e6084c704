"""The option type of :class:`~patterns.fan_out.TopicFanOut`: :class:`QueueOptions`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_sns as sns

from patterns.core.deferred import deferred

__all__ = ["QueueOptions"]


_DEFAULT_VISIBILITY_TIMEOUT = deferred(Duration, "seconds", 30)
_DEFAULT_RETENTION_PERIOD = deferred(Duration, "days", 4)
_DEFAULT_DELIVERY_DELAY = deferred(Duration, "seconds", 0)
_DEFAULT_RECEIVE_WAIT_TIME = deferred(Duration, "seconds", 20)


@dataclass(frozen=True)
class QueueOptions:
    """One subscribed queue of a :class:`TopicFanOut`. Every field is optional.

    Attributes:
        visibility_timeout: how long a received message stays hidden. Default 30 s
            (0 s..12 h). At least 6x ``consumer_timeout`` when that is given.
        retention_period: how long an unprocessed message is kept. Default 4 days
            (60 s..14 days).
        max_receive_count: receives before a message moves to the queue's DLQ. Default 5
            (1..1,000).
        filter_policy: SNS filter on message attributes; non-matching messages are not
            delivered to this queue. Default: every message.
        filter_policy_with_message_body: SNS filter on the (JSON) message body instead.
            Default: none. Cannot be combined with ``filter_policy``.
        raw_message_delivery: deliver the message body as published instead of the SNS JSON
            envelope. Default False (enveloped).
        max_message_size_bytes: largest message the queue accepts. Default 262,144 (256 KiB,
            the largest SNS message); 1,024..1,048,576.
        delivery_delay: delay before a new message becomes visible. Default 0 (0..15 min);
            at least ``retention_period`` is an error (every message would expire unseen).
        receive_wait_time: long-polling wait of ReceiveMessage. Default 20 s (0..20 s), which
            cuts empty receives and cost.
        consumer_timeout: the timeout of the consumer (e.g. a Lambda function). Default: not
            known, no check.
        age_alarm_threshold: alarm when the oldest message is older than this. Default: half of
            ``retention_period``, so the alarm fires well before messages expire unprocessed.
    """

    visibility_timeout: Duration = _DEFAULT_VISIBILITY_TIMEOUT
    retention_period: Duration = _DEFAULT_RETENTION_PERIOD
    max_receive_count: int = 5
    filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None
    filter_policy_with_message_body: Mapping[str, sns.FilterOrPolicy] | None = None
    raw_message_delivery: bool = False
    max_message_size_bytes: int = 262_144
    delivery_delay: Duration = _DEFAULT_DELIVERY_DELAY
    receive_wait_time: Duration = _DEFAULT_RECEIVE_WAIT_TIME
    consumer_timeout: Duration | None = None
    age_alarm_threshold: Duration | None = None
