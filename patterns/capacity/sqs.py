"""SQS FIFO queue throughput from the message rate: API calls per action against the FIFO
quota (300 calls/s, or high throughput's 70,000 in us-east-1), batching, message groups."""

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
    "SQS_FIFO_CALLS_PER_S",
    "SQS_FIFO_GROUP_CALLS_PER_S",
    "SQS_HIGH_THROUGHPUT_CALLS_PER_S",
    "SQS_MAX_BATCH",
    "FifoQueuePlan",
    "billed_chunks",
    "sqs_fifo_queue",
    "sqs_fifo_queue_problems",
]

#: API calls per second per action (SendMessage, ReceiveMessage, DeleteMessage) of a FIFO
#: queue without high throughput; a batch of 10 is one call (3,000 messages/s).
SQS_FIFO_CALLS_PER_S = 300
#: The same with high throughput for FIFO queues, us-east-1 (700,000 messages/s batched).
SQS_HIGH_THROUGHPUT_CALLS_PER_S = 70_000
#: With high throughput, one message group lives on one partition: 300 calls/s.
SQS_FIFO_GROUP_CALLS_PER_S = 300
SQS_MAX_BATCH = 10
#: SQS and SNS bill each 64 KB chunk of a request's payload as one request.
CHUNK_KIB = 64
_MAX_RATE = 10**8
_MAX_MESSAGE_KIB = 1_024

CALLS = "API calls/s per action"
GROUP_CALLS = "API calls/s per message group"


def billed_chunks(batch_size: int, message_kib: Fraction) -> int:
    """Requests billed for one call carrying ``batch_size`` messages of ``message_kib``: one per
    started 64 KB of payload."""
    return max(1, math.ceil(batch_size * message_kib / CHUNK_KIB))


@dataclass(frozen=True, kw_only=True)
class FifoQueuePlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for an SQS FIFO queue.

    Attributes:
        calls_per_second: API calls per second per action at the planned load
            (``messages / batch_size``).
        high_throughput: whether the plan assumes high throughput for FIFO queues.
        needs_high_throughput: the load exceeds 300 calls/s per action: only high throughput
            carries it (or batching, when ``batch_size`` < 10 and batches of 10 would do).
    """

    calls_per_second: float
    high_throughput: bool
    needs_high_throughput: bool


def sqs_fifo_queue_problems(
    messages_per_second: object,
    *,
    batch_size: object = 1,
    average_message_kib: object = 1,
    high_throughput: object = False,
    message_groups: object = None,
    growth_factor: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`sqs_fifo_queue`, one line per problem.

    Ranges: ``0 < rate <= 10^8 messages/s``; batch size a whole number 1..10; message size
    0 < size <= 1,024 KiB; message groups a whole number >= 1; growth 1..1,000. ``None`` is
    not given (not checked).
    """
    p = Problems(names)
    p.number(
        "messages_per_second", messages_per_second, above=0, maximum=_MAX_RATE, unit="messages/s"
    )
    p.number(
        "batch_size", batch_size, minimum=1, maximum=SQS_MAX_BATCH, whole=True,
        why="an SQS batch request carries at most 10 messages",
    )  # fmt: skip
    p.number(
        "average_message_kib", average_message_kib, above=0, maximum=_MAX_MESSAGE_KIB,
        unit="KiB", why="the largest SQS message is 1 MiB",
    )  # fmt: skip
    p.flag("high_throughput", high_throughput)
    p.number("message_groups", message_groups, minimum=1, maximum=10**9, whole=True)
    p.number("growth_factor", growth_factor, minimum=1, maximum=1_000)
    return p.lines


def sqs_fifo_queue(
    messages_per_second: float,
    *,
    batch_size: int = 1,
    average_message_kib: float = 1,
    high_throughput: bool = False,
    message_groups: int | None = None,
    growth_factor: float = 1,
) -> FifoQueuePlan:
    """Check an SQS FIFO queue against its throughput quota at a message rate.

    Args:
        messages_per_second: peak messages sent per second (each is also received and
            deleted once).
        batch_size: messages per SendMessageBatch / ReceiveMessage / DeleteMessageBatch call
            (1..10). Default 1: no batching.
        average_message_kib: average message size, for the billed 64 KB chunks. Default 1.
        high_throughput: whether high throughput for FIFO queues is enabled. Default False.
        message_groups: distinct message group IDs sharing the load evenly. Default: not
            checked (with high throughput, a group is served by one partition).
        growth_factor: multiply the rate by this (>= 1). Default 1.

    Returns:
        A :class:`FifoQueuePlan`: ``calls = rate / batch_size`` per action against 300/s
        (70,000/s with high throughput) and, with message groups and high throughput,
        ``calls / groups`` against 300/s per group.

    Raises:
        ValueError: the problems :func:`sqs_fifo_queue_problems` finds.
    """
    p = Problems()
    p.lines = sqs_fifo_queue_problems(
        messages_per_second, batch_size=batch_size, average_message_kib=average_message_kib,
        high_throughput=high_throughput, message_groups=message_groups,
        growth_factor=growth_factor,
    )  # fmt: skip
    p.raise_if_any()
    rate = exact(messages_per_second) * exact(growth_factor)
    batch = int(batch_size)
    calls = rate / batch
    quota = SQS_HIGH_THROUGHPUT_CALLS_PER_S if high_throughput else SQS_FIFO_CALLS_PER_S
    way_out = (
        "spread the load over more queues (70,000 calls/s per action is the Region's "
        "high-throughput limit)"
        if high_throughput
        else "batch 10 messages per call (SendMessageBatch, DeleteMessageBatch) or enable "
        "high_throughput_fifo"
    )
    rows = [
        (CALLS, calls, exact(quota), QUOTA, way_out,
         src.SQS_FIFO_HIGH_THROUGHPUT if high_throughput else src.SQS_FIFO),
    ]  # fmt: skip
    used = [src.SQS_FIFO, src.SQS_FIFO_THROTTLING, src.SQS_BATCH, src.SQS_REQUEST_CHUNK]
    if high_throughput:
        used.append(src.SQS_FIFO_HIGH_THROUGHPUT)
    if high_throughput and message_groups is not None:
        rows.append(
            (GROUP_CALLS, calls / int(message_groups), exact(SQS_FIFO_GROUP_CALLS_PER_S),
             CAPACITY, "use more distinct message group IDs", src.SQS_FIFO_GROUP)
        )  # fmt: skip
        used.append(src.SQS_FIFO_GROUP)
    limits, binding, headroom = build_limits(rows)
    notes = _notes(calls, batch, high_throughput)
    chunks = billed_chunks(batch, exact(average_message_kib))
    # a send, a receive and a delete call per batch, each billed per 64 KB chunk
    requests = 3 * calls * chunks * SECONDS_PER_MONTH
    return FifoQueuePlan(
        what="SQS FIFO queue",
        capacity={"API calls/s per action": float(calls)},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage={"sqs.fifo-requests": float(requests)},
        notes=tuple(notes),
        sources=tuple(used),
        calls_per_second=float(calls),
        high_throughput=bool(high_throughput),
        needs_high_throughput=calls > SQS_FIFO_CALLS_PER_S,
    )


def _notes(calls: Fraction, batch: int, high_throughput: bool) -> list[str]:
    notes = []
    if not high_throughput and calls > SQS_FIFO_CALLS_PER_S:
        if calls * batch <= SQS_FIFO_CALLS_PER_S * SQS_MAX_BATCH:
            notes.append(
                f"{float(calls):,.4g} calls/s per action exceed the FIFO queue's 300: batches "
                "of 10 carry it, or enable high_throughput_fifo"
            )
        else:
            notes.append(
                f"{float(calls * batch):,.4g} messages/s exceed 3,000 (300 batches of 10): "
                "only high_throughput_fifo carries it"
            )
    elif high_throughput and calls <= SQS_FIFO_CALLS_PER_S:
        notes.append("the load fits a FIFO queue without high throughput")
    return notes
