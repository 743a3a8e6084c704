"""TopicFanOut: assertions on the example stacks, variants and every validation error."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import Any, cast

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError, QueueOptions, TopicFanOut
from tests.conftest import SynthResult, new_stack

STACK = "FanOutExample"
FIFO = "FifoFanOutExample"


def _by_prefix(resources: Mapping[str, Mapping[str, Any]], prefix: str) -> Mapping[str, Any]:
    matches = [r for logical_id, r in resources.items() if logical_id.startswith(prefix)]
    assert len(matches) == 1, f"{prefix}: {len(matches)} matches"
    return matches[0]


def _queues(synth: SynthResult, stack: str) -> dict[str, dict[str, Any]]:
    return synth.resources(stack, "AWS::SQS::Queue")


# -- the standard example -------------------------------------------------------------------


def test_one_topic_three_queues_three_dlqs_and_undeliverable_dlq(synth: SynthResult) -> None:
    t = synth.template(STACK)
    # the fan-out topic plus the example's alarm topic
    t.resource_count_is("AWS::SNS::Topic", 2)
    t.resource_count_is("AWS::SQS::Queue", 3 + 3 + 1)
    t.resource_count_is("AWS::SNS::Subscription", 3)


def test_each_queue_redrives_to_its_own_dlq_with_its_receive_count(synth: SynthResult) -> None:
    queues = _queues(synth, STACK)
    expected = {"Billing": 3, "Audit": 5, "Analytics": 5}
    for name, count in expected.items():
        queue = _by_prefix(queues, f"OrderEvents{name}Queue")
        redrive = queue["Properties"]["RedrivePolicy"]
        assert redrive["maxReceiveCount"] == count
        dlq_id = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert dlq_id.startswith(f"OrderEvents{name}Dlq")
        assert queues[dlq_id]["Properties"]["MessageRetentionPeriod"] == 14 * 86_400


def test_queue_options_reach_the_queue(synth: SynthResult) -> None:
    queues = _queues(synth, STACK)
    billing = _by_prefix(queues, "OrderEventsBillingQueue")["Properties"]
    assert billing["VisibilityTimeout"] == 180
    assert billing["MessageRetentionPeriod"] == 4 * 86_400  # the default
    assert billing["ReceiveMessageWaitTimeSeconds"] == 20  # long polling
    assert billing["MaximumMessageSize"] == 262_144
    audit = _by_prefix(queues, "OrderEventsAuditQueue")["Properties"]
    assert audit["MessageRetentionPeriod"] == 14 * 86_400


def test_every_queue_is_kms_encrypted_with_a_rotating_key(synth: SynthResult) -> None:
    keys = synth.resources(STACK, "AWS::KMS::Key")
    for logical_id, queue in _queues(synth, STACK).items():
        key_ref = queue["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
        assert keys[key_ref]["Properties"]["EnableKeyRotation"] is True, logical_id
    # one key per queue (shared with its DLQ), one for the topic, one for the alarm topic
    assert len(keys) == 3 + 1 + 1


def test_topic_is_encrypted_and_tls_only(synth: SynthResult) -> None:
    t = synth.template(STACK)
    t.has_resource_properties(
        "AWS::SNS::Topic",
        {
            "KmsMasterKeyId": {
                "Fn::GetAtt": [Match.string_like_regexp("OrderEventsTopicKey"), "Arn"]
            }
        },
    )
    t.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_every_queue_policy_denies_plain_http(synth: SynthResult) -> None:
    policies = synth.resources(STACK, "AWS::SQS::QueuePolicy")
    covered: set[str] = set()
    for policy in policies.values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        if any(
            s["Effect"] == "Deny"
            and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
            for s in statements
        ):
            covered.update(q["Ref"] for q in policy["Properties"]["Queues"])
    assert covered == set(_queues(synth, STACK))


def test_queue_keys_let_sns_deliver_from_this_topic_only(synth: SynthResult) -> None:
    keys = synth.resources(STACK, "AWS::KMS::Key")
    billing_key = _by_prefix(keys, "OrderEventsBillingKey")
    statements = billing_key["Properties"]["KeyPolicy"]["Statement"]
    sns_statements = [
        s for s in statements if s.get("Principal") == {"Service": "sns.amazonaws.com"}
    ]
    assert sns_statements, statements
    for s in sns_statements:
        assert set(s["Action"]) <= {"kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*"}
        assert s["Condition"]["ArnEquals"]["aws:SourceArn"]["Ref"].startswith("OrderEventsTopic")


@pytest.mark.parametrize(
    "context",
    [{}, {"@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption": False}],
    ids=["plain-app", "flag-off"],
)
def test_queue_keys_name_the_topic_whatever_the_apps_flags(context: dict[str, Any]) -> None:
    """A plain ``cdk.App()`` (or one that turns the flag off) gets the same key policies as an
    app with ``cdk init``'s flags: SNS may use a queue key for this topic only, and the
    statements of the topic key list their actions sorted (as minimizePolicies would)."""
    stack = cdk.Stack(cdk.App(context=context), "Plain")
    TopicFanOut(stack, "F", queues={"orders": QueueOptions()})
    keys = dict(Template.from_stack(stack).find_resources("AWS::KMS::Key"))
    queue_key = _by_prefix(keys, "FOrdersKey")
    (sns_statement,) = [
        s
        for s in queue_key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Principal") == {"Service": "sns.amazonaws.com"}
    ]
    (source_arn,) = sns_statement["Condition"]["ArnEquals"].values()
    assert list(sns_statement["Condition"]) == ["ArnEquals"]
    assert source_arn["Ref"].startswith("FTopic")
    topic_key = _by_prefix(keys, "FTopicKey")
    for statement in topic_key["Properties"]["KeyPolicy"]["Statement"]:
        actions = statement["Action"]
        assert isinstance(actions, str) or actions == sorted(actions), statement


def test_subscription_options(synth: SynthResult) -> None:
    subscriptions = synth.resources(STACK, "AWS::SNS::Subscription")
    by_queue = {}
    for sub in subscriptions.values():
        props = sub["Properties"]
        assert props["Protocol"] == "sqs"
        queue_id = props["Endpoint"]["Fn::GetAtt"][0]
        by_queue[queue_id.split("Queue")[0].removeprefix("OrderEvents")] = props
        # what SNS cannot deliver is kept, not dropped
        assert props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0].startswith(
            "OrderEventsUndeliverableDlq"
        )
    assert by_queue["Billing"]["FilterPolicy"] == {
        "event_type": ["order_placed", "order_cancelled"]
    }
    assert by_queue["Billing"].get("RawMessageDelivery") in (None, False)
    assert by_queue["Audit"]["RawMessageDelivery"] is True
    assert "FilterPolicy" not in by_queue["Analytics"]


def test_alarms_per_queue_and_topic_notify_the_alarm_topic(synth: SynthResult) -> None:
    alarms = synth.resources(STACK, "AWS::CloudWatch::Alarm")
    names = sorted(logical_id.removeprefix("OrderEventsAlarms")[:-8] for logical_id in alarms)
    assert names == sorted(
        [
            "AnalyticsDlqNotEmpty",
            "AnalyticsOldestMessageAge",
            "AuditDlqNotEmpty",
            "AuditOldestMessageAge",
            "BillingDlqNotEmpty",
            "BillingOldestMessageAge",
            "NotificationsFailed",
            "UndeliverableDlqNotEmpty",
        ]
    )
    for alarm in alarms.values():
        props = alarm["Properties"]
        assert (
            props["AlarmActions"] == [{"Ref": Match.any_value()}] or len(props["AlarmActions"]) == 1
        )
        assert props["AlarmActions"][0]["Ref"].startswith("AlarmTopic")
        assert props["OKActions"] == props["AlarmActions"]


def test_age_alarm_threshold_follows_retention_or_option(synth: SynthResult) -> None:
    alarms = synth.resources(STACK, "AWS::CloudWatch::Alarm")
    billing = _by_prefix(alarms, "OrderEventsAlarmsBillingOldestMessageAge")["Properties"]
    assert billing["Threshold"] == 2 * 86_400  # half of the 4-day retention
    assert billing["MetricName"] == "ApproximateAgeOfOldestMessage"
    assert billing["Dimensions"][0]["Name"] == "QueueName"
    assert billing["Dimensions"][0]["Value"]["Fn::GetAtt"][0].startswith("OrderEventsBillingQueue")
    audit = _by_prefix(alarms, "OrderEventsAlarmsAuditOldestMessageAge")["Properties"]
    assert audit["Threshold"] == 7 * 86_400  # half of 14 days
    analytics = _by_prefix(alarms, "OrderEventsAlarmsAnalyticsOldestMessageAge")["Properties"]
    assert analytics["Threshold"] == 30 * 60  # explicit age_alarm_threshold


def test_dlq_alarm_watches_the_dlq(synth: SynthResult) -> None:
    alarms = synth.resources(STACK, "AWS::CloudWatch::Alarm")
    billing = _by_prefix(alarms, "OrderEventsAlarmsBillingDlqNotEmpty")["Properties"]
    assert billing["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert billing["Threshold"] == 0
    assert billing["ComparisonOperator"] == "GreaterThanThreshold"
    assert billing["Dimensions"][0]["Value"]["Fn::GetAtt"][0].startswith("OrderEventsBillingDlq")


def test_stateful_resources_are_retained(synth: SynthResult) -> None:
    for type_name in ("AWS::SQS::Queue", "AWS::KMS::Key"):
        for logical_id, resource in synth.resources(STACK, type_name).items():
            assert resource["DeletionPolicy"] == "Retain", logical_id
            assert resource["UpdateReplacePolicy"] == "Retain", logical_id


def test_dashboard_has_the_alarm_widgets(synth: SynthResult) -> None:
    dashboards = synth.resources(STACK, "AWS::CloudWatch::Dashboard")
    assert len(dashboards) == 1
    body = json.dumps(next(iter(dashboards.values()))["Properties"]["DashboardBody"])
    assert body.count("alarms") >= 8


# -- FIFO -----------------------------------------------------------------------------------


def test_fifo_topic_makes_every_queue_and_dlq_fifo(synth: SynthResult) -> None:
    t = synth.template(FIFO)
    t.has_resource_properties(
        "AWS::SNS::Topic", {"FifoTopic": True, "ContentBasedDeduplication": True}
    )
    queues = _queues(synth, FIFO)
    assert len(queues) == 2 + 2 + 1
    for logical_id, queue in queues.items():
        assert queue["Properties"]["FifoQueue"] is True, logical_id
    for name in ("Ledger", "Notifications"):
        props = _by_prefix(queues, f"LedgerEvents{name}Queue")["Properties"]
        assert props["ContentBasedDeduplication"] is True


def test_shared_key_encrypts_all_queues_with_one_key(synth: SynthResult) -> None:
    keys = synth.resources(FIFO, "AWS::KMS::Key")
    # the shared queue key, the topic key, the alarm topic key
    assert len(keys) == 3
    key_ids = {
        q["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0] for q in _queues(synth, FIFO).values()
    }
    assert (
        len(key_ids) == 2
    )  # queues + DLQs share one key; the undeliverable DLQ uses the topic key


# -- variants in fresh stacks ---------------------------------------------------------------


def _template(stack: cdk.Stack) -> Template:
    return Template.from_stack(stack)


def test_body_filter_policy_sets_message_body_scope() -> None:
    stack = new_stack()
    TopicFanOut(
        stack,
        "F",
        queues={
            "q": QueueOptions(
                filter_policy_with_message_body={
                    "kind": sns.FilterOrPolicy.filter(
                        sns.SubscriptionFilter.string_filter(allowlist=["a"])
                    )
                }
            )
        },
    )
    _template(stack).has_resource_properties(
        "AWS::SNS::Subscription",
        {"FilterPolicyScope": "MessageBody", "FilterPolicy": {"kind": ["a"]}},
    )


def test_removal_policy_destroy_for_dev_stacks() -> None:
    stack = new_stack()
    TopicFanOut(stack, "F", queues={"q": QueueOptions()}, removal_policy=RemovalPolicy.DESTROY)
    template = _template(stack)
    queues = template.find_resources("AWS::SQS::Queue")
    assert len(queues) == 3  # the queue, its DLQ and the undeliverable DLQ
    assert {q["DeletionPolicy"] for q in queues.values()} == {"Delete"}
    keys = template.find_resources("AWS::KMS::Key")
    assert {k["DeletionPolicy"] for k in keys.values()} == {"Delete"}


def test_given_key_encrypts_every_queue() -> None:
    stack = new_stack()
    key = kms.Key(stack, "MyKey", enable_key_rotation=True)
    fan_out = TopicFanOut(
        stack, "F", queues={"a": QueueOptions(), "b": QueueOptions()}, encryption_key=key
    )
    assert set(fan_out.queue_keys.values()) == {key}
    t = _template(stack)
    t.resource_count_is("AWS::KMS::Key", 2)  # MyKey + the topic key


def test_grant_publish_is_least_privilege() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"q": QueueOptions()})
    role = iam.Role(stack, "Producer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    fan_out.grant_publish(role)
    policies = _template(stack).find_resources("AWS::IAM::Policy")
    statements = next(iter(policies.values()))["Properties"]["PolicyDocument"]["Statement"]
    actions = sorted(
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    )
    assert actions == ["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"]


def _consumer_policies(*, old_order: bool = False) -> Mapping[str, Any]:
    """The IAM policies of a consumer granted the queue ``q``, in the new or the old order."""
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"q": QueueOptions(), "r": QueueOptions()})
    role = iam.Role(stack, "Consumer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    if old_order:
        fan_out.grant_consume("q", role)
    else:
        fan_out.grant_consume(role, "q")
    return _template(stack).find_resources("AWS::IAM::Policy")


def test_grant_consume_takes_the_grantee_first() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        policies = _consumer_policies()
    statements = next(iter(policies.values()))["Properties"]["PolicyDocument"]["Statement"]
    sqs_statement = next(s for s in statements if "sqs:ReceiveMessage" in s["Action"])
    assert sqs_statement["Resource"]["Fn::GetAtt"][0].startswith("FQQueue")
    assert any("kms:Decrypt" in s["Action"] for s in statements)


def test_grant_consume_by_keyword_needs_no_order() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"q": QueueOptions()})
    role = iam.Role(stack, "Consumer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fan_out.grant_consume(name="q", grantee=role)
    _template(stack).resource_count_is("AWS::IAM::Policy", 1)


def test_grant_consume_old_order_still_works_and_warns() -> None:
    with pytest.warns(DeprecationWarning, match=r"pass the grantee first") as record:
        old = _consumer_policies(old_order=True)
    assert len(record) == 1
    assert record[0].filename == __file__  # points at the caller, not the library
    assert "grant_consume(grantee, name)" in str(record[0].message)
    assert old == _consumer_policies()


def test_grant_consume_names_a_queue_in_either_order() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"a": QueueOptions()})
    user = iam.User(stack, "U")
    message = r"name must be one of the queues a, got 'b'"
    with pytest.raises(PatternValidationError, match=message):
        fan_out.grant_consume(user, "b")
    with pytest.warns(DeprecationWarning), pytest.raises(PatternValidationError, match=message):
        fan_out.grant_consume("b", user)


def _metric_facts(metric: cw.Metric) -> tuple[str, str, int, str]:
    return (metric.namespace, metric.metric_name, int(metric.period.to_seconds()), metric.statistic)


def test_metrics_of_the_topic_and_of_each_queue() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"q": QueueOptions()})
    topic = {"TopicName": fan_out.topic.topic_name}
    failed = fan_out.metric_number_of_notifications_failed()
    assert _metric_facts(failed) == ("AWS/SNS", "NumberOfNotificationsFailed", 300, "Sum")
    assert failed.dimensions == topic
    published = fan_out.metric("NumberOfMessagesPublished", period=Duration.minutes(1))
    assert _metric_facts(published) == ("AWS/SNS", "NumberOfMessagesPublished", 60, "Sum")
    assert published.dimensions == topic
    age = fan_out.metric_oldest_message_age("q")
    assert _metric_facts(age) == ("AWS/SQS", "ApproximateAgeOfOldestMessage", 300, "Maximum")
    assert age.dimensions == {"QueueName": fan_out.queues["q"].queue_name}
    depth = fan_out.metric_dlq_depth("q", statistic="Average")
    assert _metric_facts(depth) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible", 60, "Average")
    assert depth.dimensions == {"QueueName": fan_out.dead_letter_queues["q"].queue_name}
    undeliverable = fan_out.metric_undeliverable_depth()
    assert undeliverable.dimensions == {"QueueName": fan_out.undeliverable_queue.queue_name}
    assert _metric_facts(undeliverable)[1:] == ("ApproximateNumberOfMessagesVisible", 60, "Maximum")
    with pytest.raises(PatternValidationError, match=r"name must be one of the queues q, got 'x'"):
        fan_out.metric_dlq_depth("x")


def test_alarms_watch_the_public_metrics() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"q": QueueOptions()})
    t = _template(stack)
    for alarm, metric in (
        ("QDlqNotEmpty", fan_out.metric_dlq_depth("q")),
        ("QOldestMessageAge", fan_out.metric_oldest_message_age("q")),
        ("NotificationsFailed", fan_out.metric_number_of_notifications_failed()),
        ("UndeliverableDlqNotEmpty", fan_out.metric_undeliverable_depth()),
    ):
        t.has_resource_properties(
            "AWS::CloudWatch::Alarm",
            {
                "MetricName": metric.metric_name,
                "Namespace": metric.namespace,
                "Period": int(metric.period.to_seconds()),
                "Statistic": metric.statistic,
                "Dimensions": [
                    {"Name": name, "Value": stack.resolve(value)}
                    for name, value in (metric.dimensions or {}).items()
                ],
            },
        )
        assert alarm in fan_out.alarms


def test_other_endpoints_subscribe_with_the_undeliverable_dlq() -> None:
    stack = new_stack()
    fan_out = TopicFanOut(stack, "F", queues={"q": QueueOptions()})
    fn = lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(e, c): return None"),
    )
    fan_out.subscribe_lambda("worker", fn)
    fan_out.subscribe_https("partner", "https://example.com/hook")
    fan_out.subscribe_email("ops", "ops@example.com")
    fan_out.subscribe_sms("oncall", "+14155550100")
    subs = _template(stack).find_resources("AWS::SNS::Subscription")
    protocols = sorted(s["Properties"]["Protocol"] for s in subs.values())
    assert protocols == ["email", "https", "lambda", "sms", "sqs"]
    for sub in subs.values():
        assert "RedrivePolicy" in sub["Properties"]
    assert set(fan_out.subscriptions) == {"q", "worker", "partner", "ops", "oncall"}


# -- validation: every error path ------------------------------------------------------------

BAD_QUEUE_OPTIONS = [
    (
        QueueOptions(visibility_timeout=Duration.hours(13)),
        r"visibility_timeout must be between 0 s and 12 h, got 13 h",
    ),
    (
        QueueOptions(retention_period=Duration.seconds(59)),
        r"retention_period must be between 1 min and 14 days, got 59 s",
    ),
    (
        QueueOptions(retention_period=Duration.days(15)),
        r"retention_period must be between 1 min and 14 days, got 15 days",
    ),
    (QueueOptions(max_receive_count=0), r"max_receive_count must be between 1 and 1,000, got 0"),
    (
        QueueOptions(max_message_size_bytes=512),
        r"max_message_size_bytes must be between 1,024 bytes and 1,048,576 bytes, got 512 bytes",
    ),
    (
        QueueOptions(delivery_delay=Duration.minutes(16)),
        r"delivery_delay must be between 0 s and 15 min, got 16 min",
    ),
    (
        QueueOptions(receive_wait_time=Duration.seconds(21)),
        r"receive_wait_time must be between 0 s and 20 s, got 21 s",
    ),
    (
        QueueOptions(consumer_timeout=Duration.minutes(1), visibility_timeout=Duration.minutes(5)),
        r"visibility_timeout must be at least 6x consumer_timeout \(1 min\) = 6 min, got 5 min",
    ),
    (
        QueueOptions(age_alarm_threshold=Duration.days(5)),
        r"age_alarm_threshold must be between 1 min and 4 days, got 5 days",
    ),
    (
        QueueOptions(
            filter_policy={"a": sns.SubscriptionFilter.exists_filter()},
            filter_policy_with_message_body={
                "b": sns.FilterOrPolicy.filter(sns.SubscriptionFilter.exists_filter())
            },
        ),
        r"filter_policy cannot be combined with filter_policy_with_message_body",
    ),
    # SQS takes whole seconds; aws-cdk-lib would fail with "cannot be converted into a whole
    # number of seconds" (before the audit, a jsii error)
    (
        QueueOptions(visibility_timeout=Duration.millis(500)),
        r"visibility_timeout must be a whole number of seconds, got 0.5 s",
    ),
    (
        QueueOptions(retention_period=Duration.millis(90_500)),
        r"retention_period must be a whole number of seconds, got 90.5 s",
    ),
    (
        QueueOptions(delivery_delay=Duration.millis(1_500)),
        r"delivery_delay must be a whole number of seconds, got 1.5 s",
    ),
    (
        QueueOptions(receive_wait_time=Duration.millis(100)),
        r"receive_wait_time must be a whole number of seconds, got 0.1 s",
    ),
    (
        QueueOptions(age_alarm_threshold=Duration.millis(90_500)),
        r"age_alarm_threshold must be a whole number of seconds, got 90.5 s",
    ),
    # wrong types (before: AttributeError / TypeError from deep inside the construct or jsii)
    (
        QueueOptions(visibility_timeout=30, consumer_timeout=Duration.seconds(5)),  # type: ignore[arg-type]
        r"visibility_timeout must be an aws_cdk.Duration, got 30",
    ),
    (
        QueueOptions(consumer_timeout=30),  # type: ignore[arg-type]
        r"consumer_timeout must be an aws_cdk.Duration, got 30",
    ),
    (
        QueueOptions(age_alarm_threshold=60),  # type: ignore[arg-type]
        r"age_alarm_threshold must be an aws_cdk.Duration, got 60",
    ),
    (
        QueueOptions(raw_message_delivery="yes"),  # type: ignore[arg-type]
        r"raw_message_delivery must be True or False, got 'yes'",
    ),
    # SNS filter policy constraints (before: aws-cdk-lib's opaque FilterPolicyMaximum... errors)
    (
        QueueOptions(
            filter_policy={f"k{i}": sns.SubscriptionFilter.exists_filter() for i in range(6)}
        ),
        r"filter_policy must have at most 5 attribute names \(SNS\), got 6",
    ),
    (
        QueueOptions(
            filter_policy={
                key: sns.SubscriptionFilter.string_filter(allowlist=[str(i) for i in range(20)])
                for key in ("a", "b")
            }
        ),
        r"filter_policy must have at most 150 combinations of values .*got 400",
    ),
    (
        QueueOptions(filter_policy=["a"]),  # type: ignore[arg-type]
        r"filter_policy must be a mapping of attribute name to sns.SubscriptionFilter, got list",
    ),
    (
        QueueOptions(filter_policy={"a": "b"}),  # type: ignore[dict-item]
        r"filter_policy values must be sns.SubscriptionFilter",
    ),
    (
        QueueOptions(filter_policy_with_message_body=["a"]),  # type: ignore[arg-type]
        r"filter_policy_with_message_body must be a mapping of attribute name to "
        r"sns.FilterOrPolicy, got list",
    ),
]


@pytest.mark.parametrize(("options", "message"), BAD_QUEUE_OPTIONS)
def test_invalid_queue_option(options: QueueOptions, message: str) -> None:
    with pytest.raises(PatternValidationError, match=r'queues\["orders"\]\.' + message):
        TopicFanOut(new_stack(), "F", queues={"orders": options})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"queues": {}}, r"queues must name at least one queue, got none"),
        ({"queues": {"1bad": QueueOptions()}}, r"queues name must be 1-40 letters.*got '1bad'"),
        (
            {"queues": {"a-b": QueueOptions(), "a_b": QueueOptions()}},
            r"queues names 'a-b' and 'a_b' map to the same id AB",
        ),
        (
            {"queues": {"q": {"visibility_timeout": 5}}},
            r'queues\["q"\] must be a QueueOptions, got dict',
        ),
        (
            {"queues": {"q": QueueOptions()}, "content_based_deduplication": True},
            r"content_based_deduplication applies only to FIFO fan-outs",
        ),
        (
            {"queues": {"q": QueueOptions()}, "high_throughput_fifo": True},
            r"high_throughput_fifo applies only to FIFO fan-outs",
        ),
        (
            {"queues": {"q": QueueOptions()}, "fifo": True, "topic_name": "orders"},
            r"topic_name must end in .fifo for a FIFO topic",
        ),
        ({"queues": {"q": QueueOptions()}, "topic_name": "bad name"}, r"topic_name must use 1-256"),
        (
            {"queues": {"q": QueueOptions()}, "shared_key": True, "encryption_key": "KEY"},
            r"shared_key has no effect",
        ),
        # wrong types (before: AttributeError, TypeError or an opaque jsii error)
        ({"queues": ["q"]}, r"queues must be a mapping of queue name to QueueOptions, got list"),
        ({"queues": {"q": QueueOptions()}, "fifo": "false"}, r"fifo must be True or False"),
        (
            {"queues": {"q": QueueOptions()}, "content_based_deduplication": 1},
            r"content_based_deduplication must be True or False, got 1",
        ),
        (
            {"queues": {"q": QueueOptions()}, "high_throughput_fifo": "no"},
            r"high_throughput_fifo must be True or False",
        ),
        ({"queues": {"q": QueueOptions()}, "shared_key": "y"}, r"shared_key must be True or False"),
        (
            {"queues": {"q": QueueOptions()}, "large_payloads": "y"},
            r"large_payloads must be True or False",
        ),
        (
            {"queues": {"q": QueueOptions()}, "topic_name": 5},
            r"topic_name must be a string, got int",
        ),
        (
            {"queues": {"q": QueueOptions()}, "display_name": "x" * 101},
            r"display_name must be at most 100 characters, got 101",
        ),
        (
            {"queues": {"q": QueueOptions()}, "removal_policy": "DESTROY"},
            r"removal_policy must be a RemovalPolicy, got str 'DESTROY'",
        ),
        (
            {"queues": {"q": QueueOptions()}, "encryption_key": "alias/orders"},
            r"encryption_key must be a kms.IKey, got str",
        ),
        (
            {"queues": {"q": QueueOptions()}, "alarm_topic": "arn:aws:sns:eu-west-1:1:ops"},
            r"alarm_topic must be an sns.ITopic, got str",
        ),
        (
            {"queues": {"q": QueueOptions()}, "dashboard": "Ops"},
            r"dashboard must be a cloudwatch.Dashboard, got str",
        ),
    ],
)
def test_invalid_props(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    if kwargs.get("encryption_key") == "KEY":
        kwargs["encryption_key"] = kms.Key(stack, "K", enable_key_rotation=True)
    with pytest.raises(PatternValidationError, match=message):
        TopicFanOut(stack, "F", **kwargs)


def test_all_problems_reported_at_once_with_construct_path() -> None:
    with pytest.raises(PatternValidationError) as info:
        TopicFanOut(
            new_stack("Shop"),
            "Orders",
            queues={
                "a": QueueOptions(visibility_timeout=Duration.hours(13), max_receive_count=0),
                "b": QueueOptions(retention_period=Duration.days(30)),
            },
            content_based_deduplication=True,
        )
    error = info.value
    assert error.construct_path == "Shop/Orders"
    assert len(error.problems) == 4
    assert str(error).startswith("Shop/Orders: 4 invalid prop problems:")


def test_unresolved_tokens_are_not_validated() -> None:
    stack = new_stack()
    count = cdk.CfnParameter(stack, "Count", type="Number").value_as_number
    receives = cast(int, count)  # a number token (a float), as a user's parameter gives it
    TopicFanOut(stack, "F", queues={"q": QueueOptions(max_receive_count=receives)})


@pytest.mark.parametrize(
    ("method", "value", "message"),
    [
        ("subscribe_https", "http://example.com", r"url of subscriber 'x' must be an https:// URL"),
        ("subscribe_email", "not-an-email", r"address of subscriber 'x' must be an email"),
        ("subscribe_sms", "555-0100", r"phone_number of subscriber 'x' must be an E.164 number"),
        ("subscribe_sms", 14155550100, r"phone_number of subscriber 'x' must be an E.164 number"),
        ("subscribe_https", None, r"url of subscriber 'x' must be an https:// URL, got None"),
    ],
)
def test_invalid_endpoints(method: str, value: str, message: str) -> None:
    fan_out = TopicFanOut(new_stack(), "F", queues={"q": QueueOptions()})
    with pytest.raises(PatternValidationError, match=message):
        getattr(fan_out, method)("x", value)


def test_fifo_topic_rejects_non_queue_subscribers() -> None:
    fan_out = TopicFanOut(new_stack(), "F", queues={"q": QueueOptions()}, fifo=True)
    with pytest.raises(PatternValidationError, match=r"a FIFO topic delivers only to SQS queues"):
        fan_out.subscribe_email("ops", "ops@example.com")


def test_subscriber_name_must_be_unique() -> None:
    fan_out = TopicFanOut(new_stack(), "F", queues={"q": QueueOptions()})
    with pytest.raises(PatternValidationError, match=r"name is already subscribed, got 'q'"):
        fan_out.subscribe_email("q", "ops@example.com")


def test_capacity_summary_is_recorded_for_the_review() -> None:
    stack = new_stack()
    TopicFanOut(stack, "Std", queues={"a": QueueOptions(), "b": QueueOptions()})
    TopicFanOut(stack, "Fifo", queues={"a": QueueOptions()}, fifo=True)
    summaries = {
        c.node.id: [m.data for m in c.node.metadata if m.type == "scalable-patterns:capacity"]
        for c in stack.node.children
    }
    assert summaries["Std"] == ["2 queues, standard (no throughput limit)"]
    assert summaries["Fifo"] == ["1 FIFO queue, 300 API calls/s per queue (3,000 msg/s batched)"]


def test_wrong_types_are_reported_with_the_other_problems() -> None:
    with pytest.raises(PatternValidationError) as info:
        TopicFanOut(
            new_stack(),
            "F",
            queues={
                "q": QueueOptions(
                    visibility_timeout=30,  # type: ignore[arg-type]
                    consumer_timeout=Duration.seconds(10),
                    delivery_delay=Duration.millis(1_500),
                )
            },
            fifo="false",  # type: ignore[arg-type]
            display_name="x" * 101,
        )
    assert len(info.value.problems) == 4
