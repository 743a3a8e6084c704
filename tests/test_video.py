"""VideoIngestStream: assertions on the example stack, variants and every validation error."""

from __future__ import annotations

import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template

from patterns.core.validation import PatternValidationError
from patterns.video import VideoIngestStream
from tests.conftest import SynthResult, new_stack

STACK = "VideoIngestExample"


def _policy_of(synth: SynthResult, role_prefix: str) -> list[dict[str, Any]]:
    policies = synth.resources(STACK, "AWS::IAM::Policy")
    (policy,) = [p for lid, p in policies.items() if lid.startswith(role_prefix)]
    return policy["Properties"]["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def test_stream_keeps_a_week_encrypted_with_a_rotating_key(synth: SynthResult) -> None:
    (stream,) = synth.resources(STACK, "AWS::KinesisVideo::Stream").values()
    props = stream["Properties"]
    assert props["DataRetentionInHours"] == 7 * 24
    assert props["MediaType"] == "video/h264"
    assert props["DeviceName"] == "front-door-cam"
    key_id = props["KmsKeyId"]["Fn::GetAtt"][0]
    key = synth.resources(STACK, "AWS::KMS::Key")[key_id]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert stream["DeletionPolicy"] == "Retain"


def test_producer_may_only_put_media_to_this_stream(synth: SynthResult) -> None:
    statements = _policy_of(synth, "DeviceRole")
    stream_id = next(iter(synth.resources(STACK, "AWS::KinesisVideo::Stream")))
    kvs = [s for s in statements if str(s["Action"]).count("kinesisvideo:")]
    assert kvs == [
        {
            "Action": [
                "kinesisvideo:DescribeStream",
                "kinesisvideo:GetDataEndpoint",
                "kinesisvideo:PutMedia",
            ],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [stream_id, "Arn"]},
        }
    ]
    kms_statement = next(s for s in statements if "kms" in str(s["Action"]))
    assert kms_statement["Action"] == "kms:GenerateDataKey"


def test_consumer_may_only_read_and_play_back(synth: SynthResult) -> None:
    statements = _policy_of(synth, "AnalysisRole")
    actions = sorted(
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    )
    assert actions == [
        "kinesisvideo:DescribeStream",
        "kinesisvideo:GetDataEndpoint",
        "kinesisvideo:GetHLSStreamingSessionURL",
        "kinesisvideo:GetMedia",
        "kms:Decrypt",
    ]
    assert "kinesisvideo:PutMedia" not in actions


def test_alarms_watch_put_media_success_and_latency(synth: SynthResult) -> None:
    t = synth.template(STACK)
    stream_id = next(iter(synth.resources(STACK, "AWS::KinesisVideo::Stream")))
    dims = [{"Name": "StreamName", "Value": {"Ref": stream_id}}]
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/KinesisVideo",
            "MetricName": "PutMedia.Success",
            "Statistic": "Average",
            "ComparisonOperator": "LessThanThreshold",
            "Threshold": 1,
            "Dimensions": dims,
            "AlarmActions": Match.any_value(),
        },
    )
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "PutMedia.Latency",
            "Threshold": 1_500,
            "EvaluationPeriods": 3,
            "Dimensions": dims,
        },
    )


def test_zero_retention_and_a_given_key() -> None:
    stack = new_stack()
    key = kms.Key(stack, "Mine", enable_key_rotation=True)
    video = VideoIngestStream(
        stack,
        "Live",
        retention=Duration.hours(0),
        encryption_key=key,
        removal_policy=RemovalPolicy.DESTROY,
    )
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::KMS::Key", 1)
    t.has_resource(
        "AWS::KinesisVideo::Stream",
        {"Properties": {"DataRetentionInHours": 0}, "DeletionPolicy": "Delete"},
    )
    assert video.encryption_key is key


def test_min_success_rate_sets_the_threshold() -> None:
    stack = new_stack()
    video = VideoIngestStream(stack, "Cam", min_put_media_success_rate=0.95)
    alarm = stack.resolve(video.alarms["PutMediaErrors"].node.default_child.threshold)  # type: ignore[union-attr]
    assert alarm == 0.95


def test_grants_accept_any_grantable() -> None:
    stack = new_stack()
    video = VideoIngestStream(stack, "Cam")
    user = iam.User(stack, "Operator")
    grant = video.grant_consume(user)
    assert grant.success


def test_retention_from_a_parameter_is_not_checked() -> None:
    stack = new_stack()
    hours = cdk.CfnParameter(stack, "Hours", type="Number").value_as_number
    VideoIngestStream(stack, "Cam", retention=Duration.hours(hours))
    Template.from_stack(stack).has_resource_properties(
        "AWS::KinesisVideo::Stream", {"DataRetentionInHours": {"Ref": "Hours"}}
    )


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"retention": Duration.hours(87_601)},
            "retention must be between 0 s and 3650 days, got 87601 h",
        ),
        (
            {"retention": Duration.minutes(90)},
            "retention must be a whole number of hours, got 90 min",
        ),
        ({"media_type": "h264"}, "media_type must be type/subtype"),
        ({"device_name": "front door"}, "device_name must be 1-128 letters"),
        ({"stream_name": "a/b"}, "stream_name must be 1-256 letters"),
        (
            {"min_put_media_success_rate": 1.5},
            "min_put_media_success_rate must be between 0 and 1, got 1.5",
        ),
        ({"min_put_media_success_rate": 0}, "min_put_media_success_rate must be above 0"),
        (
            {"put_media_latency_threshold": Duration.minutes(2)},
            "put_media_latency_threshold must be between",
        ),
        # before the audit: a CloudFormation Validate failure at synth
        (
            {"media_type": "video/" + "h" * 200},
            "media_type must be at most 128 characters, got 206",
        ),
        # wrong types (before: TypeError from re.match or a jsii deserialization error)
        ({"media_type": 5}, "media_type must be a string, got int 5"),
        ({"device_name": 5}, "device_name must be a string, got int 5"),
        ({"stream_name": 5}, "stream_name must be a string, got int 5"),
        (
            {"removal_policy": "DESTROY"},
            "removal_policy must be a RemovalPolicy, got str 'DESTROY'",
        ),
        ({"encryption_key": "alias/video"}, "encryption_key must be a kms.IKey, got str"),
        ({"alarm_topic": "arn"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_validation_errors(props: dict[str, object], message: str) -> None:
    with pytest.raises(PatternValidationError, match=re.escape(message)):
        VideoIngestStream(new_stack(), "Cam", **props)  # type: ignore[arg-type]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PatternValidationError) as info:
        VideoIngestStream(
            new_stack(),
            "Cam",
            retention=Duration.hours(100_000),
            media_type="nope",
            device_name="",
        )
    assert len(info.value.problems) == 3
    assert "Test/Cam" in str(info.value)
