"""moto's Step Functions interpreter (config ``stepfunctions.execute_state_machine``) with its
service integrations pointed at the emulator, calling as the state machine's role, and two of
its deviations from Step Functions corrected."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from emulator.authorization import AUTHORIZER
from emulator.base import session_client

#: A JSONPath that selects one value: no wildcard, deep scan, filter, slice or union.
_INDEFINITE_PATH = re.compile(r"\*|\.\.|\[\?|\[[^\]]*[:,][^\]]*\]")


def _definite_paths(original: Callable[[str, Any], Any]) -> Callable[[str, Any], Any]:
    """moto's interpreter returns a list for ``$.a[1].b`` (any path through an index); Step
    Functions returns the value a definite path selects."""

    def extract_json(path: str, data: Any) -> Any:
        if path.startswith("$") and not path.startswith("$$") and not _INDEFINITE_PATH.search(path):
            from jsonpath_ng.ext import parse  # type: ignore[attr-defined]  # not re-exported

            matches = parse(path).find(data)
            if len(matches) == 1:
                return matches[0].value
        return original(path, data)

    return extract_json


def _as_role(endpoint: str) -> Callable[..., Any]:
    """moto's ``boto_client_for`` signs every task's call with keys ``ak``/``sk``; Step Functions
    calls with the state machine's role (``StateCredentials.role_arn``), assumed at
    ``StartExecution``."""

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        role_arn = getattr(state_credentials, "role_arn", None)
        session = AUTHORIZER.session_of(role_arn, "states.amazonaws.com") if role_arn else None
        if session is None:
            raise AUTHORIZER.fail(f"a {service} task without the state machine's role")
        return session_client(endpoint, region, service, session.credentials())

    return boto_client_for


@contextlib.contextmanager
def step_functions_interpreter(endpoint: str) -> Iterator[None]:
    """moto's Step Functions interpreter, corrected where the example workflows need it:
    its service integrations (LambdaInvoke, DynamoDB ...) call this emulator (moto sends them
    to ``localhost:$MOTO_PORT``, 5000 by default) with the state machine role's session (Step
    Functions assumes the role at ``StartExecution``: its trust policy must admit
    ``states.amazonaws.com`` for the state machine); definite JSONPaths select one value; an
    execution started without a name gets a generated one (moto names it ``None``, so a
    second unnamed execution of a state machine fails with ExecutionAlreadyExists)."""
    import uuid

    import moto.stepfunctions.parser.asl.parse.preprocessor  # noqa: F401  (loads every state)
    from moto.core.config import default_user_config
    from moto.stepfunctions.parser.asl.utils import boto_client, json_path
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    port = endpoint.rsplit(":", 1)[1]
    original_extract = json_path.extract_json
    fixed_extract = _definite_paths(original_extract)
    holders = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("moto.stepfunctions.parser")
        and getattr(module, "extract_json", None) is original_extract
    ]
    original_client = boto_client.boto_client_for
    client_holders = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("moto.stepfunctions.parser")
        and getattr(module, "boto_client_for", None) is original_client
    ]
    as_role = _as_role(endpoint)
    original_port = boto_client.moto_server_port  # type: ignore[attr-defined]  # moto internal
    original_start = StepFunctionsParserBackend.start_execution

    def start_execution(self: Any, state_machine_arn: str, name: Any = None, *a: Any, **kw: Any):  # type: ignore[no-untyped-def]
        role_arn = self.describe_state_machine(state_machine_arn).roleArn
        AUTHORIZER.assume(role_arn, "states.amazonaws.com", source_arn=state_machine_arn)
        return original_start(self, state_machine_arn, name or str(uuid.uuid4()), *a, **kw)

    sfn_config = default_user_config["stepfunctions"]
    original_sfn = dict(sfn_config)
    boto_client.moto_server_port = lambda: port  # type: ignore[attr-defined]
    for module in holders:
        module.extract_json = fixed_extract  # type: ignore[attr-defined]
    for module in client_holders:
        module.boto_client_for = as_role  # type: ignore[attr-defined]
    StepFunctionsParserBackend.start_execution = start_execution  # type: ignore[method-assign]
    sfn_config["execute_state_machine"] = True
    try:
        yield
    finally:
        boto_client.moto_server_port = original_port  # type: ignore[attr-defined]
        for module in holders:
            module.extract_json = original_extract  # type: ignore[attr-defined]
        for module in client_holders:
            module.boto_client_for = original_client  # type: ignore[attr-defined]
        StepFunctionsParserBackend.start_execution = original_start  # type: ignore[method-assign]
        sfn_config.clear()  # type: ignore[attr-defined]  # a TypedDict, cleared to restore it
        sfn_config.update(original_sfn)  # type: ignore[typeddict-item]
