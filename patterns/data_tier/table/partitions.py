"""The partition plans of a :class:`~patterns.data_tier.ScalableTable` and its GSIs
(:func:`patterns.capacity.dynamodb_partitions`), their hot-key warnings and the review line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns.capacity import PartitionPlan, dynamodb_partitions
from patterns.data_tier.ids import HOT_KEY_WARNING
from patterns.data_tier.table.options import AutoScalingOptions, GsiOptions

if TYPE_CHECKING:
    from patterns.data_tier.table.construct import ScalableTable
    from patterns.data_tier.table.props import TableProps

__all__ = ["index_plan", "table_plan"]


def table_plan(table: ScalableTable, props: TableProps) -> PartitionPlan | None:
    """The table's plan for its peak capacity (a warning per note, the capacity line), or
    None on-demand without peaks."""
    if props.peak_capacity is None:
        table.record_capacity("on-demand (no peak given, no partition plan)")
        return None
    plan = dynamodb_partitions(
        *props.peak_capacity,
        props.expected_size_gb,
        key_cardinality=props.key_cardinality,
        hot_key_share=props.hot_key_share,
        growth_factor=props.growth_factor,
    )
    mode = "provisioned" if props.provisioned else "on-demand"
    table.report_plan(
        plan, warning=HOT_KEY_WARNING, what="table", summary=f"{mode}: {plan.summary()}"
    )
    return plan


def index_plan(
    table: ScalableTable,
    name: str,
    gsi: GsiOptions,
    scaling: tuple[AutoScalingOptions, AutoScalingOptions],
    growth_factor: float,
) -> PartitionPlan:
    """The plan of the provisioned GSI ``name`` from its (reads, writes) scaling maxima
    (warnings only: the review line is the table's)."""
    reads, writes = scaling
    plan = dynamodb_partitions(
        reads.peak_capacity,
        writes.peak_capacity,
        key_cardinality=gsi.key_cardinality,
        hot_key_share=gsi.hot_key_share,
        growth_factor=growth_factor,
    )
    table.report_plan(plan, warning=HOT_KEY_WARNING, what=f"index {name}", summary="")
    return plan
