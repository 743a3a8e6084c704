"""Patterns whose per-resource keys (a DLQ's) can be an existing key: the pattern then creates
no key, uses the given one and adds only the key policy statement EventBridge needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError
from tests.conftest import new_stack
from tests.user_apps.cases import MINIMAL

KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC_ARN = "arn:aws:sns:eu-west-1:111111111111:failures"
EVENTS_STATEMENT = Match.object_like(
    {
        "Sid": "AllowEventsToUseKey",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": Match.array_with(["kms:Decrypt", "kms:GenerateDataKey*"]),
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    }
)


def _pattern_keys(template: Template) -> list[str]:
    """The keys of the template but the stack's shared log-group key (``logs_key``)."""
    return [
        logical_id
        for logical_id, key in template.find_resources("AWS::KMS::Key").items()
        if not key["Properties"].get("Description", "").startswith("Encrypts the log groups")
    ]


def _function(stack: cdk.Stack, **props: Any) -> object:
    schedule = events.Schedule.expression("rate(5 minutes)")
    return MINIMAL["EventDrivenFunction"](stack, schedule=schedule, **props)


def _workflow(stack: cdk.Stack, **props: Any) -> object:
    topic = sns.Topic.from_topic_arn(stack, "Failures", TOPIC_ARN)
    return MINIMAL["Workflow"](stack, failure_topic=topic, **props)


def _time_series(stack: cdk.Stack, **props: Any) -> object:
    return MINIMAL["TimeSeriesTables"](stack, **props)


CASES = {
    "EventDrivenFunction": (_function, "dead_letter_key", 2),  # Dlq and RuleDlq
    "TimeSeriesTables": (_time_series, "dead_letter_key", 1),  # RotationDlq
    "Workflow": (_workflow, "failure_dlq_key", 1),  # FailureDlq
}


def _default_keys(name: str) -> list[str]:
    """The pattern's keys without the key prop (the DLQ key among them)."""
    stack = new_stack()
    CASES[name][0](stack)
    return _pattern_keys(Template.from_stack(stack))


@pytest.mark.parametrize("name", sorted(CASES))
def test_users_key_is_used_and_lets_eventbridge_in(name: str) -> None:
    build, prop, queues = CASES[name]
    stack = new_stack()
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    build(stack, **{prop: key})
    t = Template.from_stack(stack)
    keys = _pattern_keys(t)  # the DLQ key is not created; the user's key is in the template
    assert stack.get_logical_id(key.node.default_child) in keys
    assert len(keys) == len(_default_keys(name))
    key_ref = stack.resolve(key.key_arn)
    encrypted = t.find_resources("AWS::SQS::Queue", {"Properties": {"KmsMasterKeyId": key_ref}})
    assert len(encrypted) == queues
    t.has_resource_properties(
        "AWS::KMS::Key",
        {
            "EnableKeyRotation": True,
            "KeyPolicy": {"Statement": Match.array_with([EVENTS_STATEMENT])},
        },
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_imported_key_is_used_as_given(name: str) -> None:
    build, prop, queues = CASES[name]
    stack = new_stack()
    build(stack, **{prop: kms.Key.from_key_arn(stack, "TeamKey", KEY_ARN)})
    t = Template.from_stack(stack)
    assert len(_pattern_keys(t)) == len(_default_keys(name)) - 1
    encrypted = t.find_resources("AWS::SQS::Queue", {"Properties": {"KmsMasterKeyId": KEY_ARN}})
    assert len(encrypted) == queues


@pytest.mark.parametrize("build", [_function, _time_series])
def test_the_role_that_sends_failures_may_encrypt_with_the_given_key(
    build: Callable[..., object],
) -> None:
    """The function's role (EventDrivenFunction), the rotation's (TimeSeriesTables)."""
    stack = new_stack()
    build(stack, dead_letter_key=kms.Key.from_key_arn(stack, "TeamKey", KEY_ARN))
    statements = [
        s
        for p in Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert any(
        s["Resource"] == KEY_ARN and "kms:GenerateDataKey" in s["Action"] for s in statements
    )


def test_function_key_with_a_queue_source_is_an_error() -> None:
    stack = new_stack()
    queue = sqs.Queue.from_queue_arn(stack, "Q", "arn:aws:sqs:eu-west-1:111111111111:q")
    with pytest.raises(
        PatternValidationError, match=r"dead_letter_key applies only without a queue source"
    ):
        MINIMAL["EventDrivenFunction"](
            stack, queue=queue, dead_letter_key=kms.Key.from_key_arn(stack, "K", KEY_ARN)
        )


def test_workflow_key_without_failure_topic_is_an_error() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"failure_dlq_key applies only with a failure_topic"
    ):
        MINIMAL["Workflow"](stack, failure_dlq_key=kms.Key.from_key_arn(stack, "K", KEY_ARN))


@pytest.mark.parametrize("name", sorted(CASES))
def test_key_must_be_a_key(name: str) -> None:
    build, prop, _ = CASES[name]
    with pytest.raises(PatternValidationError, match=rf"{prop} must be a kms.IKey, got str"):
        build(new_stack(), **{prop: KEY_ARN})


# -- TopicFanOut(topic_encryption_key=...) ------------------------------------------------------
SNS_DLQ_STATEMENT = Match.object_like(
    {
        "Sid": "AllowSnsToDeliverUndeliverableMessages",
        "Principal": {"Service": "sns.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
    }
)


def _fan_out_keys(template: Template) -> set[str]:
    return {
        key["Properties"]["Description"].split(" of ")[0]
        for key in template.find_resources("AWS::KMS::Key").values()
        if "Description" in key["Properties"]
    }


def test_fan_out_topic_and_undeliverable_dlq_use_the_users_key() -> None:
    stack = new_stack()
    key = kms.Key(stack, "TeamTopicKey", enable_key_rotation=True)
    fan_out = MINIMAL["TopicFanOut"](stack, topic_encryption_key=key)
    t = Template.from_stack(stack)
    assert "Encrypts the SNS topic and undeliverable DLQ" not in _fan_out_keys(t)  # no TopicKey
    key_arn = stack.resolve(key.key_arn)
    t.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": key_arn})
    dlq = stack.resolve(fan_out.undeliverable_queue.node.default_child.kms_master_key_id)
    assert dlq == key_arn
    t.has_resource_properties(
        "AWS::KMS::Key",
        {
            "Description": Match.absent(),
            "KeyPolicy": {"Statement": Match.array_with([SNS_DLQ_STATEMENT])},
        },
    )
    assert fan_out.topic_key is key


def test_fan_out_on_an_existing_topic_uses_the_key_for_the_undeliverable_dlq_only() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "TeamTopic", TOPIC_ARN)
    fan_out = MINIMAL["TopicFanOut"](
        stack,
        existing_topic=topic,
        topic_encryption_key=kms.Key.from_key_arn(stack, "TeamKey", KEY_ARN),
    )
    t = Template.from_stack(stack)
    assert "Encrypts the undeliverable DLQ" not in _fan_out_keys(t)  # no UndeliverableKey
    assert (
        stack.resolve(fan_out.undeliverable_queue.node.default_child.kms_master_key_id) == KEY_ARN
    )
    assert fan_out.topic_key is None  # the existing topic's key is not known


def test_fan_out_creates_its_topic_key_without_one() -> None:
    stack = new_stack()
    MINIMAL["TopicFanOut"](stack)
    assert "Encrypts the SNS topic and undeliverable DLQ" in _fan_out_keys(
        Template.from_stack(stack)
    )


def test_fan_out_topic_key_must_be_a_key() -> None:
    with pytest.raises(
        PatternValidationError, match=r"topic_encryption_key must be a kms.IKey, got str"
    ):
        MINIMAL["TopicFanOut"](new_stack(), topic_encryption_key=KEY_ARN)
