"""``python -m api_docs [--out DIR]``: build the API reference; exit 1 on a pdoc warning or an
undocumented public name or prop (other than the owed ones in ``api_docs/known_gaps.txt``)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from api_docs.build import build

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Build into ``--out`` (default ``docs``), print what is wrong, return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m api_docs", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"), help="output folder")
    args = parser.parse_args(argv)
    shutil.rmtree(args.out, ignore_errors=True)
    result = build(args.out)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print(f"{len(result.pages)} pages in {args.out}/ (open {args.out}/index.html)")
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
