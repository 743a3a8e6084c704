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


def _public_patterns() -> dict[str, type]:
    from patterns.core.pattern import Pattern

    return {
        name: getattr(patterns, name)
        for name in patterns.__all__
        if inspect.isclass(getattr(patterns, name)) and issubclass(getattr(patterns, name), Pattern)
    }


def test_every_pattern_has_the_uniform_metric_api() -> None:
    """``metric(metric_name, **options)`` and at least one ``metric_<name>()`` on every pattern."""
    shapes = {}
    for name, cls in _public_patterns().items():
        parameters = inspect.signature(cls.metric).parameters
        first = list(parameters)[1]
        takes_options = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
        key_metrics = [m for m in dir(cls) if m.startswith("metric_")]
        shapes[name] = (first, takes_options, bool(key_metrics))
    assert {
        name: shape for name, shape in shapes.items() if shape != ("metric_name", True, True)
    } == {}


def test_every_grant_takes_the_grantee_first() -> None:
    wrong = {
        f"{name}.{method}": list(inspect.signature(getattr(cls, method)).parameters)[1:2]
        for name, cls in _public_patterns().items()
        for method in dir(cls)
        if method.startswith("grant_")
        and list(inspect.signature(getattr(cls, method)).parameters)[1:2] != ["grantee"]
    }
    assert wrong == {}
