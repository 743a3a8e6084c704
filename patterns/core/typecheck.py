"""Every prop checked against its type hint before a pattern's own code runs.

A wrong type given to a pattern (a string where a list, a number, a ``Duration`` or a CDK
interface is expected, ``NaN`` or infinity for a number, an object that is no construct for
``alarm_topic``) would otherwise reach the pattern's rules or jsii and end in a ``TypeError``,
an ``AttributeError`` or a dead jsii kernel. :func:`type_problems` reads the annotations of a
pattern's ``__init__`` (or of an option dataclass, recursively) and reports one line per
mismatch, in the words of :class:`~patterns.core.validation.Validator`::

    queues['billing'].visibility_timeout must be an aws_cdk.Duration, got str '30s'

What is checked, by annotation:

- ``bool``: ``True`` or ``False`` only; ``int``: a whole number (not a bool, not ``2.5``) of at
  most 2**31 - 1 in magnitude (an AWS API ``Integer``; planner-only inputs up to 2**53, what a
  jsii number holds exactly); ``float``: a finite number;
- ``str``: a string (whether an empty one is allowed is the pattern's own rule);
- ``Literal[...]``: one of the values; enums, classes, jsii structs, ``datetime``: an instance;
- jsii interfaces (``sns.ITopic``, ``kms.IKey``, ``ec2.IVpc`` ...), which ``isinstance`` cannot
  test: every attribute the interface declares (duck typing, as ``Validator.implements``);
- ``Mapping[K, V]``, ``Sequence[X]``, ``tuple[X, ...]``, ``tuple[A, B]``: a mapping / a list or
  tuple (a string is no list of strings), and every key, value and item;
- an option dataclass (``QueueOptions``, ``Capacity`` ...): an instance, and each of its fields
  against the field's hint (``queues['billing'].max_receive_count``);
- ``X | Y``: either; ``None`` only where the hint admits it (top-level ``None`` is reported by
  the pattern base, with the prop's default).

Unresolved CDK tokens are skipped (a ``CfnParameter`` value is checked at deploy time).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import functools
import inspect
import keyword
import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from aws_cdk import Duration

from patterns.core.validation import PatternValidationError, duration_seconds, is_unresolved

__all__ = [
    "MAX_AWS_INTEGER",
    "MAX_SAFE_INTEGER",
    "PLANNING_ONLY",
    "call_checked",
    "checked",
    "construct_path",
    "describe",
    "type_problems",
]

#: The largest integer a jsii number (a JavaScript double) holds exactly.
MAX_SAFE_INTEGER = 2**53 - 1
#: The largest value of an AWS API ``Integer`` (32-bit signed): an Auto Scaling group's
#: MaxSize, a Batch maxvCpus, an EMR InstanceCount, a Flink Parallelism, an alarm's
#: EvaluationPeriods, a ScalingAdjustment ... every ``int`` prop of the patterns is one.
MAX_AWS_INTEGER = 2**31 - 1
#: ``int`` props that only feed the capacity planners and never reach an AWS API field
#: (a table's distinct partition keys may exceed 2**31).
PLANNING_ONLY = frozenset({"key_cardinality"})

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _short_module(cls: type) -> str:
    """``sns`` for ``aws_cdk.aws_sns``, ``lambda_`` for ``aws_cdk.aws_lambda``, ``""`` for
    ``aws_cdk`` itself and for this library's own types."""
    module = cls.__module__
    if module.startswith("aws_cdk."):
        short = module.rsplit(".", 1)[-1].removeprefix("aws_")
        return f"{short}_" if keyword.iskeyword(short) else short
    return ""


#: Module names read letter by letter, that take "an" (an sns.ITopic, an s3.IBucket).
_SPELLED = frozenset({"sns", "sqs", "s3", "s3_deployment", "ssm"})


def _article(text: str) -> str:
    vowel = text[:1].lower() in "aeiou" or text.split(".", 1)[0] in _SPELLED
    return f"an {text}" if vowel else f"a {text}"


def _class_name(cls: type) -> str:
    if cls is Duration:
        return "aws_cdk.Duration"
    module = _short_module(cls)
    return f"{module}.{cls.__name__}" if module else cls.__name__


def _is_interface(cls: object) -> bool:
    """A jsii interface (``typing.Protocol``), which ``isinstance`` cannot test."""
    return isinstance(cls, type) and bool(getattr(cls, "_is_protocol", False))


@functools.cache
def _interface_members(cls: type) -> tuple[str, ...]:
    """The attributes a jsii interface declares, its own and its bases' (``topic_arn`` ...)."""
    members: list[str] = []
    for base in cls.__mro__:
        if _is_interface(base) and base is not typing.Protocol:
            members.extend(
                name for name in vars(base) if not name.startswith("_") and name not in members
            )
    return tuple(members)


def _has_attribute(value: object, name: str) -> bool:
    """``hasattr`` for a dynamic proxy (jsii's ``InterfaceDynamicProxy``): an attribute that
    exists but raises when read (a jsii property of an imported resource) counts as there."""
    try:
        return hasattr(value, name)
    except Exception:
        return True


def _optional_parts(hint: object) -> tuple[object, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def describe(hint: object) -> str:
    """What a hint allows, as an error message says it (``a list or tuple of str``)."""
    parts = [p for p in _optional_parts(hint) if p is not type(None)]
    if len(parts) > 1:
        return " or ".join(describe(p) for p in parts)
    hint = parts[0] if parts else hint
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return f"one of {', '.join(map(repr, args))}"
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        return f"a mapping of {_plain(args[0])} to {_plain(args[1])}" if args else "a mapping"
    if origin is tuple or (
        isinstance(origin, type) and issubclass(origin, collections.abc.Sequence)
    ):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return f"a tuple of ({', '.join(_plain(a) for a in args)})"
        return f"a list or tuple of {_plain(args[0])}" if args else "a list or tuple"
    if isinstance(hint, TypeVar):
        choices = hint.__constraints__ or ((hint.__bound__,) if hint.__bound__ else ())
        return " or ".join(describe(c) for c in choices) or "any value"
    return _SIMPLE.get(hint) or (
        _article(_class_name(hint)) if isinstance(hint, type) else str(hint)
    )


def _plain(hint: object) -> str:
    """A hint's name without the article, inside a collection's description."""
    text = describe(hint)
    for article in ("a ", "an "):
        if text.startswith(article):
            return text.removeprefix(article)
    return text


_SIMPLE: dict[object, str] = {
    bool: "True or False",
    int: "a whole number",
    float: "a number",
    str: "a string",
    datetime.datetime: "a datetime.datetime",
}


def _got(value: object) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"got {type(value).__name__} {text}"


def _number_problem(value: object, hint: type, *, planning_only: bool = False) -> str | None:
    if is_unresolved(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be {describe(hint)}, {_got(value)}"
    if math.isnan(value):
        return f"must be a number, got {value!r}"
    if math.isinf(value):
        return f"must be a finite number, got {value!r}"
    if hint is int and not float(value).is_integer():
        return f"must be a whole number, got {value!r}"
    if abs(value) > MAX_SAFE_INTEGER:
        return f"must be at most {MAX_SAFE_INTEGER:,} in magnitude, got {value:,}"
    if hint is int and abs(value) > MAX_AWS_INTEGER and not planning_only:
        return (
            f"must be at most {MAX_AWS_INTEGER:,} (AWS takes it as a 32-bit integer), got {value:,}"
        )
    return None


def _scalar_problem(value: object, hint: object, *, planning_only: bool = False) -> str | None:
    """The problem of a value against a hint that is no container, or None."""
    if hint in (Any, object):
        return None
    if hint is bool:
        return None if isinstance(value, bool) else f"must be True or False, {_got(value)}"
    if hint in (int, float):
        return _number_problem(value, typing.cast(type, hint), planning_only=planning_only)
    if hint is str:
        return None if isinstance(value, str) else f"must be a string, {_got(value)}"
    if _is_interface(hint):
        # looked up on the class: reading a jsii property may call into jsii (and throw)
        own = getattr(value, "__dict__", {})
        members = _interface_members(typing.cast(type, hint))
        missing = [
            m
            for m in members
            if not hasattr(type(value), m) and m not in own and not _has_attribute(value, m)
        ]
        return f"must be {describe(hint)}, {_got(value)}" if missing else None
    if hint is Duration and isinstance(value, Duration):
        return _duration_problem(value)
    if isinstance(hint, type):
        ok = isinstance(value, hint) and not (hint is int and isinstance(value, bool))
        return None if ok else f"must be {describe(hint)}, {_got(value)}"
    return None  # a hint this checker does not understand is not guessed at


def _duration_problem(value: Duration) -> str | None:
    """A Duration longer than AWS can take: every AWS duration field is a 32-bit integer of
    seconds or less (an ASG cooldown, a Batch attempt, a lifecycle rule's days ...), so above
    2,147,483,647 seconds (about 68 years) no service accepts it. Negative Durations cannot be
    built."""
    seconds = duration_seconds(value)
    if seconds is None or seconds <= MAX_AWS_INTEGER:
        return None
    return (
        f"must be at most {MAX_AWS_INTEGER:,} seconds (about 68 years: AWS takes durations as "
        f"32-bit integers), got {seconds:,.0f} seconds"
    )


def _items(name: str, value: object, hint: object) -> Iterator[tuple[str, object, object]]:
    """The (name, item, hint) of a container's items, for the recursive check."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        assert isinstance(value, Mapping)
        key_hint, value_hint = args if args else (Any, Any)
        for key, item in value.items():
            yield f"{name} key", key, key_hint
            yield f"{name}[{key!r}]", item, value_hint
        return
    assert isinstance(value, list | tuple)
    if origin is tuple and args and args[-1] is not Ellipsis:
        pairs = enumerate(zip(value, args, strict=True))
        yield from ((f"{name}[{i}]", item, arg) for i, (item, arg) in pairs)
        return
    yield from ((f"{name}[{i}]", item, args[0] if args else Any) for i, item in enumerate(value))


def _container_problem(value: object, hint: object) -> str | None:
    """The problem of the container itself (its kind, a fixed tuple's length), or None."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return None if isinstance(value, Mapping) else f"must be {describe(hint)}, {_got(value)}"
    if not isinstance(value, list | tuple):
        return f"must be {describe(hint)}, {_got(value)}"
    if origin is tuple and args and args[-1] is not Ellipsis and len(value) != len(args):
        return f"must be {describe(hint)}, {_got(value)}"
    return None


def _is_container(hint: object) -> bool:
    origin = typing.get_origin(hint)
    return origin is tuple or (
        isinstance(origin, type) and issubclass(origin, Mapping | collections.abc.Sequence)
    )


def _check(name: str, value: object, hint: object, *, depth: int) -> list[str]:
    """Every problem of ``value`` (named ``name``) against ``hint``."""
    if depth > 8 or hint in (Any, object):
        return []
    parts = _optional_parts(hint)
    if isinstance(hint, TypeVar):  # a constrained TypeVar: one of its constraints
        parts = hint.__constraints__ or ((hint.__bound__,) if hint.__bound__ else (Any,))
        if Any in parts:
            return []
    if value is None:
        return [] if type(None) in parts or None in parts else [f"{name} must not be None"]
    if len(parts) > 1:
        real = [p for p in parts if p is not type(None)]
        results = [_check(name, value, p, depth=depth) for p in real]
        if any(not r for r in results):
            return []
        if len(real) == 1:
            return results[0]
        # the arm of the value's own kind explains best (a QueueOptions with a bad field)
        own = [
            r
            for p, r in zip(real, results, strict=True)
            if isinstance(p, type) and not _is_interface(p) and isinstance(value, p)
        ]
        return own[0] if own else [f"{name} must be {describe(hint)}, {_got(value)}"]
    if typing.get_origin(hint) is typing.Literal:
        allowed = typing.get_args(hint)
        if is_unresolved(value) or any(value == a and type(value) is type(a) for a in allowed):
            return []
        return [f"{name} must be {describe(hint)}, got {value!r}"]
    if _is_container(hint):
        problem = _container_problem(value, hint)
        if problem:
            return [f"{name} {problem}"]
        return [
            p
            for item_name, item, item_hint in _items(name, value, hint)
            for p in _check(item_name, item, item_hint, depth=depth + 1)
        ]
    planning_only = name.rsplit(".", 1)[-1] in PLANNING_ONLY
    problem = _scalar_problem(value, hint, planning_only=planning_only)
    if problem:
        return [f"{name} {problem}"]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_problems(name, value, hint, depth=depth + 1)
    return []


@functools.cache
def _field_hints(cls: type) -> tuple[tuple[str, object], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.name in hints)


def _dataclass_problems(name: str, value: object, cls: type, *, depth: int) -> list[str]:
    return [
        problem
        for field, hint in _field_hints(cls)
        for problem in _check(
            f"{name}.{field}",
            getattr(value, field, None),
            hint,
            depth=depth,
        )
    ]


@functools.cache
def _signature(func: Callable[..., object]) -> tuple[inspect.Signature, dict[str, Any]]:
    return inspect.signature(func), typing.get_type_hints(func)


def type_problems(
    func: Callable[..., object],
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    *,
    skip_none: bool = True,
) -> list[str]:
    """Every argument of a call of ``func`` checked against ``func``'s annotations.

    Args:
        func: the function (a pattern's ``__init__``, with ``self`` in ``args``).
        args: the positional arguments as given.
        kwargs: the keyword arguments as given.
        skip_none: leave a top-level ``None`` to the caller (the pattern base reports it with
            the prop's default). Default: skipped.
    """
    signature, hints = _signature(func)
    try:
        bound = signature.bind_partial(*args, **kwargs)
    except TypeError:
        return []  # Python reports a wrong call itself, with its own message
    problems: list[str] = []
    for name, value in bound.arguments.items():
        if name == "self" or name not in hints:
            continue
        if value is None and skip_none:
            continue
        problems.extend(_check(name, value, hints[name], depth=0))
    return problems


def _non_finite(value: object, depth: int = 0) -> bool:
    """Whether a NaN or infinity hides in ``value`` (jsii cannot carry one: its kernel dies)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if depth > 8 or isinstance(value, str | bytes):
        return False
    if isinstance(value, Mapping):
        return any(_non_finite(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_non_finite(v, depth + 1) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(
            _non_finite(getattr(value, f.name, None), depth + 1) for f in dataclasses.fields(value)
        )
    return False


def call_checked(
    func: Callable[..., _R],
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    *,
    path: Callable[[], str],
    first: Sequence[str] = (),
    skip_none: bool = True,
) -> _R:
    """Call ``func(*args, **kwargs)`` so that no argument of a wrong type ends in a crash.

    The arguments are checked against ``func``'s annotations first. A NaN or infinity
    anywhere is reported at once (jsii would die on it). Other mismatches let ``func`` run, so
    that its own validator reports them in its own words with every other problem; what it
    does not report is added to its :class:`PatternValidationError`, and a ``TypeError``,
    ``AttributeError``, ``KeyError``, ``ValueError`` or jsii error it raises on them (or its
    success despite them) becomes a :class:`PatternValidationError` with the mismatches.

    Args:
        func: the function (a pattern's ``__init__`` with ``self`` first in ``args``).
        args: positional arguments.
        kwargs: keyword arguments.
        path: the construct path the error names (called only on an error).
        first: problems found before (a pattern's ``None`` props), reported with these.
        skip_none: leave a top-level ``None`` to ``func`` (see :func:`type_problems`).
    """
    problems = type_problems(func, args, kwargs, skip_none=skip_none)
    if problems and any(_non_finite(v) for v in (*args, *kwargs.values())):
        raise PatternValidationError(path(), [*first, *problems])
    if not problems:
        return func(*args, **kwargs)
    try:
        func(*args, **kwargs)
    except PatternValidationError as error:
        missing = [p for p in problems if not _reported(p, error.problems)]
        if not missing:
            raise
        raise PatternValidationError(error.construct_path, [*error.problems, *missing]) from None
    except Exception:
        raise PatternValidationError(path(), [*first, *problems]) from None
    raise PatternValidationError(path(), [*first, *problems])


def _reported(problem: str, reported: Sequence[str]) -> bool:
    """Whether the subject of ``problem`` (``queues['a'].max_receive_count``) is named in
    ``reported`` (with either quote style)."""
    subject = problem.split(" ", 1)[0]
    names = {subject, subject.replace("'", '"')}
    return any(name in line for line in reported for name in names)


def construct_path(args: tuple[object, ...], kwargs: Mapping[str, object], default: str) -> str:
    """The path a construct called with ``(scope, construct_id, ...)`` will have."""
    scope = kwargs.get("scope", args[0] if args else None)
    construct_id = kwargs.get("construct_id", args[1] if len(args) > 1 else default)
    node = getattr(scope, "node", None)
    parent = getattr(node, "path", "") if node is not None else ""
    return f"{parent}/{construct_id}" if parent else str(construct_id)


def checked(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a public helper function: its arguments are checked against its annotations
    before it runs; every mismatch is one :class:`PatternValidationError` naming the function
    (or the construct it was given first)."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        def path() -> str:
            node = getattr(args[0], "node", None) if args else None
            return str(getattr(node, "path", None) or func.__name__)

        return call_checked(func, args, kwargs, path=path, skip_none=False)

    return wrapper
