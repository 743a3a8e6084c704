"""`from patterns import X` loads only X's pattern (PEP 562 lazy attributes in patterns/__init__).

Each check runs in a fresh interpreter: this test process has long imported everything.
Timing is not asserted here; `make bench` measures the import cost.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import patterns

ROOT = Path(__file__).resolve().parent.parent


def loaded_after(statement: str) -> set[str]:
    """The modules in sys.modules after ``statement`` in a fresh interpreter (run from ROOT)."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_importing_the_fan_out_loads_no_other_pattern_and_no_unrelated_cdk_module() -> None:
    modules = loaded_after("from patterns import TopicFanOut")
    assert "patterns.fan_out.construct" in modules
    others = {
        "patterns.batch",
        "patterns.broker",
        "patterns.data_tier",
        "patterns.edge",
        "patterns.emr",
        "patterns.event_function",
        "patterns.stream_analytics",
        "patterns.stream_ingest",
        "patterns.video",
        "patterns.web_tier",
        "patterns.workflow",
    }  # patterns.capacity may load: the fan-out sizes itself with it (pure Python, no CDK)
    assert sorted(others & modules) == []
    unrelated = {
        "aws_cdk.aws_autoscaling",
        "aws_cdk.aws_batch",
        "aws_cdk.aws_cloudfront",
        "aws_cdk.aws_dynamodb",
        "aws_cdk.aws_elasticloadbalancingv2",
        "aws_cdk.aws_emr",
        "aws_cdk.aws_kinesis",
        "aws_cdk.aws_kinesisfirehose",
        "aws_cdk.aws_stepfunctions",
        "aws_cdk.aws_amazonmq",
        # a Lambda subscriber is typed only: aws_lambda would load ec2, ecr_assets, s3_assets
        "aws_cdk.aws_lambda",
        "aws_cdk.aws_ec2",
    }
    assert sorted(unrelated & modules) == []


def test_import_patterns_alone_loads_no_pattern_and_no_cdk() -> None:
    modules = loaded_after("import patterns")
    # patterns._lazy: the standard-library helper behind the lazy names
    assert sorted(m for m in modules if m.startswith("patterns.")) == ["patterns._lazy"]
    assert not any(m.split(".")[0] in ("aws_cdk", "jsii", "constructs") for m in modules)


def test_the_capacity_math_stays_cdk_free() -> None:
    for statement in ("import patterns.capacity", "from patterns import capacity"):
        modules = loaded_after(statement)
        assert "patterns.capacity" in modules
        assert not any(m.split(".")[0] in ("aws_cdk", "jsii", "constructs") for m in modules)


@pytest.mark.parametrize("name", patterns.__all__)
def test_every_public_name_resolves_to_the_object_its_module_defines(name: str) -> None:
    value = getattr(patterns, name)
    module = sys.modules[patterns._EXPORTS[name]]
    assert value is (module if name == "capacity" else getattr(module, name))


def test_the_name_table_and_all_list_the_same_names() -> None:
    assert sorted(patterns._EXPORTS) == sorted(patterns.__all__)
    assert len(set(patterns.__all__)) == len(patterns.__all__)


def test_dir_lists_every_public_name_before_it_is_loaded() -> None:
    code = (
        "import patterns\n"
        "names = dir(patterns)\n"
        "assert 'TopicFanOut' not in vars(patterns)\n"
        "missing = [n for n in patterns.__all__ if n not in names]\n"
        "print(missing, '__version__' in names)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[] True"


def test_an_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'patterns' has no attribute 'TopicFanIn'"):
        patterns.TopicFanIn  # noqa: B018 - the attribute access is the test
    with pytest.raises(ImportError, match="cannot import name 'TopicFanIn'"):
        exec("from patterns import TopicFanIn", {})
    assert not hasattr(patterns, "_not_a_name")


def test_a_long_running_emr_cluster_loads_no_step_functions() -> None:
    """EmrCluster: no Step Functions module and no patterns.workflow (only the transient
    workflow needs them)."""
    modules = loaded_after("from patterns import EmrCluster")
    assert "patterns.emr.cluster" in modules
    step_functions = sorted(
        m
        for m in modules
        if "stepfunctions" in m
        or m.startswith(("patterns.workflow", "patterns.emr.transient", "patterns.emr.workflow_"))
    )
    assert step_functions == []


def test_the_transient_emr_workflow_loads_what_it_needs() -> None:
    modules = loaded_after("from patterns.emr import TransientEmrWorkflow")
    assert {
        "patterns.emr.workflow_tasks",
        "patterns.workflow.construct",
        "aws_cdk.aws_stepfunctions_tasks",
    } <= modules


def test_an_unknown_name_of_a_lazy_package_raises_attribute_error() -> None:
    import patterns.emr as emr_package

    with pytest.raises(AttributeError, match="has no attribute 'EmrClusterV2'"):
        emr_package.EmrClusterV2  # noqa: B018 - the attribute access is the test


@pytest.mark.parametrize(
    ("name", "absent"),
    [
        ("ScalableTable", ("patterns.data_tier.time_series",)),
        ("DaxCache", ("patterns.data_tier.table", "patterns.data_tier.time_series")),
        ("TimeSeriesTables", ("patterns.data_tier.dax", "patterns.data_tier.table")),
    ],
)
def test_a_data_tier_pattern_loads_only_its_own_package(name: str, absent: tuple[str, ...]) -> None:
    modules = loaded_after(f"from patterns import {name}")
    assert sorted(m for m in modules if m.startswith(absent)) == []


@pytest.mark.parametrize(
    "package_name", ["patterns.capacity", "patterns.data_tier", "patterns.emr"]
)
def test_lazy_packages_list_and_resolve_every_export(package_name: str) -> None:
    package = importlib.import_module(package_name)
    exports: dict[str, str] = package._EXPORTS
    assert set(package.__all__) <= set(exports) <= set(dir(package))
    for name, module_name in exports.items():
        assert getattr(package, name) is getattr(importlib.import_module(module_name), name), name
