"""The guard: a template type that neither moto nor a gap filler creates would be skipped
silently by moto's CloudFormation (the stack still reaches CREATE_COMPLETE). The deploy tier
refuses such a template before ``create_stack`` and names the types."""

from __future__ import annotations

from typing import Any

from emulator.registry import HANDLERS

#: Types moto lists but does not create (it ignores them).
_MOTO_NULL_TYPES = frozenset({"?", "AWS::SERVICE::RESOURCE"})


def moto_types() -> frozenset[str]:
    """The types moto's CloudFormation creates itself (``Custom::*`` excluded: moto invokes
    their Lambda, which needs Docker)."""
    from moto.cloudformation import parsing

    return frozenset(parsing.get_model_map()) - _MOTO_NULL_TYPES | frozenset(parsing.NULL_MODELS)


def supported_types() -> frozenset[str]:
    return moto_types() | frozenset(HANDLERS)


def unsupported_types(template: dict[str, Any]) -> list[str]:
    """Types in ``template`` that the emulator would skip silently, sorted."""
    supported = supported_types()
    return sorted(
        {r["Type"] for r in template.get("Resources", {}).values() if r["Type"] not in supported}
    )
