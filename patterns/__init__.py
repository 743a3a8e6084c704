"""scalable-patterns: production-grade AWS CDK constructs for scalable architectures.

Public constructs and their option types::

    from patterns import TopicFanOut, QueueOptions, StreamToS3Pipeline, PatternValidationError
    from patterns import capacity

Names load on first use (PEP 562 ``__getattr__``): ``from patterns import TopicFanOut``
imports the fan-out and the aws-cdk-lib modules it needs, not every pattern; ``import
patterns`` alone loads no pattern and no aws-cdk-lib module.

Every construct validates its props at synth time and raises one
:class:`PatternValidationError` listing every problem.

``patterns.__version__`` is the installed distribution's version (``scalable-patterns`` in
``pyproject.toml``, the one source of the version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from patterns._lazy import lazy_names

if TYPE_CHECKING:  # type checkers and IDEs see every name; at run time __getattr__ loads them
    from patterns import capacity
    from patterns.batch import BatchJobs, ComputeEnvironmentOptions, JobDefinitionOptions
    from patterns.broker import MaintenanceWindow, MessageBroker
    from patterns.core.logs_key import use_logs_key
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

if TYPE_CHECKING:
    __version__: str


def _version() -> str:
    """The installed distribution's version, read on first access of ``__version__``
    (importlib.metadata costs about 35 ms: not paid by ``from patterns import X``)."""
    from importlib import metadata

    try:
        return metadata.version("scalable-patterns")
    except metadata.PackageNotFoundError:  # a checkout on sys.path that was never installed
        return "0+unknown"  # `make setup` (pip install -e .) or `pip install .` fixes it


#: public name -> the module that defines it (``capacity`` is that module itself)
_EXPORTS: dict[str, str] = {
    "AlarmOverride": "patterns.core.monitoring",
    "AutoScalingOptions": "patterns.data_tier",
    "BatchJobs": "patterns.batch",
    "Capacity": "patterns.web_tier",
    "CloudFrontOriginFacingPrefixList": "patterns.edge",
    "ComputeEnvironmentOptions": "patterns.batch",
    "DaxCache": "patterns.data_tier",
    "DaxOptions": "patterns.data_tier",
    "DynamicBehavior": "patterns.edge",
    "EdgeDistribution": "patterns.edge",
    "EmrCluster": "patterns.emr",
    "EmrStep": "patterns.emr",
    "EventDrivenFunction": "patterns.event_function",
    "FunctionLoad": "patterns.event_function",
    "GsiOptions": "patterns.data_tier",
    "HttpOriginOptions": "patterns.edge",
    "InstanceFleet": "patterns.emr",
    "InstanceGroup": "patterns.emr",
    "JobDefinitionOptions": "patterns.batch",
    "LsiOptions": "patterns.data_tier",
    "MaintenanceWindow": "patterns.broker",
    "ManagedScaling": "patterns.emr",
    "MessageBroker": "patterns.broker",
    "PatternValidationError": "patterns.core.validation",
    "PayloadBucket": "patterns.large_payload",
    "PayloadPointer": "patterns.large_payload",
    "PredictiveScaling": "patterns.web_tier",
    "QueueOptions": "patterns.fan_out",
    "RetryPolicy": "patterns.workflow",
    "ScalableTable": "patterns.data_tier",
    "ScalableWebTier": "patterns.web_tier",
    "ScalingStep": "patterns.web_tier",
    "ScheduledAction": "patterns.web_tier",
    "ScheduledCapacity": "patterns.data_tier",
    "StepScaling": "patterns.web_tier",
    "StreamAnalytics": "patterns.stream_analytics",
    "StreamToS3Pipeline": "patterns.stream_ingest",
    "TargetTracking": "patterns.web_tier",
    "TableWorkload": "patterns.data_tier",
    "TimeSeriesTables": "patterns.data_tier",
    "TopicFanOut": "patterns.fan_out",
    "TransientEmrWorkflow": "patterns.emr",
    "VideoIngestStream": "patterns.video",
    "WebLoad": "patterns.web_tier",
    "Workflow": "patterns.workflow",
    "WorkflowActivity": "patterns.workflow",
    "WorkflowLoad": "patterns.workflow",
    "add_catch": "patterns.workflow",
    "add_retry": "patterns.workflow",
    "capacity": "patterns.capacity",
    "origin_verify_secret": "patterns.edge",
    "use_logs_key": "patterns.core.logs_key",
}

_names, _dir_names = lazy_names(__name__, _EXPORTS, modules=frozenset({"capacity"}))


def __getattr__(name: str) -> Any:
    """A public name's module is imported on first access (PEP 562); ``__version__`` is read
    from the installed distribution's metadata then."""
    if name == "__version__":
        globals()[name] = version = _version()
        return version
    return _names(name)


def __dir__() -> list[str]:
    """The module's attributes and every public name, loaded or not."""
    return sorted({*_dir_names(), "__version__"})


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
    "use_logs_key",
]
