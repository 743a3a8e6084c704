"""dynamodb_partitions: unit tests per binding limit and boundary, hot-key notes, and hypothesis
properties against a brute-force oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import (
    DYNAMODB_PARTITION_GB,
    DYNAMODB_PARTITION_RCU,
    DYNAMODB_PARTITION_WCU,
    dynamodb_partition_problems,
    dynamodb_partitions,
)

# -- examples -------------------------------------------------------------------------------


def test_idle_table_has_one_partition() -> None:
    plan = dynamodb_partitions(0, 0)
    assert plan.partitions == 1
    assert plan.rcu_per_partition == 0
    assert plan.hot_key_share is None
    assert not plan.hot_key_exceeds_partition


def test_exact_limits_fit_one_partition() -> None:
    assert dynamodb_partitions(3_000, 0).partitions == 1
    assert dynamodb_partitions(0, 1_000).partitions == 1
    assert dynamodb_partitions(0, 0, 10).partitions == 1
    assert dynamodb_partitions(3_001, 0).partitions == 2
    assert dynamodb_partitions(0, 0, 10.001).partitions == 2


def test_reads_and_writes_share_a_partition() -> None:
    # 1,500 RCU is half a partition, 500 WCU the other half: exactly one.
    assert dynamodb_partitions(1_500, 500).partitions == 1
    assert dynamodb_partitions(1_500, 501).partitions == 2


def test_throughput_binds() -> None:
    plan = dynamodb_partitions(5_000, 2_000, 35)
    # ceil(5000/3000 + 2000/1000) = ceil(3.67) = 4 > ceil(35/10) = 4 -> tie on count,
    # throughput demand (3.67) above storage (3.5)
    assert plan.partitions == 4
    assert plan.partitions_by_limit == {"throughput": 4, "storage": 4}
    assert plan.binding_limit == "throughput"
    assert plan.rcu_per_partition == 1_250
    assert plan.wcu_per_partition == 500
    assert plan.summary() == "4 partitions (throughput binds; 1,250 RCU / 500 WCU each)"


def test_storage_binds() -> None:
    plan = dynamodb_partitions(100, 100, 250)
    assert plan.partitions == 25
    assert plan.binding_limit == "storage"
    assert plan.wcu_per_partition == 4


def test_growth_factor_pads_load_and_size() -> None:
    plan = dynamodb_partitions(3_000, 0, 10, growth_factor=2)
    assert plan.partitions == 2
    assert plan.read_capacity_units == 6_000
    assert plan.size_gb == 20


def test_hot_key_share_over_read_limit_is_noted() -> None:
    plan = dynamodb_partitions(20_000, 100, hot_key_share=0.2)
    assert plan.hot_key_rcu == 4_000
    assert plan.hot_key_exceeds_partition
    assert len(plan.notes) == 1
    assert "20.0% of the traffic" in plan.notes[0]
    assert "4,000 RCU > 3,000 RCU" in plan.notes[0]
    assert plan.summary().endswith("; hot key exceeds a partition)")


def test_hot_key_over_write_limit_is_noted() -> None:
    plan = dynamodb_partitions(0, 2_000, key_cardinality=1)
    assert plan.hot_key_share == 1
    assert "2,000 WCU > 1,000 WCU" in plan.notes[0]


def test_key_cardinality_gives_the_uniform_share() -> None:
    plan = dynamodb_partitions(30_000, 0, key_cardinality=10)
    assert plan.hot_key_share == pytest.approx(0.1)
    assert plan.hot_key_rcu == pytest.approx(3_000)
    assert not plan.hot_key_exceeds_partition  # exactly at the limit is fine
    assert plan.notes == ()


def test_larger_of_share_and_uniform_share_counts() -> None:
    plan = dynamodb_partitions(1_000, 0, key_cardinality=4, hot_key_share=0.1)
    assert plan.hot_key_share == pytest.approx(0.25)


def test_a_whole_float_key_cardinality_is_planned_like_the_int() -> None:
    plan = dynamodb_partitions(1_000, 0, key_cardinality=4.0)  # type: ignore[arg-type]
    assert plan.hot_key_share == pytest.approx(0.25)


def test_problems_use_the_callers_names_and_skip_what_is_not_given() -> None:
    assert dynamodb_partition_problems() == []
    assert dynamodb_partition_problems(
        size_gb=-1, key_cardinality="many", names={"size_gb": "expected_size_gb"}
    ) == [
        "expected_size_gb must be at least 0 GB, got -1 GB",
        "key_cardinality must be a number, got 'many'",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"read_capacity_units": -1}, "read_capacity_units must be at least 0, got -1"),
        ({"write_capacity_units": float("nan")}, "write_capacity_units must be a number, got nan"),
        ({"size_gb": float("inf")}, "size_gb must be a finite number, got inf"),
        ({"size_gb": -2.5}, "size_gb must be at least 0 GB, got -2.5 GB"),
        ({"key_cardinality": 0}, "key_cardinality must be at least 1, got 0"),
        ({"key_cardinality": 2.5}, "key_cardinality must be a whole number, got 2.5"),
        ({"hot_key_share": 0}, r"hot_key_share must be between 0 \(exclusive\) and 1, got 0"),
        ({"hot_key_share": 1.5}, "hot_key_share must be between"),
        ({"growth_factor": 0.5}, "growth_factor must be at least 1, got 0.5"),
        ({"growth_factor": float("inf")}, "growth_factor must be a finite number, got inf"),
    ],
)
def test_invalid_arguments(kwargs: dict[str, float], message: str) -> None:
    args: dict[str, float] = {"read_capacity_units": 10, "write_capacity_units": 10}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        dynamodb_partitions(**args)  # type: ignore[arg-type]


def test_every_problem_is_reported_together() -> None:
    with pytest.raises(ValueError) as excinfo:
        dynamodb_partitions(-1, -1, -1, key_cardinality=0, hot_key_share=2, growth_factor=0)
    assert str(excinfo.value).count(";") == 5


# -- properties against a brute-force oracle --------------------------------------------------


def oracle_partitions(rcu: Fraction, wcu: Fraction, size: Fraction) -> int:
    """The smallest n >= 1 whose n partitions serve the throughput and hold the data."""
    n = 1
    while not (
        n * DYNAMODB_PARTITION_RCU * DYNAMODB_PARTITION_WCU
        >= rcu * DYNAMODB_PARTITION_WCU + wcu * DYNAMODB_PARTITION_RCU
        and n * DYNAMODB_PARTITION_GB >= size
    ):
        n += 1
    return n


loads = st.integers(min_value=0, max_value=60_000) | st.floats(
    min_value=0, max_value=60_000, allow_nan=False
)
sizes = st.integers(min_value=0, max_value=300) | st.floats(
    min_value=0, max_value=300, allow_nan=False
)
growth = st.sampled_from([1, 1.25, 1.5, 2, 3])


@settings(max_examples=150, deadline=None)
@given(rcu=loads, wcu=loads, size=sizes, growth_factor=growth)
def test_partitions_match_the_oracle(
    rcu: float, wcu: float, size: float, growth_factor: float
) -> None:
    plan = dynamodb_partitions(rcu, wcu, size, growth_factor=growth_factor)
    g = Fraction(growth_factor)
    expected = oracle_partitions(Fraction(rcu) * g, Fraction(wcu) * g, Fraction(size) * g)
    assert plan.partitions == expected
    # the plan's own figures are consistent with the count
    assert plan.partitions == max(1, *plan.partitions_by_limit.values())
    assert plan.partitions_by_limit[plan.binding_limit] == max(plan.partitions_by_limit.values())
    assert plan.rcu_per_partition * plan.partitions == pytest.approx(plan.read_capacity_units)
    assert plan.wcu_per_partition * plan.partitions == pytest.approx(plan.write_capacity_units)
    # each partition stays within its limits
    assert (
        plan.rcu_per_partition / DYNAMODB_PARTITION_RCU
        + plan.wcu_per_partition / DYNAMODB_PARTITION_WCU
        <= 1 + 1e-9
    )


@settings(max_examples=100, deadline=None)
@given(
    rcu=loads,
    wcu=loads,
    cardinality=st.none() | st.integers(min_value=1, max_value=1_000_000),
    share=st.none() | st.floats(min_value=1e-6, max_value=1, allow_nan=False),
)
def test_hot_key_note_matches_the_oracle(
    rcu: float, wcu: float, cardinality: int | None, share: float | None
) -> None:
    plan = dynamodb_partitions(rcu, wcu, key_cardinality=cardinality, hot_key_share=share)
    shares = ([Fraction(share)] if share is not None else []) + (
        [Fraction(1, cardinality)] if cardinality is not None else []
    )
    if not shares:
        assert plan.hot_key_share is None and plan.notes == ()
        return
    busiest = max(shares)
    exceeds = (
        Fraction(rcu) * busiest > DYNAMODB_PARTITION_RCU
        or Fraction(wcu) * busiest > DYNAMODB_PARTITION_WCU
    )
    assert plan.hot_key_exceeds_partition == exceeds
    assert (len(plan.notes) == 1) == exceeds


@settings(max_examples=60, deadline=None)
@given(rcu=loads, wcu=loads, size=sizes, extra=st.integers(min_value=1, max_value=5_000))
def test_more_load_never_needs_fewer_partitions(
    rcu: float, wcu: float, size: float, extra: int
) -> None:
    base = dynamodb_partitions(rcu, wcu, size).partitions
    assert dynamodb_partitions(rcu + extra, wcu, size).partitions >= base
    assert dynamodb_partitions(rcu, wcu + extra, size).partitions >= base
    assert dynamodb_partitions(rcu, wcu, size + extra).partitions >= base
