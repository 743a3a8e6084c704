"""The user-shaped configurations of every public pattern, as a new user writes them.

Each case builds one pattern in a fresh stack of the user's own app, with no acknowledgement
of its own: ``minimal`` passes only the required props (and any explicit decision the pattern
asks for), ``typical`` the props a team passes. :func:`destroy` is the minimal case with
``removal_policy=RemovalPolicy.DESTROY`` (the README's dev-stack advice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn

import patterns
from patterns.core.monitoring import create_alarm_topic

__all__ = ["CASES", "Case"]

ROOT = Path(__file__).resolve().parents[2]
FLINK_JOB = ROOT / "stacks" / "assets" / "flink" / "page_counts"
#: An imported certificate, as a team's own ACM certificate would be.
CERTIFICATE_ARN = (
    "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"
)
#: A us-east-1 certificate for a CloudFront viewer domain, and a CLOUDFRONT-scope web ACL.
VIEWER_CERTIFICATE_ARN = CERTIFICATE_ARN.replace("eu-west-1", "us-east-1")
WEB_ACL_ARN = (
    "arn:aws:wafv2:us-east-1:111111111111:global/webacl/site/00000000-0000-0000-0000-000000000000"
)
CODE = lambda_.Code.from_inline("def handler(event, context):\n    return {}\n")
#: Another team's queue, imported by ARN.
AUDIT_QUEUE_ARN = "arn:aws:sqs:eu-west-1:111111111111:audit"
#: A team's PEM bundle for EMR in-transit TLS.
EMR_CERTIFICATES = "s3://team-certificates/emr/certs.zip"


@dataclass(frozen=True)
class Case:
    """One pattern in one configuration; ``build(stack, **extra)`` adds it to ``stack`` (any
    prop in ``extra``, a required one too, replaces the case's own)."""

    pattern: str
    configuration: str
    build: Callable[..., object]

    @property
    def stack_name(self) -> str:
        return f"{self.pattern}{self.configuration.capitalize()}"


def _topic(stack: cdk.Stack) -> sns.ITopic:
    return create_alarm_topic(stack, "Alarms")


def _key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


# -- minimal: only what the pattern requires ------------------------------------------------
def _fan_out(stack: cdk.Stack, **extra: object) -> object:
    return patterns.TopicFanOut(
        stack, "Orders", **{"queues": {"billing": patterns.QueueOptions()}, **extra}
    )


def _stream(stack: cdk.Stack, **extra: object) -> object:
    return patterns.StreamToS3Pipeline(stack, "Clicks", **{"on_demand": True, **extra})


def _shared(extra: dict[str, object]) -> dict[str, object]:
    """The props a pattern's own prerequisite (a table, a stream) shares with it."""
    return {k: v for k, v in extra.items() if k in ("removal_policy", "alarm_topic")}


def _analytics(stack: cdk.Stack, **extra: object) -> object:
    pipeline = patterns.StreamToS3Pipeline(stack, "Clicks", on_demand=True, **_shared(extra))
    return patterns.StreamAnalytics(
        stack,
        "PageCounts",
        **{
            "source": pipeline,
            "code_asset_path": str(FLINK_JOB),
            "python_entry": "main.py",
            **extra,
        },
    )


def _video(stack: cdk.Stack, **extra: object) -> object:
    return patterns.VideoIngestStream(stack, "Camera", **extra)


def _web(stack: cdk.Stack, **extra: object) -> object:
    # The explicit decision the pattern asks for: a certificate, or plain HTTP by opt-in.
    extra.setdefault("allow_plain_http", True)
    return patterns.ScalableWebTier(
        stack, "Web", **{"capacity": patterns.Capacity(min_capacity=2, max_capacity=6), **extra}
    )


def _edge(stack: cdk.Stack, **extra: object) -> object:
    # The explicit decisions the pattern asks for: a custom domain, a geo restriction and a
    # WAF web ACL, or an opt-in for each.
    for opt_in in ("allow_default_certificate", "allow_all_countries", "allow_without_web_acl"):
        extra.setdefault(opt_in, True)
    return patterns.EdgeDistribution(stack, "Site", **extra)


def _prefix_list(stack: cdk.Stack, **extra: object) -> object:
    return patterns.CloudFrontOriginFacingPrefixList(stack, "CloudFrontIps", **extra)


def _table(stack: cdk.Stack, **extra: object) -> object:
    return patterns.ScalableTable(stack, "Orders", **{"partition_key": _key("pk"), **extra})


def _dax(stack: cdk.Stack, **extra: object) -> object:
    table = patterns.ScalableTable(stack, "Catalogue", partition_key=_key("id"), **_shared(extra))
    return patterns.DaxCache(stack, "Cache", **{"table": table.table, **extra})


def _time_series(stack: cdk.Stack, **extra: object) -> object:
    return patterns.TimeSeriesTables(
        stack,
        "Metrics",
        **{"table_prefix": "metrics", "partition_key": _key("deviceId"), **extra},
    )


def _definition(stack: cdk.Stack) -> sfn.IChainable:
    return sfn.Pass(stack, "Start")


def _workflow(stack: cdk.Stack, **extra: object) -> object:
    return patterns.Workflow(stack, "Flow", **{"definition": _definition(stack), **extra})


def _activity(stack: cdk.Stack, **extra: object) -> object:
    extra.pop("removal_policy", None)  # an activity has no stateful resource
    return patterns.WorkflowActivity(stack, "Approval", **extra)


def _function(stack: cdk.Stack, **extra: object) -> object:
    return patterns.EventDrivenFunction(
        stack, "Handler", **{"code": CODE, "handler": "index.handler", **extra}
    )


def _batch(stack: cdk.Stack, **extra: object) -> object:
    return patterns.BatchJobs(
        stack,
        "Jobs",
        **{
            "compute_environments": {"default": patterns.ComputeEnvironmentOptions()},
            "job_definitions": {
                "report": patterns.JobDefinitionOptions(
                    image=ecs.ContainerImage.from_registry(
                        "public.ecr.aws/docker/library/python:3.13"
                    ),
                    command=["python", "-c", "print('report')"],
                )
            },
            **extra,
        },
    )


def _in_transit(extra: dict[str, object]) -> dict[str, object]:
    """EMR's explicit decision: a certificate bundle, else no in-transit encryption."""
    if "in_transit_certificate_s3_uri" in extra:
        return extra
    return {"allow_unencrypted_in_transit": True, **extra}


def _emr(stack: cdk.Stack, **extra: object) -> object:
    return patterns.EmrCluster(stack, "Analytics", **_in_transit(extra))


def _transient_emr(stack: cdk.Stack, **extra: object) -> object:
    step = patterns.EmrStep(name="count", jar="command-runner.jar", args=["true"])
    return patterns.TransientEmrWorkflow(
        stack, "Nightly", **{"steps": [step], **_in_transit(extra)}
    )


def _broker(stack: cdk.Stack, **extra: object) -> object:
    return patterns.MessageBroker(stack, "Broker", **{"engine": "RABBITMQ", **extra})


def _payloads(stack: cdk.Stack, **extra: object) -> object:
    return patterns.PayloadBucket(stack, "Payloads", **extra)


MINIMAL: dict[str, Callable[..., object]] = {
    "TopicFanOut": _fan_out,
    "StreamToS3Pipeline": _stream,
    "StreamAnalytics": _analytics,
    "VideoIngestStream": _video,
    "ScalableWebTier": _web,
    "EdgeDistribution": _edge,
    "CloudFrontOriginFacingPrefixList": _prefix_list,
    "ScalableTable": _table,
    "DaxCache": _dax,
    "TimeSeriesTables": _time_series,
    "Workflow": _workflow,
    "WorkflowActivity": _activity,
    "EventDrivenFunction": _function,
    "BatchJobs": _batch,
    "EmrCluster": _emr,
    "TransientEmrWorkflow": _transient_emr,
    "MessageBroker": _broker,
    "PayloadBucket": _payloads,
}


# -- typical: what a team passes: an alarm topic, a dashboard, a few real settings ----------
def _typical(name: str, builder: Callable[..., object]) -> Callable[..., object]:
    def build(stack: cdk.Stack, **extra: object) -> object:
        if name not in NO_ALARMS:
            extra.setdefault("alarm_topic", _topic(stack))
        extra.update(typical_props(name, stack))
        return builder(stack, **extra)

    return build


#: Patterns without alarm_topic.
NO_ALARMS = frozenset({"PayloadBucket", "CloudFrontOriginFacingPrefixList"})


def typical_props(name: str, stack: cdk.Stack) -> dict[str, object]:
    """The settings a team typically adds beyond the alarm topic."""
    if name == "ScalableWebTier":
        return {
            "instance_type": ec2.InstanceType("m7g.large"),
            "allow_plain_http": False,
            "certificate": acm.Certificate.from_certificate_arn(stack, "Cert", CERTIFICATE_ARN),
            "target_tracking": [patterns.TargetTracking.cpu(50)],
        }
    if name == "EdgeDistribution":
        return {
            "allow_default_certificate": False,
            "domain_names": ["www.example.com"],
            "certificate": acm.Certificate.from_certificate_arn(
                stack, "ViewerCert", VIEWER_CERTIFICATE_ARN
            ),
            "allow_all_countries": False,
            "geo_allow": ["DE", "FR", "NL"],
            "allow_without_web_acl": False,
            "web_acl_arn": WEB_ACL_ARN,
            "content": [s3deploy.Source.data("index.html", "<h1>Hello</h1>")],
        }
    if name == "StreamAnalytics":
        # The job's results go to a second stream, delivered to S3 by a pipeline of its own.
        results = patterns.StreamToS3Pipeline(stack, "Counts", on_demand=True)
        return {"sink_streams": [results.stream], "parallelism": 2}
    props: dict[str, dict[str, object]] = {
        "StreamToS3Pipeline": {
            "on_demand": False,
            "records_per_second": 2_000,
            "average_record_kib": 1.0,
        },
        "ScalableTable": {"peak_read_units": 2_000, "peak_write_units": 500},
        "DaxCache": {"node_type": "dax.r5.large", "item_ttl": Duration.minutes(10)},
        "TimeSeriesTables": {
            "sort_key": dynamodb.Attribute(name="timestamp", type=dynamodb.AttributeType.NUMBER),
            "hot_read_capacity": 100,
            "hot_write_capacity": 500,
        },
        "EventDrivenFunction": {"schedule": events.Schedule.rate(Duration.minutes(5))},
        "TopicFanOut": {"display_name": "Orders", "large_payloads": True},
        "VideoIngestStream": {"retention": Duration.days(7), "device_name": "front-door"},
        "PayloadBucket": {"expiration": Duration.days(20)},
        "Workflow": {"timeout": Duration.hours(2)},
        "EmrCluster": {
            "applications": ["Hadoop", "Spark"],
            "idle_timeout": Duration.hours(1),
            "in_transit_certificate_s3_uri": EMR_CERTIFICATES,
        },
        "TransientEmrWorkflow": {"in_transit_certificate_s3_uri": EMR_CERTIFICATES},
    }
    return props.get(name, {})


# -- existing: the resources a team already has, handed to the pattern ------------------------
def _fan_out_existing(stack: cdk.Stack, **extra: object) -> object:
    """The team's own encrypted topic (in its stack) and an imported queue of another team,
    with one queue the pattern creates."""
    key = kms.Key(stack, "OrdersKey", enable_key_rotation=True)
    topic = sns.Topic(stack, "OrdersTopic", master_key=key, enforce_ssl=True)
    audit = sqs.Queue.from_queue_arn(stack, "Audit", AUDIT_QUEUE_ARN)
    return patterns.TopicFanOut(
        stack,
        "Orders",
        existing_topic=topic,
        existing_queues={"audit": audit},
        queues={"billing": patterns.QueueOptions(), "audit": patterns.QueueOptions()},
        **extra,
    )


def _stream_existing(stack: cdk.Stack, **extra: object) -> object:
    """The team's own provisioned stream (in its stack) with the load it expects, delivered
    to another team's imported landing bucket."""
    stream = kinesis.Stream(
        stack, "ClicksStream", shard_count=4, encryption=kinesis.StreamEncryption.MANAGED
    )
    landing = s3.Bucket.from_bucket_name(stack, "Landing", "team-landing")
    return patterns.StreamToS3Pipeline(
        stack,
        "Clicks",
        existing_stream=stream,
        records_per_second=2_000,
        average_record_kib=1.0,
        bucket=landing,
        **extra,
    )


def _team_vpc(stack: cdk.Stack) -> ec2.IVpc:
    """A team's shared VPC, imported: private subnets with egress and public ones."""
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "TeamVpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["eu-west-1a", "eu-west-1b"],
        private_subnet_ids=["subnet-0a0a0a0a0a0a0a0a0", "subnet-0b0b0b0b0b0b0b0b0"],
        private_subnet_route_table_ids=["rtb-0a0a0a0a0a0a0a0a0", "rtb-0b0b0b0b0b0b0b0b0"],
        public_subnet_ids=["subnet-0c0c0c0c0c0c0c0c0", "subnet-0d0d0d0d0d0d0d0d0"],
        public_subnet_route_table_ids=["rtb-0c0c0c0c0c0c0c0c0", "rtb-0c0c0c0c0c0c0c0c0"],
    )


def _batch_existing(stack: cdk.Stack, **extra: object) -> object:
    return _batch(stack, vpc=_team_vpc(stack), **extra)


def _function_existing(stack: cdk.Stack, **extra: object) -> object:
    """The team's own key for the failed-event queues."""
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    return _function(
        stack, schedule=events.Schedule.rate(Duration.hours(1)), dead_letter_key=key, **extra
    )


def _time_series_existing(stack: cdk.Stack, **extra: object) -> object:
    """The team's keys: one for the tables, one for the failed rotations and, for every
    pattern log group of the stack, its logs key (``use_logs_key``)."""
    patterns.use_logs_key(stack, kms.Key(stack, "TeamLogsKey", enable_key_rotation=True))
    return _time_series(
        stack,
        encryption_key=kms.Key(stack, "TeamTablesKey", enable_key_rotation=True),
        dead_letter_key=kms.Key(stack, "TeamDlqKey", enable_key_rotation=True),
        **extra,
    )


#: The patterns that take existing resources, each in a typical configuration that does.
EXISTING: dict[str, Callable[..., object]] = {
    "TimeSeriesTables": _time_series_existing,
    "TopicFanOut": _fan_out_existing,
    "StreamToS3Pipeline": _stream_existing,
    "BatchJobs": _batch_existing,
    "EventDrivenFunction": _function_existing,
}

#: Every pattern in both configurations (and those taking existing resources in a third).
CASES: list[Case] = [
    case
    for name, builder in MINIMAL.items()
    for case in (Case(name, "minimal", builder), Case(name, "typical", _typical(name, builder)))
] + [Case(name, "existing", builder) for name, builder in EXISTING.items()]


def destroy(case: Case) -> Case:
    """``case`` with ``removal_policy=RemovalPolicy.DESTROY``."""

    def build(stack: cdk.Stack, **extra: object) -> object:
        return case.build(stack, removal_policy=RemovalPolicy.DESTROY, **extra)

    return Case(case.pattern, f"{case.configuration}destroy", build)
