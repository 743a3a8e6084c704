"""An existing topic and existing queues of a :class:`~patterns.fan_out.TopicFanOut`.

``existing_topic`` replaces the ``Topic`` and its ``TopicKey``; ``existing_queues`` are
subscribed alongside (or instead of) the created ``queues``. What can be told of an existing
resource is checked (its FIFO-ness, an encryption whose key was not given, an AWS-managed
queue key SNS cannot use); what cannot (an imported resource's settings) is taken as given.

The rules record their problems on the validator and never raise; the builders run after
validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs

from patterns.core.defaults import encryption_key
from patterns.core.deferred import deferred
from patterns.core.ids import pascal
from patterns.core.monitoring import Monitoring
from patterns.core.validation import Validator, format_duration, is_unresolved
from patterns.fan_out.options import QueueOptions
from patterns.fan_out.subscriptions import subscribe_queue
from patterns.fan_out.validate import QUEUE_NAME, queue_name_ok

if TYPE_CHECKING:
    from patterns.fan_out.construct import TopicFanOut

__all__ = [
    "SUBSCRIPTION_FIELDS",
    "add_existing_queue",
    "existing_queues",
    "existing_topic",
    "new_undeliverable_key",
    "subscription_topic",
    "topic_key",
    "use_topic",
]

#: The QueueOptions fields that apply to an existing queue (its subscription and alarm); the
#: others shape a created queue and must keep their defaults for an existing one.
SUBSCRIPTION_FIELDS = (
    "filter_policy",
    "filter_policy_with_message_body",
    "raw_message_delivery",
    "age_alarm_threshold",
)
#: SQS's default retention: the age alarm of an existing queue whose retention is not known
#: fires at half of it.
SQS_DEFAULT_RETENTION = deferred(Duration, "days", 4)


def _fifo_known(resource: object, arn: str, owned: type) -> bool:
    """Whether ``resource.fifo`` can be trusted: a resource of this app, or an imported one
    whose ARN (and so its name's ``.fifo``) is known at synth time."""
    return isinstance(resource, owned) or not is_unresolved(arn)


def _same_key(a: kms.IKey, b: kms.IKey) -> bool:
    """The same key object, or two keys whose ARNs resolve to the same value."""
    if a is b:
        return True
    stack = Stack.of(a)
    return bool(stack.resolve(a.key_arn) == stack.resolve(b.key_arn))


def existing_topic(
    v: Validator,
    *,
    topic: sns.ITopic | None,
    key: kms.IKey | None,
    fifo: bool,
    topic_name: str | None,
    display_name: str | None,
) -> None:
    """An ``sns.ITopic``; no topic props that cannot apply to it; a FIFO-ness that matches
    ``fifo``; its key given when it is encrypted and the key is not known otherwise."""
    v.implements("existing_topic", topic, "topic_arn", what="an sns.ITopic")
    v.implements("existing_topic_encryption_key", key, "key_arn", what="a kms.IKey")
    if topic is None or not hasattr(topic, "topic_arn"):
        if key is not None:
            v.add("existing_topic_encryption_key", "applies only with an existing_topic")
        return
    pairs = (("topic_name", topic_name), ("display_name", display_name))
    given = [name for name, value in pairs if value is not None]
    if given:
        v.add(
            "existing_topic",
            f"cannot be combined with {', '.join(given)} (the pattern never changes an "
            "existing topic): leave them out",
        )
    if _fifo_known(topic, topic.topic_arn, sns.Topic) and bool(topic.fifo) != bool(fifo):
        kind = "a FIFO" if topic.fifo else "a standard"
        v.add(
            "fifo",
            f"must be {bool(topic.fifo)} for {kind} existing_topic (its queues and DLQs must "
            f"be {'FIFO' if topic.fifo else 'standard'} too), got {fifo}",
        )
    _topic_key(v, topic, key)


def _topic_key(v: Validator, topic: sns.ITopic, key: kms.IKey | None) -> None:
    """The key of an encrypted existing topic must be known: given, or the topic's own."""
    known = topic.master_key
    if known is not None and key is not None and hasattr(key, "key_arn"):
        v.require(
            _same_key(known, key),
            "existing_topic_encryption_key",
            "must be the key that encrypts existing_topic (its master_key), got another key",
        )
        return
    cfn = topic.node.default_child
    encrypted = isinstance(cfn, sns.CfnTopic) and cfn.kms_master_key_id is not None
    if known is None and key is None and encrypted:
        v.add(
            "existing_topic_encryption_key",
            "is required: existing_topic is encrypted with a KMS key (KmsMasterKeyId) that "
            "publishers must be allowed to use; pass that key",
        )


def existing_queues(
    v: Validator,
    value: Mapping[str, sqs.IQueue] | None,
    *,
    queues: Mapping[str, QueueOptions] | None,
    fifo: bool,
) -> None:
    """Names like ``queues``' (a name in both takes that QueueOptions' subscription options);
    ``sqs.IQueue`` values whose FIFO-ness matches the topic's; no AWS-managed key."""
    created = queues if isinstance(queues, Mapping) else {}
    if value is None:
        v.require(queues is not None, "queues", "is required unless existing_queues are given")
        return
    if not isinstance(value, Mapping):
        v.add("existing_queues", f"must be a mapping of name to sqs.IQueue, got {value!r}")
        return
    ids = {pascal(n): n for n in created if isinstance(n, str) and QUEUE_NAME.match(n)}
    for name, queue in value.items():
        prop = f'existing_queues["{name}"]'
        if not queue_name_ok(v, "existing_queues", name):
            continue
        other = ids.get(pascal(name))
        if other is not None and other != name:
            v.add("existing_queues", f"name {name!r} maps to the id of queue {other!r}")
        ids[pascal(name)] = name
        if not hasattr(queue, "queue_arn"):
            v.add(prop, f"must be an sqs.IQueue, got {type(queue).__name__} {queue!r}")
            continue
        _existing_queue(v, prop, queue, fifo=fifo)
        if name in created and isinstance(created[name], QueueOptions):
            _subscription_options_only(v, f'queues["{name}"]', created[name])


def _existing_queue(v: Validator, prop: str, queue: sqs.IQueue, *, fifo: bool) -> None:
    """A FIFO topic delivers only to FIFO queues, a standard one only to standard queues; SNS
    cannot use a queue's AWS-managed key (``alias/aws/sqs``), whose policy it cannot change."""
    if _fifo_known(queue, queue.queue_arn, sqs.Queue) and bool(queue.fifo) != bool(fifo):
        if fifo:
            v.add(prop, "is a standard queue: a FIFO topic delivers only to FIFO queues")
        else:
            v.add(prop, "is a FIFO queue: a standard topic delivers only to standard queues")
    if isinstance(queue, sqs.Queue) and queue.encryption_type == sqs.QueueEncryption.KMS_MANAGED:
        v.add(
            prop,
            "is encrypted with the AWS-managed key alias/aws/sqs, whose policy does not let SNS "
            "deliver to it: use a customer-managed key (QueueEncryption.KMS) or SQS_MANAGED",
        )


def _subscription_options_only(v: Validator, prop: str, options: QueueOptions) -> None:
    """Only the subscription fields of a QueueOptions apply to an existing queue."""
    defaults = QueueOptions()
    shaping = [
        f.name
        for f in fields(QueueOptions)
        if f.name not in SUBSCRIPTION_FIELDS
        and _differs(getattr(options, f.name), getattr(defaults, f.name))
    ]
    if shaping:
        v.add(
            prop,
            f"names an existing queue: only {', '.join(SUBSCRIPTION_FIELDS)} apply to it, got "
            f"{', '.join(shaping)} (the pattern never changes an existing queue)",
        )


def _differs(value: object, default: object) -> bool:
    if isinstance(value, Duration) and isinstance(default, Duration):
        if value is default:
            return False
        if value.is_unresolved():
            return True
        return bool(value.to_seconds(integral=False) != default.to_seconds(integral=False))
    return value != default


# -- builders --------------------------------------------------------------------------------
def use_topic(
    fan_out: TopicFanOut,
    topic: sns.ITopic,
    key: kms.IKey | None,
    removal_policy: RemovalPolicy,
    *,
    undeliverable_key: kms.IKey | None = None,
) -> kms.IKey:
    """Make ``topic`` the fan-out's ``topic`` (``topic_key``: ``key`` or the topic's own,
    ``subscription_topic``: its view from inside the fan-out); the undeliverable DLQ's key:
    ``undeliverable_key`` (the user's ``topic_encryption_key``) or a new one."""
    fan_out.topic = topic
    fan_out.topic_key = topic_key(topic, key)
    fan_out.subscription_topic = subscription_topic(fan_out, topic)
    return undeliverable_key or new_undeliverable_key(fan_out, removal_policy=removal_policy)


def topic_key(topic: sns.ITopic, key: kms.IKey | None) -> kms.IKey | None:
    """The key publishers to the existing topic use: the given one, else the topic's own."""
    return key if key is not None else topic.master_key


def subscription_topic(fan_out: TopicFanOut, topic: sns.ITopic) -> sns.ITopic:
    """``ExistingTopic``: the existing topic as seen from inside the fan-out, which the
    subscriptions are added to. aws-cdk-lib's ``SqsSubscription`` reads the
    :data:`~patterns.fan_out.subscriptions.RESTRICT_SQS_DECRYPTION` flag on the topic's node:
    seen from here, the fan-out's own setting limits the queue keys' SNS statement to this
    topic in every app, whatever the flags of the scope the user's topic is in."""
    master_key = topic.master_key
    return sns.Topic.from_topic_attributes(
        fan_out,
        "ExistingTopic",
        topic_arn=topic.topic_arn,
        key_arn=master_key.key_arn if master_key is not None else None,
    )


def new_undeliverable_key(fan_out: TopicFanOut, *, removal_policy: RemovalPolicy) -> kms.Key:
    """``UndeliverableKey``: encrypts the undeliverable DLQ of a fan-out on an existing topic
    (whose key the pattern does not change); rotates yearly."""
    return encryption_key(
        fan_out,
        "UndeliverableKey",
        description=f"Encrypts the undeliverable DLQ of {fan_out.node.path}",
        removal_policy=removal_policy,
    )


def add_existing_queue(
    fan_out: TopicFanOut,
    monitoring: Monitoring,
    name: str,
    queue: sqs.IQueue,
    options: QueueOptions,
) -> None:
    """Subscribe the existing ``queue`` as ``name``, record it (and its DLQ and key when
    known) in the fan-out, and add its alarms."""
    subscribe_queue(fan_out, name, queue, options)
    fan_out.queues[name] = queue
    if queue.encryption_master_key is not None:
        fan_out.queue_keys[name] = queue.encryption_master_key
    dlq = queue.dead_letter_queue if isinstance(queue, sqs.Queue) else None
    construct_id = pascal(name)
    path = fan_out.node.path
    if dlq is not None:
        fan_out.dead_letter_queues[name] = dlq.queue
        monitoring.alarm(
            f"{construct_id}DlqNotEmpty",
            metric=fan_out.metric_dlq_depth(name),
            threshold=0,
            description=f"{path}: messages of the existing {name} queue are in its DLQ.",
        )
    threshold = existing_age_threshold(queue, options)
    if threshold is None:
        return
    monitoring.alarm(
        f"{construct_id}OldestMessageAge",
        metric=fan_out.metric_oldest_message_age(name),
        threshold=threshold.to_seconds(),
        description=(
            f"{path}: the oldest message of the existing {name} queue is older than "
            f"{format_duration(threshold)}. Consumers are behind or stopped."
        ),
    )


def existing_age_threshold(queue: sqs.IQueue, options: QueueOptions) -> Duration | None:
    """The option, else half the queue's retention (known for a queue of this app), else half
    of SQS's default 4 days; None when the option is a token."""
    if options.age_alarm_threshold is not None:
        threshold = options.age_alarm_threshold
        return None if threshold.is_unresolved() else threshold
    seconds = SQS_DEFAULT_RETENTION.to_seconds()
    cfn = queue.node.default_child if isinstance(queue, sqs.Queue) else None
    retention = cfn.message_retention_period if isinstance(cfn, sqs.CfnQueue) else None
    if isinstance(retention, int | float) and not is_unresolved(retention):
        seconds = int(retention)
    return Duration.seconds(seconds // 2)
