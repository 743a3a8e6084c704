"""DynamoDB tables sized for their load: :class:`ScalableTable` and its option types."""

from patterns.data_tier.table.construct import ScalableTable
from patterns.data_tier.table.options import (
    AutoScalingOptions,
    GsiOptions,
    LsiOptions,
    ScheduledCapacity,
)

__all__ = [
    "AutoScalingOptions",
    "GsiOptions",
    "LsiOptions",
    "ScalableTable",
    "ScheduledCapacity",
]
