"""The prop rules of :class:`~patterns.batch.BatchJobs`, one function per prop group.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

from aws_cdk import Duration
from aws_cdk import aws_batch as batch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler

from patterns.batch.options import (
    FARGATE_MEMORY_MIB,
    ComputeEnvironmentOptions,
    JobDefinitionOptions,
    fargate_memory_options,
)
from patterns.core.deferred import deferred
from patterns.core.ids import pascal
from patterns.core.network import check_subnets
from patterns.core.validation import Validator, is_unresolved

__all__ = [
    "compute_environment",
    "compute_environments",
    "fits_compute_environments",
    "job_definitions",
    "jobs",
    "mappings",
    "memory_unit_slips",
    "names",
    "queue",
    "schedule",
    "types",
]

#: Batch evaluates at most 5 ``evaluateOnExit`` rules; the pattern always adds two (retry
#: on host termination, exit on any other exit code).
MAX_RETRY_EXIT_CODES = 3
MAX_RETRY_ATTEMPTS = 10
MIN_JOB_TIMEOUT = deferred(Duration, "seconds", 60)
MAX_PRIORITY = 1_000
#: Compute environments a job queue may hold.
MAX_COMPUTE_ENVIRONMENTS = 3
#: Range of a job state time limit action.
MIN_RUNNABLE_TIMEOUT = deferred(Duration, "seconds", 600)
MAX_RUNNABLE_TIMEOUT = deferred(Duration, "seconds", 86_400)
#: EventBridge Scheduler retry policy limits.
MAX_SCHEDULE_RETRIES = 185
MIN_SCHEDULE_EVENT_AGE = deferred(Duration, "seconds", 60)
MAX_SCHEDULE_EVENT_AGE = deferred(Duration, "hours", 24)
#: Fargate ephemeral storage range (GiB).
MIN_EPHEMERAL_GIB = 21
MAX_EPHEMERAL_GIB = 200
#: Glob of an exit code: digits, optionally ending in ``*``.
_EXIT_CODE = re.compile(r"^(?:[0-9]{1,10}\*?|\*)$")
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
#: An EC2 job's memory below this many MiB is most likely a GiB count (a warning).
MIN_PLAUSIBLE_MEMORY_MIB = 128
#: vCPUs of an instance size (``m7g.2xlarge`` -> 8) in the families where the size names the
#: vCPU count; burstable (t), HPC, Mac and high-memory (u-) families differ and are not read.
_SIZE_VCPUS = {"medium": 1, "large": 2, "xlarge": 4}
_SIZED = re.compile(r"^(?P<family>[a-z][a-z0-9-]*)\.(?:(?P<count>[0-9]+)(?=xlarge))?(?P<size>.+)$")
_UNSIZED_FAMILIES = ("t", "hpc", "mac", "u-")


@functools.cache
def _private() -> ec2.SubnetSelection:
    """The subnets the compute environments use unless ``vpc_subnets`` says otherwise (made at
    first use: a jsii struct built at import would load typeguard for its type checks)."""
    return ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)


_SPOT_ONLY_STRATEGIES = (
    batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
    batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
)


# -- the props of the queue -----------------------------------------------------------------
def types(v: Validator, *, vpc: object, vpc_subnets: object, schedule: object) -> None:
    """The props that take an aws-cdk-lib object: ``ec2.IVpc``, ``ec2.SubnetSelection``,
    ``scheduler.ScheduleExpression`` (None, not given, is skipped)."""
    v.implements("vpc", vpc, "vpc_id", what="an ec2.IVpc")
    v.instance_of("vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection")
    check_subnets(v, vpc, vpc_subnets, default=_private(), what="the compute environments")
    v.instance_of(
        "schedule", schedule, scheduler.ScheduleExpression, what="a scheduler.ScheduleExpression"
    )


def mappings(v: Validator, *, compute_environments: object, job_definitions: object) -> bool:
    """Both are mappings of name to options; True if so (the other rules need both)."""
    for prop, mapping in (
        ("compute_environments", compute_environments),
        ("job_definitions", job_definitions),
    ):
        if not isinstance(mapping, Mapping):
            v.add(prop, f"must be a mapping of name to options, got {mapping!r}")
    return isinstance(compute_environments, Mapping) and isinstance(job_definitions, Mapping)


def queue(v: Validator, *, priority: int, runnable_timeout: Duration) -> None:
    """Priority 0-1,000; ``runnable_timeout`` 10 min-24 h in whole seconds."""
    v.number_in_range("priority", priority, minimum=0, maximum=MAX_PRIORITY, integer=True)
    v.duration_in_range(
        "runnable_timeout",
        runnable_timeout,
        minimum=MIN_RUNNABLE_TIMEOUT,
        maximum=MAX_RUNNABLE_TIMEOUT,
        whole="seconds",  # JobStateTimeLimitAction maxTimeSeconds is an integer
    )


def schedule(
    v: Validator,
    *,
    expression: scheduler.ScheduleExpression | None,
    scheduled_job: str | None,
    job_names: Mapping[str, object],
    retry_attempts: int,
    max_event_age: Duration,
) -> None:
    """``scheduled_job`` needs a schedule and names a job definition; the Scheduler retry
    policy (0-185 retries, 60 s-24 h in whole seconds)."""
    if expression is None:
        v.require(
            scheduled_job is None,
            "scheduled_job",
            f"needs a schedule, got scheduled_job={scheduled_job!r} and no schedule",
        )
    elif scheduled_job is not None and scheduled_job not in job_names:
        v.add(
            "scheduled_job",
            f"must name one of the job_definitions ({', '.join(job_names)}), got {scheduled_job!r}",
        )
    v.number_in_range(
        "schedule_retry_attempts",
        retry_attempts,
        minimum=0,
        maximum=MAX_SCHEDULE_RETRIES,
        integer=True,
    )
    v.duration_in_range(
        "schedule_max_event_age",
        max_event_age,
        minimum=MIN_SCHEDULE_EVENT_AGE,
        maximum=MAX_SCHEDULE_EVENT_AGE,
        whole="seconds",  # Scheduler MaximumEventAgeInSeconds is an integer
    )


def names(v: Validator, prop: str, keys: Mapping[str, object]) -> None:
    """1-40 letters, digits, ``-`` or ``_`` starting with a letter; distinct construct ids."""
    seen: dict[str, str] = {}
    for name in keys:
        if not isinstance(name, str) or not _NAME.match(name):
            v.add(
                prop,
                f"name must be 1-40 letters, digits, '-' or '_' starting with a letter, "
                f"got {name!r}",
            )
            continue
        construct_id = pascal(name)
        if construct_id in seen:
            v.add(
                prop,
                f"names {seen[construct_id]!r} and {name!r} map to the same id {construct_id}",
            )
        seen[construct_id] = name


# -- compute environments -------------------------------------------------------------------
def compute_environments(
    v: Validator, environments: Mapping[str, ComputeEnvironmentOptions]
) -> bool:
    """1-3 compute environments, all Fargate or all EC2; True if they are all Fargate."""
    v.require(
        len(environments) >= 1,
        "compute_environments",
        "must name at least one compute environment, got none",
    )
    v.require(
        len(environments) <= MAX_COMPUTE_ENVIRONMENTS,
        "compute_environments",
        f"can hold at most {MAX_COMPUTE_ENVIRONMENTS} (a job queue's limit), "
        f"got {len(environments)}",
    )
    names(v, "compute_environments", environments)
    kinds: set[bool] = set()
    for name, ce in environments.items():
        prop = f'compute_environments["{name}"]'
        if not isinstance(ce, ComputeEnvironmentOptions):
            v.add(prop, f"must be a ComputeEnvironmentOptions, got {type(ce).__name__}")
            continue
        v.boolean(f"{prop}.fargate", ce.fargate)
        kinds.add(ce.fargate is not False)
        compute_environment(v, prop, ce)
    if len(kinds) > 1:
        v.add(
            "compute_environments",
            "cannot mix Fargate and EC2 compute environments in one job queue",
        )
    return kinds == {True}


def compute_environment(v: Validator, prop: str, ce: ComputeEnvironmentOptions) -> None:
    """One compute environment: vCPUs, Spot, instances; the EC2-only fields on Fargate."""
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
    _ec2_compute_environment(v, prop, ce, types_ok=types_ok)


def _ec2_compute_environment(
    v: Validator, prop: str, ce: ComputeEnvironmentOptions, *, types_ok: bool
) -> None:
    """The fields of an EC2 compute environment: minimum vCPUs, instances, Spot pricing."""
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
    if ce.allocation_strategy in _SPOT_ONLY_STRATEGIES and not ce.spot:
        v.add(
            f"{prop}.allocation_strategy",
            f"{ce.allocation_strategy.value} applies only with spot=True",
        )


# -- job definitions ------------------------------------------------------------------------
def job_definitions(
    v: Validator, definitions: Mapping[str, JobDefinitionOptions], *, fargate: bool
) -> None:
    """At least one job definition; each one's container, its size for the compute
    environments' kind (Fargate or EC2), retries, timeout and storage."""
    v.require(
        len(definitions) >= 1,
        "job_definitions",
        "must name at least one job definition, got none",
    )
    names(v, "job_definitions", definitions)
    for name, jd in definitions.items():
        prop = f'job_definitions["{name}"]'
        if not isinstance(jd, JobDefinitionOptions):
            v.add(prop, f"must be a JobDefinitionOptions, got {type(jd).__name__}")
            continue
        _container(v, prop, jd)
        if fargate:
            _fargate_size(v, prop, jd)
        else:
            _ec2_size(v, prop, jd)
        _retries(v, prop, jd)
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


def _container(v: Validator, prop: str, jd: JobDefinitionOptions) -> None:
    """Image, command, environment, secrets, role and the container's switches."""
    v.instance_of(f"{prop}.image", jd.image, ecs.ContainerImage, what="an ecs.ContainerImage")
    v.sequence_of(f"{prop}.command", jd.command, str)
    if jd.environment is not None:
        _environment(v, f"{prop}.environment", jd.environment)
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


def _environment(v: Validator, prop: str, environment: object) -> None:
    """Strings to strings; no name Batch reserves."""
    if not isinstance(environment, Mapping):
        v.add(prop, f"must be a mapping, got {environment!r}")
        return
    for key, value in environment.items():
        # Batch: "Environment variables cannot start with AWS_BATCH" (reserved).
        if isinstance(key, str) and key.startswith("AWS_BATCH"):
            v.add(prop, f"names starting with AWS_BATCH are reserved by Batch, got {key}")
        if not isinstance(key, str) or not isinstance(value, str):
            v.add(prop, f"must map strings to strings, got {key!r}: {value!r}")


def _fargate_size(v: Validator, prop: str, jd: JobDefinitionOptions) -> None:
    """A vCPU / memory pair Fargate accepts (tokens are not checked)."""
    if is_unresolved(jd.vcpus) or is_unresolved(jd.memory_mib):
        return
    if jd.vcpus not in FARGATE_MEMORY_MIB:
        allowed = ", ".join(f"{c:g}" for c in FARGATE_MEMORY_MIB)
        v.add(f"{prop}.vcpus", f"must be one of {allowed} on Fargate, got {jd.vcpus!r}")
    elif jd.memory_mib not in FARGATE_MEMORY_MIB[jd.vcpus]:
        v.add(
            f"{prop}.memory_mib",
            f"must be {_describe_memory(jd.vcpus)} with {jd.vcpus:g} vCPU on Fargate, "
            f"got {jd.memory_mib!r} MiB",
        )


def _ec2_size(v: Validator, prop: str, jd: JobDefinitionOptions) -> None:
    """Whole vCPUs, at least 4 MiB; no Fargate-only fields."""
    v.number_in_range(f"{prop}.vcpus", jd.vcpus, minimum=1, integer=True)
    v.number_in_range(f"{prop}.memory_mib", jd.memory_mib, minimum=4, unit="MiB", integer=True)
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


def _retries(v: Validator, prop: str, jd: JobDefinitionOptions) -> None:
    """1-10 attempts; at most 3 exit-code globs."""
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
                f"must hold exit codes or globs of digits ending in '*' ('75', '4*'), got {code!r}",
            )


def _describe_memory(vcpus: float) -> str:
    sizes = fargate_memory_options(vcpus)
    if len(sizes) <= 4:
        return ", ".join(f"{size:,}" for size in sizes) + " MiB"
    step = sizes[1] - sizes[0]
    return f"{sizes[0]:,}-{sizes[-1]:,} MiB in {step:,} MiB steps"


# -- jobs against the queue's compute environments ---------------------------------------------
def jobs(
    v: Validator,
    definitions: Mapping[str, JobDefinitionOptions],
    environments: Mapping[str, ComputeEnvironmentOptions],
    *,
    fargate: bool,
    warn: Callable[[str, str], None],
) -> None:
    """:func:`job_definitions`, :func:`fits_compute_environments`, and the warning
    ``batch:memory-unit`` for each of :func:`memory_unit_slips`."""
    job_definitions(v, definitions, fargate=fargate)
    fits_compute_environments(v, environments, definitions)
    for slip in memory_unit_slips(definitions, fargate=fargate):
        warn("batch:memory-unit", slip)


def fits_compute_environments(
    v: Validator,
    environments: Mapping[str, ComputeEnvironmentOptions],
    definitions: Mapping[str, JobDefinitionOptions],
) -> None:
    """A job that needs more vCPUs than any compute environment of the queue can provide -
    its ``max_vcpus``, or on EC2 the largest of its sized ``instance_types`` - never leaves
    ``RUNNABLE`` (error); nor does an ARM64 job on a queue of Fargate Spot only, which has no
    ARM64 capacity (error). Tokens and unreadable instance types are not checked."""
    limits = {
        name: limit
        for name, ce in environments.items()
        if isinstance(ce, ComputeEnvironmentOptions)
        and (limit := _environment_vcpus(ce)) is not None
    }
    if not limits or len(limits) != len(environments):
        return
    largest = max(limits, key=lambda name: limits[name][0])
    most, why = limits[largest]
    only_spot = all(ce.spot is True for ce in environments.values())
    fargate = all(ce.fargate is not False for ce in environments.values())
    for name, jd in definitions.items():
        if not isinstance(jd, JobDefinitionOptions):
            continue
        prop = f'job_definitions["{name}"]'
        vcpus = jd.vcpus
        if isinstance(vcpus, int | float) and not is_unresolved(vcpus) and vcpus > most:
            v.add(
                f"{prop}.vcpus",
                f"needs {vcpus:g} vCPUs, more than any compute environment of the queue can "
                f"provide (the largest, {largest!r}, {why}), so the job never runs",
            )
        if fargate and only_spot and jd.arm64 is True:
            v.add(
                f"{prop}.arm64",
                "needs Fargate On-Demand capacity: Fargate Spot runs no ARM64 tasks and every "
                "compute environment of the queue is Spot, so the job never runs",
            )


def _environment_vcpus(ce: ComputeEnvironmentOptions) -> tuple[float, str] | None:
    """The most vCPUs one job can get in ``ce`` and why; None when a token hides it."""
    if isinstance(ce.max_vcpus, bool) or not isinstance(ce.max_vcpus, int | float):
        return None
    if is_unresolved(ce.max_vcpus):
        return None
    most, why = float(ce.max_vcpus), f"max_vcpus {ce.max_vcpus}"
    if ce.fargate is False and ce.instance_types and isinstance(ce.instance_types, list | tuple):
        sizes = [_instance_vcpus(t) for t in ce.instance_types]
        if all(size is not None for size in sizes):
            biggest = max(s for s in sizes if s is not None)
            if biggest < most:
                types_ = ", ".join(map(str, ce.instance_types))
                most, why = biggest, f"{biggest:g} vCPUs per instance of {types_}"
    return most, why


def _instance_vcpus(instance_type: object) -> float | None:
    """vCPUs of a sized instance type (``c7g.4xlarge`` -> 16); None for a family (``c7g``),
    ``metal``, a burstable/HPC/Mac/high-memory type or anything else unread."""
    if not isinstance(instance_type, str):
        return None
    match = _SIZED.match(instance_type)
    if match is None or match["family"].startswith(_UNSIZED_FAMILIES):
        return None
    if match["count"] is not None:
        return 4.0 * int(match["count"]) if match["size"] == "xlarge" else None
    size = _SIZE_VCPUS.get(match["size"])
    return float(size) if size is not None else None


def memory_unit_slips(
    definitions: Mapping[str, JobDefinitionOptions], *, fargate: bool
) -> list[str]:
    """Warnings for EC2 jobs whose ``memory_mib`` is plausible only as GiB (below 128 MiB; on
    Fargate the accepted sizes already rule it out)."""
    if fargate:
        return []
    slips = []
    for name, jd in definitions.items():
        memory = getattr(jd, "memory_mib", None)
        if (
            isinstance(memory, int)
            and not isinstance(memory, bool)
            and not is_unresolved(memory)
            and 0 < memory < MIN_PLAUSIBLE_MEMORY_MIB
        ):
            slips.append(
                f'job_definitions["{name}"].memory_mib is {memory} MiB, too little for a '
                f"container; memory_mib counts MiB - for {memory} GiB give {memory * 1_024:,}."
            )
    return slips
