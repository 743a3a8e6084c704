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

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dax as dax
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import MetricSource, Pattern
from patterns.core.validation import is_unresolved
from patterns.data_tier.dax import validate
from patterns.data_tier.dax.alarms import add_cache_alarms
from patterns.data_tier.dax.network import (
    DAX_TLS_PORT,
    cache_security_group,
    cache_subnets,
    cache_vpc,
)
from patterns.data_tier.dax.options import RECOMMENDED_REPLICATION_FACTOR
from patterns.data_tier.dax.roles import service_role

__all__ = ["DaxCache"]

#: Period of the cluster metrics and alarms.
METRIC_PERIOD = deferred(Duration, "minutes", 5)
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


_DEFAULT_ITEM_TTL = deferred(Duration, "minutes", 5)
_DEFAULT_QUERY_TTL = deferred(Duration, "minutes", 5)


class DaxCache(Pattern):
    """A DAX cluster caching one DynamoDB table, in private subnets, encrypted, observed.

    The cluster is encrypted at rest (with a key DAX manages: DAX offers no customer-managed
    key; the table behind it keeps its own) and its endpoint speaks TLS only (port 9111). Its
    security group admits nobody until you call :meth:`allow_from` for each client (a
    security group, an instance, a function in the VPC); IAM access to the cluster API comes
    from :meth:`grant_access`. DAX reaches DynamoDB through a service role limited to this
    table (and the named indexes) and the item actions DAX performs.

    Alarms (``alarms``): average node CPU above ``cpu_alarm_percent``, failed and throttled
    requests, each for 15 minutes; their metrics are ``metric_cpu_utilization()``,
    ``metric_error_request_count()`` and ``metric_throttled_request_count()``, and
    ``metric(name)`` is any cluster-level ``AWS/DAX`` metric.

    See the module documentation for when DAX fits and when it does not.

    Example::

        cache = DaxCache(self, "Cache", table=table, vpc=vpc, replication_factor=3)
        cache.allow_from(service_security_group)
        cache.grant_access(service_role, read_only=True)

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``CpuUtilization``,
    ``ErrorRequestCount`` and ``ThrottledRequestCount``.

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
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

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
        item_ttl: Duration = _DEFAULT_ITEM_TTL,
        query_ttl: Duration = _DEFAULT_QUERY_TTL,
        maintenance_window: str | None = None,
        cluster_name: str | None = None,
        cpu_alarm_percent: float = 80,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        v = self.validator()
        validate.cluster(
            v,
            node_type=node_type,
            replication_factor=replication_factor,
            maintenance_window=maintenance_window,
            cluster_name=cluster_name,
        )
        validate.ttls(v, item_ttl=item_ttl, query_ttl=query_ttl)
        validate.cpu_alarm_percent(v, cpu_alarm_percent)
        validate.network(v, vpc=vpc, vpc_subnets=vpc_subnets)
        validate.index_names(v, index_names)
        v.raise_if_invalid()
        self._report_nodes(node_type, replication_factor)
        self.table = table

        # -- network -------------------------------------------------------------------------
        #: The VPC, and the flow log group of a created one (None when ``vpc`` is given).
        self.vpc, self.flow_log_group = cache_vpc(self, vpc, removal_policy)
        subnets = cache_subnets(self, self.vpc, vpc_subnets)
        self.security_group = cache_security_group(self, self.vpc)
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
        #: The service role and its policy: this table, its named indexes and its key only.
        self.role, self.role_policy = service_role(self, table, index_names)

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

        self.monitoring = self.start_monitoring()
        add_cache_alarms(self, self.monitoring, cpu_alarm_percent=cpu_alarm_percent)
        self.monitoring.finish(f"DAX cache {self.node.path}")

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

    def metric_source(self) -> MetricSource:
        """Cluster-level ``AWS/DAX`` metrics (dimension ``ClusterId``), 5-minute ``Average``."""
        return MetricSource(
            namespace="AWS/DAX",
            dimensions={"ClusterId": self.cluster_name},
            statistic="Average",
            period=METRIC_PERIOD,
        )

    def metric_cpu_utilization(self, **options: Any) -> cw.Metric:
        """Average ``CPUUtilization`` of the nodes, in percent."""
        return self.metric("CPUUtilization", **{"statistic": "Average", **options})

    def metric_error_request_count(self, **options: Any) -> cw.Metric:
        """``ErrorRequestCount`` (Sum): requests that failed with an error."""
        return self.metric("ErrorRequestCount", **{"statistic": "Sum", **options})

    def metric_throttled_request_count(self, **options: Any) -> cw.Metric:
        """``ThrottledRequestCount`` (Sum): requests the cluster throttled."""
        return self.metric("ThrottledRequestCount", **{"statistic": "Sum", **options})

    # -- internals -------------------------------------------------------------------------
    def _report_nodes(self, node_type: str, replication_factor: int) -> None:
        """Warn below 3 nodes; the capacity line ``DAX 3 x dax.r5.large nodes``."""
        if not is_unresolved(replication_factor) and replication_factor < 3:
            self.warn(
                "data-tier:dax-single-point-of-failure",
                f"replication_factor {replication_factor}: a DAX cluster of fewer than "
                f"{RECOMMENDED_REPLICATION_FACTOR} nodes loses its cache (and its reads fall "
                "back to the table) when a node or an AZ fails; use 3 or more in production",
            )
        noun = "node" if replication_factor == 1 else "nodes"
        self.record_capacity(f"DAX {replication_factor} x {node_type} {noun}")
