"""The API reference (`make docs`): built without warnings, every public name and prop
documented, the README as the landing page - and one pattern's page as a reader sees it in
Debian's Chromium (headless, Playwright with ``executable_path=/usr/bin/chromium`` as in
test_review_browser.py; file:// pages, no network)."""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pdoc.doc
import pytest

from api_docs import build, documented_names, undocumented
from api_docs.build import BuildResult
from api_docs.coverage import known_gaps
from patterns import VideoIngestStream
from tests.test_review_browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(tmp_path_factory.mktemp("docs"))


def test_the_build_prints_no_warning_but_the_owed_ones(docs: BuildResult) -> None:
    owed = {g.removeprefix("warning: ") for g in known_gaps() if g.startswith("warning: ")}
    assert set(docs.warnings) == owed


def test_every_public_name_and_prop_is_documented(docs: BuildResult) -> None:
    """Nothing undocumented but the owed entries of api_docs/known_gaps.txt, and none of those
    documented meanwhile (then its line must go)."""
    assert docs.problems == []
    assert set(docs.undocumented) == {g for g in known_gaps() if not g.startswith("warning: ")}


def test_the_reference_covers_the_library_and_the_landing_page_is_the_readme(
    docs: BuildResult,
) -> None:
    pages = {p.relative_to(docs.out).as_posix() for p in docs.pages}
    assert {"index.html", "changelog.html", "patterns.html", "patterns/capacity.html"} <= pages
    assert {"patterns/video.html", "patterns/clients/large_payload_client.html"} <= pages
    assert not [p for p in pages if re.search(r"stacks|tests|synth_review|emulator|/_", p)]
    index = (docs.out / "index.html").read_text()
    readme_title = (ROOT / "README.md").read_text().splitlines()[0].lstrip("# ")
    assert "<h1" in index and readme_title in index
    assert 'href="changelog.html"' in index and 'href="patterns/video.html"' in index
    changelog = (docs.out / "changelog.html").read_text()
    assert "Keep a Changelog" in changelog and "BREAKING" in changelog


# -- the checker itself: it finds what is missing ---------------------------------------------

SAMPLE = '''
"""A sample library module."""

from dataclasses import dataclass

from constructs import Construct

__all__ = ["Sample", "Options", "helper", "undocumented_function"]


class Sample(Construct):
    """A construct.

    Args:
        documented: has an entry.
        low / high: grouped entries.
        a, b,
        c: grouped over two lines.
    """

    def __init__(self, scope, construct_id, *, documented=1, low=0, high=2, a=0, b=0, c=0,
                 forgotten=None):
        super().__init__(scope, construct_id)

    @property
    def size(self):
        return 1

    def method(self):
        pass


@dataclass
class Options:
    """Fields as for :class:`Sample`."""

    documented: int = 1
    extra: int = 2


def helper():
    """Documented."""


def undocumented_function():
    pass
'''


@pytest.fixture
def sample_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    (tmp_path / "sample_lib.py").write_text(SAMPLE)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    module = importlib.import_module("sample_lib")
    yield module
    import sys

    sys.modules.pop("sample_lib", None)


def test_the_checker_reports_undocumented_props_functions_methods_and_properties(
    sample_module: ModuleType,
) -> None:
    modules = {"sample_lib": pdoc.doc.Module(sample_module)}
    assert sorted(undocumented(modules)) == [
        "sample_lib.Options(extra): prop",
        "sample_lib.Sample(forgotten): prop",
        "sample_lib.Sample.method: function",
        "sample_lib.Sample.size: property",
        "sample_lib.undocumented_function: function",
    ]


def test_documented_names_reads_google_sections_with_grouped_entries() -> None:
    doc = textwrap.dedent(
        """Summary mentioning ``not_a_prop``.

        Args:
            name (str): typed entry.
            min_capacity / max_capacity: grouped.
            vpc, vpc_subnets,
            release_label: as for :class:`EmrCluster`.
            http_port: default 80. https_port: default 443.
            description: continued
                over_here: is a continuation, not an entry.

        Attributes:
            bucket: an attribute.

        Raises:
            ValueError: not a prop.
        """
    )
    assert documented_names(doc) == {
        "name",
        "min_capacity",
        "max_capacity",
        "vpc",
        "vpc_subnets",
        "release_label",
        "http_port",
        "https_port",
        "description",
        "bucket",
    }


# -- one pattern's page in a real browser -----------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup-dev` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1300, "height": 1000},
        )
        yield context
        context.close()


def test_a_patterns_page_shows_its_props_with_types_and_defaults(
    browser: Any, docs: BuildResult
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((docs.out / "patterns" / "video.html").as_uri() + "#VideoIngestStream")

    section = page.locator("section#VideoIngestStream")
    assert section.is_visible()
    signature = " ".join(page.locator("#VideoIngestStream\\.__init__").inner_text().split())
    arguments = section.locator(".docstring li")
    documented = {
        item.split(":", 1)[0].strip(): item for item in arguments.all_inner_texts() if ":" in item
    }
    props = [
        p
        for p in inspect.signature(VideoIngestStream.__init__).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    assert len(props) >= 10
    for prop in props:
        # the signature: `name: type = default`, the default as the user writes it
        match = re.search(rf"\b{prop.name}: ([^=]+?) = ([^,)]+(?:\([^)]*\))?)", signature)
        assert match, (prop.name, signature)
        assert "object" not in match[2] and "<" not in match[2], match[0]
        # the Arguments list: an entry per prop, visible, saying what the default does
        assert prop.name in documented, (prop.name, sorted(documented))
        assert re.search(r"\bDefault", documented[prop.name]), documented[prop.name]
    assert "retention: aws_cdk.Duration = Duration.hours(24)" in signature
    assert "removal_policy: aws_cdk.RemovalPolicy = RemovalPolicy.RETAIN" in signature
    assert "Default 24 hours" in documented["retention"]
    # the constructor shows the class's own docs, not constructs.Construct's inherited ones
    assert "The scope in which to define this construct" not in section.inner_text()
    item = arguments.filter(has_text="retention:").first
    box = item.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 10
    shot = docs.out / "video.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000
    assert errors == []
    page.close()


def test_the_landing_page_renders_the_readme_and_links_every_module(
    browser: Any, docs: BuildResult
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((docs.out / "index.html").as_uri())
    assert page.locator("main h1").first.inner_text() == "scalable-patterns"
    assert page.locator("main table").first.is_visible()  # the README's pattern table
    links = page.locator("#module-list a").all_inner_texts()
    assert "patterns.video" in links and "patterns.capacity" in links
    page.locator("#module-list a", has_text="patterns.video").click()
    page.wait_for_url("**/patterns/video.html")
    assert page.locator("section#VideoIngestStream").is_visible()
    assert errors == []
    page.close()
