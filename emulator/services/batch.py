"""Gap fillers for AWS Batch resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, with_attributes


def _batch_compute_environment(ctx: Context, props: Props) -> Any:
    """moto's compute environment; without ``ServiceRole`` AWS uses Batch's service-linked role,
    which moto requires explicitly."""
    if not props.get("ServiceRole"):
        iam = ctx.client("iam")
        path = "/aws-service-role/batch.amazonaws.com/"
        existing = iam.list_roles(PathPrefix=path)["Roles"]
        arn = (
            existing[0]["Arn"]
            if existing
            else iam.create_service_linked_role(AWSServiceName="batch.amazonaws.com")["Role"]["Arn"]
        )
        props = {**props, "ServiceRole": arn}
    props = {**props, "Type": str(props["Type"]).upper()}  # the template says "managed"
    assert ctx.moto_default is not None
    environment = ctx.moto_default(props, props.get("ComputeEnvironmentName"))
    # moto's model has no Fn::GetAtt support; Ref and ComputeEnvironmentArn are the ARN
    return Created(environment.arn, {"ComputeEnvironmentArn": environment.arn})


def _delete_compute_environment(
    ctx: Context, physical_id: str, props: Props, _: dict[str, Any]
) -> None:
    batch = ctx.client("batch")
    batch.update_compute_environment(computeEnvironment=physical_id, state="DISABLED")
    batch.delete_compute_environment(computeEnvironment=physical_id)


def _delete_job_queue(
    ctx: Context, physical_id: str, props: Props, attributes: dict[str, Any]
) -> None:
    batch = ctx.client("batch")
    batch.update_job_queue(jobQueue=attributes["JobQueueArn"], state="DISABLED")
    batch.delete_job_queue(jobQueue=attributes["JobQueueArn"])


def _delete_job_definition(
    ctx: Context, physical_id: str, props: Props, attributes: dict[str, Any]
) -> None:
    ctx.client("batch").deregister_job_definition(jobDefinition=attributes["JobDefinitionArn"])


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::Batch::ComputeEnvironment": _delete_compute_environment,
    "AWS::Batch::JobQueue": _delete_job_queue,
    "AWS::Batch::JobDefinition": _delete_job_definition,
}

#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::Batch::ComputeEnvironment": _batch_compute_environment,
    "AWS::Batch::JobQueue": with_attributes(
        lambda q: {"JobQueueArn": q.arn, "JobQueueName": q.name}
    ),
    "AWS::Batch::JobDefinition": with_attributes(lambda d: {"JobDefinitionArn": d.arn}),
}
