"""ScalableTable, DaxCache and TimeSeriesTables: assertions on the example stacks, variants,
synth-time warnings and every validation error."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Annotations, Match, Template

from patterns import PatternValidationError
from patterns.core.metadata import CAPACITY_METADATA
from patterns.data_tier import (
    AutoScalingOptions,
    DaxCache,
    DaxOptions,
    GsiOptions,
    LsiOptions,
    ScalableTable,
    ScheduledCapacity,
    TimeSeriesTables,
)
from tests.conftest import SynthResult, new_stack

PROVISIONED = "ProvisionedTableExample"
ON_DEMAND = "OnDemandTableExample"
CACHED = "CachedTableExample"
TIME_SERIES = "TimeSeriesTablesExample"


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def _one(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    assert len(resources) == 1, list(resources)
    return next(iter(resources.values()))


def _targets(synth: SynthResult, stack: str) -> dict[str, dict[str, Any]]:
    """Scalable targets by '<index or Table>/<Read|Write>' from the ResourceId and dimension."""
    found = {}
    for target in synth.resources(stack, "AWS::ApplicationAutoScaling::ScalableTarget").values():
        props = target["Properties"]
        resource_id = json.dumps(props["ResourceId"])
        index = resource_id.split("/index/")[1].split('"')[0] if "/index/" in resource_id else None
        kind = "Read" if "Read" in props["ScalableDimension"] else "Write"
        found[f"{index or 'Table'}/{kind}"] = props
    return found


# -- provisioned example ----------------------------------------------------------------------


def test_provisioned_table_settings(synth: SynthResult) -> None:
    table = _one(synth.resources(PROVISIONED, "AWS::DynamoDB::Table"))
    assert table["DeletionPolicy"] == "Retain"
    props = table["Properties"]
    assert props["ProvisionedThroughput"] == {"ReadCapacityUnits": 50, "WriteCapacityUnits": 20}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["DeletionProtectionEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["SSESpecification"]["SSEType"] == "KMS"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert props["ContributorInsightsSpecification"] == {"Enabled": True}
    gsis = {g["IndexName"]: g for g in props["GlobalSecondaryIndexes"]}
    assert gsis["byCustomer"]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 50,
        "WriteCapacityUnits": 20,
    }
    assert gsis["byStatus"]["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert gsis["byStatus"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    (lsi,) = props["LocalSecondaryIndexes"]
    assert lsi["Projection"] == {"NonKeyAttributes": ["status"], "ProjectionType": "INCLUDE"}


def test_table_key_rotates(synth: SynthResult) -> None:
    keys = synth.resources(PROVISIONED, "AWS::KMS::Key")
    table = _one(synth.resources(PROVISIONED, "AWS::DynamoDB::Table"))
    key_id = table["Properties"]["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0]
    assert keys[key_id]["Properties"]["EnableKeyRotation"] is True


def test_table_and_each_gsi_scale_with_inherited_or_own_ranges(synth: SynthResult) -> None:
    targets = _targets(synth, PROVISIONED)
    assert set(targets) == {
        "Table/Read",
        "Table/Write",
        "byCustomer/Read",
        "byCustomer/Write",
        "byStatus/Read",
        "byStatus/Write",
    }
    assert (targets["Table/Read"]["MinCapacity"], targets["Table/Read"]["MaxCapacity"]) == (
        50,
        4_000,
    )
    # byCustomer inherits the table's settings, byStatus overrides its reads only
    assert targets["byCustomer/Read"]["MaxCapacity"] == 4_000
    assert (targets["byStatus/Read"]["MinCapacity"], targets["byStatus/Read"]["MaxCapacity"]) == (
        5,
        200,
    )
    assert targets["byStatus/Write"]["MaxCapacity"] == 1_000


def test_target_tracking_at_the_configured_utilization(synth: SynthResult) -> None:
    policies = synth.resources(PROVISIONED, "AWS::ApplicationAutoScaling::ScalingPolicy")
    assert len(policies) == 6
    for policy in policies.values():
        config = policy["Properties"]["TargetTrackingScalingPolicyConfiguration"]
        assert config["TargetValue"] == 70
        assert config["PredefinedMetricSpecification"]["PredefinedMetricType"] in (
            "DynamoDBReadCapacityUtilization",
            "DynamoDBWriteCapacityUtilization",
        )


def test_scheduled_actions_lower_the_minimum_at_night(synth: SynthResult) -> None:
    targets = _targets(synth, PROVISIONED)
    actions = {a["ScheduledActionName"]: a for a in targets["Table/Read"]["ScheduledActions"]}
    night = actions["NightlyScaleIn"]
    assert night["Schedule"] == "cron(0 22 * * ? *)"
    assert night["ScalableTargetAction"] == {"MinCapacity": 5}
    assert actions["MorningScaleOut"]["ScalableTargetAction"] == {"MinCapacity": 50}
    writes = {a["ScheduledActionName"]: a for a in targets["Table/Write"]["ScheduledActions"]}
    assert writes["NightlyScaleIn"]["ScalableTargetAction"] == {"MinCapacity": 2}
    # the GSIs inherit the table's scheduled actions with its settings
    assert len(targets["byCustomer/Read"]["ScheduledActions"]) == 2
    assert "ScheduledActions" not in targets["byStatus/Read"]


def test_alarms_per_table_and_gsi(synth: SynthResult) -> None:
    table = synth.stacks[PROVISIONED].orders  # type: ignore[attr-defined]
    assert set(table.alarms) == {
        "ReadThrottleEvents",
        "WriteThrottleEvents",
        "SystemErrors",
        "ReadCapacityUtilization",
        "WriteCapacityUtilization",
        "ByCustomerReadThrottleEvents",
        "ByCustomerWriteThrottleEvents",
        "ByCustomerReadCapacityUtilization",
        "ByCustomerWriteCapacityUtilization",
        "ByStatusReadThrottleEvents",
        "ByStatusWriteThrottleEvents",
        "ByStatusReadCapacityUtilization",
        "ByStatusWriteCapacityUtilization",
    }
    alarms = synth.resources(PROVISIONED, "AWS::CloudWatch::Alarm")
    assert len(alarms) == 13
    (topic,) = synth.resources(PROVISIONED, "AWS::SNS::Topic")
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic}]
        assert alarm["Properties"]["EvaluationPeriods"] == 3


def test_gsi_throttle_alarm_has_the_index_dimension(synth: SynthResult) -> None:
    synth.template(PROVISIONED).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "WriteThrottleEvents",
            "Dimensions": Match.array_with(
                [{"Name": "GlobalSecondaryIndexName", "Value": "byStatus"}]
            ),
            "Statistic": "Sum",
            "Threshold": 0,
        },
    )


def test_capacity_alarm_compares_consumed_with_provisioned(synth: SynthResult) -> None:
    synth.template(PROVISIONED).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Threshold": 90,
            "Metrics": Match.array_with(
                [
                    Match.object_like(
                        {"Expression": "100 * (consumed / PERIOD(consumed)) / provisioned"}
                    ),
                    Match.object_like(
                        {
                            "Id": "provisioned",
                            "MetricStat": Match.object_like(
                                {
                                    "Metric": Match.object_like(
                                        {"MetricName": "ProvisionedReadCapacityUnits"}
                                    )
                                }
                            ),
                        }
                    ),
                ]
            ),
        },
    )


def test_capacity_plan_from_scaling_maxima_and_size(synth: SynthResult) -> None:
    table = synth.stacks[PROVISIONED].orders  # type: ignore[attr-defined]
    plan = table.capacity_plan
    # 4,000 RCU / 1,000 WCU at the maxima need 3 partitions; 120 GB need 12
    assert plan.partitions_by_limit == {"throughput": 3, "storage": 12}
    assert plan.partitions == 12 and plan.binding_limit == "storage"
    assert plan.hot_key_share == pytest.approx(1 / 5_000_000)
    assert set(table.index_capacity_plans) == {"byCustomer", "byStatus"}
    metadata = [m.data for m in table.node.metadata if m.type == CAPACITY_METADATA]
    assert metadata == [f"provisioned: {plan.summary()}"]


def test_grants_name_every_action_and_index(synth: SynthResult) -> None:
    policies = synth.resources(PROVISIONED, "AWS::IAM::Policy")
    statements = _one(policies)["Properties"]["PolicyDocument"]["Statement"]
    actions = [
        a
        for s in statements
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    ]
    assert "dynamodb:PutItem" in actions and "kms:Decrypt" in actions
    assert not [a for a in actions if "*" in a]
    resources = json.dumps(statements)
    assert "/index/byCustomer" in resources and "/index/byTotal" in resources
    assert "/index/*" not in resources


def test_large_item_objects_are_granted_in_the_bucket_policy(synth: SynthResult) -> None:
    synth.template(PROVISIONED).has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": Match.array_with(["s3:GetObject", "s3:PutObject"]),
                                "Principal": {
                                    "AWS": {
                                        "Fn::GetAtt": [
                                            Match.string_like_regexp("OrderServiceRole"),
                                            "Arn",
                                        ]
                                    }
                                },
                            }
                        )
                    ]
                )
            }
        },
    )


# -- on-demand example --------------------------------------------------------------------------


def test_on_demand_table(synth: SynthResult) -> None:
    table = _one(synth.resources(ON_DEMAND, "AWS::DynamoDB::Table"))["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["OnDemandThroughput"] == {
        "MaxReadRequestUnits": 20_000,
        "MaxWriteRequestUnits": 5_000,
    }
    assert "ProvisionedThroughput" not in table
    # a customer-managed key by default, created for the table and rotating yearly
    key_id = table["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0]
    assert table["SSESpecification"] == {
        "KMSMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]},
        "SSEEnabled": True,
        "SSEType": "KMS",
    }
    key = synth.resources(ON_DEMAND, "AWS::KMS::Key")[key_id]
    assert key_id.startswith("SessionsKey") and key["DeletionPolicy"] == "Retain"
    assert key["Properties"]["EnableKeyRotation"] is True
    assert synth.resources(ON_DEMAND, "AWS::ApplicationAutoScaling::ScalableTarget") == {}
    sessions = synth.stacks[ON_DEMAND].sessions  # type: ignore[attr-defined]
    assert set(sessions.alarms) == {"ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors"}
    # 6,000 / 3,000 + 1,500 / 1,000 = 3.5 -> 4 partitions
    assert sessions.capacity_plan.partitions == 4


# -- cached example -----------------------------------------------------------------------------


def test_dax_cluster_is_encrypted_with_a_tls_endpoint(synth: SynthResult) -> None:
    cluster = _one(synth.resources(CACHED, "AWS::DAX::Cluster"))["Properties"]
    assert cluster["SSESpecification"] == {"SSEEnabled": True}
    assert cluster["ClusterEndpointEncryptionType"] == "TLS"
    assert cluster["NodeType"] == "dax.r5.large"
    assert cluster["ReplicationFactor"] == 3
    assert cluster["PreferredMaintenanceWindow"] == "sun:05:00-sun:06:00"


def test_dax_parameter_group_sets_the_ttls(synth: SynthResult) -> None:
    group = _one(synth.resources(CACHED, "AWS::DAX::ParameterGroup"))["Properties"]
    assert group["ParameterNameValues"] == {
        "record-ttl-millis": "600000",
        "query-ttl-millis": "120000",
    }


def test_dax_subnets_are_private_in_a_vpc_with_flow_logs(synth: SynthResult) -> None:
    group = _one(synth.resources(CACHED, "AWS::DAX::SubnetGroup"))["Properties"]
    subnets = synth.resources(CACHED, "AWS::EC2::Subnet")
    assert len(group["SubnetIds"]) == 2
    for ref in group["SubnetIds"]:
        assert subnets[ref["Ref"]]["Properties"]["MapPublicIpOnLaunch"] is False
    assert synth.resources(CACHED, "AWS::EC2::InternetGateway") == {}
    flow_log = _one(synth.resources(CACHED, "AWS::EC2::FlowLog"))["Properties"]
    assert flow_log["TrafficType"] == "ALL"
    endpoint = _one(synth.resources(CACHED, "AWS::EC2::VPCEndpoint"))["Properties"]
    assert "dynamodb" in json.dumps(endpoint["ServiceName"])


def test_dax_port_is_open_only_to_the_consumer(synth: SynthResult) -> None:
    ingress = _one(synth.resources(CACHED, "AWS::EC2::SecurityGroupIngress"))["Properties"]
    assert (ingress["FromPort"], ingress["ToPort"]) == (9111, 9111)
    assert ingress["SourceSecurityGroupId"]["Fn::GetAtt"][0].startswith("ConsumerSecurityGroup")
    for group in synth.resources(CACHED, "AWS::EC2::SecurityGroup").values():
        assert "SecurityGroupIngress" not in group["Properties"]


def test_dax_role_is_limited_to_the_table_and_its_index(synth: SynthResult) -> None:
    policies = synth.resources(CACHED, "AWS::IAM::Policy")
    service = next(p for k, p in policies.items() if k.startswith("CatalogueCacheServicePolicy"))
    statement, key = service["Properties"]["PolicyDocument"]["Statement"]
    # the table's customer-managed key (the default), for DAX's reads and writes
    assert key["Resource"]["Fn::GetAtt"][0].startswith("CatalogueKey")
    assert key["Action"] == ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    assert "dynamodb:GetItem" in statement["Action"]
    assert not [a for a in statement["Action"] if "*" in a]
    table_arn, index_arn = statement["Resource"]
    assert table_arn["Fn::GetAtt"][0].startswith("Catalogue")
    assert index_arn == {"Fn::Join": ["", [table_arn, "/index/byCategory"]]}
    cluster = _one(synth.resources(CACHED, "AWS::DAX::Cluster"))
    assert cluster["Properties"]["IAMRoleARN"]["Fn::GetAtt"][0].startswith(
        "CatalogueCacheServiceRole"
    )
    assert any(d.startswith("CatalogueCacheServicePolicy") for d in cluster["DependsOn"])


def test_consumer_role_may_only_read_through_the_cluster(synth: SynthResult) -> None:
    synth.template(CACHED).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": Match.string_like_regexp("ConsumerRole")}],
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": [
                            "dax:BatchGetItem",
                            "dax:ConditionCheckItem",
                            "dax:GetItem",
                            "dax:Query",
                            "dax:Scan",
                        ],
                        "Effect": "Allow",
                        "Resource": {
                            "Fn::GetAtt": [Match.string_like_regexp("CatalogueCache"), "Arn"]
                        },
                    }
                ],
                "Version": "2012-10-17",
            },
        },
    )


def test_dax_alarms(synth: SynthResult) -> None:
    cache = synth.stacks[CACHED].catalogue.cache  # type: ignore[attr-defined]
    assert set(cache.alarms) == {"CpuUtilization", "ErrorRequestCount", "ThrottledRequestCount"}
    synth.template(CACHED).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/DAX",
            "MetricName": "CPUUtilization",
            "Threshold": 80,
            "Dimensions": [
                {"Name": "ClusterId", "Value": {"Ref": Match.string_like_regexp("CatalogueCache")}}
            ],
        },
    )


# -- time-series example --------------------------------------------------------------------------


def test_rotation_function(synth: SynthResult) -> None:
    function = _one(synth.resources(TIME_SERIES, "AWS::Lambda::Function"))["Properties"]
    assert function["Runtime"] == "python3.14"
    assert function["Handler"] == "time_series_rotation.handler"
    assert function["ReservedConcurrentExecutions"] == 1
    assert function["TracingConfig"] == {"Mode": "Active"}
    variables = dict(function["Environment"]["Variables"])  # the session's template: a copy
    assert variables.pop("KMS_KEY_ARN")["Fn::GetAtt"][0].startswith("MetricsKey")
    alarm_names = json.dumps(variables.pop("ALARMS"))
    for alarm in ("CurrentTableThrottles", "NextTableWriteUtilization"):
        assert f"MetricsAlarms{alarm}" in alarm_names
    assert variables == {
        "TABLE_PREFIX": "example-metrics",
        "PERIOD": "day",
        "RETENTION_PERIODS": "7",
        "PARTITION_KEY": "deviceId:S",
        "SORT_KEY": "timestamp:N",
        "POINT_IN_TIME_RECOVERY": "true",
        "DELETION_PROTECTION": "true",
        "HOT_READ": "500",
        "HOT_WRITE": "2000",
        "COLD_READ": "10",
        "COLD_WRITE": "1",
        "PREWARM_LEAD_SECONDS": "10800",
        "DELETE_TABLES_WITH_STACK": "false",
    }
    rule = _one(synth.resources(TIME_SERIES, "AWS::Events::Rule"))["Properties"]
    assert rule["ScheduleExpression"] == "rate(1 hour)"
    assert "DeadLetterConfig" in rule["Targets"][0]
    config = _one(synth.resources(TIME_SERIES, "AWS::Lambda::EventInvokeConfig"))["Properties"]
    assert "OnFailure" in config["DestinationConfig"]


def test_rotation_role_is_limited_to_the_prefix_tables(synth: SynthResult) -> None:
    policies = synth.resources(TIME_SERIES, "AWS::IAM::Policy")
    # the rotation's statements are in a policy of its own; the role has no default policy
    # (where the user's grants would go, never covered by the library's acknowledgements)
    assert [k for k in policies if k.startswith("MetricsRotationRole")] == []
    rotation = next(p for k, p in policies.items() if k.startswith("MetricsRotationPolicy"))
    assert rotation["Properties"]["Roles"][0]["Ref"].startswith("MetricsRotationRole")
    statements = {s.get("Sid"): s for s in rotation["Properties"]["PolicyDocument"]["Statement"]}
    assert set(statements) == {
        "WriteOwnLogs",
        "RotateOwnTables",
        "EncryptOwnTables",
        "GrantTableKeyToDynamoDB",
        "SendFailedInvocations",
        "EncryptFailedInvocations",
        "PointTableAlarms",
        "WriteTraces",
    }
    alarms = statements["PointTableAlarms"]
    assert alarms["Action"] == ["cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"]
    assert len(alarms["Resource"]) == 6  # the live tables' alarms, by ARN
    assert all(r["Fn::GetAtt"][1] == "Arn" for r in alarms["Resource"])
    tables = statements["RotateOwnTables"]
    assert "dynamodb:DeleteTable" in tables["Action"]
    assert not [a for a in tables["Action"] if "*" in a]
    assert tables["Resource"]["Fn::Join"][1][-1] == ":table/example-metrics-????-??-??"
    # the tables' key only through DynamoDB, grants only for DynamoDB itself
    via_dynamodb = {"Fn::Join": ["", ["dynamodb.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}
    key = statements["EncryptOwnTables"]
    assert key["Resource"]["Fn::GetAtt"][0].startswith("MetricsKey")
    assert key["Condition"] == {"StringEquals": {"kms:ViaService": via_dynamodb}}
    grant = statements["GrantTableKeyToDynamoDB"]
    assert grant["Action"] == "kms:CreateGrant"
    assert grant["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
    assert statements["WriteTraces"]["Resource"] == "*"
    assert set(statements["WriteTraces"]["Action"]) == {
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    }
    assert statements["SendFailedInvocations"]["Action"] == "sqs:SendMessage"
    function = _one(synth.resources(TIME_SERIES, "AWS::Lambda::Function"))
    assert [d for d in function["DependsOn"]] == [
        next(k for k in policies if k.startswith("MetricsRotationPolicy"))
    ]
    writer = next(p for k, p in policies.items() if k.startswith("IngestRole"))
    assert "example-metrics-????-??-??" in json.dumps(writer["Properties"])
    writer_key = next(
        s
        for s in writer["Properties"]["PolicyDocument"]["Statement"]
        if "kms:Decrypt" in s["Action"]
    )
    assert writer_key["Resource"]["Fn::GetAtt"][0].startswith("MetricsKey")


def test_rotation_dlq_is_encrypted_with_a_key_eventbridge_may_use(synth: SynthResult) -> None:
    queue = _one(synth.resources(TIME_SERIES, "AWS::SQS::Queue"))["Properties"]
    key_id = queue["KmsMasterKeyId"]["Fn::GetAtt"][0]
    assert key_id.startswith("MetricsDlqKey") and "SqsManagedSseEnabled" not in queue
    key = synth.resources(TIME_SERIES, "AWS::KMS::Key")[key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    events = next(s for s in key["KeyPolicy"]["Statement"] if s.get("Sid") == "AllowEventsToUseKey")
    assert events["Principal"] == {"Service": "events.amazonaws.com"}
    assert events["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    # a retained stack keeps its tables: its deploy-time rotation does not delete them
    deploy = _one(synth.resources(TIME_SERIES, "Custom::TimeSeriesTables"))["Properties"]
    assert deploy["Configuration"]["DELETE_TABLES_WITH_STACK"] == "false"


def test_time_series_capacity_plan(synth: SynthResult) -> None:
    metrics = synth.stacks[TIME_SERIES].metrics  # type: ignore[attr-defined]
    # 500 / 3,000 + 2,000 / 1,000 = 2.17 -> 3; 30 GB -> 3
    assert metrics.capacity_plan.partitions == 3
    assert set(metrics.alarms) == {
        "RotationErrors",
        "RotationDlqNotEmpty",
        "RotationNotSucceeded",
        *(f"{slot}Table{what}" for slot in ("Current", "Next") for what in _LIVE_ALARMS),
    }


_LIVE_ALARMS = ("Throttles", "ReadUtilization", "WriteUtilization")


# -- variants ---------------------------------------------------------------------------------


def _table(stack: cdk.Stack, **kwargs: Any) -> ScalableTable:
    kwargs.setdefault("partition_key", _string("pk"))
    return ScalableTable(stack, "Table", **kwargs)


def _scaling(**kwargs: Any) -> AutoScalingOptions:
    return AutoScalingOptions(**kwargs)


def test_defaults_are_on_demand_customer_managed_and_retained() -> None:
    stack = new_stack()
    table = _table(stack)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::KMS::Key", 1)
    t.has_resource(
        "AWS::KMS::Key",
        {"DeletionPolicy": "Retain", "Properties": Match.object_like({"EnableKeyRotation": True})},
    )
    assert table.encryption_key is not None
    t.has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "BillingMode": "PAY_PER_REQUEST",
                    "SSESpecification": {
                        "SSEEnabled": True,
                        "SSEType": "KMS",
                        "KMSMasterKeyId": stack.resolve(table.encryption_key.key_arn),
                    },
                    "DeletionProtectionEnabled": True,
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                    "StreamSpecification": Match.absent(),
                }
            ),
        },
    )
    assert table.capacity_plan is None
    assert table.cache is None and table.large_item_bucket is None


def test_removal_policy_and_protection_can_be_relaxed_for_dev() -> None:
    stack = new_stack()
    _table(stack, removal_policy=RemovalPolicy.DESTROY, deletion_protection=False)
    Template.from_stack(stack).has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Delete",
            "Properties": Match.object_like({"DeletionProtectionEnabled": False}),
        },
    )


def test_destroy_turns_deletion_protection_off_and_deletes_the_key() -> None:
    stack = new_stack()
    _table(stack, removal_policy=RemovalPolicy.DESTROY)
    t = Template.from_stack(stack)
    t.has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Delete",
            "Properties": Match.object_like(
                {
                    "DeletionProtectionEnabled": False,
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                }
            ),
        },
    )
    t.has_resource("AWS::KMS::Key", {"DeletionPolicy": "Delete"})


def test_a_retained_table_may_drop_protection_explicitly() -> None:
    stack = new_stack()
    _table(stack, deletion_protection=False, point_in_time_recovery=False)
    Template.from_stack(stack).has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "DeletionProtectionEnabled": False,
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": False},
                }
            ),
        },
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"deletion_protection": True},
            r"deletion_protection True contradicts removal_policy=RemovalPolicy.DESTROY: "
            r"CloudFormation cannot delete a protected table",
        ),
    ],
)
def test_destroy_refuses_what_would_block_the_stacks_deletion(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _table(new_stack(), removal_policy=RemovalPolicy.DESTROY, **kwargs)


@pytest.mark.parametrize(
    ("encryption", "sse"),
    [
        (dynamodb.TableEncryption.DEFAULT, {"SSEEnabled": False}),
        (dynamodb.TableEncryption.AWS_MANAGED, {"SSEEnabled": True}),
    ],
)
def test_an_aws_key_is_an_explicit_choice(
    encryption: dynamodb.TableEncryption, sse: dict[str, Any]
) -> None:
    stack = new_stack()
    table = _table(stack, encryption=encryption)
    assert table.encryption_key is None
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::KMS::Key", 0)
    t.has_resource_properties("AWS::DynamoDB::Table", {"SSESpecification": sse})


def test_the_cache_follows_the_tables_removal_policy() -> None:
    stack = new_stack()
    table = _table(stack, removal_policy=RemovalPolicy.DESTROY, cache=DaxOptions())
    assert table.cache is not None and table.cache.flow_log_group is not None
    Template.from_stack(stack).has_resource(
        "AWS::Logs::LogGroup",
        {"DeletionPolicy": "Delete", "Properties": Match.object_like({"RetentionInDays": 365})},
    )
    kept = _table(new_stack(), cache=DaxOptions(removal_policy=RemovalPolicy.RETAIN))
    assert kept.cache is not None


def test_given_key_makes_the_table_customer_managed() -> None:
    stack = new_stack()
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    table = _table(stack, encryption_key=key)
    assert table.encryption_key is key
    Template.from_stack(stack).has_resource_properties(
        "AWS::DynamoDB::Table",
        {"SSESpecification": Match.object_like({"SSEEnabled": True, "SSEType": "KMS"})},
    )


def test_hot_key_warning() -> None:
    stack = new_stack()
    _table(stack, peak_read_units=20_000, peak_write_units=100, hot_key_share=0.25)
    Annotations.from_stack(stack).has_warning(
        "/Test/Table",
        Match.string_like_regexp(
            r"table: the busiest partition key gets 25.0% .*5,000 RCU > 3,000 RCU"
        ),
    )


def test_gsi_hot_key_warning() -> None:
    stack = new_stack()
    _table(
        stack,
        read_scaling=_scaling(max_capacity=10_000),
        write_scaling=_scaling(),
        global_secondary_indexes={
            "byTenant": GsiOptions(partition_key=_string("tenant"), key_cardinality=2)
        },
    )
    Annotations.from_stack(stack).has_warning(
        "/Test/Table",
        Match.string_like_regexp("index byTenant: the busiest partition key gets 50.0%"),
    )


def test_no_warning_when_keys_spread() -> None:
    stack = new_stack()
    _table(stack, peak_read_units=20_000, peak_write_units=100, key_cardinality=1_000)
    Annotations.from_stack(stack).has_no_warning("/Test/Table", Match.any_value())


def test_on_demand_gsi_has_no_scaling() -> None:
    stack = new_stack()
    _table(stack, global_secondary_indexes={"byX": GsiOptions(partition_key=_string("x"))})
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 0)
    t.resource_count_is("AWS::CloudWatch::Alarm", 3 + 2)


def test_scaling_cooldowns_reach_the_policy() -> None:
    stack = new_stack()
    _table(
        stack,
        read_scaling=_scaling(
            scale_in_cooldown=Duration.minutes(10), target_utilization_percent=50
        ),
        write_scaling=_scaling(),
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "TargetTrackingScalingPolicyConfiguration": Match.object_like(
                {"ScaleInCooldown": 600, "TargetValue": 50}
            )
        },
    )


def test_cache_as_a_table_option_in_a_given_vpc() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    table = _table(stack, cache=DaxOptions(vpc=vpc, replication_factor=3))
    assert table.cache is not None and table.cache.vpc is vpc
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::EC2::VPC", 1)
    t.resource_count_is("AWS::DAX::Cluster", 1)
    t.has_resource_properties("AWS::DAX::Cluster", {"NodeType": "dax.t3.small"})
    group = next(iter(t.find_resources("AWS::DAX::SubnetGroup").values()))
    private = {stack.resolve(s.subnet_id)["Ref"] for s in vpc.private_subnets}
    assert {ref["Ref"] for ref in group["Properties"]["SubnetIds"]} == private


def test_dax_single_node_warning_and_key_grant() -> None:
    stack = new_stack()
    table = _table(stack, encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED)
    cache = DaxCache(stack, "Cache", table=table.table, replication_factor=1)
    Annotations.from_stack(stack).has_warning(
        "/Test/Cache",
        Match.string_like_regexp("replication_factor 1: a DAX cluster of fewer than 3"),
    )
    statements = stack.resolve(cache.role_policy.document.to_json())["Statement"]
    assert statements[1]["Action"] == [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
    ]


def test_dax_grant_access_read_write() -> None:
    stack = new_stack()
    table = _table(stack)
    cache = DaxCache(stack, "Cache", table=table.table)
    role = iam.Role(stack, "Writer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    cache.grant_access(role)
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": Match.string_like_regexp("^Writer")}],
            "PolicyDocument": {
                "Statement": [
                    Match.object_like({"Action": Match.array_with(["dax:GetItem", "dax:PutItem"])})
                ]
            },
        },
    )


def test_time_series_on_demand_week_tables() -> None:
    stack = new_stack()
    series = TimeSeriesTables(
        stack, "Series", table_prefix="events", partition_key=_string("id"), period="week"
    )
    assert series.capacity_plan is None
    variables = Template.from_stack(stack).find_resources("AWS::Lambda::Function")
    env = next(iter(variables.values()))["Properties"]["Environment"]["Variables"]
    assert "HOT_READ" not in env and env["PERIOD"] == "week"
    assert stack.resolve(series.table_arn_pattern)["Fn::Join"][1][-1] == ":table/events-????-W??"


def test_time_series_hot_key_warning() -> None:
    stack = new_stack()
    TimeSeriesTables(
        stack,
        "Series",
        table_prefix="events",
        partition_key=_string("id"),
        hot_read_capacity=100,
        hot_write_capacity=3_000,
        hot_key_share=0.5,
    )
    Annotations.from_stack(stack).has_warning(
        "/Test/Series", Match.string_like_regexp("1,500 WCU > 1,000 WCU")
    )


def test_time_series_tables_use_a_given_key() -> None:
    stack = new_stack()
    key = kms.Key(stack, "TablesKey", enable_key_rotation=True)
    series = TimeSeriesTables(
        stack, "Series", table_prefix="events", partition_key=_string("id"), encryption_key=key
    )
    assert series.encryption_key is key
    reader = iam.Role(stack, "Reader", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    series.grant_read_data(reader)
    t = Template.from_stack(stack)
    key_arn = stack.resolve(key.key_arn)
    t.has_resource_properties(
        "AWS::Lambda::Function",
        {"Environment": {"Variables": Match.object_like({"KMS_KEY_ARN": key_arn})}},
    )
    # the given key, the DLQ's own key and the stack's logs key: no table key is created
    assert sorted(t.find_resources("AWS::KMS::Key")) == sorted(
        [
            stack.get_logical_id(key.node.default_child),  # type: ignore[arg-type]
            stack.get_logical_id(series.dead_letter_key.node.default_child),  # type: ignore[arg-type]
            "ScalablePatternsLogsKey41C2CE8E",
        ]
    )
    t.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": Match.string_like_regexp("^Reader")}],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {"Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": key_arn}
                        )
                    ]
                )
            },
        },
    )


def test_time_series_destroy_deletes_the_tables_with_the_stack() -> None:
    stack = new_stack()
    series = TimeSeriesTables(
        stack,
        "Series",
        table_prefix="events",
        partition_key=_string("id"),
        removal_policy=RemovalPolicy.DESTROY,
    )
    assert series.tables_cleanup is series.deploy_rotation
    t = Template.from_stack(stack)
    function_id = stack.get_logical_id(series.function.node.default_child)  # type: ignore[arg-type]
    cleanup_id = stack.get_logical_id(series.tables_cleanup.node.default_child)  # type: ignore[arg-type]
    t.has_resource(
        "Custom::TimeSeriesTables",
        {
            "DeletionPolicy": "Delete",
            "Properties": {
                "ServiceToken": {"Fn::GetAtt": [function_id, "Arn"]},
                "TablePrefix": "events",
                "Period": "day",
                "Configuration": Match.object_like({"DELETE_TABLES_WITH_STACK": "true"}),
            },
        },
    )
    # the schedule is deleted before the cleanup runs: no table is created after it
    t.has_resource("AWS::Events::Rule", {"DependsOn": [cleanup_id]})
    for resource_type in ("AWS::KMS::Key", "AWS::SQS::Queue", "AWS::Logs::LogGroup"):
        for resource in t.find_resources(resource_type).values():
            assert resource["DeletionPolicy"] == "Delete", resource_type


def test_a_users_grant_on_the_rotation_role_is_not_in_the_rotation_policy() -> None:
    stack = new_stack()
    series = TimeSeriesTables(stack, "Series", table_prefix="events", partition_key=_string("id"))
    series.role.add_to_principal_policy(
        iam.PolicyStatement(actions=["dynamodb:DeleteItem"], resources=["*"])
    )
    policies = Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    default = next(p for k, p in policies.items() if k.startswith("SeriesRotationRoleDefault"))
    assert default["Properties"]["PolicyDocument"]["Statement"] == [
        {"Action": "dynamodb:DeleteItem", "Effect": "Allow", "Resource": "*"}
    ]
    rotation = next(p for k, p in policies.items() if k.startswith("SeriesRotationPolicy"))
    assert "dynamodb:DeleteItem" not in json.dumps(rotation)


def test_unresolved_tokens_are_skipped() -> None:
    stack = new_stack()
    name = cdk.CfnParameter(stack, "TableName").value_as_string
    window = cdk.CfnParameter(stack, "Window").value_as_string
    table = _table(stack, table_name=name)
    DaxCache(stack, "Cache", table=table.table, maintenance_window=window)


def test_a_whole_float_key_cardinality_is_planned() -> None:
    table = _table(new_stack(), peak_read_units=1_000, peak_write_units=0, key_cardinality=4.0)
    assert table.capacity_plan is not None
    assert table.capacity_plan.hot_key_share == pytest.approx(0.25)


# -- metrics ----------------------------------------------------------------------------------


def test_table_metrics_of_the_table_and_its_indexes() -> None:
    stack = new_stack()
    table = _table(
        stack,
        read_scaling=_scaling(),
        write_scaling=_scaling(),
        global_secondary_indexes={"byX": GsiOptions(partition_key=_string("x"))},
    )
    consumed = table.metric("ConsumedReadCapacityUnits", statistic="Sum")
    assert (consumed.namespace, consumed.metric_name, consumed.statistic) == (
        "AWS/DynamoDB",
        "ConsumedReadCapacityUnits",
        "Sum",
    )
    assert set(stack.resolve(consumed.dimensions)) == {"TableName"}
    reads = table.metric_read_throttle_events()
    assert (reads.metric_name, reads.statistic, reads.period.to_minutes()) == (
        "ReadThrottleEvents",
        "Sum",
        5,
    )
    writes = table.metric_write_throttle_events(index_name="byX", period=Duration.minutes(1))
    assert writes.period.to_minutes() == 1
    assert stack.resolve(writes.dimensions)["GlobalSecondaryIndexName"] == "byX"
    utilization = table.metric_write_capacity_utilization(index_name="byX")
    assert isinstance(utilization, cw.MathExpression)
    assert set(utilization.using_metrics) == {"consumed", "provisioned"}
    assert isinstance(table.metric_system_errors(), cw.MathExpression)


def test_dax_metrics_are_cluster_metrics() -> None:
    stack = new_stack()
    table = dynamodb.Table(stack, "Table", partition_key=_string("pk"))
    cache = DaxCache(stack, "Cache", table=table)
    cpu = cache.metric_cpu_utilization()
    assert (cpu.namespace, cpu.metric_name, cpu.statistic) == (
        "AWS/DAX",
        "CPUUtilization",
        "Average",
    )
    assert stack.resolve(cpu.dimensions) == {"ClusterId": stack.resolve(cache.cluster_name)}
    assert cache.metric_error_request_count().statistic == "Sum"
    assert cache.metric_throttled_request_count().metric_name == "ThrottledRequestCount"
    assert cache.metric("ItemCacheMisses", period=Duration.minutes(1)).period.to_minutes() == 1


def test_time_series_metrics_are_the_rotations() -> None:
    stack = new_stack()
    series = TimeSeriesTables(stack, "Series", table_prefix="events", partition_key=_string("id"))
    errors = series.metric_rotation_errors()
    assert (errors.namespace, errors.metric_name, errors.statistic) == (
        "AWS/Lambda",
        "Errors",
        "Sum",
    )
    dlq = series.metric_dead_letter_messages()
    assert (dlq.namespace, dlq.statistic) == ("AWS/SQS", "Maximum")
    assert series.metric("Duration").namespace == "AWS/Lambda"


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"partition_key": "pk"}, "partition_key must be a dynamodb.Attribute, got str"),
        ({"sort_key": _string("x" * 256)}, "sort_key name must be 1-255 characters"),
        (
            {"read_scaling": AutoScalingOptions()},
            "read_scaling needs both read_scaling and write_scaling",
        ),
        (
            {"read_scaling": _scaling(min_capacity=0), "write_scaling": _scaling()},
            "read_scaling.min_capacity must be between 1 and 40,000, got 0",
        ),
        (
            {"read_scaling": _scaling(max_capacity=50_000), "write_scaling": _scaling()},
            "read_scaling.max_capacity must be between 1 and 40,000, got 50,000",
        ),
        (
            {"read_scaling": _scaling(), "write_scaling": _scaling(min_capacity=200)},
            r"write_scaling.max_capacity must be at least min_capacity \(200\), got 100",
        ),
        (
            {"read_scaling": _scaling(target_utilization_percent=95), "write_scaling": _scaling()},
            "read_scaling.target_utilization_percent must be between 20 % and 90 %, got 95 %",
        ),
        (
            {"read_scaling": _scaling(scale_in_cooldown=60), "write_scaling": _scaling()},
            "read_scaling.scale_in_cooldown must be an aws_cdk.Duration, got 60",
        ),
        (
            {
                "read_scaling": _scaling(
                    schedules=(
                        ScheduledCapacity(
                            name="Night", schedule=appscaling.Schedule.rate(Duration.hours(1))
                        ),
                    )
                ),
                "write_scaling": _scaling(),
            },
            r"read_scaling.schedules\['Night'\] must set min_capacity, max_capacity or both",
        ),
        (
            {
                "read_scaling": _scaling(
                    schedules=(
                        ScheduledCapacity(
                            name="A",
                            schedule=appscaling.Schedule.rate(Duration.hours(1)),
                            min_capacity=5,
                        ),
                    )
                    * 2
                ),
                "write_scaling": _scaling(),
            },
            "read_scaling.schedules name 'A' is used twice",
        ),
        (
            {
                "read_scaling": _scaling(
                    schedules=(
                        ScheduledCapacity(
                            name="A",
                            schedule=appscaling.Schedule.rate(Duration.hours(1)),
                            min_capacity=9,
                            max_capacity=3,
                        ),
                    )
                ),
                "write_scaling": _scaling(),
            },
            r"read_scaling.schedules\['A'\].max_capacity must be at least min_capacity \(9\), got 3",
        ),
        (
            {
                "read_scaling": _scaling(
                    schedules=(
                        ScheduledCapacity(
                            name="",
                            schedule=appscaling.Schedule.rate(Duration.hours(1)),
                            min_capacity=5,
                        ),
                    )
                ),
                "write_scaling": _scaling(),
            },
            "read_scaling.schedules need a name",
        ),
        (
            {"read_scaling": "fast", "write_scaling": _scaling()},
            "read_scaling must be an AutoScalingOptions, got str",
        ),
        (
            {"read_scaling": _scaling(), "write_scaling": _scaling(), "max_read_request_units": 10},
            "max_read_request_units applies to on-demand capacity only",
        ),
        (
            {"read_scaling": _scaling(), "write_scaling": _scaling(), "peak_write_units": 10},
            "peak_write_units applies to on-demand capacity only",
        ),
        ({"max_write_request_units": 0}, "max_write_request_units must be at least 1, got 0"),
        ({"expected_size_gb": -1}, "expected_size_gb must be at least 0 GB, got -1 GB"),
        (
            {"peak_read_units": 10, "key_cardinality": 0},
            "key_cardinality must be at least 1, got 0",
        ),
        (
            {"peak_read_units": 10, "hot_key_share": 1.5},
            r"hot_key_share must be between 0 \(exclusive\) and 1, got 1.5",
        ),
        ({"peak_read_units": -5}, "peak_read_units must be at least 0, got -5"),
        (
            {"peak_read_units": 10, "growth_factor": 0.5},
            "growth_factor must be at least 1, got 0.5",
        ),
        (
            {"key_cardinality": 10},
            "key_cardinality needs peak_read_units or peak_write_units with on-demand",
        ),
        ({"hot_key_share": 0.5}, "hot_key_share needs peak_read_units or peak_write_units"),
        (
            {
                "global_secondary_indexes": {
                    f"index{i:02d}": GsiOptions(partition_key=_string("g")) for i in range(21)
                }
            },
            "global_secondary_indexes must be at most 20 indexes, got 21 indexes",
        ),
        (
            {
                "sort_key": _string("sk"),
                "local_secondary_indexes": {
                    f"lsi{i}": LsiOptions(sort_key=_string(f"s{i}")) for i in range(6)
                },
            },
            "local_secondary_indexes must be at most 5 indexes, got 6 indexes",
        ),
        (
            {"local_secondary_indexes": {"bySk": LsiOptions(sort_key=_string("s"))}},
            "local_secondary_indexes need a table sort_key",
        ),
        (
            {
                "sort_key": _string("sk"),
                "global_secondary_indexes": {"same": GsiOptions(partition_key=_string("g"))},
                "local_secondary_indexes": {"same": LsiOptions(sort_key=_string("s"))},
            },
            "local_secondary_indexes name 'same' is also a global secondary index",
        ),
        (
            {"global_secondary_indexes": {"ab": GsiOptions(partition_key=_string("g"))}},
            "global_secondary_indexes name must be 3-255 letters, digits, '_', '-' or '.', got 'ab'",
        ),
        (
            {
                "global_secondary_indexes": {
                    "by-x": GsiOptions(partition_key=_string("g")),
                    "by_x": GsiOptions(partition_key=_string("h")),
                }
            },
            "global_secondary_indexes names 'by-x' and 'by_x' map to the same alarm id ByX",
        ),
        (
            {"global_secondary_indexes": {"byX": "g"}},
            r'global_secondary_indexes\["byX"\] must be a GsiOptions, got str',
        ),
        (
            {"global_secondary_indexes": {"byX": GsiOptions(partition_key="g")}},
            r'global_secondary_indexes\["byX"\].partition_key must be a dynamodb.Attribute',
        ),
        (
            {
                "global_secondary_indexes": {
                    "byX": GsiOptions(
                        partition_key=_string("g"), projection_type=dynamodb.ProjectionType.INCLUDE
                    )
                }
            },
            r'global_secondary_indexes\["byX"\].non_key_attributes must name 1-100 attributes with ProjectionType.INCLUDE, got 0',
        ),
        (
            {
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), non_key_attributes=("a",))
                }
            },
            r'global_secondary_indexes\["byX"\].non_key_attributes apply only with ProjectionType.INCLUDE',
        ),
        (
            {
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), read_scaling=_scaling())
                }
            },
            r'global_secondary_indexes\["byX"\].read_scaling applies to provisioned capacity only',
        ),
        (
            {
                "read_scaling": _scaling(),
                "write_scaling": _scaling(),
                "global_secondary_indexes": {
                    "byX": GsiOptions(
                        partition_key=_string("g"),
                        write_scaling=_scaling(target_utilization_percent=10),
                    )
                },
            },
            r'global_secondary_indexes\["byX"\].write_scaling.target_utilization_percent must be between 20 % and 90 %, got 10 %',
        ),
        (
            {
                "read_scaling": _scaling(),
                "write_scaling": _scaling(),
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), key_cardinality=0)
                },
            },
            r'global_secondary_indexes\["byX"\].key_cardinality must be at least 1, got 0',
        ),
        (
            {
                "read_scaling": _scaling(),
                "write_scaling": _scaling(),
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), hot_key_share=0)
                },
            },
            r'global_secondary_indexes\["byX"\].hot_key_share must be between 0 \(exclusive\) and 1',
        ),
        (
            {"sort_key": _string("sk"), "local_secondary_indexes": {"byY": "y"}},
            r'local_secondary_indexes\["byY"\] must be a LsiOptions, got str',
        ),
        (
            {
                "sort_key": _string("sk"),
                "local_secondary_indexes": {"byY": LsiOptions(sort_key="y")},
            },
            r'local_secondary_indexes\["byY"\].sort_key must be a dynamodb.Attribute',
        ),
        (
            {"table_name": "a b"},
            "table_name must be 3-255 letters, digits, '_', '-' or '.', got 'a b'",
        ),
        (
            {"encryption": dynamodb.TableEncryption.AWS_MANAGED, "encryption_key": "KEY"},
            "encryption_key needs encryption=TableEncryption.CUSTOMER_MANAGED",
        ),
        ({"time_to_live_attribute": ""}, "time_to_live_attribute must be 1-255 characters, got ''"),
        ({"cache": {"node_type": "dax.r5.large"}}, "cache must be a DaxOptions, got dict"),
        (
            {"capacity_alarm_percent": 0},
            "capacity_alarm_percent must be between 1 % and 100 %, got 0 %",
        ),
    ],
)
def test_table_validation(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    if kwargs.get("encryption_key") == "KEY":
        kwargs["encryption_key"] = kms.Key(stack, "Key", enable_key_rotation=True)
    with pytest.raises(PatternValidationError, match=message):
        _table(stack, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"node_type": "cache.r5.large"},
            "node_type must be one of 'dax.t3.small'.*got 'cache.r5.large'",
        ),
        ({"replication_factor": 0}, "replication_factor must be between 1 and 10, got 0"),
        ({"replication_factor": 11}, "replication_factor must be between 1 and 10, got 11"),
        ({"item_ttl": 300}, "item_ttl must be an aws_cdk.Duration, got 300"),
        ({"query_ttl": Duration.millis(1.5)}, "query_ttl must be a whole number of milliseconds"),
        (
            {"maintenance_window": "sunday 5am"},
            "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi",
        ),
        ({"maintenance_window": "sun:25:00-sun:26:00"}, "maintenance_window must be ddd:hh24:mi"),
        (
            {"cluster_name": "1cache"},
            "cluster_name must be 1-20 letters, digits or hyphens, start with a letter",
        ),
        ({"cluster_name": "my--cache"}, "cluster_name must be 1-20"),
        ({"cluster_name": "a" * 21}, "cluster_name must be 1-20"),
        ({"cpu_alarm_percent": 120}, "cpu_alarm_percent must be between 1 % and 100 %, got 120 %"),
        (
            {"vpc_subnets": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)},
            "vpc_subnets needs vpc",
        ),
    ],
)
def test_dax_validation(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    table = dynamodb.Table(stack, "Table", partition_key=_string("pk"))
    with pytest.raises(PatternValidationError, match=message):
        DaxCache(stack, "Cache", table=table, **kwargs)


def test_dax_needs_private_subnets() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC)
        ],
    )
    table = dynamodb.Table(stack, "Table", partition_key=_string("pk"))
    with pytest.raises(PatternValidationError, match="vpc has no private or isolated subnets"):
        DaxCache(stack, "Cache", table=table, vpc=vpc)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"table_prefix": "bad prefix"},
            "table_prefix must be 1-244 letters, digits, '_', '-' or '.', got 'bad prefix'",
        ),
        ({"table_prefix": "x" * 245}, "table_prefix must be 1-244"),
        ({"partition_key": None}, "partition_key must be a dynamodb.Attribute, got NoneType"),
        ({"sort_key": "ts"}, "sort_key must be a dynamodb.Attribute, got str"),
        ({"period": "hour"}, "period must be one of 'day', 'week', 'month', got 'hour'"),
        ({"retention_periods": 0}, "retention_periods must be between 1 and 1,000, got 0"),
        (
            {"hot_read_capacity": 10},
            "hot_read_capacity needs both hot_read_capacity and hot_write_capacity",
        ),
        (
            {"hot_read_capacity": 10, "hot_write_capacity": 0},
            "hot_write_capacity must be between 1 and 40,000, got 0",
        ),
        (
            {"hot_read_capacity": 10, "hot_write_capacity": 10, "cold_read_capacity": 20},
            r"cold_read_capacity must be at most hot_read_capacity \(10\), got 20",
        ),
        ({"cold_write_capacity": 0}, "cold_write_capacity must be between 1 and 40,000, got 0"),
        ({"expected_size_gb": -2}, "expected_size_gb must be at least 0 GB"),
        (
            {"hot_read_capacity": 10, "hot_write_capacity": 10, "key_cardinality": 0},
            "key_cardinality must be at least 1, got 0",
        ),
        (
            {"hot_read_capacity": 10, "hot_write_capacity": 10, "hot_key_share": 2},
            r"hot_key_share must be between 0 \(exclusive\) and 1, got 2",
        ),
        ({"key_cardinality": 5}, "key_cardinality needs hot_read_capacity and hot_write_capacity"),
        ({"time_to_live_attribute": ""}, "time_to_live_attribute must be 1-255 characters"),
    ],
)
def test_time_series_validation(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"table_prefix": "events", "partition_key": _string("id")}
    args.update(kwargs)
    with pytest.raises(PatternValidationError, match=message):
        TimeSeriesTables(new_stack(), "Series", **args)


def test_time_series_prefix_must_not_be_a_token() -> None:
    stack = new_stack()
    prefix = cdk.CfnParameter(stack, "Prefix").value_as_string
    with pytest.raises(PatternValidationError, match="table_prefix must be a plain string"):
        TimeSeriesTables(stack, "Series", table_prefix=prefix, partition_key=_string("id"))


def test_every_table_problem_is_reported_together() -> None:
    with pytest.raises(PatternValidationError) as excinfo:
        _table(
            new_stack(),
            read_scaling=_scaling(min_capacity=0, target_utilization_percent=5),
            write_scaling=_scaling(max_capacity=0),
            table_name="x",
            capacity_alarm_percent=500,
        )
    error = excinfo.value
    assert error.construct_path == "Test/Table"
    # max_capacity 0 is out of range *and* below min_capacity (5): two problems
    assert len(error.problems) == 6, error.problems
    assert "6 invalid prop problems" in str(error)


def test_every_dax_problem_is_reported_together() -> None:
    stack = new_stack()
    table = dynamodb.Table(stack, "Table", partition_key=_string("pk"))
    with pytest.raises(PatternValidationError) as excinfo:
        DaxCache(stack, "Cache", table=table, node_type="x", replication_factor=0, cluster_name="-")
    assert len(excinfo.value.problems) == 3


# -- input audit: wrong types, key schemas and limits that used to reach jsii or deploy -------


def _number(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.NUMBER)


def _nightly(**kwargs: Any) -> ScheduledCapacity:
    kwargs.setdefault("schedule", appscaling.Schedule.cron(hour="22", minute="0"))
    return ScheduledCapacity(name="Nightly", **kwargs)


def _include(attributes: Any) -> GsiOptions:
    return GsiOptions(
        partition_key=_string("g"),
        projection_type=dynamodb.ProjectionType.INCLUDE,
        non_key_attributes=attributes,
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sort_key": _string("pk")}, "sort_key must differ from the partition key"),
        (
            {
                "sort_key": _string("sk"),
                "global_secondary_indexes": {"byX": GsiOptions(partition_key=_number("sk"))},
            },
            r'global_secondary_indexes\["byX"\].partition_key defines attribute \'sk\' as '
            "NUMBER, but sort_key defines it as STRING",
        ),
        (
            {
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), sort_key=_string("g"))
                }
            },
            r'global_secondary_indexes\["byX"\].sort_key must differ from the partition key',
        ),
        (
            {"global_secondary_indexes": {"byX": _include("abc")}},
            r'\["byX"\].non_key_attributes must be a list or tuple of str, got str \'abc\'',
        ),
        (
            {"global_secondary_indexes": {"byX": _include(("",))}},
            r'\["byX"\].non_key_attributes must hold attribute names of 1-255 characters',
        ),
        (
            {
                "global_secondary_indexes": {
                    f"byX{i}": _include(tuple(f"a{j}" for j in range(60))) for i in range(2)
                }
            },
            "non_key_attributes of all secondary indexes must total at most 100.*got 120",
        ),
        (
            {
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), projection_type="ALL")
                }
            },
            r'\["byX"\].projection_type must be a dynamodb.ProjectionType, got str',
        ),
        (
            {
                "read_scaling": _scaling(),
                "write_scaling": _scaling(),
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), hot_key_share="0.5")
                },
            },
            r'\["byX"\].hot_key_share must be between 0 \(exclusive\) and 1, got \'0.5\'',
        ),
        (
            {
                "global_secondary_indexes": {
                    "byX": GsiOptions(partition_key=_string("g"), key_cardinality=5)
                }
            },
            r'\["byX"\].key_cardinality applies to provisioned capacity only',
        ),
        (
            {"peak_read_units": 10, "hot_key_share": True},
            r"hot_key_share must be between 0 \(exclusive\) and 1, got True",
        ),
        ({"time_to_live_attribute": 5}, "time_to_live_attribute must be a string, got int 5"),
        ({"table_name": 5}, "table_name must be a string, got int 5"),
        ({"encryption": "KMS"}, "encryption must be a dynamodb.TableEncryption, got str 'KMS'"),
        ({"encryption_key": "arn:aws:kms:key"}, "encryption_key must be a kms.IKey, got str"),
        ({"stream": "NEW_IMAGE"}, "stream must be a dynamodb.StreamViewType, got str"),
        ({"table_class": "STANDARD"}, "table_class must be a dynamodb.TableClass, got str"),
        ({"point_in_time_recovery": "no"}, "point_in_time_recovery must be True or False"),
        ({"deletion_protection": 0}, "deletion_protection must be True or False, got 0"),
        ({"contributor_insights": "no"}, "contributor_insights must be True or False"),
        ({"large_item_bucket": "no"}, "large_item_bucket must be True or False, got 'no'"),
        ({"removal_policy": "destroy"}, "removal_policy must be a RemovalPolicy"),
        ({"alarm_topic": "arn:aws:sns:topic"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
        (
            {"cache": DaxOptions(removal_policy="destroy")},  # type: ignore[arg-type]
            "cache.removal_policy must be a RemovalPolicy, got str 'destroy'",
        ),
        (
            {"peak_read_units": 10, "key_cardinality": 2.5},
            "key_cardinality must be a whole number, got 2.5",
        ),
        ({"peak_read_units": float("inf")}, "peak_read_units must be a finite number, got inf"),
        ({"peak_write_units": "10"}, "peak_write_units must be a number, got '10'"),
        (
            {"global_secondary_indexes": [GsiOptions(partition_key=_string("g"))]},
            "global_secondary_indexes must be a mapping of index name to options",
        ),
        (
            {
                "read_scaling": _scaling(schedules=_nightly(min_capacity=1)),
                "write_scaling": _scaling(),
            },
            "read_scaling.schedules must be a tuple of ScheduledCapacity, got ScheduledCapacity",
        ),
        (
            {
                "read_scaling": _scaling(
                    schedules=(_nightly(schedule="cron(0 22 * * ? *)", min_capacity=1),)
                ),
                "write_scaling": _scaling(),
            },
            r"read_scaling.schedules\['Nightly'\].schedule must be an appscaling.Schedule",
        ),
        (
            {
                "read_scaling": _scaling(schedules=(_nightly(min_capacity=1, time_zone="UTC"),)),
                "write_scaling": _scaling(),
            },
            r"read_scaling.schedules\['Nightly'\].time_zone must be an aws_cdk.TimeZone",
        ),
        (
            {
                "read_scaling": _scaling(max_capacity=10, schedules=(_nightly(min_capacity=50),)),
                "write_scaling": _scaling(),
            },
            r"schedules\['Nightly'\].min_capacity must be at most the range's max_capacity "
            r"\(10\) when the action keeps it, got 50",
        ),
        (
            {
                "read_scaling": _scaling(scale_in_cooldown=Duration.millis(1500)),
                "write_scaling": _scaling(),
            },
            "read_scaling.scale_in_cooldown must be a whole number of seconds, got 1.5 s",
        ),
        (
            {"read_scaling": _scaling(min_capacity="5"), "write_scaling": _scaling()},
            "read_scaling.min_capacity must be a number, got '5'",
        ),
    ],
)
def test_table_rejects_wrong_types_and_key_schemas(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        _table(new_stack(), **kwargs)


def test_table_reports_cache_problems_with_its_own() -> None:
    with pytest.raises(PatternValidationError) as excinfo:
        _table(new_stack(), table_name="x", cache=DaxOptions(replication_factor=0))
    problems = excinfo.value.problems
    assert any(p.startswith("table_name must be 3-255") for p in problems), problems
    assert "cache.replication_factor must be between 1 and 10, got 0" in problems


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"index_names": "byCustomer"}, "index_names must be a list or tuple of str, got str"),
        ({"index_names": ("a b",)}, "index_names must hold index names .*got 'a b'"),
        (
            {"maintenance_window": "sun:05:00-sun:05:30"},
            "maintenance_window must be at least 60 minutes long .*got 30 minutes",
        ),
        (
            {"maintenance_window": "sat:23:30-sun:00:00"},
            "maintenance_window must be at least 60 minutes long .*got 30 minutes",
        ),
        ({"removal_policy": "destroy"}, "removal_policy must be a RemovalPolicy"),
        ({"vpc_subnets": "private", "vpc": "vpc-1"}, "vpc_subnets must be an ec2.SubnetSelection"),
        ({"vpc_subnets": "private", "vpc": "vpc-1"}, "vpc must be an ec2.IVpc, got str"),
        ({"alarm_topic": "arn:aws:sns:topic"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_dax_rejects_wrong_types_and_short_windows(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    table = dynamodb.Table(stack, "Table", partition_key=_string("pk"))
    with pytest.raises(PatternValidationError, match=message):
        DaxCache(stack, "Cache", table=table, **kwargs)


def test_dax_week_wrapping_window_of_an_hour_is_accepted() -> None:
    stack = new_stack()
    table = dynamodb.Table(stack, "Table", partition_key=_string("pk"))
    cache = DaxCache(stack, "Cache", table=table, maintenance_window="sun:23:30-mon:00:30")
    Template.from_stack(stack).has_resource_properties(
        "AWS::DAX::Cluster", {"PreferredMaintenanceWindow": "sun:23:30-mon:00:30"}
    )
    assert cache.cluster is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sort_key": _string("id")}, "sort_key must differ from the partition key"),
        (
            {"hot_read_capacity": 10, "hot_write_capacity": 10, "cold_read_capacity": "1"},
            "cold_read_capacity must be a number, got '1'",
        ),
        (
            {"hot_read_capacity": 10, "hot_write_capacity": 10, "hot_key_share": "0.5"},
            r"hot_key_share must be between 0 \(exclusive\) and 1, got '0.5'",
        ),
        ({"time_to_live_attribute": 5}, "time_to_live_attribute must be a string, got int 5"),
        ({"rotation_schedule": "rate(1 hour)"}, "rotation_schedule must be an events.Schedule"),
        ({"log_retention": 30}, "log_retention must be a logs.RetentionDays, got int 30"),
        ({"point_in_time_recovery": "no"}, "point_in_time_recovery must be True or False"),
        ({"deletion_protection": "no"}, "deletion_protection must be True or False"),
        ({"removal_policy": "destroy"}, "removal_policy must be a RemovalPolicy"),
        (
            {"cold_read_capacity": 5},
            "cold_read_capacity applies to provisioned tables only .*got 5",
        ),
        ({"expected_size_gb": float("inf")}, "expected_size_gb must be a finite number, got inf"),
        ({"alarm_topic": "arn:aws:sns:topic"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_time_series_rejects_wrong_types_and_key_schemas(
    kwargs: dict[str, Any], message: str
) -> None:
    args: dict[str, Any] = {"table_prefix": "events", "partition_key": _string("id")}
    args.update(kwargs)
    with pytest.raises(PatternValidationError, match=message):
        TimeSeriesTables(new_stack(), "Series", **args)


def test_destroy_empties_the_large_item_bucket_before_deleting_it() -> None:
    stack = new_stack()
    _table(stack, removal_policy=RemovalPolicy.DESTROY, large_item_bucket=True)
    template = Template.from_stack(stack)
    buckets = template.find_resources("AWS::S3::Bucket")
    assert buckets and all(b["DeletionPolicy"] == "Delete" for b in buckets.values())
    assert len(template.find_resources("Custom::S3AutoDeleteObjects")) == len(buckets)
