"""MessageBroker: assertions on the example stack, variants and every validation error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template

from patterns.broker import MaintenanceWindow, MessageBroker
from patterns.core.validation import PatternValidationError
from tests.conftest import SynthResult, new_stack

STACK = "MessageBrokerExample"


def _broker(synth: SynthResult) -> dict[str, Any]:
    (broker,) = synth.resources(STACK, "AWS::AmazonMQ::Broker").values()
    return broker


def test_activemq_active_standby_private_and_encrypted(synth: SynthResult) -> None:
    broker = _broker(synth)
    props = broker["Properties"]
    assert props["EngineType"] == "ACTIVEMQ"
    assert props["EngineVersion"] == "5.19"
    assert props["DeploymentMode"] == "ACTIVE_STANDBY_MULTI_AZ"
    assert props["HostInstanceType"] == "mq.m5.large"
    assert props["PubliclyAccessible"] is False
    assert props["AutoMinorVersionUpgrade"] is True
    assert props["Logs"] == {"General": True, "Audit": True}
    assert props["MaintenanceWindowStartTime"] == {
        "DayOfWeek": "SUNDAY",
        "TimeOfDay": "02:30",
        "TimeZone": "UTC",
    }
    key_id = props["EncryptionOptions"]["KmsKeyId"]["Fn::GetAtt"][0]
    assert props["EncryptionOptions"]["UseAwsOwnedKey"] is False
    assert synth.resources(STACK, "AWS::KMS::Key")[key_id]["Properties"]["EnableKeyRotation"]
    assert broker["DeletionPolicy"] == "Retain"


def test_broker_uses_two_isolated_subnets_in_two_azs(synth: SynthResult) -> None:
    subnet_ids = [ref["Ref"] for ref in _broker(synth)["Properties"]["SubnetIds"]]
    assert len(subnet_ids) == 2
    subnets = synth.resources(STACK, "AWS::EC2::Subnet")
    zones = {str(subnets[s]["Properties"]["AvailabilityZone"]) for s in subnet_ids}
    assert len(zones) == 2
    for s in subnet_ids:
        assert subnets[s]["Properties"]["MapPublicIpOnLaunch"] is False
    synth.template(STACK).resource_count_is("AWS::EC2::InternetGateway", 0)
    synth.template(STACK).has_resource_properties(
        "AWS::EC2::FlowLog", {"TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs"}
    )


def test_password_comes_from_a_generated_secret(synth: SynthResult) -> None:
    ((secret_id, secret),) = synth.resources(STACK, "AWS::SecretsManager::Secret").items()
    generate = secret["Properties"]["GenerateSecretString"]
    assert generate["GenerateStringKey"] == "password"
    assert generate["PasswordLength"] == 32
    for forbidden in ",:=":
        assert forbidden in generate["ExcludeCharacters"]
    (user,) = _broker(synth)["Properties"]["Users"]
    assert user["Username"] == "broker-admin"
    joined = user["Password"]["Fn::Join"][1]
    assert joined[0] == "{{resolve:secretsmanager:"
    assert joined[1] == {"Ref": secret_id}
    assert joined[2] == ":SecretString:password::}}"


def test_security_group_admits_only_granted_groups_on_tls_ports(synth: SynthResult) -> None:
    ingress = synth.resources(STACK, "AWS::EC2::SecurityGroupIngress").values()
    rules = sorted(
        (
            r["Properties"]["FromPort"],
            r["Properties"]["SourceSecurityGroupId"]["Fn::GetAtt"][0][:12],
        )
        for r in ingress
    )
    assert rules == [(5671, "OrderService"), (8162, "OperatorsSec"), (61617, "OrderService")]
    groups = synth.resources(STACK, "AWS::EC2::SecurityGroup")
    broker_sg = next(g for lid, g in groups.items() if lid.startswith("OrdersBrokerSecurityGroup"))
    assert "SecurityGroupIngress" not in broker_sg["Properties"]


def test_amazon_mq_may_write_the_broker_logs(synth: SynthResult) -> None:
    (policy,) = synth.resources(STACK, "AWS::Logs::ResourcePolicy").values()
    document = "".join(
        part if isinstance(part, str) else ""
        for part in policy["Properties"]["PolicyDocument"]["Fn::Join"][1]
    )
    assert '"Service":"mq.amazonaws.com"' in document
    assert ":log-group:/aws/amazonmq/*" in document
    assert '"aws:SourceAccount"' in document
    assert _broker(synth)["DependsOn"] == [
        next(iter(synth.resources(STACK, "AWS::Logs::ResourcePolicy")))
    ]


def test_activemq_alarms_take_the_highest_instance(synth: SynthResult) -> None:
    t = synth.template(STACK)
    t.resource_count_is("AWS::CloudWatch::Alarm", 2)
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Threshold": 70,
            "Metrics": Match.array_with(
                [
                    Match.object_like({"Expression": "MAX([m0, m1])"}),
                    Match.object_like(
                        {
                            "MetricStat": Match.object_like(
                                {
                                    "Metric": {
                                        "Dimensions": [
                                            {
                                                "Name": "Broker",
                                                "Value": Match.string_like_regexp(r"-1$"),
                                            }
                                        ],
                                        "MetricName": "HeapUsage",
                                        "Namespace": "AWS/AmazonMQ",
                                    }
                                }
                            )
                        }
                    ),
                ]
            ),
        },
    )


def test_rabbitmq_cluster_uses_aws_owned_key_and_no_audit_log() -> None:
    stack = new_stack()
    broker = MessageBroker(stack, "Rabbit", engine="RABBITMQ")
    t = Template.from_stack(stack)
    props = t.find_resources("AWS::AmazonMQ::Broker")
    (resource,) = props.values()
    p = resource["Properties"]
    assert p["DeploymentMode"] == "CLUSTER_MULTI_AZ"
    assert p["EngineVersion"] == "4.2"
    assert p["HostInstanceType"] == "mq.m7g.large"
    assert "EncryptionOptions" not in p
    assert p["Logs"] == {"General": True}
    assert "ConsoleAccess" not in p["Users"][0]
    t.resource_count_is("AWS::Logs::ResourcePolicy", 0)
    metrics = {
        m
        for a in t.find_resources("AWS::CloudWatch::Alarm").values()
        for m in re.findall(r"RabbitMQ\w+", str(a))
    }
    assert metrics == {
        "RabbitMQMemUsed",
        "RabbitMQMemLimit",
        "RabbitMQDiskFree",
        "RabbitMQDiskFreeLimit",
    }
    assert broker.ports == {"AMQPS": 5671}


def test_dev_single_instance_uses_one_subnet() -> None:
    stack = new_stack()
    MessageBroker(
        stack,
        "Dev",
        engine="RABBITMQ",
        engine_version="3.13",
        instance_type="mq.t3.micro",
        dev_single_instance=True,
    )
    (resource,) = Template.from_stack(stack).find_resources("AWS::AmazonMQ::Broker").values()
    assert resource["Properties"]["DeploymentMode"] == "SINGLE_INSTANCE"
    assert len(resource["Properties"]["SubnetIds"]) == 1


def test_given_vpc_private_subnets_and_no_vpc_created() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Shared", max_azs=2, nat_gateways=1)
    broker = MessageBroker(stack, "Mq", engine="ACTIVEMQ", vpc=vpc)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::EC2::VPC", 1)
    (resource,) = t.find_resources("AWS::AmazonMQ::Broker").values()
    refs = [s["Ref"] for s in resource["Properties"]["SubnetIds"]]
    assert all("PrivateSubnet" in r for r in refs)
    assert broker.flow_log_group is None


def test_allow_from_one_protocol_and_a_given_key() -> None:
    stack = new_stack()
    key = kms.Key(stack, "Mine", enable_key_rotation=True)
    broker = MessageBroker(stack, "Mq", engine="ACTIVEMQ", encryption_key=key)
    client = ec2.SecurityGroup(stack, "Client", vpc=broker.vpc)
    broker.allow_from(client, "STOMP")
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress", {"FromPort": 61614, "ToPort": 61614}
    )
    t.resource_count_is("AWS::EC2::SecurityGroupIngress", 1)
    # no broker key of its own: the given key, and the stack's log-group key (flow logs)
    descriptions = [
        r["Properties"].get("Description", "") for r in t.find_resources("AWS::KMS::Key").values()
    ]
    assert not [d for d in descriptions if "broker" in d]


def test_allow_from_rejects_a_protocol_of_the_other_engine() -> None:
    stack = new_stack()
    broker = MessageBroker(stack, "Mq", engine="RABBITMQ")
    client = ec2.SecurityGroup(stack, "Client", vpc=broker.vpc)
    with pytest.raises(PatternValidationError, match="protocols must be among AMQPS, got OpenWire"):
        broker.allow_from(client, "OpenWire")


def test_metric_of_the_broker_or_one_instance() -> None:
    broker = MessageBroker(new_stack(), "Mq", engine="ACTIVEMQ", broker_name="orders")
    metric = broker.metric("CpuUtilization")
    assert (metric.namespace, metric.statistic, metric.dimensions) == (
        "AWS/AmazonMQ",
        "Average",
        {"Broker": "orders"},
    )
    assert metric.period.to_minutes() == 5
    one = broker.metric("HeapUsage", broker="orders-2", statistic="Maximum")
    assert (one.statistic, one.dimensions) == ("Maximum", {"Broker": "orders-2"})
    heap = broker.metric_heap_usage()
    assert isinstance(heap, cw.MathExpression)
    assert heap.expression == "MAX([m0, m1])"
    assert {m.dimensions["Broker"] for m in heap.using_metrics.values()} == {  # type: ignore[attr-defined]
        "orders-1",
        "orders-2",
    }
    assert isinstance(broker.metric_store_usage(), cw.MathExpression)
    with pytest.raises(PatternValidationError, match="metric_memory_usage applies to RABBITMQ"):
        broker.metric_memory_usage()


def test_rabbitmq_metrics_are_ratios_of_the_broker_metrics() -> None:
    broker = MessageBroker(new_stack(), "Mq", engine="RABBITMQ")
    assert broker.metric_memory_usage().expression == "100 * used / limit"
    assert broker.metric_disk_free().expression == "free / limit"
    with pytest.raises(PatternValidationError, match="metric_heap_usage applies to ACTIVEMQ"):
        broker.metric_heap_usage()


def test_public_subnets_are_rejected() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(
        stack,
        "Shared",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC)
        ],
    )
    with pytest.raises(PatternValidationError, match="vpc_subnets must not select public subnets"):
        MessageBroker(
            stack,
            "Mq",
            engine="ACTIVEMQ",
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
        )


def test_active_standby_needs_two_azs() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(
        stack,
        "Small",
        max_azs=1,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Iso", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    with pytest.raises(
        PatternValidationError,
        match=r"at least 2 availability zone\(s\) for ACTIVE_STANDBY_MULTI_AZ, got 1",
    ):
        MessageBroker(stack, "Mq", engine="ACTIVEMQ", vpc=vpc)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"engine": "KAFKA"}, "engine must be one of 'ACTIVEMQ', 'RABBITMQ', got 'KAFKA'"),
        (
            {"engine_version": "5.17"},
            "engine_version must be a ACTIVEMQ version Amazon MQ supports (5.19, 5.18), got '5.17'",
        ),
        (
            {"instance_type": "mq.m7g.large"},
            "instance_type must be one of the ACTIVEMQ instance types",
        ),
        ({"instance_type": "mq.t3.micro"}, "mq.t3.micro runs single-instance brokers only"),
        (
            {"engine": "RABBITMQ", "instance_type": "mq.m5.large"},
            "must be an mq.m7g type for RabbitMQ 4.2, got 'mq.m5.large'",
        ),
        (
            {"engine": "RABBITMQ", "encryption_key": "KEY"},
            "encryption_key applies to ActiveMQ only",
        ),
        ({"username": "a"}, "username must be 2-100 letters"),
        ({"engine": "RABBITMQ", "username": "guest"}, "username must not be 'guest'"),
        ({"broker_name": "my broker"}, "broker_name must be 1-50 letters"),
        (
            {"maintenance_window": MaintenanceWindow(day_of_week="FUNDAY")},
            "maintenance_window.day_of_week must be one of",
        ),
        (
            {"maintenance_window": MaintenanceWindow(time_of_day="25:00")},
            "maintenance_window.time_of_day must be HH:MM",
        ),
        ({"dev_single_instance": "yes"}, "dev_single_instance must be True or False"),
        # before the audit: CloudFormation rejected it at deploy time
        (
            {"maintenance_window": MaintenanceWindow(time_zone="Mars/Base")},
            "maintenance_window.time_zone must be 'UTC', a Country/City time zone",
        ),
        # wrong types (before: AttributeError / TypeError / jsii deserialization errors)
        ({"engine_version": 5.19}, "engine_version must be a string, got float 5.19"),
        ({"instance_type": 5}, "instance_type must be a string, got int 5"),
        ({"username": 5}, "username must be a string, got int 5"),
        ({"broker_name": 5}, "broker_name must be a string, got int 5"),
        (
            {"maintenance_window": MaintenanceWindow(day_of_week=5)},  # type: ignore[arg-type]
            "maintenance_window.day_of_week must be a string, got int 5",
        ),
        (
            {"maintenance_window": MaintenanceWindow(time_of_day=5)},  # type: ignore[arg-type]
            "maintenance_window.time_of_day must be a string, got int 5",
        ),
        (
            {"maintenance_window": MaintenanceWindow(time_zone=5)},  # type: ignore[arg-type]
            "maintenance_window.time_zone must be a string, got int 5",
        ),
        ({"removal_policy": "DESTROY"}, "removal_policy must be a RemovalPolicy, got str"),
        # None would have meant Delete for the broker, its secret and its key
        (
            {"removal_policy": None},
            "removal_policy must not be None (leave it out for the default RemovalPolicy.RETAIN)",
        ),
        ({"encryption_key": "alias/mq"}, "encryption_key must be a kms.IKey, got str"),
        ({"vpc": "vpc-1"}, "vpc must be an ec2.IVpc, got str 'vpc-1'"),
        ({"vpc_subnets": "private"}, "vpc_subnets must be an ec2.SubnetSelection, got str"),
        ({"alarm_topic": "arn"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_validation_errors(props: dict[str, Any], message: str) -> None:
    stack = new_stack()
    if props.get("encryption_key") == "KEY":
        props["encryption_key"] = kms.Key(stack, "Key")
    props.setdefault("engine", "ACTIVEMQ")
    with pytest.raises(PatternValidationError, match=re.escape(message)):
        MessageBroker(stack, "Mq", **props)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PatternValidationError) as info:
        MessageBroker(
            new_stack(),
            "Mq",
            engine="RABBITMQ",
            engine_version="3.8",
            username="guest",
            broker_name="x" * 51,
        )
    assert len(info.value.problems) == 3


def test_time_zone_accepts_names_and_utc_offsets() -> None:
    for zone in ("UTC", "Europe/Berlin", "+05:30", "UTC-3"):
        MessageBroker(
            new_stack(),
            "Mq",
            engine="ACTIVEMQ",
            maintenance_window=MaintenanceWindow(time_zone=zone),
        )


def test_a_subnet_selection_the_vpc_lacks_is_a_validation_error() -> None:
    """Before the audit: jsii's "There are no subnet groups with name ..." trace."""
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Shared", max_azs=2, nat_gateways=0)
    with pytest.raises(
        PatternValidationError,
        match=r"vpc_subnets selects no subnets of the vpc: .*no subnet groups with name 'Nope'",
    ):
        MessageBroker(
            stack,
            "Mq",
            engine="ACTIVEMQ",
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_group_name="Nope"),
        )


def test_subnet_problems_of_a_given_vpc_come_with_the_other_problems() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Shared", max_azs=2, nat_gateways=0)
    with pytest.raises(PatternValidationError) as info:
        MessageBroker(
            stack,
            "Mq",
            engine="ACTIVEMQ",
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            username="a",
        )
    assert len(info.value.problems) == 2
    assert "vpc_subnets must not select public subnets" in str(info.value)


@pytest.mark.parametrize("engine", ["ACTIVEMQ", "RABBITMQ"])
def test_the_secret_follows_the_removal_policy(engine: str) -> None:
    kept = new_stack()
    MessageBroker(kept, "Mq", engine=engine)
    (secret,) = Template.from_stack(kept).find_resources("AWS::SecretsManager::Secret").values()
    assert secret["DeletionPolicy"] == "Retain"
    dev = new_stack()
    MessageBroker(dev, "Mq", engine=engine, removal_policy=RemovalPolicy.DESTROY)
    resources = Template.from_stack(dev).to_json()["Resources"]
    kinds = {r["Type"] for r in resources.values()}
    assert {"AWS::AmazonMQ::Broker", "AWS::SecretsManager::Secret", "AWS::KMS::Key"} <= kinds
    for resource in resources.values():
        assert resource.get("DeletionPolicy", "Delete") == "Delete", resource["Type"]
