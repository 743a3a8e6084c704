"""CloudFront's origin-facing managed prefix list, resolved at deploy time:
:class:`CloudFrontOriginFacingPrefixList`."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct

from patterns.core import defaults
from patterns.core.nag import acknowledge
from patterns.core.pattern import check_common_props
from patterns.core.validation import Validator
from patterns.edge.singleton_functions import (
    CUSTOM_RESOURCE_DLQ_REASON,
    find_singleton_function,
    tidy_singleton_function,
)

__all__ = ["CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST", "CloudFrontOriginFacingPrefixList"]

#: Name of the AWS-managed prefix list of CloudFront's origin-facing addresses. Its id differs
#: per region and account partition; resolve it at deploy time (ec2:DescribeManagedPrefixLists
#: with a ``prefix-list-name`` filter), never hard-code it.
CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"

_PREFIX_LIST_ID_PATH = "PrefixLists.0.PrefixListId"
#: Construct id prefix of aws-cdk-lib's AwsCustomResource singleton function.
_AWS_CUSTOM_RESOURCE_PREFIX = "AWS679f53fac002430cb0da5b7982bd2287"
_FUNCTION_REASONS = {
    "Serverless::Serverless-LambdaDLQ": CUSTOM_RESOURCE_DLQ_REASON,
    "Serverless::Serverless-LambdaTracing": (
        "One read-only API call per deploy, logged to a log group with retention; X-Ray "
        "would need xray:PutTraceSegments on '*' for no diagnostic gain."
    ),
}


class CloudFrontOriginFacingPrefixList(Construct):
    """The id of CloudFront's origin-facing managed prefix list in the stack's region.

    Pass ``prefix_list_id`` to ``ScalableWebTier(cloudfront_prefix_list_id=...)`` (or to
    ``ec2.Peer.prefix_list``) so the load balancer's security group admits only CloudFront.

    The id of ``com.amazonaws.global.cloudfront.origin-facing`` differs per region and cannot
    be known when synthesizing a region-agnostic stack: ``ec2.PrefixList.from_lookup`` needs an
    account and region at synth time (and caches the id in ``cdk.context.json``), and a
    hand-written region -> id table goes stale silently. This construct resolves it at deploy
    time instead: a custom resource (aws-cdk-lib's ``AwsCustomResource``) calls
    ``ec2:DescribeManagedPrefixLists`` filtered by the list's name on create and update and
    returns ``PrefixLists.0.PrefixListId`` - a token that CloudFormation fills in. When the
    region is known, a ``pl-...`` literal or a ``CfnParameter`` works too and needs no Lambda.

    The function runs with its own role (``ec2:DescribeManagedPrefixLists`` only - the action
    has no resource-level permissions, so its resource is ``*``) and a log group with a
    retention. A security group rule that references this list counts as the list's maximum
    entries (about 55) against the quota of 60 rules per security group: reference it once.

    Args:
        scope: parent construct.
        construct_id: id of this construct.
        removal_policy: of the function's log group (and its key). Default RETAIN.

    Raises:
        PatternValidationError: for a ``removal_policy`` that is not a ``RemovalPolicy``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        v = Validator(self)
        # Not a Pattern, so the base's "no silent None" is done here: None would mean Delete.
        v.require(
            removal_policy is not None,
            "removal_policy",
            "must not be None (leave it out for the default RemovalPolicy.RETAIN)",
        )
        check_common_props(v, removal_policy=removal_policy)
        v.raise_if_invalid()
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Looks up the id of CloudFront's origin-facing managed prefix list",
        )
        self.log_group = defaults.log_group(
            self,
            "Logs",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=removal_policy,
        )
        self.log_group.grant_write(self.role)
        call = cr.AwsSdkCall(
            service="EC2",
            action="describeManagedPrefixLists",
            parameters={
                "Filters": [
                    {"Name": "prefix-list-name", "Values": [CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST]}
                ]
            },
            physical_resource_id=cr.PhysicalResourceId.from_response(_PREFIX_LIST_ID_PATH),
            output_paths=[_PREFIX_LIST_ID_PATH],
        )
        self.lookup = cr.AwsCustomResource(
            self,
            "Resource",
            on_create=call,
            on_update=call,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=["ec2:DescribeManagedPrefixLists"], resources=["*"])]
            ),
            role=self.role,
            log_group=self.log_group,
            install_latest_aws_sdk=False,
            memory_size=256,
            timeout=Duration.minutes(2),
        )
        #: ``pl-...`` of the stack's region, resolved at deploy time.
        self.prefix_list_id: str = self.lookup.get_response_field(_PREFIX_LIST_ID_PATH)
        self._acknowledge()

    def _acknowledge(self) -> None:
        policy = self.lookup.node.try_find_child("CustomResourcePolicy")
        if policy is not None:
            acknowledge(
                policy,
                "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                "ec2:DescribeManagedPrefixLists supports no resource-level permissions (the "
                "Service Authorization Reference lists no resource type), and it only reads.",
            )
        tidy_singleton_function(
            find_singleton_function(self, _AWS_CUSTOM_RESOURCE_PREFIX), _FUNCTION_REASONS
        )
