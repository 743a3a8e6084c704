"""Example stack of Workflow: order fulfilment with every kind of state and an approval activity."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from patterns.core.defaults import encryption_key
from patterns.core.lambda_code import handler_code
from patterns.core.monitoring import create_alarm_topic
from patterns.core.nag import acknowledge
from patterns.event_function import EventDrivenFunction
from patterns.workflow import (
    DETERMINISTIC_ERRORS,
    RetryPolicy,
    Workflow,
    WorkflowActivity,
    add_catch,
    add_retry,
)
from stacks.handlers import HANDLERS

#: Orders above this total wait for the approval activity.
APPROVAL_THRESHOLD = 1_000
#: The order-step handler's validation error: failing again would not help.
STEP_RETRY = RetryPolicy(non_retryable=(*DETERMINISTIC_ERRORS, "InvalidOrder"))


class WorkflowExampleStack(cdk.Stack):
    """Order fulfilment: check, validate, reserve and charge in parallel, approve large orders
    (activity), wait, pack every item (map) and record the outcome in DynamoDB directly.

    Start an execution with ``{"order": {"order_id": "o-1", "items": [{"sku": "A", "quantity":
    2, "price": 10}]}}``; the ``Orders`` table then holds ``{"order_id": "o-1", "status":
    "FULFILLED"}`` (or ``"FAILED"`` with the error).
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        alarm_topic = create_alarm_topic(self, "AlarmTopic")
        dashboard = cw.Dashboard(self, "Dashboard")
        failure_key = encryption_key(
            self,
            "FailureTopicKey",
            description="Encrypts the order workflow's failure notifications",
            service_principals=("events.amazonaws.com",),
        )
        self.failure_topic = sns.Topic(
            self, "FailureTopic", master_key=failure_key, enforce_ssl=True
        )
        self.table = dynamodb.Table(
            self,
            "Orders",
            partition_key=dynamodb.Attribute(name="order_id", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.steps = EventDrivenFunction(
            self,
            "OrderSteps",
            code=handler_code(HANDLERS / "order_step.py"),
            handler="order_step.handler",
            description="The steps of the order-fulfilment workflow",
            timeout=Duration.seconds(10),
            reserved_concurrency=10,
            alarm_topic=alarm_topic,
        )
        self.approval = WorkflowActivity(
            self,
            "Approval",
            heartbeat_timeout=Duration.minutes(5),
            task_timeout=Duration.days(1),
            alarm_topic=alarm_topic,
        )
        self.approval_worker_role = iam.Role(
            self,
            "ApprovalWorkerRole",
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            # The description names the worker's old path; kept so the template stays identical.
            description="Role of the approval activity workers (patterns/runtime/activity_worker)",
        )
        self.approval.grant_worker(self.approval_worker_role)

        self.workflow = Workflow(
            self,
            "OrderFulfilment",
            definition=self._definition(),
            timeout=Duration.days(2),
            failure_topic=self.failure_topic,
            alarm_topic=alarm_topic,
            dashboard=dashboard,
        )
        steps_id = self.get_logical_id(self.steps.function.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            self.workflow.role,
            f"AwsSolutions::AwsSolutions-IAM5[Resource::<{steps_id}.Arn>:*]",
            "LambdaInvoke tasks may call any version or alias of the order-steps function, "
            "which this stack owns; aws-cdk-lib grants <function arn>:* for that.",
        )
        cdk.CfnOutput(self, "StateMachineArn", value=self.workflow.state_machine.state_machine_arn)
        cdk.CfnOutput(self, "OrdersTableName", value=self.table.table_name)
        cdk.CfnOutput(self, "ApprovalActivityArn", value=self.approval.activity.activity_arn)
        cdk.CfnOutput(self, "FailureTopicArn", value=self.failure_topic.topic_arn)
        cdk.CfnOutput(self, "OrderStepsFunctionName", value=self.steps.function.function_name)

    def _step(
        self, construct_id: str, step: str, *, result_path: str | None = None
    ) -> tasks.LambdaInvoke:
        """A LambdaInvoke of one order step, given ``{"step": step, "order": $.order}``."""
        return tasks.LambdaInvoke(
            self,
            construct_id,
            lambda_function=self.steps.function,
            payload=sfn.TaskInput.from_object(
                {"step": step, "order": sfn.JsonPath.object_at("$.order")}
            ),
            payload_response_only=True,
            retry_on_service_exceptions=False,  # add_retry covers them, with jitter
            result_path=result_path,
        )

    def _definition(self) -> sfn.IChainable:
        order_id = sfn.JsonPath.string_at("$.order.order_id")

        # Failure handler: record the failed order, then fail the execution.
        record_failure = tasks.DynamoPutItem(
            self,
            "RecordFailure",
            table=self.table,
            item={
                "order_id": tasks.DynamoAttributeValue.from_string(order_id),
                "status": tasks.DynamoAttributeValue.from_string("FAILED"),
                "error": tasks.DynamoAttributeValue.from_string(
                    sfn.JsonPath.string_at("$.error.Error")
                ),
            },
            result_path=sfn.JsonPath.DISCARD,
        )
        add_retry(record_failure)
        record_failure.next(
            sfn.Fail(self, "OrderFailed", error="OrderFailed", cause="See the RecordFailure state")
        )

        # Sequential: validate the order (total lands at $.validation.total).
        validate = add_retry(
            self._step("Validate", "validate", result_path="$.validation"), STEP_RETRY
        )
        add_catch(validate, record_failure)

        # Parallel: reserve stock and charge payment at the same time. Each branch retries
        # its own task (retrying the whole Parallel would charge again after a failed reserve).
        reserve_and_charge = (
            sfn.Parallel(self, "ReserveAndCharge", result_path="$.fulfilment")
            .branch(add_retry(self._step("Reserve", "reserve"), STEP_RETRY))
            .branch(add_retry(self._step("Charge", "charge"), STEP_RETRY))
        )
        add_catch(reserve_and_charge, record_failure)

        # Choice + activity: large orders wait for an approval worker.
        wait = sfn.Wait(self, "WaitForWarehouse", time=sfn.WaitTime.duration(Duration.seconds(1)))
        await_approval = self.approval.invoke("AwaitApproval", result_path="$.approval")
        add_catch(await_approval, record_failure)
        needs_approval = (
            sfn.Choice(self, "NeedsApproval")
            .when(
                sfn.Condition.number_greater_than("$.validation.total", APPROVAL_THRESHOLD),
                await_approval.next(wait),
            )
            .otherwise(wait)
        )

        # Map: pack every item, five at a time.
        pack_items = sfn.Map(
            self,
            "PackItems",
            items_path="$.order.items",
            max_concurrency=5,
            item_selector={"step": "pack", "item": sfn.JsonPath.object_at("$$.Map.Item.Value")},
            result_path="$.packed",
        )
        pack = tasks.LambdaInvoke(
            self,
            "Pack",
            lambda_function=self.steps.function,
            payload_response_only=True,
            retry_on_service_exceptions=False,
        )
        pack_items.item_processor(add_retry(pack, STEP_RETRY))
        add_catch(pack_items, record_failure)

        # Direct service integration: write the outcome to DynamoDB, no Lambda in between.
        record_order = tasks.DynamoPutItem(
            self,
            "RecordOrder",
            table=self.table,
            item={
                "order_id": tasks.DynamoAttributeValue.from_string(order_id),
                "status": tasks.DynamoAttributeValue.from_string("FULFILLED"),
                "payment_id": tasks.DynamoAttributeValue.from_string(
                    sfn.JsonPath.string_at("$.fulfilment[1].payment_id")
                ),
            },
            result_path=sfn.JsonPath.DISCARD,
        )
        add_catch(add_retry(record_order), record_failure)
        wait.next(pack_items).next(record_order).next(sfn.Succeed(self, "Fulfilled"))

        has_order = sfn.Condition.and_(
            sfn.Condition.is_present("$.order.order_id"),
            sfn.Condition.is_string("$.order.order_id"),
            sfn.Condition.is_present("$.order.items"),
        )
        reject = sfn.Fail(
            self,
            "RejectInput",
            error="InvalidInput",
            cause="order.order_id (a string) and order.items are required",
        )
        return (
            sfn.Choice(self, "CheckInput")
            .when(has_order, validate.next(reserve_and_charge).next(needs_approval))
            .otherwise(reject)
        )


EXAMPLES = {"WorkflowExample": WorkflowExampleStack}
