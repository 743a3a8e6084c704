"""Step Functions workflows: a logged, traced, alarmed state machine plus retry/catch helpers.

* :class:`Workflow` wraps a state machine definition the caller builds (any ``sfn.IChainable``)
  with a log group (level ALL), X-Ray tracing, an overall timeout, alarms on failed, timed-out,
  throttled and aborted executions and an optional failure notification topic.
* :func:`add_retry` / :func:`add_catch` give a task exponential backoff with full jitter and a
  catch-all route to a failure handler (:class:`RetryPolicy` holds the retry settings).
* :class:`WorkflowActivity` is a human or long-running step: an ``sfn.Activity`` that workers
  long-poll for work (``patterns/clients/activity_worker.py`` is a small Python worker).
"""

from patterns.workflow.activity import WorkflowActivity
from patterns.workflow.capacity import WorkflowLoad
from patterns.workflow.construct import Workflow
from patterns.workflow.retry import DETERMINISTIC_ERRORS, RetryPolicy, add_catch, add_retry
from patterns.workflow.validate import MAX_EXPRESS_TIMEOUT, MAX_STANDARD_TIMEOUT

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
