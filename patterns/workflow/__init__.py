"""Step Functions workflows: a logged, traced, alarmed state machine plus retry/catch helpers.

* :class:`Workflow` wraps a state machine definition the caller builds (any ``sfn.IChainable``)
  with a log group (level ALL), X-Ray tracing, an overall timeout, alarms on failed, timed-out,
  throttled and aborted executions and an optional failure notification topic.
* :func:`add_retry` / :func:`add_catch` give a task exponential backoff with full jitter and a
  catch-all route to a failure handler (:class:`RetryPolicy` holds the retry settings).
* :class:`WorkflowActivity` is a human or long-running step: an ``sfn.Activity`` that workers
  long-poll for work (``patterns/clients/activity_worker.py`` is a small Python worker).

Names load on first use (PEP 562, as in :mod:`patterns`): a ``Workflow`` does not import the
activity module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patterns._lazy import lazy_names

if TYPE_CHECKING:  # type checkers and IDEs see every name; at run time __getattr__ loads them
    from patterns.workflow.activity import WorkflowActivity
    from patterns.workflow.capacity import WorkflowLoad
    from patterns.workflow.construct import Workflow
    from patterns.workflow.retry import DETERMINISTIC_ERRORS, RetryPolicy, add_catch, add_retry
    from patterns.workflow.validate import MAX_EXPRESS_TIMEOUT, MAX_STANDARD_TIMEOUT

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "DETERMINISTIC_ERRORS": "patterns.workflow.retry",
    "MAX_EXPRESS_TIMEOUT": "patterns.workflow.validate",
    "MAX_STANDARD_TIMEOUT": "patterns.workflow.validate",
    "RetryPolicy": "patterns.workflow.retry",
    "Workflow": "patterns.workflow.construct",
    "WorkflowActivity": "patterns.workflow.activity",
    "WorkflowLoad": "patterns.workflow.capacity",
    "add_catch": "patterns.workflow.retry",
    "add_retry": "patterns.workflow.retry",
}

__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)

__all__ = [
    "DETERMINISTIC_ERRORS",
    "MAX_EXPRESS_TIMEOUT",
    "MAX_STANDARD_TIMEOUT",
    "RetryPolicy",
    "Workflow",
    "WorkflowActivity",
    "WorkflowLoad",
    "add_catch",
    "add_retry",
]
