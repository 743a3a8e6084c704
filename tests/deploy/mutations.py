"""Template mutations: each breaks one permission or one behaviour in a *synthesized* template
(so the list survives refactors of the constructs), and names the deploy tier's data-path
check that must then fail. ``test_template_mutations_deploy.py`` applies them.

A mutation finds its target by logical-id fragment and type and fails loudly
(:class:`TargetMissing`) when the template no longer has it, so a refactor that renames a
construct shows up here instead of silently testing nothing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.server import Assembly, DeployedStack, Emulator
from tests.deploy import (
    test_alarm_notifications_deploy as alarms,
)
from tests.deploy import (
    test_batch_deploy as batch,
)
from tests.deploy import (
    test_data_tier_deploy as data_tier,
)
from tests.deploy import (
    test_event_function_deploy as events,
)
from tests.deploy import (
    test_fan_out_deploy as fan_out,
)
from tests.deploy import (
    test_large_payload_deploy as large_payload,
)
from tests.deploy import (
    test_stream_ingest_deploy as stream_ingest,
)
from tests.deploy import (
    test_workflow_deploy as workflow,
)

Template = dict[str, Any]
Check = Callable[[Emulator, DeployedStack, Assembly], None]


class TargetMissing(Exception):
    """The template lacks what a mutation changes: update the mutation list."""


@dataclass(frozen=True)
class Mutation:
    name: str
    stack: str
    #: what the mutation takes away
    breaks: str
    mutate: Callable[[Template], None]
    check: Check
    #: the check's name, for the report
    check_name: str
    #: applied before the mutation *and* deployed alone first, where the unmutated template
    #: cannot pass the check (a template bug): it must pass with the base change
    base: Callable[[Template], None] | None = None

    def apply(self, template: Template) -> Template:
        mutated = copy.deepcopy(template)
        if self.base:
            self.base(mutated)
        self.mutate(mutated)
        return mutated


# -- finding things in a template -----------------------------------------------------------------
def _one(template: Template, type_name: str, fragment: str) -> tuple[str, dict[str, Any]]:
    found = [
        (lid, r)
        for lid, r in template["Resources"].items()
        if r["Type"] == type_name and fragment in lid
    ]
    if len(found) != 1:
        raise TargetMissing(f"{len(found)} {type_name} resources with {fragment!r} in their id")
    return found[0]


def _refers(value: Any, logical_id: str) -> bool:
    return f'"{logical_id}"' in json.dumps(value)


def _policies_attached_to(template: Template, role_fragment: str) -> list[list[dict[str, Any]]]:
    """The statement lists of every AWS::IAM::Policy attached to the role."""
    role, _ = _one(template, "AWS::IAM::Role", role_fragment)
    return [
        r["Properties"]["PolicyDocument"]["Statement"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and _refers(r["Properties"].get("Roles"), role)
    ]


def _policy_attached_to(template: Template, role_fragment: str) -> list[dict[str, Any]]:
    """All statements of the role's policies (a new list: read, do not change it)."""
    return [s for statements in _policies_attached_to(template, role_fragment) for s in statements]


def _resource_policy(template: Template, type_name: str, key: str, target: str) -> list[Any]:
    (policy,) = [
        r
        for r in template["Resources"].values()
        if r["Type"] == type_name and _refers(r["Properties"][key], target)
    ]
    statements: list[Any] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _key_policy(template: Template, resource: dict[str, Any], key_property: str) -> list[Any]:
    key_id = resource["Properties"][key_property]["Fn::GetAtt"][0]
    statements: list[Any] = template["Resources"][key_id]["Properties"]["KeyPolicy"]["Statement"]
    return statements


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement.get("Action", [])
    return [actions] if isinstance(actions, str) else list(actions)


def _drop(statements: list[Any], keep: Callable[[dict[str, Any]], bool], what: str) -> None:
    before = len(statements)
    statements[:] = [s for s in statements if keep(s)]
    if len(statements) == before:
        raise TargetMissing(f"no statement {what}")


def _for_service(service: str) -> Callable[[dict[str, Any]], bool]:
    def keep(statement: dict[str, Any]) -> bool:
        principal = statement.get("Principal")
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        return service not in ([services] if isinstance(services, str) else services)

    return keep


def _without_action(prefix: str) -> Callable[[dict[str, Any]], bool]:
    return lambda s: not any(a.startswith(prefix) for a in _actions(s))


def _without_sid(sid: str) -> Callable[[dict[str, Any]], bool]:
    return lambda s: s.get("Sid") != sid


# -- the mutations, by stack -------------------------------------------------------------------------
def _billing_queue(t: Template) -> tuple[str, dict[str, Any]]:
    return _one(t, "AWS::SQS::Queue", "BillingQueue")


def _queue_policy_without_sns(t: Template) -> None:
    queue, _ = _billing_queue(t)
    statements = _resource_policy(t, "AWS::SQS::QueuePolicy", "Queues", queue)
    _drop(statements, _for_service("sns.amazonaws.com"), "admitting SNS")


def _queue_key_without_sns(t: Template) -> None:
    _, queue = _billing_queue(t)
    statements = _key_policy(t, queue, "KmsMasterKeyId")
    _drop(statements, _for_service("sns.amazonaws.com"), "for SNS")


def _subscription_of(t: Template, queue_fragment: str) -> dict[str, Any]:
    queue, _ = _one(t, "AWS::SQS::Queue", queue_fragment)
    (subscription,) = [
        r
        for r in t["Resources"].values()
        if r["Type"] == "AWS::SNS::Subscription" and _refers(r["Properties"]["Endpoint"], queue)
    ]
    return subscription


def _drop_property(resource: dict[str, Any], name: str) -> None:
    if resource["Properties"].pop(name, None) is None:
        raise TargetMissing(f"no {name}")


def _filter_dropped(t: Template) -> None:
    _drop_property(_subscription_of(t, "BillingQueue"), "FilterPolicy")


def _redrive_dropped(t: Template) -> None:
    _drop_property(_billing_queue(t)[1], "RedrivePolicy")


def _raw_delivery_flipped(t: Template) -> None:
    properties = _subscription_of(t, "AuditQueue")["Properties"]
    if properties.get("RawMessageDelivery") is not True:
        raise TargetMissing("the audit subscription is not raw")
    properties["RawMessageDelivery"] = False


def _role_without(
    role: str, keep: Callable[[dict[str, Any]], bool], what: str
) -> Callable[[Template], None]:
    """Drop the matching statements from every policy attached to the role."""

    def mutate(t: Template) -> None:
        dropped = 0
        for statements in _policies_attached_to(t, role):
            before = len(statements)
            statements[:] = [s for s in statements if keep(s)]
            dropped += before - len(statements)
        if not dropped:
            raise TargetMissing(f"no statement {what} in the policies of {role}")

    return mutate


def _rotation_without_table_grant(t: Template) -> None:
    """The rotation role loses its grant on its tables, and the stack its deploy-time rotation
    (which would fail the deployment itself: ``test_data_tier_deploy`` proves that), so the
    scheduled run is the one that must fail."""
    _role_without("MetricsRotationRole", _without_sid("RotateOwnTables"), "RotateOwnTables")(t)
    (deploy_rotation, _) = _one(t, "Custom::TimeSeriesTables", "MetricsDeployRotation")
    del t["Resources"][deploy_rotation]
    for resource in t["Resources"].values():
        depends = resource.get("DependsOn")
        if isinstance(depends, list) and deploy_rotation in depends:
            depends.remove(deploy_rotation)
            if not depends:
                del resource["DependsOn"]


def _permission_for_other_rule(t: Template) -> None:
    _, permission = _one(t, "AWS::Lambda::Permission", "OrderPlacedRule")
    other, _ = _one(t, "AWS::Events::Rule", "NightlyRule")
    permission["Properties"]["SourceArn"] = {"Fn::GetAtt": [other, "Arn"]}


def _destination_dropped(t: Template) -> None:
    _drop_property(_one(t, "AWS::Lambda::EventInvokeConfig", "OrderPlaced")[1], "DestinationConfig")


def _rule_dlq_without_events(t: Template) -> None:
    queue, _ = _one(t, "AWS::SQS::Queue", "OrderPlacedRuleDlq")
    statements = _resource_policy(t, "AWS::SQS::QueuePolicy", "Queues", queue)
    _drop(statements, _for_service("events.amazonaws.com"), "admitting EventBridge")


def _rule_dlq_key_without_events(t: Template) -> None:
    _, queue = _one(t, "AWS::SQS::Queue", "OrderPlacedRuleDlq")
    _drop(
        _key_policy(t, queue, "KmsMasterKeyId"),
        _for_service("events.amazonaws.com"),
        "for EventBridge",
    )


def _partial_batch_off(t: Template) -> None:
    _drop_property(
        _one(t, "AWS::Lambda::EventSourceMapping", "FulfilmentConsumer")[1], "FunctionResponseTypes"
    )


def _indexer_cannot_decrypt_payloads(t: Template) -> None:
    bucket, _ = _one(t, "AWS::S3::Bucket", "PayloadsBucketACB")
    key = t["Resources"][bucket]["Properties"]["BucketEncryption"][
        "ServerSideEncryptionConfiguration"
    ][0]["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0]
    for statement in _policy_attached_to(t, "IndexerRole"):
        if _actions(statement) == ["kms:Decrypt"] and _refers(statement["Resource"], key):
            statement["Resource"] = [r for r in statement["Resource"] if not _refers(r, key)]
            return
    raise TargetMissing("the indexer's kms:Decrypt of the payload key")


def _scheduler_not_trusted(t: Template) -> None:
    _, role = _one(t, "AWS::IAM::Role", "ScheduleRole")
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    statement["Principal"] = {"Service": "events.amazonaws.com"}


def _topic_policy_without_events(t: Template) -> None:
    topic, _ = _one(t, "AWS::SNS::Topic", "AlarmTopic")
    statements = _resource_policy(t, "AWS::SNS::TopicPolicy", "Topics", topic)
    _drop(statements, _for_service("events.amazonaws.com"), "admitting EventBridge")


def _topic_key_without(service: str) -> Callable[[Template], None]:
    def mutate(t: Template) -> None:
        _, topic = _one(t, "AWS::SNS::Topic", "AlarmTopic")
        _drop(_key_policy(t, topic, "KmsMasterKeyId"), _for_service(service), f"for {service}")

    return mutate


def _alarm_topic_admits_cloudwatch(t: Template) -> None:
    """The fix the alarm-topic bug needs (see test_alarm_notifications_deploy)."""
    topic, _ = _one(t, "AWS::SNS::Topic", "AlarmTopic")
    _resource_policy(t, "AWS::SNS::TopicPolicy", "Topics", topic).append(
        {
            "Sid": "AllowCloudWatchAlarms",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": {"Ref": topic},
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        }
    )


# -- the checks (the deploy tests' own) --------------------------------------------------------------
def _every_queue_once(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    fan_out.test_a_message_reaches_every_queue_exactly_once(s, e)


def _filter(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    fan_out.test_the_filter_policy_keeps_other_events_out_of_billing(s, e)


def _redrive(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    fan_out.test_a_poisoned_message_ends_in_the_dlq_after_max_receive_count(s, e)


def _raw(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    fan_out.test_raw_delivery_and_envelope_as_configured(s, e)


def _records_arrive(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    stream_ingest.test_records_put_on_the_stream_arrive_under_the_prefix(s, e)


def _event_reaches_function(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    logs = events._log_group(a, s, s.outputs["OrderPlacedFunctionName"])
    events.test_an_order_placed_event_reaches_the_function(s, e, logs)


def _failure_in_destination(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    logs = events._log_group(a, s, s.outputs["OrderPlacedFunctionName"])
    events.test_a_failing_event_ends_in_the_on_failure_destination(s, e, logs)


def _rule_dlq(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    events.check_an_undeliverable_event_ends_in_the_rule_dlq(e, s)


def _partial_batch(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    events.test_the_consumer_processes_a_batch_and_only_the_bad_message_is_retried_then_dead(s, e)


def _rotation_runs(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    response = e.client("lambda").invoke(
        FunctionName=s.outputs["RotationFunctionName"], Payload=b"{}"
    )
    assert "FunctionError" not in response, response["Payload"].read()


def _order_fulfilled(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    workflow.test_an_order_is_fulfilled_and_recorded(s, e)


def _large_body(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    large_payload.check_a_large_body_reaches_each_consumer_as_its_role(e, s)


def _order_service(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    data_tier.check_the_order_service_writes_reads_and_queries(e, s)


def _schedule(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    batch.check_the_schedule_may_submit_its_job(e, s)


def _failed_job(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    batch.check_a_failed_job_is_announced(e, s)


def _alarm(e: Emulator, s: DeployedStack, a: Assembly) -> None:
    alarms.check_an_alarm_notifies_its_topic(e, s)


def _m(
    name: str, stack: str, breaks: str, mutate: Callable[[Template], None], check: Check, **kw: Any
) -> Mutation:
    return Mutation(name, stack, breaks, mutate, check, check.__name__.lstrip("_"), **kw)


FAN_OUT, STREAM, EVENTS, CONSUMER = (
    "FanOutExample",
    "StreamIngestExample",
    "EventFunctionExample",
    "QueueConsumerExample",
)

#: Every mutation the deploy tier must catch.
MUTATIONS: list[Mutation] = [
    # SNS -> SQS
    _m(
        "queue-policy-admits-no-sns",
        FAN_OUT,
        "the billing queue's policy no longer admits SNS for the topic",
        _queue_policy_without_sns,
        _every_queue_once,
    ),
    _m(
        "queue-key-admits-no-sns",
        FAN_OUT,
        "the billing queue's key policy no longer lets SNS use the key",
        _queue_key_without_sns,
        _every_queue_once,
    ),
    _m(
        "filter-policy-dropped",
        FAN_OUT,
        "the billing subscription's filter policy",
        _filter_dropped,
        _filter,
    ),
    _m(
        "redrive-dropped",
        FAN_OUT,
        "the billing queue's redrive policy (DLQ)",
        _redrive_dropped,
        _redrive,
    ),
    _m(
        "raw-delivery-flipped",
        FAN_OUT,
        "raw delivery of the audit subscription (now enveloped)",
        _raw_delivery_flipped,
        _raw,
    ),
    # Firehose: Kinesis -> S3
    _m(
        "firehose-cannot-read-stream",
        STREAM,
        "the Firehose source role's kinesis:* on the stream",
        _role_without("DeliveryServiceRole", _without_action("kinesis:"), "kinesis"),
        _records_arrive,
    ),
    _m(
        "firehose-cannot-decrypt-stream",
        STREAM,
        "the Firehose source role's kms:Decrypt of the stream's key",
        _role_without("DeliveryServiceRole", _without_action("kms:"), "kms"),
        _records_arrive,
    ),
    _m(
        "firehose-cannot-write-bucket",
        STREAM,
        "the Firehose destination role's s3:PutObject on the bucket",
        _role_without("DestinationRole", _without_action("s3:"), "s3"),
        _records_arrive,
    ),
    _m(
        "firehose-cannot-use-bucket-key",
        STREAM,
        "the Firehose destination role's use of the bucket's key (S3 -> SSE-KMS)",
        _role_without("DestinationRole", _without_action("kms:"), "kms"),
        _records_arrive,
    ),
    # EventBridge -> Lambda, Lambda destinations, EventBridge -> SQS
    _m(
        "lambda-permission-for-other-rule",
        EVENTS,
        "the Lambda permission letting EventBridge invoke the function for its rule",
        _permission_for_other_rule,
        _event_reaches_function,
    ),
    _m(
        "function-role-cannot-log",
        EVENTS,
        "the function role's logs:CreateLogStream/PutLogEvents on its log group",
        _role_without("OrderPlacedRole", _without_action("logs:"), "logs"),
        _event_reaches_function,
    ),
    _m(
        "on-failure-destination-dropped",
        EVENTS,
        "the function's on-failure destination",
        _destination_dropped,
        _failure_in_destination,
    ),
    _m(
        "function-role-cannot-send-to-destination",
        EVENTS,
        "the function role's sqs:SendMessage on its destination queue",
        _role_without(
            "OrderPlacedRole", _without_sid("SendFailedInvocations"), "SendFailedInvocations"
        ),
        _failure_in_destination,
    ),
    _m(
        "function-role-cannot-use-destination-key",
        EVENTS,
        "the function role's kms:GenerateDataKey/Decrypt of the destination queue's key",
        _role_without(
            "OrderPlacedRole", _without_sid("EncryptFailedInvocations"), "EncryptFailedInvocations"
        ),
        _failure_in_destination,
    ),
    _m(
        "rule-dlq-admits-no-events",
        EVENTS,
        "the rule DLQ's policy admitting EventBridge for the rule",
        _rule_dlq_without_events,
        _rule_dlq,
    ),
    _m(
        "rule-dlq-key-admits-no-events",
        EVENTS,
        "the rule DLQ's key policy letting EventBridge use the key",
        _rule_dlq_key_without_events,
        _rule_dlq,
    ),
    # Lambda's SQS poller
    _m(
        "partial-batch-responses-off",
        CONSUMER,
        "ReportBatchItemFailures of the event source mapping",
        _partial_batch_off,
        _partial_batch,
    ),
    _m(
        "consumer-cannot-receive",
        CONSUMER,
        "the consumer role's sqs:ReceiveMessage/DeleteMessage... on its queue",
        _role_without("FulfilmentConsumerRole", _without_action("sqs:"), "sqs"),
        _partial_batch,
    ),
    _m(
        "consumer-cannot-decrypt-queue",
        CONSUMER,
        "the consumer role's kms:Decrypt of its queue's key",
        _role_without("FulfilmentConsumerRole", _without_action("kms:"), "kms"),
        _partial_batch,
    ),
    # our code as its role: the rotation function, the workflow's tasks, clients, the order service
    _m(
        "rotation-loses-table-grant",
        "TimeSeriesTablesExample",
        "the rotation function role's grant on its tables",
        _rotation_without_table_grant,
        _rotation_runs,
    ),
    _m(
        "state-machine-cannot-invoke",
        "WorkflowExample",
        "the state machine role's lambda:InvokeFunction of the step function",
        _role_without("OrderFulfilmentRole", _without_action("lambda:"), "lambda"),
        _order_fulfilled,
    ),
    _m(
        "state-machine-loses-table-grant",
        "WorkflowExample",
        "the state machine role's dynamodb:PutItem on the orders table",
        _role_without("OrderFulfilmentRole", _without_action("dynamodb:"), "dynamodb"),
        _order_fulfilled,
    ),
    _m(
        "producer-cannot-write-payloads",
        "LargePayloadExample",
        "the producer role's s3:PutObject on the payload bucket",
        _role_without("ProducerRole", _without_action("s3:"), "s3"),
        _large_body,
    ),
    _m(
        "indexer-cannot-decrypt-payloads",
        "LargePayloadExample",
        "the indexer role's kms:Decrypt of the payload bucket's key",
        _indexer_cannot_decrypt_payloads,
        _large_body,
    ),
    _m(
        "order-service-loses-table-grant",
        "ProvisionedTableExample",
        "the order service role's grant on the table",
        _role_without("OrderServiceRole", _without_action("dynamodb:"), "dynamodb"),
        _order_service,
    ),
    # Scheduler -> Batch, EventBridge -> SNS
    _m(
        "schedule-role-cannot-submit",
        "BatchJobsExample",
        "the schedule role's batch:SubmitJob",
        _role_without("ScheduleRole", _without_action("batch:"), "batch"),
        _schedule,
    ),
    _m(
        "scheduler-not-trusted",
        "BatchJobsExample",
        "scheduler.amazonaws.com in the schedule role's trust policy",
        _scheduler_not_trusted,
        _schedule,
    ),
    _m(
        "topic-admits-no-events",
        "BatchJobsExample",
        "the alarm topic's policy admitting EventBridge",
        _topic_policy_without_events,
        _failed_job,
    ),
    _m(
        "topic-key-admits-no-events",
        "BatchJobsExample",
        "the alarm topic's key policy letting EventBridge use the key",
        _topic_key_without("events.amazonaws.com"),
        _failed_job,
    ),
    # CloudWatch -> encrypted SNS (on the topic policy fixed: see the alarm notification test)
    _m(
        "alarm-topic-key-admits-no-cloudwatch",
        FAN_OUT,
        "the alarm topic's key policy letting CloudWatch use the key",
        _topic_key_without("cloudwatch.amazonaws.com"),
        _alarm,
        base=_alarm_topic_admits_cloudwatch,
    ),
]
