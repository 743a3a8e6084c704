"""Session fixtures: the example app is synthesized once and shared by every test.

``synth`` builds every example stack with the cdk-nag packs active into a temporary
cloud assembly. A nag finding does not abort the session: the templates are still
written, and ``test_gates.py`` reports the finding against its stack.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

from stacks import build_example_app

ROOT = Path(__file__).resolve().parent.parent


@cache
def cdk_context() -> dict[str, Any]:
    """The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def new_app(**kwargs: Any) -> cdk.App:
    """A fresh app with the project's feature flags (for validation and variant tests)."""
    return cdk.App(context=cdk_context(), **kwargs)


def new_stack(name: str = "Test") -> cdk.Stack:
    """A fresh stack in a fresh app: the scope for one construct under test."""
    return cdk.Stack(new_app(), name)


@dataclass
class SynthResult:
    outdir: Path
    stacks: dict[str, cdk.Stack]
    error: str | None
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    _assertion_templates: dict[str, assertions.Template] = field(default_factory=dict)

    @property
    def report(self) -> dict[str, Any] | None:
        path = self.outdir / "validation-report.json"
        return json.loads(path.read_text()) if path.exists() else None

    def template(self, stack_name: str) -> assertions.Template:
        """`assertions.Template` of one example stack, built once per session."""
        if stack_name not in self._assertion_templates:
            self._assertion_templates[stack_name] = assertions.Template.from_json(
                self.templates[stack_name]
            )
        return self._assertion_templates[stack_name]

    def resources(self, stack_name: str, type_name: str) -> dict[str, dict[str, Any]]:
        """Logical id -> resource of one CloudFormation type."""
        return {
            logical_id: resource
            for logical_id, resource in self.templates[stack_name]["Resources"].items()
            if resource["Type"] == type_name
        }


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = new_app(outdir=str(outdir))
    stacks = build_example_app(app)
    error: str | None = None
    try:
        app.synth()
    except RuntimeError as exc:  # ValidationFailed: reported per stack by test_gates
        error = str(exc)
    result = SynthResult(outdir=outdir, stacks=stacks, error=error)
    for name in stacks:
        path = outdir / f"{name}.template.json"
        result.templates[name] = json.loads(path.read_text())
    return result


@pytest.fixture(scope="session")
def cfn_lint_findings(synth: SynthResult) -> dict[str, list[dict[str, Any]]]:
    """cfn-lint over every example template in one run (config: .cfnlintrc)."""
    files = [str(synth.outdir / f"{name}.template.json") for name in synth.stacks]
    exe = shutil.which("cfn-lint", path=os.path.dirname(sys.executable)) or "cfn-lint"
    proc = subprocess.run(
        [exe, "--format", "json", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 2, 4, 6, 8, 10, 12, 14) or not proc.stdout.strip():
        if proc.returncode == 0:
            return {name: [] for name in synth.stacks}
        raise RuntimeError(f"cfn-lint failed to run ({proc.returncode}): {proc.stderr}")
    by_stack: dict[str, list[dict[str, Any]]] = {name: [] for name in synth.stacks}
    for finding in json.loads(proc.stdout):
        stack = Path(finding["Filename"]).name.removesuffix(".template.json")
        by_stack.setdefault(stack, []).append(finding)
    return by_stack


@pytest.fixture()
def stack() -> Iterator[cdk.Stack]:
    """A fresh, empty stack for one test."""
    yield new_stack()
