"""Messages larger than a queue or topic accepts: the client side, standard library only.

The body goes to S3 and the message carries a pointer, wire-compatible with the AWS extended
client libraries (Java) - see :mod:`patterns.large_payload` for the format, the threshold and
the CDK bucket. This module imports nothing but the standard library and takes boto3 clients
as arguments, so a Lambda function can ship it alone
(``handler_code(large_payload_client.__file__)``)
and a consumer without aws-cdk-lib can import it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = [
    "DEFAULT_THRESHOLD",
    "LEGACY_SIZE_ATTRIBUTE",
    "MAX_PAYLOAD_BYTES",
    "POINTER_CLASS",
    "SIZE_ATTRIBUTE",
    "PayloadPointer",
    "delete_message",
    "delete_payload",
    "is_pointer_message",
    "publish_large_message",
    "receive_and_resolve",
    "resolve_message",
    "resolve_record",
    "send_large_message",
]

#: The class name the Java payload-offloading library writes in front of every pointer.
POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer"
#: The message attribute that marks an offloaded message (value: body size in bytes).
SIZE_ATTRIBUTE = "ExtendedPayloadSize"
#: The attribute name of version 1 of the Java client; still recognised on receive.
LEGACY_SIZE_ATTRIBUTE = "SQSLargePayloadSize"
#: 256 KiB: the largest SNS message, the default queue size, the Java clients' threshold.
DEFAULT_THRESHOLD = 262_144
#: The largest body the helper offloads (the limit of the extended clients).
MAX_PAYLOAD_BYTES = 2 * 1024**3
#: SQS allows at most 10 message attributes; the marker attribute takes one of them.
MAX_MESSAGE_ATTRIBUTES = 10

_BUCKET_MARKER = "-..s3BucketName..-"
_KEY_MARKER = "-..s3Key..-"
_SIZE_ATTRIBUTES = (SIZE_ATTRIBUTE, LEGACY_SIZE_ATTRIBUTE)


class PayloadPointer:
    """Where an offloaded body is: one S3 object (``bucket``, ``key``)."""

    __slots__ = ("bucket", "key")

    def __init__(self, bucket: str, key: str) -> None:
        self.bucket = bucket
        self.key = key

    def to_json(self) -> str:
        """The message body the Java extended clients write and read."""
        return json.dumps([POINTER_CLASS, {"s3BucketName": self.bucket, "s3Key": self.key}])

    @classmethod
    def from_json(cls, body: str) -> PayloadPointer:
        """Parse a pointer body; ``ValueError`` if it is not one."""
        try:
            value = json.loads(body)
        except json.JSONDecodeError as exc:
            raise ValueError(f"message body is not a payload pointer: {exc}") from None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or value[0] != POINTER_CLASS
            or not isinstance(value[1], dict)
            or not isinstance(value[1].get("s3BucketName"), str)
            or not isinstance(value[1].get("s3Key"), str)
        ):
            raise ValueError(f"message body is not a {POINTER_CLASS} pointer: {body[:200]!r}")
        return cls(value[1]["s3BucketName"], value[1]["s3Key"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PayloadPointer) and (self.bucket, self.key) == (
            other.bucket,
            other.key,
        )

    def __hash__(self) -> int:
        return hash((self.bucket, self.key))

    def __repr__(self) -> str:
        return f"PayloadPointer(bucket={self.bucket!r}, key={self.key!r})"


# -- sizes ------------------------------------------------------------------------------------
def _attribute_bytes(attributes: Mapping[str, Mapping[str, Any]]) -> int:
    """Message attribute size as SQS counts it: name, data type and value."""
    total = 0
    for name, attribute in attributes.items():
        total += len(name.encode())
        total += len(str(attribute.get("DataType", "")).encode())
        if "StringValue" in attribute:
            total += len(str(attribute["StringValue"]).encode())
        if "BinaryValue" in attribute:
            value = attribute["BinaryValue"]
            total += len(value) if isinstance(value, bytes | bytearray) else len(str(value))
    return total


def _encoded(body: str | bytes) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8")


def _check_send_args(
    body: bytes, attributes: Mapping[str, Mapping[str, Any]], threshold: int
) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"threshold must be a positive number of bytes, got {threshold!r}")
    if len(body) > MAX_PAYLOAD_BYTES:
        raise ValueError(
            f"body must be at most {MAX_PAYLOAD_BYTES:,} bytes (2 GiB), got {len(body):,}"
        )
    reserved = [name for name in attributes if name in _SIZE_ATTRIBUTES]
    if reserved:
        raise ValueError(f"message attribute {reserved[0]} is reserved for the payload pointer")
    if len(attributes) >= MAX_MESSAGE_ATTRIBUTES:
        raise ValueError(
            f"at most {MAX_MESSAGE_ATTRIBUTES - 1} message attributes can be sent with an "
            f"offloadable message (one is the payload marker), got {len(attributes)}"
        )


def _offload(
    s3_client: Any,
    bucket: str,
    body: bytes,
    *,
    key_prefix: str,
    sse_kms_key_id: str | None,
) -> PayloadPointer:
    key = f"{key_prefix}{uuid.uuid4()}"
    put: dict[str, Any] = {"Bucket": bucket, "Key": key, "Body": body}
    if sse_kms_key_id is not None:
        put["ServerSideEncryption"] = "aws:kms"
        put["SSEKMSKeyId"] = sse_kms_key_id
    s3_client.put_object(**put)
    return PayloadPointer(bucket, key)


class _Offload(NamedTuple):
    """Where and when a producer stores a body in S3: the options of the send calls.

    (A ``NamedTuple``, not a dataclass: a dataclass needs its module in ``sys.modules``,
    which a file loaded on its own does not have.)
    """

    s3_client: Any
    bucket: str
    threshold: int
    always_through_s3: bool
    key_prefix: str
    sse_kms_key_id: str | None

    def prepare(
        self, body: str | bytes, attributes: Mapping[str, Mapping[str, Any]] | None
    ) -> tuple[str, dict[str, Any], PayloadPointer | None]:
        """The body and attributes to send, and the pointer if the body went to S3."""
        data = _encoded(body)
        attrs = dict(attributes or {})
        _check_send_args(data, attrs, self.threshold)
        if not self.always_through_s3 and len(data) + _attribute_bytes(attrs) <= self.threshold:
            return data.decode("utf-8"), attrs, None
        pointer = _offload(
            self.s3_client,
            self.bucket,
            data,
            key_prefix=self.key_prefix,
            sse_kms_key_id=self.sse_kms_key_id,
        )
        attrs[SIZE_ATTRIBUTE] = {"DataType": "Number", "StringValue": str(len(data))}
        return pointer.to_json(), attrs, pointer


# -- producers --------------------------------------------------------------------------------
def send_large_message(
    sqs: Any,
    s3_client: Any,
    queue_url: str,
    bucket: str,
    body: str | bytes,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    message_attributes: Mapping[str, Mapping[str, Any]] | None = None,
    always_through_s3: bool = False,
    key_prefix: str = "",
    sse_kms_key_id: str | None = None,
    **send_kwargs: Any,
) -> dict[str, Any]:
    """``SendMessage``, with the body in S3 when body + attributes exceed ``threshold`` bytes.

    Args:
        sqs: a boto3 SQS client.
        s3_client: a boto3 S3 client.
        queue_url: the queue.
        bucket: the payload bucket (:class:`PayloadBucket`), name only.
        body: the message body (``str``, or ``bytes`` holding UTF-8 text: SQS bodies are text).
        threshold: offload above this many bytes (body plus attributes). Default 262,144.
        message_attributes: SQS message attributes (at most 9; ``ExtendedPayloadSize`` is
            reserved).
        always_through_s3: offload every body, whatever its size. Default False.
        key_prefix: prefix of the S3 keys (e.g. ``"orders/"``). Default none.
        sse_kms_key_id: encrypt the object with this KMS key instead of the bucket default.
        **send_kwargs: passed to ``send_message`` (``MessageGroupId``, ``DelaySeconds``...).

    Returns:
        the ``send_message`` response, plus ``"PayloadPointer"`` (a :class:`PayloadPointer`)
        when the body was offloaded. If sending fails after the upload, the object is deleted.
    """
    offload = _Offload(s3_client, bucket, threshold, always_through_s3, key_prefix, sse_kms_key_id)
    message_body, attrs, pointer = offload.prepare(body, message_attributes)
    request: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": message_body, **send_kwargs}
    return _send(sqs.send_message, request, attrs, pointer, s3_client)


def publish_large_message(
    sns: Any,
    s3_client: Any,
    topic_arn: str,
    bucket: str,
    body: str | bytes,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    message_attributes: Mapping[str, Mapping[str, Any]] | None = None,
    always_through_s3: bool = False,
    key_prefix: str = "",
    sse_kms_key_id: str | None = None,
    **publish_kwargs: Any,
) -> dict[str, Any]:
    """``Publish`` to an SNS topic with the body in S3 above ``threshold`` (SNS: 256 KiB max).

    Subscribed queues receive the pointer (with raw message delivery, as the body and the
    ``ExtendedPayloadSize`` attribute; otherwise inside the SNS envelope): consumers use
    :func:`receive_and_resolve` or :func:`resolve_record`, which understand both. The object is
    shared by every subscriber, so consumers should not delete it (``delete_payload=False``);
    the bucket's lifecycle rule expires it. Arguments as :func:`send_large_message`.
    """
    offload = _Offload(s3_client, bucket, threshold, always_through_s3, key_prefix, sse_kms_key_id)
    message_body, attrs, pointer = offload.prepare(body, message_attributes)
    request: dict[str, Any] = {"TopicArn": topic_arn, "Message": message_body, **publish_kwargs}
    return _send(sns.publish, request, attrs, pointer, s3_client)


def _send(
    call: Any,
    request: dict[str, Any],
    attrs: Mapping[str, Any],
    pointer: PayloadPointer | None,
    s3_client: Any,
) -> dict[str, Any]:
    """Send or publish; delete the uploaded object if that fails, so nothing is orphaned."""
    if attrs:
        request["MessageAttributes"] = attrs
    try:
        response: dict[str, Any] = dict(call(**request))
    except Exception:
        if pointer is not None:
            s3_client.delete_object(Bucket=pointer.bucket, Key=pointer.key)
        raise
    if pointer is not None:
        response["PayloadPointer"] = pointer
    return response


# -- consumers --------------------------------------------------------------------------------
def _has_marker(attributes: Mapping[str, Any] | None) -> bool:
    return bool(attributes) and any(name in attributes for name in _SIZE_ATTRIBUTES)  # type: ignore[operator]


def _sns_envelope(body: str) -> dict[str, Any] | None:
    """The SNS notification envelope in ``body``, if it carries an offloaded payload."""
    if not body.startswith("{"):
        return None
    try:
        envelope = json.loads(body)
    except json.JSONDecodeError:
        return None
    if (
        isinstance(envelope, dict)
        and envelope.get("Type") == "Notification"
        and isinstance(envelope.get("Message"), str)
        and _has_marker(envelope.get("MessageAttributes"))
    ):
        return envelope
    return None


def is_pointer_message(message: Mapping[str, Any]) -> bool:
    """True for a received message (SQS API or Lambda SQS event record) carrying a pointer."""
    attributes = message.get("MessageAttributes", message.get("messageAttributes"))
    body = message.get("Body", message.get("body", ""))
    return _has_marker(attributes) or _sns_envelope(str(body)) is not None


def _read(s3_client: Any, pointer: PayloadPointer) -> str:
    data: bytes = s3_client.get_object(Bucket=pointer.bucket, Key=pointer.key)["Body"].read()
    return data.decode("utf-8")


def _embed(pointer: PayloadPointer, receipt_handle: str) -> str:
    return (
        f"{_BUCKET_MARKER}{pointer.bucket}{_BUCKET_MARKER}"
        f"{_KEY_MARKER}{pointer.key}{_KEY_MARKER}{receipt_handle}"
    )


def _split_receipt_handle(receipt_handle: str) -> tuple[PayloadPointer | None, str]:
    """(pointer, SQS receipt handle) of a handle that :func:`receive_and_resolve` rewrote."""
    if not receipt_handle.startswith(_BUCKET_MARKER):
        return None, receipt_handle
    try:
        _, bucket, rest = receipt_handle.split(_BUCKET_MARKER, 2)
        _, key, original = rest.split(_KEY_MARKER, 2)
    except ValueError:
        raise ValueError("receipt handle has a malformed payload pointer") from None
    return PayloadPointer(bucket, key), original


def _without_markers(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The message attributes without the pointer marker."""
    return {name: value for name, value in attributes.items() if name not in _SIZE_ATTRIBUTES}


def _resolve_pointer(
    s3_client: Any, body: str, attributes: Mapping[str, Any]
) -> tuple[str, dict[str, Any], PayloadPointer]:
    """(body read back from S3, attributes without the marker, pointer) of a pointer body."""
    pointer = PayloadPointer.from_json(body)
    return _read(s3_client, pointer), _without_markers(attributes), pointer


def _resolve_envelope(s3_client: Any, body: str) -> tuple[str, PayloadPointer] | None:
    """(the SNS envelope with its ``Message`` read back from S3, pointer), or None when
    ``body`` is not an envelope of an offloaded payload."""
    envelope = _sns_envelope(body)
    if envelope is None:
        return None
    pointer = PayloadPointer.from_json(envelope["Message"])
    envelope["Message"] = _read(s3_client, pointer)
    envelope["MessageAttributes"] = _without_markers(envelope["MessageAttributes"])
    return json.dumps(envelope), pointer


def resolve_message(s3_client: Any, message: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of one ``ReceiveMessage`` message with the payload read back from S3.

    ``Body`` becomes the original body; the ``ExtendedPayloadSize`` attribute is removed; the
    ``ReceiptHandle`` carries the pointer (for :func:`delete_message`). A message without a
    pointer is returned unchanged. For an SNS-enveloped message the envelope's ``Message`` is
    resolved instead and the receipt handle is left as it is (the object is shared by every
    subscriber of the topic).
    """
    resolved = dict(message)
    attributes = message.get("MessageAttributes") or {}
    if _has_marker(attributes):
        resolved["Body"], remaining, pointer = _resolve_pointer(
            s3_client, message["Body"], attributes
        )
        if remaining:
            resolved["MessageAttributes"] = remaining
        else:
            resolved.pop("MessageAttributes", None)
        resolved["ReceiptHandle"] = _embed(pointer, message["ReceiptHandle"])
        resolved["PayloadPointer"] = pointer
        return resolved
    enveloped = _resolve_envelope(s3_client, message.get("Body", ""))
    if enveloped is not None:
        resolved["Body"], resolved["PayloadPointer"] = enveloped
    return resolved


def resolve_record(s3_client: Any, record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of one Lambda SQS event record with its payload read back from S3.

    ``body`` becomes the original body and the marker attribute is removed from
    ``messageAttributes``; ``payloadPointer`` is added (a :class:`PayloadPointer`) so the
    function can call :func:`delete_payload` once the record is processed (Lambda deletes the
    message itself). Records without a pointer are returned unchanged.
    """
    resolved = dict(record)
    attributes = record.get("messageAttributes") or {}
    if _has_marker(attributes):
        resolved["body"], resolved["messageAttributes"], resolved["payloadPointer"] = (
            _resolve_pointer(s3_client, record["body"], attributes)
        )
        return resolved
    enveloped = _resolve_envelope(s3_client, record.get("body", ""))
    if enveloped is not None:
        resolved["body"], resolved["payloadPointer"] = enveloped
    return resolved


def receive_and_resolve(
    sqs: Any, s3_client: Any, queue_url: str, **receive_kwargs: Any
) -> list[dict[str, Any]]:
    """``ReceiveMessage`` and :func:`resolve_message` each message.

    ``MessageAttributeNames`` defaults to ``["All"]``: without the marker attribute an offloaded
    message could not be recognised. Other keyword arguments go to ``receive_message``.
    """
    names = list(receive_kwargs.pop("MessageAttributeNames", ["All"]))
    if "All" not in names and ".*" not in names:
        names.extend(name for name in _SIZE_ATTRIBUTES if name not in names)
    response = sqs.receive_message(
        QueueUrl=queue_url, MessageAttributeNames=names, **receive_kwargs
    )
    return [resolve_message(s3_client, message) for message in response.get("Messages", [])]


def delete_message(
    sqs: Any,
    s3_client: Any,
    queue_url: str,
    receipt_handle: str,
    *,
    delete_payload: bool = True,
) -> None:
    """``DeleteMessage`` with a handle from :func:`receive_and_resolve`, then its S3 object.

    The message is deleted first: if the object deletion fails, the lifecycle rule of the
    bucket still expires it, while the opposite order could leave a message whose payload is
    gone. ``delete_payload=False`` keeps the object (a topic's payload shared by several
    queues).
    """
    pointer, original = _split_receipt_handle(receipt_handle)
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=original)
    if pointer is not None and delete_payload:
        s3_client.delete_object(Bucket=pointer.bucket, Key=pointer.key)


def delete_payload(s3_client: Any, pointer: PayloadPointer | None) -> None:
    """Delete the S3 object of a processed record (no-op for ``None``)."""
    if pointer is not None:
        s3_client.delete_object(Bucket=pointer.bucket, Key=pointer.key)
