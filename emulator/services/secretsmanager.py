"""Gap fillers for Secrets Manager resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

import json

from emulator.base import Context, Created, Handler, Props, cfn_numbers, is_true


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
