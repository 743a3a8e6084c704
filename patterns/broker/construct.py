"""Amazon MQ: a managed ActiveMQ or RabbitMQ broker, for moving an existing broker to AWS.

**For a new application, prefer SQS and SNS** (:class:`patterns.TopicFanOut`): they scale
without capacity planning, cost nothing when idle and need no VPC, patching or credentials.
The broker is for migrations: applications that speak JMS, AMQP 0-9-1 / 1.0, MQTT, STOMP,
OpenWire or WebSocket to an existing ActiveMQ or RabbitMQ broker move to Amazon MQ without
rewriting their messaging code.

aws-cdk-lib has no L2 for Amazon MQ; the pattern puts a typed, validated surface over
``AWS::AmazonMQ::Broker``.

Example::

    broker = MessageBroker(self, "Orders", engine="ACTIVEMQ", alarm_topic=alarm_topic)
    broker.allow_from(order_service, "OpenWire")
    broker.grant_read_credentials(order_service_role)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import Duration, Names, RemovalPolicy
from aws_cdk import aws_amazonmq as amazonmq
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.broker import network, validate
from patterns.broker.alarms import add_activemq_alarms, add_rabbitmq_alarms
from patterns.broker.credentials import admin_secret, allow_amazon_mq_logs, broker_key
from patterns.broker.engines import (
    CONSOLE_PORT,
    DEFAULT_INSTANCE_TYPE,
    ENGINE_PORTS,
    SUPPORTED_VERSIONS,
    deployment_mode,
)
from patterns.broker.options import BrokerEngine, MaintenanceWindow
from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride
from patterns.core.pattern import MetricSource, Pattern

__all__ = ["MessageBroker"]

#: Period of the broker's metrics and alarms.
METRIC_PERIOD = deferred(Duration, "minutes", 5)


class MessageBroker(Pattern):
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

    Alarms (``AWS/AmazonMQ``): ActiveMQ heap usage and store usage (per broker instance,
    :meth:`metric_heap_usage`, :meth:`metric_store_usage`); RabbitMQ memory used as a share of
    the memory high watermark (:meth:`metric_memory_usage`) and free disk approaching its
    limit (:meth:`metric_disk_free`).

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ActiveMQ ``HeapUsageHigh`` and
    ``StoreUsageHigh``; RabbitMQ ``MemoryHigh`` and ``DiskFreeLow``.

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
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.

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
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            encryption_key=encryption_key,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            alarm_overrides=alarm_overrides,
        )
        window = maintenance_window or MaintenanceWindow()
        v = self.validator()
        engine_ok = validate.engine(v, engine=engine, dev_single_instance=dev_single_instance)
        network_ok = validate.network(v, vpc=vpc, vpc_subnets=vpc_subnets)
        sizes_ok = validate.version_and_instance_type(
            v,
            engine=engine,
            engine_version=engine_version,
            instance_type=instance_type,
            dev_single_instance=dev_single_instance,
        )
        if engine_ok and network_ok and sizes_ok and vpc is not None:
            validate.given_subnets(
                v,
                vpc=vpc,
                vpc_subnets=vpc_subnets,
                engine=engine,
                dev_single_instance=dev_single_instance,
            )
        validate.customer_key(v, engine=engine, encryption_key=encryption_key)
        validate.names(v, username=username, broker_name=broker_name)
        validate.maintenance_window(v, window)
        v.raise_if_invalid()

        self.engine: str = engine
        self.engine_version: str = engine_version or SUPPORTED_VERSIONS[engine][0]
        self.instance_type: str = instance_type or DEFAULT_INSTANCE_TYPE[engine]
        self.deployment_mode = deployment_mode(engine, dev_single_instance)

        #: The flow log group of a created VPC (None when ``vpc`` is given).
        self.flow_log_group: logs.LogGroup | None = None
        if vpc is None:
            vpc, self.flow_log_group = network.create_vpc(
                self, deployment_mode=self.deployment_mode, removal_policy=removal_policy
            )
        self.vpc: ec2.IVpc = vpc
        subnets = network.select_subnets(self, vpc, vpc_subnets, self.deployment_mode)
        self.security_group = network.security_group(self, vpc)
        self.connections = ec2.Connections(security_groups=[self.security_group])

        self.encryption_key: kms.IKey = encryption_key or broker_key(
            self, engine=engine, removal_policy=removal_policy
        )
        self.credentials = admin_secret(
            self,
            username=username,
            encryption_key=self.encryption_key,
            removal_policy=removal_policy,
        )
        logs_policy = allow_amazon_mq_logs(self) if engine == "ACTIVEMQ" else None

        self.broker_name: str = broker_name or Names.unique_resource_name(
            self, max_length=50, separator="-", allowed_special_characters="-_"
        )
        self.broker = self._create_broker(subnets, username=username, window=window)
        self.broker.apply_removal_policy(removal_policy)
        if logs_policy is not None:
            self.broker.node.add_dependency(logs_policy)
        self.broker_id: str = self.broker.ref
        self.broker_arn: str = self.broker.attr_arn

        monitoring = self.start_monitoring()
        if engine == "ACTIVEMQ":
            add_activemq_alarms(self, monitoring)
        else:
            add_rabbitmq_alarms(self, monitoring)
        monitoring.finish(f"Message broker {self.node.path}")
        self.record_capacity(
            f"{engine.capitalize()} {self.engine_version} {self.instance_type}, "
            f"{self.deployment_mode.lower().replace('_', '-')}"
        )

    def _create_broker(
        self, subnets: list[ec2.ISubnet], *, username: str, window: MaintenanceWindow
    ) -> amazonmq.CfnBroker:
        """The broker ``Resource``: private, TLS only, auto minor version upgrades, logs."""
        activemq = self.engine == "ACTIVEMQ"
        return amazonmq.CfnBroker(
            self,
            "Resource",
            broker_name=self.broker_name,
            engine_type=self.engine,
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
                    console_access=True if activemq else None,
                )
            ],
            encryption_options=(
                amazonmq.CfnBroker.EncryptionOptionsProperty(
                    use_aws_owned_key=False, kms_key_id=self.encryption_key.key_arn
                )
                if activemq
                else None
            ),
            logs=amazonmq.CfnBroker.LogListProperty(general=True, audit=True if activemq else None),
            maintenance_window_start_time=amazonmq.CfnBroker.MaintenanceWindowProperty(
                day_of_week=window.day_of_week.upper(),
                time_of_day=window.time_of_day,
                time_zone=window.time_zone,
            ),
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
            v = self.validator()
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

    # -- metrics ---------------------------------------------------------------------------
    def metric_source(self) -> MetricSource:
        """``AWS/AmazonMQ`` by ``Broker`` (the broker name), 5-minute periods, ``Average``."""
        return MetricSource(
            namespace="AWS/AmazonMQ",
            dimensions={"Broker": self.broker_name},
            statistic="Average",
            period=METRIC_PERIOD,
        )

    def metric(self, metric_name: str, *, broker: str | None = None, **options: Any) -> cw.Metric:
        """A 5-minute ``AWS/AmazonMQ`` metric of the broker (or of one ``broker`` instance).

        Args:
            metric_name: the metric's name (``HeapUsage``, ``RabbitMQMemUsed`` ...).
            broker: the ``Broker`` dimension of one broker instance (ActiveMQ active/standby:
                ``<broker_name>-1``, ``<broker_name>-2``). Default: the broker.
            **options: ``cloudwatch.MetricOptions`` (``statistic``, ``period`` ...); default
                ``Average`` over 5 minutes.
        """
        if broker:
            options["dimensions_map"] = {"Broker": broker, **options.get("dimensions_map", {})}
        return super().metric(metric_name, **options)

    def metric_heap_usage(self) -> cw.IMetric:
        """ActiveMQ: ``HeapUsage`` (% of the JVM heap) of the busiest broker instance."""
        self._require_engine("ACTIVEMQ", "metric_heap_usage")
        return self._highest_instance("HeapUsage")

    def metric_store_usage(self) -> cw.IMetric:
        """ActiveMQ: ``StorePercentUsage`` (% of the message store) of the fullest broker
        instance."""
        self._require_engine("ACTIVEMQ", "metric_store_usage")
        return self._highest_instance("StorePercentUsage")

    def metric_memory_usage(self) -> cw.MathExpression:
        """RabbitMQ: memory used as a percentage of the memory high watermark (at 100% every
        publisher is blocked)."""
        self._require_engine("RABBITMQ", "metric_memory_usage")
        return self._ratio(
            "100 * used / limit",
            "Memory used (% of the high watermark)",
            used=("RabbitMQMemUsed", "Maximum"),
            limit=("RabbitMQMemLimit", "Minimum"),
        )

    def metric_disk_free(self) -> cw.MathExpression:
        """RabbitMQ: free disk as a multiple of the free disk limit (at 1 every publisher is
        blocked)."""
        self._require_engine("RABBITMQ", "metric_disk_free")
        return self._ratio(
            "free / limit",
            "Free disk (multiples of the free disk limit)",
            free=("RabbitMQDiskFree", "Minimum"),
            limit=("RabbitMQDiskFreeLimit", "Maximum"),
        )

    def _highest_instance(self, metric_name: str) -> cw.IMetric:
        """The ``Maximum`` of ``metric_name`` of each ActiveMQ broker instance, the highest."""
        instances = (
            [self.broker_name]
            if self.deployment_mode == "SINGLE_INSTANCE"
            else [f"{self.broker_name}-1", f"{self.broker_name}-2"]
        )
        metrics = {
            f"m{i}": self.metric(metric_name, broker=instance, statistic="Maximum")
            for i, instance in enumerate(instances)
        }
        if len(metrics) == 1:
            return next(iter(metrics.values()))
        return cw.MathExpression(
            expression=f"MAX([{', '.join(metrics)}])",
            using_metrics=dict(metrics),
            label=f"{metric_name} (highest instance)",
            period=METRIC_PERIOD,
        )

    def _ratio(self, expression: str, label: str, **metrics: tuple[str, str]) -> cw.MathExpression:
        """``expression`` over the broker metrics ``id=(metric name, statistic)``."""
        return cw.MathExpression(
            expression=expression,
            using_metrics={
                key: self.metric(name, statistic=statistic)
                for key, (name, statistic) in metrics.items()
            },
            label=label,
            period=METRIC_PERIOD,
        )

    def _require_engine(self, engine: str, what: str) -> None:
        """Raise ``PatternValidationError`` if the broker does not run ``engine``."""
        if self.engine != engine:
            v = self.validator()
            v.add(what, f"applies to {engine} brokers only, this broker runs {self.engine}")
            v.raise_if_invalid()
