"""Gap fillers for CloudWatch resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, is_true


def _cloudwatch_alarm(ctx: Context, props: Props) -> Created:
    """``PutMetricAlarm`` with the template's properties (names match the API)."""
    name = props.get("AlarmName") or ctx.generated_name
    api = {k: v for k, v in props.items() if k != "AlarmName"}
    for number in ("EvaluationPeriods", "DatapointsToAlarm", "Period"):
        if number in api:
            api[number] = int(api[number])
    if "Threshold" in api:
        api["Threshold"] = float(api["Threshold"])
    if "ActionsEnabled" in api:
        api["ActionsEnabled"] = is_true(api["ActionsEnabled"])
    ctx.client("cloudwatch").put_metric_alarm(AlarmName=name, **api)
    arn = f"arn:aws:cloudwatch:{ctx.region}:{ctx.account_id}:alarm:{name}"
    return Created(name, {"Arn": arn})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::CloudWatch::Alarm": _cloudwatch_alarm,
}


def _delete_alarm(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("cloudwatch").delete_alarms(AlarmNames=[physical_id])


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {"AWS::CloudWatch::Alarm": _delete_alarm}
