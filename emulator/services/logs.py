"""Gap fillers for CloudWatch Logs resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, with_attributes


def _log_stream(ctx: Context, props: Props) -> Created:
    name = props.get("LogStreamName") or ctx.generated_name
    ctx.client("logs").create_log_stream(logGroupName=props["LogGroupName"], logStreamName=name)
    return Created(name)


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    # moto's log group, whose Fn::GetAtt Arn ends in ":*" as CloudFormation's does (the ARN
    # IAM statements for the group and its streams use: logs:CreateLogStream, PutLogEvents)
    "AWS::Logs::LogGroup": with_attributes(lambda group: {"Arn": f"{group.arn}:*"}),
    "AWS::Logs::LogStream": _log_stream,
}


def _delete_log_group(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("logs").delete_log_group(logGroupName=physical_id)


def _delete_log_stream(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    """The stream goes with its group when that was deleted first."""
    logs = ctx.client("logs")
    try:
        logs.delete_log_stream(logGroupName=props["LogGroupName"], logStreamName=physical_id)
    except Exception as gone:  # moto answers a missing group in plain text
        if "does not exist" not in str(gone) and "ResourceNotFound" not in str(gone):
            raise


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::Logs::LogGroup": _delete_log_group,
    "AWS::Logs::LogStream": _delete_log_stream,
}
