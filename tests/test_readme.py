"""The README's usage example runs as written (so the README stays true)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_example(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a README app (its ``cdk.App()`` writing to ``tmp_path / "out"``) as a user would."""
    script = tmp_path / "app.py"
    script.write_text(code.replace("cdk.App()", f"cdk.App(outdir={str(tmp_path / 'out')!r})"))
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_usage_example_synthesizes(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    example = re.findall(r"```python\n(.*?)```", readme, re.S)[0]
    assert "app.synth()" in example
    result = run_example(example, tmp_path)
    assert result.returncode == 0, result.stderr
    # the comment in the README states what the example prints
    assert "4 shards (write MiB/s binds, 8% spare)" in result.stdout
    assert (tmp_path / "out" / "Orders.template.json").is_file()
