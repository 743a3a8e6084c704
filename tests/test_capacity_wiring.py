"""The messaging and streaming planners wired into the constructs with a stated load:
TopicFanOut (FIFO throughput), ... - PatternValidationError naming the limit and the way
out, warnings for the notes, the review-table lines."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Annotations, Match

from patterns import (
    BatchJobs,
    ComputeEnvironmentOptions,
    JobDefinitionOptions,
    PatternValidationError,
    QueueOptions,
    StreamAnalytics,
    StreamToS3Pipeline,
    TopicFanOut,
    Workflow,
)
from patterns.core.metadata import CAPACITY_METADATA
from patterns.workflow import WorkflowLoad
from tests.conftest import new_stack


def _capacity_lines(construct: object) -> list[str]:
    node = construct.node  # type: ignore[attr-defined]
    return [str(m.data) for m in node.metadata if m.type == CAPACITY_METADATA]


# -- TopicFanOut -------------------------------------------------------------------------------


def test_a_fifo_load_over_the_queues_300_calls_is_an_error_naming_the_way_out() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"expected_messages_per_second 500 exceeds the SQS FIFO queue's API calls/s per "
        r"action \(500 of 300\): batch 10 messages per call .* or enable high_throughput_fifo",
    ):
        TopicFanOut(
            new_stack(), "F", queues={"a": QueueOptions()}, fifo=True,
            expected_messages_per_second=500,
        )  # fmt: skip


def test_a_fifo_topic_over_20_mb_per_second_is_an_error() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"exceeds the SNS FIFO topic's published MB/s .*: enable high_throughput_fifo",
    ):
        TopicFanOut(
            new_stack(), "F", queues={"a": QueueOptions()}, fifo=True, high_throughput_fifo=False,
            expected_messages_per_second=250, expected_message_kib=100,
        )  # fmt: skip


def test_high_throughput_fifo_carries_the_load_and_reports_it() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(
        stack, "F", queues={"a": QueueOptions()}, fifo=True, high_throughput_fifo=True,
        expected_messages_per_second=5_000,
    )  # fmt: skip
    lines = _capacity_lines(fan_out)
    assert any(line.startswith("SNS FIFO topic: 5,000 published messages/s") for line in lines)
    assert any(line.startswith("SQS FIFO queue: 5,000 API calls/s per action") for line in lines)


def test_a_standard_topic_over_the_publish_quota_is_a_warning() -> None:
    stack = new_stack()
    TopicFanOut(stack, "F", queues={"a": QueueOptions()}, expected_messages_per_second=40_000)
    Annotations.from_stack(stack).has_warning(
        "/Test/F",
        Match.string_like_regexp(r"expected_messages_per_second 40,000 exceeds the SNS topic's "
                                 r"published messages/s .*request an SNS Publish quota increase"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expected_messages_per_second": 0}, r"expected_messages_per_second must be greater "
         r"than 0 messages/s, got 0 messages/s"),
        ({"expected_messages_per_second": float("nan")}, r"expected_messages_per_second must "
         r"be a number, got nan"),
        ({"expected_messages_per_second": 10, "expected_message_kib": 512},
         r"expected_message_kib must be at most 256 KiB"),
    ],
)  # fmt: skip
def test_bad_fan_out_loads_are_errors_naming_the_prop(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(PatternValidationError, match=message):
        TopicFanOut(new_stack(), "F", queues={"a": QueueOptions()}, **kwargs)  # type: ignore[arg-type]


def test_without_a_load_nothing_is_planned() -> None:
    fan_out = TopicFanOut(new_stack(), "F", queues={"a": QueueOptions()}, fifo=True)
    assert _capacity_lines(fan_out) == [
        "1 FIFO queue, 300 API calls/s per queue (3,000 msg/s batched)"
    ]


# -- Workflow ------------------------------------------------------------------------------------


def _workflow(stack: object, **kwargs: object) -> Workflow:
    return Workflow(stack, "W", definition=sfn.Pass(stack, "Step"), **kwargs)  # type: ignore[arg-type]


def _load(rate: float, states: int, duration: Duration) -> WorkflowLoad:
    return WorkflowLoad(executions_per_second=rate, states_per_execution=states, duration=duration)


def test_an_express_workflow_longer_than_5_minutes_is_an_error() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError,
        match=r"expected_load.duration must be at most 300 s for an Express workflow \(its "
        r"execution limit is 5 minutes; use STANDARD\)",
    ):
        _workflow(
            stack, workflow_type=sfn.StateMachineType.EXPRESS,
            expected_load=_load(10, 5, Duration.minutes(10)),
        )  # fmt: skip


def test_a_duration_over_the_timeout_and_bad_loads_are_errors() -> None:
    with pytest.raises(
        PatternValidationError, match=r"expected_load.duration must be at most timeout"
    ):
        _workflow(
            new_stack(), timeout=Duration.minutes(1),
            expected_load=_load(1, 5, Duration.minutes(2)),
        )  # fmt: skip
    with pytest.raises(PatternValidationError, match=r"expected_load must be a WorkflowLoad"):
        _workflow(new_stack(), expected_load=(1, 5, 2))
    with pytest.raises(
        PatternValidationError, match=r"expected_load.executions_per_second must be greater"
    ):
        _workflow(new_stack(), expected_load=_load(-1, 5, Duration.seconds(1)))


def test_a_busy_short_standard_workflow_is_advised_to_go_express() -> None:
    stack = new_stack()
    workflow = _workflow(stack, expected_load=_load(10, 5, Duration.seconds(2)))
    Annotations.from_stack(stack).has_warning(
        "/Test/W",
        Match.string_like_regexp(r"Standard \$3,285.00/month vs Express \$81.04/month: EXPRESS"),
    )
    Annotations.from_stack(stack).has_warning(
        "/Test/W", Match.string_like_regexp(r"calls for a EXPRESS workflow, not STANDARD")
    )
    assert any(line.startswith("Step Functions standard workflow: 10 executions/s")
               for line in _capacity_lines(workflow))  # fmt: skip


def test_a_standard_load_over_the_state_transition_quota_is_a_warning() -> None:
    stack = new_stack()
    _workflow(stack, expected_load=_load(400, 20, Duration.hours(1)))
    Annotations.from_stack(stack).has_warning(
        "/Test/W",
        Match.string_like_regexp(
            r"expected_load.executions_per_second 400 exceeds the Step Functions standard "
            r"workflow's state transitions/s \(8,000 of 5,000\): request a state transition"
        ),
    )


# -- StreamToS3Pipeline ----------------------------------------------------------------------


def test_a_pipeline_with_a_load_reports_both_modes_and_the_objects_per_hour() -> None:
    pipeline = StreamToS3Pipeline(
        new_stack(), "P", records_per_second=2_560, average_record_kib=1,
        buffering_size_mib=64, buffering_interval=Duration.seconds(300),
    )  # fmt: skip
    assert pipeline.mode_plan is not None and pipeline.delivery_plan is not None
    assert pipeline.mode_plan.recommended == "provisioned"
    # 2.5 MiB/s fills the 64 MiB buffer in 25.6 s: 140.6 objects/hour
    assert pipeline.delivery_plan.seconds_between_deliveries == pytest.approx(25.6)
    lines = _capacity_lines(pipeline)
    assert any(line.startswith("provisioned $") and "vs on-demand $" in line for line in lines)
    assert any(
        line.startswith("Firehose stream to S3: 64 MiB objects every 25.6 s, 140.6 objects/hour")
        for line in lines
    )


def test_small_objects_are_a_warning_and_no_load_plans_nothing() -> None:
    stack = new_stack()
    StreamToS3Pipeline(
        stack, "P", records_per_second=1, average_record_kib=1,
        buffering_interval=Duration.seconds(60),
    )  # fmt: skip
    Annotations.from_stack(stack).has_warning(
        "/Test/P", Match.string_like_regexp(r"delivery: objects under 1 MiB")
    )
    explicit = StreamToS3Pipeline(new_stack(), "P", shard_count=2)
    assert explicit.mode_plan is None and explicit.delivery_plan is None
    unbuffered = StreamToS3Pipeline(
        new_stack(), "P", records_per_second=10, average_record_kib=1,
        buffering_interval=Duration.seconds(0),
    )  # fmt: skip
    assert unbuffered.mode_plan is not None and unbuffered.delivery_plan is None


# -- BatchJobs -------------------------------------------------------------------------------

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/busybox:stable")


def _batch(jobs: int, vcpus: float = 2, max_vcpus: int = 16) -> BatchJobs:
    job = JobDefinitionOptions(image=IMAGE, vcpus=vcpus, memory_mib=4_096, concurrent_jobs=jobs)
    return BatchJobs(
        new_stack(), "Jobs",
        compute_environments={"main": ComputeEnvironmentOptions(max_vcpus=max_vcpus)},
        job_definitions={"small": job},
    )  # fmt: skip


def test_concurrent_jobs_within_max_vcpus_are_reported() -> None:
    jobs = _batch(8)
    assert any(
        line.startswith("job small: Batch compute environment: 16 max vCPUs")
        for line in _capacity_lines(jobs)
    )


def test_concurrent_jobs_over_max_vcpus_are_an_error_naming_the_way_out() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"job_definitions concurrent_jobs need 18 vCPUs at once, over the compute "
        r"environments' maxvCpus \(16\): raise max_vcpus to at least 18",
    ):
        _batch(9)


def test_a_job_larger_than_every_environment_and_a_bad_count_are_errors() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"the largest compute_environments max_vcpus must be at least "
        r"job_definitions\['small'\].vcpus \(4: a job larger than every compute environment's "
        r"maxvCpus stays RUNNABLE\), got 2",
    ):
        _batch(1, vcpus=4, max_vcpus=2)
    with pytest.raises(
        PatternValidationError,
        match=r"job_definitions\['small'\].concurrent_jobs must be at least 1, got 0",
    ):
        _batch(0)


# -- StreamAnalytics -----------------------------------------------------------------------------


def _analytics(stack: object, source: object, **kwargs: object) -> StreamAnalytics:
    bucket = s3.Bucket(stack, "Code")  # type: ignore[arg-type]
    return StreamAnalytics(
        stack, "App", source=source, code_bucket=bucket, code_key="app.jar",  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_kpus_are_planned_from_the_pipelines_load() -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "P", records_per_second=3_000, average_record_kib=1)
    app = _analytics(stack, pipeline, records_per_second_per_kpu=1_000, parallelism=3)
    assert any(line.startswith("Flink application: 3 KPUs") for line in _capacity_lines(app))


def test_fixed_parallelism_below_the_load_is_an_error_naming_the_way_out() -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "P", records_per_second=3_000, average_record_kib=1)
    with pytest.raises(
        PatternValidationError,
        match=r"parallelism 1 \(1 KPUs\) cannot carry the source's 3,000 records/s at 1,000 "
        r"per KPU: set parallelism=3 \(3 KPUs\) or auto_scaling=True",
    ):
        _analytics(stack, pipeline, records_per_second_per_kpu=1_000, auto_scaling=False)


def test_auto_scaling_below_the_load_and_idle_source_subtasks_are_warnings() -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "P", records_per_second=3_000, average_record_kib=1)
    _analytics(stack, pipeline, records_per_second_per_kpu=500)  # 6 KPUs, 3 shards
    annotations = Annotations.from_stack(stack)
    annotations.has_warning(
        "/Test/App", Match.string_like_regexp(r"starts with 1 KPUs, the load needs 6")
    )
    annotations.has_warning(
        "/Test/App", Match.string_like_regexp(r"parallelism 6 exceeds the 3 source shards")
    )


def test_a_figure_without_a_load_or_a_bad_figure_is_an_error() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError,
        match=r"records_per_second_per_kpu needs a StreamToS3Pipeline source sized from",
    ):
        _analytics(stack, kinesis.Stream(stack, "In"), records_per_second_per_kpu=1_000)
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "P", records_per_second=3_000, average_record_kib=1)
    with pytest.raises(
        PatternValidationError, match=r"records_per_second_per_kpu must be greater than 0"
    ):
        _analytics(stack, pipeline, records_per_second_per_kpu=-1)


def test_a_pipeline_records_the_cost_of_the_stream_it_creates_and_of_the_delivery() -> None:
    """The pattern's cost at load is its stream's (provisioned, as created) plus Firehose's:
    both plans record a cost, the stream's equal to the mode comparison's provisioned figure."""
    from patterns.core.metadata import COST_METADATA

    pipeline = StreamToS3Pipeline(
        new_stack(), "P", records_per_second=2_560, average_record_kib=1,
        buffering_size_mib=64, buffering_interval=Duration.seconds(300),
    )  # fmt: skip
    records = {
        entry.data["what"]: entry.data
        for entry in pipeline.node.metadata
        if entry.type == COST_METADATA
    }
    assert set(records) == {"Kinesis data stream (provisioned)", "Firehose stream to S3"}
    assert pipeline.mode_plan is not None
    stream = records["Kinesis data stream (provisioned)"]
    assert stream["monthly_usd"] == pytest.approx(pipeline.mode_plan.provisioned_usd, abs=0.01)
    assert stream["idle_usd"] > 0  # the shard-hours are paid with no traffic


def test_a_crossover_of_zero_says_on_demand_is_never_cheaper() -> None:
    pipeline = StreamToS3Pipeline(
        new_stack(), "P", records_per_second=10, average_record_kib=1,
    )  # fmt: skip
    assert pipeline.mode_plan is not None
    assert pipeline.mode_plan.crossover_records_per_second == 0
    line = next(x for x in _capacity_lines(pipeline) if x.startswith("provisioned $"))
    assert "on-demand is dearer at any rate" in line and "below an average 0" not in line
