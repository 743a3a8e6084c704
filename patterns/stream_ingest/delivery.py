"""The Firehose delivery stream of :class:`~patterns.stream_ingest.StreamToS3Pipeline`: it
reads the Kinesis stream, buffers, compresses and writes the records to S3 under the data
prefix (failed records under the error prefix), with its own destination role."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.core import defaults
from patterns.core.nag import acknowledge, nag_resource

__all__ = [
    "DEFAULT_ERROR_PREFIX",
    "DEFAULT_PREFIX",
    "ERROR_OUTPUT_TYPE",
    "FIREHOSE_CIDR_MAPPING",
    "MAX_BUFFERING_INTERVAL",
    "MAX_BUFFERING_MIB",
    "MAX_PREFIX_LENGTH",
    "MIN_BUFFERING_MIB",
    "create_delivery_stream",
    "destination_bucket",
]

#: Firehose S3 buffering hint limits.
MIN_BUFFERING_MIB = 1
MAX_BUFFERING_MIB = 128
MAX_BUFFERING_INTERVAL = Duration.seconds(900)
#: Longest S3 prefix Firehose accepts.
MAX_PREFIX_LENGTH = 1_024

#: Construct id of the mapping aws-cdk-lib's DeliveryStream adds to its stack ("/" becomes "--").
FIREHOSE_CIDR_MAPPING = "@aws-cdk--aws-kinesisfirehose.CidrBlocks"

DEFAULT_PREFIX = "data/!{timestamp:yyyy/MM/dd/HH}/"
DEFAULT_ERROR_PREFIX = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"
ERROR_OUTPUT_TYPE = "!{firehose:error-output-type}"

#: The grants aws-cdk-lib's Firehose S3 destination gives its role: CDK action groups on exactly
#: one bucket (``bucket.grantReadWrite``) and one key (``key.grantEncryptDecrypt``).
_BUCKET_ACTIONS = ("s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*")
_KEY_ACTIONS = ("kms:GenerateDataKey*", "kms:ReEncrypt*")


def destination_bucket(
    pipeline: Construct, *, encryption_key: kms.IKey, removal_policy: RemovalPolicy
) -> s3.Bucket:
    """The bucket ``Bucket`` the records are delivered to: KMS-encrypted with the pipeline key,
    versioned, private, TLS-only, with server access logs."""
    return defaults.secure_bucket(
        pipeline, "Bucket", encryption_key=encryption_key, removal_policy=removal_policy
    )


def create_delivery_stream(
    pipeline: Construct,
    source: kinesis.IStream,
    destination: firehose.S3Bucket,
    *,
    bucket: s3.IBucket,
) -> firehose.DeliveryStream:
    """The delivery stream ``Delivery`` from ``source`` to ``destination`` (in ``bucket``).

    The L2 always adds a per-region mapping of Firehose's CIDR blocks to the stack for its
    ``connections`` (VPC destinations only); an S3 destination never references it, and an
    unused mapping fails cfn-lint and CloudFormation Validate (W7001), so it is removed again
    (unless another delivery stream of the stack added it before).
    """
    stack = Stack.of(pipeline)
    cidr_mapping_existed = stack.node.try_find_child(FIREHOSE_CIDR_MAPPING) is not None
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
    _acknowledge_destination_grants(delivery_stream, bucket)
    return delivery_stream


def _acknowledge_destination_grants(
    delivery_stream: firehose.DeliveryStream, bucket: s3.IBucket
) -> None:
    """Acknowledge the wildcards of the grants the L2's S3 destination gives its role (there is
    no way to narrow them)."""
    role = delivery_stream.node.try_find_child("S3 Destination Role")
    if role is None:  # a future L2 that names its role differently: nag will say so
        return
    for action in _BUCKET_ACTIONS:
        acknowledge(
            role,
            f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
            f"{action} comes from the grantReadWrite that aws-cdk-lib's Firehose S3 "
            "destination gives its role; it applies to the destination bucket only.",
        )
    for action in _KEY_ACTIONS:
        acknowledge(
            role,
            f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
            f"{action} comes from the grantEncryptDecrypt of the pipeline key that Firehose "
            "needs to write SSE-KMS objects; it applies to that one key only.",
        )
    objects = nag_resource(Stack.of(delivery_stream).resolve(bucket.bucket_arn))
    if objects is not None:
        acknowledge(
            role,
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{objects}/*]",
            "Firehose writes objects under time-partitioned keys it chooses at delivery time, "
            "so the role needs every object of the destination bucket (and no other bucket).",
        )
