"""The planners read a float as the decimal the user wrote (``1.1`` is 11/10), not as the
binary fraction just above or below it: a load exactly at a limit needs exactly the units
for that limit, not one more."""

from __future__ import annotations

from fractions import Fraction

from patterns import capacity


def test_binary_floats_would_round_up_here() -> None:
    """The control: the naive reading is just above the boundary, so ceil() adds one."""
    assert Fraction(10_000) * Fraction(1.1) > 11_000
    assert (Fraction(27_000) / 3_000 + Fraction(1_000) / 1_000) * Fraction(1.1) > 11


def test_kinesis_shards_at_a_growth_of_1_1() -> None:
    # 10,000 records/s x 1.1 = 11,000 records/s = 11 shards at 1,000 records/s each
    plan = capacity.kinesis_shards(
        records_per_second=10_000, average_record_kib=0.1, growth_factor=1.1
    )
    assert plan.shards == 11
    assert plan.write_records_per_s == 11_000


def test_dynamodb_partitions_at_a_growth_of_1_1() -> None:
    # (27,000 / 3,000 + 1,000 / 1,000) x 1.1 = 11 partitions
    plan = capacity.dynamodb_partitions(
        read_capacity_units=27_000, write_capacity_units=1_000, size_gb=1, growth_factor=1.1
    )
    assert plan.partitions == 11
