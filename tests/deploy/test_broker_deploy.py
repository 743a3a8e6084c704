"""MessageBroker deployed (control plane): an ActiveMQ broker, active/standby across two
private subnets, not public, encrypted with the stack's KMS key, general and audit logs on,
automatic minor upgrades in its maintenance window, and its admin user's credentials in
Secrets Manager. No broker process runs in the emulator (no JMS/AMQP traffic)."""

from __future__ import annotations

import json

import pytest

from emulator.server import Emulator
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


def test_the_broker_is_private_multi_az_encrypted_and_logged(
    deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed("MessageBrokerExample")

    broker = emulator.client("mq").describe_broker(BrokerId=stack.outputs["BrokerId"])

    assert broker["BrokerState"] == "RUNNING"
    assert broker["EngineType"] == "ACTIVEMQ"
    assert broker["DeploymentMode"] == "ACTIVE_STANDBY_MULTI_AZ"
    assert broker["PubliclyAccessible"] is False
    subnets = emulator.client("ec2").describe_subnets(SubnetIds=broker["SubnetIds"])["Subnets"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 2
    assert not any(s["MapPublicIpOnLaunch"] for s in subnets)
    encryption = broker["EncryptionOptions"]
    assert encryption["UseAwsOwnedKey"] is False
    keys = {k["KeyArn"] for k in emulator.client("kms").list_keys()["Keys"]}
    assert encryption["KmsKeyId"] in keys
    assert broker["Logs"] == {"Audit": True, "General": True}
    assert broker["AutoMinorVersionUpgrade"] is True
    assert broker["MaintenanceWindowStartTime"]["DayOfWeek"] == "SUNDAY"
    # the broker's user is the one whose generated password is in the secret
    secret = json.loads(
        emulator.client("secretsmanager").get_secret_value(
            SecretId=stack.outputs["CredentialsSecretArn"]
        )["SecretString"]
    )
    assert [u["Username"] for u in broker["Users"]] == [secret["username"]]
    assert len(secret["password"]) >= 12
