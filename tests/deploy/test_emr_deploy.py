"""EmrCluster deployed (control plane): the cluster runs the configured release and
applications with its instance groups, the KMS security configuration (S3 and local disks
encrypted, IMDSv2) and logs to the log bucket, and the word-count step is queued with its
output in the data bucket. No Hadoop or Spark runs in the emulator."""

from __future__ import annotations

import ast
import json
from typing import Any

import pytest

from emulator.server import DeployedStack, Emulator
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def emr(deployed: Deployments) -> DeployedStack:
    return deployed("EmrClusterExample")


def _cluster(emulator: Emulator, stack: DeployedStack) -> dict[str, Any]:
    cluster: dict[str, Any] = emulator.client("emr").describe_cluster(
        ClusterId=stack.outputs["ClusterId"]
    )["Cluster"]
    return cluster


def test_the_cluster_runs_with_its_applications_groups_and_logs(
    emr: DeployedStack, emulator: Emulator
) -> None:
    cluster = _cluster(emulator, emr)

    assert cluster["Status"]["State"] in ("STARTING", "RUNNING", "WAITING")
    assert cluster["ReleaseLabel"].startswith("emr-7.")
    assert {a["Name"] for a in cluster["Applications"]} == {"Hadoop", "Spark", "Hive"}
    assert cluster["LogUri"].startswith(f"s3://{emr.outputs['LogBucketName']}/")
    groups = emulator.client("emr").list_instance_groups(ClusterId=emr.outputs["ClusterId"])[
        "InstanceGroups"
    ]
    assert sorted(
        (g["InstanceGroupType"], g["RequestedInstanceCount"], g["Market"]) for g in groups
    ) == [("CORE", 2, "ON_DEMAND"), ("MASTER", 1, "ON_DEMAND"), ("TASK", 1, "SPOT")]


def test_the_cluster_uses_the_kms_security_configuration(
    emr: DeployedStack, emulator: Emulator
) -> None:
    cluster = _cluster(emulator, emr)
    assert cluster.get("SecurityConfiguration")

    text = emulator.client("emr").describe_security_configuration(
        Name=cluster["SecurityConfiguration"]
    )["SecurityConfiguration"]

    try:
        configuration = json.loads(text)
    except json.JSONDecodeError:  # moto's CloudFormation stores the dict's repr
        configuration = ast.literal_eval(text)
    encryption = configuration["EncryptionConfiguration"]
    assert encryption["EnableAtRestEncryption"] is True
    at_rest = encryption["AtRestEncryptionConfiguration"]
    assert at_rest["S3EncryptionConfiguration"]["EncryptionMode"] == "SSE-KMS"
    disks = at_rest["LocalDiskEncryptionConfiguration"]
    assert disks["EncryptionKeyProviderType"] == "AwsKms" and disks["EnableEbsEncryption"]
    keys = {k["KeyArn"] for k in emulator.client("kms").list_keys()["Keys"]}
    assert disks["AwsKmsKey"] in keys  # the stack's own key (S3 uses the same)
    assert at_rest["S3EncryptionConfiguration"]["AwsKmsKey"] == disks["AwsKmsKey"]
    assert (
        configuration["InstanceMetadataServiceConfiguration"][
            "MinimumInstanceMetadataServiceVersion"
        ]
        == 2
    )


def test_the_word_count_step_writes_to_the_data_bucket(
    emr: DeployedStack, emulator: Emulator
) -> None:
    steps = emulator.client("emr").list_steps(ClusterId=emr.outputs["ClusterId"])["Steps"]

    (step,) = [s for s in steps if s["Name"] == "WordCount"]
    args = step["Config"]["Args"]
    assert args[0] == "spark-submit"
    assert args[-1] == f"s3://{emr.outputs['DataBucketName']}/wordcount/output/"
    s3 = emulator.client("s3")
    for url in args[-3:-1]:  # the script and its input, published as assets
        bucket, _, key = url.removeprefix("s3://").partition("/")
        assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] > 0
