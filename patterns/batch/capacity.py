"""The stated load of :class:`~patterns.batch.BatchJobs`: how many jobs of each definition
must run at once, against the compute environments' maxvCpus
(:func:`patterns.capacity.batch_max_vcpus`; a job larger than every environment never runs)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from patterns.batch.options import ComputeEnvironmentOptions, JobDefinitionOptions
from patterns.capacity import VcpuPlan, batch_max_vcpus, batch_max_vcpus_problems
from patterns.core.pattern import Pattern
from patterns.core.validation import Validator, is_unresolved

__all__ = ["check_load", "report_load"]

_PROP = "concurrent_jobs"


def check_load(
    v: Validator,
    concurrent_jobs: Mapping[str, int] | None,
    *,
    compute_environments: Mapping[str, ComputeEnvironmentOptions],
    job_definitions: Mapping[str, JobDefinitionOptions],
    fargate: bool,
) -> dict[str, VcpuPlan]:
    """A plan per job definition named in ``concurrent_jobs``; problems on ``v`` for an
    unknown name, a bad count, a job larger than every environment, or jobs that together
    need more vCPUs than the environments' maxvCpus."""
    if concurrent_jobs is None:
        return {}
    if not isinstance(concurrent_jobs, Mapping):
        v.add(_PROP, f"must be a mapping of job definition name -> jobs, got {concurrent_jobs!r}")
        return {}
    limits = [ce.max_vcpus for ce in compute_environments.values()]
    if any(is_unresolved(limit) for limit in limits):
        return {}
    environment = sum(limits)
    plans: dict[str, VcpuPlan] = {}
    for name, jobs in concurrent_jobs.items():
        options = job_definitions.get(name)
        if options is None:
            known = ", ".join(repr(key) for key in job_definitions)
            v.add(_PROP, f"names no job definition {name!r} (job definitions: {known})")
            continue
        if is_unresolved(jobs) or is_unresolved(options.vcpus):
            continue
        names = {
            "concurrent_jobs": f"{_PROP}[{name!r}]",
            "job_vcpus": f"job_definitions[{name!r}].vcpus",
            "environment_max_vcpus": "the largest compute_environments max_vcpus",
        }
        problems = batch_max_vcpus_problems(
            jobs, options.vcpus, fargate=fargate, environment_max_vcpus=max(limits), names=names
        )
        if problems:
            v.problems.extend(problems)
            continue
        plans[name] = batch_max_vcpus(
            jobs, options.vcpus, job_memory_mib=options.memory_mib, fargate=fargate,
            environment_max_vcpus=environment,
        )  # fmt: skip
    demand = sum(
        (Fraction(concurrent_jobs[name]) * Fraction(job_definitions[name].vcpus) for name in plans),
        Fraction(0),
    )
    if demand > environment:
        v.add(
            _PROP,
            f"needs {float(demand):,g} vCPUs at once, over the compute environments' maxvCpus "
            f"({environment:,}): raise max_vcpus to at least {-(-demand // 1):,} (or fewer "
            "jobs wait RUNNABLE)",
        )
    return plans


def report_load(jobs: Pattern, plans: Mapping[str, VcpuPlan]) -> None:
    """One review-table line per planned job definition."""
    for name, plan in plans.items():
        jobs.record_capacity(f"job {name}: {plan.summary()}")
