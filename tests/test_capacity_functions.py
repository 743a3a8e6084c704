"""lambda_concurrency: AWS's documented concurrency examples, the SQS event source (batch,
maximum concurrency, visibility timeout, draining a backlog), quotas, bad loads, and
properties against a brute-force oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import (
    first_binding_limit,
    lambda_concurrency,
    lambda_concurrency_problems,
    monthly_cost,
    sqs_visibility_timeout,
)

# -- AWS's documented examples --------------------------------------------------------------


def test_the_lambda_concurrency_example_100_requests_of_half_a_second() -> None:
    # https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
    # "Concurrency = (100 requests/second) * (0.5 second/request) = 50"
    plan = lambda_concurrency(100, 0.5)
    assert plan.concurrency == 50
    assert plan.reserved_concurrency == 50
    assert plan.headroom == 0


def test_the_s3_events_example_10_per_second_of_3_seconds() -> None:
    # The Lambda developer guide's scaling page (awsdocs/aws-lambda-developer-guide,
    # doc_source/scaling.md): "a Lambda function that processes Amazon S3 events ... takes on
    # average three seconds and Amazon S3 publishes 10 events per second. Then, you will have
    # 30 concurrent executions"
    assert lambda_concurrency(10, 3).concurrency == 30


def test_the_visibility_timeout_is_six_times_the_function_timeout() -> None:
    # https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    # "set the source queue's visibility timeout to at least six times the configuration
    # timeout on your function"
    assert sqs_visibility_timeout(30) == 180
    plan = lambda_concurrency(50, 2, sqs_batch_size=10, function_timeout_s=30)
    assert plan.visibility_timeout_s == 180


# -- planning -------------------------------------------------------------------------------


def test_an_sqs_source_runs_concurrent_batches() -> None:
    # 1,000 messages/s in batches of 10 taking 2 s each: 200 concurrent batches
    plan = lambda_concurrency(1_000, 2, sqs_batch_size=10)
    assert (plan.concurrency, plan.maximum_concurrency, plan.batch_size) == (200, 200, 10)
    assert plan.visibility_timeout_s == 12
    assert plan.binding_limit == "concurrency"


def test_a_backlog_must_drain_within_the_retention() -> None:
    # 10 messages/s plus 360,000 backlog over a 1-hour retention = 110 messages/s to carry
    plan = lambda_concurrency(10, 1, sqs_batch_size=10, retention_s=3_600, backlog_messages=360_000)
    assert plan.concurrency == 11


def test_an_sqs_source_needs_at_least_two_concurrent_batches() -> None:
    assert lambda_concurrency(0.1, 1, sqs_batch_size=10).maximum_concurrency == 2


def test_a_load_over_the_sqs_event_source_maximum_is_an_error_with_the_way_out() -> None:
    with pytest.raises(
        ValueError,
        match=r"needs 2,000 concurrent batches, over the 1,000 "
        r"maximum concurrency of an SQS event source: raise sqs_batch_size",
    ):
        lambda_concurrency(10_000, 2, sqs_batch_size=10)


def test_the_account_quota_is_a_note_and_the_first_limit_to_break() -> None:
    plan = lambda_concurrency(3_000, 0.5)  # 1,500 > 1,000
    assert any("exceed the account's 1,000" in note for note in plan.notes)
    assert plan.binding_limit == "account concurrency"
    assert plan.headroom == pytest.approx(-0.5)
    assert any("20 s to scale to 1,500" in note for note in plan.notes)
    assert first_binding_limit(lambda_concurrency(300, 0.5)).first.name == "concurrency"
    report = first_binding_limit(lambda_concurrency(300, 0.5), factors=(10,))
    assert [limit.name for limit in report.broken[10.0]] == ["concurrency", "account concurrency"]


def test_the_function_is_priced_per_request_and_gb_second() -> None:
    plan = lambda_concurrency(10, 0.2, memory_mb=512)
    cost = monthly_cost(plan)
    requests = 10 * 2_628_000
    assert cost.usd == pytest.approx(requests * 0.2 / 1e6 + requests * 0.2 * 0.5 * 0.0000166667)
    assert cost.unconfirmed == ()
    sqs = lambda_concurrency(100, 1, sqs_batch_size=10, fifo=True)
    assert sqs.usage["sqs.fifo-requests"] == pytest.approx((100 + 20) * 2_628_000)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0, 1), {}, r"requests_per_second must be greater than 0 /s, got 0 /s"),
        ((float("nan"), 1), {}, r"requests_per_second must be a number, got nan"),
        ((1e9, 1), {}, r"requests_per_second must be at most 100,000,000 /s"),
        ((1, 901), {}, r"duration_s must be at most 900 s \(the Lambda timeout limit\)"),
        ((1, -1), {}, r"duration_s must be greater than 0 s, got -1 s"),
        ((1, 1), {"memory_mb": 64}, r"memory_mb must be at least 128 MB, got 64 MB"),
        ((1, 1), {"account_concurrency": 1.5}, r"account_concurrency must be a whole number"),
        (
            (1, 1),
            {"sqs_batch_size": 11, "fifo": True},
            r"sqs_batch_size must be at most 10, got 11",
        ),
        ((1, 1), {"sqs_batch_size": 20_000}, r"sqs_batch_size must be at most 10,000"),
        (
            (1, 10),
            {"sqs_batch_size": 10, "function_timeout_s": 5},
            r"function_timeout_s must be at least duration_s \(10 s: a batch must finish",
        ),
        ((1, 1), {"retention_s": 30}, r"retention_s must be at least 60 s, got 30 s"),
        ((1, 1), {"backlog_messages": -1}, r"backlog_messages must be at least 0, got -1"),
        ((1, 1), {"growth_factor": 0}, r"growth_factor must be at least 1, got 0"),
    ],
)
def test_bad_loads_are_rejected_naming_the_input(
    args: tuple[float, float], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        lambda_concurrency(*args, **kwargs)  # type: ignore[arg-type]


def test_a_decimal_duration_is_exact() -> None:
    """50 requests/s x 0.2 s is 10 concurrent executions, not 11 from 0.2's binary excess."""
    assert lambda_concurrency(50, 0.2).concurrency == 10
    assert lambda_concurrency(100, 0.3, sqs_batch_size=3).concurrency == 10


def test_problems_skip_what_is_not_given() -> None:
    assert lambda_concurrency_problems(None, None) == []


def _oracle(rate: Fraction, duration: Fraction, batch: int | None, extra: Fraction) -> int:
    """The smallest concurrency whose executions carry the rate (Little's law), counting up."""
    n = 1 if batch is None else 2
    per = 1 if batch is None else batch
    while n * per < (rate + extra) * duration:
        n += 1
    return n


@settings(max_examples=200, deadline=None)
@given(
    rate=st.floats(min_value=0.01, max_value=2_000, allow_nan=False),
    duration=st.floats(min_value=0.001, max_value=5, allow_nan=False),
    batch=st.none() | st.integers(min_value=1, max_value=10),
    backlog=st.integers(min_value=0, max_value=1_000_000),
)
def test_concurrency_matches_the_oracle(
    rate: float, duration: float, batch: int | None, backlog: int
) -> None:
    extra = Fraction(0) if batch is None else Fraction(backlog, 345_600)
    # the planner reads a float as the decimal it prints as (0.2 is 1/5)
    expected = _oracle(Fraction(repr(rate)), Fraction(repr(duration)), batch, extra)
    if batch is not None and expected > 1_000:
        with pytest.raises(ValueError, match="maximum concurrency of an SQS event source"):
            lambda_concurrency(rate, duration, sqs_batch_size=batch, backlog_messages=backlog)
        return
    plan = lambda_concurrency(
        rate, duration, sqs_batch_size=batch, backlog_messages=backlog if batch else 0
    )
    assert plan.concurrency == expected
    assert plan.limit("concurrency").utilization <= 1
