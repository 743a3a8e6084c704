"""Edge delivery: :class:`EdgeDistribution` (CloudFront in front of an S3 bucket and an HTTP
origin), its option types, :func:`origin_verify_secret` and
:class:`CloudFrontOriginFacingPrefixList`."""

from patterns.edge.construct import EdgeDistribution
from patterns.edge.countries import ISO_3166_ALPHA2
from patterns.edge.options import DynamicBehavior, HttpOriginOptions
from patterns.edge.origins import origin_verify_secret
from patterns.edge.prefix_list import (
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
    CloudFrontOriginFacingPrefixList,
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
