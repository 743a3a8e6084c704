"""Workflow deployed: the order-fulfilment state machine runs in moto's Step Functions
interpreter, its LambdaInvoke tasks run the order-step handler in the emulator's Lambda runner
and its DynamoDB tasks write to the deployed table."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest

from emulator.server import DeployedStack, Emulator
from stacks.workflow import APPROVAL_THRESHOLD
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def workflow(deployed: Deployments) -> DeployedStack:
    return deployed("WorkflowExample")


def _run(emulator: Emulator, stack: DeployedStack, execution_input: Any) -> dict[str, Any]:
    """Start an execution and wait until it is no longer RUNNING (the example waits 1 s)."""
    sfn = emulator.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=stack.outputs["StateMachineArn"], input=json.dumps(execution_input)
    )["executionArn"]
    deadline = time.monotonic() + 30
    while True:
        execution: dict[str, Any] = sfn.describe_execution(executionArn=arn)
        if execution["status"] != "RUNNING" or time.monotonic() > deadline:
            return execution
        time.sleep(0.05)


def _history(emulator: Emulator, execution: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = emulator.client("stepfunctions").get_execution_history(
        executionArn=execution["executionArn"], maxResults=1000
    )["events"]
    return events


def _entered(emulator: Emulator, execution: dict[str, Any]) -> list[str]:
    return [
        e["stateEnteredEventDetails"]["name"]
        for e in _history(emulator, execution)
        if "stateEnteredEventDetails" in e
    ]


def _lambda_calls(emulator: Emulator, execution: dict[str, Any]) -> int:
    return sum(1 for e in _history(emulator, execution) if e["type"] == "LambdaFunctionScheduled")


def _item(emulator: Emulator, stack: DeployedStack, order_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        emulator.client("dynamodb")
        .get_item(TableName=stack.outputs["OrdersTableName"], Key={"order_id": {"S": order_id}})
        .get("Item")
    )
    return item


def test_an_order_is_fulfilled_and_recorded(workflow: DeployedStack, emulator: Emulator) -> None:
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    order = {"order_id": order_id, "items": [{"sku": "A", "quantity": 2, "price": 10}]}

    execution = _run(emulator, workflow, {"order": order})

    assert execution["status"] == "SUCCEEDED", execution
    output = json.loads(execution["output"])
    # the order-step function ran for every LambdaInvoke task and its results flowed on
    assert output["validation"] == {"order_id": order_id, "total": 20.0, "item_count": 1}
    assert output["fulfilment"] == [
        {"reserved": ["A"]},
        {"payment_id": f"pay-{order_id}", "status": "CHARGED"},
    ]
    assert output["packed"] == [{"sku": "A", "packed": 2}]
    # the DynamoDB task wrote the outcome, with the charge's payment id
    assert _item(emulator, workflow, order_id) == {
        "order_id": {"S": order_id},
        "status": {"S": "FULFILLED"},
        "payment_id": {"S": f"pay-{order_id}"},
    }
    # small orders skip the approval activity
    assert "AwaitApproval" not in _entered(emulator, execution)


def test_every_item_is_packed_by_the_map_state(workflow: DeployedStack, emulator: Emulator) -> None:
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    items = [{"sku": sku, "quantity": n, "price": 1} for n, sku in enumerate("ABC", start=1)]

    execution = _run(emulator, workflow, {"order": {"order_id": order_id, "items": items}})

    assert execution["status"] == "SUCCEEDED", execution
    assert json.loads(execution["output"])["packed"] == [
        {"sku": "A", "packed": 1},
        {"sku": "B", "packed": 2},
        {"sku": "C", "packed": 3},
    ]


def test_an_order_without_items_fails_and_is_recorded_as_failed(
    workflow: DeployedStack, emulator: Emulator
) -> None:
    order_id = f"o-{uuid.uuid4().hex[:8]}"

    execution = _run(emulator, workflow, {"order": {"order_id": order_id, "items": []}})

    assert execution["status"] == "FAILED"
    assert execution["error"] == "OrderFailed"
    # InvalidOrder is not worth a retry: one Validate invocation, then the failure handler
    assert _lambda_calls(emulator, execution) == 1
    assert _item(emulator, workflow, order_id) == {
        "order_id": {"S": order_id},
        "status": {"S": "FAILED"},
        "error": {"S": "InvalidOrder"},
    }
    entered = _entered(emulator, execution)
    assert "ReserveAndCharge" not in entered  # nothing was charged for an invalid order


def test_input_without_an_order_is_rejected_before_any_step(
    workflow: DeployedStack, emulator: Emulator
) -> None:
    execution = _run(emulator, workflow, {"orders": []})

    assert execution["status"] == "FAILED"
    assert execution["error"] == "InvalidInput"
    assert _entered(emulator, execution) == ["CheckInput", "RejectInput"]


def test_a_large_order_waits_for_the_approval_activity(
    workflow: DeployedStack, emulator: Emulator
) -> None:
    """Orders above the threshold go to the approval activity and are not fulfilled without it.

    moto 5.2.5 has no GetActivityTask and gives each execution an empty activity store, so the
    emulator cannot hand the task to ``patterns/clients/activity_worker.py``: the activity task
    fails there (and the failure handler records the order). What holds is the routing.
    """
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    order = {
        "order_id": order_id,
        "items": [{"sku": "A", "quantity": 1, "price": 1 + APPROVAL_THRESHOLD}],
    }

    execution = _run(emulator, workflow, {"order": order})

    entered = _entered(emulator, execution)
    assert "AwaitApproval" in entered
    assert "PackItems" not in entered
    assert (_item(emulator, workflow, order_id) or {}).get("status") != {"S": "FULFILLED"}
