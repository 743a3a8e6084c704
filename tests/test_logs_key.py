"""``use_logs_key``: a team's key for every pattern log group of a stack, instead of the
``ScalablePatternsLogsKey`` the patterns create."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template

import patterns
from patterns import PatternValidationError, use_logs_key
from tests.conftest import new_stack
from tests.user_apps.cases import MINIMAL

KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _patterns_with_logs(stack: cdk.Stack) -> None:
    """Three patterns with log groups, one of them with DESTROY (its own key id otherwise)."""
    MINIMAL["EventDrivenFunction"](stack, schedule=events.Schedule.expression("rate(1 hour)"))
    MINIMAL["StreamToS3Pipeline"](stack)
    MINIMAL["TimeSeriesTables"](stack, removal_policy=RemovalPolicy.DESTROY)


def _log_group_keys(template: Template) -> list[Any]:
    groups = template.find_resources("AWS::Logs::LogGroup").values()
    return [g["Properties"].get("KmsKeyId") for g in groups]


def _logs_keys(template: Template) -> list[str]:
    """The logical ids of the keys the patterns create for log groups."""
    return [
        logical_id
        for logical_id, key in template.find_resources("AWS::KMS::Key").items()
        if key["Properties"].get("Description", "").startswith("Encrypts the log groups")
    ]


def _logs_statements(key: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Sid") == "AllowCloudWatchLogsOfThisAccount"
    ]


def test_without_it_the_patterns_create_one_logs_key_per_removal_policy() -> None:
    stack = new_stack()
    _patterns_with_logs(stack)
    t = Template.from_stack(stack)
    assert len(_logs_keys(t)) == 2  # RETAIN and DESTROY
    assert all(isinstance(k, dict) for k in _log_group_keys(t))


def test_a_key_of_the_app_encrypts_every_log_group_and_lets_cloudwatch_logs_in() -> None:
    stack = new_stack()
    key = kms.Key(stack, "TeamLogsKey", enable_key_rotation=True)
    use_logs_key(stack, key)
    use_logs_key(stack, key)  # the same key again changes nothing
    _patterns_with_logs(stack)
    t = Template.from_stack(stack)
    assert _logs_keys(t) == []
    key_arn = stack.resolve(key.key_arn)
    assert len(_log_group_keys(t)) >= 3
    assert set(map(str, _log_group_keys(t))) == {str(key_arn)}
    team_key = t.find_resources("AWS::KMS::Key")[stack.get_logical_id(key.node.default_child)]
    (statement,) = _logs_statements(team_key)
    assert statement["Principal"] == {
        "Service": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}
    }
    condition = statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    assert ":log-group:*" in str(condition) and "AWS::AccountId" in str(condition)
    assert team_key["Properties"]["EnableKeyRotation"] is True  # left as the team set it


def test_an_imported_key_is_used_as_given() -> None:
    stack = new_stack()
    use_logs_key(stack, kms.Key.from_key_arn(stack, "TeamLogsKey", KEY_ARN))
    _patterns_with_logs(stack)
    t = Template.from_stack(stack)
    assert _logs_keys(t) == []
    assert set(_log_group_keys(t)) == {KEY_ARN}


def test_a_key_of_another_stack_gets_the_statement_in_its_own_stack() -> None:
    app = cdk.App()
    env = cdk.Environment(account="111111111111", region="eu-west-1")
    shared = cdk.Stack(app, "Shared", env=env)
    key = kms.Key(shared, "LogsKey", enable_key_rotation=True)
    workload = cdk.Stack(app, "Workload", env=env)
    use_logs_key(workload, key)
    MINIMAL["StreamToS3Pipeline"](workload)
    (statement,) = _logs_statements(
        Template.from_stack(shared).find_resources("AWS::KMS::Key")[
            shared.get_logical_id(key.node.default_child)
        ]
    )
    assert statement["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert _logs_keys(Template.from_stack(workload)) == []


def test_after_a_pattern_or_with_another_key_is_an_error() -> None:
    stack = new_stack()
    first = kms.Key(stack, "First", enable_key_rotation=True)
    use_logs_key(stack, first)
    with pytest.raises(PatternValidationError, match="differs from the key an earlier"):
        use_logs_key(stack, kms.Key(stack, "Second", enable_key_rotation=True))

    late = new_stack()
    MINIMAL["StreamToS3Pipeline"](late)
    with pytest.raises(
        PatternValidationError,
        match=r"key comes after a pattern of this stack created its ScalablePatternsLogsKey: "
        r"call use_logs_key before the stack's first pattern",
    ):
        use_logs_key(late, kms.Key(late, "Team", enable_key_rotation=True))


def test_the_key_must_be_a_key() -> None:
    with pytest.raises(PatternValidationError, match=r"key must be a kms.IKey, got str"):
        use_logs_key(new_stack(), KEY_ARN)  # type: ignore[arg-type]


def test_it_is_public() -> None:
    assert patterns.use_logs_key is use_logs_key
    assert "use_logs_key" in patterns.__all__


@pytest.mark.parametrize("bad", [None, KEY_ARN, 3])
def test_a_rejected_key_leaves_the_stack_unchanged(bad: object) -> None:
    stack = new_stack()
    with pytest.raises(PatternValidationError):
        use_logs_key(stack, bad)  # type: ignore[arg-type]
    MINIMAL["StreamToS3Pipeline"](stack)
    assert len(_logs_keys(Template.from_stack(stack))) == 1  # the pattern made its own key


def test_a_key_of_another_region_is_an_error() -> None:
    app = cdk.App()
    stack = cdk.Stack(
        app, "Ireland", env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
    frankfurt = "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    with pytest.raises(
        PatternValidationError,
        match=r"key is in eu-central-1, the stack's log groups in eu-west-1: CloudWatch Logs uses "
        r"a key of the log group's own region only",
    ):
        use_logs_key(stack, kms.Key.from_key_arn(stack, "Frankfurt", frankfurt))
    use_logs_key(stack, kms.Key.from_key_arn(stack, "Ireland", KEY_ARN))  # same region: fine
