"""StreamToS3Pipeline deployed: records put on the stream land in the bucket under the prefix."""

from __future__ import annotations

import gzip
import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from emulator.firehose_bridge import render_prefix
from emulator.server import DeployedStack, Emulator
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def pipeline(deployed: Deployments) -> DeployedStack:
    return deployed("StreamIngestExample")


def _destination(emulator: Emulator, stack: DeployedStack) -> dict[str, object]:
    description = emulator.client("firehose").describe_delivery_stream(
        DeliveryStreamName=stack.outputs["DeliveryStreamName"]
    )["DeliveryStreamDescription"]
    assert description["DeliveryStreamType"] == "KinesisStreamAsSource"
    destination: dict[str, object] = description["Destinations"][0][
        "ExtendedS3DestinationDescription"
    ]
    return destination


def test_records_put_on_the_stream_arrive_under_the_prefix(
    pipeline: DeployedStack, emulator: Emulator
) -> None:
    s3 = emulator.client("s3")
    bucket = pipeline.outputs["BucketName"]
    destination = _destination(emulator, pipeline)
    prefix = str(destination["Prefix"])
    assert prefix == "data/!{timestamp:yyyy/MM/dd/HH}/"  # the pattern's default
    records = [json.dumps({"click": str(uuid.uuid4()), "n": n}).encode() + b"\n" for n in range(25)]
    before = datetime.now(UTC)

    emulator.client("kinesis").put_records(
        StreamName=pipeline.outputs["StreamName"],
        Records=[{"Data": r, "PartitionKey": f"user-{n % 7}"} for n, r in enumerate(records)],
    )

    after = datetime.now(UTC)
    expected_prefixes = {render_prefix(prefix, before), render_prefix(prefix, after)}
    objects = s3.list_objects_v2(Bucket=bucket, Prefix="data/").get("Contents", [])
    assert objects, "nothing was delivered"
    delivered = b""
    for obj in objects:
        key = obj["Key"]
        assert re.fullmatch(r"data/\d{4}/\d{2}/\d{2}/\d{2}/[^/]+\.gz", key), key
        assert key.rsplit("/", 1)[0] + "/" in expected_prefixes
        got = s3.get_object(Bucket=bucket, Key=key)
        assert got["ServerSideEncryption"] == "aws:kms"  # with the pipeline's key
        kms = destination["EncryptionConfiguration"]["KMSEncryptionConfig"]  # type: ignore[index]
        assert got["SSEKMSKeyId"] == kms["AWSKMSKeyARN"]
        delivered += gzip.decompress(got["Body"].read())  # GZIP as configured
    assert sorted(delivered.splitlines(keepends=True)) == sorted(records)


def test_a_single_record_is_delivered_too(pipeline: DeployedStack, emulator: Emulator) -> None:
    s3 = emulator.client("s3")
    bucket = pipeline.outputs["BucketName"]
    before = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    record = json.dumps({"click": str(uuid.uuid4())}).encode()

    emulator.client("kinesis").put_record(
        StreamName=pipeline.outputs["StreamName"], Data=record, PartitionKey="user-1"
    )

    new = [
        o["Key"]
        for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        if o["Key"] not in before
    ]
    assert len(new) == 1 and new[0].startswith("data/")
    assert gzip.decompress(s3.get_object(Bucket=bucket, Key=new[0])["Body"].read()) == record
    assert not [k for k in new if k.startswith("errors/")]
