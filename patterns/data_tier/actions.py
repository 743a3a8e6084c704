"""The IAM actions of the data-tier grants (listed one by one, so cdk-nag's IAM5 passes)."""

from __future__ import annotations

__all__ = ["KEY_READ_ACTIONS", "KEY_WRITE_ACTIONS", "TABLE_READ_ACTIONS", "TABLE_WRITE_ACTIONS"]

#: Item actions of a reader of a table (``grant_read_data``) ...
TABLE_READ_ACTIONS = (
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
)
#: ... and the writes ``grant_read_write_data`` adds.
TABLE_WRITE_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
)
#: Key actions a reader (writer) of a table encrypted with a customer-managed key needs.
KEY_READ_ACTIONS = ("kms:Decrypt", "kms:DescribeKey")
KEY_WRITE_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey")
