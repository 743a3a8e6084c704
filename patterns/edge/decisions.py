"""The security decisions of :class:`~patterns.edge.EdgeDistribution` that only its user can
make, and the cdk-nag acknowledgement each explicit opt-in carries.

The secure choice needs no opt-in: a custom domain with a us-east-1 certificate (viewers need
TLS 1.2+), a geo restriction, a WAF web ACL, HTTPS to the HTTP origin. Leaving one out is a
:class:`~patterns.core.validation.PatternValidationError` unless its opt-in prop says so, and
only that opt-in acknowledges the one finding it causes, on the distribution:

=============================  ===========================  =================================
opt-in                          instead of                   acknowledges
=============================  ===========================  =================================
``allow_default_certificate``   ``domain_names`` +           ``AwsSolutions-CFR4``
                                ``certificate``
``allow_all_countries``         ``geo_allow`` / ``geo_deny``  ``AwsSolutions-CFR1``
``allow_without_web_acl``       ``web_acl_arn``              ``AwsSolutions-CFR2``
``HttpOriginOptions(            ``domain_name`` (HTTPS)      ``AwsSolutions-CFR5``
protocol="http")``
=============================  ===========================  =================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront

from patterns.core.nag import acknowledge
from patterns.core.validation import Validator

__all__ = ["Decisions", "acknowledge_decisions", "check_decisions"]

DEFAULT_CERTIFICATE_REASON = (
    "allow_default_certificate=True: the user chose to serve only the distribution's "
    "*.cloudfront.net name, with CloudFront's default certificate, whose minimum viewer protocol "
    "CloudFront fixes at TLSv1 and lets nobody raise. Every behavior still redirects HTTP to "
    "HTTPS; with domain_names and a us-east-1 certificate the pattern enforces TLSv1.2_2021."
)
ALL_COUNTRIES_REASON = (
    "allow_all_countries=True: the user chose to serve viewers in every country, the content "
    "being meant for a worldwide audience; geo_allow or geo_deny restrict it by ISO 3166-1 "
    "country code."
)
NO_WEB_ACL_REASON = (
    "allow_without_web_acl=True: the user chose to run this distribution without an AWS WAF web "
    "ACL (a CLOUDFRONT-scope ACL can only be created in us-east-1, and this construct does not "
    "create one); the security headers policy, origin access control and the origin-verify "
    "header still apply. web_acl_arn attaches one."
)
HTTP_ORIGIN_REASON = (
    "HttpOriginOptions(protocol='http'): the user chose plain HTTP between CloudFront and the "
    "origin (it has no certificate for a name CloudFront can verify). Viewers still use HTTPS; "
    "the origin should admit only CloudFront's origin-facing prefix list and the secret "
    "origin-verify header. A domain_name the origin's certificate covers makes it HTTPS-only "
    "with TLS 1.2."
)


@dataclass(frozen=True)
class Decisions:
    """The opt-ins of ``EdgeDistribution`` as given (see :mod:`patterns.edge.decisions`)."""

    allow_default_certificate: bool
    allow_all_countries: bool
    allow_without_web_acl: bool


def check_decisions(
    v: Validator,
    d: Decisions,
    certificate: acm.ICertificate | None,
    geo_lists: Sequence[Sequence[str]],
    web_acl_arn: str | None,
) -> None:
    """Each decision made exactly once: the secure setting or its opt-in, not neither, not
    both."""
    v.boolean("allow_default_certificate", d.allow_default_certificate)
    v.boolean("allow_all_countries", d.allow_all_countries)
    v.boolean("allow_without_web_acl", d.allow_without_web_acl)
    restricted = any(bool(codes) for codes in geo_lists)  # None: reported by the base
    for opted_in, secure, prop, secure_prop, needs in (
        (
            d.allow_default_certificate,
            certificate is not None,
            "allow_default_certificate",
            "certificate",
            "is required (with domain_names) for viewer TLS 1.2+: CloudFront's default "
            "*.cloudfront.net certificate allows TLSv1; or pass allow_default_certificate=True "
            "to serve only the *.cloudfront.net name",
        ),
        (
            d.allow_all_countries,
            restricted,
            "allow_all_countries",
            "geo_allow or geo_deny",
            "is required (ISO 3166-1 country codes); or pass "
            "allow_all_countries=True to serve every country",
        ),
        (
            d.allow_without_web_acl,
            web_acl_arn is not None,
            "allow_without_web_acl",
            "web_acl_arn",
            "is required (a WAFv2 web ACL of scope CLOUDFRONT, from us-east-1); or pass "
            "allow_without_web_acl=True to run without one",
        ),
    ):
        if opted_in is True and secure:
            v.add(prop, f"cannot be combined with {secure_prop}, which is given")
        elif opted_in is False and not secure:
            v.add(secure_prop, needs)


def acknowledge_decisions(
    distribution: cloudfront.Distribution, d: Decisions, origin_protocol: str | None
) -> None:
    """The acknowledgement of each opt-in given, on the distribution only; ``origin_protocol``
    ``"http"`` is ``HttpOriginOptions(protocol="http")``."""
    for opted_in, rule, reason in (
        (d.allow_default_certificate, "AwsSolutions-CFR4", DEFAULT_CERTIFICATE_REASON),
        (d.allow_all_countries, "AwsSolutions-CFR1", ALL_COUNTRIES_REASON),
        (d.allow_without_web_acl, "AwsSolutions-CFR2", NO_WEB_ACL_REASON),
        (origin_protocol == "http", "AwsSolutions-CFR5", HTTP_ORIGIN_REASON),
    ):
        if opted_in:
            acknowledge(distribution, f"AwsSolutions::{rule}", reason)
