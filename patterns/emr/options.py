"""The option types of the EMR patterns: instance groups and fleets, managed scaling, steps.

Frozen value objects the user passes to :class:`~patterns.emr.EmrCluster` and
:class:`~patterns.emr.TransientEmrWorkflow`; they are checked by :mod:`patterns.emr.validate`
and turned into CloudFormation / Step Functions shapes by :mod:`patterns.emr.instances` and
:mod:`patterns.emr.steps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ACTIONS_ON_FAILURE",
    "ALLOWED_APPLICATIONS",
    "DEFAULT_APPLICATIONS",
    "DEFAULT_CORE",
    "DEFAULT_PRIMARY",
    "DEFAULT_RELEASE_LABEL",
    "EmrStep",
    "InstanceFleet",
    "InstanceGroup",
    "Instances",
    "ManagedScaling",
]

#: A current EMR 7.x release (https://docs.aws.amazon.com/emr/latest/ReleaseGuide/).
DEFAULT_RELEASE_LABEL = "emr-7.12.0"
#: Applications the patterns install (EMR names). Presto and Trino exclude each other.
ALLOWED_APPLICATIONS: tuple[str, ...] = (
    "Flink",
    "Hadoop",
    "HBase",
    "HCatalog",
    "Hive",
    "Hue",
    "JupyterEnterpriseGateway",
    "Livy",
    "Phoenix",
    "Pig",
    "Presto",
    "Spark",
    "Tez",
    "Trino",
    "ZooKeeper",
)
DEFAULT_APPLICATIONS: tuple[str, ...] = ("Hadoop", "Spark", "Hive")
#: What EMR does when a step fails (``EmrStep.action_on_failure``).
ACTIONS_ON_FAILURE = ("CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER")


@dataclass(frozen=True)
class InstanceGroup:
    """One instance group (primary, core or task) of a cluster.

    Attributes:
        instance_type: EC2 instance type. Default ``m7g.xlarge`` (Graviton3).
        count: instances. Default 1. The primary group has 1 or 3 (high availability).
        spot: Spot instances (task groups: cheap elastic capacity; core groups risk HDFS data
            and primary groups the whole cluster, so both are warned about). Default False.
        ebs_gib: gp3 volume per instance in GiB (1-16,384). Default 64.
    """

    instance_type: str = "m7g.xlarge"
    count: int = 1
    spot: bool = False
    ebs_gib: int = 64


@dataclass(frozen=True)
class InstanceFleet:
    """One instance fleet (primary, core or task): several types, On-Demand and Spot capacity.

    Spot capacity uses the price-capacity-optimized allocation strategy and switches to
    On-Demand after 10 minutes without Spot capacity; more instance types give Spot more
    pools to draw from.

    Attributes:
        instance_types: 1-30 EC2 instance types, each weighted 1 unit.
        on_demand_units: On-Demand target capacity (units). Default 0.
        spot_units: Spot target capacity (units). Default 0. The primary fleet has exactly one
            unit in total.
        ebs_gib: gp3 volume per instance in GiB (1-16,384). Default 64.
    """

    instance_types: Sequence[str]
    on_demand_units: int = 0
    spot_units: int = 0
    ebs_gib: int = 64


#: The capacity of one role (primary, core, task): all groups or all fleets in a cluster.
Instances = InstanceGroup | InstanceFleet
#: The default primary (one ``m7g.xlarge``) and core (two) capacity of both patterns.
DEFAULT_PRIMARY = InstanceGroup()
DEFAULT_CORE = InstanceGroup(count=2)


@dataclass(frozen=True)
class ManagedScaling:
    """Managed scaling limits, in instances (groups) or fleet units (fleets).

    Attributes:
        minimum: the cluster never shrinks below this (>= 1).
        maximum: the cluster never grows beyond this (>= ``minimum``).
        maximum_on_demand: at most this much On-Demand capacity; above it, managed scaling
            adds Spot capacity. Default: ``maximum`` (all On-Demand allowed).
        maximum_core: at most this much core capacity; above it, managed scaling adds task
            capacity (no HDFS, safe to remove). Default: ``maximum``.
    """

    minimum: int
    maximum: int
    maximum_on_demand: int | None = None
    maximum_core: int | None = None


@dataclass(frozen=True)
class EmrStep:
    """One step: a command run by ``command-runner.jar`` (``spark-submit ...``) or a JAR.

    Attributes:
        name: 1-80 letters, digits, spaces, ``-`` or ``_``, starting with a letter.
        args: the command and its arguments (``["spark-submit", "s3://.../job.py"]``).
        jar: the JAR to run. Default ``command-runner.jar``.
        action_on_failure: ``CONTINUE`` (default), ``CANCEL_AND_WAIT`` or
            ``TERMINATE_CLUSTER``.
    """

    name: str
    args: Sequence[str]
    jar: str = "command-runner.jar"
    action_on_failure: str = "CONTINUE"

    @classmethod
    def spark(
        cls,
        name: str,
        script: str,
        args: Sequence[str] = (),
        *,
        action_on_failure: str = "CONTINUE",
    ) -> EmrStep:
        """A ``spark-submit --deploy-mode cluster <script> <args>`` step."""
        return cls(
            name=name,
            args=["spark-submit", "--deploy-mode", "cluster", script, *args],
            action_on_failure=action_on_failure,
        )
