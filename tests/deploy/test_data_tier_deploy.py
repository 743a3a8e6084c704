"""Data tier deployed: the tables take reads, writes and index queries (the provisioned one as
the example's order service role); their scaling targets,
target-tracking policies and scheduled actions are registered with Application Auto Scaling
as configured; the time-series tables of the current and the next period exist when the
deployment finishes (the deployment runs the rotation once, and fails when it fails), their
alarms point at them, and the rotation function, run by the emulator, lowers an old table and
deletes an expired one it owns.

The emulator does not scale anything (no CloudWatch metrics drive the policies), and moto's
DynamoDB does not throttle: what holds here is the control plane and the data path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from emulator.server import Assembly, DeployedStack, DeployFailed, Emulator
from patterns.data_tier.time_series.time_series_rotation import OWNER_TAG, Config, plan
from tests.deploy import mutations
from tests.deploy.conftest import Deployments
from tests.deploy.test_template_mutations_deploy import _assembly_with

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def provisioned(deployed: Deployments) -> DeployedStack:
    return deployed("ProvisionedTableExample")


@pytest.fixture(scope="module")
def on_demand(deployed: Deployments) -> DeployedStack:
    return deployed("OnDemandTableExample")


# -- reads, writes, queries ------------------------------------------------------------------
def check_the_order_service_writes_reads_and_queries(
    emulator: Emulator, stack: DeployedStack
) -> None:
    """As the example's order service role (the table's read/write grant, its key): writes,
    a consistent read and a GSI query of the KMS-encrypted table."""
    role = stack.role_arn("OrderServiceRole")
    ddb = emulator.client_as(role, "dynamodb", principal="lambda.amazonaws.com")
    table = stack.outputs["TableName"]
    orders = [
        {
            "pk": f"order#{n}",
            "sk": "v1",
            "customerId": "c-1" if n < 3 else "c-2",
            "createdAt": f"2024-06-0{n + 1}",
            "status": "NEW",
            "total": n * 10,
        }
        for n in range(5)
    ]
    for order in orders:
        ddb.put_item(TableName=table, Item=_item(order))

    got = ddb.get_item(
        TableName=table, Key=_item({"pk": "order#1", "sk": "v1"}), ConsistentRead=True
    )
    assert _plain(got["Item"]) == orders[1]
    by_customer = ddb.query(
        TableName=table,
        IndexName="byCustomer",
        KeyConditionExpression="customerId = :c AND createdAt >= :since",
        ExpressionAttributeValues=_item({":c": "c-1", ":since": "2024-06-02"}),
    )["Items"]
    assert [_plain(i)["pk"] for i in by_customer] == ["order#1", "order#2"]  # sorted by createdAt


def test_the_provisioned_table_takes_writes_reads_and_a_gsi_query(
    provisioned: DeployedStack, emulator: Emulator
) -> None:
    check_the_order_service_writes_reads_and_queries(emulator, provisioned)


def test_the_on_demand_table_takes_writes_and_reads(
    on_demand: DeployedStack, emulator: Emulator
) -> None:
    ddb = emulator.client("dynamodb")
    table = on_demand.outputs["TableName"]
    description = ddb.describe_table(TableName=table)["Table"]
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    ddb.put_item(TableName=table, Item=_item({"sessionId": "s-1", "user": "u-1", "expiresAt": 1}))

    got = ddb.get_item(TableName=table, Key=_item({"sessionId": "s-1"}), ConsistentRead=True)
    assert _plain(got["Item"]) == {"sessionId": "s-1", "user": "u-1", "expiresAt": 1}
    ttl = ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"}
    backups = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert description["DeletionProtectionEnabled"] is True


# -- auto scaling ----------------------------------------------------------------------------
#: As configured in stacks/data_tier.py: (min, max) per dimension; byStatus overrides reads.
EXPECTED_TARGETS = {
    ("", "dynamodb:table:ReadCapacityUnits"): (50, 4_000),
    ("", "dynamodb:table:WriteCapacityUnits"): (20, 1_000),
    ("/index/byCustomer", "dynamodb:index:ReadCapacityUnits"): (50, 4_000),
    ("/index/byCustomer", "dynamodb:index:WriteCapacityUnits"): (20, 1_000),
    ("/index/byStatus", "dynamodb:index:ReadCapacityUnits"): (5, 200),
    ("/index/byStatus", "dynamodb:index:WriteCapacityUnits"): (20, 1_000),
}


def _scaling(emulator: Emulator, stack: DeployedStack, what: str) -> list[dict[str, Any]]:
    """Application Auto Scaling's ``describe_<what>`` for the stack's table and its indexes."""
    prefix = f"table/{stack.outputs['TableName']}"
    response = getattr(emulator.client("application-autoscaling"), f"describe_{what}")(
        ServiceNamespace="dynamodb"
    )
    key = {
        "scalable_targets": "ScalableTargets",
        "scaling_policies": "ScalingPolicies",
        "scheduled_actions": "ScheduledActions",
    }[what]
    return [
        x
        for x in response[key]
        if x["ResourceId"] == prefix or x["ResourceId"].startswith(prefix + "/")
    ]


def test_table_and_gsi_capacity_are_scalable_targets_with_their_limits(
    provisioned: DeployedStack, emulator: Emulator
) -> None:
    prefix = f"table/{provisioned.outputs['TableName']}"

    targets = _scaling(emulator, provisioned, "scalable_targets")

    assert {
        (t["ResourceId"].removeprefix(prefix), t["ScalableDimension"]): (
            t["MinCapacity"],
            t["MaxCapacity"],
        )
        for t in targets
    } == EXPECTED_TARGETS
    # the table starts at its minimum: the provisioned capacity is the scaling floor
    throughput = emulator.client("dynamodb").describe_table(
        TableName=provisioned.outputs["TableName"]
    )["Table"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (50, 20)


def test_every_target_tracks_70_percent_utilization(
    provisioned: DeployedStack, emulator: Emulator
) -> None:
    policies = _scaling(emulator, provisioned, "scaling_policies")

    assert len(policies) == len(EXPECTED_TARGETS)
    for policy in policies:
        assert policy["PolicyType"] == "TargetTrackingScaling"
        config = policy["TargetTrackingScalingPolicyConfiguration"]
        assert config["TargetValue"] == 70
        kind = "Read" if "Read" in policy["ScalableDimension"] else "Write"
        metric = config["PredefinedMetricSpecification"]["PredefinedMetricType"]
        assert metric == f"DynamoDB{kind}CapacityUtilization"


def test_scheduled_actions_lower_the_minimum_at_night_and_restore_it(
    provisioned: DeployedStack, emulator: Emulator
) -> None:
    prefix = f"table/{provisioned.outputs['TableName']}"

    actions = _scaling(emulator, provisioned, "scheduled_actions")

    by_target = {
        (a["ResourceId"].removeprefix(prefix), a["ScalableDimension"], a["ScheduledActionName"]): (
            a["Schedule"],
            a["ScalableTargetAction"],
        )
        for a in actions
    }
    night, morning = "cron(0 22 * * ? *)", "cron(30 6 * * ? *)"
    assert by_target[("", "dynamodb:table:ReadCapacityUnits", "NightlyScaleIn")] == (
        night,
        {"MinCapacity": 5},
    )
    assert by_target[("", "dynamodb:table:ReadCapacityUnits", "MorningScaleOut")] == (
        morning,
        {"MinCapacity": 50},
    )
    assert by_target[("", "dynamodb:table:WriteCapacityUnits", "NightlyScaleIn")] == (
        night,
        {"MinCapacity": 2},
    )
    # GSIs inherit the table's schedules, unless they override the scaling (byStatus reads)
    assert by_target[
        ("/index/byCustomer", "dynamodb:index:ReadCapacityUnits", "NightlyScaleIn")
    ] == (night, {"MinCapacity": 5})
    assert not [
        k for k in by_target if k[:2] == ("/index/byStatus", "dynamodb:index:ReadCapacityUnits")
    ]
    assert len(actions) == 10


# -- time-series rotation ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def time_series(deployed: Deployments) -> DeployedStack:
    return deployed("TimeSeriesTablesExample")


def _deployed_config(emulator: Emulator, stack: DeployedStack) -> Config:
    environment = emulator.client("lambda").get_function_configuration(
        FunctionName=stack.outputs["RotationFunctionName"]
    )["Environment"]
    return Config.from_env(environment["Variables"])  # as deployed


def _throughput(ddb: Any, name: str) -> tuple[int, int]:
    throughput = ddb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    return throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]


def test_the_current_and_next_tables_exist_when_the_deployment_finishes(
    time_series: DeployedStack, emulator: Emulator
) -> None:
    ddb = emulator.client("dynamodb")
    config = _deployed_config(emulator, time_series)
    tables = plan(config, datetime.now(UTC))

    names = ddb.list_tables()["TableNames"]

    today, tomorrow = tables.hot
    assert today in names and tomorrow in names
    assert _throughput(ddb, today) == (config.hot_read, config.hot_write)
    # tomorrow's table is cold until its lead time before midnight (then hot)
    hot, cold = (config.hot_read, config.hot_write), (config.cold_read, config.cold_write)
    assert _throughput(ddb, tomorrow) == (hot if tables.prewarm else cold)
    table = ddb.describe_table(TableName=today)["Table"]
    assert table["DeletionProtectionEnabled"] is True
    assert table["SSEDescription"]["KMSMasterKeyArn"] == config.kms_key_arn
    tags = ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]
    assert {"Key": OWNER_TAG, "Value": config.table_prefix} in tags


def test_the_live_tables_alarms_point_at_them(
    time_series: DeployedStack, emulator: Emulator
) -> None:
    config = _deployed_config(emulator, time_series)
    tables = dict(zip(("current", "next"), plan(config, datetime.now(UTC)).hot, strict=True))
    cloudwatch = emulator.client("cloudwatch")

    for slot, names in config.alarms:
        alarms = cloudwatch.describe_alarms(AlarmNames=list(names))["MetricAlarms"]
        assert len(alarms) == len(names) == 3  # throttles, read and write utilization
        for alarm in alarms:
            dimensions = [
                d
                for query in alarm["Metrics"]
                if "MetricStat" in query
                for d in query["MetricStat"]["Metric"]["Dimensions"]
            ]
            assert dimensions and {d["Value"] for d in dimensions} == {tables[slot]}, alarm


def test_the_rotation_function_lowers_old_and_deletes_expired_tables(
    time_series: DeployedStack, emulator: Emulator
) -> None:
    ddb = emulator.client("dynamodb")
    lam = emulator.client("lambda")
    function_name = time_series.outputs["RotationFunctionName"]
    config = _deployed_config(emulator, time_series)
    now = datetime.now(UTC)
    tables = plan(config, now)
    yesterday, expired = tables.cold[0], tables.expired[0]
    foreign = tables.expired[1]
    for name, owned in ((yesterday, True), (expired, True), (foreign, False)):
        _create_table(ddb, config, name, owned=owned)

    response = lam.invoke(FunctionName=function_name, Payload=b"{}")

    assert "FunctionError" not in response, response["Payload"].read()
    result = json.loads(response["Payload"].read())
    if plan(config, datetime.now(UTC)) != tables:  # the period turned during the test
        pytest.skip("the rotation ran in the next period")
    assert result["created"] == []  # the deployment created them
    assert result["lowered"] == [yesterday]
    assert _throughput(ddb, yesterday) == (config.cold_read, config.cold_write)
    assert result["deleted"] == [expired]
    names = ddb.list_tables()["TableNames"]
    assert expired not in names
    assert foreign in names  # not tagged as this rotation's: never deleted
    assert result["skipped"] == [f"{foreign}: not tagged {OWNER_TAG}={config.table_prefix}"]

    # idempotent: a second run creates and deletes nothing
    again = json.loads(lam.invoke(FunctionName=function_name, Payload=b"{}")["Payload"].read())
    assert again["created"] == [] and again["deleted"] == [] and again["alarms"] == []


def test_a_failed_rotation_fails_the_deployment(
    emulator: Emulator, assembly: Assembly, tmp_path: Path
) -> None:
    """The rotation role without its grant on the tables: DynamoDB denies it during the
    deployment, the rotation answers FAILED and the stack is not created (moto's
    CloudFormation refuses CreateStack itself; AWS would roll the stack back)."""
    stack = "TimeSeriesTablesExample"
    template = assembly.template(stack)
    mutations._role_without(
        "MetricsRotationRole", mutations._without_sid("RotateOwnTables"), "RotateOwnTables"
    )(template)
    name = f"{stack}Failing"
    failing = _assembly_with(assembly, stack, name, template, tmp_path)

    with (
        emulator.authorizer.expecting() as denied,
        pytest.raises((DeployFailed, ClientError)) as failed,
    ):
        emulator.deploy(failing, name)

    emulator.delete_stack(name, verify=False)
    message = str(failed.value)
    assert "MetricsDeployRotation" in message and "Create FAILED: RuntimeError: " in message
    assert "AccessDenied" in message and "dynamodb:DescribeTable" in message
    assert any("dynamodb:DescribeTable" in d for d in denied)
    assert name not in [
        s["StackName"]
        for s in emulator.client("cloudformation").list_stacks()["StackSummaries"]
        if s["StackStatus"] == "CREATE_COMPLETE"
    ]


def test_the_rotation_runs_on_a_schedule(time_series: DeployedStack, emulator: Emulator) -> None:
    events = emulator.client("events")
    function_arn = emulator.client("lambda").get_function_configuration(
        FunctionName=time_series.outputs["RotationFunctionName"]
    )["FunctionArn"]

    rules = events.list_rule_names_by_target(TargetArn=function_arn)["RuleNames"]

    assert len(rules) == 1
    rule = events.describe_rule(Name=rules[0])
    assert rule["State"] == "ENABLED"
    assert rule["ScheduleExpression"].startswith(("rate(", "cron("))


def _create_table(ddb: Any, config: Config, name: str, *, owned: bool) -> None:
    """A table as an earlier rotation left it (hot capacity; tagged if the rotation owns it)."""
    keys = [config.partition_key] + ([config.sort_key] if config.sort_key else [])
    ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in keys],
        KeySchema=[
            {"AttributeName": a, "KeyType": role}
            for (a, _), role in zip(keys, ("HASH", "RANGE"), strict=False)
        ],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={
            "ReadCapacityUnits": config.hot_read,
            "WriteCapacityUnits": config.hot_write,
        },
        Tags=[{"Key": OWNER_TAG, "Value": config.table_prefix}] if owned else [],
        DeletionProtectionEnabled=True,
    )


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: {"N": str(v)} if isinstance(v, int) else {"S": v} for k, v in values.items()}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: int(v["N"]) if "N" in v else v["S"] for k, v in item.items()}


def _destroy_series_app(outdir: Path) -> Assembly:
    import aws_cdk as cdk
    from aws_cdk import aws_dynamodb as dynamodb

    from patterns import TimeSeriesTables
    from tests.deploy.test_deletion_deploy import app_stack

    app, stack = app_stack(outdir, "SeriesDestroyApp")
    series = TimeSeriesTables(
        stack,
        "Series",
        table_prefix="dev-events",
        partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        period="week",
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    cdk.CfnOutput(stack, "RotationFunctionName", value=series.function.function_name)
    app.synth()
    return Assembly(outdir=outdir, stack_names=["SeriesDestroyApp"])


def test_a_destroy_stack_deletes_the_tables_its_rotation_created(
    emulator: Emulator, tmp_path: Path
) -> None:
    """With DESTROY the tables the rotation made at run time (not CloudFormation's) go with
    the stack: its custom resource deletes them on DeleteStack, protection lifted."""
    assembly = _destroy_series_app(tmp_path / "out")
    stack = emulator.deploy(assembly, "SeriesDestroyApp")
    ddb = emulator.client("dynamodb")
    config = _deployed_config(emulator, stack)
    hot = plan(config, datetime.now(UTC)).hot
    assert set(hot) <= set(ddb.list_tables()["TableNames"])
    assert ddb.describe_table(TableName=hot[0])["Table"]["DeletionProtectionEnabled"] is True

    report = emulator.delete_stack("SeriesDestroyApp")

    assert report.clean, str(report)
    left = [n for n in ddb.list_tables()["TableNames"] if n.startswith("dev-events-")]
    assert left == []
