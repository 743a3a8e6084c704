"""No crash paths: every prop of every public construct, option type and helper, given a bad
value (a wrong type, None, empty, negative, zero, NaN, infinity, 10**12), either ends in a
PatternValidationError that names the prop, or builds (a value AWS accepts). Generated from
the signatures and dataclass fields by ``tests/bad_inputs.py``, so a new prop is covered
without a hand-written test. No case synthesizes (one that fails validation raises before
any resource); the file runs in about a minute."""

from __future__ import annotations

import collections
import re

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from patterns.core.typecheck import PLANNING_ONLY
from patterns.core.validation import PatternValidationError
from tests.bad_inputs import OPTION_PLACES, TARGETS, BadCase, cases
from tests.user_apps.cases import MINIMAL

CASES = cases()
#: case id -> "rejected" | "accepted", filled as the cases run (see the summary test).
OUTCOMES: dict[str, str] = {}

#: Labels whose acceptance is never a value AWS takes: NaN/infinity (jsii cannot carry them),
#: a wrong type, None where the type does not admit it, a fraction for a whole number.
NEVER_ACCEPTED = frozenset(
    {
        "nan",
        "inf",
        "-inf",
        "str",
        "int",
        "bool",
        "list",
        "mapping",
        "object",
        "none",
        "fraction",
        "unknown",
        "bad-item",
        "bad-value",
    }
)

#: Props sized against a service quota: 10**12 must be rejected against it (core.quotas).
QUOTA_PROPS = frozenset(
    {
        ("StreamToS3Pipeline", "shard_count"),
        ("EventDrivenFunction", "reserved_concurrency"),
        ("ScalableTable", "max_read_request_units"),
        ("ScalableTable", "max_write_request_units"),
        ("ScalableTable", "peak_read_units"),
        ("ScalableTable", "peak_write_units"),
    }
)


def _names_prop(error: PatternValidationError, case: BadCase) -> bool:
    names = [case.prop, OPTION_PLACES.get(case.target, case.prop)]
    return any(
        re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", problem)
        for problem in error.problems
        for name in names
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_rejected_or_valid(case: BadCase) -> None:
    stack = cdk.Stack(cdk.App(), "BadInput")
    try:
        TARGETS[case.target](stack, **{case.prop: case.value})
    except PatternValidationError as error:
        OUTCOMES[case.id] = "rejected"
        assert _names_prop(error, case), f"{case.id}: the error does not name {case.prop}: {error}"
        return
    OUTCOMES[case.id] = "accepted"
    assert case.label not in NEVER_ACCEPTED, f"{case.id}: {case.value!r} was accepted"
    # every int prop is an AWS API Integer (or a quota-bounded count): 10**12 never fits
    planning_only = case.prop in PLANNING_ONLY
    assert not (case.label == "absurd" and case.whole_number and not planning_only), case.id


@pytest.mark.parametrize(("target", "prop"), sorted(QUOTA_PROPS))
def test_absurd_numbers_are_rejected_against_the_quota(target: str, prop: str) -> None:
    extra = {"on_demand": False} if target == "StreamToS3Pipeline" else {}
    with pytest.raises(PatternValidationError, match=rf"{prop} must be at most [\d,]+ .*quota"):
        MINIMAL[target](cdk.Stack(cdk.App(), "Quota"), **{**extra, prop: 10**12})


def test_the_kernel_is_alive_after_the_cases() -> None:
    """A normal stack still builds and synthesizes: no case killed the jsii kernel."""
    stack = cdk.Stack(cdk.App(), "Alive")
    MINIMAL["TopicFanOut"](stack)
    Template.from_stack(stack).resource_count_is("AWS::SNS::Topic", 1)


def test_summary_of_the_generated_cases() -> None:
    """Every case ran (when the whole file runs) and each ended rejected or accepted."""
    if len(OUTCOMES) < len(CASES):
        pytest.skip("only part of the generated cases ran (-k)")
    counts = collections.Counter(OUTCOMES.values())
    by_label = collections.Counter(
        (c.label, OUTCOMES[c.id]) for c in CASES if OUTCOMES[c.id] == "accepted"
    )
    print(f"\n{len(CASES)} generated cases over {len(TARGETS)} public names: {dict(counts)}")
    print("accepted by label:", dict(sorted(by_label.items())))
    assert counts["rejected"] + counts["accepted"] == len(CASES)
    assert len(CASES) > 2_000
