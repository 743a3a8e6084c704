"""Step Functions workflows: a logged, traced, alarmed state machine plus retry/catch helpers.

* :class:`Workflow` wraps a state machine definition the caller builds (any ``sfn.IChainable``)
  with a log group (level ALL), X-Ray tracing, an overall timeout, alarms on failed, timed-out,
  throttled and aborted executions and an optional failure notification topic.
* :func:`add_retry` / :func:`add_catch` give a task exponential backoff with full jitter and a
  catch-all route to a failure handler (:class:`RetryPolicy` holds the retry settings).
* :class:`WorkflowActivity` is a human or long-running step: an ``sfn.Activity`` that workers
  long-poll for work (``patterns/clients/activity_worker.py`` is a small Python worker).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from patterns.core.defaults import dead_letter_queue, depend_on_role_policy_only, encryption_key
from patterns.core.defaults import log_group as new_log_group
from patterns.core.metadata import record_capacity
from patterns.core.monitoring import Monitoring
from patterns.core.nag import acknowledge
from patterns.core.validation import Validator, format_duration, is_unresolved

__all__ = [
    "DETERMINISTIC_ERRORS",
    "RetryPolicy",
    "Workflow",
    "WorkflowActivity",
    "add_catch",
    "add_retry",
]

#: Step Functions limits (https://docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html)
MAX_STANDARD_TIMEOUT = Duration.days(365)
MAX_EXPRESS_TIMEOUT = Duration.minutes(5)
MAX_RETRY_ATTEMPTS = 99_999_999
MAX_RETRY_SECONDS = 99_999_999
#: Errors that fail the same way on every attempt: never worth a retry.
DETERMINISTIC_ERRORS: tuple[str, ...] = (
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.IntrinsicFailure",
    "States.QueryEvaluationError",
)
_STATE_MACHINE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_ACTIVITY_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
#: Task resources an EXPRESS workflow cannot run (it never waits for a callback or a job).
_EXPRESS_UNSUPPORTED = (".sync", ".waitForTaskToken")


# -- retry / catch helpers ---------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How a task retries. Every field is optional; the defaults suit calls to AWS services.

    Attributes:
        errors: the errors retried. Default ``("States.ALL",)``; ``States.ALL`` must be alone.
        non_retryable: errors that fail at once even though ``errors`` matches them (a retrier
            with no attempts placed first). Default :data:`DETERMINISTIC_ERRORS`.
        max_attempts: retries after the first attempt. Default 3 (0..99,999,999).
        interval: wait before the first retry. Default 2 s (1 s or more).
        backoff_rate: each wait is the previous one times this. Default 2.0 (1.0 or more).
        max_delay: cap on any single wait. Default 60 s.
        jitter: randomise every wait between 0 and its computed value (full jitter), so retries
            of many executions do not arrive together. Default True.
    """

    errors: tuple[str, ...] = ("States.ALL",)
    non_retryable: tuple[str, ...] = DETERMINISTIC_ERRORS
    max_attempts: int = 3
    interval: Duration = Duration.seconds(2)
    backoff_rate: float = 2.0
    max_delay: Duration | None = Duration.seconds(60)
    jitter: bool = True


_Retryable = TypeVar("_Retryable", sfn.TaskStateBase, sfn.Parallel, sfn.Map, sfn.CustomState)


def _check_errors(
    v: Validator, prop: str, errors: Sequence[str], *, allow_empty: bool = False
) -> None:
    if isinstance(errors, str):
        v.add(prop, f"must be a tuple of error names, got the string {errors!r}")
        return
    if not v.sequence_of(prop, errors, str):
        return
    if not errors and not allow_empty:
        v.add(prop, "must name at least one error, got none")
    if any(not name for name in errors):
        v.add(prop, f"must hold non-empty error names, got {list(errors)}")
    if "States.ALL" in errors and len(errors) > 1:
        v.add(prop, f"must list States.ALL alone (Step Functions rule), got {list(errors)}")


def add_retry(state: _Retryable, policy: RetryPolicy | None = None) -> _Retryable:
    """Give ``state`` (a task, Parallel or Map) exponential backoff with full jitter.

    Errors in ``policy.non_retryable`` get a retrier with no attempts first, so they fail at
    once (Step Functions uses the first retrier that matches). Returns ``state`` for chaining.

    Raises:
        PatternValidationError: with every invalid field of ``policy``.
    """
    policy = policy if policy is not None else RetryPolicy()
    v = Validator(state)
    _check_errors(v, "RetryPolicy.errors", policy.errors)
    _check_errors(v, "RetryPolicy.non_retryable", policy.non_retryable, allow_empty=True)
    v.number_in_range(
        "RetryPolicy.max_attempts",
        policy.max_attempts,
        minimum=0,
        maximum=MAX_RETRY_ATTEMPTS,
        integer=True,
    )
    # IntervalSeconds and MaxDelaySeconds of a Retrier are integers.
    v.duration_in_range(
        "RetryPolicy.interval",
        policy.interval,
        minimum=Duration.seconds(1),
        maximum=Duration.seconds(MAX_RETRY_SECONDS),
        whole="seconds",
    )
    v.number_in_range("RetryPolicy.backoff_rate", policy.backoff_rate, minimum=1.0)
    v.duration_in_range(
        "RetryPolicy.max_delay",
        policy.max_delay,
        minimum=Duration.seconds(1),
        maximum=Duration.seconds(MAX_RETRY_SECONDS),
        whole="seconds",
    )
    v.boolean("RetryPolicy.jitter", policy.jitter)
    if (
        policy.max_delay is not None
        and not is_unresolved(policy.max_delay)
        and not is_unresolved(policy.interval)
        and isinstance(policy.max_delay, Duration)
        and isinstance(policy.interval, Duration)
        and policy.max_delay.to_seconds(integral=False) < policy.interval.to_seconds(integral=False)
    ):
        v.add(
            "RetryPolicy.max_delay",
            f"must be at least interval ({format_duration(policy.interval)}), "
            f"got {format_duration(policy.max_delay)}",
        )
    lists_ok = all(
        isinstance(errors, list | tuple) and all(isinstance(e, str) for e in errors)
        for errors in (policy.errors, policy.non_retryable)
    )
    overlap = sorted(set(policy.non_retryable) & set(policy.errors)) if lists_ok else []
    if overlap:
        v.add("RetryPolicy.non_retryable", f"must not repeat retried errors, got {overlap}")
    if lists_ok and "States.ALL" in policy.non_retryable:
        v.add("RetryPolicy.non_retryable", "cannot contain States.ALL (nothing would retry)")
    v.raise_if_invalid()

    if policy.non_retryable:
        state.add_retry(errors=list(policy.non_retryable), max_attempts=0)
    state.add_retry(
        errors=list(policy.errors),
        max_attempts=policy.max_attempts,
        interval=policy.interval,
        backoff_rate=policy.backoff_rate,
        max_delay=policy.max_delay,
        jitter_strategy=sfn.JitterType.FULL if policy.jitter else sfn.JitterType.NONE,
    )
    return state


def add_catch(
    state: _Retryable,
    handler: sfn.IChainable,
    *,
    errors: Sequence[str] = ("States.ALL",),
    result_path: str = "$.error",
) -> _Retryable:
    """Route ``state``'s errors (after its retries) to ``handler`` instead of failing the run.

    The error name and cause are placed at ``result_path`` (default ``$.error``) beside the
    original input, so the handler can record or compensate for what failed. Returns ``state``.

    Raises:
        PatternValidationError: if ``errors`` is empty or mixes States.ALL with other names, or
            ``result_path`` is not a JSONPath (``$`` or ``$.field``).
    """
    v = Validator(state)
    _check_errors(v, "errors", errors)
    if not isinstance(result_path, str) or not (result_path == "$" or result_path.startswith("$.")):
        v.add("result_path", f"must be $ or start with $., got {result_path!r}")
    v.raise_if_invalid()
    state.add_catch(handler, errors=list(errors), result_path=result_path)
    return state


# -- activities --------------------------------------------------------------------------------


class WorkflowActivity(Construct):
    """A human or long-running step: an activity that workers long-poll for work.

    Workers call ``GetActivityTask`` (a long poll of up to 60 s), do the work, send
    ``SendTaskHeartbeat`` while they work and finish with ``SendTaskSuccess`` or
    ``SendTaskFailure`` - the worker model of Simple Workflow's activity workers, for which Step
    Functions is the recommended replacement. ``patterns/clients/activity_worker.py`` is such a
    worker. Activities run only in STANDARD workflows.

    Example::

        approval = WorkflowActivity(self, "Approval", heartbeat_timeout=Duration.minutes(10))
        definition = check.next(approval.invoke("AwaitApproval")).next(ship)
        approval.grant_worker(worker_role)

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        activity_name: physical activity name (1-80 letters, digits, ``-``, ``_``). Default:
            generated by CloudFormation.
        heartbeat_timeout: a task fails with ``States.HeartbeatTimeout`` when its worker sends
            no heartbeat for this long (a crashed worker is noticed). Default 5 min
            (1 s..``task_timeout``).
        task_timeout: a task fails with ``States.Timeout`` when not finished within this long,
            including the time it waits for a worker. Default 1 day (1 s..1 year).
        encryption_key: a customer-managed key for the activity's task data. Default: an AWS
            owned key (Step Functions always encrypts at rest).
        schedule_time_alarm_threshold: alarm when a task waits this long for a worker to pick
            it up (no worker is polling). Default 15 min.
        alarm_topic: notified on ALARM and OK of every alarm. Default: no notification.
        dashboard: a dashboard to add the alarm widgets to. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        activity_name: str | None = None,
        heartbeat_timeout: Duration = Duration.minutes(5),
        task_timeout: Duration = Duration.days(1),
        encryption_key: kms.IKey | None = None,
        schedule_time_alarm_threshold: Duration = Duration.minutes(15),
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        v = Validator(self)
        if activity_name is not None and not is_unresolved(activity_name):
            v.require(
                bool(_ACTIVITY_NAME.match(activity_name)),
                "activity_name",
                f"must be 1-80 letters, digits, '-' or '_', got {activity_name!r}",
            )
        # A task state's TimeoutSeconds and HeartbeatSeconds are integers.
        v.duration_in_range(
            "task_timeout",
            task_timeout,
            minimum=Duration.seconds(1),
            maximum=MAX_STANDARD_TIMEOUT,
            whole="seconds",
        )
        both_known = not is_unresolved(task_timeout) and isinstance(task_timeout, Duration)
        v.duration_in_range(
            "heartbeat_timeout",
            heartbeat_timeout,
            minimum=Duration.seconds(1),
            maximum=task_timeout if both_known else None,
            whole="seconds",
        )
        v.duration_in_range(
            "schedule_time_alarm_threshold",
            schedule_time_alarm_threshold,
            minimum=Duration.seconds(1),
        )
        v.implements("encryption_key", encryption_key, "key_arn", what="a kms.IKey")
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        v.raise_if_invalid()

        self.heartbeat_timeout = heartbeat_timeout
        self.task_timeout = task_timeout
        self.activity = sfn.Activity(
            self,
            "Resource",
            activity_name=activity_name,
            encryption_configuration=(
                sfn.CustomerManagedEncryptionConfiguration(encryption_key)
                if encryption_key is not None
                else None
            ),
        )
        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        self.monitoring.alarm(
            "TimedOut",
            metric=self.activity.metric_timed_out(period=Duration.minutes(5), statistic="Sum"),
            threshold=0,
            description=(
                f"{self.node.path}: activity tasks were not finished within "
                f"{format_duration(task_timeout)}."
            ),
        )
        self.monitoring.alarm(
            "HeartbeatTimedOut",
            metric=self.activity.metric_heartbeat_timed_out(
                period=Duration.minutes(5), statistic="Sum"
            ),
            threshold=0,
            description=(
                f"{self.node.path}: workers stopped sending heartbeats for "
                f"{format_duration(heartbeat_timeout)} (crashed or stuck workers)."
            ),
        )
        if not is_unresolved(schedule_time_alarm_threshold):
            self.monitoring.alarm(
                "WaitingForWorkers",
                metric=self.activity.metric_schedule_time(
                    period=Duration.minutes(5), statistic="Maximum"
                ),
                threshold=schedule_time_alarm_threshold.to_milliseconds(),
                description=(
                    f"{self.node.path}: a task waited more than "
                    f"{format_duration(schedule_time_alarm_threshold)} for a worker; "
                    "no worker is polling or too few are."
                ),
            )
        self.alarms = self.monitoring.alarms
        self.monitoring.finish(f"Activity {self.node.path}")

    def invoke(
        self,
        construct_id: str,
        *,
        state_name: str | None = None,
        parameters: dict[str, Any] | None = None,
        result_path: str | None = "$.activityResult",
        comment: str | None = None,
    ) -> tasks.StepFunctionsInvokeActivity:
        """A task state that hands its input (or ``parameters``) to a worker and waits.

        The task uses this activity's heartbeat and task timeouts. The worker's output lands at
        ``result_path`` (default ``$.activityResult``, beside the input); ``"$"`` replaces the
        input with it and None discards it.
        """
        return tasks.StepFunctionsInvokeActivity(
            self,
            construct_id,
            activity=self.activity,
            state_name=state_name,
            parameters=parameters,
            result_path=result_path if result_path is not None else sfn.JsonPath.DISCARD,
            comment=comment,
            heartbeat_timeout=sfn.Timeout.duration(self.heartbeat_timeout),
            task_timeout=sfn.Timeout.duration(self.task_timeout),
        )

    def grant_worker(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` poll this activity and report heartbeats, success and failure."""
        return self.activity.grant(
            grantee,
            "states:GetActivityTask",
            "states:SendTaskHeartbeat",
            "states:SendTaskSuccess",
            "states:SendTaskFailure",
        )


# -- the workflow --------------------------------------------------------------------------------


class Workflow(Construct):
    """A Step Functions state machine with logging, tracing, a timeout, alarms and notifications.

    The caller builds the definition (tasks, Choice, Parallel, Map, Wait ...) and passes its
    first state or chain; the pattern adds what every production workflow needs:

    * a log group (execution history at level ALL, optional execution data, retention);
    * X-Ray tracing;
    * an overall timeout, after which the execution fails with ``States.Timeout``;
    * alarms on failed, timed-out, throttled and aborted executions (``StateMachineArn``
      dimension), on the optional alarm topic;
    * optionally, an EventBridge rule that publishes every FAILED, TIMED_OUT or ABORTED
      execution to ``failure_topic`` (with a DLQ for notifications EventBridge cannot deliver).

    Example::

        charge = add_retry(tasks.LambdaInvoke(self, "Charge", lambda_function=fn))
        add_catch(charge, record_failure)
        flow = Workflow(self, "Orders", definition=validate.next(charge).next(done),
                        timeout=Duration.hours(2), alarm_topic=alarms)
        flow.state_machine.grant_start_execution(api_role)

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        definition: the first state or chain of the workflow (``sfn.IChainable``).
        workflow_type: ``sfn.StateMachineType.STANDARD`` (exactly-once, up to a year, activities
            and ``.sync``/callback tasks) or ``EXPRESS`` (at-least-once, up to 5 min, high
            volume, billed per request and duration). Default STANDARD.
        timeout: the whole execution's limit. Default 1 h for STANDARD (1 s..365 days),
            5 min for EXPRESS (1 s..5 min).
        state_machine_name: physical name (1-80 letters, digits, ``-``, ``_``). Default:
            generated by CloudFormation (recommended: a fixed name blocks replacement).
        comment: the definition's comment. Default: none.
        include_execution_data: log each state's input and output (may contain personal
            data). Default False: events are logged without their data.
        log_retention: retention of the created log group. Default one year.
        log_group: an existing log group instead of a created one. Default: created.
        tracing: X-Ray tracing of executions. Default True.
        failure_topic: SNS topic that receives every failed, timed-out or aborted execution's
            status change event. STANDARD only (EXPRESS workflows emit no status events). An
            encrypted topic's key must let ``events.amazonaws.com`` use it. Default: none.
        removal_policy: of the created log group, failure DLQ and its key. Default RETAIN.
        alarm_topic: notified on ALARM and OK of every alarm. Default: no notification.
        dashboard: a dashboard to add this pattern's alarm widgets to. Default: none.

    cdk-nag: the role's ``Resource::*`` finding (IAM5) is acknowledged on the role, because
    log delivery and X-Ray actions support no resource-level permissions. The acknowledgement
    covers the whole role, so tasks in ``definition`` should never need ``*`` resources.

    Raises:
        PatternValidationError: with every invalid prop; an EXPRESS definition that uses an
            activity, ``.sync`` or ``.waitForTaskToken`` task is reported once the definition
            is bound (states render their branches only inside a state machine).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        definition: sfn.IChainable,
        workflow_type: sfn.StateMachineType = sfn.StateMachineType.STANDARD,
        timeout: Duration | None = None,
        state_machine_name: str | None = None,
        comment: str | None = None,
        include_execution_data: bool = False,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        log_group: logs.ILogGroup | None = None,
        tracing: bool = True,
        failure_topic: sns.ITopic | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        express = workflow_type == sfn.StateMachineType.EXPRESS
        if timeout is None:
            timeout = MAX_EXPRESS_TIMEOUT if express else Duration.hours(1)
        self._validate(
            definition=definition,
            workflow_type=workflow_type,
            timeout=timeout,
            state_machine_name=state_machine_name,
            failure_topic=failure_topic,
            comment=comment,
            flags={"include_execution_data": include_execution_data, "tracing": tracing},
            log_retention=log_retention,
            log_group=log_group,
            removal_policy=removal_policy,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        self.workflow_type = workflow_type
        self.timeout = timeout

        #: Execution history (level ALL): created unless ``log_group`` was given.
        self.log_group: logs.ILogGroup = (
            log_group
            if log_group is not None
            else new_log_group(
                self,
                "Logs",
                retention=log_retention,
                removal_policy=removal_policy,
            )
        )
        self.state_machine = sfn.StateMachine(
            self,
            "Resource",
            definition_body=sfn.DefinitionBody.from_chainable(definition),
            state_machine_type=workflow_type,
            state_machine_name=state_machine_name,
            comment=comment,
            timeout=timeout,
            tracing_enabled=tracing,
            logs=sfn.LogOptions(
                destination=self.log_group,
                level=sfn.LogLevel.ALL,
                include_execution_data=include_execution_data,
            ),
        )
        self.role: iam.IRole = self.state_machine.role
        self._depend_on_policy_only()
        if express:
            self._check_express_definition(definition)
        acknowledge(
            self.role,
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy ...) and "
            "X-Ray (xray:PutTraceSegments, GetSamplingRules ...) actions support no "
            "resource-level permissions; aws-cdk-lib grants them on * for logging and tracing.",
        )

        self.monitoring = Monitoring(self, alarm_topic=alarm_topic, dashboard=dashboard)
        self._add_alarms()

        self.failure_rule: events.Rule | None = None
        self.failure_dead_letter_queue: sqs.Queue | None = None
        if failure_topic is not None:
            self._notify_failures(failure_topic, removal_policy)

        self.alarms = self.monitoring.alarms
        kind = "EXPRESS" if express else "STANDARD"
        record_capacity(self, f"{kind}, timeout {format_duration(timeout)}")
        self.monitoring.finish(f"Workflow {self.node.path}")

    # -- internals ---------------------------------------------------------------------------
    def _validate(
        self,
        *,
        definition: sfn.IChainable,
        workflow_type: sfn.StateMachineType,
        timeout: Duration,
        state_machine_name: str | None,
        failure_topic: sns.ITopic | None,
        comment: str | None = None,
        flags: dict[str, object] | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        log_group: logs.ILogGroup | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        alarm_topic: sns.ITopic | None = None,
        dashboard: cw.Dashboard | None = None,
    ) -> None:
        v = Validator(self)
        v.require(
            definition is not None and hasattr(definition, "start_state"),
            "definition",
            f"must be a state or chain (sfn.IChainable), got {type(definition).__name__}",
        )
        v.one_of(
            "workflow_type",
            workflow_type,
            [sfn.StateMachineType.STANDARD, sfn.StateMachineType.EXPRESS],
        )
        express = workflow_type == sfn.StateMachineType.EXPRESS
        v.duration_in_range(
            "timeout",
            timeout,
            minimum=Duration.seconds(1),
            maximum=MAX_EXPRESS_TIMEOUT if express else MAX_STANDARD_TIMEOUT,
            whole="seconds",  # TimeoutSeconds is an integer
        )
        if state_machine_name is not None and not is_unresolved(state_machine_name):
            v.require(
                bool(_STATE_MACHINE_NAME.match(state_machine_name)),
                "state_machine_name",
                f"must be 1-80 letters, digits, '-' or '_', got {state_machine_name!r}",
            )
        if express and failure_topic is not None:
            v.add(
                "failure_topic",
                "needs a STANDARD workflow (EXPRESS workflows emit no execution status "
                "events), got workflow_type EXPRESS",
            )
        v.text("comment", comment)
        for prop, flag in (flags or {}).items():
            v.boolean(prop, flag)
        v.instance_of(
            "log_retention", log_retention, logs.RetentionDays, what="a logs.RetentionDays"
        )
        v.implements("log_group", log_group, "log_group_arn", what="a logs.ILogGroup")
        v.implements("failure_topic", failure_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of(
            "removal_policy", removal_policy, RemovalPolicy, what="an aws_cdk.RemovalPolicy"
        )
        v.implements("alarm_topic", alarm_topic, "topic_arn", what="an sns.ITopic")
        v.instance_of("dashboard", dashboard, cw.Dashboard, what="a cloudwatch.Dashboard")
        v.raise_if_invalid()

    def _check_express_definition(self, definition: sfn.IChainable) -> None:
        """EXPRESS workflows run neither activities nor ``.sync`` / callback tasks."""
        stack = Stack.of(self)
        activity_refs = {
            stack.resolve(child.ref)["Ref"]
            for child in stack.node.find_all()
            if isinstance(child, sfn.CfnActivity)
        }
        found: list[str] = []

        def walk(states: dict[str, Any]) -> None:
            for name, state in states.items():
                resource = state.get("Resource")
                text = json.dumps(resource) if resource is not None else ""
                is_ref = isinstance(resource, dict) and resource.get("Ref") in activity_refs
                if is_ref or ":activity:" in text:
                    found.append(f"{name} (activity)")
                else:
                    for suffix in _EXPRESS_UNSUPPORTED:
                        if suffix in text:
                            found.append(f"{name} ({suffix})")
                for branch in state.get("Branches", []):
                    walk(branch.get("States", {}))
                for key in ("ItemProcessor", "Iterator"):
                    if key in state:
                        walk(state[key].get("States", {}))

        reachable = sfn.State.find_reachable_states(
            definition.start_state, include_error_handlers=True
        )
        walk({s.state_id: stack.resolve(s.to_state_json()) for s in reachable})
        if found:
            v = Validator(self)
            v.add(
                "definition",
                "of an EXPRESS workflow cannot use activities, .sync or .waitForTaskToken "
                f"tasks (use STANDARD), got {', '.join(found)}",
            )
            v.raise_if_invalid()

    def _depend_on_policy_only(self) -> None:
        """DependsOn the role's policy only: the role is already a GetAtt (cfn-lint W3005).

        Step Functions checks the log-delivery and X-Ray grants when it creates the state
        machine, so the policy must exist first; aws-cdk-lib also lists the role itself.
        """
        cfn = self.state_machine.node.default_child
        if isinstance(cfn, sfn.CfnStateMachine):
            depend_on_role_policy_only(cfn, self.role)

    def _add_alarms(self) -> None:
        sm = self.state_machine
        period = Duration.minutes(5)
        self.monitoring.alarm(
            "ExecutionsFailed",
            metric=sm.metric_failed(period=period, statistic="Sum"),
            threshold=0,
            description=f"{self.node.path}: executions failed. See the log group for the error.",
        )
        self.monitoring.alarm(
            "ExecutionsTimedOut",
            metric=sm.metric_timed_out(period=period, statistic="Sum"),
            threshold=0,
            description=(
                f"{self.node.path}: executions ran longer than the workflow timeout "
                f"({format_duration(self.timeout)})."
            ),
        )
        self.monitoring.alarm(
            "ExecutionsThrottled",
            metric=sm.metric_throttled(period=period, statistic="Sum"),
            threshold=0,
            description=(
                f"{self.node.path}: StartExecution or state transitions were throttled; "
                "request a quota increase or smooth the start rate."
            ),
        )
        self.monitoring.alarm(
            "ExecutionsAborted",
            metric=sm.metric_aborted(period=period, statistic="Sum"),
            threshold=0,
            description=f"{self.node.path}: executions were stopped (aborted) before finishing.",
        )

    def _notify_failures(self, topic: sns.ITopic, removal_policy: RemovalPolicy) -> None:
        key = encryption_key(
            self,
            "FailureDlqKey",
            description=f"Encrypts failure notifications EventBridge could not deliver "
            f"({self.node.path})",
            removal_policy=removal_policy,
            service_principals=("events.amazonaws.com",),
        )
        self.failure_dead_letter_queue = dead_letter_queue(
            self, "FailureDlq", encryption_key=key, removal_policy=removal_policy
        )
        self.failure_rule = events.Rule(
            self,
            "FailureRule",
            description=f"Failed, timed-out and aborted executions of {self.node.path}",
            event_pattern=events.EventPattern(
                source=["aws.states"],
                detail_type=["Step Functions Execution Status Change"],
                detail={
                    "status": ["FAILED", "TIMED_OUT", "ABORTED"],
                    "stateMachineArn": [self.state_machine.state_machine_arn],
                },
            ),
            targets=[
                targets.SnsTopic(
                    topic,
                    dead_letter_queue=self.failure_dead_letter_queue,
                    retry_attempts=185,
                    max_event_age=Duration.hours(24),
                )
            ],
        )
        self.monitoring.queue_not_empty(
            "FailureDlqNotEmpty",
            self.failure_dead_letter_queue,
            description=(
                f"{self.node.path}: failure notifications could not be published to the "
                "failure topic (check its key policy); they wait in the DLQ for 14 days."
            ),
        )
