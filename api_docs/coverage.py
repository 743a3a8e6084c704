"""Which public names of :mod:`patterns` lack documentation.

Public means what pdoc shows: a module's ``__all__`` where it has one, else every name not
starting with ``_`` defined in the module. A prop is documented when the ``Args:``,
``Attributes:`` or ``Keyword Args:`` section of its class (or of ``__init__``) has an entry
for it - entries may group names (``min_capacity / max_capacity:``, ``vpc, vpc_subnets: as
for :class:`EmrCluster```) - or when the class points to another class (``The fields are
the optional props of :class:`DaxCache```) whose constructor documents it. A small value
class without such a section documents its fields in its summary, as ````name````. A
construct's ``scope`` and ``construct_id`` are not props (CDK's props follow them).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pdoc.doc
from constructs import Construct

__all__ = [
    "KNOWN_GAPS_FILE",
    "documented_names",
    "known_gaps",
    "public_module_names",
    "undocumented",
]

#: Gaps that exist and are owed, one ``name: kind`` a line (``#`` comments): the build fails
#: on any gap not listed here and on a listed one that is documented now (delete its line).
KNOWN_GAPS_FILE = Path(__file__).resolve().parent / "known_gaps.txt"


def known_gaps() -> set[str]:
    """The entries of :data:`KNOWN_GAPS_FILE`."""
    lines = KNOWN_GAPS_FILE.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


#: Subpackages whose modules are each public API; a pattern package's feature modules are
#: not (the package's ``__init__`` re-exports its public names).
LIBRARY_SUBPACKAGES = ("patterns.core", "patterns.clients")
SECTION = re.compile(r"^(Args|Arguments|Parameters|Attributes|Keyword Args|Keyword Arguments):\s*$")
ANY_SECTION = re.compile(r"^[A-Z][A-Za-z ]*:\s*$")
CONSTRUCT_ARGS = ("scope", "construct_id", "id")
CLASS_REF = re.compile(r":class:`~?([\w.]+)`")


def public_module_names(package: str = "patterns") -> list[str]:
    """The modules the reference documents: the package, each module or package directly in
    it, and every module of :data:`LIBRARY_SUBPACKAGES` (names with a ``_`` part excluded)."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.iter_modules(root.__path__, f"{package}."):
        names.append(info.name)
    for sub in LIBRARY_SUBPACKAGES:  # packages or namespace packages (no __init__.py)
        folder = Path(root.__path__[0], *sub.split(".")[1:])
        names.extend(info.name for info in pkgutil.iter_modules([str(folder)], f"{sub}."))
    return sorted({n for n in names if not any(p.startswith("_") for p in n.split("."))})


def documented_names(docstring: str) -> set[str]:
    """Names with an entry in the Google-style argument/attribute sections of ``docstring``."""
    names: set[str] = set()
    lines = inspect.cleandoc(docstring).splitlines()
    inside, indent, head = False, -1, ""
    for line in lines:
        stripped = line.strip()
        depth = len(line) - len(line.lstrip())
        if SECTION.match(stripped) and depth == 0:
            inside, indent, head = True, -1, ""
            continue
        if not inside or not stripped:
            continue
        if depth == 0:  # the next section, or text after the section
            inside = bool(SECTION.match(stripped))
            continue
        if indent < 0:
            indent = depth
        if depth > indent:  # a continuation line of an entry's description
            continue
        # an entry at the section's indentation: ``names: description``, where the names
        # may run over several lines (``vpc, vpc_subnets,`` / ``release_label: ...``)
        head += " " + stripped
        if ":" not in stripped:
            continue
        names_part, _, rest = head.partition(":")
        head = ""
        names.update(re.findall(r"\*{0,2}(\w+)(?:\s*\([^)]*\))?", names_part))
        names.update(re.findall(r"\b(\w+):\s", rest))  # ``http_port: 80. https_port: 443.``
    return names


def _class_refs(cls: pdoc.doc.Class, modules: Mapping[str, pdoc.doc.Module]) -> list[str]:
    """Docstrings of the classes ``cls`` points to with :class:`...` (their constructors)."""
    found = []
    for ref in CLASS_REF.findall(cls.docstring):
        target = ref.rpartition(".")[2]
        for module in modules.values():
            member = module.members.get(target)
            if isinstance(member, pdoc.doc.Class) and member is not cls:
                init = member.members.get("__init__")
                found.append(member.docstring + "\n" + (init.docstring if init else ""))
                break
    return found


def _props(cls: pdoc.doc.Class) -> list[str]:
    init = cls.members.get("__init__")
    if not isinstance(init, pdoc.doc.Function):
        return []
    try:
        parameters = init.signature_without_self.parameters.values()
    except (TypeError, ValueError):
        return []
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p.name for p in parameters if p.kind not in variadic]


def _undocumented_props(
    cls: pdoc.doc.Class, modules: Mapping[str, pdoc.doc.Module]
) -> Iterable[str]:
    init = cls.members.get("__init__")
    own = (
        cls.docstring + "\n" + (init.docstring if init and init.docstring != cls.docstring else "")
    )
    documented = documented_names(own)
    for variable in cls.own_members:
        if isinstance(variable, pdoc.doc.Variable) and variable.docstring.strip():
            documented.add(variable.name)  # a ``#:`` comment or an attribute docstring
    if not any(SECTION.match(line.strip()) for line in own.splitlines()):
        for span in re.findall(r"``(.+?)``", own):
            documented.update(re.findall(r"\w+", span))
    missing = [p for p in _props(cls) if p not in documented]
    if issubclass(cls.obj, Construct):
        # CDK's vocabulary: the props come after (scope, id), which every construct takes
        missing = [p for p in missing if p not in CONSTRUCT_ARGS]
    if missing:
        referenced = set().union(*(documented_names(d) for d in _class_refs(cls, modules)))
        missing = [p for p in missing if p not in referenced]
    return (f"{cls.fullname}({p}): prop" for p in missing)


def _is_public(member: pdoc.doc.Doc[object], module: pdoc.doc.Module) -> bool:
    exported = getattr(module.obj, "__all__", None)
    if exported is not None:
        return member.name in exported
    return not member.name.startswith("_")


def undocumented(modules: Mapping[str, pdoc.doc.Module]) -> list[str]:
    """Every public module, class, function, method and property without a docstring, and
    every prop without an entry, as ``name: kind`` lines."""
    problems: list[str] = []
    seen: set[str] = set()
    for name, module in modules.items():
        if not module.docstring.strip():
            problems.append(f"{name}: module")
        for member in module.members.values():
            if not _is_public(member, module) or isinstance(member, pdoc.doc.Variable):
                continue
            if isinstance(member, pdoc.doc.Module):
                continue  # documented (or not) as a module of its own
            key = f"{member.taken_from[0]}.{member.taken_from[1]}"
            if key in seen:  # re-exported: checked where it is defined
                continue
            seen.add(key)
            if not member.docstring.strip():
                problems.append(f"{member.fullname}: {member.kind}")
            if isinstance(member, pdoc.doc.Class):
                for child in member.own_members:
                    if child.name.startswith("_") or (
                        isinstance(child, pdoc.doc.Variable)
                        and not isinstance(
                            inspect.getattr_static(member.obj, child.name, None), property
                        )
                    ):
                        continue  # attributes are listed in the class's Attributes section
                    if not child.docstring.strip():
                        kind = "property" if isinstance(child, pdoc.doc.Variable) else child.kind
                        problems.append(f"{child.fullname}: {kind}")
                problems.extend(_undocumented_props(member, modules))
    return problems
