"""Gap fillers for S3 resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from emulator.authorization import AUTHORIZER
from emulator.base import Context, Created, Deleter, Handler, Props, is_true


def _s3_bucket(ctx: Context, props: Props) -> Any:
    """moto's bucket, plus its public access block (moto's CloudFormation drops it)."""
    assert ctx.moto_default is not None
    bucket = ctx.moto_default(props, None)
    block = props.get("PublicAccessBlockConfiguration")
    if block:
        ctx.client("s3").put_public_access_block(
            Bucket=bucket.name,
            PublicAccessBlockConfiguration={k: is_true(v) for k, v in block.items()},
        )
    return bucket


def _s3_bucket_policy(ctx: Context, props: Props) -> Created:
    """The whole policy goes to the emulator's authorizer (which evaluates it, conditions
    included); moto gets it without its *conditional* Deny statements (TLS-only, encrypted
    uploads ...): moto applies a Deny while ignoring its condition, so a TLS-only bucket would
    refuse every object request."""
    document = props["PolicyDocument"]
    if isinstance(document, str):
        document = json.loads(document)
    AUTHORIZER.bucket_policies[props["Bucket"]] = document
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    kept = [st for st in statements if not (st.get("Effect") == "Deny" and st.get("Condition"))]
    ctx.client("s3").put_bucket_policy(
        Bucket=props["Bucket"], Policy=json.dumps({**document, "Statement": kept})
    )
    return Created(ctx.generated_name)


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::S3::Bucket": _s3_bucket,
    "AWS::S3::BucketPolicy": _s3_bucket_policy,
}


def _delete_bucket_policy(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    AUTHORIZER.bucket_policies.pop(props["Bucket"], None)
    s3 = ctx.client("s3")
    try:
        s3.delete_bucket_policy(Bucket=props["Bucket"])
    except s3.exceptions.NoSuchBucket:
        return


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``); the bucket is
#: moto's model, which moto deletes (refused while it holds objects, as S3 refuses it).
DELETERS: dict[str, Deleter] = {"AWS::S3::BucketPolicy": _delete_bucket_policy}


def _delete_bucket(ctx: Context, physical_id: str) -> None:
    """``DeleteBucket``, refused while the bucket holds objects, as S3 refuses it (moto's own
    CloudFormation deletion gives up silently and leaves the bucket)."""
    s3 = ctx.client("s3")
    try:
        s3.delete_bucket(Bucket=physical_id)
    except s3.exceptions.NoSuchBucket:
        return


#: Type -> deleter by physical id, used in place of moto's (see emulator.registry).
MOTO_DELETERS: dict[str, Callable[[Context, str], None]] = {"AWS::S3::Bucket": _delete_bucket}
