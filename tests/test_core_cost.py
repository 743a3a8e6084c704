"""Pattern.report_plan's cost at load for any LoadPlan (what other planners' constructs get
by calling it), Pattern.plan_load, and the price table of the app context."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from patterns import PatternValidationError
from patterns.capacity import US_EAST_1, lambda_concurrency, web_tier
from patterns.capacity.plan import CAPACITY, Limit, LoadPlan, Source
from patterns.core.cost import PRICES_CONTEXT, idle_usage
from patterns.core.metadata import COST_METADATA
from patterns.core.pattern import Pattern
from tests.conftest import cdk_context, new_stack

SOURCE = Source("a limit", "https://docs.aws.amazon.com/")


def _plan(usage: dict[str, float], limits: tuple[Limit, ...] = ()) -> LoadPlan:
    return LoadPlan(
        what="thing",
        capacity={"units": 4},
        binding_limit="units",
        headroom=0.5,
        limits=limits,
        usage=usage,
        notes=("check the quota",),
    )


def _cost(pattern: Pattern) -> dict[str, Any]:
    [record] = [e.data for e in pattern.node.metadata if e.type == COST_METADATA]
    return dict(record)


def _warnings(pattern: Pattern) -> list[str]:
    return [str(e.data) for e in pattern.node.metadata if e.type == "aws:cdk:warning"]


def test_any_load_plan_gets_its_cost_idle_cost_and_growth() -> None:
    """2 limits: units at 50 % (breaks at x2) and a quota at 10 % (breaks at x10)."""
    limits = (
        Limit("units", 2, 4, CAPACITY, "add units", SOURCE),
        Limit("quota", 1, 10, "quota", "ask for more", SOURCE),
    )
    pattern = Pattern(new_stack(), "P")
    usage = {"kinesis.shard-hour": 4 * 730, "kinesis.put-payload-units": 1_000_000}
    pattern.report_plan(_plan(usage, limits), warning="thing:plan")
    cost = _cost(pattern)
    shards = 4 * 730 * US_EAST_1["kinesis.shard-hour"].usd
    assert cost["monthly_usd"] == pytest.approx(shards + 0.014, abs=0.01)
    assert cost["idle_usd"] == pytest.approx(shards, abs=0.01)  # the shard-hours, not the PUTs
    growth = cost["growth"]
    assert (growth["first"], growth["breaks_at"]) == ("units", 2)
    # at exactly x2 the units are full, not exceeded; at x10 both are (the quota exactly full)
    assert growth["x2"] == [] and growth["x10"] == ["units"]
    assert cost["notes"] == ["check the quota"]
    assert any("check the quota" in w for w in _warnings(pattern))


def test_an_unpriced_usage_is_left_out_and_warned() -> None:
    pattern = Pattern(new_stack(), "P")
    pattern.report_plan(_plan({"ec2.x9.huge-hour": 730, "alb.hour": 730}), warning="t")
    cost = _cost(pattern)
    assert cost["unpriced"] == ["ec2.x9.huge-hour"] and cost.get("growth") is None
    assert cost["monthly_usd"] == pytest.approx(730 * US_EAST_1["alb.hour"].usd, abs=0.01)
    assert any(w.startswith("no price for ec2.x9.huge-hour") for w in _warnings(pattern))


def test_a_price_object_in_the_app_context_prices_a_new_key() -> None:
    app = cdk.App(
        context={
            **cdk_context(),
            PRICES_CONTEXT: {"ec2.x9.huge-hour": {"usd": 2, "unit": "hour", "source": "quote"}},
        }
    )
    pattern = Pattern(cdk.Stack(app, "S"), "P")
    pattern.report_plan(_plan({"ec2.x9.huge-hour": 730}), warning="t")
    cost = _cost(pattern)
    assert cost["monthly_usd"] == 1_460 and cost["unpriced"] == []
    assert "1 user price(s): ec2.x9.huge-hour" in cost["prices"]


def test_a_context_price_table_that_is_not_an_object_is_an_error() -> None:
    app = cdk.App(context={**cdk_context(), PRICES_CONTEXT: [1, 2]})
    pattern = Pattern(cdk.Stack(app, "S"), "P")
    with pytest.raises(
        PatternValidationError,
        match=r"context scalable-patterns:prices: must be an object of price-table key",
    ):
        pattern.report_plan(_plan({"alb.hour": 730}), warning="t")


def test_idle_usage_of_a_pay_per_use_plan_is_nothing() -> None:
    assert idle_usage(lambda_concurrency(50, 0.2)) == {}
    assert set(idle_usage(web_tier(100, 20))) == {"ec2.t3.medium-hour", "alb.hour"}


def test_plan_load_names_the_prop_in_a_pattern_validation_error() -> None:
    pattern = Pattern(new_stack(), "P")
    with pytest.raises(PatternValidationError) as raised:
        pattern.plan_load("load", web_tier, -1, 0)
    assert raised.value.construct_path == "Test/P"
    assert raised.value.problems == (
        "load: peak_requests_per_second must be greater than 0 requests/s, got -1 requests/s",
        "load: requests_per_instance must be greater than 0 requests/s, got 0 requests/s",
    )
    assert pattern.plan_load("load", web_tier, 100, 20).max_capacity == 9
