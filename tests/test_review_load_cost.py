"""The cost at load in ``make synth``'s table and in the synth review, on the session's
synthesized example app (WebTierExample's web tier and QueueConsumerExample's consumer are
sized from a stated load)."""

from __future__ import annotations

import pytest

from patterns.capacity import US_EAST_1
from synth_review import render_html, render_md, table
from synth_review.model import read_assembly
from synth_review.report import Report, build_report
from tests.conftest import SynthResult

HOURS = 730
#: WebTierExample: 2..10 t4g.small behind an ALB for 100 requests/s at peak.
WEB_AT_LOAD = 10 * HOURS * US_EAST_1["ec2.t4g.small-hour"].usd + HOURS * US_EAST_1["alb.hour"].usd
WEB_IDLE = 2 * HOURS * US_EAST_1["ec2.t4g.small-hour"].usd + HOURS * US_EAST_1["alb.hour"].usd


@pytest.fixture(scope="module")
def report(synth: SynthResult) -> Report:
    return build_report(read_assembly(synth.outdir), None, diagrams=False)


def test_table_shows_the_cost_at_load_next_to_its_capacity_line(synth: SynthResult) -> None:
    reviews = {r.name: r for r in table.read_assembly(synth.outdir)}
    web = reviews["WebTierExample"]
    [index] = [i for i, line in enumerate(web.capacity) if line.startswith("Web: ")]
    assert web.costs[index] == (f"${WEB_AT_LOAD:,.2f}/month at load (idle ${WEB_IDLE:,.2f})")
    consumer = reviews["QueueConsumerExample"]
    [index] = [i for i, c in enumerate(consumer.capacity) if c.startswith("FulfilmentConsumer")]
    assert "sized for 20/s: 4 concurrent batches" in consumer.capacity[index]
    assert consumer.costs[index].endswith("/month at load (idle $0.00)")
    # a capacity line not sized from a load has no cost
    step = reviews["WebTierStepScalingExample"]
    assert step.capacity and step.costs == [""] * len(step.capacity)
    text = table.render(list(reviews.values()))
    header = text.splitlines()[0]
    assert header.split()[-3:] == ["cost", "at", "load"]
    row = next(line for line in text.splitlines() if line.rstrip().endswith(web.costs[index]))
    assert "Web: 2-10 x t4g.small" in row


def test_review_shows_cost_at_load_idle_and_the_first_limit_per_pattern(report: Report) -> None:
    web = next(r for r in report.stacks if r.name == "WebTierExample")
    [cost] = web.stack.load_costs
    assert cost.pattern == "Web" and cost.what == "web tier"
    assert cost.monthly_usd == pytest.approx(WEB_AT_LOAD, abs=0.01)
    assert cost.idle_usd == pytest.approx(WEB_IDLE, abs=0.01)
    assert cost.growth is not None and cost.growth["first"] == "instances at peak"
    markdown = render_md.render_stack(web, report)
    section = markdown.split("## Cost at load", 1)[1].split("## Idle cost drivers", 1)[0]
    assert f"${WEB_AT_LOAD:,.2f}" in section and f"${WEB_IDLE:,.2f}" in section
    assert (
        "above 1x the load, instances at peak (capacity) breaks first: raise the maximum "
        "capacity (or use a larger instance type) (x2: instances at peak; x10: instances at "
        "peak)"
    ) in section
    assert "us-east-1 list prices read" in section
    # the plan's notes inform (no synth warning): the review lists them
    assert "- Web: the account's EC2 On-Demand vCPU quota must cover 10 x the vCPUs" in section
    html = render_html.render_stack(web, report)
    assert "<h2 id='load-cost'>Cost at load</h2>" in html and "instances at peak" in html
    # the index: per stack the cost at load, "-" where nothing was sized from a load
    row = dict(zip(render_md.SUMMARY_HEADER, render_md.summary_row(web, report), strict=True))
    assert row["at load / month"] == f"${WEB_AT_LOAD:,.2f}"
    step = next(r for r in report.stacks if r.name == "WebTierStepScalingExample")
    assert (
        render_md.summary_row(step, report)[render_md.SUMMARY_HEADER.index("at load / month")]
        == "-"
    )
    assert "No pattern of this stack was sized from a stated load." in render_md.render_stack(
        step, report
    )


def test_review_of_the_queue_consumer_names_its_first_limit(report: Report) -> None:
    """20 messages/s, 2 s per batch of 10: 4 concurrent batches. The planned concurrency binds
    first; x10 (40 batches) stays within the account's 1,000 and SQS's 1,000."""
    consumer = next(r for r in report.stacks if r.name == "QueueConsumerExample")
    [cost] = consumer.stack.load_costs
    assert (cost.pattern, cost.what, cost.idle_usd) == ("FulfilmentConsumer", "Lambda function", 0)
    assert cost.growth is not None
    assert cost.growth["x2"] == cost.growth["x10"] == ["concurrency"]
    assert cost.monthly_usd > 0
