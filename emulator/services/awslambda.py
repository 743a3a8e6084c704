"""Gap fillers for AWS Lambda resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

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
DELETERS: dict[str, Deleter] = {"AWS::Lambda::EventInvokeConfig": _delete_event_invoke_config}

#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::Lambda::Function": _lambda_function,
    "AWS::Lambda::EventInvokeConfig": _lambda_event_invoke_config,
}
