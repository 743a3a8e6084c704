"""step_functions_workflow (Standard vs Express) and batch_max_vcpus: AWS's documented limits
and prices reproduced, the recommendation, bad loads naming the input, and properties
against brute-force oracles."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import (
    batch_max_vcpus,
    batch_max_vcpus_problems,
    first_binding_limit,
    monthly_cost,
    step_functions_workflow,
    step_functions_workflow_problems,
)

SECONDS_PER_MONTH = 730 * 3_600

# -- Step Functions ---------------------------------------------------------------------------


def test_standard_is_priced_per_state_transition() -> None:
    # https://aws.amazon.com/step-functions/pricing/: "$0.025 per 1,000 state transitions"
    # (US East (N. Virginia) $0.0250); 1 execution/s of 20 states is 52,560,000 transitions.
    plan = step_functions_workflow(1, 20, 3_600)
    assert plan.workflow_type == "STANDARD"
    assert plan.usage == {"stepfunctions.state-transitions": 20 * SECONDS_PER_MONTH}
    assert monthly_cost(plan).usd == pytest.approx(20 * SECONDS_PER_MONTH * 0.025 / 1_000)
    assert plan.express_usd is None  # an hour is over Express's 5 minutes


def test_express_is_priced_per_request_and_gb_second_rounded_up() -> None:
    # https://aws.amazon.com/step-functions/pricing/: duration "rounded up to the nearest
    # 100ms", memory "billed in 64-MB chunks". 1.01 s -> 1.1 s; 100 MB -> 128 MB.
    plan = step_functions_workflow(10, 5, 1.01, memory_mb=100, workflow_type="EXPRESS")
    executions = 10 * SECONDS_PER_MONTH
    assert plan.usage["stepfunctions.express-requests"] == executions
    assert plan.usage["stepfunctions.express-gb-second"] == pytest.approx(
        executions * 1.1 * 128 / 1_024
    )


def test_short_busy_workflows_are_cheaper_express() -> None:
    plan = step_functions_workflow(10, 5, 2)
    assert plan.recommended == "EXPRESS" and plan.workflow_type == "EXPRESS"
    assert plan.express_usd is not None and plan.express_usd < plan.standard_usd
    assert any("at-least-once" in note for note in plan.notes)
    assert plan.binding_limit == "Express StartExecution/s"


def test_exactly_once_or_over_five_minutes_needs_standard() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html: "Maximum
    # execution time 5 minutes"
    assert step_functions_workflow(10, 5, 2, exactly_once=True).recommended == "STANDARD"
    assert step_functions_workflow(10, 5, 301).recommended == "STANDARD"
    assert step_functions_workflow(10, 5, 300).express_usd is not None  # 5 minutes still fit
    assert step_functions_workflow(10, 50, 300).recommended == "EXPRESS"


def test_a_given_type_is_planned_and_the_advice_names_the_better_one() -> None:
    plan = step_functions_workflow(10, 5, 2, workflow_type="STANDARD")
    assert plan.workflow_type == "STANDARD" and plan.recommended == "EXPRESS"
    assert any("calls for a EXPRESS workflow" in note for note in plan.notes)


def test_standard_quotas_and_the_history_limit() -> None:
    # us-east-1: StartExecution refills 300/s; state transitions 5,000/s
    plan = step_functions_workflow(400, 20, 3_600)
    assert plan.binding_limit == "state transitions/s"  # 8,000 of 5,000
    assert plan.headroom == pytest.approx(1 - 8_000 / 5_000)
    assert any("StartExecution refill of 300/s" in note for note in plan.notes)
    report = first_binding_limit(step_functions_workflow(100, 20, 3_600))
    assert report.first.name == "state transitions/s" and report.breaks_at == 2.5
    # https://docs.aws.amazon.com/step-functions/latest/dg/limits.html: 25,000 events
    long = step_functions_workflow(0.01, 13_000, 3_600)
    assert any("over the 25,000 of a Standard execution" in note for note in long.notes)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0, 5, 1), {}, r"executions_per_second must be greater than 0 /s"),
        ((1, 0, 1), {}, r"states_per_execution must be at least 1"),
        ((1, 2.5, 1), {}, r"states_per_execution must be a whole number"),
        ((1, 5, float("nan")), {}, r"duration_s must be a number, got nan"),
        ((1, 5, 4e7), {}, r"duration_s must be at most 31,536,000 s \(a Standard execution"),
        (
            (1, 5, 600),
            {"workflow_type": "EXPRESS"},
            r"duration_s must be at most 300 s for an Express workflow .*use STANDARD\), "
            r"got 600 s",
        ),
        (
            (1, 5, 60),
            {"workflow_type": "EXPRESS", "exactly_once": True},
            r"exactly_once=True contradicts workflow_type='EXPRESS'",
        ),
        ((1, 5, 1), {"workflow_type": "FAST"}, r"workflow_type must be one of 'STANDARD'"),
        ((1, 5, 1), {"memory_mb": 32}, r"memory_mb must be at least 64 MB"),
    ],
)
def test_bad_workflow_loads_are_rejected_naming_the_input(
    args: tuple[float, float, float], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        step_functions_workflow(*args, **kwargs)  # type: ignore[arg-type]


def test_workflow_problems_use_the_callers_names() -> None:
    lines = step_functions_workflow_problems(
        1, 5, 600, workflow_type="EXPRESS", names={"duration_s": "expected_duration"}
    )
    assert lines[0].startswith("expected_duration must be at most 300 s")
    assert step_functions_workflow_problems(None, None, None) == []


@settings(max_examples=200, deadline=None)
@given(
    rate=st.fractions(min_value=Fraction(1, 100), max_value=1_000).map(float),
    states=st.integers(min_value=1, max_value=200),
    tenths=st.integers(min_value=1, max_value=6_000),
    memory=st.integers(min_value=64, max_value=1_024),
)
def test_the_recommendation_is_the_cheaper_type_that_can_run_it(
    rate: float, states: int, tenths: int, memory: int
) -> None:
    duration = tenths / 10
    plan = step_functions_workflow(rate, states, duration, memory_mb=memory)
    # the oracle: both bills by hand
    executions = Fraction(rate) * SECONDS_PER_MONTH
    standard = float(executions * states) * 0.025 / 1_000
    chunks = -(-memory // 64)
    express = float(executions) / 1e6 + float(executions) * tenths / 10 * chunks * 64 / 1_024 * (
        0.00001667
    )
    assert plan.standard_usd == pytest.approx(standard)
    if duration > 300:
        assert plan.express_usd is None and plan.recommended == "STANDARD"
    else:
        assert plan.express_usd == pytest.approx(express)
        assert plan.recommended == (
            "EXPRESS" if plan.express_usd < plan.standard_usd else "STANDARD"
        )


# -- Batch ------------------------------------------------------------------------------------


def test_max_vcpus_are_concurrent_jobs_times_job_vcpus() -> None:
    plan = batch_max_vcpus(10, 4)
    assert plan.max_vcpus == 40 and plan.concurrent_jobs == 10 and plan.headroom == 0
    assert batch_max_vcpus(3, 0.25, fargate=True).max_vcpus == 1  # 0.75 rounds up


def test_a_smaller_environment_runs_fewer_jobs_at_once() -> None:
    plan = batch_max_vcpus(10, 4, environment_max_vcpus=16)
    assert plan.concurrent_jobs == 4
    assert plan.headroom == pytest.approx(1 - 40 / 16)
    assert any("runs 4 of the 10 concurrent jobs" in note for note in plan.notes)
    assert "raise the compute environment's maxvCpus" in first_binding_limit(plan).advice()


def test_a_job_larger_than_the_environment_never_runs() -> None:
    # https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable.html and the
    # CDK's JobStateTimeLimitActionsReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE: "All compute
    # environments have a maxvCpus parameter that is smaller than the job requirements."
    with pytest.raises(
        ValueError,
        match=r"environment_max_vcpus must be at least job_vcpus \(8: a job larger than every "
        r"compute environment's maxvCpus stays RUNNABLE\), got 4",
    ):
        batch_max_vcpus(2, 8, environment_max_vcpus=4)
    with pytest.raises(ValueError, match=r"instance_vcpus must be at least job_vcpus"):
        batch_max_vcpus(2, 8, instance_vcpus=4)


def test_fargate_jobs_are_priced_per_vcpu_and_gb_hour() -> None:
    plan = batch_max_vcpus(10, 2, fargate=True, job_memory_mib=4_096, busy_share=0.5)
    assert plan.usage["fargate.vcpu-hour"] == pytest.approx(20 * 730 * 0.5)
    assert plan.usage["fargate.gb-hour"] == pytest.approx(10 * 4 * 730 * 0.5)
    assert monthly_cost(plan).usd == pytest.approx(20 * 365 * 0.04048 + 40 * 365 * 0.004445)
    assert batch_max_vcpus(10, 2).usage == {}


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0, 4), {}, r"concurrent_jobs must be at least 1, got 0"),
        ((1, 0.5), {}, r"job_vcpus must be a whole number"),
        ((1, 3), {"fargate": True}, r"job_vcpus must be one of 0.25, 0.5, 1, 2, 4, 8, 16 on "),
        ((1, 4), {"account_vcpu_quota": 2}, r"account_vcpu_quota must be at least job_vcpus"),
        ((1, 4), {"busy_share": 0}, r"busy_share must be between 0 \(exclusive\) and 1"),
        ((1, 4), {"job_memory_mib": 100}, r"job_memory_mib must be at least 512 MiB"),
    ],
)
def test_bad_batch_loads_are_rejected_naming_the_input(
    args: tuple[int, float], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        batch_max_vcpus(*args, **kwargs)  # type: ignore[arg-type]
    assert batch_max_vcpus_problems(None, None) == []


@settings(max_examples=200, deadline=None)
@given(
    jobs=st.integers(min_value=1, max_value=500),
    vcpus=st.sampled_from([0.25, 0.5, 1, 2, 4, 8, 16]),
    environment=st.none() | st.integers(min_value=16, max_value=4_000),
)
def test_vcpus_and_running_jobs_match_placing_jobs_one_by_one(
    jobs: int, vcpus: float, environment: int | None
) -> None:
    plan = batch_max_vcpus(jobs, vcpus, fargate=True, environment_max_vcpus=environment)
    assert plan.max_vcpus == math.ceil(Fraction(vcpus) * jobs)
    limit = plan.max_vcpus if environment is None else environment
    placed, used = 0, Fraction(0)
    while placed < jobs and used + Fraction(vcpus) <= limit:
        placed += 1
        used += Fraction(vcpus)
    assert plan.concurrent_jobs == placed
