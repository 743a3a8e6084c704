"""The props of a :class:`~patterns.data_tier.ScalableTable`, as one frozen object.

The construct builds it once from its keyword arguments; :func:`~.validate.table_props`
checks it whole and the feature builders read what they need from it, so no builder takes
the prop list again. Its fields are the construct's props as given (the defaults live in the
construct's signature); the properties derive what several builders share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms

from patterns.data_tier.dax.options import DaxOptions
from patterns.data_tier.table.options import AutoScalingOptions, GsiOptions, LsiOptions
from patterns.data_tier.workload import TableWorkload

__all__ = ["TableProps"]


@dataclass(frozen=True)
class TableProps:
    """What a :class:`~patterns.data_tier.ScalableTable` was given (see its Args)."""

    partition_key: dynamodb.Attribute
    sort_key: dynamodb.Attribute | None
    read_scaling: AutoScalingOptions | None
    write_scaling: AutoScalingOptions | None
    max_read_request_units: int | None
    max_write_request_units: int | None
    global_secondary_indexes: Mapping[str, GsiOptions] | None
    local_secondary_indexes: Mapping[str, LsiOptions] | None
    expected_size_gb: float
    item_kb: float | None
    key_cardinality: int | None
    hot_key_share: float | None
    peak_read_units: float | None
    peak_write_units: float | None
    growth_factor: float
    table_name: str | None
    encryption: dynamodb.TableEncryption | None
    encryption_key: kms.IKey | None
    point_in_time_recovery: bool
    deletion_protection: bool
    time_to_live_attribute: str | None
    stream: dynamodb.StreamViewType | None
    contributor_insights: bool
    table_class: dynamodb.TableClass | None
    large_item_bucket: bool
    cache: DaxOptions | None
    capacity_alarm_percent: float
    removal_policy: RemovalPolicy
    workload: TableWorkload | None = None
    #: The names of the keyword props the user passed (a passed ``deletion_protection=True``
    #: with DESTROY is an error; the default is off with DESTROY).
    given: frozenset[str] = frozenset()

    @property
    def provisioned(self) -> bool:
        """Provisioned capacity (the validation requires both scalings, or neither)."""
        return self.read_scaling is not None or self.write_scaling is not None

    @property
    def table_scaling(self) -> tuple[AutoScalingOptions, AutoScalingOptions] | None:
        """The (reads, writes) scaling of provisioned capacity; None on-demand."""
        if self.read_scaling is None or self.write_scaling is None:
            return None
        return self.read_scaling, self.write_scaling

    @property
    def index_loads(self) -> dict[str, tuple[float | None, float]]:
        """Each GSI's (projected item kb, share of the writes), for the workload planner."""
        return {
            n: (g.projected_item_kb, g.write_share)
            for n, g in self.gsis.items()
            if isinstance(g, GsiOptions)  # another value is reported by the validation
        }

    @property
    def gsis(self) -> dict[str, GsiOptions]:
        """The global secondary indexes by name (``{}`` for none, or for a value that is not
        a mapping, which the validation reports)."""
        return _index_map(self.global_secondary_indexes)

    @property
    def lsis(self) -> dict[str, LsiOptions]:
        """The local secondary indexes by name."""
        return _index_map(self.local_secondary_indexes)

    @property
    def table_encryption(self) -> dynamodb.TableEncryption:
        """``encryption``, by default CUSTOMER_MANAGED (the given ``encryption_key`` or a
        created one)."""
        if self.encryption is not None:
            return self.encryption
        return dynamodb.TableEncryption.CUSTOMER_MANAGED

    @property
    def destroy(self) -> bool:
        """``removal_policy=DESTROY``: everything the table creates must be deletable."""
        return self.removal_policy == RemovalPolicy.DESTROY

    @property
    def table_deletion_protection(self) -> bool:
        """``deletion_protection`` as given, else True - but False with DESTROY (a protected
        table would make the stack undeletable)."""
        if self.destroy and "deletion_protection" not in self.given:
            return False
        return self.deletion_protection

    @property
    def peak_capacity(self) -> tuple[float, float] | None:
        """The peak (reads, writes) to plan partitions for: the auto-scaling maxima when
        provisioned, the given peaks on-demand, None on-demand without peaks (no plan)."""
        if self.table_scaling is not None:
            reads, writes = self.table_scaling
            return reads.peak_capacity, writes.peak_capacity
        if self.peak_read_units is not None or self.peak_write_units is not None:
            return self.peak_read_units or 0, self.peak_write_units or 0
        return None


_O = TypeVar("_O")


def _index_map(indexes: Mapping[str, _O] | None) -> dict[str, _O]:
    return dict(indexes) if isinstance(indexes, Mapping) else {}
