"""What Amazon MQ offers per engine: versions, instance types, endpoints, deployment modes."""

from __future__ import annotations

__all__ = [
    "CONSOLE_PORT",
    "DEFAULT_INSTANCE_TYPE",
    "ENGINE_PORTS",
    "INSTANCE_FAMILIES",
    "SUBNETS_NEEDED",
    "SUBNETS_USED",
    "SUPPORTED_VERSIONS",
    "deployment_mode",
]

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
#: Availability zones (private subnets, one per AZ) a deployment mode needs ...
SUBNETS_NEEDED = {"SINGLE_INSTANCE": 1, "ACTIVE_STANDBY_MULTI_AZ": 2, "CLUSTER_MULTI_AZ": 1}
#: ... and how many of them the broker uses.
SUBNETS_USED = {"SINGLE_INSTANCE": 1, "ACTIVE_STANDBY_MULTI_AZ": 2, "CLUSTER_MULTI_AZ": 3}


def deployment_mode(engine: str, dev_single_instance: bool) -> str:
    """``SINGLE_INSTANCE`` for development; else ActiveMQ active/standby, RabbitMQ cluster."""
    if dev_single_instance:
        return "SINGLE_INSTANCE"
    return "ACTIVE_STANDBY_MULTI_AZ" if engine == "ACTIVEMQ" else "CLUSTER_MULTI_AZ"
