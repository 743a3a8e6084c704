"""The prop rules of :class:`~patterns.fan_out.TopicFanOut`, one function per prop group.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once. The subscriber checks of the ``subscribe_*``
methods are in :mod:`patterns.fan_out.subscriptions`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

from patterns.core.deferred import deferred
from patterns.core.ids import pascal
from patterns.core.validation import Validator, format_duration, is_concrete_duration
from patterns.fan_out.options import QueueOptions

__all__ = [
    "CONSUMER_TIMEOUT_FACTOR",
    "MAX_DELIVERY_DELAY",
    "MAX_DISPLAY_NAME",
    "MAX_FILTER_COMBINATIONS",
    "MAX_FILTER_KEYS",
    "MAX_MESSAGE_BYTES",
    "MAX_RECEIVE_COUNT",
    "MAX_RECEIVE_WAIT",
    "MAX_RETENTION",
    "MAX_VISIBILITY_TIMEOUT",
    "MIN_MESSAGE_BYTES",
    "MIN_RETENTION",
    "QUEUE_NAME",
    "fifo_options",
    "key_choice",
    "queue_name_ok",
    "queues",
    "topic_names",
]

#: Queue (and subscriber) names: they name the constructs, so they must make a clean id.
QUEUE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")

#: SQS bounds (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html)
MAX_VISIBILITY_TIMEOUT = deferred(Duration, "hours", 12)
MIN_RETENTION = deferred(Duration, "seconds", 60)
MAX_RETENTION = deferred(Duration, "days", 14)
MAX_DELIVERY_DELAY = deferred(Duration, "minutes", 15)
MAX_RECEIVE_WAIT = deferred(Duration, "seconds", 20)
MIN_MESSAGE_BYTES = 1_024
MAX_MESSAGE_BYTES = 1_048_576
MAX_RECEIVE_COUNT = 1_000
#: SNS bounds: a display name of at most 100 characters (CreateTopic ``DisplayName``); a filter
#: policy of at most 5 attribute names and 150 combinations of values (Amazon SNS developer
#: guide, "Filter policy constraints"; aws-cdk-lib enforces both with an opaque error).
MAX_DISPLAY_NAME = 100
MAX_FILTER_KEYS = 5
MAX_FILTER_COMBINATIONS = 150
#: AWS's advice for a queue that triggers a function: visibility >= 6x the consumer timeout.
CONSUMER_TIMEOUT_FACTOR = 6

#: The QueueOptions durations SQS takes in whole seconds: (field, minimum, maximum).
_QUEUE_DURATIONS = (
    ("visibility_timeout", deferred(Duration, "seconds", 0), MAX_VISIBILITY_TIMEOUT),
    ("retention_period", MIN_RETENTION, MAX_RETENTION),
    ("delivery_delay", deferred(Duration, "seconds", 0), MAX_DELIVERY_DELAY),
    ("receive_wait_time", deferred(Duration, "seconds", 0), MAX_RECEIVE_WAIT),
)


def queues(v: Validator, value: Mapping[str, QueueOptions] | None, *, existing: int = 0) -> None:
    """At least one queue (with the ``existing`` queues); names that make distinct construct
    ids; valid options for each (``None``: checked with the existing queues)."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        v.add(
            "queues",
            f"must be a mapping of queue name to QueueOptions, got {type(value).__name__}",
        )
        return
    v.require(len(value) + existing >= 1, "queues", "must name at least one queue, got none")
    seen: dict[str, str] = {}
    for name, options in value.items():
        prop = f'queues["{name}"]'
        if not queue_name_ok(v, "queues", name):
            continue
        construct_id = pascal(name)
        if construct_id in seen:
            v.add(
                "queues",
                f"names {seen[construct_id]!r} and {name!r} map to the same id {construct_id}",
            )
        seen[construct_id] = name
        if not isinstance(options, QueueOptions):
            v.add(prop, f"must be a QueueOptions, got {type(options).__name__}")
            continue
        queue_options(v, prop, options)


def queue_name_ok(v: Validator, prop: str, name: object) -> bool:
    """A queue name that makes a clean construct id; else a problem of ``prop``."""
    if isinstance(name, str) and QUEUE_NAME.match(name):
        return True
    v.add(
        prop,
        f"name must be 1-40 letters, digits, '-' or '_' starting with a letter, got {name!r}",
    )
    return False


def queue_options(v: Validator, prop: str, o: QueueOptions) -> None:
    """The options of the queue ``prop`` (``queues["billing"]``)."""
    for field, minimum, maximum in _QUEUE_DURATIONS:
        v.duration_in_range(
            f"{prop}.{field}", getattr(o, field), minimum=minimum, maximum=maximum, whole="seconds"
        )
    v.number_in_range(
        f"{prop}.max_receive_count",
        o.max_receive_count,
        minimum=1,
        maximum=MAX_RECEIVE_COUNT,
        integer=True,
    )
    v.number_in_range(
        f"{prop}.max_message_size_bytes",
        o.max_message_size_bytes,
        minimum=MIN_MESSAGE_BYTES,
        maximum=MAX_MESSAGE_BYTES,
        unit="bytes",
        integer=True,
    )
    v.boolean(f"{prop}.raw_message_delivery", o.raw_message_delivery)
    _filter_policies(v, prop, o)
    _consumer_timeout(v, prop, o)
    _age_alarm_threshold(v, prop, o)
    _delivery_delay(v, prop, o)


def _delivery_delay(v: Validator, prop: str, o: QueueOptions) -> None:
    """Shorter than the retention period: SQS counts a message's retention from when it was
    sent, so a delay as long as the retention expires every message before any consumer can
    see it (an error)."""
    delay, retention = o.delivery_delay, o.retention_period
    if not (is_concrete_duration(delay) and is_concrete_duration(retention)):
        return
    if delay.to_seconds(integral=False) >= retention.to_seconds(integral=False):
        v.add(
            f"{prop}.delivery_delay",
            f"must be shorter than retention_period ({format_duration(retention)}), or every "
            f"message expires before it becomes visible, got {format_duration(delay)}",
        )


def _filter_policies(v: Validator, prop: str, o: QueueOptions) -> None:
    """An attribute filter or a body filter (not both), each within the SNS limits."""
    _filter_policy(v, f"{prop}.filter_policy", o.filter_policy)
    body_policy = o.filter_policy_with_message_body
    if body_policy is not None and not isinstance(body_policy, Mapping):
        v.add(
            f"{prop}.filter_policy_with_message_body",
            "must be a mapping of attribute name to sns.FilterOrPolicy, got "
            f"{type(body_policy).__name__}",
        )
    if o.filter_policy is not None and body_policy is not None:
        v.add(
            f"{prop}.filter_policy",
            "cannot be combined with filter_policy_with_message_body (SNS applies one scope)",
        )


def _filter_policy(
    v: Validator, prop: str, policy: Mapping[str, sns.SubscriptionFilter] | None
) -> None:
    """At most 5 attribute names and 150 combinations of values (SNS)."""
    if policy is None:
        return
    if not isinstance(policy, Mapping):
        v.add(
            prop,
            "must be a mapping of attribute name to sns.SubscriptionFilter, got "
            f"{type(policy).__name__}",
        )
        return
    if len(policy) > MAX_FILTER_KEYS:
        v.add(
            prop,
            f"must have at most {MAX_FILTER_KEYS} attribute names (SNS), got {len(policy)}",
        )
    if not all(isinstance(f, sns.SubscriptionFilter) for f in policy.values()):
        v.add(prop, "values must be sns.SubscriptionFilter")
        return
    combinations = math.prod(max(len(f.conditions), 1) for f in policy.values())
    if combinations > MAX_FILTER_COMBINATIONS:
        v.add(
            prop,
            f"must have at most {MAX_FILTER_COMBINATIONS} combinations of values (SNS: the "
            f"product of each attribute's number of values), got {combinations}",
        )


def _consumer_timeout(v: Validator, prop: str, o: QueueOptions) -> None:
    """A Duration; the visibility timeout at least 6x as long (AWS's advice)."""
    v.duration_in_range(f"{prop}.consumer_timeout", o.consumer_timeout)
    consumer, visibility = o.consumer_timeout, o.visibility_timeout
    if consumer is None or not (
        is_concrete_duration(consumer) and is_concrete_duration(visibility)
    ):
        return
    needed = consumer.to_seconds() * CONSUMER_TIMEOUT_FACTOR
    if visibility.to_seconds() < needed:
        v.add(
            f"{prop}.visibility_timeout",
            f"must be at least {CONSUMER_TIMEOUT_FACTOR}x consumer_timeout "
            f"({format_duration(consumer)}) = {format_duration(needed)}, "
            f"got {format_duration(visibility)}",
        )


def _age_alarm_threshold(v: Validator, prop: str, o: QueueOptions) -> None:
    """1 min .. the retention period (an older message has expired), whole seconds."""
    if is_concrete_duration(o.retention_period):
        v.duration_in_range(
            f"{prop}.age_alarm_threshold",
            o.age_alarm_threshold,
            minimum=Duration.seconds(60),
            maximum=o.retention_period,
            whole="seconds",
        )
    else:
        v.duration_in_range(f"{prop}.age_alarm_threshold", o.age_alarm_threshold)


def fifo_options(
    v: Validator, *, fifo: bool, content_based_deduplication: bool, high_throughput_fifo: bool
) -> None:
    """Three booleans; the de-duplication and throughput options only for a FIFO fan-out."""
    v.boolean("fifo", fifo)
    v.boolean("content_based_deduplication", content_based_deduplication)
    v.boolean("high_throughput_fifo", high_throughput_fifo)
    if fifo:
        return
    for prop, value in (
        ("content_based_deduplication", content_based_deduplication),
        ("high_throughput_fifo", high_throughput_fifo),
    ):
        v.require(not value, prop, "applies only to FIFO fan-outs (fifo=True), got fifo=False")


def topic_names(
    v: Validator, *, fifo: bool, topic_name: str | None, display_name: str | None
) -> None:
    """The topic name SNS accepts (``.fifo`` for a FIFO topic); a display name of <= 100."""
    if v.text("topic_name", topic_name):
        assert topic_name is not None
        allowed = r"^[A-Za-z0-9_-]{1,251}\.fifo$" if fifo else r"^[A-Za-z0-9_-]{1,256}$"
        if not re.match(allowed, topic_name):
            rule = "end in .fifo for a FIFO topic and " if fifo else ""
            v.add(
                "topic_name",
                f"must {rule}use 1-256 letters, digits, '-' or '_', got {topic_name!r}",
            )
    if v.text("display_name", display_name):
        assert display_name is not None
        v.require(
            len(display_name) <= MAX_DISPLAY_NAME,
            "display_name",
            f"must be at most {MAX_DISPLAY_NAME} characters, got {len(display_name)}",
        )


def key_choice(v: Validator, *, encryption_key: kms.IKey | None, shared_key: bool) -> None:
    """``shared_key`` is a boolean and means nothing with an ``encryption_key``."""
    v.boolean("shared_key", shared_key)
    v.require(
        not (encryption_key is not None and shared_key),
        "shared_key",
        "has no effect with an encryption_key (which every queue shares); pass one of them",
    )
