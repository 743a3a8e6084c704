"""The prop rules of :class:`~patterns.data_tier.DaxCache`, one function per prop group.

The same rules check the :class:`~patterns.data_tier.DaxOptions` of a
:class:`~patterns.data_tier.ScalableTable` (:func:`options`): their props then start with
``cache.`` and the table reports them with its own problems. Each rule records its problems
on the validator it is given and never raises.
"""

from __future__ import annotations

import re

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2

from patterns.core.validation import Validator, is_unresolved
from patterns.data_tier.dax.options import (
    DAX_NODE_TYPES,
    MAX_REPLICATION_FACTOR,
    MIN_REPLICATION_FACTOR,
    DaxOptions,
)
from patterns.data_tier.limits import TABLE_NAME

__all__ = [
    "MIN_MAINTENANCE_MINUTES",
    "cluster",
    "cpu_alarm_percent",
    "index_names",
    "network",
    "options",
    "ttls",
]

#: DAX cluster names: 1-20 letters, digits or hyphens, starting with a letter, no "--", no
#: trailing hyphen.
_CLUSTER_NAME = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,19}(?<!-)$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = f"({'|'.join(_DAYS)})"
#: DAX CreateCluster PreferredMaintenanceWindow: "The minimum maintenance window is a 60
#: minute period."
MIN_MAINTENANCE_MINUTES = 60
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]"
_WINDOW = re.compile(rf"^{_DAY}:{_TIME}-{_DAY}:{_TIME}$")


def cluster(
    v: Validator,
    *,
    node_type: object,
    replication_factor: object,
    maintenance_window: object,
    cluster_name: object,
    prefix: str = "",
) -> None:
    """A DAX node type, 1..10 nodes, a weekly window of at least an hour, a valid name."""
    v.one_of(f"{prefix}node_type", node_type, DAX_NODE_TYPES)
    v.number_in_range(
        f"{prefix}replication_factor",
        replication_factor,  # type: ignore[arg-type]
        minimum=MIN_REPLICATION_FACTOR,
        maximum=MAX_REPLICATION_FACTOR,
        integer=True,
    )
    _maintenance_window(v, f"{prefix}maintenance_window", maintenance_window)
    if v.text(f"{prefix}cluster_name", cluster_name):
        assert isinstance(cluster_name, str)
        v.require(
            bool(_CLUSTER_NAME.match(cluster_name)),
            f"{prefix}cluster_name",
            "must be 1-20 letters, digits or hyphens, start with a letter, with no "
            f"'--' and no trailing hyphen, got {cluster_name!r}",
        )


def _maintenance_window(v: Validator, prop: str, window: object) -> None:
    if not v.text(prop, window):
        return
    assert isinstance(window, str)
    if not _WINDOW.match(window):
        v.add(prop, f"must be ddd:hh24:mi-ddd:hh24:mi (e.g. sun:05:00-sun:06:00), got {window!r}")
    elif _window_minutes(window) < MIN_MAINTENANCE_MINUTES:
        v.add(
            prop,
            f"must be at least {MIN_MAINTENANCE_MINUTES} minutes long (DAX CreateCluster), "
            f"got {_window_minutes(window)} minutes in {window!r}",
        )


def _window_minutes(window: str) -> int:
    """Length of a ``ddd:hh24:mi-ddd:hh24:mi`` weekly window in minutes (0 for an empty one)."""

    def minute_of_week(part: str) -> int:
        day, hour, minute = part.split(":")
        return _DAYS.index(day) * 1_440 + int(hour) * 60 + int(minute)

    start, end = window.split("-")
    return (minute_of_week(end) - minute_of_week(start)) % (7 * 1_440)


def ttls(v: Validator, *, item_ttl: object, query_ttl: object, prefix: str = "") -> None:
    """Cache TTLs: durations of at least 0, in whole milliseconds (the parameter group's unit)."""
    for prop, ttl in ((f"{prefix}item_ttl", item_ttl), (f"{prefix}query_ttl", query_ttl)):
        v.duration_in_range(prop, ttl, minimum=Duration.seconds(0))  # type: ignore[arg-type]
        if isinstance(ttl, Duration) and not ttl.is_unresolved():
            v.require(
                float(ttl.to_milliseconds(integral=False)).is_integer(),
                prop,
                "must be a whole number of milliseconds",
            )


def network(v: Validator, *, vpc: object, vpc_subnets: object, prefix: str = "") -> None:
    """A VPC and a subnet selection, which needs the VPC it selects from."""
    v.instance_of(
        f"{prefix}vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection"
    )
    if vpc_subnets is not None and vpc is None:
        v.add(f"{prefix}vpc_subnets", "needs vpc (a created VPC has only the cache's subnets)")
    v.implements(f"{prefix}vpc", vpc, "vpc_id", what="an ec2.IVpc")


def cpu_alarm_percent(v: Validator, value: object, prefix: str = "") -> None:
    """1..100 %."""
    v.number_in_range(
        f"{prefix}cpu_alarm_percent",
        value,  # type: ignore[arg-type]
        minimum=1,
        maximum=100,
        unit="%",
    )


def index_names(v: Validator, names: object) -> None:
    """A list or tuple of DynamoDB index names (``None`` is skipped: the base reports it)."""
    if names is None or not v.sequence_of("index_names", names, str):
        return
    assert isinstance(names, list | tuple)
    for name in names:
        if not is_unresolved(name) and not TABLE_NAME.match(name):
            v.add(
                "index_names",
                f"must hold index names (3-255 letters, digits, '_', '-' or '.'), got {name!r}",
            )


def options(v: Validator, prop: str, value: object) -> None:
    """A :class:`DaxOptions` given as ``prop`` (``cache``): every field by the rules above."""
    if not isinstance(value, DaxOptions):
        v.add(prop, f"must be a DaxOptions, got {type(value).__name__}")
        return
    prefix = f"{prop}."
    cluster(
        v,
        node_type=value.node_type,
        replication_factor=value.replication_factor,
        maintenance_window=value.maintenance_window,
        cluster_name=value.cluster_name,
        prefix=prefix,
    )
    ttls(v, item_ttl=value.item_ttl, query_ttl=value.query_ttl, prefix=prefix)
    cpu_alarm_percent(v, value.cpu_alarm_percent, prefix=prefix)
    network(v, vpc=value.vpc, vpc_subnets=value.vpc_subnets, prefix=prefix)
    v.instance_of(
        f"{prefix}removal_policy", value.removal_policy, RemovalPolicy, what="a RemovalPolicy"
    )
