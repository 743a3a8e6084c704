"""Gap fillers for AWS Lambda resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Handler, Props


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


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::Lambda::Function": _lambda_function,
    "AWS::Lambda::EventInvokeConfig": _lambda_event_invoke_config,
}
