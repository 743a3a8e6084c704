"""The emulator's registry: one table per service module, merged without overlaps."""

from __future__ import annotations

import pkgutil

import pytest

from emulator import registry, services
from emulator.base import Context, Created, Props


def _noop(ctx: Context, props: Props) -> Created:
    return Created("id")


def test_a_type_registered_by_two_service_modules_is_refused() -> None:
    with pytest.raises(ValueError, match=r"registered twice: \['AWS::SQS::Queue'\]"):
        registry._merge({"AWS::SQS::Queue": _noop}, {"AWS::SQS::Queue": _noop})


def test_every_service_module_is_merged_into_the_registry() -> None:
    merged: set[str] = set()
    for info in pkgutil.iter_modules(services.__path__):
        module = __import__(f"emulator.services.{info.name}", fromlist=["HANDLERS"])
        assert module.HANDLERS, f"emulator.services.{info.name} registers no type"
        merged |= set(module.HANDLERS)
    assert merged == set(registry.HANDLERS)


def test_every_type_the_emulator_creates_can_be_deleted() -> None:
    """A handler's resource has a deleter, or is moto's model (moto deletes it)."""
    assert not set(registry.DELETERS) & registry.MOTO_DELETES
    assert set(registry.HANDLERS) == set(registry.DELETERS) | registry.MOTO_DELETES
