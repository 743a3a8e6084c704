"""Probes the deploy tests attach to deployed topics: a plain queue that receives what a topic
delivers, so a test sees whether a service's notification reached the topic."""

from __future__ import annotations

import json
import uuid
from typing import Any

from emulator.server import Emulator


def probe_queue(emulator: Emulator, topic_arn: str) -> str:
    """A new unencrypted queue subscribed to ``topic_arn`` (raw delivery; its policy admits
    the topic): returns its URL."""
    sqs, sns = emulator.client("sqs"), emulator.client("sns")
    name = f"probe-{uuid.uuid4().hex[:12]}"
    url = str(sqs.create_queue(QueueName=name)["QueueUrl"])
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    return url


def bodies(emulator: Emulator, queue_url: str) -> list[Any]:
    """The bodies now in the probe queue (JSON decoded where they are JSON), deleted."""
    from tests.deploy.conftest import drain

    found: list[Any] = []
    for message in drain(emulator.client("sqs"), queue_url):
        try:
            found.append(json.loads(message["Body"]))
        except ValueError:
            found.append(message["Body"])
    return found
