"""``EventDrivenFunction(load=FunctionLoad(...))``: the concurrency the stated rate needs
(:func:`patterns.capacity.lambda_concurrency`, Little's law), and for an SQS source the
maximum concurrency that drains the queue's rate (and backlog, within its retention) at the
given ``batch_size``, and the visibility timeout that follows (6 x the function timeout).

A stated load turns into errors what would otherwise only be risky: a reserved or maximum
concurrency below what the rate needs (the function throttles, the queue grows), a timeout
shorter than the average duration, a queue visibility timeout below 6 x the function
timeout (messages are received twice while a batch is retried).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.capacity import (
    LAMBDA_ACCOUNT_CONCURRENCY,
    ConcurrencyPlan,
    Price,
    lambda_concurrency,
    lambda_concurrency_problems,
)
from patterns.core.cost import prices_for
from patterns.core.validation import format_duration, is_concrete_duration
from patterns.event_function.function import FunctionSettings
from patterns.event_function.triggers import QueueTrigger
from patterns.event_function.validate import (  # the queue's known visibility timeout
    _visibility_timeout as visibility_timeout_of,
)

__all__ = ["FunctionLoad", "SizedFunction", "size_function"]

#: The prop names of the planner's arguments, as the errors name them.
_NAMES = {
    "requests_per_second": "load.requests_per_second",
    "duration_s": "load.average_duration",
    "account_concurrency": "load.account_concurrency",
    "backlog_messages": "load.backlog_messages",
    "function_timeout_s": "timeout",
    "retention_s": "the queue's retention period",
}
_SQS_DEFAULT_RETENTION_S = 345_600


@dataclass(frozen=True, kw_only=True)
class FunctionLoad:
    """The load a function is sized for (``EventDrivenFunction(load=...)``).

    Attributes:
        requests_per_second: peak invocations per second; with a queue source, peak messages
            per second arriving on the queue (0 < x <= 10^8).
        average_duration: of one invocation (with a queue source: of one batch of
            ``batch_size`` messages), at most the function ``timeout``.
        backlog_messages: a backlog the queue source must drain within the queue's retention
            period (>= 0). Default 0.
        account_concurrency: the account's Lambda concurrency quota (>= 10). Default 1,000.
        reserve: reserve the planned concurrency (``reserved_concurrency``) when none is
            given. Default False: the review line advises the figure.
        prices: price overrides for the cost at load, by price-table key, over the app
            context's ``scalable-patterns:prices``. Default: the built-in us-east-1 prices.
    """

    requests_per_second: float
    average_duration: Duration
    backlog_messages: float = 0
    account_concurrency: int = LAMBDA_ACCOUNT_CONCURRENCY
    reserve: bool = False
    prices: Mapping[str, Price | float] | None = None


@dataclass(frozen=True)
class SizedFunction:
    """What the load sets, and the plan it comes from.

    Attributes:
        reserved_concurrency: the given value, or the planned one with ``reserve=True``.
        max_concurrency: the given value, or the planned one for a queue source.
        plan: the load's plan (None without a load, or when it is invalid).
        problems: the load's problems, one line each (for the validator).
    """

    reserved_concurrency: int | None
    max_concurrency: int | None
    plan: ConcurrencyPlan | None = None
    problems: tuple[str, ...] = field(default=())


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _retention_s(queue: sqs.IQueue) -> float:
    """The message retention period (s) of a queue defined in this app; else SQS's default."""
    child = queue.node.default_child
    if isinstance(child, sqs.CfnQueue):
        value: Any = Stack.of(child).resolve(child.message_retention_period)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return _SQS_DEFAULT_RETENTION_S


def _planner_args(load: FunctionLoad, fn: FunctionSettings, source: QueueTrigger) -> dict[str, Any]:
    """The planner's arguments; a prop reported by its own rule (memory, timeout, batch size)
    is left out rather than reported twice."""
    duration = load.average_duration
    args: dict[str, Any] = {
        "requests_per_second": load.requests_per_second,
        "duration_s": duration.to_seconds(integral=False) if is_concrete_duration(duration) else 0,
        "account_concurrency": load.account_concurrency,
        "backlog_messages": load.backlog_messages,
    }
    memory = _int(fn.memory_size)
    if memory is not None and 128 <= memory <= 10_240:
        args["memory_mb"] = memory
    if is_concrete_duration(fn.timeout) and 1 <= fn.timeout.to_seconds(integral=False) <= 900:
        args["function_timeout_s"] = fn.timeout.to_seconds(integral=False)
    queue = source.queue
    if queue is not None and hasattr(queue, "queue_arn"):
        fifo = bool(queue.fifo)
        batch = _int(source.batch_size)
        if batch is not None and 1 <= batch <= (10 if fifo else 10_000):
            args.update(sqs_batch_size=batch, fifo=fifo, retention_s=_retention_s(queue))
    return args


def size_function(
    scope: Construct, load: object, fn: FunctionSettings, source: QueueTrigger
) -> SizedFunction:
    """Plan the function from ``load``; without one, keep the given concurrency."""
    given = SizedFunction(fn.reserved_concurrency, source.max_concurrency)
    if load is None:
        return given
    if not isinstance(load, FunctionLoad):
        return SizedFunction(
            fn.reserved_concurrency,
            source.max_concurrency,
            problems=(f"load must be a FunctionLoad, got {type(load).__name__}",),
        )
    problems = []
    if not is_concrete_duration(load.average_duration):
        problems.append(
            f"load.average_duration must be a Duration known at synth time, got "
            f"{load.average_duration!r}"
        )
    if not isinstance(load.reserve, bool):
        problems.append(f"load.reserve must be True or False, got {load.reserve!r}")
    args = _planner_args(load, fn, source)
    if not problems:
        problems += lambda_concurrency_problems(**args, names=_NAMES)
    problems += prices_for(scope, load.prices, "load.prices")[1]
    if problems:
        return SizedFunction(
            fn.reserved_concurrency, source.max_concurrency, problems=tuple(problems)
        )
    try:
        plan = lambda_concurrency(**args)
    except ValueError as exc:  # a rate the SQS event source cannot carry
        message = str(exc).replace("sqs_batch_size", "batch_size")
        return SizedFunction(
            fn.reserved_concurrency, source.max_concurrency, problems=(f"load: {message}",)
        )
    return _apply(plan, load, fn, source)


def _apply(
    plan: ConcurrencyPlan, load: FunctionLoad, fn: FunctionSettings, source: QueueTrigger
) -> SizedFunction:
    """The concurrency settings the plan leads to, and the given ones it contradicts."""
    problems = []
    need = plan.concurrency
    why = f"(load.requests_per_second x load.average_duration needs {need:,} concurrent"
    why += " batches)" if plan.batch_size else " executions)"
    reserved = _int(fn.reserved_concurrency)
    if reserved is not None and reserved < need:
        problems.append(f"reserved_concurrency must be at least {need:,} {why}, got {reserved:,}")
    if fn.reserved_concurrency is None and load.reserve:
        reserved = plan.reserved_concurrency
    maximum = _int(source.max_concurrency)
    if plan.maximum_concurrency is not None:
        if maximum is not None and maximum < plan.maximum_concurrency:
            problems.append(f"max_concurrency must be at least {need:,} {why}, got {maximum:,}")
        if source.max_concurrency is None:
            maximum = plan.maximum_concurrency
        problems += _visibility(plan, source)
    caps = [c for c in (reserved, maximum if plan.batch_size else None) if c is not None]
    return SizedFunction(
        fn.reserved_concurrency if reserved is None else reserved,
        source.max_concurrency if maximum is None else maximum,
        _configured(plan, min(caps)) if caps else plan,
        tuple(problems),
    )


def _configured(plan: ConcurrencyPlan, cap: int) -> ConcurrencyPlan:
    """The plan against the concurrency actually configured (a reserved or maximum
    concurrency above the planned one leaves headroom: the load may grow into it)."""
    if cap <= plan.concurrency:
        return plan
    limits = tuple(
        replace(limit, capacity=float(cap)) if limit.name == "concurrency" else limit
        for limit in plan.limits
    )
    binding = max(limits, key=lambda limit: limit.utilization)
    return replace(
        plan, limits=limits, binding_limit=binding.name, headroom=1 - binding.utilization
    )


def _visibility(plan: ConcurrencyPlan, source: QueueTrigger) -> list[str]:
    assert source.queue is not None and plan.visibility_timeout_s is not None
    visibility = visibility_timeout_of(source.queue)
    if visibility is None or visibility >= plan.visibility_timeout_s:
        return []
    needed = format_duration(plan.visibility_timeout_s)
    return [
        f"the queue's visibility timeout must be at least {needed} "
        f"(6 x timeout, so a batch retried at the stated load is not received twice), got "
        f"{format_duration(visibility)}"
    ]


def concurrency_line(plan: ConcurrencyPlan, load: FunctionLoad, reserved: int | None) -> str:
    """``sized for 50/s: 10 concurrent (concurrency binds, 0% spare)``, plus the advice to
    reserve it when nothing is reserved."""
    unit = "batches" if plan.batch_size else "executions"
    line = (
        f"sized for {load.requests_per_second:,g}/s: {plan.concurrency:,} concurrent {unit} "
        f"({plan.binding_limit} binds, {plan.headroom:.0%} spare)"
    )
    if reserved is None:
        line += f"; advice: reserve {plan.reserved_concurrency:,} (FunctionLoad(reserve=True))"
    if math.isfinite(plan.seconds_to_scale) and plan.seconds_to_scale > 10:
        line += f"; {plan.seconds_to_scale} s to scale from cold"
    return line
