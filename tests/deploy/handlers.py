"""Gap fillers that make moto's CloudFormation deploy our example stacks for real.

moto's CloudFormation creates the resource types it implements (``moto.cloudformation.parsing
.get_model_map()``) and, for any other type, logs "No Moto CloudFormation support" and *skips
the resource* while the stack still reaches CREATE_COMPLETE. Without this module a fan-out stack
would deploy with no subscriptions and nothing would ever reach a queue. This module fills those
gaps, in one place:

* :data:`HANDLERS` - one line per CloudFormation type: a function ``(ctx, props) -> Created``
  that provisions the resource the way CloudFormation's resource provider does, by calling the
  service's API on the emulator (``ctx.client("sns").subscribe(...)``), i.e. moto's own backends
  with moto's own request parsing and validation. ``Custom::*`` types of CDK-internal custom
  resources (whose Node.js handlers need the Lambda runtime) are emulated here too, instead of
  switching the protection off in the stacks. :func:`accept_only` registers a type whose
  control-plane existence is all the emulator can offer (say so in the docstring where used).
* :func:`unsupported_types` - the guard: every type of a template that neither moto nor
  :data:`HANDLERS` implements. The deploy tier refuses such a template before ``create_stack``.
* Behaviour moto lacks, switched on by :func:`install` while the emulator runs:
  a Kinesis -> Firehose -> S3 bridge (each record put on a stream that is the source of a
  delivery stream is delivered at once, without buffering, to the delivery stream's bucket under
  its prefix, compressed and KMS-encrypted as configured); a runner for Python Lambda functions
  (moto needs Docker for that) that executes the handler in a subprocess with the emulator as
  its AWS endpoint and its logs written to its log group; asynchronous invocations with
  Lambda's retries, on-success / on-failure destinations and dead-letter target
  (:func:`invoke_async`), used by ``Invoke`` with ``InvocationType=Event`` and by EventBridge
  rules with Lambda targets (moto has no Lambda target); Lambda's SQS poller with batches and
  partial batch responses, one round per :func:`poll_queues` call (:class:`_SqsPoller`); moto's
  Step Functions interpreter (config ``stepfunctions.execute_state_machine``), its service
  integrations pointed at the emulator and two of its deviations from Step Functions corrected
  (:func:`_step_functions_interpreter`).

Adding a type: write ``def _my_type(ctx: Context, props: Props) -> Created`` and add
``"AWS::Service::Type": _my_type`` to :data:`HANDLERS`. Raise on anything the emulator cannot do
faithfully rather than ignoring a property.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gzip
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import boto3
from botocore.config import Config

__all__ = [
    "HANDLERS",
    "Context",
    "Created",
    "SqsBatch",
    "accept_only",
    "install",
    "invoke_async",
    "lambda_environment",
    "moto_types",
    "poll_queues",
    "render_prefix",
    "resolve_dynamic_references",
    "seed_ssm_parameters",
    "supported_types",
    "unsupported_types",
]

Props = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """Where a resource is being created, and clients for the emulator's APIs."""

    account_id: str
    region: str
    stack_name: str
    logical_id: str
    #: The physical name CloudFormation would generate (``<stack>-<logical id>-<random>``).
    generated_name: str
    endpoint: str
    #: moto's own implementation of the type: ``ctx.moto_default(props, name)`` creates the
    #: resource as moto would (for handlers that only correct moto's input).
    moto_default: Callable[[Props, str | None], Any] | None = None

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` on the emulator (never AWS)."""
        return _client(self.endpoint, self.region, service)


@dataclass
class Created:
    """What a handler made: the value of ``Ref`` and the ``Fn::GetAtt`` attributes."""

    physical_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


#: A handler returns a ``Created``, or the moto model that ``ctx.moto_default`` returned.
Handler = Callable[[Context, Props], Any]

FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}


@functools.cache
def _client(endpoint: str, region: str, service: str) -> Any:
    return boto3.session.Session(region_name=region, **FAKE_CREDENTIALS).client(
        service,  # type: ignore[call-overload]
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1}),
    )


def _json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _flag(value: Any) -> bool:
    return str(value).lower() == "true"


def _arn_name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


# -- handlers ---------------------------------------------------------------------------------
def _sqs_queue(ctx: Context, props: Props) -> Any:
    """moto's own queue, named as CloudFormation names it: a generated FIFO name ends in
    ``.fifo`` (moto omits the suffix and then refuses its own name)."""
    name = None
    if _flag(props.get("FifoQueue")) and not props.get("QueueName"):
        name = ctx.generated_name[:75] + ".fifo"
    assert ctx.moto_default is not None
    return ctx.moto_default(props, name)


def _lambda_function(ctx: Context, props: Props) -> Any:
    """moto's function, keeping what moto's CloudFormation drops and the emulator uses: the
    log group and format of ``LoggingConfig`` (where the runner writes the function's logs)
    and the ``DeadLetterConfig`` target of failed asynchronous invocations."""
    assert ctx.moto_default is not None
    function = ctx.moto_default(props, None)
    logging_config = props.get("LoggingConfig") or {}
    if logging_config.get("LogGroup"):
        function.logs_group_name = logging_config["LogGroup"]
    function.log_format = logging_config.get("LogFormat", "Text")
    function.dead_letter_target = (props.get("DeadLetterConfig") or {}).get("TargetArn")
    return function


def _dynamodb_table(ctx: Context, props: Props) -> Any:
    """moto's table, plus what moto's CloudFormation drops: the TTL attribute and point-in-time
    recovery (applied with the API, as CloudFormation's provider does)."""
    assert ctx.moto_default is not None
    table = ctx.moto_default(props, None)
    ddb = ctx.client("dynamodb")
    ttl = props.get("TimeToLiveSpecification") or {}
    if _flag(ttl.get("Enabled")):
        ddb.update_time_to_live(
            TableName=table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
        )
    pitr = props.get("PointInTimeRecoverySpecification") or {}
    if _flag(pitr.get("PointInTimeRecoveryEnabled")):
        ddb.update_continuous_backups(
            TableName=table.name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    return table


def _s3_bucket(ctx: Context, props: Props) -> Any:
    """moto's bucket, plus its public access block (moto's CloudFormation drops it)."""
    assert ctx.moto_default is not None
    bucket = ctx.moto_default(props, None)
    block = props.get("PublicAccessBlockConfiguration")
    if block:
        ctx.client("s3").put_public_access_block(
            Bucket=bucket.name,
            PublicAccessBlockConfiguration={k: _flag(v) for k, v in block.items()},
        )
    return bucket


def _sns_subscription(ctx: Context, props: Props) -> Created:
    """A real subscription: moto's SNS then delivers to SQS (raw or enveloped), filtered."""
    attributes: dict[str, str] = {}
    # FilterPolicyScope first: moto validates the filter policy against the scope.
    for name in ("FilterPolicyScope", "FilterPolicy", "RedrivePolicy", "DeliveryPolicy"):
        if props.get(name):
            attributes[name] = _json(props[name])
    if _flag(props.get("RawMessageDelivery")):
        attributes["RawMessageDelivery"] = "true"
    if props.get("SubscriptionRoleArn"):
        attributes["SubscriptionRoleArn"] = props["SubscriptionRoleArn"]
    arn = ctx.client("sns").subscribe(
        TopicArn=props["TopicArn"],
        Protocol=props["Protocol"],
        Endpoint=props["Endpoint"],
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return Created(arn, {"Arn": arn})


def _sns_topic_policy(ctx: Context, props: Props) -> Created:
    for topic_arn in props["Topics"]:
        ctx.client("sns").set_topic_attributes(
            TopicArn=topic_arn,
            AttributeName="Policy",
            AttributeValue=_json(props["PolicyDocument"]),
        )
    return Created(ctx.generated_name, {"Id": ctx.generated_name})


def _sqs_queue_policy(ctx: Context, props: Props) -> Created:
    for queue_url in props["Queues"]:
        ctx.client("sqs").set_queue_attributes(
            QueueUrl=queue_url, Attributes={"Policy": _json(props["PolicyDocument"])}
        )
    return Created(ctx.generated_name, {"Id": ctx.generated_name})


def _s3_bucket_policy(ctx: Context, props: Props) -> Created:
    """The policy without its *conditional* Deny statements (TLS-only, encrypted uploads ...):
    moto applies a Deny while ignoring its condition, so a TLS-only bucket would refuse every
    object request. Allow and unconditional Deny statements are kept (and enforced by moto)."""
    document = props["PolicyDocument"]
    if isinstance(document, str):
        document = json.loads(document)
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    kept = [st for st in statements if not (st.get("Effect") == "Deny" and st.get("Condition"))]
    ctx.client("s3").put_bucket_policy(
        Bucket=props["Bucket"], Policy=json.dumps({**document, "Statement": kept})
    )
    return Created(ctx.generated_name)


def _cloudwatch_alarm(ctx: Context, props: Props) -> Created:
    """``PutMetricAlarm`` with the template's properties (names match the API)."""
    name = props.get("AlarmName") or ctx.generated_name
    api = {k: v for k, v in props.items() if k != "AlarmName"}
    for number in ("EvaluationPeriods", "DatapointsToAlarm", "Period"):
        if number in api:
            api[number] = int(api[number])
    if "Threshold" in api:
        api["Threshold"] = float(api["Threshold"])
    if "ActionsEnabled" in api:
        api["ActionsEnabled"] = _flag(api["ActionsEnabled"])
    ctx.client("cloudwatch").put_metric_alarm(AlarmName=name, **api)
    arn = f"arn:aws:cloudwatch:{ctx.region}:{ctx.account_id}:alarm:{name}"
    return Created(name, {"Arn": arn})


def _log_stream(ctx: Context, props: Props) -> Created:
    name = props.get("LogStreamName") or ctx.generated_name
    ctx.client("logs").create_log_stream(logGroupName=props["LogGroupName"], logStreamName=name)
    return Created(name)


_FIREHOSE_UNSUPPORTED = (
    "ProcessingConfiguration",
    "DataFormatConversionConfiguration",
    "DynamicPartitioningConfiguration",
)


def _firehose_delivery_stream(ctx: Context, props: Props) -> Created:
    """The delivery stream in moto's Firehose, plus a route for the Kinesis -> S3 bridge."""
    name = props.get("DeliveryStreamName") or ctx.generated_name[:64]
    destination = props.get("ExtendedS3DestinationConfiguration") or props.get(
        "S3DestinationConfiguration"
    )
    if destination is None:
        raise ValueError("only S3 destinations are emulated")
    for feature in _FIREHOSE_UNSUPPORTED:
        if _flag((destination.get(feature) or {}).get("Enabled")):
            raise ValueError(f"{feature} is not emulated (the bridge would skip it)")
    api: Props = {"DeliveryStreamName": name}
    for key in (
        "DeliveryStreamType",
        "KinesisStreamSourceConfiguration",
        "ExtendedS3DestinationConfiguration",
        "S3DestinationConfiguration",
        "DeliveryStreamEncryptionConfigurationInput",
    ):
        if key in props:
            api[key] = props[key]
    ctx.client("firehose").create_delivery_stream(**api)
    arn = f"arn:aws:firehose:{ctx.region}:{ctx.account_id}:deliverystream/{name}"
    source = props.get("KinesisStreamSourceConfiguration")
    if source:
        _BRIDGE.add_route(source["KinesisStreamARN"], name, destination)
    return Created(name, {"Arn": arn})


def _step_functions_state_machine(ctx: Context, props: Props) -> Created:
    """Replaces moto's own handler, which ignores ``DefinitionSubstitutions`` and puts the state
    machine where the interpreter (``execute_state_machine``) does not see it."""
    definition = props.get("DefinitionString") or _json(props.get("Definition", {}))
    for key, value in (props.get("DefinitionSubstitutions") or {}).items():
        definition = definition.replace("${" + key + "}", str(value))
    name = props.get("StateMachineName") or ctx.generated_name[:80]
    api: Props = {"name": name, "definition": definition, "roleArn": props["RoleArn"]}
    if props.get("StateMachineType"):
        api["type"] = props["StateMachineType"]
    if props.get("LoggingConfiguration"):
        api["loggingConfiguration"] = _lower_keys(props["LoggingConfiguration"])
    if props.get("TracingConfiguration"):
        api["tracingConfiguration"] = _lower_keys(props["TracingConfiguration"])
    arn = ctx.client("stepfunctions").create_state_machine(**api)["stateMachineArn"]
    return Created(arn, {"Arn": arn, "Name": name, "StateMachineRevisionId": arn})


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _restrict_default_security_group(ctx: Context, props: Props) -> Created:
    """``Custom::VpcRestrictDefaultSG`` (aws-cdk-lib, a Node.js Lambda in AWS): remove every rule
    of the VPC's default security group, as the real handler does."""
    ec2 = ctx.client("ec2")
    group_id = props["DefaultSecurityGroupId"]
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    if group["IpPermissions"]:
        ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=group["IpPermissions"])
    if group["IpPermissionsEgress"]:
        ec2.revoke_security_group_egress(
            GroupId=group_id, IpPermissions=group["IpPermissionsEgress"]
        )
    return Created(f"{group_id}-restricted")


def _permission(props: Props, direction: str) -> Props:
    """One IpPermission of ``AWS::EC2::SecurityGroupIngress``/``Egress`` properties."""
    peer = "Source" if direction == "ingress" else "Destination"
    permission: Props = {"IpProtocol": str(props["IpProtocol"])}
    for key in ("FromPort", "ToPort"):
        if key in props:
            permission[key] = int(props[key])
    extra = _description(props)
    if props.get("CidrIp"):
        permission["IpRanges"] = [{"CidrIp": props["CidrIp"], **extra}]
    if props.get("CidrIpv6"):
        permission["Ipv6Ranges"] = [{"CidrIpv6": props["CidrIpv6"], **extra}]
    if props.get(f"{peer}SecurityGroupId"):
        permission["UserIdGroupPairs"] = [{"GroupId": props[f"{peer}SecurityGroupId"], **extra}]
    if props.get(f"{peer}PrefixListId"):
        permission["PrefixListIds"] = [{"PrefixListId": props[f"{peer}PrefixListId"], **extra}]
    return permission


def _security_group_ingress(ctx: Context, props: Props) -> Created:
    """Replaces moto's handler, which rejects a prefix-list source (CloudFront origin-facing)."""
    ctx.client("ec2").authorize_security_group_ingress(
        GroupId=props["GroupId"], IpPermissions=[_permission(props, "ingress")]
    )
    return Created(f"{props['GroupId']}-ingress-{ctx.logical_id}")


def _security_group_egress(ctx: Context, props: Props) -> Created:
    ctx.client("ec2").authorize_security_group_egress(
        GroupId=props["GroupId"], IpPermissions=[_permission(props, "egress")]
    )
    return Created(f"{props['GroupId']}-egress-{ctx.logical_id}")


def _description(props: Props) -> Props:
    return {"Description": props["Description"]} if props.get("Description") else {}


def _scheduler_schedule(ctx: Context, props: Props) -> Created:
    name = props.get("Name") or ctx.generated_name[:64]
    api = {k: v for k, v in props.items() if k != "Name"}
    ctx.client("scheduler").create_schedule(Name=name, **api)
    group = props.get("GroupName", "default")
    arn = f"arn:aws:scheduler:{ctx.region}:{ctx.account_id}:schedule/{group}/{name}"
    return Created(name, {"Arn": arn})


def _lambda_event_invoke_config(ctx: Context, props: Props) -> Created:
    api = {k: v for k, v in props.items() if k != "Qualifier"}
    for number in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds"):
        if number in api:
            api[number] = int(api[number])
    ctx.client("lambda").put_function_event_invoke_config(**api)
    return Created(f"{props['FunctionName']}:{props.get('Qualifier', '$LATEST')}")


def _step_functions_activity(ctx: Context, props: Props) -> Created:
    api: Props = {"name": props["Name"]}
    if props.get("Tags"):
        api["tags"] = [{"key": t["Key"], "value": t["Value"]} for t in props["Tags"]]
    arn = ctx.client("stepfunctions").create_activity(**api)["activityArn"]
    return Created(arn, {"Name": props["Name"], "Arn": arn})


def _scalable_target(ctx: Context, props: Props) -> Created:
    api: Props = {
        "ServiceNamespace": props["ServiceNamespace"],
        "ResourceId": props["ResourceId"],
        "ScalableDimension": props["ScalableDimension"],
        "MinCapacity": int(props["MinCapacity"]),
        "MaxCapacity": int(props["MaxCapacity"]),
    }
    if props.get("RoleARN"):
        api["RoleARN"] = props["RoleARN"]
    if props.get("SuspendedState"):
        api["SuspendedState"] = props["SuspendedState"]
    autoscaling = ctx.client("application-autoscaling")
    autoscaling.register_scalable_target(**api)
    for action in props.get("ScheduledActions") or []:
        autoscaling.put_scheduled_action(
            ServiceNamespace=api["ServiceNamespace"],
            ResourceId=api["ResourceId"],
            ScalableDimension=api["ScalableDimension"],
            **action,
        )
    physical_id = "|".join((api["ResourceId"], api["ScalableDimension"], api["ServiceNamespace"]))
    return Created(physical_id, {"Id": physical_id})


def _scaling_policy(ctx: Context, props: Props) -> Created:
    if props.get("ScalingTargetId"):
        resource_id, dimension, namespace = props["ScalingTargetId"].split("|")
    else:
        resource_id = props["ResourceId"]
        dimension = props["ScalableDimension"]
        namespace = props["ServiceNamespace"]
    api: Props = {
        "PolicyName": props["PolicyName"],
        "PolicyType": props["PolicyType"],
        "ResourceId": resource_id,
        "ScalableDimension": dimension,
        "ServiceNamespace": namespace,
    }
    for key in (
        "TargetTrackingScalingPolicyConfiguration",
        "StepScalingPolicyConfiguration",
        "PredictiveScalingPolicyConfiguration",
    ):
        if props.get(key):
            api[key] = _numbers(props[key])
    arn = ctx.client("application-autoscaling").put_scaling_policy(**api)["PolicyARN"]
    return Created(arn, {"Arn": arn})


_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")


def _numbers(value: Any) -> Any:
    """CloudFormation passes numbers as strings after intrinsic resolution; the API wants them
    as numbers."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, str) and _NUMERIC.match(value):
        return float(value) if "." in value else int(value)
    return value


def _dax_cluster(ctx: Context, props: Props) -> Created:
    """The cluster in moto's DAX (control plane only: there is no DAX data plane)."""
    name = props.get("ClusterName") or ctx.generated_name[-20:].lower().strip("-")
    api: Props = {
        "ClusterName": name,
        "NodeType": props["NodeType"],
        "ReplicationFactor": int(props["ReplicationFactor"]),
        "IamRoleArn": props["IAMRoleARN"],
    }
    for cfn_key, api_key in (
        ("Description", "Description"),
        ("SubnetGroupName", "SubnetGroupName"),
        ("ParameterGroupName", "ParameterGroupName"),
        ("SecurityGroupIds", "SecurityGroupIds"),
        ("ClusterEndpointEncryptionType", "ClusterEndpointEncryptionType"),
        ("AvailabilityZones", "AvailabilityZones"),
        ("NotificationTopicARN", "NotificationTopicArn"),
        ("PreferredMaintenanceWindow", "PreferredMaintenanceWindow"),
    ):
        if props.get(cfn_key):
            api[api_key] = props[cfn_key]
    if props.get("SSESpecification"):
        api["SSESpecification"] = {"Enabled": _flag(props["SSESpecification"].get("SSEEnabled"))}
    cluster = ctx.client("dax").create_cluster(**api)["Cluster"]
    endpoint = cluster.get("ClusterDiscoveryEndpoint") or {}
    address = (
        endpoint.get("Address")
        or f"{name}.{secrets.token_hex(3)}.dax-clusters.{ctx.region}.amazonaws.com"
    )
    port = endpoint.get("Port") or 8111
    return Created(
        name,
        {
            "Arn": cluster["ClusterArn"],
            "ClusterDiscoveryEndpoint": f"{address}:{port}",
            "ClusterDiscoveryEndpointURL": endpoint.get("URL") or f"dax://{address}",
        },
    )


def _batch_compute_environment(ctx: Context, props: Props) -> Any:
    """moto's compute environment; without ``ServiceRole`` AWS uses Batch's service-linked role,
    which moto requires explicitly."""
    if not props.get("ServiceRole"):
        iam = ctx.client("iam")
        path = "/aws-service-role/batch.amazonaws.com/"
        existing = iam.list_roles(PathPrefix=path)["Roles"]
        arn = (
            existing[0]["Arn"]
            if existing
            else iam.create_service_linked_role(AWSServiceName="batch.amazonaws.com")["Role"]["Arn"]
        )
        props = {**props, "ServiceRole": arn}
    props = {**props, "Type": str(props["Type"]).upper()}  # the template says "managed"
    assert ctx.moto_default is not None
    environment = ctx.moto_default(props, props.get("ComputeEnvironmentName"))
    # moto's model has no Fn::GetAtt support; Ref and ComputeEnvironmentArn are the ARN
    return Created(environment.arn, {"ComputeEnvironmentArn": environment.arn})


def _event_bus(ctx: Context, props: Props) -> Any:
    """moto's event bus, whose ``Ref`` is its name (moto's model has no physical id, so ``Ref``
    would hand the model object to the rules of the bus)."""
    assert ctx.moto_default is not None
    bus = ctx.moto_default(props, props.get("Name"))
    bus.physical_resource_id = bus.name
    return bus


def _bucket_deployment(ctx: Context, props: Props) -> Created:
    """``Custom::CDKBucketDeployment`` (aws-cdk-lib's s3 deployment; in AWS a Lambda function
    with the AWS CLI): unzip each source asset into the destination bucket under the prefix,
    substituting the deploy-time markers. CloudFront invalidation is not emulated."""
    s3 = ctx.client("s3")
    bucket = props["DestinationBucketName"]
    prefix = props.get("DestinationBucketKeyPrefix", "")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    markers_per_source = props.get("SourceMarkers") or [{} for _ in props["SourceBucketNames"]]
    written: set[str] = set()
    for source_bucket, key, markers in zip(
        props["SourceBucketNames"], props["SourceObjectKeys"], markers_per_source, strict=True
    ):
        archive_bytes = s3.get_object(Bucket=source_bucket, Key=key)["Body"].read()
        if not _flag(props.get("Extract", "true")):
            s3.put_object(Bucket=bucket, Key=prefix + key.rsplit("/", 1)[-1], Body=archive_bytes)
            continue
        with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
            for member in archive.infolist():
                if member.is_dir():
                    continue
                body = archive.read(member)
                for marker, value in (markers or {}).items():
                    body = body.replace(marker.encode(), str(value).encode())
                s3.put_object(Bucket=bucket, Key=prefix + member.filename, Body=body)
                written.add(prefix + member.filename)
    if _flag(props.get("Prune", "true")):
        listing = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for page in listing:
            for obj in page.get("Contents", []):
                if obj["Key"] not in written:
                    s3.delete_object(Bucket=bucket, Key=obj["Key"])
    return Created(
        f"aws.cdk.s3deployment.{ctx.logical_id}",
        {
            "DestinationBucketArn": f"arn:aws:s3:::{bucket}",
            "SourceObjectKeys": props["SourceObjectKeys"],
        },
    )


def _cloudfront_attributes(ctx: Context, props: Props) -> dict[str, Any]:
    distribution_id = "E" + secrets.token_hex(7).upper()
    return {"Id": distribution_id, "DomainName": f"d{secrets.token_hex(6)}.cloudfront.net"}


def _autoscaling_scaling_policy(ctx: Context, props: Props) -> Created:
    """``PutScalingPolicy`` of EC2 Auto Scaling (policy only: moto runs no scaling)."""
    name = props.get("PolicyName") or ctx.generated_name[:255]
    api = _numbers({k: v for k, v in props.items() if k != "PolicyName"})
    for key in ("Cooldown", "EstimatedInstanceWarmup"):
        if key in api:
            api[key] = int(api[key])
    if "Enabled" in api:
        api["Enabled"] = _flag(api["Enabled"])
    if (
        "TargetTrackingConfiguration" in api
        and "DisableScaleIn" in api["TargetTrackingConfiguration"]
    ):
        tt = api["TargetTrackingConfiguration"]
        tt["DisableScaleIn"] = _flag(tt["DisableScaleIn"])
    if "TargetTrackingConfiguration" in api:
        api["TargetTrackingConfiguration"]["TargetValue"] = float(
            api["TargetTrackingConfiguration"]["TargetValue"]
        )
    autoscaling = ctx.client("autoscaling")
    autoscaling.put_scaling_policy(PolicyName=name, **api)
    (policy,) = autoscaling.describe_policies(
        AutoScalingGroupName=props["AutoScalingGroupName"], PolicyNames=[name]
    )["ScalingPolicies"]
    return Created(policy["PolicyARN"], {"Arn": policy["PolicyARN"], "PolicyName": name})


def _events_archive(ctx: Context, props: Props) -> Any:
    """moto's archive, with a generated name within the 48 characters the API allows."""
    if isinstance(props.get("EventPattern"), dict):
        props = {**props, "EventPattern": json.dumps(props["EventPattern"])}
    assert ctx.moto_default is not None
    return ctx.moto_default(props, props.get("ArchiveName") or ctx.generated_name[-48:].strip("-"))


def _elbv2_load_balancer(ctx: Context, props: Props) -> Created:
    """moto's load balancer of the template's ``Type`` (moto's handler makes every one an
    application load balancer) with the attributes CloudWatch dimensions need."""
    from moto.elbv2.models import elbv2_backends

    name = props.get("Name") or ctx.generated_name
    balancer = elbv2_backends[ctx.account_id][ctx.region].create_load_balancer(
        name,
        props.get("SecurityGroups") or [],
        props.get("Subnets") or [],
        subnet_mappings=props.get("SubnetMappings"),
        scheme=props.get("Scheme", "internet-facing"),
        loadbalancer_type=props.get("Type", "application"),
        ip_address_type=props.get("IpAddressType", "ipv4"),
        tags=props.get("Tags"),
    )
    if props.get("LoadBalancerAttributes"):
        ctx.client("elbv2").modify_load_balancer_attributes(
            LoadBalancerArn=balancer.arn,
            Attributes=[
                {"Key": a["Key"], "Value": str(a["Value"]).lower()}
                for a in props["LoadBalancerAttributes"]
            ],
        )
    arn = balancer.arn
    return Created(
        arn,
        {
            "LoadBalancerArn": arn,
            "LoadBalancerName": balancer.name,
            "LoadBalancerFullName": arn.split(":loadbalancer/", 1)[1],
            "DNSName": balancer.dns_name,
            "CanonicalHostedZoneID": "Z35SXDOTRQ7X7K",
            "SecurityGroups": props.get("SecurityGroups") or [],
        },
    )


def _secret(ctx: Context, props: Props) -> Created:
    name = props.get("Name") or ctx.generated_name
    api: Props = {"Name": name}
    for key in ("Description", "KmsKeyId", "SecretString"):
        if props.get(key):
            api[key] = props[key]
    generate = props.get("GenerateSecretString")
    if generate and "SecretString" not in api:
        options = _numbers(
            {
                k: v
                for k, v in generate.items()
                if k not in ("SecretStringTemplate", "GenerateStringKey")
            }
        )
        for flag in (
            "ExcludeNumbers",
            "ExcludePunctuation",
            "ExcludeUppercase",
            "ExcludeLowercase",
            "IncludeSpace",
            "RequireEachIncludedType",
        ):
            if flag in options:
                options[flag] = _flag(options[flag])
        password = ctx.client("secretsmanager").get_random_password(**options)["RandomPassword"]
        if generate.get("SecretStringTemplate"):
            value = json.loads(generate["SecretStringTemplate"])
            value[generate["GenerateStringKey"]] = password
            api["SecretString"] = json.dumps(value)
        else:
            api["SecretString"] = password
    arn = ctx.client("secretsmanager").create_secret(**api)["ARN"]
    return Created(arn, {"Id": arn})


def _emr_cluster(ctx: Context, props: Props) -> Created:
    """``RunJobFlow`` with the template's properties (moto's own handler drops the
    applications, instance groups, security configuration and scaling policies)."""
    instances = dict(props["Instances"])
    groups = []
    for key, role in (("MasterInstanceGroup", "MASTER"), ("CoreInstanceGroup", "CORE")):
        if key in instances:
            groups.append({**instances.pop(key), "InstanceRole": role})
    groups.extend({**g, "InstanceRole": "TASK"} for g in instances.pop("TaskInstanceGroups", []))
    if groups:
        instances["InstanceGroups"] = [
            {k: v for k, v in g.items() if k != "EbsConfiguration"} for g in groups
        ]
    if any(key in instances for key in ("MasterInstanceFleet", "CoreInstanceFleet")):
        raise ValueError("instance fleets are not emulated")
    for flag in ("KeepJobFlowAliveWhenNoSteps", "TerminationProtected"):
        if flag in instances:
            instances[flag] = _flag(instances[flag])
    api: Props = {"Instances": _numbers(instances)}
    for key in (
        "Name",
        "ReleaseLabel",
        "LogUri",
        "Applications",
        "Configurations",
        "JobFlowRole",
        "ServiceRole",
        "SecurityConfiguration",
        "ScaleDownBehavior",
        "ManagedScalingPolicy",
        "AutoTerminationPolicy",
        "StepConcurrencyLevel",
        "Tags",
        "VisibleToAllUsers",
    ):
        if key in props:
            api[key] = props[key]
    api = _numbers(api)
    if "VisibleToAllUsers" in api:
        api["VisibleToAllUsers"] = _flag(api["VisibleToAllUsers"])
    emr = ctx.client("emr")
    cluster_id = emr.run_job_flow(**api)["JobFlowId"]
    cluster = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]
    return Created(
        cluster_id,
        {
            "Id": cluster_id,
            "Arn": cluster["ClusterArn"],
            "MasterPublicDNS": cluster.get("MasterPublicDnsName", ""),
        },
    )


def _emr_step(ctx: Context, props: Props) -> Created:
    step = {k: props[k] for k in ("Name", "ActionOnFailure", "HadoopJarStep")}
    (step_id,) = ctx.client("emr").add_job_flow_steps(JobFlowId=props["JobFlowId"], Steps=[step])[
        "StepIds"
    ]
    return Created(step_id, {"Id": step_id})


def _kinesis_video_stream(ctx: Context, props: Props) -> Created:
    name = props.get("Name") or ctx.generated_name
    api: Props = {"StreamName": name}
    for key in ("DataRetentionInHours", "KmsKeyId", "MediaType", "DeviceName"):
        if props.get(key) is not None:
            api[key] = int(props[key]) if key == "DataRetentionInHours" else props[key]
    arn = ctx.client("kinesisvideo").create_stream(**api)["StreamARN"]
    return Created(name, {"Arn": arn})


def _aws_sdk_call(ctx: Context, props: Props) -> Created:
    """``Custom::AWS`` (aws-cdk-lib's AwsCustomResource): make its ``Create`` SDK call against the
    emulator with boto3 and expose the flattened response as attributes."""
    call = (
        json.loads(props["Create"]) if isinstance(props.get("Create"), str) else props.get("Create")
    )
    if not call:
        return Created(ctx.generated_name)
    service = str(call["service"]).removeprefix("@aws-sdk/client-").lower().replace("-", "")
    service = {
        "cloudwatchlogs": "logs",
        "stepfunctions": "stepfunctions",
        "sfn": "stepfunctions",
    }.get(service, service)
    action = re.sub(
        r"(?<!^)(?=[A-Z])", "_", call["action"][:1].lower() + call["action"][1:]
    ).lower()
    response = getattr(ctx.client(service), action)(**_numbers(call.get("parameters") or {}))
    flat: dict[str, Any] = {}

    def flatten(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                flatten(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                flatten(f"{prefix}.{i}", v)
        else:
            flat[prefix] = value if isinstance(value, str) else json.dumps(value, default=str)

    flatten("", {k: v for k, v in response.items() if k != "ResponseMetadata"})
    physical = call.get("physicalResourceId") or {}
    physical_id = physical.get("id") or flat.get(
        physical.get("responsePath", ""), ctx.generated_name
    )
    return Created(str(physical_id), flat)


def _mq_broker(ctx: Context, props: Props) -> Created:
    """The broker in moto's Amazon MQ (control plane only: no message broker runs)."""
    api = {k: v for k, v in props.items() if k != "Tags"}
    api.setdefault("BrokerName", ctx.generated_name[:50])
    for flag in ("AutoMinorVersionUpgrade", "PubliclyAccessible"):
        if flag in api:
            api[flag] = _flag(api[flag])
    if props.get("Tags"):
        api["Tags"] = {t["Key"]: t["Value"] for t in props["Tags"]}
    mq = ctx.client("mq")
    broker_id = mq.create_broker(**api)["BrokerId"]
    broker = mq.describe_broker(BrokerId=broker_id)
    instances = broker.get("BrokerInstances") or [{}]
    endpoints = [e for i in instances for e in i.get("Endpoints", [])]

    def by_scheme(scheme: str) -> list[str]:
        return [e for e in endpoints if e.startswith(scheme)]

    return Created(
        broker_id,
        {
            "Arn": broker["BrokerArn"],
            "Id": broker_id,
            "ConfigurationId": (broker.get("Configurations", {}).get("Current") or {}).get(
                "Id", ""
            ),
            "ConfigurationRevision": (broker.get("Configurations", {}).get("Current") or {}).get(
                "Revision", 1
            ),
            "IpAddresses": [i.get("IpAddress", "") for i in instances],
            "ConsoleURLs": [i.get("ConsoleURL", "") for i in instances],
            "AmqpEndpoints": by_scheme("amqp"),
            "OpenWireEndpoints": by_scheme("ssl"),
            "StompEndpoints": by_scheme("stomp"),
            "MqttEndpoints": by_scheme("mqtt"),
            "WssEndpoints": by_scheme("wss"),
        },
    )


def _analytics_application(ctx: Context, props: Props) -> Created:
    """The application in moto's Managed Service for Apache Flink (no Flink job runs)."""
    api = {k: v for k, v in props.items() if k not in ("Tags", "RunConfiguration")}
    api.setdefault("ApplicationName", ctx.generated_name[:128])
    if props.get("Tags"):
        api["Tags"] = props["Tags"]
    detail = ctx.client("kinesisanalyticsv2").create_application(**_numbers(api))[
        "ApplicationDetail"
    ]
    name = api["ApplicationName"]
    arn = detail.get("ApplicationARN") or (
        f"arn:aws:kinesisanalytics:{ctx.region}:{ctx.account_id}:application/{name}"
    )
    return Created(name, {"Arn": arn})


def with_attributes(attributes: Callable[[Any], dict[str, Any]]) -> Handler:
    """moto's own resource, plus the ``Fn::GetAtt`` attributes its model lacks (moto answers
    a GetAtt on such a model with an internal error)."""

    def handler(ctx: Context, props: Props) -> Created:
        assert ctx.moto_default is not None
        model = ctx.moto_default(props, None)
        return Created(model.physical_resource_id, attributes(model))

    return handler


def accept_only(attributes: Callable[[Context, Props], dict[str, Any]] | None = None) -> Handler:
    """A handler for a type whose control plane is all we need (no behaviour is emulated):
    the resource gets a physical id (and the given ``Fn::GetAtt`` attributes) and nothing else.
    Use it only where the README says the emulator proves nothing more for that type."""

    def handler(ctx: Context, props: Props) -> Created:
        values = attributes(ctx, props) if attributes else {}
        return Created(values.get("Id", ctx.generated_name), values)

    return handler


#: CloudFormation type -> handler. One line per type; the guard test reads this table.
HANDLERS: dict[str, Handler] = {
    "AWS::SQS::Queue": _sqs_queue,
    "AWS::Lambda::Function": _lambda_function,
    "AWS::DynamoDB::Table": _dynamodb_table,
    "AWS::S3::Bucket": _s3_bucket,
    "AWS::SNS::Subscription": _sns_subscription,
    "AWS::SNS::TopicPolicy": _sns_topic_policy,
    "AWS::SQS::QueuePolicy": _sqs_queue_policy,
    "AWS::S3::BucketPolicy": _s3_bucket_policy,
    "AWS::CloudWatch::Alarm": _cloudwatch_alarm,
    "AWS::Logs::LogStream": _log_stream,
    "AWS::KinesisFirehose::DeliveryStream": _firehose_delivery_stream,
    "AWS::StepFunctions::StateMachine": _step_functions_state_machine,
    "AWS::StepFunctions::Activity": _step_functions_activity,
    "AWS::EC2::SecurityGroupIngress": _security_group_ingress,
    "AWS::EC2::SecurityGroupEgress": _security_group_egress,
    "AWS::Scheduler::Schedule": _scheduler_schedule,
    "AWS::Lambda::EventInvokeConfig": _lambda_event_invoke_config,
    "AWS::ApplicationAutoScaling::ScalableTarget": _scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _scaling_policy,
    "AWS::DAX::Cluster": _dax_cluster,
    # moto's DAX has no parameter or subnet group API: recorded, not modelled
    "AWS::DAX::ParameterGroup": accept_only(),
    "AWS::DAX::SubnetGroup": accept_only(),
    "AWS::AutoScaling::ScalingPolicy": _autoscaling_scaling_policy,
    "AWS::Batch::ComputeEnvironment": _batch_compute_environment,
    "AWS::Events::EventBus": _event_bus,
    "AWS::Events::Archive": _events_archive,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _elbv2_load_balancer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": with_attributes(
        lambda tg: {
            "TargetGroupArn": tg.arn,
            "TargetGroupName": tg.name,
            "TargetGroupFullName": tg.arn.split(":", 5)[5],
            "LoadBalancerArns": list(tg.load_balancer_arns),
        }
    ),
    "AWS::Batch::JobQueue": with_attributes(
        lambda q: {"JobQueueArn": q.arn, "JobQueueName": q.name}
    ),
    "AWS::Batch::JobDefinition": with_attributes(lambda d: {"JobDefinitionArn": d.arn}),
    # CloudFront: control plane only (no edge, no traffic); ids and domain names are invented
    "AWS::CloudFront::Distribution": accept_only(_cloudfront_attributes),
    "AWS::CloudFront::OriginAccessControl": accept_only(
        lambda ctx, p: {"Id": "E" + secrets.token_hex(6).upper()}
    ),
    "AWS::CloudFront::CachePolicy": accept_only(lambda ctx, p: {"Id": secrets.token_hex(16)}),
    "AWS::CloudFront::OriginRequestPolicy": accept_only(
        lambda ctx, p: {"Id": secrets.token_hex(16)}
    ),
    "AWS::SecretsManager::Secret": _secret,
    "AWS::EMR::Cluster": _emr_cluster,
    "AWS::EMR::Step": _emr_step,
    "AWS::KinesisVideo::Stream": _kinesis_video_stream,
    "AWS::AmazonMQ::Broker": _mq_broker,
    "AWS::KinesisAnalyticsV2::Application": _analytics_application,
    # moto's Managed Flink has no logging-option API: recorded, not modelled
    "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption": accept_only(),
    "Custom::AWS": _aws_sdk_call,
    "Custom::VpcRestrictDefaultSG": _restrict_default_security_group,
    "Custom::CDKBucketDeployment": _bucket_deployment,
}

#: Types moto lists but does not create (it ignores them).
_MOTO_NULL_TYPES = frozenset({"?", "AWS::SERVICE::RESOURCE"})


def moto_types() -> frozenset[str]:
    """The types moto's CloudFormation creates itself (``Custom::*`` excluded: moto invokes
    their Lambda, which needs Docker)."""
    from moto.cloudformation import parsing

    return frozenset(parsing.get_model_map()) - _MOTO_NULL_TYPES | frozenset(parsing.NULL_MODELS)


def supported_types() -> frozenset[str]:
    return moto_types() | frozenset(HANDLERS)


def unsupported_types(template: dict[str, Any]) -> list[str]:
    """Types in ``template`` that the emulator would skip silently, sorted."""
    supported = supported_types()
    return sorted(
        {r["Type"] for r in template.get("Resources", {}).values() if r["Type"] not in supported}
    )


# -- moto integration ------------------------------------------------------------------------
class _GapFiller:
    """What moto's ResourceMap needs of a resource (a duck-typed ``CloudFormationModel``).

    Not a subclass of ``CloudFormationModel``: that would add the type to moto's global model
    map for the rest of the process, also outside the emulator.
    """

    type_name: ClassVar[str]
    handler: ClassVar[Handler]
    endpoint: ClassVar[str]

    #: moto's class for the type, when a handler corrects moto's input (else None).
    moto_class: ClassVar[Any]

    def __init__(self, created: Created) -> None:
        self.physical_resource_id = created.physical_id
        self._attributes = created.attributes

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _GapFiller:
        from moto.cloudformation.exceptions import ValidationError

        stack_id: str = kwargs["StackId"]

        def moto_default(props: Props, name: str | None = None) -> Any:
            if cls.moto_class is None:
                raise ValueError(f"moto does not implement {cls.type_name}")
            return cls.moto_class.create_from_cloudformation_json(
                name or resource_name,
                {**cloudformation_json, "Properties": props},
                account_id,
                region_name,
                **kwargs,
            )

        ctx = Context(
            account_id=account_id,
            region=region_name,
            stack_name=stack_id.split(":stack/")[-1].split("/")[0],
            logical_id=kwargs["LogicalId"],
            generated_name=resource_name,
            endpoint=cls.endpoint,
            moto_default=moto_default,
        )
        props = cloudformation_json.get("Properties") or {}
        unresolved = _unresolved(props)
        if unresolved:
            raise ValidationError(
                message=f"{ctx.logical_id} ({cls.type_name}): moto could not resolve {unresolved}"
            )
        try:
            made = cls.handler(ctx, props)
            return cls(made) if isinstance(made, Created) else made
        except Exception as exc:  # surface as a CloudFormation error naming the resource
            raise ValidationError(
                message=f"{ctx.logical_id} ({cls.type_name}) failed in the emulator: {exc}"
            ) from exc

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name not in self._attributes:
            raise UnformattedGetAttTemplateException()
        return self._attributes[attribute_name]

    def is_created(self) -> bool:
        return True

    @classmethod
    def delete_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> None:
        """Deleting a stack leaves what a handler made (the emulator is thrown away)."""

    @classmethod
    def update_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"updating {cls.type_name} is not emulated; deploy afresh")


def _unresolved(value: Any) -> list[Any]:
    """Intrinsics moto left in place (it leaves an unsupported ``Fn::GetAtt`` unresolved)."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref")):
            return [value]
        return [found for v in value.values() for found in _unresolved(v)]
    if isinstance(value, list):
        return [found for v in value for found in _unresolved(v)]
    return []


_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm|ssm-secure):([^}]*)\}\}")


def resolve_dynamic_references(value: str, endpoint: str, region: str) -> str:
    """CloudFormation's ``{{resolve:secretsmanager:...}}`` / ``{{resolve:ssm:...}}``, which moto
    leaves in place, resolved against the emulator."""

    def resolve(match: re.Match[str]) -> str:
        kind, reference = match.groups()
        if kind == "secretsmanager":
            secret_id, _, rest = reference.partition(":SecretString:")
            if not rest and reference.count(":") >= 7:  # arn:aws:secretsmanager:r:a:secret:name
                secret_id = reference
            json_key, _, version = rest.partition(":")
            stage, _, version_id = version.partition(":")
            api: Props = {"SecretId": secret_id}
            if stage:
                api["VersionStage"] = stage
            if version_id:
                api["VersionId"] = version_id
            secret = _client(endpoint, region, "secretsmanager").get_secret_value(**api)
            text = str(secret["SecretString"])
            return str(json.loads(text)[json_key]) if json_key else text
        name, _, version = reference.partition(":")
        parameter = name + (f":{version}" if version else "")
        got = _client(endpoint, region, "ssm").get_parameter(Name=parameter, WithDecryption=True)
        return str(got["Parameter"]["Value"])

    return _DYNAMIC_REFERENCE.sub(resolve, value)


# -- Kinesis -> Firehose -> S3 -----------------------------------------------------------------
_JAVA_TIME = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}
_EXPRESSION = re.compile(r"!\{([^}:]+):([^}]*)\}")
_EXTENSIONS = {"GZIP": ".gz", "ZIP": ".zip", "UNCOMPRESSED": ""}


def render_prefix(prefix: str, now: datetime) -> str:
    """A Firehose S3 prefix with its ``!{timestamp:...}`` / ``!{firehose:random-string}``
    expressions evaluated; a prefix without a timestamp gets ``YYYY/MM/dd/HH/`` appended, as
    Firehose does."""

    def evaluate(match: re.Match[str]) -> str:
        namespace, value = match.groups()
        if namespace == "timestamp":
            return now.strftime(re.sub("|".join(_JAVA_TIME), lambda m: _JAVA_TIME[m[0]], value))
        if namespace == "firehose" and value == "random-string":
            return secrets.token_hex(6)[:11]
        raise ValueError(f"prefix expression !{{{namespace}:{value}}} is not emulated")

    rendered = _EXPRESSION.sub(evaluate, prefix)
    if "!{timestamp:" not in prefix:
        rendered += now.strftime("%Y/%m/%d/%H/")
    return rendered


@dataclass
class _Route:
    account_id: str
    region: str
    delivery_stream: str
    destination: Props
    #: shard id -> last sequence number delivered
    positions: dict[str, int] = field(default_factory=dict)


class _FirehoseBridge:
    """Reads each new record of a source stream, as Firehose's consumer does, and writes it to
    S3 straight away (no buffering: one object per put)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[_Route]] = {}
        self.lock = threading.Lock()

    def add_route(self, stream_arn: str, delivery_stream: str, destination: Props) -> None:
        _, _, _, region, account_id, _ = stream_arn.split(":", 5)
        route = _Route(account_id, region, delivery_stream, destination)
        with self.lock:
            self.routes.setdefault(stream_arn, []).append(route)

    def pump(self, stream: Any) -> None:
        with self.lock:
            for route in self.routes.get(stream.arn, []):
                records: list[Any] = []
                for shard in stream.shards.values():
                    new, last, _ = shard.get_records(route.positions.get(shard.shard_id, 0), None)
                    route.positions[shard.shard_id] = last
                    records.extend(new)
                if records:
                    self._deliver(route, [r.to_json()["Data"] for r in records])

    @staticmethod
    def _deliver(route: _Route, records: list[bytes]) -> None:
        from moto.s3.models import s3_backends

        config = route.destination
        now = datetime.now(UTC)
        compression = config.get("CompressionFormat", "UNCOMPRESSED")
        if compression not in _EXTENSIONS:
            raise ValueError(f"CompressionFormat {compression} is not emulated")
        body = b"".join(records)
        if compression == "GZIP":
            body = gzip.compress(body)
        elif compression == "ZIP":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("records", body)
            body = buffer.getvalue()
        key = (
            render_prefix(config.get("Prefix", ""), now)
            + f"{route.delivery_stream}-1-{now:%Y-%m-%d-%H-%M-%S}-{secrets.token_hex(16)}"
            + _EXTENSIONS[compression]
        )
        kms = (config.get("EncryptionConfiguration") or {}).get("KMSEncryptionConfig") or {}
        s3_backends[route.account_id]["aws"].put_object(
            _arn_name(config["BucketARN"]),
            key,
            body,
            encryption="aws:kms" if kms else None,
            kms_key_id=kms.get("AWSKMSKeyARN"),
        )


_BRIDGE = _FirehoseBridge()


# -- Python Lambda functions in a subprocess ---------------------------------------------------
_BOOTSTRAP = """
import importlib, json, os, sys, time, traceback, uuid
handler, result_path = sys.argv[1], sys.argv[2]
module_name, _, function_name = handler.rpartition(".")
deadline = time.monotonic() + float(os.environ["AWS_LAMBDA_FUNCTION_TIMEOUT"])
class Context:
    function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
    function_version = "$LATEST"
    memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
    invoked_function_arn = os.environ["_FUNCTION_ARN"]
    aws_request_id = str(uuid.uuid4())
    log_group_name = "/aws/lambda/" + function_name
    log_stream_name = "emulator"
    def get_remaining_time_in_millis(self):
        return max(0, int((deadline - time.monotonic()) * 1000))
# The Lambda runtime's log handler on the root logger: text or JSON (LoggingConfig.LogFormat)
import logging
class LambdaFormatter(logging.Formatter):
    def format(self, record):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        stamp += ".%03dZ" % record.msecs
        if os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON":
            return json.dumps({"timestamp": stamp, "level": record.levelname,
                               "message": record.getMessage(), "logger": record.name,
                               "requestId": Context.aws_request_id})
        return "[%s]\t%s\t%s\t%s" % (record.levelname, stamp, Context.aws_request_id,
                                     record.getMessage())
log_handler = logging.StreamHandler(sys.stdout)
log_handler.setFormatter(LambdaFormatter())
logging.getLogger().addHandler(log_handler)
event = json.loads(sys.stdin.read() or "{}")
try:
    result = getattr(importlib.import_module(module_name), function_name)(event, Context())
    payload, code = json.dumps(result), 0
except Exception as exc:
    traceback.print_exc()
    payload = json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__,
                          "stackTrace": traceback.format_exc().splitlines()})
    code = 1
with open(result_path, "w") as out:
    out.write(payload)
sys.exit(code)
"""


def lambda_environment(endpoint: str, region: str) -> dict[str, str]:
    """The environment of a function run by the emulator: fake credentials, the emulator as
    the endpoint of every AWS SDK call, no shared config or metadata service."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
        "AWS_SESSION_TOKEN": FAKE_CREDENTIALS["aws_session_token"],
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


class _LambdaRunner:
    """Replaces moto's Docker invocation (``LambdaFunction._invoke_lambda``): Python functions
    run in a subprocess of this interpreter; other runtimes fail the invocation, naming it.

    What the function prints and logs (the runtime's root log handler, text or JSON as its
    ``LoggingConfig`` says) goes to its log group - ``LoggingConfig.LogGroup`` or
    ``/aws/lambda/<name>`` - in one log stream per invocation, as in Lambda."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.workdir = tempfile.TemporaryDirectory(prefix="emulator-lambda-")

    def invoke(self, function: Any, event: Any = None) -> tuple[str, bool, str]:
        payload, errored, logs = self._run(function, event)
        self._ship_logs(function, logs)
        return payload, errored, logs

    def _ship_logs(self, function: Any, logs: str) -> None:
        lines = [line for line in logs.splitlines() if line.strip()]
        if not lines:
            return
        client = _client(self.endpoint, function.region, "logs")
        group = function.logs_group_name
        with contextlib.suppress(client.exceptions.ResourceAlreadyExistsException):
            client.create_log_group(logGroupName=group)  # Lambda creates a missing group
        now = datetime.now(UTC)
        stream = f"{now:%Y/%m/%d}/[$LATEST]{secrets.token_hex(16)}"
        client.create_log_stream(logGroupName=group, logStreamName=stream)
        millis = int(now.timestamp() * 1000)
        client.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[{"timestamp": millis, "message": line} for line in lines],
        )

    def _run(self, function: Any, event: Any = None) -> tuple[str, bool, str]:
        if not str(function.run_time).startswith("python"):
            error = {
                "errorMessage": f"the emulator runs Python functions only, not {function.run_time}"
            }
            return json.dumps(error), True, ""
        code_dir = Path(self.workdir.name) / (function.code_digest or function.function_name)
        if not code_dir.exists():
            with zipfile.ZipFile(io.BytesIO(function.code_bytes)) as archive:
                archive.extractall(code_dir)
        env = lambda_environment(self.endpoint, function.region)
        env.update(
            {
                "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
                "AWS_LAMBDA_FUNCTION_TIMEOUT": str(function.timeout),
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
                "_FUNCTION_ARN": function.function_arn,
                "_HANDLER": function.handler,
                "PYTHONPATH": str(code_dir),
                "AWS_LAMBDA_LOG_GROUP_NAME": function.logs_group_name,
                "AWS_LAMBDA_LOG_FORMAT": getattr(function, "log_format", "Text"),
            }
        )
        env.update({k: str(v) for k, v in (function.environment_vars or {}).items()})
        with tempfile.NamedTemporaryFile(dir=self.workdir.name, suffix=".json") as result:
            try:
                proc = subprocess.run(
                    [sys.executable, "-c", _BOOTSTRAP, function.handler, result.name],
                    input=event if isinstance(event, str) else json.dumps(event or {}),
                    env=env,
                    cwd=code_dir,
                    capture_output=True,
                    text=True,
                    timeout=float(function.timeout),
                    check=False,
                )
            except subprocess.TimeoutExpired:
                error = {"errorMessage": f"Task timed out after {function.timeout} seconds"}
                return json.dumps(error), True, ""
            payload = Path(result.name).read_text() or json.dumps(
                {"errorMessage": proc.stderr[-2000:]}
            )
        return payload, proc.returncode != 0, proc.stdout + proc.stderr


# -- Lambda invocation semantics moto lacks -------------------------------------------------------
#: Lambda's retries of a failed asynchronous invocation when no EventInvokeConfig says otherwise.
DEFAULT_ASYNC_RETRIES = 2


def _send_to_target(arn: str, body: str, attributes: dict[str, str], endpoint: str) -> None:
    """Deliver a record to a destination / dead-letter target: an SQS queue or an SNS topic."""
    _, _, service, region, account, name = arn.split(":", 5)
    if service == "sqs":
        sqs = _client(endpoint, region, "sqs")
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        sqs.send_message(
            QueueUrl=url,
            MessageBody=body,
            MessageAttributes={
                k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()
            },
        )
    elif service == "sns":
        _client(endpoint, region, "sns").publish(
            TopicArn=arn,
            Message=body,
            MessageAttributes={
                k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()
            },
        )
    else:
        raise NotImplementedError(f"delivery to {arn} is not emulated (SQS and SNS are)")


def invoke_async(function: Any, event: Any, endpoint: str) -> dict[str, Any]:
    """An asynchronous invocation as Lambda makes it: the function runs, and is retried up to
    ``MaximumRetryAttempts`` times (EventInvokeConfig, default 2) if it fails; the outcome goes
    to the ``OnSuccess`` / ``OnFailure`` destination as an invocation record, and an event that
    still failed also to the function's ``DeadLetterConfig`` target. Returns the record.

    Unlike Lambda, the emulator runs it before answering the call that caused it (``Invoke``
    with ``InvocationType=Event``, ``PutEvents``) and retries at once, without backoff, so
    tests need not wait; ``MaximumEventAgeInSeconds`` is not applied."""
    configs = function.event_invoke_config
    config: Props = configs[0].config if configs else {}
    retries = int(config.get("MaximumRetryAttempts", DEFAULT_ASYNC_RETRIES))
    request_id = secrets.token_hex(16)
    attempts = 0
    while True:
        attempts += 1
        payload, errored, _ = function._invoke_lambda(event)
        if not errored or attempts > retries:
            break
    try:
        response: Any = json.loads(payload)
    except json.JSONDecodeError:
        response = payload
    record: Props = {
        "version": "1.0",
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "requestContext": {
            "requestId": request_id,
            "functionArn": f"{function.function_arn}:$LATEST",
            "condition": "RetriesExhausted" if errored else "Success",
            "approximateInvokeCount": attempts,
        },
        "requestPayload": event,
        "responseContext": {
            "statusCode": 200,
            "executedVersion": "$LATEST",
            **({"functionError": "Unhandled"} if errored else {}),
        },
        "responsePayload": response,
    }
    destinations = config.get("DestinationConfig") or {}
    destination = (destinations.get("OnFailure" if errored else "OnSuccess") or {}).get(
        "Destination"
    )
    if destination:
        _send_to_target(destination, json.dumps(record), {}, endpoint)
    dead_letter_target = getattr(function, "dead_letter_target", None)
    if errored and dead_letter_target:
        message = response.get("errorMessage", "") if isinstance(response, dict) else ""
        _send_to_target(
            dead_letter_target,
            json.dumps(event),
            {"RequestID": request_id, "ErrorCode": "200", "ErrorMessage": str(message)[:1024]},
            endpoint,
        )
    return record


def _target_input(target: Props, event: Props) -> Any:
    """What an EventBridge target receives: the event, ``Input``, or the transformed event."""
    from moto.events.utils import EventTemplateParser

    if target.get("Input"):
        return json.loads(target["Input"])
    if target.get("InputPath"):
        raise NotImplementedError("InputPath of an EventBridge target is not emulated")
    if target.get("InputTransformer"):
        transformer = target["InputTransformer"]
        return EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,
        )
    return event


def _deliver_to_functions(rule: Any, event: Props, endpoint: str) -> None:
    """EventBridge -> Lambda (moto raises NotImplementedError for a Lambda target): each
    matching, enabled rule invokes its functions asynchronously (:func:`invoke_async`). A
    function that cannot be invoked (it does not exist) sends the event to the target's
    dead-letter queue with EventBridge's error attributes."""
    from moto.awslambda.utils import get_backend

    if rule.state != "ENABLED" or not rule.event_pattern.matches_event(event):
        return
    if isinstance(event.get("time"), int | float):  # moto's epoch seconds; EventBridge: ISO 8601
        stamp = datetime.fromtimestamp(event["time"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        event = {**event, "time": stamp}
    for target in rule.targets:
        arn = target["Arn"]
        if arn.split(":")[2] != "lambda":
            continue
        _, _, _, region, account, _ = arn.split(":", 5)
        try:
            function = get_backend(account, region).get_function(arn)
        except Exception as exc:
            dead_letter = (target.get("DeadLetterConfig") or {}).get("Arn")
            if not dead_letter:
                raise
            _send_to_target(
                dead_letter,
                json.dumps(event),
                {
                    "ERROR_CODE": "ResourceNotFoundException",
                    "ERROR_MESSAGE": str(exc)[:1024],
                    "RULE_ARN": rule.arn,
                    "TARGET_ARN": arn,
                },
                endpoint,
            )
            continue
        invoke_async(function, _target_input(target, event), endpoint)


@dataclass(frozen=True)
class SqsBatch:
    """One invocation of a function by its SQS event source mapping."""

    function_arn: str
    queue_arn: str
    #: ids of the messages in the batch, in the order received
    message_ids: list[str]
    #: ids Lambda returned to the queue (all of them after a function error)
    returned: list[str]
    function_error: bool


class _SqsPoller:
    """Lambda's SQS poller, in place of moto's (which invokes the function once per message,
    on every send, ignores ``ReportBatchItemFailures`` and returns a whole batch on any error).

    SQS event source mappings are taken out of moto's queue (so moto never triggers them) and
    polled by :meth:`poll`, one round each time it is called: each enabled mapping receives up
    to its batch size of visible messages, invokes its function once with them, deletes the
    messages that succeeded and returns the others to the queue - all of them after a
    function error, or the ``batchItemFailures`` the function reported when the mapping has
    ``FunctionResponseTypes: [ReportBatchItemFailures]`` (a malformed report fails the whole
    batch, as in Lambda). A returned message is visible again at once, as if its visibility
    timeout had passed; SQS counts the receive, and after ``maxReceiveCount`` receives its
    redrive policy moves the message to the dead-letter queue on the next receive. The poller
    does not run by itself: a test calls ``Emulator.poll_queues()`` when Lambda would poll.
    """

    def __init__(self) -> None:
        self.endpoint = ""
        self.mappings: dict[str, Any] = {}

    def adopt(self, mapping: Any) -> None:
        from moto.sqs.models import sqs_backends

        queue_arn = mapping.event_source_arn
        _, _, service, region, account, _ = queue_arn.split(":", 5)
        if service != "sqs":
            return
        for queue in sqs_backends[account][region].queues.values():
            if queue.queue_arn == queue_arn:
                queue.lambda_event_source_mappings.pop(mapping.function_arn, None)
        self.mappings[mapping.uuid] = mapping

    def poll(self) -> list[SqsBatch]:
        from moto.awslambda.utils import get_backend

        batches: list[SqsBatch] = []
        for mapping in list(self.mappings.values()):
            backend = get_backend(mapping.account_id, mapping.region)
            if mapping.uuid not in backend._event_source_mappings or not _flag(mapping.enabled):
                continue
            batch = self._invoke(mapping)
            if batch is not None:
                batches.append(batch)
        return batches

    def _invoke(self, mapping: Any) -> SqsBatch | None:
        queue_arn = mapping.event_source_arn
        _, _, _, region, account, name = queue_arn.split(":", 5)
        sqs = _client(self.endpoint, region, "sqs")
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        size = int(mapping.batch_size or 10)
        messages: list[Props] = []
        while len(messages) < size:
            got = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=min(10, size - len(messages)),
                WaitTimeSeconds=0,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not got:
                break
            messages.extend(got)
        if not messages:
            return None
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {
                    key: {k[:1].lower() + k[1:]: v for k, v in value.items()}
                    for key, value in m.get("MessageAttributes", {}).items()
                },
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
        response = _client(self.endpoint, region, "lambda").invoke(
            FunctionName=mapping.function_arn, Payload=json.dumps({"Records": records})
        )
        function_error = bool(response.get("FunctionError"))
        ids = [m["MessageId"] for m in messages]
        returned = list(ids) if function_error else []
        if not function_error and "ReportBatchItemFailures" in (
            mapping.function_response_types or []
        ):
            returned = _reported_failures(response["Payload"].read(), ids)
        for message in messages:
            if message["MessageId"] in returned:
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return SqsBatch(mapping.function_arn, queue_arn, ids, returned, function_error)


def _reported_failures(payload: bytes, ids: list[str]) -> list[str]:
    """The message ids of a partial batch response; every id if the response is malformed
    (not an object, an id that is empty or not in the batch), as Lambda treats it."""
    try:
        response = json.loads(payload or b"null")
    except json.JSONDecodeError:
        return list(ids)
    if response is None:
        return []
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if failures is None:
        return [] if isinstance(response, dict) else list(ids)
    reported = [f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures]
    if not all(isinstance(r, str) and r in ids for r in reported):
        return list(ids)
    return [i for i in ids if i in reported]


_POLLER = _SqsPoller()


def poll_queues() -> list[SqsBatch]:
    """One round of Lambda's SQS poller (see :class:`_SqsPoller`); the batches it invoked."""
    return _POLLER.poll()


# -- Step Functions interpreter ------------------------------------------------------------------
#: A JSONPath that selects one value: no wildcard, deep scan, filter, slice or union.
_INDEFINITE_PATH = re.compile(r"\*|\.\.|\[\?|\[[^\]]*[:,][^\]]*\]")


def _definite_paths(original: Callable[[str, Any], Any]) -> Callable[[str, Any], Any]:
    """moto's interpreter returns a list for ``$.a[1].b`` (any path through an index); Step
    Functions returns the value a definite path selects."""

    def extract_json(path: str, data: Any) -> Any:
        if path.startswith("$") and not path.startswith("$$") and not _INDEFINITE_PATH.search(path):
            from jsonpath_ng.ext import parse

            matches = parse(path).find(data)
            if len(matches) == 1:
                return matches[0].value
        return original(path, data)

    return extract_json


@contextlib.contextmanager
def _step_functions_interpreter(endpoint: str) -> Iterator[None]:
    """moto's Step Functions interpreter, corrected where the example workflows need it:
    its service integrations (LambdaInvoke, DynamoDB ...) call this emulator (moto sends them
    to ``localhost:$MOTO_PORT``, 5000 by default); definite JSONPaths select one value; an
    execution started without a name gets a generated one (moto names it ``None``, so a
    second unnamed execution of a state machine fails with ExecutionAlreadyExists)."""
    import uuid

    import moto.stepfunctions.parser.asl.parse.preprocessor  # noqa: F401  (loads every state)
    from moto.core.config import default_user_config
    from moto.stepfunctions.parser.asl.utils import boto_client, json_path
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    port = endpoint.rsplit(":", 1)[1]
    original_extract = json_path.extract_json
    fixed_extract = _definite_paths(original_extract)
    holders = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("moto.stepfunctions.parser")
        and getattr(module, "extract_json", None) is original_extract
    ]
    original_port = boto_client.moto_server_port
    original_start = StepFunctionsParserBackend.start_execution

    def start_execution(self: Any, state_machine_arn: str, name: Any = None, *a: Any, **kw: Any):  # type: ignore[no-untyped-def]
        return original_start(self, state_machine_arn, name or str(uuid.uuid4()), *a, **kw)

    sfn_config = default_user_config["stepfunctions"]
    original_sfn = dict(sfn_config)
    boto_client.moto_server_port = lambda: port
    for module in holders:
        module.extract_json = fixed_extract  # type: ignore[attr-defined]
    StepFunctionsParserBackend.start_execution = start_execution  # type: ignore[method-assign]
    sfn_config["execute_state_machine"] = True
    try:
        yield
    finally:
        boto_client.moto_server_port = original_port
        for module in holders:
            module.extract_json = original_extract  # type: ignore[attr-defined]
        StepFunctionsParserBackend.start_execution = original_start  # type: ignore[method-assign]
        sfn_config.clear()
        sfn_config.update(original_sfn)  # type: ignore[typeddict-item]


# -- install / uninstall ------------------------------------------------------------------------
@contextlib.contextmanager
def install(endpoint: str) -> Iterator[None]:
    """Switch the gap fillers on in this process (where the moto server runs) until exit."""
    from moto.awslambda.models import LambdaBackend, LambdaFunction
    from moto.cloudformation import parsing
    from moto.events.models import Rule
    from moto.kinesis.models import KinesisBackend

    classes: dict[str, Any] = {
        type_name: type(
            "GapFiller_" + re.sub(r"\W", "_", type_name),
            (_GapFiller,),
            {"type_name": type_name, "handler": staticmethod(handler), "endpoint": endpoint},
        )
        for type_name, handler in HANDLERS.items()
    }
    original_resolver = parsing.resource_class_from_type

    for type_name, cls in classes.items():
        cls.moto_class = parsing.get_model_map().get(type_name)

    def resource_class_from_type(resource_type: str) -> Any:
        return classes.get(resource_type) or original_resolver(resource_type)

    original_put_record = KinesisBackend.put_record
    original_put_records = KinesisBackend.put_records

    def put_record(self: Any, stream_arn: Any, stream_name: Any, *args: Any, **kw: Any) -> Any:
        result = original_put_record(self, stream_arn, stream_name, *args, **kw)
        _BRIDGE.pump(self.describe_stream(stream_arn=stream_arn, stream_name=stream_name))
        return result

    def put_records(self: Any, stream_arn: Any, stream_name: Any, *args: Any, **kw: Any) -> Any:
        result = original_put_records(self, stream_arn, stream_name, *args, **kw)
        _BRIDGE.pump(self.describe_stream(stream_arn=stream_arn, stream_name=stream_name))
        return result

    runner = _LambdaRunner(endpoint)
    original_invoke = LambdaFunction._invoke_lambda
    original_function_invoke = LambdaFunction.invoke

    def function_invoke(self: Any, body: Any, request_headers: Any, response_headers: Any) -> Any:
        if (request_headers or {}).get("X-Amz-Invocation-Type") == "Event":
            invoke_async(self, json.loads(body) if body else {}, endpoint)
            return b""
        return original_function_invoke(self, body, request_headers, response_headers)

    original_send_to_targets = Rule.send_to_targets

    def send_to_targets(self: Any, event: Any, transform_input: bool = True) -> None:
        others = [t for t in self.targets if t["Arn"].split(":")[2] != "lambda"]
        if len(others) == len(self.targets):
            return original_send_to_targets(self, event, transform_input)
        _deliver_to_functions(self, event, endpoint)
        if others:  # moto's own delivery, to the targets it knows
            rest = copy.copy(self)
            rest.targets = others
            original_send_to_targets(rest, event, transform_input)
        return None

    original_create_mapping = LambdaBackend.create_event_source_mapping

    def create_event_source_mapping(self: Any, spec: Any) -> Any:
        mapping = original_create_mapping(self, spec)
        _POLLER.adopt(mapping)
        return mapping

    original_clean_json = parsing.clean_json

    def clean_json(resource_json: Any, resources_map: Any) -> Any:
        cleaned = original_clean_json(resource_json, resources_map)
        if isinstance(cleaned, str) and "{{resolve:" in cleaned:
            return resolve_dynamic_references(cleaned, endpoint, resources_map["AWS::Region"])
        return cleaned

    parsing.resource_class_from_type = resource_class_from_type
    parsing.clean_json = clean_json
    KinesisBackend.put_record = put_record  # type: ignore[method-assign]
    KinesisBackend.put_records = put_records  # type: ignore[method-assign]
    LambdaFunction._invoke_lambda = lambda self, event=None: runner.invoke(self, event)  # type: ignore[method-assign]
    LambdaFunction.invoke = function_invoke  # type: ignore[method-assign]
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]
    LambdaBackend.create_event_source_mapping = create_event_source_mapping  # type: ignore[method-assign]
    _POLLER.endpoint = endpoint
    interpreter = _step_functions_interpreter(endpoint)
    interpreter.__enter__()
    try:
        yield
    finally:
        parsing.resource_class_from_type = original_resolver
        parsing.clean_json = original_clean_json
        KinesisBackend.put_record = original_put_record  # type: ignore[method-assign]
        KinesisBackend.put_records = original_put_records  # type: ignore[method-assign]
        LambdaFunction._invoke_lambda = original_invoke  # type: ignore[method-assign]
        LambdaFunction.invoke = original_function_invoke  # type: ignore[method-assign]
        Rule.send_to_targets = original_send_to_targets  # type: ignore[method-assign]
        LambdaBackend.create_event_source_mapping = original_create_mapping  # type: ignore[method-assign]
        interpreter.__exit__(None, None, None)
        _POLLER.mappings.clear()
        _BRIDGE.routes.clear()
        runner.workdir.cleanup()


#: Public SSM parameters of AMI look-ups (``ec2.MachineImage.latest_amazon_linux2023()`` ...):
#: a template resolves them through ``AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>``.
AMI_PARAMETERS = (
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
    "/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2",
    "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id",
)


def seed_ssm_parameters(
    account_id: str, region: str, names: tuple[str, ...] = AMI_PARAMETERS
) -> str:
    """Point the public AMI parameters at an image the emulator's EC2 knows, and return its id.

    moto ships copies of these parameters with real AMI ids that its EC2 does not have, and the
    SSM API refuses names under ``/aws``, so this writes a new version in the backend.
    """
    from moto.ec2.models import ec2_backends
    from moto.ssm.models import Parameter, ssm_backends

    image_id = sorted(ec2_backends[account_id][region].amis)[0]
    parameters = ssm_backends[account_id][region]._parameters
    for name in names:
        parameters._check_loading_status(name)  # moto's copy first, so ours is the latest
        versions = parameters[name]
        versions.append(
            Parameter(
                account_id=account_id,
                name=name,
                value=image_id,
                parameter_type="String",
                description="seeded by the deploy tier",
                allowed_pattern=None,
                keyid=None,
                last_modified_date=datetime.now(UTC),
                version=len(versions) + 1,
                data_type="aws:ec2:image",
            )
        )
    return image_id
