"""The base every pattern builds on: common props, monitoring, metrics, capacity lines.

A pattern's constructor reads like this (see ``patterns/video/construct.py``)::

    class VideoIngestStream(Pattern):
        def __init__(self, scope, construct_id, *, retention=..., alarm_topic=None, ...):
            super().__init__(scope, construct_id, encryption_key=encryption_key,
                             removal_policy=removal_policy, alarm_topic=alarm_topic,
                             dashboard=dashboard)
            v = self.validator()                      # the common props are checked here
            validate.retention(v, retention)          # small rules over the props they need
            v.raise_if_invalid()
            ...                                       # then the feature builders
            monitoring = self.start_monitoring()      # with the alarm topic and dashboard
            alarms.add_ingest_alarms(self, monitoring, ...)
            monitoring.finish("Video ingest ...")

What every pattern has, it gets from here: ``alarms`` (role name -> alarm), ``metric(name,
**options)`` from :meth:`Pattern.metric_source`, warnings and the capacity line of the
review table (:meth:`Pattern.report_plan` turns a capacity plan into both).
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from aws_cdk import Annotations, Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.capacity.plan import LoadPlan
from patterns.core.deferred import deferred
from patterns.core.metadata import record_capacity, record_cost
from patterns.core.monitoring import AlarmOverride, Monitoring, check_alarm_overrides
from patterns.core.typecheck import call_checked, construct_path
from patterns.core.validation import PatternValidationError, Validator, format_duration

if TYPE_CHECKING:
    from patterns.capacity import Price

__all__ = ["CapacityPlan", "MetricSource", "Pattern", "check_common_props"]

_P = TypeVar("_P")

#: Prefix of every warning id a pattern writes (``scalable-patterns:stream-ingest:plan``).
WARNING_PREFIX = "scalable-patterns"


def check_common_props(
    v: Validator,
    *,
    encryption_key: object = None,
    removal_policy: object = None,
    alarm_topic: object = None,
    dashboard: object = None,
    alarm_overrides: object = None,
) -> None:
    """The types of the props most patterns share; ``None`` (not given) is skipped.

    Args:
        v: the pattern's validator.
        encryption_key: must be a ``kms.IKey``.
        removal_policy: must be an ``aws_cdk.RemovalPolicy``.
        alarm_topic: must be an ``sns.ITopic``.
        dashboard: must be a ``cloudwatch.Dashboard``.
        alarm_overrides: alarm name -> ``AlarmOverride`` or ``None``, within CloudWatch's
            limits (see :func:`~patterns.core.monitoring.check_alarm_overrides`).
    """
    v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
    v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
    v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
    v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
    check_alarm_overrides(v, alarm_overrides)


class CapacityPlan(Protocol):
    """What :meth:`Pattern.report_plan` needs of a plan from :mod:`patterns.capacity`."""

    @property
    def notes(self) -> tuple[str, ...]:
        """Advice that does not change the capacity (each becomes a synth warning)."""
        ...

    def summary(self) -> str:
        """The one-line capacity summary of the review table."""
        ...


_DEFAULT_PERIOD = deferred(Duration, "minutes", 5)


@dataclass(frozen=True)
class MetricSource:
    """Where a pattern's primary metrics come from (see :meth:`Pattern.metric`).

    Attributes:
        namespace: the CloudWatch namespace (``AWS/KinesisVideo``).
        dimensions: the dimensions that select this pattern's resource.
        statistic: the statistic used unless the caller names one.
        period: the period used unless the caller names one.
    """

    namespace: str
    dimensions: dict[str, str] = field(default_factory=dict)
    statistic: str = "Average"
    period: Duration = _DEFAULT_PERIOD


def _admits_none(annotation: object) -> bool:
    """Whether a type hint allows ``None`` (``X | None``, ``Optional[X]``, ``Any``, ``object``)."""
    if annotation is None or annotation is type(None) or annotation in (Any, object):
        return True
    return (
        any(_admits_none(arg) for arg in typing.get_args(annotation))
        if typing.get_args(annotation)
        and typing.get_origin(annotation) in (typing.Union, types.UnionType)
        else False
    )


@functools.cache
def _none_rules(init: Callable[..., None]) -> dict[str, object]:
    """The keyword-only props of a pattern's ``__init__`` whose type does not admit ``None``,
    with their defaults."""
    signature = inspect.signature(init)
    hints = typing.get_type_hints(init)
    return {
        name: parameter.default
        for name, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        and name in hints
        and not _admits_none(hints[name])
    }


def _describe_default(value: object) -> str:
    if value is inspect.Parameter.empty:
        return "it is required"
    if isinstance(value, RemovalPolicy):
        return f"leave it out for the default RemovalPolicy.{value.name}"
    if isinstance(value, Duration) and not value.is_unresolved():
        return f"leave it out for the default {format_duration(value)}"
    return f"leave it out for the default {value!r}"


#: id(pattern) -> the ``None`` problems found in its keyword arguments, until its validator.
_NONE_PROBLEMS: dict[int, list[str]] = {}


def _rejecting_none(init: Callable[..., None]) -> Callable[..., None]:
    """Wrap a pattern's ``__init__``: a ``None`` given for a prop whose type does not admit it
    is recorded and reported by the pattern's validator with every other problem (a ``None``
    would otherwise silently mean "off" or "Delete"); a prop whose value does not match its
    type hint ends in a PatternValidationError, never in a crash
    (:func:`patterns.core.typecheck.call_checked`)."""

    @functools.wraps(init)
    def wrapper(self: Pattern, *args: Any, **kwargs: Any) -> None:
        outermost = id(self) not in _NONE_PROBLEMS
        if outermost:
            strict = _none_rules(init)
            nones = [
                f"{name} must not be None ({_describe_default(strict[name])})"
                for name, value in kwargs.items()
                if value is None and name in strict
            ]
            _NONE_PROBLEMS[id(self)] = nones
            try:
                call_checked(
                    init,
                    (self, *args),
                    kwargs,
                    path=lambda: construct_path(args, kwargs, type(self).__name__),
                    first=nones,
                )
            finally:
                _NONE_PROBLEMS.pop(id(self), None)
        else:
            init(self, *args, **kwargs)

    return wrapper


class Pattern(Construct):
    """Base of every pattern construct.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        encryption_key: the pattern's ``encryption_key`` prop as the user gave it (checked to
            be a ``kms.IKey`` by :meth:`validator`). Default: none given.
        removal_policy: the pattern's ``removal_policy`` prop (checked to be a
            ``RemovalPolicy``). Default: none given.
        alarm_topic: the pattern's ``alarm_topic`` prop (checked to be an ``sns.ITopic``; used
            by :meth:`start_monitoring`). Default: none given.
        dashboard: the pattern's ``dashboard`` prop (checked to be a ``cloudwatch.Dashboard``;
            used by :meth:`start_monitoring`). Default: none given.
        alarm_overrides: the pattern's ``alarm_overrides`` prop (checked by :meth:`validator`;
            applied by the :class:`Monitoring` of :meth:`start_monitoring`). Default: none.

    Attributes:
        alarms: the pattern's alarms by role name (``DlqNotEmpty``); empty until the pattern
            starts its monitoring.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _rejecting_none(cls.__dict__["__init__"])  # type: ignore[method-assign]

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption_key: object = None,
        removal_policy: object = None,
        alarm_topic: object = None,
        dashboard: object = None,
        alarm_overrides: object = None,
    ) -> None:
        """Args: the props most patterns share, as the user gave them; :meth:`validator`
        checks their types and :meth:`start_monitoring` uses the alarm topic, dashboard and
        alarm overrides."""
        super().__init__(scope, construct_id)
        self.alarms: dict[str, cw.Alarm] = {}
        self._none_problems = _NONE_PROBLEMS.get(id(self), [])
        self._common: dict[str, object] = {
            "encryption_key": encryption_key,
            "removal_policy": removal_policy,
            "alarm_topic": alarm_topic,
            "dashboard": dashboard,
            "alarm_overrides": alarm_overrides,
        }

    # -- validation --------------------------------------------------------------------------
    def validator(self) -> Validator:
        """A validator that names this construct in its error, holding already the problems of
        the common props given to the base (see :func:`check_common_props`)."""
        v = Validator(self)
        v.problems.extend(self._none_problems)
        check_common_props(v, **self._common)
        return v

    # -- monitoring --------------------------------------------------------------------------
    def start_monitoring(
        self, *, alarm_topic: sns.ITopic | None = None, dashboard: cw.Dashboard | None = None
    ) -> Monitoring:
        """Create the pattern's :class:`Monitoring` (under ``<pattern>/Alarms``); its alarms
        are this pattern's ``alarms``. The topic and dashboard default to those given to the
        base (validated by then); the base's ``alarm_overrides`` apply to its alarms."""
        topic = alarm_topic if alarm_topic is not None else self._common["alarm_topic"]
        board = dashboard if dashboard is not None else self._common["dashboard"]
        overrides = cast(Mapping[str, AlarmOverride | None] | None, self._common["alarm_overrides"])
        monitoring = Monitoring(
            self,
            alarm_topic=cast(sns.ITopic | None, topic),
            dashboard=cast(Any, board),
            overrides=overrides,
        )
        self.alarms = monitoring.alarms
        return monitoring

    # -- metrics -----------------------------------------------------------------------------
    def metric_source(self) -> MetricSource:
        """Namespace, dimensions and default statistic/period of :meth:`metric`.

        Every pattern overrides this (or :meth:`metric` itself, when its metrics come from an
        aws-cdk-lib L2 such as ``Table.metric``).
        """
        raise NotImplementedError(f"{type(self).__name__} defines no metric source")

    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """A CloudWatch metric of this pattern's primary resource.

        Args:
            metric_name: the metric's name in the pattern's namespace.
            **options: ``cloudwatch.MetricOptions`` (``statistic``, ``period``, ``label``,
                ``unit`` ...); the pattern's defaults apply to those not given.
        """
        source = self.metric_source()
        props: dict[str, Any] = {"statistic": source.statistic, "period": source.period}
        props.update(options)
        dimensions = {**source.dimensions, **props.pop("dimensions_map", {})}
        return cw.Metric(
            namespace=source.namespace,
            metric_name=metric_name,
            dimensions_map=dimensions,
            **props,
        )

    # -- warnings and the review table ---------------------------------------------------------
    def warn(self, warning: str, message: str) -> None:
        """A synth warning ``scalable-patterns:<warning>`` (``cdk synth`` prints it)."""
        Annotations.of(self).add_warning_v2(f"{WARNING_PREFIX}:{warning}", message)

    def record_capacity(self, summary: str) -> None:
        """The capacity line of this pattern in the review table (``make synth``)."""
        record_capacity(self, summary)

    def report_plan(
        self,
        plan: CapacityPlan,
        *,
        warning: str,
        what: str | None = None,
        summary: str | None = None,
        prices: Mapping[str, Price | float] | None = None,
        prices_prop: str = "prices",
        idle_usage: Mapping[str, float] | None = None,
        warn_notes: bool = True,
    ) -> None:
        """Turn a capacity plan into warnings (one per note) and the review-table line - and,
        for a :class:`~patterns.capacity.LoadPlan`, its cost at load (construct metadata
        :data:`~patterns.core.metadata.COST_METADATA`, see :mod:`patterns.core.cost`).

        Args:
            plan: a plan from :mod:`patterns.capacity`.
            warning: the warning id after ``scalable-patterns:`` (``data-tier:hot-key``).
            what: prefixes each note (``"index ByCustomer"``). Default: the note alone.
            summary: the capacity line. Default ``plan.summary()``; ``""`` records none (and
                no cost).
            prices: the pattern's price overrides (a prop), applied over the app context's
                ``scalable-patterns:prices`` and the built-in us-east-1 table. Default: none.
            prices_prop: the prop's name in errors (``"load.prices"``). Default ``prices``.
            idle_usage: the plan's monthly usage with no traffic. Default: its capacity-hours
                and GB-months (:func:`patterns.core.cost.idle_usage`).
            warn_notes: each note is a synth warning (default True); False for notes that
                only inform - they are still in the cost record the review shows.

        Raises:
            PatternValidationError: a price of ``prices`` or of the context key is not a
                price (naming the prop or the key).
        """
        for note in plan.notes if warn_notes else ():
            self.warn(warning, f"{what}: {note}" if what else note)
        line = plan.summary() if summary is None else summary
        if not line:
            return
        self.record_capacity(line)
        if not isinstance(plan, LoadPlan):
            return
        # the price table loads with the first plan: a pattern that plans nothing never pays it
        from patterns.core.cost import cost_record, prices_for

        table, problems = prices_for(self, prices, prices_prop)
        if problems:
            raise PatternValidationError(self.node.path, problems)
        record = cost_record(plan, table, line=line, idle=idle_usage)
        if record["unpriced"]:
            self.warn(
                "cost:unpriced",
                f"no price for {', '.join(record['unpriced'])}: the cost at load leaves it out; "
                f"give it in {prices_prop} or the app context key scalable-patterns:prices",
            )
        record_cost(self, record)

    def plan_load(self, prop: str, planner: Callable[..., _P], *args: Any, **kwargs: Any) -> _P:
        """``planner(*args, **kwargs)`` (a :mod:`patterns.capacity` planner), its ValueError on
        a bad load raised as this construct's :class:`PatternValidationError`, each problem
        prefixed with ``prop`` (the prop that stated the load)."""
        try:
            return planner(*args, **kwargs)
        except ValueError as exc:
            lines = [f"{prop}: {line}" for line in str(exc).split("; ")]
            raise PatternValidationError(self.node.path, lines) from None
