"""Lambda concurrency from the request rate and duration (Little's law), and the SQS event
source settings that drain a queue's rate within its retention."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.plan import (  # Limit, Source: the inherited fields' annotations
    CAPACITY,
    QUOTA,
    Limit,  # noqa: F401
    LoadPlan,
    Source,  # noqa: F401
    build_limits,
)
from patterns.capacity.pricing import SECONDS_PER_MONTH

__all__ = [
    "LAMBDA_ACCOUNT_CONCURRENCY",
    "LAMBDA_MAX_TIMEOUT_S",
    "LAMBDA_SCALING_PER_10_S",
    "SQS_MAX_EVENT_SOURCE_CONCURRENCY",
    "ConcurrencyPlan",
    "lambda_concurrency",
    "lambda_concurrency_problems",
    "sqs_visibility_timeout",
]

#: Default concurrent executions per account and Region.
LAMBDA_ACCOUNT_CONCURRENCY = 1_000
#: Execution environments a function gains at most every 10 seconds.
LAMBDA_SCALING_PER_10_S = 1_000
LAMBDA_MAX_TIMEOUT_S = 900
#: Largest maximum concurrency of an SQS event source mapping (and the smallest is 2).
SQS_MAX_EVENT_SOURCE_CONCURRENCY = 1_000
_SQS_MAX_RETENTION_S = 1_209_600


def sqs_visibility_timeout(function_timeout_s: float) -> int:
    """The queue visibility timeout for a Lambda consumer: 6 x the function timeout."""
    return math.ceil(6 * exact(function_timeout_s))


@dataclass(frozen=True, kw_only=True)
class ConcurrencyPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for a Lambda function.

    Attributes:
        concurrency: concurrent executions at the planned load (``ceil(rate x duration)``;
            with an SQS source, concurrent batches).
        reserved_concurrency: the value to reserve (= ``concurrency``, at least 1).
        seconds_to_scale: seconds a cold function needs to reach ``concurrency`` at 1,000
            environments per 10 s.
        batch_size / maximum_concurrency / visibility_timeout_s: the SQS event source and
            queue settings (None without an SQS source).
    """

    concurrency: int
    reserved_concurrency: int
    seconds_to_scale: int
    batch_size: int | None = None
    maximum_concurrency: int | None = None
    visibility_timeout_s: int | None = None


def lambda_concurrency_problems(
    requests_per_second: object,
    duration_s: object,
    *,
    memory_mb: object = 128,
    account_concurrency: object = LAMBDA_ACCOUNT_CONCURRENCY,
    sqs_batch_size: object = None,
    function_timeout_s: object = None,
    retention_s: object = 345_600,
    backlog_messages: object = 0,
    fifo: object = False,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`lambda_concurrency`, one line per problem.

    Ranges: ``0 < rate <= 10^8 /s``; ``0 < duration <= 900 s``; memory 128..10,240 MB;
    account concurrency a whole number >= 10; batch size 1..10,000 (10 for FIFO); function
    timeout at least the duration and at most 900 s, and 6 x it at most the 12-hour
    visibility timeout limit; retention 60 s..14 days; backlog >= 0.
    """
    p = Problems(names)
    p.number("requests_per_second", requests_per_second, above=0, maximum=10**8, unit="/s")
    duration_ok = p.number(
        "duration_s",
        duration_s,
        above=0,
        maximum=LAMBDA_MAX_TIMEOUT_S,
        unit="s",
        why="the Lambda timeout limit",
    )
    p.number("memory_mb", memory_mb, minimum=128, maximum=10_240, unit="MB")
    p.number("account_concurrency", account_concurrency, minimum=10, maximum=10**7, whole=True)
    fifo_ok = p.flag("fifo", fifo)
    largest = 10 if fifo_ok and fifo else 10_000
    p.number("sqs_batch_size", sqs_batch_size, minimum=1, maximum=largest, whole=True)
    timeout_ok = p.number(
        "function_timeout_s", function_timeout_s, above=0, maximum=LAMBDA_MAX_TIMEOUT_S, unit="s"
    )
    if timeout_ok and duration_ok and function_timeout_s < duration_s:  # type: ignore[operator]
        p.add(
            f"{p.name('function_timeout_s')} must be at least {p.name('duration_s')} "
            f"({duration_s:,g} s: a batch must finish before the function times out), "
            f"got {function_timeout_s:,g} s"
        )
    p.number("retention_s", retention_s, minimum=60, maximum=_SQS_MAX_RETENTION_S, unit="s")
    p.number("backlog_messages", backlog_messages, minimum=0, maximum=10**12)
    return p.lines


def lambda_concurrency(
    requests_per_second: float,
    duration_s: float,
    *,
    memory_mb: int = 128,
    account_concurrency: int = LAMBDA_ACCOUNT_CONCURRENCY,
    sqs_batch_size: int | None = None,
    function_timeout_s: float | None = None,
    retention_s: float = 345_600,
    backlog_messages: float = 0,
    fifo: bool = False,
    growth_factor: float = 1,
) -> ConcurrencyPlan:
    """Plan a Lambda function's concurrency (and, with an SQS source, its event source).

    Args:
        requests_per_second: peak invocations per second; with ``sqs_batch_size``, peak
            messages per second arriving on the queue.
        duration_s: average duration of one invocation (with an SQS source: of one batch).
        memory_mb: the function's memory, for the GB-second price. Default 128.
        account_concurrency: the account's concurrency quota. Default 1,000.
        sqs_batch_size: messages per batch of an SQS source. Default: no SQS source.
        function_timeout_s: the function timeout (>= ``duration_s``). Default: the duration.
        retention_s: the queue's message retention. Default 4 days.
        backlog_messages: a backlog that must drain before it expires. Default 0.
        fifo: whether the queue is FIFO (batch size at most 10).
        growth_factor: multiply the rate by this (>= 1). Default 1.

    Returns:
        A :class:`ConcurrencyPlan`: ``concurrency = ceil(rate x duration)`` (Little's law); with
        an SQS source ``ceil((rate + backlog / retention) x duration / batch_size)`` and at
        least 2, and a visibility timeout of 6 x the function timeout.

    Raises:
        ValueError: the problems :func:`lambda_concurrency_problems` finds, or a load the
            SQS event source cannot carry (over 1,000 concurrent batches).
    """
    p = Problems()
    p.lines = lambda_concurrency_problems(
        requests_per_second, duration_s, memory_mb=memory_mb,
        account_concurrency=account_concurrency, sqs_batch_size=sqs_batch_size,
        function_timeout_s=function_timeout_s, retention_s=retention_s,
        backlog_messages=backlog_messages, fifo=fifo,
    )  # fmt: skip
    p.number("growth_factor", growth_factor, minimum=1, maximum=1_000)
    p.raise_if_any()
    rate = exact(requests_per_second) * exact(growth_factor)
    duration = exact(duration_s)
    batch = None if sqs_batch_size is None else int(sqs_batch_size)
    if batch is None:
        demand = rate * duration
        invocations = rate
    else:
        demand = (rate + exact(backlog_messages) / exact(retention_s)) * duration / batch
        invocations = rate / batch
    concurrency = max(1 if batch is None else 2, math.ceil(demand))
    if batch is not None and concurrency > SQS_MAX_EVENT_SOURCE_CONCURRENCY:
        raise ValueError(
            f"requests_per_second {float(rate):,g} needs {concurrency:,} concurrent batches, over "
            f"the {SQS_MAX_EVENT_SOURCE_CONCURRENCY:,} maximum concurrency of an SQS event "
            "source: raise sqs_batch_size, shorten the batch, or split the queue"
        )
    rows = [
        ("concurrency", demand, exact(concurrency), CAPACITY,
         "raise the reserved (or maximum) concurrency", src.LAMBDA_CONCURRENCY),
        ("account concurrency", demand, exact(account_concurrency), QUOTA,
         "request a Lambda concurrency quota increase", src.LAMBDA_CONCURRENCY),
        ("account requests/s", invocations, exact(10 * int(account_concurrency)), QUOTA,
         "request a Lambda concurrency quota increase (the request rate is 10 x it)",
         src.LAMBDA_REQUEST_RATE),
    ]  # fmt: skip
    used = [src.LAMBDA_CONCURRENCY, src.LAMBDA_REQUEST_RATE, src.LAMBDA_SCALING_RATE]
    visibility = None
    if batch is not None:
        rows.append(
            ("SQS event source concurrency", demand, exact(SQS_MAX_EVENT_SOURCE_CONCURRENCY),
             QUOTA, "raise sqs_batch_size or split the queue", src.LAMBDA_SQS_SCALING)
        )  # fmt: skip
        visibility = sqs_visibility_timeout(function_timeout_s or duration_s)
        used += [src.LAMBDA_SQS_SCALING, src.LAMBDA_SQS_VISIBILITY, src.SQS_RETENTION]
    limits, binding, headroom = build_limits(rows)
    notes = []
    if concurrency > int(account_concurrency):
        notes.append(
            f"{concurrency:,} concurrent executions exceed the account's "
            f"{int(account_concurrency):,}: request a quota increase before deploying"
        )
    steps = math.ceil(Fraction(concurrency, LAMBDA_SCALING_PER_10_S))
    if steps > 1:
        notes.append(
            f"a cold function needs about {steps * 10} s to scale to {concurrency:,} "
            "environments (1,000 per 10 s): keep provisioned concurrency for sudden peaks"
        )
    usage = _usage(rate, invocations, duration, memory_mb, batch, fifo)
    return ConcurrencyPlan(
        what="Lambda function",
        capacity={"concurrency": concurrency},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage=usage,
        notes=tuple(notes),
        sources=tuple(used),
        concurrency=concurrency,
        reserved_concurrency=concurrency,
        seconds_to_scale=steps * 10,
        batch_size=batch,
        maximum_concurrency=None if batch is None else concurrency,
        visibility_timeout_s=visibility,
    )


def _usage(
    rate: Fraction, invocations: Fraction, duration: Fraction, memory_mb: int,
    batch: int | None, fifo: bool,
) -> dict[str, float]:  # fmt: skip
    gb_seconds = invocations * duration * Fraction(memory_mb, 1_024) * SECONDS_PER_MONTH
    usage = {
        "lambda.requests": float(invocations * SECONDS_PER_MONTH),
        "lambda.gb-second": float(gb_seconds),
    }
    if batch is not None:
        # a send per message, and a receive and a batch delete per batch
        key = "sqs.fifo-requests" if fifo else "sqs.standard-requests"
        usage[key] = float((rate + 2 * invocations) * SECONDS_PER_MONTH)
    return usage
