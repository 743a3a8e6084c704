"""Event-driven Lambda: :class:`EventDrivenFunction` (an EventBridge rule or an SQS queue
invoking a hardened Python function).

``LATEST_PYTHON`` and ``handler_code`` are re-exported from :mod:`patterns.core.lambda_code`
for the function's ``runtime`` and ``code``.
"""

from patterns.core.lambda_code import LATEST_PYTHON, handler_code
from patterns.event_function.construct import EventDrivenFunction
from patterns.event_function.load import FunctionLoad

__all__ = ["LATEST_PYTHON", "EventDrivenFunction", "FunctionLoad", "handler_code"]
