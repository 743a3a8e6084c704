"""Streaming ingest, Kinesis Data Streams -> Amazon Data Firehose -> S3:
:class:`StreamToS3Pipeline`.

``construct.py`` is the construct; ``stream.py`` the Kinesis stream and its capacity;
``delivery.py`` the Firehose delivery stream, its prefixes and buffering; ``validate.py`` the
prop rules; ``alarms.py`` the alarms.
"""

from patterns.stream_ingest.alarms import FRESHNESS_MARGIN, THROTTLE_PERIODS
from patterns.stream_ingest.construct import StreamToS3Pipeline
from patterns.stream_ingest.delivery import (
    DEFAULT_ERROR_PREFIX,
    DEFAULT_PREFIX,
    ERROR_OUTPUT_TYPE,
    FIREHOSE_CIDR_MAPPING,
    MAX_BUFFERING_INTERVAL,
    MAX_BUFFERING_MIB,
    MAX_PREFIX_LENGTH,
    MIN_BUFFERING_MIB,
)
from patterns.stream_ingest.stream import DEFAULT_SHARD_QUOTA, MAX_RETENTION, MIN_RETENTION

__all__ = [
    "DEFAULT_ERROR_PREFIX",
    "DEFAULT_PREFIX",
    "DEFAULT_SHARD_QUOTA",
    "ERROR_OUTPUT_TYPE",
    "FIREHOSE_CIDR_MAPPING",
    "FRESHNESS_MARGIN",
    "MAX_BUFFERING_INTERVAL",
    "MAX_BUFFERING_MIB",
    "MAX_PREFIX_LENGTH",
    "MAX_RETENTION",
    "MIN_BUFFERING_MIB",
    "MIN_RETENTION",
    "THROTTLE_PERIODS",
    "StreamToS3Pipeline",
]
