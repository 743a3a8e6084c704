"""The prop rules of :class:`~patterns.stream_ingest.StreamToS3Pipeline`, one function per
prop group.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once. The ranges of a load come from the planner itself
(:func:`patterns.capacity.kinesis_shard_problems`).
"""

from __future__ import annotations

import re
from typing import TypeVar

from aws_cdk import Duration
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3

from patterns.capacity import kinesis_shard_problems
from patterns.core.validation import (
    Validator,
    format_duration,
    is_concrete_duration,
    is_unresolved,
)
from patterns.stream_ingest.alarms import default_freshness_threshold
from patterns.stream_ingest.delivery import (
    ERROR_OUTPUT_TYPE,
    MAX_BUFFERING_INTERVAL,
    MAX_BUFFERING_MIB,
    MAX_PREFIX_LENGTH,
    MIN_BUFFERING_MIB,
)
from patterns.stream_ingest.stream import (
    MAX_RETENTION,
    MIN_RETENTION,
    ShardCapacity,
    growth_factor_slip,
)

__all__ = [
    "alarm_thresholds",
    "buffering",
    "capacity",
    "growth_factor_slip",
    "prefix_problems",
    "prefixes",
    "resource_types",
    "retention",
]

T = TypeVar("T")

_EXPRESSION = re.compile(r"!\{([^}:]*):?([^}]*)\}")

#: The load-only props and their neutral values (what they are when not sizing from a load).
_LOAD_ONLY_NEUTRAL: dict[str, object] = {
    "consumers": 1,
    "enhanced_fan_out": False,
    "growth_factor": 1,
}


def resource_types(
    v: Validator,
    *,
    compression: firehose.Compression,
    bucket: s3.IBucket | None,
    log_retention: logs.RetentionDays,
) -> None:
    """The types of the props the construct hands to aws-cdk-lib as they are."""
    v.instance_of(
        "compression", compression, firehose.Compression, what="a kinesisfirehose.Compression"
    )
    v.implements("bucket", bucket, "bucket_arn", what="an s3.IBucket")
    v.instance_of("log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays")


def capacity(v: Validator, props: ShardCapacity, *, existing_stream: bool = False) -> None:
    """Exactly one capacity mode (none needed for an existing stream); a load the planner can
    size; a whole shard count >= 1."""
    _capacity_mode(v, props, existing_stream=existing_stream)
    load = {
        "records_per_second": props.records_per_second,
        "average_record_kib": props.average_record_kib,
        "consumers": props.consumers,
        "growth_factor": props.growth_factor,
    }
    if props.by_load:
        for name, value in load.items():
            if is_unresolved(value):
                v.add(name, "must be a concrete number to size the stream, got an unresolved token")
    v.problems.extend(
        kinesis_shard_problems(
            _known(props.records_per_second),
            _known(props.average_record_kib),
            consumers=_known(props.consumers),
            enhanced_fan_out=props.enhanced_fan_out,
            growth_factor=_known(props.growth_factor),
        )
    )
    v.number_in_range("shard_count", props.shard_count, minimum=1, integer=True)


def _known(value: T) -> T | None:
    """``None`` for a deploy-time token: the planner cannot check it (reported above)."""
    return None if is_unresolved(value) else value


def _capacity_mode(v: Validator, props: ShardCapacity, *, existing_stream: bool) -> None:
    """One of load / shard_count / on_demand; the load props only with a load, and both."""
    modes = {
        "records_per_second/average_record_kib": props.by_load,
        "shard_count": props.shard_count is not None,
        "on_demand": props.on_demand is True,
    }
    chosen = [name for name, given in modes.items() if given]
    if len(chosen) > 1:
        v.add(
            chosen[0],
            f"cannot be combined with {', '.join(chosen[1:])} (choose one capacity mode: "
            "records_per_second/average_record_kib, shard_count or on_demand=True)",
        )
    elif not chosen and not existing_stream:
        v.add(
            "capacity",
            "must be given: records_per_second and average_record_kib, shard_count, "
            "or on_demand=True",
        )
    for name, flag in (
        ("on_demand", props.on_demand),
        ("enhanced_fan_out", props.enhanced_fan_out),
    ):
        if flag is not None and not isinstance(flag, bool):  # None: reported by the base
            v.add(name, f"must be True or False, got {flag!r}")
    if props.by_load:
        v.require(
            props.records_per_second is not None,
            "records_per_second",
            "is required with average_record_kib",
        )
        v.require(
            props.average_record_kib is not None,
            "average_record_kib",
            "is required with records_per_second",
        )
        return
    given = {
        "consumers": props.consumers,
        "enhanced_fan_out": props.enhanced_fan_out,
        "growth_factor": props.growth_factor,
    }
    for name, value in given.items():
        if value is not None and value != _LOAD_ONLY_NEUTRAL[name]:
            v.add(
                name,
                "only applies when sizing from records_per_second/average_record_kib, "
                f"got {value!r}",
            )


def retention(v: Validator, value: Duration) -> None:
    """24 .. 8,760 hours, in whole hours (Kinesis takes ``RetentionPeriodHours``)."""
    v.duration_in_range(
        "retention", value, minimum=MIN_RETENTION, maximum=MAX_RETENTION, whole="hours"
    )


def buffering(v: Validator, *, size_mib: int, interval: Duration) -> None:
    """Firehose's S3 buffering hints: 1 .. 128 MiB, 0 .. 900 whole seconds."""
    v.number_in_range(
        "buffering_size_mib",
        size_mib,
        minimum=MIN_BUFFERING_MIB,
        maximum=MAX_BUFFERING_MIB,
        unit="MiB",
        integer=True,
    )
    v.duration_in_range(
        "buffering_interval",
        interval,
        minimum=Duration.seconds(0),
        maximum=MAX_BUFFERING_INTERVAL,
        whole="seconds",  # BufferingHints.IntervalInSeconds
    )


def prefixes(v: Validator, *, prefix: str, error_prefix: str | None) -> None:
    """Valid expressions in each prefix; an error prefix (with the error output type) when
    the prefixes use expressions; two different prefixes."""
    prefix_ok = v.text("prefix", prefix)
    error_prefix_ok = v.text("error_prefix", error_prefix)
    if prefix_ok:
        v.problems.extend(prefix_problems("prefix", prefix, error_output=False))
        if "!{" in prefix and not error_prefix:
            v.add("error_prefix", "is required when prefix uses !{...} expressions")
    if error_prefix_ok and error_prefix:
        v.problems.extend(prefix_problems("error_prefix", error_prefix, error_output=True))
        uses_expressions = "!{" in error_prefix or (prefix_ok and "!{" in prefix)
        if uses_expressions and ERROR_OUTPUT_TYPE not in error_prefix:
            v.add(
                "error_prefix",
                f"must contain {ERROR_OUTPUT_TYPE} when the prefixes use !{{...}} "
                f"expressions, got {error_prefix!r}",
            )
        if error_prefix == prefix:
            v.add("error_prefix", f"must differ from prefix, both are {prefix!r}")


def prefix_problems(prop: str, prefix: str, *, error_output: bool) -> list[str]:
    """Problems with the ``!{namespace:value}`` expressions of one Firehose prefix."""
    problems: list[str] = []
    if len(prefix) > MAX_PREFIX_LENGTH:
        problems.append(
            f"{prop} must be at most {MAX_PREFIX_LENGTH:,} characters, got {len(prefix):,}"
        )
    if prefix.startswith("/"):
        problems.append(f"{prop} must not start with '/', got {prefix!r}")
    if prefix.count("!{") != len(_EXPRESSION.findall(prefix)):
        problems.append(f"{prop} has an unterminated !{{...}} expression, got {prefix!r}")
    for namespace, value in _EXPRESSION.findall(prefix):
        if namespace == "timestamp" and value:
            continue
        if namespace == "firehose" and value in ("random-string", "error-output-type"):
            if value == "error-output-type" and not error_output:
                problems.append(
                    f"{prop} may not use !{{firehose:error-output-type}} (error prefix only), "
                    f"got {prefix!r}"
                )
            continue
        problems.append(
            f"{prop} expression !{{{namespace}:{value}}} must be one of "
            f"!{{timestamp:<format>}}, !{{firehose:random-string}}"
            + (", !{firehose:error-output-type}" if error_output else "")
            + " (dynamic partitioning is not enabled)"
        )
    return problems


def alarm_thresholds(
    v: Validator,
    *,
    iterator_age_alarm_share: float,
    freshness_threshold: Duration | None,
    buffering_interval: Duration,
    retention: Duration,
) -> None:
    """0 < share <= 1; buffering interval < freshness threshold <= retention (the default
    threshold follows the buffering interval, so only a given one is checked alone)."""
    if iterator_age_alarm_share is not None and not is_unresolved(iterator_age_alarm_share):
        v.require(
            isinstance(iterator_age_alarm_share, int | float)
            and not isinstance(iterator_age_alarm_share, bool)
            and 0 < iterator_age_alarm_share <= 1,
            "iterator_age_alarm_share",
            f"must be greater than 0 and at most 1, got {iterator_age_alarm_share!r}",
        )
    if freshness_threshold is not None:
        v.duration_in_range("freshness_threshold", freshness_threshold, whole="seconds")
    else:
        freshness_threshold = default_freshness_threshold(buffering_interval)
    if not (is_concrete_duration(freshness_threshold) and is_concrete_duration(buffering_interval)):
        return
    assert freshness_threshold is not None
    v.require(
        freshness_threshold.to_seconds(integral=False)
        > buffering_interval.to_seconds(integral=False),
        "freshness_threshold",
        f"must be longer than buffering_interval ({format_duration(buffering_interval)}), "
        f"got {format_duration(freshness_threshold)}",
    )
    if is_concrete_duration(retention):
        v.duration_in_range("freshness_threshold", freshness_threshold, maximum=retention)
