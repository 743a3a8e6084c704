"""aws-cdk-lib's singleton Lambda functions that the edge uses, tidied once per stack.

``AwsCustomResource`` (the prefix-list lookup) and ``BucketDeployment`` (the content copy)
each run in one function per stack, a child of the stack rather than of our construct. The
first construct that finds such a function makes it wait for its role's policy only and
acknowledges the cdk-nag findings it cannot fix; a marker child records that it is done.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from patterns.core.defaults import depend_on_role_policy_only
from patterns.core.nag import acknowledge

__all__ = ["CUSTOM_RESOURCE_DLQ_REASON", "find_singleton_function", "tidy_singleton_function"]

#: Child id that marks a singleton function as tidied.
ACKNOWLEDGED_MARKER = "ScalablePatternsEdgeAcknowledged"
CUSTOM_RESOURCE_DLQ_REASON = (
    "CloudFormation invokes this custom-resource handler and waits for its answer on a "
    "pre-signed URL; a failure fails and rolls back the deploy, and a queued event could not "
    "be replayed against the expired request."
)


def find_singleton_function(
    scope: Construct, prefix: str, suffix: str = ""
) -> lambda_.Function | None:
    """An aws-cdk-lib singleton function (a child of the stack) whose id starts with prefix."""
    for child in Stack.of(scope).node.children:
        if (
            isinstance(child, lambda_.Function)
            and child.node.id.startswith(prefix)
            and child.node.id.endswith(suffix)
        ):
            return child
    return None


def tidy_singleton_function(function: lambda_.Function | None, reasons: Mapping[str, str]) -> None:
    """Once per function: depend on its role's policy only and acknowledge ``reasons``
    (cdk-nag rule -> reason)."""
    if function is None or function.node.try_find_child(ACKNOWLEDGED_MARKER) is not None:
        return
    Construct(function, ACKNOWLEDGED_MARKER)
    cfn_function = function.node.default_child
    if isinstance(cfn_function, lambda_.CfnFunction):
        depend_on_role_policy_only(cfn_function, function.role)
    for rule, reason in reasons.items():
        acknowledge(function, rule, reason)
