"""The alarms of :class:`~patterns.batch.BatchJobs`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration

from patterns.core.deferred import deferred
from patterns.core.monitoring import Monitoring

if TYPE_CHECKING:
    from patterns.batch.construct import BatchJobs

__all__ = ["add_batch_alarms"]

#: Period of the DLQ alarms.
DLQ_PERIOD = deferred(Duration, "minutes", 5)


def add_batch_alarms(jobs: BatchJobs, monitoring: Monitoring, *, scheduled_job: str | None) -> None:
    """``ScheduleDlqNotEmpty`` (with a schedule: a submission failed after its retries),
    ``JobsFailed`` (a job FAILED in 5 minutes) and ``NotificationDlqNotEmpty`` (a failed-job
    notification could not be delivered)."""
    path = jobs.node.path
    if jobs.schedule_dead_letter_queue is not None:
        monitoring.queue_not_empty(
            "ScheduleDlqNotEmpty",
            jobs.schedule_dead_letter_queue,
            description=(
                f"{path}: the schedule could not submit a {scheduled_job} job after its "
                "retries; the failed submission is in the schedule DLQ."
            ),
            period=DLQ_PERIOD,
        )
    monitoring.alarm(
        "JobsFailed",
        metric=jobs.metric_jobs_failed(),
        threshold=0,
        description=(
            f"{path}: a Batch job FAILED after its retries; see its log group "
            "and the job's status reason."
        ),
    )
    monitoring.queue_not_empty(
        "NotificationDlqNotEmpty",
        jobs.notification_dead_letter_queue,
        description=(
            f"{path}: EventBridge could not deliver failed-job notifications to "
            "the alarm topic; check the topic's key policy."
        ),
        period=DLQ_PERIOD,
    )
