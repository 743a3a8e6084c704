"""kinesis_shards: each limit binding, exact boundaries, enhanced fan-out, growth, errors,
and property tests against a brute-force oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import (
    KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS,
    ShardPlan,
    kinesis_shard_problems,
    kinesis_shards,
)

WRITE_BYTES = "write MiB/s"
WRITE_RECORDS = "write records/s"
READ_BYTES = "read MiB/s"


# -- each limit binding ---------------------------------------------------------------------


def test_write_bytes_binds_for_large_records() -> None:
    # 1,352 records/s of 2 KiB = 2.640625 MiB/s: 3 shards for the bytes, 2 for the records.
    plan = kinesis_shards(1_352, 2)
    assert plan.shards == 3
    assert plan.binding_limit == WRITE_BYTES
    assert plan.shards_by_limit == {WRITE_BYTES: 3, WRITE_RECORDS: 2, READ_BYTES: 2}
    assert plan.write_mib_per_s == pytest.approx(2.640625)
    assert plan.utilization[WRITE_BYTES] == pytest.approx(2.640625 / 3)
    assert plan.summary() == "3 shards (write MiB/s binds, 12% spare)"


def test_write_records_binds_for_small_records() -> None:
    # 4,500 records/s of 0.1 KiB is only 0.44 MiB/s, but a shard takes 1,000 records/s.
    plan = kinesis_shards(4_500, 0.1)
    assert plan.shards == 5
    assert plan.binding_limit == WRITE_RECORDS
    assert plan.shards_by_limit[WRITE_BYTES] == 1
    assert plan.utilization[WRITE_RECORDS] == pytest.approx(0.9)
    assert plan.summary() == "5 shards (write records/s binds, 10% spare)"


def test_read_bytes_binds_with_several_polling_consumers() -> None:
    # 400 records/s of 2 KiB = 0.78125 MiB/s written, read by 3 polling consumers = 2.34 MiB/s.
    plan = kinesis_shards(400, 2, consumers=3)
    assert plan.shards == 2
    assert plan.binding_limit == READ_BYTES
    assert plan.shards_by_limit == {WRITE_BYTES: 1, WRITE_RECORDS: 1, READ_BYTES: 2}
    assert plan.read_mib_per_s == pytest.approx(0.78125 * 3)


def test_enhanced_fan_out_consumers_do_not_share_the_read_limit() -> None:
    polling = kinesis_shards(400, 2, consumers=3)
    fan_out = kinesis_shards(400, 2, consumers=3, enhanced_fan_out=True)
    assert polling.shards == 2
    assert fan_out.shards == 1
    assert fan_out.read_mib_per_s == 0
    assert fan_out.shards_by_limit[READ_BYTES] == 0
    assert fan_out.binding_limit == WRITE_BYTES


def test_example_stack_load() -> None:
    # The example stack's 2,500 records/s of 1.5 KiB read by 2 polling consumers.
    plan = kinesis_shards(2_500, 1.5, consumers=2)
    assert plan.shards == 4
    assert plan.shards_by_limit == {WRITE_BYTES: 4, WRITE_RECORDS: 3, READ_BYTES: 4}
    # write and read need 4 shards at the same utilisation: the tie goes to the write limit.
    assert plan.binding_limit == WRITE_BYTES
    assert plan.summary() == "4 shards (write MiB/s binds, 8% spare)"


# -- exact boundaries -----------------------------------------------------------------------


def test_exactly_one_mib_per_second_needs_one_shard() -> None:
    plan = kinesis_shards(512, 2)  # exactly 1 MiB/s
    assert plan.shards == 1
    assert plan.binding_limit == WRITE_BYTES
    assert plan.utilization[WRITE_BYTES] == 1.0
    assert plan.spare == 0.0
    assert plan.summary() == "1 shard (write MiB/s binds, 0% spare)"


def test_just_over_one_mib_per_second_needs_two_shards() -> None:
    assert kinesis_shards(513, 2).shards == 2
    assert kinesis_shards(512, 2.001).shards == 2


def test_exactly_one_thousand_records_per_second_needs_one_shard() -> None:
    assert kinesis_shards(1_000, 0.5).shards == 1
    assert kinesis_shards(1_000, 0.5).binding_limit == WRITE_RECORDS
    assert kinesis_shards(1_001, 0.5).shards == 2


def test_exactly_two_mib_per_second_read_fits_one_shard() -> None:
    # 1 MiB/s written and read by 2 polling consumers: exactly the 2 MiB/s read limit.
    plan = kinesis_shards(512, 2, consumers=2)
    assert plan.shards == 1
    assert plan.utilization[READ_BYTES] == 1.0
    assert kinesis_shards(512, 2, consumers=3).shards == 2


def test_tiny_load_still_needs_one_shard() -> None:
    plan = kinesis_shards(0.001, 0.001)
    assert plan.shards == 1
    assert plan.spare > 0.99


def test_largest_record_size_is_allowed() -> None:
    # 1,024 KiB records: each record is 1 MiB, so one record per second per shard.
    assert kinesis_shards(3, 1_024).shards == 3


def test_fractional_sizes_on_the_boundary_are_exact() -> None:
    # 4,096 records/s of 0.25 KiB is exactly 1 MiB/s: one shard's worth of bytes (the records
    # need 5 shards), not two.
    plan = kinesis_shards(4_096, 0.25)
    assert plan.shards_by_limit[WRITE_BYTES] == 1
    assert plan.utilization[WRITE_BYTES] == pytest.approx(1 / 5)
    assert plan.shards == 5


# -- growth factor --------------------------------------------------------------------------


def test_growth_factor_multiplies_the_load() -> None:
    assert kinesis_shards(500, 2).shards == 1  # 0.98 MiB/s
    plan = kinesis_shards(500, 2, growth_factor=1.5)  # 1.46 MiB/s
    assert plan.shards == 2
    assert plan.write_records_per_s == 750
    assert plan.write_mib_per_s == pytest.approx(500 * 2 * 1.5 / 1024)
    assert plan.growth_factor == 1.5


def test_growth_factor_of_one_is_no_padding() -> None:
    assert kinesis_shards(512, 2, growth_factor=1).shards == 1


def test_growth_factor_pushing_exactly_onto_a_boundary() -> None:
    # 256 records/s of 2 KiB doubled = exactly 1 MiB/s: still one shard.
    assert kinesis_shards(256, 2, growth_factor=2).shards == 1


# -- notes ----------------------------------------------------------------------------------


def test_many_polling_consumers_get_a_note() -> None:
    assert kinesis_shards(100, 1, consumers=5).notes == ()
    (note,) = kinesis_shards(100, 1, consumers=6).notes
    assert "6 polling consumers" in note
    assert "enhanced fan-out" in note


def test_enhanced_fan_out_consumers_get_no_note() -> None:
    assert kinesis_shards(100, 1, consumers=6, enhanced_fan_out=True).notes == ()


def test_twenty_enhanced_fan_out_consumers_are_allowed() -> None:
    plan = kinesis_shards(
        100, 1, consumers=KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS, enhanced_fan_out=True
    )
    assert plan.shards == 1


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"records_per_second": 0, "average_record_kib": 1},
            r"records_per_second must be greater than 0 records/s, got 0 records/s",
        ),
        (
            {"records_per_second": -5, "average_record_kib": 1},
            r"records_per_second must be greater than 0 records/s, got -5 records/s",
        ),
        (
            {"records_per_second": 10, "average_record_kib": 0},
            r"average_record_kib must be greater than 0 KiB, got 0 KiB",
        ),
        (
            {"records_per_second": 10, "average_record_kib": 1_025},
            r"average_record_kib must be at most 1,024 KiB, got 1,025 KiB",
        ),
        (
            {"records_per_second": 10, "average_record_kib": 1, "consumers": 0},
            r"consumers must be at least 1, got 0",
        ),
        (
            {"records_per_second": 10, "average_record_kib": 1, "consumers": 1.5},
            r"consumers must be a whole number, got 1.5",
        ),
        (
            {"records_per_second": 10, "average_record_kib": 1, "consumers": True},
            r"consumers must be a number, got True",
        ),
        (
            {
                "records_per_second": 10,
                "average_record_kib": 1,
                "consumers": 21,
                "enhanced_fan_out": True,
            },
            r"consumers must be at most 20 with enhanced fan-out \(a stream registers at most 20 "
            r"enhanced fan-out consumers\), got 21",
        ),
        (
            {"records_per_second": 10, "average_record_kib": 1, "growth_factor": 0.99},
            r"growth_factor must be at least 1, got 0.99",
        ),
        (
            {"records_per_second": float("nan"), "average_record_kib": 1},
            r"records_per_second must be a number, got nan",
        ),
        (
            {"records_per_second": float("inf"), "average_record_kib": 1},
            r"records_per_second must be a finite number, got inf",
        ),
        (
            {"records_per_second": 10, "average_record_kib": 1, "growth_factor": float("inf")},
            r"growth_factor must be a finite number, got inf",
        ),
    ],
)
def test_invalid_arguments(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kinesis_shards(**kwargs)  # type: ignore[arg-type]


def test_every_invalid_argument_is_reported_at_once() -> None:
    with pytest.raises(ValueError) as info:
        kinesis_shards(0, 2_000, consumers=0, growth_factor=0.5)
    text = str(info.value)
    for prop in ("records_per_second", "average_record_kib", "consumers", "growth_factor"):
        assert prop in text
    assert text.count(";") == 3


def test_kinesis_shards_raises_what_kinesis_shard_problems_lists() -> None:
    """kinesis_shards raises exactly the problems kinesis_shard_problems lists."""
    problems = kinesis_shard_problems(0, 2_000, consumers=0, growth_factor=0.5)
    assert len(problems) == 4
    with pytest.raises(ValueError) as info:
        kinesis_shards(0, 2_000, consumers=0, growth_factor=0.5)
    assert str(info.value) == "; ".join(problems)
    assert kinesis_shard_problems(10, 1, consumers=2) == []
    # None: not given (or a deploy-time token), not checked
    assert kinesis_shard_problems(None, None, consumers=None, growth_factor=None) == []


def test_a_whole_float_consumer_count_is_planned_exactly() -> None:
    assert kinesis_shards(512, 2, consumers=2.0) == kinesis_shards(512, 2, consumers=2)  # type: ignore[arg-type]


def test_twenty_one_polling_consumers_are_allowed() -> None:
    plan = kinesis_shards(100, 1, consumers=21)
    assert plan.shards == 2  # 0.098 MiB/s x 21 = 2.05 MiB/s read
    assert plan.binding_limit == READ_BYTES


# -- properties against a brute-force oracle ------------------------------------------------


def _demands(
    records: float, kib: float, consumers: int, efo: bool, growth: float
) -> tuple[Fraction, Fraction, Fraction]:
    """Write KiB/s, write records/s and shared read KiB/s, computed independently (in KiB)."""
    rate = Fraction(records) * Fraction(growth)
    write_kib = rate * Fraction(kib)
    read_kib = Fraction(0) if efo else write_kib * consumers
    return write_kib, rate, read_kib


def _satisfies(n: int, demands: tuple[Fraction, Fraction, Fraction]) -> bool:
    write_kib, rate, read_kib = demands
    return n * 1_024 >= write_kib and n * 1_000 >= rate and n * 2_048 >= read_kib


def _oracle(demands: tuple[Fraction, Fraction, Fraction]) -> int:
    """Smallest shard count >= 1 that satisfies every limit, by counting up."""
    n = 1
    while not _satisfies(n, demands):
        n += 1
    return n


# Loads small enough for the counting oracle (at most ~1,200 shards) ...
small_records = st.one_of(
    st.integers(min_value=1, max_value=2_000),
    st.floats(min_value=0.001, max_value=2_000, allow_nan=False, allow_infinity=False),
)
small_kib = st.one_of(
    st.sampled_from([0.5, 1, 1.5, 2, 4, 64, 100]),
    st.floats(min_value=0.001, max_value=100, allow_nan=False, allow_infinity=False),
)
growths = st.one_of(
    st.just(1.0),
    st.floats(min_value=1, max_value=2, allow_nan=False, allow_infinity=False),
)
# ... and the whole domain for the direct minimality check.
any_records = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
any_kib = st.floats(min_value=1e-3, max_value=1_024, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    records=small_records,
    kib=small_kib,
    consumers=st.integers(min_value=1, max_value=6),
    efo=st.booleans(),
    growth=growths,
)
def test_shards_match_the_brute_force_oracle(
    records: float, kib: float, consumers: int, efo: bool, growth: float
) -> None:
    plan = kinesis_shards(
        records, kib, consumers=consumers, enhanced_fan_out=efo, growth_factor=growth
    )
    assert plan.shards == _oracle(_demands(records, kib, consumers, efo, growth))


@settings(max_examples=200, deadline=None)
@given(
    records=any_records,
    kib=any_kib,
    consumers=st.integers(min_value=1, max_value=KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS),
    efo=st.booleans(),
    growth=st.floats(min_value=1, max_value=10, allow_nan=False, allow_infinity=False),
)
def test_shards_are_the_smallest_sufficient_count(
    records: float, kib: float, consumers: int, efo: bool, growth: float
) -> None:
    plan = kinesis_shards(
        records, kib, consumers=consumers, enhanced_fan_out=efo, growth_factor=growth
    )
    demands = _demands(records, kib, consumers, efo, growth)
    assert plan.shards >= 1
    assert _satisfies(plan.shards, demands)
    if plan.shards > 1:
        assert not _satisfies(plan.shards - 1, demands)
    _check_plan_is_consistent(plan)


def _check_plan_is_consistent(plan: ShardPlan) -> None:
    assert plan.shards == max(1, *plan.shards_by_limit.values())
    assert plan.shards_by_limit[plan.binding_limit] == plan.shards
    assert all(0 <= share <= 1 for share in plan.utilization.values())
    assert plan.utilization[plan.binding_limit] == max(plan.utilization.values())
    assert 0 <= plan.spare < 1


@settings(max_examples=200, deadline=None)
@given(
    records=any_records,
    extra=st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    kib=any_kib,
    consumers=st.integers(min_value=1, max_value=20),
)
def test_more_load_never_needs_fewer_shards(
    records: float, extra: float, kib: float, consumers: int
) -> None:
    base = kinesis_shards(records, kib, consumers=consumers)
    assert kinesis_shards(records + extra, kib, consumers=consumers).shards >= base.shards
    assert (
        kinesis_shards(records, kib, consumers=consumers, growth_factor=1.5).shards >= base.shards
    )
    assert (
        kinesis_shards(records, kib, consumers=consumers, enhanced_fan_out=True).shards
        <= base.shards
    )
