"""Real-time analytics on a Kinesis stream with Managed Service for Apache Flink:
:class:`StreamAnalytics`.

``construct.py`` is the construct; ``application.py`` the Flink application (code, runtime
properties, checkpoints, parallelism, KPUs); ``role.py`` its service role; ``logging.py`` its
CloudWatch logs; ``network.py`` its VPC; ``validate.py`` the prop rules; ``alarms.py`` the
alarms. The limits below stay importable from here, as from the module this package was.
"""

from patterns.stream_analytics.application import DEFAULT_KPU_QUOTA as DEFAULT_KPU_QUOTA
from patterns.stream_analytics.application import DEFAULT_RUNTIME as DEFAULT_RUNTIME
from patterns.stream_analytics.application import LOG_LEVELS as LOG_LEVELS
from patterns.stream_analytics.application import MAX_CODE_KEY_LENGTH as MAX_CODE_KEY_LENGTH
from patterns.stream_analytics.application import (
    MAX_PROPERTIES_PER_GROUP as MAX_PROPERTIES_PER_GROUP,
)
from patterns.stream_analytics.application import MAX_PROPERTY_GROUPS as MAX_PROPERTY_GROUPS
from patterns.stream_analytics.application import MAX_PROPERTY_LENGTH as MAX_PROPERTY_LENGTH
from patterns.stream_analytics.application import METRICS_LEVELS as METRICS_LEVELS
from patterns.stream_analytics.application import PYTHON_RUN_OPTIONS as PYTHON_RUN_OPTIONS
from patterns.stream_analytics.application import SOURCE_GROUP as SOURCE_GROUP
from patterns.stream_analytics.application import SUPPORTED_RUNTIMES as SUPPORTED_RUNTIMES
from patterns.stream_analytics.construct import StreamAnalytics
from patterns.stream_ingest import StreamToS3Pipeline as StreamToS3Pipeline

__all__ = ["StreamAnalytics"]
