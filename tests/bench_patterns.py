"""`make bench`, per pattern: the import cost and the build-and-synth cost.

Import: ``from patterns import <Pattern>`` against importing exactly the aws-cdk-lib and
constructs modules that import loads (the modules the pattern uses, their own imports
included), each in fresh interpreters. The pattern may cost at most ``IMPORT_LIMIT`` times that
(issue 17): ``ratio`` is (``its cdk`` + ``own``) / ``its cdk``, where ``own`` is the pattern's
import in an interpreter that has imported those modules first - this library's own code, a
garbage collection it sets off (some 60 ms for the CDK objects when it lands there; the
allocation order decides where, the same in every run) and any jsii call it makes at import
(counted in ``jsii calls``, which must be 0: each is a round trip to Node.js). ``direct`` is
``pattern`` / ``its cdk``, the two imports timed whole in separate interpreters: printed, not
judged, because two interpreters on this shared 2-core machine differ by up to 0.1 s on their
own (0.86x to 1.19x seen in one run for own costs of 8 to 70 ms). Several runs each,
interleaved; the fastest counts, as ``timeit`` advises (other load only ever adds time).

Build: ``BENCH_BUILDS`` (40) instances of one pattern in one app of one process (as many per
stack as CloudFormation's 500-resource limit allows), after one warm-up instance in another
app (so first-call costs are not counted), then ``app.synth()``;
ms per pattern and per CloudFormation resource. Where AWS Solutions Constructs has the
equivalent construct (``requirements-bench.txt``, installed by ``make bench`` into
``.bench/site``, never into the project's venv), it is measured the same way in the same run.

Standalone: ``python tests/bench_patterns.py [import|build] [Pattern ...]``; ``BENCH_RUNS``
sets the runs per figure (5 for imports, 3 for builds).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: Solutions Constructs (requirements-bench.txt), installed by `make bench` with pip --target
BENCH_SITE = Path(os.environ.get("BENCH_SITE", ROOT / ".bench" / "site"))
IMPORT_LIMIT = 1.15

#: one public construct per pattern package
PATTERNS = (
    "TopicFanOut",
    "StreamToS3Pipeline",
    "EventDrivenFunction",
    "EdgeDistribution",
    "ScalableWebTier",
    "ScalableTable",
    "TimeSeriesTables",
    "DaxCache",
    "BatchJobs",
    "MessageBroker",
    "EmrCluster",
    "TransientEmrWorkflow",
    "StreamAnalytics",
    "VideoIngestStream",
    "Workflow",
    "PayloadBucket",
)

INLINE_HANDLER = "def handler(event, context):\n    return event\n"


# -- child processes -------------------------------------------------------------------------
def child_import(name: str, count_calls: bool = False) -> None:
    import importlib
    import time

    calls = [0]
    if count_calls:  # jsii calls made while importing (Duration constants, defaults ...)
        import aws_cdk  # noqa: F401 - loads the assemblies first: those messages do not count
        from jsii._kernel.providers import process

        send = process._NodeProcess.send

        def counted(self: Any, request: Any, response_type: Any) -> Any:
            calls[0] += 1
            return send(self, request, response_type)

        process._NodeProcess.send = counted  # type: ignore[method-assign]
    start = time.perf_counter()
    getattr(importlib.import_module("patterns"), name)
    seconds = time.perf_counter() - start
    used = [m for m in sys.modules if m.split(".")[0] in ("aws_cdk", "constructs")]
    print(json.dumps({"seconds": seconds, "modules": used, "jsii_calls": calls[0]}))


def child_cdk(modules: list[str]) -> None:
    import importlib
    import time

    start = time.perf_counter()
    for module in modules:
        importlib.import_module(module)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def child_own(name: str, modules: list[str]) -> None:
    """This library's own share: the pattern's import after its aws-cdk-lib modules."""
    import importlib
    import time

    for module in modules:
        importlib.import_module(module)
    start = time.perf_counter()
    getattr(importlib.import_module("patterns"), name)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def _ours(name: str) -> Callable[[Any, str], object]:
    """A builder of one instance of our pattern ``name`` with the fewest props it accepts."""
    from aws_cdk import Duration
    from aws_cdk import aws_events as events
    from aws_cdk import aws_lambda as lambda_

    import patterns

    cls = getattr(patterns, name)
    props: dict[str, Any] = {
        "TopicFanOut": {"queues": {"orders": patterns.QueueOptions()}},
        "StreamToS3Pipeline": {"records_per_second": 1_000, "average_record_kib": 1},
        "EventDrivenFunction": {
            "code": lambda_.Code.from_inline(INLINE_HANDLER),
            "handler": "index.handler",
            "schedule": events.Schedule.rate(Duration.hours(1)),
        },
        "EdgeDistribution": {
            "allow_default_certificate": True,
            "allow_all_countries": True,
            "allow_without_web_acl": True,
        },
    }[name]
    return lambda stack, cid: cls(stack, cid, **props)


def _solutions(name: str) -> Callable[[Any, str], object]:
    """The Solutions Constructs equivalent of ``name`` with its defaults."""
    sys.path.insert(0, str(BENCH_SITE))
    from aws_cdk import Duration
    from aws_cdk import aws_events as events
    from aws_cdk import aws_lambda as lambda_

    if name == "TopicFanOut":
        from aws_solutions_constructs.aws_sns_sqs import SnsToSqs

        return lambda stack, cid: SnsToSqs(stack, cid)
    if name == "StreamToS3Pipeline":
        from aws_solutions_constructs.aws_kinesis_streams_kinesis_firehose_s3 import (
            KinesisStreamsToKinesisFirehoseToS3,
        )

        return lambda stack, cid: KinesisStreamsToKinesisFirehoseToS3(stack, cid)
    if name == "EventDrivenFunction":
        from aws_solutions_constructs.aws_eventbridge_lambda import EventbridgeToLambda

        return lambda stack, cid: EventbridgeToLambda(
            stack,
            cid,
            lambda_function_props=lambda_.FunctionProps(
                code=lambda_.Code.from_inline(INLINE_HANDLER),
                handler="index.handler",
                runtime=lambda_.Runtime.PYTHON_3_13,
            ),
            event_rule_props=events.RuleProps(schedule=events.Schedule.rate(Duration.hours(1))),
        )
    if name == "EdgeDistribution":
        from aws_solutions_constructs.aws_cloudfront_s3 import CloudFrontToS3

        return lambda stack, cid: CloudFrontToS3(stack, cid)
    raise KeyError(name)


#: patterns with a build figure -> the Solutions Constructs package of their equivalent
BUILDS: dict[str, str] = {
    "TopicFanOut": "aws-solutions-constructs.aws-sns-sqs",
    "StreamToS3Pipeline": "aws-solutions-constructs.aws-kinesis-streams-kinesis-firehose-s3",
    "EventDrivenFunction": "aws-solutions-constructs.aws-eventbridge-lambda",
    "EdgeDistribution": "aws-solutions-constructs.aws-cloudfront-s3",
}


#: Solutions Constructs' KinesisStreamsToKinesisFirehoseToS3 adds a stack-level role (one per
#: stack): both sides then build one instance per stack, so the comparison stays like for like
ONE_PER_STACK = frozenset({"StreamToS3Pipeline"})


def child_build(side: str, name: str, count: int) -> None:
    import tempfile
    import time

    import aws_cdk as cdk

    build = _ours(name) if side == "ours" else _solutions(name)
    with tempfile.TemporaryDirectory() as outdir:
        warm = cdk.App(outdir=outdir)
        build(cdk.Stack(warm, "Warm"), "Warm")
        each = len(warm.synth().get_stack_by_name("Warm").template["Resources"])
    # CloudFormation allows 500 resources per stack: as many instances per stack as fit
    per_stack = 1 if name in ONE_PER_STACK else max(1, 450 // each)
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        stacks = [cdk.Stack(app, f"Bench{i}") for i in range(-(-count // per_stack))]
        start = time.perf_counter()
        for index in range(count):
            build(stacks[index // per_stack], f"P{index}")
        built = time.perf_counter()
        assembly = app.synth()
        done = time.perf_counter()
        resources = sum(len(s.template["Resources"]) for s in assembly.stacks)
    print(
        json.dumps(
            {
                "build": (built - start) / count,
                "synth": (done - built) / count,
                "resources": resources / count,
            }
        )
    )


def run_child(*args: str) -> dict[str, Any]:
    env = {**os.environ, "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1"}
    # byte-compiled as an installed package is (pip compiles at install; aws-cdk-lib's modules
    # are): under PYTHONDONTWRITEBYTECODE every import would compile this library's sources
    # again (about 110 ms for ScalableTable's 66 modules) and the ratio would measure that
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr else "failed")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- measurements ----------------------------------------------------------------------------
def import_figures(names: tuple[str, ...] = PATTERNS) -> list[str]:
    """Print the import ratio per pattern; return the patterns above IMPORT_LIMIT."""
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    print(f"\nimport cost (fastest of {runs} fresh interpreters; limit {IMPORT_LIMIT:.2f}x)")
    print(
        f"{'pattern':<22} {'its cdk':>8} {'own':>7} {'ratio':>7} {'pattern':>8} {'direct':>7} "
        f"{'jsii calls':>11}"
    )
    over: list[str] = []
    for name in names:
        probe = run_child("import", name, "count")
        modules = probe["modules"]
        ours, cdk, own = [], [], []
        for _ in range(runs):
            ours.append(run_child("import", name)["seconds"])
            cdk.append(run_child("cdk", json.dumps(modules))["seconds"])
            own.append(run_child("own", name, json.dumps(modules))["seconds"])
        pattern_s, cdk_s, own_s = min(ours), min(cdk), min(own)
        ratio = (cdk_s + own_s) / cdk_s
        verdict = "ok" if ratio <= IMPORT_LIMIT else f"EXCEEDS {IMPORT_LIMIT:.2f}x"
        if ratio > IMPORT_LIMIT or probe["jsii_calls"]:
            over.append(name)
        print(
            f"{name:<22} {cdk_s:>7.2f}s {own_s * 1000:>5.0f}ms {ratio:>6.2f}x {pattern_s:>7.2f}s "
            f"{pattern_s / cdk_s:>6.2f}x {probe['jsii_calls']:>11}  {verdict}"
        )
    if over:
        print(f"IMPORT LIMIT EXCEEDED ({IMPORT_LIMIT:.2f}x, or a jsii call) by: {', '.join(over)}")
    else:
        print(f"every pattern imports within {IMPORT_LIMIT:.2f}x of its aws-cdk-lib modules")
    return over


def _median_build(side: str, name: str, count: int, runs: int) -> dict[str, float]:
    results = [run_child("build", side, name, str(count)) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def build_figures(names: tuple[str, ...] = tuple(BUILDS)) -> None:
    """Print ms per pattern and per resource, ours against Solutions Constructs."""
    count = int(os.environ.get("BENCH_BUILDS", "40"))
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    print(f"\nbuild + synth, {count} instances in one app (median of {runs} processes)")
    print(f"{'construct':<44} {'res':>5} {'build':>8} {'synth':>8} {'total':>8} {'per res':>8}")
    for name in names:
        figures: dict[str, dict[str, float]] = {}
        for side, label in (("ours", name), ("solutions", BUILDS[name])):
            try:
                f = _median_build(side, name, count, runs)
            except (RuntimeError, KeyError) as error:
                print(f"{label:<44} not measured: {error}")
                continue
            figures[side] = f
            total = (f["build"] + f["synth"]) * 1000
            print(
                f"{label:<44} {f['resources']:>5.0f} {f['build'] * 1000:>6.1f}ms "
                f"{f['synth'] * 1000:>6.1f}ms {total:>6.1f}ms "
                f"{total / f['resources']:>6.2f}ms"
            )
        if len(figures) == 2:
            per_res = {
                side: (f["build"] + f["synth"]) / f["resources"] for side, f in figures.items()
            }
            build_res = {side: f["build"] / f["resources"] for side, f in figures.items()}
            print(
                f"{'':<4}ratio ours/solutions per resource: build+synth "
                f"{per_res['ours'] / per_res['solutions']:.2f}x, build only "
                f"{build_res['ours'] / build_res['solutions']:.2f}x"
            )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        # this checkout's patterns, not whatever `pip install -e` points at
        sys.path.insert(0, str(ROOT))
        kind, *rest = argv[1:]
        if kind == "import":
            child_import(rest[0], count_calls=rest[1:] == ["count"])
        elif kind == "cdk":
            child_cdk(json.loads(rest[0]))
        elif kind == "own":
            child_own(rest[0], json.loads(rest[1]))
        else:
            child_build(rest[0], rest[1], int(rest[2]))
        return 0
    what = argv[0] if argv and argv[0] in ("import", "build") else "all"
    names = tuple(a for a in argv if a not in ("import", "build"))
    over: list[str] = []
    if what in ("all", "import"):
        over = import_figures(names or PATTERNS)
    if what in ("all", "build"):
        build_figures(names or tuple(BUILDS))
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
