"""VideoIngestStream deployed (control plane): the stream exists with its retention, media type,
device name and the stack's KMS key. moto has no media API (PutMedia / GetMedia)."""

from __future__ import annotations

import pytest

from emulator.server import Emulator
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


def test_the_stream_keeps_seven_days_encrypted_with_the_stack_key(
    deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed("VideoIngestExample")

    info = emulator.client("kinesisvideo").describe_stream(StreamName=stack.outputs["StreamName"])[
        "StreamInfo"
    ]

    assert info["Status"] == "ACTIVE"
    assert info["StreamARN"] == stack.outputs["StreamArn"]
    assert info["DataRetentionInHours"] == 7 * 24
    assert (info["MediaType"], info["DeviceName"]) == ("video/h264", "front-door-cam")
    keys = {k["KeyArn"] for k in emulator.client("kms").list_keys()["Keys"]}
    assert info["KmsKeyId"] in keys  # a customer-managed key, not the aws/kinesisvideo one
