"""Gap fillers for CloudWatch resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from emulator.base import Context, Created, Handler, Props, is_true


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
