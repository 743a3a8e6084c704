"""ScalableWebTier deployed (control plane): the Auto Scaling group has the configured limits
and no desired capacity of ours, its scheduled actions and scaling policies exist as
configured (the predictive policy in forecast-only mode), the load balancer's target group is
attached, and only the load balancer reaches the instances.

The emulator runs no instances' software, sends no traffic and evaluates no metric, so whether
nginx answers the health check, or a policy scales, is for ``cdk deploy`` to a real account.
"""

from __future__ import annotations

from typing import Any

import pytest

from emulator.server import Assembly, DeployedStack, Emulator
from tests.deploy.conftest import Deployments

pytestmark = pytest.mark.deploy

#: As configured in stacks/web_tier.py: (min, max), load balancer type.
EXAMPLES = {
    "WebTierExample": ((2, 10), "application"),
    "WebTierStepScalingExample": ((2, 8), "network"),
}


def _group(emulator: Emulator, stack: DeployedStack) -> dict[str, Any]:
    (group,) = emulator.client("autoscaling").describe_auto_scaling_groups(
        AutoScalingGroupNames=[stack.outputs["AutoScalingGroupName"]]
    )["AutoScalingGroups"]
    return dict(group)


def _policies(emulator: Emulator, stack: DeployedStack) -> dict[str, dict[str, Any]]:
    policies = emulator.client("autoscaling").describe_policies(
        AutoScalingGroupName=stack.outputs["AutoScalingGroupName"]
    )["ScalingPolicies"]
    return {p["PolicyName"]: p for p in policies}


@pytest.mark.parametrize("stack_name", sorted(EXAMPLES))
def test_the_group_has_its_limits_and_no_desired_capacity_of_ours(
    stack_name: str, deployed: Deployments, emulator: Emulator, assembly: Assembly
) -> None:
    stack = deployed(stack_name)
    (minimum, maximum), _ = EXAMPLES[stack_name]
    template = assembly.template(stack_name)
    (group_props,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::AutoScaling::AutoScalingGroup"
    ]

    group = _group(emulator, stack)

    assert (group["MinSize"], group["MaxSize"]) == (minimum, maximum)
    # no DesiredCapacity in the template, so a deploy never resets a scaled-out group;
    # the service starts the group at its minimum
    assert "DesiredCapacity" not in group_props
    assert group["DesiredCapacity"] == minimum
    assert group["HealthCheckType"] == "ELB"
    assert group["HealthCheckGracePeriod"] > 0
    assert len(group["VPCZoneIdentifier"].split(",")) >= 2  # spread over the AZs


@pytest.mark.parametrize("stack_name", sorted(EXAMPLES))
def test_the_target_group_is_attached_to_the_group_and_the_load_balancer(
    stack_name: str, deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed(stack_name)
    _, balancer_type = EXAMPLES[stack_name]
    elb = emulator.client("elbv2")

    (target_group_arn,) = _group(emulator, stack)["TargetGroupARNs"]

    (target_group,) = elb.describe_target_groups(TargetGroupArns=[target_group_arn])["TargetGroups"]
    (balancer_arn,) = target_group["LoadBalancerArns"]
    (balancer,) = elb.describe_load_balancers(LoadBalancerArns=[balancer_arn])["LoadBalancers"]
    assert balancer["Type"] == balancer_type
    assert balancer["Scheme"] == "internet-facing"
    # the group's instances are registered as targets
    registered = {
        t["Target"]["Id"]
        for t in elb.describe_target_health(TargetGroupArn=target_group_arn)[
            "TargetHealthDescriptions"
        ]
    }
    assert registered == {i["InstanceId"] for i in _group(emulator, stack)["Instances"]}


@pytest.mark.parametrize("stack_name", sorted(EXAMPLES))
def test_only_the_load_balancer_reaches_the_instances(
    stack_name: str, deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed(stack_name)
    ec2 = emulator.client("ec2")
    elb = emulator.client("elbv2")
    group = _group(emulator, stack)
    (target_group,) = elb.describe_target_groups(TargetGroupArns=group["TargetGroupARNs"])[
        "TargetGroups"
    ]
    (balancer,) = elb.describe_load_balancers(LoadBalancerArns=target_group["LoadBalancerArns"])[
        "LoadBalancers"
    ]
    balancer_groups = set(balancer.get("SecurityGroups", []))
    assert balancer_groups, "the load balancer has a security group"
    template = group["LaunchTemplate"]
    (version,) = ec2.describe_launch_template_versions(
        LaunchTemplateId=template["LaunchTemplateId"], Versions=[template["Version"]]
    )["LaunchTemplateVersions"]
    data = version["LaunchTemplateData"]
    instance_groups = data.get("SecurityGroupIds") or [
        g for ni in data.get("NetworkInterfaces", []) for g in ni.get("Groups", [])
    ]
    assert instance_groups

    for described in ec2.describe_security_groups(GroupIds=instance_groups)["SecurityGroups"]:
        for permission in described["IpPermissions"]:
            assert not permission.get("IpRanges") and not permission.get("Ipv6Ranges"), permission
            assert not permission.get("PrefixListIds"), permission
            sources = {pair["GroupId"] for pair in permission["UserIdGroupPairs"]}
            assert sources <= balancer_groups, permission
            assert (permission["FromPort"], permission["ToPort"]) == (
                target_group["Port"],
                target_group["Port"],
            )
    assert any(
        described["IpPermissions"]
        for described in ec2.describe_security_groups(GroupIds=instance_groups)["SecurityGroups"]
    ), "the load balancer is let in"
    # IMDSv2 only, encrypted root volume
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert all(m["Ebs"]["Encrypted"] for m in data["BlockDeviceMappings"] if "Ebs" in m)


def test_target_tracking_scheduled_and_forecast_only_predictive_scaling(
    deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed("WebTierExample")

    policies = _policies(emulator, stack).values()
    actions = emulator.client("autoscaling").describe_scheduled_actions(
        AutoScalingGroupName=stack.outputs["AutoScalingGroupName"]
    )["ScheduledUpdateGroupActions"]

    tracking = {
        p["TargetTrackingConfiguration"]["PredefinedMetricSpecification"][
            "PredefinedMetricType"
        ]: p["TargetTrackingConfiguration"]["TargetValue"]
        for p in policies
        if p["PolicyType"] == "TargetTrackingScaling"
    }
    assert tracking == {"ASGAverageCPUUtilization": 50, "ALBRequestCountPerTarget": 1_200}
    (predictive,) = [p for p in policies if p["PolicyType"] == "PredictiveScaling"]
    configuration = predictive["PredictiveScalingConfiguration"]
    assert configuration["Mode"] == "ForecastOnly"  # forecasts, scales nothing until opted in
    assert configuration["SchedulingBufferTime"] == 300
    assert configuration["MetricSpecifications"][0]["TargetValue"] == 50
    assert sorted(
        (a["Recurrence"], a["TimeZone"], a.get("MinSize"), a.get("DesiredCapacity"))
        for a in actions
    ) == [
        ("0 20 * * *", "Europe/Berlin", 2, None),
        ("0 8 * * MON-FRI", "Europe/Berlin", 4, None),
    ]


def test_step_scaling_policies_are_driven_by_their_alarms(
    deployed: Deployments, emulator: Emulator
) -> None:
    stack = deployed("WebTierStepScalingExample")
    policies = _policies(emulator, stack)
    step = {name: p for name, p in policies.items() if p["PolicyType"] == "StepScaling"}

    assert len(step) == 2  # scale in below 30 %, scale out from 60 % (no-op band between)
    adjustments = {a["ScalingAdjustment"] for p in step.values() for a in p["StepAdjustments"]}
    assert adjustments - {0} == {-1, 1, 3}
    assert all(p["EstimatedInstanceWarmup"] == 180 for p in step.values())
    # each policy is the action of a CPU alarm: that is what makes it scale
    alarms = emulator.client("cloudwatch").describe_alarms()["MetricAlarms"]
    for policy in step.values():
        (alarm,) = [a for a in alarms if policy["PolicyARN"] in a.get("AlarmActions", [])]
        assert alarm["MetricName"] == "CPUUtilization"
        assert {"Name": "AutoScalingGroupName", "Value": stack.outputs["AutoScalingGroupName"]} in (
            alarm["Dimensions"]
        )
