"""Gap fillers for Step Functions resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, as_json, lower_keys


def _step_functions_state_machine(ctx: Context, props: Props) -> Created:
    """Replaces moto's own handler, which ignores ``DefinitionSubstitutions`` and puts the state
    machine where the interpreter (``execute_state_machine``) does not see it."""
    definition = props.get("DefinitionString") or as_json(props.get("Definition", {}))
    for key, value in (props.get("DefinitionSubstitutions") or {}).items():
        definition = definition.replace("${" + key + "}", str(value))
    name = props.get("StateMachineName") or ctx.generated_name[:80]
    api: Props = {"name": name, "definition": definition, "roleArn": props["RoleArn"]}
    if props.get("StateMachineType"):
        api["type"] = props["StateMachineType"]
    if props.get("LoggingConfiguration"):
        api["loggingConfiguration"] = lower_keys(props["LoggingConfiguration"])
    if props.get("TracingConfiguration"):
        api["tracingConfiguration"] = lower_keys(props["TracingConfiguration"])
    arn = ctx.client("stepfunctions").create_state_machine(**api)["stateMachineArn"]
    return Created(arn, {"Arn": arn, "Name": name, "StateMachineRevisionId": arn})


def _step_functions_activity(ctx: Context, props: Props) -> Created:
    api: Props = {"name": props["Name"]}
    if props.get("Tags"):
        api["tags"] = [{"key": t["Key"], "value": t["Value"]} for t in props["Tags"]]
    arn = ctx.client("stepfunctions").create_activity(**api)["activityArn"]
    return Created(arn, {"Name": props["Name"], "Arn": arn})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::StepFunctions::StateMachine": _step_functions_state_machine,
    "AWS::StepFunctions::Activity": _step_functions_activity,
}


def _delete_state_machine(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("stepfunctions").delete_state_machine(stateMachineArn=physical_id)


def _delete_activity(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("stepfunctions").delete_activity(activityArn=physical_id)


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::StepFunctions::StateMachine": _delete_state_machine,
    "AWS::StepFunctions::Activity": _delete_activity,
}
