"""The price table (dated, cited, overridable), monthly_cost, and first_binding_limit."""

from __future__ import annotations

import pytest

from patterns.capacity import (
    PRICES_READ_ON,
    QUOTA,
    US_EAST_1,
    Limit,
    LoadPlan,
    Price,
    Source,
    first_binding_limit,
    monthly_cost,
    price_table,
)


def test_every_price_names_its_aws_pricing_page_and_the_date_read() -> None:
    for key, price in US_EAST_1.items():
        assert price.source.startswith(
            ("https://aws.amazon.com/", "https://docs.aws.amazon.com/")
        ), key
        assert price.read_on == PRICES_READ_ON
        assert price.usd > 0 and price.unit and price.per >= 1


def test_only_the_prices_read_on_a_stored_page_are_confirmed() -> None:
    confirmed = sorted(key for key, price in US_EAST_1.items() if price.confirmed)
    assert confirmed == ["lambda.gb-second", "lambda.requests", "stepfunctions.state-transitions"]


def test_monthly_cost_sums_each_usage_at_its_unit_price() -> None:
    cost = monthly_cost({"kinesis.shard-hour": 730 * 4, "kinesis.put-payload-units": 2_000_000})
    assert cost.usd == pytest.approx(730 * 4 * 0.015 + 2 * 0.014)
    assert [line.key for line in cost.lines] == ["kinesis.shard-hour", "kinesis.put-payload-units"]
    assert cost.summary() == "$43.83/month (unconfirmed prices)"


def test_a_user_table_overrides_a_rate_or_adds_an_entry() -> None:
    table = price_table({"kinesis.shard-hour": 0.01})
    assert table["kinesis.shard-hour"].usd == 0.01
    assert table["kinesis.shard-hour"].source == "user-supplied"
    assert monthly_cost({"kinesis.shard-hour": 100}, {"kinesis.shard-hour": 0.01}).usd == 1
    custom = Price(2.0, "widget-hour", "https://example.com/prices", confirmed=True)
    cost = monthly_cost({"widget.hour": 3}, {"widget.hour": custom})
    assert cost.usd == 6 and cost.unconfirmed == () and cost.summary() == "$6.00/month"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nothing.like.this": 1.0}, r"prices\['nothing.like.this'\] is not in the base table"),
        ({"kinesis.shard-hour": -1.0}, r"must be a price >= 0 US dollars, got -1.0"),
        ({"kinesis.shard-hour": float("nan")}, r"must be a price >= 0 US dollars, got nan"),
    ],
)
def test_bad_price_overrides_are_rejected(overrides: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        price_table(overrides)


def test_a_usage_without_a_price_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"no price for widget.hour"):
        monthly_cost({"widget.hour": 1})


def _plan(*limits: Limit) -> LoadPlan:
    return LoadPlan(
        what="thing",
        capacity={"units": 1},
        binding_limit="a",
        headroom=0.5,
        limits=limits,
        usage={},
    )


SOURCE = Source("a figure", "https://docs.aws.amazon.com/")


def test_first_binding_limit_orders_limits_by_the_load_multiple_that_breaks_them() -> None:
    plan = _plan(
        Limit("capacity", 50, 100, "capacity", "add units", SOURCE),
        Limit("quota", 30, 100, QUOTA, "ask for more", SOURCE),
        Limit("idle", 0, 100, QUOTA, "nothing", SOURCE),
    )
    report = first_binding_limit(plan, factors=(2, 3, 10))
    assert report.first.name == "capacity" and report.breaks_at == 2
    assert report.broken[2.0] == ()  # exactly at the limit is not over it
    assert [limit.name for limit in report.broken[3.0]] == ["capacity"]
    assert [limit.name for limit in report.broken[10.0]] == ["capacity", "quota"]
    assert report.advice() == "above 2x the load, capacity (capacity) breaks first: add units"


@pytest.mark.parametrize("factor", [0, -1, float("inf"), True])
def test_first_binding_limit_rejects_bad_factors(factor: float) -> None:
    plan = _plan(Limit("capacity", 50, 100, "capacity", "add units", SOURCE))
    with pytest.raises(ValueError, match="factors must be"):
        first_binding_limit(plan, factors=(factor,))


def test_first_binding_limit_needs_limits() -> None:
    with pytest.raises(ValueError, match="has no limits"):
        first_binding_limit(_plan())


def test_a_source_prints_its_page_and_whether_it_is_confirmed() -> None:
    assert str(Source("x", "https://a", confirmed=False)) == "x (https://a; unconfirmed)"
