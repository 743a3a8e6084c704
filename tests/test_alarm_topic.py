"""A topic given as ``alarm_topic`` receives the alarms' notifications in a user's app.

A topic policy (``enforce_ssl=True`` writes one) replaces SNS's default policy, and a
customer-managed key's policy admits only the account: without the statements below,
CloudWatch's notifications are denied and nobody is told (the deploy tier proves the
delivery for the example stacks: tests/deploy/test_alarm_notifications_deploy.py).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from patterns import QueueOptions, TopicFanOut, VideoIngestStream
from patterns.core.monitoring import create_alarm_topic

PUBLISH = {
    "Sid": "AllowCloudWatchAlarmsOfThisAccount",
    "Effect": "Allow",
    "Principal": {"Service": "cloudwatch.amazonaws.com"},
    "Action": "sns:Publish",
    "Condition": {
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnLike": {"aws:SourceArn": Match.any_value()},
    },
}
USE_KEY = {
    "Sid": "AllowCloudWatchAlarmsToPublish",
    "Effect": "Allow",
    "Principal": {"Service": "cloudwatch.amazonaws.com"},
    "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
    "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
}


def two_patterns(topic_for: Any) -> Template:
    """Two patterns sharing one alarm topic, built by ``topic_for(stack)``."""
    stack = cdk.Stack(cdk.App(), "UserStack")
    topic = topic_for(stack)
    TopicFanOut(stack, "Orders", queues={"billing": QueueOptions()}, alarm_topic=topic)
    VideoIngestStream(stack, "Cameras", alarm_topic=topic)
    return Template.from_stack(stack)


def statements(template: Template, type_name: str) -> list[dict[str, Any]]:
    found = []
    for resource in template.find_resources(type_name).values():
        document = (
            resource["Properties"].get("PolicyDocument") or resource["Properties"]["KeyPolicy"]
        )
        found += document["Statement"]
    return found


def test_a_users_tls_only_encrypted_topic_gets_the_cloudwatch_statements_once() -> None:
    def topic_for(stack: cdk.Stack) -> sns.ITopic:
        return sns.Topic(stack, "Ops", master_key=kms.Key(stack, "OpsKey"), enforce_ssl=True)

    template = two_patterns(topic_for)
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {"PolicyDocument": {"Statement": Match.array_with([Match.object_like(PUBLISH)])}},
    )
    template.has_resource_properties(
        "AWS::KMS::Key",
        {"KeyPolicy": {"Statement": Match.array_with([Match.object_like(USE_KEY)])}},
    )
    sids = [s.get("Sid") for s in statements(template, "AWS::SNS::TopicPolicy")]
    assert sids.count(PUBLISH["Sid"]) == 1  # two patterns, one statement
    key_sids = [s.get("Sid") for s in statements(template, "AWS::KMS::Key")]
    assert key_sids.count(USE_KEY["Sid"]) == 1


def test_a_topic_without_a_policy_keeps_the_sns_default_policy() -> None:
    """No TopicPolicy is created: one would replace the default that lets CloudWatch publish
    (and the account's other publishers)."""
    template = two_patterns(lambda stack: sns.Topic(stack, "Ops"))
    policies = template.find_resources("AWS::SNS::TopicPolicy")
    assert all("Ops" not in str(p["Properties"]["Topics"]) for p in policies.values())


def test_an_imported_topic_is_left_alone() -> None:
    template = two_patterns(
        lambda stack: sns.Topic.from_topic_arn(
            stack, "Ops", "arn:aws:sns:eu-west-1:111111111111:ops"
        )
    )
    for statement in statements(template, "AWS::SNS::TopicPolicy"):
        assert statement.get("Sid") != PUBLISH["Sid"]


def test_create_alarm_topic_allows_cloudwatch() -> None:
    stack = cdk.Stack(cdk.App(), "UserStack")
    create_alarm_topic(stack, "Alarms")
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {"PolicyDocument": {"Statement": Match.array_with([Match.object_like(PUBLISH)])}},
    )
    template.has_resource_properties(
        "AWS::KMS::Key",
        {"KeyPolicy": {"Statement": Match.array_with([Match.object_like(USE_KEY)])}},
    )
