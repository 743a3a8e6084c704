"""Gap fillers for the aws-cdk-lib custom resources (see :mod:`emulator.registry`).

``Custom::AWS`` (an SDK call), ``Custom::VpcRestrictDefaultSG`` and
``Custom::CDKBucketDeployment`` run Node.js handlers that need the Lambda runtime; their effect
is made here instead of switching the protection off in the stacks.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from emulator.base import (
    Context,
    Created,
    Deleter,
    Handler,
    Props,
    cfn_numbers,
    delete_nothing,
    is_true,
)


def _restrict_default_security_group(ctx: Context, props: Props) -> Created:
    """``Custom::VpcRestrictDefaultSG`` (aws-cdk-lib, a Node.js Lambda in AWS): remove every rule
    of the VPC's default security group, as the real handler does."""
    ec2 = ctx.client("ec2")
    group_id = props["DefaultSecurityGroupId"]
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    if group["IpPermissions"]:
        ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=group["IpPermissions"])
    if group["IpPermissionsEgress"]:
        ec2.revoke_security_group_egress(
            GroupId=group_id, IpPermissions=group["IpPermissionsEgress"]
        )
    return Created(f"{group_id}-restricted")


def _bucket_deployment(ctx: Context, props: Props) -> Created:
    """``Custom::CDKBucketDeployment`` (aws-cdk-lib's s3 deployment; in AWS a Lambda function
    with the AWS CLI): unzip each source asset into the destination bucket under the prefix,
    substituting the deploy-time markers. CloudFront invalidation is not emulated."""
    s3 = ctx.client("s3")
    bucket = props["DestinationBucketName"]
    prefix = props.get("DestinationBucketKeyPrefix", "")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    markers_per_source = props.get("SourceMarkers") or [{} for _ in props["SourceBucketNames"]]
    written: set[str] = set()
    for source_bucket, key, markers in zip(
        props["SourceBucketNames"], props["SourceObjectKeys"], markers_per_source, strict=True
    ):
        archive_bytes = s3.get_object(Bucket=source_bucket, Key=key)["Body"].read()
        if not is_true(props.get("Extract", "true")):
            s3.put_object(Bucket=bucket, Key=prefix + key.rsplit("/", 1)[-1], Body=archive_bytes)
            continue
        with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
            for member in archive.infolist():
                if member.is_dir():
                    continue
                body = archive.read(member)
                for marker, value in (markers or {}).items():
                    body = body.replace(marker.encode(), str(value).encode())
                s3.put_object(Bucket=bucket, Key=prefix + member.filename, Body=body)
                written.add(prefix + member.filename)
    if is_true(props.get("Prune", "true")):
        listing = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for page in listing:
            for obj in page.get("Contents", []):
                if obj["Key"] not in written:
                    s3.delete_object(Bucket=bucket, Key=obj["Key"])
    return Created(
        f"aws.cdk.s3deployment.{ctx.logical_id}",
        {
            "DestinationBucketArn": f"arn:aws:s3:::{bucket}",
            "SourceObjectKeys": props["SourceObjectKeys"],
        },
    )


def _aws_sdk_call(ctx: Context, props: Props) -> Created:
    """``Custom::AWS`` (aws-cdk-lib's AwsCustomResource): make its ``Create`` SDK call against the
    emulator with boto3 and expose the flattened response as attributes."""
    call = (
        json.loads(props["Create"]) if isinstance(props.get("Create"), str) else props.get("Create")
    )
    if not call:
        return Created(ctx.generated_name)
    service = str(call["service"]).removeprefix("@aws-sdk/client-").lower().replace("-", "")
    service = {
        "cloudwatchlogs": "logs",
        "stepfunctions": "stepfunctions",
        "sfn": "stepfunctions",
    }.get(service, service)
    action = re.sub(
        r"(?<!^)(?=[A-Z])", "_", call["action"][:1].lower() + call["action"][1:]
    ).lower()
    response = getattr(ctx.client(service), action)(**cfn_numbers(call.get("parameters") or {}))
    flat: dict[str, Any] = {}

    def flatten(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                flatten(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                flatten(f"{prefix}.{i}", v)
        else:
            flat[prefix] = value if isinstance(value, str) else json.dumps(value, default=str)

    flatten("", {k: v for k, v in response.items() if k != "ResponseMetadata"})
    physical = call.get("physicalResourceId") or {}
    physical_id = physical.get("id") or flat.get(
        physical.get("responsePath", ""), ctx.generated_name
    )
    return Created(str(physical_id), flat)


def _delete_bucket_deployment(
    ctx: Context, physical_id: str, props: Props, _: dict[str, Any]
) -> None:
    """The deployed objects stay unless ``RetainOnDelete`` is false (the CDK default keeps them)."""
    if is_true(props.get("RetainOnDelete", "true")):
        return
    s3 = ctx.client("s3")
    prefix = props.get("DestinationBucketKeyPrefix", "")
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=props["DestinationBucketName"], Prefix=prefix
    ):
        for obj in page.get("Contents", []):
            s3.delete_object(Bucket=props["DestinationBucketName"], Key=obj["Key"])


def _delete_aws_sdk_call(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    """``Custom::AWS``: its ``Delete`` SDK call, if it has one."""
    call = (
        json.loads(props["Delete"]) if isinstance(props.get("Delete"), str) else props.get("Delete")
    )
    if call:
        _aws_sdk_call(ctx, {"Create": call})


def _auto_delete_objects(ctx: Context, props: Props) -> Created:
    """``Custom::S3AutoDeleteObjects`` (aws-cdk-lib's ``auto_delete_objects``): nothing happens
    on create; its deleter empties the bucket, so that the bucket can be deleted."""
    return Created(f"{props['BucketName']}-auto-delete-objects")


def _empty_bucket(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    try:
        _delete_objects(ctx, props["BucketName"])
    except Exception as gone:  # the (empty) bucket went first
        if "does not exist" not in str(gone) and "NoSuchBucket" not in str(gone):
            raise


def _delete_objects(ctx: Context, bucket: str) -> None:
    s3 = ctx.client("s3")
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=obj["Key"])


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "Custom::S3AutoDeleteObjects": _empty_bucket,
    "Custom::AWS": _delete_aws_sdk_call,
    # the VPC's default security group goes with the VPC
    "Custom::VpcRestrictDefaultSG": delete_nothing,
    "Custom::CDKBucketDeployment": _delete_bucket_deployment,
}

#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "Custom::S3AutoDeleteObjects": _auto_delete_objects,
    "Custom::AWS": _aws_sdk_call,
    "Custom::VpcRestrictDefaultSG": _restrict_default_security_group,
    "Custom::CDKBucketDeployment": _bucket_deployment,
}
