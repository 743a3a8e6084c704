"""SNS topic throughput from the publish rate: the standard publish quota, a FIFO topic's
3,000 messages/s and 20 MB/s (topic scope) or the Region's limit with high throughput
(message group scope, 300 messages/s per group)."""

from __future__ import annotations

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
    Source,
    build_limits,
)
from patterns.capacity.pricing import SECONDS_PER_MONTH
from patterns.capacity.sqs import billed_chunks

__all__ = [
    "SNS_FIFO_GROUP_MESSAGES_PER_S",
    "SNS_FIFO_TOPIC_MB_PER_S",
    "SNS_FIFO_TOPIC_MESSAGES_PER_S",
    "SNS_HIGH_THROUGHPUT_MESSAGES_PER_S",
    "SNS_STANDARD_PUBLISH_PER_S",
    "TopicPlan",
    "sns_topic",
    "sns_topic_problems",
]

#: A FIFO topic with topic throughput scope: 3,000 messages/s and 20 MB/s.
SNS_FIFO_TOPIC_MESSAGES_PER_S = 3_000
SNS_FIFO_TOPIC_MB_PER_S = 20
#: Message group scope (high throughput) in us-east-1: 30,000 messages/s per account ...
SNS_HIGH_THROUGHPUT_MESSAGES_PER_S = 30_000
#: ... and 300 messages/s per message group.
SNS_FIFO_GROUP_MESSAGES_PER_S = 300
#: Standard topics in us-east-1: 30,000 published messages/s per account.
SNS_STANDARD_PUBLISH_PER_S = 30_000
_MAX_MESSAGE_KIB = 256

MESSAGES = "published messages/s"
MEGABYTES = "published MB/s"
GROUP_MESSAGES = "messages/s per message group"


@dataclass(frozen=True, kw_only=True)
class TopicPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for an SNS topic.

    Attributes:
        fifo / high_throughput: the configuration checked.
        publish_calls_per_second: Publish (or PublishBatch) calls per second.
    """

    fifo: bool
    high_throughput: bool
    publish_calls_per_second: float


def sns_topic_problems(
    messages_per_second: object,
    *,
    fifo: object = False,
    high_throughput: object = False,
    batch_size: object = 1,
    average_message_kib: object = 1,
    message_groups: object = None,
    growth_factor: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`sns_topic`, one line per problem.

    Ranges: ``0 < rate <= 10^8 messages/s``; batch size 1..10; message size
    0 < size <= 256 KiB; message groups >= 1; growth 1..1,000; ``high_throughput`` only
    with ``fifo``.
    """
    p = Problems(names)
    p.number("messages_per_second", messages_per_second, above=0, maximum=10**8, unit="messages/s")
    fifo_ok = p.flag("fifo", fifo)
    if p.flag("high_throughput", high_throughput) and high_throughput and fifo_ok and not fifo:
        p.add(
            f"{p.name('high_throughput')} applies to FIFO topics only "
            f"({p.name('fifo')}=True), got {p.name('fifo')}=False"
        )
    p.number(
        "batch_size", batch_size, minimum=1, maximum=10, whole=True,
        why="PublishBatch carries at most 10 messages",
    )  # fmt: skip
    p.number(
        "average_message_kib", average_message_kib, above=0, maximum=_MAX_MESSAGE_KIB,
        unit="KiB", why="the largest SNS message is 256 KiB",
    )  # fmt: skip
    p.number("message_groups", message_groups, minimum=1, maximum=10**9, whole=True)
    p.number("growth_factor", growth_factor, minimum=1, maximum=1_000)
    return p.lines


def sns_topic(
    messages_per_second: float,
    *,
    fifo: bool = False,
    high_throughput: bool = False,
    batch_size: int = 1,
    average_message_kib: float = 1,
    message_groups: int | None = None,
    growth_factor: float = 1,
) -> TopicPlan:
    """Check an SNS topic against its publish throughput at a message rate.

    Args:
        messages_per_second: peak messages published per second.
        fifo: a FIFO topic. Default False (standard).
        high_throughput: a FIFO topic with message group throughput scope. Default False
            (topic scope: 3,000 messages/s and 20 MB/s).
        batch_size: messages per PublishBatch call (1..10). Default 1.
        average_message_kib: average message size (0 < size <= 256). Default 1.
        message_groups: distinct message group IDs sharing the load evenly (FIFO). Default:
            not checked.
        growth_factor: multiply the rate by this (>= 1). Default 1.

    Returns:
        A :class:`TopicPlan`. Every message of a batch counts against the message quotas
        (the batch saves calls and cost, not quota).

    Raises:
        ValueError: the problems :func:`sns_topic_problems` finds.
    """
    p = Problems()
    p.lines = sns_topic_problems(
        messages_per_second, fifo=fifo, high_throughput=high_throughput, batch_size=batch_size,
        average_message_kib=average_message_kib, message_groups=message_groups,
        growth_factor=growth_factor,
    )  # fmt: skip
    p.raise_if_any()
    rate = exact(messages_per_second) * exact(growth_factor)
    size_kib = exact(average_message_kib)
    megabytes = rate * size_kib * 1_024 / 10**6
    rows = _rows(rate, megabytes, fifo, high_throughput, message_groups)
    limits, binding, headroom = build_limits(rows)
    used = [row[5] for row in rows] + [src.SNS_BATCH, src.SNS_REQUEST_CHUNK]
    calls = rate / int(batch_size)
    requests = calls * billed_chunks(int(batch_size), size_kib) * SECONDS_PER_MONTH
    if fifo:
        gigabytes = rate * size_kib * 1_024 * SECONDS_PER_MONTH / 10**9
        usage = {"sns.fifo-publishes": float(requests), "sns.fifo-publish-gb": float(gigabytes)}
    else:
        usage = {"sns.standard-publishes": float(requests)}
    notes = []
    if fifo and not high_throughput and rate > SNS_FIFO_TOPIC_MESSAGES_PER_S:
        notes.append(
            f"{float(rate):,.4g} messages/s exceed a FIFO topic's 3,000 (topic scope): enable "
            "high_throughput_fifo (message group scope)"
        )
    if fifo:
        notes.append("FIFO deliveries to each subscription are billed too (not priced here)")
    return TopicPlan(
        what="SNS FIFO topic" if fifo else "SNS topic",
        capacity={"published messages/s": float(rate)},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage=usage,
        notes=tuple(notes),
        sources=tuple(dict.fromkeys(used)),
        fifo=bool(fifo),
        high_throughput=bool(high_throughput),
        publish_calls_per_second=float(calls),
    )


def _rows(
    rate: Fraction, megabytes: Fraction, fifo: bool, high_throughput: bool,
    message_groups: int | None,
) -> list[tuple[str, Fraction, Fraction, str, str, Source]]:  # fmt: skip
    if not fifo:
        return [
            (MESSAGES, rate, exact(SNS_STANDARD_PUBLISH_PER_S), QUOTA,
             "request an SNS Publish quota increase", src.SNS_STANDARD_PUBLISH),
        ]  # fmt: skip
    if not high_throughput:
        return [
            (MESSAGES, rate, exact(SNS_FIFO_TOPIC_MESSAGES_PER_S), QUOTA,
             "enable high_throughput_fifo (message group scope)", src.SNS_FIFO_TOPIC),
            (MEGABYTES, megabytes, exact(SNS_FIFO_TOPIC_MB_PER_S), QUOTA,
             "enable high_throughput_fifo, or send smaller messages (large_payloads)",
             src.SNS_FIFO_TOPIC),
        ]  # fmt: skip
    rows = [
        (MESSAGES, rate, exact(SNS_HIGH_THROUGHPUT_MESSAGES_PER_S), QUOTA,
         "request an SNS FIFO quota increase or split the topic", src.SNS_FIFO_HIGH_THROUGHPUT),
    ]  # fmt: skip
    if message_groups is not None:
        rows.append(
            (GROUP_MESSAGES, rate / int(message_groups), exact(SNS_FIFO_GROUP_MESSAGES_PER_S),
             CAPACITY, "use more distinct message group IDs", src.SNS_FIFO_HIGH_THROUGHPUT)
        )  # fmt: skip
    return rows
