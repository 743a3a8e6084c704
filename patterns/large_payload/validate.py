"""The prop rules of :class:`~patterns.large_payload.PayloadBucket`.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once.
"""

from __future__ import annotations

from aws_cdk import Duration

from patterns.core.deferred import deferred
from patterns.core.validation import Validator, format_duration, is_unresolved

__all__ = ["MAX_EXPIRATION", "expiration"]

#: S3 expires objects in whole days; the longest the library allows is about 10 years.
MAX_EXPIRATION = deferred(Duration, "days", 3_650)


def expiration(v: Validator, value: Duration) -> None:
    """1 .. 3,650 days, in whole days (an S3 lifecycle rule counts days)."""
    before = len(v.problems)
    v.duration_in_range("expiration", value, minimum=Duration.days(1), maximum=MAX_EXPIRATION)
    if len(v.problems) > before or not isinstance(value, Duration) or is_unresolved(value):
        return
    if not float(value.to_seconds(integral=False) / 86_400).is_integer():
        v.add(
            "expiration",
            f"must be a whole number of days (S3 lifecycle), got {format_duration(value)}",
        )
