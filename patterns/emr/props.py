"""The props both EMR patterns share: :class:`ClusterProps`, built once from the keywords.

:class:`~patterns.emr.EmrCluster` and :class:`~patterns.emr.TransientEmrWorkflow` take the
same network, release, capacity, step and storage props; each builds one frozen
:class:`ClusterProps` from them, :func:`patterns.emr.validate.cluster` checks it whole and
:class:`~patterns.emr.base.EmrBase` builds the foundation from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from patterns.emr.instances import ClusterCapacity
from patterns.emr.options import EmrStep

__all__ = ["ClusterProps"]


@dataclass(frozen=True)
class ClusterProps:
    """The shared props of the EMR patterns, as the user gave them (see
    :class:`~patterns.emr.EmrCluster` for each)."""

    vpc: ec2.IVpc | None
    vpc_subnets: ec2.SubnetSelection | None
    cluster_name: str | None
    release_label: str
    applications: Sequence[str]
    capacity: ClusterCapacity
    idle_timeout: Duration | None
    step_concurrency: int
    steps: Sequence[EmrStep]
    in_transit_certificate_s3_uri: str | None
    allow_unencrypted_in_transit: bool
    ec2_key_name: str | None
    encryption_key: kms.IKey | None
    data_bucket: s3.IBucket | None
    removal_policy: RemovalPolicy
