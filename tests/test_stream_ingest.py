"""StreamToS3Pipeline: the example stack's template, variants in fresh stacks, validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, RemovalPolicy, assertions
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Capture, Match, Template
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from patterns import PatternValidationError, StreamToS3Pipeline
from patterns.capacity import kinesis_shards
from patterns.core.metadata import ALARMS_METADATA, CAPACITY_METADATA
from tests.conftest import SynthResult, new_app, new_stack

STACK = "StreamIngestExample"
STREAM = "AWS::Kinesis::Stream"
DELIVERY = "AWS::KinesisFirehose::DeliveryStream"
ALARM = "AWS::CloudWatch::Alarm"

# The example: 2,500 records/s of 1.5 KiB, 2 consumers, 48 h retention, 128 MiB / 120 s buffers.
EXAMPLE_PLAN = kinesis_shards(2_500, 1.5, consumers=2)
EXAMPLE_RETENTION_HOURS = 48
EXAMPLE_BUFFERING_S = 120


@pytest.fixture(scope="module")
def template(synth: SynthResult) -> Template:
    return synth.template(STACK)


@pytest.fixture(scope="module")
def pipeline(synth: SynthResult) -> StreamToS3Pipeline:
    node = synth.stacks[STACK].node.find_child("Clickstream")
    assert isinstance(node, StreamToS3Pipeline)
    return node


def only(resources: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    assert len(resources) == 1, list(resources)
    ((logical_id, resource),) = resources.items()
    return logical_id, resource


def logical_id(synth: SynthResult, type_name: str, contains: str = "Clickstream") -> str:
    matches = [k for k in synth.resources(STACK, type_name) if contains in k]
    assert len(matches) == 1, matches
    return matches[0]


def alarms_by_metric(synth: SynthResult) -> dict[str, dict[str, Any]]:
    return {
        alarm["Properties"]["MetricName"]: alarm["Properties"]
        for alarm in synth.resources(STACK, ALARM).values()
    }


def metadata(construct: cdk.Stack | StreamToS3Pipeline, kind: str) -> list[Any]:
    return [entry.data for entry in construct.node.metadata if entry.type == kind]


def synth_template(stack: cdk.Stack) -> dict[str, Any]:
    return dict(Template.from_stack(stack).to_json())


def resources_of(stack_json: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in stack_json["Resources"].items() if v["Type"] == type_name}


# -- capacity -------------------------------------------------------------------------------


def test_shard_count_comes_from_the_plan(
    synth: SynthResult, template: Template, pipeline: StreamToS3Pipeline
) -> None:
    assert pipeline.capacity_plan == EXAMPLE_PLAN
    assert EXAMPLE_PLAN.shards == 4
    template.resource_count_is(STREAM, 1)
    template.has_resource_properties(
        STREAM,
        {"ShardCount": EXAMPLE_PLAN.shards, "StreamModeDetails": {"StreamMode": "PROVISIONED"}},
    )


def test_capacity_and_alarm_count_are_recorded_for_the_review(
    pipeline: StreamToS3Pipeline,
) -> None:
    lines = metadata(pipeline, CAPACITY_METADATA)
    assert lines[0] == "4 shards (write MiB/s binds, 8% spare)"
    # the load's two other plans: both capacity modes' cost, and the objects written to S3
    assert lines[1].startswith("provisioned $") and "vs on-demand $" in lines[1]
    assert lines[2].startswith("Firehose stream to S3: 128 MiB objects every 34.95 s")
    assert len(lines) == 3
    alarms_scope = pipeline.node.find_child("Alarms")
    assert metadata(alarms_scope, ALARMS_METADATA) == [4]  # type: ignore[arg-type]


def test_retention(template: Template) -> None:
    template.has_resource_properties(STREAM, {"RetentionPeriodHours": EXAMPLE_RETENTION_HOURS})


# -- encryption -----------------------------------------------------------------------------


def test_stream_is_encrypted_with_the_pipeline_key(synth: SynthResult, template: Template) -> None:
    key = logical_id(synth, "AWS::KMS::Key", "ClickstreamKey")
    template.has_resource_properties(
        STREAM,
        {"StreamEncryption": {"EncryptionType": "KMS", "KeyId": {"Fn::GetAtt": [key, "Arn"]}}},
    )
    template.has_resource(
        "AWS::KMS::Key",
        {
            "Properties": Match.object_like({"EnableKeyRotation": True}),
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


def test_delivered_objects_are_encrypted_with_the_pipeline_key(
    synth: SynthResult, template: Template
) -> None:
    key = logical_id(synth, "AWS::KMS::Key", "ClickstreamKey")
    template.has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "EncryptionConfiguration": {
                        "KMSEncryptionConfig": {"AWSKMSKeyARN": {"Fn::GetAtt": [key, "Arn"]}}
                    }
                }
            )
        },
    )


def test_bucket_is_kms_encrypted_versioned_private_and_logged(
    synth: SynthResult, template: Template
) -> None:
    key = logical_id(synth, "AWS::KMS::Key", "ClickstreamKey")
    bucket_id = logical_id(synth, "AWS::S3::Bucket", "ClickstreamBucket9")
    bucket = synth.templates[STACK]["Resources"][bucket_id]
    props = bucket["Properties"]
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {
            "BucketKeyEnabled": True,
            "ServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": {"Fn::GetAtt": [key, "Arn"]},
            },
        }
    ]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    access_logs = logical_id(synth, "AWS::S3::Bucket", "ClickstreamBucketAccessLogs")
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": access_logs}
    assert bucket["DeletionPolicy"] == "Retain"


def test_bucket_policy_denies_insecure_transport(synth: SynthResult, template: Template) -> None:
    bucket_id = logical_id(synth, "AWS::S3::Bucket", "ClickstreamBucket9")
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket_id},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            },
        },
    )


def test_stateful_resources_are_retained(synth: SynthResult) -> None:
    resources = synth.templates[STACK]["Resources"]
    stateful = [
        k
        for k, v in resources.items()
        if k.startswith("Clickstream")
        and v["Type"] in (STREAM, "AWS::KMS::Key", "AWS::S3::Bucket", "AWS::Logs::LogGroup")
    ]
    assert len(stateful) == 5  # stream, key, bucket, access log bucket, log group
    for logical in stateful:
        assert resources[logical]["DeletionPolicy"] == "Retain", logical
        assert resources[logical]["UpdateReplacePolicy"] == "Retain", logical


# -- delivery -------------------------------------------------------------------------------


def test_firehose_reads_the_stream_and_writes_the_bucket(
    synth: SynthResult, template: Template
) -> None:
    stream = logical_id(synth, STREAM)
    bucket = logical_id(synth, "AWS::S3::Bucket", "ClickstreamBucket9")
    template.resource_count_is(DELIVERY, 1)
    template.has_resource_properties(
        DELIVERY,
        {
            "DeliveryStreamType": "KinesisStreamAsSource",
            "KinesisStreamSourceConfiguration": Match.object_like(
                {"KinesisStreamARN": {"Fn::GetAtt": [stream, "Arn"]}}
            ),
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {"BucketARN": {"Fn::GetAtt": [bucket, "Arn"]}}
            ),
        },
    )


def test_buffering_hints_and_compression(template: Template) -> None:
    template.has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "BufferingHints": {"IntervalInSeconds": EXAMPLE_BUFFERING_S, "SizeInMBs": 128},
                    "CompressionFormat": "GZIP",
                }
            )
        },
    )


def test_time_partitioned_prefix_and_separate_error_prefix(template: Template) -> None:
    template.has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "Prefix": "data/!{timestamp:yyyy/MM/dd/HH}/",
                    "ErrorOutputPrefix": (
                        "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"
                    ),
                }
            )
        },
    )


def test_delivery_errors_are_logged_to_a_log_group_with_retention(
    synth: SynthResult, template: Template, pipeline: StreamToS3Pipeline
) -> None:
    log_group = logical_id(synth, "AWS::Logs::LogGroup", "ClickstreamDeliveryLogs")
    template.has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "CloudWatchLoggingOptions": Match.object_like(
                        {"Enabled": True, "LogGroupName": {"Ref": log_group}}
                    )
                }
            )
        },
    )
    template.has_resource(
        "AWS::Logs::LogGroup",
        {"Properties": {"RetentionInDays": 365}, "DeletionPolicy": "Retain"},
    )
    assert synth.resources(STACK, "AWS::Logs::LogGroup").keys() == {log_group}
    assert cdk.Stack.of(pipeline).resolve(pipeline.log_group.log_group_name) == {"Ref": log_group}


def test_firehose_roles_are_scoped_to_the_pipeline_resources(
    synth: SynthResult, template: Template
) -> None:
    stream = logical_id(synth, STREAM)
    key = logical_id(synth, "AWS::KMS::Key", "ClickstreamKey")
    policies = synth.resources(STACK, "AWS::IAM::Policy")
    for policy in policies.values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            assert statement["Resource"] != "*", statement
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": Match.array_with(["kinesis:GetRecords"]),
                                "Resource": {"Fn::GetAtt": [stream, "Arn"]},
                            }
                        ),
                        {
                            "Action": "kms:Decrypt",
                            "Effect": "Allow",
                            "Resource": {"Fn::GetAtt": [key, "Arn"]},
                        },
                    ]
                )
            }
        },
    )


def _destination_statements(synth: SynthResult) -> dict[str, dict[str, Any]]:
    policy_id = logical_id(synth, "AWS::IAM::Policy", "ClickstreamDestinationPolicy")
    policy = synth.resources(STACK, "AWS::IAM::Policy")[policy_id]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    return {statement["Sid"]: statement for statement in statements}


def test_firehose_writes_with_exactly_what_delivery_needs(synth: SynthResult) -> None:
    """The destination role may put, get and abort multipart uploads of the bucket's objects,
    read the bucket's location and listings (the Firehose guide's list), use the key through S3
    for this bucket only, and write its error log stream: no delete, no re-encrypt."""
    bucket = logical_id(synth, "AWS::S3::Bucket", "ClickstreamBucket9")
    key = logical_id(synth, "AWS::KMS::Key", "ClickstreamKey")
    objects = {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}
    statements = _destination_statements(synth)
    assert set(statements) == {
        "WriteDeliveredObjects",
        "LocateDestinationBucket",
        "EncryptDeliveredObjects",
        "WriteDeliveryErrors",
    }
    assert statements["WriteDeliveredObjects"]["Action"] == [
        "s3:AbortMultipartUpload",
        "s3:GetObject",
        "s3:PutObject",
    ]
    assert statements["WriteDeliveredObjects"]["Resource"] == objects
    assert statements["LocateDestinationBucket"]["Action"] == [
        "s3:GetBucketLocation",
        "s3:ListBucket",
        "s3:ListBucketMultipartUploads",
    ]
    assert statements["LocateDestinationBucket"]["Resource"] == {"Fn::GetAtt": [bucket, "Arn"]}
    encrypt = statements["EncryptDeliveredObjects"]
    assert encrypt["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert encrypt["Resource"] == {"Fn::GetAtt": [key, "Arn"]}
    assert encrypt["Condition"] == {
        "StringEquals": {
            "kms:ViaService": {"Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}
        },
        "StringLike": {
            "kms:EncryptionContext:aws:s3:arn": [{"Fn::GetAtt": [bucket, "Arn"]}, objects]
        },
    }
    logs_statement = statements["WriteDeliveryErrors"]
    assert logs_statement["Action"] == "logs:PutLogEvents"
    assert ":log-stream:" in json.dumps(logs_statement["Resource"])
    actions = {
        action
        for policy in synth.resources(STACK, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    }
    assert not [a for a in actions if a.startswith(("s3:Delete", "kms:ReEncrypt", "kms:Encrypt"))]
    assert not [a for a in actions if a.endswith("*")], actions


def test_firehose_writes_with_a_role_of_this_account_whose_default_policy_is_the_users(
    synth: SynthResult, pipeline: StreamToS3Pipeline
) -> None:
    role_id = logical_id(synth, "AWS::IAM::Role", "ClickstreamDestinationRole")
    role = synth.resources(STACK, "AWS::IAM::Role")[role_id]
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "firehose.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": {"Ref": "AWS::AccountId"}}}
    destination = synth.resources(STACK, DELIVERY)
    ((delivery_id, delivery),) = destination.items()
    assert delivery["Properties"]["ExtendedS3DestinationConfiguration"]["RoleARN"] == {
        "Fn::GetAtt": [role_id, "Arn"]
    }
    policy_id = logical_id(synth, "AWS::IAM::Policy", "ClickstreamDestinationPolicy")
    assert policy_id in delivery["DependsOn"], delivery_id
    # What delivery needs is not in the role's default policy: that one is for the user.
    assert pipeline.delivery_role.node.try_find_child("DefaultPolicy") is None
    assert not [k for k in synth.resources(STACK, "AWS::IAM::Policy") if "S3Destination" in k]


def test_a_users_wildcard_on_the_delivery_role_is_reported(tmp_path: Path) -> None:
    app = new_app(outdir=str(tmp_path))
    stack = cdk.Stack(app, "UserGrant")
    pipeline = StreamToS3Pipeline(stack, "Pipeline", shard_count=1)
    pipeline.delivery_role.add_to_principal_policy(
        iam.PolicyStatement(actions=["s3:DeleteObject"], resources=["*"])
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(RuntimeError):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    violations = [
        (v["ruleName"], c["constructPath"])
        for plugin in report["pluginReports"]
        for v in plugin.get("violations", [])
        for c in v["violatingConstructs"]
    ]
    assert violations == [
        (
            "AwsSolutions-IAM5[Resource::*]",
            "UserGrant/Pipeline/DestinationRole/DefaultPolicy/Resource",
        )
    ]


def test_unused_firehose_cidr_mapping_is_not_emitted(synth: SynthResult) -> None:
    assert "Mappings" not in synth.templates[STACK]


# -- alarms ---------------------------------------------------------------------------------


def test_four_alarms_are_exposed_by_role(pipeline: StreamToS3Pipeline, template: Template) -> None:
    assert set(pipeline.alarms) == {
        "IteratorAgeHigh",
        "WriteThroughputExceeded",
        "ReadThroughputExceeded",
        "DataFreshnessHigh",
    }
    template.resource_count_is(ALARM, 4)


def test_iterator_age_alarm_is_a_share_of_the_retention(synth: SynthResult) -> None:
    alarm = alarms_by_metric(synth)["GetRecords.IteratorAgeMilliseconds"]
    assert alarm["Namespace"] == "AWS/Kinesis"
    assert alarm["Statistic"] == "Maximum"
    # half of the 48 h retention, in milliseconds
    assert alarm["Threshold"] == 0.5 * EXAMPLE_RETENTION_HOURS * 3_600_000
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["Dimensions"] == [
        {"Name": "StreamName", "Value": {"Ref": logical_id(synth, STREAM)}}
    ]


@pytest.mark.parametrize(
    "metric", ["WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded"]
)
def test_throughput_exceeded_alarms(synth: SynthResult, metric: str) -> None:
    alarm = alarms_by_metric(synth)[metric]
    assert alarm["Namespace"] == "AWS/Kinesis"
    assert alarm["Statistic"] == "Sum"
    assert alarm["Threshold"] == 0
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["EvaluationPeriods"] == 3
    assert alarm["Period"] == 300
    assert alarm["Dimensions"] == [
        {"Name": "StreamName", "Value": {"Ref": logical_id(synth, STREAM)}}
    ]


def test_data_freshness_alarm_follows_the_buffering_interval(synth: SynthResult) -> None:
    alarm = alarms_by_metric(synth)["DeliveryToS3.DataFreshness"]
    assert alarm["Namespace"] == "AWS/Firehose"
    assert alarm["Statistic"] == "Maximum"
    assert alarm["Threshold"] == EXAMPLE_BUFFERING_S + 600  # one buffer + 10 minutes, in s
    assert alarm["Dimensions"] == [
        {"Name": "DeliveryStreamName", "Value": {"Ref": logical_id(synth, DELIVERY)}}
    ]


def test_key_metrics_are_the_ones_the_alarms_watch(pipeline: StreamToS3Pipeline) -> None:
    stack = cdk.Stack.of(pipeline)
    for name, metric in (
        ("IteratorAgeHigh", pipeline.metric_iterator_age()),
        ("WriteThroughputExceeded", pipeline.metric_write_provisioned_throughput_exceeded()),
        ("ReadThroughputExceeded", pipeline.metric_read_provisioned_throughput_exceeded()),
        ("DataFreshnessHigh", pipeline.metric_delivery_freshness()),
    ):
        alarm = pipeline.alarms[name].metric
        assert isinstance(alarm, cw.Metric)
        assert (metric.namespace, metric.metric_name, metric.statistic) == (
            alarm.namespace,
            alarm.metric_name,
            alarm.statistic,
        )
        assert metric.period.to_seconds() == 300
        assert stack.resolve(metric.dimensions) == stack.resolve(alarm.dimensions)


def test_metric_is_of_the_stream_and_takes_options(pipeline: StreamToS3Pipeline) -> None:
    stack = cdk.Stack.of(pipeline)
    metric = pipeline.metric("IncomingRecords", statistic="Sum", period=Duration.minutes(1))
    assert (metric.namespace, metric.metric_name, metric.statistic) == (
        "AWS/Kinesis",
        "IncomingRecords",
        "Sum",
    )
    assert metric.period.to_seconds() == 60
    assert stack.resolve(metric.dimensions) == stack.resolve(
        pipeline.stream.metric("IncomingRecords").dimensions
    )
    assert pipeline.metric_iterator_age(statistic="Average").statistic == "Average"
    assert pipeline.metric_delivery_freshness().namespace == "AWS/Firehose"


def test_alarms_notify_the_topic_on_alarm_and_ok(synth: SynthResult) -> None:
    topic = logical_id(synth, "AWS::SNS::Topic", "AlarmTopic")
    for alarm in synth.resources(STACK, ALARM).values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic}]
        assert alarm["Properties"]["OKActions"] == [{"Ref": topic}]


def test_alarm_topic_is_encrypted_and_tls_only(synth: SynthResult, template: Template) -> None:
    topic = logical_id(synth, "AWS::SNS::Topic", "AlarmTopic")
    key = logical_id(synth, "AWS::KMS::Key", "AlarmTopicKey")
    template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": {"Fn::GetAtt": [key, "Arn"]}}
    )
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "Topics": [{"Ref": topic}],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            },
        },
    )
    # CloudWatch may use the key to publish the alarms to the encrypted topic.
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [Match.object_like({"Principal": {"Service": "cloudwatch.amazonaws.com"}})]
                )
            }
        },
    )


def test_dashboard_shows_the_pipeline_alarms(synth: SynthResult, template: Template) -> None:
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    (dashboard,) = synth.resources(STACK, "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    assert "Stream ingest" in body
    for name in ("IteratorAgeHigh", "WriteThroughputExceeded", "DataFreshnessHigh"):
        assert name in body


def test_outputs(synth: SynthResult) -> None:
    outputs = synth.templates[STACK]["Outputs"]
    assert outputs["StreamName"]["Value"] == {"Ref": logical_id(synth, STREAM)}
    assert outputs["DeliveryStreamName"]["Value"] == {"Ref": logical_id(synth, DELIVERY)}
    bucket = logical_id(synth, "AWS::S3::Bucket", "ClickstreamBucket9")
    assert outputs["BucketName"]["Value"] == {"Ref": bucket}


def test_public_attributes(pipeline: StreamToS3Pipeline) -> None:
    stack = cdk.Stack.of(pipeline)
    assert isinstance(pipeline.delivery_stream, firehose.DeliveryStream)
    assert stack.resolve(pipeline.bucket.bucket_arn)["Fn::GetAtt"][0].startswith(
        "ClickstreamBucket"
    )
    assert stack.resolve(pipeline.encryption_key.key_arn)["Fn::GetAtt"][0].startswith(
        "ClickstreamKey"
    )
    assert isinstance(pipeline.delivery_role, iam.Role)
    assert isinstance(pipeline.delivery_policy, iam.Policy)
    assert pipeline.delivery_policy.node.path.endswith("Clickstream/DestinationPolicy")


# -- variants -------------------------------------------------------------------------------


def test_on_demand_mode() -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "Pipeline", on_demand=True)
    template = Template.from_stack(stack)
    template.has_resource_properties(
        STREAM,
        {"StreamModeDetails": {"StreamMode": "ON_DEMAND"}, "ShardCount": Match.absent()},
    )
    assert pipeline.capacity_plan is None
    assert metadata(pipeline, CAPACITY_METADATA) == ["on-demand"]
    # the throttling alarms still apply: on-demand streams throttle above twice their peak
    assert {"WriteThroughputExceeded", "ReadThroughputExceeded"} <= set(pipeline.alarms)


@pytest.mark.parametrize(
    ("shards", "summary"), [(1, "1 shard (explicit)"), (2, "2 shards (explicit)")]
)
def test_explicit_shard_count(shards: int, summary: str) -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "Pipeline", shard_count=shards)
    Template.from_stack(stack).has_resource_properties(
        STREAM,
        {"ShardCount": shards, "StreamModeDetails": {"StreamMode": "PROVISIONED"}},
    )
    assert pipeline.capacity_plan is None
    assert metadata(pipeline, CAPACITY_METADATA) == [summary]


def test_defaults() -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "Pipeline", shard_count=1)
    template = Template.from_stack(stack)
    template.has_resource_properties(STREAM, {"RetentionPeriodHours": 24})
    template.has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {
                    "BufferingHints": {"IntervalInSeconds": 300, "SizeInMBs": 64},
                    "CompressionFormat": "GZIP",
                    "Prefix": "data/!{timestamp:yyyy/MM/dd/HH}/",
                }
            )
        },
    )
    alarms = {
        a["Properties"]["MetricName"]: a["Properties"]
        for a in template.find_resources(ALARM).values()
    }
    assert alarms["GetRecords.IteratorAgeMilliseconds"]["Threshold"] == 12 * 3_600_000
    assert alarms["DeliveryToS3.DataFreshness"]["Threshold"] == 300 + 600
    for alarm in alarms.values():
        assert "AlarmActions" not in alarm  # no topic given
    assert len(pipeline.alarms) == 4


def test_alarm_thresholds_follow_the_configuration() -> None:
    stack = new_stack()
    StreamToS3Pipeline(
        stack,
        "Pipeline",
        shard_count=1,
        retention=Duration.days(7),
        iterator_age_alarm_share=0.25,
        buffering_interval=Duration.seconds(60),
    )
    alarms = {
        a["Properties"]["MetricName"]: a["Properties"]
        for a in Template.from_stack(stack).find_resources(ALARM).values()
    }
    assert alarms["GetRecords.IteratorAgeMilliseconds"]["Threshold"] == 0.25 * 7 * 86_400_000
    assert alarms["DeliveryToS3.DataFreshness"]["Threshold"] == 60 + 600


def test_explicit_freshness_threshold() -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "Pipeline", shard_count=1, freshness_threshold=Duration.minutes(30))
    Template.from_stack(stack).has_resource_properties(
        ALARM, {"MetricName": "DeliveryToS3.DataFreshness", "Threshold": 1_800}
    )


@pytest.mark.parametrize(
    ("compression", "value"),
    [
        (firehose.Compression.SNAPPY, "Snappy"),
        (firehose.Compression.UNCOMPRESSED, "UNCOMPRESSED"),
    ],
)
def test_compression_is_configurable(compression: firehose.Compression, value: str) -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "Pipeline", shard_count=1, compression=compression)
    Template.from_stack(stack).has_resource_properties(
        DELIVERY,
        {"ExtendedS3DestinationConfiguration": Match.object_like({"CompressionFormat": value})},
    )


def test_static_prefix_needs_no_error_prefix() -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "Pipeline", shard_count=1, prefix="raw/", error_prefix=None)
    Template.from_stack(stack).has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {"Prefix": "raw/", "ErrorOutputPrefix": Match.absent()}
            )
        },
    )


def test_destroy_removal_policy_for_dev_stacks() -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "Pipeline", shard_count=1, removal_policy=RemovalPolicy.DESTROY)
    template = Template.from_stack(stack)
    for type_name in (
        STREAM,
        "AWS::KMS::Key",
        "AWS::S3::Bucket",
        "AWS::Logs::LogGroup",
        "AWS::Logs::LogStream",  # the delivery error log stream the L2 adds
    ):
        found = template.find_resources(type_name)
        assert found, type_name
        for resource in found.values():
            assert resource["DeletionPolicy"] == "Delete", type_name


def test_existing_bucket_and_key_are_used_instead_of_new_ones() -> None:
    stack = new_stack()
    key = kms.Key(stack, "MyKey", enable_key_rotation=True)
    bucket = s3.Bucket(stack, "MyBucket", encryption_key=key)
    pipeline = StreamToS3Pipeline(
        stack, "Pipeline", shard_count=1, bucket=bucket, encryption_key=key
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::S3::Bucket", 1)
    # The given key, and the stack's key of the patterns' log groups (a key for log groups
    # needs a key policy for CloudWatch Logs, which a given key may not have).
    keys = template.find_resources("AWS::KMS::Key")
    assert len(keys) == 2 and any(k.startswith("ScalablePatternsLogsKey") for k in keys), keys
    key_id = stack.get_logical_id(key.node.default_child)  # type: ignore[arg-type]
    bucket_id = stack.get_logical_id(bucket.node.default_child)  # type: ignore[arg-type]
    template.has_resource_properties(
        STREAM,
        {"StreamEncryption": {"EncryptionType": "KMS", "KeyId": {"Fn::GetAtt": [key_id, "Arn"]}}},
    )
    template.has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {"BucketARN": {"Fn::GetAtt": [bucket_id, "Arn"]}}
            )
        },
    )
    assert pipeline.bucket is bucket
    assert pipeline.encryption_key is key


def test_imported_bucket_is_nag_clean(tmp_path: Path) -> None:
    """The IAM5 acknowledgement names the object wildcard of an imported bucket too."""
    app = new_app(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Imported")
    bucket = s3.Bucket.from_bucket_name(stack, "Existing", "my-existing-bucket")
    StreamToS3Pipeline(stack, "Pipeline", shard_count=1, bucket=bucket)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    app.synth()  # raises on an unacknowledged finding
    report = json.loads((tmp_path / "validation-report.json").read_text())
    suppressed = {
        v["ruleName"]
        for plugin in report["pluginReports"]
        for v in plugin.get("suppressedViolations", [])
    }
    assert (
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::my-existing-bucket/*]" in suppressed
    )
    for plugin in report["pluginReports"]:
        assert plugin["violations"] == [], plugin


def test_two_pipelines_in_one_stack_emit_no_mapping() -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "First", shard_count=1)
    StreamToS3Pipeline(stack, "Second", on_demand=True)
    template = synth_template(stack)
    assert "Mappings" not in template
    assert len(resources_of(template, DELIVERY)) == 2


def test_mapping_of_an_earlier_firehose_is_left_alone() -> None:
    """A delivery stream the user created first may use the mapping: it is not removed."""
    stack = new_stack()
    firehose.DeliveryStream(stack, "Theirs", destination=firehose.S3Bucket(s3.Bucket(stack, "B")))
    StreamToS3Pipeline(stack, "Pipeline", shard_count=1)
    assert "awscdkawskinesisfirehoseCidrBlocks" in synth_template(stack)["Mappings"]


def test_grant_write_lets_producers_put_records_and_encrypt() -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "Pipeline", shard_count=1)
    role = iam.Role(stack, "Producer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    pipeline.grant_write(role)
    template = Template.from_stack(stack)
    role_id = stack.get_logical_id(role.node.default_child)  # type: ignore[arg-type]
    statements = Capture()
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {"Roles": [{"Ref": role_id}], "PolicyDocument": {"Statement": statements}},
    )
    actions = {
        action
        for statement in statements.as_array()
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    }
    assert {
        "kinesis:PutRecord",
        "kinesis:PutRecords",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
    } <= actions
    assert "kinesis:GetRecords" not in actions
    assert "kms:Decrypt" not in actions


def test_grant_read_lets_consumers_get_records_and_decrypt() -> None:
    stack = new_stack()
    pipeline = StreamToS3Pipeline(stack, "Pipeline", shard_count=1)
    role = iam.Role(stack, "Consumer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    pipeline.grant_read(role)
    role_id = stack.get_logical_id(role.node.default_child)  # type: ignore[arg-type]
    statements = Capture()
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {"Roles": [{"Ref": role_id}], "PolicyDocument": {"Statement": statements}},
    )
    text = json.dumps(statements.as_array())
    assert "kinesis:GetRecords" in text
    assert "kms:Decrypt" in text
    assert "kinesis:PutRecord" not in text


def test_many_polling_consumers_warn() -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "Pipeline", records_per_second=100, average_record_kib=1, consumers=6)
    assertions.Annotations.from_stack(stack).has_warning(
        "/Test/Pipeline", Match.string_like_regexp("6 polling consumers")
    )


def test_shard_count_above_the_default_quota_warns() -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "Pipeline", shard_count=201)
    assertions.Annotations.from_stack(stack).has_warning(
        "/Test/Pipeline", Match.string_like_regexp("201 shards exceed the default account quota")
    )


def test_unresolved_shard_count_and_retention_are_passed_through() -> None:
    stack = new_stack()
    shards = cdk.CfnParameter(stack, "Shards", type="Number")
    hours = cdk.CfnParameter(stack, "Hours", type="Number")
    pipeline = StreamToS3Pipeline(
        stack,
        "Pipeline",
        shard_count=shards.value_as_number,  # type: ignore[arg-type]
        retention=Duration.hours(hours.value_as_number),
    )
    Template.from_stack(stack).has_resource_properties(STREAM, {"ShardCount": {"Ref": "Shards"}})
    # no iterator age alarm without a concrete retention; a warning says why
    assert "IteratorAgeHigh" not in pipeline.alarms
    assertions.Annotations.from_stack(stack).has_warning(
        "/Test/Pipeline", Match.string_like_regexp("no iterator age alarm")
    )


# -- validation -----------------------------------------------------------------------------


def build(**props: Any) -> StreamToS3Pipeline:
    return StreamToS3Pipeline(new_stack(), "Pipeline", **props)


LOAD: dict[str, Any] = {"records_per_second": 1_000, "average_record_kib": 1}


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({}, r"capacity must be given: records_per_second and average_record_kib, shard_count"),
        (
            {**LOAD, "shard_count": 2},
            r"records_per_second/average_record_kib cannot be combined with shard_count",
        ),
        (
            {"shard_count": 2, "on_demand": True},
            r"shard_count cannot be combined with on_demand \(choose one capacity mode",
        ),
        ({"records_per_second": 10}, r"average_record_kib is required with records_per_second"),
        ({"average_record_kib": 1}, r"records_per_second is required with average_record_kib"),
        (
            {"shard_count": 2, "consumers": 3},
            r"consumers only applies when sizing from records_per_second/average_record_kib, got 3",
        ),
        (
            {"on_demand": True, "enhanced_fan_out": True},
            r"enhanced_fan_out only applies when sizing .*, got True",
        ),
        (
            {"on_demand": True, "growth_factor": 2},
            r"growth_factor only applies when sizing .*, got 2",
        ),
        (
            {**LOAD, "records_per_second": 0},
            r"records_per_second must be greater than 0 records/s, got 0 records/s",
        ),
        (
            {**LOAD, "records_per_second": float("nan")},
            r"records_per_second must be a number, got nan",
        ),
        (
            {**LOAD, "records_per_second": float("inf")},
            r"records_per_second must be a finite number",
        ),
        (
            {**LOAD, "average_record_kib": 0},
            r"average_record_kib must be greater than 0 KiB, got 0 KiB",
        ),
        (
            {**LOAD, "average_record_kib": 1_025},
            r"average_record_kib must be at most 1,024 KiB, got 1,025 KiB",
        ),
        ({**LOAD, "consumers": 0}, r"consumers must be at least 1, got 0"),
        ({**LOAD, "consumers": 1.5}, r"consumers must be a whole number, got 1.5"),
        (
            {**LOAD, "consumers": 21, "enhanced_fan_out": True},
            r"consumers must be at most 20 with enhanced fan-out .*, got 21",
        ),
        ({**LOAD, "growth_factor": 0.5}, r"growth_factor must be at least 1, got 0.5"),
        (
            {**LOAD, "growth_factor": float("inf")},
            r"growth_factor must be a finite number, got inf",
        ),
        ({"shard_count": 0}, r"shard_count must be at least 1, got 0"),
        ({"shard_count": 2.5}, r"shard_count must be a whole number, got 2.5"),
        ({"on_demand": "yes"}, r"on_demand must be True or False, got 'yes'"),
        (
            {"shard_count": 1, "retention": Duration.hours(23)},
            r"retention must be between 1 day and 365 days, got 23 h",
        ),
        (
            {"shard_count": 1, "retention": Duration.hours(8_761)},
            r"retention must be between 1 day and 365 days, got 8761 h",
        ),
        (
            {"shard_count": 1, "buffering_size_mib": 0},
            r"buffering_size_mib must be between 1 MiB and 128 MiB, got 0 MiB",
        ),
        (
            {"shard_count": 1, "buffering_size_mib": 129},
            r"buffering_size_mib must be between 1 MiB and 128 MiB, got 129 MiB",
        ),
        (
            {"shard_count": 1, "buffering_interval": Duration.seconds(901)},
            r"buffering_interval must be between 0 s and 15 min, got 901 s",
        ),
        (
            {"shard_count": 1, "prefix": "data/!{timestamp:yyyy}/", "error_prefix": None},
            r"error_prefix is required when prefix uses !\{\.\.\.\} expressions",
        ),
        (
            {"shard_count": 1, "error_prefix": "errors/!{timestamp:yyyy}/"},
            r"error_prefix must contain !\{firehose:error-output-type\}",
        ),
        (
            {"shard_count": 1, "prefix": "raw/", "error_prefix": "raw/"},
            r"error_prefix must differ from prefix, both are 'raw/'",
        ),
        (
            {"shard_count": 1, "prefix": "data/!{firehose:error-output-type}/"},
            r"prefix may not use !\{firehose:error-output-type\} \(error prefix only\)",
        ),
        (
            {"shard_count": 1, "prefix": "data/!{partitionKeyFromQuery:customer}/"},
            r"prefix expression !\{partitionKeyFromQuery:customer\} must be one of .*"
            r"dynamic partitioning is not enabled",
        ),
        (
            {"shard_count": 1, "prefix": "data/!{timestamp:yyyy/"},
            r"prefix has an unterminated !\{\.\.\.\} expression",
        ),
        ({"shard_count": 1, "prefix": "/data/"}, r"prefix must not start with '/'"),
        (
            {"shard_count": 1, "prefix": "d" * 1_025},
            r"prefix must be at most 1,024 characters, got 1,025",
        ),
        (
            {"shard_count": 1, "iterator_age_alarm_share": 0},
            r"iterator_age_alarm_share must be greater than 0 and at most 1, got 0",
        ),
        (
            {"shard_count": 1, "iterator_age_alarm_share": 1.5},
            r"iterator_age_alarm_share must be greater than 0 and at most 1, got 1.5",
        ),
        (
            {"shard_count": 1, "freshness_threshold": Duration.minutes(5)},
            r"freshness_threshold must be longer than buffering_interval \(5 min\), got 5 min",
        ),
        (
            {"shard_count": 1, "freshness_threshold": Duration.hours(25)},
            r"freshness_threshold must be at most 1 day, got 25 h",
        ),
        # whole units (before the audit: aws-cdk-lib's opaque "cannot be converted into a
        # whole number of hours/seconds")
        (
            {"shard_count": 1, "retention": Duration.minutes(1_470)},
            r"retention must be a whole number of hours, got 1470 min",
        ),
        (
            {"shard_count": 1, "buffering_interval": Duration.millis(1_500)},
            r"buffering_interval must be a whole number of seconds, got 1.5 s",
        ),
        (
            {"shard_count": 1, "freshness_threshold": Duration.millis(600_500)},
            r"freshness_threshold must be a whole number of seconds, got 600.5 s",
        ),
        # wrong types (before: AttributeError / TypeError / jsii deserialization errors)
        (
            {"shard_count": 1, "freshness_threshold": 600},
            r"freshness_threshold must be an aws_cdk.Duration, got 600",
        ),
        ({"shard_count": 1, "prefix": 5}, r"prefix must be a string, got int 5"),
        ({"shard_count": 1, "error_prefix": 5}, r"error_prefix must be a string, got int 5"),
        (
            {"shard_count": 1, "compression": "GZIP"},
            r"compression must be a kinesisfirehose.Compression, got str 'GZIP'",
        ),
        (
            {"shard_count": 1, "removal_policy": "DESTROY"},
            r"removal_policy must be a RemovalPolicy, got str 'DESTROY'",
        ),
        (
            {"shard_count": 1, "log_retention": 365},
            r"log_retention must be a logs.RetentionDays, got int 365",
        ),
        ({"shard_count": 1, "bucket": "my-bucket"}, r"bucket must be an s3.IBucket, got str"),
        ({"shard_count": 1, "encryption_key": "alias/k"}, r"encryption_key must be a kms.IKey"),
        ({"shard_count": 1, "alarm_topic": "arn"}, r"alarm_topic must be an sns.ITopic, got str"),
        ({"shard_count": 1, "dashboard": "Ops"}, r"dashboard must be a cloudwatch.Dashboard"),
    ],
)
def test_invalid_props(props: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        build(**props)


def test_unresolved_buffering_interval_skips_the_freshness_alarm_with_a_warning() -> None:
    stack = new_stack()
    seconds = cdk.CfnParameter(stack, "Seconds", type="Number")
    pipeline = StreamToS3Pipeline(
        stack,
        "Pipeline",
        shard_count=1,
        buffering_interval=Duration.seconds(seconds.value_as_number),
    )
    Template.from_stack(stack).has_resource_properties(
        DELIVERY,
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {"BufferingHints": {"IntervalInSeconds": {"Ref": "Seconds"}, "SizeInMBs": 64}}
            )
        },
    )
    assert "DataFreshnessHigh" not in pipeline.alarms
    assertions.Annotations.from_stack(stack).has_warning(
        "/Test/Pipeline", Match.string_like_regexp("no data freshness alarm")
    )


def test_load_from_an_unresolved_token_is_rejected() -> None:
    stack = new_stack()
    rate = cdk.CfnParameter(stack, "Rate", type="Number")
    with pytest.raises(
        PatternValidationError,
        match=r"records_per_second must be a concrete number to size the stream",
    ):
        StreamToS3Pipeline(
            stack, "Pipeline", records_per_second=rate.value_as_number, average_record_kib=1
        )


def test_every_problem_is_reported_at_once_before_anything_is_created() -> None:
    stack = new_stack()
    with pytest.raises(PatternValidationError) as info:
        StreamToS3Pipeline(
            stack,
            "Pipeline",
            records_per_second=0,
            average_record_kib=1,
            shard_count=3,
            retention=Duration.hours(1),
            buffering_size_mib=500,
            iterator_age_alarm_share=2,
        )
    error = info.value
    assert error.construct_path == "Test/Pipeline"
    assert len(error.problems) == 5
    assert [problem.split()[0] for problem in error.problems] == [
        "records_per_second/average_record_kib",
        "records_per_second",
        "retention",
        "buffering_size_mib",
        "iterator_age_alarm_share",
    ]
    assert "Test/Pipeline: 5 invalid prop problems" in str(error)
    assert isinstance(error, ValueError)
    # nothing reached jsii: the pattern has no children
    assert stack.node.find_child("Pipeline").node.children == []


def test_log_retention_is_configurable() -> None:
    stack = new_stack()
    StreamToS3Pipeline(stack, "Pipeline", shard_count=1, log_retention=logs.RetentionDays.ONE_MONTH)
    Template.from_stack(stack).has_resource_properties(
        "AWS::Logs::LogGroup", {"RetentionInDays": 30}
    )
