"""Example stacks of EdgeDistribution: a static site, and CloudFront in front of S3 + a web tier.

Neither example has a custom domain (it would need a hosted zone and a us-east-1 certificate
that a region-agnostic example cannot create), so both serve the default
``*.cloudfront.net`` certificate; see the acknowledgements below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from patterns.core.monitoring import create_alarm_topic
from patterns.core.nag import acknowledge
from patterns.edge import (
    CloudFrontOriginFacingPrefixList,
    DynamicBehavior,
    EdgeDistribution,
    HttpOriginOptions,
    origin_verify_secret,
)
from patterns.web_tier import Capacity, ScalableWebTier, TargetTracking

#: A small static site shipped with the examples (index, 404 page, a stylesheet).
SITE_ASSETS = Path(__file__).resolve().parent / "assets" / "site"

DEFAULT_CERTIFICATE_REASON = (
    "The example has no custom domain, so CloudFront serves its default *.cloudfront.net "
    "certificate, whose minimum viewer protocol CloudFront fixes at TLSv1 and does not let "
    "anyone change. With domain_names and a us-east-1 certificate the pattern enforces "
    "TLSv1.2_2021."
)
NO_WAF_REASON = (
    "A CloudFront web ACL (WAFv2 scope CLOUDFRONT) can only be created in us-east-1 and this "
    "example stack is region-agnostic; production stacks pass web_acl_arn of an ACL from a "
    "us-east-1 stack. Geo restriction, the security headers policy and origin access control "
    "still apply."
)

HTTP_ORIGIN_REASON = (
    "The example load balancer has no certificate (a region-agnostic example owns no domain), "
    "so CloudFront reaches it over HTTP; the ALB admits only CloudFront's origin-facing prefix "
    "list and requests carrying the secret header. Production: a certificate on the ALB and "
    "HttpOriginOptions.domain_name, which makes the origin HTTPS-only with TLS 1.2."
)


def acknowledge_example_edge(edge: EdgeDistribution) -> None:
    """The two findings every example without a custom domain and WAF has, on the distribution."""
    acknowledge(edge.distribution, "AwsSolutions::AwsSolutions-CFR4", DEFAULT_CERTIFICATE_REASON)
    acknowledge(edge.distribution, "AwsSolutions::AwsSolutions-CFR2", NO_WAF_REASON)


class EdgeStaticSiteExampleStack(cdk.Stack):
    """CloudFront -> private S3 bucket (OAC) with a geo allow list, deployed content and logs."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        self.edge = EdgeDistribution(
            self,
            "Site",
            content=[s3deploy.Source.asset(str(SITE_ASSETS))],
            invalidation_paths=["/index.html", "/404.html", "/static/*"],
            error_page="/404.html",
            geo_allow=["AT", "BE", "CH", "DE", "FR", "LU", "NL"],
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        acknowledge_example_edge(self.edge)
        assert self.edge.static_bucket is not None
        cdk.CfnOutput(self, "DistributionDomainName", value=self.edge.domain_name)
        cdk.CfnOutput(self, "DistributionId", value=self.edge.distribution.distribution_id)
        cdk.CfnOutput(self, "StaticBucketName", value=self.edge.static_bucket.bucket_name)


#: AL2023 user data: nginx answers the health check and /api/ (a stand-in for the app).
API_USER_DATA = (
    "dnf install -y nginx",
    "mkdir -p /usr/share/nginx/html/api",
    "echo ok > /usr/share/nginx/html/healthz",
    'echo \'{"status": "ok"}\' > /usr/share/nginx/html/api/status',
    "systemctl enable --now nginx",
)


class EdgeExampleStack(cdk.Stack):
    """CloudFront -> S3 (the site, ``/static/*``) + ALB -> ASG (``/api/*``).

    The load balancer admits only CloudFront: its security group allows just the origin-facing
    managed prefix list (looked up at deploy time), and its listener answers 403 unless the
    request carries the secret ``X-Origin-Verify`` header that only the distribution sends.
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        origin_secret = origin_verify_secret(self, "OriginVerify")
        cloudfront_addresses = CloudFrontOriginFacingPrefixList(self, "CloudFrontPrefixList")
        self.web = ScalableWebTier(
            self,
            "Web",
            capacity=Capacity(min_capacity=2, max_capacity=6),
            # No certificate in a region-agnostic example: CloudFront reaches the ALB over
            # HTTP. Production: a certificate on the ALB and HttpOriginOptions.domain_name.
            allow_plain_http=True,
            allow_from_cloudfront_only=True,
            cloudfront_prefix_list_id=cloudfront_addresses.prefix_list_id,
            cloudfront_origin_secret=origin_secret,
            health_check_path="/healthz",
            target_tracking=[TargetTracking.cpu(50)],
            alarm_topic=alarm_topic,
        )
        self.web.user_data.add_commands(*API_USER_DATA)
        self.edge = EdgeDistribution(
            self,
            "Edge",
            static_paths=["/static/*"],
            content=[s3deploy.Source.asset(str(SITE_ASSETS))],
            http_origin=HttpOriginOptions(
                load_balancer=self.web.load_balancer,
                protocol=self.web.origin_protocol,
                http_port=self.web.origin_port,
                verify_secret=origin_secret,
            ),
            dynamic_behaviors=[
                DynamicBehavior(
                    "/api/*",
                    cookies=("session",),
                    headers=("Authorization",),
                    query_strings=("q", "page"),
                    origin_headers=("CloudFront-Viewer-Country",),
                )
            ],
            geo_deny=["KP"],
            alarm_topic=alarm_topic,
        )
        acknowledge_example_edge(self.edge)
        acknowledge(self.edge.distribution, "AwsSolutions::AwsSolutions-CFR5", HTTP_ORIGIN_REASON)
        cdk.Annotations.of(self.edge).acknowledge_warning(
            "scalable-patterns:edge:http-origin", HTTP_ORIGIN_REASON
        )
        cdk.CfnOutput(self, "Url", value=f"https://{self.edge.domain_name}")
        cdk.CfnOutput(self, "DistributionId", value=self.edge.distribution.distribution_id)
        cdk.CfnOutput(self, "LoadBalancerDnsName", value=self.web.load_balancer_dns_name)


EXAMPLES = {
    "EdgeStaticSiteExample": EdgeStaticSiteExampleStack,
    "EdgeExample": EdgeExampleStack,
}
