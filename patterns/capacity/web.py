"""Web tier instances from the peak request rate and what one instance serves."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.plan import (  # Limit: an inherited field's annotation
    CAPACITY,
    Limit,  # noqa: F401
    LoadPlan,
    Source,
    build_limits,
)
from patterns.capacity.pricing import HOURS_PER_MONTH

__all__ = ["WebTierPlan", "web_tier", "web_tier_problems"]

_ABSURD_RPS = 10**8
_SOURCE = Source(
    "Static stability: enough capacity in the zones left after losing one to carry the peak",
    "https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/"
    "rel_withstand_component_failures_static_stability.html",
    confirmed=False,
)


@dataclass(frozen=True, kw_only=True)
class WebTierPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for an Auto Scaling group behind a load balancer.

    Attributes:
        zones: availability zones the group spans.
        min_per_zone / max_per_zone: instances per zone at the baseline and at the peak.
        min_capacity / max_capacity: the group's totals (``per zone x zones``).
        instances_needed: instances the peak needs with every zone up.
        requests_per_target_per_minute: the ``ALBRequestCountPerTarget`` target value.
    """

    zones: int
    min_per_zone: int
    max_per_zone: int
    min_capacity: int
    max_capacity: int
    instances_needed: int
    requests_per_target_per_minute: int


def web_tier_problems(
    peak_requests_per_second: object,
    requests_per_instance: object,
    *,
    zones: object = 3,
    survive_zone_loss: object = True,
    baseline_requests_per_second: object = None,
    instance_type: object = "t3.medium",
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`web_tier`, one line per problem.

    Ranges: ``0 < peak < 10^8 /s``; ``0 < requests_per_instance <= peak`` is not required
    (one instance may carry it all); ``zones`` a whole number 1..6, at least 2 to survive
    the loss of one; ``0 <= baseline <= peak``.
    """
    p = Problems(names)
    peak_ok = p.number(
        "peak_requests_per_second",
        peak_requests_per_second,
        above=0,
        maximum=_ABSURD_RPS,
        unit="requests/s",
    )
    p.number(
        "requests_per_instance",
        requests_per_instance,
        above=0,
        maximum=_ABSURD_RPS,
        unit="requests/s",
    )
    zones_ok = p.number("zones", zones, minimum=1, maximum=6, whole=True)
    flag_ok = p.flag("survive_zone_loss", survive_zone_loss)
    if zones_ok and flag_ok and survive_zone_loss and zones == 1:
        p.add(
            f"{p.name('zones')} must be at least 2 with {p.name('survive_zone_loss')}=True "
            "(a tier in one zone cannot survive losing it), got 1"
        )
    base_ok = p.number(
        "baseline_requests_per_second", baseline_requests_per_second, minimum=0, unit="requests/s"
    )
    if base_ok and peak_ok and baseline_requests_per_second > peak_requests_per_second:  # type: ignore[operator]
        p.add(
            f"{p.name('baseline_requests_per_second')} must be at most "
            f"{p.name('peak_requests_per_second')} ({peak_requests_per_second:,g} requests/s), "
            f"got {baseline_requests_per_second:,g} requests/s"
        )
    if instance_type is not None and not isinstance(instance_type, str):
        p.add(f"{p.name('instance_type')} must be a string, got {instance_type!r}")
    return p.lines


def _per_zone(instances: int, zones: int, survive: bool) -> int:
    return math.ceil(Fraction(instances, zones - 1 if survive else zones))


def web_tier(
    peak_requests_per_second: float,
    requests_per_instance: float,
    *,
    zones: int = 3,
    survive_zone_loss: bool = True,
    baseline_requests_per_second: float | None = None,
    instance_type: str = "t3.medium",
    growth_factor: float = 1,
) -> WebTierPlan:
    """Plan the instances of a web tier.

    Args:
        peak_requests_per_second: the peak request rate of the tier.
        requests_per_instance: requests/s one instance serves at the target utilisation
            (your load-test figure, not the instance's breaking point).
        zones: availability zones (1 to 6). Default 3.
        survive_zone_loss: whether the remaining zones must carry the peak when one zone is
            lost (default True: each zone holds ``ceil(needed / (zones - 1))``).
        baseline_requests_per_second: the off-peak rate the minimum capacity is sized for.
            Default: one instance per zone (two zones' worth with ``survive_zone_loss``).
        instance_type: for the price key ``ec2.<type>-hour``. Default ``t3.medium``.
        growth_factor: multiply the load by this (>= 1). Default 1.

    Returns:
        A :class:`WebTierPlan`. The target tracking value is
        ``requests_per_instance x 60`` requests per target per minute.

    Raises:
        ValueError: the problems :func:`web_tier_problems` finds.
    """
    p = Problems()
    p.lines = web_tier_problems(
        peak_requests_per_second,
        requests_per_instance,
        zones=zones,
        survive_zone_loss=survive_zone_loss,
        baseline_requests_per_second=baseline_requests_per_second,
        instance_type=instance_type,
    )
    p.number("growth_factor", growth_factor, minimum=1, maximum=1_000)
    p.raise_if_any()
    zones = int(zones)
    growth = exact(growth_factor)
    peak = exact(peak_requests_per_second) * growth
    per_instance = exact(requests_per_instance)
    needed = max(1, math.ceil(peak / per_instance))
    max_per_zone = _per_zone(needed, zones, survive_zone_loss)
    if baseline_requests_per_second is None:
        min_per_zone = 1
    else:
        base = max(1, math.ceil(exact(baseline_requests_per_second) * growth / per_instance))
        min_per_zone = min(max_per_zone, _per_zone(base, zones, survive_zone_loss))
    max_capacity = max_per_zone * zones
    serving = max_per_zone * (zones - 1 if survive_zone_loss else zones)
    rows = [
        (
            "instances at peak",
            peak,
            serving * per_instance,
            CAPACITY,
            "raise the maximum capacity (or use a larger instance type)",
            _SOURCE,
        ),
    ]
    limits, binding, headroom = build_limits(rows)
    notes = [
        f"the account's EC2 On-Demand vCPU quota must cover {max_capacity} x the vCPUs of "
        f"{instance_type} (check it in Service Quotas)"
    ]
    if survive_zone_loss:
        notes.append(
            f"sized to lose one of {zones} zones: {max_per_zone} per zone, "
            f"{max_capacity - needed} instance(s) over what the peak needs with every zone up"
        )
    return WebTierPlan(
        what="web tier",
        capacity={"min_capacity": min_per_zone * zones, "max_capacity": max_capacity},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage={
            f"ec2.{instance_type}-hour": float(max_capacity * HOURS_PER_MONTH),
            "alb.hour": HOURS_PER_MONTH,
        },
        notes=tuple(notes),
        sources=(_SOURCE, src.ALB_REQUEST_COUNT, src.EC2_VCPU_QUOTA),
        zones=zones,
        min_per_zone=min_per_zone,
        max_per_zone=max_per_zone,
        min_capacity=min_per_zone * zones,
        max_capacity=max_capacity,
        instances_needed=needed,
        requests_per_target_per_minute=math.floor(per_instance * 60),
    )
