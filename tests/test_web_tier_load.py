"""ScalableWebTier sized from the stated load (``load=WebLoad(...)``): the capacity and the
request-count target tracking it writes, the cost at load it records, and every bad load."""

from __future__ import annotations

import math
import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError
from patterns.capacity import US_EAST_1, Price
from patterns.core.cost import PRICES_CONTEXT
from patterns.core.metadata import CAPACITY_METADATA, COST_METADATA
from patterns.web_tier import Capacity, ScalableWebTier, TargetTracking, WebLoad
from tests.conftest import cdk_context, new_stack

HOURS = 730


def _web(stack: cdk.Stack | None = None, **props: Any) -> ScalableWebTier:
    props.setdefault("allow_plain_http", True)
    return ScalableWebTier(stack or new_stack(), "Web", **props)


def _entries(web: ScalableWebTier, kind: str) -> list[Any]:
    return [entry.data for entry in web.node.metadata if entry.type == kind]


def _usd(key: str) -> float:
    return US_EAST_1[key].usd


def test_load_sets_min_max_and_request_count_tracking() -> None:
    """100 requests/s at peak, 20 per instance, 2 zones (an environment-agnostic VPC),
    surviving the loss of one: 5 instances needed, 5 per zone so one zone carries the peak
    -> 2..10 instances, and a request-count target of 20 x 60 = 1,200 per target per minute."""
    web = _web(
        load=WebLoad(peak_requests_per_second=100, requests_per_second_per_instance=20),
        target_tracking=[TargetTracking.cpu(50)],
    )
    template = Template.from_stack(cdk.Stack.of(web))
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "2", "MaxSize": "10"}
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "TargetTrackingConfiguration": {
                "PredefinedMetricSpecification": Match.object_like(
                    {"PredefinedMetricType": "ALBRequestCountPerTarget"}
                ),
                "TargetValue": 1200,
            }
        },
    )
    template.resource_count_is("AWS::AutoScaling::ScalingPolicy", 2)  # cpu + requests
    assert web.load_plan is not None and web.load_plan.zones == 2
    assert (web.load_plan.max_per_zone, web.load_plan.instances_needed) == (5, 5)
    [line] = _entries(web, CAPACITY_METADATA)
    assert line.startswith("2-10 x t4g.small (arm64) behind ALB; tracking cpu, request_count")
    assert "sized for 100 requests/s at peak" in line
    [cost] = _entries(web, COST_METADATA)
    at_load = 10 * HOURS * _usd("ec2.t4g.small-hour") + HOURS * _usd("alb.hour")
    idle = 2 * HOURS * _usd("ec2.t4g.small-hour") + HOURS * _usd("alb.hour")
    assert cost["line"] == line
    assert cost["monthly_usd"] == pytest.approx(at_load, abs=0.01)
    assert cost["idle_usd"] == pytest.approx(idle, abs=0.01)
    assert cost["unpriced"] == []
    growth = cost["growth"]
    assert (growth["first"], growth["kind"], growth["breaks_at"]) == (
        "instances at peak",
        "capacity",
        1,
    )
    assert growth["x2"] == growth["x10"] == ["instances at peak"]
    assert "raise the maximum capacity" in growth["way_out"]


def test_zones_of_a_given_vpc_and_user_prices() -> None:
    """Three zones (a given VPC in an environment-bound stack): each holds ceil(5 / 2) = 3 ->
    3..9 instances for a baseline of 40 requests/s (2 instances, 1 per surviving zone). A
    request-count policy with the load's value is kept, not doubled. The context key's prices
    apply, the prop's win over them."""
    app = cdk.App(context={**cdk_context(), PRICES_CONTEXT: {"alb.hour": 0.03}})
    stack = cdk.Stack(app, "Bound", env=cdk.Environment(account="111111111111", region="eu-west-1"))
    vpc = ec2.Vpc(stack, "Vpc", max_azs=3)
    web = _web(
        stack,
        vpc=vpc,
        load=WebLoad(
            peak_requests_per_second=100,
            requests_per_second_per_instance=20,
            baseline_requests_per_second=40,
            prices={
                "ec2.t4g.small-hour": 0.02,
                "custom.thing": Price(1.0, "month", "https://example.com/price"),
            },
        ),
        target_tracking=[TargetTracking.request_count_per_target(1200)],
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "3", "MaxSize": "9"}
    )
    template.resource_count_is("AWS::AutoScaling::ScalingPolicy", 1)
    [cost] = _entries(web, COST_METADATA)
    assert cost["monthly_usd"] == pytest.approx(9 * HOURS * 0.02 + HOURS * 0.03, abs=0.01)
    assert cost["idle_usd"] == pytest.approx(3 * HOURS * 0.02 + HOURS * 0.03, abs=0.01)
    assert "3 user price(s): alb.hour, custom.thing, ec2.t4g.small-hour" in cost["prices"]


def test_network_load_balancer_gets_the_capacity_but_no_request_tracking() -> None:
    web = _web(
        load=WebLoad(
            peak_requests_per_second=30,
            requests_per_second_per_instance=10,
            survive_zone_loss=False,
        ),
        load_balancer_type="network",
    )
    assert (web.capacity.min_capacity, web.capacity.max_capacity) == (2, 4)
    assert web.target_tracking_policies == {}


LOAD = {"peak_requests_per_second": 100, "requests_per_second_per_instance": 20}
CASES: list[tuple[dict[str, Any], str]] = [
    (
        {"load": WebLoad(**LOAD), "capacity": Capacity(min_capacity=1, max_capacity=4)},
        r"capacity cannot be combined with load",
    ),
    ({}, r"capacity or load is required, got neither"),
    ({"load": {"peak_requests_per_second": 100}}, r"load must be a WebLoad, got dict"),
    (
        {"load": WebLoad(**{**LOAD, "peak_requests_per_second": -5})},
        r"load.peak_requests_per_second must be greater than 0 requests/s, got -5 requests/s",
    ),
    (
        {"load": WebLoad(**{**LOAD, "peak_requests_per_second": 0})},
        r"load.peak_requests_per_second must be greater than 0 requests/s, got 0",
    ),
    (
        {"load": WebLoad(**{**LOAD, "peak_requests_per_second": math.nan})},
        r"load.peak_requests_per_second must be a number, got nan",
    ),
    (
        {"load": WebLoad(**{**LOAD, "peak_requests_per_second": math.inf})},
        r"load.peak_requests_per_second must be a finite number, got inf",
    ),
    (
        {"load": WebLoad(**{**LOAD, "peak_requests_per_second": 10**9})},
        r"load.peak_requests_per_second must be at most 100,000,000 requests/s",
    ),
    (
        {"load": WebLoad(**{**LOAD, "requests_per_second_per_instance": 0})},
        r"load.requests_per_second_per_instance must be greater than 0 requests/s, got 0",
    ),
    (
        {"load": WebLoad(**{**LOAD, "requests_per_second_per_instance": "20"})},
        r"load.requests_per_second_per_instance must be a number, got '20'",
    ),
    (
        {"load": WebLoad(**LOAD, baseline_requests_per_second=150)},
        r"load.baseline_requests_per_second must be at most load.peak_requests_per_second "
        r"\(100 requests/s\), got 150 requests/s",
    ),
    (
        {"load": WebLoad(**LOAD, survive_zone_loss="yes")},  # type: ignore[arg-type]
        r"load.survive_zone_loss must be True or False, got 'yes'",
    ),
    (
        {
            "load": WebLoad(**LOAD),
            "target_tracking": [TargetTracking.request_count_per_target(900)],
        },
        r"target_tracking\[0\].target_value must be 1,200 requests per target per minute "
        r"\(60 x load.requests_per_second_per_instance\) or left to the load, got 900",
    ),
    (
        {"load": WebLoad(**LOAD, prices={"ec2.t4g.small-hour": -1})},
        r"load.prices: prices\['ec2.t4g.small-hour'\] must be a price >= 0 US dollars, got -1",
    ),
    (
        {"load": WebLoad(**LOAD, prices={"ec2.x9.huge-hour": 1.0})},
        r"load.prices: prices\['ec2.x9.huge-hour'\] is not in the base table: pass a Price",
    ),
]


@pytest.mark.parametrize(("props", "message"), CASES, ids=[m[:50] for _, m in CASES])
def test_bad_load(props: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message) as raised:
        _web(**props)
    assert raised.value.construct_path == "Test/Web"


def test_every_problem_of_a_load_at_once() -> None:
    with pytest.raises(PatternValidationError) as raised:
        _web(load=WebLoad(peak_requests_per_second=-1, requests_per_second_per_instance=0))
    assert len(raised.value.problems) == 2


def test_one_zone_cannot_survive_losing_it() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc", max_azs=1)
    with pytest.raises(
        PatternValidationError,
        match=re.escape(
            "the instance subnets' availability zones must be at least 2 with "
            "load.survive_zone_loss=True"
        ),
    ):
        _web(stack, vpc=vpc, load=WebLoad(**LOAD))


def test_bad_prices_in_the_app_context_name_the_key() -> None:
    app = cdk.App(context={**cdk_context(), PRICES_CONTEXT: {"alb.hour": {"dollars": 1}}})
    with pytest.raises(
        PatternValidationError,
        match=r"context scalable-patterns:prices: prices\['alb.hour'\] must be a number or an "
        r"object with usd, unit, source",
    ):
        _web(cdk.Stack(app, "Test"), load=WebLoad(**LOAD))
