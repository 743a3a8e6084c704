"""Gap fillers for CloudWatch Logs resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from emulator.base import Context, Created, Handler, Props, with_attributes


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
