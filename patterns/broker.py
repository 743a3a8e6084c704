"""Amazon MQ: a managed ActiveMQ or RabbitMQ broker, for moving an existing broker to AWS.

**For a new application, prefer SQS and SNS** (:class:`patterns.TopicFanOut`): they scale
without capacity planning, cost nothing when idle and need no VPC, patching or credentials.
The broker is for migrations: applications that speak JMS, AMQP 0-9-1 / 1.0, MQTT, STOMP,
OpenWire or WebSocket to an existing ActiveMQ or RabbitMQ broker move to Amazon MQ without
rewriting their messaging code.

aws-cdk-lib has no L2 for Amazon MQ; the pattern puts a typed, validated surface over
``AWS::AmazonMQ::Broker``.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from functools import cache
from typing import Literal

from aws_cdk import ArnFormat, Duration, Names, RemovalPolicy, Stack
from aws_cdk import aws_amazonmq as amazonmq
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core import defaults
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge
from patterns.core.network import isolated_subnets, new_vpc
from patterns.core.validation import Validator, is_unresolved

__all__ = ["BrokerEngine", "MaintenanceWindow", "MessageBroker"]

BrokerEngine = Literal["ACTIVEMQ", "RABBITMQ"]

#: Engine versions Amazon MQ supports for new brokers (newest first; the first is the default).
#: Amazon MQ takes major.minor and applies patch versions itself (auto minor version upgrade,
#: which these versions require). Update this list when Amazon MQ adds or retires a version.
SUPPORTED_VERSIONS: dict[str, tuple[str, ...]] = {
    "ACTIVEMQ": ("5.19", "5.18"),
    "RABBITMQ": ("4.2", "3.13"),
}
#: Instance families per engine; RabbitMQ 4.x runs on mq.m7g only.
INSTANCE_FAMILIES: dict[str, tuple[str, ...]] = {
    "ACTIVEMQ": ("mq.t3.micro", "mq.m5."),
    "RABBITMQ": ("mq.t3.micro", "mq.m5.", "mq.m7g."),
}
DEFAULT_INSTANCE_TYPE = {"ACTIVEMQ": "mq.m5.large", "RABBITMQ": "mq.m7g.large"}
#: The TLS endpoints of each engine (clients connect with TLS only).
ENGINE_PORTS: dict[str, dict[str, int]] = {
    "ACTIVEMQ": {
        "OpenWire": 61617,
        "AMQP": 5671,
        "STOMP": 61614,
        "MQTT": 8883,
        "WSS": 61619,
    },
    "RABBITMQ": {"AMQPS": 5671},
}
#: The web console (and the RabbitMQ management API) port.
CONSOLE_PORT = {"ACTIVEMQ": 8162, "RABBITMQ": 443}
_BROKER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,50}$")
_USERNAME = re.compile(r"^[A-Za-z0-9_.~-]{2,100}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
#: MaintenanceWindow.TimeZone: "UTC by default, in either the Country/City format, or the UTC
#: offset format" (Amazon MQ API reference, WeeklyStartTime). An offset: ``+05:30``, ``UTC-3``.
_UTC_OFFSET = re.compile(r"^(UTC|GMT)?[+-](0?\d|1[0-4])(:?[0-5]\d)?$")
#: Characters Amazon MQ refuses in passwords, plus those that break connection URLs.
PASSWORD_EXCLUDED = ",:=\"'\\/@`% "


@dataclass(frozen=True)
class MaintenanceWindow:
    """The weekly window in which Amazon MQ applies patches and minor versions.

    Attributes:
        day_of_week: ``MONDAY`` .. ``SUNDAY``.
        time_of_day: ``HH:MM`` (24-hour clock).
        time_zone: ``UTC`` or a ``Country/City`` zone. Default UTC.
    """

    day_of_week: str = "SUNDAY"
    time_of_day: str = "03:00"
    time_zone: str = "UTC"


class MessageBroker(Construct):
    """An Amazon MQ broker (ActiveMQ or RabbitMQ) in private subnets, for migrations.

    Prefer SQS/SNS for a new application; use this to move existing JMS, AMQP, MQTT, STOMP or
    WebSocket clients without rewriting them.

    Defaults, each secure and highly available:

    * deployment: ActiveMQ ``ACTIVE_STANDBY_MULTI_AZ`` (two brokers in two AZs on shared
      storage), RabbitMQ ``CLUSTER_MULTI_AZ`` (three nodes behind one endpoint).
      ``SINGLE_INSTANCE`` only with ``dev_single_instance=True``: one AZ, and downtime at every
      patch.
    * network: private subnets (one per AZ) of ``vpc`` or of a created VPC (isolated
      subnets, every flow logged), never publicly accessible; a security group that admits
      nothing until you call :meth:`allow_from` (and :meth:`allow_console_from`).
    * credentials: an administrator user whose password Secrets Manager generates
      (:attr:`credentials`, JSON ``{"username", "password"}``), encrypted with the broker key.
      Amazon MQ has no managed rotation: to rotate, put a new password in the secret and update
      the stack (ActiveMQ applies it at the next reboot / maintenance window; for RabbitMQ
      change it through the management API - CloudFormation ignores user changes after
      creation). Applications read the secret at start-up (:meth:`grant_read_credentials`).
    * encryption at rest: ActiveMQ with a customer-managed KMS key (yearly rotation);
      RabbitMQ always uses an AWS owned key (Amazon MQ accepts no customer key for RabbitMQ,
      so ``encryption_key`` is rejected for it). In transit: TLS endpoints only.
    * logs: general logs to CloudWatch Logs, and audit logs for ActiveMQ (RabbitMQ has none).
      Amazon MQ creates the groups ``/aws/amazonmq/broker/<id>/...`` itself; a CloudWatch Logs
      resource policy lets it write them (ActiveMQ). Their retention is not managed by this
      construct: set it once the broker exists.
    * automatic minor version upgrades in ``maintenance_window`` (required by the supported
      versions); ``engine_version`` is validated against the versions Amazon MQ supports.

    Alarms (``AWS/AmazonMQ``): ActiveMQ heap usage and store usage (per broker instance);
    RabbitMQ memory used as a share of the memory high watermark and free disk approaching its
    limit.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        engine: ``"ACTIVEMQ"`` or ``"RABBITMQ"``.
        engine_version: major.minor. Default: the newest supported (ActiveMQ 5.19,
            RabbitMQ 4.2). Supported: see ``SUPPORTED_VERSIONS``.
        instance_type: broker instance type. Default ``mq.m5.large`` (ActiveMQ),
            ``mq.m7g.large`` (RabbitMQ; 4.x runs on mq.m7g only). ``mq.t3.micro`` only with
            ``dev_single_instance=True``.
        dev_single_instance: deploy one broker instance in one AZ (development only).
            Default False.
        vpc: the VPC of the broker and its clients. Default: a new VPC with isolated subnets
            in two AZs (three for a RabbitMQ cluster) and flow logs.
        vpc_subnets: which subnets of ``vpc``. Default: its private (else isolated) subnets,
            one per AZ. Public subnets are rejected.
        username: the administrator's user name (2-100 letters, digits, ``_.~-``; not
            ``guest``). Default ``broker-admin``.
        broker_name: physical name (1-50 letters, digits, ``-``, ``_``). Default: derived from
            the construct path (Amazon MQ requires a name).
        encryption_key: ActiveMQ only: the KMS key of the broker storage. Default: a new key
            with yearly rotation (it also encrypts the credentials secret).
        maintenance_window: when patches are applied. Default Sunday 03:00 UTC.
        removal_policy: of the broker, secret, key and created VPC's flow log group.
            Default RETAIN (the broker holds undelivered messages); DESTROY for dev.
        alarm_topic: notified on ALARM and OK. Default: none.
        dashboard: a dashboard to add the alarm widgets to. Default: none.

    Raises:
        PatternValidationError: with every invalid prop, before any resource is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        engine: BrokerEngine,
        engine_version: str | None = None,
        instance_type: str | None = None,
        dev_single_instance: bool = False,
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        username: str = "broker-admin",
        broker_name: str | None = None,
        encryption_key: kms.IKey | None = None,
        maintenance_window: MaintenanceWindow | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        window = maintenance_window or MaintenanceWindow()
        self._validate(
            vpc=vpc,
            vpc_subnets=vpc_subnets,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            engine=engine,
            engine_version=engine_version,
            instance_type=instance_type,
            dev_single_instance=dev_single_instance,
            username=username,
            broker_name=broker_name,
            encryption_key=encryption_key,
            window=window,
        )
        self.engine: str = engine
        self.engine_version: str = engine_version or SUPPORTED_VERSIONS[engine][0]
        self.instance_type: str = instance_type or DEFAULT_INSTANCE_TYPE[engine]
        self.deployment_mode = _deployment_mode(engine, dev_single_instance)

        # -- network -----------------------------------------------------------------------
        #: The flow log group of a created VPC (None when ``vpc`` is given).
        self.flow_log_group: logs.LogGroup | None = None
        if vpc is None:
            vpc = self._create_vpc(removal_policy)
        self.vpc: ec2.IVpc = vpc
        subnets = self._select_subnets(vpc, vpc_subnets)
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            description=f"Amazon MQ broker {self.node.path}: TLS endpoints from granted clients",
            allow_all_outbound=False,
        )
        self.connections = ec2.Connections(security_groups=[self.security_group])

        # -- encryption and credentials ----------------------------------------------------
        self.encryption_key: kms.IKey = encryption_key or defaults.encryption_key(
            self,
            "Key",
            description=(
                f"Encrypts the broker storage and credentials of {self.node.path}"
                if engine == "ACTIVEMQ"
                else f"Encrypts the broker credentials of {self.node.path}"
            ),
            removal_policy=removal_policy,
        )
        self.credentials = secretsmanager.Secret(
            self,
            "Credentials",
            description=f"Administrator of the Amazon MQ broker {self.node.path}",
            encryption_key=self.encryption_key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=f'{{"username": "{username}"}}',
                generate_string_key="password",
                exclude_characters=PASSWORD_EXCLUDED,
                password_length=32,
            ),
            removal_policy=removal_policy,
        )
        acknowledge(
            self.credentials,
            "AwsSolutions::AwsSolutions-SMG4",
            "Amazon MQ has no Secrets Manager rotation integration: a RabbitMQ password is "
            "changed through the broker's management API and an ActiveMQ password applies "
            "only after a reboot, so rotation is an operator procedure documented on "
            "MessageBroker, not a scheduled Lambda.",
        )

        # -- logs --------------------------------------------------------------------------
        self._logs_policy: logs.ResourcePolicy | None = None
        if engine == "ACTIVEMQ":
            self._allow_amazon_mq_logs()

        # -- broker ------------------------------------------------------------------------
        name = broker_name or Names.unique_resource_name(
            self, max_length=50, separator="-", allowed_special_characters="-_"
        )
        self.broker = amazonmq.CfnBroker(
            self,
            "Resource",
            broker_name=name,
            engine_type=engine,
            engine_version=self.engine_version,
            host_instance_type=self.instance_type,
            deployment_mode=self.deployment_mode,
            publicly_accessible=False,
            auto_minor_version_upgrade=True,
            subnet_ids=[subnet.subnet_id for subnet in subnets],
            security_groups=[self.security_group.security_group_id],
            users=[
                amazonmq.CfnBroker.UserProperty(
                    username=username,
                    password=self.credentials.secret_value_from_json("password").unsafe_unwrap(),
                    console_access=True if engine == "ACTIVEMQ" else None,
                )
            ],
            encryption_options=(
                amazonmq.CfnBroker.EncryptionOptionsProperty(
                    use_aws_owned_key=False, kms_key_id=self.encryption_key.key_arn
                )
                if engine == "ACTIVEMQ"
                else None
            ),
            logs=amazonmq.CfnBroker.LogListProperty(
                general=True, audit=True if engine == "ACTIVEMQ" else None
            ),
            maintenance_window_start_time=amazonmq.CfnBroker.MaintenanceWindowProperty(
                day_of_week=window.day_of_week.upper(),
                time_of_day=window.time_of_day,
                time_zone=window.time_zone,
            ),
        )
        self.broker.apply_removal_policy(removal_policy)
        if self._logs_policy is not None:
            self.broker.node.add_dependency(self._logs_policy)
        self.broker_name: str = name
        self.broker_id: str = self.broker.ref
        self.broker_arn: str = self.broker.attr_arn

        # -- alarms ------------------------------------------------------------------------
        monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        if engine == "ACTIVEMQ":
            self._activemq_alarms(monitoring)
        else:
            self._rabbitmq_alarms(monitoring)
        self.alarms: dict[str, cw.Alarm] = monitoring.alarms
        monitoring.finish(f"Message broker {self.node.path}")
        record_capacity(
            self,
            f"{engine.capitalize()} {self.engine_version} {self.instance_type}, "
            f"{self.deployment_mode.lower().replace('_', '-')}",
        )

    # -- public API ------------------------------------------------------------------------
    @property
    def ports(self) -> dict[str, int]:
        """The TLS client endpoints of the engine: protocol -> port."""
        return dict(ENGINE_PORTS[self.engine])

    def allow_from(self, peer: ec2.IConnectable, *protocols: str) -> None:
        """Admit ``peer`` (a security group, a Lambda function, an ASG...) to the broker's
        client endpoints: every protocol of the engine, or only the ``protocols`` named
        (``"OpenWire"``, ``"AMQP"``, ``"STOMP"``, ``"MQTT"``, ``"WSS"``; RabbitMQ ``"AMQPS"``).
        """
        ports = ENGINE_PORTS[self.engine]
        unknown = [p for p in protocols if p not in ports]
        if unknown:
            v = Validator(self)
            v.add("protocols", f"must be among {', '.join(ports)}, got {', '.join(unknown)}")
            v.raise_if_invalid()
        for protocol in protocols or tuple(ports):
            self.connections.allow_from(
                peer, ec2.Port.tcp(ports[protocol]), f"{protocol} (TLS) from a granted client"
            )

    def allow_console_from(self, peer: ec2.IConnectable) -> None:
        """Admit ``peer`` to the web console (ActiveMQ 8162; RabbitMQ 443, also the
        management API) - operators only."""
        self.connections.allow_from(
            peer, ec2.Port.tcp(CONSOLE_PORT[self.engine]), "Broker web console (TLS)"
        )

    def grant_read_credentials(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read the administrator credentials (and decrypt them)."""
        return self.credentials.grant_read(grantee)

    def metric(
        self, metric_name: str, *, broker: str | None = None, statistic: str = "Average"
    ) -> cw.Metric:
        """A 5-minute ``AWS/AmazonMQ`` metric of the broker (or of one ``broker`` instance)."""
        return cw.Metric(
            namespace="AWS/AmazonMQ",
            metric_name=metric_name,
            dimensions_map={"Broker": broker or self.broker_name},
            statistic=statistic,
            period=Duration.minutes(5),
        )

    # -- internals -------------------------------------------------------------------------
    def _create_vpc(self, removal_policy: RemovalPolicy) -> ec2.Vpc:
        vpc, self.flow_log_group = new_vpc(
            self,
            "Vpc",
            subnet_configuration=isolated_subnets("Broker"),
            max_azs=3 if self.deployment_mode == "CLUSTER_MULTI_AZ" else 2,
            removal_policy=removal_policy,
        )
        return vpc

    def _select_subnets(
        self, vpc: ec2.IVpc, selection: ec2.SubnetSelection | None
    ) -> list[ec2.ISubnet]:
        v = Validator(self)
        subnets = self._pick_subnets(v, vpc, selection, self.deployment_mode)
        v.raise_if_invalid()
        return subnets

    @staticmethod
    def _pick_subnets(
        v: Validator, vpc: ec2.IVpc, selection: ec2.SubnetSelection | None, deployment_mode: str
    ) -> list[ec2.ISubnet]:
        """The broker's subnets (one per AZ, as many as the deployment mode uses); problems go
        to ``v``."""
        if selection is not None:
            try:
                subnets = list(
                    vpc.select_subnets(
                        subnet_type=selection.subnet_type,
                        subnet_group_name=selection.subnet_group_name,
                        subnets=selection.subnets,
                        availability_zones=selection.availability_zones,
                        one_per_az=True,
                    ).subnets
                )
            except RuntimeError as error:  # jsii: "There are no 'Public' subnet groups ..."
                reason = str(error).strip().splitlines()[0] if str(error).strip() else "error"
                v.add("vpc_subnets", f"selects no subnets of the vpc: {reason}")
                return []
        else:
            private = list(vpc.private_subnets) or list(vpc.isolated_subnets)
            subnets, zones = [], set()
            for subnet in private:
                if subnet.availability_zone not in zones:
                    zones.add(subnet.availability_zone)
                    subnets.append(subnet)
        public_ids = {subnet.node.path for subnet in vpc.public_subnets}
        if any(subnet.node.path in public_ids for subnet in subnets):
            v.add("vpc_subnets", "must not select public subnets: the broker is private")
        needed = {"SINGLE_INSTANCE": 1, "ACTIVE_STANDBY_MULTI_AZ": 2, "CLUSTER_MULTI_AZ": 1}[
            deployment_mode
        ]
        if len(subnets) < needed:
            v.add(
                "vpc_subnets",
                f"must select private subnets in at least {needed} availability zone(s) for "
                f"{deployment_mode}, got {len(subnets)}",
            )
        if deployment_mode == "SINGLE_INSTANCE":
            return subnets[:1]
        if deployment_mode == "ACTIVE_STANDBY_MULTI_AZ":
            return subnets[:2]
        return subnets[:3]

    def _allow_amazon_mq_logs(self) -> None:
        """CloudWatch Logs resource policy: Amazon MQ may write ActiveMQ broker logs.

        Limited to the ``/aws/amazonmq/*`` log groups of this account and region, and to
        requests Amazon MQ makes for this account.
        """
        stack = Stack.of(self)
        self._logs_policy = logs.ResourcePolicy(
            self,
            "LogsResourcePolicy",
            resource_policy_name=f"AmazonMQ-{Names.unique_id(self)}"[:255],
            policy_statements=[
                iam.PolicyStatement(
                    sid="AllowAmazonMqToWriteBrokerLogs",
                    principals=[iam.ServicePrincipal("mq.amazonaws.com")],
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[
                        stack.format_arn(
                            service="logs",
                            resource="log-group",
                            resource_name="/aws/amazonmq/*",
                            arn_format=ArnFormat.COLON_RESOURCE_NAME,
                        )
                    ],
                    conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
                )
            ],
        )

    def _activemq_alarms(self, monitoring: Monitoring) -> None:
        instances = (
            [self.broker_name]
            if self.deployment_mode == "SINGLE_INSTANCE"
            else [f"{self.broker_name}-1", f"{self.broker_name}-2"]
        )
        for metric_name, alarm, threshold, advice in (
            (
                "HeapUsage",
                "HeapUsageHigh",
                70,
                "above 70% the broker throttles producers; consume faster or use a larger "
                "instance type",
            ),
            (
                "StorePercentUsage",
                "StoreUsageHigh",
                80,
                "at 100% producers are blocked; messages are piling up unconsumed",
            ),
        ):
            metrics = {
                f"m{i}": self.metric(metric_name, broker=instance, statistic="Maximum")
                for i, instance in enumerate(instances)
            }
            metric: cw.IMetric = (
                next(iter(metrics.values()))
                if len(metrics) == 1
                else cw.MathExpression(
                    expression=f"MAX([{', '.join(metrics)}])",
                    using_metrics=dict(metrics),
                    label=f"{metric_name} (highest instance)",
                    period=Duration.minutes(5),
                )
            )
            monitoring.alarm(
                alarm,
                metric=metric,
                threshold=threshold,
                evaluation_periods=3,
                description=(
                    f"{self.node.path}: ActiveMQ {metric_name} above {threshold}% for 15 "
                    f"minutes: {advice}."
                ),
            )

    def _rabbitmq_alarms(self, monitoring: Monitoring) -> None:
        monitoring.alarm(
            "MemoryHigh",
            metric=cw.MathExpression(
                expression="100 * used / limit",
                using_metrics={
                    "used": self.metric("RabbitMQMemUsed", statistic="Maximum"),
                    "limit": self.metric("RabbitMQMemLimit", statistic="Minimum"),
                },
                label="Memory used (% of the high watermark)",
                period=Duration.minutes(5),
            ),
            threshold=80,
            evaluation_periods=3,
            description=(
                f"{self.node.path}: RabbitMQ memory above 80% of its high watermark for 15 "
                "minutes; at 100% every publisher is blocked. Consume faster or scale up."
            ),
        )
        monitoring.alarm(
            "DiskFreeLow",
            metric=cw.MathExpression(
                expression="free / limit",
                using_metrics={
                    "free": self.metric("RabbitMQDiskFree", statistic="Minimum"),
                    "limit": self.metric("RabbitMQDiskFreeLimit", statistic="Maximum"),
                },
                label="Free disk (multiples of the free disk limit)",
                period=Duration.minutes(5),
            ),
            threshold=2,
            comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluation_periods=3,
            description=(
                f"{self.node.path}: RabbitMQ free disk is below twice its limit; at the limit "
                "every publisher is blocked. Messages are piling up unconsumed."
            ),
        )

    # -- validation ------------------------------------------------------------------------
    def _validate(
        self,
        *,
        vpc: ec2.IVpc | None,
        vpc_subnets: ec2.SubnetSelection | None,
        removal_policy: RemovalPolicy,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
        engine: str,
        engine_version: str | None,
        instance_type: str | None,
        dev_single_instance: bool,
        username: str,
        broker_name: str | None,
        encryption_key: kms.IKey | None,
        window: MaintenanceWindow,
    ) -> None:
        v = Validator(self)
        v.one_of("engine", engine, SUPPORTED_VERSIONS)
        if not isinstance(dev_single_instance, bool):
            v.add("dev_single_instance", f"must be True or False, got {dev_single_instance!r}")
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        v.implements("vpc", vpc, "select_subnets", what="an ec2.IVpc")
        selection_ok = vpc_subnets is None or v.instance_of(
            "vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
        )
        # strings (or string tokens); anything else is reported and not checked further
        v.text("engine_version", engine_version)
        v.text("instance_type", instance_type)
        engine_version_ok = engine_version is None or isinstance(engine_version, str)
        instance_type_ok = instance_type is None or isinstance(instance_type, str)
        if (
            engine in SUPPORTED_VERSIONS
            and engine_version_ok
            and instance_type_ok
            and isinstance(dev_single_instance, bool)
            and hasattr(vpc, "select_subnets")
            and selection_ok
        ):
            # a given VPC's subnets are checked here, with every other problem (a created VPC
            # always has the subnets the deployment mode needs)
            assert vpc is not None
            self._pick_subnets(v, vpc, vpc_subnets, _deployment_mode(engine, dev_single_instance))
        if engine in SUPPORTED_VERSIONS:
            versions = SUPPORTED_VERSIONS[engine]
            if (
                engine_version_ok
                and engine_version is not None
                and not is_unresolved(engine_version)
                and engine_version not in versions
            ):
                v.add(
                    "engine_version",
                    f"must be a {engine} version Amazon MQ supports "
                    f"({', '.join(versions)}), got {engine_version!r}",
                )
            chosen_type = instance_type or DEFAULT_INSTANCE_TYPE[engine]
            if instance_type_ok and not is_unresolved(chosen_type):
                families = INSTANCE_FAMILIES[engine]
                if not any(
                    chosen_type == f or (f.endswith(".") and chosen_type.startswith(f))
                    for f in families
                ):
                    v.add(
                        "instance_type",
                        f"must be one of the {engine} instance types "
                        f"({', '.join(f + '*' if f.endswith('.') else f for f in families)}), "
                        f"got {chosen_type!r}",
                    )
                elif chosen_type == "mq.t3.micro" and not dev_single_instance:
                    v.add(
                        "instance_type",
                        "mq.t3.micro runs single-instance brokers only; pass "
                        "dev_single_instance=True (development) or a larger type",
                    )
                version = (engine_version if engine_version_ok else None) or versions[0]
                if (
                    engine == "RABBITMQ"
                    and version.startswith("4.")
                    and not chosen_type.startswith("mq.m7g.")
                ):
                    v.add(
                        "instance_type",
                        f"must be an mq.m7g type for RabbitMQ {version}, got {chosen_type!r}",
                    )
            if engine == "RABBITMQ" and encryption_key is not None:
                v.add(
                    "encryption_key",
                    "applies to ActiveMQ only: Amazon MQ encrypts RabbitMQ brokers with an AWS "
                    "owned key and accepts no customer key",
                )
        if v.text("username", username):
            if not _USERNAME.match(username):
                v.add(
                    "username",
                    f"must be 2-100 letters, digits, '_', '.', '~' or '-', got {username!r}",
                )
            elif username == "guest":
                v.add("username", "must not be 'guest' (RabbitMQ's reserved user)")
        if v.text("broker_name", broker_name) and not _BROKER_NAME.match(str(broker_name)):
            v.add("broker_name", f"must be 1-50 letters, digits, '-' or '_', got {broker_name!r}")
        if not isinstance(window, MaintenanceWindow):
            v.add("maintenance_window", f"must be a MaintenanceWindow, got {window!r}")
        else:
            if v.text("maintenance_window.day_of_week", window.day_of_week):
                v.one_of("maintenance_window.day_of_week", window.day_of_week.upper(), _DAYS)
            if v.text("maintenance_window.time_of_day", window.time_of_day) and not _TIME.match(
                window.time_of_day
            ):
                v.add(
                    "maintenance_window.time_of_day",
                    f"must be HH:MM (24-hour), got {window.time_of_day!r}",
                )
            zone = window.time_zone
            if (
                v.text("maintenance_window.time_zone", zone)
                and len(_time_zones()) > 1  # no tz database installed: cannot check names
                and zone not in _time_zones()
                and not _UTC_OFFSET.match(zone)
            ):
                v.add(
                    "maintenance_window.time_zone",
                    "must be 'UTC', a Country/City time zone ('Europe/Berlin') or a UTC offset "
                    f"('+02:00'), got {zone!r}",
                )
        v.raise_if_invalid()


def _deployment_mode(engine: str, dev_single_instance: bool) -> str:
    if dev_single_instance:
        return "SINGLE_INSTANCE"
    return "ACTIVE_STANDBY_MULTI_AZ" if engine == "ACTIVEMQ" else "CLUSTER_MULTI_AZ"


@cache
def _time_zones() -> frozenset[str]:
    """IANA time zone names (plus UTC), from the system or the tzdata package."""
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}
