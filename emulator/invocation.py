"""Lambda invocation semantics moto lacks: asynchronous invocations with Lambda's retries,
on-success / on-failure destinations and dead-letter target (:func:`invoke_async`), EventBridge
rules' deliveries to Lambda, SQS and SNS targets (:func:`deliver_to_targets`), and Lambda's SQS
poller with batches and partial batch responses (one round per :func:`poll_queues` call).

Each is authorized as in AWS: Lambda sends to destinations and polls queues with the
function's execution role; EventBridge invokes a function only if its resource-based policy
(the ``AWS::Lambda::Permission``) admits ``events.amazonaws.com`` for the rule, and sends to a
queue or topic only if that queue's or topic's policy and its key's policy admit the rule."""

from __future__ import annotations

import contextlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from emulator.authorization import AUTHORIZER, AccessDenied, Session
from emulator.base import Props, emulator_client, is_true, session_client
from emulator.policy import Decision

#: Lambda's retries of a failed asynchronous invocation when no EventInvokeConfig says otherwise.
DEFAULT_ASYNC_RETRIES = 2


def _send_to_target(
    arn: str, body: str, attributes: dict[str, str], endpoint: str, session: Session | None
) -> None:
    """Deliver a record to a destination / dead-letter target: an SQS queue or an SNS topic,
    with a role session's credentials (authorized by the emulator) or, for a delivery a
    service principal makes and :func:`authorize_delivery` authorized, the emulator's own."""
    _, _, service, region, account, name = arn.split(":", 5)

    def client(name: str) -> Any:
        if session is None:
            return emulator_client(endpoint, region, name)
        return session_client(endpoint, region, name, session.credentials())

    if service == "sqs":
        sqs = client("sqs")
        url = f"{endpoint}/{account}/{name}"  # the delivering service knows the queue
        sqs.send_message(
            QueueUrl=url,
            MessageBody=body,
            MessageAttributes={
                k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()
            },
        )
    elif service == "sns":
        client("sns").publish(
            TopicArn=arn,
            Message=body,
            MessageAttributes={
                k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()
            },
        )
    else:
        raise NotImplementedError(f"delivery to {arn} is not emulated (SQS and SNS are)")


def invoke_async(function: Any, event: Any, endpoint: str) -> dict[str, Any]:
    """An asynchronous invocation as Lambda makes it: the function runs, and is retried up to
    ``MaximumRetryAttempts`` times (EventInvokeConfig, default 2) if it fails; the outcome goes
    to the ``OnSuccess`` / ``OnFailure`` destination as an invocation record, and an event that
    still failed also to the function's ``DeadLetterConfig`` target. Returns the record.

    Unlike Lambda, the emulator runs it before answering the call that caused it (``Invoke``
    with ``InvocationType=Event``, ``PutEvents``) and retries at once, without backoff, so
    tests need not wait; ``MaximumEventAgeInSeconds`` is not applied."""
    configs = function.event_invoke_config
    config: Props = configs[0].config if configs else {}
    retries = int(config.get("MaximumRetryAttempts", DEFAULT_ASYNC_RETRIES))
    request_id = secrets.token_hex(16)
    attempts = 0
    while True:
        attempts += 1
        payload, errored, _ = function._invoke_lambda(event)
        if not errored or attempts > retries:
            break
    try:
        response: Any = json.loads(payload)
    except json.JSONDecodeError:
        response = payload
    record: Props = {
        "version": "1.0",
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "requestContext": {
            "requestId": request_id,
            "functionArn": f"{function.function_arn}:$LATEST",
            "condition": "RetriesExhausted" if errored else "Success",
            "approximateInvokeCount": attempts,
        },
        "requestPayload": event,
        "responseContext": {
            "statusCode": 200,
            "executedVersion": "$LATEST",
            **({"functionError": "Unhandled"} if errored else {}),
        },
        "responsePayload": response,
    }
    destinations = config.get("DestinationConfig") or {}
    destination = (destinations.get("OnFailure" if errored else "OnSuccess") or {}).get(
        "Destination"
    )
    # Lambda sends to destinations and the dead-letter target with the execution role
    session = AUTHORIZER.session_of(function.role, "lambda.amazonaws.com")
    with contextlib.suppress(ClientError):  # denied (recorded): the record is lost, as in AWS
        if destination:
            _send_to_target(destination, json.dumps(record), {}, endpoint, session)
    dead_letter_target = getattr(function, "dead_letter_target", None)
    if errored and dead_letter_target:
        message = response.get("errorMessage", "") if isinstance(response, dict) else ""
        with contextlib.suppress(ClientError):
            _send_to_target(
                dead_letter_target,
                json.dumps(event),
                {"RequestID": request_id, "ErrorCode": "200", "ErrorMessage": str(message)[:1024]},
                endpoint,
                session,
            )
    return record


def _target_input(target: Props, event: Props) -> Any:
    """What an EventBridge target receives: the event, ``Input``, or the transformed event."""
    from moto.events.utils import EventTemplateParser

    if target.get("Input"):
        return json.loads(target["Input"])
    if target.get("InputPath"):
        raise NotImplementedError("InputPath of an EventBridge target is not emulated")
    if target.get("InputTransformer"):
        transformer = target["InputTransformer"]
        return EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=cast(Any, event),
        )
    return event


def authorize_delivery(
    service: str, target_arn: str, source_arn: str, *, action: str | None = None
) -> None:
    """Authorize a delivery by a service principal to an SQS queue, SNS topic or Lambda
    function: the target's resource-based policy and the policy of the key that encrypts it.
    Raises :class:`~emulator.authorization.AccessDenied`."""
    target_service, region = target_arn.split(":")[2:4]
    actions = {"sqs": "sqs:SendMessage", "sns": "sns:Publish", "lambda": "lambda:InvokeFunction"}
    via = f"{target_service}.{region}.amazonaws.com"
    AUTHORIZER.authorize_service(
        service,
        action or actions[target_service],
        target_arn,
        source_arn=source_arn,
        kms=AUTHORIZER.kms_uses(target_arn, via, "kms:GenerateDataKey", "kms:Decrypt"),
    )


def deliver_to_targets(rule: Any, event: Props, endpoint: str) -> list[Props]:
    """EventBridge's delivery to a rule's Lambda, SQS and SNS targets (moto has no Lambda or
    SNS target, and never authorizes): each matching, enabled rule delivers the (transformed)
    event to every such target whose policies admit ``events.amazonaws.com`` for the rule, and
    invokes functions asynchronously (:func:`invoke_async`). An event EventBridge cannot
    deliver (denied, or the function is gone) goes to the target's dead-letter queue, with
    EventBridge's error attributes - if the queue's policies admit the rule; else it is lost.
    Returns the targets it did not handle (moto's own: log groups, buses, archives)."""
    from moto.awslambda.utils import get_backend

    if rule.state != "ENABLED" or not rule.event_pattern.matches_event(event):
        return []
    if isinstance(event.get("time"), int | float):  # moto's epoch seconds; EventBridge: ISO 8601
        stamp = datetime.fromtimestamp(event["time"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        event = {**event, "time": stamp}
    others: list[Props] = []
    for target in rule.targets:
        arn = target["Arn"]
        service = arn.split(":")[2]
        if service not in ("lambda", "sqs", "sns"):
            others.append(target)
            continue
        try:
            authorize_delivery("events.amazonaws.com", arn, rule.arn)
            body = _target_input(target, event)
            if service == "lambda":
                _, _, _, region, account, _ = arn.split(":", 5)
                function = get_backend(account, region).get_function(arn)
                invoke_async(function, body, endpoint)
            else:
                text = body if isinstance(body, str) else json.dumps(body)
                _send_to_target(arn, text, {}, endpoint, None)
        except Exception as exc:  # denied, or no such function: to the target's DLQ
            _to_rule_dead_letter_queue(rule, target, event, exc, endpoint)
    return others


def _to_rule_dead_letter_queue(
    rule: Any, target: Props, event: Props, error: Exception, endpoint: str
) -> None:
    dead_letter = (target.get("DeadLetterConfig") or {}).get("Arn")
    if not dead_letter:
        if isinstance(error, AccessDenied):
            return  # lost, as in EventBridge (the denial is recorded)
        raise error
    code = "NO_PERMISSIONS" if isinstance(error, AccessDenied) else "ResourceNotFoundException"
    try:
        authorize_delivery("events.amazonaws.com", dead_letter, rule.arn)
    except AccessDenied:
        return  # the DLQ does not admit the rule either: lost (recorded)
    _send_to_target(
        dead_letter,
        json.dumps(event),
        {
            "ERROR_CODE": code,
            "ERROR_MESSAGE": str(error)[:1024],
            "RULE_ARN": rule.arn,
            "TARGET_ARN": target["Arn"],
        },
        endpoint,
        None,
    )


@dataclass(frozen=True)
class SqsBatch:
    """One invocation of a function by its SQS event source mapping."""

    function_arn: str
    queue_arn: str
    #: ids of the messages in the batch, in the order received
    message_ids: list[str]
    #: ids Lambda returned to the queue (all of them after a function error)
    returned: list[str]
    function_error: bool


class _SqsPoller:
    """Lambda's SQS poller, in place of moto's (which invokes the function once per message,
    on every send, ignores ``ReportBatchItemFailures`` and returns a whole batch on any error).

    SQS event source mappings are taken out of moto's queue (so moto never triggers them) and
    polled by :meth:`poll`, one round each time it is called: each enabled mapping receives up
    to its batch size of visible messages, invokes its function once with them, deletes the
    messages that succeeded and returns the others to the queue - all of them after a
    function error, or the ``batchItemFailures`` the function reported when the mapping has
    ``FunctionResponseTypes: [ReportBatchItemFailures]`` (a malformed report fails the whole
    batch, as in Lambda). A returned message is visible again at once, as if its visibility
    timeout had passed; SQS counts the receive, and after ``maxReceiveCount`` receives its
    redrive policy moves the message to the dead-letter queue on the next receive. The poller
    does not run by itself: a test calls ``Emulator.poll_queues()`` when Lambda would poll.
    """

    def __init__(self) -> None:
        self.endpoint = ""
        self.mappings: dict[str, Any] = {}

    def adopt(self, mapping: Any) -> None:
        from moto.sqs.models import sqs_backends

        queue_arn = mapping.event_source_arn
        _, _, service, region, account, _ = queue_arn.split(":", 5)
        if service != "sqs":
            return
        for queue in sqs_backends[account][region].queues.values():
            if queue.queue_arn == queue_arn:
                queue.lambda_event_source_mappings.pop(mapping.function_arn, None)
        self.mappings[mapping.uuid] = mapping

    def poll(self) -> list[SqsBatch]:
        from moto.awslambda.utils import get_backend

        batches: list[SqsBatch] = []
        for mapping in list(self.mappings.values()):
            backend = get_backend(mapping.account_id, mapping.region)
            if mapping.uuid not in backend._event_source_mappings or not is_true(mapping.enabled):
                continue
            batch = self._invoke(mapping)
            if batch is not None:
                batches.append(batch)
        return batches

    def _invoke(self, mapping: Any) -> SqsBatch | None:
        from moto.awslambda.utils import get_backend

        queue_arn = mapping.event_source_arn
        _, _, _, region, account, name = queue_arn.split(":", 5)
        # Lambda polls with the function's execution role
        function = get_backend(mapping.account_id, mapping.region).get_function(
            mapping.function_arn
        )
        try:
            session = AUTHORIZER.assume(function.role, "lambda.amazonaws.com")
        except AccessDenied:
            return None  # recorded: the mapping cannot poll
        sqs = session_client(self.endpoint, region, "sqs", session.credentials())
        url = f"{self.endpoint}/{account}/{name}"
        try:
            return self._poll_once(mapping, sqs, url, queue_arn, region)
        except ClientError:
            return None  # denied (recorded): the mapping cannot poll or delete

    def _poll_once(
        self, mapping: Any, sqs: Any, url: str, queue_arn: str, region: str
    ) -> SqsBatch | None:
        size = int(mapping.batch_size or 10)
        messages: list[Props] = []
        while len(messages) < size:
            got = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=min(10, size - len(messages)),
                WaitTimeSeconds=0,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not got:
                break
            messages.extend(got)
        if not messages:
            return None
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {
                    key: {k[:1].lower() + k[1:]: v for k, v in value.items()}
                    for key, value in m.get("MessageAttributes", {}).items()
                },
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
        response = emulator_client(self.endpoint, region, "lambda").invoke(
            FunctionName=mapping.function_arn, Payload=json.dumps({"Records": records})
        )
        function_error = bool(response.get("FunctionError"))
        ids = [m["MessageId"] for m in messages]
        returned = list(ids) if function_error else []
        if not function_error and "ReportBatchItemFailures" in (
            mapping.function_response_types or []
        ):
            returned = _reported_failures(response["Payload"].read(), ids)
        for message in messages:
            if message["MessageId"] in returned:
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return SqsBatch(mapping.function_arn, queue_arn, ids, returned, function_error)


def _reported_failures(payload: bytes, ids: list[str]) -> list[str]:
    """The message ids of a partial batch response; every id if the response is malformed
    (not an object, an id that is empty or not in the batch), as Lambda treats it."""
    try:
        response = json.loads(payload or b"null")
    except json.JSONDecodeError:
        return list(ids)
    if response is None:
        return []
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if failures is None:
        return [] if isinstance(response, dict) else list(ids)
    reported = [f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures]
    if not all(isinstance(r, str) and r in ids for r in reported):
        return list(ids)
    return [i for i in ids if i in reported]


POLLER = _SqsPoller()


def poll_queues() -> list[SqsBatch]:
    """One round of Lambda's SQS poller (see :class:`_SqsPoller`); the batches it invoked."""
    return POLLER.poll()


def run_schedule(account: str, region: str, name: str, group: str, endpoint: str) -> Decision:
    """EventBridge Scheduler firing a schedule with a universal (``aws-sdk``) target: it
    assumes the schedule's role (``scheduler.amazonaws.com``, with ``aws:SourceAccount`` and
    the schedule as ``aws:SourceArn``) and makes the target's SDK call with it - authorized
    against the role's policies (``batch:SubmitJob`` on the job queue and the job definition
    ...). A denied call sends the event to the schedule's dead-letter queue, with the role's
    credentials. Returns the decision on the target call. The call itself is not made: the
    emulator has no container runtime for a Batch job (moto would need Docker)."""
    from moto.scheduler.models import scheduler_backends

    schedule = scheduler_backends[account][region].get_schedule(group, name)
    target = schedule.target
    arn = f"arn:aws:scheduler:{region}:{account}:schedule/{group}/{name}"
    _, _, _, _, _, universal = target["Arn"].split(":", 5)
    kind, service, operation = universal.split(":")
    if kind != "aws-sdk" or (service, operation) != ("batch", "submitJob"):
        raise NotImplementedError(f"schedule target {target['Arn']} is not emulated")
    session = AUTHORIZER.assume(target["RoleArn"], "scheduler.amazonaws.com", source_arn=arn)
    job = json.loads(target.get("Input") or "{}")
    try:
        AUTHORIZER.authorize(session, "batch:SubmitJob", job["jobQueue"])
        return AUTHORIZER.authorize(session, "batch:SubmitJob", job["jobDefinition"])
    except AccessDenied as denied:
        dead_letter = (target.get("DeadLetterConfig") or {}).get("Arn")
        if dead_letter:
            with contextlib.suppress(ClientError):
                _send_to_target(dead_letter, json.dumps(job), {}, endpoint, session)
        if isinstance(denied.decision, Decision):
            return denied.decision
        raise
