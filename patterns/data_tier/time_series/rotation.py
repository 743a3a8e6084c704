"""The rotation of :class:`~patterns.data_tier.TimeSeriesTables`: the scheduled function
(``time_series_rotation.py`` beside this module) that creates, scales down and expires the
per-period tables, its role, log group and dead-letter queue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_sqs as sqs

from patterns.core import defaults
from patterns.core.defaults import depend_on_role_policy_only
from patterns.core.lambda_code import LATEST_PYTHON, handler_code
from patterns.core.nag import acknowledge

if TYPE_CHECKING:
    from patterns.data_tier.time_series.construct import TimeSeriesTables
    from patterns.data_tier.time_series.props import SeriesProps

__all__ = [
    "HANDLER_FILE",
    "ROTATION_ACTIONS",
    "environment",
    "rotation_dead_letter_queue",
    "rotation_function",
    "rotation_role",
    "rotation_rule",
]

#: The handler module, packaged alone (its asset hash follows this one file).
HANDLER_FILE = "time_series_rotation.py"
#: What the rotation does to the tables of its prefix.
ROTATION_ACTIONS = (
    "dynamodb:CreateTable",
    "dynamodb:DescribeTable",
    "dynamodb:UpdateTable",
    "dynamodb:DeleteTable",
    "dynamodb:TagResource",
    "dynamodb:ListTagsOfResource",
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:UpdateContinuousBackups",
    "dynamodb:DescribeTimeToLive",
    "dynamodb:UpdateTimeToLive",
)
#: DynamoDB attribute type codes of the CDK attribute types.
_TYPE_CODES = {
    dynamodb.AttributeType.STRING: "S",
    dynamodb.AttributeType.NUMBER: "N",
    dynamodb.AttributeType.BINARY: "B",
}


def rotation_dead_letter_queue(series: TimeSeriesTables, props: SeriesProps) -> sqs.Queue:
    """Failed rotation invocations (from EventBridge and from the function), kept 14 days.

    They hold only the schedule's event (no table data): SQS-managed encryption, so
    EventBridge and Lambda need no key grants.
    """
    queue = sqs.Queue(
        series,
        "RotationDlq",
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=defaults.DLQ_RETENTION,
        removal_policy=props.removal_policy,
    )
    acknowledge(
        queue,
        "AwsSolutions::AwsSolutions-SQS3",
        "This queue is itself the dead-letter queue of the rotation; a DLQ of a DLQ would "
        "only move the problem.",
    )
    acknowledge(
        queue,
        "Serverless::Serverless-SQSRedrivePolicy",
        "This queue is itself a dead-letter queue and so has no redrive policy of its own.",
    )
    return queue


def rotation_role(series: TimeSeriesTables) -> iam.Role:
    """The function's role: its own log group and the tables of its prefix and period only."""
    role = iam.Role(
        series,
        "RotationRole",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=(
            f"Rotates the {series.period} tables {series.table_prefix}-* of {series.node.path}"
        ),
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="WriteOwnLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[series.log_group.log_group_arn],
        )
    )
    role.add_to_policy(
        iam.PolicyStatement(
            sid="RotateOwnTables",
            actions=list(ROTATION_ACTIONS),
            resources=[series.table_arn_pattern],
        )
    )
    return role


def environment(props: SeriesProps) -> dict[str, str]:
    """The function's configuration (read by ``Config.from_env`` of the handler)."""
    variables = {
        "TABLE_PREFIX": props.table_prefix,
        "PERIOD": props.period,
        "RETENTION_PERIODS": str(props.retention_periods),
        "PARTITION_KEY": _key(props.partition_key),
        "POINT_IN_TIME_RECOVERY": "true" if props.point_in_time_recovery else "false",
        "DELETION_PROTECTION": "true" if props.deletion_protection else "false",
    }
    if props.sort_key is not None:
        variables["SORT_KEY"] = _key(props.sort_key)
    if props.hot_capacity is not None:
        hot_read, hot_write = props.hot_capacity
        variables |= {
            "HOT_READ": str(hot_read),
            "HOT_WRITE": str(hot_write),
            "COLD_READ": str(props.cold_read_capacity),
            "COLD_WRITE": str(props.cold_write_capacity),
        }
    if props.time_to_live_attribute:
        variables["TTL_ATTRIBUTE"] = props.time_to_live_attribute
    return variables


def _key(attribute: dynamodb.Attribute) -> str:
    """``deviceId:S``."""
    return f"{attribute.name}:{_TYPE_CODES[attribute.type]}"


def rotation_function(series: TimeSeriesTables, props: SeriesProps) -> lambda_.Function:
    """The function (``RotationFunction``): one at a time, traced, failures to the DLQ."""
    function = lambda_.Function(
        series,
        "RotationFunction",
        runtime=LATEST_PYTHON,
        handler="time_series_rotation.handler",
        code=handler_code(Path(__file__).with_name(HANDLER_FILE)),
        description=(
            f"Creates, scales down and expires the {props.period} tables {props.table_prefix}-*"
        ),
        role=series.role,
        log_group=series.log_group,
        timeout=Duration.minutes(5),
        memory_size=256,
        reserved_concurrent_executions=1,
        tracing=lambda_.Tracing.ACTIVE,
        on_failure=destinations.SqsDestination(series.dead_letter_queue),
        retry_attempts=2,
        environment=environment(props),
    )
    # The function references its role with Fn::GetAtt already; keep only the DependsOn on
    # the role's policy (it must be attached before the first invocation).
    cfn_function = function.node.default_child
    if isinstance(cfn_function, lambda_.CfnFunction):
        depend_on_role_policy_only(cfn_function, series.role)
    acknowledge(
        function,
        "Serverless::Serverless-LambdaDLQ",
        "Failed asynchronous invocations go to an on-failure destination (the RotationDlq "
        "queue), whose record carries the event and the error; a DeadLetterConfig as well "
        "would deliver every failure twice.",
    )
    acknowledge(
        series.role,
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no "
        "resource-level permissions; every other statement names its resource.",
    )
    acknowledge(
        series.role,
        f"AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:"
        f"<AWS::Region>:<AWS::AccountId>:table/{props.table_name_pattern}]",
        "The rotation creates and deletes tables whose names are only known at run time; "
        "the pattern matches exactly this construct's prefix and period label format.",
    )
    return function


def rotation_rule(series: TimeSeriesTables, props: SeriesProps) -> events.Rule:
    """The rule (``RotationSchedule``) that invokes the function, hourly by default."""
    return events.Rule(
        series,
        "RotationSchedule",
        schedule=props.rotation_schedule or events.Schedule.rate(Duration.hours(1)),
        description=f"Rotates the {props.period} tables {props.table_prefix}-*",
        targets=[
            targets.LambdaFunction(
                series.function,
                dead_letter_queue=series.dead_letter_queue,
                retry_attempts=2,
                max_event_age=Duration.hours(1),
            )
        ],
    )
