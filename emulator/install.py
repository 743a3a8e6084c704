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

from emulator.authorization import AccessDenied
from emulator.base import Context, emulator_client
from emulator.firehose_bridge import BRIDGE
from emulator.gap_filler import GapFiller, resolve_dynamic_references
from emulator.invocation import POLLER, authorize_delivery, deliver_to_targets, invoke_async
from emulator.lambda_runner import LambdaRunner
from emulator.registry import HANDLERS, MOTO_DELETERS
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

    def deleting(original: Any) -> Any:
        def _delete_resource(self: Any, parsed_resource: Any, resource_json: Any) -> None:
            deleter = MOTO_DELETERS.get(resource_json.get("Type", ""))
            if deleter is None:
                original(self, parsed_resource, resource_json)
                return
            ctx = Context(self._account_id, self._region_name, "", "", "", endpoint)
            deleter(ctx, getattr(parsed_resource, "physical_resource_id", "") or "")

        return _delete_resource

    _patch(stack, parsing, "resource_class_from_type", resolver)
    _patch(stack, parsing, "clean_json", clean_json)
    _patch(stack, parsing.ResourceMap, "_delete_resource", deleting)
    _patch(stack, parsing.ResourceMap, "delete", lambda original: _delete_in_order)


def _references(value: Any, ids: set[str]) -> set[str]:
    """The logical ids among ``ids`` that ``value`` refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and inner in ids:
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                if target in ids:
                    found.add(target)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                found |= {m for m in re.findall(r"\$\{([^}.!]+)", str(text)) if m in ids}
                if isinstance(inner, list):
                    found |= _references(inner[1:], ids)
            else:
                found |= _references(inner, ids)
    elif isinstance(value, list):
        for inner in value:
            found |= _references(inner, ids)
    return found


def deletion_order(resources: dict[str, Any]) -> list[str]:
    """Logical ids in the order CloudFormation deletes them: a resource after everything that
    depends on it (``DependsOn``, ``Ref``, ``Fn::GetAtt``, ``Fn::Sub``); ties by id."""
    ids = set(resources)
    needs = {
        lid: _references(r.get("Properties", {}), ids - {lid})
        | ({r["DependsOn"]} if isinstance(r.get("DependsOn"), str) else set(r.get("DependsOn", [])))
        for lid, r in resources.items()
    }
    dependents: dict[str, set[str]] = {lid: set() for lid in ids}
    for lid, deps in needs.items():
        for dep in deps & ids:
            dependents[dep].add(lid)
    order: list[str] = []
    done: set[str] = set()
    while len(done) < len(ids):
        ready = sorted(lid for lid in ids - done if dependents[lid] <= done)
        if not ready:  # a cycle CloudFormation would have refused: the rest by id
            ready = sorted(ids - done)
        order += ready
        done |= set(ready)
    return order


def _delete_in_order(self: Any) -> None:
    """moto's ``ResourceMap.delete`` in CloudFormation's order (dependents first; moto takes
    them in set order, so a custom resource could outlive the policy its function needs),
    keeping moto's retry of what fails while the others go."""
    remaining = [
        lid
        for lid in deletion_order(self._resource_json_map)
        if self._resource_json_map[lid].get("DeletionPolicy") != "Retain"
    ]
    last: Exception | None = None
    previous = len(remaining) + 1
    while remaining and len(remaining) < previous:
        previous = len(remaining)
        for lid in list(remaining):
            parsed = self._parsed_resources.get(lid)
            try:
                if not isinstance(parsed, str) and parsed is not None:
                    self._delete_resource(parsed, self._resource_json_map[lid])
                    self._parsed_resources.pop(lid)
            except Exception as failed:  # a dependency violation: again in the next pass
                last = failed
            else:
                remaining.remove(lid)
    if remaining and last is not None:
        raise last


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
    """EventBridge rules deliver to Lambda, SQS and SNS targets, authorized
    (:func:`~emulator.invocation.deliver_to_targets`); moto delivers to the others."""
    from moto.events.models import Rule

    def delivering(original: Any) -> Any:
        def send_to_targets(self: Any, event: Any, transform_input: bool = True) -> None:
            others = deliver_to_targets(self, event, endpoint)
            if others:  # moto's own delivery, to the targets it knows
                rest = copy.copy(self)
                rest.targets = others
                original(rest, event, transform_input)

        return send_to_targets

    _patch(stack, Rule, "send_to_targets", delivering)


def _patch_sns(stack: contextlib.ExitStack) -> None:
    """SNS delivers to an SQS or Lambda subscription only if the queue's (function's) policy
    and the queue's key policy admit ``sns.amazonaws.com`` for the topic; a denied delivery goes
    to the subscription's dead-letter queue (if that queue admits the topic) or is lost."""
    from moto.sns.models import Subscription

    def authorized(original: Any) -> Any:
        def publish(self: Any, message: str, message_id: str, *args: Any, **kw: Any) -> None:
            if self.protocol not in ("sqs", "lambda"):
                return original(self, message, message_id, *args, **kw)  # type: ignore[no-any-return]
            matcher = self._filter_policy_matcher
            if matcher is not None and not matcher.matches(kw.get("message_attributes"), message):
                return None  # filtered out: SNS makes no delivery
            try:
                authorize_delivery("sns.amazonaws.com", self.endpoint, self.topic.arn)
            except AccessDenied:
                _redrive(self, original, message, message_id, *args, **kw)
                return None
            return original(self, message, message_id, *args, **kw)  # type: ignore[no-any-return]

        return publish

    def _redrive(subscription: Any, original: Any, *args: Any, **kw: Any) -> None:
        redrive = json.loads(subscription.attributes.get("RedrivePolicy") or "{}")
        dead_letter = redrive.get("deadLetterTargetArn")
        if not dead_letter or subscription.protocol != "sqs":
            return
        try:
            authorize_delivery("sns.amazonaws.com", dead_letter, subscription.topic.arn)
        except AccessDenied:
            return
        moved = copy.copy(subscription)
        moved.endpoint = dead_letter
        moved._filter_policy_matcher = None
        original(moved, *args, **kw)

    _patch(stack, Subscription, "publish", authorized)


def _patch_cloudwatch(stack: contextlib.ExitStack, endpoint: str) -> None:
    """An alarm that changes state notifies the SNS topics of its actions, as CloudWatch does:
    ``cloudwatch.amazonaws.com`` for the alarm, through the topic's policy and its key's."""
    from moto.cloudwatch.models import Alarm

    def notifying(original: Any) -> Any:
        def update_state(self: Any, reason: str, reason_data: str, state_value: str) -> None:
            previous = self.state_value
            original(self, reason, reason_data, state_value)
            if previous == state_value or not self.actions_enabled:
                return
            actions = {
                "ALARM": self.alarm_actions,
                "OK": self.ok_actions,
                "INSUFFICIENT_DATA": self.insufficient_data_actions,
            }[state_value]
            notification = json.dumps(
                {
                    "AlarmName": self.name,
                    "AlarmArn": self.alarm_arn,
                    "NewStateValue": state_value,
                    "OldStateValue": previous,
                    "NewStateReason": reason,
                }
            )
            for action in actions or []:
                if action.split(":")[2] != "sns":
                    continue
                try:
                    authorize_delivery("cloudwatch.amazonaws.com", action, self.alarm_arn)
                except AccessDenied:
                    continue  # recorded; the alarm history says "Failed to execute action"
                emulator_client(endpoint, action.split(":")[3], "sns").publish(
                    TopicArn=action, Subject=f"ALARM: {self.name}"[:100], Message=notification
                )

        return update_state

    _patch(stack, Alarm, "update_state", notifying)


@contextlib.contextmanager
def install(endpoint: str) -> Iterator[None]:
    """Switch the gap fillers on in this process (where the moto server runs) until exit."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(step_functions_interpreter(endpoint))
        _patch_cloudformation(stack, endpoint)
        _patch_kinesis(stack)
        _patch_lambda(stack, endpoint)
        _patch_events(stack, endpoint)
        _patch_sns(stack)
        _patch_cloudwatch(stack, endpoint)
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
