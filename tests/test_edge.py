"""EdgeDistribution: assertions on the example stacks, variants and every validation error."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk.assertions import Annotations, Match, Template
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from patterns.core.validation import PatternValidationError
from patterns.edge import (
    ISO_3166_ALPHA2,
    CloudFrontOriginFacingPrefixList,
    DynamicBehavior,
    EdgeDistribution,
    HttpOriginOptions,
    origin_verify_secret,
)
from stacks.edge import SITE_ASSETS
from tests.conftest import SynthResult, new_app, new_stack

SITE = "EdgeStaticSiteExample"
#: AWS managed policy ids (the same in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"

CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
WEB_ACL_ARN = (
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/11111111-2222-3333-4444-555555555555"
)


def _edge(stack: cdk.Stack, construct_id: str, **props: Any) -> EdgeDistribution:
    """An EdgeDistribution with the explicit opt-in of every decision the props leave open."""
    if "certificate" not in props:
        props.setdefault("allow_default_certificate", True)
    if "geo_allow" not in props and "geo_deny" not in props:
        props.setdefault("allow_all_countries", True)
    if "web_acl_arn" not in props:
        props.setdefault("allow_without_web_acl", True)
    return EdgeDistribution(stack, construct_id, **props)


def _acknowledged(scope: Any) -> dict[str, str]:
    """The cdk-nag acknowledgements written on ``scope`` itself: rule id -> reason."""
    found: dict[str, str] = {}
    for entry in scope.node.metadata:
        if entry.type == "aws:cdk:acknowledged-rules":
            found.update(entry.data)
    return found


def _plain_stack() -> cdk.Stack:
    """A stack in a user's plain app: no feature flags at all."""
    return cdk.Stack(cdk.App(), "Plain")


def _one(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    assert len(resources) == 1, list(resources)
    return next(iter(resources.values()))


def _by_prefix(resources: dict[str, dict[str, Any]], prefix: str) -> dict[str, Any]:
    matches = [r for logical_id, r in resources.items() if logical_id.startswith(prefix)]
    assert len(matches) == 1, f"{prefix}: {len(matches)} matches"
    return matches[0]


def _distribution_config(template: dict[str, Any]) -> dict[str, Any]:
    distributions = {
        k: v
        for k, v in template["Resources"].items()
        if v["Type"] == "AWS::CloudFront::Distribution"
    }
    config: dict[str, Any] = _one(distributions)["Properties"]["DistributionConfig"]
    return config


def _alb(stack: cdk.Stack) -> elbv2.IApplicationLoadBalancer:
    return elbv2.ApplicationLoadBalancer.from_application_load_balancer_attributes(
        stack,
        "Alb",
        load_balancer_arn=(
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef"
        ),
        security_group_id="sg-0123456789abcdef0",
        load_balancer_dns_name="web-123.eu-west-1.elb.amazonaws.com",
    )


def _certificate(stack: cdk.Stack, arn: str = CERT_ARN) -> acm.ICertificate:
    return acm.Certificate.from_certificate_arn(stack, "Cert", arn)


def _zone(stack: cdk.Stack) -> route53.IHostedZone:
    return route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )


# -- the static site example ----------------------------------------------------------------


def test_site_default_behavior_serves_the_bucket_over_https_with_managed_policies(
    synth: SynthResult,
) -> None:
    config = _distribution_config(synth.templates[SITE])
    default = config["DefaultCacheBehavior"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["CachePolicyId"] == CACHING_OPTIMIZED
    assert default["ResponseHeadersPolicyId"] == SECURITY_HEADERS
    assert default["Compress"] is True
    assert default["AllowedMethods"] == ["GET", "HEAD", "OPTIONS"]
    assert config["DefaultRootObject"] == "index.html"
    assert config["HttpVersion"] == "http2and3"
    assert config["IPV6Enabled"] is True
    assert config["PriceClass"] == "PriceClass_100"
    assert "CacheBehaviors" not in config


def test_site_bucket_is_reached_only_through_origin_access_control(synth: SynthResult) -> None:
    template = synth.templates[SITE]
    config = _distribution_config(template)
    (origin,) = config["Origins"]
    assert origin["DomainName"]["Fn::GetAtt"][0].startswith("SiteStaticBucket")
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    oac_id = origin["OriginAccessControlId"]["Fn::GetAtt"][0]
    oac = template["Resources"][oac_id]["Properties"]["OriginAccessControlConfig"]
    assert oac["OriginAccessControlOriginType"] == "s3"
    assert oac["SigningBehavior"] == "always"
    assert oac["SigningProtocol"] == "sigv4"

    policy = _by_prefix(synth.resources(SITE, "AWS::S3::BucketPolicy"), "SiteStaticBucketPolicy")
    allows = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"
    ]
    assert len(allows) == 1
    (allow,) = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"  # read only: no listing, no writes
    source_arn = json.dumps(allow["Condition"]["StringEquals"]["AWS:SourceArn"])
    assert ":distribution/" in source_arn and '"Ref": "Site' in source_arn


def test_site_bucket_is_private_versioned_encrypted_and_logged(synth: SynthResult) -> None:
    bucket = _by_prefix(synth.resources(SITE, "AWS::S3::Bucket"), "SiteStaticBucket")
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0].startswith(
        "SiteStaticKey"
    )
    assert rule["BucketKeyEnabled"] is True
    assert props["LoggingConfiguration"]["LogFilePrefix"] == "s3-access/static/"
    assert props["LoggingConfiguration"]["DestinationBucketName"]["Ref"].startswith("SiteLogBucket")
    assert bucket["DeletionPolicy"] == "Retain"


def test_site_access_logs_go_to_an_acl_enabled_encrypted_log_bucket(synth: SynthResult) -> None:
    config = _distribution_config(synth.templates[SITE])
    logging = config["Logging"]
    log_bucket_id = logging["Bucket"]["Fn::GetAtt"][0]
    assert log_bucket_id.startswith("SiteLogBucket")
    assert logging["Prefix"] == "cloudfront/"
    assert logging["IncludeCookies"] is False
    log_bucket = synth.templates[SITE]["Resources"][log_bucket_id]
    props = log_bucket["Properties"]
    # CloudFront standard logs are delivered through an ACL grant.
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert props["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True
    assert props["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 365
    assert log_bucket["DeletionPolicy"] == "Retain"


def test_site_geo_allow_list_and_error_pages(synth: SynthResult) -> None:
    config = _distribution_config(synth.templates[SITE])
    assert config["Restrictions"]["GeoRestriction"] == {
        "RestrictionType": "whitelist",
        "Locations": ["AT", "BE", "CH", "DE", "FR", "LU", "NL"],
    }
    assert config["CustomErrorResponses"] == [
        {
            "ErrorCode": code,
            "ResponseCode": 404,
            "ResponsePagePath": "/404.html",
            "ErrorCachingMinTTL": 60,
        }
        for code in (403, 404)
    ]


def test_site_without_custom_domain_uses_the_default_certificate(synth: SynthResult) -> None:
    config = _distribution_config(synth.templates[SITE])
    assert "Aliases" not in config
    assert "ViewerCertificate" not in config
    assert "WebACLId" not in config


def test_site_content_is_deployed_and_invalidated(synth: SynthResult) -> None:
    deployment = _one(synth.resources(SITE, "Custom::CDKBucketDeployment"))["Properties"]
    assert deployment["DestinationBucketName"]["Ref"].startswith("SiteStaticBucket")
    assert deployment["DistributionId"]["Ref"].startswith("Site")
    assert deployment["DistributionPaths"] == ["/index.html", "/404.html", "/static/*"]
    assert deployment["Prune"] is True
    assert deployment["WaitForDistributionInvalidation"] is True
    files = sorted(
        p.relative_to(SITE_ASSETS).as_posix() for p in SITE_ASSETS.rglob("*") if p.is_file()
    )
    assert files == ["404.html", "index.html", "static/site.css"]


def test_deployment_role_has_no_wildcard_resource_and_invalidates_only_this_distribution(
    synth: SynthResult,
) -> None:
    policy = _by_prefix(
        synth.resources(SITE, "AWS::IAM::Policy"), "SiteDeploymentRoleDefaultPolicy"
    )
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    for statement in statements:
        resources = (
            statement["Resource"]
            if isinstance(statement["Resource"], list)
            else [statement["Resource"]]
        )
        assert "*" not in resources, statement
    (invalidation,) = [s for s in statements if "cloudfront:CreateInvalidation" in s["Action"]]
    assert sorted(invalidation["Action"]) == [
        "cloudfront:CreateInvalidation",
        "cloudfront:GetInvalidation",
    ]
    distribution_id = next(
        k
        for k, v in synth.templates[SITE]["Resources"].items()
        if v["Type"] == "AWS::CloudFront::Distribution"
    )
    assert invalidation["Resource"] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":cloudfront::",
                {"Ref": "AWS::AccountId"},
                ":distribution/",
                {"Ref": distribution_id},
            ],
        ]
    }


def test_deployment_function_uses_our_role_log_group_and_depends_on_its_policy(
    synth: SynthResult,
) -> None:
    functions = synth.resources(SITE, "AWS::Lambda::Function")
    function = _by_prefix(functions, "CustomCDKBucketDeployment")
    props = function["Properties"]
    assert props["Role"]["Fn::GetAtt"][0].startswith("SiteDeploymentRole")
    assert props["LoggingConfig"]["LogGroup"]["Ref"].startswith("SiteDeploymentLogs")
    assert props["MemorySize"] == 512
    assert [d[: len("SiteDeploymentRoleDefaultPolicy")] for d in function["DependsOn"]] == [
        "SiteDeploymentRoleDefaultPolicy"
    ]
    role = _by_prefix(synth.resources(SITE, "AWS::IAM::Role"), "SiteDeploymentRole")
    assert "ManagedPolicyArns" not in role["Properties"]
    log_group = _by_prefix(synth.resources(SITE, "AWS::Logs::LogGroup"), "SiteDeploymentLogs")
    assert log_group["Properties"]["RetentionInDays"] == 90


def test_site_error_rate_alarm_exists_only_in_us_east_1(synth: SynthResult) -> None:
    template = synth.templates[SITE]
    alarm = _by_prefix(synth.resources(SITE, "AWS::CloudWatch::Alarm"), "SiteAlarmsErrorRate5xx")
    props = alarm["Properties"]
    assert props["Namespace"] == "AWS/CloudFront"
    assert props["MetricName"] == "5xxErrorRate"
    distribution_id = next(
        k for k, v in template["Resources"].items() if v["Type"] == "AWS::CloudFront::Distribution"
    )
    assert props["Dimensions"] == [
        {"Name": "DistributionId", "Value": {"Ref": distribution_id}},
        {"Name": "Region", "Value": "Global"},
    ]
    assert props["Threshold"] == 5
    assert (props["EvaluationPeriods"], props["DatapointsToAlarm"]) == (3, 2)
    assert props["AlarmActions"][0]["Ref"].startswith("AlarmTopic")
    assert props["OKActions"] == props["AlarmActions"]
    condition = template["Conditions"][alarm["Condition"]]
    assert condition == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}


def test_site_dashboard_graphs_the_us_east_1_metrics(synth: SynthResult) -> None:
    dashboard = _one(synth.resources(SITE, "AWS::CloudWatch::Dashboard"))
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    assert "5xxErrorRate" in body and "Requests" in body
    assert body.count('\\"region\\":\\"us-east-1\\"') == 2
    assert "alarms" not in body  # alarm widgets would reference the conditional alarms


def test_site_acknowledges_only_the_default_certificate_and_waf_on_the_distribution(
    synth: SynthResult,
) -> None:
    report = synth.report
    assert report is not None
    on_distribution = set()
    for plugin in report["pluginReports"]:
        for suppressed in plugin.get("suppressedViolations", []):
            paths = [c["constructPath"] for c in suppressed["violatingConstructs"]]
            if any(p.startswith(f"{SITE}/Site/Resource") for p in paths):
                on_distribution.add(suppressed["ruleName"])
    assert on_distribution == {"AwsSolutions-CFR2", "AwsSolutions-CFR4"}


def test_capacity_summary_is_recorded(synth: SynthResult) -> None:
    edge = synth.stacks[SITE].node.find_child("Site")
    entries = [m.data for m in edge.node.metadata if m.type == "scalable-patterns:capacity"]
    assert entries == ["PRICE_CLASS_100, 1 behaviors (0 dynamic)"]


# -- the composed example: CloudFront -> S3 + ALB -> ASG ------------------------------------

COMPOSED = "EdgeExample"


def test_composed_routes_static_to_s3_and_api_to_the_load_balancer(synth: SynthResult) -> None:
    config = _distribution_config(synth.templates[COMPOSED])
    origins = {o["Id"]: o for o in config["Origins"]}
    behaviors = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert list(behaviors) == ["/api/*", "/static/*"]  # the order CloudFront matches in
    api_origin = origins[behaviors["/api/*"]["TargetOriginId"]]
    lb_id, attribute = api_origin["DomainName"]["Fn::GetAtt"]
    assert attribute == "DNSName"
    lb = synth.templates[COMPOSED]["Resources"][lb_id]
    assert lb["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"
    assert api_origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"
    assert api_origin["CustomOriginConfig"]["HTTPPort"] == 80
    static_origin = origins[behaviors["/static/*"]["TargetOriginId"]]
    assert "OriginAccessControlId" in static_origin
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == static_origin["Id"]
    assert behaviors["/static/*"]["CachePolicyId"] == CACHING_OPTIMIZED
    cache = _one(synth.resources(COMPOSED, "AWS::CloudFront::CachePolicy"))["Properties"]
    key = cache["CachePolicyConfig"]["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["CookiesConfig"]["Cookies"] == ["session"]
    assert key["HeadersConfig"]["Headers"] == ["Authorization"]
    assert key["QueryStringsConfig"]["QueryStrings"] == ["q", "page"]
    assert config["Restrictions"]["GeoRestriction"] == {
        "RestrictionType": "blacklist",
        "Locations": ["KP"],
    }


def test_composed_load_balancer_requires_the_header_cloudfront_sends(synth: SynthResult) -> None:
    config = _distribution_config(synth.templates[COMPOSED])
    (lb_origin,) = [o for o in config["Origins"] if "CustomOriginConfig" in o]
    (header,) = lb_origin["OriginCustomHeaders"]
    rule = _one(synth.resources(COMPOSED, "AWS::ElasticLoadBalancingV2::ListenerRule"))
    (condition,) = rule["Properties"]["Conditions"]
    assert condition["HttpHeaderConfig"]["HttpHeaderName"] == header["HeaderName"]
    # the same secret, resolved by CloudFormation on both sides
    assert condition["HttpHeaderConfig"]["Values"] == [header["HeaderValue"]]
    assert "OriginVerify" in json.dumps(header["HeaderValue"])
    listener = _one(synth.resources(COMPOSED, "AWS::ElasticLoadBalancingV2::Listener"))
    (default,) = listener["Properties"]["DefaultActions"]
    assert default["Type"] == "fixed-response"
    assert default["FixedResponseConfig"]["StatusCode"] == "403"


def test_composed_load_balancer_admits_only_the_cloudfront_prefix_list(synth: SynthResult) -> None:
    ingress = synth.resources(COMPOSED, "AWS::EC2::SecurityGroupIngress")
    to_alb = [
        r["Properties"]
        for r in ingress.values()
        if r["Properties"]["GroupId"]["Fn::GetAtt"][0].startswith("WebLoadBalancerSecurityGroup")
    ]
    assert len(to_alb) == 1
    (rule,) = to_alb
    assert (rule["FromPort"], rule["ToPort"]) == (80, 80)
    lookup_id, field = rule["SourcePrefixListId"]["Fn::GetAtt"]
    assert field == "PrefixLists.0.PrefixListId"
    lookup = synth.templates[COMPOSED]["Resources"][lookup_id]
    assert lookup["Type"] == "Custom::AWS"
    call = json.loads(lookup["Properties"]["Create"])
    assert call["service"] == "EC2" and call["action"] == "describeManagedPrefixLists"
    assert call["parameters"]["Filters"] == [
        {"Name": "prefix-list-name", "Values": ["com.amazonaws.global.cloudfront.origin-facing"]}
    ]
    assert json.loads(lookup["Properties"]["Update"]) == call  # re-resolved on every update
    for r in synth.resources(COMPOSED, "AWS::EC2::SecurityGroup").values():
        for egress_or_ingress in r["Properties"].get("SecurityGroupIngress", []):
            assert egress_or_ingress.get("CidrIp") != "0.0.0.0/0"


def test_prefix_list_lookup_is_least_privilege(synth: SynthResult) -> None:
    policy = _by_prefix(
        synth.resources(COMPOSED, "AWS::IAM::Policy"), "CloudFrontPrefixListCustomResourcePolicy"
    )
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [
        {"Action": "ec2:DescribeManagedPrefixLists", "Effect": "Allow", "Resource": "*"}
    ]
    function = _by_prefix(synth.resources(COMPOSED, "AWS::Lambda::Function"), "AWS679f53fac")
    assert function["Properties"]["Role"]["Fn::GetAtt"][0].startswith("CloudFrontPrefixListRole")
    assert function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"].startswith(
        "CloudFrontPrefixListLogs"
    )
    assert function["Properties"]["MemorySize"] == 256
    role = _by_prefix(synth.resources(COMPOSED, "AWS::IAM::Role"), "CloudFrontPrefixListRole")
    assert "ManagedPolicyArns" not in role["Properties"]


# -- variants in fresh stacks ---------------------------------------------------------------


def test_custom_domain_enforces_tls_1_2_sni_and_creates_apex_and_www_aliases() -> None:
    stack = new_stack()
    _edge(
        stack,
        "Edge",
        domain_names=["example.com", "www.example.com"],
        certificate=_certificate(stack),
        hosted_zone=_zone(stack),
    )
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "Aliases": ["example.com", "www.example.com"],
                    "ViewerCertificate": {
                        "AcmCertificateArn": CERT_ARN,
                        "MinimumProtocolVersion": "TLSv1.2_2021",
                        "SslSupportMethod": "sni-only",
                    },
                }
            )
        },
    )
    records = t.find_resources("AWS::Route53::RecordSet")
    by_id = {k.removeprefix("Edge")[:-8]: v["Properties"] for k, v in records.items()}
    assert set(by_id) == {
        "ApexAliasA",
        "ApexAliasAaaa",
        "WwwExampleComAliasA",
        "WwwExampleComAliasAaaa",
    }
    assert by_id["ApexAliasA"]["Name"] == "example.com."
    assert by_id["ApexAliasAaaa"]["Type"] == "AAAA"
    assert by_id["WwwExampleComAliasA"]["Name"] == "www.example.com."
    alias = by_id["ApexAliasA"]["AliasTarget"]
    assert alias["HostedZoneId"]["Fn::FindInMap"][0] == "AWSCloudFrontPartitionHostedZoneIdMap"
    assert alias["DNSName"]["Fn::GetAtt"][1] == "DomainName"


def test_stronger_tls_policy_can_be_chosen() -> None:
    stack = new_stack()
    _edge(
        stack,
        "Edge",
        domain_names=["www.example.com"],
        certificate=_certificate(stack),
        minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025,
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {"ViewerCertificate": Match.object_like({"MinimumProtocolVersion": "TLSv1.2_2025"})}
            )
        },
    )


def test_dynamic_behavior_cache_key_and_forwarding_to_a_load_balancer() -> None:
    stack = new_stack()
    edge = _edge(
        stack,
        "Edge",
        static_paths=["/static/*"],
        http_origin=HttpOriginOptions(load_balancer=_alb(stack), protocol="http"),
        dynamic_behaviors=[
            DynamicBehavior(
                "/api/*",
                cookies=("session",),
                headers=("Authorization", "Accept-Language"),
                query_strings=("q", "page"),
                origin_headers=("CloudFront-Viewer-Country",),
            )
        ],
    )
    t = Template.from_stack(stack)
    cache = _one(t.find_resources("AWS::CloudFront::CachePolicy"))["Properties"][
        "CachePolicyConfig"
    ]
    key = cache["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["CookiesConfig"] == {"CookieBehavior": "whitelist", "Cookies": ["session"]}
    assert key["HeadersConfig"] == {
        "HeaderBehavior": "whitelist",
        "Headers": ["Authorization", "Accept-Language"],
    }
    assert key["QueryStringsConfig"] == {
        "QueryStringBehavior": "whitelist",
        "QueryStrings": ["q", "page"],
    }
    assert key["EnableAcceptEncodingGzip"] is True and key["EnableAcceptEncodingBrotli"] is True
    assert (cache["MinTTL"], cache["DefaultTTL"], cache["MaxTTL"]) == (0, 0, 86_400)
    orp = _one(t.find_resources("AWS::CloudFront::OriginRequestPolicy"))["Properties"][
        "OriginRequestPolicyConfig"
    ]
    # Authorization travels in the cache key; CloudFront refuses it in an origin request policy.
    assert orp["HeadersConfig"] == {
        "HeaderBehavior": "whitelist",
        "Headers": ["Accept-Language", "CloudFront-Viewer-Country"],
    }
    assert orp["CookiesConfig"] == {"CookieBehavior": "whitelist", "Cookies": ["session"]}
    assert orp["QueryStringsConfig"] == {
        "QueryStringBehavior": "whitelist",
        "QueryStrings": ["q", "page"],
    }

    config = _distribution_config(t.to_json())
    behaviors = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(behaviors) == {"/api/*", "/static/*"}
    api = behaviors["/api/*"]
    assert api["AllowedMethods"] == ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
    assert api["ViewerProtocolPolicy"] == "redirect-to-https"
    assert api["ResponseHeadersPolicyId"] == SECURITY_HEADERS
    assert api["CachePolicyId"]["Ref"].startswith("EdgeApiCachePolicy")
    assert api["OriginRequestPolicyId"]["Ref"].startswith("EdgeApiOriginRequestPolicy")
    assert behaviors["/static/*"]["CachePolicyId"] == CACHING_OPTIMIZED
    assert set(edge.cache_policies) == {"/api/*"}


def test_load_balancer_origin_gets_the_secret_header_over_http_by_opt_in() -> None:
    stack = new_stack()
    edge = _edge(
        stack,
        "Edge",
        http_origin=HttpOriginOptions(load_balancer=_alb(stack), protocol="http"),
        dynamic_behaviors=[DynamicBehavior("/api/*")],
    )
    t = Template.from_stack(stack)
    config = _distribution_config(t.to_json())
    origin = next(o for o in config["Origins"] if "CustomOriginConfig" in o)
    assert origin["DomainName"] == "web-123.eu-west-1.elb.amazonaws.com"
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"
    (header,) = origin["OriginCustomHeaders"]
    assert header["HeaderName"] == "X-Origin-Verify"
    value = json.dumps(header["HeaderValue"])
    assert "{{resolve:secretsmanager:" in value  # resolved at deploy time, never in the template
    assert edge.origin_secret is not None and edge.origin_verify_header == "X-Origin-Verify"
    secret = _one(t.find_resources("AWS::SecretsManager::Secret"))["Properties"]
    assert secret["GenerateSecretString"]["ExcludePunctuation"] is True
    assert secret["GenerateSecretString"]["PasswordLength"] == 32
    assert edge.origin_protocol == "http"
    # the explicit opt-in carries its acknowledgement, on the distribution only
    acknowledged = _acknowledged(edge.distribution)
    assert "protocol='http'" in acknowledged["AwsSolutions::AwsSolutions-CFR5"]


def test_domain_origin_uses_https_tls_1_2_and_a_given_secret() -> None:
    stack = new_stack()
    secret = origin_verify_secret(stack, "Verify")
    edge = _edge(
        stack,
        "Edge",
        http_origin=HttpOriginOptions(
            load_balancer=_alb(stack),
            domain_name="origin.example.com",
            verify_header_name="X-From-CloudFront",
            verify_secret=secret,
            read_timeout=Duration.seconds(45),
        ),
        dynamic_behaviors=[DynamicBehavior("/api/*")],
    )
    assert edge.origin_secret is secret
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SecretsManager::Secret", 1)
    origin = next(
        o for o in _distribution_config(t.to_json())["Origins"] if "CustomOriginConfig" in o
    )
    assert origin["DomainName"] == "origin.example.com"
    custom = origin["CustomOriginConfig"]
    assert custom["OriginProtocolPolicy"] == "https-only"
    assert custom["OriginSSLProtocols"] == ["TLSv1.2"]
    assert custom["OriginReadTimeout"] == 45
    assert origin["OriginCustomHeaders"][0]["HeaderName"] == "X-From-CloudFront"
    assert edge.origin_protocol == "https"
    assert "AwsSolutions::AwsSolutions-CFR5" not in _acknowledged(edge.distribution)


def test_header_can_be_turned_off() -> None:
    stack = new_stack()
    edge = _edge(
        stack,
        "Edge",
        http_origin=HttpOriginOptions(domain_name="api.example.com", verify_header_name=None),
        dynamic_behaviors=[DynamicBehavior("/api/*")],
    )
    assert edge.origin_secret is None
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SecretsManager::Secret", 0)
    origin = next(
        o for o in _distribution_config(t.to_json())["Origins"] if "CustomOriginConfig" in o
    )
    assert "OriginCustomHeaders" not in origin


def test_dynamic_default_behavior_needs_no_bucket() -> None:
    stack = new_stack()
    edge = _edge(
        stack,
        "Edge",
        http_origin=HttpOriginOptions(domain_name="app.example.com"),
        dynamic_behaviors=[DynamicBehavior("*", all_query_strings=True, cookies=("session",))],
        default_root_object=None,
    )
    assert edge.static_bucket is None
    t = Template.from_stack(stack)
    buckets = t.find_resources("AWS::S3::Bucket")
    assert [k for k in buckets if k.startswith("EdgeLogBucket")] == list(buckets)  # only the logs
    config = _distribution_config(t.to_json())
    assert config["DefaultCacheBehavior"]["CachePolicyId"]["Ref"].startswith(
        "EdgeDefaultCachePolicy"
    )
    assert "DefaultRootObject" not in config
    cache = _one(t.find_resources("AWS::CloudFront::CachePolicy"))["Properties"][
        "CachePolicyConfig"
    ]
    assert cache["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"] == {
        "QueryStringBehavior": "all"
    }


def test_geo_deny_list_waf_price_class_and_log_cookies() -> None:
    stack = new_stack()
    _edge(
        stack,
        "Edge",
        geo_deny=["RU", "KP"],
        web_acl_arn=WEB_ACL_ARN,
        price_class=cloudfront.PriceClass.PRICE_CLASS_ALL,
        log_includes_cookies=True,
    )
    config = _distribution_config(Template.from_stack(stack).to_json())
    assert config["Restrictions"]["GeoRestriction"] == {
        "RestrictionType": "blacklist",
        "Locations": ["KP", "RU"],
    }
    assert config["WebACLId"] == WEB_ACL_ARN
    assert config["PriceClass"] == "PriceClass_All"
    assert config["Logging"]["IncludeCookies"] is True


def test_removal_policy_destroy_for_dev_stacks() -> None:
    stack = new_stack()
    _edge(stack, "Edge", removal_policy=RemovalPolicy.DESTROY)
    t = Template.from_stack(stack)
    buckets = t.find_resources("AWS::S3::Bucket")
    assert len(buckets) == 2
    assert {b["DeletionPolicy"] for b in buckets.values()} == {"Delete"}
    for resource in t.to_json()["Resources"].values():
        assert resource.get("DeletionPolicy", "Delete") == "Delete", resource["Type"]


def test_destroy_empties_both_buckets_first() -> None:
    """CloudFormation deletes only empty buckets."""
    stack = new_stack()
    _edge(stack, "Edge", removal_policy=RemovalPolicy.DESTROY)
    t = Template.from_stack(stack)
    emptied = t.find_resources("Custom::S3AutoDeleteObjects")
    assert sorted(r["Properties"]["BucketName"]["Ref"] for r in emptied.values()) == sorted(
        t.find_resources("AWS::S3::Bucket")
    )


def test_created_bucket_uses_a_customer_managed_key_cloudfront_may_use() -> None:
    stack = _plain_stack()
    edge = _edge(stack, "Edge")
    t = Template.from_stack(stack)
    key_id = stack.resolve(edge.static_bucket.encryption_key.key_arn)["Fn::GetAtt"][0]  # type: ignore[union-attr]
    assert key_id.startswith("EdgeStaticKey")
    t.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {
                        "BucketKeyEnabled": True,
                        "ServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
                        },
                    }
                ]
            }
        },
    )
    key = t.find_resources("AWS::KMS::Key")[key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    (statement,) = [
        s
        for s in key["KeyPolicy"]["Statement"]
        if s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}
    ]
    assert statement["Action"] == "kms:Decrypt"
    assert "AWS:SourceArn" in statement["Condition"]["ArnLike"]
    # aws-cdk-lib's warning about the account-wide condition is answered, not left to the user
    assert not Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("circular dependency")
    )
    # the log bucket stays SSE-S3: S3 server access logs are delivered only to such buckets
    log_bucket = t.find_resources("AWS::S3::Bucket")[
        stack.get_logical_id(edge.log_bucket.node.default_child)
    ]  # type: ignore[arg-type]
    encryption = log_bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption[0]["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}


def test_content_sync_gets_only_the_key_actions_it_needs() -> None:
    stack = _plain_stack()
    _edge(stack, "Edge", content=[s3deploy.Source.data("index.html", "<h1>hi</h1>")])
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    (statement,) = [
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if any(a.startswith("kms:") for a in s["Action"])
    ]
    assert statement["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert statement["Resource"]["Fn::GetAtt"][0].startswith("EdgeStaticKey")


def test_kms_key_for_the_created_bucket_lets_cloudfront_decrypt() -> None:
    stack = new_stack()
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    _edge(stack, "Edge", static_encryption_key=key)
    t = Template.from_stack(stack)
    t.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    Match.object_like(
                        {
                            "ServerSideEncryptionByDefault": Match.object_like(
                                {"SSEAlgorithm": "aws:kms"}
                            )
                        }
                    )
                ]
            }
        },
    )
    statements = _one(t.find_resources("AWS::KMS::Key"))["Properties"]["KeyPolicy"]["Statement"]
    assert any(s.get("Principal") == {"Service": "cloudfront.amazonaws.com"} for s in statements)


def test_existing_buckets_are_used() -> None:
    stack = new_stack()
    site = s3.Bucket(stack, "Site", enforce_ssl=True)
    logs = s3.Bucket(stack, "Logs", object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED)
    edge = _edge(stack, "Edge", static_bucket=site, log_bucket=logs)
    assert edge.static_bucket is site and edge.log_bucket is logs
    Template.from_stack(stack).resource_count_is("AWS::S3::Bucket", 2)


def test_alarms_in_a_us_east_1_stack_are_unconditional_with_alarm_widgets() -> None:
    stack = cdk.Stack(
        new_app(), "Edge", env=cdk.Environment(account="123456789012", region="us-east-1")
    )
    dashboard = cw.Dashboard(stack, "Dashboard")
    edge = _edge(
        stack,
        "Edge",
        dashboard=dashboard,
        publish_additional_metrics=True,
        origin_latency_alarm=Duration.seconds(3),
    )
    assert set(edge.alarms) == {"ErrorRate5xx", "OriginLatency"}
    t = Template.from_stack(stack)
    for alarm in t.find_resources("AWS::CloudWatch::Alarm").values():
        assert "Condition" not in alarm
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "OriginLatency", "ExtendedStatistic": "p90", "Threshold": 3000},
    )
    t.has_resource_properties(
        "AWS::CloudFront::MonitoringSubscription",
        {
            "MonitoringSubscription": {
                "RealtimeMetricsSubscriptionConfig": {
                    "RealtimeMetricsSubscriptionStatus": "Enabled"
                }
            }
        },
    )
    body = json.dumps(_one(t.find_resources("AWS::CloudWatch::Dashboard"))["Properties"])
    assert "alarms" in body


def test_metrics_are_the_distributions_in_us_east_1() -> None:
    """metric(name) and the key metrics its alarms use: AWS/CloudFront, read in us-east-1."""
    stack = new_stack()
    edge = _edge(stack, "Edge")
    requests = edge.metric("Requests", statistic="Sum")
    assert (requests.namespace, requests.metric_name) == ("AWS/CloudFront", "Requests")
    assert requests.region == "us-east-1" and requests.statistic == "Sum"
    assert stack.resolve(requests.dimensions) == {
        "DistributionId": stack.resolve(edge.distribution.distribution_id),
        "Region": "Global",
    }
    assert requests.period.to_minutes() == 5
    assert edge.metric("Requests", region="eu-west-1").region == "eu-west-1"
    assert edge.metric_5xx_error_rate().metric_name == "5xxErrorRate"
    assert edge.metric_5xx_error_rate().statistic == "Average"
    assert edge.metric_origin_latency().statistic == "p90"
    assert edge.metric_requests().statistic == "Sum"
    alarm = edge.alarms["ErrorRate5xx"].node.default_child
    assert isinstance(alarm, cw.CfnAlarm)
    assert (alarm.metric_name, alarm.namespace) == ("5xxErrorRate", "AWS/CloudFront")


def test_no_alarms_in_a_stack_of_another_region() -> None:
    stack = cdk.Stack(
        new_app(), "Edge", env=cdk.Environment(account="123456789012", region="eu-west-1")
    )
    edge = _edge(stack, "Edge")
    assert edge.alarms == {}
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Alarm", 0)
    warnings = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("us-east-1")
    )
    assert warnings


def test_two_distributions_with_content_share_the_deployment_function(tmp_path: Any) -> None:
    """aws-cdk-lib runs both deployments in one function: one role may invalidate exactly both."""
    app = new_app(outdir=str(tmp_path))
    stack = cdk.Stack(app, "TwoSites")
    for name in ("One", "Two"):
        _edge(stack, name, content=[s3deploy.Source.data("index.html", name)], geo_allow=["DE"])
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::Lambda::Function", 1)
    t.resource_count_is("AWS::IAM::Role", 1)  # no orphaned second role
    t.resource_count_is("AWS::Logs::LogGroup", 1)
    (policy,) = t.find_resources("AWS::IAM::Policy").values()
    (invalidation,) = [
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if "cloudfront:CreateInvalidation" in s["Action"]
    ]
    refs = json.dumps(invalidation["Resource"])
    assert isinstance(invalidation["Resource"], list) and len(invalidation["Resource"]) == 2
    assert '"Ref": "One' in refs and '"Ref": "Two' in refs
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    app.synth()  # nag clean: both buckets' grants are acknowledged, the function once


def test_production_shape_is_nag_clean_without_acknowledging_tls_or_waf(tmp_path: Any) -> None:
    """With a custom domain, a WAF web ACL and geo restriction nothing needs acknowledging."""
    app = new_app(outdir=str(tmp_path))
    stack = cdk.Stack(app, "EdgeProd")
    _edge(
        stack,
        "Edge",
        content=[s3deploy.Source.data("index.html", "<h1>hi</h1>")],
        static_paths=["/static/*"],
        http_origin=HttpOriginOptions(domain_name="origin.example.com"),
        dynamic_behaviors=[DynamicBehavior("/api/*", cookies=("session",))],
        geo_allow=["US", "CA"],
        domain_names=["example.com", "www.example.com"],
        certificate=_certificate(stack),
        hosted_zone=_zone(stack),
        web_acl_arn=WEB_ACL_ARN,
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    app.synth()  # raises on any unacknowledged finding
    report = json.loads((tmp_path / "validation-report.json").read_text())
    acknowledged = {
        s["ruleName"]
        for plugin in report["pluginReports"]
        for s in plugin.get("suppressedViolations", [])
    }
    assert not {"AwsSolutions-CFR1", "AwsSolutions-CFR2", "AwsSolutions-CFR4"} & acknowledged


# -- helpers ---------------------------------------------------------------------------------


def test_iso_code_table() -> None:
    assert len(ISO_3166_ALPHA2) == 249
    assert {"DE", "GB", "US", "SS", "BQ", "CW", "SX"} <= ISO_3166_ALPHA2
    assert not {"UK", "EU", "EL", "XK"} & ISO_3166_ALPHA2


# -- validation: every error path ------------------------------------------------------------


def _dyn(**kwargs: Any) -> dict[str, Any]:
    """Props with one dynamic behavior built from ``kwargs`` and a domain origin."""
    return {
        "http_origin": HttpOriginOptions(domain_name="api.example.com"),
        "dynamic_behaviors": [DynamicBehavior("/api/*", **kwargs)],
    }


def _origin(**kwargs: Any) -> dict[str, Any]:
    return {
        "http_origin": HttpOriginOptions(**kwargs),
        "dynamic_behaviors": [DynamicBehavior("/api/*")],
    }


INVALID = [
    (
        {"static_paths": ["/static/*", "static/*"]},
        r"static_paths path pattern 'static/\*' is already routed by static_paths",
    ),
    ({"static_paths": ["*"]}, r"static_paths cannot contain '\*'"),
    (
        {"static_paths": ["/a b/*"]},
        r"static_paths must be a CloudFront path pattern.*got '/a b/\*'",
    ),
    (
        {"dynamic_behaviors": [DynamicBehavior("/api/*")]},
        r"dynamic_behaviors need an http_origin to route to, got none",
    ),
    (
        {"http_origin": HttpOriginOptions(domain_name="api.example.com")},
        r"http_origin is given but no dynamic_behaviors route to it",
    ),
    (
        {
            "http_origin": HttpOriginOptions(domain_name="api.example.com"),
            "dynamic_behaviors": [DynamicBehavior("/api/*"), DynamicBehavior("/api/*")],
        },
        r"dynamic_behaviors\[1\] path pattern '/api/\*' is already routed by dynamic_behaviors\[0\]",
    ),
    (
        {
            "http_origin": HttpOriginOptions(domain_name="api.example.com"),
            "dynamic_behaviors": [DynamicBehavior("/api-v1/*"), DynamicBehavior("/api/v1/*")],
        },
        r"map to the same construct id ApiV1",
    ),
    (
        {
            "http_origin": HttpOriginOptions(domain_name="api.example.com"),
            "dynamic_behaviors": [{"path_pattern": "/api/*"}],
        },
        r"dynamic_behaviors\[0\] must be a DynamicBehavior, got dict",
    ),
    (
        _dyn(cookies=("bad cookie",)),
        r"dynamic_behaviors\[0\]\.cookies contains an invalid name 'bad cookie'",
    ),
    (
        _dyn(headers="Accept"),
        r"dynamic_behaviors\[0\]\.headers must be a tuple of names, got the string",
    ),
    (
        _dyn(headers=("Host",)),
        r"dynamic_behaviors\[0\]\.headers cannot name 'Host': CloudFront sets it",
    ),
    (_dyn(origin_headers=("X-Amz-Cf-Id",)), r"origin_headers cannot name 'X-Amz-Cf-Id'"),
    (_dyn(query_strings=("a&b",)), r"query_strings contains an invalid name 'a&b'"),
    (_dyn(cookies=("a", "a")), r"cookies contain duplicates"),
    (
        _dyn(cookies=tuple(f"c{i}" for i in range(11))),
        r"dynamic_behaviors\[0\]\.cookies count must be at most 10, got 11",
    ),
    (_dyn(headers=tuple(f"h{i}" for i in range(11))), r"headers count must be at most 10, got 11"),
    (
        _dyn(query_strings=tuple(f"q{i}" for i in range(11))),
        r"query_strings count must be at most 10",
    ),
    (
        _dyn(
            headers=tuple(f"h{i}" for i in range(6)),
            origin_headers=tuple(f"o{i}" for i in range(5)),
        ),
        r"headers \+ origin_headers count must be at most 10, got 11",
    ),
    (_dyn(query_strings=("q",), all_query_strings=True), r"all_query_strings cannot be combined"),
    (_dyn(max_ttl=Duration.days(400)), r"max_ttl must be between 0 s and 365 days, got 400 days"),
    (
        _dyn(min_ttl=Duration.minutes(5), default_ttl=Duration.minutes(1)),
        r"TTLs must satisfy min_ttl <= default_ttl <= max_ttl, got 5 min / 1 min / 1 day",
    ),
    (
        _dyn(cookies=("session",), max_ttl=Duration.seconds(0)),
        r"max_ttl must be above 0 s when the cache key names cookies",
    ),
    (_origin(), r"http_origin needs a load_balancer or a domain_name, got neither"),
    (_origin(domain_name="not a domain"), r"http_origin.domain_name must be a DNS name"),
    (
        _origin(domain_name="api.example.com", protocol="ftp"),
        r"http_origin.protocol must be one of",
    ),
    (
        {"http_origin": "STACK_ALB_HTTPS", "dynamic_behaviors": [DynamicBehavior("/api/*")]},
        r"'https' \(the default\) needs http_origin.domain_name.*or pass protocol='http'",
    ),
    (
        _origin(domain_name="api.example.com", https_port=70_000),
        r"http_origin.https_port must be between 1 and 65,535",
    ),
    (
        _origin(domain_name="api.example.com", verify_header_name="Host"),
        r"verify_header_name must be a custom header",
    ),
    (
        _origin(domain_name="api.example.com", verify_header_name="X-Amz-Date"),
        r"verify_header_name must be a custom header",
    ),
    (
        {"http_origin": "STACK_SECRET_NO_HEADER", "dynamic_behaviors": [DynamicBehavior("/api/*")]},
        r"verify_secret is given but verify_header_name is None",
    ),
    (
        _origin(domain_name="api.example.com", read_timeout=Duration.seconds(61)),
        r"http_origin.read_timeout must be between 1 s and 1 min, got 61 s",
    ),
    (
        _origin(domain_name="api.example.com", keepalive_timeout=Duration.seconds(0)),
        r"http_origin.keepalive_timeout must be between 1 s and 1 min, got 0 s",
    ),
    (
        {"http_origin": "not options", "dynamic_behaviors": [DynamicBehavior("/api/*")]},
        r"must be an HttpOriginOptions, got str",
    ),
    (
        {
            "static_bucket": "BUCKET",
            "http_origin": HttpOriginOptions(domain_name="api.example.com"),
            "dynamic_behaviors": [DynamicBehavior("*")],
        },
        r"static_bucket is given but no behavior serves static content",
    ),
    (
        {"static_bucket": "BUCKET", "static_encryption_key": "KEY"},
        r"static_encryption_key applies only to the bucket this construct creates",
    ),
    (
        {"default_root_object": "/index.html"},
        r"default_root_object must be an object name without a leading '/'",
    ),
    ({"error_page": "404.html"}, r"error_page must be a path starting with '/', got '404.html'"),
    (
        {
            "error_page": "/404.html",
            "default_root_object": None,
            "http_origin": HttpOriginOptions(domain_name="api.example.com"),
            "dynamic_behaviors": [DynamicBehavior("*")],
        },
        r"error_page needs a static bucket to serve it from",
    ),
    (
        {"content": [s3deploy.Source.data("a", "b")], "invalidation_paths": ["index.html"]},
        r"invalidation_paths must start with '/', got 'index.html'",
    ),
    (
        {
            "content": [s3deploy.Source.data("a", "b")],
            "invalidation_paths": [f"/{i}/*" for i in range(16)],
        },
        r"invalidation_paths wildcard count must be at most 15, got 16",
    ),
    ({"geo_allow": ["DE"], "geo_deny": ["FR"]}, r"geo_allow cannot be combined with geo_deny"),
    (
        {"geo_allow": ["UK"]},
        r"geo_allow must contain ISO 3166-1 alpha-2 country codes, got 'UK' \(ISO 3166-1 uses 'GB'\)",
    ),
    (
        {"geo_deny": ["de"]},
        r"geo_deny must contain ISO 3166-1 alpha-2 country codes, got 'de' \(codes are upper case: 'DE'\)",
    ),
    ({"geo_deny": ["XX"]}, r"geo_deny must contain ISO 3166-1 alpha-2 country codes, got 'XX'$"),
    ({"geo_allow": "DE"}, r"geo_allow must be a list of country codes, got the string 'DE'"),
    ({"domain_names": ["www.example.com"]}, r"certificate is required with domain_names"),
    ({"certificate": "CERT"}, r"domain_names must name the domains the certificate is for"),
    (
        {"domain_names": ["www.example.com"], "certificate": "CERT_EU"},
        r"certificate must be an ACM certificate in us-east-1 .*got one in 'eu-west-1'",
    ),
    ({"domain_names": ["bad_domain!"], "certificate": "CERT"}, r"domain_names must be DNS names"),
    (
        {"domain_names": ["a.example.com", "A.example.com"], "certificate": "CERT"},
        r"domain_names contain duplicates",
    ),
    (
        {"domain_names": [f"d{i}.example.com" for i in range(101)], "certificate": "CERT"},
        r"domain_names count must be at most 100, got 101",
    ),
    (
        {
            "domain_names": ["www.example.com"],
            "certificate": "CERT",
            "minimum_protocol_version": cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019,
        },
        r"minimum_protocol_version must be one of",
    ),
    ({"hosted_zone": "ZONE"}, r"hosted_zone needs domain_names to create records for"),
    (
        {"hosted_zone": "ZONE", "domain_names": ["www.example.org"], "certificate": "CERT"},
        r"domain_names must be in hosted_zone 'example.com' to get alias records, got 'www.example.org'",
    ),
    (
        {"web_acl_arn": WEB_ACL_ARN.replace("us-east-1", "eu-west-1")},
        r"web_acl_arn must be a WAFv2 web ACL of scope CLOUDFRONT",
    ),
    (
        {"web_acl_arn": WEB_ACL_ARN.replace("global/", "regional/")},
        r"web_acl_arn must be a WAFv2 web ACL of scope CLOUDFRONT",
    ),
    ({"log_expiration": Duration.hours(1)}, r"log_expiration must be at least 1 day, got 1 h"),
    (
        {"error_rate_alarm_percent": 0},
        r"error_rate_alarm_percent must be above 0 and at most 100 \(%\), got 0",
    ),
    (
        {"error_rate_alarm_percent": 101},
        r"error_rate_alarm_percent must be above 0 and at most 100",
    ),
    (
        {"origin_latency_alarm": Duration.minutes(4)},
        r"origin_latency_alarm must be between 1 s and 3 min, got 4 min",
    ),
    # -- found by the input validation audit ---------------------------------------------------
    # a string where a list belongs (before: split into characters, one problem per character)
    ({"static_paths": "/static/*"}, r"static_paths must be a list, got str '/static/\*'"),
    ({"domain_names": "www.example.com"}, r"domain_names must be a list, got str"),
    (
        {"content": [s3deploy.Source.data("a", "b")], "invalidation_paths": "/*"},
        r"invalidation_paths must be a list, got str '/\*'",
    ),
    (
        {
            "http_origin": HttpOriginOptions(domain_name="api.example.com"),
            "dynamic_behaviors": DynamicBehavior("/api/*"),
        },
        r"dynamic_behaviors must be a list, got DynamicBehavior\n",
    ),
    # whole units (before: aws-cdk-lib's opaque "cannot be converted into a whole number")
    (
        {"log_expiration": Duration.hours(36)},
        r"log_expiration must be a whole number of days, got 36 h",
    ),
    (
        _dyn(max_ttl=Duration.millis(1_500)),
        r"dynamic_behaviors\[0\].max_ttl must be a whole number of seconds, got 1.5 s",
    ),
    (
        _origin(domain_name="api.example.com", read_timeout=Duration.millis(1_500)),
        r"http_origin.read_timeout must be a whole number of seconds, got 1.5 s",
    ),
    (
        _origin(domain_name="api.example.com", keepalive_timeout=Duration.millis(1_500)),
        r"http_origin.keepalive_timeout must be a whole number of seconds, got 1.5 s",
    ),
    # CloudFront limit (before: accepted, rejected at deploy time)
    (
        {"default_root_object": "a" * 256},
        r"default_root_object must be at most 255 characters, got 256",
    ),
    # wrong types (before: AttributeError / TypeError / jsii deserialization errors)
    ({"default_root_object": 5}, r"default_root_object must be a string, got int 5"),
    ({"error_page": 5}, r"error_page must be a string, got int 5"),
    ({"domain_names": [5], "certificate": "CERT"}, r"domain_names must be a string, got int 5"),
    ({"web_acl_arn": 5}, r"web_acl_arn must be a string, got int 5"),
    ({"comment": 5}, r"comment must be a string, got int 5"),
    (
        {"content": [s3deploy.Source.data("a", "b")], "invalidation_paths": [5]},
        r"invalidation_paths must be a string",
    ),
    ({"content": ["site"]}, r"content\[0\] must be an s3deploy.ISource, got str 'site'"),
    ({"price_class": "PriceClass_100"}, r"price_class must be a PriceClass, got str"),
    ({"log_includes_cookies": "y"}, r"log_includes_cookies must be True or False, got 'y'"),
    ({"publish_additional_metrics": "y"}, r"publish_additional_metrics must be True or False"),
    ({"error_rate_alarm_percent": True}, r"error_rate_alarm_percent must be above 0 .*got True"),
    ({"removal_policy": "DESTROY"}, r"removal_policy must be a RemovalPolicy, got str"),
    ({"static_bucket": "site-bucket"}, r"static_bucket must be an s3.IBucket, got str"),
    ({"static_encryption_key": "alias/k"}, r"static_encryption_key must be a kms.IKey, got str"),
    ({"log_bucket": "logs"}, r"log_bucket must be an s3.IBucket, got str"),
    (
        {"certificate": "arn:aws:acm:us-east-1:1:certificate/x", "domain_names": ["example.com"]},
        r"certificate must be an acm.ICertificate, got str",
    ),
    (
        {"hosted_zone": "example.com", "domain_names": ["example.com"], "certificate": "CERT"},
        r"hosted_zone must be a route53.IHostedZone, got str",
    ),
    (
        {"response_headers_policy": "SecurityHeaders"},
        r"response_headers_policy must be a cloudfront.IResponseHeadersPolicy, got str",
    ),
    ({"alarm_topic": "arn"}, r"alarm_topic must be an sns.ITopic, got str"),
    ({"dashboard": "Ops"}, r"dashboard must be a cloudwatch.Dashboard, got str"),
    (_dyn(min_ttl=5), r"dynamic_behaviors\[0\].min_ttl must be an aws_cdk.Duration, got 5"),
    (_dyn(all_query_strings="y"), r"all_query_strings must be True or False, got 'y'"),
    (
        _dyn(allowed_methods="GET"),
        r"dynamic_behaviors\[0\].allowed_methods must be a cloudfront.AllowedMethods, got str",
    ),
    (
        {
            "http_origin": HttpOriginOptions(domain_name="api.example.com"),
            "dynamic_behaviors": [DynamicBehavior(5)],  # type: ignore[arg-type]
        },
        r"dynamic_behaviors\[0\].path_pattern must be a CloudFront path pattern.*got 5",
    ),
    (_origin(domain_name=5), r"http_origin.domain_name must be a string, got int 5"),
    (
        _origin(domain_name="api.example.com", verify_header_name=5),
        r"http_origin.verify_header_name must be a string, got int 5",
    ),
    (
        _origin(domain_name="api.example.com", verify_secret="secret"),
        r"http_origin.verify_secret must be a secretsmanager.ISecret, got str",
    ),
    (
        _origin(load_balancer="my-alb"),
        r"http_origin.load_balancer must be an elbv2.ILoadBalancerV2, got str",
    ),
]


def _materialise(stack: cdk.Stack, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Replace placeholders with constructs of ``stack``."""
    out = dict(kwargs)
    if out.get("static_bucket") == "BUCKET":
        out["static_bucket"] = s3.Bucket(stack, "Site")
    if out.get("static_encryption_key") == "KEY":
        out["static_encryption_key"] = kms.Key(stack, "Key", enable_key_rotation=True)
    if out.get("certificate") == "CERT":
        out["certificate"] = _certificate(stack)
    if out.get("certificate") == "CERT_EU":
        out["certificate"] = _certificate(stack, CERT_ARN.replace("us-east-1", "eu-west-1"))
    if out.get("hosted_zone") == "ZONE":
        out["hosted_zone"] = _zone(stack)
    if out.get("http_origin") == "STACK_ALB_HTTPS":
        out["http_origin"] = HttpOriginOptions(load_balancer=_alb(stack), protocol="https")
    if out.get("http_origin") == "STACK_SECRET_NO_HEADER":
        out["http_origin"] = HttpOriginOptions(
            domain_name="api.example.com",
            verify_header_name=None,
            verify_secret=origin_verify_secret(stack, "S"),
        )
    return out


@pytest.mark.parametrize(("kwargs", "message"), INVALID)
def test_invalid_props(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    with pytest.raises(PatternValidationError, match=message):
        _edge(stack, "Edge", **_materialise(stack, kwargs))


def test_each_decision_is_required_without_its_opt_in() -> None:
    with pytest.raises(PatternValidationError) as info:
        EdgeDistribution(new_stack(), "Edge")
    assert sorted(info.value.problems) == [
        "certificate is required (with domain_names) for viewer TLS 1.2+: CloudFront's default "
        "*.cloudfront.net certificate allows TLSv1; or pass allow_default_certificate=True to "
        "serve only the *.cloudfront.net name",
        "geo_allow or geo_deny is required (ISO 3166-1 country codes); or pass "
        "allow_all_countries=True to serve every country",
        "web_acl_arn is required (a WAFv2 web ACL of scope CLOUDFRONT, from us-east-1); or pass "
        "allow_without_web_acl=True to run without one",
    ]


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"allow_default_certificate": True, "certificate": "CERT"},
            r"allow_default_certificate cannot be combined with certificate, which is given",
        ),
        (
            {"allow_all_countries": True, "geo_deny": ["KP"]},
            r"allow_all_countries cannot be combined with geo_allow or geo_deny, which is given",
        ),
        (
            {"allow_without_web_acl": True, "web_acl_arn": WEB_ACL_ARN},
            r"allow_without_web_acl cannot be combined with web_acl_arn, which is given",
        ),
        ({"allow_all_countries": "yes"}, r"allow_all_countries must be True or False, got 'yes'"),
    ],
)
def test_an_opt_in_contradicting_its_setting_is_rejected(
    props: dict[str, Any], message: str
) -> None:
    stack = new_stack()
    if props.get("certificate") == "CERT":
        props = {**props, "certificate": _certificate(stack), "domain_names": ["www.example.com"]}
    with pytest.raises(PatternValidationError, match=message):
        _edge(stack, "Edge", **props)


def test_only_the_opt_ins_carry_acknowledgements_on_the_distribution() -> None:
    opted = _edge(_plain_stack(), "Edge")
    reasons = _acknowledged(opted.distribution)
    assert sorted(reasons) == [
        "AwsSolutions::AwsSolutions-CFR1",
        "AwsSolutions::AwsSolutions-CFR2",
        "AwsSolutions::AwsSolutions-CFR4",
    ]
    assert "allow_default_certificate=True" in reasons["AwsSolutions::AwsSolutions-CFR4"]
    assert "allow_all_countries=True" in reasons["AwsSolutions::AwsSolutions-CFR1"]
    assert "allow_without_web_acl=True" in reasons["AwsSolutions::AwsSolutions-CFR2"]
    stack = _plain_stack()
    secure = EdgeDistribution(
        stack,
        "Edge",
        domain_names=["www.example.com"],
        certificate=_certificate(stack),
        geo_allow=["DE"],
        web_acl_arn=WEB_ACL_ARN,
    )
    assert _acknowledged(secure.distribution) == {}


def test_prefix_list_rejects_a_silent_none() -> None:
    with pytest.raises(PatternValidationError, match=r"removal_policy must not be None"):
        CloudFrontOriginFacingPrefixList(new_stack(), "Ips", removal_policy=None)  # type: ignore[arg-type]
    with pytest.raises(PatternValidationError, match=r"removal_policy must be a RemovalPolicy"):
        CloudFrontOriginFacingPrefixList(new_stack(), "Ips", removal_policy="DESTROY")  # type: ignore[arg-type]


def test_all_problems_reported_at_once_with_construct_path() -> None:
    with pytest.raises(PatternValidationError) as info:
        _edge(
            new_stack("Shop"),
            "Cdn",
            geo_allow=["UK", "DE"],
            error_page="oops",
            web_acl_arn="arn:aws:waf::123:webacl/x",
            dynamic_behaviors=[DynamicBehavior("/api/*", max_ttl=Duration.days(500))],
        )
    error = info.value
    assert error.construct_path == "Shop/Cdn"
    assert len(error.problems) == 5, error.problems
    assert str(error).startswith("Shop/Cdn: 5 invalid prop problems:")


def test_unresolved_tokens_are_not_validated() -> None:
    stack = new_stack()
    arn = cdk.CfnParameter(stack, "CertArn").value_as_string
    domain = cdk.CfnParameter(stack, "Domain").value_as_string
    acl = cdk.CfnParameter(stack, "Acl").value_as_string
    _edge(
        stack,
        "Edge",
        domain_names=[domain],
        certificate=acm.Certificate.from_certificate_arn(stack, "Cert", arn),
        web_acl_arn=acl,
    )


def test_wrong_types_are_reported_with_the_other_problems() -> None:
    """Type problems do not stop the other checks (before the audit the first one crashed)."""
    with pytest.raises(PatternValidationError) as info:
        _edge(
            new_stack(),
            "Edge",
            static_paths="/static/*",  # type: ignore[arg-type]
            default_root_object=5,  # type: ignore[arg-type]
            log_expiration=Duration.hours(36),
            geo_allow=["us"],
        )
    assert len(info.value.problems) == 4, info.value.problems
