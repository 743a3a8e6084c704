"""AWS Batch: compute environments, a job queue, job definitions and scheduled submission.

The four set-up steps of AWS Batch as one construct:

1. managed compute environments (Fargate or EC2, Spot or On-Demand), tried in order;
2. one job queue with a priority, which cancels jobs that can never run instead of letting
   them block the queue;
3. container job definitions whose vCPU / memory are checked against what Fargate accepts,
   with a retry strategy driven by exit codes, a timeout and a log group with a retention;
4. optional scheduled submission through EventBridge Scheduler, with retries and a DLQ.

Batch publishes no CloudWatch metrics of its own, so failures are watched through an
EventBridge rule on ``Batch Job State Change`` events with status ``FAILED`` for this queue:
the rule notifies the alarm topic with the job's details, and an alarm on the rule's
``TriggeredRules`` metric shows the failures on the dashboard.

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
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, Size, Stack
from aws_cdk import aws_batch as batch
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core import defaults
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge
from patterns.core.network import new_vpc, public_and_private_subnets
from patterns.core.validation import Validator, is_unresolved

__all__ = [
    "FARGATE_MEMORY_MIB",
    "BatchJobs",
    "ComputeEnvironmentOptions",
    "JobDefinitionOptions",
    "fargate_memory_options",
    "private_vpc",
]

# -- Fargate task sizes (pure data) ---------------------------------------------------------


def _steps(first: int, last: int, step: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1, step))


#: vCPU -> the memory sizes (MiB) Fargate accepts with it
#: (https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html).
FARGATE_MEMORY_MIB: dict[float, tuple[int, ...]] = {
    0.25: (512, 1_024, 2_048),
    0.5: _steps(1_024, 4_096, 1_024),
    1: _steps(2_048, 8_192, 1_024),
    2: _steps(4_096, 16_384, 1_024),
    4: _steps(8_192, 30_720, 1_024),
    8: _steps(16_384, 61_440, 4_096),
    16: _steps(32_768, 122_880, 8_192),
}


def fargate_memory_options(vcpus: float) -> tuple[int, ...]:
    """The memory sizes (MiB) Fargate accepts for ``vcpus``; empty for an unsupported vCPU."""
    return FARGATE_MEMORY_MIB.get(vcpus, ())


def _describe_memory(vcpus: float) -> str:
    sizes = fargate_memory_options(vcpus)
    if len(sizes) <= 4:
        return ", ".join(f"{size:,}" for size in sizes) + " MiB"
    step = sizes[1] - sizes[0]
    return f"{sizes[0]:,}-{sizes[-1]:,} MiB in {step:,} MiB steps"


# -- limits ---------------------------------------------------------------------------------

#: Batch evaluates at most 5 ``evaluateOnExit`` rules; the pattern always adds two (retry
#: on host termination, exit on any other exit code).
MAX_RETRY_EXIT_CODES = 3
MAX_RETRY_ATTEMPTS = 10
MIN_JOB_TIMEOUT = Duration.seconds(60)
MAX_PRIORITY = 1_000
#: Range of a job state time limit action.
MIN_RUNNABLE_TIMEOUT = Duration.seconds(600)
MAX_RUNNABLE_TIMEOUT = Duration.seconds(86_400)
#: EventBridge Scheduler retry policy limits.
MAX_SCHEDULE_RETRIES = 185
MIN_SCHEDULE_EVENT_AGE = Duration.seconds(60)
MAX_SCHEDULE_EVENT_AGE = Duration.hours(24)
#: Fargate ephemeral storage range (GiB).
MIN_EPHEMERAL_GIB = 21
MAX_EPHEMERAL_GIB = 200
#: Glob of an exit code: digits, optionally ending in ``*``.
_EXIT_CODE = re.compile(r"^(?:[0-9]{1,10}\*?|\*)$")
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
#: Status reason of a job whose EC2 host went away (Spot reclaim, instance termination).
HOST_TERMINATED_REASON = "Host EC2*"


@dataclass(frozen=True)
class ComputeEnvironmentOptions:
    """One managed compute environment of a :class:`BatchJobs` queue.

    The queue tries its compute environments in the order given. A queue cannot mix Fargate
    and EC2 compute environments.

    Attributes:
        fargate: run jobs on Fargate (True, default) or on EC2 instances managed by Batch.
        spot: use Spot capacity (Fargate Spot or EC2 Spot): up to 70-90% cheaper, but jobs
            can be interrupted; their retry strategy retries them. Default False (On-Demand).
        max_vcpus: most vCPUs the environment runs at once; bounds the cost. Default 256.
        min_vcpus: EC2 only: vCPUs kept running when the queue is empty. Default 0 (scale to
            zero).
        instance_types: EC2 only: instance types (``"m7g.large"``) or classes (``"c7g"``).
            Default: Batch's ``optimal`` x86 set, or its default ARM64 set with ``graviton``.
        graviton: EC2 only: use Graviton (ARM64) instances when no ``instance_types`` are
            given. Default False. (Fargate jobs choose ARM64 in their job definition.)
        allocation_strategy: EC2 only. Default ``SPOT_PRICE_CAPACITY_OPTIMIZED`` for Spot,
            ``BEST_FIT_PROGRESSIVE`` for On-Demand.
        spot_bid_percentage: EC2 Spot only: highest Spot price as a percentage of the
            On-Demand price (1-100). Default: up to the On-Demand price.
    """

    fargate: bool = True
    spot: bool = False
    max_vcpus: int = 256
    min_vcpus: int = 0
    instance_types: Sequence[str] = ()
    graviton: bool = False
    allocation_strategy: batch.AllocationStrategy | None = None
    spot_bid_percentage: int | None = None


@dataclass(frozen=True)
class JobDefinitionOptions:
    """One container job definition of a :class:`BatchJobs`.

    Attributes:
        image: the container image.
        command: the command. Default: the image's ``CMD``.
        vcpus: vCPUs of a job. Default 1. On Fargate one of 0.25, 0.5, 1, 2, 4, 8, 16; on EC2
            a whole number.
        memory_mib: memory of a job in MiB. Default 2,048. On Fargate it must be a size
            Fargate accepts with ``vcpus`` (see :data:`FARGATE_MEMORY_MIB`).
        environment: environment variables. Default: none.
        secrets: environment variables read from Secrets Manager or SSM Parameter Store at
            start; the execution role may read exactly these. Default: none.
        job_role: the role the job's code runs as. Default: none (the job has no AWS
            permissions).
        retry_attempts: attempts of a job, including the first (1-10). Default 3.
        retry_exit_codes: exit codes (globs: ``"75"``, ``"4*"``) that mean "try again"; at
            most 3. Default: none. Any other exit code fails the job at once - a bug does not
            get better by running it again - while a job that lost its host (Spot reclaim,
            instance termination) is retried up to ``retry_attempts``.
        timeout: a job still running after this is stopped (at least 60 s). Default 1 h.
        arm64: Fargate only: run on Graviton (ARM64); the image must support it. Default
            False.
        ephemeral_storage_gib: Fargate only: task storage, 21-200 GiB. Default 20 GiB.
        log_retention: retention of the job definition's log group. Default one month.
        readonly_root_filesystem: mount the root filesystem read-only. Default False (many
            batch jobs write scratch files).
    """

    image: ecs.ContainerImage
    command: Sequence[str] | None = None
    vcpus: float = 1
    memory_mib: int = 2_048
    environment: Mapping[str, str] | None = None
    secrets: Mapping[str, batch.Secret] | None = None
    job_role: iam.IRole | None = None
    retry_attempts: int = 3
    retry_exit_codes: Sequence[str] = ()
    timeout: Duration = Duration.hours(1)
    arm64: bool = False
    ephemeral_storage_gib: int | None = None
    log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH
    readonly_root_filesystem: bool = False


#: A compute environment the pattern creates.
ComputeEnvironment = batch.FargateComputeEnvironment | batch.ManagedEc2EcsComputeEnvironment


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]", name) if part)


def private_vpc(
    scope: Construct,
    construct_id: str,
    *,
    max_azs: int = 2,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> ec2.Vpc:
    """A VPC with public subnets (for one NAT gateway) and private subnets with egress.

    Every flow is logged (accepted and rejected) to a log group kept for one year, and the
    default security group has no rules (see :func:`patterns.core.network.new_vpc`).
    """
    vpc, _ = new_vpc(
        scope,
        construct_id,
        subnet_configuration=public_and_private_subnets(private_cidr_mask=20),
        max_azs=max_azs,
        nat_gateways=1,
        flow_log_group_id=f"{construct_id}FlowLogs",
        removal_policy=removal_policy,
    )
    return vpc


class BatchJobs(Construct):
    """AWS Batch compute environments, a job queue, job definitions and a schedule.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        compute_environments: name -> options, in the order the queue tries them (e.g. Spot
            first, then On-Demand). Names are 1-40 letters, digits, ``-`` or ``_``.
        job_definitions: name -> options. At least one.
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
        encryption_key: KMS key of the DLQs and the schedule. Default: a new key (rotating
            yearly).
        removal_policy: of the log groups, DLQs and key. Default RETAIN; DESTROY for dev.
        alarm_topic: notified of every failed job (with its id, name and reason) and on
            ALARM / OK of the alarms. Default: the alarms have no action and failed jobs
            are only counted.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.

    Attributes:
        vpc: the VPC the jobs run in.
        compute_environments: name -> compute environment.
        job_queue: the job queue.
        job_definitions: name -> job definition.
        log_groups: job definition name -> its log group.
        schedule: the EventBridge Scheduler schedule, or None.
        schedule_dead_letter_queue: submissions the schedule could not make, or None.
        failed_job_rule: the EventBridge rule matching FAILED jobs of this queue.
        notification_dead_letter_queue: failure notifications EventBridge could not deliver.
        alarms: role -> alarm.
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
        runnable_timeout: Duration = Duration.minutes(30),
        schedule: scheduler.ScheduleExpression | None = None,
        scheduled_job: str | None = None,
        schedule_retry_attempts: int = 3,
        schedule_max_event_age: Duration = Duration.hours(1),
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._validate(
            compute_environments=compute_environments,
            job_definitions=job_definitions,
            priority=priority,
            runnable_timeout=runnable_timeout,
            schedule=schedule,
            scheduled_job=scheduled_job,
            schedule_retry_attempts=schedule_retry_attempts,
            schedule_max_event_age=schedule_max_event_age,
            vpc=vpc,
            vpc_subnets=vpc_subnets,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self._removal_policy = removal_policy
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
        _allow_events_to_use(self.encryption_key)

        self.compute_environments: dict[str, ComputeEnvironment] = {
            name: self._compute_environment(name, options, subnets)
            for name, options in compute_environments.items()
        }
        self.job_queue = batch.JobQueue(
            self,
            "JobQueue",
            priority=priority,
            compute_environments=[
                batch.OrderedComputeEnvironment(compute_environment=ce, order=order)
                for order, ce in enumerate(self.compute_environments.values(), start=1)
            ],
            job_state_time_limit_actions=[
                batch.JobStateTimeLimitAction(max_time=runnable_timeout, reason=reason)
                for reason in (
                    batch.JobStateTimeLimitActionsReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE,
                    batch.JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT,
                )
            ],
        )

        self.log_groups: dict[str, logs.LogGroup] = {}
        self.job_definitions: dict[str, batch.EcsJobDefinition] = {
            name: self._job_definition(name, options) for name, options in job_definitions.items()
        }

        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        self.schedule: scheduler.Schedule | None = None
        self.schedule_dead_letter_queue: sqs.Queue | None = None
        if schedule is not None:
            job_name = scheduled_job or next(iter(job_definitions))
            self._schedule(schedule, job_name, schedule_retry_attempts, schedule_max_event_age)
        self._failure_notifications(alarm_topic)
        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"Batch {self.node.path}")

        max_vcpus = sum(o.max_vcpus for o in compute_environments.values())
        kinds = ", ".join(
            f"{'Fargate' if o.fargate else 'EC2'}{' Spot' if o.spot else ''} {o.max_vcpus}"
            for o in compute_environments.values()
        )
        record_capacity(self, f"up to {max_vcpus} vCPUs ({kinds})")

    # -- public API ------------------------------------------------------------------------
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

    # -- validation ------------------------------------------------------------------------
    def _validate(
        self,
        *,
        compute_environments: Mapping[str, ComputeEnvironmentOptions],
        job_definitions: Mapping[str, JobDefinitionOptions],
        priority: int,
        runnable_timeout: Duration,
        schedule: scheduler.ScheduleExpression | None,
        scheduled_job: str | None,
        schedule_retry_attempts: int,
        schedule_max_event_age: Duration,
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        v = Validator(self)
        v.implements("vpc", vpc, "vpc_id", what="an ec2.IVpc")
        v.instance_of(
            "vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
        )
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        v.instance_of(
            "removal_policy", removal_policy, RemovalPolicy, what="an aws_cdk.RemovalPolicy"
        )
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        v.instance_of(
            "schedule",
            schedule,
            scheduler.ScheduleExpression,
            what="a scheduler.ScheduleExpression",
        )
        for prop, mapping in (
            ("compute_environments", compute_environments),
            ("job_definitions", job_definitions),
        ):
            if not isinstance(mapping, Mapping):
                v.add(prop, f"must be a mapping of name to options, got {mapping!r}")
        if not (isinstance(compute_environments, Mapping) and isinstance(job_definitions, Mapping)):
            v.raise_if_invalid()  # the checks below need both mappings
        v.require(
            len(compute_environments) >= 1,
            "compute_environments",
            "must name at least one compute environment, got none",
        )
        v.require(
            len(compute_environments) <= 3,
            "compute_environments",
            f"can hold at most 3 (a job queue's limit), got {len(compute_environments)}",
        )
        v.require(
            len(job_definitions) >= 1,
            "job_definitions",
            "must name at least one job definition, got none",
        )
        self._check_names(v, "compute_environments", compute_environments)
        self._check_names(v, "job_definitions", job_definitions)

        kinds: set[bool] = set()
        for name, ce in compute_environments.items():
            prop = f'compute_environments["{name}"]'
            if not isinstance(ce, ComputeEnvironmentOptions):
                v.add(prop, f"must be a ComputeEnvironmentOptions, got {type(ce).__name__}")
                continue
            v.boolean(f"{prop}.fargate", ce.fargate)
            kinds.add(ce.fargate is not False)
            self._validate_compute_environment(v, prop, ce)
        if len(kinds) > 1:
            v.add(
                "compute_environments",
                "cannot mix Fargate and EC2 compute environments in one job queue",
            )
        fargate = kinds == {True}

        for name, jd in job_definitions.items():
            prop = f'job_definitions["{name}"]'
            if not isinstance(jd, JobDefinitionOptions):
                v.add(prop, f"must be a JobDefinitionOptions, got {type(jd).__name__}")
                continue
            self._validate_job_definition(v, prop, jd, fargate=fargate)

        v.number_in_range("priority", priority, minimum=0, maximum=MAX_PRIORITY, integer=True)
        v.duration_in_range(
            "runnable_timeout",
            runnable_timeout,
            minimum=MIN_RUNNABLE_TIMEOUT,
            maximum=MAX_RUNNABLE_TIMEOUT,
            whole="seconds",  # JobStateTimeLimitAction maxTimeSeconds is an integer
        )
        if schedule is None:
            v.require(
                scheduled_job is None,
                "scheduled_job",
                f"needs a schedule, got scheduled_job={scheduled_job!r} and no schedule",
            )
        elif scheduled_job is not None and scheduled_job not in job_definitions:
            v.add(
                "scheduled_job",
                f"must name one of the job_definitions ({', '.join(job_definitions)}), "
                f"got {scheduled_job!r}",
            )
        v.number_in_range(
            "schedule_retry_attempts",
            schedule_retry_attempts,
            minimum=0,
            maximum=MAX_SCHEDULE_RETRIES,
            integer=True,
        )
        v.duration_in_range(
            "schedule_max_event_age",
            schedule_max_event_age,
            minimum=MIN_SCHEDULE_EVENT_AGE,
            maximum=MAX_SCHEDULE_EVENT_AGE,
            whole="seconds",  # Scheduler MaximumEventAgeInSeconds is an integer
        )
        v.raise_if_invalid()

    @staticmethod
    def _check_names(v: Validator, prop: str, names: Mapping[str, object]) -> None:
        seen: dict[str, str] = {}
        for name in names:
            if not isinstance(name, str) or not _NAME.match(name):
                v.add(
                    prop,
                    f"name must be 1-40 letters, digits, '-' or '_' starting with a letter, "
                    f"got {name!r}",
                )
                continue
            pascal = _pascal(name)
            if pascal in seen:
                v.add(prop, f"names {seen[pascal]!r} and {name!r} map to the same id {pascal}")
            seen[pascal] = name

    @staticmethod
    def _validate_compute_environment(
        v: Validator, prop: str, ce: ComputeEnvironmentOptions
    ) -> None:
        v.number_in_range(f"{prop}.max_vcpus", ce.max_vcpus, minimum=1, integer=True)
        v.boolean(f"{prop}.spot", ce.spot)
        v.boolean(f"{prop}.graviton", ce.graviton)
        v.instance_of(
            f"{prop}.allocation_strategy",
            ce.allocation_strategy,
            batch.AllocationStrategy,
            what="a batch.AllocationStrategy",
        )
        types_ok = v.sequence_of(f"{prop}.instance_types", ce.instance_types, str)
        if ce.fargate:
            ec2_only = {
                "min_vcpus": ce.min_vcpus != 0,
                "instance_types": bool(ce.instance_types),
                "graviton": ce.graviton,
                "allocation_strategy": ce.allocation_strategy is not None,
                "spot_bid_percentage": ce.spot_bid_percentage is not None,
            }
            for field_name, given in ec2_only.items():
                v.require(
                    not given,
                    f"{prop}.{field_name}",
                    "applies only to EC2 compute environments (fargate=False)",
                )
            return
        v.number_in_range(
            f"{prop}.min_vcpus",
            ce.min_vcpus,
            minimum=0,
            maximum=None if is_unresolved(ce.max_vcpus) else ce.max_vcpus,
            integer=True,
        )
        for instance_type in ce.instance_types if types_ok else ():
            if not (
                _INSTANCE_TYPE.match(instance_type)
                or instance_type.upper() in ec2.InstanceClass.__members__
            ):
                v.add(
                    f"{prop}.instance_types",
                    f"must hold instance types ('m7g.large') or families ('c7g'), "
                    f"got {instance_type!r}",
                )
        v.require(
            not (ce.graviton and ce.instance_types),
            f"{prop}.graviton",
            "cannot be combined with instance_types (choose Graviton types there)",
        )
        if ce.spot_bid_percentage is not None:
            v.require(ce.spot, f"{prop}.spot_bid_percentage", "applies only with spot=True")
            v.number_in_range(
                f"{prop}.spot_bid_percentage",
                ce.spot_bid_percentage,
                minimum=1,
                maximum=100,
                integer=True,
            )
        spot_only = (
            batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
            batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
        )
        if ce.allocation_strategy in spot_only and not ce.spot:
            v.add(
                f"{prop}.allocation_strategy",
                f"{ce.allocation_strategy.value} applies only with spot=True",
            )

    @staticmethod
    def _validate_job_definition(
        v: Validator, prop: str, jd: JobDefinitionOptions, *, fargate: bool
    ) -> None:
        v.instance_of(f"{prop}.image", jd.image, ecs.ContainerImage, what="an ecs.ContainerImage")
        v.sequence_of(f"{prop}.command", jd.command, str)
        if jd.environment is not None:
            if not isinstance(jd.environment, Mapping):
                v.add(f"{prop}.environment", f"must be a mapping, got {jd.environment!r}")
            else:
                for key, value in jd.environment.items():
                    # Batch: "Environment variables cannot start with AWS_BATCH" (reserved).
                    if isinstance(key, str) and key.startswith("AWS_BATCH"):
                        v.add(
                            f"{prop}.environment",
                            f"names starting with AWS_BATCH are reserved by Batch, got {key}",
                        )
                    if not isinstance(key, str) or not isinstance(value, str):
                        v.add(
                            f"{prop}.environment",
                            f"must map strings to strings, got {key!r}: {value!r}",
                        )
        if jd.secrets is not None and (
            not isinstance(jd.secrets, Mapping)
            or not all(isinstance(secret, batch.Secret) for secret in jd.secrets.values())
        ):
            v.add(
                f"{prop}.secrets",
                f"must map names to batch.Secret values, got {jd.secrets!r}",
            )
        v.implements(f"{prop}.job_role", jd.job_role, "role_arn", what="an iam.IRole")
        v.boolean(f"{prop}.arm64", jd.arm64)
        v.boolean(f"{prop}.readonly_root_filesystem", jd.readonly_root_filesystem)
        v.instance_of(
            f"{prop}.log_retention",
            jd.log_retention,
            logs.RetentionDays,
            what="a logs.RetentionDays",
        )
        resolved = not (is_unresolved(jd.vcpus) or is_unresolved(jd.memory_mib))
        if fargate and resolved:
            if jd.vcpus not in FARGATE_MEMORY_MIB:
                allowed = ", ".join(f"{c:g}" for c in FARGATE_MEMORY_MIB)
                v.add(f"{prop}.vcpus", f"must be one of {allowed} on Fargate, got {jd.vcpus!r}")
            elif jd.memory_mib not in FARGATE_MEMORY_MIB[jd.vcpus]:
                v.add(
                    f"{prop}.memory_mib",
                    f"must be {_describe_memory(jd.vcpus)} with {jd.vcpus:g} vCPU on Fargate, "
                    f"got {jd.memory_mib!r} MiB",
                )
        elif not fargate:
            v.number_in_range(f"{prop}.vcpus", jd.vcpus, minimum=1, integer=True)
            v.number_in_range(
                f"{prop}.memory_mib", jd.memory_mib, minimum=4, unit="MiB", integer=True
            )
            v.require(
                not jd.arm64,
                f"{prop}.arm64",
                "applies only to Fargate jobs (on EC2 "
                "the compute environment's instances decide; use graviton there)",
            )
            v.require(
                jd.ephemeral_storage_gib is None,
                f"{prop}.ephemeral_storage_gib",
                "applies only to Fargate jobs",
            )
        v.number_in_range(
            f"{prop}.retry_attempts",
            jd.retry_attempts,
            minimum=1,
            maximum=MAX_RETRY_ATTEMPTS,
            integer=True,
        )
        if not v.sequence_of(f"{prop}.retry_exit_codes", jd.retry_exit_codes, str):
            codes: list[str] = []
        else:
            codes = list(jd.retry_exit_codes)
        v.require(
            len(codes) <= MAX_RETRY_EXIT_CODES,
            f"{prop}.retry_exit_codes",
            f"can hold at most {MAX_RETRY_EXIT_CODES} patterns (Batch evaluates 5 rules and "
            f"the pattern adds 2), got {len(codes)}",
        )
        for code in codes:
            if not isinstance(code, str) or not _EXIT_CODE.match(code):
                v.add(
                    f"{prop}.retry_exit_codes",
                    f"must hold exit codes or globs of digits ending in '*' ('75', '4*'), "
                    f"got {code!r}",
                )
        # attemptDurationSeconds is an integer.
        v.duration_in_range(f"{prop}.timeout", jd.timeout, minimum=MIN_JOB_TIMEOUT, whole="seconds")
        v.number_in_range(
            f"{prop}.ephemeral_storage_gib",
            jd.ephemeral_storage_gib,
            minimum=MIN_EPHEMERAL_GIB,
            maximum=MAX_EPHEMERAL_GIB,
            unit="GiB",
            integer=True,
        )

    # -- construction ----------------------------------------------------------------------
    def _compute_environment(
        self, name: str, o: ComputeEnvironmentOptions, subnets: ec2.SubnetSelection
    ) -> ComputeEnvironment:
        construct_id = f"{_pascal(name)}ComputeEnvironment"
        if o.fargate:
            return batch.FargateComputeEnvironment(
                self,
                construct_id,
                vpc=self.vpc,
                vpc_subnets=subnets,
                spot=o.spot,
                maxv_cpus=o.max_vcpus,
                replace_compute_environment=False,
            )
        instance_types = [ec2.InstanceType(t) for t in o.instance_types if "." in t]
        instance_classes = [ec2.InstanceClass[t.upper()] for t in o.instance_types if "." not in t]
        ce = batch.ManagedEc2EcsComputeEnvironment(
            self,
            construct_id,
            vpc=self.vpc,
            vpc_subnets=subnets,
            spot=o.spot,
            maxv_cpus=o.max_vcpus,
            minv_cpus=o.min_vcpus,
            instance_types=instance_types or None,
            instance_classes=instance_classes or None,
            # None, not False, with graviton: aws-cdk-lib's instance check ignores
            # default_instance_classes and would reject an explicit False.
            use_optimal_instance_classes=(None if o.graviton else not o.instance_types),
            default_instance_classes=(
                [batch.DefaultInstanceClass.ARM64] if o.graviton and not o.instance_types else None
            ),
            allocation_strategy=o.allocation_strategy,
            spot_bid_percentage=o.spot_bid_percentage,
            replace_compute_environment=False,
        )
        acknowledge(
            ce,
            "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
            "service-role/AmazonEC2ContainerServiceforEC2Role]",
            "The instance role of a Batch EC2 compute environment needs the ECS container "
            "agent permissions; AWS documents this managed policy as the Batch instance role.",
        )
        return ce

    def _job_definition(self, name: str, o: JobDefinitionOptions) -> batch.EcsJobDefinition:
        pascal = _pascal(name)
        log_group = defaults.log_group(
            self, f"{pascal}Logs", retention=o.log_retention, removal_policy=self._removal_policy
        )
        self.log_groups[name] = log_group
        logging = ecs.LogDrivers.aws_logs(stream_prefix=name, log_group=log_group)
        common = {
            "image": o.image,
            "command": list(o.command) if o.command is not None else None,
            "cpu": o.vcpus,
            "memory": Size.mebibytes(o.memory_mib),
            "environment": dict(o.environment) if o.environment else None,
            "secrets": dict(o.secrets) if o.secrets else None,
            "job_role": o.job_role,
            "logging": logging,
            "readonly_root_filesystem": o.readonly_root_filesystem,
        }
        container: batch.IEcsContainerDefinition
        if self.fargate:
            container = batch.EcsFargateContainerDefinition(
                self,
                f"{pascal}Container",
                assign_public_ip=False,
                fargate_cpu_architecture=(
                    ecs.CpuArchitecture.ARM64 if o.arm64 else ecs.CpuArchitecture.X86_64
                ),
                fargate_operating_system_family=ecs.OperatingSystemFamily.LINUX,
                ephemeral_storage_size=(
                    Size.gibibytes(o.ephemeral_storage_gib) if o.ephemeral_storage_gib else None
                ),
                **common,  # type: ignore[arg-type]
            )
        else:
            container = batch.EcsEc2ContainerDefinition(
                self,
                f"{pascal}Container",
                **common,  # type: ignore[arg-type]
            )
        retries = [
            batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
            *(
                batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.custom(on_exit_code=code))
                for code in o.retry_exit_codes
            ),
            batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom(on_exit_code="*")),
        ]
        return batch.EcsJobDefinition(
            self,
            f"{pascal}JobDefinition",
            container=container,
            retry_attempts=o.retry_attempts,
            retry_strategies=retries,
            timeout=o.timeout,
            propagate_tags=True,
        )

    def _schedule(
        self,
        expression: scheduler.ScheduleExpression,
        job_name: str,
        retry_attempts: int,
        max_event_age: Duration,
    ) -> None:
        job_definition = self.job_definitions[job_name]
        dlq = defaults.dead_letter_queue(
            self,
            "ScheduleDlq",
            encryption_key=self.encryption_key,
            removal_policy=self._removal_policy,
        )
        self.schedule_dead_letter_queue = dlq
        role = iam.Role(
            self,
            "ScheduleRole",
            description=f"Lets EventBridge Scheduler submit {job_name} jobs of {self.node.path}",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
        )
        # The L2 target grants sqs:SendMessage on the DLQ but not the use of its KMS key.
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=[self.encryption_key.key_arn],
            )
        )
        target = scheduler_targets.Universal(
            role=role,
            service="batch",
            action="submitJob",
            input=scheduler.ScheduleTargetInput.from_object(
                {
                    "jobName": f"{job_name}-scheduled",
                    "jobQueue": self.job_queue.job_queue_arn,
                    "jobDefinition": job_definition.job_definition_arn,
                }
            ),
            policy_statements=[
                iam.PolicyStatement(
                    actions=["batch:SubmitJob"],
                    resources=[self.job_queue.job_queue_arn, job_definition.job_definition_arn],
                )
            ],
            dead_letter_queue=dlq,
            retry_attempts=retry_attempts,
            max_event_age=max_event_age,
        )
        self.schedule = scheduler.Schedule(
            self,
            "Schedule",
            schedule=expression,
            target=target,
            key=self.encryption_key,
            description=f"Submits {job_name} jobs to {self.node.path}",
        )
        self.monitoring.queue_not_empty(
            "ScheduleDlqNotEmpty",
            dlq,
            description=(
                f"{self.node.path}: the schedule could not submit a {job_name} job after its "
                "retries; the failed submission is in the schedule DLQ."
            ),
            period=Duration.minutes(5),
        )

    def _failure_notifications(self, alarm_topic: sns.ITopic | None) -> None:
        self.failed_job_rule = events.Rule(
            self,
            "FailedJobRule",
            description=f"FAILED jobs of the job queue of {self.node.path}",
            event_pattern=events.EventPattern(
                source=["aws.batch"],
                detail_type=["Batch Job State Change"],
                detail={"status": ["FAILED"], "jobQueue": [self.job_queue.job_queue_arn]},
            ),
        )
        self.notification_dead_letter_queue = defaults.dead_letter_queue(
            self,
            "NotificationDlq",
            encryption_key=self.encryption_key,
            removal_policy=self._removal_policy,
        )
        if alarm_topic is not None:
            # The SnsTopic target lets events.amazonaws.com use the topic's key (if any).
            self.failed_job_rule.add_target(
                events_targets.SnsTopic(
                    alarm_topic,
                    message=events.RuleTargetInput.from_text(
                        f"Batch job {events.EventField.from_path('$.detail.jobName')} "
                        f"({events.EventField.from_path('$.detail.jobId')}) FAILED in "
                        f"{self.node.path}: {events.EventField.from_path('$.detail.statusReason')}"
                    ),
                    dead_letter_queue=self.notification_dead_letter_queue,
                    retry_attempts=5,
                    max_event_age=Duration.hours(2),
                )
            )
        self.monitoring.alarm(
            "JobsFailed",
            metric=cw.Metric(
                namespace="AWS/Events",
                metric_name="TriggeredRules",
                dimensions_map={"RuleName": self.failed_job_rule.rule_name},
                period=Duration.minutes(5),
                statistic="Sum",
            ),
            threshold=0,
            description=(
                f"{self.node.path}: a Batch job FAILED after its retries; see its log group "
                "and the job's status reason."
            ),
        )
        self.monitoring.queue_not_empty(
            "NotificationDlqNotEmpty",
            self.notification_dead_letter_queue,
            description=(
                f"{self.node.path}: EventBridge could not deliver failed-job notifications to "
                "the alarm topic; check the topic's key policy."
            ),
            period=Duration.minutes(5),
        )


def _allow_events_to_use(key: kms.IKey) -> None:
    """Let EventBridge (of this account) encrypt with ``key``, once per key of this app.

    An imported key cannot be changed here; its policy must already allow
    ``events.amazonaws.com`` to use it.
    """
    if isinstance(key, kms.Key) and key.node.try_find_child("AllowsEventBridge") is None:
        Construct(key, "AllowsEventBridge")  # marks the key: one statement per key
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowEventBridgeToUseKey",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["kms:GenerateDataKey*", "kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": key.stack.account}},
            )
        )
