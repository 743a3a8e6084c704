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
from patterns.edge import EdgeDistribution

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


EXAMPLES = {
    "EdgeStaticSiteExample": EdgeStaticSiteExampleStack,
}
