"""ScalableTable: a DynamoDB table with auto-scaled or on-demand capacity, planned partitions,
secure defaults, alarms and an optional DAX cache.

Item size: DynamoDB stores items of at most 400 KB (attribute names and values together).
Keep large attributes (documents, images, blobs) in S3 and store a pointer in the item -
``large_item_bucket=True`` creates an encrypted, versioned, private bucket for them and
``grant_read_data`` / ``grant_read_write_data`` cover the table and the bucket together.
Write the object first, then the item that points to it, so a reader never follows a pointer
to a missing object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.capacity import PartitionPlan
from patterns.capacity.dynamodb_throughput import ThroughputPlan
from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import Pattern
from patterns.data_tier.dax import DaxCache, DaxOptions
from patterns.data_tier.dax.options import cache_props
from patterns.data_tier.given import given_props, records_given_props
from patterns.data_tier.table import validate
from patterns.data_tier.table.alarms import add_table_alarms
from patterns.data_tier.table.grants import grant_data
from patterns.data_tier.table.indexes import add_indexes
from patterns.data_tier.table.large_items import create_large_item_bucket
from patterns.data_tier.table.options import AutoScalingOptions, GsiOptions, LsiOptions
from patterns.data_tier.table.partitions import table_plan
from patterns.data_tier.table.props import TableProps
from patterns.data_tier.table.resource import create_table, table_key
from patterns.data_tier.table.scaling import scale_table
from patterns.data_tier.workload import TableWorkload, WorkloadCosts, plan_workload

__all__ = ["ScalableTable"]

#: Period of the table's alarm metrics.
ALARM_PERIOD = deferred(Duration, "minutes", 5)
#: Operations whose SystemErrors the alarm sums (CloudWatch allows 10 metrics per alarm).
SYSTEM_ERROR_OPERATIONS = (
    dynamodb.Operation.GET_ITEM,
    dynamodb.Operation.BATCH_GET_ITEM,
    dynamodb.Operation.QUERY,
    dynamodb.Operation.SCAN,
    dynamodb.Operation.PUT_ITEM,
    dynamodb.Operation.UPDATE_ITEM,
    dynamodb.Operation.DELETE_ITEM,
    dynamodb.Operation.BATCH_WRITE_ITEM,
    dynamodb.Operation.TRANSACT_WRITE_ITEMS,
    dynamodb.Operation.TRANSACT_GET_ITEMS,
)


class ScalableTable(Pattern):
    """A DynamoDB table sized for its load, auto-scaled (or on-demand), observed and protected.

    Capacity is either on-demand (the default: pay per request, nothing to tune; optionally
    capped with ``max_read_request_units`` / ``max_write_request_units``) or provisioned with
    target-tracking auto scaling of reads and writes (give both ``read_scaling`` and
    ``write_scaling``), for the table and each GSI - which inherits the table's settings
    unless its :class:`GsiOptions` overrides them - plus optional scheduled actions.

    The partition plan (:func:`patterns.capacity.dynamodb_partitions`) estimates the
    partitions from the peak capacity (the auto-scaling maxima, or ``peak_read_units`` /
    ``peak_write_units`` on-demand) and ``expected_size_gb``; with ``key_cardinality`` or
    ``hot_key_share`` it warns at synth time when the busiest key needs more than one
    partition's 3,000 RCU / 1,000 WCU. The plan is ``capacity_plan`` and appears in the
    review table.

    Defaults: encryption at rest with a customer-managed key that rotates yearly (created, or
    ``encryption_key``), point-in-time recovery on, deletion protection on, RETAIN on stack
    deletion. With ``removal_policy=DESTROY`` (a dev stack) deletion protection is off and
    the key is deleted with the stack, so CloudFormation can delete it all.

    Decisions that are yours, each explicit (none needs a cdk-nag acknowledgement):

    * ``encryption=TableEncryption.DEFAULT`` (AWS-owned key, no key policy or CloudTrail record
      of your own) or ``AWS_MANAGED`` (``aws/dynamodb``) instead of the customer-managed key;
    * ``deletion_protection=False`` or ``point_in_time_recovery=False`` on a retained table;
    * ``deletion_protection=True`` with DESTROY is refused (the stack could not be deleted);
      with DESTROY a large-item bucket is emptied before it is deleted.

    Alarms (``alarms``): read and write throttle events, system errors, and - provisioned
    only - consumed capacity above ``capacity_alarm_percent`` of provisioned (scaling
    has hit its maximum or cannot keep up), for the table and every GSI. Their metrics are
    ``metric_read_throttle_events()``, ``metric_write_throttle_events()``,
    ``metric_system_errors()`` and ``metric_read_capacity_utilization()`` /
    ``metric_write_capacity_utilization()``; ``metric(name)`` is any ``AWS/DynamoDB`` metric
    of the table.

    Items are limited to 400 KB; see the module documentation and ``large_item_bucket``.

    Example::

        table = ScalableTable(
            self, "Orders",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING),
            read_scaling=AutoScalingOptions(min_capacity=10, max_capacity=2_000),
            write_scaling=AutoScalingOptions(min_capacity=5, max_capacity=500),
            global_secondary_indexes={"byCustomer": GsiOptions(partition_key=customer)},
            expected_size_gb=40,
        )
        table.grant_read_write_data(service_role)

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``ReadThrottleEvents``,
    ``WriteThrottleEvents``, ``SystemErrors``; provisioned: ``ReadCapacityUtilization`` and
    ``WriteCapacityUtilization``; per GSI ``<Index>ReadThrottleEvents`` and
    ``<Index>WriteThrottleEvents`` (``<Index>`` is the index name in PascalCase), provisioned
    also ``<Index>ReadCapacityUtilization`` and ``<Index>WriteCapacityUtilization``. The
    alarms of ``cache`` are the :class:`DaxCache`'s own (``cache.alarms``), tuned with
    ``DaxOptions(alarm_overrides=...)``.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        partition_key: the table partition key.
        sort_key: the table sort key. Default: none (required for LSIs).
        read_scaling: provisioned read capacity with auto scaling. Default: on-demand (give
            both or neither of ``read_scaling`` and ``write_scaling``).
        write_scaling: provisioned write capacity with auto scaling. Default: on-demand.
        max_read_request_units: on-demand only: cap of read request units per second (a cost
            guard). Default: no cap.
        max_write_request_units: on-demand only: cap of write request units per second.
            Default: no cap.
        global_secondary_indexes: index name -> options (at most 20). Default: none.
        local_secondary_indexes: index name -> options (at most 5). Default: none.
        expected_size_gb: expected data size in GB, for the partition plan (>= 0). Default 0.
        item_kb: average item size in KB (0 < size <= 400), for the indexes' sizes and write
            units (``GsiOptions.projected_item_kb``). Default: not known.
        workload: the load (reads/s, writes/s, item size, consistency, transactions; per GSI
            its reads, and its ``projected_item_kb`` and ``write_share``) to plan the capacity
            from, instead of the raw units (``read_scaling``, ``write_scaling``,
            ``peak_read_units``, ``peak_write_units``, ``item_kb``: giving both is an error).
            The table is on-demand with the planned peaks (partition and hot-key plan as with
            ``peak_*_units``); ``throughput_plan`` holds the planned RCU/WCU and
            ``workload_costs`` the monthly cost on-demand and provisioned at that load, with a
            ``data-tier:billing`` warning when provisioned is cheaper (then give
            ``read_scaling``/``write_scaling`` around the planned units). Default: none.
        key_cardinality: distinct partition key values, for the hot-key check. Default: not
            known.
        hot_key_share: share of the traffic on the busiest key (0 < share <= 1). Default: not
            known.
        peak_read_units: on-demand only: peak reads in RCU/s for the partition plan. Default:
            none (no plan unless ``peak_write_units`` is given).
        peak_write_units: on-demand only: peak writes in WCU/s. Default: none.
        growth_factor: padding of the plan's load and size (>= 1). Default 1.
        table_name: physical table name. Default: generated (recommended: a fixed name blocks
            replacement).
        encryption: ``TableEncryption.CUSTOMER_MANAGED``, or by explicit choice ``DEFAULT``
            (AWS-owned key) or ``AWS_MANAGED``. Default: ``CUSTOMER_MANAGED``.
        encryption_key: the customer-managed key (its key policy must let the table's users
            use it). Default: created, rotating yearly, with the table's removal policy.
        point_in_time_recovery: continuous backups for 35 days. Default True.
        deletion_protection: refuse DeleteTable (also from CloudFormation). Default True, but
            False with ``removal_policy=DESTROY`` (True with DESTROY is an error).
        time_to_live_attribute: attribute holding an expiry epoch time. Default: no TTL.
        stream: write item changes to a DynamoDB stream with this view. Default: no stream.
        contributor_insights: CloudWatch Contributor Insights on the table (shows the hottest
            keys; charged per event). Default False.
        table_class: STANDARD or STANDARD_INFREQUENT_ACCESS. Default: STANDARD.
        large_item_bucket: create a bucket for attributes too large for a 400 KB item.
            Default False.
        cache: put a DAX cluster in front of the table (its ``removal_policy`` defaults to
            the table's). Default: no cache.
        capacity_alarm_percent: provisioned only: alarm when consumed capacity stays above
            this share of provisioned for 15 minutes (1..100). Default 90.
        removal_policy: of the table, its key and the large-item bucket (and of the cache's
            flow log group unless ``cache`` sets its own). Default RETAIN.
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

    @records_given_props
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        partition_key: dynamodb.Attribute,
        sort_key: dynamodb.Attribute | None = None,
        read_scaling: AutoScalingOptions | None = None,
        write_scaling: AutoScalingOptions | None = None,
        max_read_request_units: int | None = None,
        max_write_request_units: int | None = None,
        global_secondary_indexes: Mapping[str, GsiOptions] | None = None,
        local_secondary_indexes: Mapping[str, LsiOptions] | None = None,
        expected_size_gb: float = 0,
        item_kb: float | None = None,
        workload: TableWorkload | None = None,
        key_cardinality: int | None = None,
        hot_key_share: float | None = None,
        peak_read_units: float | None = None,
        peak_write_units: float | None = None,
        growth_factor: float = 1.0,
        table_name: str | None = None,
        encryption: dynamodb.TableEncryption | None = None,
        encryption_key: kms.IKey | None = None,
        point_in_time_recovery: bool = True,
        deletion_protection: bool = True,
        time_to_live_attribute: str | None = None,
        stream: dynamodb.StreamViewType | None = None,
        contributor_insights: bool = False,
        table_class: dynamodb.TableClass | None = None,
        large_item_bucket: bool = False,
        cache: DaxOptions | None = None,
        capacity_alarm_percent: float = 90,
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
        props = TableProps(
            partition_key=partition_key,
            sort_key=sort_key,
            read_scaling=read_scaling,
            write_scaling=write_scaling,
            max_read_request_units=max_read_request_units,
            max_write_request_units=max_write_request_units,
            global_secondary_indexes=global_secondary_indexes,
            local_secondary_indexes=local_secondary_indexes,
            expected_size_gb=expected_size_gb,
            item_kb=item_kb,
            key_cardinality=key_cardinality,
            hot_key_share=hot_key_share,
            peak_read_units=peak_read_units,
            peak_write_units=peak_write_units,
            growth_factor=growth_factor,
            table_name=table_name,
            encryption=encryption,
            encryption_key=encryption_key,
            point_in_time_recovery=point_in_time_recovery,
            deletion_protection=deletion_protection,
            time_to_live_attribute=time_to_live_attribute,
            stream=stream,
            contributor_insights=contributor_insights,
            table_class=table_class,
            large_item_bucket=large_item_bucket,
            cache=cache,
            capacity_alarm_percent=capacity_alarm_percent,
            removal_policy=removal_policy,
            given=given_props(self),
            workload=workload,
        )
        props = self._checked_and_planned(props)
        self.provisioned = props.provisioned
        #: Names of the table's secondary indexes (global and local).
        self.index_names: tuple[str, ...] = tuple(props.gsis) + tuple(props.lsis)
        #: The partition plan of the table (None on-demand without peak figures).
        self.capacity_plan: PartitionPlan | None = table_plan(self, props)
        #: The partition plan of each provisioned GSI.
        self.index_capacity_plans: dict[str, PartitionPlan] = {}
        self.encryption_key: kms.IKey | None = table_key(self, props)
        self.table = create_table(self, props, self.encryption_key)
        #: Auto-scaling attribute per ``"<Table|index>/<Read|Write>"`` (provisioned only).
        self.scaling: dict[str, dynamodb.IScalableTableAttribute] = scale_table(
            self.table, props.table_scaling
        )
        add_indexes(self, props)
        #: Bucket for attributes too large for an item (``large_item_bucket=True``).
        self.large_item_bucket: s3.Bucket | None = create_large_item_bucket(self, props)

        self.monitoring = self.start_monitoring()
        add_table_alarms(
            self,
            self.monitoring,
            global_index_names=props.gsis,
            capacity_alarm_percent=capacity_alarm_percent,
        )
        #: The DAX cluster in front of the table (``cache=DaxOptions(...)``).
        self.cache: DaxCache | None = None
        if cache is not None:
            self.cache = DaxCache(
                self,
                "Cache",
                table=self.table,
                index_names=self.index_names,
                alarm_topic=alarm_topic,
                dashboard=dashboard,
                **cache_props(cache, removal_policy=removal_policy),
            )
        self.monitoring.finish(f"DynamoDB table {self.node.path}")

    def _checked_and_planned(self, props: TableProps) -> TableProps:
        """Check every rule (raising :class:`PatternValidationError`); with ``workload``,
        plan it, price both billing modes and return the props with the planned peaks in
        place of the raw units (else the props unchanged)."""
        v = self.validator()
        validate.table_props(v, props)
        v.raise_if_invalid()
        self.throughput_plan, self.workload_costs = plan_workload(
            self,
            props.workload,
            props.index_loads,
            size_gb=props.expected_size_gb,
            billing="on-demand",
        )
        if self.throughput_plan is None:
            return props
        units = self.throughput_plan.read_capacity_units, self.throughput_plan.write_capacity_units
        return replace(
            props,
            peak_read_units=units[0],
            peak_write_units=units[1],
            item_kb=props.workload.item_kb if props.workload else None,
        )

    # -- grants ----------------------------------------------------------------------------
    def grant_read_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read the table, its indexes (and the large-item objects).

        Unlike the L2's grant, the actions are listed one by one and the indexes by ARN (no
        ``index/*``), so the grantee's policy passes cdk-nag's IAM5 without acknowledgement.
        Large-item objects are granted in the bucket policy, scoped to ``grantee``.
        """
        return grant_data(self, grantee, write=False)

    def grant_read_write_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read and write the table (and the large-item objects)."""
        return grant_data(self, grantee, write=True)

    # -- metrics ---------------------------------------------------------------------------
    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """An ``AWS/DynamoDB`` metric of the table (dimension ``TableName``), from the L2's
        ``Table.metric``.

        Args:
            metric_name: the metric's name (``ConsumedReadCapacityUnits``).
            **options: ``cloudwatch.MetricOptions``; ``dimensions_map`` replaces the table's
                dimensions (add ``GlobalSecondaryIndexName`` for an index metric).
        """
        return self.table.metric(metric_name, **options)

    def metric_read_throttle_events(
        self, *, index_name: str | None = None, **options: Any
    ) -> cw.Metric:
        """``ReadThrottleEvents`` of the table (or of its GSI ``index_name``): Sum per 5
        minutes."""
        return self._throttle_events("Read", index_name, options)

    def metric_write_throttle_events(
        self, *, index_name: str | None = None, **options: Any
    ) -> cw.Metric:
        """``WriteThrottleEvents`` of the table (or of its GSI ``index_name``): Sum per 5
        minutes."""
        return self._throttle_events("Write", index_name, options)

    def metric_system_errors(self, **options: Any) -> cw.IMetric:
        """``SystemErrors`` (HTTP 500) of the item and transaction operations, summed: Sum per
        5 minutes."""
        return self.table.metric_system_errors_for_operations(
            operations=list(SYSTEM_ERROR_OPERATIONS),
            **{"period": ALARM_PERIOD, "statistic": "Sum", **options},
        )

    def metric_read_capacity_utilization(self, *, index_name: str | None = None) -> cw.IMetric:
        """Consumed / provisioned read capacity of the table (or of its GSI ``index_name``)
        in percent, per 5 minutes (provisioned capacity only)."""
        return self._capacity_utilization("Read", index_name)

    def metric_write_capacity_utilization(self, *, index_name: str | None = None) -> cw.IMetric:
        """Consumed / provisioned write capacity in percent, per 5 minutes."""
        return self._capacity_utilization("Write", index_name)

    # -- internals -------------------------------------------------------------------------
    def _index_dimensions(self, index_name: str | None) -> dict[str, str]:
        dimensions = {"TableName": self.table.table_name}
        if index_name is not None:
            dimensions["GlobalSecondaryIndexName"] = index_name
        return dimensions

    def _throttle_events(
        self, kind: str, index_name: str | None, options: Mapping[str, Any]
    ) -> cw.Metric:
        props: dict[str, Any] = {"period": ALARM_PERIOD, "statistic": "Sum"}
        if index_name is not None:
            props["dimensions_map"] = self._index_dimensions(index_name)
        return self.metric(f"{kind}ThrottleEvents", **{**props, **options})

    def _capacity_utilization(self, kind: str, index_name: str | None) -> cw.MathExpression:
        dimensions = self._index_dimensions(index_name)
        consumed = self.metric(
            f"Consumed{kind}CapacityUnits",
            dimensions_map=dimensions,
            period=ALARM_PERIOD,
            statistic="Sum",
        )
        provisioned = self.metric(
            f"Provisioned{kind}CapacityUnits",
            dimensions_map=dimensions,
            period=ALARM_PERIOD,
            statistic="Average",
        )
        return cw.MathExpression(
            expression="100 * (consumed / PERIOD(consumed)) / provisioned",
            using_metrics={"consumed": consumed, "provisioned": provisioned},
            label=f"{kind} capacity utilization (%)",
            period=ALARM_PERIOD,
        )
