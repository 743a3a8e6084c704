"""The stated load of :class:`~patterns.fan_out.TopicFanOut`: the topic's publish quota and,
for FIFO, each queue's SendMessage quota (SNS delivers one message per call), checked by
:func:`patterns.capacity.sns_topic` and :func:`patterns.capacity.sqs_fifo_queue`."""

from __future__ import annotations

from patterns.capacity import LoadPlan, sns_topic, sns_topic_problems, sqs_fifo_queue
from patterns.capacity.load import exceeded_limits
from patterns.core.pattern import Pattern
from patterns.core.validation import Validator, is_unresolved

__all__ = ["LOAD_WARNING", "check_load", "report_load"]

LOAD_WARNING = "fan-out:load"
_RATE = "expected_messages_per_second"
_SIZE = "expected_message_kib"


def check_load(
    v: Validator, *, rate: float | None, size_kib: float, fifo: bool, high_throughput: bool
) -> list[LoadPlan]:
    """The plans at the stated load (none without one); a FIFO load the configuration cannot
    carry is a problem naming the limit and the way out."""
    if rate is None:
        if size_kib != 1:  # the documented default
            v.add(_SIZE, f"is used only with {_RATE} (give both or neither), got {size_kib!r}")
        return []
    if is_unresolved(rate) or is_unresolved(size_kib):
        v.add(_RATE, "must be a concrete number to plan the throughput, got an unresolved token")
        return []
    names = {"messages_per_second": _RATE, "average_message_kib": _SIZE}
    problems = sns_topic_problems(
        rate, fifo=fifo is True, high_throughput=(fifo is True and high_throughput is True),
        average_message_kib=size_kib, names=names,
    )  # fmt: skip
    if problems:
        v.problems.extend(problems)
        return []
    topic = sns_topic(
        rate, fifo=fifo, high_throughput=fifo and high_throughput, average_message_kib=size_kib
    )
    if not fifo:
        return [topic]  # the standard publish quota is the account's and can be raised: a note
    queue = sqs_fifo_queue(
        rate, batch_size=1, average_message_kib=size_kib, high_throughput=high_throughput
    )
    for plan in (topic, queue):
        v.problems.extend(exceeded_limits(plan, _RATE, rate))
    return [topic, queue]


def report_load(fan_out: Pattern, plans: list[LoadPlan]) -> None:
    """Each plan's notes as warnings and its line in the review table; a standard topic over
    the account's publish quota is a warning."""
    for plan in plans:
        fan_out.report_plan(plan, warning=LOAD_WARNING)
        if plan.what == "SNS topic":  # a standard topic: the FIFO limits were errors
            for line in exceeded_limits(plan, _RATE, plan.capacity["published messages/s"]):
                fan_out.warn(LOAD_WARNING, line)
