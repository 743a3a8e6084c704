"""The prop rules of :class:`~patterns.edge.EdgeDistribution`, one function per feature.

Each rule receives only the props it needs, records its problems on the validator it is
given and never raises, so the construct reports every problem at once. Values that are
unresolved tokens are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from aws_cdk import Duration, Token
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_kms as kms
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy

from patterns.core.deferred import deferred
from patterns.core.validation import (
    Validator,
    format_duration,
    is_concrete_duration,
    is_unresolved,
)
from patterns.edge.behaviors import behavior_id
from patterns.edge.countries import ISO_3166_ALPHA2, ISO_MISTAKES
from patterns.edge.options import DynamicBehavior, HttpOriginOptions

__all__ = [
    "ALLOWED_TLS_POLICIES",
    "alarms",
    "as_list",
    "behaviors",
    "content",
    "custom_domain",
    "distribution",
    "dynamic_behavior",
    "geo_restriction",
    "logging",
    "origin",
    "origin_latency_advice",
    "static_content",
    "warn_origin_latency",
]

#: CloudFront's default quotas per cache policy and per origin request policy.
MAX_POLICY_COOKIES = 10
MAX_POLICY_HEADERS = 10
MAX_POLICY_QUERY_STRINGS = 10
#: Alternate domain names per distribution (default quota).
MAX_DOMAIN_NAMES = 100
#: Invalidation paths with a ``*`` that may be in progress at once.
MAX_WILDCARD_INVALIDATIONS = 15
#: CloudFront DistributionConfig.DefaultRootObject: at most 255 characters.
MAX_DEFAULT_ROOT_OBJECT = 255
#: Longest TTL CloudFront accepts in a cache policy.
MAX_TTL = deferred(Duration, "days", 365)
#: Origin read (response) timeout without a quota increase; keep-alive timeout bounds.
MAX_READ_TIMEOUT = deferred(Duration, "seconds", 60)
MAX_KEEPALIVE_TIMEOUT = deferred(Duration, "seconds", 60)
#: The only minimum viewer TLS policies this pattern accepts (TLS 1.2 or later).
ALLOWED_TLS_POLICIES = (
    cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025,
    cloudfront.SecurityPolicyProtocol.TLS_V1_3_2025,
)

_PATH_PATTERN = re.compile(r"^[A-Za-z0-9_\-.*$/~\"'@:+&]{1,255}$")
_HEADER = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$")
_COOKIE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$")
_QUERY_STRING = re.compile(r"^[^\s&=#]{1,256}$")
_DOMAIN = re.compile(
    r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"
)
_WEB_ACL_ARN = re.compile(
    r"^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global/webacl/[\w-]{1,128}/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
#: Headers CloudFront manages itself: a cache policy, an origin request policy or a custom
#: origin header may not name them (compression covers Accept-Encoding).
_RESERVED_HEADERS = frozenset(
    h.lower()
    for h in (
        "Accept-Encoding",
        "Connection",
        "Content-Length",
        "Expect",
        "Host",
        "Keep-Alive",
        "Proxy-Authenticate",
        "Proxy-Authorization",
        "Proxy-Connection",
        "Trailer",
        "TE",
        "Transfer-Encoding",
        "Upgrade",
        "Via",
        "X-Forwarded-For",
        "X-Forwarded-Proto",
        "X-Real-IP",
    )
)
_RESERVED_HEADER_PREFIXES = ("x-amz-cf-", "x-edge-")


def as_list(v: Validator, prop: str, value: object) -> list[Any]:
    """``value`` as a list; a problem (and ``[]``) for anything but a list or tuple - a string
    would otherwise be split into characters."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    shown = f" {value!r}" if isinstance(value, str) else ""
    v.add(prop, f"must be a list, got {type(value).__name__}{shown}")
    return []


# -- static content ------------------------------------------------------------------------
def static_content(
    v: Validator,
    static_bucket: s3.IBucket | None,
    static_encryption_key: kms.IKey | None,
    needs_static: bool,
    default_root_object: str | None,
    error_page: str | None,
) -> None:
    """The static bucket (given only when a behavior serves it; a key only for a created one),
    ``default_root_object`` (an object name) and ``error_page`` (a path in the bucket)."""
    v.implements("static_bucket", static_bucket, "bucket_arn", what="an s3.IBucket")
    v.implements("static_encryption_key", static_encryption_key, "key_arn", what="a kms.IKey")
    if static_bucket is not None and not needs_static:
        v.add("static_bucket", "is given but no behavior serves static content")
    v.require(
        static_bucket is None or static_encryption_key is None,
        "static_encryption_key",
        "applies only to the bucket this construct creates, not to static_bucket",
    )
    if v.text("default_root_object", default_root_object):
        assert default_root_object is not None
        v.require(
            bool(default_root_object) and not default_root_object.startswith("/"),
            "default_root_object",
            f"must be an object name without a leading '/', got {default_root_object!r}",
        )
        # CloudFront: "The maximum length of the name is 255 characters"
        # (DistributionConfig.DefaultRootObject)
        v.require(
            len(default_root_object) <= MAX_DEFAULT_ROOT_OBJECT,
            "default_root_object",
            f"must be at most {MAX_DEFAULT_ROOT_OBJECT} characters, got {len(default_root_object)}",
        )
    if v.text("error_page", error_page):
        assert error_page is not None
        v.require(
            error_page.startswith("/") and len(error_page) > 1,
            "error_page",
            f"must be a path starting with '/', got {error_page!r}",
        )
        v.require(needs_static, "error_page", "needs a static bucket to serve it from, got none")


def content(
    v: Validator, content: Sequence[s3deploy.ISource], invalidation_paths: Sequence[str]
) -> None:
    """Sources to deploy, and the paths invalidated after (each ``/...``, at most 15 ``*``)."""
    for index, source in enumerate(content):
        v.implements(f"content[{index}]", source, "bind", what="an s3deploy.ISource")
    if not content:
        return
    wildcards = [p for p in invalidation_paths if isinstance(p, str) and "*" in p]
    for path in invalidation_paths:
        if v.text("invalidation_paths", path) and not path.startswith("/"):
            v.add("invalidation_paths", f"must start with '/', got {path!r}")
    v.number_in_range(
        "invalidation_paths wildcard count", len(wildcards), maximum=MAX_WILDCARD_INVALIDATIONS
    )


# -- behaviors and the HTTP origin -----------------------------------------------------------
def behaviors(
    v: Validator,
    static_paths: Sequence[str],
    dynamic_behaviors: Sequence[DynamicBehavior],
    http_origin: HttpOriginOptions | None,
) -> None:
    """Valid, distinct path patterns (also as construct ids), each dynamic behavior's cache
    key and TTLs, and an ``http_origin`` exactly when dynamic behaviors route to one."""
    seen: dict[str, str] = {}
    for path in static_paths:
        if not _path_pattern(v, "static_paths", path):
            continue
        if path == "*":
            v.add("static_paths", "cannot contain '*': the default behavior is static already")
        _unique_path(v, seen, path, "static_paths")
    ids: dict[str, str] = {}
    for index, behavior in enumerate(dynamic_behaviors):
        prop = f"dynamic_behaviors[{index}]"
        if not isinstance(behavior, DynamicBehavior):
            v.add(prop, f"must be a DynamicBehavior, got {type(behavior).__name__}")
            continue
        if _path_pattern(v, f"{prop}.path_pattern", behavior.path_pattern):
            _unique_path(v, seen, behavior.path_pattern, prop)
            _unique_id(v, ids, behavior.path_pattern, prop)
        dynamic_behavior(v, prop, behavior)
    if dynamic_behaviors and http_origin is None:
        v.add("dynamic_behaviors", "need an http_origin to route to, got none")
    if http_origin is not None:
        if not dynamic_behaviors:
            v.add("http_origin", "is given but no dynamic_behaviors route to it")
        origin(v, http_origin)


def _path_pattern(v: Validator, prop: str, path: str) -> bool:
    """Whether ``path`` is a valid path pattern (else the problem is reported)."""
    if not isinstance(path, str) or not _PATH_PATTERN.match(path):
        v.add(
            prop,
            "must be a CloudFront path pattern of 1-255 characters from A-Z a-z 0-9 "
            f"_ - . * $ / ~ \" ' @ : + &, got {path!r}",
        )
        return False
    return True


def _unique_path(v: Validator, seen: dict[str, str], path: str, prop: str) -> None:
    """``/a/*`` and ``a/*`` are the same pattern; record ``path`` as routed by ``prop``."""
    key = path if path == "*" else "/" + path.lstrip("/")
    if key in seen:
        v.add(prop, f"path pattern {path!r} is already routed by {seen[key]}")
    else:
        seen[key] = prop


def _unique_id(v: Validator, ids: dict[str, str], path: str, prop: str) -> None:
    """Two patterns whose policies would get the same construct id (``/api-v1/*``,
    ``/api/v1/*``)."""
    stem = behavior_id(path)
    if stem in ids and ids[stem] != path.lstrip("/"):
        v.add(
            prop,
            f"path pattern {path!r} and {ids[stem]!r} map to the "
            f"same construct id {stem}; make them differ in letters or digits",
        )
    ids.setdefault(stem, path.lstrip("/"))


def dynamic_behavior(v: Validator, prop: str, b: DynamicBehavior) -> None:
    """The names of the cache key (valid, distinct, not CloudFront's own headers, within the
    quotas), ``allowed_methods`` and the TTLs."""
    names = (
        ("cookies", b.cookies, _COOKIE),
        ("headers", b.headers, _HEADER),
        ("query_strings", b.query_strings, _QUERY_STRING),
        ("origin_headers", b.origin_headers, _HEADER),
    )
    for field_name, values, pattern in names:
        _names(v, f"{prop}.{field_name}", values, pattern, headers=field_name.endswith("headers"))
    v.number_in_range(f"{prop}.cookies count", len(b.cookies), maximum=MAX_POLICY_COOKIES)
    v.number_in_range(f"{prop}.headers count", len(b.headers), maximum=MAX_POLICY_HEADERS)
    v.number_in_range(
        f"{prop}.query_strings count", len(b.query_strings), maximum=MAX_POLICY_QUERY_STRINGS
    )
    forwarded = {h.lower() for h in (*b.headers, *b.origin_headers) if h.lower() != "authorization"}
    v.number_in_range(
        f"{prop}.headers + origin_headers count",
        len(forwarded),
        maximum=MAX_POLICY_HEADERS,
    )
    if b.all_query_strings and b.query_strings:
        v.add(f"{prop}.all_query_strings", "cannot be combined with query_strings")
    v.boolean(f"{prop}.all_query_strings", b.all_query_strings)
    v.instance_of(
        f"{prop}.allowed_methods",
        b.allowed_methods,
        cloudfront.AllowedMethods,
        what="a cloudfront.AllowedMethods",
    )
    _ttls(v, prop, b)


def _names(
    v: Validator, prop: str, values: Sequence[str], pattern: re.Pattern[str], *, headers: bool
) -> None:
    """Cookie, header or query string names: a tuple of valid, distinct names (headers
    compared case-insensitively and none that CloudFront sets itself)."""
    if isinstance(values, str):
        v.add(prop, f"must be a tuple of names, got the string {values!r}")
        return
    for value in values:
        if not isinstance(value, str) or not pattern.match(value):
            v.add(prop, f"contains an invalid name {value!r}")
        elif headers and _is_reserved_header(value):
            v.add(prop, f"cannot name {value!r}: CloudFront sets it itself")
    lowered = [x.lower() if headers else x for x in values]
    if len(set(lowered)) != len(lowered):
        v.add(prop, f"contain duplicates: {list(values)}")


def _ttls(v: Validator, prop: str, b: DynamicBehavior) -> None:
    """Whole seconds up to 365 days, min <= default <= max, and above 0 s with a cache key."""
    for ttl_name, ttl in (
        ("min_ttl", b.min_ttl),
        ("default_ttl", b.default_ttl),
        ("max_ttl", b.max_ttl),
    ):
        # cache policy TTLs are whole seconds
        v.duration_in_range(
            f"{prop}.{ttl_name}",
            ttl,
            minimum=Duration.seconds(0),
            maximum=MAX_TTL,
            whole="seconds",
        )
    ttls = (b.min_ttl, b.default_ttl, b.max_ttl)
    if not all(is_concrete_duration(t) for t in ttls):
        return
    lo, mid, hi = (t.to_seconds(integral=False) for t in ttls)
    if not lo <= mid <= hi:
        v.add(
            prop,
            "TTLs must satisfy min_ttl <= default_ttl <= max_ttl, got "
            + " / ".join(format_duration(t) for t in ttls),
        )
    keyed = b.cookies or b.headers or b.query_strings or b.all_query_strings
    if hi == 0 and keyed:
        v.add(
            f"{prop}.max_ttl",
            "must be above 0 s when the cache key names cookies, headers or query "
            "strings (CloudFront drops the cache key when caching is off), got 0 s",
        )


def origin(v: Validator, o: HttpOriginOptions) -> None:
    """A load balancer or a domain name, a protocol it can serve, ports, the verify header and
    the timeouts CloudFront accepts."""
    if not isinstance(o, HttpOriginOptions):
        v.add("http_origin", f"must be an HttpOriginOptions, got {type(o).__name__}")
        return
    if o.load_balancer is None and o.domain_name is None:
        v.add("http_origin", "needs a load_balancer or a domain_name, got neither")
    v.implements(
        "http_origin.load_balancer",
        o.load_balancer,
        "load_balancer_dns_name",
        what="an elbv2.ILoadBalancerV2",
    )
    v.implements(
        "http_origin.verify_secret",
        o.verify_secret,
        "secret_value",
        what="a secretsmanager.ISecret",
    )
    domain = o.domain_name
    if v.text("http_origin.domain_name", domain) and (
        not _DOMAIN.match(str(domain).lower()) or str(domain).startswith("*")
    ):
        v.add("http_origin.domain_name", f"must be a DNS name, got {o.domain_name!r}")
    v.one_of("http_origin.protocol", o.protocol, ("https", "http"))
    if o.protocol != "http" and o.domain_name is None:
        v.add(
            "http_origin.protocol",
            "'https' (the default) needs http_origin.domain_name: a name the origin's "
            "certificate covers (no certificate you own covers the load balancer's "
            "*.elb.amazonaws.com name); or pass protocol='http' to reach the origin over plain "
            "HTTP",
        )
    for port_name, port in (("http_port", o.http_port), ("https_port", o.https_port)):
        v.number_in_range(f"http_origin.{port_name}", port, minimum=1, maximum=65_535, integer=True)
    _verify_header(v, o)
    for timeout_name, timeout, maximum in (
        ("read_timeout", o.read_timeout, MAX_READ_TIMEOUT),
        ("keepalive_timeout", o.keepalive_timeout, MAX_KEEPALIVE_TIMEOUT),
    ):
        v.duration_in_range(
            f"http_origin.{timeout_name}",
            timeout,
            minimum=Duration.seconds(1),
            maximum=maximum,
            whole="seconds",  # OriginReadTimeout / OriginKeepaliveTimeout are in seconds
        )


def _verify_header(v: Validator, o: HttpOriginOptions) -> None:
    """A custom header name CloudFront may add; a secret only with a header."""
    name = o.verify_header_name
    if (
        v.text("http_origin.verify_header_name", name)
        and isinstance(name, str)
        and (
            not _HEADER.match(name)
            or _is_reserved_header(name)
            or name.lower().startswith("x-amz-")
        )
    ):
        v.add(
            "http_origin.verify_header_name",
            f"must be a custom header name CloudFront may add, got {o.verify_header_name!r}",
        )
    if o.verify_header_name is None and o.verify_secret is not None:
        v.add("http_origin.verify_secret", "is given but verify_header_name is None")


def _is_reserved_header(name: str) -> bool:
    lower = name.lower()
    return lower in _RESERVED_HEADERS or lower.startswith(_RESERVED_HEADER_PREFIXES)


# -- viewers ---------------------------------------------------------------------------------
def geo_restriction(v: Validator, geo_allow: Sequence[str], geo_deny: Sequence[str]) -> None:
    """One of the two, each a list of ISO 3166-1 alpha-2 codes (``None`` is skipped: the base
    reports it)."""
    v.at_most_one(
        {"geo_allow": list(geo_allow or ()) or None, "geo_deny": list(geo_deny or ()) or None}
    )
    for prop, codes in (("geo_allow", geo_allow or ()), ("geo_deny", geo_deny or ())):
        if isinstance(codes, str):
            v.add(prop, f"must be a list of country codes, got the string {codes!r}")
            continue
        for code in codes:
            _country(v, prop, code)


def _country(v: Validator, prop: str, code: object) -> None:
    if isinstance(code, str) and code in ISO_3166_ALPHA2:
        return
    hint = ""
    if isinstance(code, str):
        if code.upper() in ISO_3166_ALPHA2:
            hint = f" (codes are upper case: {code.upper()!r})"
        elif code.upper() in ISO_MISTAKES:
            hint = f" (ISO 3166-1 uses {ISO_MISTAKES[code.upper()]!r})"
    v.add(prop, f"must contain ISO 3166-1 alpha-2 country codes, got {code!r}{hint}")


def custom_domain(
    v: Validator,
    domain_names: Sequence[str],
    certificate: acm.ICertificate | None,
    minimum_protocol_version: cloudfront.SecurityPolicyProtocol,
    hosted_zone: route53.IHostedZone | None,
) -> None:
    """Domain names (DNS names, distinct, within the quota, in ``hosted_zone`` if given) with a
    us-east-1 certificate, and a TLS 1.2+ viewer policy."""
    v.implements("certificate", certificate, "certificate_arn", what="an acm.ICertificate")
    v.implements("hosted_zone", hosted_zone, "zone_name", what="a route53.IHostedZone")
    if domain_names and certificate is None:
        v.add("certificate", "is required with domain_names (an ACM certificate in us-east-1)")
    if certificate is not None and not domain_names:
        v.add("domain_names", "must name the domains the certificate is for, got none")
    if certificate is not None and hasattr(certificate, "certificate_arn"):
        _certificate_region(v, certificate.certificate_arn)
    v.number_in_range("domain_names count", len(domain_names), maximum=MAX_DOMAIN_NAMES)
    for domain in domain_names:
        if not v.text("domain_names", domain):
            continue
        if len(domain) > 253 or not _DOMAIN.match(domain):
            v.add("domain_names", f"must be DNS names (optionally *.<name>), got {domain!r}")
    if all(isinstance(d, str) for d in domain_names) and len(set(domain_names)) != len(
        domain_names
    ):
        v.add("domain_names", f"contain duplicates: {sorted(domain_names)}")
    v.one_of("minimum_protocol_version", minimum_protocol_version, ALLOWED_TLS_POLICIES)
    if hosted_zone is not None and hasattr(hosted_zone, "zone_name"):
        _in_zone(v, hosted_zone.zone_name, domain_names)


def _certificate_region(v: Validator, arn: str) -> None:
    if Token.is_unresolved(arn):
        return
    parts = arn.split(":")
    region = parts[3] if len(parts) > 5 else ""
    if region != "us-east-1":
        v.add(
            "certificate",
            "must be an ACM certificate in us-east-1 (CloudFront reads certificates "
            f"only there), got one in {region or 'an unknown region'!r}: {arn}",
        )


def _in_zone(v: Validator, zone: str, domain_names: Sequence[str]) -> None:
    """Alias records need domain names, each the zone or below it."""
    if not domain_names:
        v.add("hosted_zone", "needs domain_names to create records for, got none")
    if Token.is_unresolved(zone):
        return
    zone = zone.lower().rstrip(".")
    for domain in domain_names:
        if not isinstance(domain, str) or is_unresolved(domain):
            continue
        if not (domain == zone or domain.endswith(f".{zone}")):
            v.add(
                "domain_names",
                f"must be in hosted_zone {zone!r} to get alias records, got {domain!r}",
            )


def distribution(
    v: Validator,
    response_headers_policy: cloudfront.IResponseHeadersPolicy | None,
    web_acl_arn: str | None,
    price_class: cloudfront.PriceClass,
    comment: str | None,
) -> None:
    """The distribution's own settings: headers policy, WAF web ACL, price class, comment."""
    v.implements(
        "response_headers_policy",
        response_headers_policy,
        "response_headers_policy_id",
        what="a cloudfront.IResponseHeadersPolicy",
    )
    v.instance_of("price_class", price_class, cloudfront.PriceClass, what="a PriceClass")
    v.text("comment", comment)
    if v.text("web_acl_arn", web_acl_arn):
        assert web_acl_arn is not None
        v.require(
            bool(_WEB_ACL_ARN.match(web_acl_arn)),
            "web_acl_arn",
            "must be a WAFv2 web ACL of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:"
            f"global/webacl/<name>/<id>), got {web_acl_arn!r}",
        )


# -- logs and alarms -------------------------------------------------------------------------
def logging(
    v: Validator,
    log_bucket: s3.IBucket | None,
    log_expiration: Duration,
    log_includes_cookies: bool,
) -> None:
    """A bucket, an expiration in whole days (S3 lifecycle), a boolean."""
    v.implements("log_bucket", log_bucket, "bucket_arn", what="an s3.IBucket")
    v.boolean("log_includes_cookies", log_includes_cookies)
    v.duration_in_range("log_expiration", log_expiration, minimum=Duration.days(1), whole="days")


def alarms(
    v: Validator,
    error_rate_alarm_percent: float,
    publish_additional_metrics: bool,
    origin_latency_alarm: Duration,
) -> None:
    """0 < error rate <= 100 (%); origin latency 1 s .. 3 min."""
    v.boolean("publish_additional_metrics", publish_additional_metrics)
    if not is_unresolved(error_rate_alarm_percent):
        v.require(
            isinstance(error_rate_alarm_percent, int | float)
            and not isinstance(error_rate_alarm_percent, bool)
            and 0 < error_rate_alarm_percent <= 100,
            "error_rate_alarm_percent",
            f"must be above 0 and at most 100 (%), got {error_rate_alarm_percent!r}",
        )
    v.duration_in_range(
        "origin_latency_alarm",
        origin_latency_alarm,
        minimum=Duration.seconds(1),
        maximum=Duration.seconds(180),
    )


def origin_latency_advice(
    http_origin: object, *, publish_additional_metrics: object, origin_latency_alarm: object
) -> str | None:
    """The warning when the origin latency alarm is at least ``http_origin.read_timeout``:
    CloudFront stops waiting for the origin at the read timeout (504), so the dynamic origin
    never reaches that latency; only the static origin could. AWS accepts it, hence a warning.
    None when there is no such alarm, no HTTP origin, or a value is a token."""
    if publish_additional_metrics is not True or not isinstance(http_origin, HttpOriginOptions):
        return None
    read_timeout = http_origin.read_timeout
    if not (is_concrete_duration(read_timeout) and is_concrete_duration(origin_latency_alarm)):
        return None
    assert isinstance(origin_latency_alarm, Duration)
    if origin_latency_alarm.to_seconds(integral=False) < read_timeout.to_seconds(integral=False):
        return None
    return (
        f"origin_latency_alarm ({format_duration(origin_latency_alarm)}) is at least "
        f"http_origin.read_timeout ({format_duration(read_timeout)}): CloudFront gives up on "
        "the origin at the read timeout (a 504), so the alarm would not see a slow dynamic "
        "origin. Set it below the read timeout."
    )


def warn_origin_latency(
    warn: Callable[[str, str], None],
    http_origin: object,
    publish_additional_metrics: object,
    origin_latency_alarm: object,
) -> None:
    """``warn("edge:origin-latency", ...)`` with :func:`origin_latency_advice`, if any."""
    advice = origin_latency_advice(
        http_origin,
        publish_additional_metrics=publish_additional_metrics,
        origin_latency_alarm=origin_latency_alarm,
    )
    if advice:
        warn("edge:origin-latency", advice)
