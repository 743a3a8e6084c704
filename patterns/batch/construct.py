"""AWS Batch: compute environments, a job queue, job definitions and scheduled submission.

The four set-up steps of AWS Batch as one construct:

1. managed compute environments (Fargate or EC2, Spot or On-Demand), tried in order
   (:mod:`~patterns.batch.compute`);
2. one job queue with a priority, which cancels jobs that can never run instead of letting
   them block the queue (:mod:`~patterns.batch.compute`);
3. container job definitions whose vCPU / memory are checked against what Fargate accepts,
   with a retry strategy driven by exit codes, a timeout and a log group with a retention
   (:mod:`~patterns.batch.jobs`);
4. optional scheduled submission through EventBridge Scheduler, with retries and a DLQ
   (:mod:`~patterns.batch.scheduling`).

Batch publishes no CloudWatch metrics of its own, so failures are watched through an
EventBridge rule on ``Batch Job State Change`` events with status ``FAILED`` for this queue
(:mod:`~patterns.batch.notifications`): the rule notifies the alarm topic (else a topic of
the construct's own) with the job's details, and an alarm on the rule's ``TriggeredRules``
metric shows the failures on the dashboard.

Example::

    jobs = BatchJobs(
        self,
        "Reports",
        compute_environments={
            "spot": ComputeEnvironmentOptions(spot=True, max_vcpus=64),
            "on-demand": ComputeEnvironmentOptions(max_vcpus=16),
        },
        job_definitions={
            "nightly": JobDefinitionOptions(
                image=ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/python:3.13"),
                command=["python", "-m", "reports.nightly"],
                vcpus=1,
                memory_mib=4_096,
                retry_exit_codes=["75"],
            )
        },
        schedule=scheduler.ScheduleExpression.cron(hour="2", minute="0"),
        alarm_topic=alarm_topic,
    )
    jobs.grant_submit_job(api_function, "nightly")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_batch as batch
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.batch import capacity, validate
from patterns.batch.alarms import add_batch_alarms
from patterns.batch.compute import (
    ComputeEnvironment,
    capacity_summary,
    compute_environment,
    job_queue,
)
from patterns.batch.jobs import job_definition
from patterns.batch.notifications import allow_events_to_use, failed_job_notifications
from patterns.batch.options import ComputeEnvironmentOptions, JobDefinitionOptions
from patterns.batch.scheduling import add_schedule
from patterns.core import defaults
from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.network import private_vpc
from patterns.core.pattern import MetricSource, Pattern

__all__ = ["BatchJobs"]

#: Period of the failed-job count.
METRIC_PERIOD = deferred(Duration, "minutes", 5)


_DEFAULT_RUNNABLE_TIMEOUT = deferred(Duration, "minutes", 30)
_DEFAULT_SCHEDULE_MAX_EVENT_AGE = deferred(Duration, "hours", 1)


class BatchJobs(Pattern):
    """AWS Batch compute environments, a job queue, job definitions and a schedule.

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``JobsFailed``,
    ``NotificationDlqNotEmpty`` and, with a schedule, ``ScheduleDlqNotEmpty``.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        compute_environments: name -> options, in the order the queue tries them (e.g. Spot
            first, then On-Demand). Names are 1-40 letters, digits, ``-`` or ``_``.
        job_definitions: name -> options. At least one. A job needing more vCPUs than any
            compute environment can provide (its ``max_vcpus``, on EC2 also the largest sized
            instance type), or an ARM64 job on Fargate Spot only, is an error: it would never
            run.
        vpc: the VPC the jobs run in. Default: a new VPC (two AZs, one NAT gateway, flow
            logs), see :func:`private_vpc`.
        vpc_subnets: subnets of ``vpc`` for the compute environments. Default: the private
            subnets with egress (jobs get no public IP).
        priority: priority of the job queue among queues sharing compute environments
            (0-1,000, higher first). Default 1.
        runnable_timeout: cancel a job that has waited this long in ``RUNNABLE`` because it
            can never run (it asks for more vCPUs or memory than any compute environment
            offers), so it does not block the queue (10 min-24 h). Default 30 min.
        schedule: submit a job on this schedule through EventBridge Scheduler. Default: no
            schedule.
        scheduled_job: the job definition the schedule submits. Default: the first one.
        schedule_retry_attempts: Scheduler retries of a failed submission (0-185). Default 3.
        schedule_max_event_age: give up on a submission after this (60 s-24 h); it then goes
            to the schedule's DLQ. Default 1 h.
        encryption_key: KMS key of the DLQs, the schedule and the created notification topic.
            Default: a new key (rotating yearly). A given key's policy must let
            ``events.amazonaws.com`` use it (the construct adds that to a key of this app).
        removal_policy: of the log groups, DLQs and key. Default RETAIN; DESTROY for dev.
        alarm_topic: notified of every failed job (with its id, name and reason) and on
            ALARM / OK of the alarms. Default: failed jobs go to a topic this construct creates
            (:attr:`notification_topic`: subscribe to it) and the alarms have no action.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

    Attributes:
        vpc: the VPC the jobs run in.
        fargate: True if the compute environments are Fargate (else EC2).
        compute_environments: name -> compute environment.
        job_queue: the job queue.
        job_definitions: name -> job definition.
        log_groups: job definition name -> its log group.
        schedule: the EventBridge Scheduler schedule, or None.
        schedule_dead_letter_queue: submissions the schedule could not make, or None.
        failed_job_rule: the EventBridge rule matching FAILED jobs of this queue.
        notification_topic: where the rule sends every failed job: ``alarm_topic``, else
            ``NotificationTopic`` (TLS only, encrypted with ``encryption_key``).
        notification_dead_letter_queue: failure notifications EventBridge could not deliver.
        monitoring: the alarms and dashboard row of this pattern.
        alarms: role -> alarm.

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        compute_environments: Mapping[str, ComputeEnvironmentOptions],
        job_definitions: Mapping[str, JobDefinitionOptions],
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        priority: int = 1,
        runnable_timeout: Duration = _DEFAULT_RUNNABLE_TIMEOUT,
        schedule: scheduler.ScheduleExpression | None = None,
        scheduled_job: str | None = None,
        schedule_retry_attempts: int = 3,
        schedule_max_event_age: Duration = _DEFAULT_SCHEDULE_MAX_EVENT_AGE,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        v = self.validator()
        validate.types(v, vpc=vpc, vpc_subnets=vpc_subnets, schedule=schedule)
        if not validate.mappings(
            v, compute_environments=compute_environments, job_definitions=job_definitions
        ):
            v.raise_if_invalid()  # the checks below need both mappings
        fargate = validate.compute_environments(v, compute_environments)
        capacity.jobs(self, v, job_definitions, compute_environments, fargate=fargate)
        validate.queue(v, priority=priority, runnable_timeout=runnable_timeout)
        validate.schedule(
            v,
            expression=schedule,
            scheduled_job=scheduled_job,
            job_names=job_definitions,
            retry_attempts=schedule_retry_attempts,
            max_event_age=schedule_max_event_age,
        )
        v.raise_if_invalid()
        self.fargate = next(iter(compute_environments.values())).fargate
        self.vpc: ec2.IVpc = (
            vpc if vpc is not None else private_vpc(self, "Vpc", removal_policy=removal_policy)
        )
        subnets = vpc_subnets or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
        self.encryption_key: kms.IKey = encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=f"Encrypts the DLQs and schedule of {self.node.path}",
            removal_policy=removal_policy,
        )
        # EventBridge writes undeliverable notifications to a DLQ encrypted with this key.
        allow_events_to_use(self.encryption_key)

        self.compute_environments: dict[str, ComputeEnvironment] = {
            name: compute_environment(self, name, options, vpc=self.vpc, subnets=subnets)
            for name, options in compute_environments.items()
        }
        self.job_queue = job_queue(
            self,
            list(self.compute_environments.values()),
            priority=priority,
            runnable_timeout=runnable_timeout,
        )
        self.log_groups: dict[str, logs.LogGroup] = {}
        self.job_definitions: dict[str, batch.EcsJobDefinition] = {}
        for name, options in job_definitions.items():
            self.job_definitions[name], self.log_groups[name] = job_definition(
                self, name, options, fargate=self.fargate, removal_policy=removal_policy
            )

        self.monitoring = self.start_monitoring()
        self.schedule: scheduler.Schedule | None = None
        self.schedule_dead_letter_queue: sqs.Queue | None = None
        job_name: str | None = None
        if schedule is not None:
            job_name = scheduled_job or next(iter(job_definitions))
            self.schedule, self.schedule_dead_letter_queue = add_schedule(
                self,
                schedule,
                job_name=job_name,
                retry_attempts=schedule_retry_attempts,
                max_event_age=schedule_max_event_age,
                removal_policy=removal_policy,
            )
        (
            self.failed_job_rule,
            self.notification_dead_letter_queue,
            self.notification_topic,
        ) = failed_job_notifications(self, alarm_topic=alarm_topic, removal_policy=removal_policy)
        add_batch_alarms(self, self.monitoring, scheduled_job=job_name)
        self.monitoring.finish(f"Batch {self.node.path}")
        self.record_capacity(capacity_summary(compute_environments.values()))

    # -- public API ------------------------------------------------------------------------
    def metric_source(self) -> MetricSource:
        """``AWS/Events`` by the ``RuleName`` of :attr:`failed_job_rule`, 5-minute ``Sum``.

        Batch publishes no metrics of its own; the failed-job rule's metrics
        (``TriggeredRules``, ``Invocations``, ``FailedInvocations``) count the failed jobs
        and their notifications.
        """
        return MetricSource(
            namespace="AWS/Events",
            dimensions={"RuleName": self.failed_job_rule.rule_name},
            statistic="Sum",
            period=METRIC_PERIOD,
        )

    def metric_jobs_failed(self, **options: Any) -> cw.Metric:
        """``TriggeredRules`` of the failed-job rule: the jobs of this queue that FAILED."""
        return self.metric("TriggeredRules", **options)

    def grant_submit_job(self, grantee: iam.IGrantable, job_definition: str) -> iam.Grant:
        """Let ``grantee`` submit jobs of ``job_definition`` to the queue (batch:SubmitJob)."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["batch:SubmitJob"],
            resource_arns=[
                self.job_queue.job_queue_arn,
                self.job_definitions[job_definition].job_definition_arn,
            ],
        )
