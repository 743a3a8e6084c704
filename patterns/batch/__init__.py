"""AWS Batch compute environments, a job queue, job definitions and scheduled submission:
:class:`BatchJobs`."""

from patterns.batch.construct import BatchJobs
from patterns.batch.options import (
    FARGATE_MEMORY_MIB,
    ComputeEnvironmentOptions,
    JobDefinitionOptions,
    fargate_memory_options,
)
from patterns.core.network import private_vpc

__all__ = [
    "FARGATE_MEMORY_MIB",
    "BatchJobs",
    "ComputeEnvironmentOptions",
    "JobDefinitionOptions",
    "fargate_memory_options",
    "private_vpc",
]
