"""The execution log of a :class:`~patterns.workflow.Workflow`: a log group (created unless
given) receiving the execution history at level ALL, with or without each state's data."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from patterns.core.defaults import log_group as new_log_group

__all__ = ["execution_log_group", "log_options"]


def execution_log_group(
    scope: Construct,
    log_group: logs.ILogGroup | None,
    *,
    log_retention: logs.RetentionDays,
    removal_policy: RemovalPolicy,
) -> logs.ILogGroup:
    """``log_group``, or a new ``Logs`` group kept ``log_retention``."""
    if log_group is not None:
        return log_group
    return new_log_group(scope, "Logs", retention=log_retention, removal_policy=removal_policy)


def log_options(log_group: logs.ILogGroup, *, include_execution_data: bool) -> sfn.LogOptions:
    """Every event (level ALL) to ``log_group``; state input and output only with
    ``include_execution_data`` (it may contain personal data)."""
    return sfn.LogOptions(
        destination=log_group,
        level=sfn.LogLevel.ALL,
        include_execution_data=include_execution_data,
    )
