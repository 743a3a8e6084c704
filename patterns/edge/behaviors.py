"""The behaviors of the distribution: the static bucket's, and one per :class:`DynamicBehavior`
with its own cache policy (the cache key) and origin request policy (what is forwarded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from patterns.core.ids import pascal
from patterns.edge.options import DynamicBehavior

__all__ = ["Behaviors", "behavior_id", "build_behaviors", "serves_static"]

#: Path patterns become construct ids by their letters and digits (``/api/v1/*`` -> ApiV1).
PATH_SEPARATORS = r"[^A-Za-z0-9]+"

_B_co = TypeVar("_B_co", covariant=True)


class _NameBehaviors(Protocol[_B_co]):
    """A CloudFront cookie/header/query-string behavior class (``CacheCookieBehavior`` ...)."""

    def allow_list(self, *names: str) -> _B_co: ...

    def none(self) -> _B_co: ...


def behavior_id(path_pattern: str) -> str:
    """The construct-id stem of a behavior's policies: ``Default`` for ``*``."""
    return "Default" if path_pattern == "*" else (pascal(path_pattern, PATH_SEPARATORS) or "Path")


def serves_static(
    static_paths: Sequence[str],
    dynamic_behaviors: Sequence[DynamicBehavior],
    content: Sequence[s3deploy.ISource],
) -> bool:
    """Whether the distribution needs the static bucket: for the default behavior (unless a
    dynamic behavior is ``*``), for ``static_paths`` or to deploy ``content`` to."""
    default_is_dynamic = any(getattr(b, "path_pattern", None) == "*" for b in dynamic_behaviors)
    return not default_is_dynamic or bool(static_paths) or bool(content)


@dataclass(frozen=True)
class Behaviors:
    """The distribution's behaviors and the policies made for the dynamic ones.

    Attributes:
        default: the default behavior (``*``).
        additional: the other behaviors by path pattern, in CloudFront's match order.
        cache_policies: the cache policy of each dynamic path pattern.
        origin_request_policies: the origin request policy of each dynamic path pattern.
    """

    default: cloudfront.BehaviorOptions
    additional: dict[str, cloudfront.BehaviorOptions]
    cache_policies: dict[str, cloudfront.CachePolicy]
    origin_request_policies: dict[str, cloudfront.OriginRequestPolicy]


def build_behaviors(
    scope: Construct,
    *,
    dynamic_behaviors: Sequence[DynamicBehavior],
    dynamic_origin: cloudfront.IOrigin | None,
    static_paths: Sequence[str],
    static_origin: cloudfront.IOrigin | None,
    response_headers_policy: cloudfront.IResponseHeadersPolicy,
) -> Behaviors:
    """The dynamic behaviors (with their policies, in order) and then the static ones; the
    default behavior is the dynamic ``*`` if there is one, else the static bucket."""
    default: cloudfront.BehaviorOptions | None = None
    additional: dict[str, cloudfront.BehaviorOptions] = {}
    cache_policies: dict[str, cloudfront.CachePolicy] = {}
    origin_request_policies: dict[str, cloudfront.OriginRequestPolicy] = {}
    for behavior in dynamic_behaviors:
        assert dynamic_origin is not None
        cache_policy = _cache_policy(scope, behavior)
        origin_request_policy = _origin_request_policy(scope, behavior)
        cache_policies[behavior.path_pattern] = cache_policy
        origin_request_policies[behavior.path_pattern] = origin_request_policy
        options = cloudfront.BehaviorOptions(
            origin=dynamic_origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=behavior.allowed_methods,
            cache_policy=cache_policy,
            origin_request_policy=origin_request_policy,
            response_headers_policy=response_headers_policy,
            compress=True,
        )
        if behavior.path_pattern == "*":
            default = options
        else:
            additional[behavior.path_pattern] = options
    if static_origin is not None:
        static_options = cloudfront.BehaviorOptions(
            origin=static_origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
            cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=response_headers_policy,
            compress=True,
        )
        for path in static_paths:
            additional[path] = static_options
        if default is None:
            default = static_options
    assert default is not None
    return Behaviors(default, additional, cache_policies, origin_request_policies)


def _names(behaviors: _NameBehaviors[_B_co], names: Sequence[str]) -> _B_co:
    """``allow_list(*names)``, or ``none()`` when there are no names."""
    return behaviors.allow_list(*names) if names else behaviors.none()


def _cache_policy(scope: Construct, behavior: DynamicBehavior) -> cloudfront.CachePolicy:
    """The cache key: exactly the named cookies, headers and query strings."""
    query_strings = (
        cloudfront.CacheQueryStringBehavior.all()
        if behavior.all_query_strings
        else _names(cloudfront.CacheQueryStringBehavior, behavior.query_strings)
    )
    return cloudfront.CachePolicy(
        scope,
        f"{behavior_id(behavior.path_pattern)}CachePolicy",
        comment=f"Cache key of {behavior.path_pattern} ({scope.node.path})"[:128],
        cookie_behavior=_names(cloudfront.CacheCookieBehavior, behavior.cookies),
        header_behavior=_names(cloudfront.CacheHeaderBehavior, behavior.headers),
        query_string_behavior=query_strings,
        min_ttl=behavior.min_ttl,
        default_ttl=behavior.default_ttl,
        max_ttl=behavior.max_ttl,
        enable_accept_encoding_gzip=True,
        enable_accept_encoding_brotli=True,
    )


def _origin_request_policy(
    scope: Construct, behavior: DynamicBehavior
) -> cloudfront.OriginRequestPolicy:
    """What reaches the origin: the cache key's names plus ``origin_headers``."""
    query_strings = (
        cloudfront.OriginRequestQueryStringBehavior.all()
        if behavior.all_query_strings
        else _names(cloudfront.OriginRequestQueryStringBehavior, behavior.query_strings)
    )
    # Authorization is forwarded through the cache key; CloudFront refuses it here.
    headers = [
        h for h in (*behavior.headers, *behavior.origin_headers) if h.lower() != "authorization"
    ]
    return cloudfront.OriginRequestPolicy(
        scope,
        f"{behavior_id(behavior.path_pattern)}OriginRequestPolicy",
        comment=f"Forwarded to the origin for {behavior.path_pattern} ({scope.node.path})"[:128],
        cookie_behavior=_names(cloudfront.OriginRequestCookieBehavior, behavior.cookies),
        header_behavior=_names(cloudfront.OriginRequestHeaderBehavior, headers),
        query_string_behavior=query_strings,
    )
