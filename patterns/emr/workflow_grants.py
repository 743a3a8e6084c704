"""What the role of a :class:`~patterns.emr.TransientEmrWorkflow` may do: run, watch, step and
terminate only the clusters that this workflow creates.

aws-cdk-lib's EMR tasks grant ``elasticmapreduce:RunJobFlow``, ``DescribeCluster``,
``TerminateJobFlows`` and ``AddTags`` on ``*`` and the step and termination actions on every
cluster of the account (``cluster/*``), in the role's default policy. Here the tasks add no
grants of their own (:class:`CreateCluster`, :class:`AddStep`, :class:`TerminateCluster`) and
:func:`cluster_policy` writes exact ones in a ``ClusterPolicy`` of their own:

* ``RunJobFlow`` (which supports no resource ARN: the cluster does not exist yet) only for a
  request that tags the cluster ``scalable-patterns:workflow=<this workflow's id>``
  (:data:`WORKFLOW_TAG`), and ``AddTags`` (needed to tag at creation) only to set that tag and
  EMR's managed-policy tag, to that value;
* every action on a running cluster only on clusters carrying that tag
  (``aws:ResourceTag``): the steps, the status polls of the ``.sync`` integrations and the
  termination;
* ``iam:PassRole`` of exactly the cluster's roles, EMR's own cleanup service-linked role and
  the three EventBridge rules Step Functions manages for the ``.sync`` integrations.

The role's default policy stays empty for what the user adds (a wildcard there is reported).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from patterns.core.nag import acknowledge
from patterns.emr.base import EMR_MANAGED_POLICY_TAG

__all__ = [
    "CLUSTER_ACTIONS",
    "WORKFLOW_TAG",
    "AddStep",
    "CreateCluster",
    "TerminateCluster",
    "cluster_policy",
]

#: The tag the workflow's RunJobFlow sets on each cluster it creates; its value is the
#: workflow's unique id (``Names.unique_id``) and the role acts only on clusters that carry it.
WORKFLOW_TAG = "scalable-patterns:workflow"
#: What the workflow does on a cluster it created: add and watch steps (``.sync``), watch the
#: cluster and terminate it (also when an execution is stopped).
CLUSTER_ACTIONS = (
    "elasticmapreduce:AddJobFlowSteps",
    "elasticmapreduce:CancelSteps",
    "elasticmapreduce:DescribeCluster",
    "elasticmapreduce:DescribeStep",
    "elasticmapreduce:TerminateJobFlows",
)
#: The rules Step Functions creates to learn that a ``.sync`` EMR call finished.
SYNC_RULES = (
    "StepFunctionsGetEventForEMRRunJobFlowRule",
    "StepFunctionsGetEventForEMRAddJobFlowStepsRule",
    "StepFunctionsGetEventForEMRTerminateJobFlowsRule",
)


class _WithoutTaskGrants:
    """A Step Functions task whose grants the pattern writes itself (:func:`cluster_policy`):
    aws-cdk-lib's own would act on every cluster of the account."""

    @builtins.property
    def _task_policies(self) -> Any:
        return []


class CreateCluster(_WithoutTaskGrants, tasks.EmrCreateCluster):
    """``EmrCreateCluster`` without its grants on ``*``."""


class AddStep(_WithoutTaskGrants, tasks.EmrAddStep):
    """``EmrAddStep`` without its grants on every cluster."""


class TerminateCluster(_WithoutTaskGrants, tasks.EmrTerminateCluster):
    """``EmrTerminateCluster`` without its grants on every cluster."""


def cluster_policy(
    scope: Construct,
    role: iam.IRole,
    *,
    workflow_id: str,
    passed_roles: Sequence[iam.IRole],
) -> iam.Policy:
    """``ClusterPolicy`` of the workflow's ``role``: RunJobFlow of clusters tagged
    ``WORKFLOW_TAG=workflow_id`` (and EMR's managed-policy tag), the actions on those clusters
    only, and passing exactly ``passed_roles``."""
    stack = Stack.of(scope)
    clusters = stack.format_arn(service="elasticmapreduce", resource="cluster", resource_name="*")
    ours = {f"aws:RequestTag/{WORKFLOW_TAG}": workflow_id}
    policy = iam.Policy(
        scope,
        "ClusterPolicy",
        roles=[role],
        statements=[
            iam.PolicyStatement(
                sid="CreateTaggedClusters",
                actions=["elasticmapreduce:RunJobFlow"],
                resources=["*"],
                conditions={"StringEquals": ours},
            ),
            iam.PolicyStatement(
                sid="TagClustersAtCreation",
                actions=["elasticmapreduce:AddTags"],
                resources=[clusters],
                conditions={
                    "StringEquals": ours,
                    "ForAllValues:StringEquals": {
                        "aws:TagKeys": [WORKFLOW_TAG, EMR_MANAGED_POLICY_TAG]
                    },
                },
            ),
            iam.PolicyStatement(
                sid="RunOwnClusters",
                actions=list(CLUSTER_ACTIONS),
                resources=[clusters],
                conditions={"StringEquals": {f"aws:ResourceTag/{WORKFLOW_TAG}": workflow_id}},
            ),
            iam.PolicyStatement(
                sid="PassClusterRoles",
                actions=["iam:PassRole"],
                resources=[r.role_arn for r in passed_roles],
            ),
            iam.PolicyStatement(
                sid="CreateEmrCleanupRole",
                actions=["iam:CreateServiceLinkedRole"],
                resources=[
                    stack.format_arn(
                        service="iam",
                        region="",
                        resource="role",
                        resource_name="aws-service-role/elasticmapreduce.amazonaws.com*/"
                        "AWSServiceRoleForEMRCleanup*",
                    )
                ],
                conditions={
                    "StringEquals": {
                        "iam:AWSServiceName": [
                            "elasticmapreduce.amazonaws.com",
                            "elasticmapreduce.amazonaws.com.cn",
                        ]
                    }
                },
            ),
            iam.PolicyStatement(
                sid="ManageSyncRules",
                actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                resources=[
                    stack.format_arn(service="events", resource="rule", resource_name=rule)
                    for rule in SYNC_RULES
                ],
            ),
        ],
    )
    _acknowledge(policy)
    return policy


def _acknowledge(policy: iam.Policy) -> None:
    acknowledge(
        policy,
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "elasticmapreduce:RunJobFlow creates a cluster whose id does not exist yet and supports "
        "no resource ARN; the statement allows it only for a request that tags the cluster "
        "as this workflow's (aws:RequestTag).",
    )
    acknowledge(
        policy,
        "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticmapreduce:"
        "<AWS::Region>:<AWS::AccountId>:cluster/*]",
        "A cluster's id is known only at run time (the workflow creates it); each statement "
        "on cluster/* is limited by a tag condition to the clusters this workflow tagged.",
    )
    acknowledge(
        policy,
        "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::"
        "<AWS::AccountId>:role/aws-service-role/elasticmapreduce.amazonaws.com*/"
        "AWSServiceRoleForEMRCleanup*]",
        "EmrCreateCluster may create EMR's own service-linked cleanup role; the wildcard "
        "matches only that AWS-defined role path, as aws-cdk-lib's task grants it.",
    )
