"""ScalableTable's scheduled-capacity contradictions, index planning and workload props
(issues 14 and 15)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_dynamodb as dynamodb

from patterns import PatternValidationError
from patterns.data_tier import AutoScalingOptions, GsiOptions, ScalableTable, ScheduledCapacity


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Test")


def _attr(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def _table(**kwargs: Any) -> ScalableTable:
    kwargs.setdefault("partition_key", _attr("pk"))
    return ScalableTable(_stack(), "Table", **kwargs)


def _night(**kwargs: Any) -> ScheduledCapacity:
    return ScheduledCapacity(
        name="Night", schedule=appscaling.Schedule.cron(hour="22", minute="0"), **kwargs
    )


# -- scheduled-capacity contradictions (issue 14) --------------------------------------------------
@pytest.mark.parametrize(
    ("scaling", "message"),
    [
        (
            AutoScalingOptions(
                min_capacity=50, max_capacity=400, schedules=(_night(max_capacity=10),)
            ),
            r"read_scaling.schedules\['Night'\].max_capacity must be at least the range's "
            r"min_capacity \(50\) when the action keeps it, got 10",
        ),
        (
            AutoScalingOptions(max_capacity=100, schedules=(_night(min_capacity=500),)),
            r"read_scaling.schedules\['Night'\].min_capacity must be at most the range's "
            r"max_capacity \(100\) when the action keeps it, got 500",
        ),
        (
            AutoScalingOptions(schedules=(_night(min_capacity=80, max_capacity=20),)),
            r"read_scaling.schedules\['Night'\].max_capacity must be at least min_capacity "
            r"\(80\), got 20",
        ),
        (
            AutoScalingOptions(min_capacity=200, max_capacity=100),
            r"read_scaling.max_capacity must be at least min_capacity \(200\), got 100",
        ),
    ],
)
def test_scheduled_capacity_contradictions_are_errors(
    scaling: AutoScalingOptions, message: str
) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _table(read_scaling=scaling, write_scaling=AutoScalingOptions())


def test_a_gsis_own_scaling_is_checked_the_same_way() -> None:
    gsi = GsiOptions(
        partition_key=_attr("g"),
        write_scaling=AutoScalingOptions(min_capacity=40, schedules=(_night(max_capacity=5),)),
    )
    with pytest.raises(
        PatternValidationError,
        match=r"byG.*write_scaling.schedules\['Night'\].max_capacity must be at least the "
        r"range's min_capacity \(40\)",
    ):
        _table(
            read_scaling=AutoScalingOptions(),
            write_scaling=AutoScalingOptions(),
            global_secondary_indexes={"byG": gsi},
        )


def test_an_action_that_moves_both_bounds_consistently_is_accepted() -> None:
    night = _night(min_capacity=1, max_capacity=10)
    table = _table(
        read_scaling=AutoScalingOptions(min_capacity=50, max_capacity=400, schedules=(night,)),
        write_scaling=AutoScalingOptions(),
    )
    assert set(table.scaling) == {"Table/Read", "Table/Write"}


# -- index planning (issue 14) ----------------------------------------------------------------------
from fractions import Fraction  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from patterns.capacity.dynamodb_throughput import index_size_gb, index_write_units  # noqa: E402

#: Item sizes from 1 byte to 400 KB (the DynamoDB item limit), in KB.
_KB = st.integers(min_value=1, max_value=400_000).map(lambda b: Fraction(b, 1_000))


@settings(deadline=None)  # the oracle sums item by item: slow on a loaded machine
@given(
    items=st.integers(min_value=0, max_value=2_000),
    sizes=st.tuples(_KB, _KB).map(sorted),
    projection=st.sampled_from(["ALL", "KEYS_ONLY", "INCLUDE"]),
)
def test_index_size_is_the_sum_of_its_projected_items(
    items: int, sizes: list[Fraction], projection: str
) -> None:
    projected_kb, item_kb = sizes
    table_kb = sum((item_kb for _ in range(items)), Fraction(0))  # brute force: item by item
    index_kb = sum(
        ((item_kb if projection == "ALL" else projected_kb) for _ in range(items)), Fraction(0)
    )
    table_gb = table_kb / 1_000_000
    got = index_size_gb(
        float(table_gb), projection, item_kb=float(item_kb), projected_item_kb=float(projected_kb)
    )
    assert got is not None
    assert got == pytest.approx(float(index_kb / 1_000_000), rel=1e-9, abs=1e-12)


def test_a_partial_projection_without_item_sizes_has_no_size() -> None:
    assert index_size_gb(120, "KEYS_ONLY") is None
    assert index_size_gb(120, "ALL") == 120  # the example: ALL of a 120 GB table


@settings(deadline=None)  # the oracle counts write by write
@given(
    writes=st.integers(min_value=0, max_value=5_000),
    share=st.integers(min_value=1, max_value=64).map(lambda k: Fraction(k, 64)),  # exact floats
    sizes=st.tuples(_KB, _KB).map(sorted),
)
def test_index_write_units_count_each_table_write_that_touches_it(
    writes: int, share: Fraction, sizes: list[Fraction]
) -> None:
    projected_kb, item_kb = sizes
    table_units = 0
    index_units = Fraction(0)
    for _ in range(writes):  # brute force: write by write, a share of them touch the index
        table_units += -(-item_kb // 1)  # ceil(item kb) units per table write
        index_units += share * -(-projected_kb // 1)
    got = index_write_units(
        table_units,
        write_share=float(share),
        item_kb=float(item_kb),
        projected_item_kb=float(projected_kb),
    )
    assert got == -(-index_units // 1)  # ceil
    # without item sizes: the table's units times the share, an upper bound
    assert index_write_units(table_units, write_share=float(share)) >= got


def _provisioned(**kwargs: Any) -> dict[str, Any]:
    return {
        "read_scaling": AutoScalingOptions(min_capacity=5, max_capacity=1_000),
        "write_scaling": AutoScalingOptions(min_capacity=5, max_capacity=2_000),
        **kwargs,
    }


def test_an_all_projected_index_is_planned_with_the_tables_size() -> None:
    table = _table(
        expected_size_gb=120,
        global_secondary_indexes={"byG": GsiOptions(partition_key=_attr("g"))},
        **_provisioned(),
    )
    # 120 GB / 10 GB per partition = 12 (the throughput needs 1,000/3,000 + 2,000/1,000 = 3)
    assert table.index_capacity_plans["byG"].partitions == 12


def test_a_keys_only_index_is_planned_from_its_projected_items() -> None:
    gsi = GsiOptions(
        partition_key=_attr("g"),
        projection_type=dynamodb.ProjectionType.KEYS_ONLY,
        projected_item_kb=0.5,
    )
    table = _table(
        expected_size_gb=120, item_kb=4, global_secondary_indexes={"byG": gsi}, **_provisioned()
    )
    assert table.index_capacity_plans["byG"].partitions == 3  # 15 GB -> 2, throughput -> 3
    sized = GsiOptions(partition_key=_attr("g"), expected_size_gb=55)
    table = _table(global_secondary_indexes={"byG": sized}, **_provisioned())
    assert table.index_capacity_plans["byG"].partitions == 6


def test_an_index_writing_less_than_the_table_sends_it_is_a_warning() -> None:
    from aws_cdk.assertions import Annotations, Match

    gsi = GsiOptions(
        partition_key=_attr("g"),
        write_scaling=AutoScalingOptions(min_capacity=5, max_capacity=100),
        write_share=0.5,
    )
    table = _table(global_secondary_indexes={"byG": gsi}, **_provisioned())
    Annotations.from_stack(cdk.Stack.of(table)).has_warning(
        "*",
        Match.string_like_regexp(
            r"index byG: its write_scaling maximum \(100 WCU\) is below the 1000 WCU the "
            r"table's peak writes send it \(write_share 0.5\)"
        ),
    )
    # planned for the writes it receives: 1,000 WCU -> 1 + 1,000/3,000 -> 2 partitions
    assert table.index_capacity_plans["byG"].partitions == 2


@pytest.mark.parametrize(
    ("gsi", "table", "message"),
    [
        ({"write_share": 0}, {}, r'\["byG"\].write_share must be above 0'),
        ({"write_share": 1.5}, {}, r'\["byG"\].write_share must be at most 1, got 1.5'),
        ({"expected_size_gb": -1}, {}, r'\["byG"\].expected_size_gb must be at least 0 GB'),
        ({"projected_item_kb": 0}, {}, r'\["byG"\].projected_item_kb must be above 0 KB'),
        (
            {"projected_item_kb": 8},
            {"item_kb": 4},
            r'\["byG"\].projected_item_kb must be at most item_kb \(4 KB',
        ),
        ({}, {"item_kb": 401}, "item_kb must be at most 400 KB, got 401"),
        ({}, {"item_kb": 0}, "item_kb must be above 0 KB"),
    ],
)
def test_index_load_props_are_validated(
    gsi: dict[str, Any], table: dict[str, Any], message: str
) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _table(
            global_secondary_indexes={"byG": GsiOptions(partition_key=_attr("g"), **gsi)},
            **_provisioned(**table),
        )


# -- workload instead of raw units (issue 15) -------------------------------------------------------
from patterns.data_tier import TableWorkload, TimeSeriesTables  # noqa: E402

#: The DynamoDB Developer Guide's unit rules ("Read/write capacity mode"): a strongly
#: consistent read is one RCU per 4 KB (rounded up), a write one WCU per 1 KB (rounded up):
#: 80 strong reads/s of 6 KB items = 80 x 2 = 160 RCU; 100 writes/s of 1.5 KB = 200 WCU.
GUIDE = TableWorkload(
    reads_per_second=80, writes_per_second=100, item_kb=6, read_consistency="strong"
)


def test_a_table_sized_from_its_workload_reports_both_billing_costs() -> None:
    from aws_cdk.assertions import Annotations, Match

    table = _table(workload=GUIDE)
    assert table.throughput_plan is not None and table.workload_costs is not None
    assert (
        table.throughput_plan.read_capacity_units,
        table.throughput_plan.write_capacity_units,
    ) == (
        160,
        600,  # 6 KB items: ceil(6) = 6 WCU per write
    )
    assert table.capacity_plan is not None  # planned from the workload's peaks (on-demand)
    assert not table.provisioned
    costs = table.workload_costs
    # provisioned: (160 x 0.00013 + 600 x 0.00065) $/h x 730 h
    assert costs.provisioned.usd == pytest.approx((160 * 0.00013 + 600 * 0.00065) * 730)
    # on-demand: requests x seconds per month x price per million
    seconds = 730 * 3600
    assert costs.on_demand.usd == pytest.approx((160 * 0.125 + 600 * 0.625) * seconds / 1_000_000)
    assert costs.cheaper == "provisioned"
    Annotations.from_stack(cdk.Stack.of(table)).has_warning(
        "*", Match.string_like_regexp(r"at the stated workload provisioned costs \$")
    )


def test_the_workload_plans_each_gsi_from_its_projection_and_write_share() -> None:
    gsi = GsiOptions(partition_key=_attr("g"), projected_item_kb=1, write_share=0.5)
    table = _table(
        workload=TableWorkload(
            reads_per_second=10,
            writes_per_second=100,
            item_kb=6,
            index_reads_per_second={"byG": 40},
        ),
        global_secondary_indexes={"byG": gsi},
    )
    assert table.throughput_plan is not None
    # writes 100 x 0.5 x ceil(1 KB) = 50 WCU; reads 40 x 1/2 (eventual, 1 KB) = 20 RCU
    assert table.throughput_plan.index_capacity == {"byG": (20, 50)}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"read_scaling": AutoScalingOptions(), "write_scaling": AutoScalingOptions()},
            "read_scaling is exclusive with workload",
        ),
        ({"peak_write_units": 100}, "peak_write_units is exclusive with workload"),
        ({"item_kb": 2}, "item_kb is exclusive with workload"),
    ],
)
def test_the_workload_and_raw_units_exclude_each_other(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _table(workload=GUIDE, **kwargs)


@pytest.mark.parametrize(
    ("workload", "message"),
    [
        (TableWorkload(-1, 10, 1), "workload.reads_per_second must be at least 0"),
        (TableWorkload(10, 10, 500), "workload.item_kb must be at most 400 KB"),
        (TableWorkload(10, 10, 1, read_consistency="linear"), "workload.read_consistency"),
        (TableWorkload(0, 0, 1), "must not both be 0"),
        (
            TableWorkload(1, 1, 1, index_reads_per_second={"nope": 3}),
            "workload.index_reads_per_second names 'nope', which is not a GSI",
        ),
        ({"reads": 1}, "workload must be a TableWorkload, got dict"),
    ],
)
def test_bad_workloads_are_errors(workload: Any, message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _table(workload=workload)


def test_time_series_hot_capacity_from_the_workload() -> None:
    from aws_cdk.assertions import Template

    stack = _stack()
    series = TimeSeriesTables(
        stack, "Series", table_prefix="events", partition_key=_attr("id"), workload=GUIDE
    )
    assert series.provisioned and series.workload_costs is not None
    Template.from_stack(stack).has_resource_properties(
        "AWS::Lambda::Function",
        {"Environment": {"Variables": {"HOT_READ": "160", "HOT_WRITE": "600"}}},
    )
    with pytest.raises(
        PatternValidationError, match="hot_read_capacity is exclusive with workload"
    ):
        TimeSeriesTables(
            _stack(),
            "Series",
            table_prefix="events",
            partition_key=_attr("id"),
            workload=GUIDE,
            hot_read_capacity=5,
            hot_write_capacity=5,
        )
