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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TypeGuard

from aws_cdk import Annotations, Duration, RemovalPolicy, TimeZone
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.capacity import PartitionPlan, dynamodb_partitions
from patterns.core import defaults
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.validation import Validator, is_unresolved
from patterns.data_tier._common import (
    MAX_ATTRIBUTE_NAME,
    MAX_CAPACITY,
    MAX_TARGET_UTILIZATION,
    MIN_CAPACITY,
    MIN_TARGET_UTILIZATION,
    TABLE_NAME,
    THROTTLE_PERIODS,
    attribute_problems,
    attribute_type_problems,
    key_schema_problems,
    pascal,
    share_problems,
)
from patterns.data_tier.dax import DaxCache, DaxOptions, validate_dax_options

__all__ = [
    "AutoScalingOptions",
    "GsiOptions",
    "LsiOptions",
    "ScalableTable",
    "ScheduledCapacity",
]

#: Index limits of one table.
MAX_GSIS = 20
MAX_LSIS = 5
MAX_PROJECTED_ATTRIBUTES = 100
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


#: Item actions of :meth:`ScalableTable.grant_read_data` ...
TABLE_READ_ACTIONS = (
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
)
#: ... and the writes :meth:`ScalableTable.grant_read_write_data` adds.
TABLE_WRITE_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
)
#: Key actions a reader (writer) of a table encrypted with a customer-managed key needs.
KEY_READ_ACTIONS = ("kms:Decrypt", "kms:DescribeKey")
KEY_WRITE_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey")


@dataclass(frozen=True)
class ScheduledCapacity:
    """One scheduled change of an auto-scaling range, e.g. a lower minimum at night.

    Target tracking scales in only after consumption is *recorded*: a table whose traffic
    drops to zero emits no consumed-capacity datapoints and keeps its capacity. A scheduled
    action that lowers the minimum (and one that restores it before the morning peak) is the
    documented work-around.

    Attributes:
        name: a PascalCase-able name, unique per scaled attribute (``NightlyScaleIn``).
        schedule: when, e.g. ``appscaling.Schedule.cron(hour="22", minute="0")`` (UTC unless
            ``time_zone`` is given).
        min_capacity: the new minimum. Default: unchanged. At least one of the two is needed.
        max_capacity: the new maximum. Default: unchanged.
        time_zone: time zone of a cron schedule. Default: UTC.
    """

    name: str
    schedule: appscaling.Schedule
    min_capacity: int | None = None
    max_capacity: int | None = None
    time_zone: TimeZone | None = None


@dataclass(frozen=True)
class AutoScalingOptions:
    """Target-tracking auto scaling of the reads or the writes of a table or GSI.

    Attributes:
        min_capacity: the capacity units scaling never goes below (1..40,000). Default 5.
        max_capacity: the capacity units scaling never exceeds (min..40,000). Default 100.
            The partition plan uses it: partitions created at the peak are never merged.
        target_utilization_percent: consumed / provisioned capacity to hold (20..90 %).
            Default 70: room for a burst while scaling out takes a few minutes.
        scale_in_cooldown: wait after a scale-in before another. Default: the service default.
        scale_out_cooldown: wait after a scale-out before another. Default: the service
            default.
        schedules: scheduled changes of the range. Default: none.
    """

    min_capacity: int = 5
    max_capacity: int = 100
    target_utilization_percent: float = 70
    scale_in_cooldown: Duration | None = None
    scale_out_cooldown: Duration | None = None
    schedules: tuple[ScheduledCapacity, ...] = ()

    @property
    def peak_capacity(self) -> int:
        """The largest capacity this configuration can reach (scheduled maxima included)."""
        maxima = [self.max_capacity]
        maxima += [s.max_capacity for s in self.schedules if s.max_capacity is not None]
        return max(m for m in maxima if not is_unresolved(m))


@dataclass(frozen=True)
class GsiOptions:
    """One global secondary index of a :class:`ScalableTable`.

    Attributes:
        partition_key: the index partition key.
        sort_key: the index sort key. Default: none.
        projection_type: attributes copied into the index. Default ALL.
        non_key_attributes: with ``ProjectionType.INCLUDE``, the attributes projected.
        read_scaling: auto scaling of the index reads. Default: the table's ``read_scaling``.
        write_scaling: auto scaling of the index writes. Default: the table's
            ``write_scaling``. An index whose writes throttle throttles the table's writes
            too, so keep it at least as high as the table's.
        key_cardinality: distinct values of the index partition key, for the hot-key check.
            Default: not known.
        hot_key_share: share of the index traffic on its busiest key value. Default: not known.
    """

    partition_key: dynamodb.Attribute
    sort_key: dynamodb.Attribute | None = None
    projection_type: dynamodb.ProjectionType = dynamodb.ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()
    read_scaling: AutoScalingOptions | None = None
    write_scaling: AutoScalingOptions | None = None
    key_cardinality: int | None = None
    hot_key_share: float | None = None


@dataclass(frozen=True)
class LsiOptions:
    """One local secondary index (same partition key as the table, another sort key).

    Attributes:
        sort_key: the index sort key.
        projection_type: attributes copied into the index. Default ALL.
        non_key_attributes: with ``ProjectionType.INCLUDE``, the attributes projected.
    """

    sort_key: dynamodb.Attribute
    projection_type: dynamodb.ProjectionType = dynamodb.ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()


class ScalableTable(Construct):
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

    Defaults: point-in-time recovery on, deletion protection on, encryption at rest with an
    AWS-owned key (pass ``encryption_key`` or ``encryption=CUSTOMER_MANAGED`` for a
    customer-managed key that rotates yearly), RETAIN on stack deletion.

    Alarms (``alarms``): read and write throttle events, system errors, and - provisioned
    only - consumed capacity above ``capacity_alarm_percent`` of provisioned (scaling
    has hit its maximum or cannot keep up), for the table and every GSI.

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
        table.table.grant_read_write_data(service_role)

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
        encryption: ``TableEncryption.DEFAULT`` (AWS-owned key), ``AWS_MANAGED`` or
            ``CUSTOMER_MANAGED``. Default: ``CUSTOMER_MANAGED`` when ``encryption_key`` is
            given, else ``DEFAULT``.
        encryption_key: the customer-managed key. Default: created (rotating yearly) when
            ``encryption`` is ``CUSTOMER_MANAGED``.
        point_in_time_recovery: continuous backups for 35 days. Default True.
        deletion_protection: refuse DeleteTable (also from CloudFormation). Default True.
        time_to_live_attribute: attribute holding an expiry epoch time. Default: no TTL.
        stream: write item changes to a DynamoDB stream with this view. Default: no stream.
        contributor_insights: CloudWatch Contributor Insights on the table (shows the hottest
            keys; charged per event). Default False.
        table_class: STANDARD or STANDARD_INFREQUENT_ACCESS. Default: STANDARD.
        large_item_bucket: create a bucket for attributes too large for a 400 KB item.
            Default False.
        cache: put a DAX cluster in front of the table. Default: no cache.
        capacity_alarm_percent: provisioned only: alarm when consumed capacity stays above
            this share of provisioned for 15 minutes (1..100). Default 90.
        removal_policy: of the table, its key and the large-item bucket. Default RETAIN.
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
        partition_key: dynamodb.Attribute,
        sort_key: dynamodb.Attribute | None = None,
        read_scaling: AutoScalingOptions | None = None,
        write_scaling: AutoScalingOptions | None = None,
        max_read_request_units: int | None = None,
        max_write_request_units: int | None = None,
        global_secondary_indexes: Mapping[str, GsiOptions] | None = None,
        local_secondary_indexes: Mapping[str, LsiOptions] | None = None,
        expected_size_gb: float = 0,
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
    ) -> None:
        super().__init__(scope, construct_id)
        gsis = dict(global_secondary_indexes or {}) if _is_mapping(global_secondary_indexes) else {}
        lsis = dict(local_secondary_indexes or {}) if _is_mapping(local_secondary_indexes) else {}
        if encryption is None:
            encryption = (
                dynamodb.TableEncryption.CUSTOMER_MANAGED
                if encryption_key is not None
                else dynamodb.TableEncryption.DEFAULT
            )
        self._validate(
            partition_key=partition_key,
            sort_key=sort_key,
            read_scaling=read_scaling,
            write_scaling=write_scaling,
            max_read_request_units=max_read_request_units,
            max_write_request_units=max_write_request_units,
            gsis=gsis,
            lsis=lsis,
            expected_size_gb=expected_size_gb,
            key_cardinality=key_cardinality,
            hot_key_share=hot_key_share,
            peak_read_units=peak_read_units,
            peak_write_units=peak_write_units,
            growth_factor=growth_factor,
            table_name=table_name,
            encryption=encryption,
            encryption_key=encryption_key,
            time_to_live_attribute=time_to_live_attribute,
            cache=cache,
            capacity_alarm_percent=capacity_alarm_percent,
            index_mappings={
                "global_secondary_indexes": global_secondary_indexes,
                "local_secondary_indexes": local_secondary_indexes,
            },
            flags={
                "point_in_time_recovery": point_in_time_recovery,
                "deletion_protection": deletion_protection,
                "contributor_insights": contributor_insights,
                "large_item_bucket": large_item_bucket,
            },
            stream=stream,
            table_class=table_class,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self.provisioned = read_scaling is not None and write_scaling is not None
        #: Names of the table's secondary indexes (global and local).
        self.index_names: tuple[str, ...] = tuple(gsis) + tuple(lsis)

        # -- capacity plan ---------------------------------------------------------------------
        #: The partition plan of the table (None on-demand without peak figures).
        self.capacity_plan: PartitionPlan | None = None
        #: The partition plan of each provisioned GSI.
        self.index_capacity_plans: dict[str, PartitionPlan] = {}
        plan_reads: float | None = None
        plan_writes: float | None = None
        if read_scaling is not None and write_scaling is not None:
            plan_reads, plan_writes = read_scaling.peak_capacity, write_scaling.peak_capacity
        elif peak_read_units is not None or peak_write_units is not None:
            plan_reads, plan_writes = peak_read_units or 0, peak_write_units or 0
        if plan_reads is not None and plan_writes is not None:
            self.capacity_plan = dynamodb_partitions(
                plan_reads,
                plan_writes,
                expected_size_gb,
                key_cardinality=key_cardinality,
                hot_key_share=hot_key_share,
                growth_factor=growth_factor,
            )
            self._warn_plan("table", self.capacity_plan)
            mode = "provisioned" if self.provisioned else "on-demand"
            record_capacity(self, f"{mode}: {self.capacity_plan.summary()}")
        else:
            record_capacity(self, "on-demand (no peak given, no partition plan)")

        # -- encryption ------------------------------------------------------------------------
        self.encryption_key: kms.IKey | None = encryption_key
        if encryption == dynamodb.TableEncryption.CUSTOMER_MANAGED and encryption_key is None:
            self.encryption_key = defaults.encryption_key(
                self,
                "Key",
                description=f"Encrypts the DynamoDB table of {self.node.path}",
                removal_policy=removal_policy,
            )

        # -- table -----------------------------------------------------------------------------
        self.table = dynamodb.Table(
            self,
            "Resource",
            partition_key=partition_key,
            sort_key=sort_key,
            table_name=table_name,
            billing_mode=(
                dynamodb.BillingMode.PROVISIONED
                if self.provisioned
                else dynamodb.BillingMode.PAY_PER_REQUEST
            ),
            read_capacity=read_scaling.min_capacity if read_scaling else None,
            write_capacity=write_scaling.min_capacity if write_scaling else None,
            max_read_request_units=max_read_request_units,
            max_write_request_units=max_write_request_units,
            encryption=encryption,
            encryption_key=self.encryption_key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=point_in_time_recovery
            ),
            deletion_protection=deletion_protection,
            time_to_live_attribute=time_to_live_attribute,
            stream=stream,
            contributor_insights_specification=(
                dynamodb.ContributorInsightsSpecification(enabled=True)
                if contributor_insights
                else None
            ),
            table_class=table_class,
            removal_policy=removal_policy,
        )
        #: Auto-scaling attribute per ``"<Table|index>/<Read|Write>"`` (provisioned only).
        self.scaling: dict[str, dynamodb.IScalableTableAttribute] = {}
        if read_scaling is not None and write_scaling is not None:
            self._scale("Read", None, read_scaling)
            self._scale("Write", None, write_scaling)

        for name, lsi in lsis.items():
            self.table.add_local_secondary_index(
                index_name=name,
                sort_key=lsi.sort_key,
                projection_type=lsi.projection_type,
                non_key_attributes=list(lsi.non_key_attributes) or None,
            )
        for name, gsi in gsis.items():
            self._add_gsi(name, gsi, read_scaling, write_scaling, growth_factor)

        # -- large items -----------------------------------------------------------------------
        #: Bucket for attributes too large for an item (``large_item_bucket=True``).
        self.large_item_bucket: s3.Bucket | None = None
        if large_item_bucket:
            self.large_item_bucket = defaults.secure_bucket(
                self,
                "LargeItemBucket",
                encryption_key=self.encryption_key,
                removal_policy=removal_policy,
            )

        # -- alarms ----------------------------------------------------------------------------
        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        self._capacity_alarm_percent = capacity_alarm_percent
        self._table_alarms()
        for name in gsis:
            self._index_alarms(name)

        # -- cache -----------------------------------------------------------------------------
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
                **{f.name: getattr(cache, f.name) for f in fields(cache)},
            )

        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"DynamoDB table {self.node.path}")

    # -- public API ------------------------------------------------------------------------
    def grant_read_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read the table, its indexes (and the large-item objects).

        Unlike the L2's grant, the actions are listed one by one and the indexes by ARN (no
        ``index/*``), so the grantee's policy passes cdk-nag's IAM5 without acknowledgement.
        Large-item objects are granted in the bucket policy, scoped to ``grantee``.
        """
        return self._grant(grantee, write=False)

    def grant_read_write_data(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read and write the table (and the large-item objects)."""
        return self._grant(grantee, write=True)

    # -- internals -------------------------------------------------------------------------
    def _grant(self, grantee: iam.IGrantable, *, write: bool) -> iam.Grant:
        actions = list(TABLE_READ_ACTIONS) + (list(TABLE_WRITE_ACTIONS) if write else [])
        resources = [self.table.table_arn] + [
            f"{self.table.table_arn}/index/{name}" for name in self.index_names
        ]
        grant = iam.Grant.add_to_principal(
            grantee=grantee, actions=actions, resource_arns=resources
        )
        key_actions = list(KEY_READ_ACTIONS) + (list(KEY_WRITE_ACTIONS) if write else [])
        if self.encryption_key is not None:
            iam.Grant.add_to_principal(
                grantee=grantee, actions=key_actions, resource_arns=[self.encryption_key.key_arn]
            )
        if self.large_item_bucket is not None:
            bucket = self.large_item_bucket
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    actions=["s3:ListBucket"],
                    principals=[grantee.grant_principal],
                    resources=[bucket.bucket_arn],
                )
            )
            object_actions = ["s3:GetObject", "s3:GetObjectVersion"]
            if write:
                object_actions += ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    actions=object_actions,
                    principals=[grantee.grant_principal],
                    resources=[bucket.arn_for_objects("*")],
                )
            )
        return grant

    def _warn_plan(self, what: str, plan: PartitionPlan) -> None:
        for note in plan.notes:
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:data-tier:hot-key", f"{what}: {note}"
            )

    def _scale(self, kind: str, index: str | None, options: AutoScalingOptions) -> None:
        if index is None:
            attribute = (
                self.table.auto_scale_read_capacity
                if kind == "Read"
                else self.table.auto_scale_write_capacity
            )(min_capacity=options.min_capacity, max_capacity=options.max_capacity)
        else:
            attribute = (
                self.table.auto_scale_global_secondary_index_read_capacity
                if kind == "Read"
                else self.table.auto_scale_global_secondary_index_write_capacity
            )(index, min_capacity=options.min_capacity, max_capacity=options.max_capacity)
        attribute.scale_on_utilization(
            target_utilization_percent=options.target_utilization_percent,
            scale_in_cooldown=options.scale_in_cooldown,
            scale_out_cooldown=options.scale_out_cooldown,
        )
        for action in options.schedules:
            attribute.scale_on_schedule(
                pascal(action.name),
                schedule=action.schedule,
                min_capacity=action.min_capacity,
                max_capacity=action.max_capacity,
                time_zone=action.time_zone,
            )
        self.scaling[f"{index or 'Table'}/{kind}"] = attribute

    def _add_gsi(
        self,
        name: str,
        gsi: GsiOptions,
        table_reads: AutoScalingOptions | None,
        table_writes: AutoScalingOptions | None,
        growth_factor: float,
    ) -> None:
        reads = gsi.read_scaling or table_reads
        writes = gsi.write_scaling or table_writes
        self.table.add_global_secondary_index(
            index_name=name,
            partition_key=gsi.partition_key,
            sort_key=gsi.sort_key,
            projection_type=gsi.projection_type,
            non_key_attributes=list(gsi.non_key_attributes) or None,
            read_capacity=reads.min_capacity if reads else None,
            write_capacity=writes.min_capacity if writes else None,
        )
        if reads is None or writes is None:
            return
        self._scale("Read", name, reads)
        self._scale("Write", name, writes)
        plan = dynamodb_partitions(
            reads.peak_capacity,
            writes.peak_capacity,
            key_cardinality=gsi.key_cardinality,
            hot_key_share=gsi.hot_key_share,
            growth_factor=growth_factor,
        )
        self.index_capacity_plans[name] = plan
        self._warn_plan(f"index {name}", plan)

    def _table_alarms(self) -> None:
        path = self.node.path
        five = Duration.minutes(5)
        for kind in ("Read", "Write"):
            self.monitoring.alarm(
                f"{kind}ThrottleEvents",
                metric=self.table.metric(f"{kind}ThrottleEvents", period=five, statistic="Sum"),
                threshold=0,
                evaluation_periods=THROTTLE_PERIODS,
                description=(
                    f"{path}: {kind.lower()} requests were throttled for "
                    f"{THROTTLE_PERIODS * 5} minutes. "
                    + (
                        "Auto scaling is at its maximum or a key is hot (Contributor Insights "
                        "shows it)."
                        if self.provisioned
                        else "A key is hot or the on-demand peak doubled the previous one."
                    )
                ),
            )
        self.monitoring.alarm(
            "SystemErrors",
            metric=self.table.metric_system_errors_for_operations(
                operations=list(SYSTEM_ERROR_OPERATIONS), period=five, statistic="Sum"
            ),
            threshold=0,
            evaluation_periods=THROTTLE_PERIODS,
            description=f"{path}: DynamoDB returned HTTP 500 errors (service-side failures).",
        )
        if self.provisioned:
            for kind in ("Read", "Write"):
                self._capacity_alarm(f"{kind}CapacityUtilization", kind, None)

    def _index_alarms(self, name: str) -> None:
        dims = {"TableName": self.table.table_name, "GlobalSecondaryIndexName": name}
        prefix = pascal(name)
        for kind in ("Read", "Write"):
            extra = (
                " Index write throttling also throttles writes to the table."
                if kind == "Write"
                else ""
            )
            self.monitoring.alarm(
                f"{prefix}{kind}ThrottleEvents",
                metric=self.table.metric(
                    f"{kind}ThrottleEvents",
                    dimensions_map=dims,
                    period=Duration.minutes(5),
                    statistic="Sum",
                ),
                threshold=0,
                evaluation_periods=THROTTLE_PERIODS,
                description=(
                    f"{self.node.path}: {kind.lower()}s of index {name} were throttled for "
                    f"{THROTTLE_PERIODS * 5} minutes.{extra}"
                ),
            )
            if self.provisioned:
                self._capacity_alarm(f"{prefix}{kind}CapacityUtilization", kind, name)

    def _capacity_alarm(self, alarm_name: str, kind: str, index: str | None) -> None:
        dims = {"TableName": self.table.table_name}
        if index is not None:
            dims["GlobalSecondaryIndexName"] = index
        five = Duration.minutes(5)
        consumed = self.table.metric(
            f"Consumed{kind}CapacityUnits", dimensions_map=dims, period=five, statistic="Sum"
        )
        provisioned = self.table.metric(
            f"Provisioned{kind}CapacityUnits",
            dimensions_map=dims,
            period=five,
            statistic="Average",
        )
        utilization = cw.MathExpression(
            expression="100 * (consumed / PERIOD(consumed)) / provisioned",
            using_metrics={"consumed": consumed, "provisioned": provisioned},
            label=f"{kind} capacity utilization (%)",
            period=five,
        )
        what = "the table" if index is None else f"index {index}"
        self.monitoring.alarm(
            alarm_name,
            metric=utilization,
            threshold=self._capacity_alarm_percent,
            evaluation_periods=THROTTLE_PERIODS,
            description=(
                f"{self.node.path}: consumed {kind.lower()} capacity of {what} stayed above "
                f"{self._capacity_alarm_percent:g}% of provisioned for {THROTTLE_PERIODS * 5} "
                "minutes: auto scaling is at its maximum or cannot keep up. Raise max_capacity."
            ),
        )

    def _validate(
        self,
        *,
        partition_key: dynamodb.Attribute,
        sort_key: dynamodb.Attribute | None,
        read_scaling: AutoScalingOptions | None,
        write_scaling: AutoScalingOptions | None,
        max_read_request_units: int | None,
        max_write_request_units: int | None,
        gsis: dict[str, GsiOptions],
        lsis: dict[str, LsiOptions],
        expected_size_gb: float,
        key_cardinality: int | None,
        hot_key_share: float | None,
        peak_read_units: float | None,
        peak_write_units: float | None,
        growth_factor: float,
        table_name: str | None,
        encryption: dynamodb.TableEncryption,
        encryption_key: kms.IKey | None,
        time_to_live_attribute: str | None,
        cache: DaxOptions | None,
        capacity_alarm_percent: float,
        index_mappings: Mapping[str, object],
        flags: Mapping[str, object],
        stream: object,
        table_class: object,
        removal_policy: object,
        alarm_topic: object,
        dashboard: object,
    ) -> None:
        v = Validator(self)
        for problem in attribute_problems("partition_key", partition_key):
            v.problems.append(problem)
        if sort_key is not None:
            v.problems.extend(attribute_problems("sort_key", sort_key))
        v.problems.extend(key_schema_problems("sort_key", partition_key, sort_key))
        keys: list[tuple[str, object | None]] = [
            ("partition_key", partition_key),
            ("sort_key", sort_key),
        ]
        for prop, mapping in index_mappings.items():
            if mapping is not None and not _is_mapping(mapping):
                v.add(prop, f"must be a mapping of index name to options, got {mapping!r}")

        # capacity mode
        if (read_scaling is None) != (write_scaling is None):
            given = "read_scaling" if read_scaling is not None else "write_scaling"
            v.add(
                given,
                "needs both read_scaling and write_scaling (provisioned) or neither (on-demand)",
            )
        provisioned = read_scaling is not None or write_scaling is not None
        for prop, scaling in (("read_scaling", read_scaling), ("write_scaling", write_scaling)):
            if scaling is not None:
                validate_scaling(v, prop, scaling)
        if provisioned:
            for prop, value in (
                ("max_read_request_units", max_read_request_units),
                ("max_write_request_units", max_write_request_units),
                ("peak_read_units", peak_read_units),
                ("peak_write_units", peak_write_units),
            ):
                if value is not None:
                    v.add(
                        prop,
                        "applies to on-demand capacity only; provisioned capacity is planned "
                        f"from the auto-scaling maxima, got {value!r}",
                    )
        v.number_in_range("max_read_request_units", max_read_request_units, minimum=1, integer=True)
        v.number_in_range(
            "max_write_request_units", max_write_request_units, minimum=1, integer=True
        )

        # partition plan inputs
        v.number_in_range("expected_size_gb", expected_size_gb, minimum=0, unit="GB")
        v.number_in_range("key_cardinality", key_cardinality, minimum=1, integer=True)
        v.problems.extend(share_problems("hot_key_share", hot_key_share))
        v.number_in_range("peak_read_units", peak_read_units, minimum=0)
        v.number_in_range("peak_write_units", peak_write_units, minimum=0)
        v.number_in_range("growth_factor", growth_factor, minimum=1)
        has_peak = provisioned or peak_read_units is not None or peak_write_units is not None
        if not has_peak:
            for prop, value in (
                ("key_cardinality", key_cardinality),
                ("hot_key_share", hot_key_share),
            ):
                if value is not None:
                    v.add(
                        prop,
                        "needs peak_read_units or peak_write_units with on-demand capacity "
                        "(the hot-key check compares the key's share of the peak with a "
                        "partition's limits)",
                    )

        # indexes
        v.number_in_range("global_secondary_indexes", len(gsis), maximum=MAX_GSIS, unit="indexes")
        v.number_in_range("local_secondary_indexes", len(lsis), maximum=MAX_LSIS, unit="indexes")
        if lsis and sort_key is None:
            v.add("local_secondary_indexes", "need a table sort_key")
        for name in set(gsis) & set(lsis):
            v.add("local_secondary_indexes", f"name {name!r} is also a global secondary index")
        pascals: dict[str, str] = {}
        for name, gsi in gsis.items():
            prop = f'global_secondary_indexes["{name}"]'
            self._validate_index_name(v, "global_secondary_indexes", name)
            key = pascal(name) if isinstance(name, str) else ""
            if key in pascals:
                v.add(
                    "global_secondary_indexes",
                    f"names {pascals[key]!r} and {name!r} map to the same alarm id {key}",
                )
            pascals[key] = name
            if not isinstance(gsi, GsiOptions):
                v.add(prop, f"must be a GsiOptions, got {type(gsi).__name__}")
                continue
            v.problems.extend(attribute_problems(f"{prop}.partition_key", gsi.partition_key))
            if gsi.sort_key is not None:
                v.problems.extend(attribute_problems(f"{prop}.sort_key", gsi.sort_key))
            v.problems.extend(
                key_schema_problems(f"{prop}.sort_key", gsi.partition_key, gsi.sort_key)
            )
            keys += [
                (f"{prop}.partition_key", gsi.partition_key),
                (f"{prop}.sort_key", gsi.sort_key),
            ]
            self._validate_projection(v, prop, gsi.projection_type, gsi.non_key_attributes)
            for kind, scaling in (
                ("read_scaling", gsi.read_scaling),
                ("write_scaling", gsi.write_scaling),
            ):
                if scaling is None:
                    continue
                if not provisioned:
                    v.add(
                        f"{prop}.{kind}",
                        "applies to provisioned capacity only; the table is on-demand",
                    )
                else:
                    validate_scaling(v, f"{prop}.{kind}", scaling)
            v.number_in_range(
                f"{prop}.key_cardinality", gsi.key_cardinality, minimum=1, integer=True
            )
            v.problems.extend(share_problems(f"{prop}.hot_key_share", gsi.hot_key_share))
            if not provisioned:
                for field_name in ("key_cardinality", "hot_key_share"):
                    if getattr(gsi, field_name) is not None:
                        v.add(
                            f"{prop}.{field_name}",
                            "applies to provisioned capacity only (an index's hot-key check "
                            "uses its auto-scaling maximum); the table is on-demand",
                        )
        for name, lsi in lsis.items():
            prop = f'local_secondary_indexes["{name}"]'
            self._validate_index_name(v, "local_secondary_indexes", name)
            if not isinstance(lsi, LsiOptions):
                v.add(prop, f"must be a LsiOptions, got {type(lsi).__name__}")
                continue
            v.problems.extend(attribute_problems(f"{prop}.sort_key", lsi.sort_key))
            v.problems.extend(key_schema_problems(f"{prop}.sort_key", partition_key, lsi.sort_key))
            keys.append((f"{prop}.sort_key", lsi.sort_key))
            self._validate_projection(v, prop, lsi.projection_type, lsi.non_key_attributes)
        v.problems.extend(attribute_type_problems(keys))
        projected = [
            len(index.non_key_attributes)
            for index in (*gsis.values(), *lsis.values())
            if isinstance(index, GsiOptions | LsiOptions)
            and isinstance(index.non_key_attributes, list | tuple)
        ]
        if sum(projected) > MAX_PROJECTED_ATTRIBUTES:
            v.add(
                "non_key_attributes",
                f"of all secondary indexes must total at most {MAX_PROJECTED_ATTRIBUTES} "
                f"(DynamoDB counts an attribute once per index), got {sum(projected)}",
            )

        # table settings
        if v.text("table_name", table_name):
            assert table_name is not None
            v.require(
                bool(TABLE_NAME.match(table_name)),
                "table_name",
                f"must be 3-255 letters, digits, '_', '-' or '.', got {table_name!r}",
            )
        v.instance_of(
            "encryption", encryption, dynamodb.TableEncryption, what="a dynamodb.TableEncryption"
        )
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        if encryption_key is not None and encryption != dynamodb.TableEncryption.CUSTOMER_MANAGED:
            v.add(
                "encryption_key",
                f"needs encryption=TableEncryption.CUSTOMER_MANAGED, got {encryption}",
            )
        if v.text("time_to_live_attribute", time_to_live_attribute):
            assert time_to_live_attribute is not None
            v.require(
                1 <= len(time_to_live_attribute) <= 255,
                "time_to_live_attribute",
                f"must be 1-255 characters, got {time_to_live_attribute!r}",
            )
        if cache is not None and not isinstance(cache, DaxOptions):
            v.add("cache", f"must be a DaxOptions, got {type(cache).__name__}")
        elif cache is not None:
            validate_dax_options(
                v,
                "cache.",
                **{f.name: getattr(cache, f.name) for f in fields(cache)},
            )
        for prop, flag in flags.items():
            v.boolean(prop, flag)
        v.instance_of("stream", stream, dynamodb.StreamViewType, what="a dynamodb.StreamViewType")
        v.instance_of("table_class", table_class, dynamodb.TableClass, what="a dynamodb.TableClass")
        v.instance_of(
            "removal_policy", removal_policy, RemovalPolicy, what="an aws_cdk.RemovalPolicy"
        )
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        v.number_in_range(
            "capacity_alarm_percent", capacity_alarm_percent, minimum=1, maximum=100, unit="%"
        )
        v.raise_if_invalid()

    @staticmethod
    def _validate_index_name(v: Validator, prop: str, name: object) -> None:
        if not isinstance(name, str) or not TABLE_NAME.match(name):
            v.add(prop, f"name must be 3-255 letters, digits, '_', '-' or '.', got {name!r}")

    @staticmethod
    def _validate_projection(
        v: Validator,
        prop: str,
        projection: dynamodb.ProjectionType,
        non_key_attributes: Sequence[str],
    ) -> None:
        if not v.instance_of(
            f"{prop}.projection_type",
            projection,
            dynamodb.ProjectionType,
            what="a dynamodb.ProjectionType",
        ):
            return
        if not v.sequence_of(f"{prop}.non_key_attributes", non_key_attributes, str):
            return
        for name in non_key_attributes:
            if not 1 <= len(name) <= MAX_ATTRIBUTE_NAME:
                v.add(
                    f"{prop}.non_key_attributes",
                    f"must hold attribute names of 1-{MAX_ATTRIBUTE_NAME} characters, got {name!r}",
                )
        if projection == dynamodb.ProjectionType.INCLUDE:
            v.require(
                1 <= len(non_key_attributes) <= MAX_PROJECTED_ATTRIBUTES,
                f"{prop}.non_key_attributes",
                f"must name 1-{MAX_PROJECTED_ATTRIBUTES} attributes with ProjectionType.INCLUDE, "
                f"got {len(non_key_attributes)}",
            )
        elif non_key_attributes:
            v.add(
                f"{prop}.non_key_attributes",
                f"apply only with ProjectionType.INCLUDE, got {projection}",
            )


def validate_scaling(v: Validator, prop: str, scaling: AutoScalingOptions) -> None:
    """Record the problems of one :class:`AutoScalingOptions`."""
    if not isinstance(scaling, AutoScalingOptions):
        v.add(prop, f"must be an AutoScalingOptions, got {type(scaling).__name__}")
        return
    v.number_in_range(
        f"{prop}.min_capacity",
        scaling.min_capacity,
        minimum=MIN_CAPACITY,
        maximum=MAX_CAPACITY,
        integer=True,
    )
    v.number_in_range(
        f"{prop}.max_capacity",
        scaling.max_capacity,
        minimum=MIN_CAPACITY,
        maximum=MAX_CAPACITY,
        integer=True,
    )
    lo, hi = scaling.min_capacity, scaling.max_capacity
    if _concrete_number(lo) and _concrete_number(hi) and lo > hi:
        v.add(f"{prop}.max_capacity", f"must be at least min_capacity ({lo}), got {hi}")
    v.number_in_range(
        f"{prop}.target_utilization_percent",
        scaling.target_utilization_percent,
        minimum=MIN_TARGET_UTILIZATION,
        maximum=MAX_TARGET_UTILIZATION,
        unit="%",
    )
    # Application Auto Scaling takes ScaleIn/ScaleOutCooldown in whole seconds.
    v.duration_in_range(
        f"{prop}.scale_in_cooldown",
        scaling.scale_in_cooldown,
        minimum=Duration.seconds(0),
        whole="seconds",
    )
    v.duration_in_range(
        f"{prop}.scale_out_cooldown",
        scaling.scale_out_cooldown,
        minimum=Duration.seconds(0),
        whole="seconds",
    )
    if not isinstance(scaling.schedules, list | tuple):
        v.add(
            f"{prop}.schedules",
            f"must be a tuple of ScheduledCapacity, got {type(scaling.schedules).__name__}",
        )
        return
    seen: set[str] = set()
    for action in scaling.schedules:
        if not isinstance(action, ScheduledCapacity):
            v.add(f"{prop}.schedules", f"must hold ScheduledCapacity, got {type(action).__name__}")
            continue
        where = f"{prop}.schedules[{action.name!r}]"
        key = pascal(action.name) if isinstance(action.name, str) else ""
        if not key:
            v.add(f"{prop}.schedules", f"need a name, got {action.name!r}")
        elif key in seen:
            v.add(f"{prop}.schedules", f"name {action.name!r} is used twice")
        seen.add(key)
        if action.min_capacity is None and action.max_capacity is None:
            v.add(where, "must set min_capacity, max_capacity or both")
        for bound in ("min_capacity", "max_capacity"):
            v.number_in_range(
                f"{where}.{bound}",
                getattr(action, bound),
                minimum=MIN_CAPACITY,
                maximum=MAX_CAPACITY,
                integer=True,
            )
        a_lo, a_hi = action.min_capacity, action.max_capacity
        if _concrete_number(a_lo) and _concrete_number(a_hi) and a_lo > a_hi:
            v.add(f"{where}.max_capacity", f"must be at least min_capacity ({a_lo}), got {a_hi}")
        elif _concrete_number(a_lo) and a_hi is None and _concrete_number(hi) and a_lo > hi:
            v.add(
                f"{where}.min_capacity",
                f"must be at most the range's max_capacity ({hi}) when the action keeps it, "
                f"got {a_lo}",
            )
        v.instance_of(
            f"{where}.schedule",
            action.schedule,
            appscaling.Schedule,
            what="an appscaling.Schedule",
        )
        if action.schedule is None:
            v.add(f"{where}.schedule", "is required")
        v.instance_of(f"{where}.time_zone", action.time_zone, TimeZone, what="an aws_cdk.TimeZone")


def _concrete_number(value: object) -> TypeGuard[float]:
    """A number known at synth time (not a token, not a bool, not a string)."""
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and not is_unresolved(value)
    )


def _is_mapping(value: object) -> bool:
    return value is None or isinstance(value, Mapping)
