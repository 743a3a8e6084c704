"""EventDrivenFunction: assertions on the example stacks, variants and every validation error."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Annotations, Match, Template
from constructs import IConstruct

from patterns import PatternValidationError
from patterns.event_function import LATEST_PYTHON, EventDrivenFunction, handler_code
from patterns.event_function.function import XRAY_ACTIONS
from tests.conftest import SynthResult, new_stack

RULES = "EventFunctionExample"
CONSUMER = "QueueConsumerExample"
INLINE = lambda_.Code.from_inline("def handler(event, context):\n    return event\n")


def _one(resources: dict[str, dict[str, Any]], prefix: str) -> dict[str, Any]:
    matches = [r for lid, r in resources.items() if lid.startswith(prefix)]
    assert len(matches) == 1, f"{prefix}: {len(matches)} matches"
    return matches[0]


def _logical_id(resources: dict[str, dict[str, Any]], prefix: str) -> str:
    (match,) = [lid for lid in resources if lid.startswith(prefix)]
    return match


# -- the function, in every example ----------------------------------------------------------


@pytest.mark.parametrize("stack_name", [RULES, CONSUMER, "WorkflowExample"])
def test_functions_are_hardened(synth: SynthResult, stack_name: str) -> None:
    functions = synth.resources(stack_name, "AWS::Lambda::Function")
    groups = synth.resources(stack_name, "AWS::Logs::LogGroup")
    assert functions
    for logical_id, fn in functions.items():
        props = fn["Properties"]
        assert props["Runtime"] == LATEST_PYTHON.name == "python3.14", logical_id
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert props["MemorySize"] == 256
        assert props["Architectures"] == ["arm64"]
        assert props["ReservedConcurrentExecutions"] >= 1
        assert props["LoggingConfig"]["LogFormat"] == "JSON"
        group = groups[props["LoggingConfig"]["LogGroup"]["Ref"]]
        assert group["Properties"]["RetentionInDays"] == 90
        assert group["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize("stack_name", [RULES, CONSUMER])
def test_function_roles_have_no_managed_policies_and_exact_log_grants(
    synth: SynthResult, stack_name: str
) -> None:
    for role in synth.resources(stack_name, "AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]
    for policy in synth.resources(stack_name, "AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            assert all(not a.endswith("*") for a in actions), statement
            if statement["Resource"] == "*":
                assert set(actions) <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
            if "logs:PutLogEvents" in actions:
                assert statement["Resource"]["Fn::GetAtt"][1] == "Arn"


def test_async_failures_go_to_an_encrypted_dlq_with_exact_grants(synth: SynthResult) -> None:
    resources = synth.templates[RULES]["Resources"]
    config = _one(synth.resources(RULES, "AWS::Lambda::EventInvokeConfig"), "OrderPlaced")
    props = config["Properties"]
    assert props["MaximumRetryAttempts"] == 2
    assert props["MaximumEventAgeInSeconds"] == 6 * 3600
    dlq_id = props["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    assert dlq_id.startswith("OrderPlacedDlq")
    dlq = resources[dlq_id]["Properties"]
    assert dlq["MessageRetentionPeriod"] == 14 * 86_400
    key_id = dlq["KmsMasterKeyId"]["Fn::GetAtt"][0]
    assert resources[key_id]["Properties"]["EnableKeyRotation"] is True
    statements = _one(synth.resources(RULES, "AWS::IAM::Policy"), "OrderPlacedRole")["Properties"][
        "PolicyDocument"
    ]["Statement"]
    by_sid = {s.get("Sid"): s for s in statements}
    assert by_sid["SendFailedInvocations"]["Action"] == "sqs:SendMessage"
    assert by_sid["SendFailedInvocations"]["Resource"] == {"Fn::GetAtt": [dlq_id, "Arn"]}
    assert sorted(by_sid["EncryptFailedInvocations"]["Action"]) == [
        "kms:Decrypt",
        "kms:GenerateDataKey",
    ]
    assert by_sid["EncryptFailedInvocations"]["Resource"] == {"Fn::GetAtt": [key_id, "Arn"]}


def test_function_depends_on_its_policies_not_on_the_role(synth: SynthResult) -> None:
    resources = synth.templates[RULES]["Resources"]
    fn = _one(synth.resources(RULES, "AWS::Lambda::Function"), "OrderPlaced")
    default, tracing = fn["DependsOn"]
    assert default.startswith("OrderPlacedRoleDefaultPolicy")
    assert tracing.startswith("OrderPlacedTracingPolicy")
    assert {resources[d]["Type"] for d in fn["DependsOn"]} == {"AWS::IAM::Policy"}


@pytest.mark.parametrize("stack_name", [RULES, CONSUMER])
def test_xray_wildcard_is_in_a_tracing_policy_of_its_own(
    synth: SynthResult, stack_name: str
) -> None:
    for logical_id, policy in synth.resources(stack_name, "AWS::IAM::Policy").items():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        if "TracingPolicy" in logical_id:
            assert statements == [
                {
                    "Action": sorted(XRAY_ACTIONS),
                    "Effect": "Allow",
                    "Resource": "*",
                }
            ]
        elif "Role" in logical_id:
            assert all(s["Resource"] != "*" for s in statements), logical_id


def _acknowledged(construct: IConstruct) -> dict[str, str]:
    """The cdk-nag acknowledgements written on ``construct`` itself."""
    found: dict[str, str] = {}
    for entry in construct.node.metadata:
        if entry.type == "aws:cdk:acknowledged-rules":
            found.update(entry.data)
    return found


def test_a_wildcard_added_to_the_role_is_not_acknowledged() -> None:
    stack = new_stack()
    fn = EventDrivenFunction(stack, "Fn", code=INLINE, handler="index.handler")
    fn.role.add_to_principal_policy(
        iam.PolicyStatement(actions=["dynamodb:DeleteItem"], resources=["*"])
    )
    default_policy = fn.role.node.find_child("DefaultPolicy")
    for construct in (fn.role, default_policy, default_policy.node.find_child("Resource")):
        assert _acknowledged(construct) == {}, construct.node.path
    assert list(_acknowledged(fn.node.find_child("TracingPolicy"))) == [
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]"
    ]


# -- EventBridge rule ------------------------------------------------------------------------


def test_rule_on_the_custom_bus_has_a_dlq_and_retry_policy(synth: SynthResult) -> None:
    rules = synth.resources(RULES, "AWS::Events::Rule")
    bus_id = next(iter(synth.resources(RULES, "AWS::Events::EventBus")))
    fn_id = _logical_id(synth.resources(RULES, "AWS::Lambda::Function"), "OrderPlaced")
    rule = _one(rules, "OrderPlacedRule")["Properties"]
    assert rule["EventBusName"] == {"Ref": bus_id}
    assert rule["EventPattern"] == {
        "source": ["scalable-patterns.orders"],
        "detail-type": ["OrderPlaced"],
    }
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [fn_id, "Arn"]}
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 8, "MaximumEventAgeInSeconds": 7200}
    assert target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0].startswith("OrderPlacedRuleDlq")


def test_rule_dlq_lets_eventbridge_send_only_for_this_rule(synth: SynthResult) -> None:
    rule_id = _logical_id(synth.resources(RULES, "AWS::Events::Rule"), "OrderPlacedRule")
    policy = _one(synth.resources(RULES, "AWS::SQS::QueuePolicy"), "OrderPlacedRuleDlqPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allow = [s for s in statements if s["Effect"] == "Allow"]
    assert allow and allow[0]["Principal"] == {"Service": "events.amazonaws.com"}
    assert allow[0]["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Fn::GetAtt": [rule_id, "Arn"]}


def test_rule_dlq_key_lets_eventbridge_encrypt(synth: SynthResult) -> None:
    key = _one(synth.resources(RULES, "AWS::KMS::Key"), "OrderPlacedDlqKey")
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    assert any(s.get("Principal") == {"Service": "events.amazonaws.com"} for s in statements)


def test_scheduled_rule_runs_on_the_default_bus(synth: SynthResult) -> None:
    rule = _one(synth.resources(RULES, "AWS::Events::Rule"), "NightlyRule")["Properties"]
    assert rule["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert "EventBusName" not in rule
    assert "DeadLetterConfig" in rule["Targets"][0]
    config = _one(synth.resources(RULES, "AWS::Lambda::EventInvokeConfig"), "Nightly")
    assert config["Properties"]["MaximumRetryAttempts"] == 1


def test_archive_keeps_matching_events_for_replay(synth: SynthResult) -> None:
    bus_id = next(iter(synth.resources(RULES, "AWS::Events::EventBus")))
    synth.template(RULES).has_resource_properties(
        "AWS::Events::Archive",
        {
            "SourceArn": {"Fn::GetAtt": [bus_id, "Arn"]},
            "RetentionDays": 30,
            "EventPattern": {
                "source": ["scalable-patterns.orders"],
                "detail-type": ["OrderPlaced"],
            },
        },
    )


def test_rule_alarms_use_the_bus_and_rule_dimensions(synth: SynthResult) -> None:
    alarms = synth.resources(RULES, "AWS::CloudWatch::Alarm")
    failed = [
        a["Properties"]
        for a in alarms.values()
        if a["Properties"].get("MetricName") == "FailedInvocations"
    ]
    assert len(failed) == 2
    dimension_sets = sorted(sorted(d["Name"] for d in a["Dimensions"]) for a in failed)
    # the custom-bus rule is measured per bus and rule, the default-bus rule per rule
    assert dimension_sets == [["EventBusName", "RuleName"], ["RuleName"]]
    names = {lid.split("Alarms")[1][:-8] for lid in alarms if "Alarms" in lid}
    assert {
        "Errors",
        "Throttles",
        "DlqNotEmpty",
        "RuleDlqNotEmpty",
        "RuleFailedInvocations",
    } <= names


# -- SQS queue -------------------------------------------------------------------------------


def test_queue_source_reports_partial_failures_with_batching_and_concurrency(
    synth: SynthResult,
) -> None:
    queue_id = _logical_id(
        synth.resources(CONSUMER, "AWS::SQS::Queue"), "OrderEventsFulfilmentQueue"
    )
    fn_id = next(iter(synth.resources(CONSUMER, "AWS::Lambda::Function")))
    synth.template(CONSUMER).has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "EventSourceArn": {"Fn::GetAtt": [queue_id, "Arn"]},
            "FunctionName": {"Ref": fn_id},
            "BatchSize": 10,
            "MaximumBatchingWindowInSeconds": 5,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "ScalingConfig": {"MaximumConcurrency": 5},
        },
    )


def test_queue_consumer_has_no_async_dlq_and_can_decrypt_the_queue(synth: SynthResult) -> None:
    t = synth.template(CONSUMER)
    t.resource_count_is("AWS::Lambda::EventInvokeConfig", 0)
    fn = next(iter(synth.resources(CONSUMER, "AWS::Lambda::Function").values()))
    assert "DeadLetterConfig" not in fn["Properties"]
    key_id = _logical_id(synth.resources(CONSUMER, "AWS::KMS::Key"), "OrderEventsFulfilmentKey")
    statements = next(iter(synth.resources(CONSUMER, "AWS::IAM::Policy").values()))["Properties"][
        "PolicyDocument"
    ]["Statement"]
    assert {
        "Action": "kms:Decrypt",
        "Effect": "Allow",
        "Resource": {"Fn::GetAtt": [key_id, "Arn"]},
    } in statements


def test_queue_visibility_is_six_times_the_consumer_timeout(synth: SynthResult) -> None:
    queue = _one(synth.resources(CONSUMER, "AWS::SQS::Queue"), "OrderEventsFulfilmentQueue")
    fn = next(iter(synth.resources(CONSUMER, "AWS::Lambda::Function").values()))
    assert queue["Properties"]["VisibilityTimeout"] >= 6 * fn["Properties"]["Timeout"]


def test_queue_age_alarm_watches_the_source_queue(synth: SynthResult) -> None:
    queue_id = _logical_id(
        synth.resources(CONSUMER, "AWS::SQS::Queue"), "OrderEventsFulfilmentQueue"
    )
    synth.template(CONSUMER).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "ApproximateAgeOfOldestMessage",
            "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue_id, "QueueName"]}}],
            "Threshold": 900,
            "AlarmDescription": Match.string_like_regexp("FulfilmentConsumer"),
        },
    )


# -- variants --------------------------------------------------------------------------------


def _fn(stack: cdk.Stack | None = None, **props: Any) -> EventDrivenFunction:
    stack = stack or new_stack()
    props.setdefault("code", INLINE)
    props.setdefault("handler", "index.handler")
    return EventDrivenFunction(stack, "Fn", **props)


def test_without_a_trigger_the_function_still_has_its_dlq_and_alarms() -> None:
    fn = _fn()
    assert fn.rule is None and fn.event_source is None and fn.archive is None
    assert fn.dead_letter_queue is not None
    assert set(fn.alarms) == {"Errors", "Throttles", "DlqNotEmpty"}


def test_archive_on_the_default_bus() -> None:
    stack = new_stack()
    _fn(
        stack,
        event_pattern=events.EventPattern(source=["aws.s3"]),
        archive_retention=Duration.days(7),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Events::Archive",
        {"RetentionDays": 7, "SourceArn": Match.object_like({"Fn::Join": Match.any_value()})},
    )
    alarm = next(
        a
        for a in template.find_resources("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "FailedInvocations"
    )
    assert [d["Name"] for d in alarm["Properties"]["Dimensions"]] == ["RuleName"]


def test_short_visibility_timeout_warns() -> None:
    stack = new_stack()
    queue = sqs.Queue(stack, "Queue", visibility_timeout=Duration.seconds(60))
    _fn(stack, queue=queue, timeout=Duration.seconds(30))
    Annotations.from_stack(stack).has_warning(
        "*", Match.string_like_regexp("below 6x the function timeout")
    )


def test_handler_code_needs_an_existing_module_file() -> None:
    with pytest.raises(ValueError, match="no handler module"):
        handler_code("stacks/handlers/does_not_exist.py")
    with pytest.raises(ValueError, match="no handler module"):
        handler_code("stacks/handlers")


def test_metric_failed_invocations_needs_a_rule() -> None:
    with pytest.raises(ValueError, match="has no EventBridge rule"):
        _fn().metric_failed_invocations()


# -- validation ------------------------------------------------------------------------------


def test_handler_must_be_module_dot_function() -> None:
    with pytest.raises(
        PatternValidationError, match=r"handler must be module.function .*got 'handler'"
    ):
        _fn(handler="handler")


def test_runtime_must_be_python() -> None:
    with pytest.raises(
        PatternValidationError, match=r"runtime must be a Python runtime, got 'nodejs22.x'"
    ):
        _fn(runtime=lambda_.Runtime.NODEJS_22_X)


def test_code_must_be_lambda_code() -> None:
    with pytest.raises(PatternValidationError, match=r"code must be a lambda_.Code, got str"):
        _fn(code="def handler(): pass")


def test_memory_size_range() -> None:
    with pytest.raises(
        PatternValidationError, match=r"memory_size must be between 128 MB and 10,240 MB, got 64 MB"
    ):
        _fn(memory_size=64)


def test_timeout_range() -> None:
    with pytest.raises(
        PatternValidationError, match=r"timeout must be between 1 s and 15 min, got 16 min"
    ):
        _fn(timeout=Duration.minutes(16))


def test_reserved_concurrency_at_least_one() -> None:
    with pytest.raises(
        PatternValidationError, match=r"reserved_concurrency must be at least 1, got 0"
    ):
        _fn(reserved_concurrency=0)


def test_async_retry_attempts_range() -> None:
    with pytest.raises(
        PatternValidationError, match=r"async_retry_attempts must be between 0 and 2, got 3"
    ):
        _fn(async_retry_attempts=3)


def test_async_max_event_age_range() -> None:
    with pytest.raises(
        PatternValidationError, match=r"async_max_event_age must be between 1 min and 6 h, got 7 h"
    ):
        _fn(async_max_event_age=Duration.hours(7))


def test_only_one_trigger() -> None:
    stack = new_stack()
    queue = sqs.Queue(stack, "Queue", visibility_timeout=Duration.minutes(5))
    with pytest.raises(
        PatternValidationError, match=r"event_pattern cannot be combined with queue"
    ):
        _fn(stack, event_pattern=events.EventPattern(source=["x"]), queue=queue)


def test_schedule_cannot_use_a_custom_bus() -> None:
    stack = new_stack()
    bus = events.EventBus(stack, "Bus")
    with pytest.raises(PatternValidationError, match=r"event_bus cannot be used with schedule"):
        _fn(stack, schedule=events.Schedule.rate(Duration.hours(1)), event_bus=bus)


def test_event_bus_needs_an_event_pattern() -> None:
    stack = new_stack()
    bus = events.EventBus(stack, "Bus")
    with pytest.raises(PatternValidationError, match=r"event_bus applies only with event_pattern"):
        _fn(stack, event_bus=bus)


def test_archive_needs_an_event_pattern() -> None:
    with pytest.raises(
        PatternValidationError, match=r"archive_retention applies only with event_pattern"
    ):
        _fn(schedule=events.Schedule.rate(Duration.hours(1)), archive_retention=Duration.days(3))


def test_archive_retention_whole_days_of_at_least_one() -> None:
    pattern = events.EventPattern(source=["x"])
    with pytest.raises(
        PatternValidationError, match=r"archive_retention must be at least 1 day, got 12 h"
    ):
        _fn(event_pattern=pattern, archive_retention=Duration.hours(12))
    with pytest.raises(
        PatternValidationError, match=r"archive_retention must be whole days, got 36 h"
    ):
        _fn(event_pattern=pattern, archive_retention=Duration.hours(36))


def test_rule_retry_attempts_range() -> None:
    with pytest.raises(
        PatternValidationError, match=r"rule_retry_attempts must be between 0 and 185, got 186"
    ):
        _fn(event_pattern=events.EventPattern(source=["x"]), rule_retry_attempts=186)


def test_rule_max_event_age_range() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"rule_max_event_age must be between 1 min and 1 day, got 30 s",
    ):
        _fn(
            event_pattern=events.EventPattern(source=["x"]), rule_max_event_age=Duration.seconds(30)
        )


def _queue(stack: cdk.Stack, **props: Any) -> sqs.Queue:
    props.setdefault("visibility_timeout", Duration.minutes(5))
    return sqs.Queue(stack, "Queue", **props)


def test_batch_size_range() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"batch_size must be between 1 and 10,000, got 0"
    ):
        _fn(stack, queue=_queue(stack), batch_size=0)


def test_batch_size_above_ten_needs_a_window() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"batch_size above 10 needs a max_batching_window"
    ):
        _fn(stack, queue=_queue(stack), batch_size=100)


def test_fifo_queue_limits() -> None:
    stack = new_stack()
    queue = _queue(stack, fifo=True)
    with pytest.raises(PatternValidationError) as info:
        _fn(stack, queue=queue, batch_size=20, max_batching_window=Duration.seconds(5))
    assert info.value.problems == (
        "batch_size must be at most 10 for a FIFO queue, got 20",
        "max_batching_window is not supported for FIFO queues",
    )


def test_max_batching_window_range() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError,
        match=r"max_batching_window must be between 0 s and 5 min, got 6 min",
    ):
        _fn(stack, queue=_queue(stack), max_batching_window=Duration.minutes(6))


def test_max_concurrency_range() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"max_concurrency must be between 2 and 1,000, got 1"
    ):
        _fn(stack, queue=_queue(stack), max_concurrency=1)


def test_max_concurrency_at_most_reserved_concurrency() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"max_concurrency must be at most reserved_concurrency \(5\)"
    ):
        _fn(stack, queue=_queue(stack), max_concurrency=10, reserved_concurrency=5)


def test_queue_options_need_a_queue() -> None:
    with pytest.raises(PatternValidationError) as info:
        _fn(max_batching_window=Duration.seconds(5), max_concurrency=5)
    assert info.value.problems == (
        "max_batching_window applies only to a queue source, got no queue",
        "max_concurrency applies only to a queue source, got no queue",
    )


def test_timeout_must_fit_the_queue_visibility_timeout() -> None:
    stack = new_stack()
    queue = sqs.Queue(stack, "Queue")  # the SQS default visibility: 30 s
    with pytest.raises(
        PatternValidationError,
        match=r"timeout must not exceed the queue's visibility timeout \(30 s\)",
    ):
        _fn(stack, queue=queue, timeout=Duration.minutes(1))


def test_queue_age_alarm_threshold_at_least_a_minute() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"queue_age_alarm_threshold must be at least 1 min, got 10 s"
    ):
        _fn(stack, queue=_queue(stack), queue_age_alarm_threshold=Duration.seconds(10))


def test_several_problems_are_reported_together() -> None:
    with pytest.raises(PatternValidationError) as info:
        _fn(memory_size=1, timeout=Duration.hours(1), handler="bad")
    assert len(info.value.problems) == 3


def test_tokens_are_not_checked() -> None:
    stack = new_stack()
    memory = cdk.CfnParameter(stack, "Memory", type="Number").value_as_number
    timeout = cdk.CfnParameter(stack, "Timeout", type="Number").value_as_number
    fn = _fn(stack, memory_size=memory, timeout=Duration.seconds(timeout))  # type: ignore[arg-type]
    assert fn.function is not None


def test_an_imported_queue_skips_the_visibility_check() -> None:
    stack = new_stack()
    queue = sqs.Queue.from_queue_arn(stack, "Imported", "arn:aws:sqs:eu-west-1:111122223333:orders")
    fn = _fn(stack, queue=queue, timeout=Duration.minutes(10))
    assert fn.event_source is not None


# -- input audit: Lambda limits, wrong types and props of a trigger the function lacks ------

_HOURLY = events.Schedule.rate(Duration.hours(1))


def _source_queue(stack: cdk.Stack) -> sqs.Queue:
    return sqs.Queue(stack, "Source", visibility_timeout=Duration.minutes(5))


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"description": "x" * 257}, "description must be at most 256 characters, got 257"),
        ({"description": 5}, "description must be a string, got int 5"),
        ({"environment": {"AWS_REGION": "eu-west-1"}}, "key AWS_REGION is reserved"),
        ({"environment": {"1ST-KEY": "x"}}, "keys must start with a letter .*got '1ST-KEY'"),
        ({"environment": {"X": "x"}}, "keys must start with a letter and hold 2 or more"),
        ({"environment": {"LEVEL": 5}}, "values must be strings, got LEVEL=5"),
        (
            {"environment": {"BLOB": "x" * 4_100}},
            "environment must total at most 4,096 bytes .*got 4,104",
        ),
        ({"environment": ["LEVEL=debug"]}, "environment must be a mapping of names to strings"),
        ({"timeout": Duration.millis(1_500)}, "timeout must be a whole number of seconds"),
        ({"architecture": "arm64"}, "architecture must be a lambda_.Architecture, got str"),
        ({"log_retention": 90}, "log_retention must be a logs.RetentionDays, got int 90"),
        ({"schedule": "rate(1 hour)"}, "schedule must be an events.Schedule, got str"),
        (
            {"event_pattern": events.EventPattern(source=["app"]), "event_bus": "orders"},
            "event_bus must be an events.IEventBus, got str",
        ),
        ({"queue": "arn:aws:sqs:queue"}, "queue must be an sqs.IQueue, got str"),
        (
            {"schedule": _HOURLY, "rule_max_event_age": Duration.millis(60_500)},
            "rule_max_event_age must be a whole number of seconds, got 60.5 s",
        ),
        (
            {"async_max_event_age": Duration.millis(60_500)},
            "async_max_event_age must be a whole number of seconds",
        ),
        (
            {"queue": "QUEUE", "max_batching_window": Duration.millis(500)},
            "max_batching_window must be a whole number of seconds, got 0.5 s",
        ),
        (
            {"queue": "QUEUE", "report_batch_item_failures": "no"},
            "report_batch_item_failures must be True or False",
        ),
        ({"removal_policy": "destroy"}, "removal_policy must be a RemovalPolicy"),
        ({"alarm_topic": "arn:aws:sns:x"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
        ({"batch_size": 100}, "batch_size applies only to a queue source, got 100"),
        (
            {"report_batch_item_failures": False},
            "report_batch_item_failures applies only to a queue source",
        ),
        (
            {"queue_age_alarm_threshold": Duration.minutes(5)},
            "queue_age_alarm_threshold applies only to a queue source, got 5 min",
        ),
        (
            {"rule_retry_attempts": 3},
            "rule_retry_attempts applies only with event_pattern or schedule, got 3",
        ),
        (
            {"rule_max_event_age": Duration.hours(1)},
            "rule_max_event_age applies only with event_pattern or schedule, got 1 h",
        ),
        (
            {"queue": "QUEUE", "async_retry_attempts": 0},
            "async_retry_attempts applies only to asynchronous invocations",
        ),
        (
            {"queue": "QUEUE", "async_max_event_age": Duration.hours(1)},
            "async_max_event_age applies only to asynchronous invocations",
        ),
    ],
)
def test_function_rejects_lambda_limits_wrong_types_and_unused_props(
    props: dict[str, Any], message: str
) -> None:
    stack = new_stack()
    if props.get("queue") == "QUEUE":
        props["queue"] = _source_queue(stack)
    with pytest.raises(PatternValidationError, match=message):
        _fn(stack, **props)
