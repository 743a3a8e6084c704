"""scalable-patterns: production-grade AWS CDK constructs for scalable architectures.

Public constructs and their option types::

    from patterns import TopicFanOut, QueueOptions, StreamToS3Pipeline, PatternValidationError
    from patterns import capacity

Every construct validates its props at synth time and raises one
:class:`PatternValidationError` listing every problem.

``patterns.__version__`` is the installed distribution's version (``scalable-patterns`` in
``pyproject.toml``, the one source of the version).
"""

from importlib import metadata as _metadata

from patterns import capacity
from patterns.batch import BatchJobs, ComputeEnvironmentOptions, JobDefinitionOptions
from patterns.broker import MaintenanceWindow, MessageBroker
from patterns.core.monitoring import AlarmOverride
from patterns.core.validation import PatternValidationError
from patterns.data_tier import (
    AutoScalingOptions,
    DaxCache,
    DaxOptions,
    GsiOptions,
    LsiOptions,
    ScalableTable,
    ScheduledCapacity,
    TableWorkload,
    TimeSeriesTables,
)
from patterns.edge import (
    CloudFrontOriginFacingPrefixList,
    DynamicBehavior,
    EdgeDistribution,
    HttpOriginOptions,
    origin_verify_secret,
)
from patterns.emr import (
    EmrCluster,
    EmrStep,
    InstanceFleet,
    InstanceGroup,
    ManagedScaling,
    TransientEmrWorkflow,
)
from patterns.event_function import EventDrivenFunction, FunctionLoad
from patterns.fan_out import QueueOptions, TopicFanOut
from patterns.large_payload import PayloadBucket, PayloadPointer
from patterns.stream_analytics import StreamAnalytics
from patterns.stream_ingest import StreamToS3Pipeline
from patterns.video import VideoIngestStream
from patterns.web_tier import (
    Capacity,
    PredictiveScaling,
    ScalableWebTier,
    ScalingStep,
    ScheduledAction,
    StepScaling,
    TargetTracking,
    WebLoad,
)
from patterns.workflow import (
    RetryPolicy,
    Workflow,
    WorkflowActivity,
    WorkflowLoad,
    add_catch,
    add_retry,
)

try:
    __version__: str = _metadata.version("scalable-patterns")
except _metadata.PackageNotFoundError:  # a checkout on sys.path that was never pip-installed
    __version__ = "0+unknown"  # `make setup` (pip install -e .) or `pip install .` fixes it

__all__ = [
    "AlarmOverride",
    "AutoScalingOptions",
    "BatchJobs",
    "Capacity",
    "CloudFrontOriginFacingPrefixList",
    "ComputeEnvironmentOptions",
    "DaxCache",
    "DaxOptions",
    "DynamicBehavior",
    "EdgeDistribution",
    "EmrCluster",
    "EmrStep",
    "EventDrivenFunction",
    "FunctionLoad",
    "GsiOptions",
    "HttpOriginOptions",
    "InstanceFleet",
    "InstanceGroup",
    "JobDefinitionOptions",
    "LsiOptions",
    "MaintenanceWindow",
    "ManagedScaling",
    "MessageBroker",
    "PatternValidationError",
    "PayloadBucket",
    "PayloadPointer",
    "PredictiveScaling",
    "QueueOptions",
    "RetryPolicy",
    "ScalableTable",
    "ScalableWebTier",
    "ScalingStep",
    "ScheduledAction",
    "ScheduledCapacity",
    "StepScaling",
    "StreamAnalytics",
    "StreamToS3Pipeline",
    "TableWorkload",
    "TargetTracking",
    "TimeSeriesTables",
    "TopicFanOut",
    "TransientEmrWorkflow",
    "VideoIngestStream",
    "WebLoad",
    "Workflow",
    "WorkflowActivity",
    "WorkflowLoad",
    "add_catch",
    "add_retry",
    "capacity",
    "origin_verify_secret",
]
