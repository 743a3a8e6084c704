"""cdk-nag v3 acknowledgements, always scoped to a construct the pattern owns."""

from __future__ import annotations

import re

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge", "nag_resource"]


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge one cdk-nag rule on ``scope`` (and its children) with a reviewer-facing reason.

    ``rule`` is ``Pack::Rule`` (``AwsSolutions::AwsSolutions-SQS3``) or, for one finding of a
    granular rule, ``Pack::Rule[Finding]``.
    """
    if len(reason.strip()) < 20:
        raise ValueError(f"acknowledgement of {rule} needs a specific reason, got {reason!r}")
    Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))


def nag_resource(resolved: object) -> str | None:
    """How cdk-nag spells a resolved IAM resource in a finding id, or None if it cannot.

    ``stack.resolve(bucket.bucket_arn)`` gives ``{"Fn::GetAtt": ["Bucket1234", "Arn"]}``, which
    cdk-nag's IAM5 finding names ``<Bucket1234.Arn>``; ``Ref`` becomes ``<Id>``, ``${X}`` in an
    ``Fn::Sub`` becomes ``<X>``, and an ``Fn::Join`` joins its spelled parts. Use it to
    acknowledge exactly one finding: ``f"AwsSolutions::AwsSolutions-IAM5[Resource::{spelled}/*]"``.
    """
    if isinstance(resolved, str):
        return resolved
    if isinstance(resolved, dict) and len(resolved) == 1:
        ((intrinsic, args),) = resolved.items()
        if intrinsic == "Ref" and isinstance(args, str):
            return f"<{args}>"
        if intrinsic == "Fn::GetAtt" and isinstance(args, list) and len(args) == 2:
            return f"<{args[0]}.{args[1]}>"
        if intrinsic == "Fn::Sub" and isinstance(args, str):
            return re.sub(r"\$\{([^}]+)\}", r"<\1>", args)
        if intrinsic == "Fn::Join" and isinstance(args, list) and len(args) == 2:
            separator, parts = args
            spelled = [nag_resource(part) for part in parts] if isinstance(parts, list) else [None]
            if isinstance(separator, str) and all(p is not None for p in spelled):
                return separator.join(p for p in spelled if p is not None)
    return None
