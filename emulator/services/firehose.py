"""Gap fillers for Amazon Data Firehose resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, is_true
from emulator.firehose_bridge import BRIDGE

_FIREHOSE_UNSUPPORTED = (
    "ProcessingConfiguration",
    "DataFormatConversionConfiguration",
    "DynamicPartitioningConfiguration",
)


def _firehose_delivery_stream(ctx: Context, props: Props) -> Created:
    """The delivery stream in moto's Firehose, plus a route for the Kinesis -> S3 bridge."""
    name = props.get("DeliveryStreamName") or ctx.generated_name[:64]
    destination = props.get("ExtendedS3DestinationConfiguration") or props.get(
        "S3DestinationConfiguration"
    )
    if destination is None:
        raise ValueError("only S3 destinations are emulated")
    for feature in _FIREHOSE_UNSUPPORTED:
        if is_true((destination.get(feature) or {}).get("Enabled")):
            raise ValueError(f"{feature} is not emulated (the bridge would skip it)")
    api: Props = {"DeliveryStreamName": name}
    for key in (
        "DeliveryStreamType",
        "KinesisStreamSourceConfiguration",
        "ExtendedS3DestinationConfiguration",
        "S3DestinationConfiguration",
        "DeliveryStreamEncryptionConfigurationInput",
    ):
        if key in props:
            api[key] = props[key]
    ctx.client("firehose").create_delivery_stream(**api)
    arn = f"arn:aws:firehose:{ctx.region}:{ctx.account_id}:deliverystream/{name}"
    source = props.get("KinesisStreamSourceConfiguration")
    if source:
        BRIDGE.add_route(source["KinesisStreamARN"], name, destination, source["RoleARN"])
    return Created(name, {"Arn": arn})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::KinesisFirehose::DeliveryStream": _firehose_delivery_stream,
}


def _delete_delivery_stream(
    ctx: Context, physical_id: str, props: Props, _: dict[str, Any]
) -> None:
    ctx.client("firehose").delete_delivery_stream(DeliveryStreamName=physical_id)
    BRIDGE.remove_routes(physical_id)


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {"AWS::KinesisFirehose::DeliveryStream": _delete_delivery_stream}
