"""Gap fillers for Kinesis Video Streams resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props


def _kinesis_video_stream(ctx: Context, props: Props) -> Created:
    name = props.get("Name") or ctx.generated_name
    api: Props = {"StreamName": name}
    for key in ("DataRetentionInHours", "KmsKeyId", "MediaType", "DeviceName"):
        if props.get(key) is not None:
            api[key] = int(props[key]) if key == "DataRetentionInHours" else props[key]
    arn = ctx.client("kinesisvideo").create_stream(**api)["StreamARN"]
    return Created(name, {"Arn": arn})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::KinesisVideo::Stream": _kinesis_video_stream,
}


def _delete_video_stream(
    ctx: Context, physical_id: str, props: Props, attributes: dict[str, Any]
) -> None:
    ctx.client("kinesisvideo").delete_stream(StreamARN=attributes["Arn"])


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {"AWS::KinesisVideo::Stream": _delete_video_stream}
