"""Where failed asynchronous invocations of an
:class:`~patterns.event_function.EventDrivenFunction` go: an encrypted SQS DLQ as the
function's on-failure destination, with exact grants on the function's role."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.defaults import dead_letter_queue, given_or_new_key

__all__ = ["add_failure_queue"]


def add_failure_queue(
    scope: Construct,
    role: iam.Role,
    *,
    key: kms.IKey | None = None,
    removal_policy: RemovalPolicy,
) -> tuple[kms.IKey, sqs.Queue]:
    """The ``DlqKey`` (EventBridge may use it too: the rule's DLQ shares it) - or the given
    ``key``, which EventBridge may then use (a key of this app) - and the ``Dlq`` of failed
    asynchronous invocations; ``role`` may send to it (and encrypt)."""
    key = given_or_new_key(
        scope,
        "DlqKey",
        key,
        description=f"Encrypts the failed-event queues of {scope.node.path}",
        removal_policy=removal_policy,
        service_principals=("events.amazonaws.com",),
    )
    queue = dead_letter_queue(scope, "Dlq", encryption_key=key, removal_policy=removal_policy)
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="SendFailedInvocations",
            actions=["sqs:SendMessage"],
            resources=[queue.queue_arn],
        )
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="EncryptFailedInvocations",
            actions=["kms:GenerateDataKey", "kms:Decrypt"],
            resources=[key.key_arn],
        )
    )
    return key, queue
