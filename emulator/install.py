"""Switch the gap fillers on in the process that runs the moto server (:func:`install`),
and seed the public SSM parameters (AMI ids) that the example stacks resolve."""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from emulator.firehose_bridge import BRIDGE
from emulator.gap_filler import GapFiller, resolve_dynamic_references
from emulator.invocation import POLLER, deliver_to_functions, invoke_async
from emulator.lambda_runner import LambdaRunner
from emulator.registry import HANDLERS
from emulator.stepfunctions_interpreter import step_functions_interpreter


def _patch(stack: contextlib.ExitStack, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    """Replace ``owner.name`` with ``make(original)`` until ``stack`` closes."""
    original = getattr(owner, name)
    setattr(owner, name, make(original))
    stack.callback(setattr, owner, name, original)


def _patch_cloudformation(stack: contextlib.ExitStack, endpoint: str) -> None:
    """moto's CloudFormation creates our gap fillers' types and resolves dynamic references."""
    from moto.cloudformation import parsing

    classes: dict[str, Any] = {
        type_name: type(
            "GapFiller_" + re.sub(r"\W", "_", type_name),
            (GapFiller,),
            {"type_name": type_name, "handler": staticmethod(handler), "endpoint": endpoint},
        )
        for type_name, handler in HANDLERS.items()
    }
    for type_name, cls in classes.items():
        cls.moto_class = parsing.get_model_map().get(type_name)

    def resolver(original: Any) -> Any:
        return lambda resource_type: classes.get(resource_type) or original(resource_type)

    def clean_json(original: Any) -> Any:
        def clean(resource_json: Any, resources_map: Any) -> Any:
            cleaned = original(resource_json, resources_map)
            if isinstance(cleaned, str) and "{{resolve:" in cleaned:
                return resolve_dynamic_references(cleaned, endpoint, resources_map["AWS::Region"])
            return cleaned

        return clean

    _patch(stack, parsing, "resource_class_from_type", resolver)
    _patch(stack, parsing, "clean_json", clean_json)


def _patch_kinesis(stack: contextlib.ExitStack) -> None:
    """Every put on a stream pumps the Firehose bridge (Kinesis -> Firehose -> S3)."""
    from moto.kinesis.models import KinesisBackend

    def pumping(original: Any) -> Any:
        def put(self: Any, stream_arn: Any, stream_name: Any, *args: Any, **kw: Any) -> Any:
            result = original(self, stream_arn, stream_name, *args, **kw)
            BRIDGE.pump(self.describe_stream(stream_arn=stream_arn, stream_name=stream_name))
            return result

        return put

    _patch(stack, KinesisBackend, "put_record", pumping)
    _patch(stack, KinesisBackend, "put_records", pumping)
    stack.callback(BRIDGE.routes.clear)


def _patch_lambda(stack: contextlib.ExitStack, endpoint: str) -> None:
    """Python functions run in a subprocess; ``Event`` invocations are asynchronous; event
    source mappings are polled by :data:`~emulator.invocation.POLLER`."""
    from moto.awslambda.models import LambdaBackend, LambdaFunction

    runner = LambdaRunner(endpoint)
    stack.callback(runner.workdir.cleanup)

    def function_invoke(original: Any) -> Any:
        def invoke(self: Any, body: Any, request_headers: Any, response_headers: Any) -> Any:
            if (request_headers or {}).get("X-Amz-Invocation-Type") == "Event":
                invoke_async(self, json.loads(body) if body else {}, endpoint)
                return b""
            return original(self, body, request_headers, response_headers)

        return invoke

    def adopting(original: Any) -> Any:
        def create_event_source_mapping(self: Any, spec: Any) -> Any:
            mapping = original(self, spec)
            POLLER.adopt(mapping)
            return mapping

        return create_event_source_mapping

    _patch(
        stack,
        LambdaFunction,
        "_invoke_lambda",
        lambda original: lambda self, event=None: runner.invoke(self, event),
    )
    _patch(stack, LambdaFunction, "invoke", function_invoke)
    _patch(stack, LambdaBackend, "create_event_source_mapping", adopting)
    POLLER.endpoint = endpoint
    stack.callback(POLLER.mappings.clear)


def _patch_events(stack: contextlib.ExitStack, endpoint: str) -> None:
    """EventBridge rules deliver to Lambda targets (moto has no Lambda target)."""
    from moto.events.models import Rule

    def delivering(original: Any) -> Any:
        def send_to_targets(self: Any, event: Any, transform_input: bool = True) -> None:
            others = [t for t in self.targets if t["Arn"].split(":")[2] != "lambda"]
            if len(others) == len(self.targets):
                return original(self, event, transform_input)  # type: ignore[no-any-return]
            deliver_to_functions(self, event, endpoint)
            if others:  # moto's own delivery, to the targets it knows
                rest = copy.copy(self)
                rest.targets = others
                original(rest, event, transform_input)
            return None

        return send_to_targets

    _patch(stack, Rule, "send_to_targets", delivering)


@contextlib.contextmanager
def install(endpoint: str) -> Iterator[None]:
    """Switch the gap fillers on in this process (where the moto server runs) until exit."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(step_functions_interpreter(endpoint))
        _patch_cloudformation(stack, endpoint)
        _patch_kinesis(stack)
        _patch_lambda(stack, endpoint)
        _patch_events(stack, endpoint)
        yield


#: Public SSM parameters of AMI look-ups (``ec2.MachineImage.latest_amazon_linux2023()`` ...):
#: a template resolves them through ``AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>``.
AMI_PARAMETERS = (
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
    "/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2",
    "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id",
)


def seed_ssm_parameters(
    account_id: str, region: str, names: tuple[str, ...] = AMI_PARAMETERS
) -> str:
    """Point the public AMI parameters at an image the emulator's EC2 knows, and return its id.

    moto ships copies of these parameters with real AMI ids that its EC2 does not have, and the
    SSM API refuses names under ``/aws``, so this writes a new version in the backend.
    """
    from moto.ec2.models import ec2_backends
    from moto.ssm.models import Parameter, ssm_backends

    image_id = sorted(ec2_backends[account_id][region].amis)[0]
    parameters = ssm_backends[account_id][region]._parameters
    for name in names:
        parameters._check_loading_status(name)  # moto's copy first, so ours is the latest
        versions = parameters[name]
        versions.append(
            Parameter(  # type: ignore[abstract]  # moto instantiates it the same way
                account_id=account_id,
                name=name,
                value=image_id,
                parameter_type="String",
                description="seeded by the deploy tier",
                allowed_pattern=None,
                keyid=None,
                last_modified_date=datetime.now(UTC),
                version=len(versions) + 1,
                data_type="aws:ec2:image",
            )
        )
    return image_id
