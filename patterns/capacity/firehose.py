"""Firehose delivery to S3 from the record rate and the buffering hints: the size of each
object and the objects written per hour (the first buffer condition reached triggers a
delivery), and the Direct PUT quotas when producers write to Firehose directly."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity import sources as src
from patterns.capacity._checks import Problems
from patterns.capacity._numbers import exact
from patterns.capacity.plan import (  # Limit, Source: the inherited fields' annotations
    QUOTA,
    Limit,  # noqa: F401
    LoadPlan,
    Source,
    build_limits,
)
from patterns.capacity.pricing import SECONDS_PER_MONTH

__all__ = [
    "DIRECT_PUT",
    "FIREHOSE_DIRECT_PUT_MIB_PER_S",
    "FIREHOSE_DIRECT_PUT_RECORDS_PER_S",
    "FIREHOSE_DIRECT_PUT_REQUESTS_PER_S",
    "KINESIS_SOURCE",
    "DeliveryPlan",
    "firehose_delivery",
    "firehose_delivery_problems",
]

KINESIS_SOURCE = "kinesis"
DIRECT_PUT = "direct_put"
#: Direct PUT quotas of one Firehose stream in us-east-1.
FIREHOSE_DIRECT_PUT_MIB_PER_S = 5
FIREHOSE_DIRECT_PUT_REQUESTS_PER_S = 2_000
FIREHOSE_DIRECT_PUT_RECORDS_PER_S = 500_000
_S3_PUTS_PER_PREFIX = 3_500
_INGEST_INCREMENT_KIB = 5


@dataclass(frozen=True, kw_only=True)
class DeliveryPlan(LoadPlan):
    """A :class:`~patterns.capacity.LoadPlan` for a Firehose stream delivering to S3.

    Attributes:
        object_mib: the size of one delivered object (before compression: Firehose buffers
            the records it receives), per partition.
        objects_per_hour: objects written per hour, all partitions together.
        seconds_between_deliveries: how often each partition's buffer is delivered.
        trigger: ``"size"`` (the buffer fills before the interval) or ``"interval"``.
    """

    object_mib: float
    objects_per_hour: float
    seconds_between_deliveries: float
    trigger: str

    def summary(self) -> str:
        """``Firehose stream to S3: 5 MiB objects every 2.048 s, 1,758 objects/hour (the size
        hint triggers)``."""
        return (
            f"{self.what}: {self.object_mib:,.4g} MiB objects every "
            f"{self.seconds_between_deliveries:,.4g} s, {self.objects_per_hour:,.4g} "
            f"objects/hour (the {self.trigger} hint triggers)"
        )


def firehose_delivery_problems(
    records_per_second: object,
    average_record_kib: object,
    *,
    buffer_mib: object = 5,
    buffer_interval_s: object = 300,
    partitions: object = 1,
    source: object = KINESIS_SOURCE,
    records_per_request: object = 1,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """What is wrong with the arguments of :func:`firehose_delivery`, one line per problem.

    Ranges: ``0 < rate <= 10^8 records/s``; record size 0 < size <= 1,024 KiB; buffer
    1..128 MiB; interval 1..900 s (zero buffering is not planned); partitions >= 1 (whole);
    ``source`` ``"kinesis"`` or ``"direct_put"``; records per PutRecordBatch 1..500.
    """
    p = Problems(names)
    p.number("records_per_second", records_per_second, above=0, maximum=10**8, unit="records/s")
    p.number(
        "average_record_kib", average_record_kib, above=0, maximum=1_024, unit="KiB",
        why="the largest Kinesis record is 1 MiB",
    )  # fmt: skip
    p.number("buffer_mib", buffer_mib, minimum=1, maximum=128, unit="MiB")
    p.number(
        "buffer_interval_s", buffer_interval_s, minimum=1, maximum=900, unit="s",
        why="zero buffering delivers as records arrive and is not planned",
    )  # fmt: skip
    p.number("partitions", partitions, minimum=1, maximum=10**6, whole=True)
    p.choice("source", source, (KINESIS_SOURCE, DIRECT_PUT))
    p.number(
        "records_per_request", records_per_request, minimum=1, maximum=500, whole=True,
        why="PutRecordBatch carries at most 500 records",
    )  # fmt: skip
    return p.lines


def firehose_delivery(
    records_per_second: float,
    average_record_kib: float,
    *,
    buffer_mib: float = 5,
    buffer_interval_s: float = 300,
    partitions: int = 1,
    source: str = KINESIS_SOURCE,
    records_per_request: int = 1,
) -> DeliveryPlan:
    """Plan the objects a Firehose stream writes to S3.

    Args:
        records_per_second: the average record rate into the Firehose stream.
        average_record_kib: the average record size.
        buffer_mib: the buffer size hint (1..128 MiB). Default 5 (Firehose's default).
        buffer_interval_s: the buffer interval hint (1..900 s). Default 300.
        partitions: dynamic partitions the load spreads over evenly; each has its own buffer.
            Default 1.
        source: ``"kinesis"`` (a Kinesis data stream: the Direct PUT quotas do not apply) or
            ``"direct_put"``. Default ``"kinesis"``.
        records_per_request: records per PutRecordBatch call (Direct PUT). Default 1.

    Returns:
        A :class:`DeliveryPlan`: each partition fills at ``rate / partitions``; it is
        delivered every ``min(interval, buffer / fill rate)`` seconds, so an object holds
        ``min(buffer, fill rate x interval)`` MiB and ``partitions x 3,600 / period`` objects
        are written per hour.

    Raises:
        ValueError: the problems :func:`firehose_delivery_problems` finds.
    """
    p = Problems()
    p.lines = firehose_delivery_problems(
        records_per_second, average_record_kib, buffer_mib=buffer_mib,
        buffer_interval_s=buffer_interval_s, partitions=partitions, source=source,
        records_per_request=records_per_request,
    )  # fmt: skip
    p.raise_if_any()
    rate = exact(records_per_second)
    kib = exact(average_record_kib)
    mib_per_s = rate * kib / 1_024
    fill = mib_per_s / int(partitions)
    size_seconds = exact(buffer_mib) / fill
    interval = exact(buffer_interval_s)
    period = min(interval, size_seconds)
    trigger = "size" if size_seconds < interval else "interval"
    objects_per_second = int(partitions) / period
    rows = _rows(source, mib_per_s, rate, int(records_per_request), objects_per_second)
    limits, binding, headroom = build_limits(rows)
    ingested_kib = math.ceil(kib / _INGEST_INCREMENT_KIB) * _INGEST_INCREMENT_KIB
    usage = {
        "firehose.gb-ingested": float(rate * ingested_kib * 1_024 * SECONDS_PER_MONTH / 10**9),
        "s3.put-requests": float(objects_per_second * SECONDS_PER_MONTH),
    }
    object_mib = fill * period
    notes = []
    if object_mib < 1:
        notes.append(
            "objects under 1 MiB make S3 listing and Athena scans slow: raise buffer_interval_s "
            "or reduce the partitions"
        )
    return DeliveryPlan(
        what="Firehose stream to S3",
        capacity={"objects/hour": float(objects_per_second * 3_600)},
        binding_limit=binding,
        headroom=headroom,
        limits=limits,
        usage=usage,
        notes=tuple(notes),
        sources=tuple(dict.fromkeys([src.FIREHOSE_BUFFER_TRIGGER, src.FIREHOSE_INGESTION_BILLING]
                                    + [row[5] for row in rows])),
        object_mib=float(object_mib),
        objects_per_hour=float(objects_per_second * 3_600),
        seconds_between_deliveries=float(period),
        trigger=trigger,
    )  # fmt: skip


def _rows(
    source: str, mib_per_s: Fraction, rate: Fraction, per_request: int, objects: Fraction
) -> list[tuple[str, Fraction, Fraction, str, str, Source]]:
    rows: list[tuple[str, Fraction, Fraction, str, str, Source]] = [
        ("S3 PUT requests/s per prefix", objects, exact(_S3_PUTS_PER_PREFIX), QUOTA,
         "raise the buffer hints or spread partitions over more prefixes",
         src.S3_PREFIX_PUT_RATE),
    ]  # fmt: skip
    if source == DIRECT_PUT:
        way_out = "request a Firehose quota increase, or put a Kinesis data stream in front"
        rows += [
            ("Direct PUT MiB/s", mib_per_s, exact(FIREHOSE_DIRECT_PUT_MIB_PER_S), QUOTA,
             way_out, src.FIREHOSE_DIRECT_PUT),
            ("Direct PUT requests/s", rate / per_request,
             exact(FIREHOSE_DIRECT_PUT_REQUESTS_PER_S), QUOTA,
             "batch more records per PutRecordBatch, or " + way_out, src.FIREHOSE_DIRECT_PUT),
            ("Direct PUT records/s", rate, exact(FIREHOSE_DIRECT_PUT_RECORDS_PER_S), QUOTA,
             way_out, src.FIREHOSE_DIRECT_PUT),
        ]  # fmt: skip
    return rows
