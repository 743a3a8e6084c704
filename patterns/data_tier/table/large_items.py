"""The bucket for attributes too large for a 400 KB item (``large_item_bucket=True``; see
:mod:`patterns.data_tier.table.construct` for the write order)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_s3 as s3

from patterns.core import defaults

if TYPE_CHECKING:
    from patterns.data_tier.table.construct import ScalableTable
    from patterns.data_tier.table.props import TableProps

__all__ = ["create_large_item_bucket"]


def create_large_item_bucket(table: ScalableTable, props: TableProps) -> s3.Bucket | None:
    """The bucket (``LargeItemBucket``, encrypted with the table's key if it has one), or None
    without ``large_item_bucket``."""
    if not props.large_item_bucket:
        return None
    return defaults.secure_bucket(
        table,
        "LargeItemBucket",
        encryption_key=table.encryption_key,
        removal_policy=props.removal_policy,
    )
