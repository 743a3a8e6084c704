"""Steps: an :class:`~patterns.emr.EmrStep` as a ``CfnStep`` of a running cluster, or as a
Step Functions ``EmrAddStep`` task of a transient one.

Each step's construct id comes from its name (``word-count`` -> ``WordCountStep``), so two
names that differ only in separators or case of a part's first letter would collide: the
validation rejects them.
"""

from __future__ import annotations

from aws_cdk import aws_emr as emr
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from patterns.core.ids import pascal
from patterns.emr.options import EmrStep
from patterns.emr.workflow_grants import AddStep

__all__ = ["STEP_NAME_SEPARATORS", "cluster_step", "step_key", "workflow_step"]

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


def workflow_step(scope: Construct, step: EmrStep, *, cluster_id: str) -> tasks.EmrAddStep:
    """A ``Run <name>`` state that adds ``step`` to the cluster and waits for it (its grants
    are the workflow's ``ClusterPolicy``)."""
    return AddStep(
        scope,
        f"{step_key(step.name)}Step",
        state_name=f"Run {step.name}",
        cluster_id=cluster_id,
        name=step.name,
        jar=step.jar,
        args=list(step.args),
        action_on_failure=tasks.ActionOnFailure(step.action_on_failure),
        integration_pattern=sfn.IntegrationPattern.RUN_JOB,
        result_path=sfn.JsonPath.DISCARD,
    )
