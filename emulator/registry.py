"""The registry: CloudFormation type -> gap filler, from every module of :mod:`emulator.services`.

moto's CloudFormation creates the resource types it implements (``moto.cloudformation.parsing
.get_model_map()``) and, for any other type, logs "No Moto CloudFormation support" and *skips
the resource* while the stack still reaches CREATE_COMPLETE. A gap filler provisions such a
resource the way CloudFormation's resource provider does, by calling the service's API on the
emulator (``ctx.client("sns").subscribe(...)``), i.e. moto's own backends with moto's own
request parsing and validation. ``Custom::*`` types of CDK-internal custom resources (whose
Node.js handlers need the Lambda runtime) are emulated too, instead of switching the
protection off in the stacks. :func:`emulator.base.accept_only` registers a type whose
control-plane existence is all the emulator can offer (said where it is used).

Adding a type: in ``emulator/services/<service>.py`` write
``def _my_type(ctx: Context, props: Props) -> Created`` and add ``"AWS::Service::Type": _my_type``
to that module's ``HANDLERS``. Raise on anything the emulator cannot do faithfully rather than
ignoring a property.
"""

from __future__ import annotations

from emulator.base import Deleter, Handler
from emulator.services import (
    application_autoscaling,
    autoscaling,
    awslambda,
    batch,
    cdk_custom,
    cloudfront,
    cloudwatch,
    dax,
    dynamodb,
    ec2,
    elbv2,
    emr,
    events,
    firehose,
    kinesis,
    kinesisanalytics,
    kinesisvideo,
    kms,
    logs,
    mq,
    s3,
    scheduler,
    secretsmanager,
    sns,
    sqs,
    stepfunctions,
)

__all__ = ["DELETERS", "HANDLERS", "MOTO_DELETERS", "MOTO_DELETES"]

from typing import TypeVar

T = TypeVar("T")


def _merge(*tables: dict[str, T]) -> dict[str, T]:
    merged: dict[str, T] = {}
    for table in tables:
        twice = sorted(set(merged) & set(table))
        if twice:
            raise ValueError(f"gap fillers registered twice: {twice}")
        merged.update(table)
    return merged


#: CloudFormation type -> handler, one entry per type; the guard reads this table.
HANDLERS: dict[str, Handler] = _merge(
    application_autoscaling.HANDLERS,
    autoscaling.HANDLERS,
    awslambda.HANDLERS,
    batch.HANDLERS,
    cdk_custom.HANDLERS,
    cloudfront.HANDLERS,
    cloudwatch.HANDLERS,
    dax.HANDLERS,
    dynamodb.HANDLERS,
    ec2.HANDLERS,
    elbv2.HANDLERS,
    emr.HANDLERS,
    events.HANDLERS,
    firehose.HANDLERS,
    kinesis.HANDLERS,
    kinesisanalytics.HANDLERS,
    kinesisvideo.HANDLERS,
    kms.HANDLERS,
    logs.HANDLERS,
    mq.HANDLERS,
    s3.HANDLERS,
    scheduler.HANDLERS,
    secretsmanager.HANDLERS,
    sns.HANDLERS,
    sqs.HANDLERS,
    stepfunctions.HANDLERS,
)

#: CloudFormation type -> what deletes it on ``DeleteStack``: every type whose handler returns
#: a :class:`~emulator.base.Created` has one (a handler returning moto's model leaves the
#: deletion to moto); ``test_emulator_registry`` holds the two tables together.
DELETERS: dict[str, Deleter] = _merge(
    application_autoscaling.DELETERS,
    autoscaling.DELETERS,
    awslambda.DELETERS,
    batch.DELETERS,
    cdk_custom.DELETERS,
    cloudfront.DELETERS,
    cloudwatch.DELETERS,
    dax.DELETERS,
    dynamodb.DELETERS,
    ec2.DELETERS,
    elbv2.DELETERS,
    emr.DELETERS,
    events.DELETERS,
    firehose.DELETERS,
    kinesis.DELETERS,
    kinesisanalytics.DELETERS,
    kinesisvideo.DELETERS,
    kms.DELETERS,
    logs.DELETERS,
    mq.DELETERS,
    s3.DELETERS,
    scheduler.DELETERS,
    secretsmanager.DELETERS,
    sns.DELETERS,
    sqs.DELETERS,
    stepfunctions.DELETERS,
)

#: Types whose handler returns moto's own model: moto's CloudFormation deletes them.
MOTO_DELETES = frozenset(
    {
        "AWS::DynamoDB::Table",
        "AWS::Events::Archive",
        "AWS::Events::EventBus",
        "AWS::KMS::Key",
        "AWS::Kinesis::Stream",
        "AWS::Lambda::Function",
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
    }
)

#: Types moto's CloudFormation creates but does not delete, or fails to delete (a Lambda
#: permission after its function): deleter by physical id, used in place of moto's.
MOTO_DELETERS = _merge(awslambda.MOTO_DELETERS, ec2.MOTO_DELETERS, s3.MOTO_DELETERS)
