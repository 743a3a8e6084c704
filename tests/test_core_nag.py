"""patterns.core.nag: acknowledgements and the spelling of IAM5 findings."""

from __future__ import annotations

from typing import Any

import pytest

from patterns.core.nag import acknowledge, nag_resource
from tests.conftest import new_stack


@pytest.mark.parametrize(
    ("resource", "rendered"),
    [
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/*"),
        ({"Ref": "AWS::Partition"}, "<AWS::Partition>"),
        ({"Fn::GetAtt": ["Bucket1", "Arn"]}, "<Bucket1.Arn>"),
        (
            {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":s3:::",
                        {"Fn::Sub": "cdk-x-${AWS::Region}"},
                        "/*",
                    ],
                ]
            },
            "arn:<AWS::Partition>:s3:::cdk-x-<AWS::Region>/*",
        ),
    ],
)
def testnag_resource_rendering(resource: Any, rendered: str) -> None:
    assert nag_resource(resource) == rendered


def test_nag_resource_cannot_spell_other_intrinsics() -> None:
    assert nag_resource({"Fn::ImportValue": "x"}) is None
    assert nag_resource({"Fn::Join": ["", ["a", {"Fn::ImportValue": "x"}]]}) is None


def test_acknowledgement_needs_a_specific_reason() -> None:
    with pytest.raises(ValueError, match="needs a specific reason"):
        acknowledge(new_stack(), "AwsSolutions::AwsSolutions-SQS3", "ok")
