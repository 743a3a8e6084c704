"""The IAM roles of an EMR cluster: the instances' role (and profile) and the service role.

Least privilege, without the legacy ``AmazonElasticMapReduceRole`` / ``...forEC2Role``:

* the instance role may use only this cluster's log and data buckets and its key (plus the
  TLS certificate bundle, when one is given);
* the service role uses the current AWS-managed ``AmazonEMRServicePolicy_v2``, which acts only
  on resources tagged ``for-use-with-amazon-emr-managed-policies``, and may pass only the
  instance role, to EC2.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from patterns.core.nag import acknowledge, nag_resource
from patterns.core.validation import is_unresolved

__all__ = ["SERVICE_POLICY", "instance_role", "service_role"]

SERVICE_POLICY = "service-role/AmazonEMRServicePolicy_v2"

_OBJECT_ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
]
_VOLUME_KEY_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
]


def instance_role(
    scope: Construct,
    *,
    buckets: Sequence[s3.IBucket],
    encryption_key: kms.IKey,
    certificate: str | None,
) -> tuple[iam.Role, iam.CfnInstanceProfile]:
    """``InstanceRole`` (EMRFS, logs and steps run with it) and its ``InstanceProfile``.

    Args:
        scope: the pattern.
        buckets: the cluster's log and data buckets: listed, objects read and written.
        encryption_key: the cluster's key.
        certificate: the ``s3://`` URI of the TLS bundle the instances read. Default: none.
    """
    role = iam.Role(
        scope,
        "InstanceRole",
        description=f"EMR instances of {scope.node.path}: this cluster's buckets and key only",
        assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
    )
    # EMR passes the *instance profile name*; Step Functions' EmrCreateCluster passes the
    # role name, so the profile carries the role's name.
    profile = iam.CfnInstanceProfile(
        scope,
        "InstanceProfile",
        roles=[role.role_name],
        instance_profile_name=role.role_name,
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="ListBuckets",
            actions=["s3:ListBucket", "s3:GetBucketLocation"],
            resources=[b.bucket_arn for b in buckets],
        )
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="ReadWriteObjects",
            actions=_OBJECT_ACTIONS,
            resources=[b.arn_for_objects("*") for b in buckets],
        )
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="UseClusterKey",
            actions=["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
            resources=[encryption_key.key_arn],
        )
    )
    if certificate is not None and not is_unresolved(certificate):
        cert_bucket, _, cert_key = certificate.removeprefix("s3://").partition("/")
        role.add_to_policy(
            iam.PolicyStatement(
                sid="ReadTlsCertificates",
                actions=["s3:GetObject"],
                resources=[f"arn:{Stack.of(scope).partition}:s3:::{cert_bucket}/{cert_key}"],
            )
        )
    _acknowledge_bucket_objects(role, buckets)
    return role, profile


def _acknowledge_bucket_objects(role: iam.Role, buckets: Sequence[s3.IBucket]) -> None:
    stack = Stack.of(role)
    for bucket in buckets:
        objects = nag_resource(stack.resolve(bucket.bucket_arn))
        if objects is not None:
            acknowledge(
                role,
                f"AwsSolutions::AwsSolutions-IAM5[Resource::{objects}/*]",
                "EMRFS and the log pusher write objects under keys the jobs choose at run "
                "time, so the instances need every object of this cluster's own bucket.",
            )


def service_role(
    scope: Construct, *, instance_role: iam.IRole, encryption_key: kms.IKey
) -> iam.Role:
    """``ServiceRole``: AmazonEMRServicePolicy_v2, passing ``instance_role`` to EC2, and the
    key grants EMR needs to encrypt the instances' EBS volumes."""
    stack = Stack.of(scope)
    role = iam.Role(
        scope,
        "ServiceRole",
        description=f"EMR service role of {scope.node.path}",
        assumed_by=iam.ServicePrincipal(
            "elasticmapreduce.amazonaws.com",
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {
                    "aws:SourceArn": (
                        f"arn:{stack.partition}:elasticmapreduce:{stack.region}:{stack.account}:*"
                    )
                },
            },
        ),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(SERVICE_POLICY)],
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="PassInstanceRole",
            actions=["iam:PassRole"],
            resources=[instance_role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        )
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="EncryptVolumes",
            actions=_VOLUME_KEY_ACTIONS,
            resources=[encryption_key.key_arn],
        )
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="GrantVolumeEncryption",
            actions=["kms:CreateGrant"],
            resources=[encryption_key.key_arn],
            conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
        )
    )
    acknowledge(
        role,
        "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
        f"{SERVICE_POLICY}]",
        "AmazonEMRServicePolicy_v2 is the AWS-recommended EMR service policy: it acts only on "
        "resources tagged for-use-with-amazon-emr-managed-policies, unlike the legacy role.",
    )
    return role
