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

from patterns.clients import large_payload_client as _client
from patterns.clients.large_payload_client import *  # noqa: F403 - the client's __all__
from patterns.large_payload.construct import PayloadBucket
from patterns.large_payload.expiration import payload_expiration

__all__ = ["PayloadBucket", "payload_expiration"]
__all__ += _client.__all__
