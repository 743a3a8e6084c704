"""Auto scaling of a :class:`~patterns.data_tier.ScalableTable`'s provisioned capacity: target
tracking of the reads or writes of the table or a GSI, plus scheduled changes of the range."""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb

from patterns.data_tier.ids import construct_id
from patterns.data_tier.table.options import AutoScalingOptions

__all__ = ["auto_scale", "scale_table"]


def auto_scale(
    table: dynamodb.Table, kind: str, index: str | None, options: AutoScalingOptions
) -> dynamodb.IScalableTableAttribute:
    """Scale the ``kind`` (``"Read"`` or ``"Write"``) capacity of ``table`` (or of its GSI
    ``index``) between ``options``' bounds, tracking its target utilization, with its
    scheduled actions (ids from their names: ``NightlyScaleIn``)."""
    if index is None:
        attribute = (
            table.auto_scale_read_capacity if kind == "Read" else table.auto_scale_write_capacity
        )(min_capacity=options.min_capacity, max_capacity=options.max_capacity)
    else:
        attribute = (
            table.auto_scale_global_secondary_index_read_capacity
            if kind == "Read"
            else table.auto_scale_global_secondary_index_write_capacity
        )(index, min_capacity=options.min_capacity, max_capacity=options.max_capacity)
    attribute.scale_on_utilization(
        target_utilization_percent=options.target_utilization_percent,
        scale_in_cooldown=options.scale_in_cooldown,
        scale_out_cooldown=options.scale_out_cooldown,
    )
    for action in options.schedules:
        attribute.scale_on_schedule(
            construct_id(action.name),
            schedule=action.schedule,
            min_capacity=action.min_capacity,
            max_capacity=action.max_capacity,
            time_zone=action.time_zone,
        )
    return attribute


def scale_table(
    table: dynamodb.Table, scaling: tuple[AutoScalingOptions, AutoScalingOptions] | None
) -> dict[str, dynamodb.IScalableTableAttribute]:
    """Scale the table's reads and writes (``scaling``: their options; None on-demand)."""
    if scaling is None:
        return {}
    reads, writes = scaling
    return {
        "Table/Read": auto_scale(table, "Read", None, reads),
        "Table/Write": auto_scale(table, "Write", None, writes),
    }
