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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import jsii
from aws_cdk import (
    Annotations,
    Aws,
    CfnCondition,
    Duration,
    Fn,
    IResolvable,
    IResolveContext,
    RemovalPolicy,
    Stack,
    Token,
)
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import custom_resources as cr
from constructs import Construct

from patterns.core import defaults
from patterns.core.defaults import depend_on_role_policy_only
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge, nag_resource
from patterns.core.validation import (
    Validator,
    format_duration,
    is_concrete_duration,
    is_unresolved,
)

__all__ = [
    "CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST",
    "ISO_3166_ALPHA2",
    "CloudFrontOriginFacingPrefixList",
    "DynamicBehavior",
    "EdgeDistribution",
    "HttpOriginOptions",
    "origin_verify_secret",
]

#: Name of the AWS-managed prefix list of CloudFront's origin-facing addresses. Its id differs
#: per region and account partition; resolve it at deploy time (ec2:DescribeManagedPrefixLists
#: with a ``prefix-list-name`` filter), never hard-code it.
CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"

_ISO_3166_ALPHA2_TABLE = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
"""
#: Every officially assigned ISO 3166-1 alpha-2 code (249 countries and territories).
ISO_3166_ALPHA2: frozenset[str] = frozenset(_ISO_3166_ALPHA2_TABLE.split())
#: Codes people write that ISO 3166-1 does not assign, and what they mean.
_ISO_MISTAKES = {"UK": "GB", "EL": "GR"}

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
MAX_TTL = Duration.days(365)
#: Origin read (response) timeout without a quota increase; keep-alive timeout bounds.
MAX_READ_TIMEOUT = Duration.seconds(60)
MAX_KEEPALIVE_TIMEOUT = Duration.seconds(60)
#: The only minimum viewer TLS policies this pattern accepts (TLS 1.2 or later).
ALLOWED_TLS_POLICIES = (
    cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025,
    cloudfront.SecurityPolicyProtocol.TLS_V1_3_2025,
)
#: CloudFront publishes its metrics in us-east-1 with this Region dimension.
METRICS_REGION = "us-east-1"

#: Memory of aws-cdk-lib's content-deployment function (the AWS CLI sync needs more than 128).
DEPLOYMENT_MEMORY_MIB = 512
_ACKNOWLEDGED_MARKER = "ScalablePatternsEdgeAcknowledged"
_PREFIX_LIST_ID_PATH = "PrefixLists.0.PrefixListId"
#: Construct id prefix of aws-cdk-lib's AwsCustomResource singleton function.
_AWS_CUSTOM_RESOURCE_PREFIX = "AWS679f53fac002430cb0da5b7982bd2287"
_CUSTOM_RESOURCE_DLQ_REASON = (
    "CloudFormation invokes this custom-resource handler and waits for its answer on a "
    "pre-signed URL; a failure fails and rolls back the deploy, and a queued event could not "
    "be replayed against the expired request."
)
_DEPLOYMENT_RUNTIME_REASON = (
    "aws-cdk-lib's BucketDeployment picks this Python runtime together with the AWS CLI layer "
    "it ships and tests them as a pair; the runtime moves with aws-cdk-lib upgrades."
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
    min_ttl: Duration = Duration.seconds(0)
    default_ttl: Duration = Duration.seconds(0)
    max_ttl: Duration = Duration.days(1)
    allowed_methods: cloudfront.AllowedMethods = cloudfront.AllowedMethods.ALLOW_ALL


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
            (TLS 1.2) when ``domain_name`` is given, HTTP when only ``load_balancer`` is - then
            the traffic crosses the internet unencrypted, which a warning points out.
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
    read_timeout: Duration = Duration.seconds(30)
    keepalive_timeout: Duration = Duration.seconds(5)


def origin_verify_secret(
    scope: Construct,
    construct_id: str,
    *,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> secretsmanager.Secret:
    """A random 32-character (letters and digits) secret for the origin-verify header.

    Give the same secret to :class:`HttpOriginOptions` and to the origin (the web tier's
    listener rule). CloudFormation resolves it at deploy time (a ``{{resolve:secretsmanager}}``
    dynamic reference), so the value is never in the template - but it is readable in the
    distribution's origin configuration and the listener rule by anyone allowed to describe
    them. To rotate: put a new value and redeploy the stack (both sides update together).
    """
    secret = secretsmanager.Secret(
        scope,
        construct_id,
        description="Value of the header CloudFront adds to origin requests (origin verification)",
        generate_secret_string=secretsmanager.SecretStringGenerator(
            exclude_punctuation=True, include_space=False, password_length=32
        ),
        removal_policy=removal_policy,
    )
    acknowledge(
        secret,
        "AwsSolutions::AwsSolutions-SMG4",
        "CloudFront and the load balancer rule read this value only at deploy time; a rotation "
        "Lambda would change it under them and break every request, so it is rotated by "
        "putting a new value and redeploying the stack.",
    )
    return secret


@jsii.implements(IResolvable)
class _InvalidationScoped:
    """A policy document whose CloudFront invalidation statements name our distributions.

    aws-cdk-lib's BucketDeployment grants ``cloudfront:CreateInvalidation`` and
    ``cloudfront:GetInvalidation`` on ``*``; both actions support resource-level permissions, so
    the statement is rewritten at synth time to the ARNs of the distributions whose content the
    (shared, per-stack) deployment function copies.
    """

    def __init__(self, document: iam.PolicyDocument) -> None:
        self._document = document
        self.distribution_arns: list[str] = []

    @property
    def creation_stack(self) -> list[str]:
        return []

    def resolve(self, context: IResolveContext) -> Any:
        resolved = context.resolve(self._document)
        arns = [context.resolve(arn) for arn in self.distribution_arns]
        for statement in resolved.get("Statement", []):
            actions = statement.get("Action", [])
            actions = [actions] if isinstance(actions, str) else actions
            if statement.get("Resource") == "*" and all(
                a.startswith("cloudfront:") and a.endswith("Invalidation") for a in actions
            ):
                statement["Resource"] = arns[0] if len(arns) == 1 else arns
        return resolved

    def to_string(self) -> str:
        return str(Token.as_string(self))


def _depend_on_policy(function: lambda_.Function) -> None:
    cfn_function = function.node.default_child
    if isinstance(cfn_function, lambda_.CfnFunction):
        depend_on_role_policy_only(cfn_function, function.role)


class CloudFrontOriginFacingPrefixList(Construct):
    """The id of CloudFront's origin-facing managed prefix list in the stack's region.

    Pass ``prefix_list_id`` to ``ScalableWebTier(cloudfront_prefix_list_id=...)`` (or to
    ``ec2.Peer.prefix_list``) so the load balancer's security group admits only CloudFront.

    The id of ``com.amazonaws.global.cloudfront.origin-facing`` differs per region and cannot
    be known when synthesizing a region-agnostic stack: ``ec2.PrefixList.from_lookup`` needs an
    account and region at synth time (and caches the id in ``cdk.context.json``), and a
    hand-written region -> id table goes stale silently. This construct resolves it at deploy
    time instead: a custom resource (aws-cdk-lib's ``AwsCustomResource``) calls
    ``ec2:DescribeManagedPrefixLists`` filtered by the list's name on create and update and
    returns ``PrefixLists.0.PrefixListId`` - a token that CloudFormation fills in. When the
    region is known, a ``pl-...`` literal or a ``CfnParameter`` works too and needs no Lambda.

    The function runs with its own role (``ec2:DescribeManagedPrefixLists`` only - the action
    has no resource-level permissions, so its resource is ``*``) and a log group with a
    retention. A security group rule that references this list counts as the list's maximum
    entries (about 55) against the quota of 60 rules per security group: reference it once.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        removal_policy: of the function's log group. Default RETAIN.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Looks up the id of CloudFront's origin-facing managed prefix list",
        )
        self.log_group = defaults.log_group(
            self,
            "Logs",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=removal_policy,
        )
        self.log_group.grant_write(self.role)
        call = cr.AwsSdkCall(
            service="EC2",
            action="describeManagedPrefixLists",
            parameters={
                "Filters": [
                    {"Name": "prefix-list-name", "Values": [CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST]}
                ]
            },
            physical_resource_id=cr.PhysicalResourceId.from_response(_PREFIX_LIST_ID_PATH),
            output_paths=[_PREFIX_LIST_ID_PATH],
        )
        self.lookup = cr.AwsCustomResource(
            self,
            "Resource",
            on_create=call,
            on_update=call,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=["ec2:DescribeManagedPrefixLists"], resources=["*"])]
            ),
            role=self.role,
            log_group=self.log_group,
            install_latest_aws_sdk=False,
            memory_size=256,
            timeout=Duration.minutes(2),
        )
        #: ``pl-...`` of the stack's region, resolved at deploy time.
        self.prefix_list_id: str = self.lookup.get_response_field(_PREFIX_LIST_ID_PATH)
        self._acknowledge()

    def _acknowledge(self) -> None:
        policy = self.lookup.node.try_find_child("CustomResourcePolicy")
        if policy is not None:
            acknowledge(
                policy,
                "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                "ec2:DescribeManagedPrefixLists supports no resource-level permissions (the "
                "Service Authorization Reference lists no resource type), and it only reads.",
            )
        function = _singleton_function(self, _AWS_CUSTOM_RESOURCE_PREFIX)
        if function is None or function.node.try_find_child(_ACKNOWLEDGED_MARKER) is not None:
            return
        Construct(function, _ACKNOWLEDGED_MARKER)
        _depend_on_policy(function)
        reasons = {
            "Serverless::Serverless-LambdaDLQ": _CUSTOM_RESOURCE_DLQ_REASON,
            "Serverless::Serverless-LambdaTracing": (
                "One read-only API call per deploy, logged to a log group with retention; X-Ray "
                "would need xray:PutTraceSegments on '*' for no diagnostic gain."
            ),
        }
        for rule, reason in reasons.items():
            acknowledge(function, rule, reason)


def _singleton_function(scope: Construct, prefix: str, suffix: str = "") -> lambda_.Function | None:
    """An aws-cdk-lib singleton function (a child of the stack) whose id starts with prefix."""
    for child in Stack.of(scope).node.children:
        if (
            isinstance(child, lambda_.Function)
            and child.node.id.startswith(prefix)
            and child.node.id.endswith(suffix)
        ):
            return child
    return None


def _pascal(text: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    return "".join(p[:1].upper() + p[1:] for p in parts)


def _is_list(value: object) -> bool:
    """A list or tuple (any sequence but a string)."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _behavior_id(path_pattern: str) -> str:
    return "Default" if path_pattern == "*" else (_pascal(path_pattern) or "Path")


def _domain_id(domain: str, zone_name: str | None) -> str:
    if zone_name is not None and domain == zone_name:
        return "Apex"
    return _pascal(domain.replace("*", "wildcard"))


def _is_reserved_header(name: str) -> bool:
    lower = name.lower()
    return lower in _RESERVED_HEADERS or lower.startswith(_RESERVED_HEADER_PREFIXES)


class EdgeDistribution(Construct):
    """A CloudFront distribution for static content in S3 and dynamic content from an origin.

    **Behaviors.** The default behavior serves the static bucket (``default_root_object``,
    optional ``error_page``) unless a :class:`DynamicBehavior` has the path pattern ``*``.
    ``static_paths`` (``/static/*``) are served from the bucket with the managed
    ``CachingOptimized`` policy (long TTLs, gzip/brotli, no cookies or query strings in the
    key); each ``dynamic_behaviors`` entry goes to ``http_origin`` with a cache policy and an
    origin request policy made of the names it lists. CloudFront matches path patterns in
    order: put the most specific first.

    **Viewer security.** HTTP is redirected to HTTPS on every behavior. With
    ``domain_names`` and an ACM ``certificate`` (which must be in us-east-1) viewers need TLS
    1.2 or later (``TLSv1.2_2021`` unless ``minimum_protocol_version`` asks for more, SNI).
    Without a custom domain CloudFront serves its ``*.cloudfront.net`` certificate, whose
    minimum protocol CloudFront fixes at TLSv1 - acknowledge cdk-nag AwsSolutions-CFR4 in such
    a stack, or add a domain. Every response carries the managed ``SecurityHeadersPolicy``
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
    encrypted; a given ``log_bucket`` must allow ACLs too.

    **Alarms.** CloudFront publishes metrics only in us-east-1 and an alarm must live in the
    region of its metric. In a stack bound to us-east-1 the alarms are created; in a stack
    bound to another region they are not (a warning says so: create them in a us-east-1
    stack); in a region-agnostic stack they carry the condition ``AWS::Region ==
    us-east-1``, so they exist exactly where they work.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        static_bucket: an existing bucket for the static content (its policy must accept
            statements: an imported bucket needs the OAC statement added by hand). Default: a
            bucket is created (versioned, private, TLS-only, SSE-S3 or ``static_encryption_key``,
            access logs to ``log_bucket``) whenever a behavior serves static content.
        static_encryption_key: encrypt the created bucket with this KMS key. Default SSE-S3:
            the content is public through CloudFront by design, and a KMS key would need a key
            policy letting every distribution of the account decrypt (CloudFront cannot name
            the distribution without a circular dependency) plus KMS requests on cache misses.
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
        geo_allow: serve only these countries. Default: everywhere.
        geo_deny: serve everywhere except these countries. Default: none. Exclusive with
            ``geo_allow``.
        domain_names: alternate domain names (``www.example.com``, ``*.example.com``, the
            zone apex). Default: none (the ``*.cloudfront.net`` name only).
        certificate: ACM certificate in us-east-1 covering every domain name. Required with
            ``domain_names``.
        minimum_protocol_version: viewer TLS policy with a custom domain. Default
            ``TLS_V1_2_2021``; ``TLS_V1_2_2025`` and ``TLS_V1_3_2025`` are allowed.
        hosted_zone: create Route 53 alias records (A and AAAA) for every domain name in this
            zone, including the apex. Default: no records.
        response_headers_policy: replaces the managed ``SecurityHeadersPolicy``.
        web_acl_arn: a WAFv2 web ACL of scope CLOUDFRONT
            (``arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>``). Default: none.
        price_class: edge locations used. Default ``PRICE_CLASS_100`` (North America, Europe,
            Israel - the cheapest); ``PRICE_CLASS_ALL`` for low latency everywhere.
        log_bucket: an existing bucket (ACLs enabled) for the access logs. Default: created.
        log_expiration: how long the created log bucket keeps logs. Default 365 days.
        log_includes_cookies: include cookies in the access logs. Default False (they may
            hold session ids).
        error_rate_alarm_percent: alarm when the 5xx error rate is above this share of
            requests for 2 of 3 five-minute periods. Default 5 (%), 0 < x <= 100.
        publish_additional_metrics: turn on CloudFront's additional metrics (origin latency,
            cache hit rate, error rates per status; billed per distribution) and alarm on
            origin latency. Default False.
        origin_latency_alarm: with additional metrics: alarm when the p90 origin latency is
            above this. Default 5 s (1 s..3 min).
        removal_policy: of the buckets and the created secret. Default RETAIN; DESTROY for
            dev stacks.
        alarm_topic: notified on ALARM and OK. Default: no notification.
        dashboard: a dashboard to add the alarm widgets (or, region-agnostic, metric graphs)
            to. Default: none.
        comment: the distribution's comment. Default: the construct path.
    """

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
        price_class: cloudfront.PriceClass = cloudfront.PriceClass.PRICE_CLASS_100,
        log_bucket: s3.IBucket | None = None,
        log_expiration: Duration = Duration.days(365),
        log_includes_cookies: bool = False,
        error_rate_alarm_percent: float = 5,
        publish_additional_metrics: bool = False,
        origin_latency_alarm: Duration = Duration.seconds(5),
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
        comment: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        #: list props given as something else (a string would be split into characters)
        not_lists: dict[str, object] = {
            name: value
            for name, value in (
                ("static_paths", static_paths),
                ("content", content),
                ("invalidation_paths", invalidation_paths),
                ("dynamic_behaviors", dynamic_behaviors),
                ("domain_names", domain_names),
            )
            if not _is_list(value)
        }
        static_paths = list(static_paths) if _is_list(static_paths) else []
        content = list(content) if _is_list(content) else []
        invalidation_paths = list(invalidation_paths) if _is_list(invalidation_paths) else []
        dynamic_behaviors = list(dynamic_behaviors) if _is_list(dynamic_behaviors) else []
        domain_names = [
            d.lower().rstrip(".") if isinstance(d, str) and not is_unresolved(d) else d
            for d in (domain_names if _is_list(domain_names) else [])
        ]
        default_is_dynamic = any(getattr(b, "path_pattern", None) == "*" for b in dynamic_behaviors)
        needs_static = not default_is_dynamic or bool(static_paths) or bool(content)
        self._validate(
            not_lists=not_lists,
            static_bucket=static_bucket,
            static_encryption_key=static_encryption_key,
            needs_static=needs_static,
            static_paths=static_paths,
            content=content,
            invalidation_paths=invalidation_paths,
            http_origin=http_origin,
            dynamic_behaviors=dynamic_behaviors,
            default_root_object=default_root_object,
            error_page=error_page,
            geo_allow=geo_allow,
            geo_deny=geo_deny,
            domain_names=domain_names,
            certificate=certificate,
            minimum_protocol_version=minimum_protocol_version,
            hosted_zone=hosted_zone,
            web_acl_arn=web_acl_arn,
            log_expiration=log_expiration,
            error_rate_alarm_percent=error_rate_alarm_percent,
            origin_latency_alarm=origin_latency_alarm,
            price_class=price_class,
            response_headers_policy=response_headers_policy,
            log_bucket=log_bucket,
            log_includes_cookies=log_includes_cookies,
            publish_additional_metrics=publish_additional_metrics,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
            comment=comment,
        )

        # -- logs and static content --------------------------------------------------------
        self.log_bucket: s3.IBucket = log_bucket or defaults.access_log_bucket(
            self,
            "LogBucket",
            removal_policy=removal_policy,
            expiration=log_expiration,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        )
        self.static_bucket: s3.IBucket | None = None
        static_origin: cloudfront.IOrigin | None = None
        if needs_static:
            self.static_bucket = static_bucket or defaults.secure_bucket(
                self,
                "StaticBucket",
                encryption_key=static_encryption_key,
                server_access_logs_bucket=self.log_bucket,
                server_access_logs_prefix="s3-access/static/",
                removal_policy=removal_policy,
            )
            static_origin = origins.S3BucketOrigin.with_origin_access_control(
                self.static_bucket, origin_access_levels=[cloudfront.AccessLevel.READ]
            )

        # -- the HTTP origin ----------------------------------------------------------------
        self.origin_secret: secretsmanager.ISecret | None = None
        self.origin_verify_header: str | None = None
        dynamic_origin: cloudfront.IOrigin | None = None
        if http_origin is not None:
            dynamic_origin = self._http_origin(http_origin, removal_policy)

        # -- behaviors ----------------------------------------------------------------------
        self.response_headers_policy: cloudfront.IResponseHeadersPolicy = (
            response_headers_policy or cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS
        )
        self.cache_policies: dict[str, cloudfront.CachePolicy] = {}
        self.origin_request_policies: dict[str, cloudfront.OriginRequestPolicy] = {}
        behaviors: dict[str, cloudfront.BehaviorOptions] = {}
        default_behavior: cloudfront.BehaviorOptions | None = None
        for behavior in dynamic_behaviors:
            assert dynamic_origin is not None
            options = self._dynamic_behavior(behavior, dynamic_origin)
            if behavior.path_pattern == "*":
                default_behavior = options
            else:
                behaviors[behavior.path_pattern] = options
        if static_origin is not None:
            static_options = cloudfront.BehaviorOptions(
                origin=static_origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.response_headers_policy,
                compress=True,
            )
            for path in static_paths:
                behaviors[path] = static_options
            if default_behavior is None:
                default_behavior = static_options
        assert default_behavior is not None

        self.distribution = cloudfront.Distribution(
            self,
            "Resource",
            comment=(comment or f"scalable-patterns edge {self.node.path}")[:128],
            default_behavior=default_behavior,
            additional_behaviors=behaviors or None,
            default_root_object=default_root_object,
            error_responses=self._error_responses(error_page),
            geo_restriction=self._geo_restriction(geo_allow, geo_deny),
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
            log_file_prefix="cloudfront/",
            log_includes_cookies=log_includes_cookies,
            publish_additional_metrics=publish_additional_metrics or None,
        )

        # -- content, DNS, alarms -----------------------------------------------------------
        self.deployment: s3deploy.BucketDeployment | None = None
        if content:
            assert self.static_bucket is not None
            self.deployment = self._deploy_content(
                content, list(invalidation_paths), removal_policy
            )
        self.records: dict[str, list[route53.RecordSet]] = {}
        if hosted_zone is not None:
            self._alias_records(hosted_zone, domain_names)

        self.monitoring = self._monitoring(alarm_topic, dashboard)
        if self._metrics_region_state() != "other":
            self._create_alarms(
                error_rate_alarm_percent, publish_additional_metrics, origin_latency_alarm
            )
        self._restrict_alarms_to_metrics_region(dashboard)
        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"Edge {self.node.path}")

        label = str(price_class.value) if hasattr(price_class, "value") else str(price_class)
        record_capacity(
            self, f"{label}, {len(behaviors) + 1} behaviors ({len(dynamic_behaviors)} dynamic)"
        )

    # -- public API ------------------------------------------------------------------------
    @property
    def domain_name(self) -> str:
        """The ``*.cloudfront.net`` name of the distribution."""
        return self.distribution.distribution_domain_name

    # -- building blocks -------------------------------------------------------------------
    def _create_alarms(
        self,
        error_rate_alarm_percent: float,
        publish_additional_metrics: bool,
        origin_latency_alarm: Duration,
    ) -> None:
        self.monitoring.alarm(
            "ErrorRate5xx",
            metric=self._metric("5xxErrorRate", "Average"),
            threshold=error_rate_alarm_percent,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            description=(
                f"{self.node.path}: more than {error_rate_alarm_percent:g}% of viewer requests "
                "got a 5xx response. Check the origin health and its logs."
            ),
        )
        if publish_additional_metrics:
            self.monitoring.alarm(
                "OriginLatency",
                metric=self._metric("OriginLatency", "p90"),
                threshold=origin_latency_alarm.to_milliseconds(),
                evaluation_periods=3,
                datapoints_to_alarm=2,
                description=(
                    f"{self.node.path}: p90 origin latency above "
                    f"{format_duration(origin_latency_alarm)}."
                ),
            )

    def _http_origin(
        self, options: HttpOriginOptions, removal_policy: RemovalPolicy
    ) -> cloudfront.IOrigin:
        headers: dict[str, str] = {}
        if options.verify_header_name is not None:
            self.origin_secret = options.verify_secret or origin_verify_secret(
                self, "OriginVerifySecret", removal_policy=removal_policy
            )
            self.origin_verify_header = options.verify_header_name
            headers[options.verify_header_name] = self.origin_secret.secret_value.unsafe_unwrap()
        protocol = options.protocol or ("https" if options.domain_name else "http")
        policy = (
            cloudfront.OriginProtocolPolicy.HTTPS_ONLY
            if protocol == "https"
            else cloudfront.OriginProtocolPolicy.HTTP_ONLY
        )
        if protocol == "http":
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:edge:http-origin",
                "CloudFront reaches the HTTP origin over plain HTTP across the internet. Give "
                "HttpOriginOptions.domain_name (a name the origin's certificate covers) to use "
                "HTTPS.",
            )
        ssl = [cloudfront.OriginSslPolicy.TLS_V1_2]
        if options.domain_name is not None:
            return origins.HttpOrigin(
                options.domain_name,
                protocol_policy=policy,
                http_port=options.http_port,
                https_port=options.https_port,
                origin_ssl_protocols=ssl,
                read_timeout=options.read_timeout,
                keepalive_timeout=options.keepalive_timeout,
                custom_headers=headers or None,
            )
        assert options.load_balancer is not None
        return origins.LoadBalancerV2Origin(
            options.load_balancer,
            protocol_policy=policy,
            http_port=options.http_port,
            https_port=options.https_port,
            origin_ssl_protocols=ssl,
            read_timeout=options.read_timeout,
            keepalive_timeout=options.keepalive_timeout,
            custom_headers=headers or None,
        )

    def _dynamic_behavior(
        self, behavior: DynamicBehavior, origin: cloudfront.IOrigin
    ) -> cloudfront.BehaviorOptions:
        name = _behavior_id(behavior.path_pattern)
        if behavior.all_query_strings:
            cache_query = cloudfront.CacheQueryStringBehavior.all()
            origin_query = cloudfront.OriginRequestQueryStringBehavior.all()
        elif behavior.query_strings:
            cache_query = cloudfront.CacheQueryStringBehavior.allow_list(*behavior.query_strings)
            origin_query = cloudfront.OriginRequestQueryStringBehavior.allow_list(
                *behavior.query_strings
            )
        else:
            cache_query = cloudfront.CacheQueryStringBehavior.none()
            origin_query = cloudfront.OriginRequestQueryStringBehavior.none()
        cache_policy = cloudfront.CachePolicy(
            self,
            f"{name}CachePolicy",
            comment=f"Cache key of {behavior.path_pattern} ({self.node.path})"[:128],
            cookie_behavior=(
                cloudfront.CacheCookieBehavior.allow_list(*behavior.cookies)
                if behavior.cookies
                else cloudfront.CacheCookieBehavior.none()
            ),
            header_behavior=(
                cloudfront.CacheHeaderBehavior.allow_list(*behavior.headers)
                if behavior.headers
                else cloudfront.CacheHeaderBehavior.none()
            ),
            query_string_behavior=cache_query,
            min_ttl=behavior.min_ttl,
            default_ttl=behavior.default_ttl,
            max_ttl=behavior.max_ttl,
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        # Authorization is forwarded through the cache key; CloudFront refuses it here.
        origin_headers = [
            h for h in (*behavior.headers, *behavior.origin_headers) if h.lower() != "authorization"
        ]
        origin_request_policy = cloudfront.OriginRequestPolicy(
            self,
            f"{name}OriginRequestPolicy",
            comment=f"Forwarded to the origin for {behavior.path_pattern} ({self.node.path})"[:128],
            cookie_behavior=(
                cloudfront.OriginRequestCookieBehavior.allow_list(*behavior.cookies)
                if behavior.cookies
                else cloudfront.OriginRequestCookieBehavior.none()
            ),
            header_behavior=(
                cloudfront.OriginRequestHeaderBehavior.allow_list(*origin_headers)
                if origin_headers
                else cloudfront.OriginRequestHeaderBehavior.none()
            ),
            query_string_behavior=origin_query,
        )
        self.cache_policies[behavior.path_pattern] = cache_policy
        self.origin_request_policies[behavior.path_pattern] = origin_request_policy
        return cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=behavior.allowed_methods,
            cache_policy=cache_policy,
            origin_request_policy=origin_request_policy,
            response_headers_policy=self.response_headers_policy,
            compress=True,
        )

    @staticmethod
    def _error_responses(error_page: str | None) -> list[cloudfront.ErrorResponse] | None:
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

    @staticmethod
    def _geo_restriction(
        allow: Sequence[str], deny: Sequence[str]
    ) -> cloudfront.GeoRestriction | None:
        if allow:
            return cloudfront.GeoRestriction.allowlist(*sorted(set(allow)))
        if deny:
            return cloudfront.GeoRestriction.denylist(*sorted(set(deny)))
        return None

    def _deploy_content(
        self,
        content: Sequence[s3deploy.ISource],
        invalidation_paths: list[str],
        removal_policy: RemovalPolicy,
    ) -> s3deploy.BucketDeployment:
        assert self.static_bucket is not None
        # aws-cdk-lib runs every BucketDeployment of a stack with the same memory size in one
        # singleton function (with the role and log group of the first); create ours only then.
        role: iam.Role | None = None
        log_group: logs.LogGroup | None = None
        if self._deployment_function() is None:
            # Our own role and log group: no AWS managed policy, logs with a retention.
            role = iam.Role(
                self,
                "DeploymentRole",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"Copies static content into the bucket of {self.node.path}",
            )
            log_group = defaults.log_group(
                self,
                "DeploymentLogs",
                retention=logs.RetentionDays.THREE_MONTHS,
                removal_policy=removal_policy,
            )
            log_group.grant_write(role)
        deployment = s3deploy.BucketDeployment(
            self,
            "Deployment",
            destination_bucket=self.static_bucket,
            sources=list(content),
            distribution=self.distribution,
            distribution_paths=invalidation_paths,
            role=role,
            log_group=log_group,
            memory_limit=DEPLOYMENT_MEMORY_MIB,
        )
        # BucketDeployment grants the invalidation on every distribution ("*"): narrow it.
        policy = deployment.handler_role.node.try_find_child("DefaultPolicy")
        if isinstance(policy, iam.Policy):
            cfn_policy = policy.node.default_child
            assert isinstance(cfn_policy, iam.CfnPolicy)
            document = cfn_policy.policy_document
            if not isinstance(document, _InvalidationScoped):
                document = _InvalidationScoped(policy.document)
                cfn_policy.policy_document = document
                self._acknowledge_deployment_actions(policy)
            document.distribution_arns.append(self.distribution.distribution_arn)
            self._acknowledge_deployment_resources(policy)
        self._tidy_deployment_function()
        return deployment

    def _deployment_function(self) -> lambda_.Function | None:
        """aws-cdk-lib's content deployment function of this stack, once it exists."""
        return _singleton_function(
            self, "Custom::CDKBucketDeployment", f"{DEPLOYMENT_MEMORY_MIB}MiB"
        )

    def _acknowledge_deployment_actions(self, policy: iam.Policy) -> None:
        for action in ("s3:GetBucket*", "s3:GetObject*", "s3:List*"):
            acknowledge(
                policy,
                f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
                "aws-cdk-lib's BucketDeployment grants the standard S3 read action groups to "
                "read the deployment asset zip and to sync (list and compare) the static bucket.",
            )
        for action in ("s3:Abort*", "s3:DeleteObject*"):
            acknowledge(
                policy,
                f"AwsSolutions::AwsSolutions-IAM5[Action::{action}]",
                "The content sync aborts failed multipart uploads and deletes objects no longer "
                "in the source (prune) - only in the static bucket of this distribution.",
            )

    def _acknowledge_deployment_resources(self, policy: iam.Policy) -> None:
        # Resource names depend on the buckets (and the synthesizer's asset bucket): read them
        # from the grants themselves.
        document = Stack.of(self).resolve(policy.document)
        for statement in document.get("Statement", []):
            actions = statement.get("Action", [])
            if "s3:GetObject*" not in actions:
                continue
            writes = "s3:PutObject" in actions
            reason = (
                "The content sync writes and prunes any object of the static bucket, the one "
                "bucket this deployment targets; no other bucket is writable."
                if writes
                else "Read-only access to the CDK asset bucket, where the content zip is "
                "uploaded under a hash-named key that is known only at publish time."
            )
            resources = statement.get("Resource", [])
            for resource in resources if isinstance(resources, list) else [resources]:
                rendered = nag_resource(resource)
                if rendered is not None and rendered.endswith("/*"):
                    acknowledge(
                        policy, f"AwsSolutions::AwsSolutions-IAM5[Resource::{rendered}]", reason
                    )

    def _tidy_deployment_function(self) -> None:
        """Tidy and acknowledge aws-cdk-lib's deployment function (a singleton of the stack)."""
        function = self._deployment_function()
        if function is None or function.node.try_find_child(_ACKNOWLEDGED_MARKER) is not None:
            return
        Construct(function, _ACKNOWLEDGED_MARKER)
        _depend_on_policy(function)
        reasons = {
            "AwsSolutions::AwsSolutions-L1": _DEPLOYMENT_RUNTIME_REASON,
            "Serverless::Serverless-LambdaLatestVersion": _DEPLOYMENT_RUNTIME_REASON,
            "Serverless::Serverless-LambdaDLQ": _CUSTOM_RESOURCE_DLQ_REASON,
            "Serverless::Serverless-LambdaTracing": (
                "A short copy job run once per deploy, logged to a log group with retention; "
                "X-Ray would need xray:PutTraceSegments on '*' for no diagnostic gain."
            ),
        }
        for rule, reason in reasons.items():
            acknowledge(function, rule, reason)

    def _alias_records(self, zone: route53.IHostedZone, domain_names: list[str]) -> None:
        zone_name = None if Token.is_unresolved(zone.zone_name) else zone.zone_name.rstrip(".")
        target = route53.RecordTarget.from_alias(
            route53_targets.CloudFrontTarget(self.distribution)
        )
        for domain in domain_names:
            record_id = _domain_id(domain, zone_name)
            self.records[domain] = [
                route53.ARecord(
                    self, f"{record_id}AliasA", zone=zone, record_name=domain, target=target
                ),
                route53.AaaaRecord(
                    self, f"{record_id}AliasAaaa", zone=zone, record_name=domain, target=target
                ),
            ]

    # -- monitoring ------------------------------------------------------------------------
    def _metrics_region_state(self) -> Literal["same", "other", "unknown"]:
        region = Stack.of(self).region
        if Token.is_unresolved(region):
            return "unknown"
        return "same" if region == METRICS_REGION else "other"

    def _monitoring(
        self, alarm_topic: sns.ITopic | None, dashboard: cw.Dashboard | None
    ) -> Monitoring:
        # Alarm widgets would reference conditional alarms; graphs are added instead.
        state = self._metrics_region_state()
        return Monitoring(
            self, alarm_topic=alarm_topic, dashboard=dashboard if state == "same" else None
        )

    def _metric(self, name: str, statistic: str) -> cw.Metric:
        return cw.Metric(
            namespace="AWS/CloudFront",
            metric_name=name,
            dimensions_map={
                "DistributionId": self.distribution.distribution_id,
                "Region": "Global",
            },
            statistic=statistic,
            period=Duration.minutes(5),
            region=METRICS_REGION,
        )

    def _restrict_alarms_to_metrics_region(self, dashboard: cw.Dashboard | None) -> None:
        state = self._metrics_region_state()
        if state == "same":
            return
        if state == "other":
            Annotations.of(self).add_warning_v2(
                "scalable-patterns:edge:alarms-region",
                "CloudFront metrics exist only in us-east-1, so this stack's region cannot "
                "alarm on them; no alarms were created. Create them in a us-east-1 stack.",
            )
            return
        condition = CfnCondition(
            self,
            "InMetricsRegion",
            expression=Fn.condition_equals(Aws.REGION, METRICS_REGION),
        )
        for alarm in self.monitoring.alarms.values():
            cfn = alarm.node.default_child
            assert isinstance(cfn, cw.CfnAlarm)
            cfn.cfn_options.condition = condition
        if dashboard is not None:
            dashboard.add_widgets(
                cw.GraphWidget(
                    title=f"{self.node.path} 5xx error rate (%)",
                    left=[self._metric("5xxErrorRate", "Average")],
                    width=12,
                ),
                cw.GraphWidget(
                    title=f"{self.node.path} requests",
                    left=[self._metric("Requests", "Sum")],
                    width=12,
                ),
            )

    # -- validation ------------------------------------------------------------------------
    def _validate(
        self,
        *,
        not_lists: dict[str, object],
        static_bucket: s3.IBucket | None,
        static_encryption_key: kms.IKey | None,
        needs_static: bool,
        static_paths: list[str],
        content: Sequence[s3deploy.ISource],
        invalidation_paths: Sequence[str],
        http_origin: HttpOriginOptions | None,
        dynamic_behaviors: list[DynamicBehavior],
        default_root_object: str | None,
        error_page: str | None,
        geo_allow: Sequence[str],
        geo_deny: Sequence[str],
        domain_names: list[str],
        certificate: acm.ICertificate | None,
        minimum_protocol_version: cloudfront.SecurityPolicyProtocol,
        hosted_zone: route53.IHostedZone | None,
        web_acl_arn: str | None,
        log_expiration: Duration,
        error_rate_alarm_percent: float,
        origin_latency_alarm: Duration,
        price_class: cloudfront.PriceClass,
        response_headers_policy: cloudfront.IResponseHeadersPolicy | None,
        log_bucket: s3.IBucket | None,
        log_includes_cookies: bool,
        publish_additional_metrics: bool,
        removal_policy: RemovalPolicy,
        alarm_topic: sns.ITopic | None,
        dashboard: cw.Dashboard | None,
        comment: str | None,
    ) -> None:
        v = Validator(self)
        for prop, value in not_lists.items():
            shown = f" {value!r}" if isinstance(value, str) else ""
            v.add(prop, f"must be a list, got {type(value).__name__}{shown}")
        # types aws-cdk-lib would reject with a jsii trace
        v.implements("static_bucket", static_bucket, "bucket_arn", what="an s3.IBucket")
        v.implements("static_encryption_key", static_encryption_key, "key_arn", what="a kms.IKey")
        for index, source in enumerate(content):
            v.implements(f"content[{index}]", source, "bind", what="an s3deploy.ISource")
        v.implements("certificate", certificate, "certificate_arn", what="an acm.ICertificate")
        v.implements("hosted_zone", hosted_zone, "zone_name", what="a route53.IHostedZone")
        v.implements(
            "response_headers_policy",
            response_headers_policy,
            "response_headers_policy_id",
            what="a cloudfront.IResponseHeadersPolicy",
        )
        v.instance_of("price_class", price_class, cloudfront.PriceClass, what="a PriceClass")
        v.implements("log_bucket", log_bucket, "bucket_arn", what="an s3.IBucket")
        v.boolean("log_includes_cookies", log_includes_cookies)
        v.boolean("publish_additional_metrics", publish_additional_metrics)
        v.instance_of("removal_policy", removal_policy, RemovalPolicy, what="a RemovalPolicy")
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        v.text("comment", comment)
        # behaviors
        seen: dict[str, str] = {}
        for path in static_paths:
            if not self._check_path(v, "static_paths", path):
                continue
            if path == "*":
                v.add("static_paths", "cannot contain '*': the default behavior is static already")
            self._check_unique(v, seen, path, "static_paths")
        ids: dict[str, str] = {}
        for index, behavior in enumerate(dynamic_behaviors):
            prop = f"dynamic_behaviors[{index}]"
            if not isinstance(behavior, DynamicBehavior):
                v.add(prop, f"must be a DynamicBehavior, got {type(behavior).__name__}")
                continue
            if not self._check_path(v, f"{prop}.path_pattern", behavior.path_pattern):
                self._validate_dynamic(v, prop, behavior)
                continue
            self._check_unique(v, seen, behavior.path_pattern, prop)
            behavior_id = _behavior_id(behavior.path_pattern)
            if behavior_id in ids and ids[behavior_id] != behavior.path_pattern.lstrip("/"):
                v.add(
                    prop,
                    f"path pattern {behavior.path_pattern!r} and {ids[behavior_id]!r} map to the "
                    f"same construct id {behavior_id}; make them differ in letters or digits",
                )
            ids.setdefault(behavior_id, behavior.path_pattern.lstrip("/"))
            self._validate_dynamic(v, prop, behavior)
        if dynamic_behaviors and http_origin is None:
            v.add("dynamic_behaviors", "need an http_origin to route to, got none")
        if http_origin is not None:
            if not dynamic_behaviors:
                v.add("http_origin", "is given but no dynamic_behaviors route to it")
            self._validate_origin(v, http_origin)
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
                f"must be at most {MAX_DEFAULT_ROOT_OBJECT} characters, "
                f"got {len(default_root_object)}",
            )
        if v.text("error_page", error_page):
            assert error_page is not None
            v.require(
                error_page.startswith("/") and len(error_page) > 1,
                "error_page",
                f"must be a path starting with '/', got {error_page!r}",
            )
            v.require(
                needs_static, "error_page", "needs a static bucket to serve it from, got none"
            )
        # content
        if content:
            wildcards = [p for p in invalidation_paths if isinstance(p, str) and "*" in p]
            for path in invalidation_paths:
                if v.text("invalidation_paths", path) and not path.startswith("/"):
                    v.add("invalidation_paths", f"must start with '/', got {path!r}")
            v.number_in_range(
                "invalidation_paths wildcard count",
                len(wildcards),
                maximum=MAX_WILDCARD_INVALIDATIONS,
            )
        # geo restriction
        v.at_most_one({"geo_allow": list(geo_allow) or None, "geo_deny": list(geo_deny) or None})
        for prop, codes in (("geo_allow", geo_allow), ("geo_deny", geo_deny)):
            if isinstance(codes, str):
                v.add(prop, f"must be a list of country codes, got the string {codes!r}")
                continue
            for code in codes:
                self._check_country(v, prop, code)
        # custom domain
        if domain_names and certificate is None:
            v.add("certificate", "is required with domain_names (an ACM certificate in us-east-1)")
        if certificate is not None and not domain_names:
            v.add("domain_names", "must name the domains the certificate is for, got none")
        if certificate is not None and hasattr(certificate, "certificate_arn"):
            arn = certificate.certificate_arn
            if not Token.is_unresolved(arn):
                parts = arn.split(":")
                region = parts[3] if len(parts) > 5 else ""
                if region != "us-east-1":
                    v.add(
                        "certificate",
                        "must be an ACM certificate in us-east-1 (CloudFront reads certificates "
                        f"only there), got one in {region or 'an unknown region'!r}: {arn}",
                    )
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
            if not domain_names:
                v.add("hosted_zone", "needs domain_names to create records for, got none")
            zone = hosted_zone.zone_name
            if not Token.is_unresolved(zone):
                zone = zone.lower().rstrip(".")
                for domain in domain_names:
                    if not isinstance(domain, str) or is_unresolved(domain):
                        continue
                    if not (domain == zone or domain.endswith(f".{zone}")):
                        v.add(
                            "domain_names",
                            f"must be in hosted_zone {zone!r} to get alias records, got {domain!r}",
                        )
        if v.text("web_acl_arn", web_acl_arn):
            assert web_acl_arn is not None
            v.require(
                bool(_WEB_ACL_ARN.match(web_acl_arn)),
                "web_acl_arn",
                "must be a WAFv2 web ACL of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:"
                f"global/webacl/<name>/<id>), got {web_acl_arn!r}",
            )
        # logs and alarms
        # S3 lifecycle expiration is a whole number of days
        v.duration_in_range(
            "log_expiration", log_expiration, minimum=Duration.days(1), whole="days"
        )
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
        v.raise_if_invalid()

    @staticmethod
    def _check_path(v: Validator, prop: str, path: str) -> bool:
        """Whether ``path`` is a valid path pattern (else the problem is reported)."""
        if not isinstance(path, str) or not _PATH_PATTERN.match(path):
            v.add(
                prop,
                "must be a CloudFront path pattern of 1-255 characters from A-Z a-z 0-9 "
                f"_ - . * $ / ~ \" ' @ : + &, got {path!r}",
            )
            return False
        return True

    @staticmethod
    def _check_unique(v: Validator, seen: dict[str, str], path: str, prop: str) -> None:
        key = path if path == "*" else "/" + path.lstrip("/")
        if key in seen:
            v.add(prop, f"path pattern {path!r} is already routed by {seen[key]}")
        else:
            seen[key] = prop

    @staticmethod
    def _check_country(v: Validator, prop: str, code: object) -> None:
        if isinstance(code, str) and code in ISO_3166_ALPHA2:
            return
        hint = ""
        if isinstance(code, str):
            if code.upper() in ISO_3166_ALPHA2:
                hint = f" (codes are upper case: {code.upper()!r})"
            elif code.upper() in _ISO_MISTAKES:
                hint = f" (ISO 3166-1 uses {_ISO_MISTAKES[code.upper()]!r})"
        v.add(prop, f"must contain ISO 3166-1 alpha-2 country codes, got {code!r}{hint}")

    @staticmethod
    def _validate_dynamic(v: Validator, prop: str, b: DynamicBehavior) -> None:
        names = (
            ("cookies", b.cookies, _COOKIE),
            ("headers", b.headers, _HEADER),
            ("query_strings", b.query_strings, _QUERY_STRING),
            ("origin_headers", b.origin_headers, _HEADER),
        )
        for field_name, values, pattern in names:
            if isinstance(values, str):
                v.add(
                    f"{prop}.{field_name}", f"must be a tuple of names, got the string {values!r}"
                )
                continue
            for value in values:
                if not isinstance(value, str) or not pattern.match(value):
                    v.add(f"{prop}.{field_name}", f"contains an invalid name {value!r}")
                elif field_name.endswith("headers") and _is_reserved_header(value):
                    v.add(
                        f"{prop}.{field_name}",
                        f"cannot name {value!r}: CloudFront sets it itself",
                    )
            lowered = [x.lower() if field_name.endswith("headers") else x for x in values]
            if len(set(lowered)) != len(lowered):
                v.add(f"{prop}.{field_name}", f"contain duplicates: {list(values)}")
        v.number_in_range(f"{prop}.cookies count", len(b.cookies), maximum=MAX_POLICY_COOKIES)
        v.number_in_range(f"{prop}.headers count", len(b.headers), maximum=MAX_POLICY_HEADERS)
        v.number_in_range(
            f"{prop}.query_strings count", len(b.query_strings), maximum=MAX_POLICY_QUERY_STRINGS
        )
        forwarded = {
            h.lower() for h in (*b.headers, *b.origin_headers) if h.lower() != "authorization"
        }
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
        if all(is_concrete_duration(t) for t in ttls):
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

    @staticmethod
    def _validate_origin(v: Validator, o: HttpOriginOptions) -> None:
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
        if o.protocol == "https" and o.domain_name is None:
            v.add(
                "http_origin.protocol",
                "'https' needs http_origin.domain_name: a name the origin's certificate covers "
                "(no certificate you own covers the load balancer's *.elb.amazonaws.com name)",
            )
        for port_name, port in (("http_port", o.http_port), ("https_port", o.https_port)):
            v.number_in_range(
                f"http_origin.{port_name}", port, minimum=1, maximum=65_535, integer=True
            )
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
        v.duration_in_range(
            "http_origin.read_timeout",
            o.read_timeout,
            minimum=Duration.seconds(1),
            maximum=MAX_READ_TIMEOUT,
            whole="seconds",  # OriginReadTimeout is in seconds
        )
        v.duration_in_range(
            "http_origin.keepalive_timeout",
            o.keepalive_timeout,
            minimum=Duration.seconds(1),
            maximum=MAX_KEEPALIVE_TIMEOUT,
            whole="seconds",  # OriginKeepaliveTimeout is in seconds
        )
