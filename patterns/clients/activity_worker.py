"""A long-polling Step Functions activity worker (the activity-worker model of Simple Workflow).

The worker asks Step Functions for work with ``GetActivityTask`` (a long poll that returns
within about 60 s, with an empty token when there is no task), runs a handler on the task's
JSON input, sends ``SendTaskHeartbeat`` from a background thread while the handler works, and
finishes with ``SendTaskSuccess`` (the handler's JSON-serialisable result) or
``SendTaskFailure`` (the exception's class name and message). A task whose heartbeat or
timeout expired (``TaskTimedOut``) is abandoned quietly.

Usage (the example approval worker; the activity ARN is the WorkflowExample's output)::

    python -m patterns.clients.activity_worker --activity-arn arn:aws:states:...:activity:...

or in code, with any handler and an injectable client::

    worker = ActivityWorker(activity_arn, handler=my_handler, client=boto3.client("stepfunctions"))
    worker.run()

Only boto3 is needed (botocore honours ``AWS_ENDPOINT_URL`` for a local endpoint).
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any, Protocol

logger = logging.getLogger(__name__)

#: Step Functions limits of SendTaskFailure.
MAX_ERROR_CHARS = 256
MAX_CAUSE_CHARS = 32_768
#: GetActivityTask holds the connection up to 60 s: the client read timeout must be longer.
POLL_READ_TIMEOUT_SECONDS = 70

Handler = Callable[[Any], Any]


class StepFunctionsClient(Protocol):
    """The four calls the worker makes (a boto3 ``stepfunctions`` client has them)."""

    def get_activity_task(self, **kwargs: Any) -> dict[str, Any]:
        """Long-poll for a task (``activityArn``, ``workerName``)."""
        ...

    def send_task_success(self, **kwargs: Any) -> dict[str, Any]:
        """Finish a task with its JSON ``output`` (``taskToken``, ``output``)."""
        ...

    def send_task_failure(self, **kwargs: Any) -> dict[str, Any]:
        """Fail a task (``taskToken``, ``error``, ``cause``)."""
        ...

    def send_task_heartbeat(self, **kwargs: Any) -> dict[str, Any]:
        """Tell Step Functions the task is still being worked on (``taskToken``)."""
        ...


def default_client() -> StepFunctionsClient:
    """A boto3 Step Functions client whose read timeout outlasts the 60 s long poll."""
    import boto3  # type: ignore[import-untyped]
    from botocore.config import Config  # type: ignore[import-untyped]

    client: StepFunctionsClient = boto3.client(
        "stepfunctions",
        config=Config(read_timeout=POLL_READ_TIMEOUT_SECONDS, retries={"mode": "standard"}),
    )
    return client


def _error_code(exc: Exception) -> str | None:
    """The AWS error code of a botocore ClientError (or a fake with the same shape)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return code if isinstance(code, str) else None
    return None


class _Heartbeat:
    """Sends SendTaskHeartbeat every ``interval`` seconds until stopped or the task expired."""

    def __init__(self, client: StepFunctionsClient, token: str, interval: float) -> None:
        self._client = client
        self._token = token
        self._interval = interval
        self._stop = threading.Event()
        self.expired = threading.Event()
        self._thread = threading.Thread(target=self._run, name="activity-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._client.send_task_heartbeat(taskToken=self._token)
            except Exception as exc:
                if _error_code(exc) in ("TaskTimedOut", "TaskDoesNotExist", "InvalidToken"):
                    logger.warning("task expired while working: %s", exc)
                    self.expired.set()
                    return
                logger.warning("heartbeat failed, will retry: %s", exc)


class ActivityWorker:
    """Polls one activity and runs ``handler`` on each task's input.

    Args:
        activity_arn: the activity to poll.
        handler: called with the task's parsed JSON input; returns a JSON-serialisable result.
            An exception fails the task with the exception's class name as the error (what a
            workflow ``Catch`` matches) and its message as the cause.
        client: a Step Functions client. Default: :func:`default_client`.
        worker_name: reported to Step Functions (shown in the execution history). Default:
            the host name.
        heartbeat_interval: seconds between heartbeats while the handler runs; keep it well
            below the task's heartbeat timeout. Default 60.
        error_backoff: seconds to wait after a failed poll. Default 5.
    """

    def __init__(
        self,
        activity_arn: str,
        handler: Handler,
        *,
        client: StepFunctionsClient | None = None,
        worker_name: str | None = None,
        heartbeat_interval: float = 60.0,
        error_backoff: float = 5.0,
    ) -> None:
        if heartbeat_interval <= 0:
            raise ValueError(f"heartbeat_interval must be positive, got {heartbeat_interval}")
        self.activity_arn = activity_arn
        self.handler = handler
        self.client = client if client is not None else default_client()
        self.worker_name = (worker_name or socket.gethostname())[:80]
        self.heartbeat_interval = heartbeat_interval
        self.error_backoff = error_backoff

    def poll_once(self) -> bool:
        """One long poll; handle the task if one came. True if a task was handled."""
        response = self.client.get_activity_task(
            activityArn=self.activity_arn, workerName=self.worker_name
        )
        token = response.get("taskToken")
        if not token:  # the long poll ended without work
            return False
        self._handle(token, response.get("input") or "null")
        return True

    def run(self, *, stop: threading.Event | None = None, max_tasks: int | None = None) -> int:
        """Poll until ``stop`` is set or ``max_tasks`` tasks were handled; returns the count.

        A failed poll (network, throttling) is logged and retried after ``error_backoff`` s.
        """
        waiter = stop if stop is not None else threading.Event()
        handled = 0
        while not waiter.is_set():
            if max_tasks is not None and handled >= max_tasks:
                break
            try:
                if self.poll_once():
                    handled += 1
            except Exception:
                logger.exception("polling %s failed", self.activity_arn)
                if waiter.wait(self.error_backoff):
                    break
        return handled

    # -- internals ---------------------------------------------------------------------------
    def _handle(self, token: str, raw_input: str) -> None:
        try:
            task_input = json.loads(raw_input)
        except json.JSONDecodeError as exc:
            self._fail(token, "InvalidInput", f"task input is not JSON: {exc}")
            return
        with _Heartbeat(self.client, token, self.heartbeat_interval) as heartbeat:
            try:
                result = self.handler(task_input)
                output = json.dumps(result)
            except Exception as exc:
                logger.exception("task failed")
                if not heartbeat.expired.is_set():
                    self._fail(token, type(exc).__name__, str(exc) or repr(exc))
                return
        if heartbeat.expired.is_set():
            logger.warning("discarding the result of an expired task")
            return
        self._send(self.client.send_task_success, taskToken=token, output=output)

    def _fail(self, token: str, error: str, cause: str) -> None:
        self._send(
            self.client.send_task_failure,
            taskToken=token,
            error=error[:MAX_ERROR_CHARS],
            cause=cause[:MAX_CAUSE_CHARS],
        )

    @staticmethod
    def _send(call: Callable[..., Any], **kwargs: Any) -> None:
        try:
            call(**kwargs)
        except Exception as exc:
            if _error_code(exc) in ("TaskTimedOut", "TaskDoesNotExist", "InvalidToken"):
                logger.warning("task expired before its result was sent: %s", exc)
                return
            raise


# -- the example: approve orders up to a limit -------------------------------------------------


class ApprovalRejected(Exception):
    """The order needs a human: its total is above the automatic approval limit."""


def approve_order(task_input: Any, *, limit: float = 5_000.0) -> dict[str, Any]:
    """Example handler: approve an order whose ``total`` is at most ``limit``."""
    order = task_input.get("order", task_input) if isinstance(task_input, dict) else {}
    total = float(order.get("total", 0) if isinstance(order, dict) else 0)
    if total > limit:
        raise ApprovalRejected(f"total {total:g} is above the automatic limit {limit:g}")
    return {"approved": True, "approver": "activity-worker", "total": total}


def main(argv: list[str] | None = None) -> int:
    """``python -m patterns.clients.activity_worker --activity-arn ARN``: run the example
    approval worker until interrupted; the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--activity-arn", required=True)
    parser.add_argument("--limit", type=float, default=5_000.0, help="auto-approval limit")
    parser.add_argument("--max-tasks", type=int, default=None, help="stop after N tasks")
    parser.add_argument("--heartbeat-interval", type=float, default=60.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    worker = ActivityWorker(
        args.activity_arn,
        lambda task: approve_order(task, limit=args.limit),
        heartbeat_interval=args.heartbeat_interval,
    )
    handled = worker.run(max_tasks=args.max_tasks)
    logger.info("handled %d tasks", handled)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
