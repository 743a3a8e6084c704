"""Content deployment and invalidation: ``content`` copied into the static bucket on every
deploy by aws-cdk-lib's ``BucketDeployment``, which then invalidates the cached paths.

aws-cdk-lib runs every such deployment of a stack in one function; this module gives it a role
without AWS managed policies and a log group with retention, narrows its invalidation
permission from ``*`` to the distributions it deploys for and its use of the static bucket's
key to what the sync needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import IResolvable, IResolveContext, RemovalPolicy, Stack, Token
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from patterns.core import defaults
from patterns.core.nag import acknowledge, nag_resource
from patterns.edge.singleton_functions import (
    CUSTOM_RESOURCE_DLQ_REASON,
    find_singleton_function,
    tidy_singleton_function,
)

__all__ = ["DEPLOYMENT_MEMORY_MIB", "deploy_content"]

#: Memory of aws-cdk-lib's content-deployment function (the AWS CLI sync needs more than 128).
DEPLOYMENT_MEMORY_MIB = 512
_DEPLOYMENT_RUNTIME_REASON = (
    "aws-cdk-lib's BucketDeployment picks this Python runtime together with the AWS CLI layer "
    "it ships and tests them as a pair; the runtime moves with aws-cdk-lib upgrades."
)
_FUNCTION_REASONS = {
    "AwsSolutions::AwsSolutions-L1": _DEPLOYMENT_RUNTIME_REASON,
    "Serverless::Serverless-LambdaLatestVersion": _DEPLOYMENT_RUNTIME_REASON,
    "Serverless::Serverless-LambdaDLQ": CUSTOM_RESOURCE_DLQ_REASON,
    "Serverless::Serverless-LambdaTracing": (
        "A short copy job run once per deploy, logged to a log group with retention; "
        "X-Ray would need xray:PutTraceSegments on '*' for no diagnostic gain."
    ),
}


#: What the content sync needs of a static bucket's KMS key: encrypt new objects (and parts of a
#: multipart upload) and read parts back - not ``kms:ReEncrypt*`` nor every ``GenerateDataKey*``.
_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]


@jsii.implements(IResolvable)
class _DeploymentPolicy:
    """The deployment role's policy document, narrowed at synth time where aws-cdk-lib's
    BucketDeployment grants more than the content sync needs.

    * ``cloudfront:CreateInvalidation`` and ``cloudfront:GetInvalidation`` are granted on
      ``*``; both support resource-level permissions, so they name the distributions whose
      content the (shared, per-stack) deployment function copies.
    * ``bucket.grant_read_write`` grants ``kms:ReEncrypt*`` and ``kms:GenerateDataKey*`` on a
      static bucket's key; the grant on those keys is cut to :data:`_KEY_ACTIONS`.
    """

    def __init__(self, document: iam.PolicyDocument) -> None:
        self._document = document
        self.distribution_arns: list[str] = []
        self.key_arns: list[str] = []

    @property
    def creation_stack(self) -> list[str]:
        return []

    def resolve(self, context: IResolveContext) -> Any:
        resolved = context.resolve(self._document)
        arns = [context.resolve(arn) for arn in self.distribution_arns]
        keys = [context.resolve(arn) for arn in self.key_arns]
        for statement in resolved.get("Statement", []):
            actions = statement.get("Action", [])
            actions = [actions] if isinstance(actions, str) else actions
            resources = statement.get("Resource", [])
            resources = resources if isinstance(resources, list) else [resources]
            if resources == ["*"] and all(
                a.startswith("cloudfront:") and a.endswith("Invalidation") for a in actions
            ):
                statement["Resource"] = arns[0] if len(arns) == 1 else arns
            elif resources and all(r in keys for r in resources) and "kms:ReEncrypt*" in actions:
                statement["Action"] = _KEY_ACTIONS
        return resolved

    def to_string(self) -> str:
        return str(Token.as_string(self))


def deploy_content(
    scope: Construct,
    *,
    content: Sequence[s3deploy.ISource],
    bucket: s3.IBucket,
    distribution: cloudfront.Distribution,
    invalidation_paths: list[str],
    removal_policy: RemovalPolicy,
) -> s3deploy.BucketDeployment:
    """Copy ``content`` into ``bucket`` on every deploy, then invalidate ``invalidation_paths``
    of ``distribution`` (``Deployment``; with ``DeploymentRole`` and ``DeploymentLogs`` when
    this is the stack's first content deployment)."""
    # aws-cdk-lib runs every BucketDeployment of a stack with the same memory size in one
    # singleton function (with the role and log group of the first); create ours only then.
    role: iam.Role | None = None
    log_group: logs.LogGroup | None = None
    if _deployment_function(scope) is None:
        # Our own role and log group: no AWS managed policy, logs with a retention.
        role = iam.Role(
            scope,
            "DeploymentRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Copies static content into the bucket of {scope.node.path}",
        )
        log_group = defaults.log_group(
            scope,
            "DeploymentLogs",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=removal_policy,
        )
        log_group.grant_write(role)
    deployment = s3deploy.BucketDeployment(
        scope,
        "Deployment",
        destination_bucket=bucket,
        sources=list(content),
        distribution=distribution,
        distribution_paths=invalidation_paths,
        role=role,
        log_group=log_group,
        memory_limit=DEPLOYMENT_MEMORY_MIB,
    )
    _narrow_deployment_policy(deployment, distribution, bucket)
    tidy_singleton_function(_deployment_function(scope), _FUNCTION_REASONS)
    return deployment


def _deployment_function(scope: Construct) -> lambda_.Function | None:
    """aws-cdk-lib's content deployment function of this stack, once it exists."""
    return find_singleton_function(
        scope, "Custom::CDKBucketDeployment", f"{DEPLOYMENT_MEMORY_MIB}MiB"
    )


def _narrow_deployment_policy(
    deployment: s3deploy.BucketDeployment,
    distribution: cloudfront.Distribution,
    bucket: s3.IBucket,
) -> None:
    """BucketDeployment grants the invalidation on every distribution ("*") and more of the
    bucket's key than the sync needs: narrow both (:class:`_DeploymentPolicy`)."""
    policy = deployment.handler_role.node.try_find_child("DefaultPolicy")
    if not isinstance(policy, iam.Policy):
        return
    cfn_policy = policy.node.default_child
    assert isinstance(cfn_policy, iam.CfnPolicy)
    document = cfn_policy.policy_document
    if not isinstance(document, _DeploymentPolicy):
        document = _DeploymentPolicy(policy.document)
        cfn_policy.policy_document = document
        _acknowledge_deployment_actions(policy)
    document.distribution_arns.append(distribution.distribution_arn)
    if bucket.encryption_key is not None:
        document.key_arns.append(bucket.encryption_key.key_arn)
    _acknowledge_deployment_resources(policy)


def _acknowledge_deployment_actions(policy: iam.Policy) -> None:
    for action in ("s3:GetBucket*", "s3:GetObject*", "s3:List*"):
        acknowledge(
            policy,
            f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
            "aws-cdk-lib's BucketDeployment grants the standard S3 read action groups to "
            "read the deployment asset zip and to sync (list and compare) the static bucket.",
        )
    for action in ("s3:Abort*", "s3:DeleteObject*"):
        acknowledge(
            policy,
            f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
            "The content sync aborts failed multipart uploads and deletes objects no longer "
            "in the source (prune) - only in the static bucket of this distribution.",
        )


def _acknowledge_deployment_resources(policy: iam.Policy) -> None:
    # Resource names depend on the buckets (and the synthesizer's asset bucket): read them
    # from the grants themselves.
    document = Stack.of(policy).resolve(policy.document)
    for statement in document.get("Statement", []):
        actions = statement.get("Action", [])
        if "s3:GetObject*" not in actions:
            continue
        writes = "s3:PutObject" in actions
        reason = (
            "The content sync writes and prunes any object of the static bucket, the one "
            "bucket this deployment targets; no other bucket is writable."
            if writes
            else "Read-only access to the CDK asset bucket, where the content zip is "
            "uploaded under a hash-named key that is known only at publish time."
        )
        resources = statement.get("Resource", [])
        for resource in resources if isinstance(resources, list) else [resources]:
            rendered = nag_resource(resource)
            if rendered is not None and rendered.endswith("/*"):
                acknowledge(
                    policy, f"AwsSolutions::AwsSolutions-IAM5[Resource::{rendered}]", reason
                )
