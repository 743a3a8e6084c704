"""The change classifier of the synth review, on small hand-made templates."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from synth_review.changes import (
    DOCUMENTED_REPLACEMENTS,
    STATEFUL_TYPES,
    Change,
    ChangeKind,
    Severity,
    apply_acknowledgements,
    compare_stacks,
    compare_templates,
    create_only_properties,
    load_acknowledgements,
)
from synth_review.model import normalise_template


def template(**resources: dict[str, Any]) -> dict[str, Any]:
    return {"Resources": resources}


def queue(**props: Any) -> dict[str, Any]:
    return {"Type": "AWS::SQS::Queue", "Properties": props}


def table(key: str = "pk", key_type: str = "S", **extra: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": key, "AttributeType": key_type}],
            "BillingMode": "PAY_PER_REQUEST",
            **extra,
        },
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    }


def only(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


def test_identical_templates_have_no_changes() -> None:
    t = template(Q=queue(VisibilityTimeout=30), T=table())
    assert compare_templates("S", t, copy.deepcopy(t)) == []


def test_added_resources_are_additions_whatever_their_state() -> None:
    changes = compare_templates(
        "S", template(), template(Q=queue(), R={"Type": "AWS::IAM::Role", "Properties": {}})
    )
    assert {c.logical_id: (c.kind, c.stateful, c.severity) for c in changes} == {
        "Q": (ChangeKind.ADDED, True, Severity.INFO),
        "R": (ChangeKind.ADDED, False, Severity.INFO),
    }


def test_removing_a_stateful_resource_without_retain_is_data_loss() -> None:
    change = only(compare_templates("S", template(Q=queue()), template()))
    assert (change.kind, change.stateful, change.retained) == (ChangeKind.REMOVED, True, False)
    assert change.severity is Severity.DATA_LOSS
    assert change.blocking


def test_removing_a_retained_stateful_resource_orphans_it() -> None:
    change = only(compare_templates("S", template(T=table()), template()))
    assert change.retained
    assert change.severity is Severity.ORPHANED
    assert not change.blocking


def test_removing_a_stateless_resource_is_information() -> None:
    role = {"Type": "AWS::IAM::Role", "Properties": {"Path": "/"}}
    change = only(compare_templates("S", template(R=role), template()))
    assert (change.kind, change.stateful, change.severity) == (
        ChangeKind.REMOVED,
        False,
        Severity.INFO,
    )


def test_updatable_property_is_modified_in_place() -> None:
    change = only(
        compare_templates(
            "S", template(Q=queue(VisibilityTimeout=30)), template(Q=queue(VisibilityTimeout=60))
        )
    )
    assert change.kind is ChangeKind.MODIFIED
    assert change.changed == ("VisibilityTimeout",)
    assert change.severity is Severity.INFO


def test_create_only_property_from_the_schema_replaces_a_stateful_resource() -> None:
    assert "/properties/QueueName" in (create_only_properties("AWS::SQS::Queue") or ())
    change = only(
        compare_templates("S", template(Q=queue(QueueName="a")), template(Q=queue(QueueName="b")))
    )
    assert change.kind is ChangeKind.REPLACED
    assert change.reasons == ("QueueName is create-only (schema)",)
    assert change.severity is Severity.DATA_LOSS


def test_stateless_replacement_is_flagged_but_not_data_loss() -> None:
    old = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "a"}}
    new = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "b"}}
    change = only(compare_templates("S", template(R=old), template(R=new)))
    assert (change.kind, change.stateful) == (ChangeKind.REPLACED, False)
    assert change.severity is Severity.REPLACEMENT
    assert not change.blocking


def test_changed_logical_id_is_a_replacement() -> None:
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {}}}
    change = only(compare_templates("S", template(DataA1=bucket), template(DataB2=bucket)))
    assert change.kind is ChangeKind.REPLACED
    assert (change.old_logical_id, change.logical_id) == ("DataA1", "DataB2")
    assert change.reasons == ("logical ID changed from DataA1 to DataB2",)
    assert change.severity is Severity.DATA_LOSS


def test_changed_logical_id_is_paired_by_construct_path_when_properties_changed_too() -> None:
    old = {**queue(VisibilityTimeout=30), "Metadata": {"aws:cdk:path": "S/Orders/Queue/Resource"}}
    changes = compare_templates(
        "S",
        template(OrdersQueueA=old),
        template(OrdersQueueB=queue(VisibilityTimeout=60)),
        paths={"OrdersQueueB": "S/Orders/Queue/Resource"},
    )
    change = only(changes)
    assert change.old_logical_id == "OrdersQueueA"
    assert change.construct == "Orders/Queue"
    assert change.changed == ("VisibilityTimeout",)


def test_unrelated_removal_and_addition_are_not_paired() -> None:
    changes = compare_templates(
        "S", template(A=queue(VisibilityTimeout=30)), template(B=queue(VisibilityTimeout=60))
    )
    assert sorted((c.logical_id, c.kind) for c in changes) == [
        ("A", ChangeKind.REMOVED),
        ("B", ChangeKind.ADDED),
    ]


def test_type_change_is_a_replacement() -> None:
    change = only(
        compare_templates(
            "S", template(X=queue()), template(X={"Type": "AWS::SNS::Topic", "Properties": {}})
        )
    )
    assert change.kind is ChangeKind.REPLACED
    assert change.stateful  # it was a queue
    assert "type changed" in change.reasons[0]


def test_table_key_schema_schema_and_docs_disagree() -> None:
    """The provider schema does not list KeySchema as create-only; the CloudFormation docs
    say 'Update requires: Replacement'. The documented case is added explicitly."""
    schema = create_only_properties("AWS::DynamoDB::Table") or ()
    assert "/properties/KeySchema" not in schema
    assert "/properties/KeySchema" in DOCUMENTED_REPLACEMENTS["AWS::DynamoDB::Table"]
    change = only(compare_templates("S", template(T=table("pk")), template(T=table("id"))))
    assert change.kind is ChangeKind.REPLACED
    assert change.reasons[0].startswith("KeySchema: ")
    assert "Update requires: Replacement" in change.reasons[0]
    assert change.severity is Severity.DATA_LOSS
    assert change.retained  # UpdateReplacePolicy Retain: the old table is orphaned, still lost


def test_table_local_secondary_index_change_is_a_replacement() -> None:
    lsi = [{"IndexName": "byDate", "KeySchema": [], "Projection": {"ProjectionType": "ALL"}}]
    change = only(
        compare_templates("S", template(T=table()), template(T=table(LocalSecondaryIndexes=lsi)))
    )
    assert change.kind is ChangeKind.REPLACED
    assert change.reasons[0].startswith("LocalSecondaryIndexes: ")


def test_table_key_attribute_type_change_is_a_replacement() -> None:
    change = only(
        compare_templates("S", template(T=table(key_type="S")), template(T=table(key_type="N")))
    )
    assert change.kind is ChangeKind.REPLACED
    assert "type of a key attribute" in change.reasons[0]


def test_table_attribute_for_a_new_index_is_in_place() -> None:
    old = table()
    new = copy.deepcopy(old)
    new["Properties"]["AttributeDefinitions"].append({"AttributeName": "gsi", "AttributeType": "S"})
    change = only(compare_templates("S", template(T=old), template(T=new)))
    assert change.kind is ChangeKind.MODIFIED


def test_table_name_is_create_only_from_the_schema() -> None:
    change = only(
        compare_templates("S", template(T=table(TableName="a")), template(T=table(TableName="b")))
    )
    assert change.reasons == ("TableName is create-only (schema)",)


def test_deletion_policy_change_is_in_place() -> None:
    old, new = queue(), {**queue(), "DeletionPolicy": "Retain"}
    change = only(compare_templates("S", template(Q=old), template(Q=new)))
    assert (change.kind, change.changed) == (ChangeKind.MODIFIED, ("DeletionPolicy",))


def test_create_only_reference_to_a_replaced_resource_cascades() -> None:
    fn = {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "a"}}
    logs = {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${Fn}"}},
    }
    new_fn = {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "b"}}
    changes = {
        c.logical_id: c
        for c in compare_templates("S", template(Fn=fn, Logs=logs), template(Fn=new_fn, Logs=logs))
    }
    assert changes["Fn"].kind is ChangeKind.REPLACED
    assert changes["Logs"].kind is ChangeKind.REPLACED
    assert "refers to replaced Fn" in changes["Logs"].reasons[0]
    assert changes["Logs"].severity is Severity.DATA_LOSS


def test_stateful_types_cover_the_data_stores_of_the_patterns() -> None:
    assert {
        "AWS::DynamoDB::Table",
        "AWS::S3::Bucket",
        "AWS::Kinesis::Stream",
        "AWS::KinesisVideo::Stream",
        "AWS::SQS::Queue",
        "AWS::KMS::Key",
        "AWS::Logs::LogGroup",
        "AWS::AmazonMQ::Broker",
        "AWS::SecretsManager::Secret",
        "AWS::EMR::Cluster",
    } <= STATEFUL_TYPES
    assert "AWS::IAM::Role" not in STATEFUL_TYPES
    for type_name in STATEFUL_TYPES:
        assert create_only_properties(type_name) is not None, f"no schema for {type_name}"


def test_compare_stacks_reports_new_and_removed_stacks() -> None:
    result = compare_stacks({"Old": template(Q=queue())}, {"New": template(Q=queue())})
    assert result["New"].status and "new stack" in result["New"].status
    assert result["Old"].status and "removed" in result["Old"].status
    assert [c.severity for c in result["Old"].changes] == [Severity.DATA_LOSS]


def test_acknowledged_data_loss_does_not_block(tmp_path: Path) -> None:
    acks = tmp_path / "review-acknowledgements.toml"
    acks.write_text(
        '[[acknowledge]]\nresource = "S/T"\nreason = "dev table, re-seeded after the key change"\n'
        '[[acknowledge]]\nresource = "S/Gone"\nreason = "this one no longer matches anything"\n'
    )
    result = compare_stacks(
        {"S": template(T=table("pk"), Q=queue(QueueName="a"))},
        {"S": template(T=table("id"), Q=queue(QueueName="b"))},
    )
    stale = apply_acknowledgements(result, load_acknowledgements(acks))
    by_id = {c.logical_id: c for c in result["S"].changes}
    assert by_id["T"].acknowledgement == "dev table, re-seeded after the key change"
    assert not by_id["T"].blocking
    assert by_id["Q"].blocking  # not acknowledged
    assert [c.logical_id for c in result["S"].blocking] == ["Q"]
    assert stale == ["S/Gone"]


def test_acknowledgement_of_a_renamed_resource_by_its_old_id() -> None:
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {}}
    result = compare_stacks({"S": template(Old=bucket)}, {"S": template(New=bucket)})
    apply_acknowledgements(result, {"S/Old": "the bucket is empty in every environment"})
    assert result["S"].blocking == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[acknowledge]]\nresource = "S/T"\nreason = "ok"\n', "give a reason"),
        (
            '[[acknowledge]]\nresource = "T"\nreason = "a reason long enough to pass"\n',
            "Stack/LogicalId",
        ),
    ],
)
def test_acknowledgements_must_name_a_resource_and_a_reason(
    tmp_path: Path, body: str, message: str
) -> None:
    acks = tmp_path / "acks.toml"
    acks.write_text(body)
    with pytest.raises(ValueError, match=message):
        load_acknowledgements(acks)


def test_acknowledgements_file_is_optional_and_may_be_json(tmp_path: Path) -> None:
    assert load_acknowledgements(tmp_path / "missing.toml") == {}
    acks = tmp_path / "acks.json"
    acks.write_text('[{"resource": "S/T", "reason": "dev table, re-seeded after the change"}]')
    assert load_acknowledgements(acks) == {"S/T": "dev table, re-seeded after the change"}


def test_normalise_template_drops_cli_additions_and_masks_asset_hashes() -> None:
    asset = "a" * 64
    t = {
        "Resources": {
            "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {}},
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": {"S3Key": f"{asset}.zip"}},
                "Metadata": {"aws:cdk:path": "S/Fn/Resource", "aws:asset:path": "asset.x"},
            },
        },
        "Conditions": {"CDKMetadataAvailable": {}},
    }
    assert normalise_template(t) == {
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": {"S3Key": "<asset-hash>.zip"}},
            }
        }
    }


@pytest.mark.parametrize(
    ("before", "after", "loosened"),
    [
        (
            {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
            {"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Retain"},
            ("DeletionPolicy Retain -> Delete",),
        ),
        (
            {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
            {},
            (
                "DeletionPolicy Retain -> Delete (the default)",
                "UpdateReplacePolicy Retain -> Delete (the default)",
            ),
        ),
        (
            {"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "RetainExceptOnCreate"},
            {"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Delete"},
            ("UpdateReplacePolicy RetainExceptOnCreate -> Delete",),
        ),
    ],
)
def test_retention_loosened_on_a_stateful_resource_blocks(
    before: dict[str, str], after: dict[str, str], loosened: tuple[str, ...]
) -> None:
    """Retain -> Delete loses nothing today but lets the next removal or replacement delete
    the data: the review flags it and fails unless acknowledged (cdk diff does not)."""
    change = only(
        compare_templates("S", template(Q={**queue(), **before}), template(Q={**queue(), **after}))
    )
    assert change.kind is ChangeKind.MODIFIED
    assert change.loosened == loosened
    assert (change.severity, change.blocking) == (Severity.RETENTION_LOOSENED, True)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({}, {"DeletionPolicy": "Retain"}),  # tightened
        ({"DeletionPolicy": "Retain"}, {"DeletionPolicy": "RetainExceptOnCreate"}),  # still keeps
        ({"DeletionPolicy": "Delete"}, {}),  # Delete either way
    ],
)
def test_retention_kept_or_tightened_does_not_block(
    before: dict[str, str], after: dict[str, str]
) -> None:
    changes = compare_templates(
        "S", template(Q={**queue(), **before}), template(Q={**queue(), **after})
    )
    assert all(c.loosened == () and not c.blocking for c in changes), changes


def test_retention_loosened_on_a_stateless_resource_is_information() -> None:
    topic = {"Type": "AWS::SNS::Topic", "Properties": {}}
    change = only(
        compare_templates("S", template(T={**topic, "DeletionPolicy": "Retain"}), template(T=topic))
    )
    assert (change.loosened, change.severity) == ((), Severity.INFO)


def test_loosened_retention_can_be_acknowledged() -> None:
    changes = compare_stacks(
        {"S": template(Q={**queue(), "DeletionPolicy": "Retain"})}, {"S": template(Q=queue())}
    )
    stale = apply_acknowledgements(
        changes, {"S/Q": "dev queue: drained and recreated by the pipeline on every deploy"}
    )
    assert stale == []
    (change,) = changes["S"].changes
    assert change.severity is Severity.RETENTION_LOOSENED and not change.blocking
