"""Gap fillers for Amazon MQ resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, is_true


def _mq_broker(ctx: Context, props: Props) -> Created:
    """The broker in moto's Amazon MQ (control plane only: no message broker runs)."""
    api = {k: v for k, v in props.items() if k != "Tags"}
    api.setdefault("BrokerName", ctx.generated_name[:50])
    for flag in ("AutoMinorVersionUpgrade", "PubliclyAccessible"):
        if flag in api:
            api[flag] = is_true(api[flag])
    if props.get("Tags"):
        api["Tags"] = {t["Key"]: t["Value"] for t in props["Tags"]}
    mq = ctx.client("mq")
    broker_id = mq.create_broker(**api)["BrokerId"]
    broker = mq.describe_broker(BrokerId=broker_id)
    instances = broker.get("BrokerInstances") or [{}]
    endpoints = [e for i in instances for e in i.get("Endpoints", [])]

    def by_scheme(scheme: str) -> list[str]:
        return [e for e in endpoints if e.startswith(scheme)]

    return Created(
        broker_id,
        {
            "Arn": broker["BrokerArn"],
            "Id": broker_id,
            "ConfigurationId": (broker.get("Configurations", {}).get("Current") or {}).get(
                "Id", ""
            ),
            "ConfigurationRevision": (broker.get("Configurations", {}).get("Current") or {}).get(
                "Revision", 1
            ),
            "IpAddresses": [i.get("IpAddress", "") for i in instances],
            "ConsoleURLs": [i.get("ConsoleURL", "") for i in instances],
            "AmqpEndpoints": by_scheme("amqp"),
            "OpenWireEndpoints": by_scheme("ssl"),
            "StompEndpoints": by_scheme("stomp"),
            "MqttEndpoints": by_scheme("mqtt"),
            "WssEndpoints": by_scheme("wss"),
        },
    )


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::AmazonMQ::Broker": _mq_broker,
}


def _delete_broker(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    ctx.client("mq").delete_broker(BrokerId=physical_id)


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {"AWS::AmazonMQ::Broker": _delete_broker}
