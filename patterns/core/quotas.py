"""Numbers no AWS account can be given: a prop far above its service's default quota.

Most quotas a pattern sizes against are adjustable (Kinesis shards per account, Lambda
concurrency, DynamoDB capacity per table), so a value above the default is only a warning
matter for the planner. A value more than :data:`RAISED_QUOTA_FACTOR` times the default is a
unit slip or a typo (``10**12`` shards); it is rejected before it reaches the template::

    within_quota(v, "shard_count", props.shard_count, default=500, unit="shards",
                 source=sources.KINESIS_SHARD_QUOTA)
"""

from __future__ import annotations

import math

from patterns.capacity.plan import Source
from patterns.core.validation import Validator, is_unresolved

__all__ = ["RAISED_QUOTA_FACTOR", "within_quota"]

#: How far above a default (adjustable) quota a value may be before it is rejected: AWS raises
#: quotas case by case for a stated need; two orders of magnitude is beyond any such request
#: (Lambda's own page puts the reachable concurrency at "tens of thousands" over the default
#: 1,000).
RAISED_QUOTA_FACTOR = 100


def within_quota(
    v: Validator, prop: str, value: object, *, default: int, unit: str, source: Source
) -> None:
    """Reject ``value`` above ``RAISED_QUOTA_FACTOR x default``; ``None``, tokens and
    non-numbers (reported by the type check) are skipped.

    Args:
        v: the pattern's validator.
        prop: the prop's name in the message.
        value: the prop's value.
        default: the service's default quota for what ``value`` counts.
        unit: the unit of ``value`` (``shards``).
        source: where AWS states the default quota.
    """
    if value is None or is_unresolved(value) or isinstance(value, bool):
        return
    if not isinstance(value, int | float) or not math.isfinite(value):
        return
    ceiling = default * RAISED_QUOTA_FACTOR
    if value > ceiling:
        v.add(
            prop,
            f"must be at most {ceiling:,} {unit} ({RAISED_QUOTA_FACTOR} x the default quota: "
            f"{source}), got {value:,}",
        )
