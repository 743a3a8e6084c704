"""Steps: an :class:`~patterns.emr.EmrStep` as a ``CfnStep`` of a running cluster (a transient
cluster's ``EmrAddStep`` states are built by :mod:`patterns.emr.workflow_tasks`).

Each step's construct id comes from its name (``word-count`` -> ``WordCountStep``), so two
names that differ only in separators or case of a part's first letter would collide: the
validation rejects them.
"""

from __future__ import annotations

from aws_cdk import aws_emr as emr
from constructs import Construct

from patterns.core.ids import pascal
from patterns.emr.options import EmrStep

__all__ = ["STEP_NAME_SEPARATORS", "cluster_step", "step_key"]

#: Step names split into id parts on these (``Daily report`` -> ``DailyReport``).
STEP_NAME_SEPARATORS = r"[-_ ]"


def step_key(name: str) -> str:
    """The PascalCase form of a step name that its construct id starts with."""
    return pascal(name, STEP_NAME_SEPARATORS)


def cluster_step(scope: Construct, step: EmrStep, *, cluster_id: str) -> emr.CfnStep:
    """``step`` on the cluster ``cluster_id`` (CloudFormation waits for it to finish)."""
    return emr.CfnStep(
        scope,
        f"{step_key(step.name)}Step",
        job_flow_id=cluster_id,
        name=step.name,
        action_on_failure=step.action_on_failure,
        hadoop_jar_step=emr.CfnStep.HadoopJarStepConfigProperty(jar=step.jar, args=list(step.args)),
    )
