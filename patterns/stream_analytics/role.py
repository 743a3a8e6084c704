"""The service role of :class:`~patterns.stream_analytics.StreamAnalytics` and what it may do:
read the source stream and the application code, write to the sinks, manage the network
interfaces of a VPC application. (Its log permissions are in ``logging.py``.)"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.core.nag import acknowledge, nag_resource

__all__ = [
    "grant_read_code",
    "grant_read_source",
    "grant_vpc_access",
    "grant_write_sinks",
    "service_role",
]

_SOURCE_ACTIONS = (
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
)
_SINK_STREAM_ACTIONS = (
    "kinesis:DescribeStreamSummary",
    "kinesis:ListShards",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
)
_SINK_OBJECT_ACTIONS = (
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:GetObject",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
)
_NETWORK_INTERFACE_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
)


def service_role(application: Construct) -> iam.Role:
    """``ServiceRole``: assumed by Managed Flink on behalf of this account only."""
    return iam.Role(
        application,
        "ServiceRole",
        assumed_by=iam.ServicePrincipal(
            "kinesisanalytics.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": Stack.of(application).account}},
        ),
        description=f"Service role of the Flink application {application.node.path}",
    )


def grant_read_source(role: iam.Role, stream: kinesis.IStream, key: kms.IKey | None) -> None:
    """Read the source stream (polling) and decrypt its records."""
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="ReadSourceStream", actions=list(_SOURCE_ACTIONS), resources=[stream.stream_arn]
        )
    )
    if key is not None:
        key.grant(role, "kms:Decrypt")


def grant_read_code(role: iam.Role, object_arn: str, bucket: s3.IBucket | None) -> None:
    """Read the code object (and decrypt it, when ``bucket`` is the user's code bucket with a
    KMS key; the asset bucket has none)."""
    if bucket is not None and bucket.encryption_key is not None:
        bucket.encryption_key.grant(role, "kms:Decrypt")
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="ReadApplicationCode",
            actions=["s3:GetObject", "s3:GetObjectVersion"],
            resources=[object_arn],
        )
    )


def grant_write_sinks(
    role: iam.Role, buckets: Sequence[s3.IBucket], streams: Sequence[kinesis.IStream]
) -> None:
    """Write to each sink bucket (the Flink file sink) and sink stream, with their keys."""
    for bucket in buckets:
        _grant_write_bucket(role, bucket)
    for stream in streams:
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(_SINK_STREAM_ACTIONS), resources=[stream.stream_arn])
        )
        if stream.encryption_key is not None:
            stream.encryption_key.grant(role, "kms:GenerateDataKey")


def _grant_write_bucket(role: iam.Role, bucket: s3.IBucket) -> None:
    objects = bucket.arn_for_objects("*")
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(_SINK_OBJECT_ACTIONS), resources=[objects])
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn])
    )
    if bucket.encryption_key is not None:
        bucket.encryption_key.grant(role, "kms:Decrypt", "kms:GenerateDataKey")
    spelled = nag_resource(Stack.of(role).resolve(objects))
    if spelled is not None:
        acknowledge(
            role,
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{spelled}]",
            "The Flink file sink writes, completes and cleans up part files under keys it "
            "chooses at run time, so the role needs every object of this sink bucket (and "
            "of no other bucket).",
        )


def grant_vpc_access(role: iam.Role) -> None:
    """Create and delete the application's network interfaces in its VPC."""
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="ManageApplicationNetworkInterfaces",
            actions=list(_NETWORK_INTERFACE_ACTIONS),
            resources=["*"],
        )
    )
    acknowledge(
        role,
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "Managed Flink creates and deletes the application's network interfaces in the VPC "
        "with these EC2 actions; the Describe actions and ENI creation for not yet existing "
        "interfaces support no resource-level scoping.",
    )
