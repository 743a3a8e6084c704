"""Gap fillers for DynamoDB resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Deleter, Handler, Props, is_true


def _dynamodb_table(ctx: Context, props: Props) -> Any:
    """moto's table, plus what moto's CloudFormation drops: the TTL attribute and point-in-time
    recovery (applied with the API, as CloudFormation's provider does)."""
    assert ctx.moto_default is not None
    table = ctx.moto_default(props, None)
    ddb = ctx.client("dynamodb")
    ttl = props.get("TimeToLiveSpecification") or {}
    if is_true(ttl.get("Enabled")):
        ddb.update_time_to_live(
            TableName=table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
        )
    pitr = props.get("PointInTimeRecoverySpecification") or {}
    if is_true(pitr.get("PointInTimeRecoveryEnabled")):
        ddb.update_continuous_backups(
            TableName=table.name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    return table


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::DynamoDB::Table": _dynamodb_table,
}


#: CloudFormation type -> deleter: the table is moto's model (moto deletes it - and refuses
#: while deletion protection is on, as DynamoDB does).
DELETERS: dict[str, Deleter] = {}
