"""TimeSeriesTables: one DynamoDB table per period, rotated by a scheduled function.

The design DynamoDB recommends for time-series data whose recent periods are hot and old
ones cold: instead of one table whose capacity must cover every period, each period (day,
ISO week or month) gets its own table. The current and the next period's tables run at the
hot capacity; older ones are lowered to a small cold capacity; tables older than the
retention are deleted as a whole (no per-item TTL deletes to pay for).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeGuard

from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.capacity import PartitionPlan, dynamodb_partitions
from patterns.core import defaults
from patterns.core.defaults import depend_on_role_policy_only
from patterns.core.lambda_code import LATEST_PYTHON, handler_code
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge
from patterns.core.validation import Validator, is_unresolved
from patterns.data_tier._common import (
    MAX_CAPACITY,
    MIN_CAPACITY,
    attribute_problems,
    key_schema_problems,
    share_problems,
)

__all__ = ["TIME_SERIES_PERIODS", "TimeSeriesTables"]

TIME_SERIES_PERIODS = ("day", "week", "month")
#: IAM patterns matching exactly the table names of each period (``?`` is one character).
_NAME_PATTERNS = {"day": "????-??-??", "week": "????-W??", "month": "????-??"}
#: Longest label suffix (``-2024-06-03``) and so the longest prefix: names are <= 255.
_MAX_PREFIX = 255 - len("-2024-06-03")
MAX_RETENTION_PERIODS = 1_000
HANDLER_FILE = "time_series_rotation.py"
#: DynamoDB attribute type codes of the CDK attribute types.
_TYPE_CODES = {
    dynamodb.AttributeType.STRING: "S",
    dynamodb.AttributeType.NUMBER: "N",
    dynamodb.AttributeType.BINARY: "B",
}


class TimeSeriesTables(Construct):
    """Per-period DynamoDB tables (``<prefix>-2024-06-03``) with a scheduled rotation.

    The tables are created at run time, not by CloudFormation: a small Python function
    (``patterns/data_tier/time_series_rotation.py``) runs on ``rotation_schedule`` (hourly by
    default; it is idempotent, and the first run after a deploy creates the first tables) and

    * creates the current and the next period's tables (hot capacity, point-in-time recovery,
      deletion protection, AWS-owned encryption key, a tag naming the prefix),
    * lowers the kept older tables (``retention_periods - 1`` before the current one) to the
      cold capacity,
    * deletes tables older than ``retention_periods`` that carry this prefix's tag.

    Its role is limited to tables whose names match ``<prefix>-<period label>`` exactly; its
    failures land in an encrypted dead-letter queue and raise alarms. Writers address the
    table of an item's timestamp (:meth:`table_name_for` shows the naming) and readers query
    the tables of the periods they need.

    Limits: no secondary indexes and AWS-owned encryption only (the function would need key
    grants); capacity of the hot tables is fixed (no auto scaling) - size it for the peak,
    or use on-demand (omit ``hot_read_capacity``/``hot_write_capacity``).

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        table_prefix: table name prefix (letters, digits, ``_ - .``; at most 244 characters);
            unique in the account and region.
        partition_key: partition key of every table.
        sort_key: sort key of every table (e.g. the timestamp). Default: none.
        period: ``"day"``, ``"week"`` (ISO, Monday first) or ``"month"``. Default ``"day"``.
        retention_periods: periods kept, the current one included (1..1,000). Default 7.
        hot_read_capacity: read capacity of the current and next tables. Default: on-demand
            tables (give both or neither of the hot capacities).
        hot_write_capacity: write capacity of the current and next tables. Default: on-demand.
        cold_read_capacity: read capacity older tables are lowered to (provisioned only).
            Default 1.
        cold_write_capacity: write capacity older tables are lowered to. Default 1.
        expected_size_gb: data of one period in GB, for the partition plan. Default 0.
        key_cardinality: distinct partition key values per period, for the hot-key check.
            Default: not known.
        hot_key_share: share of the traffic on the busiest key. Default: not known.
        point_in_time_recovery: continuous backups of every table. Default True.
        deletion_protection: created tables refuse DeleteTable from anyone but the rotation
            (which lifts it just before deleting an expired table). Default True.
        time_to_live_attribute: TTL attribute of every table. Default: none.
        rotation_schedule: when the rotation runs. Default: every hour.
        log_retention: retention of the function's log group. Default one year.
        removal_policy: of the log group, DLQ and key (the tables are not in the stack).
            Default RETAIN.
        alarm_topic: notified on ALARM and OK. Default: none.
        dashboard: a dashboard for the alarm widgets. Default: none.

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        table_prefix: str,
        partition_key: dynamodb.Attribute,
        sort_key: dynamodb.Attribute | None = None,
        period: str = "day",
        retention_periods: int = 7,
        hot_read_capacity: int | None = None,
        hot_write_capacity: int | None = None,
        cold_read_capacity: int = 1,
        cold_write_capacity: int = 1,
        expected_size_gb: float = 0,
        key_cardinality: int | None = None,
        hot_key_share: float | None = None,
        point_in_time_recovery: bool = True,
        deletion_protection: bool = True,
        time_to_live_attribute: str | None = None,
        rotation_schedule: events.Schedule | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._validate(
            table_prefix=table_prefix,
            partition_key=partition_key,
            sort_key=sort_key,
            period=period,
            retention_periods=retention_periods,
            hot_read_capacity=hot_read_capacity,
            hot_write_capacity=hot_write_capacity,
            cold_read_capacity=cold_read_capacity,
            cold_write_capacity=cold_write_capacity,
            expected_size_gb=expected_size_gb,
            key_cardinality=key_cardinality,
            hot_key_share=hot_key_share,
            time_to_live_attribute=time_to_live_attribute,
            point_in_time_recovery=point_in_time_recovery,
            deletion_protection=deletion_protection,
            rotation_schedule=rotation_schedule,
            log_retention=log_retention,
            removal_policy=removal_policy,
        )
        self.table_prefix = table_prefix
        self.period = period
        self.retention_periods = retention_periods
        self.provisioned = hot_read_capacity is not None and hot_write_capacity is not None

        # -- capacity ------------------------------------------------------------------------
        #: Partition plan of one hot table (None for on-demand tables).
        self.capacity_plan: PartitionPlan | None = None
        if hot_read_capacity is not None and hot_write_capacity is not None:
            self.capacity_plan = dynamodb_partitions(
                hot_read_capacity,
                hot_write_capacity,
                expected_size_gb,
                key_cardinality=key_cardinality,
                hot_key_share=hot_key_share,
            )
            for note in self.capacity_plan.notes:
                Annotations.of(self).add_warning_v2("scalable-patterns:data-tier:hot-key", note)
            record_capacity(
                self,
                f"per {period}: hot {hot_read_capacity} RCU / {hot_write_capacity} WCU "
                f"({self.capacity_plan.summary()}), cold {cold_read_capacity} RCU / "
                f"{cold_write_capacity} WCU, {retention_periods} kept",
            )
        else:
            record_capacity(self, f"per {period}: on-demand tables, {retention_periods} kept")

        stack = Stack.of(self)
        #: ARN pattern of every table of this construct (for IAM grants).
        self.table_arn_pattern = stack.format_arn(
            service="dynamodb",
            resource="table",
            resource_name=f"{table_prefix}-{_NAME_PATTERNS[period]}",
        )

        # -- rotation function -----------------------------------------------------------------
        #: Failed rotation invocations (from EventBridge and from the function), kept 14 days.
        #: They hold only the schedule's event (no table data): SQS-managed encryption, so
        #: EventBridge and Lambda need no key grants.
        self.dead_letter_queue = sqs.Queue(
            self,
            "RotationDlq",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=defaults.DLQ_RETENTION,
            removal_policy=removal_policy,
        )
        acknowledge(
            self.dead_letter_queue,
            "AwsSolutions::AwsSolutions-SQS3",
            "This queue is itself the dead-letter queue of the rotation; a DLQ of a DLQ would "
            "only move the problem.",
        )
        acknowledge(
            self.dead_letter_queue,
            "Serverless::Serverless-SQSRedrivePolicy",
            "This queue is itself a dead-letter queue and so has no redrive policy of its own.",
        )
        self.log_group = defaults.log_group(
            self, "RotationLogs", retention=log_retention, removal_policy=removal_policy
        )
        self.role = iam.Role(
            self,
            "RotationRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Rotates the {period} tables {table_prefix}-* of {self.node.path}",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="RotateOwnTables",
                actions=[
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
                ],
                resources=[self.table_arn_pattern],
            )
        )
        environment = {
            "TABLE_PREFIX": table_prefix,
            "PERIOD": period,
            "RETENTION_PERIODS": str(retention_periods),
            "PARTITION_KEY": f"{partition_key.name}:{_TYPE_CODES[partition_key.type]}",
            "POINT_IN_TIME_RECOVERY": "true" if point_in_time_recovery else "false",
            "DELETION_PROTECTION": "true" if deletion_protection else "false",
        }
        if sort_key is not None:
            environment["SORT_KEY"] = f"{sort_key.name}:{_TYPE_CODES[sort_key.type]}"
        if hot_read_capacity is not None and hot_write_capacity is not None:
            environment |= {
                "HOT_READ": str(hot_read_capacity),
                "HOT_WRITE": str(hot_write_capacity),
                "COLD_READ": str(cold_read_capacity),
                "COLD_WRITE": str(cold_write_capacity),
            }
        if time_to_live_attribute:
            environment["TTL_ATTRIBUTE"] = time_to_live_attribute

        self.function = lambda_.Function(
            self,
            "RotationFunction",
            runtime=LATEST_PYTHON,
            handler="time_series_rotation.handler",
            code=handler_code(Path(__file__).with_name(HANDLER_FILE)),
            description=f"Creates, scales down and expires the {period} tables {table_prefix}-*",
            role=self.role,
            log_group=self.log_group,
            timeout=Duration.minutes(5),
            memory_size=256,
            reserved_concurrent_executions=1,
            tracing=lambda_.Tracing.ACTIVE,
            on_failure=destinations.SqsDestination(self.dead_letter_queue),
            retry_attempts=2,
            environment=environment,
        )
        # The function references its role with Fn::GetAtt already; keep only the DependsOn on
        # the role's policy (it must be attached before the first invocation).
        cfn_function = self.function.node.default_child
        if isinstance(cfn_function, lambda_.CfnFunction):
            depend_on_role_policy_only(cfn_function, self.role)
        acknowledge(
            self.function,
            "Serverless::Serverless-LambdaDLQ",
            "Failed asynchronous invocations go to an on-failure destination (the RotationDlq "
            "queue), whose record carries the event and the error; a DeadLetterConfig as well "
            "would deliver every failure twice.",
        )
        acknowledge(
            self.role,
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no "
            "resource-level permissions; every other statement names its resource.",
        )
        acknowledge(
            self.role,
            f"AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:"
            f"<AWS::Region>:<AWS::AccountId>:table/{table_prefix}-{_NAME_PATTERNS[period]}]",
            "The rotation creates and deletes tables whose names are only known at run time; "
            "the pattern matches exactly this construct's prefix and period label format.",
        )
        self.rule = events.Rule(
            self,
            "RotationSchedule",
            schedule=rotation_schedule or events.Schedule.rate(Duration.hours(1)),
            description=f"Rotates the {period} tables {table_prefix}-*",
            targets=[
                targets.LambdaFunction(
                    self.function,
                    dead_letter_queue=self.dead_letter_queue,
                    retry_attempts=2,
                    max_event_age=Duration.hours(1),
                )
            ],
        )

        # -- alarms --------------------------------------------------------------------------
        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        self.monitoring.alarm(
            "RotationErrors",
            metric=self.function.metric_errors(period=Duration.minutes(5), statistic="Sum"),
            threshold=0,
            description=(
                f"{self.node.path}: the table rotation failed; the next period's table may "
                "be missing. The function's log lists every failed step."
            ),
        )
        self.monitoring.queue_not_empty(
            "RotationDlqNotEmpty",
            self.dead_letter_queue,
            description=f"{self.node.path}: rotation invocations failed after every retry.",
            period=Duration.minutes(5),
        )
        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"Time-series tables {self.node.path}")

    # -- public API ------------------------------------------------------------------------
    def table_name_for(self, label: str) -> str:
        """The table name of a period label: ``table_name_for("2024-06-03")``."""
        return f"{self.table_prefix}-{label}"

    def grant_read_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read every table of this construct."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=[
                "dynamodb:DescribeTable",
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:ConditionCheckItem",
            ],
            resource_arns=[self.table_arn_pattern],
        )

    def grant_read_write_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read and write every table of this construct."""
        self.grant_read_data(grantee)
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=[
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
            ],
            resource_arns=[self.table_arn_pattern],
        )

    # -- internals -------------------------------------------------------------------------
    def _validate(
        self,
        *,
        table_prefix: str,
        partition_key: dynamodb.Attribute,
        sort_key: dynamodb.Attribute | None,
        period: str,
        retention_periods: int,
        hot_read_capacity: int | None,
        hot_write_capacity: int | None,
        cold_read_capacity: int,
        cold_write_capacity: int,
        expected_size_gb: float,
        key_cardinality: int | None,
        hot_key_share: float | None,
        time_to_live_attribute: str | None,
        point_in_time_recovery: bool,
        deletion_protection: bool,
        rotation_schedule: events.Schedule | None,
        log_retention: logs.RetentionDays,
        removal_policy: RemovalPolicy,
    ) -> None:
        v = Validator(self)
        if is_unresolved(table_prefix) or not isinstance(table_prefix, str):
            v.add("table_prefix", "must be a plain string (it names tables at run time)")
        else:
            v.require(
                1 <= len(table_prefix) <= _MAX_PREFIX
                and all(c.isascii() and (c.isalnum() or c in "_-.") for c in table_prefix),
                "table_prefix",
                f"must be 1-{_MAX_PREFIX} letters, digits, '_', '-' or '.', got {table_prefix!r}",
            )
        v.problems.extend(attribute_problems("partition_key", partition_key))
        if sort_key is not None:
            v.problems.extend(attribute_problems("sort_key", sort_key))
        # Checked here: the rotation function's CreateTable would fail at run time, after a
        # successful deploy.
        v.problems.extend(key_schema_problems("sort_key", partition_key, sort_key))
        v.one_of("period", period, TIME_SERIES_PERIODS)
        v.number_in_range(
            "retention_periods",
            retention_periods,
            minimum=1,
            maximum=MAX_RETENTION_PERIODS,
            integer=True,
        )
        if (hot_read_capacity is None) != (hot_write_capacity is None):
            given = "hot_read_capacity" if hot_read_capacity is not None else "hot_write_capacity"
            v.add(
                given,
                "needs both hot_read_capacity and hot_write_capacity (provisioned) or neither "
                "(on-demand)",
            )
        for prop, value in (
            ("hot_read_capacity", hot_read_capacity),
            ("hot_write_capacity", hot_write_capacity),
            ("cold_read_capacity", cold_read_capacity),
            ("cold_write_capacity", cold_write_capacity),
        ):
            if value is not None and is_unresolved(value):
                v.add(prop, "must be a plain number (the rotation function reads it)")
                continue
            v.number_in_range(prop, value, minimum=MIN_CAPACITY, maximum=MAX_CAPACITY, integer=True)
        for kind, hot, cold in (
            ("read", hot_read_capacity, cold_read_capacity),
            ("write", hot_write_capacity, cold_write_capacity),
        ):
            if _concrete_number(hot) and _concrete_number(cold) and cold > hot:
                v.add(
                    f"cold_{kind}_capacity",
                    f"must be at most hot_{kind}_capacity ({hot}), got {cold}",
                )
        v.number_in_range("expected_size_gb", expected_size_gb, minimum=0, unit="GB")
        v.number_in_range("key_cardinality", key_cardinality, minimum=1, integer=True)
        v.problems.extend(share_problems("hot_key_share", hot_key_share))
        if hot_read_capacity is None and hot_write_capacity is None:
            for prop, cold in (
                ("cold_read_capacity", cold_read_capacity),
                ("cold_write_capacity", cold_write_capacity),
            ):
                if cold != 1:
                    v.add(
                        prop,
                        "applies to provisioned tables only (give hot_read_capacity and "
                        f"hot_write_capacity); on-demand tables have no capacity, got {cold!r}",
                    )
        if hot_read_capacity is None and (key_cardinality or hot_key_share) is not None:
            v.add(
                "key_cardinality" if key_cardinality is not None else "hot_key_share",
                "needs hot_read_capacity and hot_write_capacity (the hot-key check compares "
                "a key's share of them with a partition's limits)",
            )
        if v.text("time_to_live_attribute", time_to_live_attribute):
            assert time_to_live_attribute is not None
            v.require(
                1 <= len(time_to_live_attribute) <= 255,
                "time_to_live_attribute",
                f"must be 1-255 characters, got {time_to_live_attribute!r}",
            )
        v.boolean("point_in_time_recovery", point_in_time_recovery)
        v.boolean("deletion_protection", deletion_protection)
        v.instance_of(
            "rotation_schedule", rotation_schedule, events.Schedule, what="an events.Schedule"
        )
        v.instance_of(
            "log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays"
        )
        v.instance_of(
            "removal_policy", removal_policy, RemovalPolicy, what="an aws_cdk.RemovalPolicy"
        )
        v.raise_if_invalid()


def _concrete_number(value: object) -> TypeGuard[float]:
    """A number known at synth time (not a token, not a bool, not a string)."""
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and not is_unresolved(value)
    )
