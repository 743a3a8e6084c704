"""What a stack creates: resources by type and pattern, alarms and where they notify,
encryption and retention of every stateful resource."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from synth_review.changes import STATEFUL_TYPES
from synth_review.iam import flatten
from synth_review.model import Resource, Stack, references

__all__ = ["Alarm", "Storage", "alarms", "by_pattern", "by_type", "storage"]


def by_type(stack: Stack) -> list[tuple[str, int]]:
    return sorted(Counter(r.type for r in stack.resources.values()).items())


def by_pattern(stack: Stack) -> list[tuple[str, Counter[str]]]:
    groups: dict[str, Counter[str]] = {}
    for resource in stack.resources.values():
        groups.setdefault(resource.group, Counter())[resource.type] += 1
    return sorted(groups.items())


@dataclass(frozen=True)
class Alarm:
    path: str
    metric: str
    condition: str
    notifies: tuple[str, ...]  # topic construct paths (or ARNs as written)
    description: str


_COMPARISON = {
    "GreaterThanThreshold": ">",
    "GreaterThanOrEqualToThreshold": ">=",
    "LessThanThreshold": "<",
    "LessThanOrEqualToThreshold": "<=",
    "GreaterThanUpperThreshold": "> band",
    "LessThanLowerThreshold": "< band",
    "LessThanLowerOrGreaterThanUpperThreshold": "outside band",
}


def _target(stack: Stack, value: Any) -> str:
    hit = [stack.path_of(r) for r in references(value) if r in stack.resources]
    return ", ".join(hit) if hit else flatten(value)


def alarms(stack: Stack) -> list[Alarm]:
    result = []
    for alarm in stack.of_type("AWS::CloudWatch::Alarm"):
        p = alarm.properties
        if "MetricName" in p:
            dims = ", ".join(
                f"{d.get('Name')}={_target(stack, d.get('Value'))}"
                for d in p.get("Dimensions") or []
            )
            statistic = p.get("Statistic") or p.get("ExtendedStatistic") or ""
            metric = f"{p.get('Namespace')}/{p['MetricName']} {statistic}"
            metric += f" ({dims})" if dims else ""
        else:
            returned = [m for m in p.get("Metrics") or [] if m.get("ReturnData", True)]
            metric = " ; ".join(str(m.get("Expression") or m.get("Id")) for m in returned) or "?"
            metric = f"expression: {metric}"
        op = _COMPARISON.get(str(p.get("ComparisonOperator")), str(p.get("ComparisonOperator")))
        period = p.get("Period")
        window = (
            f" for {p.get('EvaluationPeriods')} x {period} s"
            if period
            else f" for {p.get('EvaluationPeriods')} periods"
        )
        threshold = p.get("Threshold", p.get("ThresholdMetricId", "?"))
        notifies = tuple(
            dict.fromkeys(
                _target(stack, action)
                for key in ("AlarmActions", "OKActions", "InsufficientDataActions")
                for action in p.get(key) or []
            )
        )
        result.append(
            Alarm(
                alarm.display_path,
                metric,
                f"{op} {threshold}{window}",
                notifies,
                str(p.get("AlarmDescription", "")),
            )
        )
    return sorted(result, key=lambda a: a.path)


@dataclass(frozen=True)
class Storage:
    path: str
    type: str
    encryption: str
    retention: str
    deletion_policy: str
    update_replace_policy: str


def _get(props: dict[str, Any], *keys: str) -> Any:
    value: Any = props
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _key(stack: Stack, value: Any) -> str:
    return f"KMS {_target(stack, value)}" if value else ""


def _encryption(stack: Stack, r: Resource) -> str:
    p = r.properties
    t = r.type
    if t == "AWS::S3::Bucket":
        rules = _get(p, "BucketEncryption", "ServerSideEncryptionConfiguration") or []
        for rule in rules:
            default = rule.get("ServerSideEncryptionByDefault") or {}
            if default.get("KMSMasterKeyID"):
                return _key(stack, default["KMSMasterKeyID"])
            if default.get("SSEAlgorithm"):
                return f"SSE {default['SSEAlgorithm']}"
        return "SSE-S3 (S3 default)"
    if t in ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"):
        sse = p.get("SSESpecification") or {}
        if sse.get("KMSMasterKeyId"):
            return _key(stack, sse["KMSMasterKeyId"])
        return "AWS managed KMS key" if sse.get("SSEEnabled") else "AWS owned key (default)"
    if t == "AWS::Kinesis::Stream":
        enc = p.get("StreamEncryption") or {}
        return _key(stack, enc.get("KeyId")) or "NONE"
    if t == "AWS::SQS::Queue":
        if p.get("KmsMasterKeyId"):
            return _key(stack, p["KmsMasterKeyId"])
        return "SQS managed SSE" if p.get("SqsManagedSseEnabled", True) else "NONE"
    if t == "AWS::KMS::Key":
        return "rotation on" if p.get("EnableKeyRotation") else "rotation OFF"
    if t in ("AWS::Logs::LogGroup", "AWS::KinesisVideo::Stream", "AWS::SecretsManager::Secret"):
        key = p.get("KmsKeyId")
        default = {"AWS::Logs::LogGroup": "CloudWatch Logs default"}.get(t, "AWS managed key")
        return _key(stack, key) or default
    if t == "AWS::AmazonMQ::Broker":
        enc = p.get("EncryptionOptions") or {}
        return _key(stack, enc.get("KmsKeyId")) or "AWS owned key"
    if t == "AWS::EMR::Cluster":
        conf = p.get("SecurityConfiguration")
        return f"security configuration {_target(stack, conf)}" if conf else "NONE"
    if t in ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::DocDB::DBCluster"):
        return _key(stack, p.get("KmsKeyId")) or ("on" if p.get("StorageEncrypted") else "OFF")
    if t == "AWS::EFS::FileSystem":
        return _key(stack, p.get("KmsKeyId")) or ("on" if p.get("Encrypted") else "OFF")
    if t == "AWS::KinesisAnalyticsV2::Application":
        return "service managed"
    return "see template"


def _retention(r: Resource) -> str:
    p = r.properties
    t = r.type
    if t == "AWS::S3::Bucket":
        parts = []
        for rule in _get(p, "LifecycleConfiguration", "Rules") or []:
            if rule.get("ExpirationInDays"):
                parts.append(f"expire {rule['ExpirationInDays']} d")
            nc = rule.get("NoncurrentVersionExpiration") or {}
            if nc.get("NoncurrentDays"):
                parts.append(f"old versions {nc['NoncurrentDays']} d")
            for tr in rule.get("Transitions") or []:
                parts.append(f"{tr.get('StorageClass')} after {tr.get('TransitionInDays')} d")
        versioning = _get(p, "VersioningConfiguration", "Status")
        parts.append(f"versioning {versioning or 'off'}")
        return ", ".join(parts)
    if t == "AWS::SQS::Queue":
        seconds = p.get("MessageRetentionPeriod", 345600)
        return (
            f"messages {int(seconds) / 86400:g} d"
            if isinstance(seconds, int)
            else json.dumps(seconds)
        )
    if t == "AWS::Kinesis::Stream":
        return f"{p.get('RetentionPeriodHours', 24)} h"
    if t == "AWS::KinesisVideo::Stream":
        return f"{p.get('DataRetentionInHours', 0)} h"
    if t == "AWS::Logs::LogGroup":
        days = p.get("RetentionInDays")
        return f"{days} d" if days else "NEVER EXPIRES"
    if t in ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"):
        pitr = _get(p, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")
        ttl = _get(p, "TimeToLiveSpecification", "AttributeName")
        protection = "deletion protection" if p.get("DeletionProtectionEnabled") else ""
        parts = [f"PITR {'on' if pitr else 'off'}", f"TTL {ttl}" if ttl else "", protection]
        return ", ".join(x for x in parts if x)
    if t == "AWS::KMS::Key":
        return f"deletion window {p.get('PendingWindowInDays', 30)} d"
    if t == "AWS::KinesisAnalyticsV2::Application":
        snaps = _get(
            p, "ApplicationConfiguration", "ApplicationSnapshotConfiguration", "SnapshotsEnabled"
        )
        return f"snapshots {'on' if snaps else 'off'}"
    return ""


def storage(stack: Stack) -> list[Storage]:
    return sorted(
        (
            Storage(
                r.display_path,
                r.type,
                _encryption(stack, r),
                _retention(r),
                r.deletion_policy,
                r.update_replace_policy,
            )
            for r in stack.resources.values()
            if r.type in STATEFUL_TYPES
        ),
        key=lambda s: (s.type, s.path),
    )
