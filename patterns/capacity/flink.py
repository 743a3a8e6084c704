"""Managed Service for Apache Flink KPUs from the stream's throughput.

AWS publishes what a KPU *is* (1 vCPU, 4 GB memory, 50 GB running storage; KPUs =
Parallelism / ParallelismPerKPU; one extra KPU per application for orchestration; 64 KPUs
per application by default) but no records-per-second figure per KPU: what one KPU carries
depends on the application. The planner takes that figure from the user's load test, as
:func:`~patterns.capacity.web_tier` takes requests per instance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.plan import (  # Limit, Source: the inherited fields' annotations
    CAPACITY,
    QUOTA,
    Limit,  # noqa: F401
    LoadPlan,
    Source,  # noqa: F401
    build_limits,
)
from patterns.capacity.pricing import HOURS_PER_MONTH

__all__ = [
    "FLINK_MAX_KPUS",
    "FLINK_MAX_PARALLELISM_PER_KPU",
    "FLINK_STORAGE_GB_PER_KPU",
    "KpuPlan",
    "flink_kpus",
    "flink_kpus_problems",
]

#: KPUs per application (default quota).
FLINK_MAX_KPUS = 64
FLINK_MAX_PARALLELISM_PER_KPU = 8
#: Running application storage that comes with each KPU.
FLINK_STORAGE_GB_PER_KPU = 50


@dataclass(frozen=True, kw_only=True)
class KpuPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for a Flink application.

    Attributes:
        kpus: the KPUs the application's tasks need.
        parallelism: the ``Parallelism`` to set (``kpus x parallelism_per_kpu``).
        parallelism_per_kpu: the ``ParallelismPerKPU`` assumed.
        billed_kpus: ``kpus + 1`` (the orchestration KPU).
    """

    kpus: int
    parallelism: int
    parallelism_per_kpu: int
    billed_kpus: int


def flink_kpus_problems(
    records_per_second: object,
    records_per_second_per_kpu: object,
    *,
    parallelism_per_kpu: object = 1,
    state_gb: object = 0,
    source_shards: object = None,
    max_kpus: object = FLINK_MAX_KPUS,
    growth_factor: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`flink_kpus`, one line per problem.

    Ranges: rates ``> 0`` and ``<= 10^8 /s``; ParallelismPerKPU 1..8 (whole); state
    0..10^6 GB; source shards >= 1 (whole); max KPUs >= 1 (whole); growth 1..1,000.
    """
    p = Problems(names)
    p.number("records_per_second", records_per_second, above=0, maximum=10**8, unit="records/s")
    p.number(
        "records_per_second_per_kpu", records_per_second_per_kpu, above=0, maximum=10**8,
        unit="records/s",
    )  # fmt: skip
    p.number(
        "parallelism_per_kpu", parallelism_per_kpu, minimum=1,
        maximum=FLINK_MAX_PARALLELISM_PER_KPU, whole=True,
    )  # fmt: skip
    p.number("state_gb", state_gb, minimum=0, maximum=10**6, unit="GB")
    p.number("source_shards", source_shards, minimum=1, maximum=10**6, whole=True)
    p.number("max_kpus", max_kpus, minimum=1, maximum=10**6, whole=True)
    p.number("growth_factor", growth_factor, minimum=1, maximum=1_000)
    return p.lines


def flink_kpus(
    records_per_second: float,
    records_per_second_per_kpu: float,
    *,
    parallelism_per_kpu: int = 1,
    state_gb: float = 0,
    source_shards: int | None = None,
    max_kpus: int = FLINK_MAX_KPUS,
    growth_factor: float = 1,
) -> KpuPlan:
    """Plan a Flink application's KPUs.

    Args:
        records_per_second: the peak records/s the application reads.
        records_per_second_per_kpu: what one KPU (one vCPU) of *this* application processes
            per second at the target CPU, from a load test.
        parallelism_per_kpu: the ``ParallelismPerKPU`` (1..8). Default 1.
        state_gb: the application's running state, against 50 GB per KPU. Default 0.
        source_shards: the Kinesis shards the application reads; a source subtask reads
            whole shards, so parallelism above the shard count idles the extra source
            subtasks. Default: not checked.
        max_kpus: the account's KPUs per application quota. Default 64.
        growth_factor: multiply the rate by this (>= 1). Default 1.

    Returns:
        A :class:`KpuPlan`: ``kpus = max(ceil(rate / per_kpu), ceil(state / 50 GB), 1)``.

    Raises:
        ValueError: the problems :func:`flink_kpus_problems` finds.
    """
    p = Problems()
    p.lines = flink_kpus_problems(
        records_per_second, records_per_second_per_kpu, parallelism_per_kpu=parallelism_per_kpu,
        state_gb=state_gb, source_shards=source_shards, max_kpus=max_kpus,
        growth_factor=growth_factor,
    )  # fmt: skip
    p.raise_if_any()
    rate = exact(records_per_second) * exact(growth_factor)
    per_kpu = exact(records_per_second_per_kpu)
    state = exact(state_gb)
    kpus = max(1, math.ceil(rate / per_kpu), math.ceil(state / FLINK_STORAGE_GB_PER_KPU))
    per = int(parallelism_per_kpu)
    rows = [
        ("records/s", rate, kpus * per_kpu, CAPACITY, "raise the parallelism",
         src.FLINK_KPU_RESOURCES),
        ("running storage GB", state, exact(kpus * FLINK_STORAGE_GB_PER_KPU), CAPACITY,
         "raise the parallelism (50 GB per KPU)", src.FLINK_KPU_RESOURCES),
        ("KPUs per application", exact(kpus), exact(int(max_kpus)), QUOTA,
         "request a KPU quota increase", src.FLINK_KPU_QUOTA),
    ]  # fmt: skip
    limits, binding, headroom = build_limits(rows)
    notes = []
    if kpus > int(max_kpus):
        notes.append(
            f"{kpus} KPUs exceed the {int(max_kpus)} KPUs per application quota: request an "
            "increase before deploying"
        )
    if source_shards is not None and kpus * per > int(source_shards):
        notes.append(
            f"parallelism {kpus * per} exceeds the {int(source_shards)} source shards: the "
            "extra source subtasks idle (add shards, or lower the source operator's "
            "parallelism)"
        )
    notes.append(
        "autoscaling adds KPUs only after CPU stays above 75% for 15 minutes: size for the peak"
    )
    return KpuPlan(
        what="Flink application",
        capacity={"KPUs": kpus, "parallelism": kpus * per},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage={
            "flink.kpu-hour": float((kpus + 1) * HOURS_PER_MONTH),
            "flink.storage-gb-month": float(kpus * FLINK_STORAGE_GB_PER_KPU),
        },
        notes=tuple(notes),
        sources=(src.FLINK_KPU_RESOURCES, src.FLINK_KPU_QUOTA, src.FLINK_AUTOSCALING),
        kpus=kpus,
        parallelism=kpus * per,
        parallelism_per_kpu=per,
        billed_kpus=kpus + 1,
    )
