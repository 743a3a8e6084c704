"""What both EMR patterns build: network, key, buckets, security configuration and roles.

:class:`EmrBase` is the base of :class:`~patterns.emr.EmrCluster` and
:class:`~patterns.emr.TransientEmrWorkflow`. HDFS disappears with the cluster, so logs and
data live in S3 (EMRFS): an encrypted, versioned log bucket and data bucket, retained by
default. The cluster runs in private subnets, with security groups EMR manages itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import RemovalPolicy, Tags
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core import defaults
from patterns.core.monitoring import AlarmOverride
from patterns.core.network import private_vpc, select_subnets
from patterns.core.pattern import Pattern
from patterns.emr import roles
from patterns.emr.props import ClusterProps
from patterns.emr.security import security_configuration

__all__ = ["EMR_MANAGED_POLICY_TAG", "EmrBase"]

#: The tag ``AmazonEMRServicePolicy_v2`` requires on the VPC, subnets and security groups.
EMR_MANAGED_POLICY_TAG = "for-use-with-amazon-emr-managed-policies"
#: ``RunJobFlow`` names are at most 256 characters.
_MAX_NAME = 256


class EmrBase(Pattern):
    """The shared props and foundation of the EMR patterns (:meth:`_build_foundation`).

    Attributes:
        vpc: the VPC of the cluster.
        subnets: the selected subnets (instance groups use the first).
        encryption_key: encrypts data, logs and local disks.
        log_bucket: cluster logs (``s3://<bucket>/logs/``): they outlive the cluster.
        data_bucket: input and output of the jobs (EMRFS); created unless one was given.
        log_uri: ``s3://<log bucket>/logs/``.
        security_configuration: the ``CfnSecurityConfiguration``.
        instance_role, instance_profile: of the cluster's EC2 instances.
        service_role: the EMR service role.
    """

    vpc: ec2.IVpc
    subnets: ec2.SelectedSubnets
    encryption_key: kms.IKey
    log_bucket: s3.Bucket
    data_bucket: s3.IBucket
    log_uri: str
    security_configuration: emr.CfnSecurityConfiguration
    instance_role: iam.Role
    instance_profile: iam.CfnInstanceProfile
    service_role: iam.Role

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        props: ClusterProps,
        *,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        """Args: the shared props (their key and removal policy are the base's common props),
        the alarm topic, the dashboard and the alarm overrides, as the user gave them."""
        super().__init__(
            scope,
            construct_id,
            encryption_key=props.encryption_key,
            removal_policy=props.removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        self._props = props

    def _cluster_name(self) -> str:
        """``cluster_name``, or the construct path with ``/`` as ``-`` (at most 256
        characters)."""
        return self._props.cluster_name or self.node.path.replace("/", "-")[:_MAX_NAME]

    def _warn_spot(self) -> None:
        for role in self._props.capacity.spot_roles():
            self.warn(
                f"emr:{role}-spot",
                f"{role} capacity on Spot: an interruption "
                + ("ends the cluster" if role == "primary" else "can lose HDFS data")
                + "; keep Spot for task capacity.",
            )

    def _build_foundation(self) -> None:
        """Warn about Spot primary or core capacity, then create the VPC (if none is given),
        key, buckets, security configuration and roles."""
        props = self._props
        removal_policy = props.removal_policy
        certificate = props.in_transit_certificate_s3_uri
        self._warn_spot()
        self.vpc = self._emr_vpc(removal_policy) if props.vpc is None else props.vpc
        selection = props.vpc_subnets or ec2.SubnetSelection(
            subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
        )
        self.subnets = select_subnets(self.vpc, selection)
        self.encryption_key = props.encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=f"Encrypts the EMR data, logs and local disks of {self.node.path}",
            removal_policy=removal_policy,
        )
        self._buckets(props.data_bucket, removal_policy)
        self.security_configuration = security_configuration(
            self, encryption_key=self.encryption_key, certificate=certificate
        )
        self.instance_role, self.instance_profile = roles.instance_role(
            self,
            buckets=[self.log_bucket, self.data_bucket],
            encryption_key=self.encryption_key,
            certificate=certificate,
        )
        self.service_role = roles.service_role(
            self, instance_role=self.instance_role, encryption_key=self.encryption_key
        )

    def _emr_vpc(self, removal_policy: RemovalPolicy) -> ec2.IVpc:
        """A private VPC whose VPC and subnets carry the EMR managed-policy tag."""
        created = private_vpc(self, "Vpc", removal_policy=removal_policy)
        Tags.of(created).add(
            EMR_MANAGED_POLICY_TAG,
            "true",
            include_resource_types=["AWS::EC2::VPC", "AWS::EC2::Subnet"],
        )
        return created

    def _buckets(self, data_bucket: s3.IBucket | None, removal_policy: RemovalPolicy) -> None:
        """The log bucket, the data bucket (unless given) and their access-log bucket."""
        access_logs = defaults.access_log_bucket(self, "AccessLogs", removal_policy=removal_policy)
        self.log_bucket = defaults.secure_bucket(
            self,
            "LogBucket",
            encryption_key=self.encryption_key,
            server_access_logs_bucket=access_logs,
            removal_policy=removal_policy,
        )
        self.data_bucket = data_bucket or defaults.secure_bucket(
            self,
            "DataBucket",
            encryption_key=self.encryption_key,
            server_access_logs_bucket=access_logs,
            removal_policy=removal_policy,
        )
        self.log_uri = self.log_bucket.s3_url_for_object("logs/")
