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
    monitoring.alarm(
        "UnhealthyNodes",
        metric=cluster.metric_unhealthy_nodes(),
        threshold=0,
        evaluation_periods=3,
        description=f"{path}: YARN reports unhealthy nodes (disk full or failing) for 15 min.",
    )
    monitoring.alarm(
        "HdfsUtilization",
        metric=cluster.metric_hdfs_utilization(),
        threshold=hdfs_utilization_alarm_percent,
        evaluation_periods=2,
        description=(
            f"{path}: HDFS is over {hdfs_utilization_alarm_percent:g}% full; add core capacity "
            "or move data to S3."
        ),
    )
    periods = max(1, int(apps_pending_alarm_after.to_seconds() // 300))
    monitoring.alarm(
        "AppsPending",
        metric=cluster.metric_apps_pending(),
        threshold=0,
        evaluation_periods=periods,
        description=(
            f"{path}: applications have waited {format_duration(apps_pending_alarm_after)} for "
            "capacity; managed scaling is at its maximum or capacity is unavailable."
        ),
    )
    monitoring.alarm(
        "MissingBlocks",
        metric=cluster.metric_missing_blocks(),
        threshold=0,
        description=f"{path}: HDFS has blocks with no replica left (data lost).",
    )
