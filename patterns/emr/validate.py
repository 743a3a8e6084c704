"""The prop rules of the EMR patterns, one function per prop group.

Each rule records its problems on the validator it is given and never raises, so a construct
reports every problem at once. Unresolved tokens are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2

from patterns.core.deferred import deferred
from patterns.core.network import check_subnets
from patterns.core.validation import Validator, format_duration, is_unresolved
from patterns.emr.instances import ClusterCapacity
from patterns.emr.options import (
    ACTIONS_ON_FAILURE,
    ALLOWED_APPLICATIONS,
    EmrStep,
    InstanceFleet,
    InstanceGroup,
    Instances,
    ManagedScaling,
)
from patterns.emr.props import ClusterProps
from patterns.emr.steps import step_key

__all__ = [
    "MAX_CLUSTER_NAME",
    "MAX_EBS_GIB",
    "MAX_FLEET_INSTANCE_TYPES",
    "MAX_IDLE_TIMEOUT",
    "MAX_KEY_NAME",
    "MAX_STEP_CONCURRENCY",
    "MIN_EBS_GIB",
    "MIN_IDLE_TIMEOUT",
    "alarm_thresholds",
    "capacity",
    "cluster",
    "cluster_settings",
    "existing_resources",
    "in_transit_encryption",
    "names",
    "new_step",
    "release",
    "steps",
    "termination_protection",
    "transient_run",
]

#: Auto-termination idle timeout range.
MIN_IDLE_TIMEOUT = deferred(Duration, "seconds", 60)
MAX_IDLE_TIMEOUT = deferred(Duration, "days", 7)
MAX_STEP_CONCURRENCY = 256
MAX_FLEET_INSTANCE_TYPES = 30
MIN_EBS_GIB = 1
MAX_EBS_GIB = 16_384
#: RunJobFlow Name: at most 256 characters; EC2 key pair names: 1-255 ASCII characters.
MAX_CLUSTER_NAME = 256
MAX_KEY_NAME = 255

_RELEASE = re.compile(r"^emr-(\d+)\.(\d+)\.(\d+)$")
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")
_CERTIFICATE = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+\.zip$")
_STEP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]{0,79}$")


# -- the cluster --------------------------------------------------------------------------------


def cluster(v: Validator, props: ClusterProps) -> None:
    """The props both EMR patterns share (their common props are the base's)."""
    names(v, cluster_name=props.cluster_name, ec2_key_name=props.ec2_key_name)
    existing_resources(
        v, vpc=props.vpc, vpc_subnets=props.vpc_subnets, data_bucket=props.data_bucket
    )
    release(v, release_label=props.release_label, applications=props.applications)
    capacity(v, props.capacity)
    cluster_settings(
        v,
        idle_timeout=props.idle_timeout,
        step_concurrency=props.step_concurrency,
    )
    in_transit_encryption(
        v,
        in_transit_certificate_s3_uri=props.in_transit_certificate_s3_uri,
        allow_unencrypted_in_transit=props.allow_unencrypted_in_transit,
    )
    steps(v, props.steps)


def names(v: Validator, *, cluster_name: str | None, ec2_key_name: str | None) -> None:
    """The cluster name (1-256 characters) and EC2 key pair name (1-255 ASCII)."""
    if v.text("cluster_name", cluster_name):
        assert isinstance(cluster_name, str)
        v.require(
            1 <= len(cluster_name) <= MAX_CLUSTER_NAME,
            "cluster_name",
            f"must be 1-{MAX_CLUSTER_NAME} characters, got {len(cluster_name)}",
        )
    if v.text("ec2_key_name", ec2_key_name):
        assert isinstance(ec2_key_name, str)
        v.require(
            1 <= len(ec2_key_name) <= MAX_KEY_NAME and ec2_key_name.isascii(),
            "ec2_key_name",
            f"must be 1-{MAX_KEY_NAME} ASCII characters (an EC2 key pair name), "
            f"got {ec2_key_name!r}",
        )


def existing_resources(
    v: Validator, *, vpc: object, vpc_subnets: object, data_bucket: object
) -> None:
    """The types of the VPC, its subnet selection and the data bucket the user passes."""
    v.implements("vpc", vpc, "vpc_id", what="an ec2.IVpc")
    v.instance_of("vpc_subnets", vpc_subnets, ec2.SubnetSelection, what="an ec2.SubnetSelection")
    v.implements("data_bucket", data_bucket, "bucket_arn", what="an s3.IBucket")
    check_subnets(
        v,
        vpc,
        vpc_subnets,
        default=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        what="the cluster",
    )


def release(v: Validator, *, release_label: str, applications: Sequence[str]) -> None:
    """An emr-6.x/7.x release label; 1+ known applications, no repeats, not Presto and Trino."""
    if v.text("release_label", release_label):
        match = _RELEASE.match(release_label)
        if match is None or int(match.group(1)) < 6:
            v.add(
                "release_label",
                f"must be an emr-6.x or emr-7.x release label (emr-7.12.0), got {release_label!r}",
            )
    if applications is None:
        return  # reported by the pattern base (no silent None)
    if isinstance(applications, str):
        v.add("applications", f"must be a sequence of names, got the string {applications!r}")
        return
    v.require(len(applications) >= 1, "applications", "must name at least one, got none")
    for app in applications:
        v.one_of("applications", app, ALLOWED_APPLICATIONS)
    if "Presto" in applications and "Trino" in applications:
        v.add("applications", "cannot install both Presto and Trino on one cluster")
    duplicates = sorted({a for a in applications if list(applications).count(a) > 1})
    if duplicates:
        v.add("applications", f"must not repeat names, got {duplicates} twice")


def cluster_settings(v: Validator, *, idle_timeout: Duration | None, step_concurrency: int) -> None:
    """Idle timeout (60 s-7 days, whole seconds), step concurrency (1-256)."""
    v.duration_in_range(
        "idle_timeout",
        idle_timeout,
        minimum=MIN_IDLE_TIMEOUT,
        maximum=MAX_IDLE_TIMEOUT,
        whole="seconds",  # AutoTerminationPolicy IdleTimeout is an integer
    )
    v.number_in_range(
        "step_concurrency", step_concurrency, minimum=1, maximum=MAX_STEP_CONCURRENCY, integer=True
    )


def in_transit_encryption(
    v: Validator, *, in_transit_certificate_s3_uri: str | None, allow_unencrypted_in_transit: bool
) -> None:
    """Exactly one of a TLS bundle URI (``s3://bucket/key.zip``) and
    ``allow_unencrypted_in_transit=True``: traffic between nodes is unencrypted only by an
    explicit decision."""
    v.boolean("allow_unencrypted_in_transit", allow_unencrypted_in_transit)
    if in_transit_certificate_s3_uri is None and allow_unencrypted_in_transit is False:
        v.add(
            "in_transit_certificate_s3_uri",
            "is required for TLS between the cluster's nodes (an s3://bucket/key.zip PEM "
            "bundle); pass allow_unencrypted_in_transit=True to run without in-transit "
            "encryption instead, got neither",
        )
    if in_transit_certificate_s3_uri is not None and allow_unencrypted_in_transit is True:
        v.add(
            "allow_unencrypted_in_transit",
            "cannot be combined with in_transit_certificate_s3_uri (the certificate turns "
            "in-transit encryption on)",
        )
    if v.text("in_transit_certificate_s3_uri", in_transit_certificate_s3_uri):
        assert in_transit_certificate_s3_uri is not None
        v.require(
            bool(_CERTIFICATE.match(in_transit_certificate_s3_uri)),
            "in_transit_certificate_s3_uri",
            f"must be an s3://bucket/key.zip URI of a PEM certificate bundle, "
            f"got {in_transit_certificate_s3_uri!r}",
        )


# -- capacity -------------------------------------------------------------------------------------


def capacity(v: Validator, value: ClusterCapacity) -> None:
    """Each role's groups or fleets, all of one kind, and the managed scaling limits."""
    roles = value.roles()
    kinds = {type(instances) for instances in roles.values() if instances is not None}
    for role, instances in roles.items():
        if instances is None:
            continue
        if isinstance(instances, InstanceGroup):
            _group(v, role, instances)
        elif isinstance(instances, InstanceFleet):
            _fleet(v, role, instances)
        else:
            v.add(
                role, f"must be an InstanceGroup or InstanceFleet, got {type(instances).__name__}"
            )
    if len(kinds) > 1 and kinds <= {InstanceGroup, InstanceFleet}:
        v.add("primary", "core and task must all be InstanceGroup or all InstanceFleet, not a mix")
    if value.managed_scaling is not None:
        _managed_scaling(v, value.managed_scaling)


def _ebs(v: Validator, role: str, value: Instances) -> None:
    v.number_in_range(
        f"{role}.ebs_gib", value.ebs_gib, minimum=MIN_EBS_GIB, maximum=MAX_EBS_GIB,
        unit="GiB", integer=True,
    )  # fmt: skip


def _group(v: Validator, role: str, group: InstanceGroup) -> None:
    _ebs(v, role, group)
    v.boolean(f"{role}.spot", group.spot)
    if v.text(f"{role}.instance_type", group.instance_type):
        v.require(
            bool(_INSTANCE_TYPE.match(group.instance_type)),
            f"{role}.instance_type",
            f"must be an EC2 instance type ('m7g.xlarge'), got {group.instance_type!r}",
        )
    if role == "primary":
        v.one_of("primary.count", group.count, (1, 3))
    else:
        v.number_in_range(
            f"{role}.count", group.count, minimum=1 if role == "core" else 0, integer=True
        )


def _fleet(v: Validator, role: str, fleet: InstanceFleet) -> None:
    _ebs(v, role, fleet)
    _fleet_types(v, role, fleet.instance_types)
    v.number_in_range(f"{role}.on_demand_units", fleet.on_demand_units, minimum=0, integer=True)
    v.number_in_range(f"{role}.spot_units", fleet.spot_units, minimum=0, integer=True)
    if not all(_concrete_int(units) for units in (fleet.on_demand_units, fleet.spot_units)):
        return
    total = fleet.on_demand_units + fleet.spot_units
    if role == "primary":
        v.require(
            total == 1,
            "primary",
            f"fleet must have exactly 1 unit (on_demand_units + spot_units), got {total}",
        )
    elif role == "core":
        v.require(
            total >= 1,
            "core",
            f"fleet must have at least 1 unit, got {total} (on_demand_units + spot_units)",
        )


def _fleet_types(v: Validator, role: str, instance_types: Sequence[str]) -> None:
    types = list(instance_types)
    if isinstance(instance_types, str) or not 1 <= len(types) <= MAX_FLEET_INSTANCE_TYPES:
        v.add(
            f"{role}.instance_types",
            f"must list 1-{MAX_FLEET_INSTANCE_TYPES} instance types, got {instance_types!r}",
        )
        return
    for instance_type in types:
        if not isinstance(instance_type, str) or not _INSTANCE_TYPE.match(instance_type):
            v.add(
                f"{role}.instance_types",
                f"must hold EC2 instance types ('m7g.xlarge'), got {instance_type!r}",
            )
    if all(isinstance(t, str) for t in types) and len(set(types)) != len(types):
        v.add(f"{role}.instance_types", f"must not repeat a type, got {types}")


def _managed_scaling(v: Validator, scaling: ManagedScaling) -> None:
    if not isinstance(scaling, ManagedScaling):
        v.add("managed_scaling", f"must be a ManagedScaling, got {type(scaling).__name__}")
        return
    v.number_in_range("managed_scaling.minimum", scaling.minimum, minimum=1, integer=True)
    v.number_in_range("managed_scaling.maximum", scaling.maximum, minimum=1, integer=True)
    if not (_concrete_int(scaling.minimum) and _concrete_int(scaling.maximum)):
        return
    v.require(
        scaling.minimum <= scaling.maximum,
        "managed_scaling.minimum",
        f"must be at most maximum ({scaling.maximum}), got {scaling.minimum}",
    )
    for field_name, minimum in (("maximum_on_demand", 0), ("maximum_core", 1)):
        v.number_in_range(
            f"managed_scaling.{field_name}",
            getattr(scaling, field_name),
            minimum=minimum,
            maximum=scaling.maximum,
            integer=True,
        )


def _concrete_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and not is_unresolved(value)


# -- steps ----------------------------------------------------------------------------------------


def steps(v: Validator, value: Sequence[EmrStep]) -> None:
    """A list or tuple of valid :class:`EmrStep` whose names give distinct construct ids."""
    if not isinstance(value, list | tuple):
        v.add("steps", f"must be a list or tuple of EmrStep, got {type(value).__name__}")
        return
    keys: set[str] = set()
    for index, step in enumerate(value):
        prop = f"steps[{index}]"
        if not isinstance(step, EmrStep):
            v.add(prop, f"must be an EmrStep, got {type(step).__name__}")
            continue
        _step(v, prop, step)
        if not isinstance(step.name, str):
            continue
        if step_key(step.name) in keys:
            v.add(prop, f"name {step.name!r} repeats another step's name")
        keys.add(step_key(step.name))


def new_step(v: Validator, step: EmrStep, existing: Sequence[str]) -> None:
    """A step added to a running cluster whose steps are named ``existing``."""
    if not isinstance(step, EmrStep):
        v.add("step", f"must be an EmrStep, got {type(step).__name__}")
        return
    _step(v, "step", step)
    if isinstance(step.name, str) and step_key(step.name) in {step_key(n) for n in existing}:
        v.add("step", f"name {step.name!r} repeats another step's name")


def _step(v: Validator, prop: str, step: EmrStep) -> None:
    if v.text(f"{prop}.name", step.name):
        v.require(
            bool(_STEP_NAME.match(step.name)),
            f"{prop}.name",
            f"must be 1-80 letters, digits, spaces, '-' or '_' starting with a letter, "
            f"got {step.name!r}",
        )
    if v.sequence_of(f"{prop}.args", step.args, str):
        v.require(
            len(step.args) >= 1,
            f"{prop}.args",
            f"must be a non-empty sequence of arguments, got {step.args!r}",
        )
    if v.text(f"{prop}.jar", step.jar):
        v.require(bool(step.jar), f"{prop}.jar", "must name a JAR, got ''")
    v.one_of(f"{prop}.action_on_failure", step.action_on_failure, ACTIONS_ON_FAILURE)


# -- what only one pattern has ----------------------------------------------------------------


def alarm_thresholds(
    v: Validator, *, hdfs_utilization_alarm_percent: float, apps_pending_alarm_after: Duration
) -> None:
    """HDFS utilisation 1-100 %; apps pending 5 min-1 day, in whole 5-minute periods."""
    v.number_in_range(
        "hdfs_utilization_alarm_percent",
        hdfs_utilization_alarm_percent,
        minimum=1,
        maximum=100,
        unit="%",
    )
    v.duration_in_range(
        "apps_pending_alarm_after",
        apps_pending_alarm_after,
        minimum=Duration.minutes(5),
        maximum=Duration.days(1),
    )
    if not is_unresolved(apps_pending_alarm_after) and isinstance(
        apps_pending_alarm_after, Duration
    ):
        v.require(
            apps_pending_alarm_after.to_seconds() % 300 == 0,
            "apps_pending_alarm_after",
            f"must be a multiple of 5 min, got {format_duration(apps_pending_alarm_after)}",
        )


def termination_protection(
    v: Validator, *, termination_protected: bool, removal_policy: RemovalPolicy
) -> None:
    """A boolean; not True with ``removal_policy=DESTROY``: CloudFormation cannot delete a
    termination-protected cluster, so the stack would not delete."""
    v.boolean("termination_protected", termination_protected)
    if termination_protected is True and removal_policy == RemovalPolicy.DESTROY:
        v.add(
            "termination_protected",
            "cannot be True with removal_policy=DESTROY: CloudFormation cannot delete a "
            "termination-protected cluster, so the stack would not delete",
        )


def transient_run(
    v: Validator, *, steps: Sequence[EmrStep], idle_timeout: Duration | None, timeout: Duration
) -> None:
    """At least one step; an idle timeout (the safety net); a Standard workflow timeout."""
    v.require(
        not isinstance(steps, list | tuple) or len(steps) >= 1,
        "steps",
        "must hold at least one step, got none",
    )
    v.require(idle_timeout is not None, "idle_timeout", "is required for a transient cluster")
    # The Workflow validates its timeout too, but only after the cluster's resources exist:
    # checked here so it is reported with every other problem. Imported here: only a
    # transient cluster uses Step Functions, and an EmrCluster must not load that package.
    from patterns.workflow.validate import MAX_STANDARD_TIMEOUT

    v.duration_in_range(
        "timeout",
        timeout,
        minimum=Duration.seconds(1),
        maximum=MAX_STANDARD_TIMEOUT,
        whole="seconds",
    )
