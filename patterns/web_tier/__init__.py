"""Elastic web tier: an Auto Scaling group behind an ALB or NLB with every scaling mode.

Public names::

    from patterns.web_tier import (
        ScalableWebTier, Capacity, ScheduledAction, TargetTracking, StepScaling, ScalingStep,
        PredictiveScaling, WebLoad,
    )
"""

from patterns.web_tier.construct import ScalableWebTier
from patterns.web_tier.load import WebLoad
from patterns.web_tier.options import (
    Capacity,
    PredictiveScaling,
    ScalingStep,
    ScheduledAction,
    StepScaling,
    TargetTracking,
)

__all__ = [
    "Capacity",
    "PredictiveScaling",
    "ScalableWebTier",
    "ScalingStep",
    "ScheduledAction",
    "StepScaling",
    "TargetTracking",
    "WebLoad",
]
