"""Alarms and dashboard widgets with one optional alarm topic.

Every pattern owns one :class:`Monitoring`. It creates CloudWatch alarms with
an action on ALARM and on OK to the topic the user passes (``alarm_topic``),
keeps them in ``alarms`` by role, and adds a titled row of alarm widgets to a
dashboard the user passes (``dashboard``). The user's ``alarm_overrides`` (role name ->
:class:`AlarmOverride` or ``None``) switch an alarm off or change its threshold, period,
evaluation periods and datapoints to alarm, in one place for every pattern.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.defaults import allow_service_to_use_key
from patterns.core.deferred import deferred
from patterns.core.metadata import ALARMS_METADATA
from patterns.core.validation import Validator, format_duration, is_unresolved

__all__ = [
    "AlarmOverride",
    "Monitoring",
    "allow_cloudwatch_alarms_to_publish",
    "check_alarm_overrides",
    "create_alarm_topic",
    "let_cloudwatch_notify",
]

#: The sub-minute periods an alarm can have (high-resolution metrics): PutMetricAlarm accepts
#: 10, 20 and 30 s, aws-cdk-lib's metrics 1, 5, 10 and 30 s; any other period must be a
#: multiple of 60 s.
HIGH_RESOLUTION_PERIODS = (10, 30)
#: Period x evaluation periods may be at most 1 day for a period under 1 hour, else 7 days.
MAX_WINDOW_SHORT_PERIOD = 86_400
MAX_WINDOW = 604_800
_ONE_HOUR = 3_600
#: CloudFormation's limit on ``AlarmDescription``.
MAX_DESCRIPTION = 1_024


@dataclass(frozen=True)
class AlarmOverride:
    """New settings for one alarm of a pattern (``alarm_overrides={"<Name>": AlarmOverride(...)}``).

    Every field is optional: a field left out keeps the pattern's value. The alarm's metric,
    statistic and comparison stay the pattern's. CloudWatch's limits apply to the combination of
    given and kept values (checked at synth): the period is 10 or 30 s (high-resolution
    metrics only) or a multiple of 60 s, ``period x evaluation_periods`` is at most 1 day (7 days
    for a period of 1 hour or more), and ``datapoints_to_alarm <= evaluation_periods``.

    Attributes:
        threshold: the value compared with the statistic, in the metric's unit (seconds for an
            age, a count for messages, percent for a rate; the alarm's description says which).
            Any finite number. Default: the pattern's threshold.
        period: the period the statistic is computed over; the alarm's metric is rebuilt with
            it (``metric.with_(period=...)``). Default: the pattern's period.
        evaluation_periods: how many recent periods are evaluated (at least 1). Default: the
            pattern's value.
        datapoints_to_alarm: how many of those periods must breach ("M out of N"), 1 ..
            ``evaluation_periods``. Default: the pattern's value (all of them unless the
            pattern says otherwise).
    """

    threshold: float | None = None
    period: Duration | None = None
    evaluation_periods: int | None = None
    datapoints_to_alarm: int | None = None


def _seconds(period: object) -> float | None:
    """The seconds of a concrete Duration (None for a token or anything else)."""
    if isinstance(period, Duration) and not period.is_unresolved():
        return float(period.to_seconds(integral=False))
    return None


def _check_window(
    v: Validator,
    prop: str,
    period: object,
    evaluation_periods: int | None,
    datapoints_to_alarm: int | None,
) -> None:
    """CloudWatch's limits on the combination: the evaluation window and M out of N."""
    seconds = _seconds(period)
    concrete = isinstance(evaluation_periods, int) and not is_unresolved(evaluation_periods)
    if seconds is not None and concrete and evaluation_periods is not None:
        limit = MAX_WINDOW if seconds >= _ONE_HOUR else MAX_WINDOW_SHORT_PERIOD
        window = seconds * evaluation_periods
        if window > limit:
            v.add(
                prop,
                f"evaluates {evaluation_periods} periods of {format_duration(seconds)} = "
                f"{format_duration(window)}; CloudWatch allows at most {format_duration(limit)} "
                f"for a period {'of 1 h or more' if seconds >= _ONE_HOUR else 'under 1 h'}",
            )
    if (
        concrete
        and isinstance(datapoints_to_alarm, int)
        and not is_unresolved(datapoints_to_alarm)
        and evaluation_periods is not None
        and datapoints_to_alarm > evaluation_periods
    ):
        v.add(
            prop,
            f"alarms on {datapoints_to_alarm} datapoints out of {evaluation_periods} evaluation "
            "periods; datapoints_to_alarm must be at most evaluation_periods",
        )


def _check_override(v: Validator, prop: str, override: AlarmOverride) -> None:
    """The values of one override on their own (their combination with the pattern's values is
    checked when the alarm is created)."""
    before = len(v.problems)
    threshold = override.threshold
    if threshold is not None and not is_unresolved(threshold):
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            v.add(f"{prop}.threshold", f"must be a number, got {threshold!r}")
        elif not math.isfinite(threshold):
            v.add(f"{prop}.threshold", f"must be a finite number, got {threshold!r}")
    period = override.period
    if period is not None and not is_unresolved(period):
        seconds = _seconds(period)
        if seconds is None:
            v.add(f"{prop}.period", f"must be an aws_cdk.Duration, got {period!r}")
        elif seconds not in HIGH_RESOLUTION_PERIODS and (seconds <= 0 or seconds % 60):
            v.add(
                f"{prop}.period",
                f"must be 10 s, 30 s or a multiple of 60 s, got {format_duration(seconds)}",
            )
    for field in ("evaluation_periods", "datapoints_to_alarm"):
        v.number_in_range(f"{prop}.{field}", getattr(override, field), minimum=1, integer=True)
    if len(v.problems) == before:
        _check_window(
            v, prop, override.period, override.evaluation_periods, override.datapoints_to_alarm
        )


def check_alarm_overrides(v: Validator, overrides: object) -> None:
    """The ``alarm_overrides`` prop: a mapping of alarm name -> :class:`AlarmOverride` or
    ``None``, each override within CloudWatch's limits; ``None`` (not given) is skipped. Whether
    each name is an alarm of the pattern is checked by :meth:`Monitoring.finish`."""
    if overrides is None:
        return
    if not isinstance(overrides, Mapping):
        v.add(
            "alarm_overrides",
            "must be a mapping of alarm name -> AlarmOverride or None, "
            f"got {type(overrides).__name__} {overrides!r}",
        )
        return
    for name, override in overrides.items():
        prop = f"alarm_overrides[{name!r}]"
        if not isinstance(name, str):
            v.add("alarm_overrides", f"keys must be alarm names (str), got {name!r}")
        elif override is not None and not isinstance(override, AlarmOverride):
            v.add(prop, f"must be an AlarmOverride or None, got {type(override).__name__}")
        elif override is not None:
            _check_override(v, prop, override)


def _describe(override: AlarmOverride) -> str:
    """``threshold 600, period 5 min`` - what an override changed, for the description."""
    parts = []
    if override.threshold is not None:
        threshold = override.threshold
        parts.append(f"threshold {'token' if is_unresolved(threshold) else f'{threshold:g}'}")
    seconds = _seconds(override.period)
    if override.period is not None:
        parts.append(f"period {format_duration(seconds) if seconds is not None else 'token'}")
    if override.evaluation_periods is not None:
        parts.append(f"{override.evaluation_periods} evaluation periods")
    if override.datapoints_to_alarm is not None:
        parts.append(f"{override.datapoints_to_alarm} datapoints to alarm")
    return ", ".join(parts)


_DEFAULT_PERIOD = deferred(Duration, "minutes", 1)


class Monitoring:
    """Creates the alarms of one pattern under ``scope/Alarms``.

    Args:
        scope: the pattern.
        alarm_topic: SNS topic notified on ALARM and OK. Default: no action (the alarms still
            show in the console and on the dashboard).
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
        overrides: alarm name -> :class:`AlarmOverride`, or ``None`` to not create that alarm
            (checked by :func:`check_alarm_overrides`). Default: every alarm as the pattern
            defines it.

    Attributes:
        alarms: the alarms created, by name (a switched-off alarm is not in it).
        known: every alarm name the pattern defines here, created or switched off.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        self._owner = scope
        self._scope = Construct(scope, "Alarms")
        if alarm_topic is not None:
            let_cloudwatch_notify(alarm_topic)
        self.alarm_topic = alarm_topic
        self.dashboard = dashboard
        self.overrides: Mapping[str, AlarmOverride | None] = overrides or {}
        self.alarms: dict[str, cw.Alarm] = {}
        self.known: list[str] = []
        self._problems: list[str] = []

    def alarm(
        self,
        name: str,
        *,
        metric: cw.IMetric,
        threshold: float,
        description: str,
        comparison: cw.ComparisonOperator = cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluation_periods: int = 1,
        datapoints_to_alarm: int | None = None,
        treat_missing_data: cw.TreatMissingData = cw.TreatMissingData.NOT_BREACHING,
    ) -> cw.Alarm | None:
        """Create the alarm ``name`` (a stable PascalCase id, e.g. ``BillingDlqNotEmpty``) as
        the user's override of that name says: ``None`` creates nothing (and returns None), an
        :class:`AlarmOverride` replaces the values it gives."""
        if name in self.known:
            raise ValueError(f"alarm {name} defined twice")
        self.known.append(name)
        props: dict[str, Any] = {
            "metric": metric,
            "threshold": threshold,
            "evaluation_periods": evaluation_periods,
            "datapoints_to_alarm": datapoints_to_alarm,
            "alarm_description": description,
        }
        if name in self.overrides:
            override = self.overrides[name]
            if override is None:
                return None
            props = self._overridden(name, override, props)
        alarm = cw.Alarm(
            self._scope,
            name,
            comparison_operator=comparison,
            treat_missing_data=treat_missing_data,
            **props,
        )
        if self.alarm_topic is not None:
            action = cw_actions.SnsAction(self.alarm_topic)
            alarm.add_alarm_action(action)
            alarm.add_ok_action(action)
        self.alarms[name] = alarm
        return alarm

    def skip(self, names: Iterable[str]) -> None:
        """Names of alarms the pattern defines but does not create in this configuration (an
        override of them is then not an unknown name)."""
        self.known.extend(name for name in names if name not in self.known)

    def _overridden(
        self, name: str, override: AlarmOverride, props: dict[str, Any]
    ) -> dict[str, Any]:
        """``props`` with the override's values; their combination with the values kept is
        checked here and reported by :meth:`finish`."""
        metric = props["metric"]
        if override.period is not None:
            metric = metric.with_(period=override.period)
        evaluation_periods = override.evaluation_periods or props["evaluation_periods"]
        datapoints = override.datapoints_to_alarm or props["datapoints_to_alarm"]
        v = Validator(self._owner)
        _check_window(
            v,
            f"alarm_overrides[{name!r}]",
            getattr(metric, "period", None),
            evaluation_periods,
            datapoints,
        )
        self._problems.extend(v.problems)
        note = f" Tuned by alarm_overrides: {_describe(override)}."
        description = str(props["alarm_description"])[: MAX_DESCRIPTION - len(note)] + note
        threshold = props["threshold"] if override.threshold is None else override.threshold
        return {
            "metric": metric,
            "threshold": threshold,
            "evaluation_periods": evaluation_periods,
            "datapoints_to_alarm": datapoints,
            "alarm_description": description,
        }

    def queue_not_empty(
        self,
        name: str,
        queue: sqs.IQueue,
        *,
        description: str,
        period: Duration = _DEFAULT_PERIOD,
    ) -> cw.Alarm | None:
        """Alarm as soon as a DLQ (or any queue that should stay empty) holds a message."""
        return self.alarm(
            name,
            metric=queue.metric_approximate_number_of_messages_visible(
                period=period, statistic="Maximum"
            ),
            threshold=0,
            description=description,
        )

    def finish(self, title: str) -> None:
        """Check the overrides (a name the pattern does not define, a combination beyond
        CloudWatch's limits: one PatternValidationError naming the pattern), then record the
        alarm count for the review table and add the dashboard row, if any."""
        v = Validator(self._owner)
        v.problems.extend(self._problems)
        unknown = [name for name in self.overrides if name not in self.known]
        if unknown:
            valid = ", ".join(self.known) if self.known else "none in this configuration"
            v.add(
                "alarm_overrides",
                f"names alarms this pattern does not define: {', '.join(map(repr, unknown))}; "
                f"its alarms are: {valid}",
            )
        v.raise_if_invalid()
        self._scope.node.add_metadata(ALARMS_METADATA, len(self.alarms))
        if self.dashboard is None or not self.alarms:
            return
        self.dashboard.add_widgets(cw.TextWidget(markdown=f"## {title}", width=24, height=1))
        widgets: list[cw.IWidget] = [
            cw.AlarmWidget(alarm=alarm, title=name, width=8, height=6)
            for name, alarm in self.alarms.items()
        ]
        for start in range(0, len(widgets), 3):
            self.dashboard.add_widgets(*widgets[start : start + 3])


def create_alarm_topic(
    scope: Construct,
    construct_id: str,
    *,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> sns.Topic:
    """An encrypted, TLS-only SNS topic that CloudWatch alarms can publish to.

    The topic's KMS key (rotating yearly) lets ``cloudwatch.amazonaws.com`` encrypt
    notifications from alarms of this account - without that statement an encrypted alarm
    topic silently drops every notification.
    """
    key = kms.Key(
        scope,
        f"{construct_id}Key",
        description=f"Encrypts the alarm topic {construct_id}",
        enable_key_rotation=True,
        removal_policy=removal_policy,
    )
    allow_service_to_use_key(key, "cloudwatch.amazonaws.com", sid="AllowCloudWatchAlarmsToPublish")
    topic = sns.Topic(scope, construct_id, master_key=key, enforce_ssl=True)
    allow_cloudwatch_alarms_to_publish(topic)
    return topic


def let_cloudwatch_notify(topic: sns.ITopic) -> None:
    """Make a topic given as ``alarm_topic`` able to receive this app's alarm notifications.

    For a topic defined in this app (``sns.Topic``) that has a resource policy (as
    ``enforce_ssl=True`` writes one), the policy gains the CloudWatch statement of
    :func:`allow_cloudwatch_alarms_to_publish`: a topic policy replaces SNS's default policy,
    so without it every notification is denied. A topic without a resource policy keeps SNS's
    default (which lets the account's CloudWatch publish) and is not changed: creating a
    policy would take away what the default allows. For a topic encrypted with a key of this
    app, the key policy lets ``cloudwatch.amazonaws.com`` use the key. Identical statements
    added by several patterns sharing a topic appear once.

    An imported topic or key cannot be changed here: its policies must already allow
    CloudWatch (see the README, "Defaults you can rely on").
    """
    if not isinstance(topic, sns.Topic):
        return
    if topic.node.try_find_child("Policy") is not None:
        allow_cloudwatch_alarms_to_publish(topic)
    key = topic.master_key
    if isinstance(key, kms.Key):
        allow_service_to_use_key(
            key, "cloudwatch.amazonaws.com", sid="AllowCloudWatchAlarmsToPublish"
        )


def allow_cloudwatch_alarms_to_publish(topic: sns.Topic) -> None:
    """Let CloudWatch alarms of the topic's own account publish to ``topic``.

    A topic with a resource policy (``enforce_ssl=True`` writes one) no longer has SNS's
    default policy, so without this statement every alarm notification is denied. The grant is
    scoped to ``cloudwatch.amazonaws.com`` acting for an alarm of this account
    (``aws:SourceAccount``, and ``aws:SourceArn`` an alarm ARN of this account and region).
    """
    stack = Stack.of(topic)
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudWatchAlarmsOfThisAccount",
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {
                    "aws:SourceArn": stack.format_arn(
                        service="cloudwatch",
                        resource="alarm",
                        resource_name="*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                },
            },
        )
    )
