"""The prop rules of :class:`~patterns.event_function.EventDrivenFunction`, one function per
feature: the function (:class:`~patterns.event_function.function.FunctionSettings`), the choice
of trigger, the EventBridge rule (:class:`~patterns.event_function.triggers.RuleTrigger`) and
the SQS queue source (:class:`~patterns.event_function.triggers.QueueTrigger`).

Each rule records its problems on the validator it is given and never raises, so the construct
reports every problem at once. Props of a trigger the function does not have would be silently
ignored: the rule of that trigger reports them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs

from patterns.capacity import sources
from patterns.core.deferred import deferred
from patterns.core.quotas import within_quota
from patterns.core.validation import Validator, format_duration, is_unresolved

if TYPE_CHECKING:
    from patterns.event_function.function import FunctionSettings
    from patterns.event_function.triggers import QueueTrigger, RuleTrigger

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_QUEUE_AGE_ALARM",
    "MAX_ASYNC_EVENT_AGE",
    "MAX_ASYNC_RETRIES",
    "MAX_RULE_EVENT_AGE",
    "MAX_RULE_RETRIES",
    "function",
    "queue_retention",
    "queue_source",
    "queue_without_dead_letter_queue",
    "rule",
    "trigger",
]

#: Lambda limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
MIN_MEMORY_MB = 128
MAX_MEMORY_MB = 10_240
MAX_TIMEOUT = deferred(Duration, "minutes", 15)
MAX_ASYNC_RETRIES = 2
MAX_ASYNC_EVENT_AGE = deferred(Duration, "hours", 6)
#: EventBridge target retry policy limits.
MAX_RULE_RETRIES = 185
MAX_RULE_EVENT_AGE = deferred(Duration, "hours", 24)
#: SQS event source limits.
MAX_BATCH_SIZE = 10_000
MAX_BATCH_WITHOUT_WINDOW = 10
MAX_BATCHING_WINDOW = deferred(Duration, "minutes", 5)
MIN_MAX_CONCURRENCY = 2
MAX_MAX_CONCURRENCY = 1_000
#: AWS's advice for an SQS source: visibility timeout >= 6x the function timeout.
VISIBILITY_TIMEOUT_FACTOR = 6
#: SQS defaults of a queue's visibility timeout and retention period (seconds).
SQS_DEFAULT_VISIBILITY = 30.0
SQS_DEFAULT_RETENTION = 4 * 86_400.0
#: Defaults of the queue-source props (a changed value without a queue is reported).
DEFAULT_BATCH_SIZE = 10
DEFAULT_QUEUE_AGE_ALARM = deferred(Duration, "minutes", 15)

#: Lambda CreateFunction: Description is at most 256 characters; environment variable keys
#: start with a letter, are at least two characters of letters, digits and '_', are not
#: reserved by the runtime, and all variables together are at most 4 KB
#: (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
MAX_DESCRIPTION = 256
MAX_ENVIRONMENT_BYTES = 4 * 1_024
_ENV_KEY = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]+$")
RESERVED_ENVIRONMENT_KEYS = (
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
)
_HANDLER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*\.[A-Za-z_][A-Za-z0-9_]*$")


# -- the function ------------------------------------------------------------------------------
def function(v: Validator, fn: FunctionSettings, *, queue_source: bool) -> None:
    """Description, environment, architecture, log retention; code, a ``module.function``
    handler, a Python runtime, memory, timeout (whole seconds), reserved concurrency; Lambda's
    retries (0..2) and event age (60 s..6 h) of asynchronous invocations, which keep their
    defaults with a ``queue_source`` (it invokes synchronously)."""
    if v.text("description", fn.description):
        assert isinstance(fn.description, str)
        v.require(
            len(fn.description) <= MAX_DESCRIPTION,
            "description",
            f"must be at most {MAX_DESCRIPTION} characters, got {len(fn.description)}",
        )
    if fn.environment is not None:
        _environment(v, fn.environment)
    v.instance_of(
        "architecture", fn.architecture, lambda_.Architecture, what="a lambda_.Architecture"
    )
    v.instance_of(
        "log_retention", fn.log_retention, logs.RetentionDays, what="a logs.RetentionDays"
    )
    _code(v, code=fn.code, handler=fn.handler, runtime=fn.runtime)
    v.number_in_range(
        "memory_size",
        fn.memory_size,
        minimum=MIN_MEMORY_MB,
        maximum=MAX_MEMORY_MB,
        unit="MB",
        integer=True,
    )
    # Timeout, MaximumEventAgeInSeconds and MaximumBatchingWindowInSeconds are integers.
    v.duration_in_range(
        "timeout", fn.timeout, minimum=Duration.seconds(1), maximum=MAX_TIMEOUT, whole="seconds"
    )
    v.number_in_range("reserved_concurrency", fn.reserved_concurrency, minimum=1, integer=True)
    within_quota(
        v,
        "reserved_concurrency",
        fn.reserved_concurrency,
        default=1_000,
        unit="concurrent executions",
        source=sources.LAMBDA_CONCURRENCY,
    )
    _asynchronous_invocations(v, fn, queue_source=queue_source)


def _environment(v: Validator, environment: object) -> None:
    if not isinstance(environment, Mapping):
        v.add("environment", f"must be a mapping of names to strings, got {environment!r}")
        return
    size = 0
    for key, value in environment.items():
        if not isinstance(key, str) or not _ENV_KEY.match(key):
            v.add(
                "environment",
                "keys must start with a letter and hold 2 or more letters, digits "
                f"or '_', got {key!r}",
            )
        elif key in RESERVED_ENVIRONMENT_KEYS:
            v.add("environment", f"key {key} is reserved by the Lambda runtime")
        if not isinstance(value, str):
            v.add("environment", f"values must be strings, got {key}={value!r}")
        elif not is_unresolved(value) and isinstance(key, str):
            size += len(key.encode()) + len(value.encode())
    v.require(
        size <= MAX_ENVIRONMENT_BYTES,
        "environment",
        f"must total at most {MAX_ENVIRONMENT_BYTES:,} bytes (keys and values), got {size:,}",
    )


def _code(v: Validator, *, code: object, handler: object, runtime: object) -> None:
    v.require(
        isinstance(code, lambda_.Code),
        "code",
        f"must be a lambda_.Code, got {type(code).__name__}",
    )
    if not is_unresolved(handler):
        v.require(
            isinstance(handler, str) and bool(_HANDLER.match(handler)),
            "handler",
            f"must be module.function (e.g. app.handler), got {handler!r}",
        )
    v.require(
        isinstance(runtime, lambda_.Runtime) and runtime.family == lambda_.RuntimeFamily.PYTHON,
        "runtime",
        f"must be a Python runtime, got {getattr(runtime, 'name', runtime)!r}",
    )


def _asynchronous_invocations(v: Validator, fn: FunctionSettings, *, queue_source: bool) -> None:
    _retry_policy(v, _ASYNC_RETRY, fn.async_retry_attempts, fn.async_max_event_age)
    if queue_source:
        why = "applies only to asynchronous invocations; a queue source invokes synchronously"
        _unused(
            v,
            "async_retry_attempts",
            fn.async_retry_attempts,
            MAX_ASYNC_RETRIES,
            f"{why} (failed messages go to the queue's DLQ)",
        )
        _unused(v, "async_max_event_age", fn.async_max_event_age, MAX_ASYNC_EVENT_AGE, why)


# -- the trigger -------------------------------------------------------------------------------
def trigger(v: Validator, rule: RuleTrigger, source: QueueTrigger) -> None:
    """At most one of ``event_pattern``, ``schedule`` and ``queue``; their types."""
    v.at_most_one(
        {"event_pattern": rule.event_pattern, "schedule": rule.schedule, "queue": source.queue}
    )
    v.instance_of("schedule", rule.schedule, events.Schedule, what="an events.Schedule")
    v.implements("event_bus", rule.event_bus, "event_bus_name", what="an events.IEventBus")
    v.implements("queue", source.queue, "queue_arn", what="an sqs.IQueue")


def dead_letter_key(v: Validator, key: object, *, queue_source: bool) -> None:
    """A ``kms.IKey``, not with a queue source (which has no DLQ of the pattern's)."""
    v.implements("dead_letter_key", key, "key_arn", what="a kms.IKey")
    if key is not None and queue_source:
        v.add(
            "dead_letter_key",
            "applies only without a queue source (a queue's failed messages go to its own DLQ)",
        )


def rule(v: Validator, rule: RuleTrigger) -> None:
    """The rule's bus, archive and target retry policy (0..185 retries, 60 s..24 h); without a
    rule (no ``event_pattern`` or ``schedule``) they must keep their defaults."""
    if not rule.enabled:
        why = "applies only with event_pattern or schedule"
        _unused(v, "rule_retry_attempts", rule.rule_retry_attempts, MAX_RULE_RETRIES, why)
        _unused(v, "rule_max_event_age", rule.rule_max_event_age, MAX_RULE_EVENT_AGE, why)
    if rule.schedule is not None and rule.event_bus is not None:
        v.add("event_bus", "cannot be used with schedule (schedules run on the default bus)")
    if rule.event_bus is not None and not rule.enabled:
        v.add("event_bus", "applies only with event_pattern, got no event_pattern")
    if rule.archive_retention is not None:
        _archive_retention(v, rule.archive_retention, has_pattern=rule.event_pattern is not None)
    _retry_policy(v, _RULE_RETRY, rule.rule_retry_attempts, rule.rule_max_event_age)


def _archive_retention(v: Validator, archive_retention: Duration, *, has_pattern: bool) -> None:
    if not has_pattern:
        v.add("archive_retention", "applies only with event_pattern (events on a bus)")
    elif not is_unresolved(archive_retention):
        v.duration_in_range("archive_retention", archive_retention, minimum=Duration.days(1))
        if (
            isinstance(archive_retention, Duration)
            and not float(archive_retention.to_seconds(integral=False) / 86_400).is_integer()
        ):
            v.add(
                "archive_retention",
                f"must be whole days, got {format_duration(archive_retention)}",
            )


# -- the queue source --------------------------------------------------------------------------
def queue_source(v: Validator, source: QueueTrigger, fn: FunctionSettings) -> str | None:
    """Batch size (1..10,000; above 10 with a window; FIFO at most 10), batching window
    (0..5 min, not FIFO), concurrency (2..1,000, at most the function's reserved concurrency),
    the queue-age alarm (1 min or more) and the function timeout within the visibility timeout
    of a queue defined in this app; without a queue they must keep their defaults.

    Returns:
        the advice to warn about when the queue's visibility timeout is below 6x the function
        timeout (AWS's advice), else None.
    """
    v.boolean("report_batch_item_failures", source.report_batch_item_failures)
    if source.queue is None:
        why = "applies only to a queue source"
        _unused(v, "batch_size", source.batch_size, DEFAULT_BATCH_SIZE, why)
        _unused(v, "report_batch_item_failures", source.report_batch_item_failures, True, why)
        _unused(
            v,
            "queue_age_alarm_threshold",
            source.queue_age_alarm_threshold,
            DEFAULT_QUEUE_AGE_ALARM,
            why,
        )
    v.number_in_range(
        "batch_size", source.batch_size, minimum=1, maximum=MAX_BATCH_SIZE, integer=True
    )
    v.duration_in_range(
        "max_batching_window",
        source.max_batching_window,
        minimum=Duration.seconds(0),
        maximum=MAX_BATCHING_WINDOW,
        whole="seconds",
    )
    v.number_in_range(
        "max_concurrency",
        source.max_concurrency,
        minimum=MIN_MAX_CONCURRENCY,
        maximum=MAX_MAX_CONCURRENCY,
        integer=True,
    )
    v.duration_in_range(
        "queue_age_alarm_threshold", source.queue_age_alarm_threshold, minimum=Duration.seconds(60)
    )
    if source.queue is None:
        for prop, value in (
            ("max_batching_window", source.max_batching_window),
            ("max_concurrency", source.max_concurrency),
        ):
            if value is not None:
                v.add(prop, "applies only to a queue source, got no queue")
        return None
    if not hasattr(source.queue, "queue_arn"):
        return None  # not an sqs.IQueue: reported by trigger()
    _batching(v, source)
    _concurrency(
        v, max_concurrency=source.max_concurrency, reserved_concurrency=fn.reserved_concurrency
    )
    queue_retention(v, source.queue, source.queue_age_alarm_threshold)
    return _visibility(v, source.queue, fn.timeout)


def queue_retention(v: Validator, queue: sqs.IQueue, threshold: Duration) -> None:
    """``queue_age_alarm_threshold`` below the retention period of a queue defined in this app
    (SQS deletes a message at that age, so the oldest message never reaches the threshold and
    the alarm never fires): an error. Unknown retentions and tokens are skipped."""
    retention = _cfn_queue_seconds(queue, "message_retention_period", SQS_DEFAULT_RETENTION)
    if retention is None or not isinstance(threshold, Duration) or is_unresolved(threshold):
        return
    if threshold.to_seconds(integral=False) >= retention:
        v.add(
            "queue_age_alarm_threshold",
            f"must be below the queue's retention period ({format_duration(retention)}): SQS "
            "deletes older messages, so the alarm would never fire, got "
            f"{format_duration(threshold)}",
        )


def queue_without_dead_letter_queue(queue: sqs.IQueue | None) -> str | None:
    """The advice to warn about when the source queue, defined in this app, has no redrive
    policy: a message the function keeps failing on (a poison message) returns to the queue
    after each visibility timeout and is retried until it expires, blocking its batch. AWS
    accepts it, so it is a warning; an imported queue's redrive policy cannot be read and is
    not warned about."""
    if queue is None or not hasattr(queue, "queue_arn"):
        return None
    child = queue.node.default_child
    if not isinstance(child, sqs.CfnQueue) or child.redrive_policy is not None:
        return None
    return (
        f"the source queue {queue.node.path} has no dead-letter queue: a message the function "
        "keeps failing on is retried until it expires (with its batch). Give the queue one: "
        "sqs.Queue(..., dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=5)) "
        "- or consume a TopicFanOut queue, which has one."
    )


def _batching(v: Validator, source: QueueTrigger) -> None:
    assert source.queue is not None
    fifo = bool(source.queue.fifo)
    window = source.max_batching_window
    seconds = None if window is None or is_unresolved(window) else window.to_seconds(integral=False)
    batch_size = source.batch_size
    if not is_unresolved(batch_size) and isinstance(batch_size, int):
        if fifo and batch_size > MAX_BATCH_WITHOUT_WINDOW:
            v.add(
                "batch_size",
                f"must be at most {MAX_BATCH_WITHOUT_WINDOW} for a FIFO queue, got {batch_size}",
            )
        elif batch_size > MAX_BATCH_WITHOUT_WINDOW and not seconds:
            v.add(
                "batch_size",
                f"above {MAX_BATCH_WITHOUT_WINDOW} needs a max_batching_window of at "
                f"least 1 s, got {batch_size} with no window",
            )
    if fifo and window is not None:
        v.add("max_batching_window", "is not supported for FIFO queues")


def _concurrency(
    v: Validator, *, max_concurrency: int | None, reserved_concurrency: int | None
) -> None:
    if (
        max_concurrency is not None
        and reserved_concurrency is not None
        and not is_unresolved(max_concurrency)
        and not is_unresolved(reserved_concurrency)
        and max_concurrency > reserved_concurrency
    ):
        v.add(
            "max_concurrency",
            f"must be at most reserved_concurrency ({reserved_concurrency}) or the "
            f"function throttles and messages return to the queue, got {max_concurrency}",
        )


def _visibility(v: Validator, queue: sqs.IQueue, timeout: Duration) -> str | None:
    visibility = _visibility_timeout(queue)
    if visibility is None or not isinstance(timeout, Duration) or is_unresolved(timeout):
        return None
    timeout_s = timeout.to_seconds(integral=False)
    if visibility < timeout_s:
        v.add(
            "timeout",
            f"must not exceed the queue's visibility timeout "
            f"({format_duration(visibility)}) or Lambda rejects the event source, "
            f"got {format_duration(timeout)}",
        )
    elif visibility < VISIBILITY_TIMEOUT_FACTOR * timeout_s:
        return (
            f"the queue's visibility timeout ({format_duration(visibility)}) is below "
            f"{VISIBILITY_TIMEOUT_FACTOR}x the function timeout "
            f"({format_duration(timeout)}); AWS advises at least "
            f"{format_duration(VISIBILITY_TIMEOUT_FACTOR * timeout_s)}."
        )
    return None


def _visibility_timeout(queue: sqs.IQueue) -> float | None:
    """The visibility timeout (s) of a queue defined in this app; None when unknown."""
    return _cfn_queue_seconds(queue, "visibility_timeout", SQS_DEFAULT_VISIBILITY)


def _cfn_queue_seconds(queue: sqs.IQueue, attribute: str, default: float) -> float | None:
    """A seconds attribute of a queue defined in this app (``default`` when not set); None
    for an imported queue or a token."""
    child = queue.node.default_child
    if not isinstance(child, sqs.CfnQueue):
        return None
    value: Any = Stack.of(child).resolve(getattr(child, attribute))
    if value is None:
        return default
    return float(value) if isinstance(value, int | float) else None


# -- shared by the features ---------------------------------------------------------------------
@dataclass(frozen=True)
class _RetryLimits:
    """The two props of a retry policy and their upper limits (which are also their defaults)."""

    attempts_prop: str
    max_attempts: int
    age_prop: str
    max_age: Duration


#: Lambda's retries of asynchronous invocations; EventBridge's retries of the rule target.
_ASYNC_RETRY = _RetryLimits(
    "async_retry_attempts", MAX_ASYNC_RETRIES, "async_max_event_age", MAX_ASYNC_EVENT_AGE
)
_RULE_RETRY = _RetryLimits(
    "rule_retry_attempts", MAX_RULE_RETRIES, "rule_max_event_age", MAX_RULE_EVENT_AGE
)


def _retry_policy(v: Validator, limits: _RetryLimits, attempts: int, age: Duration) -> None:
    """A retry policy of Lambda or EventBridge: retries 0..``max_attempts``, event age
    60 s..``max_age`` in whole seconds."""
    v.number_in_range(
        limits.attempts_prop, attempts, minimum=0, maximum=limits.max_attempts, integer=True
    )
    v.duration_in_range(
        limits.age_prop, age, minimum=Duration.seconds(60), maximum=limits.max_age, whole="seconds"
    )


def _unused(v: Validator, prop: str, value: object, default: object, why: str) -> None:
    """A prop of a feature the function does not have must keep its ``default``: record
    ``<prop> <why>, got <value>`` otherwise (a Duration token or a wrong type is let pass)."""
    if isinstance(default, bool):
        same = value is default
    elif isinstance(default, Duration):
        same = (
            not isinstance(value, Duration)
            or value.is_unresolved()
            or value.to_seconds(integral=False) == default.to_seconds(integral=False)
        )
    else:
        same = value == default
    if not same:
        shown = format_duration(value) if isinstance(value, Duration) else repr(value)
        v.add(prop, f"{why}, got {shown}")
