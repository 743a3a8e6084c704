"""The deploy tier's policy evaluator (``emulator/policy.py``) against the IAM User Guide.

Sources (IAM User Guide, docs.aws.amazon.com/IAM/latest/UserGuide/):
- [single] reference_policies_evaluation-logic_policy-eval-basics.html - "Policy evaluation for
  requests within a single account", its Carlos example (identity policy with AllowS3ListRead,
  AllowS3Self, DenyS3Logs) and "If either the identity-based policy or the resource-based
  policy within the same account allows the request and the other doesn't, the request is
  still allowed";
- [denyallow] reference_policies_evaluation-logic_policy-eval-denyallow.html - implicit deny by
  default, an explicit deny overrides any allow; KMS key policies and role trust policies must
  allow the principal (an account principal delegates to IAM policies);
- [operators] reference_policies_elements_condition_operators.html - the operators, the
  ``aws:PrincipalTag/job-category`` example, and "If the key that you specify in a policy
  condition is not present in the request context, the values do not match and the condition
  is false. If the policy condition requires that the key is not matched, such as StringNotLike
  or ArnNotLike, and the right key is not present, the condition is true.";
- [multi] reference_policies_multi-value-conditions.html - operators AND, keys AND, values OR,
  values of a negated operator NOR.
"""

from __future__ import annotations

from typing import Any

import pytest

from emulator.policy import (
    NamedPolicy,
    Principal,
    Request,
    UnsupportedPolicyFeature,
    evaluate,
)

ACCOUNT = "123456789012"
ROLE = Principal.role(f"arn:aws:iam::{ACCOUNT}:role/carlossalazar", "session")
SNS = Principal.of_service("sns.amazonaws.com", ACCOUNT)

#: [single]: the policy attached to Carlos (a role here: the emulator has role sessions only).
CARLOS = NamedPolicy(
    "carlossalazar identity policy",
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowS3ListRead",
                "Effect": "Allow",
                "Action": [
                    "s3:GetBucketLocation",
                    "s3:GetAccountPublicAccessBlock",
                    "s3:ListAccessPoints",
                    "s3:ListAllMyBuckets",
                ],
                "Resource": "arn:aws:s3:::*",
            },
            {
                "Sid": "AllowS3Self",
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": [
                    "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/*",
                    "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar",
                ],
            },
            {
                "Sid": "DenyS3Logs",
                "Effect": "Deny",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::*log*",
            },
        ],
    },
)


def _request(action: str, resource: str, principal: Principal = ROLE, **context: str) -> Request:
    return Request(principal, action, resource, context)


def _policy(*statements: dict[str, Any], name: str = "policy") -> NamedPolicy:
    return NamedPolicy(name, {"Version": "2012-10-17", "Statement": list(statements)})


# -- [single] the Carlos example ------------------------------------------------------------------
def test_carlos_may_write_his_own_bucket() -> None:
    request = _request("s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/file.txt")

    decision = evaluate(request, identity=[CARLOS])

    assert decision.allowed, decision
    assert "AllowS3Self" in decision.reason


def test_carlos_may_list_buckets() -> None:
    decision = evaluate(_request("s3:ListAllMyBuckets", "arn:aws:s3:::*"), identity=[CARLOS])

    assert decision.allowed


def test_carlos_cannot_save_to_the_logs_bucket_even_if_its_policy_allows_him() -> None:
    """The request of the example: DenyS3Logs (an explicit deny) overrides every allow."""
    bucket_policy = _policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": ROLE.arn},
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*",
        },
        name="logs bucket policy",
    )
    request = _request(
        "s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/file.txt"
    )

    decision = evaluate(request, identity=[CARLOS], resource=bucket_policy)

    assert not decision.allowed
    assert "explicitly denied" in decision.reason and "DenyS3Logs" in decision.reason


def test_carlos_is_implicitly_denied_another_bucket() -> None:
    decision = evaluate(_request("s3:GetObject", "arn:aws:s3:::someone-else/x"), identity=[CARLOS])

    assert not decision.allowed
    assert decision.reason.startswith("implicitly denied")


def test_in_one_account_a_resource_policy_alone_allows() -> None:
    """[single]: either the identity-based or the resource-based policy suffices."""
    queue = "arn:aws:sqs:us-east-1:123456789012:orders"
    queue_policy = _policy(
        {"Effect": "Allow", "Principal": {"AWS": ROLE.arn}, "Action": "sqs:*", "Resource": queue}
    )

    assert evaluate(_request("sqs:SendMessage", queue), resource=queue_policy).allowed
    assert not evaluate(_request("sqs:SendMessage", queue), identity=[CARLOS]).allowed


def test_an_account_principal_in_a_resource_policy_only_delegates() -> None:
    """A resource-based statement naming the account (its root) grants nothing by itself."""
    queue = "arn:aws:sqs:us-east-1:123456789012:orders"
    to_account = _policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "sqs:*",
            "Resource": queue,
        }
    )
    identity = _policy({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue})

    assert not evaluate(_request("sqs:SendMessage", queue), resource=to_account).allowed
    assert evaluate(
        _request("sqs:SendMessage", queue), identity=[identity], resource=to_account
    ).allowed


# -- [denyallow] key policies and trust policies must allow -------------------------------------
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
#: The default key policy (the KMS guide's "Allows access to the AWS account and enables IAM
#: policies") plus a service statement, as CDK writes them.
KEY_POLICY = _policy(
    {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    },
    {
        "Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"}},
    },
    name="key policy",
)


def test_a_key_policy_delegating_to_the_account_needs_an_identity_allow() -> None:
    request = _request("kms:Decrypt", KEY)
    grant = _policy({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY})

    denied = evaluate(request, resource=KEY_POLICY, resource_must_allow=True)
    allowed = evaluate(request, identity=[grant], resource=KEY_POLICY, resource_must_allow=True)

    assert not denied.allowed and "delegates to the account" in denied.reason
    assert allowed.allowed


def test_an_identity_allow_does_not_open_a_key_whose_policy_ignores_the_account() -> None:
    request = _request("kms:Decrypt", KEY)
    grant = _policy({"Effect": "Allow", "Action": "kms:*", "Resource": "*"})
    only_sns = NamedPolicy("key policy", {"Statement": [KEY_POLICY.statements()[1]]})

    decision = evaluate(request, identity=[grant], resource=only_sns, resource_must_allow=True)

    assert not decision.allowed


def test_a_service_principal_uses_a_key_only_under_its_condition() -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:t"
    right = _request("kms:GenerateDataKey", KEY, SNS, **{"aws:SourceArn": topic})
    wrong = _request("kms:GenerateDataKey", KEY, SNS, **{"aws:SourceArn": topic + "-other"})
    absent = _request("kms:GenerateDataKey", KEY, SNS)

    assert evaluate(right, resource=KEY_POLICY, resource_must_allow=True).allowed
    assert not evaluate(wrong, resource=KEY_POLICY, resource_must_allow=True).allowed
    assert not evaluate(absent, resource=KEY_POLICY, resource_must_allow=True).allowed


def test_a_service_principal_is_not_the_account() -> None:
    """The root statement of a key policy does not let a service use the key."""
    request = _request("kms:Encrypt", KEY, SNS, **{"aws:SourceArn": "x"})

    assert not evaluate(request, resource=KEY_POLICY, resource_must_allow=True).allowed


def test_a_trust_policy_names_the_service_that_may_assume_the_role() -> None:
    trust = _policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        },
        name="trust policy",
    )
    role = "arn:aws:iam::123456789012:role/schedule"
    scheduler = Principal.of_service("scheduler.amazonaws.com", ACCOUNT)
    lam = Principal.of_service("lambda.amazonaws.com", ACCOUNT)

    ok = _request("sts:AssumeRole", role, scheduler, **{"aws:SourceAccount": ACCOUNT})
    other_account = _request("sts:AssumeRole", role, scheduler, **{"aws:SourceAccount": "1" * 12})
    other_service = _request("sts:AssumeRole", role, lam, **{"aws:SourceAccount": ACCOUNT})

    assert evaluate(ok, resource=trust, resource_must_allow=True).allowed
    assert not evaluate(other_account, resource=trust, resource_must_allow=True).allowed
    assert not evaluate(other_service, resource=trust, resource_must_allow=True).allowed


# -- [operators] and [multi] ---------------------------------------------------------------------
def test_the_string_equals_example_of_the_guide() -> None:
    policy = _policy(
        {
            "Effect": "Allow",
            "Action": "iam:*AccessKey*",
            "Resource": "arn:aws:iam::123456789012:user/*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}},
        }
    )
    resource = "arn:aws:iam::123456789012:user/ana"

    tagged = _request(
        "iam:CreateAccessKey", resource, **{"aws:PrincipalTag/job-category": "iamuser-admin"}
    )
    other = _request("iam:CreateAccessKey", resource, **{"aws:PrincipalTag/job-category": "dev"})
    untagged = _request("iam:CreateAccessKey", resource)

    assert evaluate(tagged, identity=[policy]).allowed
    assert not evaluate(other, identity=[policy]).allowed
    assert not evaluate(untagged, identity=[policy]).allowed  # absent key: false


def test_an_absent_key_makes_a_negated_operator_true() -> None:
    deny = _policy(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
        },
    )

    assert not evaluate(_request("s3:GetObject", "arn:aws:s3:::b/k"), identity=[deny]).allowed
    assert evaluate(
        _request("s3:GetObject", "arn:aws:s3:::b/k", **{"aws:SourceVpce": "vpce-1a2b3c4d"}),
        identity=[deny],
    ).allowed


def test_the_tls_only_deny_applies_to_plain_http_only() -> None:
    """The bucket policy CDK writes for ``enforce_ssl``: Bool aws:SecureTransport false."""
    bucket_policy = _policy(
        {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
        },
    )
    grant = _policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})

    def get(**context: str) -> bool:
        request = _request("s3:GetObject", "arn:aws:s3:::b/k", **context)
        return evaluate(request, identity=[grant], resource=bucket_policy).allowed

    assert get(**{"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"})
    assert not get(**{"aws:SecureTransport": "false", "s3:TlsVersion": "1.3"})
    assert not get(**{"aws:SecureTransport": "true", "s3:TlsVersion": "1.1"})


QUEUE = "arn:aws:sqs:us-east-1:123456789012:q"


def test_values_or_keys_and_operators_and() -> None:
    policy = _policy(
        {
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": "*",
            "Condition": {
                "ArnLike": {"aws:SourceArn": ["arn:aws:sns:*:*:a", "arn:aws:sns:*:*:b"]},
                "StringEquals": {"aws:SourceAccount": ACCOUNT, "aws:PrincipalOrgID": "o-1"},
            },
        }
    )
    full = {"aws:SourceAccount": ACCOUNT, "aws:PrincipalOrgID": "o-1"}

    def send(**context: str) -> bool:
        return evaluate(_request("sqs:SendMessage", QUEUE, **context), identity=[policy]).allowed

    assert send(**{"aws:SourceArn": "arn:aws:sns:us-east-1:1:a"}, **full)  # first value
    assert send(**{"aws:SourceArn": "arn:aws:sns:us-east-1:1:b"}, **full)  # or the second
    assert not send(**{"aws:SourceArn": "arn:aws:sns:us-east-1:1:c"}, **full)
    assert not send(
        **{"aws:SourceArn": "arn:aws:sns:us-east-1:1:a"}, **{"aws:SourceAccount": ACCOUNT}
    )


def test_a_negated_operator_with_several_values_is_nor() -> None:
    policy = _policy(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"s3:prefix": ["a", "b"]}},
        }
    )

    def get(prefix: str) -> bool:
        request = _request("s3:GetObject", "arn:aws:s3:::x/y", **{"s3:prefix": prefix})
        return evaluate(request, identity=[policy]).allowed

    assert get("c")
    assert not get("a") and not get("b")


def test_condition_keys_ignore_case_and_actions_ignore_case() -> None:
    """CDK writes ``AWS:SourceArn`` in a CloudFront OAC statement, Lambda ``AWS:SourceArn``."""
    policy = _policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "SQS:SendMessage",
            "Resource": "arn:aws:sqs:us-east-1:123456789012:q",
            "Condition": {"ArnEquals": {"AWS:SourceArn": "arn:aws:sns:us-east-1:1:t"}},
        }
    )
    request = _request(
        "sqs:sendmessage",
        "arn:aws:sqs:us-east-1:123456789012:q",
        SNS,
        **{"aws:sourcearn": "arn:aws:sns:us-east-1:1:t"},
    )

    assert evaluate(request, resource=policy).allowed


def test_wildcards_in_actions_and_resources() -> None:
    policy = _policy(
        {
            "Effect": "Allow",
            "Action": ["dynamodb:Describe*", "dynamodb:?pdateTable"],
            "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/example-metrics-????-??-??",
        }
    )
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/example-metrics-2024-06-01"

    assert evaluate(_request("dynamodb:DescribeTable", table), identity=[policy]).allowed
    assert evaluate(_request("dynamodb:UpdateTable", table), identity=[policy]).allowed
    assert not evaluate(_request("dynamodb:DeleteTable", table), identity=[policy]).allowed
    other = "arn:aws:dynamodb:us-east-1:123456789012:table/example-metrics-2024-06-011"
    assert not evaluate(_request("dynamodb:DescribeTable", other), identity=[policy]).allowed


def test_not_action_and_not_resource() -> None:
    policy = _policy(
        {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}
    )

    assert evaluate(_request("s3:GetObject", "arn:aws:s3:::open/k"), identity=[policy]).allowed
    assert not evaluate(_request("iam:CreateRole", "*"), identity=[policy]).allowed
    assert not evaluate(
        _request("s3:GetObject", "arn:aws:s3:::secret/k"), identity=[policy]
    ).allowed


@pytest.mark.parametrize(
    ("statement", "feature"),
    [
        (
            {"Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}},
            "DateLessThan",
        ),
        ({"Condition": {"StringEqualsIfExists": {"aws:SourceAccount": "1"}}}, "IfExists"),
        ({"Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": "a*"}}}, "ForAnyValue"),
        ({"Condition": {"Null": {"aws:SourceArn": "true"}}}, "Null"),
        ({"Resource": "arn:aws:s3:::home/${aws:username}/*"}, "policy variable"),
    ],
)
def test_an_unsupported_feature_fails_loudly(statement: dict[str, Any], feature: str) -> None:
    policy = _policy({"Effect": "Allow", "Action": "*", "Resource": "*", **statement})

    with pytest.raises(UnsupportedPolicyFeature, match=feature):
        evaluate(_request("s3:GetObject", "arn:aws:s3:::home/x"), identity=[policy])


def test_not_principal_fails_loudly() -> None:
    policy = _policy(
        {"Effect": "Deny", "NotPrincipal": {"AWS": ROLE.arn}, "Action": "*", "Resource": "*"}
    )

    with pytest.raises(UnsupportedPolicyFeature, match="NotPrincipal"):
        evaluate(_request("s3:GetObject", "arn:aws:s3:::b/k"), resource=policy)
