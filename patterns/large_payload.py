"""Messages larger than a queue or topic accepts: the body in S3, a pointer in the message.

This is the approach of the AWS extended client libraries (Java ``amazon-sqs-java-extended-
client-lib`` and ``amazon-sns-java-extended-client-lib``) for Python users, wire-compatible with
them, so a Java producer and a Python consumer (or the reverse) understand each other:

* a body larger than ``threshold`` (message attributes included, as the Java client counts)
  is stored as one S3 object under a random UUID key;
* the message body becomes the pointer
  ``["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": ..., "s3Key": ...}]``
  and the message gets the attribute ``ExtendedPayloadSize`` (Number: the body size in bytes);
* on receive the pointer is resolved to the body, the attribute removed, and the receipt
  handle rewritten to carry the bucket and key (``-..s3BucketName..-<bucket>-..s3BucketName..-
  -..s3Key..-<key>-..s3Key..-<receipt handle>``), so :func:`delete_message` deletes the S3
  object together with the message, as the Java client does.

Default threshold: 256 KiB (262,144 bytes). SQS accepts messages of up to 1 MiB since August
2025, but SNS still accepts only 256 KiB, a fan-out queue's ``max_message_size_bytes`` defaults
to 256 KiB, and 256 KiB is the Java clients' threshold too: offloading above it keeps every
message deliverable through a topic, to a default-sized queue, and by either client. A producer
that only ever sends straight to a queue sized for 1 MiB may pass ``threshold=1_048_576``.

The helper takes boto3 clients (``boto3.client("sqs")``, ``boto3.client("s3")``, ...) so tests
and applications can inject their own; it makes no other AWS call and needs nothing but the
clients. It lives in :mod:`patterns.clients.large_payload_client` (standard library only, so a
Lambda function can ship that one file) and is re-exported here.

The CDK side, :class:`PayloadBucket`, creates the bucket the pointers point into:
KMS-encrypted, TLS-only, private, with objects expiring after the longest time a pointer can
still be in a queue (see :func:`payload_expiration`), and grants for producers and consumers.

Example (producer and consumer)::

    sqs, s3 = boto3.client("sqs"), boto3.client("s3")
    send_large_message(sqs, s3, queue_url, bucket_name, big_json)
    for message in receive_and_resolve(sqs, s3, queue_url, MaxNumberOfMessages=10):
        handle(message["Body"])
        delete_message(sqs, s3, queue_url, message["ReceiptHandle"])

In a Lambda function with an SQS event source, resolve each record with
:func:`resolve_record` and delete the payload with :func:`delete_payload` after processing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.clients.large_payload_client import (
    DEFAULT_THRESHOLD,
    LEGACY_SIZE_ATTRIBUTE,
    MAX_PAYLOAD_BYTES,
    POINTER_CLASS,
    SIZE_ATTRIBUTE,
    PayloadPointer,
    delete_message,
    delete_payload,
    is_pointer_message,
    publish_large_message,
    receive_and_resolve,
    resolve_message,
    resolve_record,
    send_large_message,
)
from patterns.core import defaults
from patterns.core.validation import Validator, format_duration, is_unresolved

__all__ = [
    "DEFAULT_THRESHOLD",
    "LEGACY_SIZE_ATTRIBUTE",
    "MAX_PAYLOAD_BYTES",
    "POINTER_CLASS",
    "SIZE_ATTRIBUTE",
    "PayloadBucket",
    "PayloadPointer",
    "delete_message",
    "delete_payload",
    "is_pointer_message",
    "payload_expiration",
    "publish_large_message",
    "receive_and_resolve",
    "resolve_message",
    "resolve_record",
    "send_large_message",
]


# -- sizing -----------------------------------------------------------------------------------
#: Added to the computed expiry: S3 lifecycle runs once a day and rounds to midnight UTC.
EXPIRATION_MARGIN_DAYS = 1
#: How long a DLQ of this library keeps a message.
DLQ_RETENTION_DAYS = 14


def payload_expiration(
    retention_periods_days: Iterable[float],
    *,
    fifo: bool = False,
    dead_letter_retention_days: float = DLQ_RETENTION_DAYS,
) -> int:
    """Days after which a payload object may expire: no pointer to it can still be queued.

    A pointer lives as long as its message: at most the queue's retention period, and then up
    to the DLQ's retention once it fails its receives. For a standard queue the DLQ keeps the
    original enqueue time, so the bound is the longer of the two; a FIFO queue's DLQ restarts
    the clock, so the bound is their sum. One day of margin is added, since S3 expires objects
    in whole days once a day.
    """
    periods = list(retention_periods_days)
    if not periods:
        raise ValueError("retention_periods_days must name at least one queue retention")
    longest = max(periods)
    dlq = dead_letter_retention_days
    bound = longest + dlq if fifo else max(longest, dlq)
    return math.ceil(bound) + EXPIRATION_MARGIN_DAYS


# -- CDK --------------------------------------------------------------------------------------
#: S3 expires objects in whole days; the longest the library allows is about 10 years.
MAX_EXPIRATION = Duration.days(3_650)


class PayloadBucket(Construct):
    """The S3 bucket that offloaded message bodies are stored in, with producer/consumer grants.

    A KMS-encrypted (customer-managed key with yearly rotation, S3 bucket key), versioned,
    private, TLS-only bucket with server access logs, whose objects expire ``expiration`` after
    they are written (and their deleted versions a day later), so a payload whose message
    expired, or whose consumer did not delete it, does not stay forever. Use it with
    :func:`send_large_message` / :func:`receive_and_resolve`, or through
    ``TopicFanOut(large_payloads=True)``.

    Example::

        payloads = PayloadBucket(self, "Payloads", expiration=Duration.days(15))
        payloads.grant_produce(producer_role)
        payloads.grant_consume(consumer_function)

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        expiration: objects expire this long after they are written (1 day .. 3,650 days,
            whole days). Use :func:`payload_expiration` for queues. Default 15 days (the
            14-day DLQ retention of this library plus a day).
        encryption_key: the key of the objects. Default: a new key, rotating yearly.
        removal_policy: of the bucket and key. Default RETAIN; pass DESTROY for dev.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        expiration: Duration = Duration.days(DLQ_RETENTION_DAYS + EXPIRATION_MARGIN_DAYS),
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        v = Validator(self)
        v.duration_in_range(
            "expiration", expiration, minimum=Duration.days(1), maximum=MAX_EXPIRATION
        )
        if isinstance(expiration, Duration) and not is_unresolved(expiration):
            days = expiration.to_seconds(integral=False) / 86_400
            if v.ok and not float(days).is_integer():
                v.add(
                    "expiration",
                    f"must be a whole number of days (S3 lifecycle), got "
                    f"{format_duration(expiration)}",
                )
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.raise_if_invalid()
        self.expiration = expiration
        self.encryption_key: kms.IKey = encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=f"Encrypts the offloaded message payloads of {self.node.path}",
            removal_policy=removal_policy,
        )
        self.bucket: s3.Bucket = defaults.secure_bucket(
            self,
            "Bucket",
            encryption_key=self.encryption_key,
            removal_policy=removal_policy,
            noncurrent_version_expiration=Duration.days(1),
            lifecycle_rules=[s3.LifecycleRule(id="ExpirePayloads", expiration=expiration)],
        )

    @property
    def bucket_name(self) -> str:
        return self.bucket.bucket_name

    def grant_produce(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` store payloads: ``s3:PutObject`` and encrypt with the key."""
        self.encryption_key.grant(grantee, "kms:GenerateDataKey")
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["s3:PutObject", "s3:DeleteObject"],
            resource_arns=[self.bucket.arn_for_objects("*")],
        )

    def grant_consume(self, grantee: iam.IGrantable, *, delete: bool = True) -> iam.Grant:
        """Let ``grantee`` read payloads (and delete them after processing, unless
        ``delete=False``, e.g. for a topic's payload that several queues share)."""
        self.encryption_key.grant(grantee, "kms:Decrypt")
        actions = ["s3:GetObject", *(["s3:DeleteObject"] if delete else [])]
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=actions,
            resource_arns=[self.bucket.arn_for_objects("*")],
        )
