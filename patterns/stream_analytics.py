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
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence

from aws_cdk import Annotations, ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kinesisanalyticsv2 as kda
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_sns as sns
from constructs import Construct

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
from patterns.stream_ingest import StreamToS3Pipeline

__all__ = ["StreamAnalytics"]

#: Flink runtimes Managed Service for Apache Flink offers for new applications (newest first).
SUPPORTED_RUNTIMES = ("FLINK-2_2", "FLINK-1_20", "FLINK-1_19", "FLINK-1_18")
DEFAULT_RUNTIME = "FLINK-1_20"
LOG_LEVELS = ("DEBUG", "INFO", "WARN", "ERROR")
METRICS_LEVELS = ("APPLICATION", "OPERATOR", "TASK", "PARALLELISM")
#: The default quota of KPUs per application; more needs a quota increase.
DEFAULT_KPU_QUOTA = 64
#: The property group Managed Flink reads the PyFlink entry point and JAR from.
PYTHON_RUN_OPTIONS = "kinesis.analytics.flink.run.options"
#: The property group the construct adds with the source stream (``stream.arn`` ...).
SOURCE_GROUP = "source"
_GROUP_ID = re.compile(r"^[a-zA-Z0-9_.-]{1,50}$")
_APP_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,128}$")
MAX_PROPERTY_GROUPS = 50
MAX_PROPERTIES_PER_GROUP = 50
#: AWS::KinesisAnalyticsV2::Application bounds (CloudFormation resource schema): a property
#: key and value are 1-2,048 characters; the code's S3 FileKey 1-1,024 characters.
MAX_PROPERTY_LENGTH = 2_048
MAX_CODE_KEY_LENGTH = 1_024


class StreamAnalytics(Construct):
    """A Managed Service for Apache Flink application reading a Kinesis data stream.

    The application is created in the READY state; start it (console, or
    ``aws kinesisanalyticsv2 start-application``) once its code is in place. CloudFormation
    updates a running application in place (taking a snapshot first when snapshots are on).

    The service role may only: read the source stream (and decrypt with its key), read the
    application code object, write to each sink bucket / stream (and use their keys), write
    the application log stream, and - with a VPC - manage the application's network
    interfaces. Checkpoints and snapshots are stored by the service.

    Alarms (``AWS/KinesisAnalytics``, dimension ``Application``): ``Downtime`` (the job is
    failing or restarting), ``CheckpointFailures`` (``numberOfFailedCheckpoints`` > 0: state
    is not being saved) and ``ConsumerLag`` (``millisBehindLatest`` above ``max_lag``).

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
            newest record (1 s .. 7 days). Default 5 minutes.
        removal_policy: of the log group (the application itself holds no data but its
            snapshots, which it deletes with it). Default RETAIN.
        alarm_topic: notified on ALARM and OK. Default: none.
        dashboard: a dashboard to add the alarm widgets to. Default: none.

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
        checkpoint_interval: Duration = Duration.seconds(60),
        min_pause_between_checkpoints: Duration = Duration.seconds(5),
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
        max_lag: Duration = Duration.minutes(5),
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        properties = dict(properties) if isinstance(properties, Mapping) else (properties or {})
        self._validate(
            source=source,
            source_key=source_key,
            code_bucket=code_bucket,
            code_key=code_key,
            code_asset_path=code_asset_path,
            python_entry=python_entry,
            jar_file=jar_file,
            runtime=runtime,
            parallelism=parallelism,
            parallelism_per_kpu=parallelism_per_kpu,
            checkpoint_interval=checkpoint_interval,
            min_pause_between_checkpoints=min_pause_between_checkpoints,
            properties=properties,
            log_level=log_level,
            metrics_level=metrics_level,
            application_name=application_name,
            max_lag=max_lag,
            vpc=vpc,
            vpc_subnets=vpc_subnets,
            auto_scaling=auto_scaling,
            snapshots=snapshots,
            sink_buckets=sink_buckets,
            sink_streams=sink_streams,
            log_retention=log_retention,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        stack = Stack.of(self)
        if isinstance(source, StreamToS3Pipeline):
            self.source_stream: kinesis.IStream = source.stream
            self.source_key: kms.IKey | None = source.encryption_key
        else:
            self.source_stream = source
            self.source_key = source_key or source.encryption_key

        # -- role ----------------------------------------------------------------------------
        self.role = iam.Role(
            self,
            "ServiceRole",
            assumed_by=iam.ServicePrincipal(
                "kinesisanalytics.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            ),
            description=f"Service role of the Flink application {self.node.path}",
        )
        self._grant_source()

        # -- code ----------------------------------------------------------------------------
        self.code_asset: s3_assets.Asset | None = None
        if code_asset_path is not None:
            self.code_asset = s3_assets.Asset(self, "Code", path=code_asset_path)
            code_bucket_arn = self.code_asset.bucket.bucket_arn
            file_key = self.code_asset.s3_object_key
            code_object_arn = f"{code_bucket_arn}/{file_key}"
        else:
            assert code_bucket is not None and code_key is not None
            code_bucket_arn = code_bucket.bucket_arn
            file_key = code_key
            code_object_arn = code_bucket.arn_for_objects(code_key)
            if code_bucket.encryption_key is not None:
                code_bucket.encryption_key.grant(self.role, "kms:Decrypt")
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="ReadApplicationCode",
                actions=["s3:GetObject", "s3:GetObjectVersion"],
                resources=[code_object_arn],
            )
        )

        # -- sinks ---------------------------------------------------------------------------
        for index, bucket in enumerate(sink_buckets):
            self._grant_sink_bucket(index, bucket)
        for stream in sink_streams:
            self.role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=[
                        "kinesis:DescribeStreamSummary",
                        "kinesis:ListShards",
                        "kinesis:PutRecord",
                        "kinesis:PutRecords",
                    ],
                    resources=[stream.stream_arn],
                )
            )
            if stream.encryption_key is not None:
                stream.encryption_key.grant(self.role, "kms:GenerateDataKey")

        # -- logging -------------------------------------------------------------------------
        self.log_group: logs.LogGroup = defaults.log_group(
            self, "Logs", retention=log_retention, removal_policy=removal_policy
        )
        self.log_stream = logs.LogStream(
            self,
            "LogStream",
            log_group=self.log_group,
            removal_policy=removal_policy,
        )
        self._grant_logging()

        # -- network -------------------------------------------------------------------------
        self.security_group: ec2.SecurityGroup | None = None
        vpc_configurations: list[kda.CfnApplication.VpcConfigurationProperty] | None = None
        if vpc is not None:
            self.security_group = ec2.SecurityGroup(
                self,
                "SecurityGroup",
                vpc=vpc,
                description=f"Flink application {self.node.path}: HTTPS out to AWS endpoints",
                allow_all_outbound=False,
            )
            self.security_group.add_egress_rule(
                ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "AWS service endpoints (Kinesis, S3)"
            )
            selection = vpc_subnets or ec2.SubnetSelection()
            subnets = vpc.select_subnets(
                subnet_type=selection.subnet_type,
                subnet_group_name=selection.subnet_group_name,
                subnets=selection.subnets,
                availability_zones=selection.availability_zones,
                one_per_az=selection.one_per_az,
            )
            vpc_configurations = [
                kda.CfnApplication.VpcConfigurationProperty(
                    security_group_ids=[self.security_group.security_group_id],
                    subnet_ids=list(subnets.subnet_ids),
                )
            ]
            self._grant_vpc_access()
        self.connections = (
            ec2.Connections(security_groups=[self.security_group])
            if self.security_group is not None
            else None
        )

        # -- application ---------------------------------------------------------------------
        groups = {
            SOURCE_GROUP: {
                "stream.arn": self.source_stream.stream_arn,
                "stream.name": self.source_stream.stream_name,
                "aws.region": stack.region,
            },
            **properties,
        }
        if python_entry is not None:
            run_options = {"python": python_entry}
            if jar_file is not None:
                run_options["jarfile"] = jar_file
            groups[PYTHON_RUN_OPTIONS] = run_options
        self.application = kda.CfnApplication(
            self,
            "Resource",
            application_name=application_name,
            application_description=f"Flink application {self.node.path}",
            runtime_environment=runtime,
            service_execution_role=self.role.role_arn,
            application_configuration=kda.CfnApplication.ApplicationConfigurationProperty(
                application_code_configuration=kda.CfnApplication.ApplicationCodeConfigurationProperty(
                    code_content_type="ZIPFILE",
                    code_content=kda.CfnApplication.CodeContentProperty(
                        s3_content_location=kda.CfnApplication.S3ContentLocationProperty(
                            bucket_arn=code_bucket_arn, file_key=file_key
                        )
                    ),
                ),
                application_snapshot_configuration=(
                    kda.CfnApplication.ApplicationSnapshotConfigurationProperty(
                        snapshots_enabled=snapshots
                    )
                ),
                environment_properties=kda.CfnApplication.EnvironmentPropertiesProperty(
                    property_groups=[
                        kda.CfnApplication.PropertyGroupProperty(
                            property_group_id=group_id, property_map=dict(values)
                        )
                        for group_id, values in groups.items()
                    ]
                ),
                flink_application_configuration=kda.CfnApplication.FlinkApplicationConfigurationProperty(
                    checkpoint_configuration=kda.CfnApplication.CheckpointConfigurationProperty(
                        configuration_type="CUSTOM",
                        checkpointing_enabled=True,
                        checkpoint_interval=int(checkpoint_interval.to_milliseconds()),
                        min_pause_between_checkpoints=int(
                            min_pause_between_checkpoints.to_milliseconds()
                        ),
                    ),
                    monitoring_configuration=kda.CfnApplication.MonitoringConfigurationProperty(
                        configuration_type="CUSTOM",
                        log_level=log_level,
                        metrics_level=metrics_level,
                    ),
                    parallelism_configuration=kda.CfnApplication.ParallelismConfigurationProperty(
                        configuration_type="CUSTOM",
                        parallelism=parallelism,
                        parallelism_per_kpu=parallelism_per_kpu,
                        auto_scaling_enabled=auto_scaling,
                    ),
                ),
                vpc_configurations=vpc_configurations,
            ),
        )
        # The role's policy must exist before the service checks the role at creation.
        policy = self.role.node.try_find_child("DefaultPolicy")
        if policy is not None:
            self.application.node.add_dependency(policy)
        self.logging_option = kda.CfnApplicationCloudWatchLoggingOption(
            self,
            "Logging",
            application_name=self.application.ref,
            cloud_watch_logging_option=kda.CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty(
                log_stream_arn=stack.format_arn(
                    service="logs",
                    resource="log-group",
                    resource_name=(
                        f"{self.log_group.log_group_name}:log-stream:"
                        f"{self.log_stream.log_stream_name}"
                    ),
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                )
            ),
        )
        self.application_name: str = self.application.ref

        # -- capacity ------------------------------------------------------------------------
        kpus = None
        if not (is_unresolved(parallelism) or is_unresolved(parallelism_per_kpu)):
            kpus = math.ceil(parallelism / parallelism_per_kpu)
            scaling = "auto scaling" if auto_scaling else "fixed"
            record_capacity(
                self,
                f"{kpus} KPU{'s' if kpus != 1 else ''} (parallelism {parallelism}, "
                f"{parallelism_per_kpu} per KPU), {scaling}, {runtime}",
            )
            if kpus > DEFAULT_KPU_QUOTA:
                Annotations.of(self).add_warning_v2(
                    "scalable-patterns:stream-analytics:kpu-quota",
                    f"{kpus} KPUs exceed the default quota of {DEFAULT_KPU_QUOTA} KPUs per "
                    "application; request a quota increase before deploying",
                )

        # -- alarms --------------------------------------------------------------------------
        monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        monitoring.alarm(
            "Downtime",
            metric=self.metric("downtime", statistic="Maximum"),
            threshold=0,
            description=(
                f"{self.node.path}: the Flink job is failing or restarting (downtime > 0). "
                "Check the application log stream for the exception."
            ),
        )
        monitoring.alarm(
            "CheckpointFailures",
            metric=self.metric("numberOfFailedCheckpoints", statistic="Maximum"),
            threshold=0,
            description=(
                f"{self.node.path}: checkpoints failed; after a failure the job would replay "
                "from an older state. Check checkpoint duration, backpressure and state size."
            ),
        )
        if not is_unresolved(max_lag):
            monitoring.alarm(
                "ConsumerLag",
                metric=self.metric("millisBehindLatest", statistic="Maximum"),
                threshold=max_lag.to_milliseconds(),
                evaluation_periods=3,
                description=(
                    f"{self.node.path}: the application is more than "
                    f"{format_duration(max_lag)} behind the newest record of its source stream "
                    "for 15 minutes; raise parallelism (or let auto scaling) or fix "
                    "backpressure."
                ),
            )
        self.alarms: dict[str, cw.Alarm] = monitoring.alarms
        monitoring.finish(f"Stream analytics {self.node.path}")

    # -- public API ------------------------------------------------------------------------
    def metric(self, metric_name: str, *, statistic: str = "Maximum") -> cw.Metric:
        """A 5-minute ``AWS/KinesisAnalytics`` application-level metric of this application."""
        return cw.Metric(
            namespace="AWS/KinesisAnalytics",
            metric_name=metric_name,
            dimensions_map={"Application": self.application.ref},
            statistic=statistic,
            period=Duration.minutes(5),
        )

    # -- grants ----------------------------------------------------------------------------
    def _grant_source(self) -> None:
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="ReadSourceStream",
                actions=[
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                ],
                resources=[self.source_stream.stream_arn],
            )
        )
        if self.source_key is not None:
            self.source_key.grant(self.role, "kms:Decrypt")

    def _grant_sink_bucket(self, index: int, bucket: s3.IBucket) -> None:
        objects = bucket.arn_for_objects("*")
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[
                    "s3:AbortMultipartUpload",
                    "s3:DeleteObject",
                    "s3:GetObject",
                    "s3:ListMultipartUploadParts",
                    "s3:PutObject",
                ],
                resources=[objects],
            )
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn])
        )
        if bucket.encryption_key is not None:
            bucket.encryption_key.grant(self.role, "kms:Decrypt", "kms:GenerateDataKey")
        spelled = nag_resource(Stack.of(self).resolve(objects))
        if spelled is not None:
            acknowledge(
                self.role,
                f"AwsSolutions::AwsSolutions-IAM5[Resource::{spelled}]",
                "The Flink file sink writes, completes and cleans up part files under keys it "
                "chooses at run time, so the role needs every object of this sink bucket (and "
                "of no other bucket).",
            )

    def _grant_logging(self) -> None:
        stack = Stack.of(self)
        group_arn = self.log_group.log_group_arn  # ends in ":*"
        stream_arn = stack.format_arn(
            service="logs",
            resource="log-group",
            resource_name=(
                f"{self.log_group.log_group_name}:log-stream:{self.log_stream.log_stream_name}"
            ),
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        all_groups = stack.format_arn(
            service="logs",
            resource="log-group",
            resource_name="*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="WriteApplicationLogs",
                actions=["logs:PutLogEvents"],
                resources=[stream_arn],
            )
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="DescribeApplicationLogStreams",
                actions=["logs:DescribeLogStreams"],
                resources=[group_arn],
            )
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="DescribeLogGroups",
                actions=["logs:DescribeLogGroups"],
                resources=[all_groups],
            )
        )
        for resource in (group_arn, all_groups):
            spelled = nag_resource(stack.resolve(resource))
            if spelled is not None:
                acknowledge(
                    self.role,
                    f"AwsSolutions::AwsSolutions-IAM5[Resource::{spelled}]",
                    "Managed Flink checks its logging destination with DescribeLogGroups and "
                    "DescribeLogStreams, which are list actions scoped to log-group ARNs ending "
                    "in a wildcard; writing is limited to the one application log stream.",
                )

    def _grant_vpc_access(self) -> None:
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="ManageApplicationNetworkInterfaces",
                actions=[
                    "ec2:CreateNetworkInterface",
                    "ec2:CreateNetworkInterfacePermission",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DescribeDhcpOptions",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                ],
                resources=["*"],
            )
        )
        acknowledge(
            self.role,
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "Managed Flink creates and deletes the application's network interfaces in the VPC "
            "with these EC2 actions; the Describe actions and ENI creation for not yet existing "
            "interfaces support no resource-level scoping.",
        )

    # -- validation ------------------------------------------------------------------------
    def _validate(
        self,
        *,
        source: object,
        source_key: kms.IKey | None,
        code_bucket: s3.IBucket | None,
        code_key: str | None,
        code_asset_path: str | None,
        python_entry: str | None,
        jar_file: str | None,
        runtime: str,
        parallelism: int,
        parallelism_per_kpu: int,
        checkpoint_interval: Duration,
        min_pause_between_checkpoints: Duration,
        properties: Mapping[str, Mapping[str, str]],
        log_level: str,
        metrics_level: str,
        application_name: str | None,
        max_lag: Duration,
        vpc: ec2.IVpc | None,
        vpc_subnets: ec2.SubnetSelection | None,
        auto_scaling: bool,
        snapshots: bool,
        sink_buckets: Sequence[s3.IBucket],
        sink_streams: Sequence[kinesis.IStream],
        log_retention: logs.RetentionDays,
        removal_policy: RemovalPolicy,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
    ) -> None:
        v = Validator(self)
        v.implements("source_key", source_key, "key_arn", what="a kms.IKey")
        v.implements("code_bucket", code_bucket, "bucket_arn", what="an s3.IBucket")
        if v.text("code_key", code_key):
            assert code_key is not None
            v.number_in_range(
                "code_key length", len(code_key), minimum=1, maximum=MAX_CODE_KEY_LENGTH
            )
        if v.text("code_asset_path", code_asset_path):
            assert code_asset_path is not None
            v.require(
                os.path.exists(code_asset_path),
                "code_asset_path",
                f"must be an existing file or directory, got {code_asset_path!r}",
            )
        v.boolean("auto_scaling", auto_scaling)
        v.boolean("snapshots", snapshots)
        for prop, items, attribute, what in (
            ("sink_buckets", sink_buckets, "bucket_arn", "an s3.IBucket"),
            ("sink_streams", sink_streams, "stream_arn", "a kinesis.IStream"),
        ):
            if isinstance(items, str) or not isinstance(items, Sequence):
                v.add(
                    prop,
                    f"must be a list of {what[what.index(' ') + 1 :]}, got {type(items).__name__}",
                )
                continue
            for index, item in enumerate(items):
                v.implements(f"{prop}[{index}]", item, attribute, what=what)
        v.implements("vpc", vpc, "vpc_id", what="an ec2.IVpc")
        v.instance_of(
            "vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
        )
        v.instance_of(
            "log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays"
        )
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        if not isinstance(source, StreamToS3Pipeline) and not hasattr(source, "stream_arn"):
            v.add(
                "source",
                f"must be a StreamToS3Pipeline or a kinesis.IStream, got {type(source).__name__}",
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
            v.add(
                missing, "is required with " + ("code_bucket" if code_key is None else "code_key")
            )
        if jar_file is not None and python_entry is None:
            v.add("jar_file", "applies to PyFlink applications only; give python_entry too")
        if v.text("python_entry", python_entry):
            assert python_entry is not None
            v.require(
                python_entry.endswith(".py"),
                "python_entry",
                f"must name a .py file inside the zip, got {python_entry!r}",
            )
        if v.text("jar_file", jar_file):
            assert jar_file is not None
            v.require(
                jar_file.endswith(".jar"),
                "jar_file",
                f"must name a .jar file inside the zip, got {jar_file!r}",
            )
        if runtime == "SQL-1_0":
            v.add(
                "runtime",
                "SQL-1_0: Kinesis Data Analytics for SQL applications are discontinued; write "
                "the query in Flink SQL / the Table API on a FLINK runtime",
            )
        else:
            v.one_of("runtime", runtime, SUPPORTED_RUNTIMES)
        v.number_in_range("parallelism", parallelism, minimum=1, integer=True)
        v.number_in_range("parallelism_per_kpu", parallelism_per_kpu, minimum=1, integer=True)
        v.duration_in_range(
            "checkpoint_interval",
            checkpoint_interval,
            minimum=Duration.seconds(1),
            maximum=Duration.hours(1),
        )
        if is_concrete_duration(checkpoint_interval):
            v.duration_in_range(
                "min_pause_between_checkpoints",
                min_pause_between_checkpoints,
                minimum=Duration.seconds(0),
                maximum=checkpoint_interval,
            )
        v.one_of("log_level", log_level, LOG_LEVELS)
        v.one_of("metrics_level", metrics_level, METRICS_LEVELS)
        if v.text("application_name", application_name):
            assert application_name is not None
            v.require(
                bool(_APP_NAME.match(application_name)),
                "application_name",
                f"must be 1-128 letters, digits, '_', '.' or '-', got {application_name!r}",
            )
        v.duration_in_range(
            "max_lag", max_lag, minimum=Duration.seconds(1), maximum=Duration.days(7)
        )
        reserved = {SOURCE_GROUP, PYTHON_RUN_OPTIONS}
        extra = 1 + (python_entry is not None)
        if not isinstance(properties, Mapping):
            v.add(
                "properties",
                f"must be a mapping of group id to {{key: value}}, got {type(properties).__name__}",
            )
            properties = {}
        if len(properties) + extra > MAX_PROPERTY_GROUPS:
            v.add(
                "properties",
                f"must have at most {MAX_PROPERTY_GROUPS - extra} groups (the construct adds "
                f"{extra}), got {len(properties)}",
            )
        for group_id, values in properties.items():
            if group_id in reserved:
                v.add("properties", f"group {group_id!r} is set by the construct")
            elif not isinstance(group_id, str) or not _GROUP_ID.match(group_id):
                v.add(
                    "properties",
                    f"group id must be 1-50 letters, digits, '_', '.' or '-', got {group_id!r}",
                )
            if not isinstance(values, Mapping):
                v.add(
                    f'properties["{group_id}"]',
                    f"must be a mapping of key to string value, got {type(values).__name__}",
                )
                continue
            if len(values) > MAX_PROPERTIES_PER_GROUP:
                v.add(
                    f'properties["{group_id}"]',
                    f"must have at most {MAX_PROPERTIES_PER_GROUP} properties, got {len(values)}",
                )
            for key, value in values.items():
                if not (isinstance(key, str) and 1 <= len(key) <= MAX_PROPERTY_LENGTH):
                    v.add(
                        f'properties["{group_id}"]',
                        f"keys must be strings of 1-{MAX_PROPERTY_LENGTH:,} characters, "
                        f"got {key!r}"[:200],
                    )
                    continue
                if not v.text(f'properties["{group_id}"]["{key}"]', value):
                    continue
                if not (1 <= len(str(value)) <= MAX_PROPERTY_LENGTH):
                    v.add(
                        f'properties["{group_id}"]["{key}"]',
                        f"must be 1-2,048 characters, got {len(str(value)):,}",
                    )
        if vpc_subnets is not None and vpc is None:
            v.add("vpc_subnets", "applies only with a vpc")
        v.raise_if_invalid()
