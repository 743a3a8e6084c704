"""Gap fillers for Managed Service for Apache Flink resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

from typing import Any

from emulator.base import (
    Context,
    Created,
    Deleter,
    Handler,
    Props,
    accept_only,
    cfn_numbers,
    delete_nothing,
)


def _analytics_application(ctx: Context, props: Props) -> Created:
    """The application in moto's Managed Service for Apache Flink (no Flink job runs)."""
    api = {k: v for k, v in props.items() if k not in ("Tags", "RunConfiguration")}
    api.setdefault("ApplicationName", ctx.generated_name[:128])
    if props.get("Tags"):
        api["Tags"] = props["Tags"]
    detail = ctx.client("kinesisanalyticsv2").create_application(**cfn_numbers(api))[
        "ApplicationDetail"
    ]
    name = api["ApplicationName"]
    arn = detail.get("ApplicationARN") or (
        f"arn:aws:kinesisanalytics:{ctx.region}:{ctx.account_id}:application/{name}"
    )
    return Created(name, {"Arn": arn})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::KinesisAnalyticsV2::Application": _analytics_application,
    # moto's Managed Flink has no logging-option API: recorded, not modelled
    "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption": accept_only(),
}


def _delete_application(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    """moto's Managed Flink has no DeleteApplication: the application leaves its backend."""
    from moto.kinesisanalyticsv2.models import kinesisanalyticsv2_backends

    kinesisanalyticsv2_backends[ctx.account_id][ctx.region].applications.pop(physical_id)


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {
    "AWS::KinesisAnalyticsV2::Application": _delete_application,
    "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption": delete_nothing,  # recorded
}
