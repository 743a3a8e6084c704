"""How a gap filler plugs into moto's CloudFormation: :class:`GapFiller` is what moto's
``ResourceMap`` needs of a resource (a duck-typed ``CloudFormationModel``), and
:func:`resolve_dynamic_references` resolves the ``{{resolve:...}}`` references moto leaves."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from emulator.base import Context, Created, Handler, Props, emulator_client


class GapFiller:
    """What moto's ResourceMap needs of a resource (a duck-typed ``CloudFormationModel``).

    Not a subclass of ``CloudFormationModel``: that would add the type to moto's global model
    map for the rest of the process, also outside the emulator.
    """

    type_name: ClassVar[str]
    handler: ClassVar[Handler]
    endpoint: ClassVar[str]

    #: moto's class for the type, when a handler corrects moto's input (else None).
    moto_class: ClassVar[Any]

    def __init__(
        self, created: Created, ctx: Context | None = None, props: Props | None = None
    ) -> None:
        self.physical_resource_id = created.physical_id
        self._attributes = created.attributes
        self._ctx = ctx
        self._props = props or {}

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> GapFiller:
        from moto.cloudformation.exceptions import ValidationError

        stack_id: str = kwargs["StackId"]

        def moto_default(props: Props, name: str | None = None) -> Any:
            if cls.moto_class is None:
                raise ValueError(f"moto does not implement {cls.type_name}")
            return cls.moto_class.create_from_cloudformation_json(
                name or resource_name,
                {**cloudformation_json, "Properties": props},
                account_id,
                region_name,
                **kwargs,
            )

        ctx = Context(
            account_id=account_id,
            region=region_name,
            stack_name=stack_id.split(":stack/")[-1].split("/")[0],
            logical_id=kwargs["LogicalId"],
            generated_name=resource_name,
            endpoint=cls.endpoint,
            moto_default=moto_default,
        )
        props = cloudformation_json.get("Properties") or {}
        unresolved = unresolved_intrinsics(props)
        if unresolved:
            raise ValidationError(
                message=f"{ctx.logical_id} ({cls.type_name}): moto could not resolve {unresolved}"
            )
        try:
            made = cls.handler(ctx, props)
            return cls(made, ctx, props) if isinstance(made, Created) else made
        except Exception as exc:  # surface as a CloudFormation error naming the resource
            raise ValidationError(
                message=f"{ctx.logical_id} ({cls.type_name}) failed in the emulator: {exc}"
            ) from exc

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name not in self._attributes:
            raise UnformattedGetAttTemplateException()
        return self._attributes[attribute_name]

    def is_created(self) -> bool:
        return True

    def delete(self, account_id: str, region_name: str) -> None:
        """``DeleteStack``: the type's deleter (:data:`emulator.registry.DELETERS`) undoes what
        the handler made; an error (a dependency ...) fails this resource's deletion."""
        from emulator.registry import DELETERS

        if self._ctx is None:
            raise NotImplementedError(f"{self.type_name} was not created by a handler")
        deleter = DELETERS.get(self.type_name)
        if deleter is None:
            raise NotImplementedError(f"deleting {self.type_name} is not emulated")
        deleter(self._ctx, self.physical_resource_id, self._props, self._attributes)

    @classmethod
    def delete_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> None:
        """For moto's model (a handler that returned one): moto's own deletion of the type."""
        from emulator.registry import MOTO_DELETES

        if cls.moto_class is None or cls.type_name not in MOTO_DELETES:
            raise NotImplementedError(f"deleting {cls.type_name} failed in the emulator")
        cls.moto_class.delete_from_cloudformation_json(*args, **kwargs)

    @classmethod
    def update_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"updating {cls.type_name} is not emulated; deploy afresh")


def unresolved_intrinsics(value: Any) -> list[Any]:
    """Intrinsics moto left in place (it leaves an unsupported ``Fn::GetAtt`` unresolved)."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref")):
            return [value]
        return [found for v in value.values() for found in unresolved_intrinsics(v)]
    if isinstance(value, list):
        return [found for v in value for found in unresolved_intrinsics(v)]
    return []


_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm|ssm-secure):([^}]*)\}\}")


def resolve_dynamic_references(value: str, endpoint: str, region: str) -> str:
    """CloudFormation's ``{{resolve:secretsmanager:...}}`` / ``{{resolve:ssm:...}}``, which moto
    leaves in place, resolved against the emulator."""

    def resolve(match: re.Match[str]) -> str:
        kind, reference = match.groups()
        if kind == "secretsmanager":
            secret_id, _, rest = reference.partition(":SecretString:")
            if not rest and reference.count(":") >= 7:  # arn:aws:secretsmanager:r:a:secret:name
                secret_id = reference
            json_key, _, version = rest.partition(":")
            stage, _, version_id = version.partition(":")
            api: Props = {"SecretId": secret_id}
            if stage:
                api["VersionStage"] = stage
            if version_id:
                api["VersionId"] = version_id
            secret = emulator_client(endpoint, region, "secretsmanager").get_secret_value(**api)
            text = str(secret["SecretString"])
            return str(json.loads(text)[json_key]) if json_key else text
        name, _, version = reference.partition(":")
        parameter = name + (f":{version}" if version else "")
        got = emulator_client(endpoint, region, "ssm").get_parameter(
            Name=parameter, WithDecryption=True
        )
        return str(got["Parameter"]["Value"])

    return _DYNAMIC_REFERENCE.sub(resolve, value)
