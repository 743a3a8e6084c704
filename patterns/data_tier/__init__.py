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

Names load on first use (PEP 562, as in :mod:`patterns`): ``ScalableTable`` does not import the
DAX or time-series modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns._lazy import lazy_names

if TYPE_CHECKING:  # type checkers and IDEs see every name; at run time __getattr__ loads them
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

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "AutoScalingOptions": "patterns.data_tier.table",
    "DaxCache": "patterns.data_tier.dax",
    "DaxOptions": "patterns.data_tier.dax",
    "GsiOptions": "patterns.data_tier.table",
    "LsiOptions": "patterns.data_tier.table",
    "ScalableTable": "patterns.data_tier.table",
    "ScheduledCapacity": "patterns.data_tier.table",
    "TableWorkload": "patterns.data_tier.workload",
    "TimeSeriesTables": "patterns.data_tier.time_series",
}

__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)

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
