"""CloudWatch -> SNS: an alarm that changes state notifies its KMS-encrypted alarm topic.

CloudWatch publishes as ``cloudwatch.amazonaws.com`` for the alarm (``aws:SourceArn``): the
topic's policy must allow it ``sns:Publish``, and the topic key's policy must let it use the
key. The emulator's alarms never change state by themselves (no metrics are evaluated); the
test sets the state as an alarm evaluation would.
"""

from __future__ import annotations

import pytest

from emulator.server import DeployedStack, Emulator
from tests.deploy.conftest import Deployments
from tests.deploy.probes import bodies, probe_queue

pytestmark = pytest.mark.deploy


def check_an_alarm_notifies_its_topic(emulator: Emulator, stack: DeployedStack) -> None:
    """One alarm of ``stack`` goes to ALARM and back to OK: its topic gets both notifications."""
    cloudwatch = emulator.client("cloudwatch")
    names = sorted(
        pid for rtype, pid in stack.resources.values() if rtype == "AWS::CloudWatch::Alarm"
    )
    assert names, f"{stack.name} has no alarm"
    (alarm,) = cloudwatch.describe_alarms(AlarmNames=[names[0]])["MetricAlarms"]
    (topic,) = alarm["AlarmActions"]
    probe = probe_queue(emulator, topic)

    with emulator.authorizer.expecting() as denied:
        for state in ("ALARM", "OK"):
            cloudwatch.set_alarm_state(
                AlarmName=alarm["AlarmName"], StateValue=state, StateReason="deploy tier"
            )

    assert not denied, "\n".join(denied)
    notified = [(n["AlarmName"], n["NewStateValue"]) for n in bodies(emulator, probe)]
    assert notified == [(alarm["AlarmName"], "ALARM"), (alarm["AlarmName"], "OK")]


@pytest.mark.parametrize("stack_name", ["FanOutExample", "StreamIngestExample"])
def test_an_alarm_notifies_its_encrypted_topic(
    stack_name: str, deployed: Deployments, emulator: Emulator
) -> None:
    check_an_alarm_notifies_its_topic(emulator, deployed(stack_name))
