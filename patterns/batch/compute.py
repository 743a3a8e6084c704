"""The compute environments of :class:`~patterns.batch.BatchJobs` and the job queue that
tries them in order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_batch as batch
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from patterns.batch.options import ComputeEnvironmentOptions
from patterns.core.ids import pascal
from patterns.core.nag import acknowledge

__all__ = ["ComputeEnvironment", "capacity_summary", "compute_environment", "job_queue"]

#: A compute environment the pattern creates.
ComputeEnvironment = batch.FargateComputeEnvironment | batch.ManagedEc2EcsComputeEnvironment


def compute_environment(
    scope: Construct,
    name: str,
    options: ComputeEnvironmentOptions,
    *,
    vpc: ec2.IVpc,
    subnets: ec2.SubnetSelection,
) -> ComputeEnvironment:
    """The managed compute environment ``<Name>ComputeEnvironment`` (Fargate or EC2)."""
    construct_id = f"{pascal(name)}ComputeEnvironment"
    # What both kinds get: the network, Spot or On-Demand, the vCPU limit, and updates in
    # place rather than a replacement of the environment.
    shared: dict[str, Any] = {
        "vpc": vpc,
        "vpc_subnets": subnets,
        "spot": options.spot,
        "maxv_cpus": options.max_vcpus,
        "replace_compute_environment": False,
    }
    if options.fargate:
        return batch.FargateComputeEnvironment(scope, construct_id, **shared)
    return _ec2_compute_environment(scope, construct_id, options, shared)


def _ec2_compute_environment(
    scope: Construct, construct_id: str, o: ComputeEnvironmentOptions, shared: dict[str, Any]
) -> batch.ManagedEc2EcsComputeEnvironment:
    instance_types = [ec2.InstanceType(t) for t in o.instance_types if "." in t]
    instance_classes = [ec2.InstanceClass[t.upper()] for t in o.instance_types if "." not in t]
    ce = batch.ManagedEc2EcsComputeEnvironment(
        scope,
        construct_id,
        **shared,
        minv_cpus=o.min_vcpus,
        instance_types=instance_types or None,
        instance_classes=instance_classes or None,
        # None, not False, with graviton: aws-cdk-lib's instance check ignores
        # default_instance_classes and would reject an explicit False.
        use_optimal_instance_classes=(None if o.graviton else not o.instance_types),
        default_instance_classes=(
            [batch.DefaultInstanceClass.ARM64] if o.graviton and not o.instance_types else None
        ),
        allocation_strategy=o.allocation_strategy,
        spot_bid_percentage=o.spot_bid_percentage,
    )
    acknowledge(
        ce,
        "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
        "service-role/AmazonEC2ContainerServiceforEC2Role]",
        "The instance role of a Batch EC2 compute environment needs the ECS container "
        "agent permissions; AWS documents this managed policy as the Batch instance role.",
    )
    return ce


def job_queue(
    scope: Construct,
    compute_environments: Sequence[ComputeEnvironment],
    *,
    priority: int,
    runnable_timeout: Duration,
) -> batch.JobQueue:
    """The job queue ``JobQueue``: tries ``compute_environments`` in order and cancels a job
    that has waited ``runnable_timeout`` because no compute environment can run it."""
    return batch.JobQueue(
        scope,
        "JobQueue",
        priority=priority,
        compute_environments=[
            batch.OrderedComputeEnvironment(compute_environment=ce, order=order)
            for order, ce in enumerate(compute_environments, start=1)
        ],
        job_state_time_limit_actions=[
            batch.JobStateTimeLimitAction(max_time=runnable_timeout, reason=reason)
            for reason in (
                batch.JobStateTimeLimitActionsReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE,
                batch.JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT,
            )
        ],
    )


def capacity_summary(environments: Iterable[ComputeEnvironmentOptions]) -> str:
    """The review-table line: ``up to 80 vCPUs (Fargate Spot 64, Fargate 16)``."""
    options = list(environments)
    max_vcpus = sum(o.max_vcpus for o in options)
    kinds = ", ".join(
        f"{'Fargate' if o.fargate else 'EC2'}{' Spot' if o.spot else ''} {o.max_vcpus}"
        for o in options
    )
    return f"up to {max_vcpus} vCPUs ({kinds})"
