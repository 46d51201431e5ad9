"""A graphql-core executor that completes long lists of plain objects without per-field machinery.

graphql-core completes every field of every object through the same general path (resolver
call, info object, awaitable checks, path bookkeeping): about a second per 10,000 objects of a
dashboard-sized answer. For a list whose items select only fields that need no ``info``, no
arguments and no awaiting (attributes, and sync methods of ``self`` alone), this executor
compiles the selection once into a plan of getters and serialisers and applies it to each item.

The plan gives the same answer as the general path or none at all: anything it cannot complete
exactly (a null in a non-null field, an unexpected value, a resolver that raises) makes it give
up on that list, which is then completed the general way, errors and all. It is the execution
context of service.graphql.schema, and builds on graphql-core 3.3 (pinned in pyproject.toml).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from keyword import iskeyword
from math import isfinite
from types import CodeType
from typing import Any

from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    OperationDefinitionNode,
    get_nullable_type,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from service.graphql.documents import kept_text
from service.graphql.reads import Built, inline, names_in, parts_of, path_read, reader

#: item → its completed value (a dict for objects); raises GiveUp when it cannot be exact.
Plan = Callable[[Any], Any]

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
#: Every int up to 2**53 in magnitude is exactly a float.
_FLOAT_EXACT = 2**53


class GiveUp(Exception):
    """The plan cannot complete this value exactly; the general path will."""


@dataclass(frozen=True)
class Step:
    """How one response key of an object is completed."""

    key: str
    #: Reads the field off its parent; ``attribute`` names it when it is a plain attribute.
    get: Callable[[Any], Any]
    attribute: str | None
    #: Completes what ``get`` returned (null checks included).
    finish: Plan
    #: A built-in scalar (Int, String, ID, Boolean) whose check can be written inline.
    leaf: str | None
    non_null: bool
    #: The same value for every object (``__typename``): ``get`` needs no object.
    constant: bool = False


def _int(value: Any) -> int:
    if type(value) is int and _INT_MIN <= value <= _INT_MAX:
        return value
    raise GiveUp


def _float(value: Any) -> float:
    # graphql-core refuses NaN, the infinities and ints a float would round; so does the general
    # path this gives up to, with graphql-core's own error for the field.
    if type(value) is float and isfinite(value):
        return value
    if type(value) is int and -_FLOAT_EXACT <= value <= _FLOAT_EXACT:
        return float(value)
    raise GiveUp


def _str(value: Any) -> str:
    if type(value) is str:
        return value
    raise GiveUp


def _bool(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise GiveUp


#: Built-in scalars whose exact values pass through as they are.
_BUILT_IN: dict[str, Callable[[Any], Any]] = {
    GraphQLInt.name: _int,
    GraphQLFloat.name: _float,
    GraphQLString.name: _str,
    GraphQLBoolean.name: _bool,
    GraphQLID.name: _str,
}


def _leaf(leaf: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
    built_in = _BUILT_IN.get(leaf.name)
    if built_in is not None:
        return built_in
    serialize = leaf.serialize

    def serialized(value: Any) -> Any:
        try:
            result = serialize(value)
        except Exception as error:  # the general path reports it as a field error
            raise GiveUp from error
        if result is None:
            raise GiveUp
        return result

    return serialized


def _nullable(finish: Callable[[Any], Any], *, non_null: bool) -> Callable[[Any], Any]:
    if non_null:

        def required(value: Any) -> Any:
            if value is None:
                raise GiveUp
            return finish(value)

        return required
    return lambda value: None if value is None else finish(value)


def _each(finish: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    def each(values: Any) -> list[Any]:
        if not isinstance(values, list | tuple):
            raise GiveUp
        return [finish(value) for value in values]

    return each


def _getter(field: Any) -> Callable[[Any], Any] | None:
    """How to read a field off its parent without graphql-core, or None when that needs info."""
    definition = field.extensions.get("strawberry-definition")
    if definition is None or field.args or definition.permission_classes or definition.extensions:
        return None
    resolver = definition.base_resolver
    if resolver is None:
        return _Attribute(definition.python_name)
    path = path_read(resolver.wrapped_func)
    if path is not None:
        return _Attribute(path)
    if (
        resolver.is_async
        or resolver.arguments
        or resolver.info_parameter is not None
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
        or resolver.self_parameter is None
    ):
        return None
    method: Callable[[Any], Any] = resolver.wrapped_func
    return method


class _Attribute:
    """Reads an attribute, or an expression over attributes (``@reads``), and says which, so a
    compiled plan can read it inline."""

    def __init__(self, attribute: str) -> None:
        self.attribute, self._get = attribute, reader(attribute)

    def __call__(self, source: Any) -> Any:
        return self._get(source)


def _constant(key: str, value: str) -> Step:
    return Step(
        key=key,
        get=lambda _: value,
        attribute=None,
        finish=lambda v: v,
        leaf=None,
        non_null=True,
        constant=True,
    )


@dataclass(frozen=True)
class ListPlan:
    """A list field's compiled plan (None: the general path), and the memos it empties after a run."""

    #: The field nodes the plan was compiled for: held, so that the ids keying it are not reused.
    nodes: tuple[FieldNode, ...]
    plan: Plan | None
    memos: list[dict[int, tuple[Any, Any]]]


#: Plans kept across requests (least recently used dropped first); see ``_list_plan``.
MAX_PLANS = 512
_plans: OrderedDict[tuple[Any, tuple[int, ...]], ListPlan] = OrderedDict()


def _has_directives(operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]) -> bool:
    """Whether the operation or a fragment of its document carries a directive anywhere."""
    pending: list[Any] = [operation, *(fragment.definition for fragment in fragments.values())]
    while pending:
        node = pending.pop()
        if getattr(node, "directives", None):
            return True
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            pending.extend(selection_set.selections)
    return False


class CompilingExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's graphql-core executor, with compiled plans for lists of plain objects."""

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        if isinstance(result, list | Built) and len(result) > 1:
            entry = self._list_plan(return_type, field_details_list)
            if entry.plan is not None:
                try:
                    return entry.plan(result)  # type: ignore[no-any-return]
                except GiveUp:
                    pass
                finally:
                    for memo in entry.memos:
                        memo.clear()
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _list_plan(self, return_type: GraphQLList[Any], details: FieldDetailsList) -> ListPlan:
        """The plan for a list field, compiled once per selection.

        A selection's field nodes come from a parsed document that the parse cache shares between
        requests, so the plan is kept across requests, keyed by the nodes (which it holds, so
        their ids are not reused). Kept for this request only: the plans of a document with
        directives (``@skip(if: $var)`` may select differently with other variables), and of a
        text the parse cache does not keep (its nodes are new each time, and would hold the text).
        """
        key = (return_type, tuple(id(field.node) for field in details))
        if self._per_request_plans:
            plans: dict[Any, ListPlan] = self.__dict__.setdefault("_plans", {})
            if key not in plans:
                plans[key] = self._compile_list(return_type, details)
            return plans[key]
        found = _plans.get(key)
        if found is None:
            found = _plans[key] = self._compile_list(return_type, details)
            if len(_plans) > MAX_PLANS:
                _plans.popitem(last=False)
        else:
            _plans.move_to_end(key)
        return found

    @cached_property
    def _per_request_plans(self) -> bool:
        source = self.operation.loc.source.body if self.operation.loc is not None else None
        return source is None or not kept_text(source) or _has_directives(self.operation, self.fragments)

    def _compile_list(self, return_type: GraphQLList[Any], details: FieldDetailsList) -> ListPlan:
        self._memos: list[dict[int, tuple[Any, Any]]] = []
        plan = self._compile(return_type, details)
        return ListPlan(nodes=tuple(field.node for field in details), plan=plan, memos=self._memos)

    def _compile(self, type_: GraphQLOutputType, details: FieldDetailsList) -> Plan | None:
        """A plan completing values of ``type_`` selected by ``details``; None if one is not exact."""
        non_null = isinstance(type_, GraphQLNonNull)
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            return _nullable(_leaf(inner), non_null=non_null)
        if isinstance(inner, GraphQLList):
            item_type = get_nullable_type(inner.of_type)
            if isinstance(item_type, GraphQLObjectType):  # the loop compiled with the object
                steps = self._object_steps(item_type, details)
                if steps is None:
                    return None
                items_non_null = isinstance(inner.of_type, GraphQLNonNull)
                return _nullable(_object(*steps, each=True, items_non_null=items_non_null), non_null=non_null)
            item = self._compile(inner.of_type, details)
            return None if item is None else _nullable(_each(item), non_null=non_null)
        if isinstance(inner, GraphQLObjectType):
            steps = self._object_steps(inner, details)
            return None if steps is None else _nullable(_object(*steps), non_null=non_null)
        return None  # interfaces and unions resolve their type at run time

    def _object_steps(
        self, object_type: GraphQLObjectType, details: FieldDetailsList
    ) -> tuple[list[Step], type | None, type | None] | None:
        """How each selected field of ``object_type`` is completed, the class its values must
        have (None: any) and the type's class (whose parts a ``Built`` list may hold); None when
        some field cannot be completed exactly by a plan."""
        if self._has_middleware():
            return None
        kind = getattr(object_type.extensions.get("strawberry-definition"), "origin", None)
        kind = kind if isinstance(kind, type) else None
        # A type that implements an interface (Node) has strawberry's ``is_type_of``, which passes
        # instances of its class; the plan checks for exactly that class, the rest go the long way.
        origin = None
        if object_type.is_type_of is not None:
            if kind is None:
                return None
            origin = kind
        collected = self.collect_subfields(object_type, details)
        if collected.new_defer_usages:
            return None
        steps: list[Step] = []
        for response_key, field_details in collected.grouped_field_set.items():
            name = field_details[0].node.name.value
            if name == "__typename":
                steps.append(_constant(response_key, object_type.name))
                continue
            field = object_type.fields.get(name)
            getter = None if field is None else _getter(field)
            finish = None if field is None else self._compile(field.type, field_details)
            if finish is not None and field is not None:
                finish = self._shared(field.type, finish)
            if field is None or getter is None or finish is None:
                return None
            leaf = get_nullable_type(field.type)
            steps.append(
                Step(
                    key=response_key,
                    get=getter,
                    attribute=getattr(getter, "attribute", None),
                    finish=finish,
                    leaf=leaf.name if isinstance(leaf, GraphQLScalarType) else None,
                    non_null=isinstance(field.type, GraphQLNonNull),
                )
            )
        return steps, origin, kind

    def _shared(self, type_: GraphQLOutputType, finish: Plan) -> Plan:
        """For a field holding one object (not a list): the same completed value for the same
        object, while one list's plan runs.

        A dashboard's 7,896 observations point at 47 prefectures and 12 indicators: each of those
        is completed once and its dict shared. A plan runs synchronously and completes a value
        from the object alone, so within one run the same object always completes the same; the
        memo holds the objects it keys (their ids cannot be reused) and is emptied after the run.
        """
        if not isinstance(get_nullable_type(type_), GraphQLObjectType):
            return finish
        memo: dict[int, tuple[Any, Any]] = {}
        self._memos.append(memo)

        def shared(value: Any) -> Any:
            found = memo.get(id(value))
            if found is not None and found[0] is value:
                return found[1]
            completed = finish(value)
            memo[id(value)] = (value, completed)
            return completed

        shared.memo = memo  # type: ignore[attr-defined]  # a compiled plan looks it up inline
        return shared

    def _has_middleware(self) -> bool:
        manager = self.middleware_manager
        return manager is not None and bool(manager.middlewares)


#: Checks inlined into compiled plans for built-in scalars: the condition under which the value is
#: its own answer. A value failing it goes through the field's ``finish`` (which converts an int
#: for a Float, or gives up). ``x - x == 0.0`` is false for NaN and the infinities.
_INLINE_CHECKS = {
    GraphQLInt.name: "{v}.__class__ is int and -2147483648 <= {v} <= 2147483647",
    GraphQLFloat.name: "{v}.__class__ is float and {v} - {v} == 0.0",
    GraphQLString.name: "{v}.__class__ is str",
    GraphQLID.name: "{v}.__class__ is str",
    GraphQLBoolean.name: "{v}.__class__ is bool",
}


@lru_cache(maxsize=1024)
def _compiled(source: str) -> CodeType:
    """The source compiled once: every request (and every alias) selecting the same fields
    generates the same source, and compiling it is most of the cost of a plan."""
    return compile(source, "<plan>", "exec")


def _object(
    steps: Iterable[Step],
    origin: type | None = None,
    kind: type | None = None,
    *,
    each: bool = False,
    items_non_null: bool = True,
) -> Plan:
    """Compiles the steps into one function: a statement or two per field, one dict per object;
    with ``origin``, only for objects of exactly that class. With ``each``, the function completes
    a list of such objects, the loop compiled in (no call per item); and when ``kind`` declares
    its parts and every field reads only them, a ``Built`` list of ``kind`` is completed from the
    tuples of parts, with no object made.

    The generated source only names response keys (GraphQL names, written with ``repr``) and
    expressions of ``@reads`` (attribute names, items and ``+``, checked); everything else is
    passed in as a value.
    """
    steps = list(steps)
    names: dict[str, Any] = {"GiveUp": GiveUp, "origin": origin, "sequences": (list, tuple), "Built": Built}
    parts = _readable_parts(steps, kind) if each else None
    source = _statements(steps, names, "source.{}")
    body = ["if source.__class__ is not origin: raise GiveUp", *source] if origin is not None else source
    completed = "{" + ", ".join(f"{step.key!r}: v{number}" for number, step in enumerate(steps)) + "}"
    if each:
        missing = "raise GiveUp" if items_non_null else "append(None); continue"
        lines = ["def complete(values):"]
        if parts is not None:
            names["kind"] = kind
            lines += [
                "    if values.__class__ is Built and values.kind is kind:",
                "        return from_parts(values.parts)",
            ]
            names["from_parts"] = _from_parts(steps, parts, names, completed)
        lines += [
            "    if values.__class__ is Built: values = list(values)",
            "    if not isinstance(values, sequences): raise GiveUp",
            "    result = []",
            "    append = result.append",
            "    try:",
            "        for source in values:",
            f"            if source is None: {missing}",
            *(f"            {line}" for line in body),
            f"            append({completed})",
        ]
        returned = "result"
    else:
        lines = ["def complete(source):", "    try:", *(f"        {line}" for line in body)]
        returned = completed
    lines += [*_CATCH, f"    return {returned}"]
    exec(_compiled("\n".join(lines)), names)  # the source names only response keys and expressions
    # Taken out of the namespace that is its globals: a function inside its own globals is a
    # reference cycle, left (with everything the plan holds) to a full garbage collection, which
    # service.collector makes rare, when the plan is dropped from the cache.
    complete: Plan = names.pop("complete")
    return complete


#: The end of a plan's ``try``: its own GiveUp passes, any other error gives up too (a resolver
#: failed: the general path reports it).
_CATCH = [
    "    except GiveUp:",
    "        raise",
    "    except Exception as error:",
    "        raise GiveUp from error",
]


def _readable_parts(steps: list[Step], kind: type | None) -> tuple[str, ...] | None:
    """``kind``'s parts when every step reads only them (or is a constant), else None."""
    parts = None if kind is None else parts_of(kind)
    if parts is None or not all(name.isidentifier() and not iskeyword(name) for name in parts):
        return None
    for step in steps:
        if step.constant:
            continue
        if step.attribute is None or not names_in(step.attribute) <= set(parts):
            return None
    return parts


def _from_parts(steps: list[Step], parts: tuple[str, ...], names: dict[str, Any], completed: str) -> Plan:
    """The loop over a ``Built`` list's tuples: each part a local of the loop (``part_point``)."""
    body = _statements(steps, names, "part_{}")
    lines = [
        "def from_parts(tuples):",
        "    result = []",
        "    append = result.append",
        "    try:",
        f"        for {', '.join(f'part_{name}' for name in parts)}, in tuples:",
        *(f"            {line}" for line in body),
        f"            append({completed})",
        *_CATCH,
        "    return result",
    ]
    scope = dict(names)
    exec(_compiled("\n".join(lines)), scope)  # the source names only response keys and expressions
    from_parts: Plan = scope.pop("from_parts")  # not a cycle with its globals (see ``_object``)
    return from_parts


def _statements(steps: list[Step], names: dict[str, Any], read: str) -> list[str]:
    """Each step's statements, ``v<n>`` its completed value; the names it starts from are read as
    ``read`` formats them (``source.{}``: attributes of the object; ``part_{}``: loop locals)."""
    body = []
    for number, step in enumerate(steps):
        value = f"v{number}"
        names[f"get{number}"] = step.get
        if step.attribute is not None and names_in(step.attribute):
            body.append(f"{value} = {inline(step.attribute, read)}")
        else:
            body.append(f"{value} = get{number}({'None' if step.constant else 'source'})")
        names[f"finish{number}"] = step.finish
        check = _INLINE_CHECKS.get(step.leaf or "")
        if check is not None:
            condition = check.format(v=value)
            guard = f"{condition}" if step.non_null else f"{value} is None or ({condition})"
            body.append(f"if not ({guard}): {value} = finish{number}({value})")
        elif hasattr(step.finish, "memo"):  # shared: the lookup inline, the call only to fill it
            names[f"memo{number}"] = step.finish.memo
            body.append(f"c{number} = memo{number}.get(id({value}))")
            body.append(
                f"{value} = c{number}[1] if c{number} is not None and c{number}[0] is {value} "
                f"else finish{number}({value})"
            )
        else:
            body.append(f"{value} = finish{number}({value})")
    return body
