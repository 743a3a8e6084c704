"""TimeSeriesTables: one DynamoDB table per period, rotated by a scheduled function.

The design DynamoDB recommends for time-series data whose recent periods are hot and old
ones cold: instead of one table whose capacity must cover every period, each period (day,
ISO week or month) gets its own table. The current and the next period's tables run at the
hot capacity; older ones are lowered to a small cold capacity; tables older than the
retention are deleted as a whole (no per-item TTL deletes to pay for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aws_cdk import CustomResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.capacity import PartitionPlan
from patterns.capacity.dynamodb_throughput import ThroughputPlan
from patterns.core import defaults
from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import Pattern
from patterns.data_tier.actions import (
    KEY_READ_ACTIONS,
    KEY_WRITE_ACTIONS,
    TABLE_READ_ACTIONS,
    TABLE_WRITE_ACTIONS,
)
from patterns.data_tier.time_series import validate
from patterns.data_tier.time_series.alarms import add_rotation_alarms, add_table_alarms
from patterns.data_tier.time_series.partitions import hot_table_plan
from patterns.data_tier.time_series.props import SeriesProps
from patterns.data_tier.time_series.rotation import (
    deploy_rotation,
    rotation_dead_letter_queue,
    rotation_function,
    rotation_policy,
    rotation_role,
    rotation_rule,
    table_key,
)
from patterns.data_tier.workload import TableWorkload, WorkloadCosts, plan_workload

__all__ = ["TimeSeriesTables"]

#: Period of the rotation's alarm metrics.
ALARM_PERIOD = deferred(Duration, "minutes", 5)


_DEFAULT_PREWARM_LEAD_TIME = deferred(Duration, "hours", 3)


class TimeSeriesTables(Pattern):
    """Per-period DynamoDB tables (``<prefix>-2024-06-03``) with a scheduled rotation.

    The tables are created at run time, not by CloudFormation: a small Python function
    (``patterns/data_tier/time_series/time_series_rotation.py``) runs once during each
    deployment that changes its configuration (``DeployRotation``, a ``Custom::TimeSeriesTables``
    resource: the current and the next period's tables exist when ``cdk deploy`` finishes, and
    a failed rotation fails the deployment) and then on ``rotation_schedule`` (hourly by
    default; it is idempotent). It

    * creates the current and the next period's tables (point-in-time recovery, deletion
      protection, encryption with a customer-managed key, a tag naming the prefix); the
      current one runs at the hot capacity, the next one at the cold capacity until
      ``prewarm_lead_time`` before its period starts, when it is raised to the hot capacity
      (pre-warmed shortly before the switch instead of paying hot capacity for a whole period),
    * lowers the kept older tables (``retention_periods - 1`` before the current one) to the
      cold capacity,
    * deletes tables older than ``retention_periods`` that carry this prefix's tag,
    * points the live tables' alarms at the current and the next table.

    A failed scheduled run raises (every step is tried, the failures are raised together):
    the invocation fails, is retried twice, lands in the DLQ, and alarms.

    Alarms (owned by the stack, so they go with it): per live slot (``Current``, ``Next``)
    ``<Slot>TableThrottles`` (throttled reads or writes in 2 of 3 five-minute periods) and,
    for provisioned tables, ``<Slot>TableReadUtilization``/``WriteUtilization`` (consumed
    above ``capacity_alarm_percent`` of the provisioned capacity for 15 minutes). In the
    template their ``TableName`` is a placeholder (``<prefix>-current``); the rotation
    rewrites it (``PutMetricAlarm`` with the rest unchanged) to the slot's table at each
    switch and during the deployment - the deploy-time run repeats whenever an alarm's
    definition changes, since CloudFormation then puts back the placeholder. The rotation
    alarms: ``RotationErrors``, ``RotationDlqNotEmpty`` and ``RotationNotSucceeded`` - no
    successful run (invocations minus errors, hourly, missing data breaching) for the lead
    time rounded up to hours (at least the rotation interval, at most 24 h: the longest
    window CloudWatch evaluates at hourly periods); a rotation that has not succeeded for
    that long may miss the next table's pre-warm.

    Its role is limited to tables whose names match ``<prefix>-<period label>`` exactly, to
    their key through DynamoDB and to the live tables' alarms; what the rotation needs is in
    a policy of its own (``RotationPolicy``), so a grant added to the role is never covered by
    the library's acknowledgements. Writers address the table of an item's timestamp
    (:meth:`table_name_for` shows the naming) and readers query the tables of the periods
    they need; ``grant_read_data`` and ``grant_read_write_data`` include the key.

    The tables are not in the stack: with RETAIN (the default) they outlive it, with their
    key. With ``removal_policy=DESTROY`` ``DeployRotation`` deletes every table of the prefix
    when the stack is deleted (lifting deletion protection, as the rotation does on expiry),
    then the key goes too.

    Metrics: ``metric(name)`` is a metric of the rotation function (``AWS/Lambda``);
    ``metric_rotation_errors()`` and ``metric_dead_letter_messages()`` are those the alarms use.

    Example::

        metrics = TimeSeriesTables(self, "Metrics", table_prefix="metrics",
                                   partition_key=device_id, sort_key=timestamp,
                                   hot_read_capacity=500, hot_write_capacity=2_000)
        metrics.grant_read_write_data(ingest_role)

    Decisions that are yours, each explicit (none needs a cdk-nag acknowledgement):
    ``deletion_protection=False`` or ``point_in_time_recovery=False`` for the tables, keys of
    your own (``encryption_key``, ``dead_letter_key``), and ``removal_policy=DESTROY`` - which
    deletes the tables and their data with the stack.

    Limits: no secondary indexes; capacity of the hot tables is fixed (no auto scaling) -
    size it for the peak, or use on-demand (omit ``hot_read_capacity``/``hot_write_capacity``).
    Tables created before an ``encryption_key`` change are moved to the new key by the next
    runs.

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``RotationErrors``,
    ``RotationDlqNotEmpty``, ``RotationNotSucceeded``, ``CurrentTableThrottles`` and
    ``NextTableThrottles``; provisioned also ``CurrentTableReadUtilization``,
    ``CurrentTableWriteUtilization``, ``NextTableReadUtilization`` and
    ``NextTableWriteUtilization`` (an override of a live table's alarm is kept when the
    rotation re-points it).

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
            (which lifts it just before deleting an expired table, and - with DESTROY - before
            deleting the tables with the stack). Default True.
        time_to_live_attribute: TTL attribute of every table. Default: none.
        encryption_key: customer-managed key of the tables (its key policy must let the
            rotation's role create grants for DynamoDB, and the readers and writers use it).
            Default: created, rotating yearly, with the removal policy.
        dead_letter_key: an existing KMS key for the ``RotationDlq`` (failed rotations from
            EventBridge and from the function). The pattern adds to a key of this app the key
            policy statement that lets ``events.amazonaws.com`` use it for this account (an
            imported key's policy must allow that already) and lets the rotation's role
            encrypt with it; it never changes the key's rotation or deletion policy.
            Default: a new ``DlqKey`` (yearly rotation, with the removal policy).
        rotation_schedule: when the rotation runs. Default: every hour.
        prewarm_lead_time: how long before its period starts the next table is raised from
            the cold to the hot capacity (provisioned tables). Whole minutes, shorter than the
            period (28 days for months) and at least the interval of a ``rate`` schedule, so a
            run falls inside it. Default 3 hours: three hourly runs may raise it, and DynamoDB
            applies an increase within minutes.
        workload: the load on the current table (reads/s, writes/s, item size,
            consistency, transactions) to plan the hot capacity from, instead of
            ``hot_read_capacity``/``hot_write_capacity`` (giving both is an error): the hot
            tables are provisioned at the planned RCU/WCU; ``throughput_plan`` holds the plan
            and ``workload_costs`` one hot table's monthly cost on-demand and provisioned at
            that load, with a ``data-tier:billing`` warning when on-demand is cheaper.
            Default: none.
        capacity_alarm_percent: consumed / provisioned capacity (1..100 %) above which the
            live tables' utilization alarms fire. Default 80.
        log_retention: retention of the function's log group. Default one year.
        removal_policy: of the log group, DLQ and keys; with DESTROY the tables are deleted
            with the stack, else they outlive it. Default RETAIN.
        alarm_topic: notified on ALARM and OK. Default: none.
        dashboard: a dashboard for the alarm widgets. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    #: The throughput plan from ``workload`` (None without one) and the monthly cost of
    #: either billing mode at that load (``workload_costs.on_demand`` / ``.provisioned``).
    throughput_plan: ThroughputPlan | None
    workload_costs: WorkloadCosts | None

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
        encryption_key: kms.IKey | None = None,
        dead_letter_key: kms.IKey | None = None,
        rotation_schedule: events.Schedule | None = None,
        prewarm_lead_time: Duration = _DEFAULT_PREWARM_LEAD_TIME,
        capacity_alarm_percent: float = 80,
        workload: TableWorkload | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        props = SeriesProps(
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
            point_in_time_recovery=point_in_time_recovery,
            deletion_protection=deletion_protection,
            time_to_live_attribute=time_to_live_attribute,
            encryption_key=encryption_key,
            dead_letter_key=dead_letter_key,
            rotation_schedule=rotation_schedule,
            prewarm_lead_time=prewarm_lead_time,
            capacity_alarm_percent=capacity_alarm_percent,
            log_retention=log_retention,
            removal_policy=removal_policy,
            workload=workload,
        )
        props = self._plan_workload(self._validated(props))

        self.table_prefix = table_prefix
        self.period = period
        self.retention_periods = retention_periods
        self.provisioned = props.hot_capacity is not None
        #: Partition plan of one hot table (None for on-demand tables).
        self.capacity_plan: PartitionPlan | None = hot_table_plan(self, props)
        #: ARN pattern of every table of this construct (for IAM grants).
        self.table_arn_pattern = Stack.of(self).format_arn(
            service="dynamodb", resource="table", resource_name=props.table_name_pattern
        )

        #: The tables' customer-managed key (given or created).
        self.encryption_key: kms.IKey = table_key(self, props)
        #: Failed rotation invocations (from EventBridge and from the function), kept 14 days,
        #: and their key.
        self.dead_letter_key, self.dead_letter_queue = rotation_dead_letter_queue(self, props)
        self.log_group = defaults.log_group(
            self, "RotationLogs", retention=log_retention, removal_policy=removal_policy
        )
        self.monitoring = self.start_monitoring()
        #: The alarms of the live tables by slot (``current``, ``next``), which the rotation
        #: points at the slot's table.
        self.table_alarms: dict[str, list[cw.Alarm]] = add_table_alarms(
            self, props, self.monitoring
        )
        self.role = rotation_role(self)
        #: What the rotation may do (the role's default policy is left to the user's grants).
        self.policy = rotation_policy(self)
        self.function = rotation_function(self, props)
        #: Runs the rotation during each deployment that changes its configuration (the
        #: deployment fails if it fails); with DESTROY it deletes the tables with the stack.
        self.deploy_rotation: CustomResource = deploy_rotation(self, props)
        #: With DESTROY, the resource that deletes the tables with the stack (None otherwise).
        self.tables_cleanup: CustomResource | None = (
            self.deploy_rotation if removal_policy == RemovalPolicy.DESTROY else None
        )
        self.rule = rotation_rule(self, props)
        # The schedule starts after the first rotation and goes first on deletion, so no
        # table is created after the cleanup.
        self.rule.node.add_dependency(self.deploy_rotation)

        add_rotation_alarms(self, props, self.monitoring)
        self.monitoring.finish(f"Time-series tables {self.node.path}")

    def _validated(self, props: SeriesProps) -> SeriesProps:
        """``props``, once every rule holds (else :class:`PatternValidationError`)."""
        v = self.validator()
        validate.series_props(v, props)
        v.raise_if_invalid()
        return props

    def _plan_workload(self, props: SeriesProps) -> SeriesProps:
        """With ``workload``: plan it, price both billing modes, and return the props with
        the planned capacity in place of the raw units; else the props unchanged."""
        self.throughput_plan, self.workload_costs = plan_workload(
            self, props.workload, {}, size_gb=props.expected_size_gb, billing="provisioned"
        )
        if self.throughput_plan is None:
            return props
        units = self.throughput_plan.read_capacity_units, self.throughput_plan.write_capacity_units
        return replace(props, hot_read_capacity=units[0], hot_write_capacity=units[1])

    # -- public API ------------------------------------------------------------------------
    def table_name_for(self, label: str) -> str:
        """The table name of a period label: ``table_name_for("2024-06-03")``."""
        return f"{self.table_prefix}-{label}"

    def grant_read_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read every table of this construct (and decrypt with their key)."""
        iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(KEY_READ_ACTIONS),
            resource_arns=[self.encryption_key.key_arn],
        )
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(TABLE_READ_ACTIONS),
            resource_arns=[self.table_arn_pattern],
        )

    def grant_read_write_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read and write every table of this construct (and use their key)."""
        self.grant_read_data(grantee)
        iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(KEY_WRITE_ACTIONS),
            resource_arns=[self.encryption_key.key_arn],
        )
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(TABLE_WRITE_ACTIONS),
            resource_arns=[self.table_arn_pattern],
        )

    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """An ``AWS/Lambda`` metric of the rotation function (dimension ``FunctionName``),
        from the L2's ``Function.metric`` (``Errors``, ``Duration``, ``Throttles`` ...)."""
        return self.function.metric(metric_name, **options)

    def metric_rotation_errors(self, **options: Any) -> cw.Metric:
        """Failed rotation invocations: ``Errors`` of the function, Sum per 5 minutes."""
        return self.function.metric_errors(
            **{"period": ALARM_PERIOD, "statistic": "Sum", **options}
        )

    def metric_dead_letter_messages(self, **options: Any) -> cw.Metric:
        """Invocations that failed after every retry: the rotation DLQ's
        ``ApproximateNumberOfMessagesVisible``, Maximum per 5 minutes."""
        return self.dead_letter_queue.metric_approximate_number_of_messages_visible(
            **{"period": ALARM_PERIOD, "statistic": "Maximum", **options}
        )
