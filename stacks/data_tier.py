"""Examples of the data tier: DynamoDB tables sized and scaled for their load, a DAX cache and
per-period time-series tables.

* ``ProvisionedTableExample``: an orders table with provisioned capacity, auto scaling of the
  table and of two GSIs (one overriding the table's settings), scheduled capacity that lowers
  the minimum at night and restores it in the morning, a customer-managed key, a stream, TTL
  and a bucket for large attributes.
* ``OnDemandTableExample``: a sessions table with on-demand capacity, capped, with a peak for
  the partition plan.
* ``CachedTableExample``: a product catalogue read through a DAX cluster in a created VPC,
  with a consumer role and security group.
* ``TimeSeriesTablesExample``: daily metric tables, hot for today and tomorrow, a week kept.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from patterns.core.monitoring import create_alarm_topic
from patterns.data_tier import (
    AutoScalingOptions,
    DaxOptions,
    GsiOptions,
    LsiOptions,
    ScalableTable,
    ScheduledCapacity,
    TimeSeriesTables,
)

__all__ = [
    "CachedTableExampleStack",
    "OnDemandTableExampleStack",
    "ProvisionedTableExampleStack",
    "TimeSeriesTablesExampleStack",
]


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class ProvisionedTableExampleStack(cdk.Stack):
    """Provisioned orders table: table and GSI auto scaling plus scheduled night-time capacity."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")

        night = ScheduledCapacity(
            name="NightlyScaleIn",
            schedule=appscaling.Schedule.cron(hour="22", minute="0"),
            min_capacity=5,
        )
        morning = ScheduledCapacity(
            name="MorningScaleOut",
            schedule=appscaling.Schedule.cron(hour="6", minute="30"),
            min_capacity=50,
        )
        self.orders = ScalableTable(
            self,
            "Orders",
            partition_key=_string("pk"),
            sort_key=_string("sk"),
            read_scaling=AutoScalingOptions(
                min_capacity=50,
                max_capacity=4_000,
                target_utilization_percent=70,
                schedules=(night, morning),
            ),
            write_scaling=AutoScalingOptions(
                min_capacity=20,
                max_capacity=1_000,
                target_utilization_percent=70,
                schedules=(
                    ScheduledCapacity(
                        name="NightlyScaleIn",
                        schedule=appscaling.Schedule.cron(hour="22", minute="0"),
                        min_capacity=2,
                    ),
                    ScheduledCapacity(
                        name="MorningScaleOut",
                        schedule=appscaling.Schedule.cron(hour="6", minute="30"),
                        min_capacity=20,
                    ),
                ),
            ),
            global_secondary_indexes={
                # inherits the table's scaling
                "byCustomer": GsiOptions(
                    partition_key=_string("customerId"),
                    sort_key=_string("createdAt"),
                    key_cardinality=200_000,
                ),
                # a status index read rarely: its own, smaller range
                "byStatus": GsiOptions(
                    partition_key=_string("status"),
                    sort_key=_string("createdAt"),
                    projection_type=dynamodb.ProjectionType.KEYS_ONLY,
                    read_scaling=AutoScalingOptions(min_capacity=5, max_capacity=200),
                ),
            },
            local_secondary_indexes={
                "byTotal": LsiOptions(
                    sort_key=dynamodb.Attribute(name="total", type=dynamodb.AttributeType.NUMBER),
                    projection_type=dynamodb.ProjectionType.INCLUDE,
                    non_key_attributes=("status",),
                )
            },
            expected_size_gb=120,
            key_cardinality=5_000_000,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            time_to_live_attribute="expiresAt",
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            contributor_insights=True,
            large_item_bucket=True,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        service_role = iam.Role(
            self,
            "OrderServiceRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Example consumer: reads and writes orders and their large attributes",
        )
        self.orders.grant_read_write_data(service_role)
        cdk.CfnOutput(self, "TableName", value=self.orders.table.table_name)
        assert self.orders.large_item_bucket is not None
        cdk.CfnOutput(self, "LargeItemBucketName", value=self.orders.large_item_bucket.bucket_name)


class OnDemandTableExampleStack(cdk.Stack):
    """On-demand sessions table with a request cap and a peak for the partition plan."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        self.sessions = ScalableTable(
            self,
            "Sessions",
            partition_key=_string("sessionId"),
            max_read_request_units=20_000,
            max_write_request_units=5_000,
            peak_read_units=6_000,
            peak_write_units=1_500,
            expected_size_gb=8,
            key_cardinality=1_000_000,
            time_to_live_attribute="expiresAt",
            alarm_topic=alarm_topic,
        )
        cdk.CfnOutput(self, "TableName", value=self.sessions.table.table_name)


class CachedTableExampleStack(cdk.Stack):
    """A product catalogue behind a 3-node DAX cluster in a created VPC, with a consumer."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        self.catalogue = ScalableTable(
            self,
            "Catalogue",
            partition_key=_string("productId"),
            global_secondary_indexes={"byCategory": GsiOptions(partition_key=_string("category"))},
            peak_read_units=30_000,
            peak_write_units=200,
            expected_size_gb=15,
            hot_key_share=0.05,
            cache=DaxOptions(
                node_type="dax.r5.large",
                replication_factor=3,
                item_ttl=cdk.Duration.minutes(10),
                query_ttl=cdk.Duration.minutes(2),
                maintenance_window="sun:05:00-sun:06:00",
            ),
            alarm_topic=alarm_topic,
        )
        cache = self.catalogue.cache
        assert cache is not None
        # A consumer: a service in the cache's VPC with its own security group and role.
        self.consumer_security_group = ec2.SecurityGroup(
            self,
            "ConsumerSecurityGroup",
            vpc=cache.vpc,
            description="Catalogue readers: may reach the DAX cluster on its TLS port",
            allow_all_outbound=False,
        )
        cache.allow_from(self.consumer_security_group)
        self.consumer_role = iam.Role(
            self,
            "ConsumerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Catalogue readers: read through the DAX cluster",
        )
        cache.grant_access(self.consumer_role, read_only=True)
        cdk.CfnOutput(self, "TableName", value=self.catalogue.table.table_name)
        cdk.CfnOutput(self, "DaxEndpoint", value=cache.endpoint_url)


class TimeSeriesTablesExampleStack(cdk.Stack):
    """Daily metric tables: today and tomorrow hot, six older days kept at minimum capacity."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        self.metrics = TimeSeriesTables(
            self,
            "Metrics",
            table_prefix="example-metrics",
            partition_key=_string("deviceId"),
            sort_key=dynamodb.Attribute(name="timestamp", type=dynamodb.AttributeType.NUMBER),
            period="day",
            retention_periods=7,
            hot_read_capacity=500,
            hot_write_capacity=2_000,
            cold_read_capacity=10,
            cold_write_capacity=1,
            expected_size_gb=30,
            key_cardinality=50_000,
            alarm_topic=alarm_topic,
        )
        writer = iam.Role(
            self,
            "IngestRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Example producer: writes metrics to the daily tables",
        )
        self.metrics.grant_read_write_data(writer)
        cdk.CfnOutput(self, "RotationFunctionName", value=self.metrics.function.function_name)


EXAMPLES = {
    "ProvisionedTableExample": ProvisionedTableExampleStack,
    "OnDemandTableExample": OnDemandTableExampleStack,
    "CachedTableExample": CachedTableExampleStack,
    "TimeSeriesTablesExample": TimeSeriesTablesExampleStack,
}
