"""Construct ids and warning ids of the data tier.

Construct ids are part of every logical id: an index's alarms and a scheduled action keep
the id their name gives, or they are replaced on the next deploy.
"""

from __future__ import annotations

from patterns.core.ids import pascal

__all__ = ["HOT_KEY_WARNING", "ID_SEPARATORS", "construct_id"]

#: Warning id of a partition plan's notes (a key hotter than one partition serves).
HOT_KEY_WARNING = "data-tier:hot-key"
#: Separators of index and scheduled-action names in construct ids (``orders-by-date``,
#: ``orders_by_date``, ``orders.by.date`` and ``orders by date`` all give ``OrdersByDate``).
ID_SEPARATORS = r"[-_.\s]"


def construct_id(name: str) -> str:
    """``orders-by-date`` -> ``OrdersByDate``: the id of an index's alarms or of a scheduled
    action."""
    return pascal(name, ID_SEPARATORS)
