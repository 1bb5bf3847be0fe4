"""Query text from Python values, as redis-py's ``querystring`` module builds it.

``querystring(intersect(name="ada", age=between(30, 40)))`` is
``"(@name:ada @age:[30 40])"``: nodes join their children (``intersect``: space,
``union``: ``|``; ``disjunct`` prefixes ``-``, ``optional`` ``~``) and field
values render as RediSearch spells them (tags ``{a | b}``, ranges ``[lo hi]`` with
``(`` for an exclusive bound, geo ``[lon lat radius unit]``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

__all__ = (
    "BaseNode",
    "DisjunctNode",
    "DistjunctUnion",
    "GeoValue",
    "IntersectNode",
    "Node",
    "OptionalNode",
    "RangeValue",
    "ScalarValue",
    "TagValue",
    "UnionNode",
    "Value",
    "between",
    "disjunct",
    "disjunct_union",
    "equal",
    "ge",
    "geo",
    "gt",
    "intersect",
    "le",
    "lt",
    "querystring",
    "tags",
    "union",
)


def tags(*t: Any) -> TagValue:
    """Match any of these tags: ``{a | b}``.

    :raises ValueError: no tag given.
    """
    if not t:
        raise ValueError("At least one tag must be specified")
    return TagValue(*t)


def between(
    a: Any, b: Any, inclusive_min: bool = True, inclusive_max: bool = True
) -> RangeValue:
    """Match a number in ``[a b]`` (None: unbounded on that side)."""
    return RangeValue(a, b, inclusive_min=inclusive_min, inclusive_max=inclusive_max)


def equal(n: Any) -> RangeValue:
    """Match the number ``n``."""
    return between(n, n)


def lt(n: Any) -> RangeValue:
    """Match a number below ``n``."""
    return between(None, n, inclusive_max=False)


def le(n: Any) -> RangeValue:
    """Match a number up to ``n``."""
    return between(None, n, inclusive_max=True)


def gt(n: Any) -> RangeValue:
    """Match a number above ``n``."""
    return between(n, None, inclusive_min=False)


def ge(n: Any) -> RangeValue:
    """Match a number from ``n`` up."""
    return between(n, None, inclusive_min=True)


def geo(lat: Any, lon: Any, radius: Any, unit: str = "km") -> GeoValue:
    """Match a point within ``radius`` of ``lat``, ``lon`` (note the order)."""
    return GeoValue(lon, lat, radius, unit)


class Value(ABC):
    """A field value in query text."""

    #: Whether several values of one field may be joined in one clause.
    combinable = False

    @staticmethod
    def make_value(v: Any) -> Value:
        """``v`` as a :class:`Value` (a plain value becomes a :class:`ScalarValue`)."""
        return v if isinstance(v, Value) else ScalarValue(v)

    @abstractmethod
    def to_string(self) -> str:
        """The value as query text."""

    def __str__(self) -> str:
        return self.to_string()


class RangeValue(Value):
    """A numeric range: ``[lo hi]``, ``(`` before an exclusive bound."""

    combinable = False

    def __init__(
        self, a: Any, b: Any, inclusive_min: bool = False, inclusive_max: bool = False
    ) -> None:
        self.range = [str("-inf" if a is None else a), str("inf" if b is None else b)]
        self.inclusive_min = inclusive_min
        self.inclusive_max = inclusive_max

    def to_string(self) -> str:
        low = "" if self.inclusive_min else "("
        high = "" if self.inclusive_max else "("
        return f"[{low}{self.range[0]} {high}{self.range[1]}]"


class ScalarValue(Value):
    """A plain value, as its ``str``."""

    combinable = True

    def __init__(self, v: Any) -> None:
        self.v = str(v)

    def to_string(self) -> str:
        return self.v


class TagValue(Value):
    """Tags: ``{a | b}``."""

    combinable = False

    def __init__(self, *tags: Any) -> None:
        self.tags = tags

    def to_string(self) -> str:
        return "{" + " | ".join(str(t) for t in self.tags) + "}"


class GeoValue(Value):
    """A geo radius: ``[lon lat radius unit]``."""

    def __init__(self, lon: Any, lat: Any, radius: Any, unit: str = "km") -> None:
        self.lon = lon
        self.lat = lat
        self.radius = radius
        self.unit = unit

    def to_string(self) -> str:
        return f"[{self.lon} {self.lat} {self.radius} {self.unit}]"


class Node:
    """A query node: sub-nodes (or query text) and field conditions.

    :param children: sub-nodes, or text taken as it is.
    :param kwparams: field name -> a value, a :class:`Value`, or a list of them.
    """

    #: What joins the children; each node kind sets it.
    JOINSTR = " "

    def __init__(self, *children: Any, **kwparams: Any) -> None:
        self.params: list[Node] = [Node.to_node(child) for child in children]
        for key, given in kwparams.items():
            if isinstance(given, str | int | float):
                values = [Value.make_value(given)]
            elif isinstance(given, Value):
                values = [given]
            else:
                values = [Value.make_value(v) for v in given]
            self.params.extend(self.join_fields(key, values))

    def join_fields(self, key: str, vals: list[Value]) -> list[Node]:
        """The clauses for field ``key`` matching ``vals``: one clause for one
        value or for combinable ones, else one per value."""
        if len(vals) == 1:
            return [BaseNode(f"@{key}:{vals[0].to_string()}")]
        if not vals[0].combinable:
            return [BaseNode(f"@{key}:{v.to_string()}") for v in vals]
        joined = self.JOINSTR.join(v.to_string() for v in vals)
        return [BaseNode(f"@{key}:({joined})")]

    @classmethod
    def to_node(cls, obj: Any) -> Node:
        """``obj`` as a node (text becomes a :class:`BaseNode`)."""
        return obj if isinstance(obj, Node) else BaseNode(obj)

    def to_string(self, with_parens: bool | None = None) -> str:
        """The node as query text, in parentheses when it has several parts
        (or as ``with_parens`` says)."""
        body = self.JOINSTR.join(node.to_string() for node in self.params)
        return f"({body})" if self._should_use_paren(with_parens) else body

    def _should_use_paren(self, optval: bool | None) -> bool:
        return len(self.params) > 1 if optval is None else optval

    def __str__(self) -> str:
        return self.to_string()


class BaseNode(Node):
    """Query text taken as it is."""

    def __init__(self, s: Any) -> None:
        super().__init__()
        self.s = str(s)

    def to_string(self, with_parens: bool | None = None) -> str:
        return self.s


class IntersectNode(Node):
    """All children must match (AND: joined by spaces)."""

    JOINSTR = " "


class UnionNode(Node):
    """Any child may match (OR: joined by ``|``)."""

    JOINSTR = "|"


class _PrefixedNode(IntersectNode):
    # A node written as a prefix before its children's text.
    PREFIX = ""

    def to_string(self, with_parens: bool | None = None) -> str:
        body = self.PREFIX + super().to_string(with_parens=False)
        return f"({body})" if self._should_use_paren(with_parens) else body


class DisjunctNode(_PrefixedNode):
    """No child may match (NOT: ``-``)."""

    PREFIX = "-"


class DistjunctUnion(DisjunctNode):
    """Not any of the children (``-(a|b)``); redis-py's spelling of the name."""

    JOINSTR = "|"


class OptionalNode(_PrefixedNode):
    """The children raise the score when they match (``~``)."""

    PREFIX = "~"


def intersect(*args: Any, **kwargs: Any) -> IntersectNode:
    """An :class:`IntersectNode`."""
    return IntersectNode(*args, **kwargs)


def union(*args: Any, **kwargs: Any) -> UnionNode:
    """A :class:`UnionNode`."""
    return UnionNode(*args, **kwargs)


def disjunct(*args: Any, **kwargs: Any) -> DisjunctNode:
    """A :class:`DisjunctNode`."""
    return DisjunctNode(*args, **kwargs)


def disjunct_union(*args: Any, **kwargs: Any) -> DistjunctUnion:
    """A :class:`DistjunctUnion`."""
    return DistjunctUnion(*args, **kwargs)


def querystring(*args: Any, **kwargs: Any) -> str:
    """The query text of ``intersect(*args, **kwargs)``."""
    return intersect(*args, **kwargs).to_string()
