"""How long a payload object must live: until no pointer to it can still be queued."""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["DLQ_RETENTION_DAYS", "EXPIRATION_MARGIN_DAYS", "payload_expiration"]

#: Added to the computed expiry: S3 lifecycle runs once a day and rounds to midnight UTC.
EXPIRATION_MARGIN_DAYS = 1
#: How long a DLQ of this library keeps a message.
DLQ_RETENTION_DAYS = 14


def payload_expiration(
    retention_periods_days: Iterable[float],
    *,
    fifo: bool = False,
    dead_letter_retention_days: float = DLQ_RETENTION_DAYS,
) -> int:
    """Days after which a payload object may expire: no pointer to it can still be queued.

    A pointer lives as long as its message: at most the queue's retention period, and then up
    to the DLQ's retention once it fails its receives. For a standard queue the DLQ keeps the
    original enqueue time, so the bound is the longer of the two; a FIFO queue's DLQ restarts
    the clock, so the bound is their sum. One day of margin is added, since S3 expires objects
    in whole days once a day.
    """
    periods = list(retention_periods_days)
    if not periods:
        raise ValueError("retention_periods_days must name at least one queue retention")
    longest = max(periods)
    dlq = dead_letter_retention_days
    bound = longest + dlq if fifo else max(longest, dlq)
    return math.ceil(bound) + EXPIRATION_MARGIN_DAYS
