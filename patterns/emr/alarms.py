"""The alarms of :class:`~patterns.emr.EmrCluster` (``AWS/ElasticMapReduce``, ``JobFlowId``).

A transient cluster's id is known only at run time, so :class:`~patterns.emr.TransientEmrWorkflow`
is alarmed through its :class:`~patterns.workflow.Workflow` (failed, timed-out, throttled and
aborted executions) instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration

from patterns.core.monitoring import Monitoring
from patterns.core.validation import format_duration

if TYPE_CHECKING:
    from patterns.emr.cluster import EmrCluster

__all__ = ["add_cluster_alarms"]


def add_cluster_alarms(
    cluster: EmrCluster,
    monitoring: Monitoring,
    *,
    hdfs_utilization_alarm_percent: float,
    apps_pending_alarm_after: Duration,
) -> None:
    """``UnhealthyNodes`` (15 min), ``HdfsUtilization`` (10 min over the percentage),
    ``AppsPending`` (applications waiting for capacity that long) and ``MissingBlocks``."""
    path = cluster.node.path
    pending_periods = max(1, int(apps_pending_alarm_after.to_seconds() // 300))
    for name, metric, threshold, evaluation_periods, description in (
        (
            "UnhealthyNodes",
            cluster.metric_unhealthy_nodes(),
            0,
            3,
            f"{path}: YARN reports unhealthy nodes (disk full or failing) for 15 min.",
        ),
        (
            "HdfsUtilization",
            cluster.metric_hdfs_utilization(),
            hdfs_utilization_alarm_percent,
            2,
            f"{path}: HDFS is over {hdfs_utilization_alarm_percent:g}% full; add core capacity "
            "or move data to S3.",
        ),
        (
            "AppsPending",
            cluster.metric_apps_pending(),
            0,
            pending_periods,
            f"{path}: applications have waited {format_duration(apps_pending_alarm_after)} for "
            "capacity; managed scaling is at its maximum or capacity is unavailable.",
        ),
        (
            "MissingBlocks",
            cluster.metric_missing_blocks(),
            0,
            1,
            f"{path}: HDFS has blocks with no replica left (data lost).",
        ),
    ):
        monitoring.alarm(
            name,
            metric=metric,
            threshold=threshold,
            evaluation_periods=evaluation_periods,
            description=description,
        )
