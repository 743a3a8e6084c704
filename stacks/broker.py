"""Example: an ActiveMQ broker for a JMS application moving from its data centre.

Active/standby across two AZs in the private subnets of a created VPC; the application's
security group may use OpenWire and AMQP, an operators' group may open the web console. For a
new application, SQS and SNS (``FanOutExample``) are the better choice.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from patterns.broker import MaintenanceWindow, MessageBroker
from patterns.core.monitoring import create_alarm_topic

__all__ = ["MessageBrokerExampleStack"]


class MessageBrokerExampleStack(cdk.Stack):
    """An active/standby ActiveMQ 5.19 broker with granted client and operator groups."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.broker = MessageBroker(
            self,
            "OrdersBroker",
            engine="ACTIVEMQ",
            maintenance_window=MaintenanceWindow(day_of_week="SUNDAY", time_of_day="02:30"),
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self.app_security_group = ec2.SecurityGroup(
            self,
            "OrderServiceSecurityGroup",
            vpc=self.broker.vpc,
            description="The order service (JMS over OpenWire, AMQP) that moved to AWS",
            allow_all_outbound=False,
        )
        self.broker.allow_from(self.app_security_group, "OpenWire", "AMQP")
        self.operators_security_group = ec2.SecurityGroup(
            self,
            "OperatorsSecurityGroup",
            vpc=self.broker.vpc,
            description="Bastion hosts of the operators: broker web console only",
            allow_all_outbound=False,
        )
        self.broker.allow_console_from(self.operators_security_group)
        cdk.CfnOutput(self, "BrokerId", value=self.broker.broker_id)
        cdk.CfnOutput(self, "CredentialsSecretArn", value=self.broker.credentials.secret_arn)


EXAMPLES = {"MessageBrokerExample": MessageBrokerExampleStack}
