"""Amazon MQ (ActiveMQ or RabbitMQ) for migrations: :class:`MessageBroker`."""

from patterns.broker.construct import MessageBroker
from patterns.broker.engines import SUPPORTED_VERSIONS
from patterns.broker.options import BrokerEngine, MaintenanceWindow

__all__ = ["SUPPORTED_VERSIONS", "BrokerEngine", "MaintenanceWindow", "MessageBroker"]
