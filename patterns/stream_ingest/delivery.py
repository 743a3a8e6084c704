"""The Firehose delivery stream of :class:`~patterns.stream_ingest.StreamToS3Pipeline`: it
reads the Kinesis stream, buffers, compresses and writes the records to S3 under the data
prefix (failed records under the error prefix), with its own destination role."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Size, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.core import defaults
from patterns.core.deferred import deferred
from patterns.core.nag import acknowledge, nag_resource

__all__ = [
    "DEFAULT_ERROR_PREFIX",
    "DEFAULT_PREFIX",
    "ERROR_LOG_STREAM_ID",
    "ERROR_OUTPUT_TYPE",
    "FIREHOSE_CIDR_MAPPING",
    "MAX_BUFFERING_INTERVAL",
    "MAX_BUFFERING_MIB",
    "MAX_PREFIX_LENGTH",
    "MIN_BUFFERING_MIB",
    "DestinationProps",
    "create_delivery_stream",
    "deliver",
    "destination_bucket",
    "destination_role",
    "error_log_stream",
    "grant_delivery",
]

#: Firehose S3 buffering hint limits.
MIN_BUFFERING_MIB = 1
MAX_BUFFERING_MIB = 128
MAX_BUFFERING_INTERVAL = deferred(Duration, "seconds", 900)
#: Longest S3 prefix Firehose accepts.
MAX_PREFIX_LENGTH = 1_024

#: Construct id of the mapping aws-cdk-lib's DeliveryStream adds to its stack ("/" becomes "--").
FIREHOSE_CIDR_MAPPING = "@aws-cdk--aws-kinesisfirehose.CidrBlocks"

DEFAULT_PREFIX = "data/!{timestamp:yyyy/MM/dd/HH}/"
DEFAULT_ERROR_PREFIX = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"
ERROR_OUTPUT_TYPE = "!{firehose:error-output-type}"


@dataclass(frozen=True)
class DestinationProps:
    """Where and how the records are delivered: the bucket, its buffering, compression and
    prefixes, the key of the objects and the error log group."""

    bucket: s3.IBucket
    encryption_key: kms.IKey
    log_group: logs.ILogGroup
    buffering_size: Size
    buffering_interval: Duration
    compression: firehose.Compression
    prefix: str
    error_prefix: str | None


#: Construct id of the log stream aws-cdk-lib's S3 destination adds to the error log group.
ERROR_LOG_STREAM_ID = "S3Destination"

#: What Firehose needs of the destination bucket, as "Grant Firehose access to an Amazon S3
#: destination" (Amazon Data Firehose Developer Guide) lists it: the objects (multipart uploads
#: included) and the bucket's location and listings - no delete, no ACL, no tagging.
_OBJECT_ACTIONS = ("s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject")
_BUCKET_ACTIONS = ("s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads")
#: SSE-KMS objects: a data key for each object (and Decrypt to complete multipart uploads),
#: through S3 only - no Encrypt, no ReEncrypt, no use of the key outside S3.
_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")


def destination_bucket(
    pipeline: Construct, *, encryption_key: kms.IKey, removal_policy: RemovalPolicy
) -> s3.Bucket:
    """The bucket ``Bucket`` the records are delivered to: KMS-encrypted with the pipeline key,
    versioned, private, TLS-only, with server access logs.

    Its server access log bucket (``BucketAccessLogs``) is encrypted with S3-managed keys
    (SSE-S3), not the pipeline key: S3 server access logging delivers only to SSE-S3 targets.
    """
    return defaults.secure_bucket(
        pipeline, "Bucket", encryption_key=encryption_key, removal_policy=removal_policy
    )


def deliver(
    pipeline: Construct,
    source: kinesis.IStream,
    destination_props: DestinationProps,
    *,
    removal_policy: RemovalPolicy,
) -> tuple[iam.Role, firehose.DeliveryStream, iam.Policy]:
    """Deliver ``source`` to the bucket of ``destination_props``: the role Firehose writes with
    (:func:`destination_role`), the delivery stream (:func:`create_delivery_stream`) and what
    the role may do (:func:`grant_delivery`). The error log stream the L2 adds gets
    ``removal_policy`` (a log stream is retained by default)."""
    role = destination_role(pipeline)
    delivery_stream = create_delivery_stream(
        pipeline, source, destination_props=destination_props, role=role
    )
    policy = grant_delivery(pipeline, role, delivery_stream, destination_props)
    error_log_stream(destination_props.log_group).apply_removal_policy(removal_policy)
    return role, delivery_stream, policy


def destination_role(pipeline: Construct) -> iam.Role:
    """``DestinationRole``: assumed by Firehose for this account only (``sts:ExternalId``, as
    the Firehose guide's trust policy has it) to write to the destination.

    Its default policy stays empty for what the user adds (``add_to_principal_policy``); what
    delivery needs is in the ``DestinationPolicy`` of :func:`grant_delivery`."""
    return iam.Role(
        pipeline,
        "DestinationRole",
        assumed_by=iam.ServicePrincipal(
            "firehose.amazonaws.com",
            conditions={"StringEquals": {"sts:ExternalId": Stack.of(pipeline).account}},
        ),
        description=f"Firehose delivery of {pipeline.node.path} to its S3 bucket",
    )


def create_delivery_stream(
    pipeline: Construct,
    source: kinesis.IStream,
    *,
    destination_props: DestinationProps,
    role: iam.Role,
) -> firehose.DeliveryStream:
    """The delivery stream ``Delivery`` from ``source`` to the bucket of ``destination_props``,
    writing with ``role``.

    aws-cdk-lib's S3 destination grants its role ``bucket.grantReadWrite`` (``s3:DeleteObject*``
    ...) and ``key.grantEncryptDecrypt`` (``kms:ReEncrypt*`` ...), more than delivery needs; it
    gets ``role`` without policy updates, and :func:`grant_delivery` grants exactly what the
    Firehose guide lists. (The source side keeps the L2's own ``Service Role``, which reads the
    stream: changing the role of a Kinesis source replaces the delivery stream.)

    The L2 always adds a per-region mapping of Firehose's CIDR blocks to the stack for its
    ``connections`` (VPC destinations only); an S3 destination never references it, and an
    unused mapping fails cfn-lint and CloudFormation Validate (W7001), so it is removed again
    (unless another delivery stream of the stack added it before).
    """
    stack = Stack.of(pipeline)
    cidr_mapping_existed = stack.node.try_find_child(FIREHOSE_CIDR_MAPPING) is not None
    destination = firehose.S3Bucket(
        destination_props.bucket,
        buffering_size=destination_props.buffering_size,
        buffering_interval=destination_props.buffering_interval,
        compression=destination_props.compression,
        data_output_prefix=destination_props.prefix,
        error_output_prefix=destination_props.error_prefix,
        encryption_key=destination_props.encryption_key,
        logging_config=firehose.EnableLogging(destination_props.log_group),
        role=role.without_policy_updates(),
    )
    delivery_stream = firehose.DeliveryStream(
        pipeline,
        "Delivery",
        source=firehose.KinesisStreamSource(source),
        destination=destination,
    )
    if not cidr_mapping_existed:
        stack.node.try_remove_child(FIREHOSE_CIDR_MAPPING)
    acknowledge(
        delivery_stream,
        "AwsSolutions::AwsSolutions-KDF1",
        "A delivery stream whose source is a Kinesis data stream cannot use Firehose "
        "server-side encryption; the records are encrypted with the pipeline's KMS key in "
        "the stream and in S3.",
    )
    return delivery_stream


def error_log_stream(log_group: logs.ILogGroup) -> logs.LogStream:
    """The log stream the S3 destination added to ``log_group`` for delivery errors."""
    stream = log_group.node.find_child(ERROR_LOG_STREAM_ID)
    assert isinstance(stream, logs.LogStream)
    return stream


def grant_delivery(
    pipeline: Construct,
    role: iam.Role,
    delivery_stream: firehose.DeliveryStream,
    destination_props: DestinationProps,
) -> iam.Policy:
    """``DestinationPolicy`` on ``role``: exactly what delivery to S3 needs, as the Firehose
    guide lists it - the bucket's objects (put, get, abort multipart uploads), its location
    and listings, the pipeline key for SSE-KMS through S3 for this bucket only
    (``kms:ViaService``, ``kms:EncryptionContext:aws:s3:arn``), and the error log stream.
    The delivery stream is created after it.

    A policy of its own, so the one wildcard it needs (the bucket's objects: Firehose chooses
    the keys at delivery time) is acknowledged here and a statement the user adds to the role
    (its default policy) is always reported.
    """
    stack = Stack.of(pipeline)
    bucket, key = destination_props.bucket, destination_props.encryption_key
    objects = bucket.arn_for_objects("*")
    log_stream = error_log_stream(destination_props.log_group)
    policy = iam.Policy(
        pipeline,
        "DestinationPolicy",
        roles=[role],
        statements=[
            iam.PolicyStatement(
                sid="WriteDeliveredObjects", actions=list(_OBJECT_ACTIONS), resources=[objects]
            ),
            iam.PolicyStatement(
                sid="LocateDestinationBucket",
                actions=list(_BUCKET_ACTIONS),
                resources=[bucket.bucket_arn],
            ),
            iam.PolicyStatement(
                sid="EncryptDeliveredObjects",
                actions=list(_KEY_ACTIONS),
                resources=[key.key_arn],
                conditions={
                    "StringEquals": {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"},
                    # Bucket ARN with an S3 Bucket Key, object ARN without one.
                    "StringLike": {
                        "kms:EncryptionContext:aws:s3:arn": [bucket.bucket_arn, objects]
                    },
                },
            ),
            iam.PolicyStatement(
                sid="WriteDeliveryErrors",
                actions=["logs:PutLogEvents"],
                resources=[_log_stream_arn(destination_props.log_group, log_stream)],
            ),
        ],
    )
    resource = delivery_stream.node.default_child
    assert isinstance(resource, firehose.CfnDeliveryStream)
    resource.node.add_dependency(policy)
    spelled = nag_resource(stack.resolve(objects))
    if spelled is not None:
        acknowledge(
            policy,
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{spelled}]",
            "Firehose writes objects under time-partitioned keys it chooses at delivery time, "
            "so its role needs every object of the destination bucket (and of no other bucket).",
        )
    return policy


def _log_stream_arn(group: logs.ILogGroup, stream: logs.ILogStream) -> str:
    return Stack.of(group).format_arn(
        service="logs",
        resource="log-group",
        resource_name=f"{group.log_group_name}:log-stream:{stream.log_stream_name}",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
