"""The instances of :class:`~patterns.web_tier.ScalableWebTier`: their role, the launch
template they boot from and the Auto Scaling group that runs them.

Launch configurations are deprecated (new accounts cannot create them, and they lack IMDSv2
settings, gp3 volumes, mixed instance types and versioning), so the group always uses a launch
template.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from patterns.core.deferred import deferred
from patterns.core.nag import acknowledge
from patterns.core.validation import is_unresolved
from patterns.web_tier.options import Architecture
from patterns.web_tier.props import WebTierProps

__all__ = [
    "MAX_PAUSE",
    "ROOT_DEVICE",
    "create_group",
    "create_launch_template",
    "create_role",
    "default_instance_type",
]

#: CloudFormation's rolling update PauseTime is at most one hour.
MAX_PAUSE = deferred(Duration, "hours", 1)
#: AL2023's root device.
ROOT_DEVICE = "/dev/xvda"


def default_instance_type(architecture: Architecture) -> ec2.InstanceType:
    """``t4g.small`` (arm64) or ``t3.small`` (x86_64)."""
    return ec2.InstanceType("t4g.small" if architecture == "arm64" else "t3.small")


def create_role(scope: Construct) -> iam.Role:
    """``InstanceRole``: SSM Session Manager access (replaces SSH), nothing else."""
    role = iam.Role(
        scope,
        "InstanceRole",
        assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
        description=f"Instances of {scope.node.path}: SSM Session Manager access",
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMManagedInstanceCore")
        ],
    )
    acknowledge(
        role,
        "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
        "AmazonSSMManagedInstanceCore]",
        "AmazonSSMManagedInstanceCore is the minimal AWS-maintained policy for SSM Session "
        "Manager, which replaces SSH; AWS updates it as the SSM agent's API needs change.",
    )
    return role


def create_launch_template(
    scope: Construct,
    p: WebTierProps,
    *,
    role: iam.IRole,
    user_data: ec2.UserData,
    security_group: ec2.ISecurityGroup,
) -> ec2.LaunchTemplate:
    """``LaunchTemplate``: ``instance_type`` (or the default of ``architecture``),
    ``machine_image`` (or the latest AL2023), IMDSv2 only, ``detailed_monitoring``, an
    encrypted gp3 root volume of ``root_volume_size`` GiB (``root_volume_key``)."""
    cpu = (
        ec2.AmazonLinuxCpuType.ARM_64
        if p.architecture == "arm64"
        else ec2.AmazonLinuxCpuType.X86_64
    )
    return ec2.LaunchTemplate(
        scope,
        "LaunchTemplate",
        instance_type=p.instance_type or default_instance_type(p.architecture),
        machine_image=p.machine_image or ec2.MachineImage.latest_amazon_linux2023(cpu_type=cpu),
        user_data=user_data,
        role=role,
        security_group=security_group,
        require_imdsv2=True,
        http_put_response_hop_limit=1,
        detailed_monitoring=p.detailed_monitoring,
        block_devices=[
            ec2.BlockDevice(
                device_name=ROOT_DEVICE,
                volume=ec2.BlockDeviceVolume.ebs(
                    p.root_volume_size,
                    encrypted=True,
                    kms_key=p.root_volume_key,
                    volume_type=ec2.EbsDeviceVolumeType.GP3,
                    delete_on_termination=True,
                ),
            )
        ],
    )


def create_group(
    scope: Construct,
    p: WebTierProps,
    *,
    vpc: ec2.IVpc,
    launch_template: ec2.ILaunchTemplate,
    notification_topic: sns.ITopic,
) -> autoscaling.AutoScalingGroup:
    """``AutoScalingGroup`` in ``instance_subnets`` (default: private with egress), sized by
    ``capacity``: ELB health checks after ``health_check_grace_period``,
    ``default_instance_warmup``, ``cooldown``, ``termination_policies``, all group metrics,
    a rolling update one instance at a time, and every launch/terminate (and error)
    notification to ``notification_topic``."""
    capacity, grace = p.capacity, p.health_check_grace_period
    pause = (
        grace
        if grace.is_unresolved() or grace.to_seconds() <= MAX_PAUSE.to_seconds()
        else MAX_PAUSE
    )
    # CloudFormation needs MinInstancesInService < MaxSize; 0 when the sizes are tokens.
    in_service = (
        0
        if is_unresolved(capacity.min_capacity) or is_unresolved(capacity.max_capacity)
        else max(0, min(capacity.min_capacity, capacity.max_capacity - 1))
    )
    return autoscaling.AutoScalingGroup(
        scope,
        "AutoScalingGroup",
        vpc=vpc,
        vpc_subnets=p.instance_subnets
        or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        launch_template=launch_template,
        min_capacity=capacity.min_capacity,
        max_capacity=capacity.max_capacity,
        desired_capacity=capacity.desired_capacity,
        health_checks=autoscaling.HealthChecks.with_additional_checks(
            additional_types=[autoscaling.AdditionalHealthCheckType.ELB],
            grace_period=grace,
        ),
        default_instance_warmup=p.default_instance_warmup,
        cooldown=p.cooldown,
        termination_policies=list(p.termination_policies),
        group_metrics=[autoscaling.GroupMetrics.all()],
        update_policy=autoscaling.UpdatePolicy.rolling_update(
            max_batch_size=1, min_instances_in_service=in_service, pause_time=pause
        ),
        ignore_unmodified_size_properties=True,
        notifications=[autoscaling.NotificationConfiguration(topic=notification_topic)],
    )
