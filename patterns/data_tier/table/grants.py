"""The grants of a :class:`~patterns.data_tier.ScalableTable`: the table and its indexes, its
customer-managed key and its large-item bucket, together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_iam as iam

from patterns.data_tier.actions import (
    KEY_READ_ACTIONS,
    KEY_WRITE_ACTIONS,
    TABLE_READ_ACTIONS,
    TABLE_WRITE_ACTIONS,
)

if TYPE_CHECKING:
    from patterns.data_tier.table.construct import ScalableTable

__all__ = ["grant_data"]

#: Object actions on the large-item bucket of a reader ...
OBJECT_READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion")
#: ... and the writes a writer adds.
OBJECT_WRITE_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")


def grant_data(table: ScalableTable, grantee: iam.IGrantable, *, write: bool) -> iam.Grant:
    """The item actions on the table and each index by ARN (no ``index/*``), the key actions
    on its customer-managed key, and the bucket policy statements of the large-item objects,
    scoped to ``grantee``. Returns the grant of the table actions."""
    actions = list(TABLE_READ_ACTIONS) + (list(TABLE_WRITE_ACTIONS) if write else [])
    arn = table.table.table_arn
    resources = [arn] + [f"{arn}/index/{name}" for name in table.index_names]
    grant = iam.Grant.add_to_principal(grantee=grantee, actions=actions, resource_arns=resources)
    key_actions = list(KEY_READ_ACTIONS) + (list(KEY_WRITE_ACTIONS) if write else [])
    if table.encryption_key is not None:
        iam.Grant.add_to_principal(
            grantee=grantee, actions=key_actions, resource_arns=[table.encryption_key.key_arn]
        )
    bucket = table.large_item_bucket
    if bucket is not None:
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucket"],
                principals=[grantee.grant_principal],
                resources=[bucket.bucket_arn],
            )
        )
        object_actions = list(OBJECT_READ_ACTIONS) + (list(OBJECT_WRITE_ACTIONS) if write else [])
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                actions=object_actions,
                principals=[grantee.grant_principal],
                resources=[bucket.arn_for_objects("*")],
            )
        )
    return grant
