"""The KPUs :class:`~patterns.stream_analytics.StreamAnalytics` needs at its source's stated
load: a :class:`~patterns.stream_ingest.StreamToS3Pipeline` sized from
``records_per_second``, and the user's ``records_per_second_per_kpu`` (AWS publishes what a
KPU is, not what it processes), planned by :func:`patterns.capacity.flink_kpus`."""

from __future__ import annotations

import math

from patterns.capacity import KpuPlan, ShardPlan, flink_kpus, flink_kpus_problems
from patterns.core.pattern import Pattern
from patterns.core.validation import Validator, is_unresolved
from patterns.stream_analytics import validate
from patterns.stream_analytics.application import FlinkSettings

__all__ = ["LOAD_WARNING", "check_load", "plan_load", "report_load", "settings"]

LOAD_WARNING = "stream-analytics:load"
_PROP = "records_per_second_per_kpu"


def check_load(
    v: Validator, source: object, per_kpu: float | None, flink: FlinkSettings
) -> KpuPlan | None:
    """The plan, or None (no figure given, or a source without a stated load). Fixed
    parallelism (``auto_scaling=False``) below the planned KPUs is a problem naming the way
    out; a source without a load, with the figure given, is one too."""
    if per_kpu is None:
        return None
    plan: ShardPlan | None = getattr(source, "capacity_plan", None)
    if plan is None:
        v.add(_PROP, "needs a StreamToS3Pipeline source sized from records_per_second")
        return None
    settings = (flink.parallelism, flink.parallelism_per_kpu)
    if is_unresolved(per_kpu) or any(is_unresolved(value) for value in settings):
        return None
    problems = flink_kpus_problems(
        plan.write_records_per_s, per_kpu, parallelism_per_kpu=flink.parallelism_per_kpu,
        source_shards=plan.shards,
    )  # fmt: skip
    if problems:
        v.problems.extend(problems)
        return None
    kpus = flink_kpus(
        plan.write_records_per_s, per_kpu, parallelism_per_kpu=flink.parallelism_per_kpu,
        source_shards=plan.shards,
    )  # fmt: skip
    configured = math.ceil(flink.parallelism / flink.parallelism_per_kpu)
    if configured < kpus.kpus and flink.auto_scaling is False:
        v.add(
            "parallelism",
            f"{flink.parallelism} ({configured} KPUs) cannot carry the source's "
            f"{plan.write_records_per_s:,g} records/s at {per_kpu:,g} per KPU: set "
            f"parallelism={kpus.parallelism} ({kpus.kpus} KPUs) or auto_scaling=True",
        )
    return kpus


def report_load(application: Pattern, plan: KpuPlan | None, flink: FlinkSettings) -> None:
    """The plan's line and notes; a warning when auto scaling must first catch up."""
    if plan is None:
        return
    application.report_plan(plan, warning=LOAD_WARNING, what="at the source's load")
    configured = math.ceil(flink.parallelism / flink.parallelism_per_kpu)
    if configured < plan.kpus:
        application.warn(
            LOAD_WARNING,
            f"parallelism {flink.parallelism} starts with {configured} KPUs, the load needs "
            f"{plan.kpus}: auto scaling catches up only after 15 minutes above 75% CPU; set "
            f"parallelism={plan.parallelism}",
        )


def plan_load(
    application: Pattern, v: Validator, source: object, per_kpu: float | None,
    flink: FlinkSettings,
) -> KpuPlan | None:  # fmt: skip
    """:func:`check_load`, then (when it found no problem) :func:`report_load`: the warnings
    and review line are recorded before the resources, and are moot if validation fails."""
    before = len(v.problems)
    plan = check_load(v, source, per_kpu, flink)
    if len(v.problems) == before:
        report_load(application, plan, flink)
    return plan


def settings(
    application: Pattern, v: Validator, flink: FlinkSettings, *, source: object,
    per_kpu: float | None,
) -> None:  # fmt: skip
    """:func:`patterns.stream_analytics.validate.settings`, then :func:`plan_load` (the KPUs
    at the source's load check the same parallelism settings)."""
    validate.settings(v, flink)
    plan_load(application, v, source, per_kpu, flink)
