"""Gap fillers for Secrets Manager resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

import json
from typing import Any

from emulator.base import Context, Created, Deleter, Handler, Props, cfn_numbers, is_true


def _secret(ctx: Context, props: Props) -> Created:
    name = props.get("Name") or ctx.generated_name
    api: Props = {"Name": name}
    for key in ("Description", "KmsKeyId", "SecretString"):
        if props.get(key):
            api[key] = props[key]
    generate = props.get("GenerateSecretString")
    if generate and "SecretString" not in api:
        options = cfn_numbers(
            {
                k: v
                for k, v in generate.items()
                if k not in ("SecretStringTemplate", "GenerateStringKey")
            }
        )
        for flag in (
            "ExcludeNumbers",
            "ExcludePunctuation",
            "ExcludeUppercase",
            "ExcludeLowercase",
            "IncludeSpace",
            "RequireEachIncludedType",
        ):
            if flag in options:
                options[flag] = is_true(options[flag])
        password = ctx.client("secretsmanager").get_random_password(**options)["RandomPassword"]
        if generate.get("SecretStringTemplate"):
            value = json.loads(generate["SecretStringTemplate"])
            value[generate["GenerateStringKey"]] = password
            api["SecretString"] = json.dumps(value)
        else:
            api["SecretString"] = password
    arn = ctx.client("secretsmanager").create_secret(**api)["ARN"]
    return Created(arn, {"Id": arn})


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::SecretsManager::Secret": _secret,
}


def _delete_secret(ctx: Context, physical_id: str, props: Props, _: dict[str, Any]) -> None:
    """``DeleteSecret`` with the default recovery window (the secret is scheduled for deletion)."""
    ctx.client("secretsmanager").delete_secret(SecretId=physical_id)


#: CloudFormation type -> deleter (merged into ``emulator.registry.DELETERS``).
DELETERS: dict[str, Deleter] = {"AWS::SecretsManager::Secret": _delete_secret}
