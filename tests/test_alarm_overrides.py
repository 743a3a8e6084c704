"""Tunable alarms: ``alarm_overrides`` switches any alarm of any pattern off or changes its
threshold, period, evaluation periods and datapoints to alarm; unknown names and values beyond
CloudWatch's limits are PatternValidationErrors; every pattern's docstring lists its alarms.

The per-pattern tests are generated from the minimal (and typical) user cases of
tests/user_apps/cases.py and the alarm names those instances actually create, so a new pattern
or a new alarm is covered without a new test. CloudWatch's limits are PutMetricAlarm's:
"Valid values are 10, 20, 30, and any multiple of 60" for ``Period`` (aws-cdk-lib's metrics
take 1, 5, 10, 30 s or a multiple of 60 s, so 20 s is refused); "Period multiplied by
EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less than one
hour (3,600 seconds), the total evaluation period can't be longer than one day (86,400
seconds)"; ``DatapointsToAlarm`` is the M of "M out of N" (at most EvaluationPeriods).
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Mapping
from typing import Any, cast

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk.assertions import Template

import patterns
from patterns import AlarmOverride, PatternValidationError
from patterns.core.pattern import Pattern
from tests.user_apps.cases import CASES, MINIMAL, NO_ALARMS

WITH_ALARMS = sorted(name for name in MINIMAL if name not in NO_ALARMS)


def _build(pattern: str, configuration: str = "minimal", **extra: object) -> Pattern:
    case = next(c for c in CASES if c.pattern == pattern and c.configuration == configuration)
    stack = cdk.Stack(cdk.App(), f"{case.stack_name}Alarms")
    return cast(Pattern, case.build(stack, **extra))


def _fan_out(stack: cdk.Stack | None = None, **extra: Any) -> patterns.TopicFanOut:
    stack = stack or cdk.Stack(cdk.App(), "Overrides")
    return patterns.TopicFanOut(
        stack, "Orders", queues={"billing": patterns.QueueOptions()}, **extra
    )


def _cfn_alarms(pattern: Pattern) -> list[cw.CfnAlarm]:
    return [c for c in pattern.node.find_all() if isinstance(c, cw.CfnAlarm)]


# -- the docstrings list the alarms ------------------------------------------------------------


def _documented_alarms(cls: type) -> list[str]:
    """The ``Name`` entries of the class docstring's "Alarm names (...):" paragraph."""
    doc = inspect.getdoc(cls) or ""
    match = re.search(r"^Alarm names \(.*?(?:\n\n|\Z)", doc, re.S | re.M)
    assert match, f"{cls.__name__}'s docstring has no 'Alarm names (...)' paragraph"
    return re.findall(r"``([A-Za-z0-9<>]+)``", match[0])


def _matches(name: str, entry: str) -> bool:
    """``BillingDlqNotEmpty`` matches ``<Queue>DlqNotEmpty``; plain entries match exactly."""
    pattern = re.sub(r"<[A-Za-z]+>", "[A-Z][A-Za-z0-9]*", entry)
    return re.fullmatch(pattern, name) is not None


@pytest.mark.parametrize("pattern", WITH_ALARMS)
def test_the_docstring_lists_every_alarm_the_pattern_creates(pattern: str) -> None:
    entries = _documented_alarms(getattr(patterns, pattern))
    for configuration in ("minimal", "typical"):
        names = list(_build(pattern, configuration).alarms)
        assert names, (pattern, configuration)
        missing = [n for n in names if not any(_matches(n, e) for e in entries)]
        assert missing == [], f"{pattern} ({configuration}) does not document {missing}"


def test_the_docstring_check_finds_a_missing_name() -> None:
    assert _matches("BillingDlqNotEmpty", "<Queue>DlqNotEmpty")
    assert not _matches("BillingDlqNotEmpty", "DlqNotEmpty")
    assert not _matches("DlqNotEmpty", "<Queue>DlqNotEmpty")
    assert "NotificationsFailed" in _documented_alarms(patterns.TopicFanOut)


# -- every alarm of every pattern can be switched off and tuned ---------------------------------


@pytest.mark.parametrize("pattern", WITH_ALARMS)
def test_each_alarm_can_be_switched_off(pattern: str) -> None:
    names = list(_build(pattern).alarms)
    first, *others = names
    one_off = _build(pattern, alarm_overrides={first: None})
    assert list(one_off.alarms) == others
    assert len(_cfn_alarms(one_off)) == len(others)

    all_off = _build(pattern, alarm_overrides=dict.fromkeys(names))
    assert all_off.alarms == {}
    assert _cfn_alarms(all_off) == []


TUNED = AlarmOverride(
    threshold=123.5, period=Duration.minutes(2), evaluation_periods=4, datapoints_to_alarm=3
)


def _periods(value: object) -> list[object]:
    """Every ``Period`` in a resolved alarm (its own, or those of a math expression's metrics)."""
    if isinstance(value, Mapping):
        found = [v for k, v in value.items() if k == "Period"]
        return found + [p for v in value.values() for p in _periods(v)]
    if isinstance(value, list):
        return [p for v in value for p in _periods(v)]
    return []


@pytest.mark.parametrize("pattern", WITH_ALARMS)
def test_each_alarm_can_be_overridden(pattern: str) -> None:
    names = list(_build(pattern).alarms)
    tuned = _build(pattern, alarm_overrides=dict.fromkeys(names, TUNED))
    assert list(tuned.alarms) == names
    stack = cdk.Stack.of(tuned)
    resources = Template.from_stack(stack).find_resources("AWS::CloudWatch::Alarm")
    for name, alarm in tuned.alarms.items():
        cfn = alarm.node.default_child
        assert isinstance(cfn, cw.CfnAlarm)
        props = resources[stack.get_logical_id(cfn)]["Properties"]
        assert props["Threshold"] == 123.5, name
        assert props["EvaluationPeriods"] == 4, name
        assert props["DatapointsToAlarm"] == 3, name
        assert _periods(props) and set(_periods(props)) == {120}, (name, props)
        assert "Tuned by alarm_overrides: threshold 123.5, period 2 min" in str(
            props["AlarmDescription"]
        )


@pytest.mark.parametrize("pattern", WITH_ALARMS)
def test_an_unknown_alarm_name_is_an_error_listing_the_valid_ones(pattern: str) -> None:
    names = list(_build(pattern).alarms)
    with pytest.raises(PatternValidationError) as raised:
        _build(pattern, alarm_overrides={"NoSuchAlarm": None, names[0]: None})
    message = str(raised.value)
    assert "alarm_overrides names alarms this pattern does not define: 'NoSuchAlarm'" in message
    listed = message.split("its alarms are: ", 1)[1]
    assert [n for n in names if n not in listed] == []


# -- the overrides' values ----------------------------------------------------------------------


def test_an_override_keeps_the_values_it_does_not_give() -> None:
    fan_out = _fan_out(alarm_overrides={"BillingOldestMessageAge": AlarmOverride(threshold=600)})
    stack = cdk.Stack.of(fan_out)
    Template.from_stack(stack).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Threshold": 600,
            "Period": 300,
            "EvaluationPeriods": 1,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmDescription": cdk.assertions.Match.string_like_regexp(
                "billing queue is older than 2 days.* Tuned by alarm_overrides: threshold 600.$"
            ),
        },
    )
    untouched = fan_out.alarms["BillingDlqNotEmpty"].node.default_child
    assert isinstance(untouched, cw.CfnAlarm)
    assert "Tuned" not in str(untouched.alarm_description)


def test_no_overrides_and_an_empty_mapping_give_the_same_template() -> None:
    plain = _fan_out(cdk.Stack(cdk.App(), "Same"))
    empty = _fan_out(cdk.Stack(cdk.App(), "Same"), alarm_overrides={})
    templates = [Template.from_stack(cdk.Stack.of(p)).to_json() for p in (plain, empty)]
    assert templates[0] == templates[1]


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        (AlarmOverride(threshold=float("nan")), r"\.threshold must be a finite number, got nan"),
        (AlarmOverride(threshold=float("inf")), r"\.threshold must be a finite number, got inf"),
        (AlarmOverride(threshold=True), r"\.threshold must be a number, got True"),
        (AlarmOverride(threshold=cast(Any, "5")), r"\.threshold must be a number, got '5'"),
        (AlarmOverride(period=Duration.seconds(45)), r"\.period must be 10 s, 30 s or a "),
        (AlarmOverride(period=Duration.seconds(90)), r"multiple of 60 s, got 90 s"),
        (AlarmOverride(period=Duration.seconds(0)), r"multiple of 60 s, got 0 s"),
        # PutMetricAlarm accepts 20 s, but aws-cdk-lib's metrics do not
        (AlarmOverride(period=Duration.seconds(20)), r"multiple of 60 s, got 20 s"),
        (AlarmOverride(period=cast(Any, 60)), r"\.period must be an aws_cdk.Duration, got 60"),
        (AlarmOverride(evaluation_periods=0), r"\.evaluation_periods must be at least 1, got 0"),
        (AlarmOverride(evaluation_periods=cast(Any, 1.5)), r"must be a whole number, got 1.5"),
        (AlarmOverride(datapoints_to_alarm=0), r"\.datapoints_to_alarm must be at least 1"),
        (
            AlarmOverride(period=Duration.minutes(1), evaluation_periods=1_441),
            r"evaluates 1441 periods of 1 min = 1441 min; CloudWatch allows at most 1 day "
            r"for a period under 1 h",
        ),
        (
            AlarmOverride(period=Duration.hours(1), evaluation_periods=169),
            r"evaluates 169 periods of 1 h = 169 h; CloudWatch allows at most 7 days for a "
            r"period of 1 h or more",
        ),
        (
            AlarmOverride(evaluation_periods=2, datapoints_to_alarm=3),
            r"alarms on 3 datapoints out of 2 evaluation periods; datapoints_to_alarm must be "
            r"at most evaluation_periods",
        ),
    ],
)
def test_an_override_beyond_cloudwatch_limits_is_an_error(
    override: AlarmOverride, problem: str
) -> None:
    with pytest.raises(PatternValidationError, match=r"Overrides/Orders: 1 invalid prop") as e:
        _fan_out(alarm_overrides={"BillingDlqNotEmpty": override})
    assert re.search(r"alarm_overrides\['BillingDlqNotEmpty'\]" + f".*{problem}", str(e.value))


@pytest.mark.parametrize(
    "override",
    [
        AlarmOverride(period=Duration.seconds(10)),
        AlarmOverride(period=Duration.seconds(30)),
        AlarmOverride(period=Duration.minutes(1), evaluation_periods=1_440),  # exactly 1 day
        AlarmOverride(period=Duration.hours(1), evaluation_periods=168),  # exactly 7 days
        AlarmOverride(period=Duration.days(1), evaluation_periods=7, datapoints_to_alarm=7),
        AlarmOverride(threshold=-5),
    ],
)
def test_overrides_at_cloudwatch_limits_are_accepted(override: AlarmOverride) -> None:
    fan_out = _fan_out(alarm_overrides={"BillingDlqNotEmpty": override})
    assert "BillingDlqNotEmpty" in fan_out.alarms


def test_the_combination_with_the_values_the_pattern_keeps_is_checked() -> None:
    """A 1-minute DLQ alarm evaluated 1,441 times is over a day; the edge's 2-of-3 error-rate
    alarm cannot evaluate a single period; its 3 periods of 3 days are over 7 days."""
    with pytest.raises(PatternValidationError, match=r"1441 periods of 1 min = 1441 min"):
        _fan_out(alarm_overrides={"BillingDlqNotEmpty": AlarmOverride(evaluation_periods=1_441)})
    edge = MINIMAL["EdgeDistribution"]
    with pytest.raises(
        PatternValidationError,
        match=r"alarm_overrides\['ErrorRate5xx'\] alarms on 2 datapoints out of 1 evaluation",
    ):
        edge(
            cdk.Stack(cdk.App(), "Edge"),
            alarm_overrides={"ErrorRate5xx": AlarmOverride(evaluation_periods=1)},
        )
    with pytest.raises(PatternValidationError, match=r"3 periods of 3 days = 9 days"):
        edge(
            cdk.Stack(cdk.App(), "Edge"),
            alarm_overrides={"ErrorRate5xx": AlarmOverride(period=Duration.days(3))},
        )


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        (["BillingDlqNotEmpty"], r"alarm_overrides must be a mapping of alarm name -> "),
        ({3: None}, r"alarm_overrides keys must be alarm names \(str\), got 3"),
        ({"BillingDlqNotEmpty": 5}, r"\['BillingDlqNotEmpty'\] must be an AlarmOverride or None"),
    ],
)
def test_the_prop_must_map_names_to_overrides(overrides: object, problem: str) -> None:
    with pytest.raises(PatternValidationError, match=problem):
        _fan_out(alarm_overrides=overrides)


def test_every_problem_is_reported_at_once_before_any_resource() -> None:
    stack = cdk.Stack(cdk.App(), "Overrides")
    bad = AlarmOverride(threshold=float("nan"), period=Duration.seconds(45), evaluation_periods=0)
    with pytest.raises(PatternValidationError, match="4 invalid prop problems"):
        _fan_out(stack, alarm_overrides={"BillingDlqNotEmpty": bad}, fifo="yes")
    assert not [c for c in stack.node.find_all() if isinstance(c, cdk.CfnResource)]


def test_a_token_threshold_is_passed_through() -> None:
    stack = cdk.Stack(cdk.App(), "Overrides")
    threshold = cdk.CfnParameter(stack, "Threshold", type="Number").value_as_number
    _fan_out(stack, alarm_overrides={"BillingDlqNotEmpty": AlarmOverride(threshold=threshold)})
    Template.from_stack(stack).has_resource_properties(
        "AWS::CloudWatch::Alarm", {"Threshold": {"Ref": "Threshold"}}
    )


def test_a_switched_off_alarm_has_no_dashboard_widget() -> None:
    stack = cdk.Stack(cdk.App(), "Overrides")
    board = cw.Dashboard(stack, "Board")
    fan_out = _fan_out(stack, dashboard=board, alarm_overrides={"BillingDlqNotEmpty": None})
    body = stack.resolve(cast(cw.CfnDashboard, board.node.default_child).dashboard_body)
    text = str(body)
    assert '"title":"BillingOldestMessageAge"' in text
    assert "BillingDlqNotEmpty" not in text
    assert "BillingDlqNotEmpty" not in fan_out.alarms


def test_an_edge_outside_us_east_1_accepts_overrides_of_the_alarms_it_cannot_create() -> None:
    stack = cdk.Stack(cdk.App(), "Edge", env=cdk.Environment(region="eu-west-1"))
    edge = MINIMAL["EdgeDistribution"](
        stack, alarm_overrides={"ErrorRate5xx": AlarmOverride(threshold=2)}
    )
    assert cast(Pattern, edge).alarms == {}
    with pytest.raises(PatternValidationError, match=r"its alarms are: ErrorRate5xx$"):
        MINIMAL["EdgeDistribution"](
            cdk.Stack(cdk.App(), "Edge", env=cdk.Environment(region="eu-west-1")),
            alarm_overrides={"OriginLatency": None},
        )


def test_alarm_override_is_a_frozen_option_type() -> None:
    override = AlarmOverride(threshold=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        override.threshold = 2  # type: ignore[misc]
    assert AlarmOverride() == AlarmOverride(None, None, None, None)
    assert "AlarmOverride" in patterns.__all__


# -- a provisioned table's per-index alarms, and its cache's alarms ----------------------------


def _keyed(name: str) -> Any:
    from aws_cdk import aws_dynamodb as dynamodb

    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def _orders_table(**props: Any) -> patterns.ScalableTable:
    return patterns.ScalableTable(
        cdk.Stack(cdk.App(), "Table"), "Orders", partition_key=_keyed("pk"), **props
    )


def test_a_provisioned_tables_index_alarms_and_capacity_math_can_be_tuned() -> None:
    table = _orders_table(
        read_scaling=patterns.AutoScalingOptions(),
        write_scaling=patterns.AutoScalingOptions(),
        global_secondary_indexes={"byCustomer": patterns.GsiOptions(partition_key=_keyed("c"))},
        alarm_overrides={
            "ByCustomerReadCapacityUtilization": AlarmOverride(period=Duration.minutes(10)),
            "ByCustomerWriteThrottleEvents": None,
        },
    )
    assert "ByCustomerReadThrottleEvents" in table.alarms
    assert "ByCustomerWriteThrottleEvents" not in table.alarms
    cfn = table.alarms["ByCustomerReadCapacityUtilization"].node.default_child
    assert isinstance(cfn, cw.CfnAlarm)
    stack = cdk.Stack.of(table)
    resources = Template.from_stack(stack).find_resources("AWS::CloudWatch::Alarm")
    props = resources[stack.get_logical_id(cfn)]["Properties"]
    assert "Metrics" in props  # a math expression: every period in it is the override's
    assert set(_periods(props)) == {600}


def test_a_tables_cache_alarms_are_tuned_through_its_options() -> None:
    table = _orders_table(cache=patterns.DaxOptions(alarm_overrides={"CpuUtilization": None}))
    assert table.cache is not None
    assert list(table.cache.alarms) == ["ErrorRequestCount", "ThrottledRequestCount"]
    with pytest.raises(PatternValidationError, match=r"(?s)Table/Orders: .*'CpuUtilization'"):
        _orders_table(cache=patterns.DaxOptions(), alarm_overrides={"CpuUtilization": None})
