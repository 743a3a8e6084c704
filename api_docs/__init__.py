"""The API reference of the construct library: ``python -m api_docs`` (``make docs``).

Renders every public module of :mod:`patterns` with pdoc (Google-style docstrings, type
hints, signatures with their defaults) into ``docs/``, with the README as the landing page
and the changelog beside it, and checks the documentation on the way: every public module,
class, function, method and property has a docstring, and every prop (a constructor's or
dataclass's parameter) is described in the ``Args:`` / ``Attributes:`` section of its class.
Tooling of this repository, not part of the wheel.
"""

from __future__ import annotations

from api_docs.build import BuildResult, build
from api_docs.coverage import documented_names, public_module_names, undocumented

__all__ = ["BuildResult", "build", "documented_names", "public_module_names", "undocumented"]
