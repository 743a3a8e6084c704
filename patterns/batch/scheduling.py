"""Scheduled submission of :class:`~patterns.batch.BatchJobs`: an EventBridge Scheduler
schedule that submits one job definition, with retries and a DLQ for submissions it could not
make."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from aws_cdk import aws_sqs as sqs

from patterns.core import defaults

if TYPE_CHECKING:
    from patterns.batch.construct import BatchJobs

__all__ = ["add_schedule"]


def add_schedule(
    jobs: BatchJobs,
    expression: scheduler.ScheduleExpression,
    *,
    job_name: str,
    retry_attempts: int,
    max_event_age: Duration,
    removal_policy: RemovalPolicy,
) -> tuple[scheduler.Schedule, sqs.Queue]:
    """The schedule ``Schedule`` submitting ``job_name`` jobs to the queue, its role
    ``ScheduleRole`` and its DLQ ``ScheduleDlq``; returns the schedule and the DLQ."""
    job_definition = jobs.job_definitions[job_name]
    dlq = defaults.dead_letter_queue(
        jobs, "ScheduleDlq", encryption_key=jobs.encryption_key, removal_policy=removal_policy
    )
    role = iam.Role(
        jobs,
        "ScheduleRole",
        description=f"Lets EventBridge Scheduler submit {job_name} jobs of {jobs.node.path}",
        assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": Stack.of(jobs).account}},
        ),
    )
    # The L2 target grants sqs:SendMessage on the DLQ but not the use of its KMS key.
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["kms:GenerateDataKey", "kms:Decrypt"],
            resources=[jobs.encryption_key.key_arn],
        )
    )
    resources = [jobs.job_queue.job_queue_arn, job_definition.job_definition_arn]
    target = scheduler_targets.Universal(
        role=role,
        service="batch",
        action="submitJob",
        input=scheduler.ScheduleTargetInput.from_object(
            {
                "jobName": f"{job_name}-scheduled",
                "jobQueue": jobs.job_queue.job_queue_arn,
                "jobDefinition": job_definition.job_definition_arn,
            }
        ),
        policy_statements=[iam.PolicyStatement(actions=["batch:SubmitJob"], resources=resources)],
        dead_letter_queue=dlq,
        retry_attempts=retry_attempts,
        max_event_age=max_event_age,
    )
    schedule = scheduler.Schedule(
        jobs,
        "Schedule",
        schedule=expression,
        target=target,
        key=jobs.encryption_key,
        description=f"Submits {job_name} jobs to {jobs.node.path}",
    )
    return schedule, dlq
