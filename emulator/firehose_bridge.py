"""Kinesis -> Firehose -> S3, which moto lacks: each record put on a stream that is the
source of a delivery stream is delivered at once (no buffering) to the delivery stream's
bucket under its prefix, compressed and KMS-encrypted as configured.

Authorized as Firehose is: it reads the stream with the source role
(``KinesisStreamSourceConfiguration.RoleARN``: ``kinesis:DescribeStream``,
``kinesis:GetShardIterator``, ``kinesis:GetRecords`` and, for an encrypted stream,
``kms:Decrypt`` with the stream's key through Kinesis) and writes the bucket with the
destination role (``s3:PutObject`` - the bucket policy too - and ``kms:GenerateDataKey`` with
the configured key through S3), each role assumed by ``firehose.amazonaws.com`` (its trust
policy). A denied read delivers nothing; a denied write loses the records (Firehose retries,
then gives up): both are recorded by the authorizer."""

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

from emulator.authorization import AUTHORIZER, AccessDenied, KmsUse
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
    #: the role Firehose reads the stream with
    source_role: str
    #: shard id -> last sequence number delivered
    positions: dict[str, int] = field(default_factory=dict)


class _FirehoseBridge:
    """Reads each new record of a source stream, as Firehose's consumer does, and writes it to
    S3 straight away (no buffering: one object per put)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[_Route]] = {}
        self.lock = threading.Lock()

    def add_route(
        self, stream_arn: str, delivery_stream: str, destination: Props, source_role: str
    ) -> None:
        _, _, _, region, account_id, _ = stream_arn.split(":", 5)
        route = _Route(account_id, region, delivery_stream, destination, source_role)
        with self.lock:
            self.routes.setdefault(stream_arn, []).append(route)

    def remove_routes(self, delivery_stream: str) -> None:
        """The delivery stream was deleted: its records are no longer delivered."""
        with self.lock:
            for stream_arn, routes in self.routes.items():
                self.routes[stream_arn] = [
                    r for r in routes if r.delivery_stream != delivery_stream
                ]

    def pump(self, stream: Any) -> None:
        with self.lock:
            for route in self.routes.get(stream.arn, []):
                if not self._may_read(route, stream.arn):
                    continue  # recorded: Firehose cannot read the stream
                records: list[Any] = []
                for shard in stream.shards.values():
                    new, last, _ = shard.get_records(route.positions.get(shard.shard_id, 0), None)
                    route.positions[shard.shard_id] = last
                    records.extend(new)
                if records:
                    self._deliver(route, [r.to_json()["Data"] for r in records])

    @staticmethod
    def _may_read(route: _Route, stream_arn: str) -> bool:
        via = f"kinesis.{route.region}.amazonaws.com"
        try:
            session = AUTHORIZER.assume(route.source_role, "firehose.amazonaws.com")
            for action in ("kinesis:DescribeStream", "kinesis:GetShardIterator"):
                AUTHORIZER.authorize(session, action, stream_arn)
            AUTHORIZER.authorize(
                session,
                "kinesis:GetRecords",
                stream_arn,
                kms=AUTHORIZER.kms_uses(stream_arn, via, "kms:Decrypt"),
            )
        except AccessDenied:
            return False
        return True

    @staticmethod
    def _may_write(route: _Route, bucket: str, key: str, kms_key: str | None) -> bool:
        via = f"s3.{route.region}.amazonaws.com"
        context = AUTHORIZER.s3_encryption_context(bucket, key)
        try:
            session = AUTHORIZER.assume(route.destination["RoleARN"], "firehose.amazonaws.com")
            AUTHORIZER.authorize(
                session,
                "s3:PutObject",
                f"arn:aws:s3:::{bucket}/{key}",
                context={"s3:TlsVersion": "1.2"},
                kms=((KmsUse("kms:GenerateDataKey", kms_key, via, context),) if kms_key else ()),
            )
        except AccessDenied:
            return False
        return True

    @classmethod
    def _deliver(cls, route: _Route, records: list[bytes]) -> None:
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
        if not cls._may_write(route, arn_name(config["BucketARN"]), key, kms.get("AWSKMSKeyARN")):
            return  # recorded: the records are lost
        s3_backends[route.account_id]["aws"].put_object(
            arn_name(config["BucketARN"]),
            key,
            body,
            encryption="aws:kms" if kms else None,
            kms_key_id=kms.get("AWSKMSKeyARN"),
        )


BRIDGE = _FirehoseBridge()
