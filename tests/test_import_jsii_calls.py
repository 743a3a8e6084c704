"""Importing a pattern makes no jsii call (issue 17, "pay only for what you import").

A call at import time (a module-level ``Duration.minutes(5)``, a default argument or dataclass
field ``Duration.seconds(30)``, a static member such as ``lambda_.Runtime.PYTHON_3_14``) is a
round trip to the Node.js kernel, and the first one also loads typeguard: paid by every app
that imports the pattern, built or not. Defaults are written with
:func:`patterns.core.deferred.deferred` instead. The signal is deterministic: every request
sent to the kernel process other than loading an assembly (which importing aws_cdk itself
does) is counted, in a fresh interpreter, with the line of ``patterns`` that made it; so is
loading typeguard, which a jsii struct built at import (``ec2.SubnetSelection(...)``) does
without a kernel call (importing the aws-cdk-lib modules alone does not load it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_

import patterns
from patterns.core.deferred import deferred
from patterns.core.lambda_code import LATEST_PYTHON

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import importlib, json, pkgutil, runpy, sys, traceback
from jsii._kernel.providers import process

send = process._NodeProcess.send
calls = []

def counted(self, request, response_type):
    if type(request).__name__ != "LoadRequest":
        ours = [f for f in traceback.extract_stack() if "/patterns/" in f.filename]
        where = f"{ours[-1].filename.split('/patterns/')[-1]}:{ours[-1].lineno}" if ours else "?"
        calls.append(f"{type(request).__name__} at patterns/{where}")
    return send(self, request, response_type)

process._NodeProcess.send = counted
made = {}
typeguard = "typeguard" in sys.modules

def note(label):
    global typeguard
    if not typeguard and "typeguard" in sys.modules:  # a jsii struct's type check loads it
        typeguard = True
        calls.append("loads typeguard")
    if calls:
        made[label] = calls[:]
        calls.clear()

package = importlib.import_module("patterns")
for name in package.__all__:
    getattr(package, name)
    note(f"from patterns import {name}")
for module in pkgutil.walk_packages(package.__path__, "patterns."):
    importlib.import_module(module.name)
    note(f"import {module.name}")
for path in sys.argv[1:]:  # the control: a file that does make a call
    runpy.run_path(path)
    note(path)
print(json.dumps(made))
"""


def probe(*files: Path) -> dict[str, list[str]]:
    """The jsii calls made at import, per import that made some (``files``: run after)."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    made: dict[str, list[str]] = json.loads(out.splitlines()[-1])
    return made


def test_importing_any_pattern_or_module_makes_no_jsii_call() -> None:
    assert probe() == {}


def test_the_probe_counts_a_jsii_call_made_at_import(tmp_path: Path) -> None:
    """The signal works: a module-level ``Duration.minutes(5)`` is counted (so the test
    above cannot pass for a probe that never fires)."""
    control = tmp_path / "patterns" / "control.py"
    control.parent.mkdir()
    control.write_text(
        "from aws_cdk import Duration\nfrom aws_cdk import aws_ec2 as ec2\n\n"
        "PERIOD = Duration.minutes(5)\nPUBLIC = ec2.SubnetSelection(one_per_az=True)\n"
    )
    assert probe(control) == {
        str(control): ["StaticInvokeRequest at patterns/control.py:4", "loads typeguard"]
    }


def test_a_deferred_value_is_the_jsii_value_it_stands_for() -> None:
    value = deferred(Duration, "seconds", 300)
    assert isinstance(value, Duration)
    assert type(value).__name__ == "Duration"
    assert value.to_seconds() == 300
    assert value.to_human_string() == "5 minutes"
    assert value.__jsii_ref__ is value.__jsii_ref__  # made once
    assert isinstance(LATEST_PYTHON, lambda_.Runtime)
    assert LATEST_PYTHON.name == "python3.14"
    assert LATEST_PYTHON.runtime_equals(lambda_.Runtime.PYTHON_3_14)
    assert LATEST_PYTHON.family == lambda_.RuntimeFamily.PYTHON


def test_the_documented_defaults_are_unchanged() -> None:
    """Signatures still carry a Duration with the documented amount (docs, None rules)."""
    import inspect

    retention = inspect.signature(patterns.VideoIngestStream.__init__).parameters["retention"]
    assert isinstance(retention.default, Duration)
    assert retention.default.to_hours() == 24
    assert patterns.QueueOptions().retention_period.to_days() == 4
    assert patterns.QueueOptions() == patterns.QueueOptions()
