"""The prop rules of :class:`~patterns.stream_analytics.StreamAnalytics`, one function per
prop group.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

from aws_cdk import Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3

from patterns.core.network import check_subnets
from patterns.core.validation import Validator, format_duration, is_concrete_duration
from patterns.stream_analytics.application import (
    LOG_LEVELS,
    MAX_CODE_KEY_LENGTH,
    MAX_PROPERTIES_PER_GROUP,
    MAX_PROPERTY_GROUPS,
    MAX_PROPERTY_LENGTH,
    METRICS_LEVELS,
    PYTHON_RUN_OPTIONS,
    SOURCE_GROUP,
    SUPPORTED_RUNTIMES,
    FlinkSettings,
)
from patterns.stream_ingest import StreamToS3Pipeline

__all__ = [
    "application",
    "code",
    "lag_within_retention",
    "network",
    "properties",
    "settings",
    "sinks",
    "source",
]

_GROUP_ID = re.compile(r"^[a-zA-Z0-9_.-]{1,50}$")
_APP_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,128}$")


def source(v: Validator, *, source: object, source_key: kms.IKey | None, max_lag: Duration) -> None:
    """A pipeline or a stream; a KMS key; ``max_lag`` within the stream's retention
    (:func:`lag_within_retention`)."""
    v.implements("source_key", source_key, "key_arn", what="a kms.IKey")
    if source is None:  # reported by the base
        return
    if not isinstance(source, StreamToS3Pipeline) and not hasattr(source, "stream_arn"):
        v.add(
            "source",
            f"must be a StreamToS3Pipeline or a kinesis.IStream, got {type(source).__name__}",
        )
        return
    lag_within_retention(v, max_lag=max_lag, source=source)


def code(
    v: Validator,
    *,
    code_bucket: s3.IBucket | None,
    code_key: str | None,
    code_asset_path: str | None,
    python_entry: str | None,
    jar_file: str | None,
) -> None:
    """One code location (a bucket and key, or an existing local path); PyFlink's entry
    script and JAR."""
    v.implements("code_bucket", code_bucket, "bucket_arn", what="an s3.IBucket")
    if v.text("code_key", code_key):
        assert code_key is not None
        v.number_in_range("code_key length", len(code_key), minimum=1, maximum=MAX_CODE_KEY_LENGTH)
    if v.text("code_asset_path", code_asset_path):
        assert code_asset_path is not None
        v.require(
            os.path.exists(code_asset_path),
            "code_asset_path",
            f"must be an existing file or directory, got {code_asset_path!r}",
        )
    by_bucket = code_bucket is not None or code_key is not None
    if by_bucket and code_asset_path is not None:
        v.add(
            "code_asset_path",
            "cannot be combined with code_bucket/code_key (choose one code location)",
        )
    elif not by_bucket and code_asset_path is None:
        v.add("code", "must be given: code_bucket and code_key, or code_asset_path")
    elif by_bucket and (code_bucket is None or code_key is None):
        missing = "code_key" if code_key is None else "code_bucket"
        v.add(missing, "is required with " + ("code_bucket" if code_key is None else "code_key"))
    if jar_file is not None and python_entry is None:
        v.add("jar_file", "applies to PyFlink applications only; give python_entry too")
    for prop, value, suffix in (
        ("python_entry", python_entry, ".py"),
        ("jar_file", jar_file, ".jar"),
    ):
        if v.text(prop, value):
            assert value is not None
            v.require(
                value.endswith(suffix),
                prop,
                f"must name a {suffix} file inside the zip, got {value!r}",
            )


def settings(v: Validator, flink: FlinkSettings) -> None:
    """A current FLINK runtime; whole parallelism >= 1; checkpoints every 1 s .. 1 h with a
    pause of at most the interval; the log and metrics levels; the booleans."""
    v.boolean("auto_scaling", flink.auto_scaling)
    v.boolean("snapshots", flink.snapshots)
    if flink.runtime == "SQL-1_0":
        v.add(
            "runtime",
            "SQL-1_0: Kinesis Data Analytics for SQL applications are discontinued; write "
            "the query in Flink SQL / the Table API on a FLINK runtime",
        )
    else:
        v.one_of("runtime", flink.runtime, SUPPORTED_RUNTIMES)
    v.number_in_range("parallelism", flink.parallelism, minimum=1, integer=True)
    v.number_in_range("parallelism_per_kpu", flink.parallelism_per_kpu, minimum=1, integer=True)
    v.duration_in_range(
        "checkpoint_interval",
        flink.checkpoint_interval,
        minimum=Duration.seconds(1),
        maximum=Duration.hours(1),
    )
    if is_concrete_duration(flink.checkpoint_interval):
        v.duration_in_range(
            "min_pause_between_checkpoints",
            flink.min_pause_between_checkpoints,
            minimum=Duration.seconds(0),
            maximum=flink.checkpoint_interval,
        )
    v.one_of("log_level", flink.log_level, LOG_LEVELS)
    v.one_of("metrics_level", flink.metrics_level, METRICS_LEVELS)


def application(
    v: Validator,
    *,
    application_name: str | None,
    log_retention: logs.RetentionDays,
    max_lag: Duration,
) -> None:
    """The physical name, the log retention and the lag alarm threshold (1 s .. 7 days)."""
    if v.text("application_name", application_name):
        assert application_name is not None
        v.require(
            bool(_APP_NAME.match(application_name)),
            "application_name",
            f"must be 1-128 letters, digits, '_', '.' or '-', got {application_name!r}",
        )
    v.instance_of("log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays")
    v.duration_in_range("max_lag", max_lag, minimum=Duration.seconds(1), maximum=Duration.days(7))


#: Kinesis Data Streams' retention when none is set.
DEFAULT_STREAM_RETENTION_HOURS = 24


def lag_within_retention(v: Validator, *, max_lag: Duration, source: object) -> None:
    """``max_lag`` shorter than the retention of a source stream defined in this app: Kinesis
    trims records at that age, so the application can never fall that far behind and the
    lag alarm never fires (an error). An imported stream or a token retention is skipped."""
    stream = source.stream if isinstance(source, StreamToS3Pipeline) else source
    child = getattr(getattr(stream, "node", None), "default_child", None)
    if not isinstance(child, kinesis.CfnStream) or not is_concrete_duration(max_lag):
        return
    hours = Stack.of(child).resolve(child.retention_period_hours)
    if hours is None:
        hours = DEFAULT_STREAM_RETENTION_HOURS
    if not isinstance(hours, int | float) or isinstance(hours, bool):
        return
    retention = hours * 3_600
    if max_lag.to_seconds(integral=False) >= retention:
        v.add(
            "max_lag",
            f"must be shorter than the source stream's retention ({format_duration(retention)}):"
            " records older than that are gone, so the lag alarm would never fire, got "
            f"{format_duration(max_lag)}",
        )


def sinks(
    v: Validator, *, sink_buckets: Sequence[s3.IBucket], sink_streams: Sequence[kinesis.IStream]
) -> None:
    """Lists of buckets and streams (``None`` is reported by the base)."""
    for prop, items, attribute, what in (
        ("sink_buckets", sink_buckets, "bucket_arn", "an s3.IBucket"),
        ("sink_streams", sink_streams, "stream_arn", "a kinesis.IStream"),
    ):
        if items is None:
            continue
        if isinstance(items, str) or not isinstance(items, Sequence):
            v.add(
                prop,
                f"must be a list of {what[what.index(' ') + 1 :]}, got {type(items).__name__}",
            )
            continue
        for index, item in enumerate(items):
            v.implements(f"{prop}[{index}]", item, attribute, what=what)


def network(v: Validator, *, vpc: ec2.IVpc | None, vpc_subnets: ec2.SubnetSelection | None) -> None:
    """A VPC; subnets only with it."""
    v.implements("vpc", vpc, "vpc_id", what="an ec2.IVpc")
    v.instance_of("vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection")
    if vpc_subnets is not None and vpc is None:
        v.add("vpc_subnets", "applies only with a vpc")
    check_subnets(v, vpc, vpc_subnets, default=ec2.SubnetSelection(), what="the application")


def properties(v: Validator, groups: object, *, python_entry: str | None) -> None:
    """At most 50 groups (with the construct's own), ids of 1-50 ``[a-zA-Z0-9_.-]`` other than
    the construct's, at most 50 properties a group, keys and values of 1-2,048 characters."""
    extra = 1 + (python_entry is not None)
    if not isinstance(groups, Mapping):
        v.add(
            "properties",
            f"must be a mapping of group id to {{key: value}}, got {type(groups).__name__}",
        )
        return
    if len(groups) + extra > MAX_PROPERTY_GROUPS:
        v.add(
            "properties",
            f"must have at most {MAX_PROPERTY_GROUPS - extra} groups (the construct adds "
            f"{extra}), got {len(groups)}",
        )
    for group_id, values in groups.items():
        if group_id in (SOURCE_GROUP, PYTHON_RUN_OPTIONS):
            v.add("properties", f"group {group_id!r} is set by the construct")
        elif not isinstance(group_id, str) or not _GROUP_ID.match(group_id):
            v.add(
                "properties",
                f"group id must be 1-50 letters, digits, '_', '.' or '-', got {group_id!r}",
            )
        _group(v, f'properties["{group_id}"]', values)


def _group(v: Validator, prop: str, values: object) -> None:
    """One property group: a mapping of at most 50 string keys to string values."""
    if not isinstance(values, Mapping):
        v.add(prop, f"must be a mapping of key to string value, got {type(values).__name__}")
        return
    if len(values) > MAX_PROPERTIES_PER_GROUP:
        v.add(prop, f"must have at most {MAX_PROPERTIES_PER_GROUP} properties, got {len(values)}")
    for key, value in values.items():
        if not (isinstance(key, str) and 1 <= len(key) <= MAX_PROPERTY_LENGTH):
            v.add(
                prop,
                f"keys must be strings of 1-{MAX_PROPERTY_LENGTH:,} characters, got {key!r}"[:200],
            )
            continue
        if not v.text(f'{prop}["{key}"]', value):
            continue
        if not (1 <= len(str(value)) <= MAX_PROPERTY_LENGTH):
            v.add(f'{prop}["{key}"]', f"must be 1-2,048 characters, got {len(str(value)):,}")
