"""The deploy tier catches broken permissions and behaviours: each mutation of
``tests/deploy/mutations.py`` is applied to the synthesized template of one example stack,
that stack alone is deployed (under a name of its own) to the shared emulator, and the deploy
tier's check of the path the mutation breaks must fail. The stack is deleted again afterwards.

A mutation with a ``base`` (the fix of a template bug the check exposes) is first deployed
with the base alone, where the check must pass - so the failure is the mutation's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulator.server import Assembly, Emulator
from tests.deploy.mutations import MUTATIONS, Mutation, TargetMissing

pytestmark = pytest.mark.deploy


def _renamed(value: Any, old: str, new: str) -> Any:
    """Names CDK derived from the stack name (an event bus, an activity ...) follow the new
    stack name, so the mutated copy does not collide with the example stack."""
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    if isinstance(value, str) and value.startswith(old):
        return new + value[len(old) :]
    return value


def _assembly_with(
    assembly: Assembly, stack: str, name: str, template: dict[str, Any], outdir: Path
) -> Assembly:
    """A one-stack assembly of ``template`` as ``name``, its assets those of ``stack``."""
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / f"{name}.template.json").write_text(json.dumps(_renamed(template, stack, name)))
    manifest = assembly.assets(stack)
    for asset in manifest.get("files", {}).values():
        asset["source"]["path"] = str((assembly.outdir / asset["source"]["path"]).resolve())
    (outdir / f"{name}.assets.json").write_text(json.dumps(manifest))
    return Assembly(outdir=outdir, stack_names=[name])


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_the_deploy_tier_catches(
    mutation: Mutation, emulator: Emulator, assembly: Assembly, tmp_path: Path
) -> None:
    template = assembly.template(mutation.stack)
    try:
        mutated = mutation.apply(template)
    except TargetMissing as missing:
        pytest.fail(
            f"{mutation.name}: {missing} in {mutation.stack} - update tests/deploy/mutations.py"
        )
    assert mutated != template
    index = MUTATIONS.index(mutation)

    if mutation.base is not None:  # the check passes on the fixed template
        base_template = json.loads(json.dumps(template))
        mutation.base(base_template)
        name = f"{mutation.stack}B{index}"
        base = _assembly_with(assembly, mutation.stack, name, base_template, tmp_path / "base")
        stack = emulator.deploy(base, name)
        try:
            mutation.check(emulator, stack, base)
        finally:
            emulator.delete_stack(name, verify=False)

    name = f"{mutation.stack}M{index}"
    mutated_assembly = _assembly_with(assembly, mutation.stack, name, mutated, tmp_path / "m")
    stack = emulator.deploy(mutated_assembly, name)
    try:
        # any failure of the check counts: an assertion, or an error of a denied call
        with emulator.authorizer.expecting() as denied, pytest.raises(Exception) as failed:
            mutation.check(emulator, stack, mutated_assembly)
    finally:
        emulator.delete_stack(name, verify=False)
    print(f"{mutation.name}: caught by {mutation.check_name}: {failed.value!s:.300}")
    if denied:
        print(f"  denied: {denied[0]:.300}")
