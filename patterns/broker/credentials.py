"""The encryption key and administrator credentials of :class:`~patterns.broker.MessageBroker`,
and the CloudWatch Logs resource policy through which Amazon MQ writes ActiveMQ logs."""

from __future__ import annotations

from aws_cdk import ArnFormat, Names, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from patterns.core import defaults
from patterns.core.nag import acknowledge

__all__ = ["PASSWORD_EXCLUDED", "admin_secret", "allow_amazon_mq_logs", "broker_key"]

#: Characters Amazon MQ refuses in passwords, plus those that break connection URLs.
PASSWORD_EXCLUDED = ",:=\"'\\/@`% "


def broker_key(scope: Construct, *, engine: str, removal_policy: RemovalPolicy) -> kms.Key:
    """The key ``Key`` (yearly rotation): broker storage (ActiveMQ) and credentials."""
    return defaults.encryption_key(
        scope,
        "Key",
        description=(
            f"Encrypts the broker storage and credentials of {scope.node.path}"
            if engine == "ACTIVEMQ"
            else f"Encrypts the broker credentials of {scope.node.path}"
        ),
        removal_policy=removal_policy,
    )


def admin_secret(
    scope: Construct,
    *,
    username: str,
    encryption_key: kms.IKey,
    removal_policy: RemovalPolicy,
) -> secretsmanager.Secret:
    """The secret ``Credentials``: ``{"username", "password"}`` with a generated password."""
    secret = secretsmanager.Secret(
        scope,
        "Credentials",
        description=f"Administrator of the Amazon MQ broker {scope.node.path}",
        encryption_key=encryption_key,
        generate_secret_string=secretsmanager.SecretStringGenerator(
            secret_string_template=f'{{"username": "{username}"}}',
            generate_string_key="password",
            exclude_characters=PASSWORD_EXCLUDED,
            password_length=32,
        ),
        removal_policy=removal_policy,
    )
    acknowledge(
        secret,
        "AwsSolutions::AwsSolutions-SMG4",
        "Amazon MQ has no Secrets Manager rotation integration: a RabbitMQ password is "
        "changed through the broker's management API and an ActiveMQ password applies "
        "only after a reboot, so rotation is an operator procedure documented on "
        "MessageBroker, not a scheduled Lambda.",
    )
    return secret


def allow_amazon_mq_logs(scope: Construct) -> logs.ResourcePolicy:
    """CloudWatch Logs resource policy ``LogsResourcePolicy``: Amazon MQ may write ActiveMQ
    broker logs.

    Limited to the ``/aws/amazonmq/*`` log groups of this account and region, and to
    requests Amazon MQ makes for this account.
    """
    stack = Stack.of(scope)
    return logs.ResourcePolicy(
        scope,
        "LogsResourcePolicy",
        resource_policy_name=f"AmazonMQ-{Names.unique_id(scope)}"[:255],
        policy_statements=[
            iam.PolicyStatement(
                sid="AllowAmazonMqToWriteBrokerLogs",
                principals=[iam.ServicePrincipal("mq.amazonaws.com")],
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[
                    stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name="/aws/amazonmq/*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        ],
    )
