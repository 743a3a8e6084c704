"""BatchJobs deployed (control plane): the job queue is enabled and valid and prefers Fargate
Spot over On-Demand, both compute environments are managed, enabled and valid with their vCPU
limits, the job definitions carry their retry rules, the nightly schedule may submit a job
(the scheduler's role, authorized) and a failed job is announced on the alarm topic (EventBridge
-> SNS, authorized). No job runs: the emulator has no container runtime."""

from __future__ import annotations

import json

import pytest

from emulator.server import DeployedStack, Emulator
from tests.deploy.conftest import Deployments
from tests.deploy.probes import bodies, probe_queue

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def batch(deployed: Deployments) -> DeployedStack:
    return deployed("BatchJobsExample")


def test_the_queue_and_its_compute_environments_are_enabled_and_valid(
    batch: DeployedStack, emulator: Emulator
) -> None:
    client = emulator.client("batch")

    (queue,) = client.describe_job_queues(jobQueues=[batch.outputs["JobQueueArn"]])["jobQueues"]

    assert (queue["state"], queue["status"]) == ("ENABLED", "VALID")
    order = sorted(queue["computeEnvironmentOrder"], key=lambda e: e["order"])
    environments = {
        e["computeEnvironmentArn"]: e
        for e in client.describe_compute_environments(
            computeEnvironments=[e["computeEnvironment"] for e in order]
        )["computeEnvironments"]
    }
    described = [environments[e["computeEnvironment"]] for e in order]
    assert [(e["state"], e["status"], e["type"]) for e in described] == [
        ("ENABLED", "VALID", "MANAGED")
    ] * 2
    # Spot first, On-Demand when Spot has no capacity; vCPU limits as configured
    assert [
        (e["computeResources"]["type"], e["computeResources"]["maxvCpus"]) for e in described
    ] == [("FARGATE_SPOT", 64), ("FARGATE", 16)]


def test_job_definitions_retry_transient_failures_only(
    batch: DeployedStack, emulator: Emulator
) -> None:
    arns = [v for k, v in batch.outputs.items() if k != "JobQueueArn"]
    assert arns

    definitions = emulator.client("batch").describe_job_definitions(jobDefinitions=arns)[
        "jobDefinitions"
    ]

    assert len(definitions) == len(arns)
    for definition in definitions:
        assert definition["status"] == "ACTIVE"
        rules = definition["retryStrategy"]["evaluateOnExit"]
        assert definition["retryStrategy"]["attempts"] > 1
        assert {"onStatusReason": "Host EC2*", "action": "retry"} in rules  # Spot reclaimed
        assert rules[-1] == {"onExitCode": "*", "action": "exit"}  # anything else: no retry
        resources = {
            r["type"]: r["value"] for r in definition["containerProperties"]["resourceRequirements"]
        }
        assert set(resources) == {"VCPU", "MEMORY"}


def test_the_nightly_schedule_submits_a_job_to_the_queue(
    batch: DeployedStack, emulator: Emulator
) -> None:
    scheduler = emulator.client("scheduler")
    (summary,) = [
        s for s in scheduler.list_schedules()["Schedules"] if s["Name"].startswith(batch.name + "-")
    ]

    schedule = scheduler.get_schedule(Name=summary["Name"])

    assert schedule["State"] == "ENABLED"
    assert schedule["ScheduleExpression"] == "cron(0 2 * * ? *)"
    target = schedule["Target"]
    assert target["Arn"] == "arn:aws:scheduler:::aws-sdk:batch:submitJob"
    assert batch.outputs["JobQueueArn"] in target["Input"]
    assert target["DeadLetterConfig"]["Arn"].startswith("arn:aws:sqs:")


def _schedule_name(emulator: Emulator, stack: DeployedStack) -> str:
    (summary,) = [
        s
        for s in emulator.client("scheduler").list_schedules()["Schedules"]
        if s["Name"].startswith(stack.name + "-")
    ]
    return str(summary["Name"])


def check_the_schedule_may_submit_its_job(emulator: Emulator, stack: DeployedStack) -> None:
    """The scheduler assumes the schedule's role and calls batch:SubmitJob with it."""
    decision = emulator.run_schedule(_schedule_name(emulator, stack))

    assert decision.allowed, decision


def test_the_nightly_schedule_may_submit_its_job(batch: DeployedStack, emulator: Emulator) -> None:
    """Scheduler -> Batch: the trust policy admits scheduler.amazonaws.com for this account, and
    the role may submit to the queue with the job definition (the job does not run)."""
    check_the_schedule_may_submit_its_job(emulator, batch)


def check_a_failed_job_is_announced(emulator: Emulator, stack: DeployedStack) -> None:
    """EventBridge -> SNS: a FAILED job of the queue reaches the alarm topic, as the rule's
    input transformer words it."""
    (topic,) = [pid for rtype, pid in stack.resources.values() if rtype == "AWS::SNS::Topic"]
    probe = probe_queue(emulator, topic)
    queue = stack.outputs["JobQueueArn"]

    (result,) = emulator.client("events").put_events(
        Entries=[
            {
                "Source": "aws.batch",
                "DetailType": "Batch Job State Change",
                "Detail": json.dumps(
                    {
                        "jobName": "nightly-report",
                        "jobId": "job-1",
                        "jobQueue": queue,
                        "status": "FAILED",
                        "statusReason": "Essential container in task exited",
                    }
                ),
            }
        ]
    )["Entries"]

    assert "ErrorCode" not in result, result
    (notice,) = bodies(emulator, probe)
    assert notice.startswith("Batch job nightly-report (job-1) FAILED in "), notice
    assert notice.endswith(": Essential container in task exited")


def test_a_failed_job_is_announced_on_the_alarm_topic(
    batch: DeployedStack, emulator: Emulator
) -> None:
    check_a_failed_job_is_announced(emulator, batch)
