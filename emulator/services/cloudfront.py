"""Gap fillers for CloudFront (see :mod:`emulator.registry`).

Control plane only: no edge, no traffic; ids and domain names are invented.
"""

from __future__ import annotations

import secrets
from typing import Any

from emulator.base import Context, Deleter, Handler, Props, accept_only, delete_nothing


def _cloudfront_attributes(ctx: Context, props: Props) -> dict[str, Any]:
    distribution_id = "E" + secrets.token_hex(7).upper()
    return {"Id": distribution_id, "DomainName": f"d{secrets.token_hex(6)}.cloudfront.net"}


#: CloudFormation type -> deleter: the emulator only records these types.
DELETERS: dict[str, Deleter] = {
    "AWS::CloudFront::Distribution": delete_nothing,
    "AWS::CloudFront::OriginAccessControl": delete_nothing,
    "AWS::CloudFront::CachePolicy": delete_nothing,
    "AWS::CloudFront::OriginRequestPolicy": delete_nothing,
}

#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    # CloudFront: control plane only (no edge, no traffic); ids and domain names are invented
    "AWS::CloudFront::Distribution": accept_only(_cloudfront_attributes),
    "AWS::CloudFront::OriginAccessControl": accept_only(
        lambda ctx, p: {"Id": "E" + secrets.token_hex(6).upper()}
    ),
    "AWS::CloudFront::CachePolicy": accept_only(lambda ctx, p: {"Id": secrets.token_hex(16)}),
    "AWS::CloudFront::OriginRequestPolicy": accept_only(
        lambda ctx, p: {"Id": secrets.token_hex(16)}
    ),
}
