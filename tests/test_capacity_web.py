"""web_tier: instances per zone with and without surviving a zone loss, the target tracking
value, the minimum from the baseline, bad loads, and properties against a brute-force oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import first_binding_limit, monthly_cost, web_tier, web_tier_problems


def test_three_zones_that_must_survive_losing_one() -> None:
    # 1,000 requests/s at 120 per instance = 9 instances; 2 zones must carry them: 5 per zone
    plan = web_tier(1_000, 120, zones=3)
    assert plan.instances_needed == 9
    assert (plan.max_per_zone, plan.max_capacity) == (5, 15)
    assert (plan.min_per_zone, plan.min_capacity) == (1, 3)
    assert plan.requests_per_target_per_minute == 7_200
    assert plan.binding_limit == "instances at peak"
    # 10 instances serve 1,200 requests/s with a zone down: 1,000 / 1,200 used
    assert plan.headroom == pytest.approx(1 - 1_000 / 1_200)
    assert "vCPU quota must cover 15 x the vCPUs of t3.medium" in plan.notes[0]
    assert "lose one of 3 zones" in plan.notes[1]


def test_without_zone_loss_the_zones_share_the_peak() -> None:
    plan = web_tier(1_000, 120, zones=3, survive_zone_loss=False)
    assert (plan.max_per_zone, plan.max_capacity) == (3, 9)
    assert not any("lose one" in note for note in plan.notes)


def test_the_baseline_sizes_the_minimum() -> None:
    plan = web_tier(1_000, 100, zones=2, baseline_requests_per_second=250)
    # 3 instances for 250/s, all in the one zone that is left: 3 per zone
    assert (plan.min_per_zone, plan.max_per_zone) == (3, 10)
    assert plan.capacity == {"min_capacity": 6, "max_capacity": 20}


def test_a_single_instance_load_still_spreads_over_the_zones() -> None:
    plan = web_tier(5, 100, zones=2)
    assert (plan.instances_needed, plan.max_per_zone, plan.max_capacity) == (1, 1, 2)


def test_the_group_is_priced_at_its_maximum_and_grows_into_its_capacity_first() -> None:
    plan = web_tier(1_000, 120, zones=3, instance_type="m5.large")
    cost = monthly_cost(plan)
    assert cost.usd == pytest.approx(15 * 730 * 0.096 + 730 * 0.0225)
    report = first_binding_limit(plan)
    assert report.first.name == "instances at peak"
    assert report.breaks_at == pytest.approx(1.2)
    assert [limit.name for limit in report.broken[2.0]] == ["instances at peak"]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0, 10), {}, r"peak_requests_per_second must be greater than 0 requests/s, got 0"),
        ((-5, 10), {}, r"peak_requests_per_second must be greater than 0 requests/s"),
        ((1e12, 10), {}, r"peak_requests_per_second must be at most 100,000,000 requests/s"),
        ((100, float("nan")), {}, r"requests_per_instance must be a number, got nan"),
        ((100, 0), {}, r"requests_per_instance must be greater than 0 requests/s"),
        ((100, 10), {"zones": 1}, r"zones must be at least 2 with survive_zone_loss=True"),
        ((100, 10), {"zones": 2.5}, r"zones must be a whole number, got 2.5"),
        ((100, 10), {"zones": 7}, r"zones must be at most 6, got 7"),
        (
            (100, 10),
            {"baseline_requests_per_second": 200},
            r"baseline_requests_per_second must be at most peak_requests_per_second \(100",
        ),
        ((100, 10), {"growth_factor": float("inf")}, r"growth_factor must be a finite number"),
        ((100, 10), {"survive_zone_loss": 1}, r"survive_zone_loss must be True or False"),
    ],
)
def test_bad_loads_are_rejected_naming_the_input(
    args: tuple[float, float], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        web_tier(*args, **kwargs)  # type: ignore[arg-type]


def test_one_zone_is_fine_when_it_need_not_survive() -> None:
    assert web_tier_problems(100, 10, zones=1, survive_zone_loss=False) == []
    assert web_tier(100, 10, zones=1, survive_zone_loss=False).max_capacity == 10


def _oracle(peak: Fraction, per: Fraction, zones: int, survive: bool) -> int:
    """The smallest per-zone count whose serving zones carry the peak, counting up."""
    serving = zones - 1 if survive else zones
    n = 1
    while n * serving * per < peak:
        n += 1
    return n


@settings(max_examples=200, deadline=None)
@given(
    peak=st.floats(min_value=0.1, max_value=20_000, allow_nan=False),
    per=st.floats(min_value=10, max_value=5_000, allow_nan=False),
    zones=st.integers(min_value=2, max_value=6),
    survive=st.booleans(),
)
def test_per_zone_capacity_matches_the_oracle(
    peak: float, per: float, zones: int, survive: bool
) -> None:
    plan = web_tier(peak, per, zones=zones, survive_zone_loss=survive)
    expected = _oracle(Fraction(repr(peak)), Fraction(repr(per)), zones, survive)
    assert plan.max_per_zone == expected
    assert plan.max_capacity == expected * zones
    assert plan.min_capacity <= plan.max_capacity
    assert 0 <= plan.headroom < 1
