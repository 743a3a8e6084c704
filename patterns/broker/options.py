"""The option types of :class:`~patterns.broker.MessageBroker`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["BrokerEngine", "MaintenanceWindow"]

BrokerEngine = Literal["ACTIVEMQ", "RABBITMQ"]


@dataclass(frozen=True)
class MaintenanceWindow:
    """The weekly window in which Amazon MQ applies patches and minor versions.

    Attributes:
        day_of_week: ``MONDAY`` .. ``SUNDAY``.
        time_of_day: ``HH:MM`` (24-hour clock).
        time_zone: ``UTC`` or a ``Country/City`` zone. Default UTC.
    """

    day_of_week: str = "SUNDAY"
    time_of_day: str = "03:00"
    time_zone: str = "UTC"
