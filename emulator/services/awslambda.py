"""Gap fillers for AWS Lambda resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props


def _lambda_function(ctx: Context, props: Props) -> Any:
    """moto's function, keeping what moto's CloudFormation drops and the emulator uses: the
    log group and format of ``LoggingConfig`` (where the runner writes the function's logs)
    and the ``DeadLetterConfig`` target of failed asynchronous invocations."""
    assert ctx.moto_default is not None
    function = ctx.moto_default(props, None)
    logging_config = props.get("LoggingConfig") or {}
    if logging_config.get("LogGroup"):
        function.logs_group_name = logging_config["LogGroup"]
    function.log_format = logging_config.get("LogFormat", "Text")
    function.dead_letter_target = (props.get("DeadLetterConfig") or {}).get("TargetArn")
    return function


def _lambda_event_invoke_config(ctx: Context, props: Props) -> Created:
    api = {k: v for k, v in props.items() if k != "Qualifier"}
    for number in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds"):
        if number in api:
            api[number] = int(api[number])
    ctx.client("lambda").put_function_event_invoke_config(**api)
    return Created(f"{props['FunctionName']}:{props.get('Qualifier', '$LATEST')}")


def _delete_event_invoke_config(
    ctx: Context, physical_id: str, props: Props, _: dict[str, Any]
) -> None:
    try:
        ctx.client("lambda").delete_function_event_invoke_config(FunctionName=props["FunctionName"])
    except Exception as gone:  # the function went first: its configuration with it
        if "not found" not in str(gone).lower():
            raise


#: Where the emulator's CloudFormation takes a Lambda-backed custom resource's answer (the
#: pre-signed S3 ``ResponseURL`` of the event, as CloudFormation's own is).
RESPONSE_BUCKET = "emulator-custom-resource-responses"


def _custom_resource_event(
    ctx: Context, props: Props, request_type: str, physical_id: str | None
) -> tuple[dict[str, Any], str]:
    s3 = ctx.client("s3")
    if RESPONSE_BUCKET not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        where = {} if ctx.region == "us-east-1" else {"LocationConstraint": ctx.region}
        s3.create_bucket(
            Bucket=RESPONSE_BUCKET, **({"CreateBucketConfiguration": where} if where else {})
        )
    key = f"{ctx.stack_name}/{ctx.logical_id}/{uuid.uuid4()}"
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ResponseURL": s3.generate_presigned_url(
            "put_object", Params={"Bucket": RESPONSE_BUCKET, "Key": key}, ExpiresIn=3_600
        ),
        "StackId": f"arn:aws:cloudformation:{ctx.region}:{ctx.account_id}:stack/"
        f"{ctx.stack_name}/emulator",
        "RequestId": str(uuid.uuid4()),
        "ResourceType": "Custom::Emulated",
        "LogicalResourceId": ctx.logical_id,
        "ResourceProperties": props,
    }
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    return event, key


def _invoke_custom_resource(
    ctx: Context, props: Props, request_type: str, physical_id: str | None = None
) -> dict[str, Any]:
    """Send a Lambda-backed custom resource its CloudFormation event (synchronously, as the
    function's role) and read the answer it PUTs to the ``ResponseURL``; a FAILED answer, a
    failed invocation or no answer raises, so the stack operation fails as in AWS."""
    event, key = _custom_resource_event(ctx, props, request_type, physical_id)
    response = ctx.client("lambda").invoke(
        FunctionName=props["ServiceToken"], Payload=json.dumps(event).encode()
    )
    payload = response["Payload"].read().decode()
    if response.get("FunctionError"):
        raise RuntimeError(f"{ctx.logical_id} {request_type}: the function failed: {payload}")
    try:
        body = ctx.client("s3").get_object(Bucket=RESPONSE_BUCKET, Key=key)["Body"].read()
    except Exception as missing:
        raise RuntimeError(
            f"{ctx.logical_id} {request_type}: the function never answered CloudFormation"
        ) from missing
    answer: dict[str, Any] = json.loads(body)
    if answer.get("Status") != "SUCCESS":
        raise RuntimeError(
            f"{ctx.logical_id} {request_type} FAILED: {answer.get('Reason', '(no reason)')}"
        )
    return answer


def _lambda_backed_custom_resource(ctx: Context, props: Props) -> Created:
    """A custom resource served by a Python function of the stack (``ServiceToken`` its ARN):
    the Create event, answered through the pre-signed ``ResponseURL``."""
    answer = _invoke_custom_resource(ctx, props, "Create")
    return Created(
        str(answer.get("PhysicalResourceId") or ctx.logical_id), answer.get("Data") or {}
    )


def _delete_lambda_backed_custom_resource(
    ctx: Context, physical_id: str, props: Props, _: dict[str, Any]
) -> None:
    _invoke_custom_resource(ctx, props, "Delete", physical_id)


def _delete_permission(ctx: Context, physical_id: str) -> None:
    """moto's Lambda permission fails its deletion once the function is gone (CloudFormation
    deletes it with the function): nothing is left to delete then."""
    from moto.awslambda.utils import get_backend

    backend = get_backend(ctx.account_id, ctx.region)
    for function in backend.list_functions():
        for statement in list(function.policy.statements if function.policy else []):
            if statement.get("Sid") == physical_id:
                function.policy.statements.remove(statement)


#: Type -> deleter by physical id, for moto models whose own deletion fails or does nothing.
MOTO_DELETERS: dict[str, Callable[[Context, str], None]] = {
    "AWS::Lambda::Permission": _delete_permission,
}

#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``); the function
#: is moto's model, which moto deletes.
DELETERS: dict[str, Deleter] = {
    "AWS::Lambda::EventInvokeConfig": _delete_event_invoke_config,
    "Custom::TimeSeriesTables": _delete_lambda_backed_custom_resource,
}

#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::Lambda::Function": _lambda_function,
    "AWS::Lambda::EventInvokeConfig": _lambda_event_invoke_config,
    # TimeSeriesTables' deploy-time rotation (and, with DESTROY, its tables' deletion)
    "Custom::TimeSeriesTables": _lambda_backed_custom_resource,
}
