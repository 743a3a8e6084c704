"""Kinesis -> Firehose -> S3, which moto lacks: each record put on a stream that is the
source of a delivery stream is delivered at once (no buffering) to the delivery stream's
bucket under its prefix, compressed and KMS-encrypted as configured."""

from __future__ import annotations

import gzip
import io
import re
import secrets
import threading
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from emulator.base import Props, arn_name

_JAVA_TIME = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}


_EXPRESSION = re.compile(r"!\{([^}:]+):([^}]*)\}")


_EXTENSIONS = {"GZIP": ".gz", "ZIP": ".zip", "UNCOMPRESSED": ""}


def render_prefix(prefix: str, now: datetime) -> str:
    """A Firehose S3 prefix with its ``!{timestamp:...}`` / ``!{firehose:random-string}``
    expressions evaluated; a prefix without a timestamp gets ``YYYY/MM/dd/HH/`` appended, as
    Firehose does."""

    def evaluate(match: re.Match[str]) -> str:
        namespace, value = match.groups()
        if namespace == "timestamp":
            return now.strftime(re.sub("|".join(_JAVA_TIME), lambda m: _JAVA_TIME[m[0]], value))
        if namespace == "firehose" and value == "random-string":
            return secrets.token_hex(6)[:11]
        raise ValueError(f"prefix expression !{{{namespace}:{value}}} is not emulated")

    rendered = _EXPRESSION.sub(evaluate, prefix)
    if "!{timestamp:" not in prefix:
        rendered += now.strftime("%Y/%m/%d/%H/")
    return rendered


@dataclass
class _Route:
    account_id: str
    region: str
    delivery_stream: str
    destination: Props
    #: shard id -> last sequence number delivered
    positions: dict[str, int] = field(default_factory=dict)


class _FirehoseBridge:
    """Reads each new record of a source stream, as Firehose's consumer does, and writes it to
    S3 straight away (no buffering: one object per put)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[_Route]] = {}
        self.lock = threading.Lock()

    def add_route(self, stream_arn: str, delivery_stream: str, destination: Props) -> None:
        _, _, _, region, account_id, _ = stream_arn.split(":", 5)
        route = _Route(account_id, region, delivery_stream, destination)
        with self.lock:
            self.routes.setdefault(stream_arn, []).append(route)

    def pump(self, stream: Any) -> None:
        with self.lock:
            for route in self.routes.get(stream.arn, []):
                records: list[Any] = []
                for shard in stream.shards.values():
                    new, last, _ = shard.get_records(route.positions.get(shard.shard_id, 0), None)
                    route.positions[shard.shard_id] = last
                    records.extend(new)
                if records:
                    self._deliver(route, [r.to_json()["Data"] for r in records])

    @staticmethod
    def _deliver(route: _Route, records: list[bytes]) -> None:
        from moto.s3.models import s3_backends

        config = route.destination
        now = datetime.now(UTC)
        compression = config.get("CompressionFormat", "UNCOMPRESSED")
        if compression not in _EXTENSIONS:
            raise ValueError(f"CompressionFormat {compression} is not emulated")
        body = b"".join(records)
        if compression == "GZIP":
            body = gzip.compress(body)
        elif compression == "ZIP":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("records", body)
            body = buffer.getvalue()
        key = (
            render_prefix(config.get("Prefix", ""), now)
            + f"{route.delivery_stream}-1-{now:%Y-%m-%d-%H-%M-%S}-{secrets.token_hex(16)}"
            + _EXTENSIONS[compression]
        )
        kms = (config.get("EncryptionConfiguration") or {}).get("KMSEncryptionConfig") or {}
        s3_backends[route.account_id]["aws"].put_object(
            arn_name(config["BucketARN"]),
            key,
            body,
            encryption="aws:kms" if kms else None,
            kms_key_id=kms.get("AWSKMSKeyARN"),
        )


BRIDGE = _FirehoseBridge()
