"""The execution log and tracing of a :class:`~patterns.workflow.Workflow`: a log group
(created unless given) receiving the execution history at level ALL, with or without each
state's data, X-Ray tracing, and the ``LogsAndTracingPolicy`` both need.

Log delivery and X-Ray actions support no resource-level permissions, so they are on ``*``.
aws-cdk-lib's ``logs=`` and ``tracing_enabled=`` would put them in the role's default policy,
where the definition's task grants and the user's ``grant_*`` go; here they live in a policy of
their own, acknowledged there only, so a wildcard in the default policy is always reported.
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from patterns.core.defaults import log_group as new_log_group
from patterns.core.nag import acknowledge

__all__ = [
    "LOG_DELIVERY_ACTIONS",
    "XRAY_ACTIONS",
    "execution_log_group",
    "logs_and_tracing_policy",
    "set_logging_and_tracing",
]

#: What Step Functions needs to deliver execution logs to CloudWatch Logs (the Step Functions
#: guide, "IAM policies for logging to CloudWatch Logs"), as aws-cdk-lib grants it.
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)
#: What X-Ray tracing of executions needs (the Step Functions guide, "IAM policies for X-Ray").
XRAY_ACTIONS = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
)


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


def set_logging_and_tracing(
    state_machine: sfn.StateMachine,
    log_group: logs.ILogGroup,
    *,
    include_execution_data: bool,
    tracing: bool,
) -> None:
    """Every event (level ALL) to ``log_group``, with state input and output only with
    ``include_execution_data`` (it may contain personal data); X-Ray tracing on or off."""
    cfn = state_machine.node.default_child
    assert isinstance(cfn, sfn.CfnStateMachine)
    cfn.logging_configuration = sfn.CfnStateMachine.LoggingConfigurationProperty(
        destinations=[
            sfn.CfnStateMachine.LogDestinationProperty(
                cloud_watch_logs_log_group=sfn.CfnStateMachine.CloudWatchLogsLogGroupProperty(
                    log_group_arn=log_group.log_group_arn
                )
            )
        ],
        include_execution_data=include_execution_data,
        level="ALL",
    )
    cfn.tracing_configuration = sfn.CfnStateMachine.TracingConfigurationProperty(enabled=tracing)


def logs_and_tracing_policy(scope: Construct, role: iam.IRole, *, tracing: bool) -> iam.Policy:
    """``LogsAndTracingPolicy`` of ``role``: log delivery and (with ``tracing``) X-Ray."""
    statements = [iam.PolicyStatement(actions=list(LOG_DELIVERY_ACTIONS), resources=["*"])]
    if tracing:
        statements.append(iam.PolicyStatement(actions=list(XRAY_ACTIONS), resources=["*"]))
    policy = iam.Policy(scope, "LogsAndTracingPolicy", roles=[role], statements=statements)
    acknowledge(
        policy,
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy ...) and X-Ray "
        "(xray:PutTraceSegments, GetSamplingRules ...) support no resource-level permissions; "
        "this policy holds only those actions.",
    )
    return policy
