"""Gap fillers for EventBridge resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

import json
from typing import Any

from emulator.base import Context, Deleter, Handler, Props


def _event_bus(ctx: Context, props: Props) -> Any:
    """moto's event bus, whose ``Ref`` is its name (moto's model has no physical id, so ``Ref``
    would hand the model object to the rules of the bus)."""
    assert ctx.moto_default is not None
    bus = ctx.moto_default(props, props.get("Name"))
    bus.physical_resource_id = bus.name
    return bus


def _events_archive(ctx: Context, props: Props) -> Any:
    """moto's archive, with a generated name within the 48 characters the API allows."""
    if isinstance(props.get("EventPattern"), dict):
        props = {**props, "EventPattern": json.dumps(props["EventPattern"])}
    assert ctx.moto_default is not None
    return ctx.moto_default(props, props.get("ArchiveName") or ctx.generated_name[-48:].strip("-"))


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::Events::EventBus": _event_bus,
    "AWS::Events::Archive": _events_archive,
}


#: CloudFormation type -> deleter: the bus and the archive are moto's models (moto deletes).
DELETERS: dict[str, Deleter] = {}
