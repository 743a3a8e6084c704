"""The emulator runs our Python Lambda handlers (pattern handlers and stacks/handlers) in a subprocess.

moto needs Docker to invoke a function; the deploy tier's runner executes the deployed code
(the asset uploaded to the bootstrap bucket) with this interpreter, the function's environment
and the emulator as its AWS endpoint.
"""

from __future__ import annotations

import json

import pytest

from emulator.server import Emulator
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


def test_the_deployed_queue_consumer_reports_partial_batch_failures(
    deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed("QueueConsumerExample")
    good = {"messageId": "m-good", "body": json.dumps({"order_id": "o-1"})}
    bad = {"messageId": "m-bad", "body": json.dumps({"event_type": "order_placed"})}

    response = emulator.client("lambda").invoke(
        FunctionName=stack.outputs["ConsumerFunctionName"],
        Payload=json.dumps({"Records": [good, bad]}),
    )

    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read()) == {
        "batchItemFailures": [{"itemIdentifier": "m-bad"}]
    }


def test_a_failing_invocation_reports_the_error(deployed: Deployments, emulator: Emulator) -> None:
    stack = deployed("QueueConsumerExample")

    response = emulator.client("lambda").invoke(
        FunctionName=stack.outputs["ConsumerFunctionName"], Payload=json.dumps({"Records": 1})
    )

    assert response.get("FunctionError")
    assert json.loads(response["Payload"].read())["errorType"] == "TypeError"
