"""Streaming ingest: Kinesis Data Streams -> Amazon Data Firehose -> S3.

Producers write records to a KMS-encrypted Kinesis data stream sized from the load
they expect (or an explicit shard count, or on-demand). A Firehose delivery stream
reads the stream, buffers, compresses and writes the records to an encrypted,
versioned S3 bucket under a time-partitioned prefix, with failed records under a
separate error prefix. Alarms watch the consumer lag (iterator age, as a share of
the retention), throttling on both sides of the stream, and delivery freshness.

Example::

    pipeline = StreamToS3Pipeline(
        self,
        "Clickstream",
        records_per_second=2_500,
        average_record_kib=1.5,
        consumers=2,
    )
    pipeline.grant_write(producer_role)
"""

from __future__ import annotations

import math
import re

from aws_cdk import Annotations, Duration, RemovalPolicy, Size, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.capacity import (
    KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS,
    KINESIS_MAX_RECORD_KIB,
    ShardPlan,
    kinesis_shards,
)
from patterns.core import defaults
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge, nag_resource
from patterns.core.validation import (
    Validator,
    format_duration,
    is_concrete_duration,
    is_unresolved,
)

__all__ = ["StreamToS3Pipeline"]

#: Kinesis data stream retention limits.
MIN_RETENTION = Duration.hours(24)
MAX_RETENTION = Duration.hours(8_760)
#: Firehose S3 buffering hint limits.
MIN_BUFFERING_MIB = 1
MAX_BUFFERING_MIB = 128
MAX_BUFFERING_INTERVAL = Duration.seconds(900)
#: Longest S3 prefix Firehose accepts.
MAX_PREFIX_LENGTH = 1_024
#: The default shard quota of an account in most regions; a plan above it needs a quota raise.
DEFAULT_SHARD_QUOTA = 200

#: Construct id of the mapping aws-cdk-lib's DeliveryStream adds to its stack ("/" becomes "--").
FIREHOSE_CIDR_MAPPING = "@aws-cdk--aws-kinesisfirehose.CidrBlocks"

DEFAULT_PREFIX = "data/!{timestamp:yyyy/MM/dd/HH}/"
DEFAULT_ERROR_PREFIX = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"
ERROR_OUTPUT_TYPE = "!{firehose:error-output-type}"

#: Margin the default freshness threshold adds to the buffering interval: time for the
#: delivery itself and a few retries before anyone is paged.
FRESHNESS_MARGIN = Duration.minutes(10)
#: Consecutive 5-minute periods of throttling before the throughput alarms fire: the SDKs
#: retry a throttled call, so a single throttled period is not yet a capacity problem.
THROTTLE_PERIODS = 3

_EXPRESSION = re.compile(r"!\{([^}:]*):?([^}]*)\}")


def _prefix_problems(prop: str, prefix: str, *, error_output: bool) -> list[str]:
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
    allowed = ["timestamp", "firehose:random-string"]
    if error_output:
        allowed.append("firehose:error-output-type")
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


class StreamToS3Pipeline(Construct):
    """A Kinesis data stream delivered to S3 by Firehose, sized from the expected load.

    Capacity comes from exactly one of: the expected load (``records_per_second`` and
    ``average_record_kib``, with ``consumers``, ``enhanced_fan_out`` and ``growth_factor``),
    sized by :func:`patterns.capacity.kinesis_shards`; an explicit ``shard_count``; or
    ``on_demand=True``.

    Args:
        scope: the parent construct.
        construct_id: the construct id.
        records_per_second: expected peak records written per second (> 0). Default: none;
            give it with ``average_record_kib`` to size the stream from the load.
        average_record_kib: average record size in KiB (0 < size <= 1,024). Default: none.
        consumers: applications reading the whole stream, *including* this pipeline's
            Firehose delivery stream (>= 1; at most 20 with enhanced fan-out). Only with a
            load. Default: 1 (the Firehose alone).
        enhanced_fan_out: the other consumers use enhanced fan-out (each gets its own
            2 MiB/s per shard). Only with a load; sizing input only, no consumer is
            registered. Default: False (polling consumers share 2 MiB/s per shard).
        growth_factor: multiply the load by this (>= 1) to plan for growth. Only with a load.
            Default: 1 (no padding).
        shard_count: an explicit shard count (>= 1) instead of a load. Default: none.
        on_demand: use on-demand capacity mode instead of a load or a shard count.
            Default: False.
        retention: how long the stream keeps records (24 h .. 8,760 h). Default: 24 hours.
        buffering_size_mib: Firehose buffers this much (1 .. 128 MiB) before writing an
            object. Default: 64 MiB (fewer, larger objects for analytics).
        buffering_interval: ... or writes after this long (0 .. 900 s), whichever comes
            first. Default: 300 seconds.
        compression: compression of the delivered objects. Default: GZIP.
        prefix: S3 key prefix of delivered objects; ``!{timestamp:...}`` and
            ``!{firehose:random-string}`` expressions are allowed. Default:
            ``data/!{timestamp:yyyy/MM/dd/HH}/``.
        error_prefix: S3 key prefix of records Firehose failed to deliver; required when
            ``prefix`` uses expressions, and then must contain
            ``!{firehose:error-output-type}``; must differ from ``prefix``. Default:
            ``errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/``.
        bucket: an existing bucket to deliver to. Default: a new KMS-encrypted (pipeline
            key), versioned, private, TLS-only bucket with server access logs.
        encryption_key: the KMS key for the stream, the delivered objects and a new bucket.
            Default: a new customer-managed key with yearly rotation.
        removal_policy: what happens to the key, stream, bucket and log group when they
            leave the stack. Default: RETAIN (pass DESTROY for a dev stack).
        log_retention: retention of the Firehose error log group. Default: one year.
        iterator_age_alarm_share: the iterator age alarm fires when the oldest unread record
            is older than this share of ``retention`` (0 < share <= 1). Default: 0.5.
        freshness_threshold: the data freshness alarm fires when the oldest record not yet
            in S3 is older than this (more than ``buffering_interval``, at most
            ``retention``). Default: ``buffering_interval`` + 10 minutes.
        alarm_topic: SNS topic notified on ALARM and OK. Default: none.
        dashboard: a dashboard to add the pipeline's alarm widgets to. Default: none.

    The delivery stream writes to S3 over AWS's network and needs no network access of its
    own, so ``delivery_stream.connections`` is not meant to be used: the per-region Firehose
    CIDR mapping the L2 adds for it is removed from the stack (it would be an unused mapping).

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        records_per_second: float | None = None,
        average_record_kib: float | None = None,
        consumers: int = 1,
        enhanced_fan_out: bool = False,
        growth_factor: float = 1.0,
        shard_count: int | None = None,
        on_demand: bool = False,
        retention: Duration = MIN_RETENTION,
        buffering_size_mib: int = 64,
        buffering_interval: Duration = Duration.seconds(300),
        compression: firehose.Compression = firehose.Compression.GZIP,
        prefix: str = DEFAULT_PREFIX,
        error_prefix: str | None = DEFAULT_ERROR_PREFIX,
        bucket: s3.IBucket | None = None,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        iterator_age_alarm_share: float = 0.5,
        freshness_threshold: Duration | None = None,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)

        freshness_given = freshness_threshold is not None
        if (
            freshness_threshold is None
            and isinstance(buffering_interval, Duration)
            and not is_unresolved(buffering_interval)
        ):
            freshness_threshold = buffering_interval.plus(FRESHNESS_MARGIN)
        by_load = records_per_second is not None or average_record_kib is not None
        self._validate(
            records_per_second=records_per_second,
            average_record_kib=average_record_kib,
            consumers=consumers,
            enhanced_fan_out=enhanced_fan_out,
            growth_factor=growth_factor,
            shard_count=shard_count,
            on_demand=on_demand,
            by_load=by_load,
            retention=retention,
            buffering_size_mib=buffering_size_mib,
            buffering_interval=buffering_interval,
            prefix=prefix,
            error_prefix=error_prefix,
            iterator_age_alarm_share=iterator_age_alarm_share,
            freshness_threshold=freshness_threshold,
            freshness_given=freshness_given,
            compression=compression,
            bucket=bucket,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            log_retention=log_retention,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )

        # -- capacity ----------------------------------------------------------------------
        self.capacity_plan: ShardPlan | None = None
        shards: int | None
        if by_load:
            assert records_per_second is not None and average_record_kib is not None
            self.capacity_plan = kinesis_shards(
                records_per_second,
                average_record_kib,
                consumers=consumers,
                enhanced_fan_out=enhanced_fan_out,
                growth_factor=growth_factor,
            )
            shards = self.capacity_plan.shards
            record_capacity(self, self.capacity_plan.summary())
            for note in self.capacity_plan.notes:
                Annotations.of(self).add_warning_v2("scalable-patterns:stream-ingest:plan", note)
        elif on_demand:
            shards = None
            record_capacity(self, "on-demand")
        else:
            shards = shard_count
            noun = "shard" if shard_count == 1 else "shards"
            record_capacity(self, f"{shard_count} {noun} (explicit)")
        if shards is not None and not is_unresolved(shards) and shards > DEFAULT_SHARD_QUOTA:
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:stream-ingest:shard-quota",
                f"{shards} shards exceed the default account quota of {DEFAULT_SHARD_QUOTA} "
                "shards in most regions; request a quota increase before deploying",
            )

        # -- encryption and storage -----------------------------------------------------------
        self.encryption_key: kms.IKey = encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=f"Encrypts the stream and delivered objects of {self.node.path}",
            removal_policy=removal_policy,
        )
        self.bucket: s3.IBucket = bucket or defaults.secure_bucket(
            self,
            "Bucket",
            encryption_key=self.encryption_key,
            removal_policy=removal_policy,
        )

        # -- stream ------------------------------------------------------------------------
        self.stream = kinesis.Stream(
            self,
            "Stream",
            encryption=kinesis.StreamEncryption.KMS,
            encryption_key=self.encryption_key,
            retention_period=retention,
            shard_count=shards,
            stream_mode=kinesis.StreamMode.ON_DEMAND
            if on_demand
            else kinesis.StreamMode.PROVISIONED,
            removal_policy=removal_policy,
        )
        acknowledge(
            self.stream,
            "AwsSolutions::AwsSolutions-KDS3",
            "The stream uses a customer-managed key with yearly rotation instead of aws/kinesis, "
            "so its key policy decides who can read the records and the same key encrypts the "
            "objects delivered to S3.",
        )

        # -- delivery ----------------------------------------------------------------------
        self.log_group: logs.ILogGroup = defaults.log_group(
            self, "DeliveryLogs", retention=log_retention, removal_policy=removal_policy
        )
        cidr_mapping_existed = Stack.of(self).node.try_find_child(FIREHOSE_CIDR_MAPPING) is not None
        self.delivery_stream = firehose.DeliveryStream(
            self,
            "Delivery",
            source=firehose.KinesisStreamSource(self.stream),
            destination=firehose.S3Bucket(
                self.bucket,
                buffering_size=Size.mebibytes(buffering_size_mib),
                buffering_interval=buffering_interval,
                compression=compression,
                data_output_prefix=prefix,
                error_output_prefix=error_prefix,
                encryption_key=self.encryption_key,
                logging_config=firehose.EnableLogging(self.log_group),
            ),
        )
        if not cidr_mapping_existed:
            # The L2 always adds a per-region mapping of Firehose's CIDR blocks to the stack for
            # its ``connections`` (VPC destinations only); an S3 destination never references
            # it, and an unused mapping fails cfn-lint and CloudFormation Validate (W7001).
            Stack.of(self).node.try_remove_child(FIREHOSE_CIDR_MAPPING)
        acknowledge(
            self.delivery_stream,
            "AwsSolutions::AwsSolutions-KDF1",
            "A delivery stream whose source is a Kinesis data stream cannot use Firehose "
            "server-side encryption; the records are encrypted with the pipeline's KMS key in "
            "the stream and in S3.",
        )

        self._acknowledge_destination_grants()

        # -- alarms ------------------------------------------------------------------------
        monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        if is_unresolved(retention):
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:stream-ingest:iterator-age",
                "retention is an unresolved token, so no iterator age alarm was created "
                "(its threshold is a share of the retention)",
            )
        else:
            max_age = Duration.seconds(retention.to_seconds() * iterator_age_alarm_share)
            monitoring.alarm(
                "IteratorAgeHigh",
                metric=self.stream.metric_get_records_iterator_age_milliseconds(
                    statistic="Maximum", period=Duration.minutes(5)
                ),
                threshold=max_age.to_milliseconds(),
                description=(
                    f"The oldest unread record of {self.node.path} is older than "
                    f"{format_duration(max_age)} ({iterator_age_alarm_share:.0%} of the "
                    f"{format_duration(retention)} retention): a consumer is falling behind "
                    "and records will expire unread."
                ),
            )
        monitoring.alarm(
            "WriteThroughputExceeded",
            metric=self.stream.metric_write_provisioned_throughput_exceeded(
                statistic="Sum", period=Duration.minutes(5)
            ),
            threshold=0,
            evaluation_periods=THROTTLE_PERIODS,
            description=(
                f"Writes to {self.node.path} were throttled for {THROTTLE_PERIODS * 5} minutes: "
                "the stream needs more shards (or producers a better partition key)."
            ),
        )
        monitoring.alarm(
            "ReadThroughputExceeded",
            metric=self.stream.metric_read_provisioned_throughput_exceeded(
                statistic="Sum", period=Duration.minutes(5)
            ),
            threshold=0,
            evaluation_periods=THROTTLE_PERIODS,
            description=(
                f"Reads from {self.node.path} were throttled for {THROTTLE_PERIODS * 5} "
                "minutes: the consumers need more shards or enhanced fan-out."
            ),
        )
        if freshness_threshold is None or is_unresolved(freshness_threshold):
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:stream-ingest:freshness",
                "the data freshness threshold is an unresolved token (or follows an unresolved "
                "buffering_interval), so no data freshness alarm was created",
            )
        else:
            monitoring.alarm(
                "DataFreshnessHigh",
                metric=self.delivery_stream.metric(
                    "DeliveryToS3.DataFreshness",
                    statistic="Maximum",
                    period=Duration.minutes(5),
                ),
                threshold=freshness_threshold.to_seconds(),
                description=(
                    f"Records of {self.node.path} wait more than "
                    f"{format_duration(freshness_threshold)} to reach S3"
                    + (
                        ""
                        if is_unresolved(buffering_interval)
                        else f" (buffering interval {format_duration(buffering_interval)})"
                    )
                    + ": delivery is failing or lagging."
                ),
            )
        self.alarms: dict[str, cw.Alarm] = monitoring.alarms
        monitoring.finish(f"Stream ingest {self.node.path}")

    def _acknowledge_destination_grants(self) -> None:
        """Acknowledge the wildcards of the grants aws-cdk-lib's Firehose S3 destination makes.

        The L2 gives its destination role ``bucket.grantReadWrite`` and
        ``key.grantEncryptDecrypt``: CDK action groups (``s3:GetObject*``, ``kms:ReEncrypt*``)
        on exactly one bucket and one key, with no way to narrow them.
        """
        role = self.delivery_stream.node.try_find_child("S3 Destination Role")
        if role is None:  # a future L2 that names its role differently: nag will say so
            return
        for action in (
            "s3:Abort*",
            "s3:DeleteObject*",
            "s3:GetBucket*",
            "s3:GetObject*",
            "s3:List*",
        ):
            acknowledge(
                role,
                f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
                f"{action} comes from the grantReadWrite that aws-cdk-lib's Firehose S3 "
                "destination gives its role; it applies to the destination bucket only.",
            )
        for action in ("kms:GenerateDataKey*", "kms:ReEncrypt*"):
            acknowledge(
                role,
                f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
                f"{action} comes from the grantEncryptDecrypt of the pipeline key that Firehose "
                "needs to write SSE-KMS objects; it applies to that one key only.",
            )
        objects = nag_resource(Stack.of(self).resolve(self.bucket.bucket_arn))
        if objects is not None:
            acknowledge(
                role,
                f"AwsSolutions::AwsSolutions-IAM5[Resource::{objects}/*]",
                "Firehose writes objects under time-partitioned keys it chooses at delivery time, "
                "so the role needs every object of the destination bucket (and no other bucket).",
            )

    # -- grants ------------------------------------------------------------------------------
    def grant_write(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let a producer put records (``PutRecord``/``PutRecords``, KMS encrypt)."""
        return self.stream.grant_write(grantee)

    def grant_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let another consumer read the stream (``GetRecords`` ..., KMS decrypt)."""
        return self.stream.grant_read(grantee)

    # -- validation --------------------------------------------------------------------------
    def _validate(
        self,
        *,
        records_per_second: float | None,
        average_record_kib: float | None,
        consumers: int,
        enhanced_fan_out: bool,
        growth_factor: float,
        shard_count: int | None,
        on_demand: bool,
        by_load: bool,
        retention: Duration,
        buffering_size_mib: int,
        buffering_interval: Duration,
        prefix: str,
        error_prefix: str | None,
        iterator_age_alarm_share: float,
        freshness_threshold: Duration | None,
        freshness_given: bool,
        compression: firehose.Compression,
        bucket: s3.IBucket | None,
        encryption_key: kms.IKey | None,
        removal_policy: RemovalPolicy,
        log_retention: logs.RetentionDays,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
    ) -> None:
        v = Validator(self)
        v.instance_of(
            "compression", compression, firehose.Compression, what="a kinesisfirehose.Compression"
        )
        v.implements("bucket", bucket, "bucket_arn", what="an s3.IBucket")
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.instance_of(
            "log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays"
        )
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")

        # capacity mode: exactly one of load / shard_count / on_demand
        modes = {
            "records_per_second/average_record_kib": by_load,
            "shard_count": shard_count is not None,
            "on_demand": on_demand is True,
        }
        chosen = [name for name, given in modes.items() if given]
        if len(chosen) > 1:
            v.add(
                chosen[0],
                f"cannot be combined with {', '.join(chosen[1:])} (choose one capacity mode: "
                "records_per_second/average_record_kib, shard_count or on_demand=True)",
            )
        elif not chosen:
            v.add(
                "capacity",
                "must be given: records_per_second and average_record_kib, shard_count, "
                "or on_demand=True",
            )
        if not isinstance(on_demand, bool):
            v.add("on_demand", f"must be True or False, got {on_demand!r}")
        if not isinstance(enhanced_fan_out, bool):
            v.add("enhanced_fan_out", f"must be True or False, got {enhanced_fan_out!r}")

        if by_load:
            v.require(
                records_per_second is not None,
                "records_per_second",
                "is required with average_record_kib",
            )
            v.require(
                average_record_kib is not None,
                "average_record_kib",
                "is required with records_per_second",
            )
        else:
            load_only: dict[str, object] = {
                "consumers": consumers,
                "enhanced_fan_out": enhanced_fan_out,
                "growth_factor": growth_factor,
            }
            neutral: dict[str, object] = {
                "consumers": 1,
                "enhanced_fan_out": False,
                "growth_factor": 1,
            }
            for name, value in load_only.items():
                if value != neutral[name]:
                    v.add(
                        name,
                        "only applies when sizing from records_per_second/average_record_kib, "
                        f"got {value!r}",
                    )

        for name, value in (
            ("records_per_second", records_per_second),
            ("average_record_kib", average_record_kib),
            ("consumers", consumers),
            ("growth_factor", growth_factor),
        ):
            if by_load and is_unresolved(value):
                v.add(name, "must be a concrete number to size the stream, got an unresolved token")
        v.number_in_range("records_per_second", records_per_second)
        _positive(v, "records_per_second", records_per_second, unit="records/s")
        _positive(v, "average_record_kib", average_record_kib, unit="KiB")
        v.number_in_range(
            "average_record_kib", average_record_kib, maximum=KINESIS_MAX_RECORD_KIB, unit="KiB"
        )
        v.number_in_range("consumers", consumers, minimum=1, integer=True)
        if (
            enhanced_fan_out is True
            and isinstance(consumers, int)
            and not is_unresolved(consumers)
            and consumers > KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS
        ):
            v.add(
                "consumers",
                f"must be at most {KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS} with enhanced "
                f"fan-out (a stream registers at most {KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS} "
                f"enhanced fan-out consumers), got {consumers}",
            )
        v.number_in_range("growth_factor", growth_factor, minimum=1)
        _finite(v, "records_per_second", records_per_second)
        _finite(v, "growth_factor", growth_factor)
        v.number_in_range("shard_count", shard_count, minimum=1, integer=True)

        # Kinesis takes the retention in whole hours (RetentionPeriodHours).
        v.duration_in_range(
            "retention", retention, minimum=MIN_RETENTION, maximum=MAX_RETENTION, whole="hours"
        )
        v.number_in_range(
            "buffering_size_mib",
            buffering_size_mib,
            minimum=MIN_BUFFERING_MIB,
            maximum=MAX_BUFFERING_MIB,
            unit="MiB",
            integer=True,
        )
        v.duration_in_range(
            "buffering_interval",
            buffering_interval,
            minimum=Duration.seconds(0),
            maximum=MAX_BUFFERING_INTERVAL,
            whole="seconds",  # BufferingHints.IntervalInSeconds
        )

        # prefixes
        prefix_ok = v.text("prefix", prefix)
        error_prefix_ok = v.text("error_prefix", error_prefix)
        if prefix_ok:
            v.problems.extend(_prefix_problems("prefix", prefix, error_output=False))
            if "!{" in prefix and not error_prefix:
                v.add("error_prefix", "is required when prefix uses !{...} expressions")
        if error_prefix_ok and error_prefix:
            v.problems.extend(_prefix_problems("error_prefix", error_prefix, error_output=True))
            uses_expressions = "!{" in error_prefix or (prefix_ok and "!{" in prefix)
            if uses_expressions and ERROR_OUTPUT_TYPE not in error_prefix:
                v.add(
                    "error_prefix",
                    f"must contain {ERROR_OUTPUT_TYPE} when the prefixes use !{{...}} "
                    f"expressions, got {error_prefix!r}",
                )
            if error_prefix == prefix:
                v.add("error_prefix", f"must differ from prefix, both are {prefix!r}")

        # alarms
        if not is_unresolved(iterator_age_alarm_share):
            v.require(
                isinstance(iterator_age_alarm_share, int | float)
                and not isinstance(iterator_age_alarm_share, bool)
                and 0 < iterator_age_alarm_share <= 1,
                "iterator_age_alarm_share",
                f"must be greater than 0 and at most 1, got {iterator_age_alarm_share!r}",
            )
        if freshness_given:  # the default follows buffering_interval, checked above
            v.duration_in_range("freshness_threshold", freshness_threshold, whole="seconds")
        if is_concrete_duration(freshness_threshold) and is_concrete_duration(buffering_interval):
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
        v.raise_if_invalid()


def _positive(v: Validator, prop: str, value: float | None, *, unit: str) -> None:
    """``value > 0`` (None and tokens skipped; other type errors reported by number_in_range)."""
    if value is None or is_unresolved(value) or isinstance(value, bool):
        return
    if isinstance(value, int | float) and not math.isnan(value) and not value > 0:
        v.add(prop, f"must be greater than 0 {unit}, got {value:,g} {unit}")


def _finite(v: Validator, prop: str, value: float | None) -> None:
    """Infinity passes every lower bound but cannot size anything."""
    if isinstance(value, float) and math.isinf(value):
        v.add(prop, f"must be a finite number, got {value!r}")
