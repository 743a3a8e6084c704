"""A local AWS emulator (moto's server, in this process, on 127.0.0.1) and a deployer for it.

``Emulator`` starts ``moto.server.ThreadedMotoServer`` on a free loopback port with a fixed
account id and fake credentials, switches on the gap fillers of :mod:`emulator.registry`,
creates the CDK bootstrap assets bucket, and deploys synthesized stacks the way ``cdk deploy``
does: publish the file assets to the bootstrap bucket, then CloudFormation ``CreateStack``.
Every client it hands out has the emulator as an explicit ``endpoint_url``; nothing reads real
credentials or config files, nothing asks the instance metadata service.

:class:`Assembly` reads a cloud assembly synthesized for deployment (an explicit env, a
synthesizer without the bootstrap-version rule): any app's, not only the example app's.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]

from emulator import guard, install
from emulator.authorization import AUTHORIZER, Authorizer
from emulator.base import FAKE_CREDENTIALS, session_client
from emulator.deletion import DeletionReport, delete_and_verify
from emulator.invocation import SqsBatch, poll_queues, run_schedule
from emulator.policy import Decision
from emulator.requests import AuthorizingApp

__all__ = [
    "ACCOUNT_ID",
    "REGION",
    "Assembly",
    "DeployedStack",
    "Emulator",
    "UnsupportedResourceTypes",
]

#: moto's default account: in-process ``mock_aws`` tests see the same id if they ever overlap.
ACCOUNT_ID = "123456789012"
#: us-east-1: CloudFront's metrics (and so the edge stack's alarms) exist only there, and an
#: edge stack deployed anywhere else would differ from the snapshotted one.
REGION = "us-east-1"
#: The default CDK bootstrap qualifier (DefaultStackSynthesizer).
QUALIFIER = "hnb659fds"

#: Process environment while the emulator runs: fake credentials, no config files, no IMDS.
ENVIRONMENT = {
    "MOTO_ACCOUNT_ID": ACCOUNT_ID,
    "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
    "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
    "AWS_SESSION_TOKEN": FAKE_CREDENTIALS["aws_session_token"],
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
#: Removed while the emulator runs, so no real profile or container credentials are used.
UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


class UnsupportedResourceTypes(Exception):
    """A template holds types the emulator would skip silently (moto reports CREATE_COMPLETE)."""

    def __init__(self, stack_name: str, types: list[str]) -> None:
        self.types = types
        super().__init__(
            f"{stack_name}: the emulator does not implement {', '.join(types)}; moto would skip "
            "such resources and still report CREATE_COMPLETE. Add a handler to HANDLERS in "
            "emulator/services/ (see emulator.registry)."
        )


class DeployFailed(Exception):
    """The stack did not reach CREATE_COMPLETE."""


@dataclass
class Assembly:
    """Templates and asset manifests of stacks synthesized for deployment."""

    outdir: Path
    stack_names: list[str]
    #: stack name -> why its construction failed (the other stacks are still synthesized)
    errors: dict[str, str] = field(default_factory=dict)

    def template(self, stack_name: str) -> dict[str, Any]:
        if stack_name in self.errors:
            raise DeployFailed(f"{stack_name} was not synthesized: {self.errors[stack_name]}")
        template: dict[str, Any] = json.loads(
            (self.outdir / f"{stack_name}.template.json").read_text()
        )
        return template

    def assets(self, stack_name: str) -> dict[str, Any]:
        path = self.outdir / f"{stack_name}.assets.json"
        manifest: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        return manifest


@dataclass
class DeployedStack:
    name: str
    status: str
    outputs: dict[str, str]
    #: logical id -> (type, physical id)
    resources: dict[str, tuple[str, str]] = field(default_factory=dict)
    stack_id: str = ""

    def physical_id(self, logical_id_prefix: str, type_name: str | None = None) -> str:
        """The physical id of the one resource (of ``type_name``, if given) whose logical id
        starts with the prefix."""
        found = [
            pid
            for lid, (rtype, pid) in self.resources.items()
            if lid.startswith(logical_id_prefix) and type_name in (None, rtype)
        ]
        if len(found) != 1:
            raise KeyError(f"{len(found)} resources of {self.name} start with {logical_id_prefix}")
        return found[0]

    def role_arn(self, logical_id_prefix: str) -> str:
        """The ARN of the stack's IAM role whose logical id starts with the prefix."""
        name = self.physical_id(logical_id_prefix, "AWS::IAM::Role")
        account = self.stack_id.split(":")[4] if self.stack_id else ACCOUNT_ID
        return f"arn:aws:iam::{account}:role/{name}"


class Emulator:
    """moto's server on 127.0.0.1:<free port> in this process; use as a context manager."""

    def __init__(self, *, account_id: str = ACCOUNT_ID, region: str = REGION) -> None:
        self.account_id = account_id
        self.region = region
        self._stack = contextlib.ExitStack()
        self.endpoint = ""
        self._clients: dict[str, Any] = {}

    # -- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> Self:
        from moto.server import ThreadedMotoServer

        try:
            self._stack.enter_context(
                _environment({**ENVIRONMENT, "MOTO_ACCOUNT_ID": self.account_id})
            )
            self._stack.enter_context(_quiet("werkzeug"))
            AUTHORIZER.reset(self.account_id, self.region)
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            server.start()
            self._stack.callback(server.stop)
            # every request signed with a role session's keys is authorized first
            wsgi = server._server  # moto's werkzeug server (no public accessor)
            assert wsgi is not None
            wsgi.app = AuthorizingApp(wsgi.app, self.account_id)
            host, port = server.get_host_and_port()
            self.endpoint = f"http://{host}:{port}"
            self._stack.enter_context(install.install(self.endpoint))
            self._bootstrap()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _bootstrap(self) -> None:
        """What ``cdk bootstrap`` leaves that a deployment needs: the assets bucket."""
        s3 = self.client("s3")
        if self.region == "us-east-1":
            s3.create_bucket(Bucket=self.assets_bucket)
        else:
            s3.create_bucket(
                Bucket=self.assets_bucket,
                CreateBucketConfiguration={"LocationConstraint": self.region},
            )
        install.seed_ssm_parameters(self.account_id, self.region)
        # AWS-managed prefix lists every account sees (an origin's security group uses it)
        self.client("ec2").create_managed_prefix_list(
            PrefixListName="com.amazonaws.global.cloudfront.origin-facing",
            AddressFamily="IPv4",
            MaxEntries=60,
            Entries=[{"Cidr": "120.52.22.96/27"}, {"Cidr": "205.251.249.0/24"}],
        )

    @property
    def assets_bucket(self) -> str:
        return f"cdk-{QUALIFIER}-assets-{self.account_id}-{self.region}"

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` on the emulator (one per service: creating a client
        costs more than most calls)."""
        if service not in self._clients:
            self._clients[service] = boto3.session.Session(
                region_name=self.region, **FAKE_CREDENTIALS
            ).client(
                service,
                endpoint_url=self.endpoint,
                config=Config(retries={"max_attempts": 2}),
            )
        return self._clients[service]

    @property
    def authorizer(self) -> Authorizer:
        """Every authorization decision of this emulator; ``authorizer.denied`` the denials."""
        return AUTHORIZER

    def client_as(self, role_arn: str, service: str, *, principal: str) -> Any:
        """A client for ``service`` with the credentials ``principal`` (``lambda.amazonaws.com``
        ...) gets for the role - as the code that runs with the role would call: every call is
        authorized against the role's policies. Raises AccessDenied if the role's trust policy
        does not admit ``principal``."""
        session = AUTHORIZER.assume(role_arn, principal)
        return session_client(self.endpoint, self.region, service, session.credentials())

    def run_schedule(self, name: str, group: str = "default") -> Decision:
        """What EventBridge Scheduler does when the schedule fires (see
        :func:`emulator.invocation.run_schedule`)."""
        return run_schedule(self.account_id, self.region, name, group, self.endpoint)

    def poll_queues(self) -> list[SqsBatch]:
        """One round of Lambda's SQS poller: each SQS event source mapping invokes its function
        with a batch of the visible messages (see ``emulator.invocation``)."""
        return poll_queues()

    # -- deployment ---------------------------------------------------------------------
    def check_supported(self, stack_name: str, template: dict[str, Any]) -> None:
        """Refuse a template with a type moto would skip silently."""
        missing = guard.unsupported_types(template)
        if missing:
            raise UnsupportedResourceTypes(stack_name, missing)

    def publish_assets(self, manifest: dict[str, Any], assembly_dir: Path) -> None:
        """Upload file assets (Lambda code ...) where the template expects them."""
        if manifest.get("dockerImages"):
            raise DeployFailed("container image assets need Docker, which the emulator lacks")
        s3 = self.client("s3")
        for asset in manifest.get("files", {}).values():
            source = assembly_dir / asset["source"]["path"]
            if asset["source"].get("packaging") == "zip" or source.is_dir():
                body = _zip_directory(source)
            else:
                body = source.read_bytes()
            for destination in asset["destinations"].values():
                s3.put_object(
                    Bucket=self._substitute(destination["bucketName"]),
                    Key=self._substitute(destination["objectKey"]),
                    Body=body,
                )

    def _substitute(self, value: str) -> str:
        return (
            value.replace("${AWS::AccountId}", self.account_id)
            .replace("${AWS::Region}", self.region)
            .replace("${AWS::Partition}", "aws")
        )

    def deploy(self, assembly: Assembly, stack_name: str) -> DeployedStack:
        """Publish assets, create the stack and wait for CREATE_COMPLETE."""
        template = assembly.template(stack_name)
        self.check_supported(stack_name, template)
        self.publish_assets(assembly.assets(stack_name), assembly.outdir)
        return self.create_stack(stack_name, template)

    def create_stack(self, stack_name: str, template: dict[str, Any]) -> DeployedStack:
        """``CreateStack`` (after the guard) and wait for CREATE_COMPLETE."""
        self.check_supported(stack_name, template)
        cfn = self.client("cloudformation")
        cfn.create_stack(
            StackName=stack_name,
            TemplateBody=json.dumps(template),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        for _ in range(100):
            stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
            if not stack["StackStatus"].endswith("IN_PROGRESS"):
                break
            time.sleep(0.05)
        if stack["StackStatus"] != "CREATE_COMPLETE":
            events = cfn.describe_stack_events(StackName=stack_name)["StackEvents"]
            reasons = [
                e.get("ResourceStatusReason", "") for e in events if "FAILED" in e["ResourceStatus"]
            ]
            raise DeployFailed(f"{stack_name}: {stack['StackStatus']} {reasons}")
        resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
        return DeployedStack(
            name=stack_name,
            status=stack["StackStatus"],
            stack_id=stack["StackId"],
            outputs={o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
            # moto lists a skipped resource as an entry without logical id or type
            resources={
                r["LogicalResourceId"]: (r["ResourceType"], r.get("PhysicalResourceId", ""))
                for r in resources
                if r.get("LogicalResourceId")
            },
        )

    def delete_stack(self, stack_name: str, *, verify: bool = True) -> DeletionReport:
        """``DeleteStack``, then every resource of the stack looked up again: what was deleted,
        what a ``Retain`` policy kept, what remains that should not (see emulator.deletion).
        ``verify=False``: only ``DeleteStack`` (a throwaway stack: nothing is looked up)."""
        cfn = self.client("cloudformation")
        if not verify:
            try:
                cfn.delete_stack(StackName=stack_name)
            except Exception as failed:  # moto deletes synchronously
                return DeletionReport(stack_name, "DELETE_FAILED", error=str(failed))
            return DeletionReport(stack_name, "DELETE_COMPLETE")
        template = cfn.get_template(StackName=stack_name)["TemplateBody"]
        if isinstance(template, str):
            template = json.loads(template)
        resources = {
            r["LogicalResourceId"]: (r["ResourceType"], r.get("PhysicalResourceId", ""))
            for r in cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
            if r.get("LogicalResourceId")
        }
        return delete_and_verify(self.client, stack_name, template, resources)


def _zip_directory(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory).as_posix())
    return buffer.getvalue()


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """No access log line per request (the server would print one for every API call)."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (*values, *UNSET)}
    for name in UNSET:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
