"""Lambda handlers of the example stacks only (not part of the construct library).

``stacks.handlers.HANDLERS`` is this folder: ``handler_code(HANDLERS / "order_step.py")``.
"""

from pathlib import Path

HANDLERS = Path(__file__).resolve().parent
