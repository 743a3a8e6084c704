"""The option types of :class:`~patterns.batch.BatchJobs` and the Fargate task sizes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_batch as batch
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs

from patterns.core.deferred import deferred

__all__ = [
    "FARGATE_MEMORY_MIB",
    "ComputeEnvironmentOptions",
    "JobDefinitionOptions",
    "fargate_memory_options",
]


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


_DEFAULT_TIMEOUT = deferred(Duration, "hours", 1)


@dataclass(frozen=True)
class JobDefinitionOptions:
    """One container job definition of a :class:`BatchJobs`.

    Attributes:
        image: the container image.
        command: the command. Default: the image's ``CMD``.
        vcpus: vCPUs of a job. Default 1. On Fargate one of 0.25, 0.5, 1, 2, 4, 8, 16; on EC2
            a whole number. More than any compute environment of the queue can provide is an
            error (the job would never run).
        memory_mib: memory of a job in MiB. Default 2,048. On Fargate it must be a size
            Fargate accepts with ``vcpus`` (see :data:`FARGATE_MEMORY_MIB`). On EC2 a value
            below 128 is a warning (``memory_mib=4`` is 4 MiB, most likely meant as GiB).
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
            False. An error on a queue of Fargate Spot environments only (Fargate Spot has no
            ARM64 capacity).
        ephemeral_storage_gib: Fargate only: task storage, 21-200 GiB. Default 20 GiB.
        log_retention: retention of the job definition's log group. Default one month.
        readonly_root_filesystem: mount the root filesystem read-only. Default False (many
            batch jobs write scratch files).
        concurrent_jobs: how many jobs of this definition must run at once. The vCPUs they
            need, with every other definition's (jobs x vCPUs,
            :func:`patterns.capacity.batch_max_vcpus`), are checked against the compute
            environments' ``max_vcpus``: more than their sum, or a job larger than every
            environment (it would stay RUNNABLE), is a ``PatternValidationError``; the
            vCPUs (and, on Fargate, the cost) go to the review table. Default None: no
            planning.
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
    timeout: Duration = _DEFAULT_TIMEOUT
    arm64: bool = False
    ephemeral_storage_gib: int | None = None
    log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH
    readonly_root_filesystem: bool = False
    concurrent_jobs: int | None = None
