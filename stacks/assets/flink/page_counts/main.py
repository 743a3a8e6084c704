"""PyFlink job of the StreamAnalyticsExample: page views per page and minute.

Reads the clickstream (JSON records ``{"page": ..., "user_id": ..., "event_time":
"2025-01-01T12:00:00.000Z"}``) from the Kinesis data stream named in the runtime property group
``source`` (added by ``StreamAnalytics``), counts views per page in one-minute tumbling
event-time windows and writes the counts as JSON files to the S3 path of the property group
``sink`` (``path``).

Managed Service for Apache Flink runs it with the zip of this directory as the application
code (``python_entry="main.py"``). The Kinesis table connector is not part of the Flink
runtime: the zip must also hold ``lib/flink-sql-connector-kinesis-5.0.0-1.20.jar``
(Maven: ``org.apache.flink:flink-sql-connector-kinesis:5.0.0-1.20``), which the application's
``jar_file`` names. Put it there before deploying; it is not committed to this repository.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: Where Managed Service for Apache Flink writes the application's runtime properties.
APPLICATION_PROPERTIES = Path("/etc/flink/application_properties.json")


def load_properties(path: Path = APPLICATION_PROPERTIES) -> dict[str, dict[str, str]]:
    """Runtime property groups: group id -> {key: value}."""
    groups: list[dict[str, Any]] = json.loads(path.read_text())
    return {group["PropertyGroupId"]: dict(group["PropertyMap"]) for group in groups}


def statements(properties: dict[str, dict[str, str]]) -> list[str]:
    """The Flink SQL of the job: source table, sink table, insert."""
    source, sink = properties["source"], properties["sink"]
    return [
        f"""
        CREATE TABLE clicks (
            page STRING,
            user_id STRING,
            event_time TIMESTAMP(3),
            WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
        ) WITH (
            'connector' = 'kinesis',
            'stream.arn' = '{source["stream.arn"]}',
            'aws.region' = '{source["aws.region"]}',
            'source.init.position' = 'LATEST',
            'format' = 'json',
            'json.timestamp-format.standard' = 'ISO-8601'
        )""",
        f"""
        CREATE TABLE page_counts (
            window_start TIMESTAMP(3),
            window_end TIMESTAMP(3),
            page STRING,
            views BIGINT
        ) WITH (
            'connector' = 'filesystem',
            'path' = '{sink["path"]}',
            'format' = 'json',
            'sink.rolling-policy.rollover-interval' = '5 min'
        )""",
        """
        INSERT INTO page_counts
        SELECT window_start, window_end, page, COUNT(*) AS views
        FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
        GROUP BY window_start, window_end, page""",
    ]


def main() -> None:
    from pyflink.table import EnvironmentSettings, TableEnvironment

    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    *ddl, insert = statements(load_properties())
    for statement in ddl:
        env.execute_sql(statement)
    result = env.execute_sql(insert)
    if os.environ.get("IS_LOCAL"):
        result.wait()  # on Managed Flink the job keeps running after main() returns


if __name__ == "__main__":
    main()
