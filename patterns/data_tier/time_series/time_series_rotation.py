"""Rotation of per-period DynamoDB time-series tables (the handler of ``TimeSeriesTables``).

Runs on a schedule (hourly by default) and is idempotent. For a table prefix and a period
(day, ISO week or month) it

1. creates the tables of the current and the next period (``<prefix>-2024-06-03``,
   ``<prefix>-2024-W23``, ``<prefix>-2024-06``) with the hot capacity, point-in-time recovery,
   deletion protection, encryption with the customer-managed key ``KMS_KEY_ARN`` and a tag
   naming the prefix, and raises a hot table that is below it;
2. lowers the capacity of the kept older tables (``RETENTION_PERIODS - 1`` before the current
   one) to the cold capacity (and moves a kept table created before the key was configured
   to the key);
3. deletes expired tables - only tables that carry this rotation's tag - looking back
   ``EXPIRY_LOOKBACK`` periods beyond the retention.

Every step is attempted; failures are collected and raised together at the end, so the
invocation fails (and alarms) while the other tables are still rotated.

The same function serves the ``Custom::TimeSeriesTables`` resource of a stack with
``removal_policy=DESTROY``: on the stack's deletion it deletes every table of the prefix
(tagged by this rotation) and answers CloudFormation, so a dev stack leaves no table behind.

Plain Python and boto3 only. Configuration comes from environment variables (see
:func:`Config.from_env`).
"""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

PERIODS = ("day", "week", "month")
#: Tag that marks a table as created (and so deletable) by the rotation of a prefix.
OWNER_TAG = "scalable-patterns:time-series"
#: Periods beyond the retention checked for expired tables on each run.
EXPIRY_LOOKBACK = 12
#: How long the stack's deletion waits for a table that is still CREATING or UPDATING.
DELETE_WAIT_SECONDS = 240
DELETE_POLL_SECONDS = 5

logger = logging.getLogger()
logger.setLevel(logging.INFO)


@dataclass(frozen=True)
class Config:
    """What to rotate. ``hot_*``/``cold_*`` capacities are None for on-demand tables."""

    table_prefix: str
    period: str
    retention_periods: int
    partition_key: tuple[str, str]
    sort_key: tuple[str, str] | None = None
    hot_read: int | None = None
    hot_write: int | None = None
    cold_read: int | None = None
    cold_write: int | None = None
    point_in_time_recovery: bool = True
    deletion_protection: bool = True
    time_to_live_attribute: str | None = None
    #: The customer-managed key of the tables; None: the AWS-owned key.
    kms_key_arn: str | None = None

    @property
    def provisioned(self) -> bool:
        return self.hot_read is not None and self.hot_write is not None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        """Read ``TABLE_PREFIX``, ``PERIOD``, ``RETENTION_PERIODS``, ``PARTITION_KEY``
        (``name:S``), ``SORT_KEY``, ``HOT_READ``, ``HOT_WRITE``, ``COLD_READ``,
        ``COLD_WRITE``, ``POINT_IN_TIME_RECOVERY``, ``DELETION_PROTECTION``, ``TTL_ATTRIBUTE``,
        ``KMS_KEY_ARN``."""
        env = dict(os.environ if env is None else env)

        def key(name: str) -> tuple[str, str] | None:
            value = env.get(name)
            if not value:
                return None
            attr, _, kind = value.rpartition(":")
            return attr, kind

        def number(name: str) -> int | None:
            value = env.get(name)
            return int(value) if value else None

        partition_key = key("PARTITION_KEY")
        if partition_key is None:
            raise ValueError("PARTITION_KEY is not set")
        config = cls(
            table_prefix=env["TABLE_PREFIX"],
            period=env["PERIOD"],
            retention_periods=int(env["RETENTION_PERIODS"]),
            partition_key=partition_key,
            sort_key=key("SORT_KEY"),
            hot_read=number("HOT_READ"),
            hot_write=number("HOT_WRITE"),
            cold_read=number("COLD_READ"),
            cold_write=number("COLD_WRITE"),
            point_in_time_recovery=env.get("POINT_IN_TIME_RECOVERY", "true") == "true",
            deletion_protection=env.get("DELETION_PROTECTION", "true") == "true",
            time_to_live_attribute=env.get("TTL_ATTRIBUTE") or None,
            kms_key_arn=env.get("KMS_KEY_ARN") or None,
        )
        if config.period not in PERIODS:
            raise ValueError(f"PERIOD must be one of {PERIODS}, got {config.period!r}")
        if config.retention_periods < 1:
            raise ValueError(f"RETENTION_PERIODS must be >= 1, got {config.retention_periods}")
        return config


# -- period arithmetic --------------------------------------------------------------------------
def period_start(moment: datetime | date, period: str) -> date:
    """The first day of the period containing ``moment`` (weeks start on Monday, ISO 8601)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(f"period must be one of {PERIODS}, got {period!r}")


def shift(start: date, period: str, count: int) -> date:
    """The start of the period ``count`` periods after (negative: before) ``start``."""
    if period == "day":
        return start + timedelta(days=count)
    if period == "week":
        return start + timedelta(weeks=count)
    if period == "month":
        months = start.year * 12 + (start.month - 1) + count
        return date(months // 12, months % 12 + 1, 1)
    raise ValueError(f"period must be one of {PERIODS}, got {period!r}")


def period_label(start: date, period: str) -> str:
    """``2024-06-03`` (day), ``2024-W23`` (ISO week), ``2024-06`` (month)."""
    if period == "day":
        return start.isoformat()
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    raise ValueError(f"period must be one of {PERIODS}, got {period!r}")


def table_name(prefix: str, start: date, period: str) -> str:
    return f"{prefix}-{period_label(start, period)}"


@dataclass(frozen=True)
class Plan:
    """Table names by role for one moment."""

    hot: tuple[str, ...]
    cold: tuple[str, ...]
    expired: tuple[str, ...]


def plan(config: Config, now: datetime) -> Plan:
    """Which tables are hot (current, next), cold (kept) and expired at ``now``."""
    current = period_start(now, config.period)

    def names(offsets: range) -> tuple[str, ...]:
        return tuple(
            table_name(config.table_prefix, shift(current, config.period, k), config.period)
            for k in offsets
        )

    keep = config.retention_periods
    return Plan(
        hot=names(range(0, 2)),
        cold=names(range(-1, -keep, -1)),
        expired=names(range(-keep, -keep - EXPIRY_LOOKBACK, -1)),
    )


# -- DynamoDB calls -----------------------------------------------------------------------------
def _error_code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code is not None else None
    return None


def _describe(client: Any, name: str) -> dict[str, Any] | None:
    try:
        table: dict[str, Any] = client.describe_table(TableName=name)["Table"]
        return table
    except Exception as exc:
        if _error_code(exc) == "ResourceNotFoundException":
            return None
        raise


def _create(client: Any, config: Config, name: str) -> None:
    keys = [config.partition_key] + ([config.sort_key] if config.sort_key else [])
    args: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": attr, "AttributeType": kind} for attr, kind in keys
        ],
        "KeySchema": [
            {"AttributeName": attr, "KeyType": role}
            for (attr, _), role in zip(keys, ("HASH", "RANGE"), strict=False)
        ],
        "Tags": [{"Key": OWNER_TAG, "Value": config.table_prefix}],
        "DeletionProtectionEnabled": config.deletion_protection,
        "SSESpecification": _encryption(config),
    }
    if config.provisioned:
        args["BillingMode"] = "PROVISIONED"
        args["ProvisionedThroughput"] = {
            "ReadCapacityUnits": config.hot_read,
            "WriteCapacityUnits": config.hot_write,
        }
    else:
        args["BillingMode"] = "PAY_PER_REQUEST"
    client.create_table(**args)


def _encryption(config: Config) -> dict[str, Any]:
    """The ``SSESpecification`` of the tables: the customer-managed key, if configured."""
    if config.kms_key_arn is None:
        return {"Enabled": False}  # AWS-owned key
    return {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": config.kms_key_arn}


def _finish_setup(client: Any, config: Config, name: str) -> list[str]:
    """Point-in-time recovery, TTL and a switch to the configured key need an ACTIVE table:
    done on a later run if not yet."""
    done: list[str] = []
    table = _describe(client, name)
    if table is None or table.get("TableStatus") != "ACTIVE":
        return done
    sse = table.get("SSEDescription", {})
    if (
        config.kms_key_arn is not None
        and sse.get("KMSMasterKeyArn") != config.kms_key_arn
        and sse.get("Status") != "UPDATING"
    ):
        client.update_table(TableName=name, SSESpecification=_encryption(config))
        done.append(f"{name}: encrypted with {config.kms_key_arn}")
        return done  # the table is UPDATING now; the rest on the next run
    if config.point_in_time_recovery:
        backups = client.describe_continuous_backups(TableName=name)
        pitr = backups["ContinuousBackupsDescription"].get("PointInTimeRecoveryDescription", {})
        if pitr.get("PointInTimeRecoveryStatus") != "ENABLED":
            client.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
            done.append(f"{name}: point-in-time recovery on")
    if config.time_to_live_attribute:
        ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={
                    "Enabled": True,
                    "AttributeName": config.time_to_live_attribute,
                },
            )
            done.append(f"{name}: TTL on {config.time_to_live_attribute}")
    return done


def _set_capacity(client: Any, table: dict[str, Any], read: int, write: int) -> bool:
    """Set provisioned capacity; False when it is already so or the table is not ACTIVE."""
    if table.get("TableStatus") != "ACTIVE":
        return False
    if table.get("SSEDescription", {}).get("Status") == "UPDATING":
        return False  # one update at a time: the next run
    if table.get("BillingModeSummary", {}).get("BillingMode") == "PAY_PER_REQUEST":
        return False
    current = table.get("ProvisionedThroughput", {})
    if current.get("ReadCapacityUnits") == read and current.get("WriteCapacityUnits") == write:
        return False
    client.update_table(
        TableName=table["TableName"],
        ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": write},
    )
    return True


def _owned(client: Any, config: Config, table: dict[str, Any]) -> bool:
    tags = client.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
    return any(t["Key"] == OWNER_TAG and t["Value"] == config.table_prefix for t in tags)


def rotate(client: Any, config: Config, now: datetime) -> dict[str, list[str]]:
    """Bring the tables to the state of ``now``; return what was done, by action.

    Raises:
        RuntimeError: after trying every step, if any failed (the message lists them).
    """
    tables = plan(config, now)
    result: dict[str, list[str]] = {
        "created": [],
        "raised": [],
        "lowered": [],
        "deleted": [],
        "configured": [],
        "skipped": [],
    }
    failures: list[str] = []

    def attempt(name: str, step: Any) -> None:
        try:
            step()
        except Exception as exc:  # collect, keep rotating the other tables
            logger.exception("rotation step failed for %s", name)
            failures.append(f"{name}: {type(exc).__name__}: {exc}")

    for name in tables.hot:

        def hot(name: str = name) -> None:
            table = _describe(client, name)
            if table is None:
                _create(client, config, name)
                result["created"].append(name)
                return
            if config.provisioned:
                assert config.hot_read is not None and config.hot_write is not None
                if _set_capacity(client, table, config.hot_read, config.hot_write):
                    result["raised"].append(name)
            result["configured"].extend(_finish_setup(client, config, name))

        attempt(name, hot)

    for name in tables.cold:

        def cold(name: str = name) -> None:
            table = _describe(client, name)
            if table is None:
                return
            result["configured"].extend(_finish_setup(client, config, name))
            if config.provisioned and config.cold_read is not None:
                assert config.cold_write is not None
                table = _describe(client, name) or table
                if _set_capacity(client, table, config.cold_read, config.cold_write):
                    result["lowered"].append(name)

        attempt(name, cold)

    for name in tables.expired:

        def expire(name: str = name) -> None:
            table = _describe(client, name)
            if table is None:
                return
            if not _owned(client, config, table):
                result["skipped"].append(f"{name}: not tagged {OWNER_TAG}={config.table_prefix}")
                return
            if table.get("TableStatus") != "ACTIVE":
                result["skipped"].append(f"{name}: {table.get('TableStatus')}")
                return
            if table.get("DeletionProtectionEnabled"):
                client.update_table(TableName=name, DeletionProtectionEnabled=False)
            client.delete_table(TableName=name)
            result["deleted"].append(name)

        attempt(name, expire)

    logger.info(json.dumps({"rotation": result, "failures": failures}))
    if failures:
        raise RuntimeError(f"{len(failures)} rotation steps failed: " + "; ".join(failures))
    return result


# -- the stack's deletion (removal_policy=DESTROY) ----------------------------------------------
def delete_all(
    client: Any,
    config: Config,
    now: datetime,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Delete every table of the prefix that this rotation owns (tagged): the hot, kept and
    expired tables of ``now``; a table still CREATING or UPDATING is waited for. Returns the
    deleted names.

    Raises:
        RuntimeError: after trying every table, if any could not be deleted.
    """
    tables = plan(config, now)
    deleted: list[str] = []
    failures: list[str] = []
    for name in (*tables.hot, *tables.cold, *tables.expired):
        try:
            if _delete_owned(client, config, name, sleep):
                deleted.append(name)
        except Exception as exc:  # keep deleting the others
            logger.exception("deleting %s failed", name)
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    logger.info(json.dumps({"deleted": deleted, "failures": failures}))
    if failures:
        raise RuntimeError(f"{len(failures)} tables not deleted: " + "; ".join(failures))
    return deleted


def _delete_owned(client: Any, config: Config, name: str, sleep: Callable[[float], None]) -> bool:
    table = _describe(client, name)
    waited = 0.0
    while table is not None and table.get("TableStatus") in ("CREATING", "UPDATING"):
        if waited >= DELETE_WAIT_SECONDS:
            raise TimeoutError(f"still {table.get('TableStatus')} after {waited:.0f} s")
        sleep(DELETE_POLL_SECONDS)
        waited += DELETE_POLL_SECONDS
        table = _describe(client, name)
    if table is None or table.get("TableStatus") == "DELETING" or not _owned(client, config, table):
        return False
    if table.get("DeletionProtectionEnabled"):
        client.update_table(TableName=name, DeletionProtectionEnabled=False)
    client.delete_table(TableName=name)
    return True


def respond(event: dict[str, Any], status: str, reason: str) -> None:
    """Answer CloudFormation on the custom resource's pre-signed ``ResponseURL``."""
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason[:1_000],
            "PhysicalResourceId": event.get("PhysicalResourceId") or event["LogicalResourceId"],
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
        }
    ).encode()
    # ResponseURL: CloudFormation's pre-signed https URL (S3); an empty Content-Type, as its
    # signature expects.
    request = urllib.request.Request(
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": ""}
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


def on_stack_event(
    client: Any,
    config: Config,
    event: dict[str, Any],
    now: datetime,
    *,
    answer: Callable[[dict[str, Any], str, str], None] = respond,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """The ``Custom::TimeSeriesTables`` resource: on Delete every owned table goes; Create and
    Update change nothing (the schedule creates the tables). CloudFormation is always
    answered - a failure as FAILED with the tables left, never by silence."""
    try:
        if event["RequestType"] == "Delete":
            deleted = delete_all(client, config, now, sleep=sleep)
            answer(event, "SUCCESS", f"deleted {len(deleted)} tables: {', '.join(deleted)}")
        else:
            answer(event, "SUCCESS", "the rotation schedule creates the tables")
    except Exception as exc:
        logger.exception("custom resource %s failed", event.get("RequestType"))
        answer(event, "FAILED", f"{type(exc).__name__}: {exc}")


def handler(event: dict[str, Any], context: Any) -> dict[str, list[str]] | None:
    """Lambda entry point: the EventBridge schedule (its event is not used) or, with DESTROY,
    CloudFormation's custom resource events (``RequestType``)."""
    import boto3  # type: ignore[import-untyped]  # here: the logic is testable without boto3

    client, config, now = boto3.client("dynamodb"), Config.from_env(), datetime.now(UTC)
    if "RequestType" in event:
        on_stack_event(client, config, event, now)
        return None
    return rotate(client, config, now)
