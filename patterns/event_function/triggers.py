"""The triggers of an :class:`~patterns.event_function.EventDrivenFunction`.

* :func:`add_rule` - an EventBridge rule (event pattern on a bus, or a schedule) whose target
  has a retry policy and a DLQ of its own, plus an optional archive for replay;
* :func:`add_queue_source` - an SQS event source that polls in batches, with partial batch
  responses and a concurrency cap.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.defaults import dead_letter_queue
from patterns.core.nag import acknowledge

__all__ = ["QueueTrigger", "RuleResources", "RuleTrigger", "add_queue_source", "add_rule"]


@dataclass(frozen=True)
class RuleTrigger:
    """The props of the EventBridge rule, as given (see
    :class:`~patterns.event_function.EventDrivenFunction` for each)."""

    event_pattern: events.EventPattern | None
    schedule: events.Schedule | None
    event_bus: events.IEventBus | None
    rule_retry_attempts: int
    rule_max_event_age: Duration
    archive_retention: Duration | None

    @property
    def enabled(self) -> bool:
        """An ``event_pattern`` or a ``schedule`` was given: the function has a rule."""
        return self.event_pattern is not None or self.schedule is not None


@dataclass(frozen=True)
class QueueTrigger:
    """The props of the SQS queue source, as given (see
    :class:`~patterns.event_function.EventDrivenFunction` for each)."""

    queue: sqs.IQueue | None
    batch_size: int
    max_batching_window: Duration | None
    max_concurrency: int | None
    report_batch_item_failures: bool
    queue_age_alarm_threshold: Duration


@dataclass(frozen=True)
class RuleResources:
    """What :func:`add_rule` created.

    Attributes:
        rule: the EventBridge rule that invokes the function.
        dead_letter_queue: events EventBridge could not deliver to the function.
        archive: the archive of the matching events (None without ``archive_retention``).
    """

    rule: events.Rule
    dead_letter_queue: sqs.Queue
    archive: events.Archive | None


def add_rule(
    scope: Construct,
    function: lambda_.IFunction,
    trigger: RuleTrigger,
    *,
    dead_letter_key: kms.IKey,
    removal_policy: RemovalPolicy,
) -> RuleResources:
    """The ``RuleDlq`` (encrypted with ``dead_letter_key``), the ``Rule`` targeting
    ``function`` and, with ``archive_retention`` and an ``event_pattern``, the ``Archive``."""
    rule_dlq = dead_letter_queue(
        scope, "RuleDlq", encryption_key=dead_letter_key, removal_policy=removal_policy
    )
    rule = events.Rule(
        scope,
        "Rule",
        description=f"Invokes {scope.node.path}",
        event_pattern=trigger.event_pattern,
        schedule=trigger.schedule,
        event_bus=trigger.event_bus,
        targets=[
            targets.LambdaFunction(
                function,
                dead_letter_queue=rule_dlq,
                retry_attempts=trigger.rule_retry_attempts,
                max_event_age=trigger.rule_max_event_age,
            )
        ],
    )
    archive = None
    if trigger.archive_retention is not None and trigger.event_pattern is not None:
        archive = events.Archive(
            scope,
            "Archive",
            source_event_bus=(
                trigger.event_bus
                if trigger.event_bus is not None
                else events.EventBus.from_event_bus_name(scope, "DefaultBus", "default")
            ),
            event_pattern=trigger.event_pattern,
            retention=trigger.archive_retention,
            description=f"Events of {scope.node.path}, for replay",
        )
    return RuleResources(rule=rule, dead_letter_queue=rule_dlq, archive=archive)


def add_queue_source(function: lambda_.Function, trigger: QueueTrigger) -> sources.SqsEventSource:
    """An SQS event source of ``function`` polling ``trigger.queue``: failed messages return
    to the queue and move to its own DLQ through its redrive policy."""
    assert trigger.queue is not None
    event_source = sources.SqsEventSource(
        trigger.queue,
        batch_size=trigger.batch_size,
        max_batching_window=trigger.max_batching_window,
        max_concurrency=trigger.max_concurrency,
        report_batch_item_failures=trigger.report_batch_item_failures,
    )
    function.add_event_source(event_source)
    acknowledge(
        function,
        "Serverless::Serverless-LambdaEventSourceMappingDestination",
        "SQS event source mappings support no on-failure destination; messages that keep "
        "failing move to the source queue's DLQ through its redrive policy.",
    )
    return event_source
