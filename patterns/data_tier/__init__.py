"""Data tier: DynamoDB tables with planned, auto-scaled capacity, a DAX cache and per-period
time-series tables.

Public constructs: :class:`ScalableTable` (with :class:`AutoScalingOptions`,
:class:`ScheduledCapacity`, :class:`GsiOptions`, :class:`LsiOptions`), :class:`DaxCache`
(:class:`DaxOptions`) and :class:`TimeSeriesTables`. Partition planning lives in
:func:`patterns.capacity.dynamodb_partitions`.

Layout: one package per construct (``table/``, ``dax/``, ``time_series/``), each with its
``construct.py``, its option types, its ``validate.py`` and one module per feature; the
DynamoDB limits (``limits.py``), the prop rules the table constructs share (``rules.py``)
and the IAM actions of their grants (``actions.py``) sit beside them.
"""

from patterns.data_tier.dax import DaxCache, DaxOptions
from patterns.data_tier.table import (
    AutoScalingOptions,
    GsiOptions,
    LsiOptions,
    ScalableTable,
    ScheduledCapacity,
)
from patterns.data_tier.time_series import TimeSeriesTables
from patterns.data_tier.workload import TableWorkload

__all__ = [
    "AutoScalingOptions",
    "DaxCache",
    "DaxOptions",
    "GsiOptions",
    "LsiOptions",
    "ScalableTable",
    "ScheduledCapacity",
    "TableWorkload",
    "TimeSeriesTables",
]
