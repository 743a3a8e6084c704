"""A transient EMR cluster run by a Step Functions workflow: :class:`TransientEmrWorkflow`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, Names, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.emr import validate
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
from patterns.emr.workflow_grants import (
    WORKFLOW_TAG,
    CreateCluster,
    TerminateCluster,
    cluster_policy,
)
from patterns.emr.workflow_tasks import instances_task, scaling_task, workflow_step
from patterns.workflow import RetryPolicy, Workflow, add_catch, add_retry

__all__ = ["TransientEmrWorkflow"]

#: Where the running cluster's id is in the execution's state.
CLUSTER_ID_PATH = "$.cluster.ClusterId"


_DEFAULT_IDLE_TIMEOUT = deferred(Duration, "hours", 1)
_DEFAULT_TIMEOUT = deferred(Duration, "hours", 6)


class TransientEmrWorkflow(EmrBase):
    """A :class:`~patterns.workflow.Workflow` that creates a cluster, runs steps, terminates it.

    ``EmrCreateCluster`` (waits until the cluster is ready) -> one ``EmrAddStep`` per step
    (each waits for its step) -> ``EmrTerminateCluster``. A failed step routes to a state
    that terminates the cluster and then fails the execution, so no cluster is left running;
    the cluster's idle timeout is a second safety net (an aborted execution). The workflow is
    logged, traced and alarmed by :class:`Workflow`.

    The workflow acts only on the clusters it creates: each is tagged
    ``scalable-patterns:workflow=<this construct's unique id>`` and the workflow role's
    ``cluster_policy`` allows RunJobFlow only with that tag and every other EMR action only on
    clusters carrying it (see :mod:`patterns.emr.workflow_grants`). The role's default policy
    is left to what you add (a wildcard there is reported by cdk-nag).

    Decisions the pattern asks of you: in-transit encryption - pass
    ``in_transit_certificate_s3_uri`` (TLS between the nodes) or
    ``allow_unencrypted_in_transit=True``; with neither the pattern raises a
    PatternValidationError.

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``, those of its :class:`Workflow`):
    ``ExecutionsFailed``, ``ExecutionsTimedOut``, ``ExecutionsThrottled``,
    ``ExecutionsAborted`` and, with an ``alarm_topic`` (the failure topic),
    ``FailureDlqNotEmpty``.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        steps: at least one step, run in order.
        vpc, vpc_subnets, release_label, applications, primary, core, task, managed_scaling,
        step_concurrency, configurations, in_transit_certificate_s3_uri,
        allow_unencrypted_in_transit, ec2_key_name, encryption_key, data_bucket,
        removal_policy: as for :class:`EmrCluster` (a certificate bundle or
        ``allow_unencrypted_in_transit=True`` is required).
        cluster_name: Default: the construct path with ``/`` as ``-``.
        idle_timeout: the cluster ends itself after this idle time if the workflow cannot
            (60 s-7 days). Default 1 h.
        timeout: of a whole execution. Default 6 h.
        alarm_topic: notified on ALARM and OK, and of failed executions. Default: none.
        dashboard: a dashboard for the workflow's alarms. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

    Attributes:
        workflow: the :class:`Workflow`; ``workflow.state_machine`` starts a run.
        create_cluster, terminate_cluster: the tasks; ``step_tasks``: name -> EmrAddStep.
        workflow_id: the ``scalable-patterns:workflow`` tag value of the clusters it creates.
        cluster_policy: the workflow role's EMR grants, limited to those clusters.
        security_configuration, service_role, instance_role, encryption_key, log_bucket,
        data_bucket, vpc.
        alarms: the workflow's alarms (failed, timed-out, throttled, aborted executions).

    Metrics: :meth:`metric` (the state machine's ``AWS/States`` metrics) and
    :meth:`metric_executions_failed`, :meth:`metric_executions_timed_out`,
    :meth:`metric_executions_succeeded`.

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        steps: Sequence[EmrStep],
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        cluster_name: str | None = None,
        release_label: str = DEFAULT_RELEASE_LABEL,
        applications: Sequence[str] = DEFAULT_APPLICATIONS,
        primary: Instances = DEFAULT_PRIMARY,
        core: Instances = DEFAULT_CORE,
        task: Instances | None = None,
        managed_scaling: ManagedScaling | None = None,
        idle_timeout: Duration = _DEFAULT_IDLE_TIMEOUT,
        step_concurrency: int = 1,
        configurations: Sequence[tasks.EmrCreateCluster.ConfigurationProperty] | None = None,
        in_transit_certificate_s3_uri: str | None = None,
        allow_unencrypted_in_transit: bool = False,
        ec2_key_name: str | None = None,
        encryption_key: kms.IKey | None = None,
        data_bucket: s3.IBucket | None = None,
        timeout: Duration = _DEFAULT_TIMEOUT,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
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
        capacity = self._props.capacity
        v = self.validator()
        validate.transient_run(v, steps=steps, idle_timeout=idle_timeout, timeout=timeout)
        validate.cluster(v, self._props)
        v.raise_if_invalid()
        self._build_foundation()
        self.auto_scaling_role = None if capacity.fleets else self._unused_auto_scaling_role()
        #: The value of the ``scalable-patterns:workflow`` tag on the clusters it creates.
        self.workflow_id = Names.unique_id(self)
        self.create_cluster = CreateCluster(
            self,
            "CreateCluster",
            name=self._cluster_name(),
            release_label=release_label,
            applications=[
                tasks.EmrCreateCluster.ApplicationConfigProperty(name=a) for a in applications
            ],
            instances=instances_task(capacity, self.subnets.subnet_ids, ec2_key_name=ec2_key_name),
            service_role=self.service_role,
            cluster_role=self.instance_role,
            auto_scaling_role=self.auto_scaling_role,
            security_configuration=self.security_configuration.ref,
            log_uri=self.log_uri,
            managed_scaling_policy=scaling_task(capacity),
            auto_termination_policy_idle_timeout=idle_timeout,
            step_concurrency_level=step_concurrency,
            configurations=list(configurations) if configurations else None,
            visible_to_all_users=True,
            tags={EMR_MANAGED_POLICY_TAG: "true", WORKFLOW_TAG: self.workflow_id},
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            result_path="$.cluster",
            result_selector={"ClusterId.$": "$.ClusterId"},
        )
        self.workflow = self._workflow(
            steps, timeout, removal_policy, alarm_topic, dashboard, alarm_overrides
        )
        self.alarms = self.workflow.alarms
        roles = (self.service_role, self.instance_role, self.auto_scaling_role)
        #: What the workflow's role may do with EMR: only on the clusters it creates.
        self.cluster_policy = cluster_policy(
            self,
            self.workflow.role,
            workflow_id=self.workflow_id,
            passed_roles=[role for role in roles if role is not None],
        )
        self.record_capacity("transient: " + capacity.summary())

    def _workflow(
        self,
        steps: Sequence[EmrStep],
        timeout: Duration,
        removal_policy: RemovalPolicy,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None,
    ) -> Workflow:
        """The workflow that creates the cluster, runs the steps and terminates it; failed
        executions notify the alarm topic, and its alarms are this pattern's."""
        return Workflow(
            self,
            "Workflow",
            definition=self._definition(steps),
            timeout=timeout,
            failure_topic=alarm_topic,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )

    def _unused_auto_scaling_role(self) -> iam.Role:
        """EmrCreateCluster always sends an AutoScalingRole for instance groups, and would
        otherwise create one with the legacy managed policy. Managed scaling does not use it,
        so this one has no permissions at all."""
        return iam.Role(
            self,
            "AutoScalingRole",
            description=f"Unused auto-scaling role of {self.node.path} (managed scaling)",
            assumed_by=iam.CompositePrincipal(
                iam.ServicePrincipal("elasticmapreduce.amazonaws.com"),
                iam.ServicePrincipal("application-autoscaling.amazonaws.com"),
            ),
        )

    def _definition(self, steps: Sequence[EmrStep]) -> sfn.Chain:
        """Create (retried once) -> each step -> terminate; a failed step terminates the
        cluster and fails the execution, a cluster that does not start fails it."""
        cluster_id = sfn.JsonPath.string_at(CLUSTER_ID_PATH)
        add_retry(
            self.create_cluster,
            RetryPolicy(
                max_attempts=1, interval=Duration.minutes(2), max_delay=Duration.minutes(2)
            ),
        )
        self.terminate_cluster = self._terminate("TerminateCluster", cluster_id)
        cleanup = self._terminate("TerminateAfterFailure", cluster_id)
        cleanup.next(
            sfn.Fail(
                self, "StepFailed", error="EmrStepFailed", cause="A step failed; cluster terminated"
            )
        )
        create_failed = sfn.Fail(
            self, "CreateFailed", error="EmrCreateClusterFailed", cause="Cluster did not start"
        )
        add_catch(self.create_cluster, create_failed)

        self.step_tasks: dict[str, tasks.EmrAddStep] = {}
        chain: sfn.Chain = sfn.Chain.start(self.create_cluster)
        for step in steps:
            add_step = workflow_step(self, step, cluster_id=cluster_id)
            add_catch(add_step, cleanup)
            self.step_tasks[step.name] = add_step
            chain = chain.next(add_step)
        return chain.next(self.terminate_cluster)

    def _terminate(self, construct_id: str, cluster_id: str) -> tasks.EmrTerminateCluster:
        """A retried task that terminates the cluster and waits until it is gone."""
        task = TerminateCluster(
            self,
            construct_id,
            cluster_id=cluster_id,
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            result_path=sfn.JsonPath.DISCARD,
        )
        add_retry(task)
        return task

    # -- public API ------------------------------------------------------------------------
    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """A metric of the workflow's state machine (``AWS/States`` by ``StateMachineArn``).

        A transient cluster's id is known only at run time, so the pattern's metrics are
        those of its runs. ``options`` are ``cloudwatch.MetricOptions``; default ``Sum`` over
        5 minutes.
        """
        return self.workflow.state_machine.metric(metric_name, **options)

    def metric_executions_failed(self, **options: Any) -> cw.Metric:
        """``ExecutionsFailed``: runs that failed (a step failed or the cluster did not start)."""
        return self.workflow.state_machine.metric_failed(**options)

    def metric_executions_timed_out(self, **options: Any) -> cw.Metric:
        """``ExecutionsTimedOut``: runs that took longer than ``timeout``."""
        return self.workflow.state_machine.metric_timed_out(**options)

    def metric_executions_succeeded(self, **options: Any) -> cw.Metric:
        """``ExecutionsSucceeded``: runs whose steps all succeeded."""
        return self.workflow.state_machine.metric_succeeded(**options)
