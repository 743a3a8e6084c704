"""SNS -> SQS fan-out: one topic, any number of named queues, each with a DLQ and alarms."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.defaults import dead_letter_queue
from patterns.core.defaults import encryption_key as new_encryption_key
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.validation import (
    Validator,
    format_duration,
    is_concrete_duration,
    is_unresolved,
)
from patterns.large_payload import PayloadBucket, payload_expiration

__all__ = ["QueueOptions", "TopicFanOut"]

_QUEUE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_HTTPS_URL = re.compile(r"^https://\S+$")

#: SQS bounds (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html)
MAX_VISIBILITY_TIMEOUT = Duration.hours(12)
MIN_RETENTION = Duration.seconds(60)
MAX_RETENTION = Duration.days(14)
MAX_DELIVERY_DELAY = Duration.minutes(15)
MAX_RECEIVE_WAIT = Duration.seconds(20)
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
        delivery_delay: delay before a new message becomes visible. Default 0 (0..15 min).
        receive_wait_time: long-polling wait of ReceiveMessage. Default 20 s (0..20 s), which
            cuts empty receives and cost.
        consumer_timeout: the timeout of the consumer (e.g. a Lambda function). Default: not
            known, no check.
        age_alarm_threshold: alarm when the oldest message is older than this. Default: half of
            ``retention_period``, so the alarm fires well before messages expire unprocessed.
    """

    visibility_timeout: Duration = Duration.seconds(30)
    retention_period: Duration = Duration.days(4)
    max_receive_count: int = 5
    filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None
    filter_policy_with_message_body: Mapping[str, sns.FilterOrPolicy] | None = None
    raw_message_delivery: bool = False
    max_message_size_bytes: int = 262_144
    delivery_delay: Duration = Duration.seconds(0)
    receive_wait_time: Duration = Duration.seconds(20)
    consumer_timeout: Duration | None = None
    age_alarm_threshold: Duration | None = None


def _throughput_summary(queues: int, fifo: bool, high_throughput: bool) -> str:
    """What bounds the fan-out's throughput, for the review table."""
    noun = "queue" if queues == 1 else "queues"
    if not fifo:
        return f"{queues} {noun}, standard (no throughput limit)"
    if high_throughput:
        return f"{queues} FIFO {noun}, high throughput (limits per message group)"
    return f"{queues} FIFO {noun}, 300 API calls/s per queue (3,000 msg/s batched)"


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]", name) if part)


class TopicFanOut(Construct):
    """One SNS topic delivering every message to any number of named SQS queues.

    Each queue has its own subscription options (filter policy, raw delivery), a dead-letter
    queue that keeps failed messages for 14 days, and alarms (DLQ not empty, oldest message
    older than its threshold). The topic, queues and DLQs are encrypted with customer-managed
    KMS keys that rotate yearly, whose key policy lets SNS deliver to the encrypted queues;
    topic and queues refuse requests without TLS. A subscription-level DLQ catches what SNS
    itself cannot deliver (e.g. a key policy mistake), so nothing is lost silently.

    Delivery is at-least-once (and, for a standard topic, unordered): a consumer can see a
    message more than once and must be idempotent. A FIFO topic (``fifo=True``) delivers in
    order per message group and de-duplicates within 5 minutes; every queue and DLQ is then
    FIFO too.

    Example::

        fan_out = TopicFanOut(self, "Orders", queues={
            "billing": QueueOptions(max_receive_count=3),
            "audit": QueueOptions(raw_message_delivery=True, retention_period=Duration.days(14)),
        })
        fan_out.grant_publish(producer_role)
        fan_out.queues["billing"].grant_consume_messages(billing_function)

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        queues: queue name -> options. Names are 1-40 letters, digits, ``-`` or ``_``, starting
            with a letter; they name the constructs (``BillingQueue``), not the AWS queues.
        fifo: make the topic, every queue and every DLQ FIFO. Default False.
        content_based_deduplication: FIFO only: de-duplicate on a SHA-256 of the body, so
            publishers need no deduplication id. Default False.
        high_throughput_fifo: FIFO only: per-message-group throughput limits on the queues
            and topic. Default False.
        topic_name: physical topic name. Default: generated by CloudFormation (recommended:
            a fixed name blocks replacement).
        display_name: topic display name (the sender name of SMS and email). Default: none.
        encryption_key: an existing key for every queue and DLQ. Its key policy must let
            ``sns.amazonaws.com`` use it (added automatically for a key of this app; an
            imported key needs it already). Default: keys are created (see ``shared_key``).
            The topic always has its own key, which rotates yearly.
        shared_key: with no ``encryption_key``, create one key for all queues and DLQs
            (cheaper: a key costs a monthly fee) instead of one per queue (isolates each
            consumer's data). Default False.
        removal_policy: of the queues, DLQs and keys. Default RETAIN; pass DESTROY for dev.
        large_payloads: create a :class:`~patterns.large_payload.PayloadBucket`
            (``payload_bucket``) for message bodies above the 256 KiB SNS limit (up to 2 GB),
            sent with :func:`patterns.large_payload.publish_large_message` and read with
            ``receive_and_resolve`` / ``resolve_record``. Its objects expire after the
            longest time a pointer can still be queued (every queue's retention and its
            DLQ's 14 days, see :func:`~patterns.large_payload.payload_expiration`).
            :meth:`grant_publish` then also lets the publisher store payloads and
            :meth:`grant_consume` lets a consumer read them. Default False.
        alarm_topic: notified on ALARM and OK of every alarm. Default: no notification.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        queues: Mapping[str, QueueOptions],
        fifo: bool = False,
        content_based_deduplication: bool = False,
        high_throughput_fifo: bool = False,
        topic_name: str | None = None,
        display_name: str | None = None,
        encryption_key: kms.IKey | None = None,
        shared_key: bool = False,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        large_payloads: bool = False,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._validate(
            queues=queues,
            fifo=fifo,
            content_based_deduplication=content_based_deduplication,
            high_throughput_fifo=high_throughput_fifo,
            topic_name=topic_name,
            display_name=display_name,
            encryption_key=encryption_key,
            shared_key=shared_key,
            removal_policy=removal_policy,
            large_payloads=large_payloads,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self.fifo = fifo
        self._removal_policy = removal_policy
        self._encryption_key = encryption_key
        self._shared_key = shared_key

        self.topic_key = new_encryption_key(
            self,
            "TopicKey",
            description=f"Encrypts the SNS topic and undeliverable DLQ of {self.node.path}",
            removal_policy=removal_policy,
        )
        self.topic = sns.Topic(
            self,
            "Topic",
            topic_name=topic_name,
            display_name=display_name,
            fifo=True if fifo else None,
            content_based_deduplication=True if content_based_deduplication else None,
            fifo_throughput_scope=(
                sns.FifoThroughputScope.MESSAGE_GROUP if high_throughput_fifo else None
            ),
            master_key=self.topic_key,
            enforce_ssl=True,
        )

        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        #: Messages SNS could not deliver to a subscriber (any endpoint), kept 14 days.
        self.undeliverable_queue = dead_letter_queue(
            self,
            "UndeliverableDlq",
            encryption_key=self.topic_key,
            fifo=fifo,
            removal_policy=removal_policy,
        )
        self._allow_sns_to_topic_key()

        self.queues: dict[str, sqs.Queue] = {}
        self.dead_letter_queues: dict[str, sqs.Queue] = {}
        self.queue_keys: dict[str, kms.IKey] = {}
        self.subscriptions: dict[str, sns.Subscription] = {}
        for name, options in queues.items():
            self._add_queue(name, options, content_based_deduplication, high_throughput_fifo)

        self.monitoring.alarm(
            "NotificationsFailed",
            metric=self.topic.metric_number_of_notifications_failed(
                period=Duration.minutes(5), statistic="Sum"
            ),
            threshold=0,
            description=(
                f"{self.node.path}: SNS failed to deliver notifications; they are in the "
                "undeliverable DLQ. Check the subscribers' key and queue policies."
            ),
        )
        self.monitoring.queue_not_empty(
            "UndeliverableDlqNotEmpty",
            self.undeliverable_queue,
            description=f"{self.node.path}: messages SNS could not deliver are waiting.",
        )
        #: Where offloaded bodies are stored (``large_payloads=True``), else None.
        self.payload_bucket: PayloadBucket | None = None
        if large_payloads:
            self.payload_bucket = self._payload_bucket(queues, removal_policy)
        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"Fan-out {self.node.path}")
        record_capacity(self, _throughput_summary(len(self.queues), fifo, high_throughput_fifo))

    # -- public API ------------------------------------------------------------------------
    def grant_publish(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` publish to the topic (sns:Publish and use of the topic's key), and
        store payloads in the payload bucket when ``large_payloads`` is on."""
        # Exactly what an SSE-KMS publish calls. (Topic.grant_publish would add
        # kms:GenerateDataKey*, a wildcard action that cdk-nag IAM5 flags on every publisher.)
        self.topic_key.grant(grantee, "kms:GenerateDataKey", "kms:Decrypt")
        if self.payload_bucket is not None:
            self.payload_bucket.grant_produce(grantee)
        return iam.Grant.add_to_principal_or_resource(
            grantee=grantee,
            actions=["sns:Publish"],
            resource_arns=[self.topic.topic_arn],
            resource=self.topic,
        )

    def grant_consume(self, name: str, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` consume the queue ``name`` (receive, delete, decrypt) and, when
        ``large_payloads`` is on, read the payloads (not delete them: every subscribed queue
        receives a pointer to the same object, which the bucket's lifecycle rule expires)."""
        if name not in self.queues:
            v = Validator(self)
            v.add("name", f"must be one of the queues {', '.join(self.queues)}, got {name!r}")
            v.raise_if_invalid()
        if self.payload_bucket is not None:
            self.payload_bucket.grant_consume(grantee, delete=False)
        return self.queues[name].grant_consume_messages(grantee)

    def subscribe_lambda(
        self,
        name: str,
        function: lambda_.IFunction,
        *,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """Invoke ``function`` for every (matching) message; failures go to the DLQ."""
        return self._subscribe(
            name,
            subs.LambdaSubscription(
                function, dead_letter_queue=self.undeliverable_queue, filter_policy=filter_policy
            ),
        )

    def subscribe_https(
        self,
        name: str,
        url: str,
        *,
        raw_message_delivery: bool = False,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """POST every (matching) message to an ``https://`` endpoint (it must confirm)."""
        self._check_endpoint(name, "url", url, _HTTPS_URL, "an https:// URL")
        return self._subscribe(
            name,
            subs.UrlSubscription(
                url,
                protocol=sns.SubscriptionProtocol.HTTPS,
                raw_message_delivery=raw_message_delivery,
                dead_letter_queue=self.undeliverable_queue,
                filter_policy=filter_policy,
            ),
        )

    def subscribe_email(
        self,
        name: str,
        address: str,
        *,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """Email every (matching) message to ``address`` (the recipient must confirm)."""
        self._check_endpoint(name, "address", address, _EMAIL, "an email")
        return self._subscribe(
            name,
            subs.EmailSubscription(
                address, dead_letter_queue=self.undeliverable_queue, filter_policy=filter_policy
            ),
        )

    def subscribe_sms(
        self,
        name: str,
        phone_number: str,
        *,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """Text every (matching) message to an E.164 number (``+14155550100``)."""
        self._check_endpoint(name, "phone_number", phone_number, _E164, "an E.164 number")
        # subs.SmsSubscription drops dead_letter_queue; a Subscription keeps the redrive policy.
        self._check_subscriber(name)
        subscription = sns.Subscription(
            self,
            f"{_pascal(name)}Subscription",
            topic=self.topic,
            protocol=sns.SubscriptionProtocol.SMS,
            endpoint=phone_number,
            dead_letter_queue=self.undeliverable_queue,
            filter_policy=filter_policy,
        )
        self.subscriptions[name] = subscription
        return subscription

    # -- internals -------------------------------------------------------------------------
    def _validate(
        self,
        *,
        queues: Mapping[str, QueueOptions],
        fifo: bool,
        content_based_deduplication: bool,
        high_throughput_fifo: bool,
        topic_name: str | None,
        display_name: str | None,
        encryption_key: kms.IKey | None,
        shared_key: bool,
        removal_policy: RemovalPolicy,
        large_payloads: bool,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
    ) -> None:
        v = Validator(self)
        if not isinstance(queues, Mapping):
            v.add(
                "queues",
                f"must be a mapping of queue name to QueueOptions, got {type(queues).__name__}",
            )
            queues = {}
        else:
            v.require(len(queues) >= 1, "queues", "must name at least one queue, got none")
        for flag, value in (
            ("fifo", fifo),
            ("content_based_deduplication", content_based_deduplication),
            ("high_throughput_fifo", high_throughput_fifo),
            ("shared_key", shared_key),
            ("large_payloads", large_payloads),
        ):
            v.boolean(flag, value)
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        seen: dict[str, str] = {}
        for name, options in queues.items():
            prop = f'queues["{name}"]'
            if not isinstance(name, str) or not _QUEUE_NAME.match(name):
                v.add(
                    "queues",
                    f"name must be 1-40 letters, digits, '-' or '_' starting with a letter, "
                    f"got {name!r}",
                )
                continue
            pascal = _pascal(name)
            if pascal in seen:
                v.add("queues", f"names {seen[pascal]!r} and {name!r} map to the same id {pascal}")
            seen[pascal] = name
            if not isinstance(options, QueueOptions):
                v.add(prop, f"must be a QueueOptions, got {type(options).__name__}")
                continue
            self._validate_queue(v, prop, options)
        if not fifo:
            v.require(
                not content_based_deduplication,
                "content_based_deduplication",
                "applies only to FIFO fan-outs (fifo=True), got fifo=False",
            )
            v.require(
                not high_throughput_fifo,
                "high_throughput_fifo",
                "applies only to FIFO fan-outs (fifo=True), got fifo=False",
            )
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
        v.require(
            not (encryption_key is not None and shared_key),
            "shared_key",
            "has no effect with an encryption_key (which every queue shares); pass one of them",
        )
        v.raise_if_invalid()

    @staticmethod
    def _validate_queue(v: Validator, prop: str, o: QueueOptions) -> None:
        # SQS takes every duration as a whole number of seconds.
        v.duration_in_range(
            f"{prop}.visibility_timeout",
            o.visibility_timeout,
            minimum=Duration.seconds(0),
            maximum=MAX_VISIBILITY_TIMEOUT,
            whole="seconds",
        )
        v.duration_in_range(
            f"{prop}.retention_period",
            o.retention_period,
            minimum=MIN_RETENTION,
            maximum=MAX_RETENTION,
            whole="seconds",
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
        v.duration_in_range(
            f"{prop}.delivery_delay",
            o.delivery_delay,
            minimum=Duration.seconds(0),
            maximum=MAX_DELIVERY_DELAY,
            whole="seconds",
        )
        v.duration_in_range(
            f"{prop}.receive_wait_time",
            o.receive_wait_time,
            minimum=Duration.seconds(0),
            maximum=MAX_RECEIVE_WAIT,
            whole="seconds",
        )
        v.duration_in_range(f"{prop}.consumer_timeout", o.consumer_timeout)
        v.boolean(f"{prop}.raw_message_delivery", o.raw_message_delivery)
        TopicFanOut._validate_filter_policy(v, f"{prop}.filter_policy", o.filter_policy)
        if o.filter_policy_with_message_body is not None and not isinstance(
            o.filter_policy_with_message_body, Mapping
        ):
            v.add(
                f"{prop}.filter_policy_with_message_body",
                "must be a mapping of attribute name to sns.FilterOrPolicy, got "
                f"{type(o.filter_policy_with_message_body).__name__}",
            )
        if o.filter_policy is not None and o.filter_policy_with_message_body is not None:
            v.add(
                f"{prop}.filter_policy",
                "cannot be combined with filter_policy_with_message_body (SNS applies one scope)",
            )
        if is_concrete_duration(o.consumer_timeout) and is_concrete_duration(o.visibility_timeout):
            assert o.consumer_timeout is not None
            needed = o.consumer_timeout.to_seconds() * CONSUMER_TIMEOUT_FACTOR
            if o.visibility_timeout.to_seconds() < needed:
                v.add(
                    f"{prop}.visibility_timeout",
                    f"must be at least {CONSUMER_TIMEOUT_FACTOR}x consumer_timeout "
                    f"({format_duration(o.consumer_timeout)}) = {format_duration(needed)}, "
                    f"got {format_duration(o.visibility_timeout)}",
                )
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

    @staticmethod
    def _validate_filter_policy(
        v: Validator, prop: str, policy: Mapping[str, sns.SubscriptionFilter] | None
    ) -> None:
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

    def _queue_key(self, pascal: str, name: str) -> kms.IKey:
        if self._encryption_key is not None:
            return self._encryption_key
        if self._shared_key:
            existing = self.node.try_find_child("QueueKey")
            if isinstance(existing, kms.Key):
                return existing
            return new_encryption_key(
                self,
                "QueueKey",
                description=f"Encrypts the SQS queues and DLQs of {self.node.path}",
                removal_policy=self._removal_policy,
            )
        return new_encryption_key(
            self,
            f"{pascal}Key",
            description=f"Encrypts the {name} queue and its DLQ of {self.node.path}",
            removal_policy=self._removal_policy,
        )

    def _payload_bucket(
        self, queues: Mapping[str, QueueOptions], removal_policy: RemovalPolicy
    ) -> PayloadBucket:
        """The payload bucket; objects outlive every pointer that can still be queued."""
        retentions = [
            MAX_RETENTION.to_days()
            if o.retention_period.is_unresolved()
            else o.retention_period.to_seconds() / 86_400
            for o in queues.values()
        ]
        days = payload_expiration(retentions, fifo=self.fifo)
        return PayloadBucket(
            self, "Payloads", expiration=Duration.days(days), removal_policy=removal_policy
        )

    def _allow_sns_to_topic_key(self) -> None:
        """Key policy: SNS may encrypt what it moves to the undeliverable DLQ (topic key).

        The key cannot name the topic it encrypts (a circular dependency), so the statement is
        limited to SNS acting for this account. The queue keys get their statement - limited to
        this topic - from the SQS subscription itself.
        """
        self.topic_key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowSnsToDeliverUndeliverableMessages",
                principals=[iam.ServicePrincipal("sns.amazonaws.com")],
                actions=["kms:GenerateDataKey*", "kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            )
        )

    def _add_queue(
        self,
        name: str,
        o: QueueOptions,
        content_based_deduplication: bool,
        high_throughput_fifo: bool,
    ) -> None:
        pascal = _pascal(name)
        key = self._queue_key(pascal, name)
        dlq = dead_letter_queue(
            self,
            f"{pascal}Dlq",
            encryption_key=key,
            fifo=self.fifo,
            removal_policy=self._removal_policy,
        )
        queue = sqs.Queue(
            self,
            f"{pascal}Queue",
            fifo=True if self.fifo else None,
            content_based_deduplication=True if content_based_deduplication else None,
            deduplication_scope=(
                sqs.DeduplicationScope.MESSAGE_GROUP if high_throughput_fifo else None
            ),
            fifo_throughput_limit=(
                sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID if high_throughput_fifo else None
            ),
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            visibility_timeout=o.visibility_timeout,
            retention_period=o.retention_period,
            max_message_size_bytes=o.max_message_size_bytes,
            delivery_delay=o.delivery_delay,
            receive_message_wait_time=o.receive_wait_time,
            dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=o.max_receive_count),
            removal_policy=self._removal_policy,
        )
        self._subscribe(
            name,
            subs.SqsSubscription(
                queue,
                raw_message_delivery=o.raw_message_delivery,
                dead_letter_queue=self.undeliverable_queue,
                filter_policy=o.filter_policy,
                filter_policy_with_message_body=o.filter_policy_with_message_body,
            ),
            check_fifo=False,
        )
        self.queues[name] = queue
        self.dead_letter_queues[name] = dlq
        self.queue_keys[name] = key

        self.monitoring.queue_not_empty(
            f"{pascal}DlqNotEmpty",
            dlq,
            description=(
                f"{self.node.path}: messages of the {name} queue failed "
                f"{o.max_receive_count} receives and are in its DLQ (kept 14 days)."
            ),
        )
        threshold = o.age_alarm_threshold
        if threshold is None and not o.retention_period.is_unresolved():
            threshold = Duration.seconds(int(o.retention_period.to_seconds() // 2))
        if threshold is not None and not threshold.is_unresolved():
            self.monitoring.alarm(
                f"{pascal}OldestMessageAge",
                metric=queue.metric_approximate_age_of_oldest_message(
                    period=Duration.minutes(5), statistic="Maximum"
                ),
                threshold=threshold.to_seconds(),
                description=(
                    f"{self.node.path}: the oldest message of the {name} queue is older than "
                    f"{format_duration(threshold)}; it expires after "
                    f"{format_duration(o.retention_period)}. Consumers are behind or stopped."
                ),
            )

    def _check_subscriber(self, name: str, *, check_fifo: bool = True) -> None:
        v = Validator(self)
        if not isinstance(name, str) or not _QUEUE_NAME.match(name):
            v.add("name", f"must be 1-40 letters, digits, '-' or '_', got {name!r}")
        elif name in self.subscriptions:
            v.add("name", f"is already subscribed, got {name!r}")
        if check_fifo and self.fifo:
            v.add("subscription", f"{name!r}: a FIFO topic delivers only to SQS queues")
        v.raise_if_invalid()

    def _subscribe(
        self, name: str, subscription: sns.ITopicSubscription, *, check_fifo: bool = True
    ) -> sns.Subscription:
        self._check_subscriber(name, check_fifo=check_fifo)
        result = self.topic.add_subscription(subscription)
        self.subscriptions[name] = result
        return result

    def _check_endpoint(
        self, name: str, prop: str, value: object, pattern: re.Pattern[str], what: str
    ) -> None:
        if isinstance(value, str) and (is_unresolved(value) or pattern.match(value)):
            return
        v = Validator(self)
        v.add(prop, f"of subscriber {name!r} must be {what}, got {value!r}")
        v.raise_if_invalid()
