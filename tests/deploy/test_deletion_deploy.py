"""Deletion is part of the deploy tier: every example stack is deleted again (after every other
deploy test: ``tests/deploy/conftest.py`` orders the ``deletion`` tests last), a ``Retain``
resource stays and is reported, and nothing else remains.

``check_deleted`` takes any app's stack; ``test_a_destroy_app`` gives it patterns built with
``removal_policy=DESTROY`` and holding data, and reports what blocks their deletion today.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest

from emulator.deletion import PARTS, RETAINED, DeletionReport
from emulator.server import ACCOUNT_ID, REGION, Assembly, DeployedStack, Emulator
from stacks import EXAMPLE_STACKS
from tests.deploy.conftest import Deployments

pytestmark = [pytest.mark.deploy, pytest.mark.deletion]


def check_deleted(emulator: Emulator, assembly: Assembly, stack: DeployedStack) -> DeletionReport:
    """Delete ``stack``; every ``Retain`` resource is still there, nothing else is."""
    template = assembly.template(stack.name)
    report = emulator.delete_stack(stack.name)
    print(report)

    assert report.clean, str(report)
    expected = {
        f"{lid} ({r['Type']})"
        for lid, r in template["Resources"].items()
        if r.get("DeletionPolicy") in RETAINED and lid in stack.resources
    }
    assert set(report.retained) | set(report.unverifiable) >= expected
    assert set(report.retained) <= expected
    return report


@pytest.mark.parametrize("stack_name", sorted(EXAMPLE_STACKS))
def test_every_example_stack_is_deleted_but_what_it_retains(
    stack_name: str, deployed: Deployments, emulator: Emulator, assembly: Assembly
) -> None:
    check_deleted(emulator, assembly, deployed(stack_name))


# -- an app of patterns with removal_policy=DESTROY ---------------------------------------------
def app_stack(outdir: Path, name: str) -> tuple[cdk.App, cdk.Stack]:
    """A user's app writing to ``outdir`` with one stack ``name`` for the emulator's account."""
    from tests.conftest import cdk_context

    app = cdk.App(context=cdk_context(), outdir=str(outdir))
    stack = cdk.Stack(
        app,
        name,
        env=cdk.Environment(account=ACCOUNT_ID, region=REGION),
        synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False),
        analytics_reporting=False,
    )
    return app, stack


def _destroy_app(outdir: Path) -> Assembly:
    from patterns.fan_out import QueueOptions, TopicFanOut
    from patterns.stream_ingest import StreamToS3Pipeline

    app, stack = app_stack(outdir, "DestroyApp")
    TopicFanOut(
        stack,
        "Events",
        queues={"audit": QueueOptions(raw_message_delivery=True)},
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    StreamToS3Pipeline(
        stack,
        "Clicks",
        records_per_second=10,
        average_record_kib=1,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    app.synth()
    return Assembly(outdir=outdir, stack_names=["DestroyApp"])


#: What blocks the deletion of the DESTROY app, with data in it, while the pipeline's bucket
#: has no auto-delete-objects custom resource (reported on issue 13): resource type -> why AWS
#: refuses to delete it (its parts - the bucket policies - stay with it).
BLOCKERS_TODAY = {
    "AWS::S3::Bucket": "the pipeline's bucket holds the delivered records and has no "
    "auto-delete-objects (S3 refuses DeleteBucket on a non-empty bucket)",
}


#: What the DESTROY app retained all the same when this test was written: type -> why.
RETAINED_TODAY = {
    "AWS::Logs::LogStream": "the Firehose destination's log stream keeps DeletionPolicy Retain "
    "(StreamToS3Pipeline passes removal_policy to the log group, not to the stream)",
}


def test_a_destroy_app_is_deleted_whole_except_known_blockers(
    emulator: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assembly = _destroy_app(tmp_path_factory.mktemp("destroy.out"))
    stack = emulator.deploy(assembly, "DestroyApp")
    # data in it, as a dev stack would hold: a message in the queue, records in the bucket
    (topic,) = [pid for t, pid in stack.resources.values() if t == "AWS::SNS::Topic"]
    emulator.client("sns").publish(TopicArn=topic, Message="kept")
    (stream,) = [pid for t, pid in stack.resources.values() if t == "AWS::Kinesis::Stream"]
    emulator.client("kinesis").put_record(StreamName=stream, Data=b"{}", PartitionKey="k")
    template = assembly.template("DestroyApp")
    retained = sorted(
        r["Type"] for r in template["Resources"].values() if r.get("DeletionPolicy") in RETAINED
    )

    report = emulator.delete_stack("DestroyApp")
    print(report)

    blocked = sorted(
        {t for t in (n.split(" (")[1].rstrip(")") for n in report.remaining) if t not in PARTS}
    )
    emptied = any(
        r["Type"] == "Custom::S3AutoDeleteObjects" for r in template["Resources"].values()
    )
    assert blocked == ([] if emptied else sorted(BLOCKERS_TODAY)), str(report)
    assert report.clean or not emptied, str(report)
    # what the app retains all the same is reported (RETAINED_TODAY), and is still there
    assert sorted(n.split(" (")[1].rstrip(")") for n in report.retained) == retained
    assert not report.lost
