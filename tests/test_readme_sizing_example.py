"""The README's "Sized from the load" example runs as written and prints what the README
says: the capacities, the monthly cost and the first binding limit of a stack sized from a
stated load - and the capacities are in the template it synthesizes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from patterns.capacity import US_EAST_1
from synth_review.model import read_assembly
from tests.test_readme import ROOT, run_example

HOURS = 730


def _section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("\n## Sized from the load\n", 1)[1].split("\n## ", 1)[0]


def test_sizing_example_prints_the_readme_figures(tmp_path: Path) -> None:
    section = _section()
    code, printed = re.findall(r"```python\n(.*?)```\n\nprints\n\n```\n(.*?)```", section, re.S)[0]
    assert "app.synth()" in code and code.count("cdk.App()") == 1
    result = run_example(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == printed
    lines = result.stdout.splitlines()
    # the figures, from the load: 100/s over 20/s per instance = 5 instances, 5 per zone so
    # one of 2 zones carries the peak -> max 10; 20 messages/s x 2 s / 10 per batch = 4
    assert (
        lines[0] == "web tier: 2 min_capacity, 10 max_capacity (instances at peak binds, 0% spare)"
    )
    web_usd = 10 * HOURS * US_EAST_1["ec2.t4g.small-hour"].usd + HOURS * US_EAST_1["alb.hour"].usd
    assert abs(float(lines[1].split("/")[0].lstrip("$").replace(",", "")) - web_usd) < 0.01
    assert lines[4] == "Lambda function: 4 concurrency (concurrency binds, 0% spare)"
    # ... and the template has them
    template = json.loads((tmp_path / "out" / "Shop.template.json").read_text())
    by_type: dict[str, list[dict[str, object]]] = {}
    for resource in template["Resources"].values():
        by_type.setdefault(resource["Type"], []).append(resource["Properties"])
    [group] = by_type["AWS::AutoScaling::AutoScalingGroup"]
    assert (group["MinSize"], group["MaxSize"]) == ("2", "10")
    [policy] = by_type["AWS::AutoScaling::ScalingPolicy"]
    assert policy["TargetTrackingConfiguration"]["TargetValue"] == 1200  # type: ignore[index]
    [mapping] = by_type["AWS::Lambda::EventSourceMapping"]
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": 4}
    # the cost at load is in the assembly for the review
    costs = read_assembly(tmp_path / "out").stacks["Shop"].load_costs
    assert [(c.pattern, c.what) for c in costs] == [
        ("Web", "web tier"),
        ("Worker", "Lambda function"),
    ]
    assert costs[0].idle_usd < costs[0].monthly_usd and costs[1].idle_usd == 0
