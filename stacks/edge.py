"""Example stacks of EdgeDistribution: a static site, and CloudFront in front of S3 + a web tier.

Neither example has a custom domain (it would need a hosted zone and a us-east-1 certificate
that a region-agnostic example cannot create) nor a WAF web ACL (created only in us-east-1), so
both opt in explicitly to the default ``*.cloudfront.net`` certificate and to running without a
web ACL (:data:`EXAMPLE_OPT_INS`); EdgeDistribution acknowledges exactly those findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from patterns.core.monitoring import create_alarm_topic
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

#: What a region-agnostic example cannot have, each an explicit opt-in of EdgeDistribution
#: (which acknowledges the one finding each causes): a custom domain with a us-east-1
#: certificate, and a CLOUDFRONT-scope web ACL (created only in us-east-1).
EXAMPLE_OPT_INS: dict[str, Any] = {
    "allow_default_certificate": True,
    "allow_without_web_acl": True,
}


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
            **EXAMPLE_OPT_INS,
        )
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
            **EXAMPLE_OPT_INS,
        )
        cdk.CfnOutput(self, "Url", value=f"https://{self.edge.domain_name}")
        cdk.CfnOutput(self, "DistributionId", value=self.edge.distribution.distribution_id)
        cdk.CfnOutput(self, "LoadBalancerDnsName", value=self.web.load_balancer_dns_name)


EXAMPLES = {
    "EdgeStaticSiteExample": EdgeStaticSiteExampleStack,
    "EdgeExample": EdgeExampleStack,
}
