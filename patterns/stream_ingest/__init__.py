"""Streaming ingest, Kinesis Data Streams -> Amazon Data Firehose -> S3:
:class:`StreamToS3Pipeline`.

``construct.py`` is the construct; ``stream.py`` the Kinesis stream and its capacity;
``delivery.py`` the Firehose delivery stream, its bucket, prefixes and buffering;
``validate.py`` the prop rules; ``alarms.py`` the alarms and key metrics' period. The limits
and defaults below stay importable from here, as from the module this package was.
"""

from patterns.stream_ingest.alarms import FRESHNESS_MARGIN as FRESHNESS_MARGIN
from patterns.stream_ingest.alarms import THROTTLE_PERIODS as THROTTLE_PERIODS
from patterns.stream_ingest.construct import StreamToS3Pipeline
from patterns.stream_ingest.delivery import DEFAULT_ERROR_PREFIX as DEFAULT_ERROR_PREFIX
from patterns.stream_ingest.delivery import DEFAULT_PREFIX as DEFAULT_PREFIX
from patterns.stream_ingest.delivery import ERROR_OUTPUT_TYPE as ERROR_OUTPUT_TYPE
from patterns.stream_ingest.delivery import FIREHOSE_CIDR_MAPPING as FIREHOSE_CIDR_MAPPING
from patterns.stream_ingest.delivery import MAX_BUFFERING_INTERVAL as MAX_BUFFERING_INTERVAL
from patterns.stream_ingest.delivery import MAX_BUFFERING_MIB as MAX_BUFFERING_MIB
from patterns.stream_ingest.delivery import MAX_PREFIX_LENGTH as MAX_PREFIX_LENGTH
from patterns.stream_ingest.delivery import MIN_BUFFERING_MIB as MIN_BUFFERING_MIB
from patterns.stream_ingest.stream import DEFAULT_SHARD_QUOTA as DEFAULT_SHARD_QUOTA
from patterns.stream_ingest.stream import MAX_RETENTION as MAX_RETENTION
from patterns.stream_ingest.stream import MIN_RETENTION as MIN_RETENTION

__all__ = ["StreamToS3Pipeline"]
