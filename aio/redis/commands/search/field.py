"""Schema fields of ``FT.CREATE``/``FT.ALTER``, as redis-py spells them.

Each field renders itself with :meth:`Field.redis_args`: its name, ``AS`` alias,
type and type options, then the flags common to every type (``NOINDEX``,
``INDEXMISSING``, ``INDEXEMPTY``, ``SORTABLE``, in that order).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aio.redis.exceptions import DataError

__all__ = (
    "Field",
    "GeoField",
    "GeoShapeField",
    "NumericField",
    "TagField",
    "TextField",
    "VectorField",
)

# The phonetic matchers RediSearch knows; any other is silently not sent, as
# redis-py does.
_PHONETIC_MATCHERS = ("dm:en", "dm:fr", "dm:pt", "dm:es")
_VECTOR_ALGORITHMS = ("FLAT", "HNSW", "SVS-VAMANA")


class Field:
    """A field of an index schema.

    :param name: the field's name (a hash field, or a JSONPath on JSON).
    :param args: the type and its options (``["TEXT", "WEIGHT", 1.0]``).
    :param sortable: add ``SORTABLE``.
    :param no_index: add ``NOINDEX`` (only with ``sortable``).
    :param index_missing: add ``INDEXMISSING`` (``ismissing(@f)`` queries).
    :param index_empty: add ``INDEXEMPTY`` (match empty values).
    :param as_name: the attribute name queries use (``AS``).
    :raises ValueError: ``no_index`` without ``sortable``.
    """

    NUMERIC = "NUMERIC"
    TEXT = "TEXT"
    WEIGHT = "WEIGHT"
    GEO = "GEO"
    TAG = "TAG"
    VECTOR = "VECTOR"
    SORTABLE = "SORTABLE"
    NOINDEX = "NOINDEX"
    AS = "AS"
    GEOSHAPE = "GEOSHAPE"
    INDEX_MISSING = "INDEXMISSING"
    INDEX_EMPTY = "INDEXEMPTY"

    def __init__(
        self,
        name: str,
        args: list[Any] | None = None,
        sortable: bool = False,
        no_index: bool = False,
        index_missing: bool = False,
        index_empty: bool = False,
        as_name: str | None = None,
    ) -> None:
        self.name = name
        self.args: list[Any] = [] if args is None else args
        self.as_name = as_name
        flags = (
            (no_index, Field.NOINDEX),
            (index_missing, Field.INDEX_MISSING),
            (index_empty, Field.INDEX_EMPTY),
            (sortable, Field.SORTABLE),
        )
        self.args_suffix: list[Any] = [word for wanted, word in flags if wanted]
        if no_index and not sortable:
            raise ValueError("Non-Sortable non-Indexable fields are ignored")

    def append_arg(self, value: Any) -> None:
        """Add ``value`` to the type options."""
        self.args.append(value)

    def redis_args(self) -> list[Any]:
        """The words of this field in a SCHEMA clause."""
        alias = [self.AS, self.as_name] if self.as_name else []
        return [self.name, *alias, *self.args, *self.args_suffix]


class TextField(Field):
    """A full-text field (``TEXT WEIGHT w [NOSTEM] [PHONETIC m] [WITHSUFFIXTRIE]``).

    :param weight: the field's importance in scoring.
    :param no_stem: do not stem its words.
    :param phonetic_matcher: ``"dm:en"``, ``"dm:fr"``, ``"dm:pt"`` or ``"dm:es"``.
    :param withsuffixtrie: keep a suffix trie (faster contains/suffix queries).
    """

    NOSTEM = "NOSTEM"
    PHONETIC = "PHONETIC"

    def __init__(
        self,
        name: str,
        weight: float = 1.0,
        no_stem: bool = False,
        phonetic_matcher: str | None = None,
        withsuffixtrie: bool = False,
        **kwargs: Any,
    ) -> None:
        Field.__init__(self, name, args=[Field.TEXT, Field.WEIGHT, weight], **kwargs)
        if no_stem:
            self.append_arg(self.NOSTEM)
        if phonetic_matcher in _PHONETIC_MATCHERS:
            self.append_arg(self.PHONETIC)
            self.append_arg(phonetic_matcher)
        if withsuffixtrie:
            self.append_arg("WITHSUFFIXTRIE")


class NumericField(Field):
    """A numeric field (``NUMERIC``): range queries and filters."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        Field.__init__(self, name, args=[Field.NUMERIC], **kwargs)


class GeoShapeField(Field):
    """A polygon/point field (``GEOSHAPE [SPHERICAL|FLAT]``) for WITHIN/CONTAINS.

    :param coord_system: :attr:`SPHERICAL` or :attr:`FLAT` (server default if None).
    """

    SPHERICAL = "SPHERICAL"
    FLAT = "FLAT"

    def __init__(self, name: str, coord_system: str | None = None, **kwargs: Any):
        args: list[Any] = [Field.GEOSHAPE]
        if coord_system:
            args.append(coord_system)
        Field.__init__(self, name, args=args, **kwargs)


class GeoField(Field):
    """A longitude,latitude field (``GEO``) for radius queries."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        Field.__init__(self, name, args=[Field.GEO], **kwargs)


class TagField(Field):
    """An exact-match tag field (``TAG SEPARATOR s [CASESENSITIVE] [WITHSUFFIXTRIE]``).

    :param separator: the character between tags in a value.
    :param case_sensitive: keep the tags' case.
    :param withsuffixtrie: keep a suffix trie.
    """

    SEPARATOR = "SEPARATOR"
    CASESENSITIVE = "CASESENSITIVE"

    def __init__(
        self,
        name: str,
        separator: str = ",",
        case_sensitive: bool = False,
        withsuffixtrie: bool = False,
        **kwargs: Any,
    ) -> None:
        args: list[Any] = [Field.TAG, self.SEPARATOR, separator]
        if case_sensitive:
            args.append(self.CASESENSITIVE)
        if withsuffixtrie:
            args.append("WITHSUFFIXTRIE")
        Field.__init__(self, name, args=args, **kwargs)


class VectorField(Field):
    """A vector field (``VECTOR algorithm count attr value ...``) for KNN and
    range queries.

    :param algorithm: ``"FLAT"``, ``"HNSW"`` or ``"SVS-VAMANA"`` (any case).
    :param attributes: the algorithm's attributes (``{"TYPE": "FLOAT32",
        "DIM": 4, "DISTANCE_METRIC": "COSINE"}``), sent in their order.
    :raises DataError: ``sortable``/``no_index`` given, or an unknown algorithm.
    """

    def __init__(
        self, name: str, algorithm: str, attributes: Mapping[str, Any], **kwargs: Any
    ) -> None:
        if kwargs.get("sortable", False) or kwargs.get("no_index", False):
            raise DataError("Cannot set 'sortable' or 'no_index' in Vector fields.")
        if algorithm.upper() not in _VECTOR_ALGORITHMS:
            raise DataError(
                "Realtime vector indexing supporting 3 Indexing Methods:"
                "'FLAT', 'HNSW', and 'SVS-VAMANA'."
            )
        pairs = [word for item in attributes.items() for word in item]
        Field.__init__(
            self, name, args=[Field.VECTOR, algorithm, len(pairs), *pairs], **kwargs
        )
