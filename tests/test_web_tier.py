"""ScalableWebTier: assertions on the example stacks, every scaling mode, variants, validation."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Match, Template

from patterns import PatternValidationError
from patterns.web_tier import (
    Capacity,
    PredictiveScaling,
    ScalableWebTier,
    ScalingStep,
    ScheduledAction,
    StepScaling,
    TargetTracking,
)
from patterns.web_tier.options import cron_problems
from tests.conftest import SynthResult, new_app, new_stack

STACK = "WebTierExample"
STEP = "WebTierStepScalingExample"
CERT_ARN = "arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"
PREFIX_LIST = "pl-4fa04526"
QUEUE_DEPTH = cw.Metric(
    namespace="AWS/SQS",
    metric_name="ApproximateNumberOfMessagesVisible",
    dimensions_map={"QueueName": "jobs"},
    period=Duration.minutes(1),
    statistic="Average",
)
CPU_STEPS = (
    ScalingStep(lower=None, upper=30, change=-1),
    ScalingStep(lower=30, upper=60, change=0),
    ScalingStep(lower=60, upper=None, change=2),
)


def _one(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    assert len(resources) == 1, list(resources)
    return next(iter(resources.values()))


def _web(stack: cdk.Stack | None = None, **props: Any) -> ScalableWebTier:
    props.setdefault("capacity", Capacity(min_capacity=1, max_capacity=4))
    if "certificate" not in props:
        props.setdefault("allow_plain_http", True)
    return ScalableWebTier(stack or new_stack(), "Web", **props)


def _template(web: ScalableWebTier) -> Template:
    return Template.from_stack(cdk.Stack.of(web))


def _certificate(stack: cdk.Stack) -> acm.ICertificate:
    return acm.Certificate.from_certificate_arn(stack, "Cert", CERT_ARN)


def _ingress(template: Template) -> list[dict[str, Any]]:
    """Every ingress rule, inline or standalone, with its group's logical id."""
    rules = []
    for logical_id, sg in template.find_resources("AWS::EC2::SecurityGroup").items():
        for rule in sg["Properties"].get("SecurityGroupIngress", []):
            rules.append({**rule, "Group": logical_id})
    for rule in template.find_resources("AWS::EC2::SecurityGroupIngress").values():
        props = rule["Properties"]
        rules.append({**props, "Group": props["GroupId"]["Fn::GetAtt"][0]})
    return rules


# -- the ALB example: target tracking + scheduled + predictive forecast-only ------------------


def test_group_never_writes_desired_capacity(synth: SynthResult) -> None:
    for stack in (STACK, STEP):
        group = _one(synth.resources(stack, "AWS::AutoScaling::AutoScalingGroup"))
        assert "DesiredCapacity" not in group["Properties"], stack
    group = _one(synth.resources(STACK, "AWS::AutoScaling::AutoScalingGroup"))["Properties"]
    assert (group["MinSize"], group["MaxSize"]) == ("2", "10")


def test_group_health_checks_warmup_metrics_termination(synth: SynthResult) -> None:
    group = _one(synth.resources(STACK, "AWS::AutoScaling::AutoScalingGroup"))
    props = group["Properties"]
    assert props["HealthCheckType"] == "ELB"
    assert props["HealthCheckGracePeriod"] == 300
    assert props["DefaultInstanceWarmup"] == 180
    assert props["MetricsCollection"] == [{"Granularity": "1Minute"}]  # all group metrics
    assert props["TerminationPolicies"] == ["OldestLaunchTemplate", "Default"]
    assert len(props["TargetGroupARNs"]) == 1
    # instances run in the private subnets only
    subnets = [ref["Ref"] for ref in props["VPCZoneIdentifier"]]
    assert subnets and all("PrivateSubnet" in s for s in subnets)
    # launch/terminate notifications go to the alarm topic (AwsSolutions-AS3)
    assert props["NotificationConfigurations"][0]["TopicARN"] == {"Ref": "AlarmTopicD01E77F9"}


def test_launch_template_change_rolls_one_instance_at_a_time(synth: SynthResult) -> None:
    group = _one(synth.resources(STACK, "AWS::AutoScaling::AutoScalingGroup"))
    rolling = group["UpdatePolicy"]["AutoScalingRollingUpdate"]
    assert rolling["MaxBatchSize"] == 1
    assert rolling["MinInstancesInService"] == 2
    assert rolling["PauseTime"] == "PT5M"
    assert "ScheduledActions" in rolling["SuspendProcesses"]
    # a deploy does not reset min/max that a scheduled action changed
    assert group["UpdatePolicy"]["AutoScalingScheduledAction"] == {
        "IgnoreUnmodifiedGroupSizeProperties": True
    }
    template = group["Properties"]["LaunchTemplate"]
    assert template["Version"]["Fn::GetAtt"][1] == "LatestVersionNumber"


def test_launch_template_hardening(synth: SynthResult) -> None:
    lt = _one(synth.resources(STACK, "AWS::EC2::LaunchTemplate"))["Properties"]
    data = lt["LaunchTemplateData"]
    assert data["MetadataOptions"] == {"HttpPutResponseHopLimit": 1, "HttpTokens": "required"}
    assert data["BlockDeviceMappings"] == [
        {
            "DeviceName": "/dev/xvda",
            "Ebs": {
                "DeleteOnTermination": True,
                "Encrypted": True,
                "VolumeSize": 16,
                "VolumeType": "gp3",
            },
        }
    ]
    assert data["Monitoring"] == {"Enabled": True}
    assert data["InstanceType"] == "t4g.small"
    assert "KeyName" not in data  # SSM Session Manager, not SSH
    assert "nginx" in data["UserData"]["Fn::Base64"]
    assert not synth.resources(STACK, "AWS::AutoScaling::LaunchConfiguration")


def test_image_is_al2023_arm64_from_public_ssm_parameter(synth: SynthResult) -> None:
    lt = _one(synth.resources(STACK, "AWS::EC2::LaunchTemplate"))["Properties"]
    parameter = lt["LaunchTemplateData"]["ImageId"]["Ref"]
    spec = synth.templates[STACK]["Parameters"][parameter]
    assert spec["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    assert re.fullmatch(
        r"/aws/service/ami-amazon-linux-latest/al2023-ami-.*-arm64", spec["Default"]
    )


def test_instance_role_is_ssm_only(synth: SynthResult) -> None:
    roles = synth.resources(STACK, "AWS::IAM::Role")
    instance = [r for r in roles.values() if "ec2.amazonaws.com" in str(r)]
    assert len(instance) == 1
    managed = instance[0]["Properties"]["ManagedPolicyArns"]
    assert len(managed) == 1 and "AmazonSSMManagedInstanceCore" in str(managed[0])
    assert "Policies" not in instance[0]["Properties"]


def test_only_the_load_balancer_reaches_instances_on_the_app_port(synth: SynthResult) -> None:
    t = synth.template(STACK)
    groups = t.find_resources("AWS::EC2::SecurityGroup")
    lb_sg = next(k for k in groups if k.startswith("WebLoadBalancerSecurityGroup"))
    instance_sg = next(k for k in groups if k.startswith("WebInstanceSecurityGroup"))
    rules = _ingress(t)
    to_instances = [r for r in rules if r["Group"] == instance_sg]
    assert to_instances == [
        {
            "Description": "App port from the load balancer only",
            "FromPort": 80,
            "ToPort": 80,
            "IpProtocol": "tcp",
            "GroupId": {"Fn::GetAtt": [instance_sg, "GroupId"]},
            "SourceSecurityGroupId": {"Fn::GetAtt": [lb_sg, "GroupId"]},
            "Group": instance_sg,
        }
    ]
    # plain HTTP by explicit opt-in: clients on 80 only
    to_lb = [r for r in rules if r["Group"] == lb_sg]
    assert [(r["CidrIp"], r["FromPort"]) for r in to_lb] == [("0.0.0.0/0", 80)]
    # instances talk HTTPS out (SSM, repositories), nothing else
    egress = groups[instance_sg]["Properties"]["SecurityGroupEgress"]
    assert [(e["CidrIp"], e["FromPort"], e["ToPort"]) for e in egress] == [("0.0.0.0/0", 443, 443)]


def test_alb_drops_invalid_headers_logs_and_is_protected(synth: SynthResult) -> None:
    lb = _one(synth.resources(STACK, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
    attributes = {a["Key"]: a["Value"] for a in lb["Properties"]["LoadBalancerAttributes"]}
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["deletion_protection.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.prefix"] == "load-balancer"
    bucket_id = attributes["access_logs.s3.bucket"]["Ref"]
    assert lb["Properties"]["Scheme"] == "internet-facing"
    assert lb["Properties"]["Type"] == "application"
    # ELB checks the bucket policy when the attribute is set
    policies = synth.resources(STACK, "AWS::S3::BucketPolicy")
    policy_id = next(
        k for k, p in policies.items() if p["Properties"]["Bucket"]["Ref"] == bucket_id
    )
    assert policy_id in lb["DependsOn"]
    bucket = synth.resources(STACK, "AWS::S3::Bucket")[bucket_id]["Properties"]
    # ELB log delivery supports SSE-S3 only
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_access_log_policy_needs_no_region(synth: SynthResult) -> None:
    """The Region-independent delivery principal, scoped to this account's log prefix."""
    policy = _one(synth.resources(STACK, "AWS::S3::BucketPolicy"))
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    delivery = [s for s in statements if s["Effect"] == "Allow"]
    assert len(delivery) == 1
    (statement,) = delivery
    assert statement["Principal"] == {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    assert statement["Action"] == "s3:PutObject"
    parts = statement["Resource"]["Fn::Join"][1]
    assert parts[1:] == ["/load-balancer/AWSLogs/", {"Ref": "AWS::AccountId"}, "/*"]
    assert "Mappings" not in synth.templates[STACK]


def test_target_group_health_check_and_draining(synth: SynthResult) -> None:
    tg = _one(synth.resources(STACK, "AWS::ElasticLoadBalancingV2::TargetGroup"))["Properties"]
    assert tg["Port"] == 80 and tg["Protocol"] == "HTTP"
    assert tg["HealthCheckPath"] == "/healthz"
    assert tg["HealthCheckIntervalSeconds"] == 15
    assert tg["HealthCheckTimeoutSeconds"] == 5
    assert (tg["HealthyThresholdCount"], tg["UnhealthyThresholdCount"]) == (2, 3)
    assert tg["Matcher"] == {"HttpCode": "200-399"}
    attributes = {a["Key"]: a["Value"] for a in tg["TargetGroupAttributes"]}
    assert attributes["deregistration_delay.timeout_seconds"] == "30"


def test_http_listener_forwards_to_the_group(synth: SynthResult) -> None:
    listener = _one(synth.resources(STACK, "AWS::ElasticLoadBalancingV2::Listener"))
    props = listener["Properties"]
    assert (props["Port"], props["Protocol"]) == (80, "HTTP")
    assert props["DefaultActions"][0]["Type"] == "forward"


def test_target_tracking_on_cpu_and_requests(synth: SynthResult) -> None:
    policies = synth.resources(STACK, "AWS::AutoScaling::ScalingPolicy")
    tracking = {
        p["Properties"]["TargetTrackingConfiguration"]["PredefinedMetricSpecification"][
            "PredefinedMetricType"
        ]: p
        for p in policies.values()
        if p["Properties"]["PolicyType"] == "TargetTrackingScaling"
    }
    assert set(tracking) == {"ASGAverageCPUUtilization", "ALBRequestCountPerTarget"}
    cpu = tracking["ASGAverageCPUUtilization"]["Properties"]
    assert cpu["TargetTrackingConfiguration"]["TargetValue"] == 50
    assert "Cooldown" not in cpu
    requests = tracking["ALBRequestCountPerTarget"]
    config = requests["Properties"]["TargetTrackingConfiguration"]
    assert config["TargetValue"] == 1200  # 60 x the load's 20 requests/s per instance
    label = config["PredefinedMetricSpecification"]["ResourceLabel"]
    assert "TargetGroupFullName" in str(label)
    assert "DependsOn" not in requests  # the label already refers to the listener (W3005)


def test_scheduled_actions_with_time_zone(synth: SynthResult) -> None:
    actions = synth.resources(STACK, "AWS::AutoScaling::ScheduledAction")
    by_id = {k.split("ScheduledAction")[1][:-8]: a["Properties"] for k, a in actions.items()}
    assert by_id["BusinessHours"]["Recurrence"] == "0 8 * * MON-FRI"
    assert by_id["BusinessHours"]["TimeZone"] == "Europe/Berlin"
    assert by_id["BusinessHours"]["MinSize"] == 4
    assert "DesiredCapacity" not in by_id["BusinessHours"]
    night = dict(by_id["Night"])
    assert night.pop("AutoScalingGroupName")["Ref"].startswith("WebAutoScalingGroup")
    assert night == {"MinSize": 2, "Recurrence": "0 20 * * *", "TimeZone": "Europe/Berlin"}


def test_predictive_scaling_is_forecast_only(synth: SynthResult) -> None:
    policies = synth.resources(STACK, "AWS::AutoScaling::ScalingPolicy")
    predictive = [
        p for p in policies.values() if p["Properties"]["PolicyType"] == "PredictiveScaling"
    ]
    assert len(predictive) == 1
    config = predictive[0]["Properties"]["PredictiveScalingConfiguration"]
    assert config == {
        "MaxCapacityBreachBehavior": "HonorMaxCapacity",
        "MetricSpecifications": [
            {
                "PredefinedMetricPairSpecification": {"PredefinedMetricType": "ASGCPUUtilization"},
                "TargetValue": 50,
            }
        ],
        "Mode": "ForecastOnly",
        "SchedulingBufferTime": 300,
    }
    assert predictive[0]["Properties"]["AutoScalingGroupName"]["Ref"].startswith(
        "WebAutoScalingGroup"
    )


def test_alarms(synth: SynthResult) -> None:
    alarms = {
        k: a["Properties"] for k, a in synth.resources(STACK, "AWS::CloudWatch::Alarm").items()
    }
    by_name = {re.sub(r"^WebAlarms|[0-9A-F]{8}$", "", k): a for k, a in alarms.items()}
    assert set(by_name) == {
        "ServerErrorRate",
        "TargetResponseTime",
        "UnhealthyHosts",
        "InServiceBelowMinimum",
    }
    rate = by_name["ServerErrorRate"]
    assert rate["Threshold"] == 5
    expression = next(m for m in rate["Metrics"] if "Expression" in m)["Expression"]
    assert "/ requests" in expression
    inputs = {
        m["Id"]: m["MetricStat"]["Metric"]["MetricName"]
        for m in rate["Metrics"]
        if "MetricStat" in m
    }
    assert inputs == {
        "requests": "RequestCount",
        "elb5xx": "HTTPCode_ELB_5XX_Count",
        "target5xx": "HTTPCode_Target_5XX_Count",
    }
    latency = by_name["TargetResponseTime"]
    assert (latency["ExtendedStatistic"], latency["Threshold"]) == ("p95", 1)
    assert by_name["UnhealthyHosts"]["MetricName"] == "UnHealthyHostCount"
    in_service = by_name["InServiceBelowMinimum"]
    assert in_service["MetricName"] == "GroupInServiceInstances"
    assert in_service["ComparisonOperator"] == "LessThanThreshold"
    # the lowest minimum any mode sets (group 2, scheduled 4 and 2)
    assert in_service["Threshold"] == 2
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopicD01E77F9"}]


def test_created_vpc_has_flow_logs_and_one_nat(synth: SynthResult) -> None:
    flow = _one(synth.resources(STACK, "AWS::EC2::FlowLog"))["Properties"]
    assert flow["TrafficType"] == "ALL"
    assert flow["LogDestinationType"] == "cloud-watch-logs"
    log_group = _one(synth.resources(STACK, "AWS::Logs::LogGroup"))["Properties"]
    assert log_group["RetentionInDays"] == 365
    assert len(synth.resources(STACK, "AWS::EC2::NatGateway")) == 1
    assert len(synth.resources(STACK, "AWS::EC2::Subnet")) == 4  # 2 AZs x public/private


def test_capacity_is_recorded_for_review(synth: SynthResult) -> None:
    web = synth.stacks[STACK].node.find_child("Web")
    summaries = [e.data for e in web.node.metadata if e.type == "scalable-patterns:capacity"]
    assert summaries == [
        "2-10 x t4g.small (arm64) behind ALB; tracking cpu, request_count_per_target; "
        "2 scheduled; predictive forecast-only; sized for 100 requests/s at peak "
        "(instances at peak binds, 0% spare)"
    ]


# -- the NLB example: step scaling ------------------------------------------------------------


def test_nlb_tcp_listener_and_http_health_check(synth: SynthResult) -> None:
    lb = _one(synth.resources(STEP, "AWS::ElasticLoadBalancingV2::LoadBalancer"))["Properties"]
    assert lb["Type"] == "network"
    assert len(lb["SecurityGroups"]) == 1  # instances can reference the NLB's group
    listener = _one(synth.resources(STEP, "AWS::ElasticLoadBalancingV2::Listener"))["Properties"]
    assert (listener["Port"], listener["Protocol"]) == (80, "TCP")
    tg = _one(synth.resources(STEP, "AWS::ElasticLoadBalancingV2::TargetGroup"))["Properties"]
    assert (tg["Protocol"], tg["HealthCheckProtocol"], tg["HealthCheckPath"]) == (
        "TCP",
        "HTTP",
        "/healthz",
    )


def test_nlb_access_logs_use_log_delivery(synth: SynthResult) -> None:
    policy = _one(synth.resources(STEP, "AWS::S3::BucketPolicy"))
    allows = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"
    ]
    assert {s["Sid"] for s in allows} == {"AllowNlbAccessLogDelivery", "AllowNlbAccessLogAclCheck"}
    for statement in allows:
        assert statement["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == {
            "Ref": "AWS::AccountId"
        }


def test_step_scaling_policies_and_alarms(synth: SynthResult) -> None:
    policies = {
        k: p["Properties"]
        for k, p in synth.resources(STEP, "AWS::AutoScaling::ScalingPolicy").items()
    }
    assert all(p["PolicyType"] == "StepScaling" for p in policies.values())
    lower = next(p for k, p in policies.items() if "LowerPolicy" in k)
    upper = next(p for k, p in policies.items() if "UpperPolicy" in k)
    assert lower["StepAdjustments"] == [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}]
    assert upper["StepAdjustments"] == [
        {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 3},
    ]
    for policy in (lower, upper):
        assert policy["EstimatedInstanceWarmup"] == 180
        assert "Cooldown" not in policy  # step policies use warm-up, not cooldown
    alarms = synth.resources(STEP, "AWS::CloudWatch::Alarm").values()
    scaling = {
        a["Properties"]["Threshold"]: a["Properties"]
        for a in alarms
        if "CpuStepScaling" in str(a["Properties"]["AlarmActions"])
    }
    assert set(scaling) == {30, 60}
    for alarm in scaling.values():
        assert alarm["MetricName"] == "CPUUtilization" and alarm["Period"] == 60
        assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 2)


def test_nlb_alarms_skip_http_metrics(synth: SynthResult) -> None:
    names = {
        re.sub(r"^WebAlarms|[0-9A-F]{8}$", "", k)
        for k in synth.resources(STEP, "AWS::CloudWatch::Alarm")
        if k.startswith("WebAlarms")
    }
    assert names == {"UnhealthyHosts", "InServiceBelowMinimum"}


# -- variants -----------------------------------------------------------------------------------


def test_https_with_redirect_when_a_certificate_is_given() -> None:
    stack = new_stack()
    web = _web(stack, certificate=_certificate(stack))
    t = _template(web)
    listeners = t.find_resources("AWS::ElasticLoadBalancingV2::Listener")
    by_port = {r["Properties"]["Port"]: r["Properties"] for r in listeners.values()}
    assert by_port[443]["Protocol"] == "HTTPS"
    assert by_port[443]["Certificates"] == [{"CertificateArn": CERT_ARN}]
    assert by_port[80]["DefaultActions"][0]["Type"] == "redirect"
    assert by_port[80]["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    ports = sorted(r["FromPort"] for r in _ingress(t) if r.get("CidrIp") == "0.0.0.0/0")
    assert ports == [80, 443]
    assert (web.origin_protocol, web.origin_port) == ("https", 443)
    assert web.redirect_listener is not None


def test_nlb_with_certificate_terminates_tls() -> None:
    stack = new_stack()
    web = _web(stack, certificate=_certificate(stack), load_balancer_type="network")
    listener = _one(_template(web).find_resources("AWS::ElasticLoadBalancingV2::Listener"))
    assert (listener["Properties"]["Port"], listener["Properties"]["Protocol"]) == (443, "TLS")


def test_maintain_mode_keeps_a_fixed_count() -> None:
    web = _web(capacity=Capacity.maintain(3))
    group = _one(_template(web).find_resources("AWS::AutoScaling::AutoScalingGroup"))
    assert (group["Properties"]["MinSize"], group["Properties"]["MaxSize"]) == ("3", "3")
    assert "DesiredCapacity" not in group["Properties"]
    # a rolling update must keep fewer than MaxSize in service
    assert group["UpdatePolicy"]["AutoScalingRollingUpdate"]["MinInstancesInService"] == 2


def test_manual_mode_writes_desired_capacity() -> None:
    web = _web(capacity=Capacity(min_capacity=1, max_capacity=6, desired_capacity=3))
    group = _one(_template(web).find_resources("AWS::AutoScaling::AutoScalingGroup"))
    assert group["Properties"]["DesiredCapacity"] == "3"


def test_cloudfront_only_prefix_list_and_secret_header() -> None:
    stack = new_stack()
    secret = secretsmanager.Secret(stack, "OriginVerify")
    web = _web(
        stack,
        certificate=_certificate(stack),
        allow_from_cloudfront_only=True,
        cloudfront_prefix_list_id=PREFIX_LIST,
        cloudfront_origin_secret=secret,
    )
    t = _template(web)
    lb_rules = [r for r in _ingress(t) if r["Group"].startswith("WebLoadBalancer")]
    assert lb_rules == [
        {
            "Description": "CloudFront origin-facing servers only",
            "FromPort": 443,
            "ToPort": 443,
            "IpProtocol": "tcp",
            "SourcePrefixListId": PREFIX_LIST,
            "GroupId": {"Fn::GetAtt": [lb_rules[0]["Group"], "GroupId"]},
            "Group": lb_rules[0]["Group"],
        }
    ]
    # one listener: no HTTP redirect (the prefix list weighs ~55 of 60 rules)
    listener = _one(t.find_resources("AWS::ElasticLoadBalancingV2::Listener"))["Properties"]
    assert listener["DefaultActions"] == [
        {
            "FixedResponseConfig": {
                "ContentType": "text/plain",
                "MessageBody": "Forbidden",
                "StatusCode": "403",
            },
            "Type": "fixed-response",
        }
    ]
    rule = _one(t.find_resources("AWS::ElasticLoadBalancingV2::ListenerRule"))["Properties"]
    assert rule["Priority"] == 1
    assert rule["Actions"][0]["Type"] == "forward"
    condition = rule["Conditions"][0]
    assert condition["Field"] == "http-header"
    assert condition["HttpHeaderConfig"]["HttpHeaderName"] == "X-Origin-Verify"
    value = cdk.Stack.of(web).resolve(condition["HttpHeaderConfig"]["Values"][0])
    assert "resolve:secretsmanager" in str(value)  # the value is never in the template
    headers = web.cloudfront_origin_headers()
    assert list(headers) == ["X-Origin-Verify"]
    assert web.security_groups["load_balancer"] is not None


def test_explicit_origin_header_on_http() -> None:
    web = _web(origin_secret_header=("X-From-Edge", "s3cr3t-value-0123456789"))
    rule = _one(_template(web).find_resources("AWS::ElasticLoadBalancingV2::ListenerRule"))
    assert rule["Properties"]["Conditions"][0]["HttpHeaderConfig"] == {
        "HttpHeaderName": "X-From-Edge",
        "Values": ["s3cr3t-value-0123456789"],
    }
    assert web.cloudfront_origin_headers() == {"X-From-Edge": "s3cr3t-value-0123456789"}
    assert _web().cloudfront_origin_headers() == {}


def test_existing_vpc_is_used_as_is() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Shared", nat_gateways=1, restrict_default_security_group=False)
    web = _web(stack, vpc=vpc)
    assert web.vpc is vpc
    t = _template(web)
    t.resource_count_is("AWS::EC2::VPC", 1)
    t.resource_count_is("AWS::EC2::FlowLog", 0)  # the owner of the VPC decides


def test_x86_option() -> None:
    stack = new_stack()
    web = _web(stack, architecture="x86_64")
    t = _template(web)
    lt = _one(t.find_resources("AWS::EC2::LaunchTemplate"))["Properties"]["LaunchTemplateData"]
    assert lt["InstanceType"] == "t3.small"
    parameter = t.to_json()["Parameters"][lt["ImageId"]["Ref"]]
    assert parameter["Default"].endswith("x86_64")


def test_basic_monitoring_and_custom_volume() -> None:
    web = _web(detailed_monitoring=False, root_volume_size=40)
    lt = _one(_template(web).find_resources("AWS::EC2::LaunchTemplate"))["Properties"]
    data = lt["LaunchTemplateData"]
    assert data["Monitoring"] == {"Enabled": False}
    assert data["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 40
    assert web.group_metric("cpu").period.to_seconds() == 300


def test_network_and_custom_target_tracking() -> None:
    web = _web(
        target_tracking=[
            TargetTracking.network_in(10_000_000),
            TargetTracking.network_out(20_000_000, disable_scale_in=True),
            TargetTracking.custom("QueueBacklog", QUEUE_DEPTH, 100),
        ]
    )
    policies = _template(web).find_resources("AWS::AutoScaling::ScalingPolicy")
    configs = [p["Properties"]["TargetTrackingConfiguration"] for p in policies.values()]
    predefined = {
        c["PredefinedMetricSpecification"]["PredefinedMetricType"]: c
        for c in configs
        if "PredefinedMetricSpecification" in c
    }
    assert predefined["ASGAverageNetworkIn"]["TargetValue"] == 10_000_000
    assert predefined["ASGAverageNetworkOut"]["DisableScaleIn"] is True
    custom = next(c for c in configs if "CustomizedMetricSpecification" in c)
    assert custom["CustomizedMetricSpecification"]["MetricName"] == (
        "ApproximateNumberOfMessagesVisible"
    )
    assert custom["TargetValue"] == 100
    assert set(web.target_tracking_policies) == {
        "NetworkInTracking",
        "NetworkOutTracking",
        "QueueBacklogTracking",
    }


def test_step_scaling_on_a_custom_metric_with_percent_steps() -> None:
    web = _web(
        step_scaling=[
            StepScaling(
                name="QueueDepth",
                metric=QUEUE_DEPTH,
                steps=(
                    ScalingStep(lower=0, upper=100, change=0),
                    ScalingStep(lower=100, upper=None, change=50),
                ),
                adjustment_type="percent_change_in_capacity",
                min_adjustment_magnitude=2,
            )
        ]
    )
    t = _template(web)
    t.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PolicyType": "StepScaling",
            "AdjustmentType": "PercentChangeInCapacity",
            "MinAdjustmentMagnitude": 2,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 50}],
        },
    )
    t.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "ApproximateNumberOfMessagesVisible", "Threshold": 100},
    )
    assert set(web.step_scaling_policies) == {"QueueDepth"}


def test_predictive_forecast_and_scale_on_request_count() -> None:
    web = _web(
        predictive_scaling=PredictiveScaling(
            metric="request_count_per_target",
            target_value=1_200,
            mode="forecast_and_scale",
            max_capacity_breach="increase",
            max_capacity_buffer=20,
        )
    )
    policy = _one(_template(web).find_resources("AWS::AutoScaling::ScalingPolicy"))
    config = policy["Properties"]["PredictiveScalingConfiguration"]
    assert config["Mode"] == "ForecastAndScale"
    assert config["MaxCapacityBreachBehavior"] == "IncreaseMaxCapacity"
    assert config["MaxCapacityBuffer"] == 20
    assert "SchedulingBufferTime" not in config
    pair = config["MetricSpecifications"][0]["PredefinedMetricPairSpecification"]
    assert pair["PredefinedMetricType"] == "ALBRequestCount"
    label = str(pair["ResourceLabel"])
    assert "LoadBalancerFullName" in label and "TargetGroupFullName" in label
    assert web.predictive_scaling_policy is not None


def test_scheduled_action_start_and_end_times() -> None:
    start = datetime(2030, 1, 1, 8, tzinfo=UTC)
    end = datetime(2030, 3, 1, 8, tzinfo=UTC)
    web = _web(
        scheduled_actions=[
            ScheduledAction(
                name="Campaign",
                schedule="0 6 * * *",
                desired_capacity=3,
                start_time=start,
                end_time=end,
            )
        ]
    )
    action = _one(_template(web).find_resources("AWS::AutoScaling::ScheduledAction"))
    props = action["Properties"]
    assert props["DesiredCapacity"] == 3
    assert props["StartTime"].startswith("2030-01-01T08:00:00")
    assert props["EndTime"].startswith("2030-03-01T08:00:00")
    assert "TimeZone" not in props  # UTC
    assert set(web.scheduled_actions) == {"Campaign"}


def test_no_in_service_alarm_when_the_minimum_can_be_zero() -> None:
    web = _web(
        capacity=Capacity(min_capacity=1, max_capacity=4),
        scheduled_actions=[ScheduledAction(name="Night", schedule="0 22 * * *", min_capacity=0)],
    )
    assert "InServiceBelowMinimum" not in web.alarms
    assert {"ServerErrorRate", "TargetResponseTime", "UnhealthyHosts"} <= set(web.alarms)


def test_metrics_of_the_alarms() -> None:
    web = _web()
    stack = cdk.Stack.of(web)
    assert web.metric("RequestCount").namespace == "AWS/ApplicationELB"
    latency = web.metric_target_response_time()
    assert (latency.metric_name, latency.statistic, latency.period.to_seconds()) == (
        "TargetResponseTime",
        "p95",
        60,
    )
    assert web.metric_target_response_time(statistic="p99").statistic == "p99"
    assert web.metric_unhealthy_hosts().metric_name == "UnHealthyHostCount"
    in_service = web.metric_in_service_instances()
    assert (in_service.namespace, in_service.statistic) == ("AWS/AutoScaling", "Minimum")
    assert "requests" in web.metric_server_error_rate().using_metrics
    # the alarms watch these metrics
    for name, metric in (
        ("TargetResponseTime", latency),
        ("UnhealthyHosts", web.metric_unhealthy_hosts()),
        ("InServiceBelowMinimum", in_service),
    ):
        watched = web.alarms[name].metric
        assert isinstance(watched, cw.Metric)
        assert (watched.metric_name, watched.statistic) == (metric.metric_name, metric.statistic)
        assert stack.resolve(watched.dimensions) == stack.resolve(metric.dimensions)


def test_nlb_has_no_http_metrics() -> None:
    web = _web(load_balancer_type="network")
    assert web.metric("ActiveFlowCount").namespace == "AWS/NetworkELB"
    assert web.metric_unhealthy_hosts().namespace == "AWS/NetworkELB"
    with pytest.raises(TypeError, match="needs an Application Load Balancer"):
        web.metric_server_error_rate()
    with pytest.raises(TypeError, match="needs an Application Load Balancer"):
        web.metric_target_response_time()


def test_existing_log_bucket_and_deletion_protection_off() -> None:
    from patterns.core.defaults import access_log_bucket

    stack = new_stack()
    bucket = access_log_bucket(stack, "Logs")
    web = _web(stack, access_logs_bucket=bucket, deletion_protection=False)
    assert web.access_logs_bucket is bucket
    t = _template(web)
    t.resource_count_is("AWS::S3::Bucket", 1)
    lb = _one(t.find_resources("AWS::ElasticLoadBalancingV2::LoadBalancer"))
    attributes = {a["Key"]: a["Value"] for a in lb["Properties"]["LoadBalancerAttributes"]}
    assert attributes["deletion_protection.enabled"] == "false"


def _plain_stack() -> cdk.Stack:
    """A stack in a user's plain app: no feature flags at all."""
    return cdk.Stack(cdk.App(), "Plain")


@pytest.mark.parametrize("load_balancer_type", ["application", "network"])
def test_tls_policy_is_explicit_without_feature_flags(load_balancer_type: str) -> None:
    stack = _plain_stack()
    web = _web(stack, certificate=_certificate(stack), load_balancer_type=load_balancer_type)
    _template(web).has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {"Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09"},
    )


def test_without_a_topic_the_group_notifies_a_topic_of_its_own() -> None:
    web = _web(_plain_stack())
    t = _template(web)
    topic = _one(t.find_resources("AWS::SNS::Topic"))
    key_id = topic["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    assert key_id.startswith("WebNotificationKey")
    group = _one(t.find_resources("AWS::AutoScaling::AutoScalingGroup"))["Properties"]
    assert group["NotificationConfigurations"] == [
        {
            "NotificationTypes": [
                "autoscaling:EC2_INSTANCE_LAUNCH",
                "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
                "autoscaling:EC2_INSTANCE_TERMINATE",
                "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
            ],
            "TopicARN": cdk.Stack.of(web).resolve(web.notification_topic.topic_arn),
        }
    ]
    # Auto Scaling publishes with its service-linked role: the key must let it encrypt.
    statements = t.find_resources("AWS::KMS::Key")[key_id]["Properties"]["KeyPolicy"]["Statement"]
    (statement,) = [s for s in statements if s.get("Sid") == "AllowAutoScalingNotifications"]
    assert statement["Action"] == ["kms:GenerateDataKey*", "kms:Decrypt"]
    conditions = statement["Condition"]["StringEquals"]
    assert conditions["aws:PrincipalArn"]["Fn::Join"][1][-1] == (
        ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    )
    assert "kms:ViaService" in conditions


def test_the_alarm_topics_key_lets_auto_scaling_publish_once() -> None:
    from patterns.core.monitoring import create_alarm_topic

    stack = _plain_stack()
    topic = create_alarm_topic(stack, "Alarms")
    web = _web(stack, alarm_topic=topic)
    ScalableWebTier(
        stack,
        "Admin",
        capacity=Capacity(min_capacity=1, max_capacity=2),
        allow_plain_http=True,
        alarm_topic=topic,
    )
    assert web.notification_topic is topic
    t = _template(web)
    t.resource_count_is("AWS::SNS::Topic", 1)
    (key,) = t.find_resources(
        "AWS::KMS::Key", {"Properties": {"Description": Match.string_like_regexp("alarm topic")}}
    ).values()
    sids = [s.get("Sid") for s in key["Properties"]["KeyPolicy"]["Statement"]]
    assert sids.count("AllowAutoScalingNotifications") == 1


def test_destroy_leaves_a_deletable_web_tier() -> None:
    web = _web(_plain_stack(), removal_policy=cdk.RemovalPolicy.DESTROY)
    t = _template(web)
    lb = _one(t.find_resources("AWS::ElasticLoadBalancingV2::LoadBalancer"))
    attributes = {a["Key"]: a["Value"] for a in lb["Properties"]["LoadBalancerAttributes"]}
    assert attributes["deletion_protection.enabled"] == "false"
    for resource in t.to_json()["Resources"].values():
        assert resource.get("DeletionPolicy", "Delete") == "Delete", resource["Type"]


def test_destroy_empties_the_access_log_bucket() -> None:
    web = _web(_plain_stack(), removal_policy=cdk.RemovalPolicy.DESTROY)
    _template(web).resource_count_is("Custom::S3AutoDeleteObjects", 1)


def test_env_bound_stack_uses_the_same_principal() -> None:
    stack = cdk.Stack(
        new_app(), "Bound", env=cdk.Environment(account="111122223333", region="eu-west-1")
    )
    web = _web(stack)
    statements = _one(_template(web).find_resources("AWS::S3::BucketPolicy"))["Properties"][
        "PolicyDocument"
    ]["Statement"]
    principals = [s["Principal"] for s in statements if s["Effect"] == "Allow"]
    assert principals == [{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}]


def test_unresolved_tokens_are_not_validated() -> None:
    stack = new_stack()
    low = cdk.CfnParameter(stack, "Min", type="Number").value_as_number
    high = cdk.CfnParameter(stack, "Max", type="Number").value_as_number
    warmup = cdk.CfnParameter(stack, "Warmup", type="Number").value_as_number
    schedule = cdk.CfnParameter(stack, "Schedule").value_as_string
    _web(
        stack,
        capacity=Capacity(min_capacity=low, max_capacity=high),
        default_instance_warmup=Duration.seconds(warmup),
        scheduled_actions=[ScheduledAction(name="Custom", schedule=schedule, max_capacity=high)],
        cloudfront_prefix_list_id=cdk.CfnParameter(stack, "PrefixList").value_as_string,
        allow_from_cloudfront_only=True,
    )
    template = Template.from_stack(stack)
    group = _one(template.find_resources("AWS::AutoScaling::AutoScalingGroup"))
    assert group["Properties"]["MaxSize"] == {"Ref": "Max"}
    assert group["UpdatePolicy"]["AutoScalingRollingUpdate"]["MinInstancesInService"] == 0
    template.resource_count_is("AWS::CloudWatch::Alarm", 3)  # no in-service threshold


# -- cron -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "0 8 * * MON-FRI",
        "*/15 * * * *",
        "30 0 1 1,6,12 *",
        "0 9-17/2 * JAN-MAR 1-5",
        "59 23 31 12 6",
        "0 0 * * sun",
    ],
)
def test_valid_cron(expression: str) -> None:
    assert cron_problems(expression) == []


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 8 * *", r"must have 5 fields .* got 4"),
        ("0 8 * * * *", r"got 6"),
        ("cron(0 8 * * ? *)", r"EventBridge syntax"),
        ("60 * * * *", r"minute field '60': 60 is outside 0-59"),
        ("0 24 * * *", r"hour field '24': 24 is outside 0-23"),
        ("0 0 0 * *", r"day-of-month field '0': 0 is outside 1-31"),
        ("0 0 * 13 *", r"month field '13'"),
        ("0 0 * * 7", r"day-of-week field '7': 7 is outside 0-6"),
        ("0 0 ? * MON", r"day-of-month field '\?'"),
        ("0 0 * * FRI-MON", r"range FRI-MON runs backwards"),
        ("*/0 * * * *", r"step 0 must be between 1 and 59"),
        ("0 0 * FOO *", r"'FOO' is not a value \(1-12 or JAN-DEC\)"),
        ("0 0 L * *", r"'L' is not a value"),
    ],
)
def test_invalid_cron(expression: str, message: str) -> None:
    problems = cron_problems(expression)
    assert problems and re.search(message, problems[0]), problems


# -- validation: every error ------------------------------------------------------------------


def _step(**overrides: Any) -> StepScaling:
    values: dict[str, Any] = {"name": "Cpu", "metric": "cpu", "steps": CPU_STEPS}
    values.update(overrides)
    return StepScaling(**values)


def _scheduled(**overrides: Any) -> ScheduledAction:
    values: dict[str, Any] = {"name": "Peak", "schedule": "0 8 * * *", "min_capacity": 2}
    values.update(overrides)
    return ScheduledAction(**values)


NAIVE = datetime(2030, 1, 1, 8)  # the invalid value under test: no tzinfo

CASES: list[tuple[dict[str, Any], str]] = [
    # capacity
    (
        {"capacity": Capacity(min_capacity=-1, max_capacity=2)},
        r"capacity.min_capacity must be at least 0, got -1",
    ),
    (
        {"capacity": Capacity(min_capacity=0, max_capacity=0)},
        r"capacity.max_capacity must be at least 1, got 0",
    ),
    (
        {"capacity": Capacity(min_capacity=3, max_capacity=2)},
        r"capacity.min_capacity must be at most max_capacity \(2\), got 3",
    ),
    (
        {"capacity": Capacity(min_capacity=2, max_capacity=4, desired_capacity=5)},
        r"capacity.desired_capacity must be between min_capacity \(2\) and max_capacity \(4\), got 5",
    ),
    (
        {"capacity": Capacity(min_capacity=1, max_capacity=2, desired_capacity=-1)},
        r"capacity.desired_capacity must be at least 0",
    ),
    (
        {"capacity": Capacity(min_capacity=1.5, max_capacity=2)},
        r"capacity.min_capacity must be a whole number",
    ),
    ({"capacity": (1, 2)}, r"capacity must be a Capacity, got tuple"),
    # network
    ({"max_azs": 1}, r"max_azs must be at least 2, got 1"),
    ({"nat_gateways": 0}, r"nat_gateways must be between 1 and 2, got 0"),
    ({"nat_gateways": 3}, r"nat_gateways must be between 1 and 2, got 3"),
    # instances
    ({"architecture": "sparc"}, r"architecture must be one of 'arm64', 'x86_64', got 'sparc'"),
    (
        {"instance_type": ec2.InstanceType("m5.large")},
        r"instance_type must be an arm64 type to match architecture, got m5.large",
    ),
    (
        {"architecture": "x86_64", "instance_type": ec2.InstanceType("c7g.large")},
        r"instance_type must be an x86_64 type",
    ),
    ({"root_volume_size": 4}, r"root_volume_size must be between 8 GiB and 16,384 GiB, got 4 GiB"),
    ({"app_port": 70_000}, r"app_port must be between 1 and 65,535, got 70,000"),
    # load balancer
    (
        {"load_balancer_type": "gateway"},
        r"load_balancer_type must be one of 'application', 'network', got 'gateway'",
    ),
    (
        {"allow_plain_http": False},
        r"certificate is required for HTTPS .* pass allow_plain_http=True",
    ),
    ({"health_check_path": "healthz"}, r"health_check_path must start with '/'"),
    (
        {"health_check_interval": Duration.seconds(400)},
        r"health_check_interval must be between 5 s and 5 min, got 400 s",
    ),
    (
        {"health_check_timeout": Duration.seconds(1)},
        r"health_check_timeout must be between 2 s and 2 min, got 1 s",
    ),
    (
        {"health_check_timeout": Duration.seconds(15)},
        r"health_check_timeout must be shorter than health_check_interval \(15 s\), got 15 s",
    ),
    ({"healthy_threshold_count": 1}, r"healthy_threshold_count must be between 2 and 10, got 1"),
    (
        {"unhealthy_threshold_count": 11},
        r"unhealthy_threshold_count must be between 2 and 10, got 11",
    ),
    (
        {"deregistration_delay": Duration.hours(2)},
        r"deregistration_delay must be between 0 s and 1 h, got 2 h",
    ),
    # CloudFront
    (
        {"allow_from_cloudfront_only": True},
        r"cloudfront_prefix_list_id is required with allow_from_cloudfront_only",
    ),
    (
        {"cloudfront_prefix_list_id": PREFIX_LIST},
        r"cloudfront_prefix_list_id applies only with allow_from_cloudfront_only=True",
    ),
    (
        {"allow_from_cloudfront_only": True, "cloudfront_prefix_list_id": "sg-123"},
        r"cloudfront_prefix_list_id must look like 'pl-0123456789abcdef0', got 'sg-123'",
    ),
    (
        {"origin_secret_header": ("X-A", "0123456789abcdef"), "load_balancer_type": "network"},
        r"origin_secret_header needs an Application Load Balancer",
    ),
    (
        {"origin_secret_header": "X-A: secret"},
        r"origin_secret_header must be a \(name, value\) tuple",
    ),
    (
        {"origin_secret_header": ("X A", "0123456789abcdef")},
        r"origin_secret_header name must be 1-40 HTTP token characters, got 'X A'",
    ),
    (
        {"origin_secret_header": ("X-A", "short")},
        r"origin_secret_header value must be a secret of 16-128 characters",
    ),
    # group
    (
        {"health_check_grace_period": Duration.hours(2)},
        r"health_check_grace_period must be between 0 s and 1 h, got 2 h",
    ),
    (
        {"default_instance_warmup": Duration.hours(2)},
        r"default_instance_warmup must be between 0 s and 1 h, got 2 h",
    ),
    ({"cooldown": Duration.hours(2)}, r"cooldown must be between 0 s and 1 h, got 2 h"),
    # scheduled
    (
        {"scheduled_actions": [_scheduled(name="peak")]},
        r"scheduled_actions\[0\].name must be PascalCase",
    ),
    (
        {"scheduled_actions": [_scheduled(schedule="0 25 * * *")]},
        r"scheduled_actions\[0\].schedule hour field '25': 25 is outside 0-23 \(got '0 25 \* \* \*'\)",
    ),
    (
        {"scheduled_actions": [_scheduled(schedule="cron(0 8 * * ? *)")]},
        r"scheduled_actions\[0\].schedule uses EventBridge syntax",
    ),
    (
        {"scheduled_actions": [_scheduled(time_zone="Mars/Olympus")]},
        r"scheduled_actions\[0\].time_zone must be an IANA time zone name .* got 'Mars/Olympus'",
    ),
    (
        {"scheduled_actions": [_scheduled(min_capacity=None)]},
        r"scheduled_actions\[0\] must set at least one of min_capacity, max_capacity, desired_capacity",
    ),
    (
        {"scheduled_actions": [_scheduled(min_capacity=-2)]},
        r"scheduled_actions\[0\].min_capacity must be at least 0, got -2",
    ),
    (
        {"scheduled_actions": [_scheduled(min_capacity=5, max_capacity=3)]},
        r"scheduled_actions\[0\].min_capacity must be at most max_capacity \(3\), got 5",
    ),
    (
        {"scheduled_actions": [_scheduled(min_capacity=3, desired_capacity=2)]},
        r"scheduled_actions\[0\].desired_capacity must be at least min_capacity \(3\), got 2",
    ),
    (
        {"scheduled_actions": [_scheduled(min_capacity=None, max_capacity=3, desired_capacity=4)]},
        r"scheduled_actions\[0\].desired_capacity must be at most max_capacity \(3\), got 4",
    ),
    (
        {"scheduled_actions": [_scheduled(start_time=NAIVE)]},
        r"scheduled_actions\[0\].start_time must be timezone-aware",
    ),
    (
        {
            "scheduled_actions": [
                _scheduled(
                    start_time=datetime(2030, 2, 1, tzinfo=UTC),
                    end_time=datetime(2030, 1, 1, tzinfo=UTC),
                )
            ]
        },
        r"scheduled_actions\[0\].end_time must be after start_time",
    ),
    (
        {"scheduled_actions": [_scheduled(), _scheduled()]},
        r"scheduled_actions\[1\].name is used twice, got 'Peak'",
    ),
    # target tracking
    (
        {"target_tracking": [TargetTracking.cpu(120)]},
        r"target_tracking\[0\].target_value must be greater than 0 and at most 100 %, got 120 %",
    ),
    (
        {"target_tracking": [TargetTracking.cpu(0)]},
        r"target_tracking\[0\].target_value must be greater than 0",
    ),
    (
        {"target_tracking": [TargetTracking.network_in(-5)]},
        r"target_tracking\[0\].target_value must be greater than 0, got -5",
    ),
    (
        {
            "target_tracking": [TargetTracking.request_count_per_target(100)],
            "load_balancer_type": "network",
        },
        r"target_tracking\[0\].metric 'request_count_per_target' needs an Application Load Balancer",
    ),
    (
        {"target_tracking": [TargetTracking(metric="custom", target_value=10, name="Backlog")]},
        r"target_tracking\[0\].custom_metric is required for metric='custom'",
    ),
    (
        {
            "target_tracking": [
                TargetTracking.custom(
                    "Backlog",
                    cw.MathExpression(expression="m * 2", using_metrics={"m": QUEUE_DEPTH}),
                    10,
                )
            ]
        },
        r"target_tracking\[0\].custom_metric must be a cw.Metric",
    ),
    (
        {"target_tracking": [TargetTracking.custom("backlog", QUEUE_DEPTH, 10)]},
        r"target_tracking\[0\].name must be PascalCase",
    ),
    (
        {"target_tracking": [TargetTracking.custom("Backlog", QUEUE_DEPTH, float("inf"))]},
        r"target_tracking\[0\].target_value must be a finite number",
    ),
    (
        {
            "target_tracking": [
                TargetTracking(metric="cpu", target_value=50, custom_metric=QUEUE_DEPTH)
            ]
        },
        r"target_tracking\[0\].custom_metric applies only to metric='custom'",
    ),
    (
        {"target_tracking": [TargetTracking.cpu(50, estimated_instance_warmup=Duration.hours(2))]},
        r"target_tracking\[0\].estimated_instance_warmup must be between 0 s and 1 h",
    ),
    (
        {"target_tracking": [TargetTracking.cpu(50), TargetTracking.cpu(70)]},
        r"target_tracking\[1\] tracks 'cpu' twice",
    ),
    (
        {"target_tracking": [TargetTracking(metric="memory", target_value=50)]},
        r"target_tracking\[0\].metric must be one of",
    ),
    # step scaling
    ({"step_scaling": [_step(name="cpu")]}, r"step_scaling\[0\].name must be PascalCase"),
    (
        {"step_scaling": [_step(metric="memory")]},
        r"step_scaling\[0\].metric must be one of 'cpu', 'network_in', 'network_out'",
    ),
    (
        {"step_scaling": [_step(adjustment_type="double")]},
        r"step_scaling\[0\].adjustment_type must be one of",
    ),
    (
        {"step_scaling": [_step(min_adjustment_magnitude=2)]},
        r"step_scaling\[0\].min_adjustment_magnitude applies only to adjustment_type='percent_change_in_capacity'",
    ),
    (
        {"step_scaling": [_step(estimated_instance_warmup=Duration.hours(2))]},
        r"step_scaling\[0\].estimated_instance_warmup must be between 0 s and 1 h",
    ),
    (
        {"step_scaling": [_step(evaluation_periods=0)]},
        r"step_scaling\[0\].evaluation_periods must be at least 1, got 0",
    ),
    (
        {"step_scaling": [_step(evaluation_periods=2, datapoints_to_alarm=3)]},
        r"step_scaling\[0\].datapoints_to_alarm must be between 1 and 2, got 3",
    ),
    (
        {"step_scaling": [_step(steps=CPU_STEPS[:1])]},
        r"step_scaling\[0\].steps must have between 2 and 40 steps, got 1",
    ),
    (
        {
            "step_scaling": [
                _step(steps=(ScalingStep(lower=None, upper=None, change=1), CPU_STEPS[1]))
            ]
        },
        r"step_scaling\[0\].steps\[0\] must set lower or upper \(or both\)",
    ),
    (
        {
            "step_scaling": [
                _step(steps=(CPU_STEPS[0], ScalingStep(lower=None, upper=60, change=0)))
            ]
        },
        r"step_scaling\[0\].steps\[1\].lower may be None \(minus infinity\) only on the first step",
    ),
    (
        {"step_scaling": [_step(steps=(ScalingStep(lower=0, upper=None, change=0), CPU_STEPS[2]))]},
        r"step_scaling\[0\].steps\[0\].upper may be None \(infinity\) only on the last step",
    ),
    (
        {"step_scaling": [_step(steps=(ScalingStep(lower=50, upper=40, change=0), CPU_STEPS[2]))]},
        r"step_scaling\[0\].steps\[0\] must have lower < upper, got \[50, 40\)",
    ),
    (
        {
            "step_scaling": [
                _step(steps=(CPU_STEPS[0], ScalingStep(lower=20, upper=60, change=0), CPU_STEPS[2]))
            ]
        },
        r"step_scaling\[0\].steps\[1\] starts at 20, inside step 0 \[-inf, 30\): steps must be ascending and must not overlap",
    ),
    (
        {
            "step_scaling": [
                _step(steps=(CPU_STEPS[0], ScalingStep(lower=40, upper=60, change=0), CPU_STEPS[2]))
            ]
        },
        r"step_scaling\[0\].steps\[1\] starts at 40 but step 0 ends at 30: no step covers \[30, 40\) \(no gaps allowed\)",
    ),
    (
        {
            "step_scaling": [
                _step(
                    steps=(
                        ScalingStep(lower=10, upper=30, change=-1),
                        ScalingStep(lower=30, upper=60, change=0),
                        ScalingStep(lower=60, upper=90, change=1),
                    )
                )
            ]
        },
        r"step_scaling\[0\].steps must have one no-change band .* got 3",
    ),
    (
        {
            "step_scaling": [
                _step(
                    adjustment_type="exact_capacity",
                    steps=(
                        ScalingStep(lower=None, upper=30, change=-1),
                        ScalingStep(lower=30, upper=None, change=4),
                    ),
                )
            ]
        },
        r"step_scaling\[0\].steps\[0\].change is a capacity with exact_capacity, so >= 0; got -1",
    ),
    ({"step_scaling": [_step(), _step()]}, r"step_scaling\[1\].name is used twice, got 'Cpu'"),
    # predictive
    (
        {"predictive_scaling": PredictiveScaling(target_value=150)},
        r"predictive_scaling.target_value must be greater than 0 and at most 100 %, got 150 %",
    ),
    (
        {"predictive_scaling": PredictiveScaling(metric="network_in", target_value=0)},
        r"predictive_scaling.target_value must be greater than 0, got 0",
    ),
    (
        {
            "predictive_scaling": PredictiveScaling(
                metric="request_count_per_target", target_value=100
            ),
            "load_balancer_type": "network",
        },
        r"predictive_scaling.metric 'request_count_per_target' needs an Application Load Balancer",
    ),
    (
        {"predictive_scaling": PredictiveScaling(metric="memory", target_value=50)},
        r"predictive_scaling.metric must be one of",
    ),
    (
        {"predictive_scaling": PredictiveScaling(target_value=50, mode="scale_only")},
        r"predictive_scaling.mode must be one of 'forecast_only', 'forecast_and_scale'",
    ),
    (
        {
            "predictive_scaling": PredictiveScaling(
                target_value=50, scheduling_buffer=Duration.hours(2)
            )
        },
        r"predictive_scaling.scheduling_buffer must be between 0 s and 1 h, got 2 h",
    ),
    (
        {"predictive_scaling": PredictiveScaling(target_value=50, max_capacity_breach="ignore")},
        r"predictive_scaling.max_capacity_breach must be one of 'honor', 'increase'",
    ),
    (
        {"predictive_scaling": PredictiveScaling(target_value=50, max_capacity_buffer=10)},
        r"predictive_scaling.max_capacity_buffer applies only to max_capacity_breach='increase'",
    ),
    (
        {
            "predictive_scaling": PredictiveScaling(
                target_value=50, max_capacity_breach="increase", max_capacity_buffer=150
            )
        },
        r"predictive_scaling.max_capacity_buffer must be between 0 % and 100 %, got 150 %",
    ),
    # combinations
    (
        {"capacity": Capacity.maintain(2), "target_tracking": [TargetTracking.cpu(50)]},
        r"capacity is fixed at 2 \(min = max\), so target_tracking could never change it",
    ),
    (
        {
            "capacity": Capacity.maintain(2),
            "predictive_scaling": PredictiveScaling(target_value=50, mode="forecast_and_scale"),
            "step_scaling": [_step()],
        },
        r"so step_scaling, predictive_scaling could never change it",
    ),
    # alarms
    (
        {"error_rate_threshold_percent": 0},
        r"error_rate_threshold_percent must be between 0.01 % and 100 %, got 0 %",
    ),
    (
        {"latency_threshold": Duration.minutes(2)},
        r"latency_threshold must be between 0 s and 1 min, got 2 min",
    ),
    ({"latency_threshold": Duration.seconds(0)}, r"latency_threshold must be greater than 0 s"),
    # -- found by the input validation audit ---------------------------------------------------
    # whole seconds (before: aws-cdk-lib's opaque "cannot be converted into a whole number")
    (
        {"health_check_interval": Duration.millis(15_500)},
        r"health_check_interval must be a whole number of seconds, got 15.5 s",
    ),
    (
        {"health_check_timeout": Duration.millis(5_500)},
        r"health_check_timeout must be a whole number of seconds, got 5.5 s",
    ),
    (
        {"deregistration_delay": Duration.millis(1_500)},
        r"deregistration_delay must be a whole number of seconds, got 1.5 s",
    ),
    (
        {"health_check_grace_period": Duration.millis(1_500)},
        r"health_check_grace_period must be a whole number of seconds, got 1.5 s",
    ),
    (
        {"default_instance_warmup": Duration.millis(1_500)},
        r"default_instance_warmup must be a whole number of seconds, got 1.5 s",
    ),
    (
        {"cooldown": Duration.millis(1_500)},
        r"cooldown must be a whole number of seconds, got 1.5 s",
    ),
    (
        {
            "target_tracking": [
                TargetTracking.cpu(50, estimated_instance_warmup=Duration.millis(1_500))
            ]
        },
        r"target_tracking\[0\].estimated_instance_warmup must be a whole number of seconds",
    ),
    (
        {"step_scaling": [_step(estimated_instance_warmup=Duration.millis(1_500))]},
        r"step_scaling\[0\].estimated_instance_warmup must be a whole number of seconds",
    ),
    (
        {
            "predictive_scaling": PredictiveScaling(
                target_value=50, scheduling_buffer=Duration.millis(1_500)
            )
        },
        r"predictive_scaling.scheduling_buffer must be a whole number of seconds, got 1.5 s",
    ),
    # health check matcher (before: accepted, rejected by ELB at deploy time / ignored on an NLB)
    (
        {"healthy_http_codes": "600"},
        r"healthy_http_codes must be HTTP codes 200-499 as '200', '200,202' or '200-299', got '600'",
    ),
    ({"healthy_http_codes": "2xx"}, r"healthy_http_codes must be HTTP codes 200-499"),
    ({"healthy_http_codes": "399-200"}, r"healthy_http_codes must be HTTP codes 200-499"),
    (
        {"load_balancer_type": "network", "healthy_http_codes": "200"},
        r"healthy_http_codes applies only to an Application Load Balancer",
    ),
    # None where a choice is needed (before: silently x86_64 / a Network Load Balancer)
    ({"architecture": None}, r"architecture must be 'arm64' or 'x86_64', got None"),
    ({"load_balancer_type": None}, r"load_balancer_type must be 'application' or 'network'"),
    # wrong types (before: AttributeError / TypeError / jsii deserialization errors)
    ({"detailed_monitoring": "no"}, r"detailed_monitoring must be True or False, got 'no'"),
    ({"allow_plain_http": "no"}, r"allow_plain_http must be True or False, got 'no'"),
    ({"deletion_protection": "no"}, r"deletion_protection must be True or False, got 'no'"),
    (
        {"allow_from_cloudfront_only": "yes", "cloudfront_prefix_list_id": "pl-0123456789abcdef0"},
        r"allow_from_cloudfront_only must be True or False, got 'yes'",
    ),
    (
        {"allow_from_cloudfront_only": True, "cloudfront_prefix_list_id": 5},
        r"cloudfront_prefix_list_id must be a string, got int 5",
    ),
    ({"instance_type": "t4g.small"}, r"instance_type must be an ec2.InstanceType, got str"),
    ({"vpc": "vpc-1"}, r"vpc must be an ec2.IVpc, got str"),
    ({"instance_subnets": "private"}, r"instance_subnets must be an ec2.SubnetSelection, got str"),
    ({"machine_image": "ami-1"}, r"machine_image must be an ec2.IMachineImage, got str"),
    ({"user_data": "#!/bin/sh"}, r"user_data must be an ec2.UserData, got str"),
    ({"root_volume_key": "alias/ebs"}, r"root_volume_key must be a kms.IKey, got str"),
    (
        {"certificate": "arn:aws:acm:eu-west-1:1:certificate/x"},
        r"certificate must be an acm.ICertificate",
    ),
    ({"ssl_policy": "TLS13"}, r"ssl_policy must be an elbv2.SslPolicy, got str"),
    ({"access_logs_bucket": "logs"}, r"access_logs_bucket must be an s3.IBucket, got str"),
    (
        {"cloudfront_origin_secret": "secret"},
        r"cloudfront_origin_secret must be a secretsmanager.ISecret, got str",
    ),
    ({"termination_policies": "DEFAULT"}, r"termination_policies must be a list of autoscaling"),
    (
        {"termination_policies": ["DEFAULT"]},
        r"termination_policies\[0\] must be an autoscaling.TerminationPolicy, got str",
    ),
    ({"notification_topic": "arn"}, r"notification_topic must be an sns.ITopic, got str"),
    ({"removal_policy": "DESTROY"}, r"removal_policy must be a RemovalPolicy, got str"),
    # a dev stack that CloudFormation could not delete (before: protection stayed on silently)
    (
        {"deletion_protection": True, "removal_policy": cdk.RemovalPolicy.DESTROY},
        r"deletion_protection cannot be True with removal_policy=RemovalPolicy.DESTROY",
    ),
    ({"alarm_topic": "arn"}, r"alarm_topic must be an sns.ITopic, got str"),
    ({"dashboard": "Ops"}, r"dashboard must be a cloudwatch.Dashboard, got str"),
    (
        {"scheduled_actions": "Peak"},
        r"scheduled_actions must be a list of ScheduledAction, got str",
    ),
    ({"scheduled_actions": [{"name": "A"}]}, r"scheduled_actions\[0\] must be a ScheduledAction"),
    ({"target_tracking": [50]}, r"target_tracking\[0\] must be a TargetTracking, got int"),
    ({"step_scaling": ["Cpu"]}, r"step_scaling\[0\] must be a StepScaling, got str"),
    ({"predictive_scaling": 50}, r"predictive_scaling must be a PredictiveScaling, got int"),
    (
        {"capacity": Capacity(min_capacity="1", max_capacity=4)},
        r"capacity.min_capacity must be a number, got '1'",
    ),
    (
        {"scheduled_actions": [_scheduled(min_capacity="2")]},
        r"scheduled_actions\[0\].min_capacity must be a number, got '2'",
    ),
    (
        {"scheduled_actions": [_scheduled(start_time="2030-01-01")]},
        r"scheduled_actions\[0\].start_time must be a datetime, got '2030-01-01'",
    ),
    (
        {"target_tracking": [TargetTracking.cpu(50, disable_scale_in="y")]},
        r"target_tracking\[0\].disable_scale_in must be True or False, got 'y'",
    ),
    (
        {
            "target_tracking": [
                TargetTracking.custom(5, cw.Metric(namespace="A", metric_name="B"), 1)
            ]
        },
        r"target_tracking\[0\].name must be PascalCase letters and digits \(1-64\), got 5",
    ),
    ({"step_scaling": [_step(metric=5)]}, r"step_scaling\[0\].metric must be a cloudwatch.IMetric"),
    (
        {"step_scaling": [_step(steps="up")]},
        r"step_scaling\[0\].steps must be a tuple of ScalingStep",
    ),
    (
        {"step_scaling": [_step(steps=((None, 10, -1), (10, None, 1)))]},
        r"step_scaling\[0\].steps\[0\] must be a ScalingStep, got tuple",
    ),
    (
        {
            "step_scaling": [
                _step(
                    steps=(
                        ScalingStep(lower=None, upper="10", change=-1),
                        ScalingStep(lower=10, upper=None, change=1),
                    )
                )
            ]
        },
        r"step_scaling\[0\].steps\[0\].upper must be a finite number or None, got '10'",
    ),
    (
        {
            "step_scaling": [
                _step(
                    steps=(
                        ScalingStep(lower=None, upper=10, change=-1.5),
                        ScalingStep(lower=10, upper=None, change=1),
                    )
                )
            ]
        },
        r"step_scaling\[0\].steps\[0\].change must be a whole number, got -1.5",
    ),
]


@pytest.mark.parametrize(("props", "message"), CASES, ids=[m[:60] for _, m in CASES])
def test_validation_error(props: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message) as raised:
        _web(**props)
    assert raised.value.construct_path == "Test/Web"


def test_certificate_and_plain_http_are_exclusive() -> None:
    stack = new_stack()
    with pytest.raises(
        PatternValidationError, match=r"allow_plain_http cannot be combined with certificate"
    ):
        _web(stack, certificate=_certificate(stack), allow_plain_http=True)


def test_both_origin_secret_forms_are_exclusive() -> None:
    stack = new_stack()
    secret = secretsmanager.Secret(stack, "S")
    with pytest.raises(
        PatternValidationError,
        match=r"origin_secret_header cannot be combined with cloudfront_origin_secret",
    ):
        _web(
            stack, origin_secret_header=("X-A", "0123456789abcdef"), cloudfront_origin_secret=secret
        )


def test_cloudfront_origin_secret_needs_an_alb() -> None:
    stack = new_stack()
    secret = secretsmanager.Secret(stack, "S")
    with pytest.raises(
        PatternValidationError, match=r"cloudfront_origin_secret needs an Application Load Balancer"
    ):
        _web(stack, load_balancer_type="network", cloudfront_origin_secret=secret)


def test_fixed_capacity_with_scheduled_bounds_may_track() -> None:
    web = _web(
        capacity=Capacity.maintain(2),
        scheduled_actions=[_scheduled(max_capacity=6)],
        target_tracking=[TargetTracking.cpu(50)],
    )
    assert set(web.target_tracking_policies) == {"CpuTracking"}


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PatternValidationError) as raised:
        _web(
            capacity=Capacity(min_capacity=5, max_capacity=2),
            allow_plain_http=False,
            root_volume_size=2,
            scheduled_actions=[_scheduled(schedule="0 8 * *", time_zone="Nowhere/City")],
            target_tracking=[TargetTracking.cpu(150)],
            step_scaling=[_step(steps=CPU_STEPS[:1])],
            predictive_scaling=PredictiveScaling(
                target_value=50, scheduling_buffer=Duration.hours(3)
            ),
        )
    problems = raised.value.problems
    assert len(problems) == 8, problems
    for prop in (
        "capacity.min_capacity",
        "certificate",
        "root_volume_size",
        "scheduled_actions[0].schedule",
        "scheduled_actions[0].time_zone",
        "target_tracking[0].target_value",
        "step_scaling[0].steps",
        "predictive_scaling.scheduling_buffer",
    ):
        assert any(p.startswith(prop + " ") for p in problems), prop


def test_wrong_types_are_reported_with_the_other_problems() -> None:
    """Type problems do not stop the other checks (before the audit the first one crashed)."""
    with pytest.raises(PatternValidationError) as raised:
        _web(
            capacity=Capacity(min_capacity="1", max_capacity=4),
            scheduled_actions=[_scheduled(start_time="2030-01-01")],
            detailed_monitoring="no",
            health_check_interval=Duration.millis(15_500),
            root_volume_size=2,
        )
    assert len(raised.value.problems) == 5, raised.value.problems
