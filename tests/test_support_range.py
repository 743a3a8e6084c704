"""The declared support range is the tested one: pyproject.toml's floors are the pins make
matrix tests (requirements-floor.txt), its Python classifiers are make matrix's interpreters,
and the README's install section says the same."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LIBRARIES = ("aws-cdk-lib", "constructs", "cdk-nag")


def declared() -> dict[str, Requirement]:
    return {r.name: r for r in map(Requirement, PROJECT["dependencies"])}


def floor(requirement: Requirement) -> Version:
    (lower,) = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    return lower


def pins(path: Path) -> dict[str, Version]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {
        r.name: Version(next(iter(r.specifier)).version)
        for r in map(Requirement, filter(None, lines))
    }


def supported_pythons() -> list[str]:
    return sorted(
        (c.rsplit(" :: ", 1)[1] for c in PROJECT["classifiers"] if re.search(r":: 3\.\d+$", c)),
        key=Version,
    )


def test_the_floors_are_the_pins_make_matrix_tests() -> None:
    floors = pins(ROOT / "requirements-floor.txt")
    for name in LIBRARIES:
        requirement = declared()[name]
        assert floors[name] == floor(requirement), name
        assert floors[name] in requirement.specifier
        # the example app's pins are in the range too
        assert pins(ROOT / "requirements.txt")[name] in requirement.specifier, name


def test_the_suite_runs_on_the_versions_it_claims_to() -> None:
    """make matrix-floor sets SUPPORT_RANGE=floor: the suite then runs on exactly the floors;
    everywhere else on the pins of requirements.txt. The installed libraries accept one another
    at those versions (cdk-nag's and aws-cdk-lib's requirements on constructs, aws-cdk-lib)."""
    if os.environ.get("SUPPORT_RANGE") == "floor":
        expected = {name: floor(declared()[name]) for name in LIBRARIES}
    else:
        expected = {name: pins(ROOT / "requirements.txt")[name] for name in LIBRARIES}
    for name in LIBRARIES:
        assert Version(metadata.version(name)) == expected[name], name
        for text in metadata.requires(name) or []:
            dependency = Requirement(text)
            if dependency.name in expected:
                assert expected[dependency.name] in dependency.specifier, (name, text)


def test_pythons_classifiers_requires_python_and_make_matrix_agree() -> None:
    pythons = supported_pythons()
    assert pythons == ["3.11", "3.12", "3.13"]
    assert PROJECT["requires-python"] == f">={pythons[0]}"
    makefile = (ROOT / "Makefile").read_text()
    envs = re.search(r"^MATRIX_ENVS\s*:=\s*(.+)$", makefile, re.M)
    assert envs is not None
    # the main venv (make test) is the lowest Python; make matrix adds every other one, and
    # the floor versions on the lowest
    assert "command -v python3.11" in makefile
    assert sorted(envs[1].split()) == sorted([*(f"py{v}" for v in pythons[1:]), "floor"])
    assert re.search(r"matrix_env,floor,3\.11,requirements-floor\.txt", makefile)
    for version in pythons[1:]:
        assert f"matrix_env,py{version},{version},requirements.txt" in makefile


def test_the_readme_install_section_states_the_tested_range() -> None:
    readme = (ROOT / "README.md").read_text()
    install = readme[readme.index("## Install") : readme.index("## Use it in your own app")]
    version = PROJECT["version"]
    assert f"scalable_patterns-{version}-py3-none-any.whl[node]" in install
    assert f"@v{version}" in install
    assert "[node]" in install and "Node.js" in install and "CHANGELOG.md" in install
    assert f"| Python | {', '.join(supported_pythons())} |" in install
    for name in LIBRARIES:
        requirement = declared()[name]
        upper = next(s.version for s in requirement.specifier if s.operator == "<")
        assert f"| {name} | >= {floor(requirement)}, < {upper} |" in install, name
        pinned = pins(ROOT / "requirements.txt")[name]
        assert f"{floor(requirement)} (the floor) and {pinned}" in install or (
            f"{floor(requirement)} and {pinned}" in install
        ), name
