"""The prop rules of :class:`~patterns.data_tier.ScalableTable`, one function per prop group.

Each rule records its problems on the validator it is given and never raises, so the
construct reports every problem at once. The inputs of the partition plan are checked by the
planner's own rules (:func:`patterns.data_tier.rules.plan_inputs`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Duration, TimeZone
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_dynamodb as dynamodb

from patterns.capacity import sources
from patterns.core.quotas import within_quota
from patterns.core.validation import Validator
from patterns.data_tier import rules
from patterns.data_tier.dax import validate as dax_validate
from patterns.data_tier.ids import construct_id
from patterns.data_tier.limits import (
    MAX_ATTRIBUTE_NAME,
    MAX_CAPACITY,
    MAX_TARGET_UTILIZATION,
    MIN_CAPACITY,
    MIN_TARGET_UTILIZATION,
    TABLE_NAME,
)
from patterns.data_tier.table.options import (
    AutoScalingOptions,
    GsiOptions,
    LsiOptions,
    ScheduledCapacity,
)
from patterns.data_tier.table.props import TableProps
from patterns.data_tier.workload import (
    TableWorkload,
    exclusive_with_workload,
    workload_problems,
)

__all__ = [
    "MAX_GSIS",
    "MAX_LSIS",
    "MAX_PROJECTED_ATTRIBUTES",
    "alarms",
    "capacity_mode",
    "deletable",
    "indexes",
    "partition_plan",
    "scaling",
    "table_props",
    "table_settings",
]

#: Index limits of one table.
MAX_GSIS = 20
MAX_LSIS = 5
MAX_PROJECTED_ATTRIBUTES = 100
_KeyProps = list[tuple[str, object | None]]


def table_props(v: Validator, props: TableProps) -> None:
    """Every rule of a :class:`~patterns.data_tier.ScalableTable`'s props but the common ones
    (``check_common_props``); the cache's props report as ``cache.<prop>``."""
    rules.keys(v, props.partition_key, props.sort_key)
    capacity_mode(v, props)
    partition_plan(v, props)
    indexes(v, props)
    workload(v, props)
    table_settings(v, props)
    if props.cache is not None:
        dax_validate.options(v, "cache", props.cache)
    alarms(v, props)


# -- capacity -----------------------------------------------------------------------------------
def capacity_mode(v: Validator, props: TableProps) -> None:
    """Provisioned (both scalings, valid) or on-demand (neither): the caps and the peaks of
    on-demand capacity do not apply to provisioned capacity."""
    if (props.read_scaling is None) != (props.write_scaling is None):
        given = "read_scaling" if props.read_scaling is not None else "write_scaling"
        v.add(
            given, "needs both read_scaling and write_scaling (provisioned) or neither (on-demand)"
        )
    for prop, options in (
        ("read_scaling", props.read_scaling),
        ("write_scaling", props.write_scaling),
    ):
        if options is not None:
            scaling(v, prop, options)
    caps = (
        ("max_read_request_units", props.max_read_request_units),
        ("max_write_request_units", props.max_write_request_units),
    )
    peaks = (
        ("peak_read_units", props.peak_read_units),
        ("peak_write_units", props.peak_write_units),
    )
    for prop, value in (*caps, *peaks):
        within_quota(
            v,
            prop,
            value,
            default=40_000,
            unit="units",
            source=sources.DYNAMODB_TABLE_QUOTA,
        )
        if props.provisioned and value is not None:
            v.add(
                prop,
                "applies to on-demand capacity only; provisioned capacity is planned from the "
                f"auto-scaling maxima, got {value!r}",
            )
    for prop, cap in caps:
        v.number_in_range(prop, cap, minimum=1, integer=True)


def scaling(v: Validator, prop: str, options: object) -> None:
    """One :class:`AutoScalingOptions`: its range, target, cooldowns and schedules."""
    if not isinstance(options, AutoScalingOptions):
        v.add(prop, f"must be an AutoScalingOptions, got {type(options).__name__}")
        return
    _capacity_range(v, prop, options.min_capacity, options.max_capacity)
    v.number_in_range(
        f"{prop}.target_utilization_percent",
        options.target_utilization_percent,
        minimum=MIN_TARGET_UTILIZATION,
        maximum=MAX_TARGET_UTILIZATION,
        unit="%",
    )
    # Application Auto Scaling takes ScaleIn/ScaleOutCooldown in whole seconds.
    for name, cooldown in (
        ("scale_in_cooldown", options.scale_in_cooldown),
        ("scale_out_cooldown", options.scale_out_cooldown),
    ):
        v.duration_in_range(
            f"{prop}.{name}", cooldown, minimum=Duration.seconds(0), whole="seconds"
        )
    _schedules(
        v, f"{prop}.schedules", options.schedules, (options.min_capacity, options.max_capacity)
    )


def _capacity_range(v: Validator, prop: str, low: object, high: object) -> None:
    """``min_capacity`` and ``max_capacity`` (either may be None) in 1..40,000, low <= high."""
    for bound, value in (("min_capacity", low), ("max_capacity", high)):
        v.number_in_range(
            f"{prop}.{bound}",
            value,  # type: ignore[arg-type]
            minimum=MIN_CAPACITY,
            maximum=MAX_CAPACITY,
            integer=True,
        )
    if rules.concrete_number(low) and rules.concrete_number(high) and low > high:
        v.add(f"{prop}.max_capacity", f"must be at least min_capacity ({low}), got {high}")


def _schedules(v: Validator, prop: str, schedules: object, bounds: tuple[object, object]) -> None:
    """A tuple of :class:`ScheduledCapacity` with distinct names, each changing a bound
    consistently with the range's (``bounds``: its min and max capacity)."""
    if not isinstance(schedules, list | tuple):
        v.add(prop, f"must be a tuple of ScheduledCapacity, got {type(schedules).__name__}")
        return
    seen: set[str] = set()
    for action in schedules:
        if not isinstance(action, ScheduledCapacity):
            v.add(prop, f"must hold ScheduledCapacity, got {type(action).__name__}")
            continue
        key = construct_id(action.name) if isinstance(action.name, str) else ""
        if not key:
            v.add(prop, f"need a name, got {action.name!r}")
        elif key in seen:
            v.add(prop, f"name {action.name!r} is used twice")
        seen.add(key)
        _scheduled_action(v, f"{prop}[{action.name!r}]", action, bounds)


def _scheduled_action(
    v: Validator, where: str, action: ScheduledCapacity, bounds: tuple[object, object]
) -> None:
    """An action's bounds: min <= max, and a bound it keeps from the range must not
    contradict the one it sets (Application Auto Scaling rejects the action at deploy time,
    or - with both bounds moved by other actions - at the time it runs)."""
    low, high = action.min_capacity, action.max_capacity
    range_min, range_max = bounds
    if low is None and high is None:
        v.add(where, "must set min_capacity, max_capacity or both")
    _capacity_range(v, where, low, high)
    if (
        rules.concrete_number(low)
        and high is None
        and rules.concrete_number(range_max)
        and low > range_max
    ):
        v.add(
            f"{where}.min_capacity",
            f"must be at most the range's max_capacity ({range_max}) when the action keeps "
            f"it, got {low}",
        )
    if (
        rules.concrete_number(high)
        and low is None
        and rules.concrete_number(range_min)
        and high < range_min
    ):
        v.add(
            f"{where}.max_capacity",
            f"must be at least the range's min_capacity ({range_min}) when the action keeps "
            f"it, got {high}",
        )
    v.instance_of(
        f"{where}.schedule", action.schedule, appscaling.Schedule, what="an appscaling.Schedule"
    )
    if action.schedule is None:
        v.add(f"{where}.schedule", "is required")
    v.instance_of(f"{where}.time_zone", action.time_zone, TimeZone, what="an aws_cdk.TimeZone")


def partition_plan(v: Validator, props: TableProps) -> None:
    """The planner's inputs; on-demand, the hot-key figures need a peak to compare with."""
    rules.plan_inputs(
        v,
        read_capacity_units=("peak_read_units", props.peak_read_units),
        write_capacity_units=("peak_write_units", props.peak_write_units),
        size_gb=("expected_size_gb", props.expected_size_gb),
        key_cardinality=("key_cardinality", props.key_cardinality),
        hot_key_share=("hot_key_share", props.hot_key_share),
        growth_factor=("growth_factor", props.growth_factor),
    )
    if props.provisioned or props.peak_read_units is not None or props.peak_write_units is not None:
        return
    for prop, value in (
        ("key_cardinality", props.key_cardinality),
        ("hot_key_share", props.hot_key_share),
    ):
        if value is not None:
            v.add(
                prop,
                "needs peak_read_units or peak_write_units with on-demand capacity (the "
                "hot-key check compares the key's share of the peak with a partition's limits)",
            )


# -- indexes ------------------------------------------------------------------------------------
def workload(v: Validator, props: TableProps) -> None:
    """``workload`` (a :class:`TableWorkload` the planner accepts) instead of the raw units:
    ``read_scaling``, ``write_scaling``, ``peak_read_units``, ``peak_write_units``,
    ``item_kb``."""
    exclusive_with_workload(
        v,
        props.workload,
        {
            "read_scaling": props.read_scaling,
            "write_scaling": props.write_scaling,
            "peak_read_units": props.peak_read_units,
            "peak_write_units": props.peak_write_units,
            "item_kb": props.item_kb,
        },
    )
    workload_problems(v, props.workload, props.index_loads)


def indexes(v: Validator, props: TableProps) -> None:
    """Mappings of at most 20 GSIs and 5 LSIs (which need a table sort key), distinct names
    and alarm ids, valid keys and projections, one type per key attribute, at most 100
    projected attributes in all."""
    for prop, mapping in (
        ("global_secondary_indexes", props.global_secondary_indexes),
        ("local_secondary_indexes", props.local_secondary_indexes),
    ):
        if mapping is not None and not isinstance(mapping, Mapping):
            v.add(prop, f"must be a mapping of index name to options, got {mapping!r}")
    gsis, lsis = props.gsis, props.lsis
    v.number_in_range("global_secondary_indexes", len(gsis), maximum=MAX_GSIS, unit="indexes")
    v.number_in_range("local_secondary_indexes", len(lsis), maximum=MAX_LSIS, unit="indexes")
    if lsis and props.sort_key is None:
        v.add("local_secondary_indexes", "need a table sort_key")
    for name in set(gsis) & set(lsis):
        v.add("local_secondary_indexes", f"name {name!r} is also a global secondary index")
    key_props: _KeyProps = [("partition_key", props.partition_key), ("sort_key", props.sort_key)]
    alarm_ids: dict[str, str] = {}
    v.number_in_range("item_kb", props.item_kb, maximum=400, unit="KB")
    if rules.concrete_number(props.item_kb) and props.item_kb <= 0:
        v.add(
            "item_kb",
            f"must be above 0 KB (DynamoDB items are 1 byte to 400 KB), got {props.item_kb}",
        )
    for name, gsi in gsis.items():
        key_props += _global_index(v, name, gsi, props.provisioned, alarm_ids)
        if isinstance(gsi, GsiOptions):
            item_kb = props.item_kb
            if isinstance(props.workload, TableWorkload):
                item_kb = props.workload.item_kb
            _index_load(v, f'global_secondary_indexes["{name}"]', gsi, item_kb)
    for name, lsi in lsis.items():
        key_props += _local_index(v, name, lsi, props.partition_key)
    rules.attribute_types(v, key_props)
    _projected_total(v, [*gsis.values(), *lsis.values()])


def _global_index(
    v: Validator, name: str, gsi: object, provisioned: bool, alarm_ids: dict[str, str]
) -> _KeyProps:
    prop = f'global_secondary_indexes["{name}"]'
    _index_name(v, "global_secondary_indexes", name)
    key = construct_id(name) if isinstance(name, str) else ""
    if key in alarm_ids:
        v.add(
            "global_secondary_indexes",
            f"names {alarm_ids[key]!r} and {name!r} map to the same alarm id {key}",
        )
    alarm_ids[key] = name
    if not isinstance(gsi, GsiOptions):
        v.add(prop, f"must be a GsiOptions, got {type(gsi).__name__}")
        return []
    rules.keys(v, gsi.partition_key, gsi.sort_key, prefix=f"{prop}.")
    _projection(v, prop, gsi.projection_type, gsi.non_key_attributes)
    for kind, options in (("read_scaling", gsi.read_scaling), ("write_scaling", gsi.write_scaling)):
        if options is not None and not provisioned:
            v.add(f"{prop}.{kind}", "applies to provisioned capacity only; the table is on-demand")
        elif options is not None:
            scaling(v, f"{prop}.{kind}", options)
    rules.plan_inputs(
        v,
        key_cardinality=(f"{prop}.key_cardinality", gsi.key_cardinality),
        hot_key_share=(f"{prop}.hot_key_share", gsi.hot_key_share),
    )
    for field in ("key_cardinality", "hot_key_share"):
        if not provisioned and getattr(gsi, field) is not None:
            v.add(
                f"{prop}.{field}",
                "applies to provisioned capacity only (an index's hot-key check uses its "
                "auto-scaling maximum); the table is on-demand",
            )
    return [(f"{prop}.partition_key", gsi.partition_key), (f"{prop}.sort_key", gsi.sort_key)]


def _index_load(v: Validator, prop: str, gsi: GsiOptions, item_kb: object) -> None:
    """An index's size (>= 0 GB), projected item (0 < kb <= the table's item_kb, 400 KB) and
    write share (0 < share <= 1)."""
    v.number_in_range(f"{prop}.expected_size_gb", gsi.expected_size_gb, minimum=0, unit="GB")
    projected = gsi.projected_item_kb
    v.number_in_range(f"{prop}.projected_item_kb", projected, maximum=400, unit="KB")
    if rules.concrete_number(projected):
        if projected <= 0:
            v.add(f"{prop}.projected_item_kb", f"must be above 0 KB, got {projected}")
        elif rules.concrete_number(item_kb) and projected > item_kb:
            v.add(
                f"{prop}.projected_item_kb",
                f"must be at most item_kb ({item_kb} KB: an index projects part of the item), "
                f"got {projected} KB",
            )
    share = gsi.write_share
    v.number_in_range(f"{prop}.write_share", share, maximum=1)
    if rules.concrete_number(share) and share <= 0:
        v.add(
            f"{prop}.write_share",
            f"must be above 0 (the share of the table's writes that touch the index), got {share}",
        )


def _local_index(v: Validator, name: str, lsi: object, partition_key: object) -> _KeyProps:
    prop = f'local_secondary_indexes["{name}"]'
    _index_name(v, "local_secondary_indexes", name)
    if not isinstance(lsi, LsiOptions):
        v.add(prop, f"must be a LsiOptions, got {type(lsi).__name__}")
        return []
    rules.attribute(v, f"{prop}.sort_key", lsi.sort_key)
    rules.key_schema(v, f"{prop}.sort_key", partition_key, lsi.sort_key)
    _projection(v, prop, lsi.projection_type, lsi.non_key_attributes)
    return [(f"{prop}.sort_key", lsi.sort_key)]


def _index_name(v: Validator, prop: str, name: object) -> None:
    if not isinstance(name, str) or not TABLE_NAME.match(name):
        v.add(prop, f"name must be 3-255 letters, digits, '_', '-' or '.', got {name!r}")


def _projection(
    v: Validator, prop: str, projection: object, non_key_attributes: Sequence[str]
) -> None:
    """A projection type, and the attributes of an INCLUDE projection (only then)."""
    if not v.instance_of(
        f"{prop}.projection_type",
        projection,
        dynamodb.ProjectionType,
        what="a dynamodb.ProjectionType",
    ):
        return
    if not v.sequence_of(f"{prop}.non_key_attributes", non_key_attributes, str):
        return
    for name in non_key_attributes:
        if not 1 <= len(name) <= MAX_ATTRIBUTE_NAME:
            v.add(
                f"{prop}.non_key_attributes",
                f"must hold attribute names of 1-{MAX_ATTRIBUTE_NAME} characters, got {name!r}",
            )
    if projection == dynamodb.ProjectionType.INCLUDE:
        v.require(
            1 <= len(non_key_attributes) <= MAX_PROJECTED_ATTRIBUTES,
            f"{prop}.non_key_attributes",
            f"must name 1-{MAX_PROJECTED_ATTRIBUTES} attributes with ProjectionType.INCLUDE, "
            f"got {len(non_key_attributes)}",
        )
    elif non_key_attributes:
        v.add(
            f"{prop}.non_key_attributes",
            f"apply only with ProjectionType.INCLUDE, got {projection}",
        )


def _projected_total(v: Validator, all_indexes: Sequence[object]) -> None:
    projected = sum(
        len(index.non_key_attributes)
        for index in all_indexes
        if isinstance(index, GsiOptions | LsiOptions)
        and isinstance(index.non_key_attributes, list | tuple)
    )
    if projected > MAX_PROJECTED_ATTRIBUTES:
        v.add(
            "non_key_attributes",
            f"of all secondary indexes must total at most {MAX_PROJECTED_ATTRIBUTES} "
            f"(DynamoDB counts an attribute once per index), got {projected}",
        )


# -- table settings and alarms ------------------------------------------------------------------
def table_settings(v: Validator, props: TableProps) -> None:
    """The physical name, the encryption (a given key needs CUSTOMER_MANAGED), the TTL
    attribute, the stream view, the table class, the switches and what DESTROY needs."""
    if v.text("table_name", props.table_name):
        assert isinstance(props.table_name, str)
        v.require(
            bool(TABLE_NAME.match(props.table_name)),
            "table_name",
            f"must be 3-255 letters, digits, '_', '-' or '.', got {props.table_name!r}",
        )
    encryption = props.table_encryption
    v.instance_of(
        "encryption", encryption, dynamodb.TableEncryption, what="a dynamodb.TableEncryption"
    )
    if props.encryption_key is not None and encryption != dynamodb.TableEncryption.CUSTOMER_MANAGED:
        v.add(
            "encryption_key", f"needs encryption=TableEncryption.CUSTOMER_MANAGED, got {encryption}"
        )
    rules.time_to_live_attribute(v, props.time_to_live_attribute)
    rules.booleans(
        v,
        point_in_time_recovery=props.point_in_time_recovery,
        deletion_protection=props.deletion_protection,
        contributor_insights=props.contributor_insights,
        large_item_bucket=props.large_item_bucket,
    )
    v.instance_of("stream", props.stream, dynamodb.StreamViewType, what="a dynamodb.StreamViewType")
    v.instance_of(
        "table_class", props.table_class, dynamodb.TableClass, what="a dynamodb.TableClass"
    )
    deletable(v, props)


def deletable(v: Validator, props: TableProps) -> None:
    """With ``removal_policy=DESTROY`` CloudFormation must be able to delete everything: a
    ``deletion_protection=True`` the user passed would make the stack's deletion fail. (A
    large-item bucket is emptied on delete by ``core.defaults.secure_bucket``.)"""
    if not props.destroy:
        return
    if "deletion_protection" in props.given and props.deletion_protection is True:
        v.add(
            "deletion_protection",
            "True contradicts removal_policy=RemovalPolicy.DESTROY: CloudFormation cannot "
            "delete a protected table, so the stack's deletion would fail; leave "
            "deletion_protection out (off with DESTROY) or keep the table (RETAIN)",
        )


def alarms(v: Validator, props: TableProps) -> None:
    """``capacity_alarm_percent``: 1..100 %."""
    v.number_in_range(
        "capacity_alarm_percent", props.capacity_alarm_percent, minimum=1, maximum=100, unit="%"
    )
