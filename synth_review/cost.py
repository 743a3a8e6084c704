"""The idle baseline: what a stack costs per month with no traffic at all.

Counts, per stack, the resources billed by the hour or the month whatever the load
(NAT gateways, load balancers, DAX / MQ / EMR / EC2 instances, provisioned shards and
capacity units, Flink KPUs, KMS keys, secrets, interface endpoints, alarms, dashboards).
A small price table turns the counts into an estimate: its prices are dated, for one
region, and overridable (``--prices prices.json`` with ``{"as_of": ..., "region": ...,
"monthly": {"<driver>": usd}}``, the driver being the first column of the report).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth_review.model import Stack

__all__ = ["DEFAULT_PRICES", "IdleDriver", "PriceTable", "idle_drivers", "load_prices"]

HOURS_PER_MONTH = 730


@dataclass(frozen=True)
class PriceTable:
    as_of: str
    region: str
    #: driver -> USD per unit-month
    monthly: dict[str, float]
    source: str = "built-in"


#: AWS list prices (USD, on-demand) as published for us-east-1 - check them before
#: relying on them; override with ``--prices``. Instance-typed drivers (``dax:<type>``,
#: ``ec2:<type>``, ``mq:<type>``) are priced only where the table lists the type.
DEFAULT_PRICES = PriceTable(
    as_of="2024-06",
    region="us-east-1",
    monthly={
        "NAT gateway": 0.045 * HOURS_PER_MONTH,
        "Application load balancer": 0.0225 * HOURS_PER_MONTH,
        "Network load balancer": 0.0225 * HOURS_PER_MONTH,
        "KMS key": 1.0,
        "Secrets Manager secret": 0.40,
        "CloudWatch alarm": 0.10,
        "CloudWatch dashboard": 3.0,
        "Kinesis shard (provisioned)": 0.015 * HOURS_PER_MONTH,
        "Kinesis stream (on-demand)": 0.04 * HOURS_PER_MONTH,
        "Flink KPU": 0.11 * HOURS_PER_MONTH,
        "Interface endpoint ENI": 0.01 * HOURS_PER_MONTH,
        "DynamoDB WCU (provisioned)": 0.00065 * HOURS_PER_MONTH,
        "DynamoDB RCU (provisioned)": 0.00013 * HOURS_PER_MONTH,
        "WAF web ACL": 5.0,
    },
)


@dataclass(frozen=True)
class IdleDriver:
    driver: str  # price-table key
    count: float
    detail: str  # which resources, with construct paths

    def monthly(self, prices: PriceTable) -> float | None:
        price = prices.monthly.get(self.driver)
        return None if price is None else price * self.count


def load_prices(path: Path | None) -> PriceTable:
    if path is None:
        return DEFAULT_PRICES
    data = json.loads(path.read_text())
    return PriceTable(
        as_of=str(data.get("as_of", "unknown date")),
        region=str(data.get("region", "unknown region")),
        monthly={**DEFAULT_PRICES.monthly, **{k: float(v) for k, v in data["monthly"].items()}},
        source=str(path),
    )


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def idle_drivers(stack: Stack) -> list[IdleDriver]:
    """The idle cost drivers of one stack (unresolved counts are shown as 0 + a note)."""
    drivers: list[IdleDriver] = []

    def add(driver: str, count: float, detail: str) -> None:
        if count:
            drivers.append(IdleDriver(driver, count, detail))

    def where(type_name: str) -> str:
        return ", ".join(r.display_path for r in stack.of_type(type_name))

    add(
        "NAT gateway",
        len(list(stack.of_type("AWS::EC2::NatGateway"))),
        where("AWS::EC2::NatGateway"),
    )
    for lb in stack.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        kind = str(lb.properties.get("Type", "application"))
        name = {"network": "Network", "gateway": "Gateway"}.get(kind, "Application")
        add(f"{name} load balancer", 1, lb.display_path)
    add("KMS key", len(list(stack.of_type("AWS::KMS::Key"))), "customer managed keys")
    add(
        "Secrets Manager secret",
        len(list(stack.of_type("AWS::SecretsManager::Secret"))),
        where("AWS::SecretsManager::Secret"),
    )
    add("CloudWatch alarm", len(list(stack.of_type("AWS::CloudWatch::Alarm"))), "standard alarms")
    add("CloudWatch dashboard", len(list(stack.of_type("AWS::CloudWatch::Dashboard"))), "")
    add("WAF web ACL", len(list(stack.of_type("AWS::WAFv2::WebACL"))), where("AWS::WAFv2::WebACL"))
    for endpoint in stack.of_type("AWS::EC2::VPCEndpoint"):
        if endpoint.properties.get("VpcEndpointType") == "Interface":
            subnets = endpoint.properties.get("SubnetIds")
            azs = len(subnets) if isinstance(subnets, list) else 1
            add("Interface endpoint ENI", azs, f"{endpoint.display_path} ({azs} AZ)")
    for dax in stack.of_type("AWS::DAX::Cluster"):
        node_type = dax.properties.get("NodeType", "?")
        add(f"dax:{node_type}", _int(dax.properties.get("ReplicationFactor"), 1), dax.display_path)
    for broker in stack.of_type("AWS::AmazonMQ::Broker"):
        mode = broker.properties.get("DeploymentMode", "SINGLE_INSTANCE")
        instances = {"ACTIVE_STANDBY_MULTI_AZ": 2, "CLUSTER_MULTI_AZ": 3}.get(str(mode), 1)
        add(
            f"mq:{broker.properties.get('HostInstanceType', '?')}",
            instances,
            f"{broker.display_path} ({mode})",
        )
    for emr in stack.of_type("AWS::EMR::Cluster"):
        emr_instances: dict[str, Any] = emr.properties.get("Instances") or {}
        for role in ("Master", "Core"):
            group = emr_instances.get(f"{role}InstanceGroup")
            fleet = emr_instances.get(f"{role}InstanceFleet")
            if isinstance(group, dict):
                count = _int(group.get("InstanceCount"), 1)
                add(
                    f"ec2:{group.get('InstanceType', '?')}",
                    count,
                    f"{emr.display_path} {role.lower()}",
                )
            elif isinstance(fleet, dict):
                count = _int(fleet.get("TargetOnDemandCapacity")) + _int(
                    fleet.get("TargetSpotCapacity")
                )
                add(f"EMR {role.lower()} fleet units", count, emr.display_path)
    for asg in stack.of_type("AWS::AutoScaling::AutoScalingGroup"):
        add("EC2 instance (ASG minimum)", _int(asg.properties.get("MinSize")), asg.display_path)
    for env in stack.of_type("AWS::Batch::ComputeEnvironment"):
        resources = env.properties.get("ComputeResources") or {}
        add("Batch vCPU (minimum)", _int(resources.get("MinvCpus")), env.display_path)
    for stream in stack.of_type("AWS::Kinesis::Stream"):
        mode = (stream.properties.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
        if mode == "ON_DEMAND":
            add("Kinesis stream (on-demand)", 1, stream.display_path)
        else:
            shards = _int(stream.properties.get("ShardCount"), 1)
            add("Kinesis shard (provisioned)", shards, stream.display_path)
    for app in stack.of_type("AWS::KinesisAnalyticsV2::Application"):
        config = (app.properties.get("ApplicationConfiguration") or {}).get(
            "FlinkApplicationConfiguration"
        ) or {}
        parallelism = config.get("ParallelismConfiguration") or {}
        p = _int(parallelism.get("Parallelism"), 1)
        per_kpu = max(1, _int(parallelism.get("ParallelismPerKPU"), 1))
        kpus = -(-p // per_kpu) + 1  # + 1 KPU for the application's orchestration
        add("Flink KPU", kpus, f"{app.display_path} (parallelism {p}, {per_kpu}/KPU, +1)")
    for table in stack.of_type("AWS::DynamoDB::Table"):
        if table.properties.get("BillingMode", "PROVISIONED") != "PROVISIONED":
            continue
        throughputs = [table.properties.get("ProvisionedThroughput") or {}]
        throughputs += [
            gsi.get("ProvisionedThroughput") or {}
            for gsi in table.properties.get("GlobalSecondaryIndexes") or []
        ]
        rcu = sum(_int(t.get("ReadCapacityUnits")) for t in throughputs)
        wcu = sum(_int(t.get("WriteCapacityUnits")) for t in throughputs)
        detail = f"{table.display_path} (table + {len(throughputs) - 1} GSI, at the minimum)"
        add("DynamoDB RCU (provisioned)", rcu, detail)
        add("DynamoDB WCU (provisioned)", wcu, detail)
    return drivers
