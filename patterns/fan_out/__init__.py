"""SNS -> SQS fan-out: :class:`TopicFanOut` and its :class:`QueueOptions`."""

from patterns.fan_out.construct import TopicFanOut
from patterns.fan_out.options import QueueOptions

__all__ = ["QueueOptions", "TopicFanOut"]
