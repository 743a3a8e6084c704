"""The container job definitions of :class:`~patterns.batch.BatchJobs`: container, log
group, retry strategy and timeout."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aws_cdk import RemovalPolicy, Size
from aws_cdk import aws_batch as batch
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from constructs import Construct

from patterns.batch.options import JobDefinitionOptions
from patterns.core import defaults
from patterns.core.ids import pascal

__all__ = ["HOST_TERMINATED_REASON", "job_definition", "retry_strategies"]

#: Status reason of a job whose EC2 host went away (Spot reclaim, instance termination).
HOST_TERMINATED_REASON = "Host EC2*"


def job_definition(
    scope: Construct,
    name: str,
    o: JobDefinitionOptions,
    *,
    fargate: bool,
    removal_policy: RemovalPolicy,
) -> tuple[batch.EcsJobDefinition, logs.LogGroup]:
    """The job definition ``<Name>JobDefinition``, its container ``<Name>Container`` (Fargate
    or EC2) and its log group ``<Name>Logs``."""
    prefix = pascal(name)
    log_group = defaults.log_group(
        scope, f"{prefix}Logs", retention=o.log_retention, removal_policy=removal_policy
    )
    common: dict[str, Any] = {
        "image": o.image,
        "command": list(o.command) if o.command is not None else None,
        "cpu": o.vcpus,
        "memory": Size.mebibytes(o.memory_mib),
        "environment": dict(o.environment) if o.environment else None,
        "secrets": dict(o.secrets) if o.secrets else None,
        "job_role": o.job_role,
        "logging": ecs.LogDrivers.aws_logs(stream_prefix=name, log_group=log_group),
        "readonly_root_filesystem": o.readonly_root_filesystem,
    }
    container: batch.IEcsContainerDefinition
    if fargate:
        container = batch.EcsFargateContainerDefinition(
            scope,
            f"{prefix}Container",
            assign_public_ip=False,
            fargate_cpu_architecture=(
                ecs.CpuArchitecture.ARM64 if o.arm64 else ecs.CpuArchitecture.X86_64
            ),
            fargate_operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ephemeral_storage_size=(
                Size.gibibytes(o.ephemeral_storage_gib) if o.ephemeral_storage_gib else None
            ),
            **common,
        )
    else:
        container = batch.EcsEc2ContainerDefinition(scope, f"{prefix}Container", **common)
    definition = batch.EcsJobDefinition(
        scope,
        f"{prefix}JobDefinition",
        container=container,
        retry_attempts=o.retry_attempts,
        retry_strategies=retry_strategies(o.retry_exit_codes),
        timeout=o.timeout,
        propagate_tags=True,
    )
    return definition, log_group


def retry_strategies(retry_exit_codes: Iterable[str]) -> list[batch.RetryStrategy]:
    """Retry a job that lost its host and on each of ``retry_exit_codes``; fail it at once on
    any other exit code."""
    return [
        batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
        *(
            batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.custom(on_exit_code=code))
            for code in retry_exit_codes
        ),
        batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom(on_exit_code="*")),
    ]
