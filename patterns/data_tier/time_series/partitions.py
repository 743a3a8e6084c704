"""The partition plan of one hot table of :class:`~patterns.data_tier.TimeSeriesTables`, its
hot-key warnings and the review line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns.capacity import PartitionPlan, dynamodb_partitions
from patterns.data_tier.ids import HOT_KEY_WARNING

if TYPE_CHECKING:
    from patterns.data_tier.time_series.construct import TimeSeriesTables
    from patterns.data_tier.time_series.props import SeriesProps

__all__ = ["hot_table_plan"]


def hot_table_plan(series: TimeSeriesTables, props: SeriesProps) -> PartitionPlan | None:
    """The plan of a hot table (None for on-demand tables) and the capacity line."""
    if props.hot_capacity is None:
        series.record_capacity(
            f"per {props.period}: on-demand tables, {props.retention_periods} kept"
        )
        return None
    hot_read, hot_write = props.hot_capacity
    plan = dynamodb_partitions(
        hot_read,
        hot_write,
        props.expected_size_gb,
        key_cardinality=props.key_cardinality,
        hot_key_share=props.hot_key_share,
    )
    series.report_plan(
        plan,
        warning=HOT_KEY_WARNING,
        summary=(
            f"per {props.period}: hot {hot_read} RCU / {hot_write} WCU ({plan.summary()}), "
            f"cold {props.cold_read_capacity} RCU / {props.cold_write_capacity} WCU, "
            f"{props.retention_periods} kept"
        ),
    )
    return plan
