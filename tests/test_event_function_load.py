"""EventDrivenFunction sized from a stated rate (``load=FunctionLoad(...)``): the reserved and
SQS maximum concurrency it writes, the cost at load it records, and every bad load."""

from __future__ import annotations

import math
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError
from patterns.capacity import US_EAST_1
from patterns.core.metadata import CAPACITY_METADATA, COST_METADATA
from patterns.event_function import EventDrivenFunction, FunctionLoad
from tests.conftest import new_stack

INLINE = lambda_.Code.from_inline("def handler(event, context):\n    return None\n")
SECONDS_PER_MONTH = 730 * 3_600


def _fn(stack: cdk.Stack | None = None, **props: Any) -> EventDrivenFunction:
    props.setdefault("code", INLINE)
    props.setdefault("handler", "index.handler")
    return EventDrivenFunction(stack or new_stack(), "Fn", **props)


def _queue(stack: cdk.Stack, visibility_s: int = 180) -> sqs.Queue:
    return sqs.Queue(stack, "Queue", visibility_timeout=Duration.seconds(visibility_s))


def _entries(fn: EventDrivenFunction, kind: str) -> list[Any]:
    return [entry.data for entry in fn.node.metadata if entry.type == kind]


def test_rate_and_duration_reserve_the_concurrency_littles_law() -> None:
    """50 requests/s x 0.2 s = 10 concurrent executions (Little's law), reserved; the cost at
    load is 50/s of requests and 50 x 0.2 s x 0.25 GB of GB-seconds over a 730-hour month,
    and nothing is billed idle."""
    fn = _fn(
        load=FunctionLoad(
            requests_per_second=50, average_duration=Duration.millis(200), reserve=True
        )
    )
    Template.from_stack(cdk.Stack.of(fn)).has_resource_properties(
        "AWS::Lambda::Function", {"ReservedConcurrentExecutions": 10}
    )
    assert fn.load_plan is not None and fn.load_plan.concurrency == 10
    [line] = _entries(fn, CAPACITY_METADATA)
    assert line == (
        "256 MB, timeout 30 s, reserved 10; sized for 50/s: 10 concurrent executions "
        "(concurrency binds, 0% spare)"
    )
    [cost] = _entries(fn, COST_METADATA)
    requests = 50 * SECONDS_PER_MONTH * US_EAST_1["lambda.requests"].usd / 1_000_000
    gb_seconds = 50 * 0.2 * 0.25 * SECONDS_PER_MONTH * US_EAST_1["lambda.gb-second"].usd
    assert cost["monthly_usd"] == pytest.approx(requests + gb_seconds, abs=0.01)
    assert cost["idle_usd"] == 0
    growth = cost["growth"]
    assert (growth["first"], growth["breaks_at"]) == ("concurrency", 1)
    # x10: 100 concurrent of the account's 1,000 - only the function's own reservation breaks
    assert growth["x10"] == ["concurrency"]


def test_queue_source_gets_the_maximum_concurrency_that_drains_the_rate() -> None:
    """100 messages/s in batches of 10 taking 2 s each: 100 x 2 / 10 = 20 concurrent batches
    -> MaximumConcurrency 20; nothing reserved, so the line advises reserving 20."""
    stack = new_stack()
    fn = _fn(
        stack,
        queue=_queue(stack),
        load=FunctionLoad(requests_per_second=100, average_duration=Duration.seconds(2)),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {"BatchSize": 10, "ScalingConfig": {"MaximumConcurrency": 20}},
    )
    template.has_resource_properties(
        "AWS::Lambda::Function", {"ReservedConcurrentExecutions": Match.absent()}
    )
    assert fn.load_plan is not None and fn.load_plan.visibility_timeout_s == 180
    [line] = _entries(fn, CAPACITY_METADATA)
    assert "max concurrency 20; sized for 100/s: 20 concurrent batches" in line
    assert line.endswith("advice: reserve 20 (FunctionLoad(reserve=True))")
    [cost] = _entries(fn, COST_METADATA)
    assert {entry["key"] for entry in cost["lines"]} == {
        "lambda.requests",
        "lambda.gb-second",
        "sqs.standard-requests",
    }


RATE = {"requests_per_second": 50, "average_duration": Duration.millis(200)}
CASES: list[tuple[dict[str, Any], str]] = [
    ({"load": {"requests_per_second": 50}}, r"load must be a FunctionLoad, got dict"),
    (
        {"load": FunctionLoad(**{**RATE, "requests_per_second": -1})},
        r"load.requests_per_second must be greater than 0 /s, got -1 /s",
    ),
    (
        {"load": FunctionLoad(**{**RATE, "requests_per_second": 0})},
        r"load.requests_per_second must be greater than 0 /s, got 0",
    ),
    (
        {"load": FunctionLoad(**{**RATE, "requests_per_second": math.nan})},
        r"load.requests_per_second must be a number, got nan",
    ),
    (
        {"load": FunctionLoad(**{**RATE, "requests_per_second": 1e9})},
        r"load.requests_per_second must be at most 100,000,000 /s",
    ),
    (
        {"load": FunctionLoad(**{**RATE, "average_duration": 0.2})},
        r"load.average_duration must be a Duration known at synth time, got 0.2",
    ),
    (
        {"load": FunctionLoad(**{**RATE, "average_duration": Duration.seconds(0)})},
        r"load.average_duration must be greater than 0 s, got 0 s",
    ),
    (
        {"load": FunctionLoad(**{**RATE, "average_duration": Duration.seconds(45)})},
        r"timeout must be at least load.average_duration \(45 s: a batch must finish before "
        r"the function times out\), got 30 s",
    ),
    (
        {"load": FunctionLoad(**RATE, account_concurrency=5)},
        r"load.account_concurrency must be at least 10, got 5",
    ),
    (
        {"load": FunctionLoad(**RATE, backlog_messages=-3)},
        r"load.backlog_messages must be at least 0, got -3",
    ),
    (
        {"load": FunctionLoad(**RATE, reserve="yes")},  # type: ignore[arg-type]
        r"load.reserve must be True or False, got 'yes'",
    ),
    (
        {"load": FunctionLoad(**RATE), "reserved_concurrency": 4},
        r"reserved_concurrency must be at least 10 \(load.requests_per_second x "
        r"load.average_duration needs 10 concurrent executions\), got 4",
    ),
    (
        {"load": FunctionLoad(**RATE, prices={"lambda.requests": math.inf})},
        # an infinity never reaches the planner: the type check stops it first
        r"load.prices\['lambda.requests'\] must be a finite number, got inf",
    ),
]


@pytest.mark.parametrize(("props", "message"), CASES, ids=[m[:50] for _, m in CASES])
def test_bad_load(props: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message) as raised:
        _fn(**props)
    assert raised.value.construct_path == "Test/Fn"


QUEUE_LOAD = {"requests_per_second": 100, "average_duration": Duration.seconds(2)}


def test_a_larger_configured_concurrency_is_headroom_the_load_can_grow_into() -> None:
    """20 messages/s x 2 s / 10 = 4 batches against a maximum concurrency of 5 (reserved 10):
    the concurrency binds at 80 %, so it breaks above 1.25 x the load."""
    stack = new_stack()
    fn = _fn(
        stack,
        queue=_queue(stack),
        max_concurrency=5,
        reserved_concurrency=10,
        load=FunctionLoad(requests_per_second=20, average_duration=Duration.seconds(2)),
    )
    assert fn.load_plan is not None
    assert fn.load_plan.limit("concurrency").capacity == 5
    assert fn.load_plan.binding_limit == "concurrency"
    assert fn.load_plan.headroom == pytest.approx(0.2)
    [cost] = _entries(fn, COST_METADATA)
    assert cost["growth"]["breaks_at"] == 1.25
    assert cost["growth"]["x2"] == ["concurrency"]


def test_a_maximum_concurrency_below_the_rate_is_an_error() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError,
        match=r"max_concurrency must be at least 20 \(load.requests_per_second x "
        r"load.average_duration needs 20 concurrent batches\), got 5",
    ):
        _fn(stack, queue=_queue(stack), max_concurrency=5, load=FunctionLoad(**QUEUE_LOAD))


def test_a_queue_visibility_timeout_below_six_timeouts_contradicts_the_load() -> None:
    """Without a load 60 s is only a warning (>= the 30 s timeout); with one it is an error."""
    stack = new_stack()
    with pytest.raises(
        PatternValidationError,
        match=r"the queue's visibility timeout must be at least 3 min \(6 x timeout, so a "
        r"batch retried at the stated load is not received twice\), got 1 min",
    ):
        _fn(stack, queue=_queue(stack, 60), load=FunctionLoad(**QUEUE_LOAD))


def test_a_rate_the_sqs_event_source_cannot_carry_names_the_way_out() -> None:
    """10,000 messages/s x 2 s / 10 = 2,000 concurrent batches, over SQS's 1,000."""
    stack = new_stack()
    with pytest.raises(
        PatternValidationError,
        match=r"load: requests_per_second 10,000 needs 2,000 concurrent batches, over the "
        r"1,000 maximum concurrency of an SQS event source: raise batch_size",
    ):
        _fn(
            stack,
            queue=_queue(stack),
            load=FunctionLoad(requests_per_second=10_000, average_duration=Duration.seconds(2)),
        )
