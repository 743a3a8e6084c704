"""The topic of a :class:`~patterns.fan_out.TopicFanOut`, its key and its undeliverable DLQ."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs

from patterns.core.defaults import dead_letter_queue, encryption_key

if TYPE_CHECKING:
    from patterns.fan_out.construct import TopicFanOut

__all__ = ["add_topic", "add_topic_key", "add_undeliverable_queue"]


def add_topic_key(fan_out: TopicFanOut, *, removal_policy: RemovalPolicy) -> kms.Key:
    """``TopicKey``: encrypts the topic and the undeliverable DLQ; rotates yearly."""
    return encryption_key(
        fan_out,
        "TopicKey",
        description=f"Encrypts the SNS topic and undeliverable DLQ of {fan_out.node.path}",
        removal_policy=removal_policy,
    )


def add_topic(
    fan_out: TopicFanOut,
    key: kms.IKey,
    *,
    topic_name: str | None,
    display_name: str | None,
    fifo: bool,
    content_based_deduplication: bool,
    high_throughput_fifo: bool,
) -> sns.Topic:
    """``Topic``: KMS-encrypted, TLS-only; FIFO (and its options) when ``fifo``."""
    return sns.Topic(
        fan_out,
        "Topic",
        topic_name=topic_name,
        display_name=display_name,
        fifo=True if fifo else None,
        content_based_deduplication=True if content_based_deduplication else None,
        fifo_throughput_scope=(
            sns.FifoThroughputScope.MESSAGE_GROUP if high_throughput_fifo else None
        ),
        master_key=key,
        enforce_ssl=True,
    )


def add_undeliverable_queue(
    fan_out: TopicFanOut, key: kms.IKey, *, fifo: bool, removal_policy: RemovalPolicy
) -> sqs.Queue:
    """``UndeliverableDlq``: what SNS could not deliver to any subscriber, kept 14 days.

    The topic key's policy lets SNS encrypt what it moves there. The key cannot name the topic
    it encrypts (a circular dependency), so the statement is limited to SNS acting for this
    account. The queue keys get their statement - limited to this topic - from the SQS
    subscription itself.
    """
    queue = dead_letter_queue(
        fan_out, "UndeliverableDlq", encryption_key=key, fifo=fifo, removal_policy=removal_policy
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowSnsToDeliverUndeliverableMessages",
            principals=[iam.ServicePrincipal("sns.amazonaws.com")],
            # Sorted, as the @aws-cdk/aws-iam:minimizePolicies flag would write them: the key
            # policy is the same in every app.
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": Stack.of(fan_out).account}},
        )
    )
    return queue
