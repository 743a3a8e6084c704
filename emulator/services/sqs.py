"""Gap fillers for SQS resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, as_json, is_true


def _sqs_queue(ctx: Context, props: Props) -> Any:
    """moto's own queue, named as CloudFormation names it: a generated FIFO name ends in
    ``.fifo`` (moto omits the suffix and then refuses its own name)."""
    name = None
    if is_true(props.get("FifoQueue")) and not props.get("QueueName"):
        name = ctx.generated_name[:75] + ".fifo"
    assert ctx.moto_default is not None
    return ctx.moto_default(props, name)


def _sqs_queue_policy(ctx: Context, props: Props) -> Created:
    for queue_url in props["Queues"]:
        ctx.client("sqs").set_queue_attributes(
            QueueUrl=queue_url, Attributes={"Policy": as_json(props["PolicyDocument"])}
        )
    return Created(ctx.generated_name, {"Id": ctx.generated_name})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::SQS::Queue": _sqs_queue,
    "AWS::SQS::QueuePolicy": _sqs_queue_policy,
}


def _delete_queue_policy(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    sqs = ctx.client("sqs")
    for queue_url in props["Queues"]:
        try:
            sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": ""})
        except sqs.exceptions.QueueDoesNotExist:
            continue


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``); the queue is
#: moto's model, which moto deletes.
DELETERS: dict[str, Deleter] = {"AWS::SQS::QueuePolicy": _delete_queue_policy}
