"""Event-driven Lambda: an EventBridge rule or an SQS queue invoking a hardened Python function."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import jsii
from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.defaults import dead_letter_queue, depend_on_role_policy_only, encryption_key
from patterns.core.defaults import log_group as new_log_group
from patterns.core.lambda_code import LATEST_PYTHON, handler_code
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge
from patterns.core.validation import Validator, format_duration, is_unresolved

__all__ = ["LATEST_PYTHON", "EventDrivenFunction", "handler_code"]  # re-exported

#: Lambda limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
MIN_MEMORY_MB = 128
MAX_MEMORY_MB = 10_240
MAX_TIMEOUT = Duration.minutes(15)
MAX_ASYNC_RETRIES = 2
MAX_ASYNC_EVENT_AGE = Duration.hours(6)
#: EventBridge target retry policy limits.
MAX_RULE_RETRIES = 185
MAX_RULE_EVENT_AGE = Duration.hours(24)
#: SQS event source limits.
MAX_BATCH_SIZE = 10_000
MAX_BATCH_WITHOUT_WINDOW = 10
MAX_BATCHING_WINDOW = Duration.minutes(5)
MIN_MAX_CONCURRENCY = 2
MAX_MAX_CONCURRENCY = 1_000
#: AWS's advice for an SQS source: visibility timeout >= 6x the function timeout.
VISIBILITY_TIMEOUT_FACTOR = 6

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
_DEFAULT_BATCH_SIZE = 10
_DEFAULT_QUEUE_AGE_ALARM = Duration.minutes(15)

_HANDLER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*\.[A-Za-z_][A-Za-z0-9_]*$")


@jsii.implements(lambda_.IDestination)
class _QueueDestination:
    """An on-failure destination that adds no grants (the pattern writes exact ones)."""

    def __init__(self, queue: sqs.IQueue) -> None:
        self._queue = queue

    def bind(
        self,
        scope: Construct,
        fn: lambda_.IFunction,
        *,
        type: lambda_.DestinationType | None = None,
    ) -> lambda_.DestinationConfig:
        return lambda_.DestinationConfig(destination=self._queue.queue_arn)


class EventDrivenFunction(Construct):
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

    Alarms: errors, throttles, DLQs not empty, rule ``FailedInvocations`` (rule) and age of
    the oldest message (queue).

    Example::

        fn = EventDrivenFunction(self, "Billing", code=handler_code("handlers/queue_consumer.py"),
                                 handler="queue_consumer.handler",
                                 queue=fan_out.queues["billing"], max_concurrency=5)

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
            ``timeout`` (6x is advised). Default: none.
        batch_size: messages per invocation. Default 10 (1..10,000; above 10 needs a
            ``max_batching_window``; FIFO at most 10).
        max_batching_window: wait up to this long to fill a batch. Default: none (0..5 min;
            not for FIFO queues).
        max_concurrency: most concurrent invocations the queue source starts. Default: no
            limit (2..1,000; at most ``reserved_concurrency``).
        report_batch_item_failures: let the handler report failed messages of a batch so only
            they are retried. Default True.
        queue_age_alarm_threshold: alarm when the queue's oldest message is older. Default
            15 min.
        async_retry_attempts: Lambda retries of a failed asynchronous invocation. Default 2
            (0..2).
        async_max_event_age: Lambda drops an asynchronous event older than this (to the DLQ).
            Default 6 h (60 s..6 h).
        removal_policy: of the log group, DLQs and their keys. Default RETAIN.
        alarm_topic: notified on ALARM and OK of every alarm. Default: no notification.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
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
        timeout: Duration = Duration.seconds(30),
        architecture: lambda_.Architecture = lambda_.Architecture.ARM_64,
        reserved_concurrency: int | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        event_pattern: events.EventPattern | None = None,
        schedule: events.Schedule | None = None,
        event_bus: events.IEventBus | None = None,
        rule_retry_attempts: int = MAX_RULE_RETRIES,
        rule_max_event_age: Duration = MAX_RULE_EVENT_AGE,
        archive_retention: Duration | None = None,
        queue: sqs.IQueue | None = None,
        batch_size: int = _DEFAULT_BATCH_SIZE,
        max_batching_window: Duration | None = None,
        max_concurrency: int | None = None,
        report_batch_item_failures: bool = True,
        queue_age_alarm_threshold: Duration = _DEFAULT_QUEUE_AGE_ALARM,
        async_retry_attempts: int = MAX_ASYNC_RETRIES,
        async_max_event_age: Duration = MAX_ASYNC_EVENT_AGE,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._validate(
            code=code,
            handler=handler,
            runtime=runtime,
            memory_size=memory_size,
            timeout=timeout,
            reserved_concurrency=reserved_concurrency,
            event_pattern=event_pattern,
            schedule=schedule,
            event_bus=event_bus,
            rule_retry_attempts=rule_retry_attempts,
            rule_max_event_age=rule_max_event_age,
            archive_retention=archive_retention,
            queue=queue,
            batch_size=batch_size,
            max_batching_window=max_batching_window,
            max_concurrency=max_concurrency,
            queue_age_alarm_threshold=queue_age_alarm_threshold,
            async_retry_attempts=async_retry_attempts,
            async_max_event_age=async_max_event_age,
            description=description,
            environment=environment,
            architecture=architecture,
            log_retention=log_retention,
            report_batch_item_failures=report_batch_item_failures,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self._removal_policy = removal_policy
        self._event_bus = event_bus
        self.log_group = new_log_group(
            self, "Logs", retention=log_retention, removal_policy=removal_policy
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Execution role of {self.node.path}",
        )
        self.log_group.grant_write(self.role)

        #: On-failure destination of asynchronous invocations (None for a queue source, whose
        #: failed messages go to the queue's own DLQ).
        self.dead_letter_queue: sqs.Queue | None = None
        self.dead_letter_key: kms.Key | None = None
        on_failure: lambda_.IDestination | None = None
        if queue is None:
            self.dead_letter_key = encryption_key(
                self,
                "DlqKey",
                description=f"Encrypts the failed-event queues of {self.node.path}",
                removal_policy=removal_policy,
                service_principals=("events.amazonaws.com",),
            )
            self.dead_letter_queue = dead_letter_queue(
                self, "Dlq", encryption_key=self.dead_letter_key, removal_policy=removal_policy
            )
            on_failure = _QueueDestination(self.dead_letter_queue)
            self.role.add_to_principal_policy(
                iam.PolicyStatement(
                    sid="SendFailedInvocations",
                    actions=["sqs:SendMessage"],
                    resources=[self.dead_letter_queue.queue_arn],
                )
            )
            self.role.add_to_principal_policy(
                iam.PolicyStatement(
                    sid="EncryptFailedInvocations",
                    actions=["kms:GenerateDataKey", "kms:Decrypt"],
                    resources=[self.dead_letter_key.key_arn],
                )
            )

        self.function = lambda_.Function(
            self,
            "Resource",
            code=code,
            handler=handler,
            runtime=runtime,
            description=description,
            environment=dict(environment) if environment else None,
            memory_size=memory_size,
            timeout=timeout,
            architecture=architecture,
            reserved_concurrent_executions=reserved_concurrency,
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            tracing=lambda_.Tracing.ACTIVE,
            on_failure=on_failure,
            retry_attempts=async_retry_attempts if queue is None else None,
            max_event_age=async_max_event_age if queue is None else None,
        )
        # The function and its invoke config need the role's grants (the on-failure
        # destination is checked at creation); the role itself is already a GetAtt reference.
        policy = self.role.node.try_find_child("DefaultPolicy")
        cfn_function = self.function.node.default_child
        if isinstance(policy, iam.Policy) and isinstance(cfn_function, lambda_.CfnFunction):
            self.function.node.add_dependency(policy)  # the invoke config too
            depend_on_role_policy_only(cfn_function, self.role)
        acknowledge(
            self.role,
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "X-Ray active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, "
            "which support no resource-level permissions; every other grant names a resource.",
        )
        if queue is None:
            acknowledge(
                self.function,
                "Serverless::Serverless-LambdaDLQ",
                "Failed asynchronous invocations go to an on-failure destination (the Dlq "
                "queue), whose record carries the event plus the error; a DeadLetterConfig as "
                "well would deliver every failure twice.",
            )
        else:
            acknowledge(
                self.function,
                "Serverless::Serverless-LambdaDLQ",
                "The function is invoked synchronously by its SQS event source; failed messages "
                "return to the source queue and move to that queue's redrive DLQ.",
            )

        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        self.rule: events.Rule | None = None
        self.rule_dead_letter_queue: sqs.Queue | None = None
        self.archive: events.Archive | None = None
        self.event_source: sources.SqsEventSource | None = None
        if event_pattern is not None or schedule is not None:
            self._add_rule(
                event_pattern=event_pattern,
                schedule=schedule,
                event_bus=event_bus,
                retry_attempts=rule_retry_attempts,
                max_event_age=rule_max_event_age,
                archive_retention=archive_retention,
            )
        if queue is not None:
            self._add_queue_source(
                queue=queue,
                timeout=timeout,
                batch_size=batch_size,
                max_batching_window=max_batching_window,
                max_concurrency=max_concurrency,
                report_batch_item_failures=report_batch_item_failures,
                queue_age_alarm_threshold=queue_age_alarm_threshold,
            )
        self._add_function_alarms()
        self.alarms = self.monitoring.alarms
        self._record_capacity(memory_size, timeout, reserved_concurrency, batch_size, queue)
        self.monitoring.finish(f"Function {self.node.path}")

    # -- public API ------------------------------------------------------------------------
    def metric_failed_invocations(self, period: Duration = Duration.minutes(5)) -> cw.Metric:
        """EventBridge ``FailedInvocations`` of the rule (deliveries that failed for good)."""
        if self.rule is None:
            raise ValueError(f"{self.node.path} has no EventBridge rule")
        dimensions = {"RuleName": self.rule.rule_name}
        if self._event_bus is not None:
            dimensions["EventBusName"] = self._event_bus.event_bus_name
        return cw.Metric(
            namespace="AWS/Events",
            metric_name="FailedInvocations",
            dimensions_map=dimensions,
            period=period,
            statistic="Sum",
        )

    # -- validation ------------------------------------------------------------------------
    def _validate(
        self,
        *,
        code: lambda_.Code,
        handler: str,
        runtime: lambda_.Runtime,
        memory_size: int,
        timeout: Duration,
        reserved_concurrency: int | None,
        event_pattern: events.EventPattern | None,
        schedule: events.Schedule | None,
        event_bus: events.IEventBus | None,
        rule_retry_attempts: int,
        rule_max_event_age: Duration,
        archive_retention: Duration | None,
        queue: sqs.IQueue | None,
        batch_size: int,
        max_batching_window: Duration | None,
        max_concurrency: int | None,
        queue_age_alarm_threshold: Duration,
        async_retry_attempts: int,
        async_max_event_age: Duration,
        description: str | None = None,
        environment: Mapping[str, str] | None = None,
        architecture: lambda_.Architecture = lambda_.Architecture.ARM_64,
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        report_batch_item_failures: bool = True,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        v = Validator(self)
        self._validate_settings(
            v,
            description=description,
            environment=environment,
            architecture=architecture,
            log_retention=log_retention,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
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
        v.number_in_range(
            "memory_size",
            memory_size,
            minimum=MIN_MEMORY_MB,
            maximum=MAX_MEMORY_MB,
            unit="MB",
            integer=True,
        )
        # Timeout, MaximumEventAgeInSeconds and MaximumBatchingWindowInSeconds are integers.
        v.duration_in_range(
            "timeout", timeout, minimum=Duration.seconds(1), maximum=MAX_TIMEOUT, whole="seconds"
        )
        v.number_in_range("reserved_concurrency", reserved_concurrency, minimum=1, integer=True)
        v.number_in_range(
            "async_retry_attempts",
            async_retry_attempts,
            minimum=0,
            maximum=MAX_ASYNC_RETRIES,
            integer=True,
        )
        v.duration_in_range(
            "async_max_event_age",
            async_max_event_age,
            minimum=Duration.seconds(60),
            maximum=MAX_ASYNC_EVENT_AGE,
            whole="seconds",
        )

        # -- trigger: a rule (pattern or schedule), a queue, or nothing
        v.at_most_one(
            {"event_pattern": event_pattern, "schedule": schedule, "queue": queue},
        )
        v.instance_of("schedule", schedule, events.Schedule, what="an events.Schedule")
        v.implements("event_bus", event_bus, "event_bus_name", what="an events.IEventBus")
        v.implements("queue", queue, "queue_arn", what="an sqs.IQueue")
        v.boolean("report_batch_item_failures", report_batch_item_failures)
        # Props of a trigger the function does not have would be silently ignored.
        has_rule = event_pattern is not None or schedule is not None
        if not has_rule:
            if rule_retry_attempts != MAX_RULE_RETRIES:
                v.add(
                    "rule_retry_attempts",
                    f"applies only with event_pattern or schedule, got {rule_retry_attempts!r}",
                )
            if not _same_duration(rule_max_event_age, MAX_RULE_EVENT_AGE):
                v.add(
                    "rule_max_event_age",
                    "applies only with event_pattern or schedule, got "
                    f"{_describe(rule_max_event_age)}",
                )
        if queue is None:
            if batch_size != _DEFAULT_BATCH_SIZE:
                v.add("batch_size", f"applies only to a queue source, got {batch_size!r}")
            if report_batch_item_failures is not True:
                v.add(
                    "report_batch_item_failures",
                    f"applies only to a queue source, got {report_batch_item_failures!r}",
                )
            if not _same_duration(queue_age_alarm_threshold, _DEFAULT_QUEUE_AGE_ALARM):
                v.add(
                    "queue_age_alarm_threshold",
                    f"applies only to a queue source, got {_describe(queue_age_alarm_threshold)}",
                )
        else:
            if async_retry_attempts != MAX_ASYNC_RETRIES:
                v.add(
                    "async_retry_attempts",
                    "applies only to asynchronous invocations; a queue source invokes "
                    f"synchronously (failed messages go to the queue's DLQ), got "
                    f"{async_retry_attempts!r}",
                )
            if not _same_duration(async_max_event_age, MAX_ASYNC_EVENT_AGE):
                v.add(
                    "async_max_event_age",
                    "applies only to asynchronous invocations; a queue source invokes "
                    f"synchronously, got {_describe(async_max_event_age)}",
                )
        if schedule is not None and event_bus is not None:
            v.add("event_bus", "cannot be used with schedule (schedules run on the default bus)")
        if event_bus is not None and event_pattern is None and schedule is None:
            v.add("event_bus", "applies only with event_pattern, got no event_pattern")
        if archive_retention is not None:
            if event_pattern is None:
                v.add("archive_retention", "applies only with event_pattern (events on a bus)")
            elif not is_unresolved(archive_retention):
                v.duration_in_range(
                    "archive_retention", archive_retention, minimum=Duration.days(1)
                )
                if (
                    isinstance(archive_retention, Duration)
                    and not float(
                        archive_retention.to_seconds(integral=False) / 86_400
                    ).is_integer()
                ):
                    v.add(
                        "archive_retention",
                        f"must be whole days, got {format_duration(archive_retention)}",
                    )
        v.number_in_range(
            "rule_retry_attempts",
            rule_retry_attempts,
            minimum=0,
            maximum=MAX_RULE_RETRIES,
            integer=True,
        )
        v.duration_in_range(
            "rule_max_event_age",
            rule_max_event_age,
            minimum=Duration.seconds(60),
            maximum=MAX_RULE_EVENT_AGE,
            whole="seconds",
        )

        # -- queue source
        v.number_in_range("batch_size", batch_size, minimum=1, maximum=MAX_BATCH_SIZE, integer=True)
        v.duration_in_range(
            "max_batching_window",
            max_batching_window,
            minimum=Duration.seconds(0),
            maximum=MAX_BATCHING_WINDOW,
            whole="seconds",
        )
        v.number_in_range(
            "max_concurrency",
            max_concurrency,
            minimum=MIN_MAX_CONCURRENCY,
            maximum=MAX_MAX_CONCURRENCY,
            integer=True,
        )
        v.duration_in_range(
            "queue_age_alarm_threshold",
            queue_age_alarm_threshold,
            minimum=Duration.seconds(60),
        )
        if queue is None or not hasattr(queue, "queue_arn"):
            for prop, value in (
                ("max_batching_window", max_batching_window),
                ("max_concurrency", max_concurrency),
            ):
                if value is not None and queue is None:
                    v.add(prop, "applies only to a queue source, got no queue")
        else:
            self._validate_queue(
                v,
                queue=queue,
                timeout=timeout,
                batch_size=batch_size,
                max_batching_window=max_batching_window,
                max_concurrency=max_concurrency,
                reserved_concurrency=reserved_concurrency,
            )
        v.raise_if_invalid()

    @staticmethod
    def _validate_settings(
        v: Validator,
        *,
        description: object,
        environment: object,
        architecture: object,
        log_retention: object,
        removal_policy: object,
        alarm_topic: object,
        dashboard: object,
    ) -> None:
        if v.text("description", description):
            assert isinstance(description, str)
            v.require(
                len(description) <= MAX_DESCRIPTION,
                "description",
                f"must be at most {MAX_DESCRIPTION} characters, got {len(description)}",
            )
        if environment is not None:
            if not isinstance(environment, Mapping):
                v.add("environment", f"must be a mapping of names to strings, got {environment!r}")
            else:
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
                    f"must total at most {MAX_ENVIRONMENT_BYTES:,} bytes (keys and values), "
                    f"got {size:,}",
                )
        v.instance_of(
            "architecture", architecture, lambda_.Architecture, what="a lambda_.Architecture"
        )
        v.instance_of(
            "log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays"
        )
        v.instance_of(
            "removal_policy", removal_policy, RemovalPolicy, what="an aws_cdk.RemovalPolicy"
        )
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")

    def _validate_queue(
        self,
        v: Validator,
        *,
        queue: sqs.IQueue,
        timeout: Duration,
        batch_size: int,
        max_batching_window: Duration | None,
        max_concurrency: int | None,
        reserved_concurrency: int | None,
    ) -> None:
        fifo = bool(queue.fifo)
        window = (
            None
            if max_batching_window is None or is_unresolved(max_batching_window)
            else max_batching_window.to_seconds(integral=False)
        )
        if not is_unresolved(batch_size) and isinstance(batch_size, int):
            if fifo and batch_size > MAX_BATCH_WITHOUT_WINDOW:
                v.add(
                    "batch_size",
                    f"must be at most {MAX_BATCH_WITHOUT_WINDOW} for a FIFO queue, "
                    f"got {batch_size}",
                )
            elif batch_size > MAX_BATCH_WITHOUT_WINDOW and not window:
                v.add(
                    "batch_size",
                    f"above {MAX_BATCH_WITHOUT_WINDOW} needs a max_batching_window of at "
                    f"least 1 s, got {batch_size} with no window",
                )
        if fifo and max_batching_window is not None:
            v.add("max_batching_window", "is not supported for FIFO queues")
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
        visibility = self._visibility_timeout(queue)
        if visibility is not None and isinstance(timeout, Duration) and not is_unresolved(timeout):
            timeout_s = timeout.to_seconds(integral=False)
            if visibility < timeout_s:
                v.add(
                    "timeout",
                    f"must not exceed the queue's visibility timeout "
                    f"({format_duration(visibility)}) or Lambda rejects the event source, "
                    f"got {format_duration(timeout)}",
                )
            elif visibility < VISIBILITY_TIMEOUT_FACTOR * timeout_s:
                Annotations.of(self).add_warning_v2(
                    "scalable-patterns:visibility-timeout",
                    f"the queue's visibility timeout ({format_duration(visibility)}) is below "
                    f"{VISIBILITY_TIMEOUT_FACTOR}x the function timeout "
                    f"({format_duration(timeout)}); AWS advises at least "
                    f"{format_duration(VISIBILITY_TIMEOUT_FACTOR * timeout_s)}.",
                )

    @staticmethod
    def _visibility_timeout(queue: sqs.IQueue) -> float | None:
        """The visibility timeout (s) of a queue defined in this app; None when unknown."""
        child = queue.node.default_child
        if not isinstance(child, sqs.CfnQueue):
            return None
        value: Any = Stack.of(child).resolve(child.visibility_timeout)
        if value is None:
            return 30.0  # the SQS default
        return float(value) if isinstance(value, int | float) else None

    # -- triggers --------------------------------------------------------------------------
    def _add_rule(
        self,
        *,
        event_pattern: events.EventPattern | None,
        schedule: events.Schedule | None,
        event_bus: events.IEventBus | None,
        retry_attempts: int,
        max_event_age: Duration,
        archive_retention: Duration | None,
    ) -> None:
        assert self.dead_letter_key is not None
        self.rule_dead_letter_queue = dead_letter_queue(
            self,
            "RuleDlq",
            encryption_key=self.dead_letter_key,
            removal_policy=self._removal_policy,
        )
        self.rule = events.Rule(
            self,
            "Rule",
            description=f"Invokes {self.node.path}",
            event_pattern=event_pattern,
            schedule=schedule,
            event_bus=event_bus,
            targets=[
                targets.LambdaFunction(
                    self.function,
                    dead_letter_queue=self.rule_dead_letter_queue,
                    retry_attempts=retry_attempts,
                    max_event_age=max_event_age,
                )
            ],
        )
        if archive_retention is not None and event_pattern is not None:
            self.archive = events.Archive(
                self,
                "Archive",
                source_event_bus=(
                    event_bus
                    if event_bus is not None
                    else events.EventBus.from_event_bus_name(self, "DefaultBus", "default")
                ),
                event_pattern=event_pattern,
                retention=archive_retention,
                description=f"Events of {self.node.path}, for replay",
            )
        self.monitoring.alarm(
            "RuleFailedInvocations",
            metric=self.metric_failed_invocations(),
            threshold=0,
            description=(
                f"{self.node.path}: EventBridge gave up delivering events to the function; "
                "they are in the rule DLQ."
            ),
        )
        self.monitoring.queue_not_empty(
            "RuleDlqNotEmpty",
            self.rule_dead_letter_queue,
            description=f"{self.node.path}: events EventBridge could not deliver are waiting.",
        )

    def _add_queue_source(
        self,
        *,
        queue: sqs.IQueue,
        timeout: Duration,
        batch_size: int,
        max_batching_window: Duration | None,
        max_concurrency: int | None,
        report_batch_item_failures: bool,
        queue_age_alarm_threshold: Duration,
    ) -> None:
        self.event_source = sources.SqsEventSource(
            queue,
            batch_size=batch_size,
            max_batching_window=max_batching_window,
            max_concurrency=max_concurrency,
            report_batch_item_failures=report_batch_item_failures,
        )
        self.function.add_event_source(self.event_source)
        acknowledge(
            self.function,
            "Serverless::Serverless-LambdaEventSourceMappingDestination",
            "SQS event source mappings support no on-failure destination; messages that keep "
            "failing move to the source queue's DLQ through its redrive policy.",
        )
        if not is_unresolved(queue_age_alarm_threshold):
            self.monitoring.alarm(
                "QueueOldestMessageAge",
                metric=queue.metric_approximate_age_of_oldest_message(
                    period=Duration.minutes(5), statistic="Maximum"
                ),
                threshold=queue_age_alarm_threshold.to_seconds(integral=False),
                description=(
                    f"{self.node.path}: the oldest message of the source queue is older than "
                    f"{format_duration(queue_age_alarm_threshold)}; the consumer is behind, "
                    "throttled or failing."
                ),
            )

    # -- alarms and review ---------------------------------------------------------------------
    def _add_function_alarms(self) -> None:
        period = Duration.minutes(5)
        self.monitoring.alarm(
            "Errors",
            metric=self.function.metric_errors(period=period, statistic="Sum"),
            threshold=0,
            description=f"{self.node.path}: invocations failed. See the function's log group.",
        )
        self.monitoring.alarm(
            "Throttles",
            metric=self.function.metric_throttles(period=period, statistic="Sum"),
            threshold=0,
            description=(
                f"{self.node.path}: invocations were throttled (reserved or account "
                "concurrency reached)."
            ),
        )
        if self.dead_letter_queue is not None:
            self.monitoring.queue_not_empty(
                "DlqNotEmpty",
                self.dead_letter_queue,
                description=(
                    f"{self.node.path}: asynchronous invocations failed every retry and are "
                    "in the DLQ (kept 14 days)."
                ),
            )

    def _record_capacity(
        self,
        memory_size: int,
        timeout: Duration,
        reserved_concurrency: int | None,
        batch_size: int,
        queue: sqs.IQueue | None,
    ) -> None:
        parts = [f"{memory_size} MB", f"timeout {format_duration(timeout)}"]
        if reserved_concurrency is not None:
            parts.append(f"reserved {reserved_concurrency}")
        if queue is not None:
            parts.append(f"SQS batch {batch_size}")
        record_capacity(self, ", ".join(parts))


def _same_duration(value: object, default: Duration) -> bool:
    """``value`` is the default Duration (or cannot be compared: a token or a wrong type)."""
    if not isinstance(value, Duration) or value.is_unresolved():
        return True
    return bool(value.to_seconds(integral=False) == default.to_seconds(integral=False))


def _describe(value: object) -> str:
    return format_duration(value) if isinstance(value, Duration) else repr(value)
