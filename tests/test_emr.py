"""EmrCluster and TransientEmrWorkflow: example assertions, variants, every validation error."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Annotations, Match, Template
from constructs import IConstruct

from patterns.core.validation import PatternValidationError
from patterns.emr import (
    DEFAULT_RELEASE_LABEL,
    EmrCluster,
    EmrStep,
    InstanceFleet,
    InstanceGroup,
    ManagedScaling,
    TransientEmrWorkflow,
)
from patterns.emr.workflow_grants import CLUSTER_ACTIONS, WORKFLOW_TAG
from tests.conftest import SynthResult, new_stack

STACK = "EmrClusterExample"
TRANSIENT = "TransientEmrExample"
STEP = EmrStep.spark("Job", "s3://bucket/job.py")


def _tls_decision(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The explicit in-transit decision the patterns require: a certificate, else opt-out."""
    if "in_transit_certificate_s3_uri" in kwargs or "allow_unencrypted_in_transit" in kwargs:
        return kwargs
    return {"allow_unencrypted_in_transit": True, **kwargs}


def new_cluster(scope: cdk.Stack, construct_id: str, **kwargs: Any) -> EmrCluster:
    return EmrCluster(scope, construct_id, **_tls_decision(kwargs))


def new_transient(scope: cdk.Stack, construct_id: str, **kwargs: Any) -> TransientEmrWorkflow:
    return TransientEmrWorkflow(scope, construct_id, **_tls_decision(kwargs))


def _one(resources: dict[str, dict[str, Any]], prefix: str = "") -> dict[str, Any]:
    matches = [r for logical_id, r in resources.items() if logical_id.startswith(prefix)]
    assert len(matches) == 1, f"{prefix}: {len(matches)} matches"
    return matches[0]


def _cluster(synth: SynthResult) -> dict[str, Any]:
    props: dict[str, Any] = _one(synth.resources(STACK, "AWS::EMR::Cluster"))["Properties"]
    return props


def _security_configuration(synth: SynthResult, stack: str) -> dict[str, Any]:
    resource = _one(synth.resources(stack, "AWS::EMR::SecurityConfiguration"))
    config: dict[str, Any] = resource["Properties"]["SecurityConfiguration"]
    return config


# -- long-running cluster example ----------------------------------------------------------


def test_release_applications_and_private_subnet(synth: SynthResult) -> None:
    cluster = _cluster(synth)
    assert cluster["ReleaseLabel"] == DEFAULT_RELEASE_LABEL
    assert [a["Name"] for a in cluster["Applications"]] == ["Hadoop", "Spark", "Hive"]
    subnet_id = cluster["Instances"]["Ec2SubnetId"]["Ref"]
    subnet = synth.resources(STACK, "AWS::EC2::Subnet")[subnet_id]["Properties"]
    assert subnet["MapPublicIpOnLaunch"] is False
    tags = {t["Key"]: t["Value"] for t in subnet["Tags"]}
    assert tags["for-use-with-amazon-emr-managed-policies"] == "true"


def test_security_groups_are_managed_by_emr(synth: SynthResult) -> None:
    instances = _cluster(synth)["Instances"]
    for key in (
        "EmrManagedMasterSecurityGroup",
        "EmrManagedSlaveSecurityGroup",
        "AdditionalMasterSecurityGroups",
        "ServiceAccessSecurityGroup",
    ):
        assert key not in instances
    assert synth.resources(STACK, "AWS::EC2::SecurityGroup") == {}


def test_instance_groups_with_spot_task_capacity(synth: SynthResult) -> None:
    instances = _cluster(synth)["Instances"]
    assert instances["MasterInstanceGroup"]["InstanceCount"] == 1
    assert instances["CoreInstanceGroup"]["Market"] == "ON_DEMAND"
    assert instances["CoreInstanceGroup"]["InstanceCount"] == 2
    volume = instances["CoreInstanceGroup"]["EbsConfiguration"]["EbsBlockDeviceConfigs"][0]
    assert volume["VolumeSpecification"] == {"SizeInGB": 128, "VolumeType": "gp3"}
    (task,) = instances["TaskInstanceGroups"]
    assert (task["Market"], task["InstanceType"]) == ("SPOT", "m7g.2xlarge")
    assert instances["KeepJobFlowAliveWhenNoSteps"] is True


def test_managed_scaling_and_auto_termination(synth: SynthResult) -> None:
    cluster = _cluster(synth)
    assert cluster["ManagedScalingPolicy"]["ComputeLimits"] == {
        "UnitType": "Instances",
        "MinimumCapacityUnits": 3,
        "MaximumCapacityUnits": 10,
        "MaximumOnDemandCapacityUnits": 4,
        "MaximumCoreCapacityUnits": 3,
    }
    assert cluster["AutoTerminationPolicy"] == {"IdleTimeout": 7200}


def test_logs_go_to_the_encrypted_retained_log_bucket(synth: SynthResult) -> None:
    cluster = _cluster(synth)
    log_bucket_id = cluster["LogUri"]["Fn::Join"][1][1]["Ref"]
    buckets = synth.resources(STACK, "AWS::S3::Bucket")
    bucket = buckets[log_bucket_id]
    assert bucket["DeletionPolicy"] == "Retain"
    rule = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    data = _one(buckets, "AnalyticsDataBucket")
    assert data["DeletionPolicy"] == "Retain"
    assert data["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}


def test_security_configuration_encrypts_s3_and_local_disks(synth: SynthResult) -> None:
    config = _security_configuration(synth, STACK)
    cluster = _cluster(synth)
    assert cluster["SecurityConfiguration"]["Ref"].startswith("AnalyticsSecurityConfiguration")
    encryption = config["EncryptionConfiguration"]
    assert encryption["EnableAtRestEncryption"] is True
    assert encryption["EnableInTransitEncryption"] is False
    at_rest = encryption["AtRestEncryptionConfiguration"]
    assert at_rest["S3EncryptionConfiguration"]["EncryptionMode"] == "SSE-KMS"
    local = at_rest["LocalDiskEncryptionConfiguration"]
    assert local["EncryptionKeyProviderType"] == "AwsKms"
    assert local["EnableEbsEncryption"] is True
    key_id = local["AwsKmsKey"]["Fn::GetAtt"][0]
    assert synth.resources(STACK, "AWS::KMS::Key")[key_id]["Properties"]["EnableKeyRotation"]
    assert (
        config["InstanceMetadataServiceConfiguration"]["MinimumInstanceMetadataServiceVersion"] == 2
    )


def test_service_role_uses_policy_v2_and_no_legacy_roles(synth: SynthResult) -> None:
    roles = synth.resources(STACK, "AWS::IAM::Role")
    text = json.dumps(roles)
    assert "AmazonElasticMapReduceRole" not in text
    assert "AmazonElasticMapReduceforEC2Role" not in text
    service = _one(roles, "AnalyticsServiceRole")["Properties"]
    (arn,) = service["ManagedPolicyArns"]
    assert arn["Fn::Join"][1][-1] == ":iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"
    (trust,) = service["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "elasticmapreduce.amazonaws.com"}
    assert "aws:SourceAccount" in trust["Condition"]["StringEquals"]
    instance = _one(roles, "AnalyticsInstanceRole")["Properties"]
    assert "ManagedPolicyArns" not in instance


def test_instance_role_reaches_only_its_buckets_key_and_assets(synth: SynthResult) -> None:
    policy = _one(synth.resources(STACK, "AWS::IAM::Policy"), "AnalyticsInstanceRoleDefaultPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    for statement in statements:
        actions = statement["Action"]
        actions = [actions] if isinstance(actions, str) else actions
        assert all("*" not in action for action in actions), statement
    text = json.dumps(statements)
    assert "AnalyticsDataBucket" in text and "AnalyticsLogBucket" in text
    assert '"Resource": "*"' not in text
    assets = [s for s in statements if s.get("Sid") is None]
    (asset_statement,) = assets
    assert asset_statement["Action"] == "s3:GetObject"
    assert len(asset_statement["Resource"]) == 2  # the script and its input, nothing else


def test_service_role_passes_only_the_instance_role(synth: SynthResult) -> None:
    policy = _one(synth.resources(STACK, "AWS::IAM::Policy"), "AnalyticsServiceRoleDefaultPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    passes = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert passes
    for statement in passes:
        assert statement["Resource"]["Fn::GetAtt"][0].startswith("AnalyticsInstanceRole")
    grant = next(s for s in statements if s["Action"] == "kms:CreateGrant")
    assert grant["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_cluster_waits_for_its_role_policies(synth: SynthResult) -> None:
    cluster = _one(synth.resources(STACK, "AWS::EMR::Cluster"))
    depends = cluster["DependsOn"]
    assert any(d.startswith("AnalyticsServiceRoleDefaultPolicy") for d in depends)
    assert any(d.startswith("AnalyticsInstanceRoleDefaultPolicy") for d in depends)


def test_word_count_step(synth: SynthResult) -> None:
    step = _one(synth.resources(STACK, "AWS::EMR::Step"))["Properties"]
    assert step["Name"] == "WordCount"
    assert step["ActionOnFailure"] == "CONTINUE"
    assert step["JobFlowId"]["Ref"].startswith("Analytics")
    args = step["HadoopJarStep"]["Args"]
    assert args[:3] == ["spark-submit", "--deploy-mode", "cluster"]
    assert args[3]["Fn::Sub"].endswith(".py")
    assert args[5]["Fn::Join"][1][1]["Ref"].startswith("AnalyticsDataBucket")


def test_alarms_use_the_job_flow_id(synth: SynthResult) -> None:
    alarms = synth.resources(STACK, "AWS::CloudWatch::Alarm")
    by_metric = {a["Properties"]["MetricName"]: a["Properties"] for a in alarms.values()}
    assert set(by_metric) == {"MRUnhealthyNodes", "HDFSUtilization", "AppsPending", "MissingBlocks"}
    for props in by_metric.values():
        assert props["Namespace"] == "AWS/ElasticMapReduce"
        assert props["Dimensions"][0]["Name"] == "JobFlowId"
        assert props["Dimensions"][0]["Value"]["Ref"].startswith("Analytics")
        assert props["AlarmActions"][0]["Ref"].startswith("AlarmTopic")
    assert by_metric["HDFSUtilization"]["Threshold"] == 80
    assert by_metric["AppsPending"]["EvaluationPeriods"] == 6  # 30 min of 5-min periods


def test_cluster_metrics_are_those_of_its_job_flow() -> None:
    stack = new_stack()
    cluster = new_cluster(stack, "C")
    expected = {
        "MRUnhealthyNodes": (cluster.metric_unhealthy_nodes(), "Maximum"),
        "HDFSUtilization": (cluster.metric_hdfs_utilization(), "Average"),
        "AppsPending": (cluster.metric_apps_pending(), "Minimum"),
        "MissingBlocks": (cluster.metric_missing_blocks(), "Maximum"),
    }
    for name, (metric, statistic) in expected.items():
        assert metric.namespace == "AWS/ElasticMapReduce"
        assert metric.metric_name == name
        assert metric.statistic == statistic
        assert metric.period.to_minutes() == 5
        assert stack.resolve(metric.dimensions) == {"JobFlowId": stack.resolve(cluster.cluster_id)}
    custom = cluster.metric("YARNMemoryAvailablePercentage", statistic="Minimum")
    assert (custom.metric_name, custom.statistic) == ("YARNMemoryAvailablePercentage", "Minimum")
    assert cluster.metric_apps_pending(statistic="Maximum").statistic == "Maximum"


def test_transient_metrics_and_alarms_are_those_of_its_workflow() -> None:
    stack = new_stack()
    etl = new_transient(stack, "T", steps=[STEP])
    arn = stack.resolve(etl.workflow.state_machine.state_machine_arn)
    for metric, name in (
        (etl.metric_executions_failed(), "ExecutionsFailed"),
        (etl.metric_executions_timed_out(), "ExecutionsTimedOut"),
        (etl.metric_executions_succeeded(), "ExecutionsSucceeded"),
        (etl.metric("ExecutionsStarted"), "ExecutionsStarted"),
    ):
        assert (metric.namespace, metric.metric_name) == ("AWS/States", name)
        assert stack.resolve(metric.dimensions) == {"StateMachineArn": arn}
    assert etl.alarms is etl.workflow.alarms
    assert set(etl.alarms) >= {"ExecutionsFailed", "ExecutionsTimedOut"}


# -- transient example ----------------------------------------------------------------------


def _definition(synth: SynthResult) -> dict[str, Any]:
    machine = _one(synth.resources(TRANSIENT, "AWS::StepFunctions::StateMachine"))
    body = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in body)
    result: dict[str, Any] = json.loads(text)
    return result


def test_workflow_creates_runs_and_terminates(synth: SynthResult) -> None:
    states = _definition(synth)["States"]
    create = states["CreateCluster"]
    assert "elasticmapreduce:createCluster.sync" in json.dumps(create)
    assert create["Next"] == "Run WordCount"
    step = states["Run WordCount"]
    assert "addStep.sync" in json.dumps(step)
    assert step["Next"] == "TerminateCluster"
    assert "terminateCluster.sync" in json.dumps(states["TerminateCluster"])
    # a failed step terminates the cluster, then fails the execution
    assert step["Catch"][0]["Next"] == "TerminateAfterFailure"
    assert states["TerminateAfterFailure"]["Next"] == "StepFailed"
    assert states["StepFailed"]["Type"] == "Fail"


def test_transient_cluster_uses_fleets_with_spot_tasks(synth: SynthResult) -> None:
    create = _definition(synth)["States"]["CreateCluster"]["Parameters"]
    fleets = {f["InstanceFleetType"]: f for f in create["Instances"]["InstanceFleets"]}
    assert set(fleets) == {"MASTER", "CORE", "TASK"}
    assert fleets["TASK"]["TargetSpotCapacity"] == 4
    spot = fleets["TASK"]["LaunchSpecifications"]["SpotSpecification"]
    assert spot["AllocationStrategy"] == "price-capacity-optimized"
    assert spot["TimeoutAction"] == "SWITCH_TO_ON_DEMAND"
    assert create["AutoTerminationPolicy"] == {"IdleTimeout": 1800}
    assert create["Tags"] == [
        {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"},
        {"Key": WORKFLOW_TAG, "Value": "TransientEmrExampleNightlyEtl1F59D008"},
    ]


def _workflow_policies(synth: SynthResult) -> dict[str, dict[str, Any]]:
    """The policies of the transient example's workflow role."""
    (role_id,) = [r for r in synth.resources(TRANSIENT, "AWS::IAM::Role") if "Workflow" in r]
    return {
        logical_id: policy
        for logical_id, policy in synth.resources(TRANSIENT, "AWS::IAM::Policy").items()
        if policy["Properties"]["Roles"] == [{"Ref": role_id}]
    }


def test_transient_role_acts_only_on_the_clusters_it_creates(synth: SynthResult) -> None:
    policies = _workflow_policies(synth)
    # no default policy: the tasks' own grants (RunJobFlow, TerminateJobFlows ... on *) are gone
    assert sorted(policies) == [
        "NightlyEtlClusterPolicy1CB77993",
        "NightlyEtlWorkflowLogsAndTracingPolicy69DD5982",
    ]
    statements = policies["NightlyEtlClusterPolicy1CB77993"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    by_sid = {s["Sid"]: s for s in statements}
    ours = "TransientEmrExampleNightlyEtl1F59D008"
    create = by_sid["CreateTaggedClusters"]
    assert (create["Action"], create["Resource"]) == ("elasticmapreduce:RunJobFlow", "*")
    assert create["Condition"] == {"StringEquals": {f"aws:RequestTag/{WORKFLOW_TAG}": ours}}
    tag = by_sid["TagClustersAtCreation"]
    assert tag["Action"] == "elasticmapreduce:AddTags"
    assert tag["Condition"]["StringEquals"] == {f"aws:RequestTag/{WORKFLOW_TAG}": ours}
    assert sorted(tag["Condition"]["ForAllValues:StringEquals"]["aws:TagKeys"]) == sorted(
        [WORKFLOW_TAG, "for-use-with-amazon-emr-managed-policies"]
    )
    run = by_sid["RunOwnClusters"]
    assert sorted(run["Action"]) == sorted(CLUSTER_ACTIONS)
    assert run["Resource"]["Fn::Join"][1][-1] == ":cluster/*"
    assert run["Condition"] == {"StringEquals": {f"aws:ResourceTag/{WORKFLOW_TAG}": ours}}
    passed = {r["Fn::GetAtt"][0] for r in by_sid["PassClusterRoles"]["Resource"]}
    assert passed == {"NightlyEtlInstanceRoleA9C40EAF", "NightlyEtlServiceRoleFCE7F565"}
    # every EMR action is in one of the statements above, each with its tag condition
    emr = [s for s in statements if "elasticmapreduce" in json.dumps(s["Action"])]
    assert all("Condition" in s for s in emr)
    assert sum(len(s["Action"]) if isinstance(s["Action"], list) else 1 for s in emr) == 7


def _acknowledged(construct: IConstruct) -> dict[str, str]:
    """The cdk-nag acknowledgements written on ``construct`` itself."""
    found: dict[str, str] = {}
    for entry in construct.node.metadata:
        if entry.type == "aws:cdk:acknowledged-rules":
            found.update(entry.data)
    return found


def test_transient_acknowledgements_are_on_its_own_policies_not_on_the_role() -> None:
    etl = new_transient(new_stack(), "T", steps=[STEP])
    role = etl.workflow.role
    assert role.node.try_find_child("DefaultPolicy") is None  # left to what the user adds
    assert _acknowledged(role) == {}
    assert sorted(_acknowledged(etl.cluster_policy)) == [
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticmapreduce:"
        "<AWS::Region>:<AWS::AccountId>:cluster/*]",
        "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:"
        "role/aws-service-role/elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*]",
    ]
    passed = etl.cluster_policy.document.to_json()["Statement"][3]["Resource"]
    assert len(passed) == 3  # service, instance and the unused auto-scaling role


def test_workflow_is_logged_traced_and_alarmed(synth: SynthResult) -> None:
    t = synth.template(TRANSIENT)
    t.has_resource_properties(
        "AWS::StepFunctions::StateMachine",
        {
            "TracingConfiguration": {"Enabled": True},
            "LoggingConfiguration": Match.object_like({"Level": "ALL"}),
        },
    )
    alarms = synth.resources(TRANSIENT, "AWS::CloudWatch::Alarm")
    assert len(alarms) >= 4
    assert not synth.resources(TRANSIENT, "AWS::EMR::Cluster")  # created at run time


def test_transient_shares_the_security_configuration(synth: SynthResult) -> None:
    config = _security_configuration(synth, TRANSIENT)
    assert config["EncryptionConfiguration"]["EnableAtRestEncryption"] is True
    create = _definition(synth)["States"]["CreateCluster"]["Parameters"]
    assert create["SecurityConfiguration"] == "TOKEN"
    assert create["ReleaseLabel"] == DEFAULT_RELEASE_LABEL


# -- variants ------------------------------------------------------------------------------


def test_defaults_and_in_transit_certificate() -> None:
    stack = new_stack()
    new_cluster(stack, "C", in_transit_certificate_s3_uri="s3://my-certs/emr/certs.zip")
    t = Template.from_stack(stack)
    config = next(iter(t.find_resources("AWS::EMR::SecurityConfiguration").values()))
    encryption = config["Properties"]["SecurityConfiguration"]["EncryptionConfiguration"]
    assert encryption["EnableInTransitEncryption"] is True
    assert encryption["InTransitEncryptionConfiguration"]["TLSCertificateConfiguration"] == {
        "CertificateProviderType": "PEM",
        "S3Object": "s3://my-certs/emr/certs.zip",
    }
    cluster = next(iter(t.find_resources("AWS::EMR::Cluster").values()))["Properties"]
    assert cluster["AutoTerminationPolicy"] == {"IdleTimeout": 3600}
    assert "ManagedScalingPolicy" not in cluster
    assert cluster["Instances"]["CoreInstanceGroup"]["InstanceCount"] == 2
    policy = json.dumps(t.find_resources("AWS::IAM::Policy"))
    assert "my-certs/emr/certs.zip" in policy


def test_in_transit_encryption_needs_a_certificate_or_an_explicit_opt_out() -> None:
    message = (
        r"in_transit_certificate_s3_uri is required for TLS between the cluster's nodes .* "
        r"pass allow_unencrypted_in_transit=True .* got neither"
    )
    with pytest.raises(PatternValidationError, match=message):
        EmrCluster(new_stack(), "C")
    with pytest.raises(PatternValidationError, match=message):
        TransientEmrWorkflow(new_stack(), "T", steps=[STEP])
    with pytest.raises(
        PatternValidationError,
        match=r"allow_unencrypted_in_transit cannot be combined with in_transit_certificate",
    ):
        EmrCluster(
            new_stack(),
            "C",
            in_transit_certificate_s3_uri="s3://my-certs/emr/certs.zip",
            allow_unencrypted_in_transit=True,
        )
    with pytest.raises(PatternValidationError, match=r"allow_unencrypted_in_transit must be True"):
        EmrCluster(new_stack(), "C", allow_unencrypted_in_transit="yes")  # type: ignore[arg-type]


def test_emr5_is_acknowledged_only_for_a_certificate_or_the_opt_out() -> None:
    with_tls = new_cluster(
        new_stack(), "C", in_transit_certificate_s3_uri="s3://my-certs/emr/certs.zip"
    )
    assert (
        "reads the wrong JSON level"
        in _acknowledged(with_tls.cluster)["AwsSolutions::AwsSolutions-EMR5"]
    )
    stack = new_stack()
    opted_out = EmrCluster(stack, "C", allow_unencrypted_in_transit=True)
    assert (
        "allow_unencrypted_in_transit=True"
        in _acknowledged(opted_out.cluster)["AwsSolutions::AwsSolutions-EMR5"]
    )
    config = next(
        iter(Template.from_stack(stack).find_resources("AWS::EMR::SecurityConfiguration").values())
    )
    encryption = config["Properties"]["SecurityConfiguration"]["EncryptionConfiguration"]
    assert encryption["EnableInTransitEncryption"] is False
    assert "InTransitEncryptionConfiguration" not in encryption


def test_termination_protection_cannot_be_combined_with_destroy() -> None:
    with pytest.raises(
        PatternValidationError,
        match=r"termination_protected cannot be True with removal_policy=DESTROY",
    ):
        new_cluster(
            new_stack(), "C", termination_protected=True, removal_policy=RemovalPolicy.DESTROY
        )
    stack = new_stack()
    new_cluster(stack, "C", termination_protected=True)  # retained: allowed
    cluster = next(iter(Template.from_stack(stack).find_resources("AWS::EMR::Cluster").values()))
    assert cluster["Properties"]["Instances"]["TerminationProtected"] is True


@pytest.mark.parametrize("pattern", ["EmrCluster", "TransientEmrWorkflow"])
def test_destroy_empties_every_bucket(pattern: str) -> None:
    stack = new_stack()
    if pattern == "EmrCluster":
        new_cluster(stack, "C", removal_policy=RemovalPolicy.DESTROY)
    else:
        new_transient(stack, "T", steps=[STEP], removal_policy=RemovalPolicy.DESTROY)
    t = Template.from_stack(stack)
    buckets = t.find_resources("AWS::S3::Bucket")
    emptied = [
        r["Properties"]["BucketName"]["Ref"]
        for r in t.find_resources("Custom::S3AutoDeleteObjects").values()
    ]
    assert sorted(emptied) == sorted(buckets)


def test_long_running_without_idle_timeout() -> None:
    stack = new_stack()
    new_cluster(stack, "C", idle_timeout=None)
    cluster = next(iter(Template.from_stack(stack).find_resources("AWS::EMR::Cluster").values()))
    assert "AutoTerminationPolicy" not in cluster["Properties"]


def test_fleets_on_a_given_vpc() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Mine", restrict_default_security_group=False)
    cluster = new_cluster(
        stack,
        "C",
        vpc=vpc,
        primary=InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1),
        core=InstanceFleet(instance_types=["m7g.xlarge", "m6g.xlarge"], on_demand_units=2),
        task=InstanceFleet(instance_types=["c7g.xlarge", "c6g.xlarge"], spot_units=8),
        managed_scaling=ManagedScaling(minimum=3, maximum=20, maximum_on_demand=3),
        ec2_key_name="ops",
    )
    assert cluster.vpc is vpc
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::EC2::VPC", 1)
    props = next(iter(t.find_resources("AWS::EMR::Cluster").values()))["Properties"]
    instances = props["Instances"]
    assert len(instances["Ec2SubnetIds"]) == 2
    assert instances["Ec2KeyName"] == "ops"
    (task,) = instances["TaskInstanceFleets"]
    assert task["TargetSpotCapacity"] == 8
    assert task["LaunchSpecifications"]["SpotSpecification"]["TimeoutAction"] == (
        "SWITCH_TO_ON_DEMAND"
    )
    assert props["ManagedScalingPolicy"]["ComputeLimits"]["UnitType"] == "InstanceFleetUnits"


def test_spot_core_capacity_is_warned_about() -> None:
    stack = new_stack()
    new_cluster(stack, "C", core=InstanceGroup(count=2, spot=True))
    warnings = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("HDFS"))
    assert warnings


def test_add_step_and_removal_policy() -> None:
    stack = new_stack()
    cluster = new_cluster(stack, "C", steps=[STEP], removal_policy=RemovalPolicy.DESTROY)
    cluster.add_step(EmrStep(name="Hive query", args=["hive-script", "--run-hive-script"]))
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::EMR::Step", 2)
    buckets = t.find_resources("AWS::S3::Bucket")
    assert {b["DeletionPolicy"] for b in buckets.values()} == {"Delete"}
    with pytest.raises(PatternValidationError, match=r"step name 'Job' repeats"):
        cluster.add_step(STEP)


def test_transient_with_instance_groups_has_a_permissionless_auto_scaling_role() -> None:
    stack = new_stack()
    etl = new_transient(stack, "T", steps=[STEP])
    assert etl.auto_scaling_role is not None
    t = Template.from_stack(stack)
    role_id = stack.get_logical_id(etl.auto_scaling_role.node.default_child)  # type: ignore[arg-type]
    role = t.find_resources("AWS::IAM::Role")[stack.resolve(role_id)]
    assert "ManagedPolicyArns" not in role["Properties"]
    policies = json.dumps(t.find_resources("AWS::IAM::Policy"))
    assert "AmazonElasticMapReduceforAutoScalingRole" not in json.dumps(
        t.find_resources("AWS::IAM::Role")
    )
    assert "AutoScalingRole" in policies  # the workflow may pass it, nothing more


# -- validation ----------------------------------------------------------------------------

BAD: list[tuple[dict[str, Any], str]] = [
    ({"release_label": "emr-5.36.0"}, r"release_label must be an emr-6.x or emr-7.x"),
    ({"release_label": "7.1"}, r"release_label must be an emr-6.x or emr-7.x .* got '7.1'"),
    ({"applications": []}, r"applications must name at least one, got none"),
    ({"applications": "Spark"}, r"applications must be a sequence of names"),
    ({"applications": ["Spark", "Impala"]}, r"applications must be one of .* got 'Impala'"),
    ({"applications": ["Presto", "Trino"]}, r"cannot install both Presto and Trino"),
    ({"applications": ["Spark", "Spark"]}, r"applications must not repeat names"),
    ({"primary": InstanceGroup(count=2)}, r"primary.count must be one of 1, 3, got 2"),
    ({"core": InstanceGroup(count=0)}, r"core.count must be at least 1, got 0"),
    ({"core": InstanceGroup(instance_type="large")}, r"core.instance_type must be an EC2"),
    ({"core": InstanceGroup(ebs_gib=0)}, r"core.ebs_gib must be between 1 GiB and 16,384 GiB"),
    ({"core": {"count": 2}}, r"core must be an InstanceGroup or InstanceFleet, got dict"),
    (
        {"core": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1)},
        r"core and task must all be InstanceGroup or all InstanceFleet",
    ),
    (
        {
            "primary": InstanceFleet(
                instance_types=["m7g.xlarge"], on_demand_units=1, spot_units=1
            ),
            "core": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1),
        },
        r"primary fleet must have exactly 1 unit .* got 2",
    ),
    (
        {
            "primary": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1),
            "core": InstanceFleet(instance_types=["m7g.xlarge"]),
        },
        r"core fleet must have at least 1 unit, got 0",
    ),
    (
        {
            "primary": InstanceFleet(instance_types=[], on_demand_units=1),
            "core": InstanceFleet(instance_types=["m7g.xlarge", "m7g.xlarge"], on_demand_units=1),
        },
        r"primary.instance_types must list 1-30 instance types",
    ),
    (
        {
            "primary": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1),
            "core": InstanceFleet(instance_types=["m7g.xlarge", "m7g.xlarge"], on_demand_units=1),
        },
        r"core.instance_types must not repeat a type",
    ),
    (
        {
            "primary": InstanceFleet(instance_types=["m7g"], on_demand_units=1),
            "core": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1),
        },
        r"primary.instance_types must hold EC2 instance types .* got 'm7g'",
    ),
    (
        {
            "primary": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1),
            "core": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=-1, spot_units=2),
        },
        r"core.on_demand_units must be at least 0, got -1",
    ),
    (
        {"managed_scaling": ManagedScaling(minimum=5, maximum=3)},
        r"managed_scaling.minimum must be at most maximum \(3\), got 5",
    ),
    (
        {"managed_scaling": ManagedScaling(minimum=0, maximum=3)},
        r"managed_scaling.minimum must be at least 1, got 0",
    ),
    (
        {"managed_scaling": ManagedScaling(minimum=1, maximum=3, maximum_on_demand=4)},
        r"managed_scaling.maximum_on_demand must be between 0 and 3, got 4",
    ),
    (
        {"managed_scaling": ManagedScaling(minimum=1, maximum=3, maximum_core=0)},
        r"managed_scaling.maximum_core must be between 1 and 3, got 0",
    ),
    ({"managed_scaling": (1, 3)}, r"managed_scaling must be a ManagedScaling, got tuple"),
    (
        {"idle_timeout": Duration.seconds(30)},
        r"idle_timeout must be between 1 min and 7 days, got 30 s",
    ),
    (
        {"idle_timeout": Duration.days(8)},
        r"idle_timeout must be between 1 min and 7 days, got 8 days",
    ),
    ({"step_concurrency": 0}, r"step_concurrency must be between 1 and 256, got 0"),
    (
        {"in_transit_certificate_s3_uri": "https://x/certs.zip"},
        r"in_transit_certificate_s3_uri must be an s3://bucket/key.zip URI",
    ),
    ({"steps": [EmrStep(name="1bad", args=["x"])]}, r"steps\[0\].name must be 1-80 letters"),
    ({"steps": [EmrStep(name="Empty", args=[])]}, r"steps\[0\].args must be a non-empty"),
    (
        {"steps": [EmrStep(name="Odd", args=["x"], action_on_failure="RETRY")]},
        r"steps\[0\].action_on_failure must be one of 'CONTINUE', .* got 'RETRY'",
    ),
    ({"steps": [STEP, STEP]}, r"steps\[1\] name 'Job' repeats another step's name"),
    ({"steps": ["spark-submit"]}, r"steps\[0\] must be an EmrStep, got str"),
    (
        {"hdfs_utilization_alarm_percent": 120},
        r"hdfs_utilization_alarm_percent must be between 1 % and 100 %, got 120 %",
    ),
    (
        {"apps_pending_alarm_after": Duration.minutes(7)},
        r"apps_pending_alarm_after must be a multiple of 5 min, got 7 min",
    ),
    (
        {"apps_pending_alarm_after": Duration.minutes(1)},
        r"apps_pending_alarm_after must be between 5 min and 1 day, got 1 min",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_invalid_cluster_props(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        new_cluster(new_stack(), "C", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": []}, r"steps must hold at least one step, got none"),
        ({"steps": [STEP], "idle_timeout": None}, r"idle_timeout is required"),
        ({"steps": [STEP], "release_label": "emr-4.0.0"}, r"release_label must be an emr-6.x"),
    ],
)
def test_invalid_transient_props(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        new_transient(new_stack(), "T", **kwargs)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PatternValidationError) as caught:
        new_cluster(
            new_stack(),
            "C",
            applications=["Presto", "Trino"],
            primary=InstanceGroup(count=2),
            step_concurrency=0,
        )
    assert len(caught.value.problems) == 3
    assert caught.value.construct_path == "Test/C"


def test_tokens_are_not_validated() -> None:
    stack = new_stack()
    label = cdk.CfnParameter(stack, "Release").value_as_string
    new_cluster(stack, "C", release_label=label)
    cluster = next(iter(Template.from_stack(stack).find_resources("AWS::EMR::Cluster").values()))
    assert cluster["Properties"]["ReleaseLabel"] == {"Ref": "Release"}


# -- input audit: AWS name limits, wrong types and crashes on wrong types -------------------

_FLEET = InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cluster_name": "x" * 257}, "cluster_name must be 1-256 characters, got 257"),
        ({"cluster_name": 5}, "cluster_name must be a string, got int 5"),
        ({"ec2_key_name": ""}, "ec2_key_name must be 1-255 ASCII characters"),
        ({"ec2_key_name": "k" * 256}, "ec2_key_name must be 1-255 ASCII characters"),
        (
            {"idle_timeout": Duration.millis(60_500)},
            "idle_timeout must be a whole number of seconds",
        ),
        (
            {"managed_scaling": ManagedScaling(minimum="1", maximum=5)},
            "managed_scaling.minimum must be a number, got '1'",
        ),
        ({"steps": STEP}, "steps must be a list or tuple of EmrStep, got EmrStep"),
        (
            {"steps": [EmrStep(name="Job", args=["x"], jar="")]},
            r"steps\[0\].jar must name a JAR",
        ),
        (
            {"steps": [EmrStep(name="Job", args=[1, 2])]},
            r"steps\[0\].args must hold only str items, got \[1, 2\]",
        ),
        ({"steps": [EmrStep(name=5, args=["x"])]}, r"steps\[0\].name must be a string"),
        (
            {
                "primary": InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units="1"),
                "core": _FLEET,
            },
            "primary.on_demand_units must be a number, got '1'",
        ),
        (
            {"primary": InstanceFleet(instance_types=[5], on_demand_units=1), "core": _FLEET},
            "primary.instance_types must hold EC2 instance types",
        ),
        ({"task": InstanceGroup(spot="no")}, "task.spot must be True or False, got 'no'"),
        ({"termination_protected": "no"}, "termination_protected must be True or False"),
        ({"release_label": 7}, "release_label must be a string, got int 7"),
        ({"in_transit_certificate_s3_uri": 5}, "in_transit_certificate_s3_uri must be a string"),
        ({"vpc": "vpc-1"}, "vpc must be an ec2.IVpc, got str"),
        ({"vpc_subnets": "private"}, "vpc_subnets must be an ec2.SubnetSelection, got str"),
        ({"encryption_key": "arn:aws:kms:key"}, "encryption_key must be a kms.IKey, got str"),
        ({"data_bucket": "my-bucket"}, "data_bucket must be an s3.IBucket, got str"),
        ({"removal_policy": "destroy"}, "removal_policy must be a RemovalPolicy"),
        ({"alarm_topic": "arn:aws:sns:x"}, "alarm_topic must be an sns.ITopic, got str"),
        ({"dashboard": "Ops"}, "dashboard must be a cloudwatch.Dashboard, got str"),
    ],
)
def test_cluster_rejects_name_limits_and_wrong_types(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        new_cluster(new_stack(), "C", **kwargs)


def test_add_step_rejects_a_non_step() -> None:
    cluster = new_cluster(new_stack(), "C")
    with pytest.raises(PatternValidationError, match="step must be an EmrStep, got str"):
        cluster.add_step("spark-submit job.py")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": None}, "steps must be a list or tuple of EmrStep, got NoneType"),
        ({"steps": [STEP], "cluster_name": "x" * 257}, "cluster_name must be 1-256 characters"),
        (
            {"steps": [STEP], "timeout": Duration.millis(1_500)},
            "timeout must be a whole number of seconds",
        ),
    ],
)
def test_transient_rejects_wrong_types(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternValidationError, match=message):
        new_transient(new_stack(), "T", **kwargs)


def test_transient_reports_the_workflow_timeout_with_the_cluster_problems() -> None:
    with pytest.raises(PatternValidationError) as caught:
        new_transient(
            new_stack(), "T", steps=[STEP], timeout=Duration.days(400), step_concurrency=0
        )
    assert caught.value.problems == (
        "timeout must be between 1 s and 365 days, got 400 days",
        "step_concurrency must be between 1 and 256, got 0",
    )
