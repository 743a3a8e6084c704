"""The names users import from `patterns` exist and are the constructs they expect."""

from __future__ import annotations

import inspect

from constructs import Construct

import patterns

CONSTRUCTS = [
    "BatchJobs",
    "DaxCache",
    "EdgeDistribution",
    "EmrCluster",
    "EventDrivenFunction",
    "MessageBroker",
    "StreamAnalytics",
    "VideoIngestStream",
    "PayloadBucket",
    "ScalableTable",
    "ScalableWebTier",
    "StreamToS3Pipeline",
    "TimeSeriesTables",
    "TopicFanOut",
    "TransientEmrWorkflow",
    "Workflow",
]


def test_all_names_resolve() -> None:
    missing = [name for name in patterns.__all__ if not hasattr(patterns, name)]
    assert missing == []


def test_constructs_have_keyword_only_typed_props() -> None:
    for name in CONSTRUCTS:
        cls = getattr(patterns, name)
        assert issubclass(cls, Construct), name
        params = list(inspect.signature(cls.__init__).parameters.values())
        assert [p.name for p in params[:3]] == ["self", "scope", "construct_id"], name
        for param in params[3:]:
            assert param.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}.{param.name}"
            assert param.annotation is not inspect.Parameter.empty, f"{name}.{param.name}"
        assert cls.__doc__ and len(cls.__doc__) > 200, f"{name} needs a real docstring"


def test_validation_error_is_a_value_error() -> None:
    assert issubclass(patterns.PatternValidationError, ValueError)
