"""Failed-job notifications of :class:`~patterns.batch.BatchJobs`.

Batch publishes no CloudWatch metrics of its own: an EventBridge rule matches the
``Batch Job State Change`` events with status ``FAILED`` of the queue, notifies the alarm
topic (or a topic of the construct's own) with the job's details and counts the failures
(``TriggeredRules``, see :meth:`BatchJobs.metric_jobs_failed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core import defaults
from patterns.core.defaults import allow_service_to_use_key

if TYPE_CHECKING:
    from patterns.batch.construct import BatchJobs

__all__ = ["allow_events_to_use", "failed_job_notifications"]


def failed_job_notifications(
    jobs: BatchJobs, *, alarm_topic: sns.ITopic | None, removal_policy: RemovalPolicy
) -> tuple[events.Rule, sqs.Queue, sns.ITopic]:
    """The rule ``FailedJobRule``, the topic it notifies of every failed job (``alarm_topic``,
    else a new ``NotificationTopic``) and the DLQ ``NotificationDlq`` of the notifications
    EventBridge could not deliver.

    The rule always has that target: a rule without one matches the failures and sends them
    nowhere (and cdk-nag's Serverless-EventBusDLQ check cannot even evaluate it).
    """
    rule = events.Rule(
        jobs,
        "FailedJobRule",
        description=f"FAILED jobs of the job queue of {jobs.node.path}",
        event_pattern=events.EventPattern(
            source=["aws.batch"],
            detail_type=["Batch Job State Change"],
            detail={"status": ["FAILED"], "jobQueue": [jobs.job_queue.job_queue_arn]},
        ),
    )
    dlq = defaults.dead_letter_queue(
        jobs, "NotificationDlq", encryption_key=jobs.encryption_key, removal_policy=removal_policy
    )
    # The construct's key already lets EventBridge (of this account) encrypt with it.
    topic = alarm_topic or sns.Topic(
        jobs, "NotificationTopic", master_key=jobs.encryption_key, enforce_ssl=True
    )
    field = events.EventField.from_path
    # The SnsTopic target lets events.amazonaws.com use the topic's key (if any).
    rule.add_target(
        events_targets.SnsTopic(
            topic,
            message=events.RuleTargetInput.from_text(
                f"Batch job {field('$.detail.jobName')} ({field('$.detail.jobId')}) "
                f"FAILED in {jobs.node.path}: {field('$.detail.statusReason')}"
            ),
            dead_letter_queue=dlq,
            retry_attempts=5,
            max_event_age=Duration.hours(2),
        )
    )
    return rule, dlq, topic


def allow_events_to_use(key: kms.IKey) -> None:
    """Let EventBridge (of this account) encrypt with ``key``, once per key of this app.

    An imported key cannot be changed here; its policy must already allow
    ``events.amazonaws.com`` to use it.
    """
    if isinstance(key, kms.Key) and key.node.try_find_child("AllowsEventBridge") is None:
        Construct(key, "AllowsEventBridge")  # marks the key: one statement per key
        allow_service_to_use_key(key, "events.amazonaws.com", sid="AllowEventBridgeToUseKey")
