"""Per-period DynamoDB tables rotated by a scheduled function: :class:`TimeSeriesTables`
(the function's handler is ``time_series_rotation.py`` beside it)."""

from patterns.data_tier.time_series.construct import TimeSeriesTables
from patterns.data_tier.time_series.props import TIME_SERIES_PERIODS

__all__ = ["TIME_SERIES_PERIODS", "TimeSeriesTables"]
