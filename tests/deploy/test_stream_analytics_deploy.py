"""StreamAnalytics deployed (control plane): the Managed Flink application reads the deployed
stream, writes to the results bucket, checkpoints, snapshots and scales its parallelism, and
its code is the published asset. No Flink job runs in the emulator."""

from __future__ import annotations

import pytest

from emulator.server import Emulator
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


def test_the_application_reads_the_stream_and_writes_the_results_bucket(
    deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed("StreamAnalyticsExample")
    (stream_name,) = [
        pid for rtype, pid in stack.resources.values() if rtype == "AWS::Kinesis::Stream"
    ]

    detail = emulator.client("kinesisanalyticsv2").describe_application(
        ApplicationName=stack.outputs["ApplicationName"]
    )["ApplicationDetail"]

    assert detail["RuntimeEnvironment"].startswith("FLINK-")
    configuration = detail["ApplicationConfigurationDescription"]
    groups = {
        g["PropertyGroupId"]: g["PropertyMap"]
        for g in configuration["EnvironmentPropertyDescriptions"]["PropertyGroupDescriptions"]
    }
    assert groups["source"]["stream.name"] == stream_name
    assert groups["sink"]["path"].startswith(f"s3a://{stack.outputs['ResultsBucket']}/")
    flink = configuration["FlinkApplicationConfigurationDescription"]
    assert flink["CheckpointConfigurationDescription"]["CheckpointingEnabled"] is True
    assert flink["ParallelismConfigurationDescription"]["AutoScalingEnabled"] is True
    assert configuration["ApplicationSnapshotConfigurationDescription"]["SnapshotsEnabled"]
    code = configuration["ApplicationCodeConfigurationDescription"]["CodeContentDescription"][
        "S3ApplicationCodeLocationDescription"
    ]
    bucket = code["BucketARN"].removeprefix("arn:aws:s3:::")
    assert emulator.client("s3").head_object(Bucket=bucket, Key=code["FileKey"])
