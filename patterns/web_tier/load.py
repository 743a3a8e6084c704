"""``ScalableWebTier(load=WebLoad(...))``: the group's capacity and its request-count target
tracking from the stated load (:func:`patterns.capacity.web_tier`), instead of an explicit
``Capacity``.

The zones are those of the instance subnets: a created VPC's ``max_azs`` (an
environment-agnostic stack has 2 AZs whatever ``max_azs`` says), or the zones of
``instance_subnets`` (default: the private subnets with egress) of a given ``vpc``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from patterns.capacity import Price, WebTierPlan, web_tier, web_tier_problems
from patterns.core.cost import prices_for
from patterns.core.validation import is_unresolved
from patterns.web_tier.instances import default_instance_type
from patterns.web_tier.options import Capacity, TargetTracking
from patterns.web_tier.props import WebTierProps

__all__ = ["SizedTier", "WebLoad", "size_from_load"]

#: The prop names of the planner's arguments, as the errors name them.
_NAMES = {
    "peak_requests_per_second": "load.peak_requests_per_second",
    "requests_per_instance": "load.requests_per_second_per_instance",
    "survive_zone_loss": "load.survive_zone_loss",
    "baseline_requests_per_second": "load.baseline_requests_per_second",
    "zones": "the instance subnets' availability zones",
    "instance_type": "instance_type",
}

_SELECTION_FIELDS = (
    "availability_zones",
    "one_per_az",
    "subnet_filters",
    "subnet_group_name",
    "subnets",
    "subnet_type",
)


@dataclass(frozen=True, kw_only=True)
class WebLoad:
    """The load a web tier is sized for (``ScalableWebTier(load=...)``).

    Attributes:
        peak_requests_per_second: the tier's peak request rate (0 < x < 10^8).
        requests_per_second_per_instance: what one instance serves at the target utilisation
            - your load-test figure, not its breaking point (> 0). The request-count target
            tracking value is 60 x it per minute.
        survive_zone_loss: the zones left after losing one carry the peak (each zone holds
            ``ceil(needed / (zones - 1))``; needs 2+ zones). Default True.
        baseline_requests_per_second: the off-peak rate the minimum is sized for (0..peak).
            Default: one instance per zone.
        prices: price overrides for the cost at load (another Region, a negotiated rate), by
            price-table key (``{"ec2.t4g.small-hour": 0.0184}``), over the app context's
            ``scalable-patterns:prices``. Default: the built-in us-east-1 list prices.
    """

    peak_requests_per_second: float
    requests_per_second_per_instance: float
    survive_zone_loss: bool = True
    baseline_requests_per_second: float | None = None
    prices: Mapping[str, Price | float] | None = None


@dataclass(frozen=True)
class SizedTier:
    """The capacity and target tracking to build, and the plan they come from.

    Attributes:
        capacity: the given capacity, or the planned one (None when neither could be had).
        target_tracking: the given policies, plus the planned request-count one (ALB).
        plan: the load plan (None without a load, or when the load is invalid).
        problems: the load's problems, one line each (for the validator).
    """

    capacity: Capacity | None
    target_tracking: Sequence[TargetTracking]
    plan: WebTierPlan | None = None
    problems: tuple[str, ...] = field(default=())


def _zones(
    scope: Construct, vpc: object, max_azs: object, subnets: object
) -> tuple[int | None, str | None]:
    """The number of zones the instances run in, or None and why it is unknown."""
    if vpc is None:
        if not isinstance(max_azs, int) or isinstance(max_azs, bool):
            return None, None  # max_azs is reported by its own rule
        return min(max_azs, len(Stack.of(scope).availability_zones)), None
    if not hasattr(vpc, "select_subnets") or (
        subnets is not None and not isinstance(subnets, ec2.SubnetSelection)
    ):
        return None, None  # reported by the vpc / instance_subnets rules
    selection = subnets or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    try:
        fields = {name: getattr(selection, name) for name in _SELECTION_FIELDS}
        zones = vpc.select_subnets(**fields).availability_zones
    except Exception as exc:  # jsii raises RuntimeError with the CDK's reason
        return None, f"load needs the zones of the instance subnets, but: {exc}"
    known = [zone for zone in zones if not is_unresolved(zone)]
    return (len(set(known)) or len(zones)), None


def instance_type_name(p: WebTierProps) -> str:
    """``t4g.small``: the price-table name of the instance type (a bad one is reported by its
    own rule; the default's is used meanwhile)."""
    if isinstance(p.instance_type, ec2.InstanceType):
        return p.instance_type.to_string()
    return default_instance_type(p.architecture).to_string()


def size_from_load(scope: Construct, p: WebTierProps) -> SizedTier:
    """Plan the group from ``p.load`` (or keep ``p.capacity`` when no load is given).

    Problems: neither or both of ``capacity`` and ``load``; ``load`` not a :class:`WebLoad`;
    the planner's (each naming its ``load.`` field); a request-count target tracking policy
    whose target contradicts the load's.
    """
    load, capacity, target_tracking = p.load, p.capacity, p.target_tracking
    tracking = list(target_tracking) if isinstance(target_tracking, Sequence) else []
    if load is None:
        missing = () if capacity is not None else ("capacity or load is required, got neither",)
        return SizedTier(capacity, target_tracking, problems=missing)
    if capacity is not None:
        return SizedTier(
            capacity,
            target_tracking,
            problems=(
                "capacity cannot be combined with load (the load sets the minimum and maximum "
                "capacity): give one of them",
            ),
        )
    if not isinstance(load, WebLoad):
        return SizedTier(None, target_tracking, problems=(_not_a_load(load),))
    zones, why = _zones(scope, p.vpc, p.max_azs, p.instance_subnets)
    if zones is None:
        return SizedTier(None, target_tracking, problems=(why,) if why else ())
    args = (load.peak_requests_per_second, load.requests_per_second_per_instance)
    options = {
        "zones": zones,
        "survive_zone_loss": load.survive_zone_loss,
        "baseline_requests_per_second": load.baseline_requests_per_second,
        "instance_type": instance_type_name(p),
    }
    problems = web_tier_problems(*args, names=_NAMES, **options)
    problems += prices_for(scope, load.prices, "load.prices")[1]
    if problems:
        return SizedTier(None, target_tracking, problems=tuple(problems))
    plan = web_tier(*args, **options)
    sized = Capacity(min_capacity=plan.min_capacity, max_capacity=plan.max_capacity)
    if not p.application:
        return SizedTier(sized, target_tracking, plan)
    target = plan.requests_per_target_per_minute
    for i, policy in enumerate(tracking):
        if isinstance(policy, TargetTracking) and policy.metric == "request_count_per_target":
            if policy.target_value == target:
                return SizedTier(sized, target_tracking, plan)
            return SizedTier(
                sized,
                target_tracking,
                plan,
                (
                    f"target_tracking[{i}].target_value must be {target:,} requests per target "
                    f"per minute (60 x load.requests_per_second_per_instance) or left to the "
                    f"load, got {policy.target_value:,g}",
                ),
            )
    return SizedTier(sized, [*tracking, TargetTracking.request_count_per_target(target)], plan)


def _not_a_load(load: object) -> str:
    return f"load must be a WebLoad, got {type(load).__name__}"


def idle_usage(plan: WebTierPlan) -> dict[str, float]:
    """With no traffic the group runs its minimum, and the load balancer its hours."""
    hours = float(plan.usage["alb.hour"])
    instances = {key: plan.min_capacity * hours for key in plan.usage if key.startswith("ec2.")}
    return {**instances, "alb.hour": hours}
