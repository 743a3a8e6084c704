"""Real-time analytics on a Kinesis stream with Amazon Managed Service for Apache Flink.

A Flink application (Java/Scala JAR or PyFlink zip) reads the ingest stream of a
:class:`~patterns.stream_ingest.StreamToS3Pipeline` (or any Kinesis data stream) and writes
its results to the sinks you name (S3 buckets, Kinesis streams), with parallelism and
auto-scaling, checkpointing, snapshots, CloudWatch logging and a least-privilege role.

Kinesis Data Analytics for SQL applications (``SQL-1_0``) are discontinued: AWS no longer
lets you create them and retires the existing ones. Managed Service for Apache Flink is the
current path; Flink SQL / the Table API cover what the SQL applications did (and Managed
Service for Apache Flink Studio notebooks cover interactive SQL). This pattern creates Flink
applications only.

aws-cdk-lib has no stable L2 for Managed Flink (``aws-kinesisanalytics-flink-alpha`` is
experimental), so the pattern puts a typed, validated surface over
``AWS::KinesisAnalyticsV2::Application``.

Example::

    pipeline = StreamToS3Pipeline(self, "Clickstream", records_per_second=2_500,
                                  average_record_kib=1.5, consumers=2)
    analytics = StreamAnalytics(
        self, "PageCounts", source=pipeline,
        code_asset_path="flink/page_counts",        # a directory: zipped as the PyFlink app
        python_entry="main.py",
        jar_file="lib/flink-sql-connector-kinesis-5.0.0-1.20.jar",
        sink_buckets=[results_bucket],
        properties={"sink": {"path": f"s3a://{results_bucket.bucket_name}/page-counts/"}},
    )
    analytics.metric_millis_behind_latest()     # how far the job lags behind the stream
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import MetricSource, Pattern
from patterns.stream_analytics import capacity, validate
from patterns.stream_analytics.alarms import add_application_alarms
from patterns.stream_analytics.application import (
    DEFAULT_RUNTIME,
    FlinkSettings,
    code_location,
    create_application,
    property_groups,
    record_kpus,
)
from patterns.stream_analytics.logging import (
    add_logging_option,
    create_log_stream,
    grant_write_logs,
)
from patterns.stream_analytics.network import vpc_configuration
from patterns.stream_analytics.role import (
    grant_read_code,
    grant_read_source,
    grant_write_sinks,
    service_policy,
    service_role,
)
from patterns.stream_ingest import StreamToS3Pipeline

__all__ = ["StreamAnalytics"]

#: Managed Flink reports its application metrics every minute; the alarms look at 5 minutes.
ALARM_PERIOD = deferred(Duration, "minutes", 5)


_DEFAULT_MAX_LAG = deferred(Duration, "minutes", 5)
_DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS = deferred(Duration, "seconds", 5)
_DEFAULT_CHECKPOINT_INTERVAL = deferred(Duration, "seconds", 60)


class StreamAnalytics(Pattern):
    """A Managed Service for Apache Flink application reading a Kinesis data stream.

    The application is created in the READY state; start it (console, or
    ``aws kinesisanalyticsv2 start-application``) once its code is in place. CloudFormation
    updates a running application in place (taking a snapshot first when snapshots are on).

    The service role may only: read the source stream (and decrypt its records with its key,
    through Kinesis), read the application code object, write to each sink bucket / stream
    (and use their keys through S3 / Kinesis: ``kms:ViaService`` and the encryption context of
    that bucket or stream), write the application log stream, and - with a VPC - manage the
    application's network interfaces. No ``kms:ReEncrypt*``, no ``s3:DeleteObject*`` beyond
    the sinks' ``s3:DeleteObject`` (the Flink file sink deletes its temporary part objects).
    Checkpoints and snapshots are stored by the service.

    Alarms (``AWS/KinesisAnalytics``, dimension ``Application``): ``Downtime`` (the job is
    failing or restarting), ``CheckpointFailures`` (``numberOfFailedCheckpoints`` > 0: state
    is not being saved) and ``ConsumerLag`` (``millisBehindLatest`` above ``max_lag``).

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``Downtime``,
    ``CheckpointFailures`` and ``ConsumerLag`` (not when the lag threshold is a token).

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        source: the stream to read: a :class:`StreamToS3Pipeline` (its stream and key) or a
            ``kinesis.IStream``.
        source_key: the KMS key of an ``IStream`` source, if it is encrypted with a
            customer-managed key and ``source.encryption_key`` is not set. Default: the
            stream's ``encryption_key``.
        code_bucket: bucket of the application code (JAR, or zip for PyFlink). With
            ``code_key``. Default: none (give ``code_asset_path`` instead).
        code_key: key of the code object in ``code_bucket``.
        code_asset_path: a local file (JAR / zip) or directory (zipped by CDK) uploaded as
            an asset instead of ``code_bucket``/``code_key``.
        python_entry: PyFlink only: the entry script inside the zip (``main.py``).
            Default: none (a Java/Scala application).
        jar_file: PyFlink only: the JAR inside the zip with the connectors the job needs
            (e.g. the Kinesis SQL connector). Default: none.
        runtime: Flink runtime, one of ``SUPPORTED_RUNTIMES``. Default ``FLINK-1_20``
            (choose ``FLINK-2_2`` for new Java applications whose connectors support it).
        parallelism: initial parallelism (>= 1). Default 1.
        parallelism_per_kpu: parallel tasks per KPU (1 vCPU, 4 GiB) (>= 1). Default 1.
        auto_scaling: let the service raise the parallelism under load. Default True.
        checkpoint_interval: time between checkpoints (1 s .. 1 h). Default 60 s.
        min_pause_between_checkpoints: minimum pause after a checkpoint (0 .. the interval).
            Default 5 s.
        snapshots: take a snapshot on update/stop and restore from it. Default True.
        properties: runtime properties (group id -> {key: value}), read by the application
            (``/etc/flink/application_properties.json`` in PyFlink,
            ``KinesisAnalyticsRuntime.getApplicationProperties()`` in Java). The construct
            adds the group ``source`` (``stream.arn``, ``stream.name``, ``aws.region``).
        sink_buckets: buckets the application writes to (put, get, delete and multipart
            uploads of objects; their KMS keys). Default: none.
        sink_streams: Kinesis streams the application writes to (``PutRecord(s)``, their
            keys). Default: none.
        vpc: run the application in this VPC (to reach private resources). Default: no VPC.
        vpc_subnets: subnets of ``vpc``. Default: its private subnets.
        log_level: ``DEBUG``, ``INFO``, ``WARN``, ``ERROR``. Default INFO.
        metrics_level: ``APPLICATION``, ``OPERATOR``, ``TASK``, ``PARALLELISM``.
            Default APPLICATION (cheapest; PARALLELISM is costly above 64).
        log_retention: retention of the application log group. Default one year.
        application_name: physical name. Default: generated by CloudFormation.
        max_lag: the consumer lag alarm fires when the application is this far behind the
            newest record (1 s .. 7 days). Default 5 minutes. At least the retention of a
            source stream of this app is an error (the alarm could never fire).
        removal_policy: of the log group (the application itself holds no data but its
            snapshots, which it deletes with it). Default RETAIN.
        alarm_topic: notified on ALARM and OK. Default: none.
        dashboard: a dashboard to add the alarm widgets to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.
        records_per_second_per_kpu: what one KPU of this application processes per second
            (a load-test figure: AWS publishes no per-KPU throughput). With a
            ``StreamToS3Pipeline`` source sized from ``records_per_second``, the KPUs for
            its peak are planned (:func:`patterns.capacity.flink_kpus`, review table and
            cost): fixed parallelism below them is a ``PatternValidationError``, a starting
            parallelism below them with auto scaling a warning, more parallelism than source
            shards a warning. Default None: no planning.

    Attributes:
        application: the ``AWS::KinesisAnalyticsV2::Application``; ``application_name`` its
            name.
        role: the service role; ``policy`` (``ServicePolicy``) holds what the application
            needs, the role's default policy what you add.
        source_stream: the stream read; ``source_key`` its KMS key (if any).
        code_asset: the uploaded code (with ``code_asset_path``), else ``None``.
        log_group: the application log group; ``log_stream`` its stream; ``logging_option``
            the application's CloudWatch logging option.
        security_group: with a ``vpc``, the application's security group (``connections``),
            else ``None``.
        alarms: ``Downtime``, ``CheckpointFailures``, ``ConsumerLag`` (watching
            :meth:`metric_downtime`, :meth:`metric_number_of_failed_checkpoints` and
            :meth:`metric_millis_behind_latest`).

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source: StreamToS3Pipeline | kinesis.IStream,
        source_key: kms.IKey | None = None,
        code_bucket: s3.IBucket | None = None,
        code_key: str | None = None,
        code_asset_path: str | None = None,
        python_entry: str | None = None,
        jar_file: str | None = None,
        runtime: str = DEFAULT_RUNTIME,
        parallelism: int = 1,
        parallelism_per_kpu: int = 1,
        auto_scaling: bool = True,
        checkpoint_interval: Duration = _DEFAULT_CHECKPOINT_INTERVAL,
        min_pause_between_checkpoints: Duration = _DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS,
        snapshots: bool = True,
        properties: Mapping[str, Mapping[str, str]] | None = None,
        sink_buckets: Sequence[s3.IBucket] = (),
        sink_streams: Sequence[kinesis.IStream] = (),
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        log_level: str = "INFO",
        metrics_level: str = "APPLICATION",
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        application_name: str | None = None,
        max_lag: Duration = _DEFAULT_MAX_LAG,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
        records_per_second_per_kpu: float | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        properties = dict(properties) if isinstance(properties, Mapping) else (properties or {})
        flink = FlinkSettings(
            runtime=runtime,
            parallelism=parallelism,
            parallelism_per_kpu=parallelism_per_kpu,
            auto_scaling=auto_scaling,
            checkpoint_interval=checkpoint_interval,
            min_pause_between_checkpoints=min_pause_between_checkpoints,
            snapshots=snapshots,
            log_level=log_level,
            metrics_level=metrics_level,
        )
        v = self.validator()
        validate.source(v, source=source, source_key=source_key, max_lag=max_lag)
        validate.code(
            v,
            code_bucket=code_bucket,
            code_key=code_key,
            code_asset_path=code_asset_path,
            python_entry=python_entry,
            jar_file=jar_file,
        )
        validate.sinks(v, sink_buckets=sink_buckets, sink_streams=sink_streams)
        validate.network(v, vpc=vpc, vpc_subnets=vpc_subnets)
        capacity.settings(self, v, flink, source=source, per_kpu=records_per_second_per_kpu)
        validate.application(
            v, application_name=application_name, log_retention=log_retention, max_lag=max_lag
        )
        validate.properties(v, properties, python_entry=python_entry)
        v.raise_if_invalid()
        self.source_stream, self.source_key = _source_stream(source, source_key)
        self.role = service_role(self)
        self.policy = service_policy(self, self.role)
        grant_read_source(self.policy, self.source_stream, self.source_key)
        self.code_asset, code = code_location(
            self, code_bucket=code_bucket, code_key=code_key, code_asset_path=code_asset_path
        )
        grant_read_code(self.policy, code.object_arn, code_bucket)
        grant_write_sinks(self.policy, sink_buckets, sink_streams)
        self.log_group, self.log_stream = create_log_stream(
            self, retention=log_retention, removal_policy=removal_policy
        )
        grant_write_logs(self.policy, self.log_group, self.log_stream)
        self.security_group: ec2.SecurityGroup | None = None
        self.connections: ec2.Connections | None = None
        vpc_configurations = None
        if vpc is not None:
            self.security_group, vpc_config = vpc_configuration(self, self.policy, vpc, vpc_subnets)
            self.connections = ec2.Connections(security_groups=[self.security_group])
            vpc_configurations = [vpc_config]

        self.application = create_application(
            self,
            application_name=application_name,
            settings=flink,
            role=self.role,
            policy=self.policy,
            code=code,
            groups=property_groups(
                self, self.source_stream, properties, python_entry=python_entry, jar_file=jar_file
            ),
            vpc_configurations=vpc_configurations,
        )
        self.logging_option = add_logging_option(
            self, self.application, self.log_group, self.log_stream
        )
        self.application_name: str = self.application.ref
        record_kpus(self, flink)

        monitoring = self.start_monitoring()
        add_application_alarms(self, monitoring, max_lag=max_lag)
        monitoring.finish(f"Stream analytics {self.node.path}")

    # -- metrics ---------------------------------------------------------------------------
    def metric_source(self) -> MetricSource:
        """``AWS/KinesisAnalytics`` by ``Application``, 5-minute periods, ``Maximum``."""
        return MetricSource(
            namespace="AWS/KinesisAnalytics",
            dimensions={"Application": self.application.ref},
            statistic="Maximum",
            period=ALARM_PERIOD,
        )

    def metric_downtime(self, **options: Any) -> cw.Metric:
        """Maximum ``downtime``: milliseconds the job has been failing or restarting."""
        return self.metric("downtime", **options)

    def metric_number_of_failed_checkpoints(self, **options: Any) -> cw.Metric:
        """Maximum ``numberOfFailedCheckpoints``: checkpoints that failed."""
        return self.metric("numberOfFailedCheckpoints", **options)

    def metric_millis_behind_latest(self, **options: Any) -> cw.Metric:
        """Maximum ``millisBehindLatest``: how far the application is behind the newest record
        of its source stream."""
        return self.metric("millisBehindLatest", **options)


def _source_stream(
    source: StreamToS3Pipeline | kinesis.IStream, source_key: kms.IKey | None
) -> tuple[kinesis.IStream, kms.IKey | None]:
    """The stream to read and its key: a pipeline's own, or the stream's (``source_key``
    first)."""
    if isinstance(source, StreamToS3Pipeline):
        return source.stream, source.encryption_key
    return source, source_key or source.encryption_key
