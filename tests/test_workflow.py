"""Workflow, WorkflowActivity and the retry/catch helpers: example assertions, variants, errors."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from aws_cdk.assertions import Match, Template
from constructs import IConstruct

from patterns import PatternValidationError
from patterns.workflow import (
    DETERMINISTIC_ERRORS,
    RetryPolicy,
    Workflow,
    WorkflowActivity,
    add_catch,
    add_retry,
)
from patterns.workflow.logging import LOG_DELIVERY_ACTIONS, XRAY_ACTIONS
from tests.conftest import SynthResult, new_stack

STACK = "WorkflowExample"


def _definition(template: dict[str, Any]) -> dict[str, Any]:
    """The ASL of the only state machine, with every reference replaced by ``<ref>``."""
    machines = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    assert len(machines) == 1
    body = machines[0]["Properties"]["DefinitionString"]
    if isinstance(body, dict):
        body = "".join(p if isinstance(p, str) else "<ref>" for p in body["Fn::Join"][1])
    result: dict[str, Any] = json.loads(body)
    return result


def _all_states(states: dict[str, Any]) -> dict[str, Any]:
    """Every state, including those inside Parallel branches and Map processors."""
    found = dict(states)
    for state in states.values():
        for branch in state.get("Branches", []):
            found.update(_all_states(branch["States"]))
        if "ItemProcessor" in state:
            found.update(_all_states(state["ItemProcessor"]["States"]))
    return found


def _template(stack: cdk.Stack) -> dict[str, Any]:
    return Template.from_stack(stack).to_json()


# -- the example ---------------------------------------------------------------------------------


def test_example_uses_every_kind_of_state(synth: SynthResult) -> None:
    states = _all_states(_definition(synth.templates[STACK])["States"])
    kinds = {state["Type"] for state in states.values()}
    assert {"Choice", "Task", "Parallel", "Wait", "Map", "Succeed", "Fail"} <= kinds
    assert len(_definition(synth.templates[STACK])["States"]["ReserveAndCharge"]["Branches"]) == 2


def test_example_state_machine_logs_all_levels_traces_and_times_out(synth: SynthResult) -> None:
    t = synth.template(STACK)
    t.has_resource_properties(
        "AWS::StepFunctions::StateMachine",
        {
            "StateMachineType": "STANDARD",
            "TracingConfiguration": {"Enabled": True},
            "LoggingConfiguration": {
                "Level": "ALL",
                "IncludeExecutionData": False,
                "Destinations": [
                    {
                        "CloudWatchLogsLogGroup": {
                            "LogGroupArn": {"Fn::GetAtt": [Match.any_value(), "Arn"]}
                        }
                    }
                ],
            },
        },
    )
    assert _definition(synth.templates[STACK])["TimeoutSeconds"] == 2 * 86_400


def test_example_log_group_has_a_retention_and_is_retained(synth: SynthResult) -> None:
    groups = synth.resources(STACK, "AWS::Logs::LogGroup")
    workflow_logs = [g for lid, g in groups.items() if lid.startswith("OrderFulfilmentLogs")]
    assert len(workflow_logs) == 1
    assert workflow_logs[0]["Properties"]["RetentionInDays"] == 365
    assert workflow_logs[0]["DeletionPolicy"] == "Retain"


def test_example_records_the_order_with_a_direct_dynamodb_integration(synth: SynthResult) -> None:
    states = _all_states(_definition(synth.templates[STACK])["States"])
    record = states["RecordOrder"]
    assert record["Resource"].endswith(":states:::dynamodb:putItem")
    assert record["Parameters"]["Item"]["order_id"] == {"S.$": "$.order.order_id"}
    assert record["Parameters"]["Item"]["status"] == {"S": "FULFILLED"}
    assert states["RecordFailure"]["Parameters"]["Item"]["status"] == {"S": "FAILED"}
    synth.template(STACK).has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [{"AttributeName": "order_id", "KeyType": "HASH"}],
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        },
    )


def test_example_tasks_retry_with_jitter_and_fail_fast_on_invalid_orders(
    synth: SynthResult,
) -> None:
    states = _all_states(_definition(synth.templates[STACK])["States"])
    for name in ("Validate", "Reserve", "Charge", "Pack"):
        no_retry, retry = states[name]["Retry"]
        assert no_retry["MaxAttempts"] == 0
        assert "InvalidOrder" in no_retry["ErrorEquals"]
        assert retry == {
            "ErrorEquals": ["States.ALL"],
            "IntervalSeconds": 2,
            "MaxAttempts": 3,
            "BackoffRate": 2,
            "MaxDelaySeconds": 60,
            "JitterStrategy": "FULL",
        }
    # the Parallel is not retried as a whole (that would charge twice)
    assert "Retry" not in states["ReserveAndCharge"]


def test_example_failures_are_caught_and_recorded(synth: SynthResult) -> None:
    states = _all_states(_definition(synth.templates[STACK])["States"])
    for name in ("Validate", "ReserveAndCharge", "AwaitApproval", "PackItems", "RecordOrder"):
        assert states[name]["Catch"] == [
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecordFailure"}
        ], name
    assert states["RecordFailure"]["Next"] == "OrderFailed"


def test_example_large_orders_wait_for_the_approval_activity(synth: SynthResult) -> None:
    states = _all_states(_definition(synth.templates[STACK])["States"])
    choice = states["NeedsApproval"]
    assert choice["Choices"][0]["NumericGreaterThan"] == 1000
    assert choice["Choices"][0]["Next"] == "AwaitApproval"
    assert choice["Default"] == "WaitForWarehouse"
    approval = states["AwaitApproval"]
    assert approval["HeartbeatSeconds"] == 300
    assert approval["TimeoutSeconds"] == 86_400
    assert approval["Resource"] == "<ref>"  # the activity's ARN
    assert states["PackItems"]["MaxConcurrency"] == 5


def test_example_worker_role_may_poll_only_its_activity(synth: SynthResult) -> None:
    policies = synth.resources(STACK, "AWS::IAM::Policy")
    worker = [p for lid, p in policies.items() if lid.startswith("ApprovalWorkerRole")]
    assert len(worker) == 1
    (statement,) = worker[0]["Properties"]["PolicyDocument"]["Statement"]
    assert sorted(statement["Action"]) == [
        "states:GetActivityTask",
        "states:SendTaskFailure",
        "states:SendTaskHeartbeat",
        "states:SendTaskSuccess",
    ]
    activity_id = next(iter(synth.resources(STACK, "AWS::StepFunctions::Activity")))
    assert statement["Resource"] == {"Ref": activity_id}


def test_example_alarms_on_each_execution_outcome_with_the_state_machine_dimension(
    synth: SynthResult,
) -> None:
    alarms = synth.resources(STACK, "AWS::CloudWatch::Alarm")
    machine_id = next(iter(synth.resources(STACK, "AWS::StepFunctions::StateMachine")))
    by_metric = {
        a["Properties"]["MetricName"]: a["Properties"]
        for a in alarms.values()
        if a["Properties"].get("Namespace") == "AWS/States"
        and a["Properties"]["Dimensions"][0]["Name"] == "StateMachineArn"
    }
    for metric in (
        "ExecutionsFailed",
        "ExecutionsTimedOut",
        "ExecutionThrottled",
        "ExecutionsAborted",
    ):
        alarm = by_metric[metric]
        assert alarm["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": machine_id}}]
        assert alarm["Threshold"] == 0
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
        assert len(alarm["AlarmActions"]) == 1


def test_example_publishes_failed_executions_to_the_failure_topic(synth: SynthResult) -> None:
    t = synth.template(STACK)
    machine_id = next(iter(synth.resources(STACK, "AWS::StepFunctions::StateMachine")))
    topic_id = next(
        lid for lid in synth.resources(STACK, "AWS::SNS::Topic") if lid.startswith("FailureTopic")
    )
    t.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": {
                "source": ["aws.states"],
                "detail-type": ["Step Functions Execution Status Change"],
                "detail": {
                    "status": ["FAILED", "TIMED_OUT", "ABORTED"],
                    "stateMachineArn": [{"Ref": machine_id}],
                },
            },
            "Targets": [
                Match.object_like(
                    {
                        "Arn": {"Ref": topic_id},
                        "DeadLetterConfig": {
                            "Arn": {"Fn::GetAtt": [Match.string_like_regexp("FailureDlq"), "Arn"]}
                        },
                        "RetryPolicy": {
                            "MaximumRetryAttempts": 185,
                            "MaximumEventAgeInSeconds": 86_400,
                        },
                    }
                )
            ],
        },
    )


def test_example_state_machine_depends_on_its_policies_not_on_the_role(
    synth: SynthResult,
) -> None:
    (machine,) = synth.resources(STACK, "AWS::StepFunctions::StateMachine").values()
    default, logs_and_tracing = machine["DependsOn"]
    assert default.startswith("OrderFulfilmentRoleDefaultPolicy")
    assert logs_and_tracing.startswith("OrderFulfilmentLogsAndTracingPolicy")
    resources = synth.templates[STACK]["Resources"]
    assert {resources[d]["Type"] for d in machine["DependsOn"]} == {"AWS::IAM::Policy"}


def test_log_delivery_and_xray_wildcards_are_in_a_policy_of_their_own(synth: SynthResult) -> None:
    policies = synth.resources(STACK, "AWS::IAM::Policy")
    (own,) = [p for lid, p in policies.items() if lid.startswith("OrderFulfilmentLogsAndTracing")]
    (statement,) = own["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Resource"] == "*"
    assert set(statement["Action"]) == set(LOG_DELIVERY_ACTIONS) | set(XRAY_ACTIONS)
    (default,) = [p for lid, p in policies.items() if lid.startswith("OrderFulfilmentRoleDefault")]
    for statement in default["Properties"]["PolicyDocument"]["Statement"]:
        assert statement["Resource"] != "*", statement  # the tasks' grants name resources


def _acknowledged(construct: IConstruct) -> dict[str, str]:
    """The cdk-nag acknowledgements written on ``construct`` itself."""
    found: dict[str, str] = {}
    for entry in construct.node.metadata:
        if entry.type == "aws:cdk:acknowledged-rules":
            found.update(entry.data)
    return found


def test_only_the_logs_and_tracing_policy_carries_the_wildcard_acknowledgement() -> None:
    stack = new_stack()
    flow = Workflow(stack, "Flow", definition=sfn.Pass(stack, "Only"))
    flow.role.add_to_principal_policy(iam.PolicyStatement(actions=["sqs:*"], resources=["*"]))
    assert list(_acknowledged(flow.logs_and_tracing_policy)) == [
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]"
    ]
    default_policy = flow.role.node.find_child("DefaultPolicy")
    for construct in (flow.role, default_policy, default_policy.node.find_child("Resource")):
        assert _acknowledged(construct) == {}, construct.node.path
    machine = next(
        r
        for r in _template(stack)["Resources"].values()
        if r["Type"] == "AWS::StepFunctions::StateMachine"
    )
    assert len(machine["DependsOn"]) == 1  # the logs policy (the user's came later)


def test_logs_and_tracing_policy_without_tracing_has_no_xray_grant() -> None:
    stack = new_stack()
    flow = Workflow(stack, "Flow", definition=sfn.Pass(stack, "Only"), tracing=False)
    (statement,) = stack.resolve(flow.logs_and_tracing_policy.document.to_json())["Statement"]
    assert set(statement["Action"]) == set(LOG_DELIVERY_ACTIONS)
    Template.from_stack(stack).resource_count_is("AWS::IAM::Policy", 1)  # no default policy


# -- variants ------------------------------------------------------------------------------------


def test_express_workflow_defaults_to_a_five_minute_timeout() -> None:
    stack = new_stack()
    Workflow(
        stack,
        "Flow",
        definition=sfn.Pass(stack, "Only"),
        workflow_type=sfn.StateMachineType.EXPRESS,
        include_execution_data=True,
    )
    template = _template(stack)
    (machine,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    assert machine["Properties"]["StateMachineType"] == "EXPRESS"
    assert machine["Properties"]["LoggingConfiguration"]["IncludeExecutionData"] is True
    assert _definition(template)["TimeoutSeconds"] == 300


def test_standard_workflow_defaults_to_one_hour_and_no_failure_rule() -> None:
    stack = new_stack()
    flow = Workflow(stack, "Flow", definition=sfn.Pass(stack, "Only"))
    assert _definition(_template(stack))["TimeoutSeconds"] == 3_600
    assert flow.failure_rule is None and flow.failure_dead_letter_queue is None
    Template.from_stack(stack).resource_count_is("AWS::Events::Rule", 0)
    assert set(flow.alarms) == {
        "ExecutionsFailed",
        "ExecutionsTimedOut",
        "ExecutionsThrottled",
        "ExecutionsAborted",
    }


def test_an_existing_log_group_is_used_instead_of_a_new_one() -> None:
    stack = new_stack()
    existing = logs.LogGroup(stack, "Existing", retention=logs.RetentionDays.ONE_WEEK)
    flow = Workflow(stack, "Flow", definition=sfn.Pass(stack, "Only"), log_group=existing)
    assert flow.log_group is existing
    Template.from_stack(stack).resource_count_is("AWS::Logs::LogGroup", 1)


def test_tracing_can_be_turned_off() -> None:
    stack = new_stack()
    Workflow(stack, "Flow", definition=sfn.Pass(stack, "Only"), tracing=False)
    Template.from_stack(stack).has_resource_properties(
        "AWS::StepFunctions::StateMachine", {"TracingConfiguration": {"Enabled": False}}
    )


def test_activity_alarms_on_timeouts_and_tasks_waiting_for_workers() -> None:
    stack = new_stack()
    activity = WorkflowActivity(
        stack, "Approval", schedule_time_alarm_threshold=Duration.minutes(2)
    )
    assert set(activity.alarms) == {"TimedOut", "HeartbeatTimedOut", "WaitingForWorkers"}
    Template.from_stack(stack).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "ActivityScheduleTime", "Threshold": 120_000, "Statistic": "Maximum"},
    )


def test_activity_invoke_discards_the_result_when_asked() -> None:
    stack = new_stack()
    activity = WorkflowActivity(stack, "Approval")
    task = activity.invoke("Approve", result_path=None)
    Workflow(stack, "Flow", definition=task)
    states = _definition(_template(stack))["States"]
    assert states["Approve"]["ResultPath"] is None


def test_add_retry_without_non_retryable_errors_adds_one_retrier() -> None:
    stack = new_stack()
    task = sfn.Pass(stack, "Before").next(
        add_retry(
            sfn.Parallel(stack, "Work").branch(sfn.Pass(stack, "Inner")),
            RetryPolicy(non_retryable=(), jitter=False, max_delay=None, max_attempts=5),
        )
    )
    Workflow(stack, "Flow", definition=task)
    (retrier,) = _definition(_template(stack))["States"]["Work"]["Retry"]
    assert retrier["MaxAttempts"] == 5
    assert retrier["JitterStrategy"] == "NONE"
    assert "MaxDelaySeconds" not in retrier


def test_add_catch_routes_chosen_errors_to_the_handler() -> None:
    stack = new_stack()
    handler = sfn.Fail(stack, "Handler")
    task = add_catch(
        sfn.Parallel(stack, "Work").branch(sfn.Pass(stack, "Inner")),
        handler,
        errors=("Custom.Error",),
        result_path="$.problem",
    )
    Workflow(stack, "Flow", definition=task)
    catch = _definition(_template(stack))["States"]["Work"]["Catch"]
    assert catch == [
        {"ErrorEquals": ["Custom.Error"], "ResultPath": "$.problem", "Next": "Handler"}
    ]


def test_deterministic_errors_are_never_retried_by_default() -> None:
    assert RetryPolicy().non_retryable == DETERMINISTIC_ERRORS
    assert "States.Permissions" in DETERMINISTIC_ERRORS


# -- validation ------------------------------------------------------------------------------


def _flow(**props: Any) -> Workflow:
    stack = new_stack()
    definition = props.pop("definition", None) or sfn.Pass(stack, "Only")
    return Workflow(stack, "Flow", definition=definition, **props)


def test_timeout_above_a_year_is_rejected() -> None:
    with pytest.raises(
        PatternValidationError, match=r"timeout must be between 1 s and 365 days, got 366 days"
    ):
        _flow(timeout=Duration.days(366))


def test_express_timeout_above_five_minutes_is_rejected() -> None:
    with pytest.raises(
        PatternValidationError, match=r"timeout must be between 1 s and 5 min, got 6 min"
    ):
        _flow(workflow_type=sfn.StateMachineType.EXPRESS, timeout=Duration.minutes(6))


def test_invalid_state_machine_name_is_rejected() -> None:
    with pytest.raises(
        PatternValidationError, match=r"state_machine_name must be 1-80 letters.*'bad name'"
    ):
        _flow(state_machine_name="bad name")


def test_failure_topic_needs_a_standard_workflow() -> None:
    stack = new_stack()
    topic = sns.Topic(stack, "Topic")
    with pytest.raises(PatternValidationError, match=r"failure_topic needs a STANDARD workflow"):
        Workflow(
            stack,
            "Flow",
            definition=sfn.Pass(stack, "Only"),
            workflow_type=sfn.StateMachineType.EXPRESS,
            failure_topic=topic,
        )


def test_definition_must_be_chainable() -> None:
    stack = new_stack()
    with pytest.raises(PatternValidationError, match=r"definition must be a state or chain"):
        Workflow(stack, "Flow", definition="Pass")  # type: ignore[arg-type]


def test_express_workflow_rejects_an_activity_even_inside_a_parallel() -> None:
    stack = new_stack()
    activity = WorkflowActivity(stack, "Approval")
    definition = sfn.Parallel(stack, "Both").branch(activity.invoke("Approve"))
    with pytest.raises(
        PatternValidationError, match=r"EXPRESS workflow cannot use .*got Approve \(activity\)"
    ):
        Workflow(stack, "Flow", definition=definition, workflow_type=sfn.StateMachineType.EXPRESS)


def test_express_workflow_rejects_callback_tasks() -> None:
    stack = new_stack()
    topic = sns.Topic(stack, "Topic")
    callback = tasks.SnsPublish(
        stack,
        "AskHuman",
        topic=topic,
        message=sfn.TaskInput.from_object({"token": sfn.JsonPath.task_token}),
        integration_pattern=sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    )
    with pytest.raises(PatternValidationError, match=r"got AskHuman \(\.waitForTaskToken\)"):
        Workflow(stack, "Flow", definition=callback, workflow_type=sfn.StateMachineType.EXPRESS)


def test_several_workflow_problems_are_reported_together() -> None:
    with pytest.raises(PatternValidationError) as info:
        _flow(timeout=Duration.seconds(0), state_machine_name="x" * 81)
    assert len(info.value.problems) == 2


def test_token_timeout_is_not_checked() -> None:
    stack = new_stack()
    seconds = cdk.CfnParameter(stack, "Seconds", type="Number").value_as_number
    Workflow(stack, "Flow", definition=sfn.Pass(stack, "Only"), timeout=Duration.seconds(seconds))
    assert Token.is_unresolved(seconds)


def _task(stack: cdk.Stack | None = None) -> sfn.Parallel:
    stack = stack or new_stack()
    return sfn.Parallel(stack, "Work").branch(sfn.Pass(stack, "Inner"))


def test_retry_max_attempts_must_be_a_non_negative_integer() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"RetryPolicy.max_attempts must be between 0 and 99,999,999, got -1",
    ):
        add_retry(_task(), RetryPolicy(max_attempts=-1))


def test_retry_interval_must_be_at_least_a_second() -> None:
    with pytest.raises(
        PatternValidationError, match=r"RetryPolicy.interval must be between 1 s and"
    ):
        add_retry(_task(), RetryPolicy(interval=Duration.millis(500)))


def test_retry_backoff_rate_must_be_at_least_one() -> None:
    with pytest.raises(
        PatternValidationError, match=r"RetryPolicy.backoff_rate must be at least 1, got 0.5"
    ):
        add_retry(_task(), RetryPolicy(backoff_rate=0.5))


def test_retry_max_delay_must_not_be_below_the_interval() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"RetryPolicy.max_delay must be at least interval \(10 s\), got 5 s",
    ):
        add_retry(
            _task(), RetryPolicy(interval=Duration.seconds(10), max_delay=Duration.seconds(5))
        )


def test_retry_states_all_must_stand_alone() -> None:
    with pytest.raises(
        PatternValidationError, match=r"RetryPolicy.errors must list States.ALL alone"
    ):
        add_retry(_task(), RetryPolicy(errors=("States.ALL", "States.Timeout")))


def test_retry_errors_must_not_be_empty_or_a_string() -> None:
    with pytest.raises(
        PatternValidationError, match=r"RetryPolicy.errors must name at least one error"
    ):
        add_retry(_task(), RetryPolicy(errors=()))
    with pytest.raises(
        PatternValidationError, match=r"must be a tuple of error names, got the string"
    ):
        add_retry(_task(), RetryPolicy(errors="States.ALL"))  # type: ignore[arg-type]


def test_retry_non_retryable_must_not_overlap_or_contain_states_all() -> None:
    with pytest.raises(
        PatternValidationError, match=r"non_retryable must not repeat retried errors"
    ):
        add_retry(
            _task(), RetryPolicy(errors=("States.Timeout",), non_retryable=("States.Timeout",))
        )
    with pytest.raises(PatternValidationError, match=r"non_retryable cannot contain States.ALL"):
        add_retry(_task(), RetryPolicy(errors=("States.Timeout",), non_retryable=("States.ALL",)))


def test_several_retry_problems_are_reported_together() -> None:
    with pytest.raises(PatternValidationError) as info:
        add_retry(_task(), RetryPolicy(max_attempts=-1, backoff_rate=0.1, errors=()))
    assert len(info.value.problems) == 3


def test_catch_result_path_must_be_a_json_path() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"result_path must be \$ or start with \$\., got 'error'"
    ):
        add_catch(_task(stack), sfn.Fail(stack, "Handler"), result_path="error")


def test_catch_errors_must_not_mix_states_all() -> None:
    stack = new_stack()
    with pytest.raises(PatternValidationError, match=r"errors must list States.ALL alone"):
        add_catch(_task(stack), sfn.Fail(stack, "Handler"), errors=("States.ALL", "X"))


def test_activity_heartbeat_must_not_exceed_the_task_timeout() -> None:
    with pytest.raises(
        PatternValidationError, match=r"heartbeat_timeout must be between 1 s and 1 h, got 2 h"
    ):
        WorkflowActivity(
            new_stack(), "A", heartbeat_timeout=Duration.hours(2), task_timeout=Duration.hours(1)
        )


def test_activity_task_timeout_at_most_a_year() -> None:
    with pytest.raises(
        PatternValidationError, match=r"task_timeout must be between 1 s and 365 days"
    ):
        WorkflowActivity(new_stack(), "A", task_timeout=Duration.days(400))


def test_activity_name_and_alarm_threshold_are_checked() -> None:
    with pytest.raises(PatternValidationError, match=r"activity_name must be 1-80") as info:
        WorkflowActivity(
            new_stack(),
            "A",
            activity_name="no spaces allowed",
            schedule_time_alarm_threshold=Duration.seconds(0),
        )
    assert any(
        "schedule_time_alarm_threshold must be at least 1 s" in p for p in info.value.problems
    )


# -- input audit: wrong types and sub-second durations that used to reach jsii --------------


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"timeout": Duration.millis(1_500)},
            "timeout must be a whole number of seconds, got 1.5 s",
        ),
        ({"comment": 5}, "comment must be a string, got int 5"),
        ({"log_retention": 30}, "log_retention must be a logs.RetentionDays, got int 30"),
        ({"tracing": "no"}, "tracing must be True or False, got 'no'"),
        ({"include_execution_data": "yes"}, "include_execution_data must be True or False"),
        ({"log_group": "/aws/states/x"}, "log_group must be a logs.ILogGroup, got str"),
        ({"failure_topic": "arn:aws:sns:x"}, "failure_topic must be an sns.ITopic, got str"),
        ({"removal_policy": "destroy"}, "removal_policy must be a RemovalPolicy"),
        ({"alarm_topic": "arn:aws:sns:x"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_workflow_rejects_wrong_types(props: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _flow(**props)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"heartbeat_timeout": Duration.millis(1_500)},
            "heartbeat_timeout must be a whole number of seconds, got 1.5 s",
        ),
        (
            {"task_timeout": Duration.millis(86_400_500)},
            "task_timeout must be a whole number of seconds",
        ),
        ({"encryption_key": "arn:aws:kms:key"}, "encryption_key must be a kms.IKey, got str"),
        ({"alarm_topic": "arn:aws:sns:x"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_activity_rejects_wrong_types_and_sub_second_timeouts(
    props: dict[str, Any], message: str
) -> None:
    with pytest.raises(PatternValidationError, match=message):
        WorkflowActivity(new_stack(), "Approval", **props)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (
            RetryPolicy(non_retryable="States.Timeout"),  # type: ignore[arg-type]
            "RetryPolicy.non_retryable must be a tuple of error names, got the string",
        ),
        (RetryPolicy(errors=("",)), r"RetryPolicy.errors must hold non-empty error names"),
        (
            RetryPolicy(errors=(5,)),  # type: ignore[arg-type]
            r"RetryPolicy.errors must hold only str items, got \[5\]",
        ),
        (
            RetryPolicy(interval=Duration.millis(1_500)),
            "RetryPolicy.interval must be a whole number of seconds, got 1.5 s",
        ),
        (
            RetryPolicy(max_delay=Duration.millis(61_500)),
            "RetryPolicy.max_delay must be a whole number of seconds, got 61.5 s",
        ),
        (
            RetryPolicy(jitter="no"),  # type: ignore[arg-type]
            "RetryPolicy.jitter must be True or False, got 'no'",
        ),
    ],
)
def test_retry_policy_rejects_wrong_types(policy: RetryPolicy, message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        add_retry(_task(), policy)


def test_catch_result_path_must_be_a_string() -> None:
    stack = new_stack()
    with pytest.raises(PatternValidationError, match=r"result_path must be \$ or start with"):
        add_catch(_task(stack), sfn.Pass(stack, "Handler"), result_path=None)  # type: ignore[arg-type]
