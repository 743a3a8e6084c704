"""StreamAnalytics: assertions on the example stack, variants, every validation error, the job."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template
from cdk_nag import AwsSolutionsChecks

from patterns.core.validation import PatternValidationError
from patterns.stream_analytics import PYTHON_RUN_OPTIONS, StreamAnalytics
from tests.conftest import SynthResult, new_stack

STACK = "StreamAnalyticsExample"
JOB = Path(__file__).resolve().parent.parent / "stacks" / "assets" / "flink" / "page_counts"


def _app(synth: SynthResult) -> dict[str, Any]:
    (app,) = synth.resources(STACK, "AWS::KinesisAnalyticsV2::Application").values()
    return app


def _statements(synth: SynthResult) -> list[dict[str, Any]]:
    policies = synth.resources(STACK, "AWS::IAM::Policy")
    (policy,) = [p for lid, p in policies.items() if lid.startswith("PageCountsServicePolicy")]
    return policy["Properties"]["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def _via(service: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [f"{service}.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}


def test_flink_application_configuration(synth: SynthResult) -> None:
    props = _app(synth)["Properties"]
    assert props["RuntimeEnvironment"] == "FLINK-1_20"
    config = props["ApplicationConfiguration"]
    flink = config["FlinkApplicationConfiguration"]
    assert flink["CheckpointConfiguration"] == {
        "ConfigurationType": "CUSTOM",
        "CheckpointingEnabled": True,
        "CheckpointInterval": 60_000,
        "MinPauseBetweenCheckpoints": 5_000,
    }
    assert flink["ParallelismConfiguration"] == {
        "ConfigurationType": "CUSTOM",
        "Parallelism": 2,
        "ParallelismPerKPU": 1,
        "AutoScalingEnabled": True,
    }
    assert flink["MonitoringConfiguration"]["LogLevel"] == "INFO"
    assert config["ApplicationSnapshotConfiguration"] == {"SnapshotsEnabled": True}
    assert config["ApplicationCodeConfiguration"]["CodeContentType"] == "ZIPFILE"
    assert config["ApplicationCodeConfiguration"]["CodeContent"]["S3ContentLocation"][
        "FileKey"
    ].endswith(".zip")


def test_property_groups_name_the_source_sink_and_python_entry(synth: SynthResult) -> None:
    groups = {
        g["PropertyGroupId"]: g["PropertyMap"]
        for g in _app(synth)["Properties"]["ApplicationConfiguration"]["EnvironmentProperties"][
            "PropertyGroups"
        ]
    }
    stream_id = next(iter(synth.resources(STACK, "AWS::Kinesis::Stream")))
    assert groups["source"]["stream.arn"] == {"Fn::GetAtt": [stream_id, "Arn"]}
    assert groups["source"]["stream.name"] == {"Ref": stream_id}
    assert groups[PYTHON_RUN_OPTIONS] == {
        "python": "main.py",
        "jarfile": "lib/flink-sql-connector-kinesis-5.0.0-1.20.jar",
    }
    assert groups["sink"]["path"]["Fn::Join"][1][0] == "s3a://"


def test_role_reads_the_source_and_writes_only_its_sink(synth: SynthResult) -> None:
    statements = _statements(synth)
    for statement in statements:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert all("*" not in a for a in actions), statement
    by_sid = {s.get("Sid"): s for s in statements}
    stream_id = next(iter(synth.resources(STACK, "AWS::Kinesis::Stream")))
    assert by_sid["ReadSourceStream"]["Resource"] == {"Fn::GetAtt": [stream_id, "Arn"]}
    assert "kinesis:PutRecord" not in str(statements)
    code = by_sid["ReadApplicationCode"]
    assert code["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert code["Resource"]["Fn::Join"][1][-1].endswith(".zip")
    writes = [s for s in statements if "s3:PutObject" in s["Action"]]
    assert len(writes) == 1
    assert writes[0]["Resource"]["Fn::Join"][1][0]["Fn::GetAtt"][0].startswith("Results")
    assert by_sid["WriteApplicationLogs"]["Action"] == "logs:PutLogEvents"


def test_keys_are_used_through_kinesis_and_s3_only(synth: SynthResult) -> None:
    """The source key decrypts records of the source stream through Kinesis; the sink bucket's
    key encrypts objects of that bucket through S3. No ReEncrypt, no Encrypt, no key wildcard."""
    statements = _statements(synth)
    stream_id = next(iter(synth.resources(STACK, "AWS::Kinesis::Stream")))
    source = next(s for s in statements if s.get("Sid") == "DecryptSourceRecords")
    assert source["Action"] == "kms:Decrypt"
    assert source["Resource"]["Fn::GetAtt"][0].startswith("ClickstreamKey")
    assert source["Condition"] == {
        "StringEquals": {"kms:ViaService": _via("kinesis")},
        "StringLike": {"kms:EncryptionContext:aws:kinesis:arn": {"Fn::GetAtt": [stream_id, "Arn"]}},
    }
    (sink,) = [s for s in statements if s["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]]
    assert sink["Resource"]["Fn::GetAtt"][0].startswith("ResultsKey")
    assert sink["Condition"]["StringEquals"] == {"kms:ViaService": _via("s3")}
    (bucket_arn, objects) = sink["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"]
    assert bucket_arn["Fn::GetAtt"][0].startswith("Results")
    assert objects == {"Fn::Join": ["", [bucket_arn, "/*"]]}
    kms_actions = [s["Action"] for s in statements if "kms:" in json.dumps(s["Action"])]
    assert "ReEncrypt" not in json.dumps(kms_actions) and "kms:Encrypt" not in kms_actions


def test_the_roles_default_policy_is_left_to_the_user(synth: SynthResult) -> None:
    """What the application needs is in ServicePolicy (created before the application); the
    role's default policy only holds what the user adds."""
    app = synth.stacks[STACK].node.find_child("PageCounts")
    assert isinstance(app, StreamAnalytics)
    assert app.role.node.try_find_child("DefaultPolicy") is None
    (application,) = synth.resources(STACK, "AWS::KinesisAnalyticsV2::Application").values()
    (policy_id,) = [
        lid
        for lid in synth.resources(STACK, "AWS::IAM::Policy")
        if "PageCountsServicePolicy" in lid
    ]
    assert application["DependsOn"] == [policy_id]


def test_a_users_wildcard_on_the_service_role_is_reported(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "UserGrant")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, restrict_default_security_group=False)
    analytics = StreamAnalytics(
        stack, "App", source=kinesis.Stream(stack, "In"), code_asset_path=str(JOB), vpc=vpc
    )
    analytics.role.add_to_principal_policy(
        iam.PolicyStatement(actions=["kinesis:DeleteStream"], resources=["*"])
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with contextlib.suppress(RuntimeError):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    reported = {
        (v["ruleName"], c["constructPath"])
        for plugin in report["pluginReports"]
        for v in plugin.get("violations", [])
        for c in v["violatingConstructs"]
    }
    assert (
        "AwsSolutions-IAM5[Resource::*]",
        "UserGrant/App/ServiceRole/DefaultPolicy/Resource",
    ) in reported
    # The library's own Resource::* (the VPC's network interfaces) is acknowledged on its
    # policy only.
    (network,) = [
        v
        for plugin in report["pluginReports"]
        for v in plugin.get("suppressedViolations", [])
        if v["ruleName"] == "AwsSolutions-IAM5[Resource::*]"
    ]
    assert network["acknowledgedAt"] == "UserGrant/App/ServicePolicy"


def test_role_trusts_the_service_for_this_account_only(synth: SynthResult) -> None:
    roles = synth.resources(STACK, "AWS::IAM::Role")
    (role,) = [r for lid, r in roles.items() if lid.startswith("PageCountsServiceRole")]
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "kinesisanalytics.amazonaws.com"}
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    }


def test_logging_option_points_at_its_log_stream(synth: SynthResult) -> None:
    (option,) = synth.resources(
        STACK, "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption"
    ).values()
    arn = option["Properties"]["CloudWatchLoggingOption"]["LogStreamARN"]["Fn::Join"][1]
    streams = [
        lid
        for lid in synth.resources(STACK, "AWS::Logs::LogStream")
        if lid.startswith("PageCounts")
    ]
    assert len(streams) == 1
    assert {"Ref": streams[0]} in arn
    groups = synth.resources(STACK, "AWS::Logs::LogGroup")
    assert any(
        lid.startswith("PageCountsLogs") and g["Properties"]["RetentionInDays"] == 365
        for lid, g in groups.items()
    )


def test_alarms_downtime_checkpoints_and_lag(synth: SynthResult) -> None:
    t = synth.template(STACK)
    app_id = next(iter(synth.resources(STACK, "AWS::KinesisAnalyticsV2::Application")))
    for metric, threshold in (
        ("downtime", 0),
        ("numberOfFailedCheckpoints", 0),
        ("millisBehindLatest", 120_000),
    ):
        t.has_resource_properties(
            "AWS::CloudWatch::Alarm",
            {
                "Namespace": "AWS/KinesisAnalytics",
                "MetricName": metric,
                "Threshold": threshold,
                "Dimensions": [{"Name": "Application", "Value": {"Ref": app_id}}],
            },
        )


def test_key_metrics_are_the_ones_the_alarms_watch(synth: SynthResult) -> None:
    node = synth.stacks[STACK].node.find_child("PageCounts")
    assert isinstance(node, StreamAnalytics)
    stack = synth.stacks[STACK]
    for name, metric in (
        ("Downtime", node.metric_downtime()),
        ("CheckpointFailures", node.metric_number_of_failed_checkpoints()),
        ("ConsumerLag", node.metric_millis_behind_latest()),
    ):
        alarm = node.alarms[name].metric
        assert isinstance(alarm, cw.Metric)
        assert (metric.namespace, metric.metric_name, metric.statistic) == (
            alarm.namespace,
            alarm.metric_name,
            alarm.statistic,
        )
        assert metric.period.to_seconds() == alarm.period.to_seconds() == 300
        assert stack.resolve(metric.dimensions) == stack.resolve(alarm.dimensions)
    lag = node.metric("millisBehindLatest", statistic="Average", period=Duration.minutes(1))
    assert (lag.namespace, lag.statistic, lag.period.to_seconds()) == (
        "AWS/KinesisAnalytics",
        "Average",
        60,
    )
    assert node.metric("downtime").statistic == "Maximum"


def test_istream_source_with_key_and_code_in_a_bucket() -> None:
    stack = new_stack()
    key = kms.Key(stack, "StreamKey")
    stream = kinesis.Stream(
        stack, "Events", encryption=kinesis.StreamEncryption.KMS, encryption_key=key
    )
    code_key = kms.Key(stack, "CodeKey")
    bucket = s3.Bucket(stack, "Code", encryption_key=code_key)
    out = kinesis.Stream(stack, "Out")
    StreamAnalytics(
        stack, "App", source=stream, code_bucket=bucket, code_key="app.jar", sink_streams=[out]
    )
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::KinesisAnalyticsV2::Application",
        {
            "ApplicationConfiguration": Match.object_like(
                {
                    "ApplicationCodeConfiguration": Match.object_like(
                        {
                            "CodeContent": {
                                "S3ContentLocation": {
                                    "BucketARN": Match.any_value(),
                                    "FileKey": "app.jar",
                                }
                            }
                        }
                    )
                }
            )
        },
    )
    policy = json.dumps(t.find_resources("AWS::IAM::Policy"))
    assert "StreamKey" in policy and "CodeKey" in policy
    assert '"kinesis:PutRecords"' in policy
    assert PYTHON_RUN_OPTIONS not in json.dumps(
        t.find_resources("AWS::KinesisAnalyticsV2::Application")
    )


def test_vpc_option_adds_network_configuration_and_https_egress_only() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    app = StreamAnalytics(
        stack,
        "App",
        source=kinesis.Stream(stack, "In"),
        code_asset_path=str(JOB / "main.py"),
        vpc=vpc,
    )
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::KinesisAnalyticsV2::Application",
        {
            "ApplicationConfiguration": Match.object_like(
                {"VpcConfigurations": [Match.object_like({"SubnetIds": Match.any_value()})]}
            )
        },
    )
    sg = t.find_resources("AWS::EC2::SecurityGroup")
    (group,) = [g for lid, g in sg.items() if lid.startswith("AppSecurityGroup")]
    assert group["Properties"]["SecurityGroupEgress"] == [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "AWS service endpoints (Kinesis, S3)",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    assert "ec2:CreateNetworkInterface" in json.dumps(t.find_resources("AWS::IAM::Policy"))
    assert app.connections is not None


def test_many_kpus_warn_about_the_quota() -> None:
    stack = new_stack()
    StreamAnalytics(
        stack,
        "App",
        source=kinesis.Stream(stack, "In"),
        code_asset_path=str(JOB),
        parallelism=130,
        parallelism_per_kpu=2,
    )
    Annotations.from_stack(stack).has_warning(
        "/Test/App", Match.string_like_regexp("65 KPUs exceed the default quota")
    )


def _make(**props: Any) -> None:
    stack = new_stack()
    props.setdefault("source", kinesis.Stream(stack, "In"))
    if (
        props.pop("no_code", False) is False
        and "code_bucket" not in props
        and "code_key" not in props
    ):
        props.setdefault("code_asset_path", str(JOB))
    if props.get("code_bucket") == "BUCKET":
        props["code_bucket"] = s3.Bucket(stack, "Code")
    if props.get("vpc_subnets") == "SUBNETS":
        props["vpc_subnets"] = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    StreamAnalytics(stack, "App", **props)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"no_code": True}, "code must be given: code_bucket and code_key, or code_asset_path"),
        (
            {"code_bucket": "BUCKET", "code_key": "a.jar", "code_asset_path": "x"},
            "code_asset_path cannot be combined with code_bucket/code_key",
        ),
        ({"code_bucket": "BUCKET"}, "code_key is required with code_bucket"),
        ({"jar_file": "lib/x.jar"}, "jar_file applies to PyFlink applications only"),
        ({"python_entry": "main.sh"}, "python_entry must name a .py file"),
        ({"python_entry": "main.py", "jar_file": "lib/x.zip"}, "jar_file must name a .jar file"),
        ({"runtime": "SQL-1_0"}, "Kinesis Data Analytics for SQL applications are discontinued"),
        (
            {"runtime": "FLINK-1_6"},
            "runtime must be one of 'FLINK-2_2', 'FLINK-1_20', 'FLINK-1_19', 'FLINK-1_18', got 'FLINK-1_6'",
        ),
        ({"parallelism": 0}, "parallelism must be at least 1, got 0"),
        ({"parallelism_per_kpu": 1.5}, "parallelism_per_kpu must be a whole number, got 1.5"),
        (
            {"checkpoint_interval": Duration.millis(500)},
            "checkpoint_interval must be between 1 s and 1 h, got 0.5 s",
        ),
        (
            {
                "checkpoint_interval": Duration.seconds(10),
                "min_pause_between_checkpoints": Duration.seconds(20),
            },
            "min_pause_between_checkpoints must be between 0 s and 10 s, got 20 s",
        ),
        ({"log_level": "TRACE"}, "log_level must be one of"),
        ({"metrics_level": "ALL"}, "metrics_level must be one of"),
        ({"application_name": "my app"}, "application_name must be 1-128 letters"),
        ({"max_lag": Duration.days(8)}, "max_lag must be between 1 s and 7 days, got 8 days"),
        ({"properties": {"source": {"a": "b"}}}, "group 'source' is set by the construct"),
        ({"properties": {"bad group": {"a": "b"}}}, "group id must be 1-50 letters"),
        (
            {"properties": {"g": {"a": ""}}},
            'properties["g"]["a"] must be 1-2,048 characters, got 0',
        ),
        ({"vpc_subnets": "SUBNETS"}, "vpc_subnets applies only with a vpc"),
        (
            {"source": "stream-name"},
            "source must be a StreamToS3Pipeline or a kinesis.IStream, got str",
        ),
        # before the audit: jsii "Cannot find asset", CloudFormation Validate failures at synth,
        # AttributeError / TypeError or jsii deserialization errors
        (
            {"code_asset_path": "/nonexistent/app.zip"},
            "code_asset_path must be an existing file or directory, got '/nonexistent/app.zip'",
        ),
        ({"code_bucket": "BUCKET", "code_key": ""}, "code_key length must be between 1 and 1,024"),
        ({"code_bucket": "BUCKET", "code_key": 5}, "code_key must be a string, got int 5"),
        ({"python_entry": 5}, "python_entry must be a string, got int 5"),
        ({"python_entry": "main.py", "jar_file": 5}, "jar_file must be a string, got int 5"),
        ({"application_name": 5}, "application_name must be a string, got int 5"),
        ({"auto_scaling": "no"}, "auto_scaling must be True or False, got 'no'"),
        ({"snapshots": "no"}, "snapshots must be True or False, got 'no'"),
        ({"checkpoint_interval": 60}, "checkpoint_interval must be an aws_cdk.Duration, got 60"),
        (
            {"properties": "abc"},
            "properties must be a mapping of group id to {key: value}, got str",
        ),
        ({"properties": {"g": "abc"}}, 'properties["g"] must be a mapping of key to string value'),
        ({"properties": {"g": {"a": 5}}}, 'properties["g"]["a"] must be a string, got int 5'),
        ({"properties": {"g": {"": "x"}}}, 'properties["g"] keys must be strings of 1-2,048'),
        ({"properties": {5: {"a": "b"}}}, "group id must be 1-50 letters"),
        ({"sink_buckets": "bucket"}, "sink_buckets must be a list of s3.IBucket, got str"),
        ({"sink_streams": ["s"]}, "sink_streams[0] must be a kinesis.IStream, got str 's'"),
        ({"source_key": "alias/k"}, "source_key must be a kms.IKey, got str"),
        ({"code_bucket": 5, "code_key": "a.jar"}, "code_bucket must be an s3.IBucket, got int"),
        ({"vpc": "vpc-1"}, "vpc must be an ec2.IVpc, got str"),
        ({"log_retention": 365}, "log_retention must be a logs.RetentionDays, got int 365"),
        ({"removal_policy": "DESTROY"}, "removal_policy must be a RemovalPolicy, got str"),
        ({"alarm_topic": "arn"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_validation_errors(props: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=re.escape(message)):
        _make(**props)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PatternValidationError) as info:
        _make(parallelism=0, log_level="TRACE", runtime="FLINK-9")
    assert len(info.value.problems) == 3


def _job() -> Any:
    spec = importlib.util.spec_from_file_location("page_counts_job", JOB / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_job_reads_its_runtime_properties_and_builds_its_sql(tmp_path: Path) -> None:
    job = _job()
    path = tmp_path / "application_properties.json"
    path.write_text(
        json.dumps(
            [
                {
                    "PropertyGroupId": "source",
                    "PropertyMap": {
                        "stream.arn": "arn:aws:kinesis:eu-west-1:1:stream/clicks",
                        "stream.name": "clicks",
                        "aws.region": "eu-west-1",
                    },
                },
                {"PropertyGroupId": "sink", "PropertyMap": {"path": "s3a://results/page-counts/"}},
            ]
        )
    )
    properties = job.load_properties(path)
    source_ddl, sink_ddl, insert = job.statements(properties)
    assert "'stream.arn' = 'arn:aws:kinesis:eu-west-1:1:stream/clicks'" in source_ddl
    assert "'aws.region' = 'eu-west-1'" in source_ddl
    assert "'path' = 's3a://results/page-counts/'" in sink_ddl
    assert "TUMBLE(TABLE clicks, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)" in insert
