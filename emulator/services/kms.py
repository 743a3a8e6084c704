"""Gap fillers for AWS KMS resources (see :mod:`emulator.registry`)."""

from __future__ import annotations

import json
from typing import Any

from emulator.base import Context, Deleter, Handler, Props


def _kms_key(ctx: Context, props: Props) -> Any:
    """moto's key, with its key policy stored as the JSON text the API keeps (moto's
    CloudFormation stores the template's object, and then fails every DescribeKey)."""
    assert ctx.moto_default is not None
    key = ctx.moto_default(props, None)
    if not isinstance(key.policy, str):
        key.policy = json.dumps(key.policy)
    return key


#: CloudFormation type -> handler (merged into ``emulator.registry.HANDLERS``).
HANDLERS: dict[str, Handler] = {
    "AWS::KMS::Key": _kms_key,
}

#: CloudFormation type -> deleter: the key is moto's model (moto schedules its deletion).
DELETERS: dict[str, Deleter] = {}
