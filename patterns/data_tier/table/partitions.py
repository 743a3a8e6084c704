"""The partition plans of a :class:`~patterns.data_tier.ScalableTable` and its GSIs
(:func:`patterns.capacity.dynamodb_partitions`), their hot-key warnings and the review line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_dynamodb as dynamodb

from patterns.capacity import PartitionPlan, dynamodb_partitions
from patterns.capacity.dynamodb_throughput import index_size_gb, index_write_units
from patterns.data_tier.ids import HOT_KEY_WARNING
from patterns.data_tier.table.options import AutoScalingOptions, GsiOptions

if TYPE_CHECKING:
    from patterns.data_tier.table.construct import ScalableTable
    from patterns.data_tier.table.props import TableProps

__all__ = ["INDEX_WRITES_WARNING", "index_plan", "index_sizes", "table_plan"]

#: Warning id of an index whose write capacity is below the writes the table sends it.
INDEX_WRITES_WARNING = "data-tier:index-writes"


def index_sizes(gsi: GsiOptions, props: TableProps) -> tuple[float, int | None]:
    """(size in GB, write units from the table) of the index ``gsi``: its given size or the
    one its projection implies (0 when not known); the write units the table's peak writes
    send it (None without a table peak)."""
    size = gsi.expected_size_gb
    if size is None:
        size = index_size_gb(
            props.expected_size_gb,
            _projection_name(gsi.projection_type),
            item_kb=props.item_kb,
            projected_item_kb=gsi.projected_item_kb,
        )
    peak = props.peak_capacity
    writes = None
    if peak is not None:
        writes = index_write_units(
            peak[1],
            write_share=gsi.write_share,
            item_kb=props.item_kb,
            projected_item_kb=gsi.projected_item_kb,
        )
    return size or 0.0, writes


def _projection_name(projection: dynamodb.ProjectionType) -> str:
    for name in ("ALL", "KEYS_ONLY", "INCLUDE"):
        if projection == getattr(dynamodb.ProjectionType, name):
            return name
    return "ALL"


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
    props: TableProps,
) -> PartitionPlan:
    """The plan of the provisioned GSI ``name``: its (reads, writes) scaling maxima - the
    writes at least what the table's peak writes send it (:func:`index_sizes`) - and its size
    (given, or from its projection). A write maximum below the table's writes to it is a
    warning: a throttled index throttles the table's writes. Warnings only: the review line
    is the table's."""
    reads, writes = scaling
    size_gb, table_writes = index_sizes(gsi, props)
    write_units = writes.peak_capacity
    if table_writes is not None and table_writes > write_units:
        table.warn(
            INDEX_WRITES_WARNING,
            f"index {name}: its write_scaling maximum ({write_units} WCU) is below the "
            f"{table_writes} WCU the table's peak writes send it (write_share "
            f"{gsi.write_share:g}); a throttled index throttles the table's writes - raise "
            "its write_scaling max_capacity",
        )
        write_units = table_writes
    plan = dynamodb_partitions(
        reads.peak_capacity,
        write_units,
        size_gb,
        key_cardinality=gsi.key_cardinality,
        hot_key_share=gsi.hot_key_share,
        growth_factor=props.growth_factor,
    )
    table.report_plan(plan, warning=HOT_KEY_WARNING, what=f"index {name}", summary="")
    return plan
