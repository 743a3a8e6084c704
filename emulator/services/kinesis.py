"""Gap fillers for Kinesis Data Streams resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Deleter, Handler, Props


def _kinesis_stream(ctx: Context, props: Props) -> Any:
    """moto's stream, plus its server-side encryption (moto's CloudFormation drops
    ``StreamEncryption``; the authorizer then sees the stream's key, as Kinesis uses it)."""
    assert ctx.moto_default is not None
    stream = ctx.moto_default(props, None)
    encryption = props.get("StreamEncryption")
    if encryption:
        ctx.client("kinesis").start_stream_encryption(
            StreamName=stream.stream_name,
            EncryptionType=encryption["EncryptionType"],
            KeyId=encryption["KeyId"],
        )
    return stream


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::Kinesis::Stream": _kinesis_stream,
}


#: CloudFormation type -> deleter: the stream is moto's model, which moto deletes.
DELETERS: dict[str, Deleter] = {}
