"""A long-running EMR on EC2 cluster: :class:`EmrCluster`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import CfnTag, Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import MetricSource
from patterns.emr import instances, validate
from patterns.emr.alarms import add_cluster_alarms
from patterns.emr.base import EMR_MANAGED_POLICY_TAG, EmrBase
from patterns.emr.instances import ClusterCapacity
from patterns.emr.options import (
    DEFAULT_APPLICATIONS,
    DEFAULT_CORE,
    DEFAULT_PRIMARY,
    DEFAULT_RELEASE_LABEL,
    EmrStep,
    Instances,
    ManagedScaling,
)
from patterns.emr.props import ClusterProps
from patterns.emr.security import acknowledge_cluster
from patterns.emr.steps import cluster_step

__all__ = ["EmrCluster"]

#: EMR publishes cluster metrics every 5 minutes.
METRIC_PERIOD = deferred(Duration, "minutes", 5)


_DEFAULT_IDLE_TIMEOUT = deferred(Duration, "hours", 1)
_DEFAULT_APPS_PENDING_ALARM_AFTER = deferred(Duration, "minutes", 30)


class EmrCluster(EmrBase):
    """A long-running EMR on EC2 cluster: secure, logged to S3, scaled and auto-terminated.

    Example::

        cluster = EmrCluster(
            self,
            "Analytics",
            applications=["Hadoop", "Spark", "Hive"],
            core=InstanceGroup(instance_type="m7g.2xlarge", count=2),
            task=InstanceGroup(instance_type="m7g.2xlarge", count=0, spot=True),
            managed_scaling=ManagedScaling(minimum=3, maximum=20, maximum_on_demand=5,
                                           maximum_core=3),
            idle_timeout=Duration.hours(2),
            in_transit_certificate_s3_uri="s3://my-certificates/emr/certs.zip",
        )
        cluster.add_step(EmrStep.spark("Daily", "s3://my-bucket/jobs/daily.py"))

    Decisions the pattern asks of you (cdk-nag acknowledges a finding only for the choice you
    made explicitly):

    * in-transit encryption: pass ``in_transit_certificate_s3_uri`` (TLS between the nodes),
      or ``allow_unencrypted_in_transit=True``, which alone carries the AwsSolutions-EMR5
      acknowledgement. With neither the pattern raises a PatternValidationError.

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``UnhealthyNodes``,
    ``HdfsUtilization``, ``AppsPending`` and ``MissingBlocks``.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        vpc: the VPC. Default: a new one (two AZs, one NAT gateway, flow logs) tagged
            ``for-use-with-amazon-emr-managed-policies=true``. A VPC you pass must carry that
            tag on its subnets (``AmazonEMRServicePolicy_v2`` acts only on tagged resources).
        vpc_subnets: the cluster's subnets (instance groups use the first). Default: the
            private subnets with egress.
        cluster_name: Default: the construct path with ``/`` as ``-``.
        release_label: Default :data:`DEFAULT_RELEASE_LABEL` (an emr-6.x or 7.x label).
        applications: from :data:`ALLOWED_APPLICATIONS`. Default Hadoop, Spark, Hive.
        primary: Default one ``m7g.xlarge`` (``InstanceGroup``); 3 for high availability.
        core: Default two ``m7g.xlarge``. Must be the same kind (group or fleet) as primary.
        task: optional task capacity (typically Spot). Default: none.
        managed_scaling: scaling limits. Default: no managed scaling (fixed size).
        idle_timeout: terminate the cluster after this long without work (60 s-7 days).
            Default 1 h. ``None`` keeps it running until it is deleted.
        step_concurrency: steps run at once (1-256). Default 1.
        steps: steps to run once the cluster is up (see :meth:`add_step`). Default: none.
        configurations: EMR configuration classifications (``spark-defaults`` ...). Default:
            none.
        in_transit_certificate_s3_uri: ``s3://bucket/certs.zip`` with PEM certificates: turns
            on TLS between nodes (the instances may read exactly that object). Required
            unless ``allow_unencrypted_in_transit=True``.
        allow_unencrypted_in_transit: run without in-transit encryption (no certificate
            bundle); cdk-nag's AwsSolutions-EMR5 is acknowledged for this choice. Default
            False: a cluster with neither is a PatternValidationError.
        ec2_key_name: an EC2 key pair for SSH to the primary node. Default: none.
        encryption_key: KMS key for data, logs and local disks. Default: a new key (rotating).
        data_bucket: an existing bucket for job data. Default: a new encrypted bucket.
        termination_protected: block termination through the API. Default False; True
            cannot be combined with ``removal_policy=DESTROY`` (CloudFormation could not
            delete the cluster).
        removal_policy: of the buckets, key and log groups. Default RETAIN.
        hdfs_utilization_alarm_percent: alarm when HDFS is fuller than this (1-100). Default 80.
        apps_pending_alarm_after: alarm when applications have waited for capacity this long
            (a multiple of 5 min, 5 min-1 day). Default 30 min.
        alarm_topic: notified on ALARM and OK. Default: no notification.
        dashboard: a dashboard to add the alarm widgets to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

    Attributes:
        cluster: the ``CfnCluster``; ``cluster.ref`` is the cluster (job flow) id.
        cluster_id: the cluster id.
        security_configuration, service_role, instance_role, instance_profile,
        encryption_key, log_bucket, data_bucket, vpc, steps, alarms.

    Metrics: :meth:`metric` (``AWS/ElasticMapReduce`` by ``JobFlowId``) and
    :meth:`metric_unhealthy_nodes`, :meth:`metric_hdfs_utilization`,
    :meth:`metric_apps_pending`, :meth:`metric_missing_blocks` (those of the alarms).

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        cluster_name: str | None = None,
        release_label: str = DEFAULT_RELEASE_LABEL,
        applications: Sequence[str] = DEFAULT_APPLICATIONS,
        primary: Instances = DEFAULT_PRIMARY,
        core: Instances = DEFAULT_CORE,
        task: Instances | None = None,
        managed_scaling: ManagedScaling | None = None,
        idle_timeout: Duration | None = _DEFAULT_IDLE_TIMEOUT,
        step_concurrency: int = 1,
        steps: Sequence[EmrStep] = (),
        configurations: Sequence[emr.CfnCluster.ConfigurationProperty] | None = None,
        in_transit_certificate_s3_uri: str | None = None,
        allow_unencrypted_in_transit: bool = False,
        ec2_key_name: str | None = None,
        encryption_key: kms.IKey | None = None,
        data_bucket: s3.IBucket | None = None,
        termination_protected: bool = False,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        hdfs_utilization_alarm_percent: float = 80,
        apps_pending_alarm_after: Duration = _DEFAULT_APPS_PENDING_ALARM_AFTER,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            ClusterProps(
                vpc=vpc,
                vpc_subnets=vpc_subnets,
                cluster_name=cluster_name,
                release_label=release_label,
                applications=applications,
                capacity=ClusterCapacity(
                    primary=primary, core=core, task=task, managed_scaling=managed_scaling
                ),
                idle_timeout=idle_timeout,
                step_concurrency=step_concurrency,
                steps=steps,
                in_transit_certificate_s3_uri=in_transit_certificate_s3_uri,
                allow_unencrypted_in_transit=allow_unencrypted_in_transit,
                ec2_key_name=ec2_key_name,
                encryption_key=encryption_key,
                data_bucket=data_bucket,
                removal_policy=removal_policy,
            ),
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        v = self.validator()
        validate.cluster(v, self._props)
        validate.termination_protection(
            v, termination_protected=termination_protected, removal_policy=removal_policy
        )
        validate.alarm_thresholds(
            v,
            hdfs_utilization_alarm_percent=hdfs_utilization_alarm_percent,
            apps_pending_alarm_after=apps_pending_alarm_after,
        )
        v.raise_if_invalid()

        self._build_foundation()
        self.cluster = self._create_cluster(
            configurations=configurations, termination_protected=termination_protected
        )
        self._depend_on_role_policies()
        acknowledge_cluster(
            self.cluster,
            certificate=in_transit_certificate_s3_uri,
            allow_unencrypted_in_transit=allow_unencrypted_in_transit,
            ec2_key_name=ec2_key_name,
        )
        self.cluster_id: str = self.cluster.ref

        self.steps: dict[str, emr.CfnStep] = {}
        for step in steps:
            self.add_step(step)

        self.monitoring = self.start_monitoring()
        add_cluster_alarms(
            self,
            self.monitoring,
            hdfs_utilization_alarm_percent=hdfs_utilization_alarm_percent,
            apps_pending_alarm_after=apps_pending_alarm_after,
        )
        self.monitoring.finish(f"EMR {self.node.path}")
        self.record_capacity(self._props.capacity.summary(scaling=True))

    def _create_cluster(
        self,
        *,
        configurations: Sequence[emr.CfnCluster.ConfigurationProperty] | None,
        termination_protected: bool,
    ) -> emr.CfnCluster:
        """The ``CfnCluster`` (``Resource``) on the foundation: kept alive between steps,
        scaled down at task completion, tagged for ``AmazonEMRServicePolicy_v2``."""
        props = self._props
        return emr.CfnCluster(
            self,
            "Resource",
            name=self._cluster_name(),
            release_label=props.release_label,
            applications=[emr.CfnCluster.ApplicationProperty(name=a) for a in props.applications],
            instances=instances.instances_l1(
                props.capacity,
                self.subnets.subnet_ids,
                keep_alive=True,
                termination_protected=termination_protected,
                ec2_key_name=props.ec2_key_name,
            ),
            service_role=self.service_role.role_name,
            job_flow_role=self.instance_profile.ref,
            security_configuration=self.security_configuration.ref,
            log_uri=self.log_uri,
            managed_scaling_policy=instances.scaling_l1(props.capacity),
            auto_termination_policy=_auto_termination(props.idle_timeout),
            step_concurrency_level=props.step_concurrency,
            configurations=list(configurations) if configurations else None,
            visible_to_all_users=True,
            scale_down_behavior="TERMINATE_AT_TASK_COMPLETION",
            tags=[CfnTag(key=EMR_MANAGED_POLICY_TAG, value="true")],
        )

    def _depend_on_role_policies(self) -> None:
        """The roles' policies must exist before EMR uses the roles."""
        for role in (self.service_role, self.instance_role):
            policy = role.node.try_find_child("DefaultPolicy")
            if policy is not None:
                self.cluster.node.add_dependency(policy)

    # -- public API ------------------------------------------------------------------------
    def add_step(self, step: EmrStep) -> emr.CfnStep:
        """Run ``step`` on the cluster (CloudFormation waits for it to finish)."""
        v = self.validator()
        validate.new_step(v, step, existing=list(self.steps))
        v.raise_if_invalid()
        resource = cluster_step(self, step, cluster_id=self.cluster.ref)
        self.steps[step.name] = resource
        return resource

    def metric_source(self) -> MetricSource:
        """``AWS/ElasticMapReduce`` by ``JobFlowId``, 5-minute periods, ``Average``."""
        return MetricSource(
            namespace="AWS/ElasticMapReduce",
            dimensions={"JobFlowId": self.cluster.ref},
            statistic="Average",
            period=METRIC_PERIOD,
        )

    def metric_unhealthy_nodes(self, **options: Any) -> cw.Metric:
        """Maximum ``MRUnhealthyNodes``: nodes YARN marks unhealthy (disk full or failing)."""
        return self.metric("MRUnhealthyNodes", **{"statistic": "Maximum", **options})

    def metric_hdfs_utilization(self, **options: Any) -> cw.Metric:
        """Average ``HDFSUtilization``: the share of HDFS storage in use, in percent."""
        return self.metric("HDFSUtilization", **options)

    def metric_apps_pending(self, **options: Any) -> cw.Metric:
        """Minimum ``AppsPending``: YARN applications waiting for capacity."""
        return self.metric("AppsPending", **{"statistic": "Minimum", **options})

    def metric_missing_blocks(self, **options: Any) -> cw.Metric:
        """Maximum ``MissingBlocks``: HDFS blocks with no replica left (data lost)."""
        return self.metric("MissingBlocks", **{"statistic": "Maximum", **options})


def _auto_termination(
    idle_timeout: Duration | None,
) -> emr.CfnCluster.AutoTerminationPolicyProperty | None:
    """End the cluster after ``idle_timeout`` without work (``None``: it keeps running)."""
    if idle_timeout is None:
        return None
    return emr.CfnCluster.AutoTerminationPolicyProperty(idle_timeout=int(idle_timeout.to_seconds()))
