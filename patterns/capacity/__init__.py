"""Capacity sizing (and pricing) from the expected load: pure functions, no CDK import.

Every planner returns the smallest capacity that satisfies every published
service limit - never less, and no padding unless the caller asks for it with
``growth_factor`` - together with the limit that binds and the headroom left,
so a reviewer can see *why* a number was chosen.

Arithmetic is exact (``fractions.Fraction``): a load of exactly 1 MiB/s needs
one shard, not two because of a rounding error.

Modules: :mod:`~patterns.capacity.kinesis` (shards), :mod:`~patterns.capacity.dynamodb`
(partitions), :mod:`~patterns.capacity.dynamodb_throughput` (RCU/WCU from the workload),
:mod:`~patterns.capacity.web` (web tier instances),
:mod:`~patterns.capacity.functions` (Lambda concurrency and the SQS event source),
:mod:`~patterns.capacity.sqs` / :mod:`~patterns.capacity.sns` (FIFO queue and topic
throughput, publish quotas), :mod:`~patterns.capacity.kinesis_modes` (on-demand vs
provisioned and the cost crossover), :mod:`~patterns.capacity.firehose` (S3 object size and
count), :mod:`~patterns.capacity.flink` (KPUs), :mod:`~patterns.capacity.stepfunctions`
(Standard vs Express), :mod:`~patterns.capacity.batch` (maximum vCPUs),
:mod:`~patterns.capacity.plan` (the plan
every load planner returns, and the first limit to break as the load grows),
:mod:`~patterns.capacity.pricing` (the dated, cited price table and the monthly cost),
:mod:`~patterns.capacity.sources` (the published limits and their pages).
"""

from __future__ import annotations

from patterns.capacity.batch import VcpuPlan, batch_max_vcpus, batch_max_vcpus_problems
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
from patterns.capacity.dynamodb_throughput import (
    DYNAMODB_MAX_ITEM_KB,
    DYNAMODB_TABLE_MAX_RCU,
    DYNAMODB_TABLE_MAX_WCU,
    IndexLoad,
    ThroughputPlan,
    dynamodb_throughput,
    dynamodb_throughput_problems,
    read_units_per_read,
    write_units_per_write,
)
from patterns.capacity.firehose import DeliveryPlan, firehose_delivery, firehose_delivery_problems
from patterns.capacity.flink import KpuPlan, flink_kpus, flink_kpus_problems
from patterns.capacity.functions import (
    LAMBDA_ACCOUNT_CONCURRENCY,
    LAMBDA_SCALING_PER_10_S,
    SQS_MAX_EVENT_SOURCE_CONCURRENCY,
    ConcurrencyPlan,
    lambda_concurrency,
    lambda_concurrency_problems,
    sqs_visibility_timeout,
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
from patterns.capacity.kinesis_modes import (
    StreamModePlan,
    kinesis_stream_mode,
    kinesis_stream_mode_problems,
)
from patterns.capacity.plan import (
    CAPACITY,
    QUOTA,
    GrowthReport,
    Limit,
    LoadPlan,
    Source,
    first_binding_limit,
)
from patterns.capacity.pricing import (
    HOURS_PER_MONTH,
    PRICES_READ_ON,
    US_EAST_1,
    CostLine,
    MonthlyCost,
    Price,
    monthly_cost,
    price_table,
)
from patterns.capacity.sns import TopicPlan, sns_topic, sns_topic_problems
from patterns.capacity.sqs import FifoQueuePlan, sqs_fifo_queue, sqs_fifo_queue_problems
from patterns.capacity.stepfunctions import (
    WorkflowPlan,
    step_functions_workflow,
    step_functions_workflow_problems,
)
from patterns.capacity.web import WebTierPlan, web_tier, web_tier_problems

__all__ = [
    "CAPACITY",
    "DYNAMODB_MAX_ITEM_KB",
    "DYNAMODB_PARTITION_GB",
    "DYNAMODB_PARTITION_RCU",
    "DYNAMODB_PARTITION_WCU",
    "DYNAMODB_TABLE_MAX_RCU",
    "DYNAMODB_TABLE_MAX_WCU",
    "HOURS_PER_MONTH",
    "KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS",
    "KINESIS_MAX_RECORD_KIB",
    "KINESIS_SHARD_READ_MIB_PER_S",
    "KINESIS_SHARD_WRITE_MIB_PER_S",
    "KINESIS_SHARD_WRITE_RECORDS_PER_S",
    "LAMBDA_ACCOUNT_CONCURRENCY",
    "LAMBDA_SCALING_PER_10_S",
    "PRICES_READ_ON",
    "QUOTA",
    "SQS_MAX_EVENT_SOURCE_CONCURRENCY",
    "US_EAST_1",
    "ConcurrencyPlan",
    "CostLine",
    "DeliveryPlan",
    "FifoQueuePlan",
    "GrowthReport",
    "IndexLoad",
    "KpuPlan",
    "Limit",
    "LoadPlan",
    "MonthlyCost",
    "PartitionPlan",
    "Price",
    "ShardPlan",
    "Source",
    "StreamModePlan",
    "ThroughputPlan",
    "TopicPlan",
    "VcpuPlan",
    "WebTierPlan",
    "WorkflowPlan",
    "batch_max_vcpus",
    "batch_max_vcpus_problems",
    "dynamodb_partition_problems",
    "dynamodb_partitions",
    "dynamodb_throughput",
    "dynamodb_throughput_problems",
    "firehose_delivery",
    "firehose_delivery_problems",
    "first_binding_limit",
    "flink_kpus",
    "flink_kpus_problems",
    "kinesis_shard_problems",
    "kinesis_shards",
    "kinesis_stream_mode",
    "kinesis_stream_mode_problems",
    "lambda_concurrency",
    "lambda_concurrency_problems",
    "monthly_cost",
    "price_table",
    "read_units_per_read",
    "sns_topic",
    "sns_topic_problems",
    "sqs_fifo_queue",
    "sqs_fifo_queue_problems",
    "sqs_visibility_timeout",
    "step_functions_workflow",
    "step_functions_workflow_problems",
    "web_tier",
    "web_tier_problems",
    "write_units_per_write",
]
