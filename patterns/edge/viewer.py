"""What viewers get besides the content: security headers, the geo restriction, error pages."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudfront as cloudfront

__all__ = ["error_responses", "geo_restriction", "security_headers"]


def security_headers(
    given: cloudfront.IResponseHeadersPolicy | None,
) -> cloudfront.IResponseHeadersPolicy:
    """``given``, else the managed ``SecurityHeadersPolicy`` (HSTS, X-Content-Type-Options,
    X-Frame-Options, Referrer-Policy, X-XSS-Protection)."""
    return given or cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS


def geo_restriction(allow: Sequence[str], deny: Sequence[str]) -> cloudfront.GeoRestriction | None:
    """An allow list or a deny list of ISO 3166-1 alpha-2 codes (sorted, once each)."""
    if allow:
        return cloudfront.GeoRestriction.allowlist(*sorted(set(allow)))
    if deny:
        return cloudfront.GeoRestriction.denylist(*sorted(set(deny)))
    return None


def error_responses(error_page: str | None) -> list[cloudfront.ErrorResponse] | None:
    """``error_page`` with status 404 for S3's 403 (no list permission) and 404."""
    if error_page is None:
        return None
    return [
        cloudfront.ErrorResponse(
            http_status=status,
            response_http_status=404,
            response_page_path=error_page,
            ttl=Duration.seconds(60),
        )
        for status in (403, 404)
    ]
