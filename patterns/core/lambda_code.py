"""The Lambda runtime and handler assets every pattern uses.

Handlers are plain Python files in ``patterns/runtime/`` shipped as package data (no
Docker bundling). Each function's asset holds only its own module, so its hash - and
so the function's code version - changes only when that file does.
"""

from __future__ import annotations

import re
from pathlib import Path

from aws_cdk import aws_lambda as lambda_

__all__ = ["LATEST_PYTHON", "RUNTIME_DIR", "runtime_code"]

#: The newest Python runtime of this aws-cdk-lib (cdk-nag L1 / LambdaLatestVersion want it).
#: Every function the patterns create uses it; it moves up project-wide at once.
LATEST_PYTHON = lambda_.Runtime.PYTHON_3_14
#: The handlers shipped with this package.
RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def runtime_code(module: str) -> lambda_.Code:
    """An asset with only ``patterns/runtime/<module>.py`` (so its hash follows that file)."""
    if not _MODULE.match(module) or not (RUNTIME_DIR / f"{module}.py").is_file():
        raise ValueError(f"no handler module {module!r} in {RUNTIME_DIR}")
    return lambda_.Code.from_asset(str(RUNTIME_DIR), exclude=["*", f"!{module}.py"])
