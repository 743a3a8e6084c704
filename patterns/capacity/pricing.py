"""A dated, cited price table (us-east-1 public list prices) and the monthly cost of a plan.

Every entry names the AWS pricing page it comes from and the date it was read. Where the
stored copy of the page did not show the figure (the prices are rendered by script), the
entry says ``confirmed=False``: the price is the list price as published in third-party
summaries of that page - check it before quoting it. A user passes their own table (another
Region, a negotiated rate) to :func:`price_table` or :func:`monthly_cost`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patterns.capacity._numbers import exact
from patterns.capacity.plan import LoadPlan

__all__ = [
    "HOURS_PER_MONTH",
    "PRICES_READ_ON",
    "SECONDS_PER_MONTH",
    "US_EAST_1",
    "CostLine",
    "MonthlyCost",
    "Price",
    "monthly_cost",
    "price_table",
]

#: The month the AWS pricing pages and calculator use: 730 hours.
HOURS_PER_MONTH = 730
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3_600
#: When the table below was read.
PRICES_READ_ON = "2026-12-01"


@dataclass(frozen=True)
class Price:
    """One list price.

    Attributes:
        usd: US dollars per ``unit``.
        unit: what is billed (``"shard-hour"``, ``"million requests"``).
        per: how many of the usage quantity one ``unit`` is (1,000,000 for a price per
            million requests, where the usage counts requests).
        source: the AWS pricing page.
        read_on: the date the page was read.
        confirmed: False when the stored copy of the page did not show the figure.
    """

    usd: float
    unit: str
    source: str
    per: int = 1
    read_on: str = PRICES_READ_ON
    confirmed: bool = True


def _p(usd: str, unit: str, page: str, per: int = 1, confirmed: bool = False) -> Price:
    return Price(float(Fraction(usd)), unit, page, per=per, confirmed=confirmed)


_AWS = "https://aws.amazon.com"
_LAMBDA_WHITEPAPER = (
    "https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html"
)
_M = 1_000_000

#: us-east-1 list prices, by the keys the plans' ``usage`` uses.
US_EAST_1: Mapping[str, Price] = {
    "dynamodb.rcu-hour": _p("0.00013", "RCU-hour", f"{_AWS}/dynamodb/pricing/provisioned/"),
    "dynamodb.wcu-hour": _p("0.00065", "WCU-hour", f"{_AWS}/dynamodb/pricing/provisioned/"),
    "dynamodb.read-request-units": _p(
        "0.125", "million read request units", f"{_AWS}/dynamodb/pricing/on-demand/", per=_M
    ),
    "dynamodb.write-request-units": _p(
        "0.625", "million write request units", f"{_AWS}/dynamodb/pricing/on-demand/", per=_M
    ),
    "dynamodb.storage-gb-month": _p("0.25", "GB-month", f"{_AWS}/dynamodb/pricing/on-demand/"),
    "lambda.requests": _p("0.20", "million requests", _LAMBDA_WHITEPAPER, per=_M, confirmed=True),
    "lambda.gb-second": _p("0.0000166667", "GB-second", _LAMBDA_WHITEPAPER, confirmed=True),
    "sqs.standard-requests": _p("0.40", "million requests", f"{_AWS}/sqs/pricing/", per=_M),
    "sqs.fifo-requests": _p("0.50", "million requests", f"{_AWS}/sqs/pricing/", per=_M),
    "sns.standard-publishes": _p("0.50", "million requests", f"{_AWS}/sns/pricing/", per=_M),
    "sns.fifo-publishes": _p("0.30", "million requests", f"{_AWS}/sns/pricing/", per=_M),
    "sns.fifo-publish-gb": _p("0.017", "GB published", f"{_AWS}/sns/pricing/"),
    "kinesis.shard-hour": _p("0.015", "shard-hour", f"{_AWS}/kinesis/data-streams/pricing/"),
    "kinesis.put-payload-units": _p(
        "0.014", "million PUT payload units", f"{_AWS}/kinesis/data-streams/pricing/", per=_M
    ),
    "kinesis.on-demand-stream-hour": _p(
        "0.04", "stream-hour", f"{_AWS}/kinesis/data-streams/pricing/"
    ),
    "kinesis.on-demand-gb-in": _p("0.08", "GB written", f"{_AWS}/kinesis/data-streams/pricing/"),
    "kinesis.on-demand-gb-out": _p("0.04", "GB read", f"{_AWS}/kinesis/data-streams/pricing/"),
    "firehose.gb-ingested": _p("0.029", "GB ingested", f"{_AWS}/firehose/pricing/"),
    "s3.put-requests": _p("0.005", "1,000 PUT requests", f"{_AWS}/s3/pricing/", per=1_000),
    "s3.storage-gb-month": _p("0.023", "GB-month (Standard)", f"{_AWS}/s3/pricing/"),
    "flink.kpu-hour": _p("0.11", "KPU-hour", f"{_AWS}/managed-service-apache-flink/pricing/"),
    "flink.storage-gb-month": _p(
        "0.10", "GB-month running storage", f"{_AWS}/managed-service-apache-flink/pricing/"
    ),
    # read on the page: "US East (N. Virginia) $0.0250" per 1,000 state transitions
    "stepfunctions.state-transitions": _p(
        "0.025",
        "1,000 state transitions",
        f"{_AWS}/step-functions/pricing/",
        per=1_000,
        confirmed=True,
    ),
    "stepfunctions.express-requests": _p(
        "1.00", "million requests", f"{_AWS}/step-functions/pricing/", per=_M
    ),
    "stepfunctions.express-gb-second": _p(
        "0.00001667", "GB-second", f"{_AWS}/step-functions/pricing/"
    ),
    "alb.hour": _p("0.0225", "load balancer-hour", f"{_AWS}/elasticloadbalancing/pricing/"),
    "alb.lcu-hour": _p("0.008", "LCU-hour", f"{_AWS}/elasticloadbalancing/pricing/"),
    "ec2.t3.micro-hour": _p("0.0104", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "ec2.t3.small-hour": _p("0.0208", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "ec2.t3.medium-hour": _p("0.0416", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "ec2.t4g.micro-hour": _p("0.0084", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "ec2.t4g.small-hour": _p("0.0168", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "ec2.t4g.medium-hour": _p("0.0336", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "ec2.m5.large-hour": _p("0.096", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "ec2.c5.large-hour": _p("0.085", "instance-hour", f"{_AWS}/ec2/pricing/on-demand/"),
    "fargate.vcpu-hour": _p("0.04048", "vCPU-hour", f"{_AWS}/fargate/pricing/"),
    "fargate.gb-hour": _p("0.004445", "GB-hour", f"{_AWS}/fargate/pricing/"),
}


def price_table(
    overrides: Mapping[str, Price | float] | None = None,
    base: Mapping[str, Price] = US_EAST_1,
) -> dict[str, Price]:
    """``base`` with ``overrides`` applied.

    Args:
        overrides: a :class:`Price`, or a bare number of US dollars per the base entry's unit
            (a negotiated rate), by key. A key the base does not have needs a :class:`Price`.
        base: the table to start from. Default :data:`US_EAST_1`.

    Raises:
        ValueError: a bare number for an unknown key, or a negative or non-finite price.
    """
    table = dict(base)
    for key, value in (overrides or {}).items():
        if isinstance(value, Price):
            usd: object = value.usd
            entry = value
        elif key in table:
            usd = value
            entry = Price(
                float(value), table[key].unit, "user-supplied", per=table[key].per, read_on=""
            )
        else:
            raise ValueError(f"prices[{key!r}] is not in the base table: pass a Price for it")
        if isinstance(usd, bool) or not isinstance(usd, int | float) or not 0 <= usd < 1e9:
            raise ValueError(f"prices[{key!r}] must be a price >= 0 US dollars, got {usd!r}")
        table[key] = entry
    return table


@dataclass(frozen=True)
class CostLine:
    """One priced usage: ``quantity`` of ``key`` at ``price`` -> ``usd``."""

    key: str
    quantity: float
    price: Price
    usd: float


@dataclass(frozen=True)
class MonthlyCost:
    """What a plan costs per month at its load.

    Attributes:
        usd: the total in US dollars.
        lines: one per usage, largest first.
        unconfirmed: keys of prices whose figure is not confirmed from the pricing page.
    """

    usd: float
    lines: tuple[CostLine, ...]
    unconfirmed: tuple[str, ...]

    def summary(self) -> str:
        """``$123.45/month``, plus ``(unconfirmed prices)`` when some are."""
        flag = " (unconfirmed prices)" if self.unconfirmed else ""
        return f"${self.usd:,.2f}/month{flag}"


def monthly_cost(
    plan: LoadPlan | Mapping[str, float],
    prices: Mapping[str, Price | float] | None = None,
) -> MonthlyCost:
    """Price a plan's monthly usage (capacity-hours, requests, data, storage).

    Args:
        plan: a :class:`~patterns.capacity.LoadPlan`, or a usage mapping (key -> quantity).
        prices: overrides of (or additions to) :data:`US_EAST_1`, see :func:`price_table`.

    Raises:
        ValueError: the usage names a key the table has no price for.
    """
    usage = plan.usage if isinstance(plan, LoadPlan) else plan
    table = price_table(prices)
    missing = sorted(key for key in usage if key not in table)
    if missing:
        raise ValueError(f"no price for {', '.join(missing)}: pass prices={{key: Price(...)}}")
    lines = []
    total = Fraction(0)
    for key, quantity in usage.items():
        price = table[key]
        usd = exact(quantity) * exact(price.usd) / price.per
        total += usd
        lines.append(CostLine(key, float(quantity), price, float(usd)))
    lines.sort(key=lambda line: -line.usd)
    unconfirmed = tuple(sorted(key for key in usage if not table[key].confirmed))
    return MonthlyCost(float(total), tuple(lines), unconfirmed)
