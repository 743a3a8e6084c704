"""The workload a table is sized from (issue 15): :class:`TableWorkload`, its rules, its
throughput plan (:func:`patterns.capacity.dynamodb_throughput`) and the monthly cost of
either billing mode at that load, shared by :class:`~patterns.data_tier.ScalableTable` and
:class:`~patterns.data_tier.TimeSeriesTables`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from patterns.capacity import MonthlyCost, monthly_cost
from patterns.capacity.dynamodb_throughput import (
    IndexLoad,
    ThroughputPlan,
    dynamodb_throughput,
    dynamodb_throughput_problems,
)
from patterns.core.validation import Validator

if TYPE_CHECKING:
    from patterns.core.pattern import Pattern

__all__ = [
    "BILLING_WARNING",
    "TableWorkload",
    "WorkloadCosts",
    "exclusive_with_workload",
    "plan_workload",
    "workload_problems",
]

#: Warning id of a table whose other billing mode is cheaper at the stated load.
BILLING_WARNING = "data-tier:billing"


@dataclass(frozen=True)
class TableWorkload:
    """The load on a table, from which its read and write capacity is planned.

    Attributes:
        reads_per_second: peak item reads per second (GetItem, or items a Query returns).
        writes_per_second: peak item writes per second (PutItem, UpdateItem, DeleteItem).
        item_kb: average item size in KB (0 < size <= 400).
        read_consistency: ``"eventual"`` (half a read unit per 4 KB), ``"strong"`` (one) or
            ``"transactional"`` (two). Default ``"eventual"``.
        transactional_writes: whether writes go through TransactWriteItems (two write units
            per KB). Default False.
        index_reads_per_second: queries per second of each global secondary index (by name);
            each index's projected item size and share of the writes are its
            ``GsiOptions.projected_item_kb`` (default: the table's ``item_kb``) and
            ``write_share``. Default: no index reads.
    """

    reads_per_second: float
    writes_per_second: float
    item_kb: float
    read_consistency: str = "eventual"
    transactional_writes: bool = False
    index_reads_per_second: Mapping[str, float] | None = None


@dataclass(frozen=True)
class WorkloadCosts:
    """The monthly cost of a planned table in each billing mode, at the stated load."""

    on_demand: MonthlyCost
    provisioned: MonthlyCost

    @property
    def cheaper(self) -> str:
        """``"on-demand"`` or ``"provisioned"``."""
        return "provisioned" if self.provisioned.usd < self.on_demand.usd else "on-demand"


def exclusive_with_workload(v: Validator, workload: object, raw: Mapping[str, object]) -> None:
    """Raw capacity props and ``workload`` exclude each other: each given one is a problem."""
    if workload is None:
        return
    for prop, value in raw.items():
        if value is not None:
            v.add(
                prop,
                "is exclusive with workload (the capacity is planned from it): give the "
                "workload or the raw units, not both",
            )


def _figures(workload: TableWorkload) -> dict[str, Any]:
    """The planner's keyword arguments of the table's own load."""
    return {
        "reads_per_second": workload.reads_per_second,
        "writes_per_second": workload.writes_per_second,
        "item_kb": workload.item_kb,
        "read_consistency": workload.read_consistency,
        "transactional_writes": workload.transactional_writes,
    }


def _indexes(
    workload: TableWorkload, indexes: Mapping[str, tuple[float | None, float]]
) -> list[IndexLoad]:
    reads = workload.index_reads_per_second or {}
    return [
        IndexLoad(
            name=name,
            projected_item_kb=workload.item_kb if projected is None else projected,
            write_share=share,
            reads_per_second=reads.get(name, 0),
        )
        for name, (projected, share) in indexes.items()
    ]


def workload_problems(
    v: Validator,
    workload: object,
    indexes: Mapping[str, tuple[float | None, float]],
) -> None:
    """A :class:`TableWorkload` whose figures the planner accepts (named ``workload.*``) and
    whose index reads name indexes of the table."""
    if workload is None:
        return
    if not isinstance(workload, TableWorkload):
        v.add("workload", f"must be a TableWorkload, got {type(workload).__name__}")
        return
    reads = workload.index_reads_per_second
    if reads is not None and not isinstance(reads, Mapping):
        v.add("workload.index_reads_per_second", f"must be a mapping, got {reads!r}")
        return
    for name in sorted(set(reads or {}) - set(indexes)):
        v.add("workload.index_reads_per_second", f"names {name!r}, which is not a GSI")
    fields = ("reads_per_second", "writes_per_second", "item_kb", "read_consistency")
    names = {f: f"workload.{f}" for f in (*fields, "transactional_writes")}
    names["indexes"] = "workload.index_reads_per_second"
    problems = dynamodb_throughput_problems(**_figures(workload), names=names)
    for problem in problems:
        prop, _, message = problem.partition(" ")
        v.add(prop, message)


def plan_workload(
    pattern: Pattern,
    workload: TableWorkload | None,
    indexes: Mapping[str, tuple[float | None, float]],
    *,
    size_gb: float,
    billing: str,
) -> tuple[ThroughputPlan, WorkloadCosts] | tuple[None, None]:
    """Plan the table (and its ``indexes``: name -> (projected kb, write share)) from the
    workload, price both billing modes at that load, report the plan's notes and - when
    the other mode than ``billing`` is cheaper - a warning saying by how much. (None, None)
    without a workload."""
    if workload is None:
        return None, None
    plan = dynamodb_throughput(
        **_figures(workload), indexes=_indexes(workload, indexes), size_gb=size_gb
    )
    costs = WorkloadCosts(
        on_demand=monthly_cost(plan.on_demand_usage), provisioned=monthly_cost(plan)
    )
    pattern.report_plan(plan, warning="data-tier:throughput", what="workload", summary="")
    if costs.cheaper != billing:
        pattern.warn(
            BILLING_WARNING,
            f"at the stated workload {costs.cheaper} costs "
            f"{min(costs.on_demand, costs.provisioned, key=lambda c: c.usd).summary()} against "
            f"{billing} {max(costs.on_demand, costs.provisioned, key=lambda c: c.usd).summary()}"
            f" ({plan.read_capacity_units} RCU / {plan.write_capacity_units} WCU provisioned)",
        )
    return plan, costs
