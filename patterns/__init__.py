"""scalable-patterns: production-grade AWS CDK constructs for scalable architectures.

Public constructs::

    from patterns import TopicFanOut, QueueOptions, StreamToS3Pipeline, PatternValidationError
    from patterns import capacity
"""

from patterns import capacity
from patterns.core.validation import PatternValidationError
from patterns.fan_out import QueueOptions, TopicFanOut

__all__ = [
    "PatternValidationError",
    "QueueOptions",
    "TopicFanOut",
    "capacity",
]
