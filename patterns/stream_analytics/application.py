"""The Flink application of :class:`~patterns.stream_analytics.StreamAnalytics`: its code,
runtime properties, checkpoints, parallelism and monitoring levels, and its KPU capacity."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kinesisanalyticsv2 as kda
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from patterns.core.pattern import Pattern
from patterns.core.validation import is_unresolved

__all__ = [
    "DEFAULT_KPU_QUOTA",
    "DEFAULT_RUNTIME",
    "LOG_LEVELS",
    "MAX_CODE_KEY_LENGTH",
    "MAX_PROPERTIES_PER_GROUP",
    "MAX_PROPERTY_GROUPS",
    "MAX_PROPERTY_LENGTH",
    "METRICS_LEVELS",
    "PYTHON_RUN_OPTIONS",
    "SOURCE_GROUP",
    "SUPPORTED_RUNTIMES",
    "CodeLocation",
    "FlinkSettings",
    "code_location",
    "create_application",
    "property_groups",
    "record_kpus",
]

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
MAX_PROPERTY_GROUPS = 50
MAX_PROPERTIES_PER_GROUP = 50
#: AWS::KinesisAnalyticsV2::Application bounds (CloudFormation resource schema): a property
#: key and value are 1-2,048 characters; the code's S3 FileKey 1-1,024 characters.
MAX_PROPERTY_LENGTH = 2_048
MAX_CODE_KEY_LENGTH = 1_024


@dataclass(frozen=True)
class FlinkSettings:
    """How the Flink job runs (the props of the same names, checked by
    :func:`patterns.stream_analytics.validate.settings`)."""

    runtime: str
    parallelism: int
    parallelism_per_kpu: int
    auto_scaling: bool
    checkpoint_interval: Duration
    min_pause_between_checkpoints: Duration
    snapshots: bool
    log_level: str
    metrics_level: str


@dataclass(frozen=True)
class CodeLocation:
    """Where the application code object is."""

    bucket_arn: str
    file_key: str
    object_arn: str


def code_location(
    application: Construct,
    *,
    code_bucket: s3.IBucket | None,
    code_key: str | None,
    code_asset_path: str | None,
) -> tuple[s3_assets.Asset | None, CodeLocation]:
    """The asset ``Code`` uploaded from ``code_asset_path``, or the given bucket and key."""
    if code_asset_path is not None:
        asset = s3_assets.Asset(application, "Code", path=code_asset_path)
        bucket_arn = asset.bucket.bucket_arn
        return asset, CodeLocation(
            bucket_arn=bucket_arn,
            file_key=asset.s3_object_key,
            object_arn=f"{bucket_arn}/{asset.s3_object_key}",
        )
    assert code_bucket is not None and code_key is not None
    return None, CodeLocation(
        bucket_arn=code_bucket.bucket_arn,
        file_key=code_key,
        object_arn=code_bucket.arn_for_objects(code_key),
    )


def property_groups(
    application: Construct,
    source: kinesis.IStream,
    properties: Mapping[str, Mapping[str, str]],
    *,
    python_entry: str | None,
    jar_file: str | None,
) -> dict[str, Mapping[str, str]]:
    """The runtime properties: the ``source`` group, the user's groups, and for PyFlink the
    run options (entry script and JAR)."""
    groups: dict[str, Mapping[str, str]] = {
        SOURCE_GROUP: {
            "stream.arn": source.stream_arn,
            "stream.name": source.stream_name,
            "aws.region": Stack.of(application).region,
        },
        **properties,
    }
    if python_entry is not None:
        run_options = {"python": python_entry}
        if jar_file is not None:
            run_options["jarfile"] = jar_file
        groups[PYTHON_RUN_OPTIONS] = run_options
    return groups


def create_application(
    application: Construct,
    *,
    application_name: str | None,
    settings: FlinkSettings,
    role: iam.Role,
    policy: iam.Policy,
    code: CodeLocation,
    groups: Mapping[str, Mapping[str, str]],
    vpc_configurations: list[kda.CfnApplication.VpcConfigurationProperty] | None,
) -> kda.CfnApplication:
    """The application ``Resource``, created after the role's ``policy`` (the service checks
    the role when it creates the application)."""
    cfn = kda.CfnApplication
    resource = cfn(
        application,
        "Resource",
        application_name=application_name,
        application_description=f"Flink application {application.node.path}",
        runtime_environment=settings.runtime,
        service_execution_role=role.role_arn,
        application_configuration=cfn.ApplicationConfigurationProperty(
            application_code_configuration=cfn.ApplicationCodeConfigurationProperty(
                code_content_type="ZIPFILE",
                code_content=cfn.CodeContentProperty(
                    s3_content_location=cfn.S3ContentLocationProperty(
                        bucket_arn=code.bucket_arn, file_key=code.file_key
                    )
                ),
            ),
            application_snapshot_configuration=cfn.ApplicationSnapshotConfigurationProperty(
                snapshots_enabled=settings.snapshots
            ),
            environment_properties=cfn.EnvironmentPropertiesProperty(
                property_groups=[
                    cfn.PropertyGroupProperty(property_group_id=group_id, property_map=dict(values))
                    for group_id, values in groups.items()
                ]
            ),
            flink_application_configuration=_flink_configuration(settings),
            vpc_configurations=vpc_configurations,
        ),
    )
    resource.node.add_dependency(policy)
    return resource


def _flink_configuration(
    settings: FlinkSettings,
) -> kda.CfnApplication.FlinkApplicationConfigurationProperty:
    """Checkpoints, monitoring levels and parallelism (each ``CUSTOM``)."""
    cfn = kda.CfnApplication
    return cfn.FlinkApplicationConfigurationProperty(
        checkpoint_configuration=cfn.CheckpointConfigurationProperty(
            configuration_type="CUSTOM",
            checkpointing_enabled=True,
            checkpoint_interval=int(settings.checkpoint_interval.to_milliseconds()),
            min_pause_between_checkpoints=int(
                settings.min_pause_between_checkpoints.to_milliseconds()
            ),
        ),
        monitoring_configuration=cfn.MonitoringConfigurationProperty(
            configuration_type="CUSTOM",
            log_level=settings.log_level,
            metrics_level=settings.metrics_level,
        ),
        parallelism_configuration=cfn.ParallelismConfigurationProperty(
            configuration_type="CUSTOM",
            parallelism=settings.parallelism,
            parallelism_per_kpu=settings.parallelism_per_kpu,
            auto_scaling_enabled=settings.auto_scaling,
        ),
    )


def record_kpus(application: Pattern, settings: FlinkSettings) -> None:
    """The capacity line (KPUs, parallelism, scaling, runtime) and a warning above the
    default KPU quota; nothing when the parallelism is a token."""
    parallelism, per_kpu = settings.parallelism, settings.parallelism_per_kpu
    if is_unresolved(parallelism) or is_unresolved(per_kpu):
        return
    kpus = math.ceil(parallelism / per_kpu)
    scaling = "auto scaling" if settings.auto_scaling else "fixed"
    application.record_capacity(
        f"{kpus} KPU{'s' if kpus != 1 else ''} (parallelism {parallelism}, "
        f"{per_kpu} per KPU), {scaling}, {settings.runtime}"
    )
    if kpus > DEFAULT_KPU_QUOTA:
        application.warn(
            "stream-analytics:kpu-quota",
            f"{kpus} KPUs exceed the default quota of {DEFAULT_KPU_QUOTA} KPUs per "
            "application; request a quota increase before deploying",
        )
