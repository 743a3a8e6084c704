"""``make deploy-local``: every example stack deployed to a fresh local emulator.

Starts moto's server on 127.0.0.1 (no AWS account, no Docker, no network), synthesizes every
example stack for deployment, deploys each with CloudFormation, prints its outputs and a
one-line smoke result, and stops the emulator. Exit status 1 if any stack failed.

    python -m tests.deploy.deploy_local [StackName ...]
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from emulator.server import DeployedStack, Emulator
from tests.deploy.examples import synthesize

Smoke = Callable[[Emulator, DeployedStack], str]


def _fan_out(emulator: Emulator, stack: DeployedStack) -> str:
    """Publish one event; count the copies in the queues."""
    sns, sqs = emulator.client("sns"), emulator.client("sqs")
    fifo = stack.outputs["TopicArn"].endswith(".fifo")
    message = json.dumps({"smoke": str(uuid.uuid4())})
    extra = {"MessageGroupId": "smoke"} if fifo else {}
    sns.publish(
        TopicArn=stack.outputs["TopicArn"],
        Message=message,
        MessageAttributes={"event_type": {"DataType": "String", "StringValue": "order_placed"}},
        **extra,
    )
    queues = {
        k.removesuffix("QueueUrl"): v for k, v in stack.outputs.items() if k.endswith("QueueUrl")
    }
    got = {}
    for name, url in queues.items():
        messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", [])
        got[name] = sum(message in (m["Body"], _envelope_message(m["Body"])) for m in messages)
    summary = ", ".join(f"{name} {count}" for name, count in got.items())
    ok = all(count == 1 for count in got.values())
    return f"{'OK' if ok else 'FAIL'}: 1 message published -> {summary}"


def _envelope_message(body: str) -> str:
    try:
        return str(json.loads(body).get("Message", ""))
    except (ValueError, AttributeError):
        return ""


def _stream(emulator: Emulator, stack: DeployedStack) -> str:
    """Put ten records; read them back from the bucket."""
    records = [json.dumps({"smoke": n}).encode() + b"\n" for n in range(10)]
    emulator.client("kinesis").put_records(
        StreamName=stack.outputs["StreamName"],
        Records=[{"Data": r, "PartitionKey": str(n)} for n, r in enumerate(records)],
    )
    s3 = emulator.client("s3")
    bucket = stack.outputs["BucketName"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    body = b"".join(_maybe_gunzip(s3.get_object(Bucket=bucket, Key=k)["Body"].read()) for k in keys)
    arrived = sum(r in body for r in records)
    first = keys[0] if keys else "-"
    ok = arrived == len(records)
    return f"{'OK' if ok else 'FAIL'}: {arrived}/{len(records)} records in s3://{bucket}/{first}"


def _maybe_gunzip(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


#: (does a stack's outputs show this data path?, smoke check): the first match runs.
SMOKES: list[tuple[Callable[[dict[str, str]], bool], Smoke]] = [
    (
        lambda out: (
            "TopicArn" in out
            and any(k.endswith("QueueUrl") for k in out)
            and not any(k.endswith("FunctionName") for k in out)
        ),  # a consumer drains the queue
        _fan_out,
    ),
    (lambda out: {"StreamName", "BucketName"} <= set(out), _stream),
]


def smoke(emulator: Emulator, stack: DeployedStack) -> str:
    for applies, check in SMOKES:
        if applies(stack.outputs):
            try:
                return check(emulator, stack)
            except Exception as exc:  # report, keep going with the other stacks
                return f"FAIL: {type(exc).__name__}: {exc}"
    return f"OK: {len(stack.resources)} resources created (control plane only)"


def main(argv: list[str]) -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="deploy-local-") as outdir:
        assembly = synthesize(Path(outdir), only=argv or None)
        failed = 0
        with Emulator() as emulator:
            print(
                f"emulator: moto server at {emulator.endpoint} (account {emulator.account_id}, "
                f"{emulator.region})\n"
            )
            for name in assembly.stack_names:
                try:
                    stack = emulator.deploy(assembly, name)
                except Exception as exc:
                    failed += 1
                    print(f"{name}: DEPLOY FAILED\n  {exc}\n")
                    continue
                print(f"{name}: {stack.status} ({len(stack.resources)} resources)")
                for key, value in stack.outputs.items():
                    print(f"  {key} = {value}")
                result = smoke(emulator, stack)
                failed += result.startswith("FAIL")
                print(f"  smoke: {result}\n")
    total = len(assembly.stack_names)
    print(
        f"{total - failed}/{total} stacks deployed and smoke-tested in "
        f"{time.monotonic() - started:.0f} s. The emulator authorizes the calls of the data "
        "paths it runs, but runs no real EC2/ELB traffic; `cdk deploy` to an account is the "
        "final check."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
