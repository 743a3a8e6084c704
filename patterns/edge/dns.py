"""The custom domain names: their normal form and their Route 53 alias records."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Token
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from constructs import Construct

from patterns.core.ids import pascal
from patterns.core.validation import is_unresolved

__all__ = ["alias_records", "normalise_domains"]

#: Domain names become construct ids by their letters and digits (``www.example.com``).
DOMAIN_SEPARATORS = r"[^A-Za-z0-9]+"


def normalise_domains(domain_names: Sequence[str]) -> list[str]:
    """``WWW.Example.com.`` -> ``www.example.com``; tokens (and wrong types, which the
    validation reports) as they are."""
    return [
        d.lower().rstrip(".") if isinstance(d, str) and not is_unresolved(d) else d
        for d in domain_names
    ]


def alias_records(
    scope: Construct,
    *,
    zone: route53.IHostedZone,
    domain_names: Sequence[str],
    distribution: cloudfront.IDistribution,
) -> dict[str, list[route53.RecordSet]]:
    """An A and an AAAA alias record to ``distribution`` for each domain name in ``zone``
    (``<Domain>AliasA``/``<Domain>AliasAaaa``; ``Apex`` for the zone's own name)."""
    zone_name = None if Token.is_unresolved(zone.zone_name) else zone.zone_name.rstrip(".")
    target = route53.RecordTarget.from_alias(route53_targets.CloudFrontTarget(distribution))
    records: dict[str, list[route53.RecordSet]] = {}
    for domain in domain_names:
        record_id = _domain_id(domain, zone_name)
        records[domain] = [
            route53.ARecord(
                scope, f"{record_id}AliasA", zone=zone, record_name=domain, target=target
            ),
            route53.AaaaRecord(
                scope, f"{record_id}AliasAaaa", zone=zone, record_name=domain, target=target
            ),
        ]
    return records


def _domain_id(domain: str, zone_name: str | None) -> str:
    if zone_name is not None and domain == zone_name:
        return "Apex"
    return pascal(domain.replace("*", "wildcard"), DOMAIN_SEPARATORS)
