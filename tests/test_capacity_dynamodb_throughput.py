"""dynamodb_throughput: AWS's documented capacity examples, each limit, GSIs, the partition
hand-off, pricing both modes, bad loads, and properties against a brute-force oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import (
    IndexLoad,
    dynamodb_partitions,
    dynamodb_throughput,
    dynamodb_throughput_problems,
    first_binding_limit,
    monthly_cost,
    read_units_per_read,
    write_units_per_write,
)

# -- AWS's documented examples --------------------------------------------------------------
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
# and https://aws.amazon.com/dynamodb/pricing/provisioned/ ("Key terms").


def test_an_8_kb_item_read_costs_2_strong_1_eventual_4_transactional_units() -> None:
    # "a strongly consistent read of an 8 KB item would require two RCUs, an eventually
    # consistent read of an 8 KB item would require one RCU, and a transactional read of an
    # 8 KB item would require four RCUs"
    assert read_units_per_read(8, "strong") == 2
    assert read_units_per_read(8, "eventual") == 1
    assert read_units_per_read(8, "transactional") == 4
    assert dynamodb_throughput(1, 0, 8, read_consistency="strong").read_capacity_units == 2
    assert dynamodb_throughput(1, 0, 8, read_consistency="transactional").read_capacity_units == 4


def test_a_3500_byte_item_reads_like_4_kb_and_10_kb_like_12_kb() -> None:
    # "reading a 3,500-byte item consumes the same throughput as reading a 4 KB item";
    # GetItem: "If you read a 10 KB item, DynamoDB rounds the item size to 12 KB"
    assert read_units_per_read(3_500 / 1_024, "strong") == read_units_per_read(4, "strong") == 1
    assert read_units_per_read(10, "strong") == 3


def test_writes_of_1_kb_and_3_kb_items_and_a_transactional_3_kb_write() -> None:
    # "a standard write request of a 1 KB item would require one WCU, a standard write
    # request of a 3 KB item would require three WCUs, and a transactional write request of a
    # 3 KB item would require six WCUs"
    assert write_units_per_write(1) == 1
    assert write_units_per_write(3) == 3
    assert write_units_per_write(3, transactional=True) == 6
    assert dynamodb_throughput(0, 1, 3, transactional_writes=True).write_capacity_units == 6


# -- planning -------------------------------------------------------------------------------


def test_eventually_consistent_reads_are_half_a_unit_and_round_up() -> None:
    plan = dynamodb_throughput(3, 1, 4)  # 3 x 1/2 = 1.5 RCU -> 2
    assert plan.read_capacity_units == 2
    assert plan.limit("read capacity units").utilization == pytest.approx(0.75)
    assert plan.write_capacity_units == 4


def test_the_busier_side_binds_and_the_headroom_is_its_spare() -> None:
    plan = dynamodb_throughput(1_000, 150, 2.5, read_consistency="strong")
    assert plan.read_capacity_units == 1_000
    assert plan.write_capacity_units == 450
    assert plan.binding_limit == "read capacity units"
    assert plan.headroom == 0
    assert plan.summary().startswith("DynamoDB table: 1,000 read_capacity_units, 450 write")


def test_growth_factor_pads_the_rates() -> None:
    plan = dynamodb_throughput(100, 100, 1, read_consistency="strong", growth_factor=1.5)
    assert (plan.read_capacity_units, plan.write_capacity_units) == (150, 150)


def test_indexes_get_their_own_capacity_from_projection_and_write_share() -> None:
    index = IndexLoad("ByCustomer", projected_item_kb=1.5, write_share=0.25, reads_per_second=50)
    plan = dynamodb_throughput(100, 400, 6, indexes=[index], size_gb=60)
    # 400 writes x 25% x ceil(1.5 KB) = 200 WCU; 50 eventual reads of <= 4 KB = 25 RCU
    assert plan.index_capacity == {"ByCustomer": (25, 200)}
    assert plan.capacity["ByCustomer write_capacity_units"] == 200
    assert plan.index_partitions["ByCustomer"].size_gb == pytest.approx(15)
    assert any("two writes" in note for note in plan.notes)
    assert plan.usage["dynamodb.wcu-hour"] == (2_400 + 200) * 730


def test_the_partition_plan_and_hot_key_check_follow_from_the_units() -> None:
    plan = dynamodb_throughput(
        12_000, 250, 4, read_consistency="strong", size_gb=50, hot_key_share=0.3
    )
    # 250 writes of 4 KB = 1,000 WCU; 12,000 / 3,000 + 1,000 / 1,000 = 5 partitions
    assert plan.partitions == dynamodb_partitions(12_000, 1_000, 50, hot_key_share=0.3)
    assert plan.partitions.partitions == 5
    assert any("busiest partition key" in note for note in plan.notes)
    # 30% of 12,000 RCU is 3,600 on one key: the hot-key limit is already broken
    assert plan.limit("hot key reads per partition").utilization == pytest.approx(1.2)
    assert first_binding_limit(plan).first.name == "hot key reads per partition"


def test_provisioned_and_on_demand_are_priced_at_the_load() -> None:
    plan = dynamodb_throughput(100, 10, 1, read_consistency="strong", size_gb=10)
    provisioned = monthly_cost(plan)
    on_demand = monthly_cost(plan.on_demand_usage)
    # 100 RCU x 730 h x $0.00013 + 10 WCU x 730 h x $0.00065 + 10 GB x $0.25
    assert provisioned.usd == pytest.approx(100 * 730 * 0.00013 + 10 * 730 * 0.00065 + 2.5)
    # 100 RRU/s and 10 WRU/s for 2,628,000 s
    assert on_demand.usd == pytest.approx(100 * 2.628 * 0.125 + 10 * 2.628 * 0.625 + 2.5)
    assert "dynamodb.rcu-hour" in provisioned.unconfirmed


def test_a_load_over_the_table_quota_is_planned_with_a_note_and_negative_headroom() -> None:
    plan = dynamodb_throughput(50_000, 1, 4, read_consistency="strong")
    assert plan.read_capacity_units == 50_000
    assert plan.binding_limit == "table read quota"
    assert plan.headroom == pytest.approx(-0.25)
    assert any("over the default table read quota" in note for note in plan.notes)


def test_growth_report_names_the_table_quota_beyond_the_capacity() -> None:
    plan = dynamodb_throughput(10_000, 0.5, 4, read_consistency="strong")
    report = first_binding_limit(plan, factors=(2, 10))
    assert report.first.name == "read capacity units"
    broken = [limit.name for limit in report.broken[10.0]]
    assert "table read quota" in broken  # 100,000 RCU > 40,000
    assert "table read quota" not in [limit.name for limit in report.broken[2.0]]


# -- bad loads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((-1, 1, 1), {}, r"reads_per_second must be at least 0 /s, got -1 /s"),
        ((1, float("nan"), 1), {}, r"writes_per_second must be a number, got nan"),
        ((float("inf"), 1, 1), {}, r"reads_per_second must be a finite number, got inf"),
        ((1e12, 1, 1), {}, r"reads_per_second must be at most 1,000,000,000 /s"),
        ((0, 0, 1), {}, r"reads_per_second and writes_per_second must not both be 0"),
        ((1, 1, 0), {}, r"item_kb must be greater than 0 KB, got 0 KB"),
        ((1, 1, 401), {}, r"item_kb must be at most 400 KB \(the DynamoDB item size limit\)"),
        ((1, 1, 1), {"read_consistency": "linearizable"}, r"read_consistency must be one of"),
        ((1, 1, 1), {"transactional_writes": "yes"}, r"transactional_writes must be True or"),
        ((1, 1, 1), {"growth_factor": 0.5}, r"growth_factor must be at least 1, got 0.5"),
        ((1, 1, 1), {"size_gb": -3}, r"size_gb must be at least 0 GB, got -3 GB"),
        (
            (1, 1, 2),
            {"indexes": [IndexLoad("A", 3)]},
            r"indexes\[0\]\.projected_item_kb must be at most item_kb \(2 KB",
        ),
        ((1, 1, 2), {"indexes": [IndexLoad("A", 1, write_share=0)]}, r"write_share must be"),
        (
            (1, 1, 2),
            {"indexes": [IndexLoad("A", 1), IndexLoad("A", 1)]},
            r"indexes\[1\]\.name 'A' is used by another index",
        ),
        ((1, 1, 2), {"indexes": ["A"]}, r"indexes\[0\] must be an IndexLoad, got 'A'"),
    ],
)
def test_bad_loads_are_rejected_naming_the_input(
    args: tuple[float, float, float], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        dynamodb_throughput(*args, **kwargs)  # type: ignore[arg-type]


def test_problems_use_the_callers_names_and_skip_tokens() -> None:
    assert dynamodb_throughput_problems(None, None, None) == []
    assert dynamodb_throughput_problems(
        -1, 1, 1, names={"reads_per_second": "expected_reads_per_second"}
    ) == ["expected_reads_per_second must be at least 0 /s, got -1 /s"]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValueError) as info:
        dynamodb_throughput(-1, -1, 0, read_consistency="x", growth_factor=0)
    assert str(info.value).count(";") == 4


# -- properties -----------------------------------------------------------------------------

FACTORS = {"eventual": Fraction(1, 2), "strong": Fraction(1), "transactional": Fraction(2)}


def _oracle_units(rate: Fraction, per_unit: Fraction) -> int:
    """The smallest whole number of units >= 1 that carries ``rate x per_unit``, counting up."""
    units = 1
    while units < rate * per_unit:
        units += 1
    return units


def _written(value: float) -> Fraction:
    """The number as the user wrote it: a float by its decimal digits (``0.4`` is 2/5)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _kb_blocks(kb: Fraction, block: int) -> int:
    """Blocks of ``block`` KB an item occupies, counting up."""
    blocks = 1
    while blocks * block < kb:
        blocks += 1
    return blocks


rates = st.integers(min_value=0, max_value=2_000) | st.floats(
    min_value=0, max_value=2_000, allow_nan=False
)
sizes = st.floats(min_value=0.01, max_value=40, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    reads=rates,
    writes=rates,
    kb=sizes,
    consistency=st.sampled_from(sorted(FACTORS)),
    transactional=st.booleans(),
)
def test_units_match_the_brute_force_oracle(
    reads: float, writes: float, kb: float, consistency: str, transactional: bool
) -> None:
    if reads == 0 and writes == 0:
        return
    plan = dynamodb_throughput(
        reads, writes, kb, read_consistency=consistency, transactional_writes=transactional
    )
    per_read = _kb_blocks(_written(kb), 4) * FACTORS[consistency]
    per_write = _kb_blocks(_written(kb), 1) * (2 if transactional else 1)
    assert plan.read_capacity_units == _oracle_units(_written(reads), per_read)
    assert plan.write_capacity_units == _oracle_units(_written(writes), per_write)
    assert plan.headroom <= 1
    over_quota = any(limit.utilization > 1 for limit in plan.limits if limit.kind == "quota")
    assert (plan.headroom < 0) == over_quota
    assert any("quota" in note for note in plan.notes) == over_quota
    assert all(limit.utilization <= 1 for limit in plan.limits if limit.kind == "capacity")


@settings(max_examples=100, deadline=None)
@given(
    writes=st.integers(min_value=1, max_value=5_000),
    kb=sizes,
    share=st.floats(min_value=0.01, max_value=1),
    projected=st.floats(min_value=0.01, max_value=1),
)
def test_index_writes_match_the_oracle(
    writes: int, kb: float, share: float, projected: float
) -> None:
    projected_kb = kb * projected
    plan = dynamodb_throughput(
        0, writes, kb, indexes=[IndexLoad("I", projected_kb, write_share=share)]
    )
    expected = _oracle_units(
        _written(writes) * _written(share), Fraction(_kb_blocks(_written(projected_kb), 1))
    )
    assert plan.index_capacity["I"][1] == expected
