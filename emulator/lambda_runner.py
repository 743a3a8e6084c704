"""Python Lambda functions without Docker: the handler runs in a subprocess of this
interpreter with the emulator as its AWS endpoint, and what it prints and logs goes to its log
group (the runtime's root log handler, text or JSON)."""

from __future__ import annotations

import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from emulator.authorization import AUTHORIZER, AccessDenied, Session
from emulator.base import session_client

_BOOTSTRAP = """
import importlib, json, os, sys, time, traceback, uuid
handler, result_path = sys.argv[1], sys.argv[2]
module_name, _, function_name = handler.rpartition(".")
deadline = time.monotonic() + float(os.environ["AWS_LAMBDA_FUNCTION_TIMEOUT"])
class Context:
    function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
    function_version = "$LATEST"
    memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
    invoked_function_arn = os.environ["_FUNCTION_ARN"]
    aws_request_id = str(uuid.uuid4())
    log_group_name = "/aws/lambda/" + function_name
    log_stream_name = "emulator"
    def get_remaining_time_in_millis(self):
        return max(0, int((deadline - time.monotonic()) * 1000))
# The Lambda runtime's log handler on the root logger: text or JSON (LoggingConfig.LogFormat)
import logging
class LambdaFormatter(logging.Formatter):
    def format(self, record):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        stamp += ".%03dZ" % record.msecs
        if os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON":
            return json.dumps({"timestamp": stamp, "level": record.levelname,
                               "message": record.getMessage(), "logger": record.name,
                               "requestId": Context.aws_request_id})
        return "[%s]\t%s\t%s\t%s" % (record.levelname, stamp, Context.aws_request_id,
                                     record.getMessage())
log_handler = logging.StreamHandler(sys.stdout)
log_handler.setFormatter(LambdaFormatter())
logging.getLogger().addHandler(log_handler)
event = json.loads(sys.stdin.read() or "{}")
try:
    result = getattr(importlib.import_module(module_name), function_name)(event, Context())
    payload, code = json.dumps(result), 0
except Exception as exc:
    traceback.print_exc()
    payload = json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__,
                          "stackTrace": traceback.format_exc().splitlines()})
    code = 1
with open(result_path, "w") as out:
    out.write(payload)
sys.exit(code)
"""


def lambda_environment(endpoint: str, region: str, session: Session) -> dict[str, str]:
    """The environment of a function run by the emulator: its execution role's session
    credentials (every call the handler makes is authorized as that role), the emulator as the
    endpoint of every AWS SDK call, no shared config or metadata service."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **session.environment(),
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


class LambdaRunner:
    """Replaces moto's Docker invocation (``LambdaFunction._invoke_lambda``): Python functions
    run in a subprocess of this interpreter; other runtimes fail the invocation, naming it.

    What the function prints and logs (the runtime's root log handler, text or JSON as its
    ``LoggingConfig`` says) goes to its log group - ``LoggingConfig.LogGroup`` or
    ``/aws/lambda/<name>`` - in one log stream per invocation, as in Lambda, written with the
    execution role (without ``logs:CreateLogStream``/``logs:PutLogEvents`` on the group the
    logs are lost, as in Lambda).

    Lambda assumes the function's role (``lambda.amazonaws.com`` in its trust policy) for each
    invocation: the handler runs with that session's credentials."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.workdir = tempfile.TemporaryDirectory(prefix="emulator-lambda-")

    def invoke(self, function: Any, event: Any = None) -> tuple[str, bool, str]:
        try:
            session = AUTHORIZER.assume(function.role, "lambda.amazonaws.com")
        except AccessDenied as denied:
            error = {"errorMessage": f"Lambda cannot assume {function.role}: {denied}"}
            return json.dumps(error), True, ""
        payload, errored, logs = self._run(function, session, event)
        self._ship_logs(function, session, logs)
        return payload, errored, logs

    def _ship_logs(self, function: Any, session: Session, logs: str) -> None:
        from moto.logs.models import logs_backends

        lines = [line for line in logs.splitlines() if line.strip()]
        if not lines:
            return
        client = session_client(self.endpoint, function.region, "logs", session.credentials())
        group = function.logs_group_name
        try:
            if group not in logs_backends[function.account_id][function.region].groups:
                client.create_log_group(logGroupName=group)  # Lambda creates a missing group
            now = datetime.now(UTC)
            stream = f"{now:%Y/%m/%d}/[$LATEST]{secrets.token_hex(16)}"
            client.create_log_stream(logGroupName=group, logStreamName=stream)
            millis = int(now.timestamp() * 1000)
            client.put_log_events(
                logGroupName=group,
                logStreamName=stream,
                logEvents=[{"timestamp": millis, "message": line} for line in lines],
            )
        except ClientError:
            return  # denied (and recorded by the authorizer): Lambda drops the logs

    def _run(self, function: Any, session: Session, event: Any = None) -> tuple[str, bool, str]:
        if not str(function.run_time).startswith("python"):
            error = {
                "errorMessage": f"the emulator runs Python functions only, not {function.run_time}"
            }
            return json.dumps(error), True, ""
        code_dir = Path(self.workdir.name) / (function.code_digest or function.function_name)
        if not code_dir.exists():
            with zipfile.ZipFile(io.BytesIO(function.code_bytes)) as archive:
                archive.extractall(code_dir)
        env = lambda_environment(self.endpoint, function.region, session)
        env.update(
            {
                "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
                "AWS_LAMBDA_FUNCTION_TIMEOUT": str(function.timeout),
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
                "_FUNCTION_ARN": function.function_arn,
                "_HANDLER": function.handler,
                "PYTHONPATH": str(code_dir),
                "AWS_LAMBDA_LOG_GROUP_NAME": function.logs_group_name,
                "AWS_LAMBDA_LOG_FORMAT": getattr(function, "log_format", "Text"),
            }
        )
        env.update({k: str(v) for k, v in (function.environment_vars or {}).items()})
        with tempfile.NamedTemporaryFile(dir=self.workdir.name, suffix=".json") as result:
            try:
                proc = subprocess.run(
                    [sys.executable, "-c", _BOOTSTRAP, function.handler, result.name],
                    input=event if isinstance(event, str) else json.dumps(event or {}),
                    env=env,
                    cwd=code_dir,
                    capture_output=True,
                    text=True,
                    timeout=float(function.timeout),
                    check=False,
                )
            except subprocess.TimeoutExpired:
                error = {"errorMessage": f"Task timed out after {function.timeout} seconds"}
                return json.dumps(error), True, ""
            payload = Path(result.name).read_text() or json.dumps(
                {"errorMessage": proc.stderr[-2000:]}
            )
        return payload, proc.returncode != 0, proc.stdout + proc.stderr
