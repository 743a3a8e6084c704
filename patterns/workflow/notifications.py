"""Failure notifications of a :class:`~patterns.workflow.Workflow`: an EventBridge rule that
publishes every FAILED, TIMED_OUT or ABORTED execution to a topic, with a DLQ for the
notifications EventBridge cannot deliver."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from patterns.core.defaults import dead_letter_queue, given_or_new_key

__all__ = ["notify_failures"]


def notify_failures(
    scope: Construct,
    state_machine: sfn.IStateMachine,
    topic: sns.ITopic,
    *,
    key: kms.IKey | None = None,
    removal_policy: RemovalPolicy,
) -> tuple[events.Rule, sqs.Queue]:
    """The ``FailureDlqKey`` (unless ``key`` is given: EventBridge may then use it, for a key
    of this app), the ``FailureDlq`` and the ``FailureRule`` that publishes the
    status change events of ``state_machine``'s failed executions to ``topic`` (EventBridge
    retries 185 times for up to 24 hours, then the DLQ keeps the event)."""
    key = given_or_new_key(
        scope,
        "FailureDlqKey",
        key,
        description=f"Encrypts failure notifications EventBridge could not deliver "
        f"({scope.node.path})",
        removal_policy=removal_policy,
        service_principals=("events.amazonaws.com",),
    )
    dlq = dead_letter_queue(scope, "FailureDlq", encryption_key=key, removal_policy=removal_policy)
    rule = events.Rule(
        scope,
        "FailureRule",
        description=f"Failed, timed-out and aborted executions of {scope.node.path}",
        event_pattern=events.EventPattern(
            source=["aws.states"],
            detail_type=["Step Functions Execution Status Change"],
            detail={
                "status": ["FAILED", "TIMED_OUT", "ABORTED"],
                "stateMachineArn": [state_machine.state_machine_arn],
            },
        ),
        targets=[
            targets.SnsTopic(
                topic,
                dead_letter_queue=dlq,
                retry_attempts=185,
                max_event_age=Duration.hours(24),
            )
        ],
    )
    return rule, dlq
