"""AWS Batch maximum vCPUs from concurrent jobs x job size, with the job-vs-environment check
(a job larger than the environment's maxvCpus, or than its largest instance, never runs)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.plan import (  # Limit, Source: the inherited fields' annotations
    CAPACITY,
    QUOTA,
    Limit,  # noqa: F401
    LoadPlan,
    Source,
    build_limits,
)
from patterns.capacity.pricing import HOURS_PER_MONTH

__all__ = [
    "FARGATE_JOB_VCPUS",
    "VcpuPlan",
    "batch_max_vcpus",
    "batch_max_vcpus_problems",
]

#: The vCPU sizes of a Fargate job.
FARGATE_JOB_VCPUS = (0.25, 0.5, 1, 2, 4, 8, 16)


@dataclass(frozen=True, kw_only=True)
class VcpuPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for a Batch compute environment.

    Attributes:
        max_vcpus: the ``maxvCpus`` that runs the concurrent jobs at once.
        concurrent_jobs: the jobs that run at once with ``environment_max_vcpus`` (or
            ``max_vcpus``).
    """

    max_vcpus: int
    concurrent_jobs: int


def batch_max_vcpus_problems(
    concurrent_jobs: object,
    job_vcpus: object,
    *,
    job_memory_mib: object = None,
    fargate: object = False,
    environment_max_vcpus: object = None,
    instance_vcpus: object = None,
    account_vcpu_quota: object = None,
    busy_share: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`batch_max_vcpus`, one line per problem.

    Ranges: concurrent jobs a whole number 1..10^6; job vCPUs a whole number 1..10^4 (on
    Fargate one of 0.25, 0.5, 1, 2, 4, 8, 16); memory 512..10^7 MiB; the environment's
    maxvCpus and the instance and account vCPUs whole numbers >= 1 and >= the job's vCPUs
    (a larger job stays RUNNABLE); busy share 0 < share <= 1.
    """
    p = Problems(names)
    p.number("concurrent_jobs", concurrent_jobs, minimum=1, maximum=10**6, whole=True)
    fargate_ok = p.flag("fargate", fargate)
    vcpus_ok = _job_vcpus(p, job_vcpus, fargate_ok and bool(fargate))
    p.number("job_memory_mib", job_memory_mib, minimum=512, maximum=10**7, unit="MiB")
    for argument, value, why in (
        ("environment_max_vcpus", environment_max_vcpus,
         "a job larger than every compute environment's maxvCpus stays RUNNABLE"),
        ("instance_vcpus", instance_vcpus,
         "no instance of the environment can place a larger job: it stays RUNNABLE"),
        ("account_vcpu_quota", account_vcpu_quota, "the account cannot run a larger job"),
    ):  # fmt: skip
        given = p.number(argument, value, minimum=1, maximum=10**7, whole=True)
        if given and vcpus_ok and value < job_vcpus:  # type: ignore[operator]
            p.add(
                f"{p.name(argument)} must be at least {p.name('job_vcpus')} "
                f"({job_vcpus:,g}: {why}), got {value:,g}"
            )
    p.share("busy_share", busy_share)
    return p.lines


def _job_vcpus(p: Problems, job_vcpus: object, fargate: bool) -> bool:
    if fargate:
        if job_vcpus is None:
            return False
        if job_vcpus not in FARGATE_JOB_VCPUS or isinstance(job_vcpus, bool):
            sizes = ", ".join(f"{size:g}" for size in FARGATE_JOB_VCPUS)
            p.add(f"{p.name('job_vcpus')} must be one of {sizes} on Fargate, got {job_vcpus!r}")
            return False
        return True
    return p.number("job_vcpus", job_vcpus, minimum=1, maximum=10**4, whole=True)


def batch_max_vcpus(
    concurrent_jobs: int,
    job_vcpus: float,
    *,
    job_memory_mib: float | None = None,
    fargate: bool = False,
    environment_max_vcpus: int | None = None,
    instance_vcpus: int | None = None,
    account_vcpu_quota: int | None = None,
    busy_share: float = 1,
) -> VcpuPlan:
    """Plan the ``maxvCpus`` of a Batch compute environment.

    Args:
        concurrent_jobs: jobs that must run at the same time.
        job_vcpus: the vCPUs of one job.
        job_memory_mib: the memory of one job (priced on Fargate). Default: not priced.
        fargate: a Fargate environment (job vCPUs 0.25..16, priced per vCPU- and GB-hour).
        environment_max_vcpus: the environment's configured maxvCpus. Default: the planned
            one.
        instance_vcpus: the vCPUs of the environment's largest instance type. Default: not
            checked.
        account_vcpu_quota: the account's On-Demand (or Fargate) vCPU quota. Default: not
            checked.
        busy_share: the share of the month the jobs run (0 < share <= 1). Default 1.

    Returns:
        A :class:`VcpuPlan`: ``max_vcpus = ceil(concurrent_jobs x job_vcpus)``.

    Raises:
        ValueError: the problems :func:`batch_max_vcpus_problems` finds (a job larger than
            the environment is one).
    """
    p = Problems()
    p.lines = batch_max_vcpus_problems(
        concurrent_jobs, job_vcpus, job_memory_mib=job_memory_mib, fargate=fargate,
        environment_max_vcpus=environment_max_vcpus, instance_vcpus=instance_vcpus,
        account_vcpu_quota=account_vcpu_quota, busy_share=busy_share,
    )  # fmt: skip
    p.raise_if_any()
    jobs = int(concurrent_jobs)
    per_job = exact(job_vcpus)
    demand = jobs * per_job
    max_vcpus = math.ceil(demand)
    environment = max_vcpus if environment_max_vcpus is None else int(environment_max_vcpus)
    running = min(jobs, math.floor(environment / per_job))
    rows: list[tuple[str, Fraction, Fraction, str, str, Source]] = [
        ("environment vCPUs", demand, exact(environment), CAPACITY,
         "raise the compute environment's maxvCpus", src.BATCH_MAX_VCPUS),
    ]  # fmt: skip
    if account_vcpu_quota is not None:
        rows.append(
            ("account vCPU quota", demand, exact(int(account_vcpu_quota)), QUOTA,
             "request a vCPU quota increase", src.EC2_VCPU_QUOTA)
        )  # fmt: skip
    limits, binding, headroom = build_limits(rows)
    notes = []
    if running < jobs:
        notes.append(
            f"maxvCpus {environment:,} runs {running:,} of the {jobs:,} concurrent jobs "
            f"({float(per_job):g} vCPUs each): the rest wait RUNNABLE; raise it to {max_vcpus:,}"
        )
    usage: dict[str, float] = {}
    hours = exact(HOURS_PER_MONTH) * exact(busy_share)
    if fargate:
        usage["fargate.vcpu-hour"] = float(demand * hours)
        if job_memory_mib is not None:
            usage["fargate.gb-hour"] = float(jobs * exact(job_memory_mib) / 1_024 * hours)
    else:
        notes.append("EC2 compute is priced by the instance types Batch picks: not priced here")
    return VcpuPlan(
        what="Batch compute environment",
        capacity={"max vCPUs": max_vcpus},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage=usage,
        notes=tuple(notes),
        sources=(src.BATCH_MAX_VCPUS, src.BATCH_JOB_VS_ENVIRONMENT, src.EC2_VCPU_QUOTA)
        + ((src.BATCH_FARGATE_VCPUS,) if fargate else ()),
        max_vcpus=max_vcpus,
        concurrent_jobs=running,
    )
