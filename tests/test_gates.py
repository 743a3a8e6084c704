"""Gates on every example stack: snapshot, cdk-nag (zero unacknowledged findings), cfn-lint.

A new example stack registered in ``stacks.EXAMPLE_STACKS`` is gated here automatically.
"""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from stacks import EXAMPLE_STACKS
from synth_review.model import mask_asset_hashes
from tests.conftest import SynthResult

STACK_NAMES = list(EXAMPLE_STACKS)
#: Snapshots hold templates with asset hashes masked (the review compares against them).
normalise = mask_asset_hashes


@pytest.fixture()
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("stack_name", STACK_NAMES)
def test_snapshot(synth: SynthResult, snapshot_json: SnapshotAssertion, stack_name: str) -> None:
    assert normalise(synth.templates[stack_name]) == snapshot_json(name=stack_name)


def _nag_violations(synth: SynthResult, stack_name: str) -> list[str]:
    report = synth.report
    assert report is not None, f"no validation report was written: {synth.error}"
    found = []
    for plugin in report["pluginReports"]:
        for violation in plugin.get("violations", []):
            for construct in violation["violatingConstructs"]:
                if construct["constructPath"].split("/")[0] == stack_name:
                    found.append(
                        f"{plugin['pluginName']}: {violation['ruleName']} at "
                        f"{construct['constructPath']}: {violation['description']}"
                    )
    return found


def test_nag_packs_ran(synth: SynthResult) -> None:
    report = synth.report
    assert report is not None
    plugins = {plugin["pluginName"] for plugin in report["pluginReports"]}
    assert {"AwsSolutions", "Serverless"} <= plugins


@pytest.mark.parametrize("stack_name", STACK_NAMES)
def test_nag_clean(synth: SynthResult, stack_name: str) -> None:
    assert _nag_violations(synth, stack_name) == []


@pytest.mark.parametrize("stack_name", STACK_NAMES)
def test_nag_acknowledgements_are_ours_and_reasoned(synth: SynthResult, stack_name: str) -> None:
    """Every acknowledgement sits inside our stack and carries a specific reason."""
    report = synth.report
    assert report is not None
    for plugin in report["pluginReports"]:
        for suppressed in plugin.get("suppressedViolations", []):
            paths = [c["constructPath"] for c in suppressed["violatingConstructs"]]
            if not any(path.split("/")[0] == stack_name for path in paths):
                continue
            assert suppressed["acknowledgedAt"].startswith(f"{stack_name}/"), suppressed
            assert len(suppressed["reason"]) >= 40, suppressed["reason"]


def test_synth_succeeded(synth: SynthResult) -> None:
    assert synth.error is None, synth.error


@pytest.mark.parametrize("stack_name", STACK_NAMES)
def test_cfn_lint_clean(
    cfn_lint_findings: dict[str, list[dict[str, Any]]], stack_name: str
) -> None:
    findings = [
        f"{f['Rule']['Id']} {f['Level']} {f['Message']} at {f['Location']['Path']}"
        for f in cfn_lint_findings[stack_name]
    ]
    assert findings == []
