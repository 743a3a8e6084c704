"""scalable-patterns: production-grade AWS CDK constructs for scalable architectures.

Public constructs::

    from patterns import TopicFanOut, QueueOptions, StreamToS3Pipeline, PatternValidationError
    from patterns import capacity
"""

from patterns import capacity
from patterns.core.validation import PatternValidationError
from patterns.fan_out import QueueOptions, TopicFanOut
from patterns.stream_ingest import StreamToS3Pipeline

__all__ = [
    "PatternValidationError",
    "QueueOptions",
    "StreamToS3Pipeline",
    "TopicFanOut",
    "capacity",
]
