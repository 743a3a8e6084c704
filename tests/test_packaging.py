"""The distribution: what `pip install .` ships, and a user's own app importing from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a clean copy: setuptools reuses an in-tree build/ directory, which would
    # leak modules deleted since the last build into the wheel.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "patterns", source / "patterns", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_NO_INDEX": "1"},
    )
    (path,) = out.glob("scalable_patterns-*.whl")
    return path


def test_wheel_ships_the_typed_package_and_runtime_assets_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "patterns/__init__.py" in names
    assert "patterns/py.typed" in names
    assert "patterns/core/validation.py" in names
    # the handler a pattern deploys, and the clients users run, ship with the library
    assert "patterns/data_tier/time_series/time_series_rotation.py" in names
    assert "patterns/clients/large_payload_client.py" in names
    assert "patterns/clients/activity_worker.py" in names
    # example stacks, their handlers, tests and the tooling do not
    tooling = ("stacks/", "tests/", "synth_review/", "emulator/", "patterns/review")
    assert not [n for n in names if n.startswith(tooling)]
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Name: scalable-patterns" in text
    for requirement in ("aws-cdk-lib", "constructs", "cdk-nag"):
        assert f"Requires-Dist: {requirement}" in text


def test_a_users_app_synthesizes_from_the_installed_package(wheel: Path, tmp_path: Path) -> None:
    """The wheel alone (not this checkout) on sys.path, imported by an app outside the repo
    that has none of the feature flags of our cdk.json (as in an older user app)."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    app = tmp_path / "user_app.py"
    app.write_text(
        textwrap.dedent(
            """
            import json, sys
            import aws_cdk as cdk
            import patterns
            from patterns import PatternValidationError, QueueOptions, StreamToS3Pipeline, TopicFanOut, capacity

            assert patterns.__file__.startswith(sys.argv[1]), patterns.__file__
            app = cdk.App(outdir=sys.argv[2])  # no cdk.json: none of the recommended flags
            stack = cdk.Stack(app, "UserStack")
            TopicFanOut(stack, "Events", queues={"worker": QueueOptions()})
            StreamToS3Pipeline(stack, "Clicks", records_per_second=100, average_record_kib=1)
            try:
                TopicFanOut(stack, "Bad", queues={"w": QueueOptions(max_receive_count=0)})
            except PatternValidationError as exc:
                print("validation:", exc.problems[0])
            print("shards:", capacity.kinesis_shards(2500, 1.5).shards)
            app.synth()
            template = json.load(open(sys.argv[2] + "/UserStack.template.json"))
            print("queues:", sum(r["Type"] == "AWS::SQS::Queue" for r in template["Resources"].values()))
            """
        )
    )
    out = tmp_path / "cdk.out"
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, str(app), str(site), str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        'validation: queues["w"].max_receive_count must be between 1 and 1,000, got 0'
        in result.stdout
    )
    assert "shards: 4" in result.stdout
    assert "queues: 3" in result.stdout  # worker + its DLQ + the undeliverable DLQ
