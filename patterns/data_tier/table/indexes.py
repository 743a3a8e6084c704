"""The secondary indexes of a :class:`~patterns.data_tier.ScalableTable`: local ones, and
global ones with their own (or the table's) auto scaling and partition plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns.data_tier.table.options import GsiOptions
from patterns.data_tier.table.partitions import index_plan
from patterns.data_tier.table.scaling import auto_scale

if TYPE_CHECKING:
    from patterns.data_tier.table.construct import ScalableTable
    from patterns.data_tier.table.props import TableProps

__all__ = ["add_indexes"]


def add_indexes(table: ScalableTable, props: TableProps) -> None:
    """Add the LSIs, then each GSI (scaled and planned when provisioned)."""
    for name, lsi in props.lsis.items():
        table.table.add_local_secondary_index(
            index_name=name,
            sort_key=lsi.sort_key,
            projection_type=lsi.projection_type,
            non_key_attributes=list(lsi.non_key_attributes) or None,
        )
    for name, gsi in props.gsis.items():
        _add_global_index(table, props, name, gsi)


def _add_global_index(table: ScalableTable, props: TableProps, name: str, gsi: GsiOptions) -> None:
    """The GSI ``name``; provisioned, its reads and writes scale (with its own options, else
    the table's) and its partitions are planned."""
    reads = gsi.read_scaling or props.read_scaling
    writes = gsi.write_scaling or props.write_scaling
    table.table.add_global_secondary_index(
        index_name=name,
        partition_key=gsi.partition_key,
        sort_key=gsi.sort_key,
        projection_type=gsi.projection_type,
        non_key_attributes=list(gsi.non_key_attributes) or None,
        read_capacity=reads.min_capacity if reads else None,
        write_capacity=writes.min_capacity if writes else None,
    )
    if reads is None or writes is None:
        return
    table.scaling[f"{name}/Read"] = auto_scale(table.table, "Read", name, reads)
    table.scaling[f"{name}/Write"] = auto_scale(table.table, "Write", name, writes)
    table.index_capacity_plans[name] = index_plan(table, name, gsi, (reads, writes), props)
