"""Event-driven Lambda: an EventBridge rule or an SQS queue invoking a hardened Python function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.defaults import log_group as new_log_group
from patterns.core.deferred import deferred
from patterns.core.lambda_code import LATEST_PYTHON
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import Pattern
from patterns.core.validation import format_duration
from patterns.event_function import alarms, validate
from patterns.event_function.alarms import ALARM_PERIOD, metric_options
from patterns.event_function.destinations import add_failure_queue
from patterns.event_function.function import FunctionSettings, execution_role, new_function
from patterns.event_function.load import (
    FunctionLoad,
    SizedFunction,
    concurrency_line,
    size_function,
)
from patterns.event_function.triggers import QueueTrigger, RuleTrigger, add_queue_source, add_rule
from patterns.event_function.validate import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_QUEUE_AGE_ALARM,
    MAX_ASYNC_EVENT_AGE,
    MAX_ASYNC_RETRIES,
    MAX_RULE_EVENT_AGE,
    MAX_RULE_RETRIES,
)

__all__ = ["EventDrivenFunction"]


_DEFAULT_TIMEOUT = deferred(Duration, "seconds", 30)
_DEFAULT_ARCHITECTURE = deferred(lambda_.Architecture, "ARM_64")


class EventDrivenFunction(Pattern):
    """A Python Lambda function triggered by an EventBridge rule or an SQS queue.

    The function gets what production functions need: its own log group with a retention (no
    ``AWSLambdaBasicExecutionRole``: a role with exactly the grants it uses), X-Ray active
    tracing, JSON logs, explicit memory and timeout, optional reserved concurrency, and for
    asynchronous invocations a retry policy and an on-failure destination (an encrypted SQS DLQ
    that receives the event, the error and the context).

    Choose at most one trigger:

    * **EventBridge rule** - ``event_pattern`` (on the default bus, a custom ``event_bus`` or a
      partner bus of a SaaS source) or ``schedule`` (default bus). The rule's target has a
      retry policy and its own DLQ for events EventBridge could not deliver to the function;
      ``archive_retention`` keeps the matching events in an archive for replay.
    * **SQS queue** - for example one of a :class:`~patterns.TopicFanOut`'s queues, polled in
      batches (``batch_size``, ``max_batching_window``) with partial batch responses (the
      handler returns ``{"batchItemFailures": [{"itemIdentifier": <messageId>}]}`` and only
      those messages are retried) and ``max_concurrency`` to protect downstream systems.
      Failed messages go to the queue's own DLQ (its redrive policy).

    With neither, the function is invoked directly (a Step Functions task, an API).

    The role's default policy holds only exact grants (log group, DLQ, queue), and whatever
    ``grant_*`` or ``add_to_role_policy`` adds to ``role``; X-Ray's two actions, which support
    no resource-level permissions, are on ``*`` in a ``TracingPolicy`` of their own, the only
    place cdk-nag's ``AwsSolutions-IAM5[Resource::*]`` is acknowledged. A wildcard you add to
    the role is reported.

    Alarms: errors, throttles, DLQs not empty, rule ``FailedInvocations`` (rule) and age of
    the oldest message (queue); their metrics are :meth:`metric_errors`,
    :meth:`metric_throttles`, :meth:`metric_failed_invocations` and
    :meth:`metric_queue_oldest_message_age`, any other Lambda metric is :meth:`metric`.

    Example::

        fn = EventDrivenFunction(self, "Billing", code=handler_code("handlers/queue_consumer.py"),
                                 handler="queue_consumer.handler",
                                 queue=fan_out.queues["billing"], max_concurrency=5)

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``Errors``, ``Throttles``,
    ``DlqNotEmpty`` (asynchronous invocations); with a rule (``schedule`` or an event
    pattern) ``RuleFailedInvocations`` and ``RuleDlqNotEmpty``; with a queue source
    ``QueueOldestMessageAge`` (not when its threshold is a token).

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        code: the function's code (``lambda_.Code.from_asset(dir)``, ``Code.from_inline`` or
            :func:`~patterns.core.lambda_code.handler_code` for one module file).
        handler: ``module.function`` of the handler.
        runtime: a Python runtime. Default :data:`LATEST_PYTHON` (Python 3.14).
        description: the function's description. Default: none.
        environment: environment variables. Default: none.
        memory_size: MB of memory (CPU scales with it). Default 256 (128..10,240).
        timeout: of one invocation. Default 30 s (1 s..15 min).
        architecture: Default ARM_64 (Graviton: cheaper per GB-second).
        reserved_concurrency: concurrent executions reserved for (and capped at) this number.
            Default: none (the account's unreserved pool, no cap).
        load: the rate the function is sized for (:class:`~patterns.event_function.FunctionLoad`:
            requests/s and average duration; with a queue, messages/s and the duration of a
            batch): the concurrency it needs (Little's law) against the account quota, reserved
            with ``reserve=True``; for a queue source the ``max_concurrency`` that drains the
            rate at ``batch_size`` (when not given) and the visibility timeout that follows
            (6 x ``timeout``). A given reserved / maximum concurrency below what the rate
            needs, or a queue visibility timeout below 6 x ``timeout``, is an error. The review
            shows its cost at load and the first limit to bind as it grows (:attr:`load_plan`).
            Default: none.
        log_retention: retention of the function's log group. Default three months.
        event_pattern: invoke for events matching this pattern. Default: none.
        schedule: invoke on this schedule (default bus). Default: none.
        event_bus: the bus of ``event_pattern``: custom or partner bus. Default: the account's
            default bus.
        rule_retry_attempts: EventBridge retries of a failed delivery. Default 185 (0..185).
        rule_max_event_age: EventBridge stops retrying after this. Default 24 h (60 s..24 h).
        archive_retention: archive events matching ``event_pattern`` on its bus for replay,
            kept this long (whole days, at least 1). Default: no archive.
        queue: an SQS queue to consume. Its visibility timeout must be at least the function
            ``timeout`` (below 6x is a warning). A queue of this app without a dead-letter
            queue (redrive policy) is a warning: poison messages retry until they expire.
            Default: none.
        batch_size: messages per invocation. Default 10 (1..10,000; above 10 needs a
            ``max_batching_window``; FIFO at most 10).
        max_batching_window: wait up to this long to fill a batch. Default: none (0..5 min;
            not for FIFO queues).
        max_concurrency: most concurrent invocations the queue source starts. Default: no
            limit (2..1,000; at most ``reserved_concurrency``).
        report_batch_item_failures: let the handler report failed messages of a batch so only
            they are retried. Default True.
        queue_age_alarm_threshold: alarm when the queue's oldest message is older. Default
            15 min. At least the retention period of a queue of this app is an error (the
            alarm could never fire).
        async_retry_attempts: Lambda retries of a failed asynchronous invocation. Default 2
            (0..2).
        async_max_event_age: Lambda drops an asynchronous event older than this (to the DLQ).
            Default 6 h (60 s..6 h).
        dead_letter_key: an existing KMS key for the DLQs of failed asynchronous invocations
            and of the rule (not with a ``queue`` source, whose failed messages go to the
            queue's own DLQ). The pattern adds to a key of this app the key policy statement
            that lets ``events.amazonaws.com`` use it for this account (an imported key's
            policy must allow that already) and lets the function's role encrypt with it; it
            never changes the key's rotation or deletion policy. Default: a new ``DlqKey``
            (yearly rotation).
        removal_policy: of the log group, DLQs and their keys. Default RETAIN.
        alarm_topic: notified on ALARM and OK of every alarm. Default: no notification.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code: lambda_.Code,
        handler: str,
        runtime: lambda_.Runtime = LATEST_PYTHON,
        description: str | None = None,
        environment: Mapping[str, str] | None = None,
        memory_size: int = 256,
        timeout: Duration = _DEFAULT_TIMEOUT,
        architecture: lambda_.Architecture = _DEFAULT_ARCHITECTURE,
        reserved_concurrency: int | None = None,
        load: FunctionLoad | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        event_pattern: events.EventPattern | None = None,
        schedule: events.Schedule | None = None,
        event_bus: events.IEventBus | None = None,
        rule_retry_attempts: int = MAX_RULE_RETRIES,
        rule_max_event_age: Duration = MAX_RULE_EVENT_AGE,
        archive_retention: Duration | None = None,
        queue: sqs.IQueue | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_batching_window: Duration | None = None,
        max_concurrency: int | None = None,
        report_batch_item_failures: bool = True,
        queue_age_alarm_threshold: Duration = DEFAULT_QUEUE_AGE_ALARM,
        async_retry_attempts: int = MAX_ASYNC_RETRIES,
        async_max_event_age: Duration = MAX_ASYNC_EVENT_AGE,
        dead_letter_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        settings = FunctionSettings(
            code=code,
            handler=handler,
            runtime=runtime,
            description=description,
            environment=environment,
            memory_size=memory_size,
            timeout=timeout,
            architecture=architecture,
            reserved_concurrency=reserved_concurrency,
            log_retention=log_retention,
            async_retry_attempts=async_retry_attempts,
            async_max_event_age=async_max_event_age,
        )
        rule = RuleTrigger(
            event_pattern=event_pattern,
            schedule=schedule,
            event_bus=event_bus,
            rule_retry_attempts=rule_retry_attempts,
            rule_max_event_age=rule_max_event_age,
            archive_retention=archive_retention,
        )
        source = QueueTrigger(
            queue=queue,
            batch_size=batch_size,
            max_batching_window=max_batching_window,
            max_concurrency=max_concurrency,
            report_batch_item_failures=report_batch_item_failures,
            queue_age_alarm_threshold=queue_age_alarm_threshold,
        )
        sized = size_function(self, load, settings, source)
        settings = replace(settings, reserved_concurrency=sized.reserved_concurrency)
        source = replace(source, max_concurrency=sized.max_concurrency)
        self._check(settings, rule, source, dead_letter_key, sized.problems)
        #: The plan of ``load`` (concurrency, binding limit, usage to price); None without one.
        self.load_plan = sized.plan
        self._event_bus = rule.event_bus
        self.log_group = new_log_group(
            self, "Logs", retention=settings.log_retention, removal_policy=removal_policy
        )
        self.role = execution_role(self, self.log_group)
        #: On-failure destination of asynchronous invocations (None for a queue source, whose
        #: failed messages go to the queue's own DLQ).
        self.dead_letter_queue: sqs.Queue | None = None
        self.dead_letter_key: kms.IKey | None = None
        if source.queue is None:
            self.dead_letter_key, self.dead_letter_queue = add_failure_queue(
                self, self.role, key=dead_letter_key, removal_policy=removal_policy
            )
        self.function = new_function(
            self,
            settings,
            role=self.role,
            log_group=self.log_group,
            failure_queue=self.dead_letter_queue,
        )

        self.monitoring = self.start_monitoring()
        self.rule: events.Rule | None = None
        self.rule_dead_letter_queue: sqs.Queue | None = None
        self.archive: events.Archive | None = None
        self.event_source: sources.SqsEventSource | None = None
        if rule.enabled:
            self._add_rule(rule, removal_policy)
        if source.queue is not None:
            self.event_source = add_queue_source(self.function, source)
            alarms.add_queue_alarm(
                self, self.monitoring, queue_age_alarm_threshold=source.queue_age_alarm_threshold
            )
        alarms.add_function_alarms(self, self.monitoring)
        self._record_capacity(settings, source, sized, load)
        self.monitoring.finish(f"Function {self.node.path}")

    # -- public API ------------------------------------------------------------------------
    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """A metric of the function (``AWS/Lambda`` by ``FunctionName``; Lambda's defaults:
        ``Average`` over 5 minutes), e.g. ``metric("Duration", statistic="p99")``."""
        return self.function.metric(metric_name, **options)

    def metric_errors(self, **options: Any) -> cw.Metric:
        """Sum of the function's ``Errors`` (failed invocations) per 5 minutes."""
        return self.function.metric_errors(**metric_options(options, statistic="Sum"))

    def metric_throttles(self, **options: Any) -> cw.Metric:
        """Sum of the function's ``Throttles`` (invocations refused for lack of concurrency)
        per 5 minutes."""
        return self.function.metric_throttles(**metric_options(options, statistic="Sum"))

    def metric_failed_invocations(
        self, period: Duration = ALARM_PERIOD, **options: Any
    ) -> cw.Metric:
        """EventBridge ``FailedInvocations`` of the rule (deliveries that failed for good),
        ``Sum`` per ``period``.

        Raises:
            ValueError: the function has no EventBridge rule.
        """
        if self.rule is None:
            raise ValueError(f"{self.node.path} has no EventBridge rule")
        dimensions = {"RuleName": self.rule.rule_name}
        if self._event_bus is not None:
            dimensions["EventBusName"] = self._event_bus.event_bus_name
        props: dict[str, Any] = {"period": period, "statistic": "Sum", **options}
        return cw.Metric(
            namespace="AWS/Events",
            metric_name="FailedInvocations",
            dimensions_map=dimensions,
            **props,
        )

    def metric_queue_oldest_message_age(self, **options: Any) -> cw.Metric:
        """``Maximum`` ``ApproximateAgeOfOldestMessage`` of the source queue per 5 minutes.

        Raises:
            ValueError: the function has no queue source.
        """
        if self.event_source is None:
            raise ValueError(f"{self.node.path} has no queue source")
        return self.event_source.queue.metric_approximate_age_of_oldest_message(
            **metric_options(options, statistic="Maximum")
        )

    # -- internals -------------------------------------------------------------------------
    def _check(
        self,
        settings: FunctionSettings,
        rule: RuleTrigger,
        source: QueueTrigger,
        dead_letter_key: object,
        load_problems: tuple[str, ...] = (),
    ) -> None:
        """Every prop rule; a queue whose visibility timeout is short is only a warning (an
        error with a stated load: ``load_problems``)."""
        v = self.validator()
        v.problems.extend(load_problems)
        validate.function(v, settings, queue_source=source.queue is not None)
        validate.trigger(v, rule, source)
        validate.dead_letter_key(v, dead_letter_key, queue_source=source.queue is not None)
        validate.rule(v, rule)
        advice = validate.queue_source(v, source, settings)
        if advice:
            self.warn("visibility-timeout", advice)
        v.raise_if_invalid()
        no_dlq = validate.queue_without_dead_letter_queue(source.queue)
        if no_dlq:
            self.warn("event-function:no-dlq", no_dlq)

    def _record_capacity(
        self, settings: FunctionSettings, source: QueueTrigger, sized: SizedFunction, load: object
    ) -> None:
        """The review-table line; sized from a load, also its cost at load and growth."""
        line = _capacity_summary(settings, source)
        if sized.plan is None or not isinstance(load, FunctionLoad):
            self.record_capacity(line)
            return
        self.report_plan(
            sized.plan,
            warning="event-function:load",
            summary=f"{line}; {concurrency_line(sized.plan, load, settings.reserved_concurrency)}",
            prices=load.prices,
            prices_prop="load.prices",
        )

    def _add_rule(self, rule: RuleTrigger, removal_policy: RemovalPolicy) -> None:
        assert self.dead_letter_key is not None
        created = add_rule(
            self,
            self.function,
            rule,
            dead_letter_key=self.dead_letter_key,
            removal_policy=removal_policy,
        )
        self.rule = created.rule
        self.rule_dead_letter_queue = created.dead_letter_queue
        self.archive = created.archive
        alarms.add_rule_alarms(self, self.monitoring, created.dead_letter_queue)


def _capacity_summary(settings: FunctionSettings, source: QueueTrigger) -> str:
    """The review-table line: memory, timeout, reserved concurrency, SQS batch."""
    parts = [f"{settings.memory_size} MB", f"timeout {format_duration(settings.timeout)}"]
    if settings.reserved_concurrency is not None:
        parts.append(f"reserved {settings.reserved_concurrency}")
    if source.queue is not None:
        parts.append(f"SQS batch {source.batch_size}")
        if source.max_concurrency is not None:
            parts.append(f"max concurrency {source.max_concurrency}")
    return ", ".join(parts)
