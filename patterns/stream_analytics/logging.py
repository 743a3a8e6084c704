"""The CloudWatch logging of :class:`~patterns.stream_analytics.StreamAnalytics`: the log group
and stream, the role's permission to write them, and the application's logging option."""

from __future__ import annotations

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisanalyticsv2 as kda
from aws_cdk import aws_logs as logs
from constructs import Construct

from patterns.core import defaults
from patterns.core.nag import acknowledge, nag_resource

__all__ = ["add_logging_option", "create_log_stream", "grant_write_logs"]


def create_log_stream(
    application: Construct, *, retention: logs.RetentionDays, removal_policy: RemovalPolicy
) -> tuple[logs.LogGroup, logs.LogStream]:
    """The log group ``Logs`` and its stream ``LogStream``."""
    group = defaults.log_group(
        application, "Logs", retention=retention, removal_policy=removal_policy
    )
    stream = logs.LogStream(
        application, "LogStream", log_group=group, removal_policy=removal_policy
    )
    return group, stream


def _log_stream_arn(group: logs.ILogGroup, stream: logs.ILogStream) -> str:
    return Stack.of(group).format_arn(
        service="logs",
        resource="log-group",
        resource_name=f"{group.log_group_name}:log-stream:{stream.log_stream_name}",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )


def grant_write_logs(policy: iam.Policy, group: logs.ILogGroup, stream: logs.ILogStream) -> None:
    """Write the one log stream; the describe calls Managed Flink makes to check it."""
    stack = Stack.of(policy)
    group_arn = group.log_group_arn  # ends in ":*"
    all_groups = stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name="*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    for sid, action, resource in (
        ("WriteApplicationLogs", "logs:PutLogEvents", _log_stream_arn(group, stream)),
        ("DescribeApplicationLogStreams", "logs:DescribeLogStreams", group_arn),
        ("DescribeLogGroups", "logs:DescribeLogGroups", all_groups),
    ):
        policy.add_statements(iam.PolicyStatement(sid=sid, actions=[action], resources=[resource]))
    spelled = nag_resource(stack.resolve(all_groups))
    if spelled is not None:
        acknowledge(
            policy,
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{spelled}]",
            "Managed Flink checks its logging destination with DescribeLogGroups, a list "
            "action authorized on all log groups of the account and region (log-group:*); "
            "writing is limited to the one application log stream.",
        )


def add_logging_option(
    scope: Construct,
    application: kda.CfnApplication,
    group: logs.ILogGroup,
    stream: logs.ILogStream,
) -> kda.CfnApplicationCloudWatchLoggingOption:
    """``Logging``: send the logs of ``application`` to ``stream``."""
    return kda.CfnApplicationCloudWatchLoggingOption(
        scope,
        "Logging",
        application_name=application.ref,
        cloud_watch_logging_option=kda.CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty(
            log_stream_arn=_log_stream_arn(group, stream)
        ),
    )
