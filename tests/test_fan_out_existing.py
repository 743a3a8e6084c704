"""TopicFanOut on an existing topic and with existing queues: what it adds, what it leaves."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError, QueueOptions, TopicFanOut
from tests.conftest import new_stack

TOPIC_ARN = "arn:aws:sns:eu-west-1:111111111111:orders"
FIFO_TOPIC_ARN = "arn:aws:sns:eu-west-1:111111111111:orders.fifo"
QUEUE_ARN = "arn:aws:sqs:eu-west-1:111111111111:audit"
KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _role(stack: cdk.Stack) -> iam.Role:
    return iam.Role(stack, "Producer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))


def _publish_statements(stack: cdk.Stack) -> list[dict[str, Any]]:
    policies = Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    statements: list[dict[str, Any]] = []
    for policy in policies.values():
        statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def _key_actions(statements: list[dict[str, Any]], key_arn: object) -> list[str]:
    """The sorted actions allowed on ``key_arn``."""
    actions = [
        a
        for s in statements
        if s["Resource"] == key_arn and s["Effect"] == "Allow"
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]
    return sorted(actions)


# -- existing topic ----------------------------------------------------------------------------
def test_imported_topic_is_subscribed_not_created() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "Orders", TOPIC_ARN)
    fan_out = TopicFanOut(stack, "F", existing_topic=topic, queues={"billing": QueueOptions()})
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SNS::Topic", 0)
    t.resource_count_is("AWS::SNS::TopicPolicy", 0)  # the topic's policy is left alone
    t.has_resource_properties("AWS::SNS::Subscription", {"TopicArn": TOPIC_ARN, "Protocol": "sqs"})
    # the undeliverable DLQ has a key of its own, which SNS may use; no TopicKey
    assert fan_out.node.try_find_child("TopicKey") is None
    assert fan_out.node.try_find_child("UndeliverableKey") is not None
    t.resource_count_is("AWS::KMS::Key", 2)  # UndeliverableKey + BillingKey
    t.has_resource_properties(
        "AWS::SNS::Subscription",
        {"RedrivePolicy": {"deadLetterTargetArn": Match.any_value()}, "TopicArn": TOPIC_ARN},
    )
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "NumberOfNotificationsFailed",
            "Dimensions": [{"Name": "TopicName", "Value": "orders"}],
        },
    )
    assert fan_out.topic is topic
    assert fan_out.topic_key is None


def test_imported_topic_key_is_granted_to_publishers() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "Orders", TOPIC_ARN)
    key = kms.Key.from_key_arn(stack, "OrdersKey", KEY_ARN)
    fan_out = TopicFanOut(
        stack,
        "F",
        existing_topic=topic,
        existing_topic_encryption_key=key,
        queues={"billing": QueueOptions()},
    )
    fan_out.grant_publish(_role(stack))
    statements = _publish_statements(stack)
    assert {"Action": "sns:Publish", "Effect": "Allow", "Resource": TOPIC_ARN} in statements
    assert _key_actions(statements, KEY_ARN) == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_imported_topic_without_key_grants_publish_only() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "Orders", TOPIC_ARN)
    fan_out = TopicFanOut(stack, "F", existing_topic=topic, queues={"billing": QueueOptions()})
    fan_out.grant_publish(_role(stack))
    actions = {str(s["Action"]) for s in _publish_statements(stack)}
    assert actions == {"sns:Publish"}


def test_topic_of_the_users_stack_keeps_its_key_and_settings() -> None:
    stack = new_stack()
    key = kms.Key(stack, "OrdersKey", enable_key_rotation=True)
    topic = sns.Topic(stack, "Orders", master_key=key, display_name="Orders")
    fan_out = TopicFanOut(stack, "F", existing_topic=topic, queues={"billing": QueueOptions()})
    fan_out.grant_publish(_role(stack))
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SNS::Topic", 1)  # the user's
    t.has_resource_properties(
        "AWS::SNS::Topic",
        {"DisplayName": "Orders", "KmsMasterKeyId": {"Fn::GetAtt": [Match.any_value(), "Arn"]}},
    )
    assert fan_out.topic_key is key
    topic_ref = stack.resolve(topic.topic_arn)
    t.has_resource_properties("AWS::SNS::Subscription", {"TopicArn": topic_ref})
    statements = _publish_statements(stack)
    key_arn = stack.resolve(key.key_arn)
    assert _key_actions(statements, key_arn) == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_existing_fifo_topic_with_fifo_queues() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "Orders", FIFO_TOPIC_ARN)
    TopicFanOut(stack, "F", existing_topic=topic, fifo=True, queues={"billing": QueueOptions()})
    t = Template.from_stack(stack)
    assert all(
        q["Properties"].get("FifoQueue") is True
        for q in t.find_resources("AWS::SQS::Queue").values()
    )


# -- existing queues ---------------------------------------------------------------------------
def test_imported_queue_is_subscribed_with_an_age_alarm() -> None:
    stack = new_stack()
    queue = sqs.Queue.from_queue_arn(stack, "Audit", QUEUE_ARN)
    fan_out = TopicFanOut(stack, "F", existing_queues={"audit": queue})
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SQS::Queue", 1)  # the undeliverable DLQ only
    t.resource_count_is("AWS::SQS::QueuePolicy", 1)  # the undeliverable DLQ's; not the queue's
    t.has_resource_properties(
        "AWS::SNS::Subscription",
        {"Protocol": "sqs", "Endpoint": QUEUE_ARN, "RedrivePolicy": Match.any_value()},
    )
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "ApproximateAgeOfOldestMessage",
            "Dimensions": [{"Name": "QueueName", "Value": "audit"}],
            "Threshold": 2 * 86_400,  # half of SQS's default 4 days
        },
    )
    assert fan_out.queues["audit"] is queue
    assert "audit" not in fan_out.dead_letter_queues
    assert "AuditDlqNotEmpty" not in fan_out.alarms
    with pytest.raises(PatternValidationError, match="whose dead-letter queue is not known"):
        fan_out.metric_dlq_depth("audit")


def test_users_queue_gets_policy_key_statement_and_alarms_but_keeps_its_settings() -> None:
    stack = new_stack()
    key = kms.Key(stack, "AuditKey", enable_key_rotation=True)
    dlq = sqs.Queue(stack, "AuditDlq", encryption_master_key=key)
    queue = sqs.Queue(
        stack,
        "Audit",
        encryption_master_key=key,
        retention_period=Duration.days(10),
        dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=7),
    )
    fan_out = TopicFanOut(
        stack,
        "F",
        queues={"billing": QueueOptions(), "audit": QueueOptions(raw_message_delivery=True)},
        existing_queues={"audit": queue},
    )
    fan_out.grant_consume(_role(stack), "audit")
    t = Template.from_stack(stack)
    queue_ref = stack.resolve(queue.queue_arn)
    t.has_resource_properties(
        "AWS::SNS::Subscription", {"Endpoint": queue_ref, "RawMessageDelivery": True}
    )
    # the user's queue keeps its settings: no second audit queue, its retention untouched
    assert fan_out.node.try_find_child("AuditQueue") is None
    t.has_resource_properties(
        "AWS::SQS::Queue",
        {"MessageRetentionPeriod": 864_000, "RedrivePolicy": {"maxReceiveCount": 7}},
    )
    # SNS may send to it from this topic only (a queue policy statement added to the queue)
    t.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "Queues": [stack.resolve(queue.queue_url)],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "sqs:SendMessage",
                                "Principal": {"Service": "sns.amazonaws.com"},
                                "Condition": {
                                    "ArnEquals": {"aws:SourceArn": {"Ref": Match.any_value()}}
                                },
                            }
                        )
                    ]
                )
            },
        },
    )
    # ... and use its key for this topic (the key policy statement of the subscription)
    t.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {"Service": "sns.amazonaws.com"},
                                "Condition": {
                                    "ArnEquals": {"aws:SourceArn": {"Ref": Match.any_value()}}
                                },
                            }
                        )
                    ]
                )
            }
        },
    )
    assert fan_out.queue_keys["audit"] is key
    assert fan_out.dead_letter_queues["audit"] is dlq
    assert fan_out.alarms["AuditDlqNotEmpty"] is not None
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "ApproximateAgeOfOldestMessage", "Threshold": 432_000},  # 10 days / 2
    )


def test_large_payloads_count_an_existing_queue_as_the_longest_retention() -> None:
    stack = new_stack()
    queue = sqs.Queue.from_queue_arn(stack, "Audit", QUEUE_ARN)
    fan_out = TopicFanOut(stack, "F", existing_queues={"audit": queue}, large_payloads=True)
    assert fan_out.payload_bucket is not None
    Template.from_stack(stack).has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": Match.array_with(
                    [Match.object_like({"ExpirationInDays": Match.any_value()})]
                )
            }
        },
    )


# -- errors ------------------------------------------------------------------------------------
def _raises(message: str, **kwargs: Any) -> None:
    stack = kwargs.pop("stack")
    with pytest.raises(PatternValidationError, match=message):
        TopicFanOut(stack, "F", **kwargs)


def test_existing_topic_contradicts_topic_props() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "Orders", TOPIC_ARN)
    _raises(
        r"existing_topic cannot be combined with topic_name, display_name",
        stack=stack,
        existing_topic=topic,
        topic_name="orders",
        display_name="Orders",
        queues={"q": QueueOptions()},
    )


def test_existing_fifo_topic_needs_fifo() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "Orders", FIFO_TOPIC_ARN)
    _raises(
        r"fifo must be True for a FIFO existing_topic",
        stack=stack,
        existing_topic=topic,
        queues={"q": QueueOptions()},
    )


def test_existing_standard_topic_rejects_fifo() -> None:
    stack = new_stack()
    topic = sns.Topic(stack, "Orders")
    _raises(
        r"fifo must be False for a standard existing_topic",
        stack=stack,
        existing_topic=topic,
        fifo=True,
        queues={"q": QueueOptions()},
    )


def test_fifo_topic_rejects_standard_existing_queue() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_arn(stack, "Orders", FIFO_TOPIC_ARN)
    queue = sqs.Queue.from_queue_arn(stack, "Audit", QUEUE_ARN)
    _raises(
        r'existing_queues\["audit"\] is a standard queue: a FIFO topic delivers only to FIFO',
        stack=stack,
        existing_topic=topic,
        fifo=True,
        existing_queues={"audit": queue},
    )


def test_standard_topic_rejects_fifo_existing_queue() -> None:
    stack = new_stack()
    queue = sqs.Queue(stack, "Audit", fifo=True)
    _raises(
        r'existing_queues\["audit"\] is a FIFO queue',
        stack=stack,
        existing_queues={"audit": queue},
    )


def test_existing_queue_with_aws_managed_key_is_rejected() -> None:
    stack = new_stack()
    queue = sqs.Queue(stack, "Audit", encryption=sqs.QueueEncryption.KMS_MANAGED)
    _raises(r"alias/aws/sqs", stack=stack, existing_queues={"audit": queue})


def test_encrypted_existing_topic_without_its_key_names_the_missing_prop() -> None:
    stack = new_stack()
    topic = sns.Topic(stack, "Orders")
    cfn = topic.node.default_child
    assert isinstance(cfn, sns.CfnTopic)
    cfn.kms_master_key_id = KEY_ARN  # encrypted through the escape hatch: the L2 has no key
    _raises(
        r"existing_topic_encryption_key is required: existing_topic is encrypted",
        stack=stack,
        existing_topic=topic,
        queues={"q": QueueOptions()},
    )


def test_existing_topic_key_must_be_the_topics_key() -> None:
    stack = new_stack()
    topic = sns.Topic.from_topic_attributes(stack, "Orders", topic_arn=TOPIC_ARN, key_arn=KEY_ARN)
    other = kms.Key.from_key_arn(stack, "Other", KEY_ARN.replace("1234abcd", "9999abcd"))
    _raises(
        r"existing_topic_encryption_key must be the key that encrypts existing_topic",
        stack=stack,
        existing_topic=topic,
        existing_topic_encryption_key=other,
        queues={"q": QueueOptions()},
    )


def test_existing_topic_key_alone_is_an_error() -> None:
    stack = new_stack()
    key = kms.Key.from_key_arn(stack, "K", KEY_ARN)
    _raises(
        r"existing_topic_encryption_key applies only with an existing_topic",
        stack=stack,
        existing_topic_encryption_key=key,
        queues={"q": QueueOptions()},
    )


def test_existing_queue_takes_only_subscription_options() -> None:
    stack = new_stack()
    queue = sqs.Queue.from_queue_arn(stack, "Audit", QUEUE_ARN)
    _raises(
        r'queues\["audit"\] names an existing queue: only filter_policy, '
        r".*got visibility_timeout, max_receive_count",
        stack=stack,
        queues={"audit": QueueOptions(visibility_timeout=Duration.minutes(5), max_receive_count=2)},
        existing_queues={"audit": queue},
    )


def test_no_queue_at_all_is_an_error() -> None:
    _raises(r"queues is required unless existing_queues are given", stack=new_stack())
    _raises(
        r"queues must name at least one queue, got none",
        stack=new_stack(),
        queues={},
        existing_queues={},
    )


def test_existing_queue_names_and_types_are_checked() -> None:
    stack = new_stack()
    queue = sqs.Queue.from_queue_arn(stack, "Audit", QUEUE_ARN)
    with pytest.raises(PatternValidationError) as info:
        TopicFanOut(
            stack,
            "F",
            queues={"audit-log": QueueOptions()},
            existing_queues={"audit_log": queue, "9x": queue, "b": "arn"},  # type: ignore[dict-item]
        )
    problems = "\n".join(info.value.problems)
    assert "name 'audit_log' maps to the id of queue 'audit-log'" in problems
    assert "got '9x'" in problems
    assert "existing_queues[\"b\"] must be an sqs.IQueue, got str 'arn'" in problems


def test_existing_topic_must_be_a_topic() -> None:
    _raises(
        r"existing_topic must be an sns.ITopic, got str",
        stack=new_stack(),
        existing_topic=TOPIC_ARN,
        queues={"q": QueueOptions()},
    )


def test_token_arns_are_taken_as_given() -> None:
    stack = new_stack()
    arn = cdk.CfnParameter(stack, "TopicArn").value_as_string
    queue_arn = cdk.CfnParameter(stack, "QueueArn").value_as_string
    topic = sns.Topic.from_topic_arn(stack, "Orders", arn)
    queue = sqs.Queue.from_queue_arn(stack, "Audit", queue_arn)
    # FIFO-ness cannot be told from a parameter: no error for either choice
    TopicFanOut(stack, "F", existing_topic=topic, fifo=True, existing_queues={"audit": queue})
