"""Edge delivery: one CloudFront distribution in front of an S3 bucket and an HTTP origin.

Static content comes from a private S3 bucket through Origin Access Control (no public
bucket, no website endpoint); dynamic paths go to an HTTP origin - the load balancer of a
:class:`~patterns.web_tier.ScalableWebTier` or any domain - with a cache key made of exactly
the cookies, headers and query strings the application needs. Viewers are redirected to
HTTPS, get security headers on every response and can be restricted by country; standard
logs land in an encrypted bucket, and a 5xx error-rate alarm watches the distribution.

Example::

    secret = origin_verify_secret(self, "OriginVerify")
    cloudfront_ips = CloudFrontOriginFacingPrefixList(self, "CloudFrontIps")
    web = ScalableWebTier(self, "Web", ...,
        certificate=alb_certificate,                 # covers origin.example.com
        allow_from_cloudfront_only=True,
        cloudfront_prefix_list_id=cloudfront_ips.prefix_list_id,
        cloudfront_origin_secret=secret,
    )
    edge = EdgeDistribution(
        self,
        "Edge",
        static_paths=["/static/*"],
        content=[s3deploy.Source.asset("site")],
        http_origin=HttpOriginOptions(
            load_balancer=web.load_balancer,
            domain_name="origin.example.com",        # alias to the ALB: HTTPS to the origin
            verify_secret=secret,
        ),
        dynamic_behaviors=[DynamicBehavior("/api/*", cookies=("session",), query_strings=("q",))],
        geo_allow=["DE", "FR", "NL"],
        domain_names=["example.com", "www.example.com"],
        certificate=viewer_certificate,              # ACM, us-east-1
        hosted_zone=zone,
        web_acl_arn=web_acl_arn,                     # WAFv2, scope CLOUDFRONT
    )
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_kms as kms
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride, Monitoring
from patterns.core.pattern import MetricSource, Pattern, check_common_props
from patterns.edge import access_logs, alarms, existing, validate, viewer
from patterns.edge.behaviors import build_behaviors, serves_static
from patterns.edge.content import deploy_content
from patterns.edge.decisions import Decisions, acknowledge_decisions, check_decisions
from patterns.edge.dns import alias_records, normalise_domains
from patterns.edge.options import DynamicBehavior, HttpOriginOptions
from patterns.edge.origins import http_origin as build_http_origin
from patterns.edge.origins import static_origin as build_static_origin

__all__ = ["EdgeDistribution"]


_DEFAULT_LOG_EXPIRATION = deferred(Duration, "days", 365)
_DEFAULT_ORIGIN_LATENCY_ALARM = deferred(Duration, "seconds", 5)


class EdgeDistribution(Pattern):
    """A CloudFront distribution for static content in S3 and dynamic content from an origin.

    **Behaviors.** The default behavior serves the static bucket (``default_root_object``,
    optional ``error_page``) unless a :class:`DynamicBehavior` has the path pattern ``*``.
    ``static_paths`` (``/static/*``) are served from the bucket with the managed
    ``CachingOptimized`` policy (long TTLs, gzip/brotli, no cookies or query strings in the
    key); each ``dynamic_behaviors`` entry goes to ``http_origin`` with a cache policy and an
    origin request policy made of the names it lists. CloudFront matches path patterns in
    order: put the most specific first.

    **Decisions you make.** Each secure setting below is required unless its opt-in prop says
    otherwise; only the opt-in acknowledges the one cdk-nag finding it causes, on the
    distribution (:mod:`patterns.edge.decisions`):

    * ``domain_names`` + ``certificate`` (viewer TLS 1.2+), or ``allow_default_certificate=
      True``: only the ``*.cloudfront.net`` name, whose certificate CloudFront pins at TLSv1
      (AwsSolutions-CFR4);
    * ``geo_allow`` / ``geo_deny``, or ``allow_all_countries=True`` (AwsSolutions-CFR1);
    * ``web_acl_arn``, or ``allow_without_web_acl=True`` (AwsSolutions-CFR2);
    * an HTTP origin over HTTPS (``HttpOriginOptions.domain_name``), or
      ``HttpOriginOptions(protocol="http")`` (AwsSolutions-CFR5).

    **Viewer security.** HTTP is redirected to HTTPS on every behavior. With
    ``domain_names`` and an ACM ``certificate`` (which must be in us-east-1) viewers need TLS
    1.2 or later (``TLSv1.2_2021`` unless ``minimum_protocol_version`` asks for more, SNI).
    Every response carries the managed ``SecurityHeadersPolicy``
    (HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, X-XSS-Protection) unless
    ``response_headers_policy`` replaces it. ``geo_allow`` / ``geo_deny`` restrict viewers by
    ISO 3166-1 alpha-2 country code; ``web_acl_arn`` attaches an AWS WAF web ACL (scope
    CLOUDFRONT, created in us-east-1 - this construct does not create one because a region-
    agnostic stack cannot).

    **Origin protection.** The static bucket is private: only this distribution may read it
    (Origin Access Control, a bucket policy conditioned on the distribution ARN). The HTTP
    origin receives a secret header (``HttpOriginOptions.verify_header_name``) that the origin
    must require. Pair it with a security group that admits only the managed prefix list
    ``com.amazonaws.global.cloudfront.origin-facing`` (``ScalableWebTier`` does both; its id
    differs per region - :class:`CloudFrontOriginFacingPrefixList` resolves it at deploy
    time). The prefix list
    alone is not enough - every CloudFront distribution, including other accounts', uses
    those addresses - and the header alone leaves the origin reachable; use both.

    **Content and invalidation.** ``content`` (``s3deploy.Source.asset("site")``) is copied
    to the bucket on every deploy by a ``BucketDeployment``, which then invalidates
    ``invalidation_paths`` (default ``/*``, counted as one path) and waits for the
    invalidation. Alternatives that need no invalidation: versioned object names
    (``app.3f9c.js`` with a long ``Cache-Control: max-age``, and a short TTL only on
    ``index.html``), or
    short TTLs (``Cache-Control`` from the origin, bounded by the cache policy) where a few
    minutes of staleness are fine. The first 1,000 invalidation paths a month are free.
    aws-cdk-lib runs every such deployment of a stack in one function; this construct gives it
    a role without AWS managed policies and a log group with retention, and narrows its
    invalidation permission from ``*`` to the distributions it deploys for.

    **Logs.** Standard (legacy) access logs go to ``log_bucket`` under ``cloudfront/``; the
    static bucket's S3 server access logs under ``s3-access/``. CloudFront delivers standard
    logs through an ACL grant, so the created log bucket keeps ACLs enabled (object
    ownership ``BUCKET_OWNER_PREFERRED``; public access stays blocked) and is SSE-S3
    encrypted - S3 server access logging delivers only to SSE-S3 buckets; a given
    ``log_bucket`` must allow ACLs too.

    **Alarms.** CloudFront publishes metrics only in us-east-1 and an alarm must live in the
    region of its metric. In a stack bound to us-east-1 the alarms are created; in a stack
    bound to another region they are not (a warning says so: create them in a us-east-1
    stack); in a region-agnostic stack they carry the condition ``AWS::Region ==
    us-east-1``, so they exist exactly where they work.

    Alarm names (the keys of ``alarms`` and ``alarm_overrides``): ``ErrorRate5xx`` and, with
    ``publish_additional_metrics``, ``OriginLatency`` (none in a stack of a region other than
    us-east-1, where CloudFront's metrics are not).

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        static_bucket: an existing bucket (imported or created by you) for the static
            content. The pattern adds, for a bucket of this app, the bucket policy statement
            that lets only this distribution read (OAC) and, when its key is a key of this
            app, the key policy statement that lets CloudFront decrypt; ``content`` is
            copied into it. An imported bucket's policy (and key policy) must allow that
            already. It never changes the bucket's encryption, versioning, lifecycle, access
            logging or deletion policy. Default: a bucket is created (versioned, private,
            TLS-only, SSE-KMS with an S3 bucket key, access logs to ``log_bucket``) whenever a
            behavior serves static content.
        static_encryption_key: the KMS key of the created bucket. Default: a new key
            ``StaticKey`` (yearly rotation). Its key policy lets CloudFront decrypt for the
            distributions of this account (naming this one would be circular: key ->
            distribution -> bucket -> key); the bucket policy lets only this distribution
            read, so no other distribution gets an object.
        static_paths: path patterns served from the bucket besides the default behavior.
            Default: none.
        content: sources copied into the bucket on deploy. Default: none (upload yourself).
        invalidation_paths: paths invalidated after ``content`` is copied. Default ``/*``
            (each path starts with ``/``; at most 15 with a ``*``).
        http_origin: the origin of ``dynamic_behaviors``. Default: none (static only).
        dynamic_behaviors: path patterns routed to ``http_origin``. Default: none.
        default_root_object: object returned for ``/``. Default ``index.html``; ``None`` for
            none (e.g. when ``*`` is dynamic).
        error_page: bucket path (``/404.html``) returned with status 404 when the bucket has
            no such object (S3 answers 403 without list permission). Error pages apply to the
            whole distribution, also to dynamic paths. Default: CloudFront's error.
        geo_allow: serve only these countries. Default: none - give it, ``geo_deny`` or
            ``allow_all_countries=True``.
        geo_deny: serve everywhere except these countries. Default: none. Exclusive with
            ``geo_allow``.
        domain_names: alternate domain names (``www.example.com``, ``*.example.com``, the
            zone apex). Default: none (the ``*.cloudfront.net`` name only).
        certificate: ACM certificate in us-east-1 covering every domain name. Required with
            ``domain_names``, and unless ``allow_default_certificate=True``.
        minimum_protocol_version: viewer TLS policy with a custom domain. Default
            ``TLS_V1_2_2021``; ``TLS_V1_2_2025`` and ``TLS_V1_3_2025`` are allowed.
        hosted_zone: create Route 53 alias records (A and AAAA) for every domain name in this
            zone, including the apex. Default: no records.
        response_headers_policy: replaces the managed ``SecurityHeadersPolicy``.
        web_acl_arn: a WAFv2 web ACL of scope CLOUDFRONT
            (``arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>``). Required unless
            ``allow_without_web_acl=True``.
        allow_default_certificate: serve only the ``*.cloudfront.net`` name with CloudFront's
            default certificate (viewers may negotiate TLSv1). Default False.
        allow_all_countries: serve every country (no geo restriction). Default False.
        allow_without_web_acl: run without an AWS WAF web ACL. Default False.
        price_class: edge locations used. Default ``PRICE_CLASS_100`` (North America, Europe,
            Israel - the cheapest); ``PRICE_CLASS_ALL`` for low latency everywhere.
        log_bucket: an existing bucket (imported or created by you) for the access logs.
            CloudFront writes its standard logs under ``cloudfront/`` through an ACL grant
            (so ACLs must be enabled: object ownership ``BUCKET_OWNER_PREFERRED``), and a
            created static bucket its S3 server access logs under ``s3-access/`` (so it must
            be SSE-S3 encrypted then: checked for a bucket of this app). The pattern
            adds nothing to it and never changes its policy, encryption, lifecycle or deletion
            policy. Default: created.
        log_expiration: how long the created log bucket keeps logs (not with a
            ``log_bucket``). Default 365 days.
        log_includes_cookies: include cookies in the access logs. Default False (they may
            hold session ids).
        error_rate_alarm_percent: alarm when the 5xx error rate is above this share of
            requests for 2 of 3 five-minute periods. Default 5 (%), 0 < x <= 100.
        publish_additional_metrics: turn on CloudFront's additional metrics (origin latency,
            cache hit rate, error rates per status; billed per distribution) and alarm on
            origin latency. Default False.
        origin_latency_alarm: with additional metrics: alarm when the p90 origin latency is
            above this. Default 5 s (1 s..3 min). At least ``http_origin.read_timeout`` is a
            warning (CloudFront gives up on the origin at the read timeout).
        removal_policy: of the buckets (emptied first with DESTROY), their key, the log
            groups and the created secret. Default RETAIN; DESTROY for dev stacks.
        alarm_topic: notified on ALARM and OK. Default: no notification.
        dashboard: a dashboard to add the alarm widgets (or, region-agnostic, metric graphs)
            to. Default: none.
        alarm_overrides: alarm name (see Alarm names above) -> :class:`~patterns.AlarmOverride`
            to change its threshold, period, evaluation periods or datapoints to alarm, or
            ``None`` to not create it; any other name is a PatternValidationError listing the
            valid ones. Default: every alarm as described.
        comment: the distribution's comment. Default: the construct path.
    """

    #: The distribution (``Resource``).
    distribution: cloudfront.Distribution
    #: The bucket of the static content; None when every behavior is dynamic.
    static_bucket: s3.IBucket | None
    #: The bucket of the standard logs and the static bucket's access logs.
    log_bucket: s3.IBucket
    #: The secret the origin-verify header carries; None without an HTTP origin or header.
    origin_secret: secretsmanager.ISecret | None
    #: The name of the origin-verify header; None without an HTTP origin or header.
    origin_verify_header: str | None
    #: How CloudFront reaches the HTTP origin (``"https"`` or ``"http"``); None without one.
    origin_protocol: str | None
    #: The response headers policy of every behavior.
    response_headers_policy: cloudfront.IResponseHeadersPolicy
    #: The cache policy and the origin request policy of each dynamic path pattern.
    cache_policies: dict[str, cloudfront.CachePolicy]
    origin_request_policies: dict[str, cloudfront.OriginRequestPolicy]
    #: The content deployment; None without ``content``.
    deployment: s3deploy.BucketDeployment | None
    #: The A and AAAA alias records of each domain name; empty without ``hosted_zone``.
    records: dict[str, list[route53.RecordSet]]
    #: The alarms (also in ``alarms``) and the dashboard they go to.
    monitoring: Monitoring

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        static_bucket: s3.IBucket | None = None,
        static_encryption_key: kms.IKey | None = None,
        static_paths: Sequence[str] = (),
        content: Sequence[s3deploy.ISource] = (),
        invalidation_paths: Sequence[str] = ("/*",),
        http_origin: HttpOriginOptions | None = None,
        dynamic_behaviors: Sequence[DynamicBehavior] = (),
        default_root_object: str | None = "index.html",
        error_page: str | None = None,
        geo_allow: Sequence[str] = (),
        geo_deny: Sequence[str] = (),
        domain_names: Sequence[str] = (),
        certificate: acm.ICertificate | None = None,
        minimum_protocol_version: cloudfront.SecurityPolicyProtocol = (
            cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021
        ),
        hosted_zone: route53.IHostedZone | None = None,
        response_headers_policy: cloudfront.IResponseHeadersPolicy | None = None,
        web_acl_arn: str | None = None,
        allow_default_certificate: bool = False,
        allow_all_countries: bool = False,
        allow_without_web_acl: bool = False,
        price_class: cloudfront.PriceClass = cloudfront.PriceClass.PRICE_CLASS_100,
        log_bucket: s3.IBucket | None = None,
        log_expiration: Duration = _DEFAULT_LOG_EXPIRATION,
        log_includes_cookies: bool = False,
        error_rate_alarm_percent: float = 5,
        publish_additional_metrics: bool = False,
        origin_latency_alarm: Duration = _DEFAULT_ORIGIN_LATENCY_ALARM,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        alarm_overrides: Mapping[str, AlarmOverride | None] | None = None,
        comment: str | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            alarm_overrides=alarm_overrides,
        )
        v = self.validator()
        # Not the base's dashboard: a region-agnostic stack gets graphs there, no alarm widgets.
        check_common_props(v, dashboard=dashboard)
        static_paths = validate.as_list(v, "static_paths", static_paths)
        content = validate.as_list(v, "content", content)
        invalidation_paths = validate.as_list(v, "invalidation_paths", invalidation_paths)
        dynamic_behaviors = validate.as_list(v, "dynamic_behaviors", dynamic_behaviors)
        domain_names = normalise_domains(validate.as_list(v, "domain_names", domain_names))
        needs_static = serves_static(static_paths, dynamic_behaviors, content)
        validate.static_content(
            v, static_bucket, static_encryption_key, needs_static, default_root_object, error_page
        )
        validate.content(v, content, invalidation_paths)
        validate.behaviors(v, static_paths, dynamic_behaviors, http_origin)
        validate.geo_restriction(v, geo_allow, geo_deny)
        validate.custom_domain(v, domain_names, certificate, minimum_protocol_version, hosted_zone)
        validate.distribution(v, response_headers_policy, web_acl_arn, price_class, comment)
        decided = Decisions(allow_default_certificate, allow_all_countries, allow_without_web_acl)
        check_decisions(v, decided, certificate, [geo_allow, geo_deny], web_acl_arn)
        validate.logging(v, log_bucket, log_expiration, log_includes_cookies)
        existing.given_log_bucket(
            v, log_bucket, log_expiration, creates_static_bucket=needs_static and not static_bucket
        )
        latency_alarm = (publish_additional_metrics, origin_latency_alarm)
        validate.alarms(v, error_rate_alarm_percent, *latency_alarm)
        v.raise_if_invalid()
        validate.warn_origin_latency(self.warn, http_origin, *latency_alarm)
        self.log_bucket = access_logs.log_bucket(self, log_bucket, log_expiration, removal_policy)
        static_origin = self._add_static_origin(
            static_bucket, static_encryption_key, needs_static, removal_policy
        )
        dynamic_origin = self._add_http_origin(http_origin, removal_policy)
        self.response_headers_policy = viewer.security_headers(response_headers_policy)
        behaviors = build_behaviors(
            self, dynamic_behaviors=dynamic_behaviors, dynamic_origin=dynamic_origin,
            static_paths=static_paths, static_origin=static_origin,
            response_headers_policy=self.response_headers_policy,
        )  # fmt: skip
        self.cache_policies = behaviors.cache_policies
        self.origin_request_policies = behaviors.origin_request_policies
        self.distribution = cloudfront.Distribution(
            self,
            "Resource",
            comment=(comment or f"scalable-patterns edge {self.node.path}")[:128],
            default_behavior=behaviors.default,
            additional_behaviors=behaviors.additional or None,
            default_root_object=default_root_object,
            error_responses=viewer.error_responses(error_page),
            geo_restriction=viewer.geo_restriction(geo_allow, geo_deny),
            domain_names=domain_names or None,
            certificate=certificate,
            minimum_protocol_version=minimum_protocol_version if certificate else None,
            ssl_support_method=cloudfront.SSLMethod.SNI if certificate else None,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_ipv6=True,
            price_class=price_class,
            web_acl_id=web_acl_arn,
            enable_logging=True,
            log_bucket=self.log_bucket,
            log_file_prefix=access_logs.DISTRIBUTION_LOG_PREFIX,
            log_includes_cookies=log_includes_cookies,
            publish_additional_metrics=publish_additional_metrics or None,
        )
        acknowledge_decisions(self.distribution, decided, self.origin_protocol)
        self.deployment = self._add_content(content, invalidation_paths, removal_policy)
        self.records = self._add_alias_records(hosted_zone, domain_names)
        self.monitoring = self._add_alarms(
            dashboard,
            error_rate_alarm_percent,
            publish_additional_metrics,
            origin_latency_alarm,
        )
        self.record_capacity(_summary(price_class, behaviors.additional, dynamic_behaviors))

    # -- public API ------------------------------------------------------------------------
    @property
    def domain_name(self) -> str:
        """The ``*.cloudfront.net`` name of the distribution."""
        return self.distribution.distribution_domain_name

    def metric_source(self) -> MetricSource:
        """``AWS/CloudFront`` by ``DistributionId`` (and ``Region=Global``), 5-minute periods,
        ``Average``."""
        return MetricSource(
            namespace="AWS/CloudFront",
            dimensions={"DistributionId": self.distribution.distribution_id, "Region": "Global"},
            statistic="Average",
            period=Duration.minutes(5),
        )

    def metric(self, metric_name: str, **options: Any) -> cw.Metric:
        """A CloudFront metric of this distribution, read in us-east-1 (the only region
        CloudFront publishes to) unless ``region`` says otherwise.

        Args:
            metric_name: ``Requests``, ``5xxErrorRate``, ``OriginLatency`` ... (namespace
                ``AWS/CloudFront``; the additional metrics need ``publish_additional_metrics``).
            **options: ``cloudwatch.MetricOptions``; default ``Average`` over 5 minutes.
        """
        return super().metric(metric_name, **{"region": alarms.METRICS_REGION, **options})

    def metric_5xx_error_rate(self, **options: Any) -> cw.Metric:
        """Average ``5xxErrorRate``: the percentage of viewer requests answered with a 5xx."""
        return self.metric("5xxErrorRate", **options)

    def metric_origin_latency(self, **options: Any) -> cw.Metric:
        """p90 ``OriginLatency`` in milliseconds (an additional metric: it needs
        ``publish_additional_metrics``)."""
        return self.metric("OriginLatency", **{"statistic": "p90", **options})

    def metric_requests(self, **options: Any) -> cw.Metric:
        """Sum of ``Requests``: viewer requests of all methods."""
        return self.metric("Requests", **{"statistic": "Sum", **options})

    # -- building blocks -------------------------------------------------------------------
    def _add_static_origin(
        self,
        static_bucket: s3.IBucket | None,
        encryption_key: kms.IKey | None,
        needs_static: bool,
        removal_policy: RemovalPolicy,
    ) -> cloudfront.IOrigin | None:
        """The static bucket and its origin, when a behavior serves it or content goes to it."""
        self.static_bucket = None
        if not needs_static:
            return None
        self.static_bucket, origin = build_static_origin(
            self,
            static_bucket=static_bucket,
            encryption_key=encryption_key,
            log_bucket=self.log_bucket,
            removal_policy=removal_policy,
        )
        return origin

    def _add_http_origin(
        self, options: HttpOriginOptions | None, removal_policy: RemovalPolicy
    ) -> cloudfront.IOrigin | None:
        """The origin of the dynamic behaviors, with its verify header."""
        self.origin_secret = None
        self.origin_verify_header = None
        self.origin_protocol = None
        if options is None:
            return None
        origin = build_http_origin(self, options, removal_policy)
        self.origin_secret, self.origin_verify_header = origin.secret, origin.verify_header
        self.origin_protocol = origin.protocol
        return origin.origin

    def _add_content(
        self,
        content: Sequence[s3deploy.ISource],
        invalidation_paths: list[str],
        removal_policy: RemovalPolicy,
    ) -> s3deploy.BucketDeployment | None:
        """Deploy ``content`` into the static bucket, then invalidate (if there is content)."""
        if not content:
            return None
        assert self.static_bucket is not None
        return deploy_content(
            self,
            content=content,
            bucket=self.static_bucket,
            distribution=self.distribution,
            invalidation_paths=invalidation_paths,
            removal_policy=removal_policy,
        )

    def _add_alias_records(
        self, zone: route53.IHostedZone | None, domain_names: list[str]
    ) -> dict[str, list[route53.RecordSet]]:
        """A and AAAA alias records of every domain name in ``zone`` (none without a zone)."""
        if zone is None:
            return {}
        return alias_records(
            self, zone=zone, domain_names=domain_names, distribution=self.distribution
        )

    def _add_alarms(
        self,
        dashboard: cw.Dashboard | None,
        error_rate_alarm_percent: float,
        publish_additional_metrics: bool,
        origin_latency_alarm: Duration,
    ) -> Monitoring:
        """The alarms where CloudFront's metrics are (see :mod:`patterns.edge.alarms`)."""
        region = alarms.metrics_region(self)
        # Alarm widgets only where the alarms surely exist; a region-agnostic stack gets graphs.
        monitoring = self.start_monitoring(dashboard=dashboard if region == "same" else None)
        alarms.add_edge_alarms(
            self,
            monitoring,
            region=region,
            error_rate_alarm_percent=error_rate_alarm_percent,
            publish_additional_metrics=publish_additional_metrics,
            origin_latency_alarm=origin_latency_alarm,
            dashboard=dashboard,
        )
        monitoring.finish(f"Edge {self.node.path}")
        return monitoring


def _summary(
    price_class: cloudfront.PriceClass,
    additional: dict[str, cloudfront.BehaviorOptions],
    dynamic_behaviors: Sequence[DynamicBehavior],
) -> str:
    """The review-table line: price class and behaviors."""
    label = str(price_class.value) if hasattr(price_class, "value") else str(price_class)
    return f"{label}, {len(additional) + 1} behaviors ({len(dynamic_behaviors)} dynamic)"
