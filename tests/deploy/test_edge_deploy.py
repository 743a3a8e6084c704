"""EdgeDistribution deployed: the static site's BucketDeployment put the shipped files into the
private bucket (the deployment custom resource is emulated in the emulator (emulator/services/)).

CloudFront is control plane only in the emulator (moto 5.2.5 does not create distributions
from a template; the handler records them), so caching, OAC, geo restriction and the
invalidation are for ``cdk deploy`` to a real account."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.server import Emulator
from stacks.edge import SITE_ASSETS
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy


def test_the_site_content_is_deployed_to_the_private_bucket(
    deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed("EdgeStaticSiteExample")
    s3 = emulator.client("s3")
    bucket = stack.outputs["StaticBucketName"]
    shipped = {
        path.relative_to(SITE_ASSETS).as_posix(): path.read_bytes()
        for path in Path(SITE_ASSETS).rglob("*")
        if path.is_file()
    }
    assert {"index.html", "404.html", "static/site.css"} <= set(shipped)

    objects = s3.list_objects_v2(Bucket=bucket).get("Contents", [])

    assert {o["Key"] for o in objects} == set(shipped)
    for key, body in shipped.items():
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body, key
    # private: no public access, no website hosting (CloudFront reads it through OAC)
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    assert stack.outputs["DistributionDomainName"].endswith(".cloudfront.net")
