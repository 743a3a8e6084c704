"""A local AWS emulator for deploying synthesized CDK stacks: moto's server on 127.0.0.1,
plus the gap fillers that make moto's CloudFormation create what it would otherwise skip.

- :mod:`emulator.server` - :class:`~emulator.server.Emulator` (start the server, bootstrap,
  publish assets, ``CreateStack``) and :class:`~emulator.server.Assembly` (a cloud assembly
  synthesized for deployment);
- :mod:`emulator.registry` - CloudFormation type -> gap filler, merged from
  :mod:`emulator.services` (one module per AWS service);
- :mod:`emulator.guard` - the types a template needs that nothing implements (refused before
  ``CreateStack``, never skipped silently);
- behaviour moto lacks, switched on by :func:`emulator.install.install`:
  :mod:`emulator.firehose_bridge`, :mod:`emulator.lambda_runner`, :mod:`emulator.invocation`,
  :mod:`emulator.stepfunctions_interpreter`.

No AWS account, no Docker, no network: every client has the emulator as its endpoint and fake
credentials. This package is test tooling of the repository, not part of the construct wheel.
"""
