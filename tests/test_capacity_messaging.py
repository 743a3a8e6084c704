"""sqs_fifo_queue and sns_topic: AWS's documented FIFO quotas reproduced, batching and high
throughput, message groups, bad loads naming the input, pricing, and properties against a
brute-force oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.capacity import (
    QUOTA,
    first_binding_limit,
    monthly_cost,
    sns_topic,
    sns_topic_problems,
    sqs_fifo_queue,
    sqs_fifo_queue_problems,
)
from patterns.capacity.sqs import billed_chunks

SECONDS_PER_MONTH = 730 * 3_600

# -- AWS's documented figures ----------------------------------------------------------------


def test_a_fifo_queue_takes_300_calls_per_second_or_3000_messages_in_batches_of_10() -> None:
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/
    # troubleshooting-fifo-throttling-issues.html: "By default, FIFO queues support 300
    # transactions per second, per API action ... batch actions ... up to 3,000 messages per
    # second per API action" (quotas-messages.html: "3,000 transactions per second represent
    # 300 API calls, each with a batch of 10 messages").
    assert sqs_fifo_queue(300).headroom == 0
    assert sqs_fifo_queue(301).headroom < 0
    assert sqs_fifo_queue(3_000, batch_size=10).headroom == 0
    assert sqs_fifo_queue(3_001, batch_size=10).headroom < 0
    limit = sqs_fifo_queue(300).limit("API calls/s per action")
    assert (limit.capacity, limit.kind) == (300, QUOTA)


def test_high_throughput_raises_the_quota_to_70000_calls_in_us_east_1() -> None:
    plan = sqs_fifo_queue(70_000, high_throughput=True)
    assert plan.headroom == 0 and plan.needs_high_throughput
    assert sqs_fifo_queue(700_000, batch_size=10, high_throughput=True).headroom == 0
    assert plan.limit("API calls/s per action").source.url.endswith("/quotas-messages.html")


def test_a_fifo_topic_takes_3000_messages_and_20_mb_per_second_in_topic_scope() -> None:
    # https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_sns.FifoThroughputScope.html
    # "TOPIC: Topic scope - Throughput: 3000 messages per second and a bandwidth of 20MB per
    # second."
    assert sns_topic(3_000, fifo=True).headroom == 0
    assert sns_topic(3_001, fifo=True).binding_limit == "published messages/s"
    # 1,000 messages/s of 19.53125 KiB = 20,000,000 bytes/s
    big = sns_topic(1_000, fifo=True, average_message_kib=19.53125)
    assert big.binding_limit == "published MB/s"
    assert big.headroom == pytest.approx(0)


# -- planning ---------------------------------------------------------------------------------


def test_the_way_out_of_the_fifo_quota_names_batching_and_high_throughput() -> None:
    plan = sqs_fifo_queue(2_000)
    report = first_binding_limit(plan)
    assert report.breaks_at < 1
    assert "batch 10 messages per call" in report.advice()
    assert "high_throughput_fifo" in report.advice()
    assert any("batches of 10 carry it" in note for note in plan.notes)
    assert any(
        "only high_throughput_fifo carries it" in note for note in sqs_fifo_queue(5_000).notes
    )


def test_with_high_throughput_a_message_group_is_one_partition() -> None:
    plan = sqs_fifo_queue(6_000, high_throughput=True, message_groups=10)
    assert plan.binding_limit == "API calls/s per message group"
    assert plan.limit("API calls/s per message group").demand == 600
    assert plan.headroom == pytest.approx(-1)
    assert sqs_fifo_queue(6_000, high_throughput=True, message_groups=20).headroom == 0


def test_an_sns_high_throughput_fifo_topic_and_its_message_groups() -> None:
    plan = sns_topic(30_000, fifo=True, high_throughput=True)
    assert plan.headroom == 0
    grouped = sns_topic(3_000, fifo=True, high_throughput=True, message_groups=5)
    assert grouped.binding_limit == "messages/s per message group"
    assert grouped.headroom == pytest.approx(-1)
    assert any("enable high_throughput_fifo" in n for n in sns_topic(4_000, fifo=True).notes)


def test_the_standard_publish_quota() -> None:
    plan = sns_topic(15_000)
    assert plan.limit("published messages/s").capacity == 30_000
    assert plan.headroom == pytest.approx(0.5)
    assert plan.what == "SNS topic"


def test_queues_and_topics_are_priced_per_64_kb_request() -> None:
    # a send, a receive and a delete per batch; 10 messages of 8 KiB = 80 KiB = 2 chunks
    plan = sqs_fifo_queue(100, batch_size=10, average_message_kib=8)
    assert plan.usage["sqs.fifo-requests"] == pytest.approx(3 * 10 * 2 * SECONDS_PER_MONTH)
    assert monthly_cost(plan).usd == pytest.approx(3 * 10 * 2 * SECONDS_PER_MONTH * 0.5e-6)
    topic = sns_topic(10, fifo=True, average_message_kib=100)  # 100 KiB = 2 chunks
    assert topic.usage["sns.fifo-publishes"] == pytest.approx(10 * 2 * SECONDS_PER_MONTH)
    assert topic.usage["sns.fifo-publish-gb"] == pytest.approx(
        10 * 100 * 1_024 * SECONDS_PER_MONTH / 1e9
    )
    assert sns_topic(10).usage == {"sns.standard-publishes": 10 * SECONDS_PER_MONTH}
    assert billed_chunks(1, Fraction(64)) == 1 and billed_chunks(1, Fraction(65)) == 2


# -- bad loads -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"messages_per_second": 0}, r"messages_per_second must be greater than 0 messages/s"),
        ({"messages_per_second": -5}, r"messages_per_second must be greater than 0"),
        ({"messages_per_second": float("nan")}, r"messages_per_second must be a number, got nan"),
        ({"messages_per_second": float("inf")}, r"messages_per_second must be a finite number"),
        ({"messages_per_second": 1e12}, r"messages_per_second must be at most 100,000,000"),
        (
            {"messages_per_second": 1, "batch_size": 11},
            r"batch_size must be at most 10 \(an SQS batch request carries at most 10",
        ),
        ({"messages_per_second": 1, "batch_size": 2.5}, r"batch_size must be a whole number"),
        ({"messages_per_second": 1, "average_message_kib": 2_000}, r"average_message_kib"),
        ({"messages_per_second": 1, "high_throughput": "yes"}, r"high_throughput must be True"),
        ({"messages_per_second": 1, "message_groups": 0}, r"message_groups must be at least 1"),
        ({"messages_per_second": 1, "growth_factor": 0.5}, r"growth_factor must be at least 1"),
    ],
)
def test_bad_queue_loads_are_rejected_naming_the_input(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sqs_fifo_queue(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"messages_per_second": 0}, r"messages_per_second must be greater than 0"),
        (
            {"messages_per_second": 1, "high_throughput": True},
            r"high_throughput applies to FIFO topics only \(fifo=True\), got fifo=False",
        ),
        ({"messages_per_second": 1, "average_message_kib": 300}, r"at most 256 KiB"),
        ({"messages_per_second": 1, "batch_size": 0}, r"batch_size must be at least 1"),
    ],
)
def test_bad_topic_loads_are_rejected_naming_the_input(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sns_topic(**kwargs)  # type: ignore[arg-type]


def test_problems_use_the_callers_names_and_skip_what_is_not_given() -> None:
    lines = sqs_fifo_queue_problems(-1, names={"messages_per_second": "expected_messages"})
    assert lines == ["expected_messages must be greater than 0 messages/s, got -1 messages/s"]
    assert sqs_fifo_queue_problems(None, batch_size=None) == []
    assert sns_topic_problems(None) == []


# -- properties against a brute-force oracle -------------------------------------------------


def _fits(rate: int, batch: int, high: bool, groups: int | None) -> bool:
    """Count the calls one second of the load makes, a batch at a time (a whole call for a
    partly filled batch: the quotas are whole numbers, so this agrees with rate / batch)."""
    quota = 70_000 if high else 300
    calls, sent = 0, 0
    while sent < rate:
        sent += batch
        calls += 1
    if calls > quota:
        return False
    if high and groups is not None:
        per_group = 0
        while per_group * groups < calls:
            per_group += 1
        return per_group <= 300
    return True


@settings(max_examples=200, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=20_000),
    batch=st.integers(min_value=1, max_value=10),
    high=st.booleans(),
    groups=st.none() | st.integers(min_value=1, max_value=100),
)
def test_the_fifo_queue_fits_exactly_when_the_oracle_says_so(
    rate: int, batch: int, high: bool, groups: int | None
) -> None:
    plan = sqs_fifo_queue(rate, batch_size=batch, high_throughput=high, message_groups=groups)
    assert (plan.headroom >= 0) == _fits(rate, batch, high, groups)
    assert plan.calls_per_second == pytest.approx(rate / batch)


@settings(max_examples=200, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=50_000),
    kib=st.integers(min_value=1, max_value=256),
    fifo=st.booleans(),
)
def test_the_topic_fits_exactly_when_every_quota_holds(rate: int, kib: int, fifo: bool) -> None:
    plan = sns_topic(rate, fifo=fifo, average_message_kib=kib)
    fifo_fits = rate <= 3_000 and rate * kib * 1_024 <= 20 * 10**6
    fits = fifo_fits if fifo else rate <= 30_000
    assert (plan.headroom >= 0) == fits
