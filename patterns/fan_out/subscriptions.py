"""The subscribers of a :class:`~patterns.fan_out.TopicFanOut`: its queues, and Lambda, HTTPS,
email and SMS endpoints. Every subscription redrives what SNS cannot deliver to the fan-out's
undeliverable DLQ, so nothing is lost silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from aws_cdk import aws_sqs as sqs

from patterns.core.ids import pascal
from patterns.core.validation import is_unresolved
from patterns.fan_out.options import QueueOptions
from patterns.fan_out.validate import QUEUE_NAME

if TYPE_CHECKING:  # aws_lambda (and the ec2 it loads) only for a type: not at import
    from aws_cdk import aws_lambda as lambda_

    from patterns.fan_out.construct import TopicFanOut

__all__ = [
    "RESTRICT_SQS_DECRYPTION",
    "add_email",
    "add_https",
    "add_lambda",
    "add_sms",
    "restrict_queue_key_statements",
    "subscribe_queue",
]

#: The aws-cdk-lib feature flag under which ``SqsSubscription`` limits the key policy statement
#: it adds for SNS (``kms:Decrypt``, ``kms:GenerateDataKey``) to the subscribed topic
#: (``aws:SourceArn``). Without it the statement lets SNS use the queue key for any topic.
RESTRICT_SQS_DECRYPTION = "@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_HTTPS_URL = re.compile(r"^https://\S+$")

FilterPolicy = Mapping[str, sns.SubscriptionFilter]


def restrict_queue_key_statements(fan_out: TopicFanOut) -> None:
    """Turn :data:`RESTRICT_SQS_DECRYPTION` on inside the fan-out, before it has children: the
    queue keys let SNS use them for this topic only, in every app (a plain ``cdk.App()`` has the
    flag off), whatever the user's ``cdk.json`` says."""
    fan_out.node.set_context(RESTRICT_SQS_DECRYPTION, True)


def subscribe_queue(
    fan_out: TopicFanOut, name: str, queue: sqs.IQueue, options: QueueOptions
) -> sns.Subscription:
    """Subscribe one of the fan-out's queues, with its filter and raw-delivery options.

    A FIFO topic delivers to its (FIFO) queues, so no FIFO check applies here."""
    return _subscribe(
        fan_out,
        name,
        subs.SqsSubscription(
            queue,
            raw_message_delivery=options.raw_message_delivery,
            filter_policy_with_message_body=options.filter_policy_with_message_body,
            **_redrive(fan_out, options.filter_policy),
        ),
        check_fifo=False,
    )


def add_lambda(
    fan_out: TopicFanOut,
    name: str,
    function: lambda_.IFunction,
    filter_policy: FilterPolicy | None,
) -> sns.Subscription:
    """Invoke ``function`` for every (matching) message."""
    subscription = subs.LambdaSubscription(function, **_redrive(fan_out, filter_policy))
    return _subscribe(fan_out, name, subscription)


def add_https(
    fan_out: TopicFanOut,
    name: str,
    url: str,
    *,
    raw_message_delivery: bool,
    filter_policy: FilterPolicy | None,
) -> sns.Subscription:
    """POST every (matching) message to an ``https://`` endpoint."""
    _check_endpoint(fan_out, name, "url", url, _HTTPS_URL, "an https:// URL")
    subscription = subs.UrlSubscription(
        url,
        protocol=sns.SubscriptionProtocol.HTTPS,
        raw_message_delivery=raw_message_delivery,
        **_redrive(fan_out, filter_policy),
    )
    return _subscribe(fan_out, name, subscription)


def add_email(
    fan_out: TopicFanOut, name: str, address: str, filter_policy: FilterPolicy | None
) -> sns.Subscription:
    """Email every (matching) message to ``address``."""
    _check_endpoint(fan_out, name, "address", address, _EMAIL, "an email")
    subscription = subs.EmailSubscription(address, **_redrive(fan_out, filter_policy))
    return _subscribe(fan_out, name, subscription)


def add_sms(
    fan_out: TopicFanOut, name: str, phone_number: str, filter_policy: FilterPolicy | None
) -> sns.Subscription:
    """Text every (matching) message to an E.164 number.

    ``subs.SmsSubscription`` drops ``dead_letter_queue``; a ``Subscription`` (``<Name>
    Subscription`` in the fan-out) keeps the redrive policy."""
    _check_endpoint(fan_out, name, "phone_number", phone_number, _E164, "an E.164 number")
    _check_subscriber(fan_out, name, check_fifo=True)
    subscription = sns.Subscription(
        fan_out,
        f"{pascal(name)}Subscription",
        topic=fan_out.topic,
        protocol=sns.SubscriptionProtocol.SMS,
        endpoint=phone_number,
        **_redrive(fan_out, filter_policy),
    )
    fan_out.subscriptions[name] = subscription
    return subscription


def _redrive(fan_out: TopicFanOut, filter_policy: FilterPolicy | None) -> dict[str, Any]:
    """What every subscription of the fan-out gets: the undeliverable DLQ (SNS redrives what it
    cannot deliver there) and the subscriber's attribute filter."""
    return {"dead_letter_queue": fan_out.undeliverable_queue, "filter_policy": filter_policy}


def _subscribe(
    fan_out: TopicFanOut,
    name: str,
    subscription: sns.ITopicSubscription,
    *,
    check_fifo: bool = True,
) -> sns.Subscription:
    """Add ``subscription`` to the topic and record it in the fan-out's ``subscriptions``."""
    _check_subscriber(fan_out, name, check_fifo=check_fifo)
    result = fan_out.subscription_topic.add_subscription(subscription)
    fan_out.subscriptions[name] = result
    return result


def _check_subscriber(fan_out: TopicFanOut, name: str, *, check_fifo: bool) -> None:
    """A new, valid subscriber name; a FIFO topic delivers only to (its) SQS queues."""
    v = fan_out.validator()
    if not isinstance(name, str) or not QUEUE_NAME.match(name):
        v.add("name", f"must be 1-40 letters, digits, '-' or '_', got {name!r}")
    elif name in fan_out.subscriptions:
        v.add("name", f"is already subscribed, got {name!r}")
    if check_fifo and fan_out.fifo:
        v.add("subscription", f"{name!r}: a FIFO topic delivers only to SQS queues")
    v.raise_if_invalid()


def _check_endpoint(
    fan_out: TopicFanOut,
    name: str,
    prop: str,
    value: object,
    pattern: re.Pattern[str],
    what: str,
) -> None:
    """``value`` is a token or a string that matches ``pattern``."""
    if isinstance(value, str) and (is_unresolved(value) or pattern.match(value)):
        return
    v = fan_out.validator()
    v.add(prop, f"of subscriber {name!r} must be {what}, got {value!r}")
    v.raise_if_invalid()
