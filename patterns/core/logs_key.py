"""The customer-managed key of a stack's pattern log groups: one key per stack, created by
the first pattern that writes logs (:func:`logs_key`), or a key of yours for the whole stack
(:func:`use_logs_key`)::

    from patterns import use_logs_key

    use_logs_key(stack, team_logs_key)  # before the stack's first pattern
    TopicFanOut(stack, "Orders", ...)   # its log groups (and every other pattern's) use it
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from patterns.core.typecheck import checked
from patterns.core.validation import Validator, is_unresolved

__all__ = ["logs_key", "logs_key_statement", "use_logs_key"]

#: Construct ids of the stack-wide log-group keys, by the removal policy of their log groups.
_LOGS_KEY_IDS = {
    RemovalPolicy.RETAIN: "ScalablePatternsLogsKey",
    RemovalPolicy.DESTROY: "ScalablePatternsLogsKeyDestroy",
    RemovalPolicy.SNAPSHOT: "ScalablePatternsLogsKey",
    RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE: "ScalablePatternsLogsKey",
}

#: Construct id of the (resource-less) construct that holds the key of :func:`use_logs_key`.
_CHOSEN_ID = "ScalablePatternsChosenLogsKey"


class _ChosenLogsKey(Construct):
    """The key :func:`use_logs_key` gave a stack; it synthesizes to nothing."""

    def __init__(self, scope: Construct, construct_id: str, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.key = key


@checked
def use_logs_key(scope: Construct, key: kms.IKey) -> None:
    """Encrypt the log groups of every pattern in ``scope``'s stack with ``key`` instead of
    the key the patterns would create (``ScalablePatternsLogsKey``, one per stack and removal
    policy).

    Call it before the stack's first pattern: a log group already created keeps the key it
    has, so a later call is a :class:`~patterns.PatternValidationError`, as is a second call
    with another key. A log group you hand a pattern (``Workflow(log_group=...)``) keeps its
    own encryption.

    What it adds: to a key of this app (``kms.Key``), the key policy statement
    ``AllowCloudWatchLogsOfThisAccount`` (:func:`logs_key_statement`: CloudWatch Logs of the
    stack's region may use the key for log groups of this account only). What it leaves
    alone: the key's rotation, deletion policy and other statements. An imported key
    (``kms.Key.from_key_arn``) cannot be changed: its policy must already allow that
    statement, or CloudFormation fails to create the log groups.

    Args:
        scope: any construct of the stack (the stack itself, usually).
        key: the key, in the stack's region.

    Raises:
        PatternValidationError: ``key`` is not a ``kms.IKey``, is in another region than the
            stack (where both are known), or the stack already has a logs key (created by a
            pattern, or given by an earlier call with another key).
    """
    stack = Stack.of(scope)
    v = Validator(stack)  # @checked reports a wrong type too, but only after this returns
    v.require(key is not None, "key", "must not be None")
    v.implements("key", key, "key_arn", what="a kms.IKey")
    if key is not None and hasattr(key, "key_arn"):
        _same_region(v, stack, key)
    chosen = stack.node.try_find_child(_CHOSEN_ID)
    if isinstance(chosen, _ChosenLogsKey) and chosen.key is not key:
        v.add(
            "key",
            "differs from the key an earlier use_logs_key gave this stack (one logs key per stack)",
        )
    created = sorted({i for i in _LOGS_KEY_IDS.values() if stack.node.try_find_child(i)})
    if created:
        v.add(
            "key",
            f"comes after a pattern of this stack created its {', '.join(created)}: call "
            "use_logs_key before the stack's first pattern",
        )
    v.raise_if_invalid()
    if chosen is None:
        _ChosenLogsKey(stack, _CHOSEN_ID, key)
        if isinstance(key, kms.Key):
            key.add_to_resource_policy(logs_key_statement(stack))


def _same_region(v: Validator, stack: Stack, key: kms.IKey) -> None:
    """CloudWatch Logs uses a key of its own region only (where both regions are known)."""
    key_region, stack_region = key.env.region, stack.region
    if is_unresolved(key_region) or is_unresolved(stack_region) or key_region == stack_region:
        return
    v.add(
        "key",
        f"is in {key_region}, the stack's log groups in {stack_region}: CloudWatch Logs uses a "
        "key of the log group's own region only",
    )


def logs_key(scope: Construct, *, removal_policy: RemovalPolicy = RemovalPolicy.RETAIN) -> kms.IKey:
    """The key of the patterns' log groups in ``scope``'s stack: the one given to
    :func:`use_logs_key`, else the customer-managed key (yearly rotation) the first log group
    of that removal policy creates - one key per stack (and per removal policy, so a DESTROY
    dev stack leaves no key behind), not one per log group ($1 a month each).

    Its key policy lets CloudWatch Logs of this stack's region use it for log groups of this
    account only (:func:`logs_key_statement`), as the CloudWatch Logs guide "Encrypt log data
    in CloudWatch Logs using AWS KMS" requires.
    """
    stack = Stack.of(scope)
    chosen = stack.node.try_find_child(_CHOSEN_ID)
    if isinstance(chosen, _ChosenLogsKey):
        return chosen.key
    construct_id = _LOGS_KEY_IDS[removal_policy]
    existing = stack.node.try_find_child(construct_id)
    if isinstance(existing, kms.Key):
        return existing
    key = kms.Key(
        stack,
        construct_id,
        description=f"Encrypts the log groups of scalable-patterns in {stack.stack_name}",
        enable_key_rotation=True,
        removal_policy=removal_policy,
        pending_window=Duration.days(30)
        if removal_policy != RemovalPolicy.DESTROY
        else Duration.days(7),
    )
    key.add_to_resource_policy(logs_key_statement(stack))
    return key


def logs_key_statement(stack: Stack) -> iam.PolicyStatement:
    """``AllowCloudWatchLogsOfThisAccount``: CloudWatch Logs of ``stack``'s region may use the
    key for the log groups of ``stack``'s account (``kms:EncryptionContext:aws:logs:arn``)."""
    return iam.PolicyStatement(
        sid="AllowCloudWatchLogsOfThisAccount",
        principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
        actions=[
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:DescribeKey",
        ],
        resources=["*"],
        conditions={
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": (
                    f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*"
                )
            }
        },
    )
