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

import sys
import types
from typing import TYPE_CHECKING

from patterns._lazy import lazy_names

if TYPE_CHECKING:  # type checkers and IDEs see every name; at run time __getattr__ loads them
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
    from patterns.capacity.firehose import (
        DeliveryPlan,
        firehose_delivery,
        firehose_delivery_problems,
    )
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

#: public name -> the module that defines it: a planner's module is imported on first use,
#: so a pattern that plans only Kinesis shards does not load the other planners.
_EXPORTS: dict[str, str] = {
    "CAPACITY": "patterns.capacity.plan",
    "ConcurrencyPlan": "patterns.capacity.functions",
    "CostLine": "patterns.capacity.pricing",
    "DYNAMODB_MAX_ITEM_KB": "patterns.capacity.dynamodb_throughput",
    "DYNAMODB_PARTITION_GB": "patterns.capacity.dynamodb",
    "DYNAMODB_PARTITION_RCU": "patterns.capacity.dynamodb",
    "DYNAMODB_PARTITION_WCU": "patterns.capacity.dynamodb",
    "DYNAMODB_TABLE_MAX_RCU": "patterns.capacity.dynamodb_throughput",
    "DYNAMODB_TABLE_MAX_WCU": "patterns.capacity.dynamodb_throughput",
    "DeliveryPlan": "patterns.capacity.firehose",
    "FifoQueuePlan": "patterns.capacity.sqs",
    "GrowthReport": "patterns.capacity.plan",
    "HOURS_PER_MONTH": "patterns.capacity.pricing",
    "IndexLoad": "patterns.capacity.dynamodb_throughput",
    "KINESIS_MAX_ENHANCED_FAN_OUT_CONSUMERS": "patterns.capacity.kinesis",
    "KINESIS_MAX_RECORD_KIB": "patterns.capacity.kinesis",
    "KINESIS_SHARD_READ_MIB_PER_S": "patterns.capacity.kinesis",
    "KINESIS_SHARD_WRITE_MIB_PER_S": "patterns.capacity.kinesis",
    "KINESIS_SHARD_WRITE_RECORDS_PER_S": "patterns.capacity.kinesis",
    "KpuPlan": "patterns.capacity.flink",
    "LAMBDA_ACCOUNT_CONCURRENCY": "patterns.capacity.functions",
    "LAMBDA_SCALING_PER_10_S": "patterns.capacity.functions",
    "Limit": "patterns.capacity.plan",
    "LoadPlan": "patterns.capacity.plan",
    "MonthlyCost": "patterns.capacity.pricing",
    "PRICES_READ_ON": "patterns.capacity.pricing",
    "PartitionPlan": "patterns.capacity.dynamodb",
    "Price": "patterns.capacity.pricing",
    "QUOTA": "patterns.capacity.plan",
    "READ_BYTES": "patterns.capacity.kinesis",
    "SQS_MAX_EVENT_SOURCE_CONCURRENCY": "patterns.capacity.functions",
    "STORAGE": "patterns.capacity.dynamodb",
    "ShardPlan": "patterns.capacity.kinesis",
    "Source": "patterns.capacity.plan",
    "StreamModePlan": "patterns.capacity.kinesis_modes",
    "THROUGHPUT": "patterns.capacity.dynamodb",
    "ThroughputPlan": "patterns.capacity.dynamodb_throughput",
    "TopicPlan": "patterns.capacity.sns",
    "US_EAST_1": "patterns.capacity.pricing",
    "VcpuPlan": "patterns.capacity.batch",
    "WRITE_BYTES": "patterns.capacity.kinesis",
    "WRITE_RECORDS": "patterns.capacity.kinesis",
    "WebTierPlan": "patterns.capacity.web",
    "WorkflowPlan": "patterns.capacity.stepfunctions",
    "batch_max_vcpus": "patterns.capacity.batch",
    "batch_max_vcpus_problems": "patterns.capacity.batch",
    "dynamodb_partition_problems": "patterns.capacity.dynamodb",
    "dynamodb_partitions": "patterns.capacity.dynamodb",
    "dynamodb_throughput": "patterns.capacity.dynamodb_throughput",
    "dynamodb_throughput_problems": "patterns.capacity.dynamodb_throughput",
    "firehose_delivery": "patterns.capacity.firehose",
    "firehose_delivery_problems": "patterns.capacity.firehose",
    "first_binding_limit": "patterns.capacity.plan",
    "flink_kpus": "patterns.capacity.flink",
    "flink_kpus_problems": "patterns.capacity.flink",
    "kinesis_shard_problems": "patterns.capacity.kinesis",
    "kinesis_shards": "patterns.capacity.kinesis",
    "kinesis_stream_mode": "patterns.capacity.kinesis_modes",
    "kinesis_stream_mode_problems": "patterns.capacity.kinesis_modes",
    "lambda_concurrency": "patterns.capacity.functions",
    "lambda_concurrency_problems": "patterns.capacity.functions",
    "monthly_cost": "patterns.capacity.pricing",
    "price_table": "patterns.capacity.pricing",
    "read_units_per_read": "patterns.capacity.dynamodb_throughput",
    "sns_topic": "patterns.capacity.sns",
    "sns_topic_problems": "patterns.capacity.sns",
    "sqs_fifo_queue": "patterns.capacity.sqs",
    "sqs_fifo_queue_problems": "patterns.capacity.sqs",
    "sqs_visibility_timeout": "patterns.capacity.functions",
    "step_functions_workflow": "patterns.capacity.stepfunctions",
    "step_functions_workflow_problems": "patterns.capacity.stepfunctions",
    "web_tier": "patterns.capacity.web",
    "web_tier_problems": "patterns.capacity.web",
    "write_units_per_write": "patterns.capacity.dynamodb_throughput",
}


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)


class _Package(types.ModuleType):
    """``dynamodb_throughput`` is both a planner and its submodule's name: importing the
    submodule would set the package attribute to the module (and shadow the planner). The
    public name stays the planner; the module is still in ``sys.modules``."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


#: Public names that are also the names of submodules.
_SHADOWED = frozenset({"dynamodb_throughput"})
sys.modules[__name__].__class__ = _Package

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
