"""cdk-nag v3 acknowledgements, always scoped to a construct the pattern owns."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge"]


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge one cdk-nag rule on ``scope`` (and its children) with a reviewer-facing reason.

    ``rule`` is ``Pack::Rule`` (``AwsSolutions::AwsSolutions-SQS3``) or, for one finding of a
    granular rule, ``Pack::Rule[Finding]``.
    """
    if len(reason.strip()) < 20:
        raise ValueError(f"acknowledgement of {rule} needs a specific reason, got {reason!r}")
    Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))
