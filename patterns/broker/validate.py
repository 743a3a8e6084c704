"""The prop rules of :class:`~patterns.broker.MessageBroker`, one function per prop group.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from aws_cdk import aws_ec2 as ec2

from patterns.broker.engines import (
    DEFAULT_INSTANCE_TYPE,
    INSTANCE_FAMILIES,
    SUPPORTED_VERSIONS,
    deployment_mode,
)
from patterns.broker.network import pick_subnets
from patterns.broker.options import MaintenanceWindow
from patterns.core.validation import Validator, is_unresolved

__all__ = [
    "customer_key",
    "engine",
    "given_subnets",
    "maintenance_window",
    "names",
    "network",
    "version_and_instance_type",
]

_BROKER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,50}$")
_USERNAME = re.compile(r"^[A-Za-z0-9_.~-]{2,100}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
#: MaintenanceWindow.TimeZone: "UTC by default, in either the Country/City format, or the UTC
#: offset format" (Amazon MQ API reference, WeeklyStartTime). An offset: ``+05:30``, ``UTC-3``.
_UTC_OFFSET = re.compile(r"^(UTC|GMT)?[+-](0?\d|1[0-4])(:?[0-5]\d)?$")


def engine(v: Validator, *, engine: str, dev_single_instance: bool) -> bool:
    """A supported engine; ``dev_single_instance`` a bool. True if both are valid (the
    deployment mode is known)."""
    v.one_of("engine", engine, SUPPORTED_VERSIONS)
    if not isinstance(dev_single_instance, bool):
        v.add("dev_single_instance", f"must be True or False, got {dev_single_instance!r}")
    return engine in SUPPORTED_VERSIONS and isinstance(dev_single_instance, bool)


def network(v: Validator, *, vpc: object, vpc_subnets: object) -> bool:
    """``vpc`` is an ``ec2.IVpc``, ``vpc_subnets`` an ``ec2.SubnetSelection``. True if a
    ``vpc`` is given and both are valid (its subnets can be checked)."""
    v.implements("vpc", vpc, "select_subnets", what="an ec2.IVpc")
    selection_ok = vpc_subnets is None or v.instance_of(
        "vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
    )
    return hasattr(vpc, "select_subnets") and selection_ok


def given_subnets(
    v: Validator,
    *,
    vpc: ec2.IVpc,
    vpc_subnets: ec2.SubnetSelection | None,
    engine: str,
    dev_single_instance: bool,
) -> None:
    """A given VPC has the private subnets the deployment mode needs (a created VPC always
    has them)."""
    pick_subnets(v, vpc, vpc_subnets, deployment_mode(engine, dev_single_instance))


def version_and_instance_type(
    v: Validator,
    *,
    engine: str,
    engine_version: str | None,
    instance_type: str | None,
    dev_single_instance: bool,
) -> bool:
    """A version Amazon MQ supports for ``engine``, and an instance type of its families that
    runs the deployment mode and the version. True if both are strings (or None)."""
    # strings (or string tokens); anything else is reported and not checked further
    v.text("engine_version", engine_version)
    v.text("instance_type", instance_type)
    version_ok = engine_version is None or isinstance(engine_version, str)
    type_ok = instance_type is None or isinstance(instance_type, str)
    if engine not in SUPPORTED_VERSIONS:
        return version_ok and type_ok
    versions = SUPPORTED_VERSIONS[engine]
    if (
        version_ok
        and engine_version is not None
        and not is_unresolved(engine_version)
        and engine_version not in versions
    ):
        v.add(
            "engine_version",
            f"must be a {engine} version Amazon MQ supports "
            f"({', '.join(versions)}), got {engine_version!r}",
        )
    if type_ok:
        _instance_type(
            v,
            engine=engine,
            version=(engine_version if version_ok else None) or versions[0],
            instance_type=instance_type or DEFAULT_INSTANCE_TYPE[engine],
            dev_single_instance=dev_single_instance,
        )
    return version_ok and type_ok


def _instance_type(
    v: Validator, *, engine: str, version: str, instance_type: str, dev_single_instance: bool
) -> None:
    """The chosen (or default) instance type: of the engine's families, mq.t3.micro only
    single-instance, mq.m7g for RabbitMQ 4.x."""
    if is_unresolved(instance_type):
        return
    families = INSTANCE_FAMILIES[engine]
    if not any(
        instance_type == f or (f.endswith(".") and instance_type.startswith(f)) for f in families
    ):
        v.add(
            "instance_type",
            f"must be one of the {engine} instance types "
            f"({', '.join(f + '*' if f.endswith('.') else f for f in families)}), "
            f"got {instance_type!r}",
        )
    elif instance_type == "mq.t3.micro" and not dev_single_instance:
        v.add(
            "instance_type",
            "mq.t3.micro runs single-instance brokers only; pass "
            "dev_single_instance=True (development) or a larger type",
        )
    if (
        engine == "RABBITMQ"
        and version.startswith("4.")
        and not instance_type.startswith("mq.m7g.")
    ):
        v.add(
            "instance_type",
            f"must be an mq.m7g type for RabbitMQ {version}, got {instance_type!r}",
        )


def customer_key(v: Validator, *, engine: str, encryption_key: object) -> None:
    """RabbitMQ takes no customer-managed key."""
    if engine == "RABBITMQ" and encryption_key is not None:
        v.add(
            "encryption_key",
            "applies to ActiveMQ only: Amazon MQ encrypts RabbitMQ brokers with an AWS "
            "owned key and accepts no customer key",
        )


def names(v: Validator, *, username: str, broker_name: str | None) -> None:
    """The administrator's user name (not ``guest``) and the broker's physical name."""
    if v.text("username", username):
        if not _USERNAME.match(username):
            v.add(
                "username",
                f"must be 2-100 letters, digits, '_', '.', '~' or '-', got {username!r}",
            )
        elif username == "guest":
            v.add("username", "must not be 'guest' (RabbitMQ's reserved user)")
    if v.text("broker_name", broker_name) and not _BROKER_NAME.match(str(broker_name)):
        v.add("broker_name", f"must be 1-50 letters, digits, '-' or '_', got {broker_name!r}")


def maintenance_window(v: Validator, window: object) -> None:
    """A :class:`MaintenanceWindow` with a weekday, an ``HH:MM`` time and a time zone."""
    if not isinstance(window, MaintenanceWindow):
        v.add("maintenance_window", f"must be a MaintenanceWindow, got {window!r}")
        return
    if v.text("maintenance_window.day_of_week", window.day_of_week):
        v.one_of("maintenance_window.day_of_week", window.day_of_week.upper(), _DAYS)
    if v.text("maintenance_window.time_of_day", window.time_of_day) and not _TIME.match(
        window.time_of_day
    ):
        v.add(
            "maintenance_window.time_of_day",
            f"must be HH:MM (24-hour), got {window.time_of_day!r}",
        )
    zone = window.time_zone
    if (
        v.text("maintenance_window.time_zone", zone)
        and len(_time_zones()) > 1  # no tz database installed: cannot check names
        and zone not in _time_zones()
        and not _UTC_OFFSET.match(zone)
    ):
        v.add(
            "maintenance_window.time_zone",
            "must be 'UTC', a Country/City time zone ('Europe/Berlin') or a UTC offset "
            f"('+02:00'), got {zone!r}",
        )


@cache
def _time_zones() -> frozenset[str]:
    """IANA time zone names (plus UTC), from the system or the tzdata package."""
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}
