"""Capacity sizing (and pricing) from the expected load: pure functions, no CDK import.

Every planner returns the smallest capacity that satisfies every published
service limit - never less, and no padding unless the caller asks for it with
``growth_factor`` - together with the limit that binds and the headroom left,
so a reviewer can see *why* a number was chosen.

Arithmetic is exact (``fractions.Fraction``): a load of exactly 1 MiB/s needs
one shard, not two because of a rounding error.

Modules: :mod:`~patterns.capacity.kinesis` (shards), :mod:`~patterns.capacity.dynamodb`
(partitions).
"""

from __future__ import annotations

from patterns.capacity.dynamodb import (
    DYNAMODB_PARTITION_GB,
    DYNAMODB_PARTITION_RCU,
    DYNAMODB_PARTITION_WCU,
    PartitionPlan,
    dynamodb_partition_problems,
    dynamodb_partitions,
)
from patterns.capacity.dynamodb import (
    STORAGE as STORAGE,
)
from patterns.capacity.dynamodb import (
    THROUGHPUT as THROUGHPUT,
)
from patterns.capacity.kinesis import (
    KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS,
    KINESIS_MAX_RECORD_KIB,
    KINESIS_SHARD_READ_MIB_PER_S,
    KINESIS_SHARD_WRITE_MIB_PER_S,
    KINESIS_SHARD_WRITE_RECORDS_PER_S,
    ShardPlan,
    kinesis_shard_problems,
    kinesis_shards,
)
from patterns.capacity.kinesis import (
    READ_BYTES as READ_BYTES,
)
from patterns.capacity.kinesis import (
    WRITE_BYTES as WRITE_BYTES,
)
from patterns.capacity.kinesis import (
    WRITE_RECORDS as WRITE_RECORDS,
)

__all__ = [
    "DYNAMODB_PARTITION_GB",
    "DYNAMODB_PARTITION_RCU",
    "DYNAMODB_PARTITION_WCU",
    "KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS",
    "KINESIS_MAX_RECORD_KIB",
    "KINESIS_SHARD_READ_MIB_PER_S",
    "KINESIS_SHARD_WRITE_MIB_PER_S",
    "KINESIS_SHARD_WRITE_RECORDS_PER_S",
    "PartitionPlan",
    "ShardPlan",
    "dynamodb_partition_problems",
    "dynamodb_partitions",
    "kinesis_shard_problems",
    "kinesis_shards",
]
