"""Authorization in the emulator: who makes a call, which policies AWS evaluates for it, and
the ledger of every decision.

Two kinds of callers are authorized, each the way the real service authorizes it:

- **our code acting as a role** - a Lambda handler, Lambda's poller and destinations, the Step
  Functions tasks, Firehose, the scheduler: the service assumes the role the template gives it
  (:meth:`Authorizer.assume`, checking the role's trust policy), and every call made with the
  session's keys is evaluated against the role's identity-based policies, the resource-based
  policy of the target and, for a call the service serves with a KMS key, that key's policy
  (:meth:`Authorizer.authorize`); the HTTP calls are checked by :mod:`emulator.requests`;
- **a service delivering on our behalf** - SNS to SQS and Lambda, EventBridge to its targets,
  CloudWatch alarms to SNS: the service principal, with ``aws:SourceArn``/``aws:SourceAccount``
  of the topic, rule or alarm, against the target's resource-based policy and key policies
  (:meth:`Authorizer.authorize_service`).

The deployer's calls (CloudFormation, the tests' own clients: fake credentials ``testing``) are
not authorized: ``cdk deploy`` runs with an administrator's role. Every request is evaluated as
sent over TLS (``aws:SecureTransport`` true, ``s3:TlsVersion`` 1.2): the SDKs use HTTPS, the
emulator's plain HTTP on 127.0.0.1 stands in for it.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.base import FAKE_CREDENTIALS
from emulator.policy import Decision, NamedPolicy, Principal, Request, evaluate

__all__ = ["AUTHORIZER", "AccessDenied", "Authorizer", "KmsUse", "Session"]

#: The deployer's access key (CloudFormation and the tests' clients): not authorized.
DEPLOYER_KEY = FAKE_CREDENTIALS["aws_access_key_id"]


class AccessDenied(Exception):
    """A call the policies deny (or that the emulator cannot authorize: it fails loudly)."""

    def __init__(self, decision: Decision | str) -> None:
        self.decision = decision
        super().__init__(str(decision))


@dataclass(frozen=True)
class Session:
    """Temporary credentials of a role, as the service that assumed it holds them."""

    role_arn: str
    service: str
    access_key_id: str
    secret_access_key: str
    session_token: str

    @property
    def principal(self) -> Principal:
        return Principal.role(self.role_arn, self.service.split(".")[0])

    def credentials(self) -> dict[str, str]:
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
        }

    def environment(self) -> dict[str, str]:
        """The variables the Lambda runtime gives a function for its execution role."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_SESSION_TOKEN": self.session_token,
        }


@dataclass(frozen=True)
class KmsUse:
    """A KMS operation a service makes with a key while serving a call (SQS encrypting a
    message with the queue's key ...): authorized for the caller, ``kms:ViaService`` set."""

    action: str
    key: str
    via: str
    #: the encryption context the service sends (``kms:EncryptionContext:...`` keys)
    context: tuple[tuple[str, str], ...] = ()


@dataclass
class Authorizer:
    """Evaluates calls against the policies in moto's backends; keeps every decision."""

    account_id: str = ""
    region: str = ""
    #: every decision, in order
    decisions: list[Decision] = field(default_factory=list)
    #: denied decisions and calls the emulator could not authorize (reasons as text)
    denied: list[str] = field(default_factory=list)
    #: bucket name -> the full bucket policy (moto keeps a copy without conditional Denys)
    bucket_policies: dict[str, Any] = field(default_factory=dict)
    _sessions: dict[str, Session] = field(default_factory=dict)
    _by_role: dict[tuple[str, str], Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self, account_id: str, region: str) -> None:
        self.account_id, self.region = account_id, region
        self.decisions.clear()
        self.denied.clear()
        self.bucket_policies.clear()
        self._sessions.clear()
        self._by_role.clear()

    # -- the ledger --------------------------------------------------------------------------
    def _record(self, decision: Decision) -> Decision:
        with self._lock:
            self.decisions.append(decision)
            if not decision.allowed:
                self.denied.append(str(decision))
        return decision

    def fail(self, reason: str) -> AccessDenied:
        """A call the emulator cannot authorize: recorded as denied, never allowed."""
        with self._lock:
            self.denied.append(f"NOT AUTHORIZABLE: {reason}")
        return AccessDenied(f"the emulator cannot authorize this call: {reason}")

    @contextlib.contextmanager
    def watching(self) -> Iterator[list[str]]:
        """The denials recorded while the block runs (the list fills in as they happen)."""
        start = len(self.denied)
        seen: list[str] = []
        try:
            yield seen
        finally:
            seen.extend(self.denied[start:])

    @contextlib.contextmanager
    def expecting(self) -> Iterator[list[str]]:
        """Like :meth:`watching`, for a block that provokes denials on purpose: they are taken
        out of :attr:`denied` when it ends (and returned in the list)."""
        with self._lock:
            start = len(self.denied)
        seen: list[str] = []
        try:
            yield seen
        finally:
            with self._lock:
                seen.extend(self.denied[start:])
                del self.denied[start:]

    # -- sessions ----------------------------------------------------------------------------
    def assume(self, role_arn: str, service: str, *, source_arn: str | None = None) -> Session:
        """``sts:AssumeRole`` by ``service`` (with the ``aws:SourceAccount``/``aws:SourceArn``
        the service sends): the role's trust policy must allow it. Raises :class:`AccessDenied`."""
        context = {"aws:SourceAccount": self.account_id}
        if source_arn:
            context["aws:SourceArn"] = source_arn
        if service == "firehose.amazonaws.com":
            # Firehose assumes a delivery stream's roles with the account id as external id
            # (the Firehose guide's trust policies: StringEquals sts:ExternalId <account id>)
            context["sts:ExternalId"] = self.account_id
        principal = Principal.of_service(service, self.account_id)
        request = Request(principal, "sts:AssumeRole", role_arn, _secure(context))
        role = _iam_role(self.account_id, role_arn)
        if role is None:
            raise AccessDenied(self._record(Decision(False, request, "the role does not exist")))
        trust = NamedPolicy.parse(f"trust policy of {role.name}", role.assume_role_policy_document)
        decision = self._record(evaluate(request, resource=trust, resource_must_allow=True))
        if not decision.allowed:
            raise AccessDenied(decision)
        return self._session(role_arn, service)

    def session_of(self, role_arn: str, service: str) -> Session | None:
        """The session a service already holds for the role (after :meth:`assume`)."""
        return self._by_role.get((role_arn, service))

    def _session(self, role_arn: str, service: str) -> Session:
        with self._lock:
            held = self._by_role.get((role_arn, service))
            if held:
                return held
            session = Session(
                role_arn=role_arn,
                service=service,
                access_key_id="ASIA" + secrets.token_hex(8).upper(),
                secret_access_key=secrets.token_urlsafe(30),
                session_token=secrets.token_urlsafe(60),
            )
            self._sessions[session.access_key_id] = session
            self._by_role[(role_arn, service)] = session
            return session

    def session_for_key(self, access_key_id: str) -> Session | None:
        return self._sessions.get(access_key_id)

    # -- decisions ---------------------------------------------------------------------------
    def authorize(
        self,
        session: Session,
        action: str,
        resource: str,
        *,
        context: Mapping[str, str] | None = None,
        kms: tuple[KmsUse, ...] = (),
    ) -> Decision:
        """A call by a role session: its identity-based policies, the target's resource-based
        policy, then each KMS key the service uses for it. Raises :class:`AccessDenied`."""
        principal = session.principal
        identity = _identity_policies(self.account_id, session.role_arn)
        request = Request(principal, action, resource, _secure(context or {}))
        decision = self._record(
            evaluate(request, identity=identity, resource=self.resource_policy(resource))
        )
        if not decision.allowed:
            raise AccessDenied(decision)
        for use in kms:
            self._kms(principal, use, identity, {"kms:CallerAccount": self.account_id})
        return decision

    def authorize_service(
        self,
        service: str,
        action: str,
        resource: str,
        *,
        source_arn: str,
        kms: tuple[KmsUse, ...] = (),
    ) -> Decision:
        """A delivery by a service principal on behalf of ``source_arn`` (a topic, a rule, an
        alarm): the target's resource-based policy must allow it, and each key's policy.
        Raises :class:`AccessDenied`."""
        principal = Principal.of_service(service, self.account_id)
        context = {"aws:SourceArn": source_arn, "aws:SourceAccount": self.account_id}
        request = Request(principal, action, resource, _secure(context))
        decision = self._record(evaluate(request, resource=self.resource_policy(resource)))
        if not decision.allowed:
            raise AccessDenied(decision)
        for use in kms:
            self._kms(principal, use, [], context)
        return decision

    def _kms(
        self,
        principal: Principal,
        use: KmsUse,
        identity: list[NamedPolicy],
        context: Mapping[str, str],
    ) -> None:
        key = _kms_key(self.account_id, self.region, use.key)
        if key is None:  # an AWS managed key (alias/aws/...): its policy admits the service
            return
        request = Request(
            principal,
            use.action,
            key.arn,
            _secure({**context, **dict(use.context), "kms:ViaService": use.via}),
        )
        key_policy = NamedPolicy.parse(f"key policy of {key.arn}", key.policy)
        decision = self._record(
            evaluate(request, identity=identity, resource=key_policy, resource_must_allow=True)
        )
        if not decision.allowed:
            raise AccessDenied(decision)

    # -- resource-based policies -------------------------------------------------------------
    def resource_policy(self, arn: str) -> NamedPolicy | None:
        """The resource-based policy AWS evaluates for a call on ``arn`` (None: the type has
        none, or the resource has none)."""
        parts = arn.split(":", 5)
        if len(parts) < 6:
            return None
        _, _, service, region, account, rest = parts
        document: Any = None
        if service == "sqs":
            queue = _sqs_queue(account, region, rest)
            document = queue.policy if queue is not None else None
        elif service == "sns":
            topic = _sns_topic(account, region, arn)
            document = topic.policy if topic is not None else None
        elif service == "s3":
            bucket = rest.split("/", 1)[0]
            document = self.bucket_policies.get(bucket) or _s3_bucket_policy(account, bucket)
        elif service == "lambda":
            document = _lambda_policy(account, region, arn)
        elif service == "kms":
            key = _kms_key(account, region, arn)
            document = key.policy if key is not None else None
        if not document:
            return None
        return NamedPolicy.parse(f"resource policy of {arn}", document)

    def s3_encryption_context(self, bucket: str, key: str) -> tuple[tuple[str, str], ...]:
        """S3's SSE-KMS encryption context: ``aws:s3:arn`` the object's ARN - or the bucket's
        when the bucket uses S3 Bucket Keys (the S3 guide, "Using SSE-KMS")."""
        found = _s3_bucket(self.account_id, bucket)
        encryption = getattr(found, "encryption", None) or {}
        rules = encryption.get("Rule") or []
        bucket_key = any(
            str(rule.get("BucketKeyEnabled")).lower() == "true"
            for rule in (rules if isinstance(rules, list) else [rules])
        )
        arn = f"arn:aws:s3:::{bucket}" if bucket_key else f"arn:aws:s3:::{bucket}/{key}"
        return (("kms:EncryptionContext:aws:s3:arn", arn),)

    def kms_uses(self, arn: str, via: str, *actions: str) -> tuple[KmsUse, ...]:
        """The KMS operations a service makes with the key of ``arn`` (none if unencrypted)."""
        key = self.key_of(arn)
        return tuple(KmsUse(a, key, via) for a in actions) if key else ()

    def key_of(self, arn: str) -> str | None:
        """The customer managed key that encrypts a queue, topic, stream or bucket (None: not
        encrypted, or with an AWS managed key)."""
        _, _, service, region, account, rest = arn.split(":", 5)
        key_id: str | None = None
        if service == "sqs":
            queue = _sqs_queue(account, region, rest)
            key_id = getattr(queue, "kms_master_key_id", None)
        elif service == "sns":
            topic = _sns_topic(account, region, arn)
            key_id = getattr(topic, "kms_master_key_id", None)
        elif service == "kinesis":
            stream = _kinesis_stream(account, region, arn)
            if stream is not None and stream.encryption_type == "KMS":
                key_id = stream.key_id
        elif service == "s3":
            key_id = _s3_default_key(account, rest.split("/", 1)[0])
        elif service == "dynamodb":
            key_id = _dynamodb_table_key(account, region, rest.split("/")[1])
        if not key_id:
            return None
        key = _kms_key(account, region, key_id)
        return key.arn if key is not None else None


def _secure(context: Mapping[str, str]) -> dict[str, str]:
    return {"aws:SecureTransport": "true", **context}


# -- moto's backends ---------------------------------------------------------------------------
def _iam_role(account: str, role_arn: str) -> Any:
    from moto.iam.models import iam_backends

    for role in iam_backends[account]["global"].roles.values():
        if role.arn == role_arn:
            return role
    return None


def _identity_policies(account: str, role_arn: str) -> list[NamedPolicy]:
    role = _iam_role(account, role_arn)
    if role is None:
        return []
    policies = [
        NamedPolicy.parse(f"{name} (inline policy of {role.name})", document)
        for name, document in role.policies.items()
    ]
    for arn, managed in role.managed_policies.items():
        version = next(v for v in managed.versions if v.is_default)
        policies.append(NamedPolicy.parse(f"{arn} (attached to {role.name})", version.document))
    return policies


def _sqs_queue(account: str, region: str, name: str) -> Any:
    from moto.sqs.models import sqs_backends

    return sqs_backends[account][region].queues.get(name)


def _sns_topic(account: str, region: str, arn: str) -> Any:
    from moto.sns.models import sns_backends

    return sns_backends[account][region].topics.get(arn)


def _kinesis_stream(account: str, region: str, arn: str) -> Any:
    from moto.kinesis.models import kinesis_backends

    name = arn.rsplit("/", 1)[-1]
    return kinesis_backends[account][region].streams.get(name)


def _s3_bucket(account: str, bucket: str) -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[account]["aws"].buckets.get(bucket)


def _s3_bucket_policy(account: str, bucket: str) -> Any:
    found = _s3_bucket(account, bucket)
    policy = getattr(found, "policy", None)
    return policy.decode() if isinstance(policy, bytes) else policy


def _s3_default_key(account: str, bucket: str) -> str | None:
    found = _s3_bucket(account, bucket)
    encryption = getattr(found, "encryption", None) or {}
    rules = encryption.get("Rule") or []
    for rule in rules if isinstance(rules, list) else [rules]:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        if default.get("SSEAlgorithm") == "aws:kms":
            return str(default.get("KMSMasterKeyID") or "alias/aws/s3")
    return None


def _dynamodb_table_key(account: str, region: str, name: str) -> str | None:
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[account][region].tables.get(name)
    sse = getattr(table, "sse_specification", None) or {}
    if sse.get("SSEType") == "KMS":  # else an AWS owned key
        return str(sse.get("KMSMasterKeyId") or "alias/aws/dynamodb")
    return None


def _lambda_policy(account: str, region: str, arn: str) -> Any:
    from moto.awslambda.utils import get_backend

    try:
        function = get_backend(account, region).get_function(arn)
        return function.policy.get_policy()["Policy"]
    except Exception:  # no function, or no policy (moto raises for an empty one)
        return None


def _kms_key(account: str, region: str, key_id: str) -> Any:
    """The customer managed key ``key_id`` names; None for an AWS managed key."""
    from moto.kms.models import kms_backends

    if key_id.startswith("arn:aws:kms:"):
        region = key_id.split(":")[3]
    if "alias/aws/" in key_id:
        return None
    backend = kms_backends[account][region]
    try:
        key = backend.keys[backend.any_id_to_key_id(key_id)]
    except (KeyError, TypeError, AttributeError):
        return None
    if any(alias.startswith("alias/aws/") for alias in key.aliases):
        return None  # moto's stand-in for an AWS managed key
    return key


#: The emulator's authorizer (one emulator per process at a time).
AUTHORIZER = Authorizer()


def as_json(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document)
