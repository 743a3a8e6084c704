"""SNS -> SQS fan-out: one topic, any number of named queues, each with a DLQ and alarms.

The construct checks its props (:mod:`~patterns.fan_out.validate`), then builds the topic
(:mod:`~patterns.fan_out.topic`), the queues (:mod:`~patterns.fan_out.queues`) and their
subscriptions (:mod:`~patterns.fan_out.subscriptions`), the alarms
(:mod:`~patterns.fan_out.alarms`) and, with ``large_payloads``, the payload bucket
(:mod:`~patterns.fan_out.large_payloads`). Grants are in :mod:`~patterns.fan_out.grants`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, overload

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import Pattern
from patterns.fan_out import capacity, existing, grants, subscriptions, validate
from patterns.fan_out.alarms import add_queue_alarms, add_topic_alarms
from patterns.fan_out.large_payloads import add_payload_bucket
from patterns.fan_out.options import QueueOptions
from patterns.fan_out.queues import QueueSettings, add_queue, queue_name
from patterns.fan_out.topic import add_topic, add_topic_key, add_undeliverable_queue
from patterns.fan_out.validate import MAX_RETENTION
from patterns.large_payload import PayloadBucket

if TYPE_CHECKING:  # aws_lambda (and the ec2 it loads) only for a type: not at import
    from aws_cdk import aws_lambda as lambda_

__all__ = ["TopicFanOut"]

#: The period of the topic and message-age metrics (and their alarms).
METRIC_PERIOD = deferred(Duration, "minutes", 5)
#: The period of the DLQ depth metrics: a DLQ alarm fires within a minute.
DLQ_METRIC_PERIOD = deferred(Duration, "minutes", 1)


class TopicFanOut(Pattern):
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

    Metrics: :meth:`metric` (``AWS/SNS`` of the topic) and
    :meth:`metric_number_of_notifications_failed`; per queue :meth:`metric_oldest_message_age`
    and :meth:`metric_dlq_depth`; :meth:`metric_undeliverable_depth` for the subscription DLQ.
    The alarms use them.

    Example::

        fan_out = TopicFanOut(self, "Orders", queues={
            "billing": QueueOptions(max_receive_count=3),
            "audit": QueueOptions(raw_message_delivery=True, retention_period=Duration.days(14)),
        })
        fan_out.grant_publish(producer_role)
        fan_out.grant_consume(billing_function, "billing")

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): per queue ``<Queue>DlqNotEmpty``
    and ``<Queue>OldestMessageAge`` (``<Queue>`` is the queue name in PascalCase: ``billing``
    -> ``BillingDlqNotEmpty``; no age alarm when the threshold is a token), then
    ``NotificationsFailed`` and ``UndeliverableDlqNotEmpty``.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        queues: queue name -> options of the queues the pattern creates. Names are 1-40
            letters, digits, ``-`` or ``_``, starting with a letter; they name the constructs
            (``BillingQueue``), not the AWS queues. Default: none (then ``existing_queues``
            must name at least one queue). A name that is also in ``existing_queues`` creates
            nothing: its options subscribe the existing queue (only ``filter_policy``,
            ``filter_policy_with_message_body``, ``raw_message_delivery`` and
            ``age_alarm_threshold`` may differ from their defaults).
        existing_queues: name -> an existing ``sqs.IQueue`` (imported or created by you) to
            subscribe to the topic alongside the created ``queues`` (same name rules). The
            pattern adds the subscription (redriving to the undeliverable DLQ), and - for a
            queue of this app - the queue policy statement and key policy statement that let
            SNS deliver from this topic; an imported queue's policy and key policy must allow
            that already. It adds an ``<Name>OldestMessageAge`` alarm (threshold
            ``age_alarm_threshold``, else half the queue's retention when known, else 2 days)
            and, when the queue's DLQ is known (a queue of this app), ``<Name>DlqNotEmpty``.
            It never changes the queue itself (encryption, retention, DLQ, deletion policy).
            A FIFO topic needs FIFO queues, a standard topic standard ones; a queue
            encrypted with the AWS-managed ``alias/aws/sqs`` key cannot receive from SNS.
            Default: none.
        fifo: make the topic, every queue and every DLQ FIFO. Default False. With an
            ``existing_topic`` whose type is known, it must match the topic.
        content_based_deduplication: FIFO only: de-duplicate on a SHA-256 of the body, so
            publishers need no deduplication id. Default False.
        high_throughput_fifo: FIFO only: per-message-group throughput limits on the queues
            and topic. Default False.
        expected_messages_per_second: the peak publish rate, to check the configuration
            against it (:func:`patterns.capacity.sns_topic`; for FIFO also each queue's
            300 SendMessage calls/s, :func:`patterns.capacity.sqs_fifo_queue`) and price it
            in the review. A FIFO load the topic or queues cannot carry is a
            ``PatternValidationError`` naming the limit and the way out
            (``high_throughput_fifo=True``); a standard topic over the account's publish
            quota is a warning. Default None: no planning.
        expected_message_kib: the average message size with
            ``expected_messages_per_second`` (FIFO topics carry 20 MB/s). Default 1.
        existing_topic: an existing ``sns.ITopic`` (imported or created by you) instead of
            the created ``Topic`` and ``TopicKey``. The pattern adds its subscriptions and
            alarms on the topic's metrics; it never changes the topic (its encryption, policy,
            FIFO settings, deletion policy), so ``topic_name`` and ``display_name`` cannot be
            given. The undeliverable DLQ gets a key of its own (``UndeliverableKey``).
            Default: a new topic.
        existing_topic_encryption_key: the KMS key that encrypts ``existing_topic``, when the
            topic does not say (an imported topic): :meth:`grant_publish` then lets publishers
            use it. Required for a topic of this app encrypted without a known key; must be
            the topic's key when the topic names one. Default: the topic's ``master_key``
            (none: a topic without encryption, or one whose publishers hold the key already).
        topic_name: physical topic name. Default: generated by CloudFormation (recommended:
            a fixed name blocks replacement).
        display_name: topic display name (the sender name of SMS and email). Default: none.
        topic_encryption_key: an existing KMS key for the topic the pattern creates and its
            undeliverable DLQ - with ``existing_topic``, for the undeliverable DLQ only (the
            topic keeps its own key). A key of this app gets the key policy statement that
            lets ``sns.amazonaws.com`` of this account move undeliverable messages into the
            DLQ; an imported key's policy must allow that already. The pattern never changes
            the key's rotation or deletion policy. Default: a new ``TopicKey``
            (``UndeliverableKey`` with ``existing_topic``), rotating yearly.
        encryption_key: an existing key for every queue and DLQ. Its key policy must let
            ``sns.amazonaws.com`` use it (added automatically for a key of this app; an
            imported key needs it already). Default: keys are created (see ``shared_key``).
            The topic has its own key (see ``topic_encryption_key``).
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
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        queues: Mapping[str, QueueOptions] | None = None,
        existing_queues: Mapping[str, sqs.IQueue] | None = None,
        fifo: bool = False,
        content_based_deduplication: bool = False,
        high_throughput_fifo: bool = False,
        expected_messages_per_second: float | None = None,
        expected_message_kib: float = 1,
        existing_topic: sns.ITopic | None = None,
        existing_topic_encryption_key: kms.IKey | None = None,
        topic_name: str | None = None,
        display_name: str | None = None,
        topic_encryption_key: kms.IKey | None = None,
        encryption_key: kms.IKey | None = None,
        shared_key: bool = False,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        large_payloads: bool = False,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        subscriptions.restrict_queue_key_statements(self)
        v = self.validator()
        validate.queues(v, queues, existing=len(existing_queues or ()))
        existing.existing_queues(v, existing_queues, queues=queues, fifo=fifo)
        existing.existing_topic(
            v, topic=existing_topic, key=existing_topic_encryption_key, fifo=fifo,
            topic_name=topic_name, display_name=display_name,
        )  # fmt: skip
        validate.fifo_options(
            v, fifo=fifo, content_based_deduplication=content_based_deduplication,
            high_throughput_fifo=high_throughput_fifo,
        )  # fmt: skip
        validate.topic_names(v, fifo=fifo, topic_name=topic_name, display_name=display_name)
        validate.key_choice(v, encryption_key=encryption_key, shared_key=shared_key)
        v.implements("topic_encryption_key", topic_encryption_key, "key_arn", what="a kms.IKey")
        v.boolean("large_payloads", large_payloads)
        load = capacity.check_load(
            v, rate=expected_messages_per_second, size_kib=expected_message_kib, fifo=fifo,
            high_throughput=high_throughput_fifo,
        )  # fmt: skip
        v.raise_if_invalid()

        self.fifo = fifo
        if existing_topic is None:
            undeliverable_key: kms.IKey = topic_encryption_key or add_topic_key(
                self, removal_policy=removal_policy
            )
            #: The topic's key (None: an existing topic whose key is not known).
            self.topic_key: kms.IKey | None = undeliverable_key
            self.topic: sns.ITopic = add_topic(
                self, undeliverable_key, topic_name=topic_name, display_name=display_name,
                fifo=fifo, content_based_deduplication=content_based_deduplication,
                high_throughput_fifo=high_throughput_fifo,
            )  # fmt: skip
            #: The topic the subscriptions are added to (see existing.subscription_topic).
            self.subscription_topic: sns.ITopic = self.topic
        else:
            undeliverable_key = existing.use_topic(
                self, existing_topic, existing_topic_encryption_key, removal_policy,
                undeliverable_key=topic_encryption_key,
            )  # fmt: skip
        self.monitoring = self.start_monitoring()
        #: Messages SNS could not deliver to a subscriber (any endpoint), kept 14 days.
        self.undeliverable_queue = add_undeliverable_queue(
            self, undeliverable_key, fifo=fifo, removal_policy=removal_policy
        )

        self.queues: dict[str, sqs.IQueue] = {}
        self.dead_letter_queues: dict[str, sqs.IQueue] = {}
        self.queue_keys: dict[str, kms.IKey] = {}
        self.subscriptions: dict[str, sns.Subscription] = {}
        settings = QueueSettings(
            fifo=fifo,
            content_based_deduplication=content_based_deduplication,
            high_throughput_fifo=high_throughput_fifo,
            encryption_key=encryption_key,
            shared_key=shared_key,
            removal_policy=removal_policy,
        )
        retentions = self._add_queues(queues or {}, existing_queues or {}, settings)
        add_topic_alarms(self, self.monitoring)

        #: Where offloaded bodies are stored (``large_payloads=True``), else None.
        self.payload_bucket: PayloadBucket | None = None
        if large_payloads:
            self.payload_bucket = add_payload_bucket(
                self, retentions, fifo=fifo, removal_policy=removal_policy
            )
        self.monitoring.finish(f"Fan-out {self.node.path}")
        self.record_capacity(_throughput_summary(len(self.queues), fifo, high_throughput_fifo))
        capacity.report_load(self, load)

    def _add_queues(
        self,
        queues: Mapping[str, QueueOptions],
        existing_queues: Mapping[str, sqs.IQueue],
        settings: QueueSettings,
    ) -> dict[str, QueueOptions]:
        """Create the ``queues`` (but those named in ``existing_queues``), subscribe the
        existing ones, with their alarms; the options whose retention bounds how long a
        pointer to a payload can be queued (an existing queue's is not known: the SQS
        maximum)."""
        created = {n: o for n, o in queues.items() if n not in existing_queues}
        for name, options in created.items():
            add_queue(self, name, options, settings)
            add_queue_alarms(self, self.monitoring, name, options)
        for name, queue in existing_queues.items():
            options = queues.get(name, QueueOptions())
            existing.add_existing_queue(self, self.monitoring, name, queue, options)
        longest = QueueOptions(retention_period=MAX_RETENTION)
        return {**created, **dict.fromkeys(existing_queues, longest)}

    # -- grants ----------------------------------------------------------------------------
    def grant_publish(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` publish to the topic (sns:Publish and use of the topic's key), and
        store payloads in the payload bucket when ``large_payloads`` is on."""
        return grants.grant_publish(self, grantee)

    @overload
    def grant_consume(self, grantee: iam.IGrantable, name: str) -> iam.Grant: ...

    @overload
    def grant_consume(self, grantee: str, name: iam.IGrantable) -> iam.Grant: ...

    def grant_consume(self, grantee: iam.IGrantable | str, name: str | iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` consume the queue ``name`` (receive, delete, decrypt) and, when
        ``large_payloads`` is on, read the payloads (not delete them: every subscribed queue
        receives a pointer to the same object, which the bucket's lifecycle rule expires).

        The order of 0.1, ``grant_consume(name, grantee)``, still works for one minor version
        and warns (:class:`DeprecationWarning`).
        """
        principal, queue = grants.consume_arguments(grantee, name)
        return grants.grant_consume(self, principal, queue)

    # -- subscribers -----------------------------------------------------------------------
    def subscribe_lambda(
        self,
        name: str,
        function: lambda_.IFunction,
        *,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """Invoke ``function`` for every (matching) message; failures go to the DLQ."""
        return subscriptions.add_lambda(self, name, function, filter_policy)

    def subscribe_https(
        self,
        name: str,
        url: str,
        *,
        raw_message_delivery: bool = False,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """POST every (matching) message to an ``https://`` endpoint (it must confirm)."""
        return subscriptions.add_https(
            self, name, url, raw_message_delivery=raw_message_delivery, filter_policy=filter_policy
        )

    def subscribe_email(
        self,
        name: str,
        address: str,
        *,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """Email every (matching) message to ``address`` (the recipient must confirm)."""
        return subscriptions.add_email(self, name, address, filter_policy)

    def subscribe_sms(
        self,
        name: str,
        phone_number: str,
        *,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> sns.Subscription:
        """Text every (matching) message to an E.164 number (``+14155550100``)."""
        return subscriptions.add_sms(self, name, phone_number, filter_policy)

    # -- metrics ---------------------------------------------------------------------------
    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """A metric of the topic (``AWS/SNS``, dimension ``TopicName``), from ``Topic.metric``.

        Args:
            metric_name: ``NumberOfMessagesPublished``, ``NumberOfNotificationsDelivered`` ...
            **options: ``cloudwatch.MetricOptions``; default 5-minute ``Sum``.
        """
        props: dict[str, Any] = {"period": METRIC_PERIOD, "statistic": "Sum", **options}
        return self.topic.metric(metric_name, **props)

    def metric_number_of_notifications_failed(self, **options: Any) -> cw.Metric:
        """Notifications SNS failed to deliver (they go to the undeliverable DLQ): 5-min Sum."""
        return self.metric("NumberOfNotificationsFailed", **options)

    def metric_oldest_message_age(self, name: str, **options: Any) -> cw.Metric:
        """``ApproximateAgeOfOldestMessage`` of the queue ``name``: 5-minute ``Maximum``."""
        props: dict[str, Any] = {"period": METRIC_PERIOD, "statistic": "Maximum", **options}
        return self._named(self.queues, name).metric_approximate_age_of_oldest_message(**props)

    def metric_dlq_depth(self, name: str, **options: Any) -> cw.Metric:
        """``ApproximateNumberOfMessagesVisible`` of the DLQ of the queue ``name``: 1-minute
        ``Maximum``."""
        dlq = self._named(self.dead_letter_queues, name)
        return _depth(dlq, options)

    def metric_undeliverable_depth(self, **options: Any) -> cw.Metric:
        """``ApproximateNumberOfMessagesVisible`` of the undeliverable DLQ: 1-minute
        ``Maximum``."""
        return _depth(self.undeliverable_queue, options)

    def _named(self, queues: Mapping[str, sqs.IQueue], name: str) -> sqs.IQueue:
        """The queue (or DLQ) of the queue ``name``; a validation error for an unknown one (or
        for the DLQ of an existing queue whose DLQ is not known)."""
        known = queue_name(self, name)
        if known not in queues:
            v = self.validator()
            v.add("name", f"{name!r} is an existing queue whose dead-letter queue is not known")
            v.raise_if_invalid()
        return queues[known]


def _depth(queue: sqs.IQueue, options: Mapping[str, Any]) -> cw.Metric:
    """The depth of a queue that should stay empty (a DLQ), as its alarm watches it."""
    props: dict[str, Any] = {"period": DLQ_METRIC_PERIOD, "statistic": "Maximum", **options}
    return queue.metric_approximate_number_of_messages_visible(**props)


def _throughput_summary(queues: int, fifo: bool, high_throughput: bool) -> str:
    """What bounds the fan-out's throughput, for the review table."""
    noun = "queue" if queues == 1 else "queues"
    if not fifo:
        return f"{queues} {noun}, standard (no throughput limit)"
    if high_throughput:
        return f"{queues} FIFO {noun}, high throughput (limits per message group)"
    return f"{queues} FIFO {noun}, 300 API calls/s per queue (3,000 msg/s batched)"
