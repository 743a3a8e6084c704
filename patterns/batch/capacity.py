"""The stated load of :class:`~patterns.batch.BatchJobs`: how many jobs of each definition
must run at once (``JobDefinitionOptions.concurrent_jobs``), against the compute
environments' maxvCpus (:func:`patterns.capacity.batch_max_vcpus`; a job larger than every
environment never runs)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from patterns.batch import validate
from patterns.batch.options import ComputeEnvironmentOptions, JobDefinitionOptions
from patterns.capacity import VcpuPlan, batch_max_vcpus, batch_max_vcpus_problems
from patterns.core.pattern import Pattern
from patterns.core.validation import Validator, is_unresolved

__all__ = ["jobs", "plan_load"]


def jobs(
    batch_jobs: Pattern,
    v: Validator,
    definitions: Mapping[str, JobDefinitionOptions],
    compute_environments: Mapping[str, ComputeEnvironmentOptions],
    *,
    fargate: bool,
) -> None:
    """:func:`patterns.batch.validate.jobs` (which also rejects a job larger than every
    environment), then :func:`plan_load`."""
    validate.jobs(v, definitions, compute_environments, fargate=fargate, warn=batch_jobs.warn)
    plan_load(batch_jobs, v, compute_environments, definitions, fargate=fargate)


def plan_load(
    jobs: Pattern,
    v: Validator,
    compute_environments: Mapping[str, ComputeEnvironmentOptions],
    job_definitions: Mapping[str, JobDefinitionOptions],
    *,
    fargate: bool,
) -> dict[str, VcpuPlan]:
    """A plan per job definition with ``concurrent_jobs`` (one review-table line each);
    problems on ``v`` for a bad count, a job larger than every environment, or jobs that
    together need more vCPUs than the environments' maxvCpus."""
    counted = {
        name: options
        for name, options in job_definitions.items()
        if isinstance(options, JobDefinitionOptions) and options.concurrent_jobs is not None
    }
    limits = [getattr(ce, "max_vcpus", None) for ce in compute_environments.values()]
    if not counted or any(not isinstance(limit, int) or is_unresolved(limit) for limit in limits):
        return {}
    environment = sum(limits)  # type: ignore[arg-type]
    plans: dict[str, VcpuPlan] = {}
    for name, options in counted.items():
        count = options.concurrent_jobs
        if is_unresolved(count) or is_unresolved(options.vcpus):
            continue
        names = {
            "concurrent_jobs": f"job_definitions[{name!r}].concurrent_jobs",
            "job_vcpus": f"job_definitions[{name!r}].vcpus",
            "environment_max_vcpus": "the largest compute_environments max_vcpus",
        }
        problems = batch_max_vcpus_problems(
            count, options.vcpus, fargate=fargate, environment_max_vcpus=max(limits),  # type: ignore[type-var]
            names=names,
        )  # fmt: skip
        if problems:
            v.problems.extend(problems)
            continue
        assert count is not None
        plans[name] = batch_max_vcpus(
            count, options.vcpus, job_memory_mib=options.memory_mib, fargate=fargate,
            environment_max_vcpus=environment,
        )  # fmt: skip
    demand = sum(
        (Fraction(counted[name].concurrent_jobs or 0) * Fraction(counted[name].vcpus)
         for name in plans),
        Fraction(0),
    )  # fmt: skip
    if demand > environment:
        v.add(
            "job_definitions",
            f"concurrent_jobs need {float(demand):,g} vCPUs at once, over the compute "
            f"environments' maxvCpus ({environment:,}): raise max_vcpus to at least "
            f"{-(-demand // 1):,} (or fewer jobs wait RUNNABLE)",
        )
    for name, plan in plans.items():
        jobs.record_capacity(f"job {name}: {plan.summary()}")
    return plans
