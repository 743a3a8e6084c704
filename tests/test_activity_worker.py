"""The long-polling activity worker, against a fake Step Functions client (no AWS, no sleeps)."""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any

import pytest

from patterns.clients.activity_worker import (
    MAX_CAUSE_CHARS,
    MAX_ERROR_CHARS,
    ActivityWorker,
    ApprovalRejected,
    approve_order,
    main,
)

ARN = "arn:aws:states:eu-west-1:111122223333:activity:approval"
WAIT = 10.0  # upper bound for thread hand-offs; never reached when the code is right


class ClientError(Exception):
    """Shaped like botocore's ClientError: ``response["Error"]["Code"]``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.response = {"Error": {"Code": code, "Message": code}}


class FakeStepFunctions:
    """Replays queued GetActivityTask responses and records every call."""

    def __init__(self, *tasks: dict[str, Any] | Exception) -> None:
        self.tasks: deque[dict[str, Any] | Exception] = deque(tasks)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.heartbeat_error: Exception | None = None
        self.result_error: Exception | None = None
        self.heartbeat_sent = threading.Event()

    def _record(self, name: str, kwargs: dict[str, Any]) -> None:
        self.calls.append((name, kwargs))

    def get_activity_task(self, **kwargs: Any) -> dict[str, Any]:
        self._record("get_activity_task", kwargs)
        task = self.tasks.popleft() if self.tasks else {"taskToken": ""}
        if isinstance(task, Exception):
            raise task
        return task

    def send_task_success(self, **kwargs: Any) -> dict[str, Any]:
        self._record("send_task_success", kwargs)
        if self.result_error is not None:
            raise self.result_error
        return {}

    def send_task_failure(self, **kwargs: Any) -> dict[str, Any]:
        self._record("send_task_failure", kwargs)
        if self.result_error is not None:
            raise self.result_error
        return {}

    def send_task_heartbeat(self, **kwargs: Any) -> dict[str, Any]:
        self._record("send_task_heartbeat", kwargs)
        self.heartbeat_sent.set()
        if self.heartbeat_error is not None:
            raise self.heartbeat_error
        return {}

    def named(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for call, kwargs in self.calls if call == name]


def task(token: str, payload: Any) -> dict[str, Any]:
    return {"taskToken": token, "input": json.dumps(payload)}


def worker(client: FakeStepFunctions, handler: Any, **kwargs: Any) -> ActivityWorker:
    kwargs.setdefault("heartbeat_interval", 3600.0)  # no heartbeat unless a test asks for one
    return ActivityWorker(ARN, handler, client=client, worker_name="test-worker", **kwargs)


def test_success_sends_the_handler_result_as_json() -> None:
    client = FakeStepFunctions(task("t-1", {"order": {"total": 10}}))
    assert worker(client, lambda data: {"seen": data["order"]["total"]}).poll_once() is True
    assert client.named("get_activity_task") == [{"activityArn": ARN, "workerName": "test-worker"}]
    assert client.named("send_task_success") == [{"taskToken": "t-1", "output": '{"seen": 10}'}]
    assert client.named("send_task_failure") == []


def test_an_empty_poll_calls_nothing_else() -> None:
    client = FakeStepFunctions({"taskToken": ""})
    assert worker(client, lambda data: data).poll_once() is False
    assert [name for name, _ in client.calls] == ["get_activity_task"]


def test_handler_exception_fails_the_task_with_its_class_name() -> None:
    client = FakeStepFunctions(task("t-2", {"order": {"total": 9_000}}))
    worker(client, approve_order).poll_once()
    (failure,) = client.named("send_task_failure")
    assert failure["taskToken"] == "t-2"
    assert failure["error"] == "ApprovalRejected"
    assert "above the automatic limit" in failure["cause"]
    assert client.named("send_task_success") == []


def test_failure_error_and_cause_are_truncated_to_the_api_limits() -> None:
    long_name = type("X" * 300, (Exception,), {})

    def fail(_: Any) -> None:
        raise long_name("c" * (MAX_CAUSE_CHARS + 100))

    client = FakeStepFunctions(task("t-3", {}))
    worker(client, fail).poll_once()
    (failure,) = client.named("send_task_failure")
    assert len(failure["error"]) == MAX_ERROR_CHARS
    assert len(failure["cause"]) == MAX_CAUSE_CHARS


def test_input_that_is_not_json_fails_without_calling_the_handler() -> None:
    called: list[Any] = []
    client = FakeStepFunctions({"taskToken": "t-4", "input": "{not json"})
    worker(client, called.append).poll_once()
    assert called == []
    (failure,) = client.named("send_task_failure")
    assert failure["error"] == "InvalidInput"


def test_a_result_that_is_not_serialisable_fails_the_task() -> None:
    client = FakeStepFunctions(task("t-5", {}))
    worker(client, lambda _: {"when": object()}).poll_once()
    (failure,) = client.named("send_task_failure")
    assert failure["error"] == "TypeError"


def test_heartbeats_are_sent_while_the_handler_works() -> None:
    client = FakeStepFunctions(task("t-6", {}))

    def slow(_: Any) -> str:
        # finish only once the worker has sent a heartbeat for this task
        assert client.heartbeat_sent.wait(WAIT), "no heartbeat was sent"
        return "done"

    worker(client, slow, heartbeat_interval=0.01).poll_once()
    beats = client.named("send_task_heartbeat")
    assert beats and all(b == {"taskToken": "t-6"} for b in beats)
    assert client.named("send_task_success") == [{"taskToken": "t-6", "output": '"done"'}]
    # the heartbeat thread stopped with the task: no beat was sent after the result
    names = [name for name, _ in client.calls]
    assert names[-1] == "send_task_success"


def test_an_expired_task_is_abandoned_without_a_result() -> None:
    client = FakeStepFunctions(task("t-7", {}))
    client.heartbeat_error = ClientError("TaskTimedOut")

    def slow(_: Any) -> str:
        assert client.heartbeat_sent.wait(WAIT)
        return "too late"

    w = worker(client, slow, heartbeat_interval=0.01)
    w.poll_once()
    assert client.named("send_task_success") == []
    assert client.named("send_task_failure") == []


def test_a_transient_heartbeat_error_keeps_heartbeating() -> None:
    client = FakeStepFunctions(task("t-8", {}))
    client.heartbeat_error = ClientError("ThrottlingException")
    second = threading.Event()
    original = client.send_task_heartbeat

    def counting(**kwargs: Any) -> dict[str, Any]:
        if len(client.named("send_task_heartbeat")) >= 1:
            client.heartbeat_error = None
            second.set()
        return original(**kwargs)

    client.send_task_heartbeat = counting  # type: ignore[method-assign]

    def slow(_: Any) -> str:
        assert second.wait(WAIT)
        return "ok"

    worker(client, slow, heartbeat_interval=0.01).poll_once()
    assert len(client.named("send_task_heartbeat")) >= 2
    assert client.named("send_task_success") == [{"taskToken": "t-8", "output": '"ok"'}]


def test_a_result_for_an_expired_task_is_dropped_quietly() -> None:
    client = FakeStepFunctions(task("t-9", {}))
    client.result_error = ClientError("TaskTimedOut")
    assert worker(client, lambda _: "x").poll_once() is True


def test_other_errors_sending_the_result_propagate() -> None:
    client = FakeStepFunctions(task("t-10", {}))
    client.result_error = ClientError("AccessDeniedException")
    with pytest.raises(ClientError):
        worker(client, lambda _: "x").poll_once()


def test_run_stops_after_max_tasks_skipping_empty_polls() -> None:
    client = FakeStepFunctions(task("a", {}), {"taskToken": ""}, task("b", {}), task("c", {}))
    handled = worker(client, lambda data: data).run(max_tasks=2)
    assert handled == 2
    assert [s["taskToken"] for s in client.named("send_task_success")] == ["a", "b"]
    assert len(client.tasks) == 1  # "c" was never polled


def test_run_survives_a_failed_poll() -> None:
    client = FakeStepFunctions(ClientError("ThrottlingException"), task("a", {}))
    handled = worker(client, lambda data: data, error_backoff=0).run(max_tasks=1)
    assert handled == 1


def test_run_stops_when_asked() -> None:
    stop = threading.Event()
    client = FakeStepFunctions(task("a", {}))

    def handle(data: Any) -> Any:
        stop.set()
        return data

    assert worker(client, handle).run(stop=stop) == 1
    assert len(client.named("get_activity_task")) == 1


def test_heartbeat_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="heartbeat_interval must be positive"):
        worker(FakeStepFunctions(), lambda d: d, heartbeat_interval=0)


def test_approve_order_within_the_limit() -> None:
    assert approve_order({"order": {"total": 100}}) == {
        "approved": True,
        "approver": "activity-worker",
        "total": 100.0,
    }
    assert approve_order({"total": 5_000})["approved"] is True
    with pytest.raises(ApprovalRejected):
        approve_order({"order": {"total": 5_000.01}})
    with pytest.raises(ApprovalRejected):
        approve_order({"order": {"total": 20}}, limit=10)


def test_main_polls_with_the_given_options(monkeypatch: pytest.MonkeyPatch) -> None:
    client = FakeStepFunctions(task("m-1", {"order": {"total": 50}}))
    monkeypatch.setattr("patterns.clients.activity_worker.default_client", lambda: client)
    assert main(["--activity-arn", ARN, "--max-tasks", "1", "--limit", "100"]) == 0
    (success,) = client.named("send_task_success")
    assert json.loads(success["output"])["approved"] is True
