"""The service role of :class:`~patterns.stream_analytics.StreamAnalytics` and what it may do,
in a policy of its own (``ServicePolicy``): read the source stream and the application code,
write to the sinks, use their KMS keys through Kinesis and S3 only, manage the network
interfaces of a VPC application. (Its log permissions are in ``logging.py``.)"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    "service_policy",
    "service_role",
]

#: The encryption context S3 and Kinesis Data Streams pass to KMS: the object (or, with an S3
#: Bucket Key, the bucket) ARN; the stream ARN.
_S3_CONTEXT = "kms:EncryptionContext:aws:s3:arn"
_KINESIS_CONTEXT = "kms:EncryptionContext:aws:kinesis:arn"

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
    """``ServiceRole``: assumed by Managed Flink on behalf of this account only.

    Its default policy stays for what the user adds (``add_to_principal_policy``, ``grant_*``);
    what the application needs is in :func:`service_policy`."""
    return iam.Role(
        application,
        "ServiceRole",
        assumed_by=iam.ServicePrincipal(
            "kinesisanalytics.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": Stack.of(application).account}},
        ),
        description=f"Service role of the Flink application {application.node.path}",
    )


def service_policy(application: Construct, role: iam.Role) -> iam.Policy:
    """``ServicePolicy`` on ``role``: what the application needs, and nothing the user adds.

    A policy of its own, so the wildcards it needs are acknowledged on it alone and a
    statement the user adds to the role is always reported."""
    return iam.Policy(application, "ServicePolicy", roles=[role])


def _via(service: str, stack: Stack) -> str:
    """The ``kms:ViaService`` value of ``service`` (``s3``, ``kinesis``) in this region."""
    return f"{service}.{stack.region}.amazonaws.com"


def _use_key(
    policy: iam.Policy,
    key: kms.IKey,
    actions: Sequence[str],
    *,
    service: str,
    context: Mapping[str, object],
    sid: str | None = None,
) -> None:
    """``actions`` on ``key`` only through ``service`` (``kms:ViaService``) and only for the
    resource named by the encryption context ``context`` (condition key -> ``StringLike``)."""
    policy.add_statements(
        iam.PolicyStatement(
            sid=sid,
            actions=sorted(actions),
            resources=[key.key_arn],
            conditions={
                "StringEquals": {"kms:ViaService": _via(service, Stack.of(policy))},
                "StringLike": dict(context),
            },
        )
    )


def grant_read_source(policy: iam.Policy, stream: kinesis.IStream, key: kms.IKey | None) -> None:
    """Read the source stream (polling) and decrypt its records, through Kinesis only."""
    policy.add_statements(
        iam.PolicyStatement(
            sid="ReadSourceStream", actions=list(_SOURCE_ACTIONS), resources=[stream.stream_arn]
        )
    )
    if key is not None:
        _use_key(
            policy,
            key,
            ["kms:Decrypt"],
            service="kinesis",
            context={_KINESIS_CONTEXT: stream.stream_arn},
            sid="DecryptSourceRecords",
        )


def grant_read_code(policy: iam.Policy, object_arn: str, bucket: s3.IBucket | None) -> None:
    """Read the code object (and decrypt it through S3, when ``bucket`` is the user's code
    bucket with a KMS key; the asset bucket has none)."""
    if bucket is not None and bucket.encryption_key is not None:
        _use_key(
            policy,
            bucket.encryption_key,
            ["kms:Decrypt"],
            service="s3",
            context={_S3_CONTEXT: [bucket.bucket_arn, object_arn]},
            sid="DecryptApplicationCode",
        )
    policy.add_statements(
        iam.PolicyStatement(
            sid="ReadApplicationCode",
            actions=["s3:GetObject", "s3:GetObjectVersion"],
            resources=[object_arn],
        )
    )


def grant_write_sinks(
    policy: iam.Policy, buckets: Sequence[s3.IBucket], streams: Sequence[kinesis.IStream]
) -> None:
    """Write to each sink bucket (the Flink file sink) and sink stream, with their keys
    (through S3 / Kinesis only)."""
    for bucket in buckets:
        _grant_write_bucket(policy, bucket)
    for stream in streams:
        policy.add_statements(
            iam.PolicyStatement(actions=list(_SINK_STREAM_ACTIONS), resources=[stream.stream_arn])
        )
        if stream.encryption_key is not None:
            _use_key(
                policy,
                stream.encryption_key,
                ["kms:GenerateDataKey"],
                service="kinesis",
                context={_KINESIS_CONTEXT: stream.stream_arn},
            )


def _grant_write_bucket(policy: iam.Policy, bucket: s3.IBucket) -> None:
    """The Flink file sink's S3 calls on one bucket. ``s3:DeleteObject`` stays: the sink's
    recoverable writer stores an unfinished part as a temporary object and deletes it once the
    part is complete."""
    objects = bucket.arn_for_objects("*")
    policy.add_statements(
        iam.PolicyStatement(actions=list(_SINK_OBJECT_ACTIONS), resources=[objects]),
        iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn]),
    )
    if bucket.encryption_key is not None:
        _use_key(
            policy,
            bucket.encryption_key,
            ["kms:Decrypt", "kms:GenerateDataKey"],
            service="s3",
            context={_S3_CONTEXT: [bucket.bucket_arn, objects]},
        )
    spelled = nag_resource(Stack.of(policy).resolve(objects))
    if spelled is not None:
        acknowledge(
            policy,
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{spelled}]",
            "The Flink file sink writes, completes and cleans up part files under keys it "
            "chooses at run time, so the role needs every object of this sink bucket (and "
            "of no other bucket).",
        )


def grant_vpc_access(policy: iam.Policy) -> None:
    """Create and delete the application's network interfaces in its VPC."""
    policy.add_statements(
        iam.PolicyStatement(
            sid="ManageApplicationNetworkInterfaces",
            actions=list(_NETWORK_INTERFACE_ACTIONS),
            resources=["*"],
        )
    )
    acknowledge(
        policy,
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "Managed Flink creates and deletes the application's network interfaces in the VPC "
        "with these EC2 actions; the Describe actions and ENI creation for not yet existing "
        "interfaces support no resource-level scoping.",
    )
