"""One source of the version (pyproject.toml), read back through the package metadata, and a
Keep a Changelog entry for it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import patterns

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$", re.M)
SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def releases() -> list[tuple[str, str | None, str]]:
    """(version, date, body) of each `## [x]` entry of CHANGELOG.md, newest first."""
    text = (ROOT / "CHANGELOG.md").read_text()
    heads = list(RELEASE.finditer(text))
    return [
        (m["version"], m["date"], text[m.end() : nxt.start() if nxt else len(text)])
        for m, nxt in zip(heads, [*heads[1:], None], strict=True)
    ]


def test_version_is_semver_and_the_installed_metadata_matches_pyproject() -> None:
    assert SEMVER.match(VERSION), VERSION
    # `make setup` installs the checkout (pip install -e .); a stale install shows up here
    assert patterns.__version__ == VERSION


def test_an_uninstalled_checkout_says_so_instead_of_guessing(tmp_path: Path) -> None:
    """With no distribution metadata on the path, __version__ is the explicit 0+unknown."""
    code = (
        "import importlib.metadata as m, sys\n"
        "real = m.version\n"
        "def version(name):\n"
        "    if name == 'scalable-patterns': raise m.PackageNotFoundError(name)\n"
        "    return real(name)\n"
        "m.version = version\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import patterns; print(patterns.__version__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0+unknown"


def test_changelog_has_an_entry_for_this_version_and_keeps_the_format() -> None:
    entries = releases()
    assert entries[0][0] == "Unreleased"
    released = entries[1:]
    assert released[0][0] == VERSION, "add a CHANGELOG.md entry for the version in pyproject"
    versions = [tuple(int(p) for p in SEMVER.match(v).groups()) for v, _, _ in released]  # type: ignore[union-attr]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert released[-1][0] == "0.1.0"
    dates = [d for _, d, _ in released]
    assert None not in dates and dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    for version, _, body in released:
        sections = set(re.findall(r"^### (.+)$", body, re.M)) - {
            f"Migrating from {v}" for v, _, _ in released
        }
        assert sections <= SECTIONS, (version, sections - SECTIONS)
        assert sections, f"{version} lists no change"


def test_every_breaking_change_of_a_minor_release_has_a_migration() -> None:
    for version, _, body in releases()[1:]:
        breaking = re.findall(r"\*\*BREAKING:\*\*[^\n]*(?:\n(?!- |#)[^\n]*)*", body)
        if not breaking:
            continue
        assert "### Migrating from" in body, f"{version} breaks the API without a migration"
        for entry in breaking:
            assert re.search(r"migration\s+steps?\s+\d", entry), entry
