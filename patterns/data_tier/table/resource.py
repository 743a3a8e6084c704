"""The DynamoDB table of a :class:`~patterns.data_tier.ScalableTable` and its key:
billing mode and capacity, encryption, point-in-time recovery, deletion protection, TTL,
stream, Contributor Insights and table class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms

from patterns.core import defaults

if TYPE_CHECKING:
    from patterns.data_tier.table.construct import ScalableTable
    from patterns.data_tier.table.props import TableProps

__all__ = ["create_table", "table_key"]


def table_key(table: ScalableTable, props: TableProps) -> kms.IKey | None:
    """The given ``encryption_key``, a new one (``Key``, rotating yearly) for
    CUSTOMER_MANAGED encryption (the default) without one, else None (AWS-owned or AWS-managed
    key, by the user's explicit ``encryption``)."""
    if props.encryption_key is not None:
        return props.encryption_key
    if props.table_encryption != dynamodb.TableEncryption.CUSTOMER_MANAGED:
        return None
    return defaults.encryption_key(
        table,
        "Key",
        description=f"Encrypts the DynamoDB table of {table.node.path}",
        removal_policy=props.removal_policy,
    )


def create_table(
    table: ScalableTable, props: TableProps, encryption_key: kms.IKey | None
) -> dynamodb.Table:
    """The table (``Resource``); provisioned, at the auto-scaling minima."""
    reads, writes = props.read_scaling, props.write_scaling
    return dynamodb.Table(
        table,
        "Resource",
        partition_key=props.partition_key,
        sort_key=props.sort_key,
        table_name=props.table_name,
        billing_mode=(
            dynamodb.BillingMode.PROVISIONED
            if props.provisioned
            else dynamodb.BillingMode.PAY_PER_REQUEST
        ),
        read_capacity=reads.min_capacity if reads else None,
        write_capacity=writes.min_capacity if writes else None,
        max_read_request_units=props.max_read_request_units,
        max_write_request_units=props.max_write_request_units,
        encryption=props.table_encryption,
        encryption_key=encryption_key,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=props.point_in_time_recovery
        ),
        deletion_protection=props.table_deletion_protection,
        time_to_live_attribute=props.time_to_live_attribute,
        stream=props.stream,
        contributor_insights_specification=(
            dynamodb.ContributorInsightsSpecification(enabled=True)
            if props.contributor_insights
            else None
        ),
        table_class=props.table_class,
        removal_policy=props.removal_policy,
    )
