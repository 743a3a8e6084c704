"""Alarms and dashboard widgets with one optional alarm topic.

Every pattern owns one :class:`Monitoring`. It creates CloudWatch alarms with
an action on ALARM and on OK to the topic the user passes (``alarm_topic``),
keeps them in ``alarms`` by role, and adds a titled row of alarm widgets to a
dashboard the user passes (``dashboard``).
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from patterns.core.defaults import allow_service_to_use_key
from patterns.core.metadata import ALARMS_METADATA

__all__ = [
    "Monitoring",
    "allow_cloudwatch_alarms_to_publish",
    "create_alarm_topic",
    "let_cloudwatch_notify",
]


class Monitoring:
    """Creates the alarms of one pattern under ``scope/Alarms``.

    Args:
        scope: the pattern.
        alarm_topic: SNS topic notified on ALARM and OK. Default: no action (the alarms still
            show in the console and on the dashboard).
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        self._scope = Construct(scope, "Alarms")
        if alarm_topic is not None:
            let_cloudwatch_notify(alarm_topic)
        self.alarm_topic = alarm_topic
        self.dashboard = dashboard
        self.alarms: dict[str, cw.Alarm] = {}

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
    ) -> cw.Alarm:
        """Create the alarm ``name`` (a stable PascalCase id, e.g. ``BillingDlqNotEmpty``)."""
        if name in self.alarms:
            raise ValueError(f"alarm {name} defined twice")
        alarm = cw.Alarm(
            self._scope,
            name,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=datapoints_to_alarm,
            treat_missing_data=treat_missing_data,
            alarm_description=description,
        )
        if self.alarm_topic is not None:
            action = cw_actions.SnsAction(self.alarm_topic)
            alarm.add_alarm_action(action)
            alarm.add_ok_action(action)
        self.alarms[name] = alarm
        return alarm

    def queue_not_empty(
        self,
        name: str,
        queue: sqs.IQueue,
        *,
        description: str,
        period: Duration = Duration.minutes(1),
    ) -> cw.Alarm:
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
        """Record the alarm count for the review table and add the dashboard row, if any."""
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
