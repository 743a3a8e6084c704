"""Fixtures of the deploy tier: one emulator and one synthesized assembly for all its tests.

The fixtures are scoped to this package (``tests/deploy``), which is the session of the deploy
tier: the emulator starts before its first test and stops after its last, so moto's global
backends and the gap fillers are never live while other tests (which may use ``mock_aws``) run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from emulator.authorization import AUTHORIZER
from emulator.server import Assembly, DeployedStack, Emulator
from tests.deploy.examples import synthesize


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "deletion: deletes the shared example stacks (runs after the other deploy tests)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The ``deletion`` tests delete the shared example stacks: they run after every other test
    of this package (which stays together, so the emulator starts and stops once)."""
    here = Path(__file__).parent
    mine = [n for n, item in enumerate(items) if here in Path(str(item.path)).parents]
    if not mine:
        return
    block = items[mine[0] : mine[-1] + 1]
    block.sort(key=lambda item: item.get_closest_marker("deletion") is not None)
    items[mine[0] : mine[-1] + 1] = block


@pytest.fixture(scope="package")
def emulator() -> Iterator[Emulator]:
    with Emulator() as running:
        yield running


@pytest.fixture(autouse=True)
def no_call_is_denied() -> Iterator[None]:
    """Every data path is authorized as AWS authorizes it: a test during which the emulator
    denied a call (or met one it cannot authorize) fails, naming the call and the policy."""
    with AUTHORIZER.watching() as denied:
        yield
    assert not denied, "the emulator denied:\n" + "\n".join(denied)


@pytest.fixture(scope="package")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    """Every example stack, synthesized for deployment once."""
    return synthesize(tmp_path_factory.mktemp("deploy.out"))


@dataclass
class Deployments:
    """Deploys each stack once, on first use; a failure is re-raised to every later user."""

    emulator: Emulator
    assembly: Assembly
    _done: dict[str, DeployedStack | BaseException] = field(default_factory=dict)

    def __call__(self, stack_name: str) -> DeployedStack:
        if stack_name not in self.assembly.stack_names:
            pytest.skip(f"{stack_name} is not a registered example stack")
        if stack_name not in self._done:
            try:
                self._done[stack_name] = self.emulator.deploy(self.assembly, stack_name)
            except Exception as exc:
                self._done[stack_name] = exc
        result = self._done[stack_name]
        if isinstance(result, BaseException):
            raise result
        return result


@pytest.fixture(scope="package")
def deployed(emulator: Emulator, assembly: Assembly) -> Deployments:
    return Deployments(emulator, assembly)


# -- helpers for data-path tests -------------------------------------------------------------
def drain(sqs: Any, queue_url: str, *, delete: bool = True) -> list[dict[str, Any]]:
    """Every message currently visible in the queue (no long polling), deleted unless asked."""
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=0,
            MessageAttributeNames=["All"],
            AttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            return messages
        messages.extend(batch)
        if delete:
            for message in batch:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def body_of(message: dict[str, Any], *, raw: bool) -> str:
    """The published message: the body itself (raw delivery) or the SNS envelope's Message."""
    if raw:
        return str(message["Body"])
    envelope = json.loads(message["Body"])
    assert envelope["Type"] == "Notification", envelope
    return str(envelope["Message"])


def wait_for(predicate: Any, *, timeout: float = 5.0) -> Any:
    """Poll ``predicate`` until it returns something truthy (deliveries are synchronous in the
    emulator; this only guards against a slow machine)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)
