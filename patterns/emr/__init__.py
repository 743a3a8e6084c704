"""Amazon EMR on EC2: a secure long-running cluster, and a transient cluster run by a workflow.

EMR has no L2 construct; these patterns put a typed, validated surface over the L1
``CfnCluster`` / ``CfnSecurityConfiguration`` / ``CfnStep`` resources and the Step Functions
EMR tasks, with what every production cluster needs:

* persistence in S3 (EMRFS): HDFS disappears with the cluster, so logs and data live in an
  encrypted, versioned log bucket and data bucket, retained by default;
* a security configuration: S3 (SSE-KMS) and local disk (KMS, EBS too) encryption at rest,
  IMDSv2 only, TLS in transit with the certificate bundle you give (without one, only an
  explicit ``allow_unencrypted_in_transit=True`` builds the cluster);
* least-privilege roles: the service role uses the current AWS-managed
  ``AmazonEMRServicePolicy_v2`` (scoped by the ``for-use-with-amazon-emr-managed-policies``
  tag) and the instance profile may use only this cluster's buckets and key - no legacy
  ``AmazonElasticMapReduceRole`` / ``...forEC2Role``; a transient workflow's role acts only
  on the clusters it creates (tagged ``scalable-patterns:workflow``);
* private subnets and security groups managed by EMR itself (no custom open rules);
* instance groups or instance fleets with Spot task capacity, managed scaling, and
  auto-termination after an idle time;
* alarms on unhealthy nodes, HDFS utilisation, applications waiting for capacity and missing
  HDFS blocks, with the cluster's ``JobFlowId``.

:class:`EmrCluster` is a long-running cluster with steps; :class:`TransientEmrWorkflow` is a
:class:`~patterns.workflow.Workflow` that creates a cluster, runs steps and terminates it -
the usual way to run ETL and log analysis.

Modules: ``cluster`` (EmrCluster), ``transient`` (TransientEmrWorkflow), ``base`` (what both
build: network, key, buckets), ``security`` (security configuration, cdk-nag), ``roles``,
``options`` (InstanceGroup, InstanceFleet, ManagedScaling, EmrStep), ``instances`` (groups and
fleets as CloudFormation properties), ``steps``, ``workflow_tasks`` (the same as Step Functions
properties and states), ``workflow_grants`` (the transient workflow's exact grants),
``validate``, ``alarms``.

Names load on first use (PEP 562 ``__getattr__``, as in :mod:`patterns`): ``EmrCluster`` does
not import Step Functions or :mod:`patterns.workflow`; ``TransientEmrWorkflow`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns._lazy import lazy_names

if TYPE_CHECKING:  # type checkers and IDEs see every name; at run time __getattr__ loads them
    from patterns.emr.base import EMR_MANAGED_POLICY_TAG as EMR_MANAGED_POLICY_TAG
    from patterns.emr.cluster import EmrCluster
    from patterns.emr.instances import SPOT_TIMEOUT_MINUTES as SPOT_TIMEOUT_MINUTES
    from patterns.emr.options import ACTIONS_ON_FAILURE as ACTIONS_ON_FAILURE
    from patterns.emr.options import (
        ALLOWED_APPLICATIONS,
        DEFAULT_RELEASE_LABEL,
        EmrStep,
        InstanceFleet,
        InstanceGroup,
        ManagedScaling,
    )
    from patterns.emr.options import DEFAULT_APPLICATIONS as DEFAULT_APPLICATIONS
    from patterns.emr.options import Instances as Instances
    from patterns.emr.roles import SERVICE_POLICY as SERVICE_POLICY
    from patterns.emr.transient import TransientEmrWorkflow
    from patterns.emr.validate import MAX_CLUSTER_NAME as MAX_CLUSTER_NAME
    from patterns.emr.validate import MAX_EBS_GIB as MAX_EBS_GIB
    from patterns.emr.validate import MAX_FLEET_INSTANCE_TYPES as MAX_FLEET_INSTANCE_TYPES
    from patterns.emr.validate import MAX_IDLE_TIMEOUT as MAX_IDLE_TIMEOUT
    from patterns.emr.validate import MAX_KEY_NAME as MAX_KEY_NAME
    from patterns.emr.validate import MAX_STEP_CONCURRENCY as MAX_STEP_CONCURRENCY
    from patterns.emr.validate import MIN_EBS_GIB as MIN_EBS_GIB
    from patterns.emr.validate import MIN_IDLE_TIMEOUT as MIN_IDLE_TIMEOUT

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "EMR_MANAGED_POLICY_TAG": "patterns.emr.base",
    "EmrCluster": "patterns.emr.cluster",
    "SPOT_TIMEOUT_MINUTES": "patterns.emr.instances",
    "ACTIONS_ON_FAILURE": "patterns.emr.options",
    "ALLOWED_APPLICATIONS": "patterns.emr.options",
    "DEFAULT_APPLICATIONS": "patterns.emr.options",
    "DEFAULT_RELEASE_LABEL": "patterns.emr.options",
    "EmrStep": "patterns.emr.options",
    "InstanceFleet": "patterns.emr.options",
    "InstanceGroup": "patterns.emr.options",
    "Instances": "patterns.emr.options",
    "ManagedScaling": "patterns.emr.options",
    "SERVICE_POLICY": "patterns.emr.roles",
    "TransientEmrWorkflow": "patterns.emr.transient",
    "MAX_CLUSTER_NAME": "patterns.emr.validate",
    "MAX_EBS_GIB": "patterns.emr.validate",
    "MAX_FLEET_INSTANCE_TYPES": "patterns.emr.validate",
    "MAX_IDLE_TIMEOUT": "patterns.emr.validate",
    "MAX_KEY_NAME": "patterns.emr.validate",
    "MAX_STEP_CONCURRENCY": "patterns.emr.validate",
    "MIN_EBS_GIB": "patterns.emr.validate",
    "MIN_IDLE_TIMEOUT": "patterns.emr.validate",
}


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)

__all__ = [
    "ALLOWED_APPLICATIONS",
    "DEFAULT_RELEASE_LABEL",
    "EmrCluster",
    "EmrStep",
    "InstanceFleet",
    "InstanceGroup",
    "ManagedScaling",
    "TransientEmrWorkflow",
]
