"""The synth review in a real browser: Debian's Chromium, headless, driven by Playwright
(``executable_path=/usr/bin/chromium``; no browser download), on loopback only.

The report is served by a local HTTP server on 127.0.0.1; Chromium runs with the
background-networking features off. The test checks that the diagram renders with a
non-zero size, that the stateful-replacement warning is visible, and saves screenshots
next to the report in the test's tmp dir.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from synth_review.__main__ import write_report
from synth_review.model import read_assembly
from synth_review.report import build_report, load_baseline
from tests.conftest import SynthResult

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report_dir(synth: SynthResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose baseline had another partition key on CachedTableExample's table."""
    base = tmp_path_factory.mktemp("baseline")
    for name, template in synth.templates.items():
        template = json.loads(json.dumps(template))
        if name == "CachedTableExample":
            for body in template["Resources"].values():
                if body["Type"] == "AWS::DynamoDB::Table":
                    body["Properties"]["KeySchema"][0]["AttributeName"] = "legacyId"
        (base / f"{name}.template.json").write_text(json.dumps(template))
    report = build_report(read_assembly(synth.outdir), load_baseline(str(base)))
    assert report.diagram_error is None
    out = tmp_path_factory.mktemp("review")
    write_report(report, out)
    return out


@pytest.fixture(scope="module")
def server(report_dir: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(report_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make setup-dev` installs Debian's chromium (the Makefile's "
            "/usr/bin/chromium target runs apt-get update && apt-get install -y chromium as root)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="pip install -r requirements-dev.txt"
    )
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        yield context
        context.close()


def test_stack_page_shows_the_diagram_and_the_data_loss_warning(
    browser: object, server: str, report_dir: Path
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/CachedTableExample.html")

    warning = page.locator("#data-loss")
    assert warning.is_visible()
    assert "loses data" in warning.inner_text()
    assert "KeySchema" in warning.inner_text()
    colour = warning.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(176, 0, 32)"  # red

    svg = page.locator("#diagram-svg svg")
    box = svg.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    replaced = page.locator("#diagram-svg g.node", has_text="REPLACED")
    assert replaced.count() == 1
    node_box = replaced.bounding_box()
    assert node_box is not None and node_box["width"] > 0

    row = page.locator("tr.data-loss").first
    assert row.is_visible()
    page.screenshot(path=str(report_dir / "CachedTableExample.png"), full_page=True)
    assert (report_dir / "CachedTableExample.png").stat().st_size > 10_000
    page.close()


def test_index_links_every_stack_and_repeats_the_warning(
    browser: object, server: str, report_dir: Path
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/index.html")
    assert page.locator("#data-loss").is_visible()
    links = page.locator("tbody a").all_inner_texts()
    assert "CachedTableExample" in links and len(links) >= 20
    page.locator("#data-loss a", has_text="CachedTableExample").click()
    page.wait_for_url("**/CachedTableExample.html")
    page.goto(f"{server}/FanOutExample.html")
    assert page.locator("#data-loss").count() == 0
    assert page.locator("#no-changes").is_visible()
    box = page.locator("#diagram-svg svg").bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    page.screenshot(path=str(report_dir / "FanOutExample.png"))
    page.close()
