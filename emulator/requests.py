"""The emulator's HTTP front door: every request signed with a role session's keys is
authorized before moto sees it (:class:`AuthorizingApp`, a WSGI middleware around moto's
server).

A request is mapped to what IAM evaluates - the action, the resource ARN(s), and the KMS key
operations the service makes for it (SQS encrypting a message with the queue's key, S3 with the
bucket's default key ...) - by :data:`RESOLVERS`, one function per service and operation our
code calls. An operation without a resolver is refused (never allowed): add it here when new
code needs it. moto's own IAM enforcement (``INITIAL_NO_AUTH_ACTION_COUNT``) cannot do this: it
matches each statement's ``Resource`` against ``"*"`` for most services and ignores
conditions and resource-based policies, so every scoped statement of our templates would deny.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from emulator.authorization import AUTHORIZER, DEPLOYER_KEY, AccessDenied, KmsUse, Session

__all__ = ["RESOLVERS", "AuthorizingApp", "Call", "Check"]


@dataclass(frozen=True)
class Call:
    """One API request: service (signing name), operation and its parameters."""

    service: str
    operation: str
    params: dict[str, Any]
    region: str
    account: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Check:
    """What IAM evaluates for a call: an action on a resource, plus KMS uses."""

    action: str
    resource: str
    kms: tuple[KmsUse, ...] = ()
    context: tuple[tuple[str, str], ...] = ()


Resolver = Callable[[Call], list[Check]]


# -- resolvers ---------------------------------------------------------------------------------
def _kms(arn: str, via: str, *actions: str) -> tuple[KmsUse, ...]:
    return AUTHORIZER.kms_uses(arn, via, *actions)


def _via(call: Call, service: str | None = None) -> str:
    return f"{service or call.service}.{call.region}.amazonaws.com"


def _queue_arn(call: Call) -> str:
    url = call.params.get("QueueUrl") or call.params["QueueName"]
    return f"arn:aws:sqs:{call.region}:{call.account}:{str(url).rstrip('/').rsplit('/', 1)[-1]}"


def _sqs(action: str, *kms: str) -> Resolver:
    def resolve(call: Call) -> list[Check]:
        arn = _queue_arn(call)
        return [Check(action, arn, _kms(arn, _via(call), *kms))]

    return resolve


def _sns_publish(call: Call) -> list[Check]:
    arn = str(call.params.get("TopicArn") or call.params.get("TargetArn"))
    return [Check("sns:Publish", arn, _kms(arn, _via(call), "kms:GenerateDataKey", "kms:Decrypt"))]


def _table_arn(call: Call, name: str | None = None) -> str:
    table = name or str(call.params["TableName"])
    if table.startswith("arn:"):
        return table
    return f"arn:aws:dynamodb:{call.region}:{call.account}:table/{table}"


def _dynamodb(action: str, *, data: bool = True) -> Resolver:
    """A DynamoDB operation on ``TableName`` (an index for Query/Scan with ``IndexName``); data
    operations on a table with a customer managed key need ``kms:Decrypt`` through DynamoDB."""

    def resolve(call: Call) -> list[Check]:
        table = _table_arn(call)
        resource = table
        if call.params.get("IndexName"):
            resource = f"{table}/index/{call.params['IndexName']}"
        kms = _kms(table, _via(call), "kms:Decrypt") if data else ()
        return [Check(action, resource, kms)]

    return resolve


def _dynamodb_batch(action: str) -> Resolver:
    def resolve(call: Call) -> list[Check]:
        tables = call.params.get("RequestItems") or {}
        return [
            Check(action, _table_arn(call, t), _kms(_table_arn(call, t), _via(call), "kms:Decrypt"))
            for t in tables
        ]

    return resolve


def _dynamodb_resource_arn(action: str) -> Resolver:
    return lambda call: [Check(action, str(call.params["ResourceArn"]))]


def _alarm_arn(call: Call, name: object) -> str:
    return f"arn:aws:cloudwatch:{call.region}:{call.account}:alarm:{name}"


def _describe_alarms(call: Call) -> list[Check]:
    """``DescribeAlarms`` of named alarms: one check per alarm (a listing needs ``*``)."""
    names = call.params.get("AlarmNames") or ["*"]
    return [Check("cloudwatch:DescribeAlarms", _alarm_arn(call, n)) for n in names]


def _log_group(call: Call, *, stream: bool) -> str:
    base = f"arn:aws:logs:{call.region}:{call.account}:log-group:{call.params['logGroupName']}"
    if stream:
        return f"{base}:log-stream:{call.params['logStreamName']}"
    return f"{base}:*"  # the group's IAM ARN (as CloudFormation's Fn::GetAtt Arn returns it)


def _logs(action: str, *, stream: bool) -> Resolver:
    return lambda call: [Check(action, _log_group(call, stream=stream))]


def _lambda_invoke(call: Call) -> list[Check]:
    name = unquote(str(call.params["FunctionName"]))
    if not name.startswith("arn:"):
        name = f"arn:aws:lambda:{call.region}:{call.account}:function:{name}"
    qualifier = call.params.get("Qualifier")
    if qualifier and name.count(":") == 6:
        name = f"{name}:{qualifier}"
    return [Check("lambda:InvokeFunction", name)]


def _batch_submit(call: Call) -> list[Check]:
    queue, definition = call.params["jobQueue"], call.params["jobDefinition"]
    prefix = f"arn:aws:batch:{call.region}:{call.account}"
    queue = queue if queue.startswith("arn:") else f"{prefix}:job-queue/{queue}"
    if not definition.startswith("arn:"):
        definition = f"{prefix}:job-definition/{definition}"
    return [Check("batch:SubmitJob", queue), Check("batch:SubmitJob", definition)]


_LIST_PARAMETERS = {
    "list-type",
    "prefix",
    "max-keys",
    "continuation-token",
    "delimiter",
    "encoding-type",
    "start-after",
}


def _s3(call: Call) -> list[Check]:
    """S3's REST API: the operation is the method on a bucket or an object."""
    bucket, key = call.params["Bucket"], call.params.get("Key")
    method = call.params["Method"]
    tls = (("s3:TlsVersion", "1.2"),)
    if not key:
        if method in ("GET", "HEAD") and not set(call.params["Query"]) - _LIST_PARAMETERS:
            return [Check("s3:ListBucket", f"arn:aws:s3:::{bucket}", context=tls)]
        raise AUTHORIZER.fail(f"s3 {method} on bucket {bucket} with {sorted(call.params['Query'])}")
    arn = f"arn:aws:s3:::{bucket}/{key}"
    if call.params["Query"]:
        raise AUTHORIZER.fail(f"s3 {method} on an object with {sorted(call.params['Query'])}")
    if method in ("GET", "HEAD"):
        return [Check("s3:GetObject", arn, _s3_object_kms(call, bucket, key), tls)]
    if method == "PUT":
        if "x-amz-copy-source" in call.headers:
            raise AUTHORIZER.fail("s3 CopyObject")
        return [Check("s3:PutObject", arn, _s3_put_kms(call, bucket), tls)]
    if method == "DELETE":
        return [Check("s3:DeleteObject", arn, context=tls)]
    raise AUTHORIZER.fail(f"s3 {method} on an object")


def _s3_put_kms(call: Call, bucket: str) -> tuple[KmsUse, ...]:
    context = AUTHORIZER.s3_encryption_context(bucket, call.params["Key"])
    if call.headers.get("x-amz-server-side-encryption") == "aws:kms":
        key = call.headers.get("x-amz-server-side-encryption-aws-kms-key-id") or "alias/aws/s3"
        return (KmsUse("kms:GenerateDataKey", key, _via(call, "s3"), context),)
    if call.headers.get("x-amz-server-side-encryption"):
        return ()
    return tuple(
        KmsUse(u.action, u.key, u.via, context)
        for u in _kms(f"arn:aws:s3:::{bucket}", _via(call, "s3"), "kms:GenerateDataKey")
    )


def _s3_object_kms(call: Call, bucket: str, key: str) -> tuple[KmsUse, ...]:
    from moto.s3.models import s3_backends

    try:
        stored = s3_backends[call.account]["aws"].get_object(bucket, key)
    except Exception:
        return ()
    if stored is not None and stored.encryption == "aws:kms":
        context = AUTHORIZER.s3_encryption_context(bucket, key)
        key_id = stored.kms_key_id or "alias/aws/s3"
        return (KmsUse("kms:Decrypt", key_id, _via(call, "s3"), context),)
    return ()


def _kinesis(action: str, *kms: str) -> Resolver:
    def resolve(call: Call) -> list[Check]:
        arn = call.params.get("StreamARN") or (
            f"arn:aws:kinesis:{call.region}:{call.account}:stream/{call.params['StreamName']}"
        )
        return [Check(action, str(arn), _kms(str(arn), _via(call), *kms))]

    return resolve


#: (signing name, operation) -> what IAM evaluates for it.
RESOLVERS: dict[tuple[str, str], Resolver] = {
    ("sqs", "SendMessage"): _sqs("sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"),
    ("sqs", "SendMessageBatch"): _sqs("sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"),
    ("sqs", "ReceiveMessage"): _sqs("sqs:ReceiveMessage", "kms:Decrypt"),
    ("sqs", "DeleteMessage"): _sqs("sqs:DeleteMessage"),
    ("sqs", "DeleteMessageBatch"): _sqs("sqs:DeleteMessage"),
    ("sqs", "ChangeMessageVisibility"): _sqs("sqs:ChangeMessageVisibility"),
    ("sqs", "ChangeMessageVisibilityBatch"): _sqs("sqs:ChangeMessageVisibility"),
    ("sqs", "GetQueueUrl"): _sqs("sqs:GetQueueUrl"),
    ("sqs", "GetQueueAttributes"): _sqs("sqs:GetQueueAttributes"),
    ("sns", "Publish"): _sns_publish,
    ("dynamodb", "GetItem"): _dynamodb("dynamodb:GetItem"),
    ("dynamodb", "PutItem"): _dynamodb("dynamodb:PutItem"),
    ("dynamodb", "UpdateItem"): _dynamodb("dynamodb:UpdateItem"),
    ("dynamodb", "DeleteItem"): _dynamodb("dynamodb:DeleteItem"),
    ("dynamodb", "Query"): _dynamodb("dynamodb:Query"),
    ("dynamodb", "Scan"): _dynamodb("dynamodb:Scan"),
    ("dynamodb", "BatchGetItem"): _dynamodb_batch("dynamodb:BatchGetItem"),
    ("dynamodb", "BatchWriteItem"): _dynamodb_batch("dynamodb:BatchWriteItem"),
    ("dynamodb", "DescribeTable"): _dynamodb("dynamodb:DescribeTable", data=False),
    ("dynamodb", "CreateTable"): _dynamodb("dynamodb:CreateTable", data=False),
    ("dynamodb", "UpdateTable"): _dynamodb("dynamodb:UpdateTable", data=False),
    ("dynamodb", "DeleteTable"): _dynamodb("dynamodb:DeleteTable", data=False),
    ("dynamodb", "DescribeTimeToLive"): _dynamodb("dynamodb:DescribeTimeToLive", data=False),
    ("dynamodb", "UpdateTimeToLive"): _dynamodb("dynamodb:UpdateTimeToLive", data=False),
    ("dynamodb", "DescribeContinuousBackups"): _dynamodb(
        "dynamodb:DescribeContinuousBackups", data=False
    ),
    ("dynamodb", "UpdateContinuousBackups"): _dynamodb(
        "dynamodb:UpdateContinuousBackups", data=False
    ),
    ("dynamodb", "ListTables"): lambda call: [Check("dynamodb:ListTables", "*")],
    ("dynamodb", "TagResource"): _dynamodb_resource_arn("dynamodb:TagResource"),
    ("dynamodb", "ListTagsOfResource"): _dynamodb_resource_arn("dynamodb:ListTagsOfResource"),
    ("logs", "CreateLogGroup"): _logs("logs:CreateLogGroup", stream=False),
    ("logs", "CreateLogStream"): _logs("logs:CreateLogStream", stream=False),
    ("logs", "PutLogEvents"): _logs("logs:PutLogEvents", stream=True),
    ("lambda", "Invoke"): _lambda_invoke,
    ("monitoring", "DescribeAlarms"): _describe_alarms,
    ("monitoring", "PutMetricAlarm"): lambda call: [
        Check("cloudwatch:PutMetricAlarm", _alarm_arn(call, call.params["AlarmName"]))
    ],
    ("batch", "SubmitJob"): _batch_submit,
    ("s3", "*"): _s3,
    ("kinesis", "PutRecord"): _kinesis("kinesis:PutRecord", "kms:GenerateDataKey"),
    ("kinesis", "PutRecords"): _kinesis("kinesis:PutRecords", "kms:GenerateDataKey"),
    ("sts", "GetCallerIdentity"): lambda call: [],  # always allowed
}


# -- the middleware -----------------------------------------------------------------------------
_CREDENTIAL = re.compile(r"Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/")

#: signing name -> botocore's service name
_BOTOCORE_NAMES = {"states": "stepfunctions", "monitoring": "cloudwatch", "email": "ses"}


class AuthorizingApp:
    """WSGI middleware in front of moto's server app: authorizes role sessions' requests."""

    def __init__(self, app: Callable[..., Iterable[bytes]], account_id: str) -> None:
        self.app = app
        self.account_id = account_id

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        if match is None or match.group(1) == DEPLOYER_KEY:
            return self.app(environ, start_response)
        key, region, service = match.groups()
        body = _read_body(environ)
        session = AUTHORIZER.session_for_key(key)
        try:
            if session is None:
                raise AUTHORIZER.fail(f"unknown access key {key} for {service}")
            call = _call(environ, body, service, region, self.account_id)
            self._authorize(session, call)
        except AccessDenied as denied:
            return _denied(start_response, service, str(denied))
        return self.app(environ, start_response)

    @staticmethod
    def _authorize(session: Session, call: Call) -> None:
        resolver = RESOLVERS.get((call.service, call.operation)) or RESOLVERS.get(
            (call.service, "*")
        )
        if resolver is None:
            raise AUTHORIZER.fail(
                f"{call.service}:{call.operation} by {session.role_arn} has no resolver in "
                "emulator.requests.RESOLVERS"
            )
        for check in resolver(call):
            AUTHORIZER.authorize(
                session, check.action, check.resource, context=dict(check.context), kms=check.kms
            )


def _read_body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body: bytes = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _call(environ: dict[str, Any], body: bytes, service: str, region: str, account: str) -> Call:
    headers = {
        k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
    }
    path = environ.get("PATH_INFO", "/")
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    method = environ["REQUEST_METHOD"]
    if service == "s3":
        bucket, _, key = path.lstrip("/").partition("/")
        params = {"Bucket": bucket, "Key": unquote(key), "Method": method, "Query": query}
        return Call(service, "*", params, region, account, headers)
    target = headers.get("x-amz-target")
    if target:  # JSON protocols: DynamoDB_20120810.PutItem, AmazonSQS.SendMessage ...
        params = json.loads(body or b"{}")
        return Call(service, target.rsplit(".", 1)[-1], params, region, account, headers)
    form = dict(parse_qsl(body.decode(), keep_blank_values=True)) if body else {}
    if "Action" in form or "Action" in query:  # the query protocol (SNS, STS ...)
        params = {**query, **form}
        return Call(service, params.pop("Action"), params, region, account, headers)
    operation, params = _rest_operation(service, method, path)
    if body and headers.get("content-type", "").startswith("application/json"):
        with_body = json.loads(body)
        if isinstance(with_body, dict):
            params = {**with_body, **params}
    return Call(service, operation, {**query, **params}, region, account, headers)


@functools.cache
def _service_model(service: str) -> Any:
    import botocore.session  # type: ignore[import-untyped]

    return botocore.session.get_session().get_service_model(_BOTOCORE_NAMES.get(service, service))


def _rest_operation(service: str, method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The operation of a REST-JSON request (Lambda, Batch ...) from botocore's request URIs."""
    model = _service_model(service)
    best: tuple[int, str, dict[str, Any]] | None = None
    for name in model.operation_names:
        http = model.operation_model(name).http
        if http.get("method") != method:
            continue
        template = http["requestUri"].split("?", 1)[0]
        pattern = re.sub(
            r"\\\{(\w+)(\\\+)?\\\}",
            lambda m: f"(?P<{m[1]}>{'.+' if m[2] else '[^/]+'})",
            re.escape(template),
        )
        found = re.fullmatch(pattern, urlsplit(path).path)
        if found:
            literal = len(re.sub(r"\{[^}]*\}", "", template))
            if best is None or literal > best[0]:
                best = (literal, name, {k: unquote(v) for k, v in found.groupdict().items()})
    if best is None:
        raise AUTHORIZER.fail(f"no {service} operation for {method} {path}")
    return best[1], best[2]


def _denied(start_response: Callable[..., Any], service: str, message: str) -> list[bytes]:
    """An AccessDenied error in the shape the SDK parses for the service's protocol."""
    if service in ("s3", "sns", "sts", "iam"):
        code = "AuthorizationError" if service == "sns" else "AccessDenied"
        xml = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>{_escape(message)}</Message></Error></ErrorResponse>"
        )
        if service == "s3":
            xml = f"<Error><Code>AccessDenied</Code><Message>{_escape(message)}</Message></Error>"
        start_response("403 Forbidden", [("Content-Type", "text/xml")])
        return [xml.encode()]
    payload = json.dumps(
        {"__type": "AccessDeniedException", "message": message, "Message": message}
    )
    start_response(
        "403 Forbidden",
        [
            ("Content-Type", "application/x-amz-json-1.0"),
            ("x-amzn-ErrorType", "AccessDeniedException"),
            ("x-amzn-query-error", "AccessDenied;Sender"),
        ],
    )
    return [payload.encode()]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
