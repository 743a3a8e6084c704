"""Rotation of per-period DynamoDB time-series tables (the handler of ``TimeSeriesTables``).

Runs on a schedule (hourly by default) and is idempotent. For a table prefix and a period
(day, ISO week or month) it

1. creates the tables of the current and the next period (``<prefix>-2024-06-03``,
   ``<prefix>-2024-W23``, ``<prefix>-2024-06``) with point-in-time recovery, deletion
   protection, encryption with the customer-managed key ``KMS_KEY_ARN`` and a tag naming the
   prefix. The current table runs at the hot capacity; the next one at the cold capacity until
   ``PREWARM_LEAD_SECONDS`` before its period starts, then it is raised to the hot capacity
   (pre-warmed shortly before the switch, not for a whole period);
2. lowers the capacity of the kept older tables (``RETENTION_PERIODS - 1`` before the current
   one) to the cold capacity (and moves a kept table created before the key was configured
   to the key);
3. deletes expired tables - only tables that carry this rotation's tag - looking back
   ``EXPIRY_LOOKBACK`` periods beyond the retention.

4. points the per-table alarms (``ALARMS``: alarm names by slot, ``current`` and ``next``)
   at the tables of their slot: the alarms are the stack's (CloudFormation creates and
   deletes them); the rotation only rewrites their ``TableName`` dimension.

Every step is attempted; failures are collected and raised together at the end, so the
invocation fails (and alarms) while the other tables are still rotated.

The same function serves the stack's ``Custom::TimeSeriesTables`` resource: on Create and
Update it runs the rotation once, so the current and next tables exist when the deployment
finishes, and a failed rotation fails the deployment (answered FAILED). On the stack's
deletion, with ``DELETE_TABLES_WITH_STACK`` (``removal_policy=DESTROY``), it deletes every
table of the prefix (tagged by this rotation), so a dev stack leaves no table behind.

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
#: The live tables whose alarms follow the rotation.
SLOTS = ("current", "next")
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
    #: How long before its period the next table is raised to the hot capacity.
    prewarm_lead_seconds: int = 3_600
    #: Alarm names by slot (``current``, ``next``) whose ``TableName`` follows the rotation.
    alarms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Whether the stack's deletion deletes the tables (``removal_policy=DESTROY``).
    delete_tables_with_stack: bool = False

    @property
    def provisioned(self) -> bool:
        return self.hot_read is not None and self.hot_write is not None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        """Read ``TABLE_PREFIX``, ``PERIOD``, ``RETENTION_PERIODS``, ``PARTITION_KEY``
        (``name:S``), ``SORT_KEY``, ``HOT_READ``, ``HOT_WRITE``, ``COLD_READ``,
        ``COLD_WRITE``, ``POINT_IN_TIME_RECOVERY``, ``DELETION_PROTECTION``, ``TTL_ATTRIBUTE``,
        ``KMS_KEY_ARN``, ``PREWARM_LEAD_SECONDS``, ``ALARMS`` (JSON: slot -> alarm names),
        ``DELETE_TABLES_WITH_STACK``."""
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
            prewarm_lead_seconds=number("PREWARM_LEAD_SECONDS") or 3_600,
            alarms=tuple(
                (slot, tuple(names))
                for slot, names in sorted(json.loads(env.get("ALARMS") or "{}").items())
            ),
            delete_tables_with_stack=env.get("DELETE_TABLES_WITH_STACK") == "true",
        )
        if config.period not in PERIODS:
            raise ValueError(f"PERIOD must be one of {PERIODS}, got {config.period!r}")
        if config.retention_periods < 1:
            raise ValueError(f"RETENTION_PERIODS must be >= 1, got {config.retention_periods}")
        if config.prewarm_lead_seconds < 1:
            raise ValueError(
                f"PREWARM_LEAD_SECONDS must be >= 1, got {config.prewarm_lead_seconds}"
            )
        unknown = sorted({slot for slot, _ in config.alarms} - set(SLOTS))
        if unknown:
            raise ValueError(f"ALARMS slots must be among {SLOTS}, got {unknown}")
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
    #: Whether the next table (``hot[1]``) is inside its pre-warm lead time (hot capacity);
    #: before that it runs at the cold capacity.
    prewarm: bool = False


def plan(config: Config, now: datetime) -> Plan:
    """Which tables are live (current, next), cold (kept) and expired at ``now``, and whether
    the next one is due for its hot capacity (``now`` is within the lead time of its start).
    """
    current = period_start(now, config.period)
    switch = datetime.combine(shift(current, config.period, 1), datetime.min.time(), UTC)
    moment = now if now.tzinfo else now.replace(tzinfo=UTC)

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
        prewarm=switch - moment <= timedelta(seconds=config.prewarm_lead_seconds),
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


def _create(client: Any, config: Config, name: str, capacity: tuple[int, int] | None) -> None:
    """Create the table ``name``: provisioned at ``capacity`` (reads, writes), or on-demand
    (None)."""
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
    if capacity is not None:
        args["BillingMode"] = "PROVISIONED"
        args["ProvisionedThroughput"] = {
            "ReadCapacityUnits": capacity[0],
            "WriteCapacityUnits": capacity[1],
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


def _live_capacity(config: Config, tables: Plan, position: int) -> tuple[int, int] | None:
    """The capacity of live table ``position`` (0 current, 1 next): hot for the current one
    and for the next one within its lead time, else cold; None on-demand."""
    if not config.provisioned:
        return None
    assert config.hot_read is not None and config.hot_write is not None
    if position == 0 or tables.prewarm or config.cold_read is None or config.cold_write is None:
        return config.hot_read, config.hot_write
    return config.cold_read, config.cold_write


def _raise_capacity(client: Any, table: dict[str, Any], read: int, write: int) -> bool:
    """Raise a live table to at least (read, write); never lowers one (a next table created
    hot by an earlier version keeps its capacity: decreases are rationed per day)."""
    current = table.get("ProvisionedThroughput", {})
    read = max(read, int(current.get("ReadCapacityUnits") or 0))
    write = max(write, int(current.get("WriteCapacityUnits") or 0))
    return _set_capacity(client, table, read, write)


def point_alarms(cloudwatch: Any, config: Config, tables: Plan) -> list[str]:
    """Point each slot's alarms (``config.alarms``) at the slot's table: rewrite the
    ``TableName`` dimension of each metric and put the alarm back with everything else as it
    was. Returns the alarms changed; an alarm already pointing at its table is left alone."""
    targets = dict(zip(SLOTS, tables.hot, strict=True))
    changed: list[str] = []
    for slot, names in config.alarms:
        found = cloudwatch.describe_alarms(AlarmNames=list(names)).get("MetricAlarms", [])
        missing = sorted(set(names) - {a["AlarmName"] for a in found})
        if missing:
            raise LookupError(f"alarms not found: {', '.join(missing)}")
        for alarm in found:
            update = _repointed(alarm, targets[slot])
            if update is not None:
                cloudwatch.put_metric_alarm(**update)
                changed.append(f"{alarm['AlarmName']}: {targets[slot]}")
    return changed


#: The fields of DescribeAlarms' answer that PutMetricAlarm takes back.
_ALARM_FIELDS = (
    "AlarmName",
    "AlarmDescription",
    "ActionsEnabled",
    "OKActions",
    "AlarmActions",
    "InsufficientDataActions",
    "MetricName",
    "Namespace",
    "Statistic",
    "ExtendedStatistic",
    "Dimensions",
    "Period",
    "Unit",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "ComparisonOperator",
    "TreatMissingData",
    "EvaluateLowSampleCountPercentile",
    "Metrics",
    "ThresholdMetricId",
)


def _repointed(alarm: dict[str, Any], table: str) -> dict[str, Any] | None:
    """The PutMetricAlarm arguments of ``alarm`` with every ``TableName`` dimension set to
    ``table``; None when it already is."""
    update = {k: alarm[k] for k in _ALARM_FIELDS if alarm.get(k) not in (None, [])}
    dimension_lists = [update.get("Dimensions", [])]
    dimension_lists += [
        q["MetricStat"]["Metric"].get("Dimensions", [])
        for q in update.get("Metrics", [])
        if "MetricStat" in q
    ]
    stale = [
        d
        for dims in dimension_lists
        for d in dims
        if d["Name"] == "TableName" and d["Value"] != table
    ]
    if not stale:
        return None
    for dimension in stale:
        dimension["Value"] = table
    return update


def _owned(client: Any, config: Config, table: dict[str, Any]) -> bool:
    tags = client.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
    return any(t["Key"] == OWNER_TAG and t["Value"] == config.table_prefix for t in tags)


def rotate(
    client: Any, config: Config, now: datetime, cloudwatch: Any = None
) -> dict[str, list[str]]:
    """Bring the tables (and, with a ``cloudwatch`` client, their alarms) to the state of
    ``now``; return what was done, by action.

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
        "alarms": [],
    }
    failures: list[str] = []

    def attempt(name: str, step: Any) -> None:
        try:
            step()
        except Exception as exc:  # collect, keep rotating the other tables
            logger.exception("rotation step failed for %s", name)
            failures.append(f"{name}: {type(exc).__name__}: {exc}")

    for position, name in enumerate(tables.hot):
        capacity = _live_capacity(config, tables, position)

        def hot(name: str = name, capacity: tuple[int, int] | None = capacity) -> None:
            table = _describe(client, name)
            if table is None:
                _create(client, config, name, capacity)
                result["created"].append(name)
                return
            if capacity is not None and _raise_capacity(client, table, *capacity):
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

    if config.alarms:
        attempt("alarms", lambda: result["alarms"].extend(point_alarms(cloudwatch, config, tables)))
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
    cloudwatch: Any = None,
    answer: Callable[[dict[str, Any], str, str], None] = respond,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """The ``Custom::TimeSeriesTables`` resource: Create and Update run the rotation once (the
    current and next tables exist when the deployment finishes); Delete deletes every owned
    table with ``delete_tables_with_stack`` and leaves them otherwise. CloudFormation is
    always answered - a failure as FAILED (the deployment fails and rolls back), never by
    silence."""
    try:
        if event["RequestType"] != "Delete":
            result = rotate(client, config, now, cloudwatch)
            done = {k: v for k, v in result.items() if v}
            answer(event, "SUCCESS", f"rotated: {json.dumps(done)}")
        elif config.delete_tables_with_stack:
            deleted = delete_all(client, config, now, sleep=sleep)
            answer(event, "SUCCESS", f"deleted {len(deleted)} tables: {', '.join(deleted)}")
        else:
            answer(event, "SUCCESS", "the tables outlive the stack (removal policy RETAIN)")
    except Exception as exc:
        logger.exception("custom resource %s failed", event.get("RequestType"))
        answer(event, "FAILED", f"{type(exc).__name__}: {exc}")


def handler(event: dict[str, Any], context: Any) -> dict[str, list[str]] | None:
    """Lambda entry point: the EventBridge schedule (its event is not used; a failed rotation
    raises, so the invocation fails, is retried and alarms) or CloudFormation's custom
    resource events (``RequestType``)."""
    import boto3  # type: ignore[import-untyped]  # here: the logic is testable without boto3

    client, config, now = boto3.client("dynamodb"), Config.from_env(), datetime.now(UTC)
    cloudwatch = boto3.client("cloudwatch") if config.alarms else None
    if "RequestType" in event:
        on_stack_event(client, config, event, now, cloudwatch=cloudwatch)
        return None
    return rotate(client, config, now, cloudwatch)
