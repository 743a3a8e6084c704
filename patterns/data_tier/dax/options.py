"""The cache options of a :class:`~patterns.data_tier.ScalableTable` (``cache=...``) and the
limits of a DAX cluster."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2

from patterns.core.deferred import deferred
from patterns.core.monitoring import AlarmOverride

__all__ = [
    "DAX_NODE_TYPES",
    "MAX_REPLICATION_FACTOR",
    "MIN_REPLICATION_FACTOR",
    "RECOMMENDED_REPLICATION_FACTOR",
    "DaxOptions",
    "cache_props",
]

#: Node types DAX offers (the t2/r4 generations are legacy; prefer t3/r5).
DAX_NODE_TYPES = (
    "dax.t3.small",
    "dax.t3.medium",
    "dax.t2.small",
    "dax.t2.medium",
    "dax.r5.large",
    "dax.r5.xlarge",
    "dax.r5.2xlarge",
    "dax.r5.4xlarge",
    "dax.r5.8xlarge",
    "dax.r5.12xlarge",
    "dax.r5.16xlarge",
    "dax.r5.24xlarge",
    "dax.r4.large",
    "dax.r4.xlarge",
    "dax.r4.2xlarge",
    "dax.r4.4xlarge",
    "dax.r4.8xlarge",
    "dax.r4.16xlarge",
)
MIN_REPLICATION_FACTOR = 1
MAX_REPLICATION_FACTOR = 10
#: Below this, losing one node (or one AZ) loses the cache.
RECOMMENDED_REPLICATION_FACTOR = 3


_DEFAULT_ITEM_TTL = deferred(Duration, "minutes", 5)
_DEFAULT_QUERY_TTL = deferred(Duration, "minutes", 5)


@dataclass(frozen=True)
class DaxOptions:
    """The cache of a :class:`~patterns.data_tier.ScalableTable` (``cache=...``).

    The fields are the optional props of :class:`~patterns.data_tier.DaxCache`, with the same
    defaults - but ``removal_policy``, which defaults to the table's.
    """

    vpc: ec2.IVpc | None = None
    vpc_subnets: ec2.SubnetSelection | None = None
    node_type: str = "dax.t3.small"
    replication_factor: int = RECOMMENDED_REPLICATION_FACTOR
    item_ttl: Duration = _DEFAULT_ITEM_TTL
    query_ttl: Duration = _DEFAULT_QUERY_TTL
    maintenance_window: str | None = None
    cluster_name: str | None = None
    cpu_alarm_percent: float = 80
    #: Of the flow log group of a created VPC. Default: the table's removal policy.
    removal_policy: RemovalPolicy | None = None
    #: The cache's alarms (``CpuUtilization``, ``ErrorRequestCount``,
    #: ``ThrottledRequestCount``) switched off or tuned. Default: as the cache defines them.
    alarm_overrides: Mapping[str, AlarmOverride | None] | None = None


def cache_props(options: DaxOptions, *, removal_policy: RemovalPolicy) -> dict[str, Any]:
    """The :class:`~patterns.data_tier.DaxCache` keyword arguments of ``options`` (by field,
    without copying the VPC and subnet objects as ``dataclasses.asdict`` would); the table's
    ``removal_policy`` unless the options set one."""
    props = {f.name: getattr(options, f.name) for f in fields(options)}
    if props["removal_policy"] is None:
        props["removal_policy"] = removal_policy
    return props
