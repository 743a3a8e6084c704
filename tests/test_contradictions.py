"""Props whose values are each valid but contradict each other (issue 14).

One ``pytest.raises(PatternValidationError, match=...)`` per error and one assertion per
warning (a ``scalable-patterns:<id>`` synth warning on the pattern), plus the check that no
pattern's minimal configuration (``tests/user_apps/cases.py``) gets any of these warnings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import IConstruct

import patterns
from patterns import PatternValidationError
from tests.conftest import new_stack
from tests.user_apps.cases import CODE, FLINK_JOB, MINIMAL

#: The warning ids this module's rules write (after ``scalable-patterns:``).
NEW_WARNINGS = (
    "batch:memory-unit",
    "web-tier:unit",
    "event-function:no-dlq",
    "edge:origin-latency",
    "stream-ingest:growth-factor",
)


def warnings(construct: IConstruct, warning: str) -> list[str]:
    """The messages of the synth warning ``scalable-patterns:<warning>`` on ``construct``."""
    suffix = f" [ack: scalable-patterns:{warning}]"
    return [
        str(entry.data).removesuffix(suffix)
        for entry in construct.node.metadata
        if entry.type == "aws:cdk:warning" and str(entry.data).endswith(suffix)
    ]


def stack_warnings(stack: cdk.Stack) -> dict[str, list[str]]:
    """Every ``scalable-patterns:`` warning in ``stack`` by construct path."""
    found: dict[str, list[str]] = {}
    for construct in stack.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == "aws:cdk:warning" and "[ack: scalable-patterns:" in str(entry.data):
                found.setdefault(construct.node.path, []).append(str(entry.data))
    return found


# -- 1. BatchJobs: a job bigger than every compute environment -------------------------------
IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/python:3.13")


def _batch(
    environments: dict[str, patterns.ComputeEnvironmentOptions], **job: Any
) -> patterns.BatchJobs:
    return patterns.BatchJobs(
        new_stack(),
        "Jobs",
        compute_environments=environments,
        job_definitions={"nightly": patterns.JobDefinitionOptions(image=IMAGE, **job)},
    )


def test_fargate_job_above_every_environments_max_vcpus_is_an_error() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r'job_definitions\["nightly"\]\.vcpus needs 16 vCPUs, more than any compute '
        r"environment of the queue can provide \(the largest, 'on-demand', max_vcpus 8\)",
    ):
        _batch(
            {
                "spot": patterns.ComputeEnvironmentOptions(spot=True, max_vcpus=4),
                "on-demand": patterns.ComputeEnvironmentOptions(max_vcpus=8),
            },
            vcpus=16,
            memory_mib=32_768,
        )


def test_a_job_that_fits_one_environment_is_accepted() -> None:
    jobs = _batch(
        {
            "spot": patterns.ComputeEnvironmentOptions(spot=True, max_vcpus=4),
            "on-demand": patterns.ComputeEnvironmentOptions(max_vcpus=16),
        },
        vcpus=16,
        memory_mib=32_768,
    )
    assert set(jobs.job_definitions) == {"nightly"}


def test_ec2_job_larger_than_the_largest_instance_type_is_an_error() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"vcpus needs 8 vCPUs, .* \(the largest, \'typed\', 4 vCPUs per instance of "
        r"m7g\.large, m7g\.xlarge\)",
    ):
        _batch(
            {
                "typed": patterns.ComputeEnvironmentOptions(
                    fargate=False, instance_types=["m7g.large", "m7g.xlarge"], max_vcpus=64
                )
            },
            vcpus=8,
            memory_mib=8_192,
        )


def test_ec2_instance_families_are_not_sized() -> None:
    # "c7g" is a family: Batch may pick c7g.16xlarge, so only max_vcpus bounds the job.
    jobs = _batch(
        {
            "family": patterns.ComputeEnvironmentOptions(
                fargate=False, instance_types=["m7g.large", "c7g"], max_vcpus=64
            )
        },
        vcpus=32,
        memory_mib=8_192,
    )
    assert jobs.fargate is False


def test_arm64_job_on_fargate_spot_only_is_an_error() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r'job_definitions\["nightly"\]\.arm64 needs Fargate On-Demand capacity: Fargate '
        r"Spot runs no ARM64 tasks",
    ):
        _batch({"spot": patterns.ComputeEnvironmentOptions(spot=True)}, arm64=True)


def test_ec2_memory_in_gib_is_a_warning() -> None:
    jobs = _batch({"ec2": patterns.ComputeEnvironmentOptions(fargate=False)}, vcpus=2, memory_mib=8)
    assert warnings(jobs, "batch:memory-unit") == [
        'job_definitions["nightly"].memory_mib is 8 MiB, too little for a container; '
        "memory_mib counts MiB - for 8 GiB give 8,192."
    ]


# -- 2. ScalableWebTier: scheduled actions against the group's capacity ----------------------
def _web(**kwargs: Any) -> patterns.ScalableWebTier:
    kwargs.setdefault("capacity", patterns.Capacity(min_capacity=2, max_capacity=6))
    return patterns.ScalableWebTier(new_stack(), "Web", allow_plain_http=True, **kwargs)


def _action(name: str, **sizes: int) -> patterns.ScheduledAction:
    return patterns.ScheduledAction(name=name, schedule="0 8 * * MON-FRI", **sizes)


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        (
            {"min_capacity": 8},
            r"min_capacity must be at most the group's max_capacity \(6\), got 8; set "
            r"max_capacity in the action too",
        ),
        (
            {"max_capacity": 1},
            r"max_capacity must be at least the group's min_capacity \(2\), got 1; set "
            r"min_capacity in the action too",
        ),
        (
            {"desired_capacity": 9},
            r"desired_capacity must be at most the group's max_capacity \(6\), got 9",
        ),
        (
            {"desired_capacity": 1},
            r"desired_capacity must be at least the group's min_capacity \(2\), got 1",
        ),
    ],
    ids=["min-above-max", "max-below-min", "desired-above-max", "desired-below-min"],
)
def test_scheduled_sizes_outside_the_groups_capacity_are_errors(
    sizes: dict[str, int], message: str
) -> None:
    with pytest.raises(PatternValidationError, match=r"scheduled_actions\[0\]\." + message):
        _web(scheduled_actions=[_action("Change", **sizes)])


def test_scheduled_desired_outside_the_actions_own_bounds_is_an_error() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"scheduled_actions\[0\]\.desired_capacity must be at most max_capacity \(4\), "
        r"got 5",
    ):
        _web(scheduled_actions=[_action("Own", min_capacity=2, max_capacity=4, desired_capacity=5)])


def test_scheduled_min_above_every_reachable_max_names_the_other_actions() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"min_capacity must be at most the largest max_capacity the group can have "
        r"\(10: capacity 6, a scheduled action 10\), got 12",
    ):
        _web(
            scheduled_actions=[
                _action("Day", min_capacity=4, max_capacity=10),
                _action("Peak", min_capacity=12),
            ]
        )


def test_a_min_another_action_makes_reachable_is_accepted() -> None:
    # Peak raises min to 8, which only works after Day raised max to 10: not a contradiction.
    web = _web(
        scheduled_actions=[
            _action("Day", min_capacity=4, max_capacity=10),
            _action("Peak", min_capacity=8),
        ]
    )
    assert set(web.scheduled_actions) == {"Day", "Peak"}


# -- 3. Workflow: the workflow timeout against its tasks' timeouts ---------------------------
def test_a_minimal_workflow_with_a_default_activity_is_consistent() -> None:
    stack = new_stack()
    approval = patterns.WorkflowActivity(stack, "Approval")
    flow = patterns.Workflow(
        stack, "Flow", definition=sfn.Pass(stack, "Start").next(approval.invoke("Await"))
    )
    # 1 h plus the activity's 1-day task timeout.
    assert flow.timeout.to_seconds() == 25 * 3_600
    template = cdk.assertions.Template.from_stack(stack)
    machine = next(iter(template.find_resources("AWS::StepFunctions::StateMachine").values()))
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    definition = json.loads("".join(p if isinstance(p, str) else "ref" for p in parts))
    assert definition["TimeoutSeconds"] == 25 * 3_600
    assert definition["States"]["Await"]["TimeoutSeconds"] == 86_400


def test_a_workflow_without_task_timeouts_keeps_the_one_hour_default() -> None:
    stack = new_stack()
    flow = patterns.Workflow(stack, "Flow", definition=sfn.Pass(stack, "Start"))
    assert flow.timeout.to_seconds() == 3_600


def test_workflow_timeout_shorter_than_an_activity_is_an_error() -> None:
    stack = new_stack()
    approval = patterns.WorkflowActivity(stack, "Approval")
    with pytest.raises(
        PatternValidationError,
        match=r"timeout must be at least the longest task timeout in the definition, 1 day, "
        r"or the workflow times out before its tasks can; got 1 h with Await \(1 day\)",
    ):
        patterns.Workflow(
            stack,
            "Flow",
            definition=sfn.Pass(stack, "Start").next(approval.invoke("Await")),
            timeout=Duration.hours(1),
        )


def test_workflow_timeout_shorter_than_a_task_in_a_parallel_branch_is_an_error() -> None:
    stack = new_stack()
    fn = lambda_.Function(
        stack,
        "Fn",
        code=CODE,
        handler="index.handler",
        runtime=lambda_.Runtime.PYTHON_3_13,
    )
    invoke = tasks.LambdaInvoke(
        stack, "Slow", lambda_function=fn, task_timeout=sfn.Timeout.duration(Duration.hours(3))
    )
    with pytest.raises(PatternValidationError, match=r"got 2 h with Slow \(3 h\)"):
        patterns.Workflow(
            stack,
            "Flow",
            definition=sfn.Parallel(stack, "Both").branch(invoke),
            timeout=Duration.hours(2),
        )


def test_express_task_longer_than_five_minutes_is_an_error() -> None:
    stack = new_stack()
    wait = sfn.CustomState(
        stack,
        "Call",
        state_json={
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:listBuckets",
            "TimeoutSeconds": 600,
        },
    )
    with pytest.raises(
        PatternValidationError, match=r"got 5 min \(the default\) with Call \(10 min\)"
    ):
        patterns.Workflow(
            stack, "Flow", definition=wait, workflow_type=sfn.StateMachineType.EXPRESS
        )


def test_activity_alarm_on_waiting_as_long_as_the_task_timeout_is_an_error() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"schedule_time_alarm_threshold must be shorter than task_timeout \(1 h\): a task "
        r"waiting that long times out before a worker starts it",
    ):
        patterns.WorkflowActivity(
            new_stack(),
            "Approval",
            task_timeout=Duration.hours(1),
            schedule_time_alarm_threshold=Duration.hours(1),
        )


# -- 4. EventDrivenFunction: an SQS source without a DLQ -------------------------------------
def _function(stack: cdk.Stack, queue: sqs.IQueue, **kwargs: Any) -> patterns.EventDrivenFunction:
    return patterns.EventDrivenFunction(
        stack, "Handler", code=CODE, handler="index.handler", queue=queue, **kwargs
    )


def _queue(stack: cdk.Stack, **kwargs: Any) -> sqs.Queue:
    return sqs.Queue(stack, "Queue", visibility_timeout=Duration.minutes(6), **kwargs)


def test_queue_without_dead_letter_queue_is_a_warning_with_the_fix() -> None:
    stack = new_stack()
    fn = _function(stack, _queue(stack))
    [message] = warnings(fn, "event-function:no-dlq")
    assert message.startswith("the source queue Test/Queue has no dead-letter queue")
    assert "dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=5)" in message


def test_queue_with_dead_letter_queue_gets_no_warning() -> None:
    stack = new_stack()
    dlq = sqs.Queue(stack, "Dlq")
    queue = _queue(stack, dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=5))
    assert warnings(_function(stack, queue), "event-function:no-dlq") == []


def test_imported_queue_is_not_warned_about() -> None:
    stack = new_stack()
    queue = sqs.Queue.from_queue_arn(stack, "Imported", "arn:aws:sqs:eu-west-1:111111111111:jobs")
    assert warnings(_function(stack, queue), "event-function:no-dlq") == []


def test_fan_out_queue_gets_no_warning() -> None:
    stack = new_stack()
    fan_out = patterns.TopicFanOut(
        stack,
        "Orders",
        queues={"billing": patterns.QueueOptions(visibility_timeout=Duration.minutes(6))},
    )
    fn = _function(stack, fan_out.queues["billing"])
    assert warnings(fn, "event-function:no-dlq") == []


def test_queue_age_alarm_at_the_queues_retention_is_an_error() -> None:
    stack = new_stack()
    queue = _queue(stack, retention_period=Duration.hours(1))
    with pytest.raises(
        PatternValidationError,
        match=r"queue_age_alarm_threshold must be below the queue's retention period \(1 h\): "
        r"SQS deletes older messages, so the alarm would never fire, got 2 h",
    ):
        _function(stack, queue, queue_age_alarm_threshold=Duration.hours(2))


# -- 5. Unit slips ------------------------------------------------------------------------------
def test_cpu_target_as_a_fraction_is_a_warning() -> None:
    web = _web(target_tracking=[patterns.TargetTracking.cpu(0.5)])
    assert warnings(web, "web-tier:unit") == [
        "target_tracking[0] keeps CPU at 0.5 %, an idle group; the target is a percentage - "
        "for 50% give TargetTracking.cpu(50)."
    ]


def test_cpu_target_in_percent_gets_no_warning() -> None:
    assert warnings(_web(target_tracking=[patterns.TargetTracking.cpu(50)]), "web-tier:unit") == []


def test_root_volume_in_mib_is_a_warning() -> None:
    web = _web(root_volume_size=8_192)
    assert warnings(web, "web-tier:unit") == [
        "root_volume_size is 8,192 GiB (8 TiB per instance); it counts GiB - for 8 GiB give 8."
    ]


def test_growth_factor_as_a_percentage_is_a_warning() -> None:
    pipeline = patterns.StreamToS3Pipeline(
        new_stack(), "Clicks", records_per_second=100, average_record_kib=1, growth_factor=20
    )
    assert warnings(pipeline, "stream-ingest:growth-factor") == [
        "growth_factor 20 plans shards for 20x the load; it is a multiplier - for +20 % give 1.2."
    ]


def test_growth_factor_as_a_multiplier_gets_no_warning() -> None:
    pipeline = patterns.StreamToS3Pipeline(
        new_stack(), "Clicks", records_per_second=100, average_record_kib=1, growth_factor=1.5
    )
    assert warnings(pipeline, "stream-ingest:growth-factor") == []


# -- 6. Other props valid alone but not together ----------------------------------------------
def test_fan_out_delivery_delay_as_long_as_the_retention_is_an_error() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r'queues\["billing"\]\.delivery_delay must be shorter than retention_period '
        r"\(5 min\), or every message expires before it becomes visible, got 10 min",
    ):
        patterns.TopicFanOut(
            new_stack(),
            "Orders",
            queues={
                "billing": patterns.QueueOptions(
                    retention_period=Duration.minutes(5),
                    delivery_delay=Duration.minutes(10),
                    age_alarm_threshold=Duration.minutes(2),
                )
            },
        )


def _analytics(stack: cdk.Stack, source: object, **kwargs: Any) -> patterns.StreamAnalytics:
    return patterns.StreamAnalytics(
        stack,
        "PageCounts",
        source=source,  # type: ignore[arg-type]
        code_asset_path=str(FLINK_JOB),
        python_entry="main.py",
        **kwargs,
    )


def test_analytics_max_lag_at_the_source_retention_is_an_error() -> None:
    stack = new_stack()
    pipeline = patterns.StreamToS3Pipeline(stack, "Clicks", on_demand=True)
    with pytest.raises(
        PatternValidationError,
        match=r"max_lag must be shorter than the source stream's retention \(1 day\): records "
        r"older than that are gone, so the lag alarm would never fire, got 2 days",
    ):
        _analytics(stack, pipeline, max_lag=Duration.days(2))


def test_analytics_max_lag_within_a_longer_stream_retention_is_accepted() -> None:
    stack = new_stack()
    stream = kinesis.Stream(stack, "Events", retention_period=Duration.days(3))
    app = _analytics(stack, stream, max_lag=Duration.days(2))
    assert app.source_stream is stream


def test_origin_latency_alarm_beyond_the_read_timeout_is_a_warning() -> None:
    stack = new_stack()
    edge = patterns.EdgeDistribution(
        stack,
        "Site",
        allow_default_certificate=True,
        allow_all_countries=True,
        allow_without_web_acl=True,
        http_origin=patterns.HttpOriginOptions(
            domain_name="api.example.com", read_timeout=Duration.seconds(10)
        ),
        dynamic_behaviors=[patterns.DynamicBehavior(path_pattern="/api/*")],
        publish_additional_metrics=True,
        origin_latency_alarm=Duration.seconds(30),
    )
    [message] = warnings(edge, "edge:origin-latency")
    assert message.startswith(
        "origin_latency_alarm (30 s) is at least http_origin.read_timeout (10 s)"
    )


# -- the minimal configurations stay free of these warnings ------------------------------------
@pytest.mark.parametrize("name", sorted(MINIMAL))
def test_minimal_configuration_gets_no_contradiction_warning(name: str) -> None:
    build: Callable[..., object] = MINIMAL[name]
    stack = new_stack(f"{name}Minimal")
    build(stack)
    new = {
        path: [m for m in messages if any(f"scalable-patterns:{w}]" in m for w in NEW_WARNINGS)]
        for path, messages in stack_warnings(stack).items()
    }
    assert {path: found for path, found in new.items() if found} == {}
