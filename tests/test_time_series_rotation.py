"""The time-series rotation handler, against an in-memory fake DynamoDB client (no AWS)."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, date, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from patterns.data_tier.time_series import time_series_rotation as rotation
from patterns.data_tier.time_series.time_series_rotation import Config

NOW = datetime(2024, 6, 12, 10, 30, tzinfo=UTC)  # a Wednesday
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"


def _not_found(operation: str) -> ClientError:
    return ClientError(
        {"Error": {"Code": "ResourceNotFoundException", "Message": "not found"}}, operation
    )


class FakeDynamoDB:
    """The DynamoDB calls the rotation makes, over a dict of tables."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, list[dict[str, str]]] = {}
        self.pitr: dict[str, bool] = {}
        self.ttl: dict[str, str] = {}
        self.calls: list[tuple[str, str]] = []
        self.fail_on: set[tuple[str, str]] = set()

    def _call(self, operation: str, name: str) -> None:
        self.calls.append((operation, name))
        if (operation, name) in self.fail_on:
            raise ClientError({"Error": {"Code": "LimitExceededException"}}, operation)

    def _table(self, name: str, operation: str) -> dict[str, Any]:
        if name not in self.tables:
            raise _not_found(operation)
        return self.tables[name]

    def add(
        self,
        name: str,
        *,
        read: int | None = 100,
        write: int | None = 100,
        status: str = "ACTIVE",
        owner: str | None = "metrics",
        protected: bool = True,
    ) -> None:
        arn = f"arn:aws:dynamodb:eu-west-1:123456789012:table/{name}"
        table: dict[str, Any] = {
            "TableName": name,
            "TableArn": arn,
            "TableStatus": status,
            "DeletionProtectionEnabled": protected,
        }
        if read is None:
            table["BillingModeSummary"] = {"BillingMode": "PAY_PER_REQUEST"}
        else:
            table["BillingModeSummary"] = {"BillingMode": "PROVISIONED"}
            table["ProvisionedThroughput"] = {
                "ReadCapacityUnits": read,
                "WriteCapacityUnits": write,
            }
        self.tables[name] = table
        self.tags[arn] = [{"Key": rotation.OWNER_TAG, "Value": owner}] if owner else []

    # -- the client surface -------------------------------------------------------------------
    def describe_table(self, *, TableName: str) -> dict[str, Any]:
        self._call("DescribeTable", TableName)
        return {"Table": dict(self._table(TableName, "DescribeTable"))}

    def create_table(self, **kwargs: Any) -> dict[str, Any]:
        name = kwargs["TableName"]
        self._call("CreateTable", name)
        self.created_args = kwargs
        throughput = kwargs.get("ProvisionedThroughput")
        self.add(
            name,
            read=throughput["ReadCapacityUnits"] if throughput else None,
            write=throughput["WriteCapacityUnits"] if throughput else None,
            status="CREATING",
            owner=None,
            protected=kwargs["DeletionProtectionEnabled"],
        )
        self.tags[self.tables[name]["TableArn"]] = kwargs["Tags"]
        sse = kwargs["SSESpecification"]
        if sse.get("Enabled"):
            self.tables[name]["SSEDescription"] = {
                "Status": "ENABLED",
                "SSEType": "KMS",
                "KMSMasterKeyArn": sse["KMSMasterKeyId"],
            }
        return {}

    def update_table(self, **kwargs: Any) -> dict[str, Any]:
        name = kwargs["TableName"]
        self._call("UpdateTable", name)
        table = self._table(name, "UpdateTable")
        if "ProvisionedThroughput" in kwargs:
            table["ProvisionedThroughput"] = kwargs["ProvisionedThroughput"]
        if "DeletionProtectionEnabled" in kwargs:
            table["DeletionProtectionEnabled"] = kwargs["DeletionProtectionEnabled"]
        if "SSESpecification" in kwargs:
            table["SSEDescription"] = {
                "Status": "UPDATING",
                "SSEType": "KMS",
                "KMSMasterKeyArn": kwargs["SSESpecification"]["KMSMasterKeyId"],
            }
        return {}

    def delete_table(self, *, TableName: str) -> dict[str, Any]:
        self._call("DeleteTable", TableName)
        table = self._table(TableName, "DeleteTable")
        assert not table["DeletionProtectionEnabled"], "deleted a protected table"
        del self.tables[TableName]
        return {}

    def list_tags_of_resource(self, *, ResourceArn: str) -> dict[str, Any]:
        return {"Tags": self.tags.get(ResourceArn, [])}

    def describe_continuous_backups(self, *, TableName: str) -> dict[str, Any]:
        status = "ENABLED" if self.pitr.get(TableName) else "DISABLED"
        return {
            "ContinuousBackupsDescription": {
                "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": status}
            }
        }

    def update_continuous_backups(self, *, TableName: str, **_: Any) -> dict[str, Any]:
        self._call("UpdateContinuousBackups", TableName)
        self.pitr[TableName] = True
        return {}

    def describe_time_to_live(self, *, TableName: str) -> dict[str, Any]:
        status = "ENABLED" if TableName in self.ttl else "DISABLED"
        return {"TimeToLiveDescription": {"TimeToLiveStatus": status}}

    def update_time_to_live(self, *, TableName: str, TimeToLiveSpecification: Any) -> Any:
        self._call("UpdateTimeToLive", TableName)
        self.ttl[TableName] = TimeToLiveSpecification["AttributeName"]
        return {}


def config(**overrides: Any) -> Config:
    values: dict[str, Any] = {
        "table_prefix": "metrics",
        "period": "day",
        "retention_periods": 3,
        "partition_key": ("deviceId", "S"),
        "sort_key": ("timestamp", "N"),
        "hot_read": 500,
        "hot_write": 2_000,
        "cold_read": 10,
        "cold_write": 1,
    }
    values.update(overrides)
    return Config(**values)


# -- period arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "label", "next_start"),
    [
        ("day", date(2024, 6, 12), "2024-06-12", date(2024, 6, 13)),
        ("week", date(2024, 6, 10), "2024-W24", date(2024, 6, 17)),
        ("month", date(2024, 6, 1), "2024-06", date(2024, 7, 1)),
    ],
)
def test_period_start_label_and_next(
    period: str, start: date, label: str, next_start: date
) -> None:
    assert rotation.period_start(NOW, period) == start
    assert rotation.period_label(start, period) == label
    assert rotation.shift(start, period, 1) == next_start


def test_month_shift_crosses_years() -> None:
    assert rotation.shift(date(2024, 11, 1), "month", 3) == date(2025, 2, 1)
    assert rotation.shift(date(2024, 1, 1), "month", -1) == date(2023, 12, 1)


def test_iso_week_label_at_the_year_boundary() -> None:
    # 30 Dec 2024 is a Monday in ISO week 1 of 2025
    start = rotation.period_start(date(2025, 1, 1), "week")
    assert start == date(2024, 12, 30)
    assert rotation.period_label(start, "week") == "2025-W01"


def test_plan_names_hot_cold_and_expired_tables() -> None:
    plan = rotation.plan(config(), NOW)
    assert plan.hot == ("metrics-2024-06-12", "metrics-2024-06-13")
    assert plan.cold == ("metrics-2024-06-11", "metrics-2024-06-10")
    assert plan.expired[0] == "metrics-2024-06-09"
    assert len(plan.expired) == rotation.EXPIRY_LOOKBACK


# -- rotate -----------------------------------------------------------------------------------


def test_first_run_creates_current_and_next_tables() -> None:
    client = FakeDynamoDB()
    result = rotation.rotate(client, config(), NOW)
    assert result["created"] == ["metrics-2024-06-12", "metrics-2024-06-13"]
    args = client.created_args
    assert args["BillingMode"] == "PROVISIONED"
    # the current table is hot; the next one is cold until its lead time (13.5 h away)
    assert client.tables["metrics-2024-06-12"]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 500,
        "WriteCapacityUnits": 2_000,
    }
    assert args["ProvisionedThroughput"] == {"ReadCapacityUnits": 10, "WriteCapacityUnits": 1}
    assert args["KeySchema"] == [
        {"AttributeName": "deviceId", "KeyType": "HASH"},
        {"AttributeName": "timestamp", "KeyType": "RANGE"},
    ]
    assert {"AttributeName": "timestamp", "AttributeType": "N"} in args["AttributeDefinitions"]
    assert args["DeletionProtectionEnabled"] is True
    assert args["Tags"] == [{"Key": rotation.OWNER_TAG, "Value": "metrics"}]
    assert args["SSESpecification"] == {"Enabled": False}  # no key configured: AWS-owned


def test_tables_are_created_with_the_customer_managed_key() -> None:
    client = FakeDynamoDB()
    rotation.rotate(client, config(kms_key_arn=KEY_ARN), NOW)
    assert client.created_args["SSESpecification"] == {
        "Enabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": KEY_ARN,
    }


def test_a_kept_table_without_the_key_is_moved_to_it_once() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-11", read=500, write=2_000)  # created before the key
    cfg = config(kms_key_arn=KEY_ARN)
    result = rotation.rotate(client, cfg, NOW)
    assert result["configured"] == [f"metrics-2024-06-11: encrypted with {KEY_ARN}"]
    # one update at a time: the capacity is lowered once the key is in place
    assert result["lowered"] == []
    client.tables["metrics-2024-06-11"]["SSEDescription"]["Status"] = "ENABLED"
    result = rotation.rotate(client, cfg, NOW)
    assert result["lowered"] == ["metrics-2024-06-11"]
    assert not [c for c in result["configured"] if "encrypted" in c]


def test_on_demand_tables_have_no_throughput() -> None:
    client = FakeDynamoDB()
    rotation.rotate(
        client, config(hot_read=None, hot_write=None, cold_read=None, cold_write=None), NOW
    )
    assert client.created_args["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in client.created_args


def test_second_run_enables_pitr_and_ttl_once_active() -> None:
    client = FakeDynamoDB()
    cfg = config(time_to_live_attribute="expiresAt")
    rotation.rotate(client, cfg, NOW)
    assert client.pitr == {}  # tables are still CREATING
    for table in client.tables.values():
        table["TableStatus"] = "ACTIVE"
    result = rotation.rotate(client, cfg, NOW)
    assert result["created"] == []
    assert client.pitr == {"metrics-2024-06-12": True, "metrics-2024-06-13": True}
    assert client.ttl["metrics-2024-06-12"] == "expiresAt"
    # idempotent: a third run changes nothing
    calls = len(client.calls)
    result = rotation.rotate(client, cfg, NOW)
    assert all(not done for done in result.values())
    assert not [c for c in client.calls[calls:] if c[0] != "DescribeTable"]


def test_older_tables_are_lowered_to_cold_capacity() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-11", read=500, write=2_000)
    client.add("metrics-2024-06-10", read=10, write=1)  # already cold
    result = rotation.rotate(client, config(), NOW)
    assert result["lowered"] == ["metrics-2024-06-11"]
    assert client.tables["metrics-2024-06-11"]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 10,
        "WriteCapacityUnits": 1,
    }


def test_a_cold_current_table_is_raised() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-12", read=10, write=1)
    result = rotation.rotate(client, config(), NOW)
    assert result["raised"] == ["metrics-2024-06-12"]


def test_expired_owned_tables_are_deleted_after_lifting_protection() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-09")
    client.add("metrics-2024-06-01")
    result = rotation.rotate(client, config(), NOW)
    assert result["deleted"] == ["metrics-2024-06-09", "metrics-2024-06-01"]
    assert "metrics-2024-06-09" not in client.tables
    assert ("UpdateTable", "metrics-2024-06-09") in client.calls


def test_tables_without_the_owner_tag_are_never_deleted() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-09", owner=None)
    client.add("metrics-2024-06-08", owner="someone-else")
    result = rotation.rotate(client, config(), NOW)
    assert result["deleted"] == []
    assert len(result["skipped"]) == 2
    assert "metrics-2024-06-09" in client.tables


def test_tables_beyond_the_lookback_are_left_alone() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-01-01")
    rotation.rotate(client, config(), NOW)
    assert "metrics-2024-01-01" in client.tables


def test_a_failed_step_does_not_stop_the_others_and_fails_the_run() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-11", read=500, write=2_000)
    client.add("metrics-2024-06-09")
    client.fail_on.add(("UpdateTable", "metrics-2024-06-11"))
    with pytest.raises(RuntimeError, match=r"1 rotation steps failed: metrics-2024-06-11: "):
        rotation.rotate(client, config(), NOW)
    # the hot tables were still created and the expired one deleted
    assert "metrics-2024-06-13" in client.tables
    assert "metrics-2024-06-09" not in client.tables


def test_config_from_env() -> None:
    cfg = Config.from_env(
        {
            "TABLE_PREFIX": "metrics",
            "PERIOD": "week",
            "RETENTION_PERIODS": "4",
            "PARTITION_KEY": "deviceId:S",
            "SORT_KEY": "timestamp:N",
            "HOT_READ": "5",
            "HOT_WRITE": "6",
            "COLD_READ": "1",
            "COLD_WRITE": "1",
            "DELETION_PROTECTION": "false",
            "KMS_KEY_ARN": KEY_ARN,
        }
    )
    assert cfg.period == "week"
    assert cfg.partition_key == ("deviceId", "S")
    assert cfg.sort_key == ("timestamp", "N")
    assert cfg.provisioned and cfg.hot_write == 6
    assert cfg.point_in_time_recovery is True
    assert cfg.deletion_protection is False
    assert cfg.kms_key_arn == KEY_ARN


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PERIOD": "year"}, "PERIOD must be one of"),
        ({"RETENTION_PERIODS": "0"}, "RETENTION_PERIODS must be >= 1"),
        ({"PARTITION_KEY": ""}, "PARTITION_KEY is not set"),
    ],
)
def test_config_from_env_rejects_bad_values(env: dict[str, str], message: str) -> None:
    base = {"TABLE_PREFIX": "m", "PERIOD": "day", "RETENTION_PERIODS": "3", "PARTITION_KEY": "k:S"}
    with pytest.raises(ValueError, match=message):
        Config.from_env(base | env)


# -- the stack's deletion (removal_policy=DESTROY) --------------------------------------------
EVENT = {
    "RequestType": "Delete",
    "ResponseURL": "https://cloudformation-custom-resource-response.example/put",
    "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/Dev/1",
    "RequestId": "request-1",
    "LogicalResourceId": "SeriesTablesCleanup",
    "PhysicalResourceId": "SeriesTablesCleanup",
}


def test_delete_all_deletes_every_owned_table_and_waits_for_a_new_one() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-12")  # hot, protected
    client.add("metrics-2024-06-13", status="CREATING")
    client.add("metrics-2024-06-10", protected=False)  # kept
    client.add("metrics-2024-06-05")  # expired, not yet rotated away
    client.add("metrics-2024-06-11", owner="someone-else")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        client.tables["metrics-2024-06-13"]["TableStatus"] = "ACTIVE"

    deleted = rotation.delete_all(client, config(), NOW, sleep=sleep)
    assert deleted == [
        "metrics-2024-06-12",
        "metrics-2024-06-13",
        "metrics-2024-06-10",
        "metrics-2024-06-05",
    ]
    assert waits == [rotation.DELETE_POLL_SECONDS]
    assert list(client.tables) == ["metrics-2024-06-11"]


def test_delete_all_gives_up_on_a_table_that_stays_busy() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-12", status="UPDATING")
    client.add("metrics-2024-06-13")
    with pytest.raises(RuntimeError, match=r"1 tables not deleted: metrics-2024-06-12: Timeout"):
        rotation.delete_all(client, config(), NOW, sleep=lambda _: None)
    assert "metrics-2024-06-13" not in client.tables


def test_the_stacks_deletion_deletes_the_tables_and_answers_success() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-12")
    answers: list[tuple[str, str]] = []
    rotation.on_stack_event(
        client,
        config(delete_tables_with_stack=True),
        EVENT,
        NOW,
        answer=lambda e, status, reason: answers.append((status, reason)),
    )
    assert answers == [("SUCCESS", "deleted 1 tables: metrics-2024-06-12")]
    assert client.tables == {}


def test_a_failed_deletion_is_answered_failed_never_left_silent() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-12")
    client.fail_on.add(("DeleteTable", "metrics-2024-06-12"))
    answers: list[tuple[str, str]] = []
    rotation.on_stack_event(
        client,
        config(delete_tables_with_stack=True),
        EVENT,
        NOW,
        answer=lambda e, status, reason: answers.append((status, reason)),
    )
    ((status, reason),) = answers
    assert status == "FAILED" and "metrics-2024-06-12: ClientError" in reason
    assert "metrics-2024-06-12" in client.tables


def test_a_retained_stacks_deletion_leaves_the_tables() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-12")
    answers: list[tuple[str, str]] = []
    rotation.on_stack_event(
        client,
        config(),
        EVENT,
        NOW,
        answer=lambda e, status, reason: answers.append((status, reason)),
    )
    assert answers == [("SUCCESS", "the tables outlive the stack (removal policy RETAIN)")]
    assert list(client.tables) == ["metrics-2024-06-12"] and client.calls == []


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_create_and_update_run_the_rotation_once(request_type: str) -> None:
    client = FakeDynamoDB()
    answers: list[tuple[str, str]] = []
    rotation.on_stack_event(
        client,
        config(),
        EVENT | {"RequestType": request_type},
        NOW,
        answer=lambda e, status, reason: answers.append((status, reason)),
    )
    assert answers == [
        ("SUCCESS", 'rotated: {"created": ["metrics-2024-06-12", "metrics-2024-06-13"]}')
    ]
    assert sorted(client.tables) == ["metrics-2024-06-12", "metrics-2024-06-13"]


def test_a_failed_rotation_at_deploy_is_answered_failed() -> None:
    client = FakeDynamoDB()
    client.fail_on.add(("CreateTable", "metrics-2024-06-13"))
    answers: list[tuple[str, str]] = []
    rotation.on_stack_event(
        client,
        config(),
        EVENT | {"RequestType": "Create"},
        NOW,
        answer=lambda e, status, reason: answers.append((status, reason)),
    )
    ((status, reason),) = answers
    assert status == "FAILED"
    assert reason.startswith("RuntimeError: 1 rotation steps failed: metrics-2024-06-13")


def test_a_failed_scheduled_rotation_raises() -> None:
    client = FakeDynamoDB()
    client.fail_on.add(("CreateTable", "metrics-2024-06-12"))
    with pytest.raises(RuntimeError, match=r"1 rotation steps failed: metrics-2024-06-12: "):
        rotation.rotate(client, config(), NOW)


# -- pre-warming ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "lead_hours", "prewarm"),
    [
        (datetime(2024, 6, 12, 22, 59, 59, tzinfo=UTC), 1, False),
        (datetime(2024, 6, 12, 23, 0, tzinfo=UTC), 1, True),
        (datetime(2024, 6, 12, 20, 0, tzinfo=UTC), 4, True),
        (datetime(2024, 6, 12, 0, 0, tzinfo=UTC), 1, False),
    ],
)
def test_the_next_table_is_due_within_its_lead_time(
    now: datetime, lead_hours: int, prewarm: bool
) -> None:
    assert rotation.plan(config(prewarm_lead_seconds=lead_hours * 3_600), now).prewarm is prewarm


def test_the_next_table_is_raised_to_hot_within_the_lead_time_only() -> None:
    client = FakeDynamoDB()
    rotation.rotate(client, config(), NOW)  # 10:30: created cold
    assert client.tables["metrics-2024-06-13"]["ProvisionedThroughput"]["WriteCapacityUnits"] == 1
    client.tables["metrics-2024-06-13"]["TableStatus"] = "ACTIVE"
    assert (
        rotation.rotate(client, config(), datetime(2024, 6, 12, 22, 50, tzinfo=UTC))["raised"] == []
    )
    result = rotation.rotate(client, config(), datetime(2024, 6, 12, 23, 10, tzinfo=UTC))
    assert result["raised"] == ["metrics-2024-06-13"]
    assert client.tables["metrics-2024-06-13"]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 500,
        "WriteCapacityUnits": 2_000,
    }


def test_a_next_table_already_hot_is_not_lowered() -> None:
    client = FakeDynamoDB()
    client.add("metrics-2024-06-13", read=500, write=2_000)
    result = rotation.rotate(client, config(), NOW)
    assert result["raised"] == [] and result["lowered"] == []
    assert ("UpdateTable", "metrics-2024-06-13") not in client.calls


def test_month_tables_prewarm_before_the_first_of_the_month() -> None:
    settings = config(period="month", prewarm_lead_seconds=6 * 3_600)
    assert not rotation.plan(settings, datetime(2024, 6, 30, 17, 59, tzinfo=UTC)).prewarm
    assert rotation.plan(settings, datetime(2024, 6, 30, 18, 0, tzinfo=UTC)).prewarm


# -- alarms follow the rotation -----------------------------------------------------------------
class FakeCloudWatch:
    def __init__(self, alarms: list[dict[str, Any]]) -> None:
        self.alarms = {a["AlarmName"]: a for a in alarms}
        self.puts: list[dict[str, Any]] = []

    def describe_alarms(self, *, AlarmNames: list[str]) -> dict[str, Any]:
        return {
            "MetricAlarms": [
                json.loads(json.dumps(self.alarms[n])) for n in AlarmNames if n in self.alarms
            ]
        }

    def put_metric_alarm(self, **kwargs: Any) -> None:
        self.puts.append(kwargs)
        self.alarms[kwargs["AlarmName"]] = kwargs


def _throttle_alarm(name: str, table: str) -> dict[str, Any]:
    return {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{name}",
        "AlarmActions": ["arn:aws:sns:eu-west-1:123456789012:alarms"],
        "OKActions": ["arn:aws:sns:eu-west-1:123456789012:alarms"],
        "InsufficientDataActions": [],
        "StateValue": "OK",
        "Threshold": 0.0,
        "EvaluationPeriods": 1,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
        "Metrics": [
            {
                "Id": "m",
                "ReturnData": True,
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/DynamoDB",
                        "MetricName": "WriteThrottleEvents",
                        "Dimensions": [{"Name": "TableName", "Value": table}],
                    },
                    "Period": 300,
                    "Stat": "Sum",
                },
            }
        ],
    }


def test_the_alarms_of_each_slot_are_pointed_at_its_table() -> None:
    cloudwatch = FakeCloudWatch(
        [
            _throttle_alarm("current-throttles", "metrics-current"),
            _throttle_alarm("next-throttles", "metrics-2024-06-13"),
        ]
    )
    settings = config(alarms=(("current", ("current-throttles",)), ("next", ("next-throttles",))))
    result = rotation.rotate(FakeDynamoDB(), settings, NOW, cloudwatch)
    assert result["alarms"] == ["current-throttles: metrics-2024-06-12"]
    (put,) = cloudwatch.puts
    dims = put["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"]
    assert dims == [{"Name": "TableName", "Value": "metrics-2024-06-12"}]
    # everything else is put back as it was (actions, threshold), nothing read-only
    assert put["AlarmActions"] == ["arn:aws:sns:eu-west-1:123456789012:alarms"]
    assert put["Threshold"] == 0.0 and "StateValue" not in put and "AlarmArn" not in put
    again = rotation.rotate(FakeDynamoDB(), settings, NOW, cloudwatch)
    assert again["alarms"] == [] and len(cloudwatch.puts) == 1


def test_a_missing_alarm_fails_the_rotation() -> None:
    settings = config(alarms=(("current", ("gone",)),))
    with pytest.raises(RuntimeError, match=r"alarms: LookupError: alarms not found: gone"):
        rotation.rotate(FakeDynamoDB(), settings, NOW, FakeCloudWatch([]))


def test_the_answer_is_put_to_the_response_url(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[Any] = []

    class Response:
        def __enter__(self) -> Response:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def urlopen(request: Any, timeout: float) -> Response:
        sent.append(request)
        return Response()

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    rotation.respond(EVENT, "SUCCESS", "deleted 0 tables: ")
    (request,) = sent
    assert (request.full_url, request.get_method()) == (EVENT["ResponseURL"], "PUT")
    assert json.loads(request.data) == {
        "Status": "SUCCESS",
        "Reason": "deleted 0 tables: ",
        "PhysicalResourceId": "SeriesTablesCleanup",
        "StackId": EVENT["StackId"],
        "RequestId": "request-1",
        "LogicalResourceId": "SeriesTablesCleanup",
    }
