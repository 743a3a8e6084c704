"""The whole synth review on the session's synthesized example app."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from synth_review.__main__ import main, write_report
from synth_review.changes import ChangeKind, Severity
from synth_review.model import normalise_template, read_assembly
from synth_review.report import Baseline, Report, StackReport, build_report, load_baseline
from tests.conftest import ROOT, SynthResult


@pytest.fixture(scope="module")
def report(synth: SynthResult) -> Report:
    return build_report(read_assembly(synth.outdir), load_baseline_from_root("snapshots"))


def load_baseline_from_root(spec: str) -> Baseline:
    """The snapshots baseline is found from the repository root (where make runs)."""
    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        baseline = load_baseline(spec)
    finally:
        os.chdir(cwd)
    assert baseline is not None
    return baseline


def stack(report: Report, name: str) -> StackReport:
    return next(r for r in report.stacks if r.name == name)


def test_every_example_stack_is_reviewed_with_a_diagram(report: Report, synth: SynthResult) -> None:
    assert [r.name for r in report.stacks] == list(synth.stacks)
    assert report.diagram_error is None
    for r in report.stacks:
        assert r.svg is not None and r.svg.startswith("<svg"), r.name
        assert "<title>" in r.svg  # Graphviz titles every node


def test_committed_snapshots_baseline_changes_only_where_the_snapshot_differs(
    report: Report, synth: SynthResult
) -> None:
    """On a clean checkout every template equals its snapshot and the review says so;
    a stack whose template differs from its snapshot (work in progress) shows changes."""
    assert report.baseline and "snapshots" in report.baseline
    baseline = load_baseline_from_root("snapshots").templates
    for r in report.stacks:
        differs = normalise_template(synth.templates[r.name]) != baseline.get(r.name)
        assert r.changes is not None
        assert bool(r.changes.changes) == differs, r.name
    if not any(r.changes and r.changes.changes for r in report.stacks):
        assert not report.has_changes and report.blocking == []


def test_every_iam_wildcard_carries_its_nag_acknowledgement(report: Report) -> None:
    """Each wildcard the review lists is matched to cdk-nag's acknowledgement (with its
    reason), or else cdk-nag reported it as an unacknowledged finding at that policy."""
    seen = 0
    for r in report.stacks:
        for principal in r.principals:
            for wildcard in principal.wildcards:
                if "CustomResourceProvider" in principal.path or "Custom::" in principal.path:
                    continue  # aws-cdk's generic CfnResource providers are not nag-checked
                if wildcard.acknowledgement is None:
                    rule = f"AwsSolutions-IAM5[{wildcard.finding}]"
                    assert any(v.startswith(f"{rule} at ") for v in r.stack.violations), (
                        r.name,
                        principal.path,
                        wildcard,
                    )
                    continue
                assert len(wildcard.acknowledgement.reason) >= 40
                seen += 1
    assert seen > 20


def test_iam_lists_the_s3_wildcard_of_the_firehose_role(report: Report) -> None:
    """The delivery role keeps one wildcard - the objects of its bucket - and the review shows
    it with the acknowledgement on the role's own policy; no action wildcard is left."""
    principals = stack(report, "StreamIngestExample").principals
    role = next(p for p in principals if p.path.endswith("DestinationRole"))
    findings = {w.finding: w for w in role.wildcards}
    objects = [f for f in findings if f.startswith("Resource::") and f.endswith("/*")]
    assert len(objects) == 1, findings
    ack = findings[objects[0]].acknowledgement
    assert ack is not None and len(ack.reason) >= 40
    assert not [f for f in findings if f.startswith("Action::")]
    assert any("firehose.amazonaws.com" in t for t in role.trusted)


def test_idle_cost_counts_follow_the_templates(report: Report, synth: SynthResult) -> None:
    def drivers(name: str) -> dict[str, float]:
        totals: dict[str, float] = {}
        for d in stack(report, name).idle:
            totals[d.driver] = totals.get(d.driver, 0) + d.count
        return totals

    shards = sum(
        s["Properties"]["ShardCount"]
        for s in synth.resources("StreamIngestExample", "AWS::Kinesis::Stream").values()
    )
    assert drivers("StreamIngestExample")["Kinesis shard (provisioned)"] == shards
    (dax,) = synth.resources("CachedTableExample", "AWS::DAX::Cluster").values()
    dax_driver = f"dax:{dax['Properties']['NodeType']}"
    assert drivers("CachedTableExample")[dax_driver] == dax["Properties"]["ReplicationFactor"]
    nats = len(synth.resources("WebTierExample", "AWS::EC2::NatGateway"))
    assert nats >= 1 and drivers("WebTierExample")["NAT gateway"] == nats
    assert drivers("WebTierExample")["Application load balancer"] == 1
    keys = len(synth.resources("FanOutExample", "AWS::KMS::Key"))
    assert drivers("FanOutExample")["KMS key"] == keys
    assert "Flink KPU" in drivers("StreamAnalyticsExample")
    broker = drivers("MessageBrokerExample")
    assert sum(v for k, v in broker.items() if k.startswith("mq:")) == 2  # active/standby


def test_alarms_say_where_they_notify(report: Report) -> None:
    alarms = stack(report, "FanOutExample").alarms
    assert len(alarms) >= 6
    assert all(a.notifies == ("AlarmTopic",) for a in alarms), alarms


def test_stateful_resources_show_encryption_and_retention(report: Report) -> None:
    storage = {s.type: s for s in stack(report, "StreamIngestExample").storage}
    stream = storage["AWS::Kinesis::Stream"]
    assert stream.encryption.startswith("KMS ")
    assert stream.retention.endswith(" h")
    assert stream.deletion_policy == "Retain"
    table = next(
        s for s in stack(report, "ProvisionedTableExample").storage if s.type.endswith("Table")
    )
    assert "PITR on" in table.retention


def test_capacity_plans_come_from_the_pattern_metadata(report: Report) -> None:
    capacity = stack(report, "CachedTableExample").stack.capacity
    assert any("DAX" in c.summary for c in capacity)


def test_report_files_html_and_markdown(report: Report, tmp_path: Path) -> None:
    write_report(report, tmp_path)
    assert (tmp_path / "index.html").exists() and (tmp_path / "README.md").exists()
    for r in report.stacks:
        html = (tmp_path / f"{r.name}.html").read_text()
        assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")
        assert (tmp_path / f"{r.name}.md").read_text().startswith(f"# {r.name}")
    readme = (tmp_path / "README.md").read_text()
    assert "| stack | resources | alarms |" in readme
    assert ("No changes" in readme) == (not report.has_changes)


def _templates_with_changed_key_schema(synth: SynthResult, folder: Path) -> str:
    """A baseline whose CachedTableExample table had another partition key."""
    folder.mkdir()
    for name, t in synth.templates.items():
        t = json.loads(json.dumps(t))
        if name == "CachedTableExample":
            ((lid, body),) = (
                (k, v) for k, v in t["Resources"].items() if v["Type"] == "AWS::DynamoDB::Table"
            )
            body["Properties"]["KeySchema"][0]["AttributeName"] = "legacyId"
        (folder / f"{name}.template.json").write_text(json.dumps(t))
    return lid


def test_main_fails_on_an_unacknowledged_stateful_replacement(
    synth: SynthResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table_id = _templates_with_changed_key_schema(synth, tmp_path / "baseline")
    out = tmp_path / "review"
    args = [
        "--cdk-out",
        str(synth.outdir),
        "--baseline",
        str(tmp_path / "baseline"),
        "--out",
        str(out),
    ]
    acks = tmp_path / "acks.toml"
    assert main([*args, "--acknowledgements", str(acks), "--no-diagrams"]) == 1
    err = capsys.readouterr().err
    assert "DATA LOSS - 1 unacknowledged" in err
    assert f"CachedTableExample/{table_id} (AWS::DynamoDB::Table) replaced: KeySchema" in err
    assert "loses data" in (out / "CachedTableExample.html").read_text()
    assert "[!CAUTION]" in (out / "README.md").read_text()

    acks.write_text(
        f'[[acknowledge]]\nresource = "CachedTableExample/{table_id}"\n'
        'reason = "example table: the catalogue is re-imported after the key change"\n'
    )
    assert main([*args, "--acknowledgements", str(acks), "--no-diagrams"]) == 0
    md = (out / "CachedTableExample.md").read_text()
    assert "acknowledged: example table" in md


def test_changes_against_another_cloud_assembly(synth: SynthResult, tmp_path: Path) -> None:
    """--baseline DIR with a manifest: a cdk.out of an older synth (here: a queue less)."""
    baseline = tmp_path / "old.out"
    shutil.copytree(synth.outdir, baseline, ignore=shutil.ignore_patterns("asset.*"))
    path = baseline / "FanOutExample.template.json"
    t = json.loads(path.read_text())
    added = next(k for k, v in t["Resources"].items() if v["Type"] == "AWS::SQS::Queue")
    del t["Resources"][added]
    path.write_text(json.dumps(t))
    result = build_report(read_assembly(synth.outdir), load_baseline(str(baseline)), diagrams=False)
    changes = stack(result, "FanOutExample").changes
    assert changes is not None
    queue = next(c for c in changes.changes if c.logical_id == added)
    assert (queue.kind, queue.severity) == (ChangeKind.ADDED, Severity.INFO)
    assert result.blocking == []
