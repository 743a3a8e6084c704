"""The Lambda function of an :class:`~patterns.event_function.EventDrivenFunction`: its
settings, its execution role (exact grants, no ``AWSLambdaBasicExecutionRole``) and the
hardened function itself (JSON logs to its own log group, X-Ray active tracing, explicit
memory and timeout, a retry policy and on-failure destination for asynchronous invocations).

X-Ray's two actions support no resource-level permissions, so they are on ``*``: they live in
a policy of their own (``TracingPolicy``), acknowledged there only. The role's default policy
holds the exact grants (logs, DLQ, queue source) and whatever ``grant_*`` or
``add_to_role_policy`` adds later, so a wildcard the user adds there is always reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.lambda_code import QueueDestination
from patterns.core.nag import acknowledge

__all__ = ["XRAY_ACTIONS", "FunctionSettings", "execution_role", "new_function"]

#: What Lambda's active tracing sends with the function's role (no resource-level permissions).
XRAY_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")


@dataclass(frozen=True)
class FunctionSettings:
    """The props of the function itself, as given (see
    :class:`~patterns.event_function.EventDrivenFunction` for each)."""

    code: lambda_.Code
    handler: str
    runtime: lambda_.Runtime
    description: str | None
    environment: Mapping[str, str] | None
    memory_size: int
    timeout: Duration
    architecture: lambda_.Architecture
    reserved_concurrency: int | None
    log_retention: logs.RetentionDays
    async_retry_attempts: int
    async_max_event_age: Duration


def execution_role(scope: Construct, log_group: logs.ILogGroup) -> iam.Role:
    """The function's ``Role``; it may write to ``log_group``."""
    role = iam.Role(
        scope,
        "Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Execution role of {scope.node.path}",
    )
    log_group.grant_write(role)
    return role


def new_function(
    scope: Construct,
    settings: FunctionSettings,
    *,
    role: iam.Role,
    log_group: logs.ILogGroup,
    failure_queue: sqs.IQueue | None,
) -> lambda_.Function:
    """The function (``Resource``). With a ``failure_queue`` it is invoked asynchronously: the
    retry policy of ``settings`` applies and failed events go to that queue. Without one, a
    queue source invokes it synchronously and failed messages go to that queue's own DLQ."""
    asynchronous = failure_queue is not None
    function = lambda_.Function(
        scope,
        "Resource",
        code=settings.code,
        handler=settings.handler,
        runtime=settings.runtime,
        description=settings.description,
        environment=dict(settings.environment) if settings.environment else None,
        memory_size=settings.memory_size,
        timeout=settings.timeout,
        architecture=settings.architecture,
        reserved_concurrent_executions=settings.reserved_concurrency,
        role=role,
        log_group=log_group,
        logging_format=lambda_.LoggingFormat.JSON,
        on_failure=QueueDestination(failure_queue) if failure_queue is not None else None,
        retry_attempts=settings.async_retry_attempts if asynchronous else None,
        max_event_age=settings.async_max_event_age if asynchronous else None,
    )
    cfn_function = function.node.default_child
    assert isinstance(cfn_function, lambda_.CfnFunction)
    # Active tracing, set here: aws-cdk-lib's tracing=ACTIVE would put X-Ray's "*" statement
    # in the role's default policy.
    cfn_function.tracing_config = lambda_.CfnFunction.TracingConfigProperty(mode="Active")
    policies = [_tracing_policy(scope, role)]
    default_policy = role.node.try_find_child("DefaultPolicy")
    if isinstance(default_policy, iam.Policy):
        policies.insert(0, default_policy)
    # The function and its invoke config need the role's grants before they run (the on-failure
    # destination is checked at creation). DependsOn the policies only: the role is a GetAtt.
    for policy in policies:
        function.node.add_dependency(policy)
    stack = Stack.of(scope)
    cfn_function.add_override(
        "DependsOn", [stack.get_logical_id(_cfn(policy)) for policy in policies]
    )
    _acknowledge_findings(function, asynchronous=asynchronous)
    return function


def _tracing_policy(scope: Construct, role: iam.Role) -> iam.Policy:
    """``TracingPolicy``: X-Ray's two actions on ``*``, attached to ``role``."""
    policy = iam.Policy(
        scope,
        "TracingPolicy",
        roles=[role],
        statements=[iam.PolicyStatement(actions=list(XRAY_ACTIONS), resources=["*"])],
    )
    acknowledge(
        policy,
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "X-Ray active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which "
        "support no resource-level permissions; this policy holds only those two actions.",
    )
    return policy


def _cfn(policy: iam.Policy) -> iam.CfnPolicy:
    cfn_policy = policy.node.default_child
    assert isinstance(cfn_policy, iam.CfnPolicy)
    return cfn_policy


def _acknowledge_findings(function: lambda_.Function, *, asynchronous: bool) -> None:
    if asynchronous:
        acknowledge(
            function,
            "Serverless::Serverless-LambdaDLQ",
            "Failed asynchronous invocations go to an on-failure destination (the Dlq "
            "queue), whose record carries the event plus the error; a DeadLetterConfig as "
            "well would deliver every failure twice.",
        )
    else:
        acknowledge(
            function,
            "Serverless::Serverless-LambdaDLQ",
            "The function is invoked synchronously by its SQS event source; failed messages "
            "return to the source queue and move to that queue's redrive DLQ.",
        )
