"""The Step Functions side of a :class:`~patterns.emr.TransientEmrWorkflow`: the
``EmrCreateCluster`` instance and scaling properties of its cluster, and its ``EmrAddStep``
states.

The same :class:`~patterns.emr.instances.ClusterCapacity` as an ``AWS::EMR::Cluster``'s
properties is built by :mod:`patterns.emr.instances`; the two modules are apart so that
:class:`~patterns.emr.EmrCluster` does not import ``aws_stepfunctions_tasks``.
"""

from __future__ import annotations

from aws_cdk import Duration, Size
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from patterns.emr.instances import SPOT_TIMEOUT_MINUTES, ClusterCapacity
from patterns.emr.options import EmrStep, InstanceFleet, InstanceGroup
from patterns.emr.steps import step_key
from patterns.emr.workflow_grants import AddStep

__all__ = ["instances_task", "scaling_task", "workflow_step"]

_Create = tasks.EmrCreateCluster


def instances_task(
    capacity: ClusterCapacity, subnet_ids: list[str], *, ec2_key_name: str | None
) -> tasks.EmrCreateCluster.InstancesConfigProperty:
    """``Instances`` of an ``EmrCreateCluster`` task (never termination-protected)."""
    primary, core, task = capacity.primary, capacity.core, capacity.task
    if isinstance(primary, InstanceFleet):
        assert isinstance(core, InstanceFleet)
        fleets = [_fleet_task("MASTER", primary), _fleet_task("CORE", core)]
        if isinstance(task, InstanceFleet):
            fleets.append(_fleet_task("TASK", task))
        return _Create.InstancesConfigProperty(
            ec2_subnet_ids=subnet_ids,
            instance_fleets=fleets,
            ec2_key_name=ec2_key_name,
            termination_protected=False,
        )
    assert isinstance(core, InstanceGroup)
    groups = [_group_task("MASTER", primary), _group_task("CORE", core)]
    if isinstance(task, InstanceGroup):
        groups.append(_group_task("TASK", task))
    return _Create.InstancesConfigProperty(
        ec2_subnet_id=subnet_ids[0],
        instance_groups=groups,
        ec2_key_name=ec2_key_name,
        termination_protected=False,
    )


def scaling_task(
    capacity: ClusterCapacity,
) -> tasks.EmrCreateCluster.ManagedScalingPolicyProperty | None:
    """``ManagedScalingPolicy`` of an ``EmrCreateCluster`` task (``None`` without scaling)."""
    scaling = capacity.managed_scaling
    if scaling is None:
        return None
    return _Create.ManagedScalingPolicyProperty(
        compute_limits=_Create.ManagedScalingComputeLimitsProperty(
            unit_type=(
                _Create.ComputeLimitsUnitType.INSTANCE_FLEET_UNITS
                if capacity.fleets
                else _Create.ComputeLimitsUnitType.INSTANCES
            ),
            minimum_capacity_units=scaling.minimum,
            maximum_capacity_units=scaling.maximum,
            maximum_on_demand_capacity_units=scaling.maximum_on_demand,
            maximum_core_capacity_units=scaling.maximum_core,
        )
    )


def _ebs_task(gib: int) -> tasks.EmrCreateCluster.EbsConfigurationProperty:
    return _Create.EbsConfigurationProperty(
        ebs_block_device_configs=[
            _Create.EbsBlockDeviceConfigProperty(
                volume_specification=_Create.VolumeSpecificationProperty(
                    volume_size=Size.gibibytes(gib),
                    volume_type=_Create.EbsBlockDeviceVolumeType.GP3,
                ),
                volumes_per_instance=1,
            )
        ],
        ebs_optimized=True,
    )


def _group_task(
    role: str, group: InstanceGroup
) -> tasks.EmrCreateCluster.InstanceGroupConfigProperty:
    return _Create.InstanceGroupConfigProperty(
        name=role.capitalize(),
        instance_role=_Create.InstanceRoleType[role],
        instance_count=group.count,
        instance_type=group.instance_type,
        market=_Create.InstanceMarket.SPOT if group.spot else _Create.InstanceMarket.ON_DEMAND,
        ebs_configuration=_ebs_task(group.ebs_gib),
    )


def _fleet_task(
    role: str, fleet: InstanceFleet
) -> tasks.EmrCreateCluster.InstanceFleetConfigProperty:
    spot = (
        _Create.SpotProvisioningSpecificationProperty(
            allocation_strategy=_Create.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED,
            timeout_action=_Create.SpotTimeoutAction.SWITCH_TO_ON_DEMAND,
            timeout=Duration.minutes(SPOT_TIMEOUT_MINUTES),
        )
        if fleet.spot_units
        else None
    )
    return _Create.InstanceFleetConfigProperty(
        name=role.capitalize(),
        instance_fleet_type=_Create.InstanceRoleType[role],
        target_on_demand_capacity=fleet.on_demand_units,
        target_spot_capacity=fleet.spot_units,
        instance_type_configs=[
            _Create.InstanceTypeConfigProperty(
                instance_type=instance_type,
                weighted_capacity=1,
                ebs_configuration=_ebs_task(fleet.ebs_gib),
            )
            for instance_type in fleet.instance_types
        ],
        launch_specifications=_Create.InstanceFleetProvisioningSpecificationsProperty(
            spot_specification=spot,
            on_demand_specification=_Create.OnDemandProvisioningSpecificationProperty(
                allocation_strategy=_Create.OnDemandAllocationStrategy.LOWEST_PRICE
            ),
        ),
    )


def workflow_step(scope: Construct, step: EmrStep, *, cluster_id: str) -> tasks.EmrAddStep:
    """A ``Run <name>`` state that adds ``step`` to the cluster and waits for it (its grants
    are the workflow's ``ClusterPolicy``)."""
    return AddStep(
        scope,
        f"{step_key(step.name)}Step",
        state_name=f"Run {step.name}",
        cluster_id=cluster_id,
        name=step.name,
        jar=step.jar,
        args=list(step.args),
        action_on_failure=tasks.ActionOnFailure(step.action_on_failure),
        integration_pattern=sfn.IntegrationPattern.RUN_JOB,
        result_path=sfn.JsonPath.DISCARD,
    )
