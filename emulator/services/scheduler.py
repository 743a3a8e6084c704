"""Gap fillers for EventBridge Scheduler resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props


def _scheduler_schedule(ctx: Context, props: Props) -> Created:
    name = props.get("Name") or ctx.generated_name[:64]
    api = {k: v for k, v in props.items() if k != "Name"}
    ctx.client("scheduler").create_schedule(Name=name, **api)
    group = props.get("GroupName", "default")
    arn = f"arn:aws:scheduler:{ctx.region}:{ctx.account_id}:schedule/{group}/{name}"
    return Created(name, {"Arn": arn})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::Scheduler::Schedule": _scheduler_schedule,
}


def _delete_schedule(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("scheduler").delete_schedule(
        Name=physical_id, GroupName=props.get("GroupName", "default")
    )


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {"AWS::Scheduler::Schedule": _delete_schedule}
