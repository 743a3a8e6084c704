"""Examples: a long-running EMR cluster with a word-count step, and a transient cluster.

``EmrClusterExample``: Spark and Hive on Graviton instance groups - one primary, two core
On-Demand nodes and a Spot task group that managed scaling grows up to 10 instances
(at most 4 On-Demand, at most 3 core), terminated after two idle hours. A Spark word count
runs as a step on a small text uploaded as an asset, writing to the data bucket.

``TransientEmrExample``: a Step Functions workflow that creates a cluster of instance
fleets (Spot task fleet over three instance types), runs the same word count and
terminates the cluster - also when the step fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from patterns.core import defaults
from patterns.core.monitoring import create_alarm_topic
from patterns.emr import (
    EmrCluster,
    EmrStep,
    InstanceFleet,
    InstanceGroup,
    ManagedScaling,
    TransientEmrWorkflow,
)

__all__ = ["EmrClusterExampleStack", "TransientEmrExampleStack"]

ASSETS = Path(__file__).parent / "assets" / "emr"


def _allow_reading(role: iam.IRole, *assets: s3_assets.Asset) -> None:
    """Let the cluster's instances read exactly these asset objects."""
    partition = cdk.Stack.of(role).partition
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["s3:GetObject"],
            resources=[
                f"arn:{partition}:s3:::{asset.s3_bucket_name}/{asset.s3_object_key}"
                for asset in assets
            ],
        )
    )


class EmrClusterExampleStack(cdk.Stack):
    """A long-running Spark/Hive cluster with Spot task capacity, scaling and a step."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.cluster = EmrCluster(
            self,
            "Analytics",
            applications=["Hadoop", "Spark", "Hive"],
            primary=InstanceGroup(instance_type="m7g.xlarge"),
            core=InstanceGroup(instance_type="m7g.xlarge", count=2, ebs_gib=128),
            task=InstanceGroup(instance_type="m7g.2xlarge", count=1, spot=True),
            managed_scaling=ManagedScaling(
                minimum=3, maximum=10, maximum_on_demand=4, maximum_core=3
            ),
            idle_timeout=Duration.hours(2),
            # The example owns no PEM certificate bundle; a production cluster passes
            # in_transit_certificate_s3_uri="s3://<its certificates>/emr/certs.zip" instead.
            allow_unencrypted_in_transit=True,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        script = s3_assets.Asset(self, "WordCountScript", path=str(ASSETS / "wordcount.py"))
        text = s3_assets.Asset(self, "WordCountInput", path=str(ASSETS / "words.txt"))
        _allow_reading(self.cluster.instance_role, script, text)
        output = self.cluster.data_bucket.s3_url_for_object("wordcount/output/")
        self.cluster.add_step(
            EmrStep.spark("WordCount", script.s3_object_url, [text.s3_object_url, output])
        )
        cdk.CfnOutput(self, "ClusterId", value=self.cluster.cluster_id)
        cdk.CfnOutput(self, "DataBucketName", value=self.cluster.data_bucket.bucket_name)
        cdk.CfnOutput(self, "LogBucketName", value=self.cluster.log_bucket.bucket_name)


class TransientEmrExampleStack(cdk.Stack):
    """Create a cluster of instance fleets, run the word count, terminate the cluster."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        # The step writes to the data bucket, so the bucket (and its key) come first.
        key = defaults.encryption_key(self, "DataKey", description="Encrypts the ETL data")
        data_bucket = defaults.secure_bucket(self, "DataBucket", encryption_key=key)
        script = s3_assets.Asset(self, "WordCountScript", path=str(ASSETS / "wordcount.py"))
        text = s3_assets.Asset(self, "WordCountInput", path=str(ASSETS / "words.txt"))
        self.etl = TransientEmrWorkflow(
            self,
            "NightlyEtl",
            applications=["Hadoop", "Spark"],
            primary=InstanceFleet(instance_types=["m7g.xlarge", "m6g.xlarge"], on_demand_units=1),
            core=InstanceFleet(instance_types=["m7g.xlarge", "m6g.xlarge"], on_demand_units=2),
            task=InstanceFleet(
                instance_types=["m7g.2xlarge", "m6g.2xlarge", "c7g.2xlarge"], spot_units=4
            ),
            steps=[
                EmrStep.spark(
                    "WordCount",
                    script.s3_object_url,
                    [text.s3_object_url, data_bucket.s3_url_for_object("wordcount/output/")],
                )
            ],
            encryption_key=key,
            data_bucket=data_bucket,
            idle_timeout=Duration.minutes(30),
            allow_unencrypted_in_transit=True,  # no PEM bundle of its own, as above
            timeout=Duration.hours(3),
            alarm_topic=alarm_topic,
        )
        _allow_reading(self.etl.instance_role, script, text)
        cdk.CfnOutput(
            self, "StateMachineArn", value=self.etl.workflow.state_machine.state_machine_arn
        )


EXAMPLES = {
    "EmrClusterExample": EmrClusterExampleStack,
    "TransientEmrExample": TransientEmrExampleStack,
}
