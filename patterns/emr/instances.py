"""A cluster's capacity: instance groups or fleets and managed scaling, in both shapes.

:class:`ClusterCapacity` holds what the user chose for the primary, core and task roles;
the functions turn it into the ``AWS::EMR::Cluster`` properties (``*_l1``, for
:class:`~patterns.emr.EmrCluster`); :mod:`patterns.emr.workflow_tasks` turns it into the Step
Functions ``EmrCreateCluster`` properties (for :class:`~patterns.emr.TransientEmrWorkflow`), so
a long-running cluster does not import Step Functions. Both shapes describe the same cluster:
gp3 volumes, Spot on price-capacity-optimized pools that fall back to On-Demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_emr as emr

from patterns.emr.options import InstanceFleet, InstanceGroup, Instances, ManagedScaling

__all__ = [
    "SPOT_TIMEOUT_MINUTES",
    "ClusterCapacity",
    "instances_l1",
    "scaling_l1",
]

#: Minutes a Spot fleet waits for capacity before switching to On-Demand.
SPOT_TIMEOUT_MINUTES = 10


@dataclass(frozen=True)
class ClusterCapacity:
    """The ``primary``, ``core``, ``task`` and ``managed_scaling`` props of a pattern.

    Checked whole by :func:`patterns.emr.validate.capacity` (the roles must all be groups or
    all fleets); valid, it has a single kind.
    """

    primary: Instances
    core: Instances
    task: Instances | None
    managed_scaling: ManagedScaling | None

    @property
    def fleets(self) -> bool:
        """Instance fleets (else instance groups)."""
        return isinstance(self.primary, InstanceFleet)

    def roles(self) -> dict[str, Instances | None]:
        """Role name (``primary``, ``core``, ``task``) -> its capacity (``None``: no task)."""
        return {"primary": self.primary, "core": self.core, "task": self.task}

    def spot_roles(self) -> list[str]:
        """The primary and core roles that run on Spot (warned about: keep Spot for task)."""
        return [role for role in ("primary", "core") if _on_spot(self.roles()[role])]

    def summary(self, *, scaling: bool = False) -> str:
        """The review-table line: ``primary 1x m7g.xlarge, core 2x m7g.xlarge ...``; with
        ``scaling``, also the managed scaling limits (``, managed scaling 3-10``)."""
        parts = []
        for role, value in self.roles().items():
            if isinstance(value, InstanceGroup):
                market = " Spot" if value.spot else ""
                parts.append(f"{role} {value.count}x {value.instance_type}{market}")
            elif isinstance(value, InstanceFleet):
                parts.append(f"{role} {value.on_demand_units} OD + {value.spot_units} Spot units")
        line = ", ".join(parts)
        limits = self.managed_scaling
        if scaling and limits:
            line += f", managed scaling {limits.minimum}-{limits.maximum}"
        return line


def _on_spot(value: Instances | None) -> bool:
    if isinstance(value, InstanceGroup):
        return value.spot
    return isinstance(value, InstanceFleet) and value.spot_units > 0


# -- AWS::EMR::Cluster ------------------------------------------------------------------------


def instances_l1(
    capacity: ClusterCapacity,
    subnet_ids: list[str],
    *,
    keep_alive: bool,
    termination_protected: bool,
    ec2_key_name: str | None,
) -> emr.CfnCluster.JobFlowInstancesConfigProperty:
    """``Instances`` of a ``CfnCluster``: fleets in every subnet, groups in the first."""
    primary, core, task = capacity.primary, capacity.core, capacity.task
    common: dict[str, Any] = {
        "keep_job_flow_alive_when_no_steps": keep_alive,
        "termination_protected": termination_protected,
        "ec2_key_name": ec2_key_name,
    }
    if capacity.fleets:
        assert isinstance(primary, InstanceFleet) and isinstance(core, InstanceFleet)
        return emr.CfnCluster.JobFlowInstancesConfigProperty(
            ec2_subnet_ids=subnet_ids,
            master_instance_fleet=_fleet_l1("Primary", primary),
            core_instance_fleet=_fleet_l1("Core", core),
            task_instance_fleets=(
                [_fleet_l1("Task", task)] if isinstance(task, InstanceFleet) else None
            ),
            **common,
        )
    assert isinstance(primary, InstanceGroup) and isinstance(core, InstanceGroup)
    return emr.CfnCluster.JobFlowInstancesConfigProperty(
        ec2_subnet_id=subnet_ids[0],
        master_instance_group=_group_l1("Primary", primary),
        core_instance_group=_group_l1("Core", core),
        task_instance_groups=(
            [_group_l1("Task", task)] if isinstance(task, InstanceGroup) else None
        ),
        **common,
    )


def scaling_l1(capacity: ClusterCapacity) -> emr.CfnCluster.ManagedScalingPolicyProperty | None:
    """``ManagedScalingPolicy`` of a ``CfnCluster`` (``None`` without managed scaling)."""
    scaling = capacity.managed_scaling
    if scaling is None:
        return None
    return emr.CfnCluster.ManagedScalingPolicyProperty(
        compute_limits=emr.CfnCluster.ComputeLimitsProperty(
            unit_type="InstanceFleetUnits" if capacity.fleets else "Instances",
            minimum_capacity_units=scaling.minimum,
            maximum_capacity_units=scaling.maximum,
            maximum_on_demand_capacity_units=scaling.maximum_on_demand,
            maximum_core_capacity_units=scaling.maximum_core,
        )
    )


def _ebs_l1(gib: int) -> emr.CfnCluster.EbsConfigurationProperty:
    return emr.CfnCluster.EbsConfigurationProperty(
        ebs_block_device_configs=[
            emr.CfnCluster.EbsBlockDeviceConfigProperty(
                volume_specification=emr.CfnCluster.VolumeSpecificationProperty(
                    size_in_gb=gib, volume_type="gp3"
                ),
                volumes_per_instance=1,
            )
        ],
        ebs_optimized=True,
    )


def _group_l1(name: str, group: InstanceGroup) -> emr.CfnCluster.InstanceGroupConfigProperty:
    return emr.CfnCluster.InstanceGroupConfigProperty(
        name=name,
        instance_count=group.count,
        instance_type=group.instance_type,
        market="SPOT" if group.spot else "ON_DEMAND",
        ebs_configuration=_ebs_l1(group.ebs_gib),
    )


def _fleet_l1(name: str, fleet: InstanceFleet) -> emr.CfnCluster.InstanceFleetConfigProperty:
    return emr.CfnCluster.InstanceFleetConfigProperty(
        name=name,
        target_on_demand_capacity=fleet.on_demand_units,
        target_spot_capacity=fleet.spot_units,
        instance_type_configs=[
            emr.CfnCluster.InstanceTypeConfigProperty(
                instance_type=instance_type,
                weighted_capacity=1,
                ebs_configuration=_ebs_l1(fleet.ebs_gib),
            )
            for instance_type in fleet.instance_types
        ],
        launch_specifications=emr.CfnCluster.InstanceFleetProvisioningSpecificationsProperty(
            spot_specification=(
                emr.CfnCluster.SpotProvisioningSpecificationProperty(
                    allocation_strategy="price-capacity-optimized",
                    timeout_action="SWITCH_TO_ON_DEMAND",
                    timeout_duration_minutes=SPOT_TIMEOUT_MINUTES,
                )
                if fleet.spot_units
                else None
            ),
            on_demand_specification=emr.CfnCluster.OnDemandProvisioningSpecificationProperty(
                allocation_strategy="lowest-price"
            ),
        ),
    )
