"""DynamoDB Accelerator: :class:`DaxCache`, and :class:`DaxOptions` for the cache of a
:class:`~patterns.data_tier.ScalableTable`."""

from patterns.data_tier.dax.construct import DaxCache
from patterns.data_tier.dax.network import DAX_TLS_PORT
from patterns.data_tier.dax.options import DAX_NODE_TYPES, DaxOptions

__all__ = ["DAX_NODE_TYPES", "DAX_TLS_PORT", "DaxCache", "DaxOptions"]
