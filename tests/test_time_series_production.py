"""TimeSeriesTables made production-ready (issue 14): the deploy-time rotation, the pre-warm
lead time, the alarms of the live tables and of the rotation, the key option."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError, TimeSeriesTables


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Test")


def _series(stack: cdk.Stack, **kwargs: Any) -> TimeSeriesTables:
    kwargs.setdefault("table_prefix", "events")
    kwargs.setdefault(
        "partition_key", dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
    )
    return TimeSeriesTables(stack, "Series", **kwargs)


PROVISIONED = {"hot_read_capacity": 100, "hot_write_capacity": 200}


# -- the deployment runs the rotation -------------------------------------------------------------
def test_the_deployment_runs_the_rotation_through_a_custom_resource() -> None:
    stack = _stack()
    series = _series(stack, **PROVISIONED)
    t = Template.from_stack(stack)
    function_id = stack.get_logical_id(series.function.node.default_child)  # type: ignore[arg-type]
    policy_id = stack.get_logical_id(series.policy.node.default_child)  # type: ignore[arg-type]
    deploy_id = stack.get_logical_id(series.deploy_rotation.node.default_child)  # type: ignore[arg-type]
    t.has_resource(
        "Custom::TimeSeriesTables",
        {
            "DependsOn": [policy_id],
            "Properties": {
                "ServiceToken": {"Fn::GetAtt": [function_id, "Arn"]},
                "Configuration": Match.object_like(
                    {"TABLE_PREFIX": "events", "HOT_WRITE": "200", "PREWARM_LEAD_SECONDS": "10800"}
                ),
                "AlarmDefinitions": Match.string_like_regexp("^[0-9a-f]{64}$"),
            },
        },
    )
    # the schedule starts after the first rotation (and goes first on deletion)
    t.has_resource("AWS::Events::Rule", {"DependsOn": [deploy_id]})
    assert series.tables_cleanup is None  # RETAIN: the tables outlive the stack


def test_a_changed_alarm_definition_reruns_the_deploy_rotation() -> None:
    def fingerprint(percent: float) -> str:
        stack = _stack()
        _series(stack, capacity_alarm_percent=percent, **PROVISIONED)
        (resource,) = Template.from_stack(stack).find_resources("Custom::TimeSeriesTables").values()
        return str(resource["Properties"]["AlarmDefinitions"])

    assert fingerprint(80) == fingerprint(80)
    assert fingerprint(80) != fingerprint(70)


# -- alarms ---------------------------------------------------------------------------------------
def test_live_table_alarms_start_on_a_placeholder_and_the_rotation_may_repoint_them() -> None:
    stack = _stack()
    series = _series(stack, **PROVISIONED)
    t = Template.from_stack(stack)
    for slot in ("current", "next"):
        t.has_resource_properties(
            "AWS::CloudWatch::Alarm",
            {
                "ComparisonOperator": "GreaterThanThreshold",
                "Threshold": 80,
                "EvaluationPeriods": 3,
                "Metrics": Match.array_with(
                    [
                        Match.object_like({"Expression": "100 * c / PERIOD(c) / p"}),
                        Match.object_like(
                            {
                                "Id": "c",
                                "MetricStat": Match.object_like(
                                    {
                                        "Metric": {
                                            "Namespace": "AWS/DynamoDB",
                                            "MetricName": "ConsumedWriteCapacityUnits",
                                            "Dimensions": [
                                                {"Name": "TableName", "Value": f"events-{slot}"}
                                            ],
                                        },
                                        "Stat": "Sum",
                                        "Period": 300,
                                    }
                                ),
                            }
                        ),
                    ]
                ),
            },
        )
    assert {slot: len(alarms) for slot, alarms in series.table_alarms.items()} == {
        "current": 3,
        "next": 3,
    }
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Metrics": Match.array_with(
                [Match.object_like({"Expression": "FILL(r, 0) + FILL(w, 0)"})]
            ),
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 2,
        },
    )
    t.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "PointTableAlarms",
                                "Action": [
                                    "cloudwatch:DescribeAlarms",
                                    "cloudwatch:PutMetricAlarm",
                                ],
                            }
                        )
                    ]
                )
            }
        },
    )


def test_on_demand_tables_alarm_on_throttles_only() -> None:
    series = _series(_stack())
    assert [a.node.id for alarms in series.table_alarms.values() for a in alarms] == [
        "CurrentTableThrottles",
        "NextTableThrottles",
    ]


@pytest.mark.parametrize(
    ("kwargs", "hours"),
    [
        ({}, 3),  # the default lead time, 3 h
        ({"prewarm_lead_time": Duration.minutes(90)}, 2),
        ({"prewarm_lead_time": Duration.hours(60), "period": "week"}, 24),  # CloudWatch's day
        (
            {
                "prewarm_lead_time": Duration.hours(4),
                "rotation_schedule": events.Schedule.cron(minute="0"),
            },
            4,
        ),
    ],
)
def test_rotation_not_succeeded_within_the_lead_time_alarms(
    kwargs: dict[str, Any], hours: int
) -> None:
    stack = _stack()
    _series(stack, **kwargs)
    Template.from_stack(stack).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "ComparisonOperator": "LessThanThreshold",
            "Threshold": 1,
            "EvaluationPeriods": hours,
            "DatapointsToAlarm": hours,
            "TreatMissingData": "breaching",
            "Metrics": Match.array_with(
                [
                    Match.object_like({"Expression": "FILL(invocations, 0) - FILL(errors, 0)"}),
                    Match.object_like(
                        {
                            "Id": "invocations",
                            "MetricStat": Match.object_like({"Period": 3600, "Stat": "Sum"}),
                        }
                    ),
                ]
            ),
        },
    )


# -- customer-managed key ---------------------------------------------------------------------------
def test_the_tables_key_is_customer_managed_by_default_or_the_users() -> None:
    stack = _stack()
    created = _series(stack)
    assert isinstance(created.encryption_key, kms.Key)
    Template.from_stack(stack).has_resource_properties(
        "AWS::KMS::Key",
        {"EnableKeyRotation": True, "Description": Match.string_like_regexp("day tables events")},
    )
    other = _stack()
    key = kms.Key(other, "Mine", enable_key_rotation=True)
    assert _series(other, encryption_key=key).encryption_key is key


# -- validation -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prewarm_lead_time": 3}, "prewarm_lead_time must be a Duration, got int"),
        (
            {"prewarm_lead_time": Duration.seconds(30)},
            "prewarm_lead_time must be at least 1 min, got 30 s",
        ),
        (
            {"prewarm_lead_time": Duration.hours(24)},
            r"prewarm_lead_time must be shorter than the period \(day: 1 days?\), got 1 days?",
        ),
        (
            {"prewarm_lead_time": Duration.days(28), "period": "month"},
            r"prewarm_lead_time must be shorter than the period \(month: 28 days\), got 28 days",
        ),
        (
            {
                "prewarm_lead_time": Duration.minutes(90),
                "rotation_schedule": events.Schedule.rate(Duration.hours(2)),
            },
            r"prewarm_lead_time must be at least the rotation interval \(120 minutes",
        ),
        (
            {"prewarm_lead_time": Duration.minutes(30)},
            r"prewarm_lead_time must be at least the rotation interval \(60 minutes",
        ),
        (
            {"prewarm_lead_time": Duration.seconds(90)},
            "prewarm_lead_time must be a whole number of minutes",
        ),
        ({"capacity_alarm_percent": 0}, "capacity_alarm_percent must be between 1 % and 100 %"),
        ({"capacity_alarm_percent": 150}, "capacity_alarm_percent must be between 1 % and 100 %"),
    ],
)
def test_prewarm_and_alarm_props_are_validated(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _series(_stack(), **kwargs)


def test_a_lead_time_within_a_short_rotation_interval_is_accepted() -> None:
    series = _series(
        _stack(),
        prewarm_lead_time=Duration.minutes(20),
        rotation_schedule=events.Schedule.rate(Duration.minutes(15)),
    )
    assert series.deploy_rotation is not None


def test_a_removed_live_table_alarm_is_not_repointed() -> None:
    stack = _stack()
    series = _series(stack, alarm_overrides={"NextTableThrottles": None}, **PROVISIONED)
    assert [a.node.id for a in series.table_alarms["next"]] == [
        "NextTableReadUtilization",
        "NextTableWriteUtilization",
    ]
    assert "NextTableThrottles" not in series.alarms
