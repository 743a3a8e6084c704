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
    pipeline.grant_read(consumer_function)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import Duration, RemovalPolicy, Size
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.capacity import DeliveryPlan, StreamModePlan
from patterns.core import defaults
from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import Pattern
from patterns.stream_ingest import existing, validate
from patterns.stream_ingest.alarms import ALARM_PERIOD, add_pipeline_alarms
from patterns.stream_ingest.delivery import (
    DEFAULT_ERROR_PREFIX,
    DEFAULT_PREFIX,
    DestinationProps,
    deliver,
    destination_bucket,
)
from patterns.stream_ingest.load import plan_load
from patterns.stream_ingest.stream import (
    MIN_RETENTION,
    ShardCapacity,
    create_stream,
)

__all__ = ["StreamToS3Pipeline"]


_DEFAULT_COMPRESSION = deferred(firehose.Compression, "GZIP")
_DEFAULT_BUFFERING_INTERVAL = deferred(Duration, "seconds", 300)


class StreamToS3Pipeline(Pattern):
    """A Kinesis data stream delivered to S3 by Firehose, sized from the expected load.

    Capacity comes from exactly one of: the expected load (``records_per_second`` and
    ``average_record_kib``, with ``consumers``, ``enhanced_fan_out`` and ``growth_factor``),
    sized by :func:`patterns.capacity.kinesis_shards`; an explicit ``shard_count``; or
    ``on_demand=True``.

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``IteratorAgeHigh``,
    ``WriteThroughputExceeded``, ``ReadThroughputExceeded`` and ``DataFreshnessHigh`` (the
    first and last not when their threshold is a token).

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
            Default: 1 (no padding). 10 or more is a warning (most likely a percentage: +20 %
            is 1.2, not 20).
        shard_count: an explicit shard count (>= 1) instead of a load. Default: none.
        on_demand: use on-demand capacity mode instead of a load or a shard count.
            Default: False.
        existing_stream: an existing ``kinesis.IStream`` (imported or created by you) to
            deliver instead of a created ``Stream``: no capacity mode is then needed, and
            ``shard_count`` / ``on_demand`` cannot be given. A load, when given, is checked
            against a stream of this app (it must fit its provisioned shards; an on-demand
            stream takes no load). The pattern adds the delivery stream reading it (its
            source role may read the stream and decrypt with the stream's key, when the
            stream names one: import an encrypted stream with
            ``Stream.from_stream_attributes(encryption_key=...)``) and the alarms on its
            metrics; it never changes the stream (capacity, retention, encryption, deletion
            policy). Default: a new stream.
        retention: how long the stream keeps records (24 h .. 8,760 h). Default: 24 hours.
            With an ``existing_stream`` it is the stream's retention the iterator age alarm
            is a share of: leave it out for a stream of this app (its own is used) or give
            the imported stream's.
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
        bucket: an existing bucket (imported or created by you) to deliver to. The pattern
            adds the delivery role's identity policy (put, get and abort multipart uploads of
            its objects, its location and listings) and writes every object SSE-KMS with
            ``encryption_key``; it never changes the bucket (its policy, default encryption,
            versioning, lifecycle, deletion policy): a bucket of another account must allow
            the delivery role in its bucket policy. Default: a new KMS-encrypted (pipeline
            key), versioned, private, TLS-only bucket with server access logs.
        encryption_key: the KMS key for the stream, the delivered objects and a new bucket
            (with an ``existing_stream``: the delivered objects and a new bucket only).
            Default: a new customer-managed key with yearly rotation.
        removal_policy: what happens to the key, stream, bucket and log group when they
            leave the stack. Default: RETAIN (pass DESTROY for a dev stack: the buckets are
            emptied on delete, and the key is scheduled for deletion).
        log_retention: retention of the Firehose error log group. Default: one year.
        iterator_age_alarm_share: the iterator age alarm fires when the oldest unread record
            is older than this share of ``retention`` (0 < share <= 1). Default: 0.5.
        freshness_threshold: the data freshness alarm fires when the oldest record not yet
            in S3 is older than this (more than ``buffering_interval``, at most
            ``retention``). Default: ``buffering_interval`` + 10 minutes.
        alarm_topic: SNS topic notified on ALARM and OK. Default: none.
        dashboard: a dashboard to add the pipeline's alarm widgets to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

    Attributes:
        stream: the Kinesis data stream producers write to (given or created).
        delivery_stream: the Firehose delivery stream that writes the records to S3.
        bucket: the destination bucket (given or created).
        encryption_key: the KMS key of the stream and the delivered objects.
        log_group: the Firehose error log group (its stream ``S3Destination`` has the
            ``removal_policy`` too).
        delivery_role: the role Firehose writes to S3 with; ``delivery_policy`` holds what
            delivery needs (see below), its default policy what you add.
        capacity_plan: the :class:`~patterns.capacity.ShardPlan` when sized from a load,
            else ``None``.
        mode_plan / delivery_plan: with a load, the
            :class:`~patterns.capacity.StreamModePlan` (provisioned vs on-demand monthly cost
            and the crossover) and the :class:`~patterns.capacity.DeliveryPlan` (object size
            and objects per hour in S3, before compression), both in the review table; else
            ``None``.
        alarms: ``IteratorAgeHigh``, ``WriteThroughputExceeded``, ``ReadThroughputExceeded``,
            ``DataFreshnessHigh`` (watching :meth:`metric_iterator_age`,
            :meth:`metric_write_provisioned_throughput_exceeded`,
            :meth:`metric_read_provisioned_throughput_exceeded` and
            :meth:`metric_delivery_freshness`).

    Least privilege: Firehose writes with ``delivery_role``, which may only put, get and
    abort multipart uploads of the bucket's objects, read the bucket's location and listings,
    use the key for SSE-KMS through S3 for this bucket (``kms:GenerateDataKey`` and
    ``kms:Decrypt`` with ``kms:ViaService``), and write its error log stream: it cannot delete
    landed objects nor re-encrypt with the key. The delivery stream's source role (the L2's
    ``Service Role``) reads the stream and decrypts its records.

    The delivery stream writes to S3 over AWS's network and needs no network access of its
    own, so ``delivery_stream.connections`` is not meant to be used: the per-region Firehose
    CIDR mapping the L2 adds for it is removed from the stack (it would be an unused mapping).

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    #: With a load: provisioned vs on-demand, and the objects written to S3 (else None).
    mode_plan: StreamModePlan | None
    delivery_plan: DeliveryPlan | None

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
        existing_stream: kinesis.IStream | None = None,
        retention: Duration = MIN_RETENTION,
        buffering_size_mib: int = 64,
        buffering_interval: Duration = _DEFAULT_BUFFERING_INTERVAL,
        compression: firehose.Compression = _DEFAULT_COMPRESSION,
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
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        capacity = ShardCapacity(
            records_per_second=records_per_second,
            average_record_kib=average_record_kib,
            consumers=consumers,
            enhanced_fan_out=enhanced_fan_out,
            growth_factor=growth_factor,
            shard_count=shard_count,
            on_demand=on_demand,
        )
        v = self.validator()
        validate.resource_types(
            v, compression=compression, bucket=bucket, log_retention=log_retention
        )
        validate.capacity(v, capacity, existing_stream=existing_stream is not None)
        existing.check_existing_stream(v, existing_stream, capacity, retention=retention)
        validate.retention(v, retention)
        validate.buffering(v, size_mib=buffering_size_mib, interval=buffering_interval)
        validate.prefixes(v, prefix=prefix, error_prefix=error_prefix)
        validate.alarm_thresholds(
            v, iterator_age_alarm_share=iterator_age_alarm_share,
            freshness_threshold=freshness_threshold, buffering_interval=buffering_interval,
            retention=retention,
        )  # fmt: skip
        v.raise_if_invalid()

        plan, shards, retention = existing.plan(self, capacity, existing_stream, retention)
        self.capacity_plan = plan
        plan_load(self, capacity, buffering_size_mib, buffering_interval)
        self.encryption_key: kms.IKey = encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=f"Encrypts the stream and delivered objects of {self.node.path}",
            removal_policy=removal_policy,
        )
        self.bucket: s3.IBucket = bucket or destination_bucket(
            self, encryption_key=self.encryption_key, removal_policy=removal_policy
        )
        self.stream: kinesis.IStream = existing_stream or create_stream(
            self,
            encryption_key=self.encryption_key,
            retention=retention,
            shards=shards,
            removal_policy=removal_policy,
        )
        self.log_group: logs.ILogGroup = defaults.log_group(
            self, "DeliveryLogs", retention=log_retention, removal_policy=removal_policy
        )
        destination_props = DestinationProps(
            bucket=self.bucket,
            encryption_key=self.encryption_key,
            log_group=self.log_group,
            buffering_size=Size.mebibytes(buffering_size_mib),
            buffering_interval=buffering_interval,
            compression=compression,
            prefix=prefix,
            error_prefix=error_prefix,
        )
        self.delivery_role, self.delivery_stream, self.delivery_policy = deliver(
            self, self.stream, destination_props, removal_policy=removal_policy
        )

        monitoring = self.start_monitoring()
        add_pipeline_alarms(
            self,
            monitoring,
            retention=retention,
            iterator_age_alarm_share=iterator_age_alarm_share,
            freshness_threshold=freshness_threshold,
            buffering_interval=buffering_interval,
        )
        monitoring.finish(f"Stream ingest {self.node.path}")

    # -- metrics -----------------------------------------------------------------------------
    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """A metric of the Kinesis data stream (``AWS/Kinesis``, dimension ``StreamName``).

        Args:
            metric_name: the metric's name (``IncomingRecords``, ``PutRecords.Latency`` ...).
            **options: ``cloudwatch.MetricOptions``. Default: ``Average`` over 5 minutes.

        The delivery stream's metrics (``AWS/Firehose``) come from
        ``delivery_stream.metric(name)``; :meth:`metric_delivery_freshness` is the key one.
        """
        return self.stream.metric(metric_name, **options)

    def metric_iterator_age(self, **options: Any) -> cw.Metric:
        """Maximum ``GetRecords.IteratorAgeMilliseconds`` over 5 minutes: how old the oldest
        record a consumer has not read yet is (the consumer lag)."""
        return self.stream.metric_get_records_iterator_age_milliseconds(
            **_alarm_metric("Maximum", options)
        )

    def metric_write_provisioned_throughput_exceeded(self, **options: Any) -> cw.Metric:
        """Sum of ``WriteProvisionedThroughputExceeded`` over 5 minutes: throttled writes."""
        return self.stream.metric_write_provisioned_throughput_exceeded(
            **_alarm_metric("Sum", options)
        )

    def metric_read_provisioned_throughput_exceeded(self, **options: Any) -> cw.Metric:
        """Sum of ``ReadProvisionedThroughputExceeded`` over 5 minutes: throttled reads."""
        return self.stream.metric_read_provisioned_throughput_exceeded(
            **_alarm_metric("Sum", options)
        )

    def metric_delivery_freshness(self, **options: Any) -> cw.Metric:
        """Maximum ``DeliveryToS3.DataFreshness`` over 5 minutes: the age in seconds of the
        oldest record not yet delivered to S3 (``AWS/Firehose``)."""
        return self.delivery_stream.metric(
            "DeliveryToS3.DataFreshness", **_alarm_metric("Maximum", options)
        )

    # -- grants ------------------------------------------------------------------------------
    def grant_write(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let a producer put records (``PutRecord``/``PutRecords``, KMS encrypt)."""
        return self.stream.grant_write(grantee)

    def grant_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let another consumer read the stream (``GetRecords`` ..., KMS decrypt)."""
        return self.stream.grant_read(grantee)


def _alarm_metric(statistic: str, options: dict[str, Any]) -> dict[str, Any]:
    """The alarms' statistic and 5-minute period, unless the caller names others."""
    return {"statistic": statistic, "period": ALARM_PERIOD, **options}
