"""The release workflow (.github/workflows/release.yml) cannot run here, so it is checked:
against GitHub's workflow JSON schema (check-jsonschema's vendored copy, run without a network
where this machine can take it away), and for what it must do - pull requests run make test
and every part of make matrix on the supported Pythons; a version tag builds, checks and
publishes to PyPI with trusted publishing, and publishes the API docs."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
CHECK = [
    sys.executable,
    "-m",
    "check_jsonschema",
    "--builtin-schema",
    "vendor.github-workflows",
]


def offline(command: list[str]) -> list[str]:
    """``command`` in a network namespace of its own (no interfaces), where possible (root)."""
    if shutil.which("unshare") and os.geteuid() == 0:
        probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["unshare", "--net", *command]
    return command


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(WORKFLOW.read_text())
    return loaded


def run_steps(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def uses(job: dict[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in job["steps"] if "uses" in step]


def test_the_workflows_match_githubs_schema_offline() -> None:
    files = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert WORKFLOW in files
    result = subprocess.run(
        offline([*CHECK, *map(str, files)]), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = WORKFLOW.read_text().replace("    runs-on: ubuntu-24.04\n", "    runs_on: ubuntu\n", 1)
    assert broken != WORKFLOW.read_text()
    (tmp_path / "broken.yml").write_text(broken)
    result = subprocess.run(
        offline([*CHECK, str(tmp_path / "broken.yml")]), capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stdout
    assert "runs_on" in result.stdout or "runs-on" in result.stdout


def test_pull_requests_run_make_test_and_every_part_of_make_matrix(
    workflow: dict[str, Any],
) -> None:
    assert "pull_request" in workflow["on"]
    jobs = workflow["jobs"]
    unconditional = {name: job for name, job in jobs.items() if "if" not in job}
    assert any(re.search(r"^make test$", run_steps(j), re.M) for j in unconditional.values())
    makefile = (ROOT / "Makefile").read_text()
    envs = re.search(r"^MATRIX_ENVS\s*:=\s*(.+)$", makefile, re.M)
    assert envs is not None
    matrix = unconditional["matrix"]
    include = matrix["strategy"]["matrix"]["include"]
    assert sorted(e["env"] for e in include) == sorted(envs[1].split())
    assert "make matrix-${{ matrix.env }}" in run_steps(matrix)
    # the Pythons CI uses are the ones pyproject.toml declares supported
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    supported = {
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if re.match(r"Programming Language :: Python :: 3\.\d+$", c)
    }
    assert {e["python"] for e in include} == supported
    assert matrix["container"] == "python:${{ matrix.python }}-trixie"


def test_a_version_tag_builds_checks_and_publishes_with_trusted_publishing(
    workflow: dict[str, Any],
) -> None:
    tags = workflow["on"]["push"]["tags"]
    assert any(fnmatch.fnmatch("v0.2.0", pattern) for pattern in tags)
    assert not any(fnmatch.fnmatch("0.2.0", pattern) for pattern in tags)
    jobs = workflow["jobs"]
    on_tag = "startsWith(github.ref, 'refs/tags/v')"
    build, publish = jobs["build"], jobs["publish-pypi"]
    assert build["if"] == on_tag and publish["if"] == on_tag
    assert set(build["needs"]) == {"test", "matrix"}  # nothing ships that did not pass
    assert "make dist" in run_steps(build)  # sdist + wheel + twine check --strict
    assert 'test "${GITHUB_REF_NAME}" = "v${version}"' in run_steps(build)
    assert publish["needs"] == ["build"]
    assert "pypa/gh-action-pypi-publish@release/v1" in uses(publish)
    # trusted publishing: an OIDC token, no stored password or API token
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert "secrets." not in WORKFLOW.read_text()
    for step in publish["steps"]:
        assert not {"password", "user"} & set(step.get("with", {}))


def test_a_version_tag_publishes_the_api_docs(workflow: dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    docs, pages = jobs["docs"], jobs["publish-docs"]
    assert "make docs" in run_steps(docs)
    upload = next(
        s for s in docs["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages")
    )
    assert upload["with"]["path"] == "docs/"  # where make docs writes
    assert "docs" in pages["needs"] and "publish-pypi" in pages["needs"]
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(u.startswith("actions/deploy-pages@") for u in uses(pages))


def test_the_workflow_grants_only_read_by_default(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        if "permissions" in job:
            assert name in {"publish-pypi", "publish-docs"}, name
