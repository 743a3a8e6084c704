"""Kinesis on-demand vs provisioned (and the Kinesis developer guide's shard formula),
Firehose object size and count, Flink KPUs: documented examples, bad loads naming the input,
pricing, and properties against brute-force oracles."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import (
    firehose_delivery,
    firehose_delivery_problems,
    flink_kpus,
    kinesis_shards,
    kinesis_stream_mode,
    kinesis_stream_mode_problems,
    monthly_cost,
)

SECONDS_PER_MONTH = 730 * 3_600

# -- Kinesis: the developer guide's formula --------------------------------------------------


def test_the_kinesis_developer_guide_shard_formula() -> None:
    # https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html
    # "number_of_shards = ceiling(max(incoming_write_bandwidth_in_KiB/1024,
    # outgoing_read_bandwidth_in_KiB/2048))", incoming = average_data_size_in_KiB x
    # records_per_second, outgoing = incoming x number_of_consumers.
    # 300 records/s of 10 KiB read by 3 consumers: max(3,000/1,024, 9,000/2,048) = 4.39 -> 5
    plan = kinesis_shards(300, 10, consumers=3)
    assert plan.shards == 5
    assert plan.binding_limit == "read MiB/s"


@settings(max_examples=200, deadline=None)
@given(
    records=st.integers(min_value=1, max_value=900),
    kib=st.integers(min_value=1, max_value=100),
    consumers=st.integers(min_value=1, max_value=5),
)
def test_kinesis_shards_follow_the_developer_guide_formula(
    records: int, kib: int, consumers: int
) -> None:
    # below 1,000 records/s per shard the formula's two bandwidth terms are the whole story
    incoming = Fraction(kib * records)
    expected = max(1, math.ceil(max(incoming / 1_024, incoming * consumers / 2_048)))
    assert kinesis_shards(records, kib, consumers=consumers).shards == expected


# -- Kinesis: on-demand vs provisioned -------------------------------------------------------


def test_a_steady_load_is_cheaper_provisioned() -> None:
    plan = kinesis_stream_mode(2_500, 1)
    assert plan.recommended == "provisioned" and plan.shards == 3
    # 3 shard-months and 2,500 x 1 PUT payload unit per second
    expected = 3 * 730 * 0.015 + 2_500 * SECONDS_PER_MONTH * 0.014 / 1e6
    assert plan.provisioned_usd == pytest.approx(expected)
    assert monthly_cost(plan).usd == pytest.approx(expected)
    gib = 2_500 * SECONDS_PER_MONTH / 1_024**2  # 1 KiB records, written and read once
    assert plan.on_demand_usd == pytest.approx(730 * 0.04 + gib * 0.08 + gib * 0.04)
    assert plan.capacity == {"shards": 3}


def test_a_spiky_load_is_cheaper_on_demand_below_the_crossover() -> None:
    steady = kinesis_stream_mode(10_000, 1)
    crossover = steady.crossover_records_per_second
    assert 0 < crossover < 10_000
    below = kinesis_stream_mode(10_000, 1, average_records_per_second=crossover * 0.9)
    above = kinesis_stream_mode(10_000, 1, average_records_per_second=crossover * 1.1)
    assert below.recommended == "on-demand" and above.recommended == "provisioned"
    at = kinesis_stream_mode(10_000, 1, average_records_per_second=crossover)
    assert at.on_demand_usd == pytest.approx(at.provisioned_usd)
    assert below.limit("on-demand write MiB/s").capacity == 200
    assert any("4 MiB/s of writes at first" in note for note in below.notes)
    assert any("cheaper while the average load stays below" in n for n in steady.notes)


@settings(max_examples=100, deadline=None)
@given(
    peak=st.integers(min_value=1, max_value=50_000),
    share=st.fractions(min_value=Fraction(1, 1_000), max_value=1),
    kib=st.integers(min_value=1, max_value=50),
)
def test_the_recommended_mode_is_the_cheaper_one(peak: int, share: Fraction, kib: int) -> None:
    average = float(peak * share)
    plan = kinesis_stream_mode(peak, kib, average_records_per_second=average)
    cheaper = "on-demand" if plan.on_demand_usd < plan.provisioned_usd else "provisioned"
    assert plan.recommended == cheaper
    # the oracle: price both modes line by line
    shards = kinesis_shards(peak, kib).shards
    provisioned = shards * 730 * 0.015 + average * math.ceil(kib / 25) * SECONDS_PER_MONTH * (
        0.014 / 1e6
    )
    gib_in = average * kib * SECONDS_PER_MONTH / 1_024**2
    assert plan.provisioned_usd == pytest.approx(provisioned)
    assert plan.on_demand_usd == pytest.approx(730 * 0.04 + gib_in * 0.12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"average_records_per_second": 2_000}, r"average_records_per_second must be at most "
         r"records_per_second \(the peak, 1,000\), got 2,000"),
        ({"average_records_per_second": 0}, r"average_records_per_second must be greater than 0"),
        ({"average_record_kib": float("nan")}, r"average_record_kib must be a number"),
        ({"records_per_second": -1}, r"records_per_second must be greater than 0"),
    ],
)  # fmt: skip
def test_bad_stream_loads_are_rejected_naming_the_input(
    kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"records_per_second": 1_000, "average_record_kib": 1}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        kinesis_stream_mode(**arguments)  # type: ignore[arg-type]
    names = {"records_per_second": "records_per_second"}
    assert kinesis_stream_mode_problems(None, None, names=names) == []


# -- Firehose ---------------------------------------------------------------------------------


def test_the_interval_triggers_a_slow_stream_and_the_size_a_fast_one() -> None:
    # 10 records/s of 1 KiB = 10 KiB/s: 300 s of it is 2.93 MiB, under the 5 MiB hint
    slow = firehose_delivery(10, 1)
    assert slow.trigger == "interval"
    assert slow.seconds_between_deliveries == 300
    assert slow.objects_per_hour == 12
    assert slow.object_mib == pytest.approx(10 * 300 / 1_024)
    # 2,560 records/s of 1 KiB = 2.5 MiB/s: the 5 MiB buffer fills in 2 s
    fast = firehose_delivery(2_560, 1)
    assert fast.trigger == "size"
    assert fast.seconds_between_deliveries == 2
    assert fast.objects_per_hour == 1_800
    assert fast.object_mib == 5


def test_each_dynamic_partition_has_its_own_buffer() -> None:
    plan = firehose_delivery(10, 1, partitions=10)
    assert plan.objects_per_hour == 120
    assert plan.object_mib == pytest.approx(300 / 1_024)
    assert any("objects under 1 MiB" in note for note in plan.notes)


def test_direct_put_is_checked_against_its_quotas() -> None:
    plan = firehose_delivery(6_000, 1, source="direct_put")  # 5.86 MiB/s > 5
    assert plan.binding_limit == "Direct PUT requests/s"  # 6,000 single-record calls > 2,000
    assert plan.limit("Direct PUT MiB/s").utilization > 1
    batched = firehose_delivery(6_000, 1, source="direct_put", records_per_request=500)
    assert batched.binding_limit == "Direct PUT MiB/s"
    with pytest.raises(KeyError):
        firehose_delivery(6_000, 1).limit("Direct PUT MiB/s")  # a Kinesis source: no quota


def test_firehose_is_priced_per_5_kb_increment_and_per_object() -> None:
    plan = firehose_delivery(100, 3)  # 3 KiB records are billed as 5 KiB
    assert plan.usage["firehose.gb-ingested"] == pytest.approx(
        100 * 5 * 1_024 * SECONDS_PER_MONTH / 1e9
    )
    assert plan.usage["s3.put-requests"] == pytest.approx(plan.objects_per_hour * 730)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"buffer_mib": 200}, r"buffer_mib must be at most 128 MiB, got 200 MiB"),
        ({"buffer_interval_s": 0}, r"buffer_interval_s must be at least 1 s"),
        ({"buffer_interval_s": 901}, r"buffer_interval_s must be at most 900 s"),
        ({"partitions": 0}, r"partitions must be at least 1"),
        ({"source": "s3"}, r"source must be one of 'kinesis', 'direct_put', got 's3'"),
        ({"records_per_request": 501}, r"records_per_request must be at most 500"),
    ],
)
def test_bad_delivery_loads_are_rejected_naming_the_input(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        firehose_delivery(10, 1, **kwargs)  # type: ignore[arg-type]
    assert firehose_delivery_problems(None, None) == []


@settings(max_examples=60, deadline=None)
@given(
    records=st.integers(min_value=1, max_value=100_000),
    kib=st.integers(min_value=1, max_value=64),
    buffer=st.integers(min_value=1, max_value=128),
    interval=st.integers(min_value=1, max_value=900),
    partitions=st.integers(min_value=1, max_value=50),
)
def test_objects_match_a_second_by_second_simulation(
    records: int, kib: int, buffer: int, interval: int, partitions: int
) -> None:
    plan = firehose_delivery(
        records, kib, buffer_mib=buffer, buffer_interval_s=interval, partitions=partitions
    )
    # the oracle: fill one partition's buffer in 1/100 s steps until a hint triggers
    fill = Fraction(records * kib, 1_024 * partitions)  # MiB/s into one partition
    step = Fraction(1, 100)
    elapsed, held = Fraction(0), Fraction(0)
    while held < buffer and elapsed < interval:
        elapsed += step
        held += fill * step
    assert plan.seconds_between_deliveries == pytest.approx(float(elapsed), abs=1e-2)
    assert plan.object_mib <= buffer + 1e-9


# -- Flink ------------------------------------------------------------------------------------


def test_kpus_follow_the_users_per_kpu_figure_plus_one_for_orchestration() -> None:
    # https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling.html: "One KPU
    # provides you with 1 vCPU and 4 GB of memory ... Allocated KPUs for the application =
    # Parallelism/ParallelismPerKPU"; the pricing page bills one extra KPU for orchestration.
    plan = flink_kpus(10_000, 2_500)
    assert (plan.kpus, plan.parallelism, plan.billed_kpus) == (4, 4, 5)
    assert plan.usage["flink.kpu-hour"] == 5 * 730
    assert plan.usage["flink.storage-gb-month"] == 4 * 50
    packed = flink_kpus(10_000, 2_500, parallelism_per_kpu=4)
    assert (packed.kpus, packed.parallelism) == (4, 16)


def test_state_and_the_kpu_quota_and_the_source_shards() -> None:
    assert flink_kpus(10, 2_500, state_gb=120).kpus == 3  # 120 GB needs 3 x 50 GB
    over = flink_kpus(100_000, 1_000)
    assert over.kpus == 100 and over.binding_limit == "KPUs per application"
    assert any("exceed the 64 KPUs per application" in note for note in over.notes)
    idle = flink_kpus(10_000, 2_500, source_shards=2)
    assert any("exceeds the 2 source shards" in note for note in idle.notes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"records_per_second_per_kpu": 0}, r"records_per_second_per_kpu must be greater than 0"),
        ({"parallelism_per_kpu": 9}, r"parallelism_per_kpu must be at most 8, got 9"),
        ({"state_gb": -1}, r"state_gb must be at least 0 GB, got -1 GB"),
        ({"source_shards": 1.5}, r"source_shards must be a whole number"),
    ],
)
def test_bad_flink_loads_are_rejected_naming_the_input(
    kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"records_per_second": 1_000, "records_per_second_per_kpu": 100}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        flink_kpus(**arguments)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=10**5),
    per_kpu=st.integers(min_value=10, max_value=10**5),
    state=st.integers(min_value=0, max_value=5_000),
)
def test_kpus_are_the_fewest_that_carry_the_rate_and_hold_the_state(
    rate: int, per_kpu: int, state: int
) -> None:
    kpus = 1
    while kpus * per_kpu < rate or kpus * 50 < state:
        kpus += 1
    assert flink_kpus(rate, per_kpu, state_gb=state, max_kpus=10**6).kpus == kpus
