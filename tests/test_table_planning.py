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
