"""Example: nightly report jobs on Fargate Spot, falling back to Fargate On-Demand.

A job queue tries Fargate Spot first (cheaper, interruptible) and Fargate On-Demand
second. Two job definitions: a nightly report (1 vCPU, 4 GiB) that EventBridge
Scheduler submits every night at 02:00 UTC, and a small thumbnail job (0.25 vCPU,
512 MiB) submitted on demand. Failed jobs are sent to the alarm topic.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from patterns.batch import BatchJobs, ComputeEnvironmentOptions, JobDefinitionOptions
from patterns.core.monitoring import create_alarm_topic

__all__ = ["BatchJobsExampleStack"]

PYTHON_IMAGE = "public.ecr.aws/docker/library/python:3.13-slim"


class BatchJobsExampleStack(cdk.Stack):
    """Fargate Spot + On-Demand compute, one queue, two job definitions, a nightly schedule."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        image = ecs.ContainerImage.from_registry(PYTHON_IMAGE)
        self.jobs = BatchJobs(
            self,
            "Reports",
            compute_environments={
                "spot": ComputeEnvironmentOptions(spot=True, max_vcpus=64),
                "on-demand": ComputeEnvironmentOptions(max_vcpus=16),
            },
            job_definitions={
                "nightly-report": JobDefinitionOptions(
                    image=image,
                    command=["python", "-c", "print('nightly report')"],
                    vcpus=1,
                    memory_mib=4_096,
                    environment={"REPORT_KIND": "daily"},
                    retry_attempts=3,
                    retry_exit_codes=["75"],  # EX_TEMPFAIL: a dependency was unavailable
                    timeout=Duration.hours(2),
                ),
                "thumbnail": JobDefinitionOptions(
                    image=image,
                    command=["python", "-c", "print('thumbnail')"],
                    vcpus=0.25,
                    memory_mib=512,
                    arm64=True,
                    timeout=Duration.minutes(10),
                ),
            },
            schedule=scheduler.ScheduleExpression.cron(minute="0", hour="2"),
            scheduled_job="nightly-report",
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        cdk.CfnOutput(self, "JobQueueArn", value=self.jobs.job_queue.job_queue_arn)
        for name, definition in self.jobs.job_definitions.items():
            cdk.CfnOutput(
                self,
                f"{name.title().replace('-', '')}JobDefinitionArn",
                value=definition.job_definition_arn,
            )


EXAMPLES = {"BatchJobsExample": BatchJobsExampleStack}
