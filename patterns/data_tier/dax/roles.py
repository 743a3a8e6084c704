"""The service role of a :class:`~patterns.data_tier.DaxCache`: DAX reads and writes its
table (and the named indexes) through it, and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aws_cdk import Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam

from patterns.data_tier.actions import (
    KEY_READ_ACTIONS,
    KEY_WRITE_ACTIONS,
    TABLE_READ_ACTIONS,
    TABLE_WRITE_ACTIONS,
)

if TYPE_CHECKING:
    from patterns.data_tier.dax.construct import DaxCache

__all__ = ["DAX_TABLE_ACTIONS", "service_role"]

#: The DynamoDB actions the DAX service role needs on the table and its indexes.
DAX_TABLE_ACTIONS = TABLE_READ_ACTIONS + TABLE_WRITE_ACTIONS


def service_role(
    cache: DaxCache, table: dynamodb.ITable, index_names: Sequence[str]
) -> tuple[iam.Role, iam.Policy]:
    """The role DAX assumes (``ServiceRole``, this account only) and its policy
    (``ServicePolicy``): the item actions on ``table``, its named indexes and its key."""
    role = iam.Role(
        cache,
        "ServiceRole",
        assumed_by=iam.ServicePrincipal(
            "dax.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": Stack.of(cache).account}},
        ),
        description=f"Lets the DAX cluster {cache.node.path} read and write its table",
    )
    resources = [table.table_arn] + [f"{table.table_arn}/index/{name}" for name in index_names]
    statements = [iam.PolicyStatement(actions=list(DAX_TABLE_ACTIONS), resources=resources)]
    if table.encryption_key is not None:
        statements.append(
            iam.PolicyStatement(
                actions=[*KEY_READ_ACTIONS, *KEY_WRITE_ACTIONS],
                resources=[table.encryption_key.key_arn],
            )
        )
    policy = iam.Policy(cache, "ServicePolicy", statements=statements, roles=[role])
    return role, policy
