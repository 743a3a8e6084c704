"""The option types of :class:`~patterns.edge.EdgeDistribution`: the dynamic behaviors and
their HTTP origin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aws_cdk import Duration
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_secretsmanager as secretsmanager

from patterns.core.deferred import deferred

__all__ = ["DynamicBehavior", "HttpOriginOptions"]


_DEFAULT_MIN_TTL = deferred(Duration, "seconds", 0)
_DEFAULT_DEFAULT_TTL = deferred(Duration, "seconds", 0)
_DEFAULT_MAX_TTL = deferred(Duration, "days", 1)
_DEFAULT_ALLOWED_METHODS = deferred(cloudfront.AllowedMethods, "ALLOW_ALL")


@dataclass(frozen=True)
class DynamicBehavior:
    """One path pattern routed to the HTTP origin, with its own cache key.

    The cookies, headers and query strings named here are the cache key (a cache policy) and
    are forwarded to the origin (an origin request policy); everything else is stripped, so
    two viewers that differ only in an unnamed cookie share a cached response. With the
    default TTLs CloudFront caches a response only when the origin sends ``Cache-Control``
    (``max-age``/``s-maxage``), and never longer than ``max_ttl``.

    Attributes:
        path_pattern: ``/api/*``; ``*`` makes this the distribution's default behavior.
        cookies: cookie names in the cache key and forwarded (at most 10). Default: none.
        headers: header names in the cache key and forwarded (at most 10). Default: none.
            ``Authorization`` is allowed (it is forwarded through the cache key only).
        query_strings: query string names in the cache key and forwarded (at most 10).
            Default: none.
        all_query_strings: put every query string in the cache key instead. Default False.
        origin_headers: headers forwarded to the origin but not in the cache key (e.g.
            ``CloudFront-Viewer-Country``, ``User-Agent``). Default: none.
        min_ttl: default 0 s (0 s..365 days).
        default_ttl: used when the origin sends no ``Cache-Control``. Default 0 s: not cached.
        max_ttl: upper bound on what ``Cache-Control`` may ask for. Default 1 day; above 0 s
            whenever the cache key names anything (CloudFront drops the key at 0).
        allowed_methods: default all methods (GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE).
    """

    path_pattern: str
    cookies: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    query_strings: tuple[str, ...] = ()
    all_query_strings: bool = False
    origin_headers: tuple[str, ...] = ()
    min_ttl: Duration = _DEFAULT_MIN_TTL
    default_ttl: Duration = _DEFAULT_DEFAULT_TTL
    max_ttl: Duration = _DEFAULT_MAX_TTL
    allowed_methods: cloudfront.AllowedMethods = _DEFAULT_ALLOWED_METHODS


_DEFAULT_READ_TIMEOUT = deferred(Duration, "seconds", 30)
_DEFAULT_KEEPALIVE_TIMEOUT = deferred(Duration, "seconds", 5)


@dataclass(frozen=True)
class HttpOriginOptions:
    """The HTTP origin of the dynamic behaviors: a load balancer or any domain.

    Attributes:
        load_balancer: the origin load balancer (``ScalableWebTier.load_balancer``). Without
            ``domain_name`` CloudFront connects to its AWS DNS name.
        domain_name: the DNS name CloudFront connects to. For HTTPS to a load balancer, a
            name covered by the listener's certificate that resolves to the load balancer
            (CloudFront checks the origin certificate against this name, and no certificate
            you own covers ``*.elb.amazonaws.com``). Default: the load balancer's DNS name.
        protocol: ``"https"`` or ``"http"`` between CloudFront and the origin. Default HTTPS
            (TLS 1.2), which needs ``domain_name``. ``"http"`` is an explicit opt-in: the
            traffic crosses the internet unencrypted (the distribution acknowledges cdk-nag
            AwsSolutions-CFR5 for it).
        http_port: default 80. https_port: default 443.
        verify_header_name: a custom header CloudFront adds to every origin request, whose
            value is the ``verify_secret``; the origin rejects requests without it, so nobody
            can bypass CloudFront (and its WAF and geo restriction) by calling the origin
            directly. Default ``X-Origin-Verify``; ``None`` turns the header off.
        verify_secret: a Secrets Manager secret holding the header value (create one with
            :func:`origin_verify_secret` and give the same secret to the web tier). Default:
            one is created (``EdgeDistribution.origin_secret``) - the origin must then be
            configured with it separately.
        read_timeout: how long CloudFront waits for a response. Default 30 s (1..60 s).
        keepalive_timeout: idle origin connection reuse. Default 5 s (1..60 s).
    """

    load_balancer: elbv2.ILoadBalancerV2 | None = None
    domain_name: str | None = None
    protocol: Literal["https", "http"] | None = None
    http_port: int = 80
    https_port: int = 443
    verify_header_name: str | None = "X-Origin-Verify"
    verify_secret: secretsmanager.ISecret | None = None
    read_timeout: Duration = _DEFAULT_READ_TIMEOUT
    keepalive_timeout: Duration = _DEFAULT_KEEPALIVE_TIMEOUT
