"""Bad inputs for every prop of every public construct, option type and helper, generated from
their signatures and dataclass fields (see ``tests/test_bad_inputs.py``).

A *target* is a public name of ``patterns.__all__`` with a ``build(stack, **override)`` that
builds that name's minimal valid configuration (``tests/user_apps/cases.MINIMAL`` for a
construct; for an option type, the minimal construct that takes it) with the given props or
fields replaced. :func:`cases` crosses every target's props with :func:`bad_values` of the
prop's type hint, so a new prop or field is covered without a hand-written test.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_stepfunctions as sfn

import patterns
from patterns.core.pattern import _admits_none
from tests.user_apps import cases as user_cases

__all__ = ["ABSURD", "TARGETS", "BadCase", "bad_values", "cases"]

#: An absurdly large number: 10**12 shards, vCPUs or reserved concurrency.
ABSURD = 10**12

Builder = Callable[..., object]


@dataclass(frozen=True)
class BadCase:
    """One target with one prop (or field) replaced by one bad value."""

    target: str
    prop: str
    label: str
    value: object
    #: whether the prop's hint is ``int`` (an AWS API Integer: 10**12 is never valid)
    whole_number: bool = False

    @property
    def id(self) -> str:
        return f"{self.target}.{self.prop}={self.label}"


def _key(name: str, kind: dynamodb.AttributeType = dynamodb.AttributeType.STRING) -> Any:
    return dynamodb.Attribute(name=name, type=kind)


def _image() -> ecs.ContainerImage:
    return ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/python:3.13")


# -- option types: the minimal valid instance and the construct that takes it ------------------
def _option(cls: type, required: Mapping[str, object], override: Mapping[str, object]) -> Any:
    return cls(**{**required, **override})


def _web(stack: cdk.Stack, **props: object) -> object:
    return user_cases.MINIMAL["ScalableWebTier"](stack, **props)


def _capacity(stack: cdk.Stack, **o: object) -> object:
    return _web(
        stack, capacity=_option(patterns.Capacity, {"min_capacity": 2, "max_capacity": 6}, o)
    )


def _target_tracking(stack: cdk.Stack, **o: object) -> object:
    tracking = _option(patterns.TargetTracking, {"metric": "cpu", "target_value": 50}, o)
    return _web(stack, target_tracking=[tracking])


def _predictive(stack: cdk.Stack, **o: object) -> object:
    return _web(
        stack, predictive_scaling=_option(patterns.PredictiveScaling, {"target_value": 50}, o)
    )


def _scheduled_action(stack: cdk.Stack, **o: object) -> object:
    required = {"name": "Peak", "schedule": "0 8 * * *", "min_capacity": 2}
    return _web(stack, scheduled_actions=[_option(patterns.ScheduledAction, required, o)])


_LOW = {"lower": None, "upper": 30, "change": -1}
_MID = {"lower": 30, "upper": 60, "change": 0}
_HIGH = {"lower": 60, "upper": None, "change": 2}


def _step_scaling(stack: cdk.Stack, **o: object) -> object:
    steps = tuple(patterns.ScalingStep(**s) for s in (_LOW, _MID, _HIGH))  # type: ignore[arg-type]
    step = _option(patterns.StepScaling, {"name": "Cpu", "metric": "cpu", "steps": steps}, o)
    return _web(stack, step_scaling=[step])


def _scaling_step(stack: cdk.Stack, **o: object) -> object:
    # the middle step: its bounds meet both neighbours' (a gap or overlap names the steps)
    middle = _option(patterns.ScalingStep, _MID, o)
    steps = (patterns.ScalingStep(**_LOW), middle, patterns.ScalingStep(**_HIGH))  # type: ignore[arg-type]
    return _web(stack, step_scaling=[patterns.StepScaling(name="Cpu", metric="cpu", steps=steps)])


def _table(stack: cdk.Stack, **props: object) -> object:
    return user_cases.MINIMAL["ScalableTable"](stack, **props)


def _auto_scaling(stack: cdk.Stack, **o: object) -> object:
    scaling = _option(patterns.AutoScalingOptions, {"min_capacity": 5, "max_capacity": 100}, o)
    return _table(stack, read_scaling=scaling, write_scaling=scaling)


def _scheduled_capacity(stack: cdk.Stack, **o: object) -> object:
    required = {"name": "Night", "schedule": appscaling.Schedule.rate(Duration.hours(1))}
    schedule = _option(patterns.ScheduledCapacity, required, o)
    scaling = patterns.AutoScalingOptions(min_capacity=5, max_capacity=100, schedules=(schedule,))
    return _table(stack, read_scaling=scaling, write_scaling=scaling)


def _gsi(stack: cdk.Stack, **o: object) -> object:
    gsi = _option(patterns.GsiOptions, {"partition_key": _key("customer")}, o)
    return _table(stack, global_secondary_indexes={"ByCustomer": gsi})


def _lsi(stack: cdk.Stack, **o: object) -> object:
    lsi = _option(patterns.LsiOptions, {"sort_key": _key("created")}, o)
    return _table(stack, sort_key=_key("sk"), local_secondary_indexes={"ByCreated": lsi})


def _dax_options(stack: cdk.Stack, **o: object) -> object:
    return _table(stack, cache=_option(patterns.DaxOptions, {}, o))


def _edge(stack: cdk.Stack, **props: object) -> object:
    return user_cases.MINIMAL["EdgeDistribution"](stack, **props)


def _http_origin(stack: cdk.Stack, **o: object) -> object:
    return _edge(
        stack,
        http_origin=_option(patterns.HttpOriginOptions, {"domain_name": "api.example.com"}, o),
        dynamic_behaviors=[patterns.DynamicBehavior("/api/*")],
    )


def _behavior(stack: cdk.Stack, **o: object) -> object:
    return _edge(
        stack,
        http_origin=patterns.HttpOriginOptions(domain_name="api.example.com"),
        dynamic_behaviors=[_option(patterns.DynamicBehavior, {"path_pattern": "/api/*"}, o)],
    )


def _queue(stack: cdk.Stack, **o: object) -> object:
    queue = _option(patterns.QueueOptions, {}, o)
    return user_cases.MINIMAL["TopicFanOut"](stack, queues={"billing": queue})


def _compute(stack: cdk.Stack, **o: object) -> object:
    environment = _option(patterns.ComputeEnvironmentOptions, {}, o)
    return user_cases.MINIMAL["BatchJobs"](stack, compute_environments={"default": environment})


def _job_definition(stack: cdk.Stack, **o: object) -> object:
    required = {"image": _image(), "command": ["python", "-c", "print(1)"]}
    job = _option(patterns.JobDefinitionOptions, required, o)
    return user_cases.MINIMAL["BatchJobs"](stack, job_definitions={"report": job})


def _emr(stack: cdk.Stack, **props: object) -> object:
    return user_cases.MINIMAL["EmrCluster"](stack, **props)


def _instance_group(stack: cdk.Stack, **o: object) -> object:
    return _emr(stack, core=_option(patterns.InstanceGroup, {}, o))


def _instance_fleet(stack: cdk.Stack, **o: object) -> object:
    fleet = _option(
        patterns.InstanceFleet, {"instance_types": ["m7g.xlarge"], "on_demand_units": 2}, o
    )
    primary = patterns.InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1)
    return _emr(stack, primary=primary, core=fleet)


def _managed_scaling(stack: cdk.Stack, **o: object) -> object:
    scaling = _option(patterns.ManagedScaling, {"minimum": 2, "maximum": 10}, o)
    return _emr(stack, managed_scaling=scaling)


def _emr_step(stack: cdk.Stack, **o: object) -> object:
    required = {"name": "count", "jar": "command-runner.jar", "args": ["true"]}
    step = _option(patterns.EmrStep, required, o)
    return user_cases.MINIMAL["TransientEmrWorkflow"](stack, steps=[step])


def _maintenance(stack: cdk.Stack, **o: object) -> object:
    window = _option(patterns.MaintenanceWindow, {}, o)
    return user_cases.MINIMAL["MessageBroker"](stack, maintenance_window=window)


def _task(stack: cdk.Stack) -> sfn.Parallel:
    return sfn.Parallel(stack, "Work")


def _retry_policy(stack: cdk.Stack, **o: object) -> object:
    return patterns.add_retry(_task(stack), _option(patterns.RetryPolicy, {}, o))


def _add_retry(stack: cdk.Stack, **props: object) -> object:
    return patterns.add_retry(**{"state": _task(stack), **props})  # type: ignore[arg-type]


def _add_catch(stack: cdk.Stack, **props: object) -> object:
    handler = sfn.Pass(stack, "Handle")
    return patterns.add_catch(**{"state": _task(stack), "handler": handler, **props})  # type: ignore[arg-type]


def _alarm_override(stack: cdk.Stack, **o: object) -> object:
    override = _option(patterns.AlarmOverride, {}, o)
    return user_cases.MINIMAL["VideoIngestStream"](
        stack, alarm_overrides={"PutMediaErrors": override}
    )


def _web_load(stack: cdk.Stack, **o: object) -> object:
    required = {"peak_requests_per_second": 100, "requests_per_second_per_instance": 20}
    return _web(stack, capacity=None, load=_option(patterns.WebLoad, required, o))


def _function_load(stack: cdk.Stack, **o: object) -> object:
    required = {"requests_per_second": 10, "average_duration": Duration.millis(200)}
    return user_cases.MINIMAL["EventDrivenFunction"](
        stack,
        schedule=events.Schedule.rate(Duration.minutes(5)),
        load=_option(patterns.FunctionLoad, required, o),
    )


def _workflow_load(stack: cdk.Stack, **o: object) -> object:
    required = {
        "executions_per_second": 1,
        "states_per_execution": 5,
        "duration": Duration.seconds(10),
    }
    return user_cases.MINIMAL["Workflow"](
        stack, expected_load=_option(patterns.WorkflowLoad, required, o)
    )


def _table_workload(stack: cdk.Stack, **o: object) -> object:
    required = {"reads_per_second": 80, "writes_per_second": 100, "item_kb": 6}
    return _table(stack, workload=_option(patterns.TableWorkload, required, o))


def _use_logs_key(stack: cdk.Stack, **props: object) -> object:
    key = kms.Key(stack, "TeamLogsKey", enable_key_rotation=True)
    return patterns.use_logs_key(stack, **{"key": key, **props})  # type: ignore[arg-type]


def _secret(stack: cdk.Stack, **props: object) -> object:
    return patterns.origin_verify_secret(stack, "OriginSecret", **props)  # type: ignore[arg-type]


#: option type -> the prop that holds it: a rule between several of its fields (steps that
#: must meet, a range) names that place (``step_scaling[0].steps[1] starts at 60 ...``).
OPTION_PLACES: dict[str, str] = {"ScalingStep": "steps", "StepScaling": "step_scaling"}

#: option type -> the builder of the construct that takes its minimal valid instance.
OPTION_BUILDERS: dict[str, Builder] = {
    "AlarmOverride": _alarm_override,
    "FunctionLoad": _function_load,
    "WebLoad": _web_load,
    "WorkflowLoad": _workflow_load,
    "AutoScalingOptions": _auto_scaling,
    "Capacity": _capacity,
    "ComputeEnvironmentOptions": _compute,
    "DaxOptions": _dax_options,
    "DynamicBehavior": _behavior,
    "EmrStep": _emr_step,
    "GsiOptions": _gsi,
    "HttpOriginOptions": _http_origin,
    "InstanceFleet": _instance_fleet,
    "InstanceGroup": _instance_group,
    "JobDefinitionOptions": _job_definition,
    "LsiOptions": _lsi,
    "MaintenanceWindow": _maintenance,
    "ManagedScaling": _managed_scaling,
    "PredictiveScaling": _predictive,
    "QueueOptions": _queue,
    "RetryPolicy": _retry_policy,
    "ScalingStep": _scaling_step,
    "ScheduledAction": _scheduled_action,
    "ScheduledCapacity": _scheduled_capacity,
    "StepScaling": _step_scaling,
    "TableWorkload": _table_workload,
    "TargetTracking": _target_tracking,
}

#: helper function -> the builder that calls it with valid arguments.
FUNCTION_BUILDERS: dict[str, Builder] = {
    "add_retry": _add_retry,
    "add_catch": _add_catch,
    "origin_verify_secret": _secret,
    "use_logs_key": _use_logs_key,
}

#: Public names that are no construct, option type or CDK helper: the error type, the
#: capacity-math module (its own property tests feed it NaN, infinity and negatives) and the
#: Lambda-side PayloadPointer value (no CDK, runs in the handler; tests/test_large_payload.py).
NOT_TARGETS = frozenset({"PatternValidationError", "capacity", "PayloadPointer"})


def _props(target: str) -> dict[str, object]:
    """prop or field -> its type hint, for one target."""
    obj = getattr(patterns, target)
    if dataclasses.is_dataclass(obj):
        hints = typing.get_type_hints(obj)
        return {f.name: hints[f.name] for f in dataclasses.fields(obj)}
    func = obj.__init__ if inspect.isclass(obj) else inspect.unwrap(obj)
    hints = typing.get_type_hints(func)
    # scope and id are the construct's place; state is the helper's receiver
    skip = {"self", "scope", "construct_id", "return", "state"}
    return {
        name: hints[name]
        for name in inspect.signature(func).parameters
        if name in hints and name not in skip
    }


def _builders() -> dict[str, Builder]:
    builders: dict[str, Builder] = {}
    for name in patterns.__all__:
        if name in NOT_TARGETS:
            continue
        if name in user_cases.MINIMAL:
            builders[name] = user_cases.MINIMAL[name]
        elif name in OPTION_BUILDERS:
            builders[name] = OPTION_BUILDERS[name]
        else:
            builders[name] = FUNCTION_BUILDERS[name]
    return builders


#: Every public target: name -> build(stack, **override).
TARGETS: dict[str, Builder] = _builders()


# -- bad values by type hint -------------------------------------------------------------------
class _NotAConstruct:
    """An object that is no construct, no Duration and no CDK interface."""

    def __repr__(self) -> str:
        return "<not a construct>"


def _arms(hint: object) -> list[object]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(hint) if a is not type(None)]
    return [hint]


def _kind(hint: object) -> str:
    origin = typing.get_origin(hint)
    if hint is bool:
        return "bool"
    if hint in (int, float):
        return "number"
    if hint is str:
        return "str"
    if origin is typing.Literal:
        return "literal"
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return "mapping"
    if origin is tuple or (
        isinstance(origin, type) and issubclass(origin, collections.abc.Sequence)
    ):
        return "sequence"
    if hint is Duration:
        return "duration"
    return "object"


def _element_hint(hint: object) -> object:
    """A sequence's item hint, a mapping's value hint."""
    args = [a for a in typing.get_args(hint) if a is not Ellipsis]
    return args[-1] if args else Any


def _wrong_element(hint: object) -> object:
    """An element of the wrong type for a collection's item hint."""
    return 5 if _kind(hint) == "str" else "not-an-item"


def _by_kind(kind: str, hint: object) -> Iterator[tuple[str, object]]:
    if kind == "bool":
        yield from (("str", "false"), ("int", 1))
    elif kind == "number":
        yield from (("str", "3"), ("bool", True), ("negative", -1), ("zero", 0))
        yield from (("nan", math.nan), ("inf", math.inf), ("-inf", -math.inf), ("absurd", ABSURD))
        if hint is int:
            yield ("fraction", 2.5)
    elif kind == "str":
        yield from (("int", 5), ("empty", ""))
    elif kind == "literal":
        yield from (("unknown", "no-such-choice"), ("int", 1))
    elif kind == "mapping":
        yield from (("str", "key=value"), ("list", ["key"]), ("empty", {}))
        yield ("bad-value", {"x": _wrong_element(_element_hint(hint))})
    elif kind == "sequence":
        yield from (("str", "abc"), ("mapping", {"a": 1}), ("empty", []))
        if not (typing.get_origin(hint) is tuple and typing.get_args(hint)[-1:] != (Ellipsis,)):
            yield ("bad-item", [_wrong_element(_element_hint(hint))])
    elif kind == "duration":
        yield from (("str", "30s"), ("int", 30), ("zero", Duration.seconds(0)))
        yield ("huge", Duration.days(ABSURD // 86_400))
    else:
        yield from (("str", "not-a-construct"), ("nan", math.nan), ("object", _NotAConstruct()))


def bad_values(hint: object) -> list[tuple[str, object]]:
    """(label, value) pairs that a prop of type ``hint`` may receive by mistake."""
    values: dict[str, object] = {}
    if not _admits_none(hint):
        values["none"] = None
    for arm in _arms(hint):
        for label, value in _by_kind(_kind(arm), arm):
            values.setdefault(label, value)
    # a value that is valid for another arm of a union is no bad input
    kinds = {_kind(a) for a in _arms(hint)}
    if "str" in kinds or "literal" in kinds:
        values.pop("str", None)
        values.pop("unknown", None) if "str" in kinds else None
    if "object" in kinds and len(kinds) > 1:
        values.pop("nan", None) if "number" in kinds else None
    return list(values.items())


def cases() -> list[BadCase]:
    """Every target x prop x bad value."""
    return [
        BadCase(target, prop, label, value, whole_number=int in _arms(hint))
        for target in TARGETS
        for prop, hint in _props(target).items()
        for label, value in bad_values(hint)
    ]
