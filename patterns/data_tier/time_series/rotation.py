"""The rotation of :class:`~patterns.data_tier.TimeSeriesTables`: the scheduled function
(``time_series_rotation.py`` beside this module) that creates, scales down and expires the
per-period tables, the tables' key, the function's role and policy, its dead-letter queue
and the custom resource that runs the rotation during the deployment (and, with DESTROY,
deletes the tables with the stack)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import jsii
from aws_cdk import CustomResource, Duration, IStableStringProducer, Lazy, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs

from patterns.core import defaults
from patterns.core.lambda_code import LATEST_PYTHON, QueueDestination, handler_code
from patterns.core.nag import acknowledge

if TYPE_CHECKING:
    from patterns.data_tier.time_series.construct import TimeSeriesTables
    from patterns.data_tier.time_series.props import SeriesProps

__all__ = [
    "HANDLER_FILE",
    "ROTATION_ACTIONS",
    "TABLE_KEY_ACTIONS",
    "deploy_rotation",
    "environment",
    "rotation_dead_letter_queue",
    "rotation_function",
    "rotation_policy",
    "rotation_role",
    "rotation_rule",
    "table_key",
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
#: What DynamoDB does with the tables' key on the rotation's behalf (``kms:ViaService``) when
#: it creates a table or moves one to the key; ``kms:CreateGrant`` is a statement of its own
#: (only for grants to DynamoDB itself).
TABLE_KEY_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")
#: DynamoDB attribute type codes of the CDK attribute types.
_TYPE_CODES = {
    dynamodb.AttributeType.STRING: "S",
    dynamodb.AttributeType.NUMBER: "N",
    dynamodb.AttributeType.BINARY: "B",
}


def table_key(series: TimeSeriesTables, props: SeriesProps) -> kms.IKey:
    """The tables' customer-managed key: the given ``encryption_key`` or a new one (``Key``,
    rotating yearly, with the pattern's removal policy)."""
    if props.encryption_key is not None:
        return props.encryption_key
    return defaults.encryption_key(
        series,
        "Key",
        description=f"Encrypts the {props.period} tables {props.table_prefix}-* of "
        f"{series.node.path}",
        removal_policy=props.removal_policy,
    )


def rotation_dead_letter_queue(
    series: TimeSeriesTables, props: SeriesProps
) -> tuple[kms.IKey, sqs.Queue]:
    """``DlqKey`` and ``RotationDlq``: failed rotation invocations (from EventBridge and from
    the function), kept 14 days, encrypted with a key that EventBridge may use: the given
    ``dead_letter_key`` (a key of this app gets the statement; an imported key's policy must
    have it) or a key of their own (the tables' key may be the user's, whose policy the
    pattern cannot extend)."""
    key = defaults.given_or_new_key(
        series,
        "DlqKey",
        props.dead_letter_key,
        description=f"Encrypts the failed rotations of {series.node.path}",
        removal_policy=props.removal_policy,
        service_principals=("events.amazonaws.com",),
    )
    queue = defaults.dead_letter_queue(
        series, "RotationDlq", encryption_key=key, removal_policy=props.removal_policy
    )
    return key, queue


def rotation_role(series: TimeSeriesTables) -> iam.Role:
    """The function's role. What the rotation needs is in its own policy
    (:func:`rotation_policy`); the role's default policy is left to the user's grants, which
    no acknowledgement covers."""
    return iam.Role(
        series,
        "RotationRole",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=(
            f"Rotates the {series.period} tables {series.table_prefix}-* of {series.node.path}"
        ),
    )


def rotation_policy(series: TimeSeriesTables) -> iam.Policy:
    """``RotationPolicy`` on the role: its own log group, the tables of its prefix and period
    (``<prefix>-????-??-??``: ``?`` matches one character, which cdk-nag's IAM5 does not
    report), their key through DynamoDB only, its DLQ and X-Ray. X-Ray's ``*`` is
    acknowledged on this policy alone, as its exact finding."""
    region = Stack.of(series).region
    through_dynamodb = {"kms:ViaService": f"dynamodb.{region}.amazonaws.com"}
    policy = iam.Policy(
        series,
        "RotationPolicy",
        roles=[series.role],
        statements=[
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[series.log_group.log_group_arn],
            ),
            iam.PolicyStatement(
                sid="RotateOwnTables",
                actions=list(ROTATION_ACTIONS),
                resources=[series.table_arn_pattern],
            ),
            iam.PolicyStatement(
                sid="EncryptOwnTables",
                actions=list(TABLE_KEY_ACTIONS),
                resources=[series.encryption_key.key_arn],
                conditions={"StringEquals": through_dynamodb},
            ),
            iam.PolicyStatement(
                sid="GrantTableKeyToDynamoDB",
                actions=["kms:CreateGrant"],
                resources=[series.encryption_key.key_arn],
                conditions={
                    "StringEquals": through_dynamodb,
                    "Bool": {"kms:GrantIsForAWSResource": "true"},
                },
            ),
            iam.PolicyStatement(
                sid="SendFailedInvocations",
                actions=["sqs:SendMessage"],
                resources=[series.dead_letter_queue.queue_arn],
            ),
            iam.PolicyStatement(
                sid="EncryptFailedInvocations",
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=[series.dead_letter_key.key_arn],
            ),
            *_alarm_statements(series),
            iam.PolicyStatement(
                sid="WriteTraces",
                actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                resources=["*"],
            ),
        ],
    )
    acknowledge(
        policy,
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "X-Ray PutTraceSegments and PutTelemetryRecords (active tracing of the rotation) "
        "support no resource-level permissions; this policy holds only the rotation's own "
        "statements, every other one naming its resource.",
    )
    return policy


def _alarm_statements(series: TimeSeriesTables) -> list[iam.PolicyStatement]:
    """``PointTableAlarms``: read and re-put exactly the per-table alarms (``cloudwatch:
    DescribeAlarms`` and ``PutMetricAlarm`` take alarm ARNs)."""
    arns = [a.alarm_arn for alarms in series.table_alarms.values() for a in alarms]
    if not arns:
        return []
    return [
        iam.PolicyStatement(
            sid="PointTableAlarms",
            actions=["cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"],
            resources=arns,
        )
    ]


def environment(
    props: SeriesProps, key: kms.IKey, alarms: dict[str, list[cw.Alarm]]
) -> dict[str, str]:
    """The function's configuration (read by ``Config.from_env`` of the handler)."""
    variables = {
        "TABLE_PREFIX": props.table_prefix,
        "KMS_KEY_ARN": key.key_arn,
        "PERIOD": props.period,
        "RETENTION_PERIODS": str(props.retention_periods),
        "PARTITION_KEY": _key(props.partition_key),
        "POINT_IN_TIME_RECOVERY": "true" if props.point_in_time_recovery else "false",
        "DELETION_PROTECTION": "true" if props.deletion_protection else "false",
        "PREWARM_LEAD_SECONDS": str(int(props.prewarm_lead_time.to_seconds())),
        "DELETE_TABLES_WITH_STACK": "true"
        if props.removal_policy == RemovalPolicy.DESTROY
        else "false",
    }
    if alarms:
        variables["ALARMS"] = json.dumps(
            {slot: [a.alarm_name for a in slot_alarms] for slot, slot_alarms in alarms.items()},
            separators=(",", ":"),
        )
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
    """The function (``RotationFunction``): one at a time, traced, failures to the DLQ.

    Active tracing is set on the L1: the L2 would put its X-Ray statement into the role's
    default policy, where it would share an acknowledgement with the user's grants.
    """
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
        on_failure=QueueDestination(series.dead_letter_queue),
        retry_attempts=2,
        environment=environment(props, series.encryption_key, series.table_alarms),
    )
    cfn_function = function.node.default_child
    assert isinstance(cfn_function, lambda_.CfnFunction)
    cfn_function.tracing_config = lambda_.CfnFunction.TracingConfigProperty(mode="Active")
    # The function references its role with Fn::GetAtt already; it depends on the policy
    # that the service checks (destination, X-Ray) and the first invocation needs.
    cfn_policy = series.policy.node.default_child
    assert isinstance(cfn_policy, iam.CfnPolicy)
    cfn_function.add_override("DependsOn", [Stack.of(series).get_logical_id(cfn_policy)])
    invoke_config = function.node.try_find_child("EventInvokeConfig")
    if invoke_config is not None:
        invoke_config.node.add_dependency(series.policy)
    acknowledge(
        function,
        "Serverless::Serverless-LambdaDLQ",
        "Failed asynchronous invocations go to an on-failure destination (the RotationDlq "
        "queue), whose record carries the event and the error; a DeadLetterConfig as well "
        "would deliver every failure twice.",
    )
    return function


#: The alarm properties whose change makes CloudFormation put the alarm back with the
#: template's placeholder table, so the deployment's rotation must run again.
_ALARM_PROPERTIES = (
    "metrics",
    "threshold",
    "evaluation_periods",
    "datapoints_to_alarm",
    "comparison_operator",
    "treat_missing_data",
    "alarm_actions",
    "ok_actions",
    "alarm_description",
)


@jsii.implements(IStableStringProducer)
class _AlarmFingerprint:
    """A hash of the per-table alarms' definitions (resolved at synthesis)."""

    def __init__(self, series: TimeSeriesTables) -> None:
        self._series = series

    def produce(self) -> str:
        stack = Stack.of(self._series)
        definitions = [
            stack.resolve(
                {name: getattr(alarm.node.default_child, name) for name in _ALARM_PROPERTIES}
            )
            for alarms in self._series.table_alarms.values()
            for alarm in alarms
        ]
        text = json.dumps(definitions, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def deploy_rotation(series: TimeSeriesTables, props: SeriesProps) -> CustomResource:
    """``DeployRotation`` (``Custom::TimeSeriesTables``), served by the rotation function: on
    Create and Update it runs the rotation once, so the current and next tables exist (and
    the alarms point at them) when the deployment finishes; a failed rotation is answered
    FAILED and fails the deployment. Its properties carry the function's configuration and
    the alarms' definitions, so a change of either runs it again. On the stack's deletion it
    deletes every table of the prefix with DESTROY, and leaves them otherwise (RETAIN)."""
    resource = CustomResource(
        series,
        "DeployRotation",
        service_token=series.function.function_arn,
        resource_type="Custom::TimeSeriesTables",
        properties={
            "TablePrefix": props.table_prefix,
            "Period": props.period,
            "Configuration": environment(props, series.encryption_key, series.table_alarms),
            "AlarmDefinitions": Lazy.string(_AlarmFingerprint(series)),
        },
        removal_policy=RemovalPolicy.DESTROY,
    )
    resource.node.add_dependency(series.policy)
    return resource


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
