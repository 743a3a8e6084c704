"""BatchJobs: assertions on the example stack, variants and every validation error."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_batch as batch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from patterns.batch import (
    FARGATE_MEMORY_MIB,
    BatchJobs,
    ComputeEnvironmentOptions,
    JobDefinitionOptions,
    fargate_memory_options,
)
from patterns.core.validation import PatternValidationError
from tests.conftest import SynthResult, new_stack

STACK = "BatchJobsExample"
IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/busybox:stable")


def _one(resources: dict[str, dict[str, Any]], prefix: str) -> dict[str, Any]:
    matches = [r for logical_id, r in resources.items() if logical_id.startswith(prefix)]
    assert len(matches) == 1, f"{prefix}: {len(matches)} matches"
    return matches[0]


def _job(**overrides: Any) -> JobDefinitionOptions:
    return JobDefinitionOptions(image=IMAGE, **overrides)


def _jobs(stack: cdk.Stack, **kwargs: Any) -> BatchJobs:
    kwargs.setdefault("compute_environments", {"main": ComputeEnvironmentOptions()})
    kwargs.setdefault("job_definitions", {"job": _job()})
    return BatchJobs(stack, "Jobs", **kwargs)


# -- the example stack ----------------------------------------------------------------------


def test_queue_tries_fargate_spot_first_then_on_demand(synth: SynthResult) -> None:
    ces = synth.resources(STACK, "AWS::Batch::ComputeEnvironment")
    spot = _one(ces, "ReportsSpotComputeEnvironment")["Properties"]["ComputeResources"]
    on_demand = _one(ces, "ReportsOnDemandComputeEnvironment")["Properties"]["ComputeResources"]
    assert (spot["Type"], spot["MaxvCpus"]) == ("FARGATE_SPOT", 64)
    assert (on_demand["Type"], on_demand["MaxvCpus"]) == ("FARGATE", 16)
    queue = next(iter(synth.resources(STACK, "AWS::Batch::JobQueue").values()))["Properties"]
    order = {
        entry["ComputeEnvironment"]["Fn::GetAtt"][0].removeprefix("Reports")[:6]: entry["Order"]
        for entry in queue["ComputeEnvironmentOrder"]
    }
    assert order == {"SpotCo": 1, "OnDema": 2}


def test_compute_environments_run_in_private_subnets(synth: SynthResult) -> None:
    subnets = synth.resources(STACK, "AWS::EC2::Subnet")
    for ce in synth.resources(STACK, "AWS::Batch::ComputeEnvironment").values():
        for ref in ce["Properties"]["ComputeResources"]["Subnets"]:
            assert subnets[ref["Ref"]]["Properties"]["MapPublicIpOnLaunch"] is False


def test_queue_cancels_jobs_that_can_never_run(synth: SynthResult) -> None:
    synth.template(STACK).has_resource_properties(
        "AWS::Batch::JobQueue",
        {
            "Priority": 1,
            "JobStateTimeLimitActions": [
                {
                    "Action": "CANCEL",
                    "MaxTimeSeconds": 1800,
                    "Reason": "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
                    "State": "RUNNABLE",
                },
                {
                    "Action": "CANCEL",
                    "MaxTimeSeconds": 1800,
                    "Reason": "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
                    "State": "RUNNABLE",
                },
            ],
        },
    )


def test_job_definition_sizes_retries_and_timeout(synth: SynthResult) -> None:
    definitions = synth.resources(STACK, "AWS::Batch::JobDefinition")
    nightly = _one(definitions, "ReportsNightlyReportJobDefinition")["Properties"]
    assert nightly["PlatformCapabilities"] == ["FARGATE"]
    assert sorted(
        (r["Type"], r["Value"]) for r in nightly["ContainerProperties"]["ResourceRequirements"]
    ) == [("MEMORY", "4096"), ("VCPU", "1")]
    assert nightly["Timeout"] == {"AttemptDurationSeconds": 7200}
    # lost hosts retry, the listed exit code retries, every other exit code fails at once
    assert nightly["RetryStrategy"] == {
        "Attempts": 3,
        "EvaluateOnExit": [
            {"Action": "RETRY", "OnStatusReason": "Host EC2*"},
            {"Action": "RETRY", "OnExitCode": "75"},
            {"Action": "EXIT", "OnExitCode": "*"},
        ],
    }
    assert nightly["ContainerProperties"]["NetworkConfiguration"] == {"AssignPublicIp": "DISABLED"}
    thumbnail = _one(definitions, "ReportsThumbnailJobDefinition")["Properties"]
    assert thumbnail["ContainerProperties"]["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    assert thumbnail["RetryStrategy"]["EvaluateOnExit"][-1] == {
        "Action": "EXIT",
        "OnExitCode": "*",
    }


def test_each_job_definition_logs_to_its_own_retained_log_group(synth: SynthResult) -> None:
    log_groups = synth.resources(STACK, "AWS::Logs::LogGroup")
    for name in ("NightlyReport", "Thumbnail"):
        definition = _one(
            synth.resources(STACK, "AWS::Batch::JobDefinition"), f"Reports{name}JobDefinition"
        )
        options = definition["Properties"]["ContainerProperties"]["LogConfiguration"]["Options"]
        group_id = options["awslogs-group"]["Ref"]
        assert group_id.startswith(f"Reports{name}Logs")
        assert log_groups[group_id]["Properties"]["RetentionInDays"] == 30
        assert log_groups[group_id]["DeletionPolicy"] == "Retain"


def test_execution_role_only_writes_its_log_group(synth: SynthResult) -> None:
    policies = synth.resources(STACK, "AWS::IAM::Policy")
    policy = _one(policies, "ReportsNightlyReportContainerExecutionRoleDefaultPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    (statement,) = statements
    assert statement["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert statement["Resource"]["Fn::GetAtt"][0].startswith("ReportsNightlyReportLogs")


def test_schedule_submits_the_nightly_job_with_retries_and_dlq(synth: SynthResult) -> None:
    schedule = next(iter(synth.resources(STACK, "AWS::Scheduler::Schedule").values()))
    props = schedule["Properties"]
    assert props["ScheduleExpression"] == "cron(0 2 * * ? *)"
    assert props["KmsKeyArn"]["Fn::GetAtt"][0].startswith("ReportsKey")
    target = props["Target"]
    assert target["Arn"]["Fn::Join"][1][-1] == ":scheduler:::aws-sdk:batch:submitJob"
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3}
    assert target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0].startswith("ReportsScheduleDlq")
    body = json.dumps(target["Input"])
    assert "nightly-report-scheduled" in body
    assert "ReportsJobQueue" in body and "ReportsNightlyReportJobDefinition" in body
    assert target["RoleArn"]["Fn::GetAtt"][0].startswith("ReportsScheduleRole")


def test_schedule_role_submits_only_that_job_and_writes_the_dlq(synth: SynthResult) -> None:
    policy = _one(synth.resources(STACK, "AWS::IAM::Policy"), "ReportsScheduleRoleDefaultPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    grants: dict[str, list[str]] = {}
    for statement in statements:
        actions = statement["Action"]
        resources = statement["Resource"]
        for action in [actions] if isinstance(actions, str) else actions:
            for resource in [resources] if isinstance(resources, dict) else resources:
                logical_id = resource.get("Ref") or resource["Fn::GetAtt"][0]
                grants.setdefault(action, []).append(logical_id.rstrip("0123456789ABCDEF"))
    assert grants == {
        "batch:SubmitJob": ["ReportsJobQueue", "ReportsNightlyReportJobDefinition"],
        "kms:GenerateDataKey": ["ReportsKey"],
        "kms:Decrypt": ["ReportsKey"],
        "sqs:SendMessage": ["ReportsScheduleDlq"],
    }
    for statement in statements:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert not any("*" in action for action in actions), statement


def test_failed_jobs_of_this_queue_notify_the_alarm_topic(synth: SynthResult) -> None:
    rule = next(iter(synth.resources(STACK, "AWS::Events::Rule").values()))["Properties"]
    assert rule["EventPattern"]["source"] == ["aws.batch"]
    assert rule["EventPattern"]["detail-type"] == ["Batch Job State Change"]
    assert rule["EventPattern"]["detail"]["status"] == ["FAILED"]
    assert rule["EventPattern"]["detail"]["jobQueue"][0]["Fn::GetAtt"][0].startswith(
        "ReportsJobQueue"
    )
    (target,) = rule["Targets"]
    assert target["Arn"]["Ref"].startswith("AlarmTopic")
    assert target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0].startswith("ReportsNotificationDlq")
    assert "<detail-statusReason>" in target["InputTransformer"]["InputTemplate"]


def test_eventbridge_may_use_the_dlq_key(synth: SynthResult) -> None:
    key = _one(synth.resources(STACK, "AWS::KMS::Key"), "ReportsKey")["Properties"]
    assert key["EnableKeyRotation"] is True
    statements = key["KeyPolicy"]["Statement"]
    assert any(
        s.get("Principal") == {"Service": "events.amazonaws.com"}
        and set(s["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
        for s in statements
    )


def test_alarms_watch_failures_and_dlqs(synth: SynthResult) -> None:
    alarms = synth.resources(STACK, "AWS::CloudWatch::Alarm")
    names = sorted(logical_id.removeprefix("ReportsAlarms")[:-8] for logical_id in alarms)
    assert names == ["JobsFailed", "NotificationDlqNotEmpty", "ScheduleDlqNotEmpty"]
    failed = _one(alarms, "ReportsAlarmsJobsFailed")["Properties"]
    assert (failed["Namespace"], failed["MetricName"]) == ("AWS/Events", "TriggeredRules")
    assert failed["Dimensions"][0]["Name"] == "RuleName"
    assert failed["Dimensions"][0]["Value"]["Ref"].startswith("ReportsFailedJobRule")
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"][0]["Ref"].startswith("AlarmTopic")


def test_created_vpc_logs_its_flows(synth: SynthResult) -> None:
    t = synth.template(STACK)
    t.resource_count_is("AWS::EC2::VPC", 1)
    t.has_resource_properties("AWS::EC2::FlowLog", {"TrafficType": "ALL"})


def test_capacity_is_recorded(synth: SynthResult) -> None:
    jobs = synth.stacks[STACK].node.find_child("Reports")
    metadata = [m.data for m in jobs.node.metadata if m.type == "scalable-patterns:capacity"]
    assert metadata == ["up to 80 vCPUs (Fargate Spot 64, Fargate 16)"]


# -- Fargate sizes --------------------------------------------------------------------------


def _oracle(vcpus: float, memory_mib: int) -> bool:
    """Fargate's published table, written out independently of FARGATE_MEMORY_MIB."""
    gib = memory_mib / 1024
    ranges = {
        0.25: (0.5, 2, None),
        0.5: (1, 4, 1),
        1: (2, 8, 1),
        2: (4, 16, 1),
        4: (8, 30, 1),
        8: (16, 60, 4),
        16: (32, 120, 8),
    }
    if vcpus not in ranges:
        return False
    low, high, step = ranges[vcpus]
    if step is None:
        return memory_mib in (512, 1024, 2048)
    return low <= gib <= high and (gib - low) % step == 0


@pytest.mark.parametrize("vcpus", [0.125, 0.25, 0.5, 1, 2, 3, 4, 8, 16, 32])
def test_fargate_table_matches_the_published_ranges(vcpus: float) -> None:
    accepted = set(fargate_memory_options(vcpus))
    expected = {m for m in range(256, 131_073, 256) if _oracle(vcpus, m)}
    assert accepted == expected


def test_every_fargate_combination_synthesizes() -> None:
    stack = new_stack()
    jobs = {
        f"j{index}": _job(vcpus=vcpus, memory_mib=memory)
        for index, (vcpus, memory) in enumerate(
            (vcpus, memory) for vcpus, sizes in FARGATE_MEMORY_MIB.items() for memory in sizes
        )
        if index % 7 == 0  # a spread of sizes; each builds one job definition
    }
    _jobs(stack, job_definitions=jobs)
    Template.from_stack(stack).resource_count_is("AWS::Batch::JobDefinition", len(jobs))


# -- variants -------------------------------------------------------------------------------


def test_ec2_spot_graviton_environment() -> None:
    stack = new_stack()
    _jobs(
        stack,
        compute_environments={
            "spot": ComputeEnvironmentOptions(fargate=False, spot=True, graviton=True),
            "typed": ComputeEnvironmentOptions(
                fargate=False, instance_types=["m7g.large", "c7g"], min_vcpus=2, max_vcpus=32
            ),
        },
        job_definitions={"job": _job(vcpus=2, memory_mib=3_000)},
    )
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::Batch::ComputeEnvironment",
        {
            "ComputeResources": Match.object_like(
                {
                    "Type": "SPOT",
                    "AllocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED",
                    "InstanceTypes": ["default_arm64"],
                }
            )
        },
    )
    t.has_resource_properties(
        "AWS::Batch::ComputeEnvironment",
        {
            "ComputeResources": Match.object_like(
                {
                    "Type": "EC2",
                    "AllocationStrategy": "BEST_FIT_PROGRESSIVE",
                    "InstanceTypes": ["m7g.large", "c7g"],
                    "MinvCpus": 2,
                    "MaxvCpus": 32,
                }
            )
        },
    )
    t.has_resource_properties("AWS::Batch::JobDefinition", {"PlatformCapabilities": ["EC2"]})


def test_existing_vpc_is_used_and_no_vpc_is_created() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Mine", max_azs=2, restrict_default_security_group=False)
    jobs = _jobs(stack, vpc=vpc)
    assert jobs.vpc is vpc
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPC", 1)


def test_without_alarm_topic_failed_jobs_go_to_a_topic_of_its_own() -> None:
    """A rule without a target would match the failures and send them nowhere (and cdk-nag's
    Serverless-EventBusDLQ check throws on a rule with no Targets)."""
    stack = new_stack()
    jobs = _jobs(stack)
    t = Template.from_stack(stack)
    rule = next(iter(t.find_resources("AWS::Events::Rule").values()))
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == stack.resolve(jobs.notification_topic.topic_arn)
    assert target["Arn"]["Ref"].startswith("JobsNotificationTopic")
    assert target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0].startswith("JobsNotificationDlq")
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 5}
    topic = _one(t.find_resources("AWS::SNS::Topic"), "JobsNotificationTopic")["Properties"]
    assert topic["KmsMasterKeyId"]["Fn::GetAtt"][0].startswith("JobsKey")
    t.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                )
            }
        },
    )
    assert set(jobs.alarms) == {"JobsFailed", "NotificationDlqNotEmpty"}
    assert jobs.schedule is None and jobs.schedule_dead_letter_queue is None


def test_with_alarm_topic_no_topic_is_created() -> None:
    stack = new_stack()
    topic = sns.Topic(stack, "Alarms")
    jobs = _jobs(stack, alarm_topic=topic)
    assert jobs.notification_topic is topic
    Template.from_stack(stack).resource_count_is("AWS::SNS::Topic", 1)


def test_destroy_deletes_the_key_queues_and_log_groups() -> None:
    stack = new_stack()
    _jobs(stack, removal_policy=RemovalPolicy.DESTROY)
    for resource in Template.from_stack(stack).to_json()["Resources"].values():
        assert resource.get("DeletionPolicy", "Delete") == "Delete", resource["Type"]


def test_two_patterns_share_an_alarm_topic() -> None:
    stack = new_stack()
    topic = sns.Topic(stack, "Alarms")
    BatchJobs(
        stack,
        "A",
        compute_environments={"main": ComputeEnvironmentOptions()},
        job_definitions={"job": _job()},
        alarm_topic=topic,
    )
    BatchJobs(
        stack,
        "B",
        compute_environments={"main": ComputeEnvironmentOptions()},
        job_definitions={"job": _job()},
        alarm_topic=topic,
    )
    rules = Template.from_stack(stack).find_resources("AWS::Events::Rule")
    assert len(rules) == 2


def test_grant_submit_job_is_scoped_to_queue_and_definition() -> None:
    stack = new_stack()
    jobs = _jobs(stack)
    role = iam.Role(stack, "Submitter", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    jobs.grant_submit_job(role, "job")
    policies = Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    policy = _one(policies, "SubmitterDefaultPolicy")
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "batch:SubmitJob"
    assert len(statement["Resource"]) == 2


def test_metric_jobs_failed_counts_the_failed_job_rule() -> None:
    stack = new_stack()
    jobs = _jobs(stack)
    metric = jobs.metric_jobs_failed()
    assert (metric.namespace, metric.metric_name, metric.statistic) == (
        "AWS/Events",
        "TriggeredRules",
        "Sum",
    )
    assert metric.period.to_minutes() == 5
    assert metric.dimensions == {"RuleName": jobs.failed_job_rule.rule_name}
    assert jobs.metric("FailedInvocations", statistic="Maximum").statistic == "Maximum"
    alarm = jobs.alarms["JobsFailed"].node.default_child
    assert stack.resolve(alarm.metric_name) == "TriggeredRules"  # type: ignore[union-attr]


def test_removal_policy_destroy_for_dev_stacks() -> None:
    stack = new_stack()
    _jobs(stack, removal_policy=RemovalPolicy.DESTROY)
    t = Template.from_stack(stack)
    for type_name in ("AWS::Logs::LogGroup", "AWS::SQS::Queue", "AWS::KMS::Key"):
        resources = t.find_resources(type_name)
        assert resources, type_name
        assert {r["DeletionPolicy"] for r in resources.values()} == {"Delete"}, type_name


# -- validation -----------------------------------------------------------------------------

CRON = scheduler.ScheduleExpression.rate(Duration.hours(1))

BAD = [
    ({"compute_environments": {}}, r"compute_environments must name at least one"),
    (
        {"compute_environments": {f"c{i}": ComputeEnvironmentOptions() for i in range(4)}},
        r"compute_environments can hold at most 3 \(a job queue's limit\), got 4",
    ),
    ({"job_definitions": {}}, r"job_definitions must name at least one job definition"),
    (
        {"compute_environments": {"1x": ComputeEnvironmentOptions()}},
        r"compute_environments name must be 1-40 letters.*got '1x'",
    ),
    (
        {"job_definitions": {"a-b": _job(), "a_b": _job()}},
        r"job_definitions names 'a-b' and 'a_b' map to the same id AB",
    ),
    (
        {"compute_environments": {"c": {"spot": True}}},
        r'compute_environments\["c"\] must be a ComputeEnvironmentOptions, got dict',
    ),
    (
        {"job_definitions": {"j": {"vcpus": 1}}},
        r'job_definitions\["j"\] must be a JobDefinitionOptions, got dict',
    ),
    (
        {
            "compute_environments": {
                "f": ComputeEnvironmentOptions(),
                "e": ComputeEnvironmentOptions(fargate=False),
            }
        },
        r"compute_environments cannot mix Fargate and EC2",
    ),
    (
        {"compute_environments": {"c": ComputeEnvironmentOptions(max_vcpus=0)}},
        r'compute_environments\["c"\]\.max_vcpus must be at least 1, got 0',
    ),
    (
        {"compute_environments": {"c": ComputeEnvironmentOptions(min_vcpus=2)}},
        r'compute_environments\["c"\]\.min_vcpus applies only to EC2 compute environments',
    ),
    (
        {"compute_environments": {"c": ComputeEnvironmentOptions(graviton=True)}},
        r'compute_environments\["c"\]\.graviton applies only to EC2',
    ),
    (
        {"compute_environments": {"c": ComputeEnvironmentOptions(instance_types=["m7g"])}},
        r'compute_environments\["c"\]\.instance_types applies only to EC2',
    ),
    (
        {
            "compute_environments": {
                "c": ComputeEnvironmentOptions(
                    allocation_strategy=batch.AllocationStrategy.BEST_FIT
                )
            }
        },
        r'compute_environments\["c"\]\.allocation_strategy applies only to EC2',
    ),
    (
        {"compute_environments": {"c": ComputeEnvironmentOptions(spot_bid_percentage=50)}},
        r'compute_environments\["c"\]\.spot_bid_percentage applies only to EC2',
    ),
    (
        {
            "compute_environments": {
                "c": ComputeEnvironmentOptions(fargate=False, min_vcpus=10, max_vcpus=4)
            },
            "job_definitions": {"j": _job()},
        },
        r'compute_environments\["c"\]\.min_vcpus must be between 0 and 4, got 10',
    ),
    (
        {
            "compute_environments": {
                "c": ComputeEnvironmentOptions(fargate=False, instance_types=["x"])
            }
        },
        r"instance_types must hold instance types \('m7g.large'\) or families \('c7g'\), got 'x'",
    ),
    (
        {
            "compute_environments": {
                "c": ComputeEnvironmentOptions(fargate=False, graviton=True, instance_types=["c7g"])
            }
        },
        r'compute_environments\["c"\]\.graviton cannot be combined with instance_types',
    ),
    (
        {
            "compute_environments": {
                "c": ComputeEnvironmentOptions(fargate=False, spot_bid_percentage=50)
            }
        },
        r'compute_environments\["c"\]\.spot_bid_percentage applies only with spot=True',
    ),
    (
        {
            "compute_environments": {
                "c": ComputeEnvironmentOptions(fargate=False, spot=True, spot_bid_percentage=150)
            }
        },
        r'compute_environments\["c"\]\.spot_bid_percentage must be between 1 and 100, got 150',
    ),
    (
        {
            "compute_environments": {
                "c": ComputeEnvironmentOptions(
                    fargate=False,
                    allocation_strategy=batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
                )
            }
        },
        r"allocation_strategy SPOT_CAPACITY_OPTIMIZED applies only with spot=True",
    ),
    (
        {"job_definitions": {"j": _job(vcpus=3)}},
        r'job_definitions\["j"\]\.vcpus must be one of 0.25, 0.5, 1, 2, 4, 8, 16 on Fargate, '
        r"got 3",
    ),
    (
        {"job_definitions": {"j": _job(vcpus=0.25, memory_mib=4_096)}},
        r'job_definitions\["j"\]\.memory_mib must be 512, 1,024, 2,048 MiB with 0.25 vCPU on '
        r"Fargate, got 4096 MiB",
    ),
    (
        {"job_definitions": {"j": _job(vcpus=8, memory_mib=18_432)}},
        r"memory_mib must be 16,384-61,440 MiB in 4,096 MiB steps with 8 vCPU on Fargate, "
        r"got 18432 MiB",
    ),
    (
        {
            "compute_environments": {"c": ComputeEnvironmentOptions(fargate=False)},
            "job_definitions": {"j": _job(vcpus=0.5, memory_mib=2)},
        },
        r'job_definitions\["j"\]\.vcpus must be a whole number, got 0.5',
    ),
    (
        {
            "compute_environments": {"c": ComputeEnvironmentOptions(fargate=False)},
            "job_definitions": {"j": _job(memory_mib=2)},
        },
        r'job_definitions\["j"\]\.memory_mib must be at least 4 MiB, got 2 MiB',
    ),
    (
        {
            "compute_environments": {"c": ComputeEnvironmentOptions(fargate=False)},
            "job_definitions": {"j": _job(arm64=True)},
        },
        r'job_definitions\["j"\]\.arm64 applies only to Fargate jobs',
    ),
    (
        {
            "compute_environments": {"c": ComputeEnvironmentOptions(fargate=False)},
            "job_definitions": {"j": _job(ephemeral_storage_gib=50)},
        },
        r'job_definitions\["j"\]\.ephemeral_storage_gib applies only to Fargate jobs',
    ),
    (
        {"job_definitions": {"j": _job(retry_attempts=11)}},
        r'job_definitions\["j"\]\.retry_attempts must be between 1 and 10, got 11',
    ),
    (
        {"job_definitions": {"j": _job(retry_exit_codes=["1", "2", "3", "4"])}},
        r"retry_exit_codes can hold at most 3 patterns .* got 4",
    ),
    (
        {"job_definitions": {"j": _job(retry_exit_codes=["*1"])}},
        r"retry_exit_codes must hold exit codes or globs .* got '\*1'",
    ),
    (
        {"job_definitions": {"j": _job(timeout=Duration.seconds(30))}},
        r'job_definitions\["j"\]\.timeout must be at least 1 min, got 30 s',
    ),
    (
        {"job_definitions": {"j": _job(ephemeral_storage_gib=10)}},
        r"ephemeral_storage_gib must be between 21 GiB and 200 GiB, got 10 GiB",
    ),
    ({"priority": 1_001}, r"priority must be between 0 and 1,000, got 1,001"),
    (
        {"runnable_timeout": Duration.minutes(5)},
        r"runnable_timeout must be between 10 min and 1 day, got 5 min",
    ),
    ({"scheduled_job": "job"}, r"scheduled_job needs a schedule"),
    (
        {"schedule": CRON, "scheduled_job": "other"},
        r"scheduled_job must name one of the job_definitions \(job\), got 'other'",
    ),
    (
        {"schedule": CRON, "schedule_retry_attempts": 186},
        r"schedule_retry_attempts must be between 0 and 185, got 186",
    ),
    (
        {"schedule": CRON, "schedule_max_event_age": Duration.hours(25)},
        r"schedule_max_event_age must be between 1 min and 1 day, got 25 h",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_invalid_props(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _jobs(new_stack(), **kwargs)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PatternValidationError) as caught:
        _jobs(
            new_stack(),
            job_definitions={"j": _job(vcpus=3, retry_attempts=0)},
            priority=-1,
            scheduled_job="j",
        )
    assert len(caught.value.problems) == 4
    assert caught.value.construct_path == "Test/Jobs"


def test_tokens_are_not_validated() -> None:
    stack = new_stack()
    size = cdk.CfnParameter(stack, "Vcpus", type="Number").value_as_number
    _jobs(
        stack,
        compute_environments={"c": ComputeEnvironmentOptions(max_vcpus=size)},  # type: ignore[arg-type]
        priority=cdk.Token.as_number(cdk.Fn.ref("AWS::NoValue")),
    )


# -- input audit: strings split into characters, reserved names, wrong types -----------------


def _ec2(**overrides: Any) -> dict[str, ComputeEnvironmentOptions]:
    return {"main": ComputeEnvironmentOptions(fargate=False, **overrides)}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"job_definitions": {"job": _job(command="python -m reports")}},
            r'job_definitions\["job"\].command must be a list or tuple of str, got str',
        ),
        (
            {"job_definitions": {"job": _job(retry_exit_codes="75")}},
            r'job_definitions\["job"\].retry_exit_codes must be a list or tuple of str, got str',
        ),
        (
            {"job_definitions": {"job": _job(environment={"AWS_BATCH_JOB_X": "1"})}},
            "names starting with AWS_BATCH are reserved by Batch, got AWS_BATCH_JOB_X",
        ),
        (
            {"job_definitions": {"job": _job(environment={"LEVEL": 1})}},
            r"environment must map strings to strings, got 'LEVEL': 1",
        ),
        (
            {"job_definitions": {"job": _job(secrets={"TOKEN": "arn:aws:secretsmanager:x"})}},
            r'job_definitions\["job"\].secrets must map names to batch.Secret values',
        ),
        (
            {"job_definitions": {"job": JobDefinitionOptions(image="busybox")}},
            r'job_definitions\["job"\].image must be an ecs.ContainerImage, got str',
        ),
        (
            {"job_definitions": {"job": _job(job_role="arn:aws:iam::role/x")}},
            r'job_definitions\["job"\].job_role must be an iam.IRole, got str',
        ),
        (
            {"job_definitions": {"job": _job(arm64="no")}},
            r'job_definitions\["job"\].arm64 must be True or False',
        ),
        (
            {"job_definitions": {"job": _job(readonly_root_filesystem="no")}},
            "readonly_root_filesystem must be True or False",
        ),
        (
            {"job_definitions": {"job": _job(log_retention=30)}},
            r'job_definitions\["job"\].log_retention must be a logs.RetentionDays, got int 30',
        ),
        (
            {"job_definitions": {"job": _job(timeout=Duration.millis(60_500))}},
            r'job_definitions\["job"\].timeout must be a whole number of seconds, got 60.5 s',
        ),
        (
            {"compute_environments": _ec2(instance_types="m7g.large")},
            r'compute_environments\["main"\].instance_types must be a list or tuple of str',
        ),
        (
            {"compute_environments": _ec2(allocation_strategy="BEST_FIT")},
            "allocation_strategy must be a batch.AllocationStrategy, got str",
        ),
        (
            {"compute_environments": {"main": ComputeEnvironmentOptions(fargate="no")}},
            r'compute_environments\["main"\].fargate must be True or False, got \'no\'',
        ),
        (
            {"compute_environments": {"main": ComputeEnvironmentOptions(spot="no")}},
            r'compute_environments\["main"\].spot must be True or False',
        ),
        (
            {"compute_environments": _ec2(graviton=1)},
            r'compute_environments\["main"\].graviton must be True or False, got 1',
        ),
        (
            {"compute_environments": [ComputeEnvironmentOptions()]},
            "compute_environments must be a mapping of name to options",
        ),
        (
            {"runnable_timeout": Duration.millis(600_500)},
            "runnable_timeout must be a whole number of seconds",
        ),
        (
            {
                "schedule": scheduler.ScheduleExpression.rate(Duration.hours(1)),
                "schedule_max_event_age": Duration.millis(60_500),
            },
            "schedule_max_event_age must be a whole number of seconds",
        ),
        ({"schedule": "rate(1 hour)"}, "schedule must be a scheduler.ScheduleExpression"),
        ({"vpc": "vpc-1"}, "vpc must be an ec2.IVpc, got str"),
        ({"vpc_subnets": "private"}, "vpc_subnets must be an ec2.SubnetSelection, got str"),
        ({"encryption_key": "arn:aws:kms:key"}, "encryption_key must be a kms.IKey, got str"),
        ({"removal_policy": "destroy"}, "removal_policy must be a RemovalPolicy"),
        ({"alarm_topic": "arn:aws:sns:x"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_batch_rejects_split_strings_reserved_names_and_wrong_types(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _jobs(new_stack(), **kwargs)


def test_both_wrong_mappings_are_reported_together() -> None:
    with pytest.raises(PatternValidationError) as excinfo:
        BatchJobs(new_stack(), "Jobs", compute_environments=[], job_definitions=[])  # type: ignore[arg-type]
    assert len(excinfo.value.problems) == 2, excinfo.value.problems
