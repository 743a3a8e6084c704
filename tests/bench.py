"""`make bench`: wall time and peak memory of a full synth and of the test suite.

Each measurement runs in a fresh child process; peak memory is the largest resident set
of any process in that run (jsii's Node process included), read with ``resource``.
Run it on an idle machine: figures on a loaded 2-core machine are not comparable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(
    label: str, command: list[str], env: dict[str, str] | None = None
) -> tuple[float, float]:
    # a fresh interpreter per measurement, so RUSAGE_CHILDREN holds only this run
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(f'{rc} {wall:.2f} {peak:.0f}')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    rc, wall, peak = int(out[0]), float(out[1]), float(out[2])
    status = "ok" if rc == 0 else f"FAILED (exit {rc})"
    print(f"{label:<34} {wall:>8.1f} s {peak:>8.0f} MiB  {status}")
    if rc != 0:
        raise SystemExit(rc)
    return wall, peak


def main() -> None:
    env = dict(os.environ)
    cdk = str(ROOT / "node_modules" / ".bin" / "cdk")
    with tempfile.TemporaryDirectory() as outdir:
        print(f"{'measurement':<34} {'wall':>10} {'peak RSS':>12}")
        measure(
            "full synth (cdk synth, nag on)",
            [cdk, "synth", "--quiet", "--no-notices", "--output", outdir],
            env,
        )
        shutil.rmtree(outdir, ignore_errors=True)
        # the context (feature flags) the CLI would pass from cdk.json
        context = json.loads((ROOT / "cdk.json").read_text())["context"]
        measure(
            "full synth (python app.py only)",
            [sys.executable, "app.py"],
            {**env, "CDK_OUTDIR": outdir, "CDK_CONTEXT_JSON": json.dumps(context)},
        )
    measure(
        "test suite (pytest -q)",
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        env,
    )
    print(f"cpu cores: {os.cpu_count()}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
