"""The vocabulary every gap filler shares: the creation context, what a handler returns,
clients for the emulator's APIs (fake credentials, 127.0.0.1 only) and small value helpers."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]

Props = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """Where a resource is being created, and clients for the emulator's APIs."""

    account_id: str
    region: str
    stack_name: str
    logical_id: str
    #: The physical name CloudFormation would generate (``<stack>-<logical id>-<random>``).
    generated_name: str
    endpoint: str
    #: moto's own implementation of the type: ``ctx.moto_default(props, name)`` creates the
    #: resource as moto would (for handlers that only correct moto's input).
    moto_default: Callable[[Props, str | None], Any] | None = None

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` on the emulator (never AWS)."""
        return emulator_client(self.endpoint, self.region, service)


@dataclass
class Created:
    """What a handler made: the value of ``Ref`` and the ``Fn::GetAtt`` attributes."""

    physical_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


#: A handler returns a ``Created``, or the moto model that ``ctx.moto_default`` returned.
Handler = Callable[[Context, Props], Any]

#: Deletes what a handler made (``DeleteStack``): the context, the physical id, the template's
#: properties and the ``Fn::GetAtt`` attributes the handler returned.
Deleter = Callable[[Context, str, Props, dict[str, Any]], None]


def delete_nothing(
    ctx: Context, physical_id: str, props: Props, attributes: dict[str, Any]
) -> None:
    """For a type the emulator only records (``accept_only``) or one that goes with its parent
    (an EMR step with its cluster): nothing exists to delete."""


FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}


@functools.cache
def emulator_client(endpoint: str, region: str, service: str) -> Any:
    return boto3.session.Session(region_name=region, **FAKE_CREDENTIALS).client(
        service,
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1}),
    )


def session_client(endpoint: str, region: str, service: str, credentials: dict[str, str]) -> Any:
    """A boto3 client for ``service`` on the emulator with a role session's credentials (the
    emulator authorizes every call it makes: :mod:`emulator.requests`)."""
    return _session_client(endpoint, region, service, tuple(sorted(credentials.items())))


@functools.cache
def _session_client(
    endpoint: str, region: str, service: str, credentials: tuple[tuple[str, str], ...]
) -> Any:
    return boto3.session.Session(region_name=region, **dict(credentials)).client(
        service,
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1}),
    )


def as_json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def is_true(value: Any) -> bool:
    return str(value).lower() == "true"


def arn_name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")


def cfn_numbers(value: Any) -> Any:
    """CloudFormation passes numbers as strings after intrinsic resolution; the API wants them
    as numbers."""
    if isinstance(value, dict):
        return {k: cfn_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [cfn_numbers(v) for v in value]
    if isinstance(value, str) and NUMERIC.match(value):
        return float(value) if "." in value else int(value)
    return value


def with_attributes(attributes: Callable[[Any], dict[str, Any]]) -> Handler:
    """moto's own resource, plus the ``Fn::GetAtt`` attributes its model lacks (moto answers
    a GetAtt on such a model with an internal error)."""

    def handler(ctx: Context, props: Props) -> Created:
        assert ctx.moto_default is not None
        model = ctx.moto_default(props, None)
        return Created(model.physical_resource_id, attributes(model))

    return handler


def accept_only(attributes: Callable[[Context, Props], dict[str, Any]] | None = None) -> Handler:
    """A handler for a type whose control plane is all we need (no behaviour is emulated):
    the resource gets a physical id (and the given ``Fn::GetAtt`` attributes) and nothing else.
    Use it only where the README says the emulator proves nothing more for that type."""

    def handler(ctx: Context, props: Props) -> Created:
        values = attributes(ctx, props) if attributes else {}
        return Created(values.get("Id", ctx.generated_name), values)

    return handler
