"""Retry and catch for the states of a :class:`~patterns.workflow.Workflow`.

:func:`add_retry` gives a task exponential backoff with full jitter (:class:`RetryPolicy` holds
the settings) and fails at once on errors no retry can fix; :func:`add_catch` routes what is
left to a failure handler.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from aws_cdk import Duration
from aws_cdk import aws_stepfunctions as sfn

from patterns.core.deferred import deferred
from patterns.core.typecheck import checked
from patterns.core.validation import Validator
from patterns.workflow import validate

__all__ = ["DETERMINISTIC_ERRORS", "RetryPolicy", "add_catch", "add_retry"]

#: Errors that fail the same way on every attempt: never worth a retry.
DETERMINISTIC_ERRORS: tuple[str, ...] = (
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.IntrinsicFailure",
    "States.QueryEvaluationError",
)


_DEFAULT_MAX_DELAY = deferred(Duration, "seconds", 60)
_DEFAULT_INTERVAL = deferred(Duration, "seconds", 2)


@dataclass(frozen=True)
class RetryPolicy:
    """How a task retries. Every field is optional; the defaults suit calls to AWS services.

    Attributes:
        errors: the errors retried. Default ``("States.ALL",)``; ``States.ALL`` must be alone.
        non_retryable: errors that fail at once even though ``errors`` matches them (a retrier
            with no attempts placed first). Default :data:`DETERMINISTIC_ERRORS`.
        max_attempts: retries after the first attempt. Default 3 (0..99,999,999).
        interval: wait before the first retry. Default 2 s (1 s or more).
        backoff_rate: each wait is the previous one times this. Default 2.0 (1.0 or more).
        max_delay: cap on any single wait. Default 60 s.
        jitter: randomise every wait between 0 and its computed value (full jitter), so retries
            of many executions do not arrive together. Default True.
    """

    errors: tuple[str, ...] = ("States.ALL",)
    non_retryable: tuple[str, ...] = DETERMINISTIC_ERRORS
    max_attempts: int = 3
    interval: Duration = _DEFAULT_INTERVAL
    backoff_rate: float = 2.0
    max_delay: Duration | None = _DEFAULT_MAX_DELAY
    jitter: bool = True


_Retryable = TypeVar("_Retryable", sfn.TaskStateBase, sfn.Parallel, sfn.Map, sfn.CustomState)


@checked
def add_retry(state: _Retryable, policy: RetryPolicy | None = None) -> _Retryable:
    """Give ``state`` (a task, Parallel or Map) exponential backoff with full jitter.

    Errors in ``policy.non_retryable`` get a retrier with no attempts first, so they fail at
    once (Step Functions uses the first retrier that matches). Returns ``state`` for chaining.

    Raises:
        PatternValidationError: with every invalid field of ``policy``.
    """
    policy = policy if policy is not None else RetryPolicy()
    v = Validator(state)
    validate.retry_policy(v, policy)
    v.raise_if_invalid()

    if policy.non_retryable:
        state.add_retry(errors=list(policy.non_retryable), max_attempts=0)
    state.add_retry(
        errors=list(policy.errors),
        max_attempts=policy.max_attempts,
        interval=policy.interval,
        backoff_rate=policy.backoff_rate,
        max_delay=policy.max_delay,
        jitter_strategy=sfn.JitterType.FULL if policy.jitter else sfn.JitterType.NONE,
    )
    return state


@checked
def add_catch(
    state: _Retryable,
    handler: sfn.IChainable,
    *,
    errors: Sequence[str] = ("States.ALL",),
    result_path: str = "$.error",
) -> _Retryable:
    """Route ``state``'s errors (after its retries) to ``handler`` instead of failing the run.

    The error name and cause are placed at ``result_path`` (default ``$.error``) beside the
    original input, so the handler can record or compensate for what failed. Returns ``state``.

    Raises:
        PatternValidationError: if ``errors`` is empty or mixes States.ALL with other names, or
            ``result_path`` is not a JSONPath (``$`` or ``$.field``).
    """
    v = Validator(state)
    validate.catch(v, errors=errors, result_path=result_path)
    v.raise_if_invalid()
    state.add_catch(handler, errors=list(errors), result_path=result_path)
    return state
