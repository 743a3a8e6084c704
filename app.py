#!/usr/bin/env python3
"""The example app: every example stack, with the cdk-nag packs active.

``make synth`` runs it through ``cdk synth``; an unacknowledged cdk-nag finding
fails the synthesis (the report is in ``cdk.out/validation-report.json``).
"""

import aws_cdk as cdk

from stacks import build_example_app

app = cdk.App()
build_example_app(app)
app.synth()
