"""DaxCache: a DynamoDB Accelerator (DAX) cluster in front of one table.

aws-cdk-lib has no L2 for DAX; this construct wraps the L1 resources (``CfnCluster``,
``CfnSubnetGroup``, ``CfnParameterGroup``) behind a typed, validated surface.

When DAX fits: read-heavy workloads that read the same items again and again (a product
catalogue, a leaderboard, session lookups), that need microsecond reads, or that must absorb
a read spike on a few hot keys without raising table capacity. When it does not: write-heavy
workloads (every write goes through to DynamoDB and invalidates nothing else - you pay for the
cluster and gain nothing), reads that must be strongly consistent (DAX passes them through),
workloads that already cache on the client, or callers outside the VPC. DAX clients need the
DAX SDK client (``amazon-dax-client``) and network access to port 9111 (TLS) of the cluster.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dax as dax
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.network import isolated_subnets, new_vpc
from patterns.core.validation import Validator, is_unresolved
from patterns.data_tier._common import TABLE_NAME

__all__ = ["DAX_NODE_TYPES", "DAX_TLS_PORT", "DaxCache", "DaxOptions"]

#: Port of the TLS-encrypted cluster endpoint (8111 is the unencrypted one, not used).
DAX_TLS_PORT = 9111
#: Node types DAX offers (the t2/r4 generations are legacy; prefer t3/r5).
DAX_NODE_TYPES = (
    "dax.t3.small",
    "dax.t3.medium",
    "dax.t2.small",
    "dax.t2.medium",
    "dax.r5.large",
    "dax.r5.xlarge",
    "dax.r5.2xlarge",
    "dax.r5.4xlarge",
    "dax.r5.8xlarge",
    "dax.r5.12xlarge",
    "dax.r5.16xlarge",
    "dax.r5.24xlarge",
    "dax.r4.large",
    "dax.r4.xlarge",
    "dax.r4.2xlarge",
    "dax.r4.4xlarge",
    "dax.r4.8xlarge",
    "dax.r4.16xlarge",
)
MIN_REPLICATION_FACTOR = 1
MAX_REPLICATION_FACTOR = 10
#: Below this, losing one node (or one AZ) loses the cache.
RECOMMENDED_REPLICATION_FACTOR = 3
#: DAX cluster names: 1-20 letters, digits or hyphens, starting with a letter, no "--", no
#: trailing hyphen.
_CLUSTER_NAME = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,19}(?<!-)$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = f"({'|'.join(_DAYS)})"
#: DAX CreateCluster PreferredMaintenanceWindow: "The minimum maintenance window is a 60
#: minute period."
MIN_MAINTENANCE_MINUTES = 60
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]"
_WINDOW = re.compile(rf"^{_DAY}:{_TIME}-{_DAY}:{_TIME}$")
#: The DynamoDB actions the DAX service role needs on the table and its indexes.
DAX_TABLE_ACTIONS = (
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
)
#: DAX API actions of a client that only reads.
DAX_READ_ACTIONS = (
    "dax:GetItem",
    "dax:BatchGetItem",
    "dax:Query",
    "dax:Scan",
    "dax:ConditionCheckItem",
)
#: ... and of one that writes through the cache.
DAX_WRITE_ACTIONS = (
    "dax:PutItem",
    "dax:UpdateItem",
    "dax:DeleteItem",
    "dax:BatchWriteItem",
)


@dataclass(frozen=True)
class DaxOptions:
    """The cache of a :class:`~patterns.data_tier.table.ScalableTable` (``cache=...``).

    The fields are the optional props of :class:`DaxCache`, with the same defaults.
    """

    vpc: ec2.IVpc | None = None
    vpc_subnets: ec2.SubnetSelection | None = None
    node_type: str = "dax.t3.small"
    replication_factor: int = RECOMMENDED_REPLICATION_FACTOR
    item_ttl: Duration = Duration.minutes(5)
    query_ttl: Duration = Duration.minutes(5)
    maintenance_window: str | None = None
    cluster_name: str | None = None
    cpu_alarm_percent: float = 80
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN


class DaxCache(Construct):
    """A DAX cluster caching one DynamoDB table, in private subnets, encrypted, observed.

    The cluster is encrypted at rest and its endpoint speaks TLS only (port 9111). Its
    security group admits nobody until you call :meth:`allow_from` for each client (a
    security group, an instance, a function in the VPC); IAM access to the cluster API comes
    from :meth:`grant_access`. DAX reaches DynamoDB through a service role limited to this
    table (and the named indexes) and the item actions DAX performs.

    See the module documentation for when DAX fits and when it does not.

    Example::

        cache = DaxCache(self, "Cache", table=table, vpc=vpc, replication_factor=3)
        cache.allow_from(service_security_group)
        cache.grant_access(service_role, read_only=True)

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        table: the table to cache.
        index_names: indexes of ``table`` queried through DAX (the role gets exactly their
            ARNs). Default: none.
        vpc: the VPC. Default: a new VPC with private isolated subnets in up to 3 AZs, a
            DynamoDB gateway endpoint and flow logs (to a log group kept one year).
        vpc_subnets: subnets of the subnet group. Default: the VPC's private subnets (with
            egress, or else isolated).
        node_type: node type. Default ``dax.t3.small`` (development); production: a
            memory-optimised ``dax.r5.large`` or larger, sized so the working set fits.
        replication_factor: nodes (1..10), spread over the subnets' AZs. Default 3; below 3
            a warning is emitted (one node is a single point of failure).
        item_ttl: how long GetItem/BatchGetItem results stay cached. Default 5 minutes.
        query_ttl: how long Query/Scan results stay cached. Default 5 minutes.
        maintenance_window: weekly window ``ddd:hh24:mi-ddd:hh24:mi`` in UTC (e.g.
            ``sun:05:00-sun:06:00``). Default: chosen by DAX.
        cluster_name: physical cluster name (1-20 letters, digits, hyphens). Default:
            generated.
        cpu_alarm_percent: alarm when average node CPU stays above this (1..100 %).
            Default 80.
        removal_policy: of the flow log group of a created VPC. Default RETAIN.
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
        table: dynamodb.ITable,
        index_names: Sequence[str] = (),
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        node_type: str = "dax.t3.small",
        replication_factor: int = RECOMMENDED_REPLICATION_FACTOR,
        item_ttl: Duration = Duration.minutes(5),
        query_ttl: Duration = Duration.minutes(5),
        maintenance_window: str | None = None,
        cluster_name: str | None = None,
        cpu_alarm_percent: float = 80,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._validate(
            node_type=node_type,
            replication_factor=replication_factor,
            item_ttl=item_ttl,
            query_ttl=query_ttl,
            maintenance_window=maintenance_window,
            cluster_name=cluster_name,
            cpu_alarm_percent=cpu_alarm_percent,
            vpc_subnets=vpc_subnets,
            vpc=vpc,
            index_names=index_names,
            removal_policy=removal_policy,
        )
        if not is_unresolved(replication_factor) and replication_factor < 3:
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:data-tier:dax-single-point-of-failure",
                f"replication_factor {replication_factor}: a DAX cluster of fewer than "
                f"{RECOMMENDED_REPLICATION_FACTOR} nodes loses its cache (and its reads fall "
                "back to the table) when a node or an AZ fails; use 3 or more in production",
            )
        noun = "node" if replication_factor == 1 else "nodes"
        record_capacity(self, f"DAX {replication_factor} x {node_type} {noun}")
        self.table = table

        # -- network -------------------------------------------------------------------------
        #: The flow log group of a created VPC (None when ``vpc`` is given).
        self.flow_log_group: logs.LogGroup | None = None
        if vpc is None:
            vpc, self.flow_log_group = new_vpc(
                self,
                "Vpc",
                subnet_configuration=isolated_subnets("Cache"),
                max_azs=3,
                gateway_endpoints={
                    "DynamoDb": ec2.GatewayVpcEndpointOptions(
                        service=ec2.GatewayVpcEndpointAwsService.DYNAMODB
                    )
                },
                removal_policy=removal_policy,
            )
        self.vpc = vpc
        if vpc_subnets is not None:
            subnets = vpc.select_subnets(
                subnet_type=vpc_subnets.subnet_type,
                subnet_group_name=vpc_subnets.subnet_group_name,
                subnets=vpc_subnets.subnets,
                availability_zones=vpc_subnets.availability_zones,
                one_per_az=vpc_subnets.one_per_az,
            ).subnets
        else:
            subnets = list(vpc.private_subnets) or list(vpc.isolated_subnets)
        if not subnets:
            v = Validator(self)
            v.add("vpc", "has no private or isolated subnets for the cache; pass vpc_subnets")
            v.raise_if_invalid()

        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            description=f"DAX cluster {self.node.path}: TLS port {DAX_TLS_PORT} from granted peers",
            allow_all_outbound=False,
        )
        #: Connections of the cluster; ``allow_from`` opens the TLS port to a peer.
        self.connections = ec2.Connections(
            security_groups=[self.security_group], default_port=ec2.Port.tcp(DAX_TLS_PORT)
        )
        self.subnet_group = dax.CfnSubnetGroup(
            self,
            "SubnetGroup",
            description=f"Subnets of the DAX cluster {self.node.path}",
            subnet_ids=[subnet.subnet_id for subnet in subnets],
        )
        self.parameter_group = dax.CfnParameterGroup(
            self,
            "ParameterGroup",
            description=f"Cache TTLs of the DAX cluster {self.node.path}",
            parameter_name_values={
                "record-ttl-millis": str(int(item_ttl.to_milliseconds())),
                "query-ttl-millis": str(int(query_ttl.to_milliseconds())),
            },
        )

        # -- service role: this table only -----------------------------------------------------
        self.role = iam.Role(
            self,
            "ServiceRole",
            assumed_by=iam.ServicePrincipal(
                "dax.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
            description=f"Lets the DAX cluster {self.node.path} read and write its table",
        )
        resources = [table.table_arn] + [f"{table.table_arn}/index/{name}" for name in index_names]
        statements = [iam.PolicyStatement(actions=list(DAX_TABLE_ACTIONS), resources=resources)]
        if table.encryption_key is not None:
            statements.append(
                iam.PolicyStatement(
                    actions=[
                        "kms:Decrypt",
                        "kms:DescribeKey",
                        "kms:Encrypt",
                        "kms:GenerateDataKey",
                    ],
                    resources=[table.encryption_key.key_arn],
                )
            )
        #: The service role's policy: this table, its named indexes and its key only.
        self.role_policy = iam.Policy(
            self, "ServicePolicy", statements=statements, roles=[self.role]
        )

        # -- cluster -------------------------------------------------------------------------
        self.cluster = dax.CfnCluster(
            self,
            "Resource",
            iam_role_arn=self.role.role_arn,
            node_type=node_type,
            replication_factor=replication_factor,
            cluster_name=cluster_name,
            description=f"DAX cache of {self.node.path}",
            subnet_group_name=self.subnet_group.ref,
            parameter_group_name=self.parameter_group.ref,
            security_group_ids=[self.security_group.security_group_id],
            sse_specification=dax.CfnCluster.SSESpecificationProperty(sse_enabled=True),
            cluster_endpoint_encryption_type="TLS",
            preferred_maintenance_window=maintenance_window,
        )
        # The role's policy must be attached before DAX first uses the role.
        self.cluster.node.add_dependency(self.role_policy)
        #: The cluster name (``Ref``), the ``ClusterId`` dimension of its metrics.
        self.cluster_name: str = self.cluster.ref
        self.cluster_arn: str = self.cluster.attr_arn
        #: ``daxs://...`` discovery endpoint URL for the DAX client.
        self.endpoint_url: str = self.cluster.attr_cluster_discovery_endpoint_url

        # -- alarms --------------------------------------------------------------------------
        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        path = self.node.path
        self.monitoring.alarm(
            "CpuUtilization",
            metric=self.metric("CPUUtilization", statistic="Average"),
            threshold=cpu_alarm_percent,
            evaluation_periods=3,
            description=(
                f"{path}: average DAX node CPU stayed above {cpu_alarm_percent:g}% for 15 "
                "minutes; add nodes (reads) or use a larger node type."
            ),
        )
        self.monitoring.alarm(
            "ErrorRequestCount",
            metric=self.metric("ErrorRequestCount", statistic="Sum"),
            threshold=0,
            evaluation_periods=3,
            description=f"{path}: DAX requests failed with errors for 15 minutes.",
        )
        self.monitoring.alarm(
            "ThrottledRequestCount",
            metric=self.metric("ThrottledRequestCount", statistic="Sum"),
            threshold=0,
            evaluation_periods=3,
            description=(
                f"{path}: DAX throttled requests for 15 minutes (the cluster or the table "
                "behind it is at capacity)."
            ),
        )
        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"DAX cache {path}")

    # -- public API ------------------------------------------------------------------------
    def allow_from(self, peer: ec2.IConnectable, description: str | None = None) -> None:
        """Admit ``peer`` to the cluster's TLS port (9111)."""
        self.connections.allow_default_port_from(
            peer, description or f"DAX clients of {self.node.path}"
        )

    def grant_access(self, grantee: iam.IGrantable, *, read_only: bool = False) -> iam.Grant:
        """Let ``grantee`` call the DAX item API of this cluster (reads, and writes unless
        ``read_only``). Network access is separate: see :meth:`allow_from`."""
        actions = list(DAX_READ_ACTIONS) + ([] if read_only else list(DAX_WRITE_ACTIONS))
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=actions, resource_arns=[self.cluster_arn]
        )

    def metric(
        self, metric_name: str, *, statistic: str = "Average", period: Duration | None = None
    ) -> cw.Metric:
        """A cluster-level ``AWS/DAX`` metric (dimension ``ClusterId``)."""
        return cw.Metric(
            namespace="AWS/DAX",
            metric_name=metric_name,
            dimensions_map={"ClusterId": self.cluster_name},
            statistic=statistic,
            period=period or Duration.minutes(5),
        )

    # -- internals -------------------------------------------------------------------------
    def _validate(
        self,
        *,
        node_type: str,
        replication_factor: int,
        item_ttl: Duration,
        query_ttl: Duration,
        maintenance_window: str | None,
        cluster_name: str | None,
        cpu_alarm_percent: float,
        vpc_subnets: ec2.SubnetSelection | None,
        vpc: ec2.IVpc | None,
        index_names: Sequence[str],
        removal_policy: RemovalPolicy,
    ) -> None:
        v = Validator(self)
        validate_dax_options(
            v,
            "",
            node_type=node_type,
            replication_factor=replication_factor,
            item_ttl=item_ttl,
            query_ttl=query_ttl,
            maintenance_window=maintenance_window,
            cluster_name=cluster_name,
            cpu_alarm_percent=cpu_alarm_percent,
            vpc_subnets=vpc_subnets,
            vpc=vpc,
            removal_policy=removal_policy,
        )
        if v.sequence_of("index_names", index_names, str):
            for name in index_names:
                if not is_unresolved(name) and not TABLE_NAME.match(name):
                    v.add(
                        "index_names",
                        f"must hold index names (3-255 letters, digits, '_', '-' or '.'), "
                        f"got {name!r}",
                    )
        v.raise_if_invalid()


def _window_minutes(window: str) -> int:
    """Length of a ``ddd:hh24:mi-ddd:hh24:mi`` weekly window in minutes (0 for an empty one)."""

    def minute_of_week(part: str) -> int:
        day, hour, minute = part.split(":")
        return _DAYS.index(day) * 1_440 + int(hour) * 60 + int(minute)

    start, end = window.split("-")
    return (minute_of_week(end) - minute_of_week(start)) % (7 * 1_440)


def validate_dax_options(
    v: Validator,
    prefix: str,
    *,
    node_type: object,
    replication_factor: object,
    item_ttl: object,
    query_ttl: object,
    maintenance_window: object,
    cluster_name: object,
    cpu_alarm_percent: object,
    vpc_subnets: object,
    vpc: object,
    removal_policy: object,
) -> None:
    """Record the problems of the cache props (``prefix`` is ``"cache."`` inside a
    :class:`~patterns.data_tier.table.ScalableTable`, so both report in one error)."""
    v.one_of(f"{prefix}node_type", node_type, DAX_NODE_TYPES)
    v.number_in_range(
        f"{prefix}replication_factor",
        replication_factor,  # type: ignore[arg-type]
        minimum=MIN_REPLICATION_FACTOR,
        maximum=MAX_REPLICATION_FACTOR,
        integer=True,
    )
    for prop, ttl in ((f"{prefix}item_ttl", item_ttl), (f"{prefix}query_ttl", query_ttl)):
        v.duration_in_range(prop, ttl, minimum=Duration.seconds(0))  # type: ignore[arg-type]
        if isinstance(ttl, Duration) and not ttl.is_unresolved():
            v.require(
                float(ttl.to_milliseconds(integral=False)).is_integer(),
                prop,
                "must be a whole number of milliseconds",
            )
    if v.text(f"{prefix}maintenance_window", maintenance_window):
        assert isinstance(maintenance_window, str)
        if not _WINDOW.match(maintenance_window):
            v.add(
                f"{prefix}maintenance_window",
                f"must be ddd:hh24:mi-ddd:hh24:mi (e.g. sun:05:00-sun:06:00), "
                f"got {maintenance_window!r}",
            )
        elif _window_minutes(maintenance_window) < MIN_MAINTENANCE_MINUTES:
            v.add(
                f"{prefix}maintenance_window",
                f"must be at least {MIN_MAINTENANCE_MINUTES} minutes long (DAX "
                f"CreateCluster), got {_window_minutes(maintenance_window)} minutes in "
                f"{maintenance_window!r}",
            )
    if v.text(f"{prefix}cluster_name", cluster_name):
        assert isinstance(cluster_name, str)
        v.require(
            bool(_CLUSTER_NAME.match(cluster_name)),
            f"{prefix}cluster_name",
            "must be 1-20 letters, digits or hyphens, start with a letter, with no "
            f"'--' and no trailing hyphen, got {cluster_name!r}",
        )
    v.number_in_range(
        f"{prefix}cpu_alarm_percent",
        cpu_alarm_percent,  # type: ignore[arg-type]
        minimum=1,
        maximum=100,
        unit="%",
    )
    v.instance_of(
        f"{prefix}vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
    )
    if vpc_subnets is not None and vpc is None:
        v.add(f"{prefix}vpc_subnets", "needs vpc (a created VPC has only the cache's subnets)")
    v.implements(f"{prefix}vpc", vpc, "vpc_id", what="an ec2.IVpc")
    v.instance_of(
        f"{prefix}removal_policy", removal_policy, RemovalPolicy, what="an aws_cdk.RemovalPolicy"
    )
