"""Deleting a deployed stack and checking what is left (:func:`delete_and_verify`).

``DeleteStack`` runs moto's deletion of its own models and each gap filler's deleter
(:data:`emulator.registry.DELETERS`); then every resource of the stack is looked up again
(:data:`PROBES`, one per type): a ``Retain`` resource must still exist (it is reported), any
other must be gone. A type without a probe fails loudly; a type the emulator only records
(CloudFront, DAX groups ...) has nothing to look up and is reported as such.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PROBES", "DeletionReport", "delete_and_verify"]

#: (client factory, physical id) -> does it still exist? (None: nothing to look up)
Probe = Callable[[Callable[[str], Any], str], bool | None]

RETAINED = ("Retain", "RetainExceptOnCreate", "Snapshot")


@dataclass
class DeletionReport:
    stack: str
    status: str
    #: why ``DeleteStack`` failed, if it did
    error: str = ""
    deleted: list[str] = field(default_factory=list)
    #: ``Retain`` resources, still there as they should be
    retained: list[str] = field(default_factory=list)
    #: resources that should be gone and are not
    remaining: list[str] = field(default_factory=list)
    #: ``Retain`` resources that are gone (should not happen)
    lost: list[str] = field(default_factory=list)
    #: types the emulator only records: nothing to look up
    unverifiable: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.error or self.remaining or self.lost)

    def __str__(self) -> str:
        lines = [f"{self.stack}: {self.status}{' - ' + self.error if self.error else ''}"]
        for title, items in (
            ("remaining (not deleted)", self.remaining),
            ("retained", self.retained),
            ("lost although retained", self.lost),
        ):
            if items:
                lines.append(f"  {title}: {', '.join(items)}")
        return "\n".join(lines)


def _absent(call: Callable[[], Any], *missing: str) -> bool:
    """True if ``call`` says the resource exists, False if it raises one of ``missing``."""
    try:
        call()
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
        if any(m in (code, type(error).__name__) or m in str(error) for m in missing):
            return False
        raise
    return True


_NOT_FOUND = (
    "NotFound",
    "NoSuch",
    "DoesNotExist",
    "does not exist",
    "ResourceNotFoundException",
    "404",
)


def _found(call: Callable[[], Any]) -> bool:
    return _absent(call, *_NOT_FOUND)


def _nonempty(items: Any) -> bool:
    return bool(items)


def _dax_cluster_exists(c: Callable[[str], Any], name: str) -> bool:
    try:
        (cluster,) = c("dax").describe_clusters(ClusterNames=[name])["Clusters"]
    except Exception as error:
        if "ClusterNotFound" in str(error):
            return False
        raise
    return cluster["Status"] not in ("deleting", "deleted")


PROBES: dict[str, Probe] = {
    "AWS::AmazonMQ::Broker": lambda c, p: _found(lambda: c("mq").describe_broker(BrokerId=p)),
    "AWS::ApplicationAutoScaling::ScalableTarget": lambda c, p: _nonempty(
        c("application-autoscaling").describe_scalable_targets(
            ServiceNamespace=p.split("|")[2], ResourceIds=[p.split("|")[0]]
        )["ScalableTargets"]
    ),
    "AWS::ApplicationAutoScaling::ScalingPolicy": lambda c, p: any(
        x["PolicyARN"] == p
        for ns in ("dynamodb", "ecs", "lambda")
        for x in c("application-autoscaling").describe_scaling_policies(ServiceNamespace=ns)[
            "ScalingPolicies"
        ]
    ),
    "AWS::AutoScaling::AutoScalingGroup": lambda c, p: _nonempty(
        c("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[p])[
            "AutoScalingGroups"
        ]
    ),
    "AWS::AutoScaling::ScalingPolicy": lambda c, p: any(
        x["PolicyARN"] == p for x in c("autoscaling").describe_policies()["ScalingPolicies"]
    ),
    "AWS::AutoScaling::ScheduledAction": lambda c, p: any(
        p in (x.get("ScheduledActionName"), x.get("ScheduledActionARN"))
        for x in c("autoscaling").describe_scheduled_actions()["ScheduledUpdateGroupActions"]
    ),
    "AWS::Batch::ComputeEnvironment": lambda c, p: _nonempty(
        c("batch").describe_compute_environments(computeEnvironments=[p])["computeEnvironments"]
    ),
    "AWS::Batch::JobDefinition": lambda c, p: any(
        d["status"] == "ACTIVE"
        for d in c("batch").describe_job_definitions(jobDefinitions=[p])["jobDefinitions"]
    ),
    "AWS::Batch::JobQueue": lambda c, p: _nonempty(
        c("batch").describe_job_queues(jobQueues=[p])["jobQueues"]
    ),
    "AWS::CloudFront::CachePolicy": lambda c, p: None,
    "AWS::CloudFront::Distribution": lambda c, p: None,
    "AWS::CloudFront::OriginAccessControl": lambda c, p: None,
    "AWS::CloudFront::OriginRequestPolicy": lambda c, p: None,
    "AWS::CloudWatch::Alarm": lambda c, p: _nonempty(
        c("cloudwatch").describe_alarms(AlarmNames=[p])["MetricAlarms"]
    ),
    "AWS::CloudWatch::Dashboard": lambda c, p: any(
        d["DashboardName"] == p for d in c("cloudwatch").list_dashboards()["DashboardEntries"]
    ),
    "AWS::DAX::Cluster": lambda c, p: _dax_cluster_exists(c, p),
    "AWS::DAX::ParameterGroup": lambda c, p: None,
    "AWS::DAX::SubnetGroup": lambda c, p: None,
    "AWS::DynamoDB::Table": lambda c, p: _found(lambda: c("dynamodb").describe_table(TableName=p)),
    "AWS::EC2::EIP": lambda c, p: any(
        p in (a.get("PublicIp"), a.get("AllocationId"))
        for a in c("ec2").describe_addresses()["Addresses"]
    ),
    "AWS::EC2::FlowLog": lambda c, p: _nonempty(
        c("ec2").describe_flow_logs(FlowLogIds=[p])["FlowLogs"]
    ),
    "AWS::EC2::InternetGateway": lambda c, p: _found(
        lambda: c("ec2").describe_internet_gateways(InternetGatewayIds=[p])
    ),
    "AWS::EC2::LaunchTemplate": lambda c, p: any(
        t["LaunchTemplateId"] == p for t in c("ec2").describe_launch_templates()["LaunchTemplates"]
    ),
    "AWS::EC2::NatGateway": lambda c, p: any(
        g["State"] != "deleted"
        for g in c("ec2").describe_nat_gateways(NatGatewayIds=[p])["NatGateways"]
    ),
    "AWS::EC2::RouteTable": lambda c, p: _found(
        lambda: c("ec2").describe_route_tables(RouteTableIds=[p])
    ),
    "AWS::EC2::SecurityGroup": lambda c, p: _found(
        lambda: c("ec2").describe_security_groups(GroupIds=[p])
    ),
    "AWS::EC2::Subnet": lambda c, p: _found(lambda: c("ec2").describe_subnets(SubnetIds=[p])),
    "AWS::EC2::VPC": lambda c, p: _found(lambda: c("ec2").describe_vpcs(VpcIds=[p])),
    "AWS::EC2::VPCEndpoint": lambda c, p: any(
        e["VpcEndpointId"] == p and e["State"].lower() != "deleted"
        for e in c("ec2").describe_vpc_endpoints()["VpcEndpoints"]
    ),
    "AWS::EMR::Cluster": lambda c, p: (
        c("emr").describe_cluster(ClusterId=p)["Cluster"]["Status"]["State"]
        not in ("TERMINATED", "TERMINATING", "TERMINATED_WITH_ERRORS")
    ),
    "AWS::EMR::SecurityConfiguration": lambda c, p: _found(
        lambda: c("emr").describe_security_configuration(Name=p)
    ),
    "AWS::ElasticLoadBalancingV2::Listener": lambda c, p: _found(
        lambda: c("elbv2").describe_listeners(ListenerArns=[p])
    ),
    "AWS::ElasticLoadBalancingV2::ListenerRule": lambda c, p: _found(
        lambda: c("elbv2").describe_rules(RuleArns=[p])
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": lambda c, p: _found(
        lambda: c("elbv2").describe_load_balancers(LoadBalancerArns=[p])
    ),
    "AWS::ElasticLoadBalancingV2::TargetGroup": lambda c, p: _found(
        lambda: c("elbv2").describe_target_groups(TargetGroupArns=[p])
    ),
    "AWS::Events::Archive": lambda c, p: _found(
        lambda: c("events").describe_archive(ArchiveName=p)
    ),
    "AWS::Events::EventBus": lambda c, p: _found(lambda: c("events").describe_event_bus(Name=p)),
    "AWS::Events::Rule": lambda c, p: _found(
        lambda: c("events").describe_rule(
            Name=p.rsplit("|", 1)[-1].rsplit("/", 1)[-1],
            **({"EventBusName": p.split("|")[0]} if "|" in p else {}),
        )
    ),
    "AWS::IAM::InstanceProfile": lambda c, p: _found(
        lambda: c("iam").get_instance_profile(InstanceProfileName=p)
    ),
    "AWS::IAM::Role": lambda c, p: _found(lambda: c("iam").get_role(RoleName=p)),
    "AWS::KMS::Key": lambda c, p: (
        any(k["KeyId"] == p.rsplit("/", 1)[-1] for k in c("kms").list_keys()["Keys"])
        and c("kms").describe_key(KeyId=p)["KeyMetadata"]["KeyState"]
        not in ("PendingDeletion", "PendingReplicaDeletion")
    ),
    "AWS::Kinesis::Stream": lambda c, p: _found(
        lambda: c("kinesis").describe_stream_summary(StreamName=p)
    ),
    "AWS::KinesisAnalyticsV2::Application": lambda c, p: any(
        a["ApplicationName"] == p
        for a in c("kinesisanalyticsv2").list_applications()["ApplicationSummaries"]
    ),
    "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption": lambda c, p: None,
    "AWS::KinesisFirehose::DeliveryStream": lambda c, p: _found(
        lambda: c("firehose").describe_delivery_stream(DeliveryStreamName=p)
    ),
    "AWS::KinesisVideo::Stream": lambda c, p: _found(
        lambda: c("kinesisvideo").describe_stream(StreamName=p)
    ),
    "AWS::Lambda::EventInvokeConfig": lambda c, p: _found(
        lambda: c("lambda").get_function_event_invoke_config(FunctionName=p.split(":")[0])
    ),
    "AWS::Lambda::EventSourceMapping": lambda c, p: _found(
        lambda: c("lambda").get_event_source_mapping(UUID=p)
    ),
    "AWS::Lambda::Function": lambda c, p: _found(lambda: c("lambda").get_function(FunctionName=p)),
    "AWS::Lambda::LayerVersion": lambda c, p: _found(
        lambda: c("lambda").get_layer_version_by_arn(Arn=p)
    ),
    "AWS::Logs::LogGroup": lambda c, p: any(
        g["logGroupName"] == p
        for g in c("logs").describe_log_groups(logGroupNamePrefix=p)["logGroups"]
    ),
    "AWS::S3::Bucket": lambda c, p: _found(lambda: c("s3").head_bucket(Bucket=p)),
    "AWS::SNS::Subscription": lambda c, p: _found(
        lambda: c("sns").get_subscription_attributes(SubscriptionArn=p)
    ),
    "AWS::SNS::Topic": lambda c, p: _found(lambda: c("sns").get_topic_attributes(TopicArn=p)),
    "AWS::SQS::Queue": lambda c, p: _found(
        lambda: c("sqs").get_queue_attributes(QueueUrl=p, AttributeNames=["QueueArn"])
    ),
    "AWS::Scheduler::Schedule": lambda c, p: _found(lambda: c("scheduler").get_schedule(Name=p)),
    "AWS::SecretsManager::Secret": lambda c, p: (
        "DeletedDate" not in c("secretsmanager").describe_secret(SecretId=p)
    ),
    "AWS::StepFunctions::Activity": lambda c, p: _found(
        lambda: c("stepfunctions").describe_activity(activityArn=p)
    ),
    "AWS::StepFunctions::StateMachine": lambda c, p: _found(
        lambda: c("stepfunctions").describe_state_machine(stateMachineArn=p)
    ),
}

#: Types that are part of another resource of the stack and go with it (a route with its
#: route table, an inline policy with its role ...): gone when their parent type's resources
#: are gone.
PARTS: dict[str, tuple[str, ...]] = {
    "AWS::EC2::Route": ("AWS::EC2::RouteTable",),
    "AWS::EC2::SubnetRouteTableAssociation": ("AWS::EC2::RouteTable", "AWS::EC2::Subnet"),
    "AWS::EC2::VPCGatewayAttachment": ("AWS::EC2::VPC", "AWS::EC2::InternetGateway"),
    "AWS::EC2::SecurityGroupIngress": ("AWS::EC2::SecurityGroup",),
    "AWS::EC2::SecurityGroupEgress": ("AWS::EC2::SecurityGroup",),
    "AWS::IAM::Policy": ("AWS::IAM::Role",),
    "AWS::Lambda::Permission": ("AWS::Lambda::Function",),
    "AWS::EMR::Step": ("AWS::EMR::Cluster",),
    "AWS::SNS::TopicPolicy": ("AWS::SNS::Topic",),
    "AWS::SQS::QueuePolicy": ("AWS::SQS::Queue",),
    "AWS::S3::BucketPolicy": ("AWS::S3::Bucket",),
    "AWS::Logs::LogStream": ("AWS::Logs::LogGroup",),
    "AWS::Logs::ResourcePolicy": (),
    "Custom::VpcRestrictDefaultSG": ("AWS::EC2::VPC",),
    "Custom::CDKBucketDeployment": ("AWS::S3::Bucket",),
    "Custom::AWS": (),
    # TimeSeriesTables' deploy-time rotation: nothing of its own remains (its deleter deletes
    # the tables with DESTROY; the emulator's probes do not follow run-time tables)
    "Custom::TimeSeriesTables": (),
    "Custom::S3AutoDeleteObjects": ("AWS::S3::Bucket",),
}


def delete_and_verify(
    client: Callable[[str], Any],
    stack_name: str,
    template: dict[str, Any],
    resources: dict[str, tuple[str, str]],
) -> DeletionReport:
    """``DeleteStack`` of ``stack_name`` (deployed from ``template``, its resources logical id
    -> (type, physical id)), then look every resource up again. A part (:data:`PARTS`) counts
    as remaining while a resource it belongs to remains that should have been deleted."""
    cfn = client("cloudformation")
    stack_id = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]["StackId"]
    report = DeletionReport(stack=stack_name, status="")
    try:
        cfn.delete_stack(StackName=stack_name)
    except Exception as failed:  # moto deletes synchronously, and may answer in plain text
        report.error = f"{type(failed).__name__}: {failed}"
    for _ in range(200):
        try:
            stacks = cfn.describe_stacks(StackName=stack_id)["Stacks"]
        except cfn.exceptions.ClientError:  # moto forgets a stack it failed to delete
            stacks = [{"StackStatus": "DELETE_FAILED" if report.error else "DELETE_COMPLETE"}]
        report.status = str(stacks[0]["StackStatus"])
        if not report.status.endswith("IN_PROGRESS"):
            break
        time.sleep(0.05)
    left: dict[str, list[str]] = {}
    for logical_id, (type_name, physical_id) in sorted(resources.items()):
        if type_name in PARTS:
            continue
        if type_name not in PROBES:
            raise NotImplementedError(f"no existence probe for {type_name}: add one to PROBES")
        exists = PROBES[type_name](client, physical_id) if physical_id else None
        retained = _sort(report, template, logical_id, type_name, exists)
        if exists and not retained:
            left.setdefault(type_name, []).append(logical_id)
    for logical_id, (type_name, _) in sorted(resources.items()):
        if type_name in PARTS:
            if template["Resources"].get(logical_id, {}).get("DeletionPolicy") in RETAINED:
                report.retained.append(f"{logical_id} ({type_name})")  # kept with its parent
                continue
            parents = [lid for t in PARTS[type_name] for lid in left.get(t, [])]
            _sort(report, template, logical_id, type_name, bool(parents))
    return report


def _sort(
    report: DeletionReport,
    template: dict[str, Any],
    logical_id: str,
    type_name: str,
    exists: bool | None,
) -> bool:
    """File the resource in the report; returns whether it is a ``Retain`` resource."""
    name = f"{logical_id} ({type_name})"
    retained = template["Resources"].get(logical_id, {}).get("DeletionPolicy") in RETAINED
    if exists is None:
        report.unverifiable.append(name)
    elif exists:
        (report.retained if retained else report.remaining).append(name)
    elif retained:
        report.lost.append(name)
    else:
        report.deleted.append(name)
    return retained
