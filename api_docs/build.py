"""Render the API reference with pdoc: the public modules, the README and the changelog."""

from __future__ import annotations

import contextlib
import enum
import importlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api_docs.coverage import known_gaps, public_module_names, undocumented

__all__ = ["BuildResult", "build"]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` wrote and found.

    Attributes:
        out: the output folder (``index.html`` is the landing page).
        pages: every HTML page written.
        warnings: what pdoc warned about while reading and rendering (must be empty).
        undocumented: public names and props without documentation (must be empty).
    """

    out: Path
    pages: list[Path]
    warnings: list[str]
    undocumented: list[str]

    @property
    def problems(self) -> list[str]:
        """What fails the build: warnings and gaps not in ``known_gaps.txt``, stale entries."""
        found = {f"warning: {w}" for w in self.warnings} | set(self.undocumented)
        known = known_gaps()
        return [
            *(
                p if p.startswith("warning: ") else f"undocumented: {p}"
                for p in sorted(found - known)
            ),
            *(f"fixed now, delete from known_gaps.txt: {p}" for p in sorted(known - found)),
        ]


def _markdown_page(markdown: str) -> str:
    import pdoc.render_helpers

    # links between the two Markdown files become links between their pages
    markdown = markdown.replace("(CHANGELOG.md)", "(changelog.html)")
    markdown = markdown.replace("(README.md)", "(index.html)")
    return str(pdoc.render_helpers.to_html(markdown))


_UNIT_GETTERS = {"millis": "to_milliseconds"}


def _duration_repr(duration: Any) -> str:
    unit = str(duration.unit_label())
    amount = getattr(duration, _UNIT_GETTERS.get(unit, f"to_{unit}"))()
    return f"Duration.{unit}({amount:g})"


def _enum_repr(member: enum.Enum) -> str:
    return f"{type(member).__name__}.{member.name}"


@contextlib.contextmanager
def _readable_defaults() -> Iterator[None]:
    """Signatures show ``Duration.hours(24)`` and ``RemovalPolicy.RETAIN`` as the user writes
    them, instead of ``<aws_cdk.Duration object>`` and ``<RemovalPolicy.RETAIN: 'RETAIN'>``."""
    import aws_cdk

    saved = aws_cdk.Duration.__repr__, enum.Enum.__repr__
    aws_cdk.Duration.__repr__ = _duration_repr  # type: ignore[method-assign]
    enum.Enum.__repr__ = _enum_repr  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        aws_cdk.Duration.__repr__, enum.Enum.__repr__ = saved  # type: ignore[method-assign]


def _own_constructor_docs_only(modules: dict[str, Any]) -> None:
    """A pattern documents its props in the class docstring; pdoc would show the inherited
    ``Construct.__init__`` docstring ("scope: The scope in which ...") under the signature."""
    import pdoc.doc

    for module in modules.values():
        for member in module.members.values():
            if not isinstance(member, pdoc.doc.Class):
                continue
            init = member.members.get("__init__")
            own = member.obj.__dict__.get("__init__")
            if isinstance(init, pdoc.doc.Function) and getattr(own, "__doc__", None) is None:
                init.docstring = ""  # the cached property, overridden on this object


def build(out: Path) -> BuildResult:
    """Write the reference of every module of :func:`public_module_names` into ``out``."""
    # Import the library before pdoc does: pdoc imports modules with subprocesses defused,
    # and jsii starts its Node.js process at the first import of aws_cdk.
    names = public_module_names()
    for name in names:
        importlib.import_module(name)
    import pdoc.doc
    import pdoc.render

    import patterns
    import patterns.capacity
    import patterns.data_tier
    import patterns.emr
    import patterns.workflow

    # these packages load their names lazily (PEP 562, patterns._lazy); pdoc reads only a
    # module's __dict__
    for package in (
        patterns,
        patterns.capacity,
        patterns.data_tier,
        patterns.emr,
        patterns.workflow,
    ):
        for public in dir(package):
            getattr(package, public)
    pdoc.render.configure(
        docformat="google",
        template_directory=TEMPLATES,
        show_source=False,
        search=True,
        footer_text=f"scalable-patterns {patterns.__version__}",
    )
    pdoc.render.env.globals["project_version"] = patterns.__version__
    pages: list[Path] = []
    with warnings.catch_warnings(record=True) as caught, _readable_defaults():
        warnings.simplefilter("always")
        modules = {name: pdoc.doc.Module.from_name(name) for name in names}
        _own_constructor_docs_only(modules)
        for module in modules.values():
            page = out / f"{module.fullname.replace('.', '/')}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(pdoc.render.html_module(module, modules))
            pages.append(page)
        index = pdoc.render.env.get_template("index.html.jinja2")
        for file, title, source in (
            ("index.html", "scalable-patterns", "README.md"),
            ("changelog.html", "Changelog - scalable-patterns", "CHANGELOG.md"),
        ):
            html = index.render(
                all_modules=modules,
                page_title=title,
                page_html=_markdown_page((ROOT / source).read_text()),
            )
            (out / file).write_text(html)
            pages.append(out / file)
        search = pdoc.render.search_index(modules)
        if search:
            (out / "search.js").write_text(search)
    problems = undocumented(modules)
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    return BuildResult(out, pages, [m for m in messages if not _ignored(m)], problems)


def _ignored(message: str) -> bool:
    """Warnings of other packages at import time, not of the documentation build."""
    return bool(
        re.match(r"(DeprecationWarning|PendingDeprecationWarning): .*(jsii|typeguard)", message)
    )
