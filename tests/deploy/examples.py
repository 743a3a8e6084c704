"""The example stacks synthesized *for deployment* to the emulator.

They come from the same ``stacks.build_example_app`` the snapshots and nag gates use; only the
stack properties differ (an explicit env, a synthesizer without the bootstrap-version rule, no
analytics metadata).
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk

from emulator.server import ACCOUNT_ID, REGION, Assembly

__all__ = ["synthesize"]


def synthesize(
    outdir: Path,
    *,
    only: list[str] | None = None,
    account_id: str = ACCOUNT_ID,
    region: str = REGION,
) -> Assembly:
    """Synthesize the example stacks (all, or ``only``) for deployment into ``outdir``.

    cdk-nag is off here: the gate tests run it on the identical construct tree (only the stack
    properties differ), and a nag finding would fail the deploy tier for a reason that has
    nothing to do with deploying. The context pins the availability zones of the env, as a
    ``cdk synth`` with lookups would, so subnets land in zones the emulator has.
    """
    from stacks import EXAMPLE_STACKS, build_example_app
    from tests.conftest import cdk_context

    context = {
        **cdk_context(),
        f"availability-zones:account={account_id}:region={region}": [
            f"{region}{zone}" for zone in "abc"
        ],
    }
    app = cdk.App(context=context, outdir=str(outdir))
    names = only if only is not None else list(EXAMPLE_STACKS)
    errors: dict[str, str] = {}
    for name in names:  # one at a time, so a stack that fails to build fails alone
        try:
            build_example_app(
                app,
                nag=False,
                only=[name],
                env=cdk.Environment(account=account_id, region=region),
                synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False),
                analytics_reporting=False,
            )
        except Exception as exc:
            errors[name] = f"{type(exc).__name__}: {exc}"
    app.synth()
    return Assembly(outdir=outdir, stack_names=names, errors=errors)
