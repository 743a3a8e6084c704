"""AWS Batch compute environments, a job queue, job definitions and scheduled submission:
:class:`BatchJobs`."""

from patterns.batch.construct import BatchJobs
from patterns.batch.network import private_vpc
from patterns.batch.options import (
    FARGATE_MEMORY_MIB,
    ComputeEnvironmentOptions,
    JobDefinitionOptions,
    fargate_memory_options,
)

__all__ = [
    "FARGATE_MEMORY_MIB",
    "BatchJobs",
    "ComputeEnvironmentOptions",
    "JobDefinitionOptions",
    "fargate_memory_options",
    "private_vpc",
]
