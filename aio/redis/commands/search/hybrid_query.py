"""The parts of an ``FT.HYBRID`` query (experimental in redis-py 8.1, as here):
a text search (:class:`HybridSearchQuery`) and a vector similarity search
(:class:`HybridVsimQuery`) joined in a :class:`HybridQuery`, how their scores are
combined (:class:`CombineResultsMethod`), what is done with the rows
(:class:`HybridPostProcessingConfig`), and a cursor (:class:`HybridCursorQuery`).

Making any of the experimental classes warns (``UserWarning``) as redis-py does.
"""

from __future__ import annotations

import warnings
from enum import Enum
from typing import Any, Self

from aio.redis.commands.search.aggregation import Limit, Reducer
from aio.redis.commands.search.query import Filter, SortbyField

__all__ = (
    "CombinationMethods",
    "CombineResultsMethod",
    "HybridCursorQuery",
    "HybridFilter",
    "HybridPostProcessingConfig",
    "HybridQuery",
    "HybridSearchQuery",
    "HybridVsimQuery",
    "VectorSearchMethods",
)


def _experimental(cls: type) -> None:
    # redis-py's words when an experimental class is made.
    warnings.warn(
        f"{cls.__name__} is an experimental and may change or be removed in "
        "future versions.",
        UserWarning,
        stacklevel=3,
    )


def _pairs(params: dict[str, Any]) -> list[Any]:
    # "n name value ...": how FT.HYBRID counts its named parameters.
    if not params:
        return []
    return [len(params) * 2, *(w for item in params.items() for w in item)]


class HybridSearchQuery:
    """The text half: ``SEARCH query [SCORER s] [YIELD_SCORE_AS alias]``."""

    def __init__(
        self,
        query_string: str,
        scorer: str | None = None,
        yield_score_as: str | None = None,
    ) -> None:
        _experimental(HybridSearchQuery)
        self._query_string = query_string
        self._scorer = scorer
        self._yield_score_as = yield_score_as

    def query_string(self) -> str:
        """The query text."""
        return self._query_string

    def scorer(self, scorer: str) -> HybridSearchQuery:
        """Score the text search with ``scorer`` (``"BM25STD"``...)."""
        self._scorer = scorer
        return self

    def yield_score_as(self, alias: str) -> HybridSearchQuery:
        """Return the text score as the field ``alias``."""
        self._yield_score_as = alias
        return self

    def get_args(self) -> list[Any]:
        """The words of the text half."""
        words: list[Any] = ["SEARCH", self._query_string]
        if self._scorer:
            words += ["SCORER", self._scorer]
        if self._yield_score_as:
            words += ["YIELD_SCORE_AS", self._yield_score_as]
        return words


class VectorSearchMethods(Enum):
    """How the vector half searches."""

    KNN = "KNN"
    RANGE = "RANGE"


class HybridVsimQuery:
    """The vector half: ``VSIM field vector [KNN|RANGE n params...] [FILTER ...]
    [YIELD_SCORE_AS alias]``.

    :param vector_field_name: the vector field (``"@vec"``).
    :param vector_data: the vector (bytes, or a ``$param`` name).
    :param vsim_search_method: KNN or RANGE (with ``vsim_search_method_params``).
    :param vsim_search_method_params: ``{"K": 10}``, ``{"RADIUS": 0.5}``...
    :param filter: a :class:`HybridFilter` on the vector results.
    :param yield_score_as: return the vector score as this field.
    """

    def __init__(
        self,
        vector_field_name: str,
        vector_data: bytes | str,
        vsim_search_method: VectorSearchMethods | None = None,
        vsim_search_method_params: dict[str, Any] | None = None,
        filter: Filter | None = None,
        yield_score_as: str | None = None,
    ) -> None:
        _experimental(HybridVsimQuery)
        self._vector_field = vector_field_name
        self._vector_data = vector_data
        self._vsim_method_params: list[Any] | None = None
        if vsim_search_method and vsim_search_method_params:
            self.vsim_method_params(vsim_search_method, **vsim_search_method_params)
        self._filter = filter
        self._yield_score_as = yield_score_as

    def vector_field(self) -> str:
        """The vector field."""
        return self._vector_field

    def vector_data(self) -> bytes | str:
        """The vector."""
        return self._vector_data

    def vsim_method_params(
        self, method: VectorSearchMethods, **kwargs: Any
    ) -> HybridVsimQuery:
        """Search with ``method`` and its parameters (``K=10, EF_RUNTIME=100``)."""
        self._vsim_method_params = [method.value, *_pairs(kwargs)]
        return self

    def filter(self, flt: Filter) -> HybridVsimQuery:
        """Filter the vector results with a :class:`HybridFilter`."""
        self._filter = flt
        return self

    def yield_score_as(self, alias: str) -> HybridVsimQuery:
        """Return the vector score as the field ``alias``."""
        self._yield_score_as = alias
        return self

    def get_args(self) -> list[Any]:
        """The words of the vector half."""
        words: list[Any] = ["VSIM", self._vector_field, self._vector_data]
        if self._vsim_method_params:
            words += self._vsim_method_params
        if self._filter:
            words += self._filter.args
        if self._yield_score_as:
            words += ["YIELD_SCORE_AS", self._yield_score_as]
        return words


class HybridQuery:
    """A text search and a vector search, run together by ``hybrid_search``."""

    def __init__(
        self,
        search_query: HybridSearchQuery,
        vector_similarity_query: HybridVsimQuery,
    ) -> None:
        self._search_query = search_query
        self._vector_similarity_query = vector_similarity_query

    def get_args(self) -> list[Any]:
        """The words of both halves."""
        return self._search_query.get_args() + self._vector_similarity_query.get_args()


class CombinationMethods(Enum):
    """How the two halves' scores are combined."""

    RRF = "RRF"
    LINEAR = "LINEAR"


class CombineResultsMethod:
    """``COMBINE RRF|LINEAR [n name value ...]``: the method and its parameters
    (``WINDOW``, ``CONSTANT`` for RRF; ``ALPHA``, ``BETA`` for LINEAR;
    ``YIELD_SCORE_AS``), sent as given."""

    def __init__(self, method: CombinationMethods, **kwargs: Any) -> None:
        _experimental(CombineResultsMethod)
        self._method = method
        self._kwargs = kwargs

    def get_args(self) -> list[Any]:
        """The words of the COMBINE clause."""
        return ["COMBINE", self._method.value, *_pairs(self._kwargs)]


class HybridPostProcessingConfig:
    """What is done with the combined rows: ``LOAD``, ``GROUPBY``, ``APPLY``,
    ``SORTBY``, ``FILTER``, ``LIMIT`` (sent in that order)."""

    def __init__(self) -> None:
        _experimental(HybridPostProcessingConfig)
        self._load_statements: list[Any] = []
        #: Loaded field -> the encoding its value is decoded with (None: bytes).
        self._return_fields_decode_as: dict[str, str | None] = {}
        self._apply_statements: list[Any] = []
        self._groupby_statements: list[Any] = []
        self._sortby_fields: list[SortbyField] = []
        self._filter: Filter | None = None
        self._limit: Limit | None = None

    def load(
        self,
        *fields: str,
        decode_field: bool | None = False,
        encoding: str | None = "utf8",
    ) -> Self:
        """Load these fields (``LOAD n @f [AS alias] ...``; fields may be given
        as one string with spaces). Their values stay bytes unless
        ``decode_field`` (then decoded with ``encoding``)."""
        if fields:
            words = " ".join(fields).split(" ")
            self._load_statements += ["LOAD", len(words), *words]
            self._set_load_field_encodings(words, encoding if decode_field else None)
        return self

    def _set_load_field_encodings(
        self, fields: list[str], encoding: str | None
    ) -> None:
        # A field's result is named by its alias when it has one ("@f AS a"),
        # else by its name without "@".
        i = 0
        while i < len(fields):
            if fields[i].upper() == "AS":
                i += 2
            elif i + 2 < len(fields) and fields[i + 1].upper() == "AS":
                self._return_fields_decode_as[fields[i + 2]] = encoding
                i += 3
            else:
                self._return_fields_decode_as[fields[i].removeprefix("@")] = encoding
                i += 1

    def group_by(self, fields: str | list[str], *reducers: Reducer) -> Self:
        """Group the rows by ``fields``, reducing each group with ``reducers``."""
        names = [fields] if isinstance(fields, str) else list(fields)
        step: list[Any] = ["GROUPBY", str(len(names)), *names]
        for reducer in reducers:
            step += ["REDUCE", reducer.NAME, str(len(reducer.args)), *reducer.args]
            if reducer._alias is not None:
                step += ["AS", reducer._alias]
        self._groupby_statements += step
        return self

    def apply(self, **kwexpr: str) -> Self:
        """Add a computed field per row: ``apply(total="@a + @b")``."""
        for alias, expr in kwexpr.items():
            self._apply_statements += ["APPLY", expr, "AS", alias]
        return self

    def sort_by(self, *sortby: SortbyField) -> Self:
        """Sort the rows by these fields (replacing an earlier sort)."""
        self._sortby_fields = list(sortby)
        return self

    def filter(self, filter: Filter) -> Self:
        """Keep the rows a :class:`HybridFilter` matches."""
        self._filter = filter
        return self

    def limit(self, offset: int, num: int) -> Self:
        """Keep ``num`` rows from ``offset``."""
        self._limit = Limit(offset, num)
        return self

    def build_args(self) -> list[Any]:
        """The words of the post-processing."""
        words: list[Any] = [*self._load_statements, *self._groupby_statements]
        words += self._apply_statements
        if self._sortby_fields:
            sort_words = [w for f in self._sortby_fields for w in f.args]
            words += ["SORTBY", len(sort_words), *sort_words]
        if self._filter:
            words += self._filter.args
        if self._limit:
            words += self._limit.build_args()
        return words


class HybridFilter(Filter):
    """``FILTER conditions`` (``"@year > 2000"``)."""

    def __init__(self, conditions: str) -> None:
        _experimental(HybridFilter)
        Filter.__init__(self, "FILTER", conditions)


class HybridCursorQuery:
    """``WITHCURSOR [COUNT n] [MAXIDLE ms]``."""

    def __init__(self, count: int = 0, max_idle: int = 0) -> None:
        _experimental(HybridCursorQuery)
        self.count = count
        self.max_idle = max_idle

    def build_args(self) -> list[str]:
        """The words of the cursor clause."""
        words = ["WITHCURSOR"]
        if self.count:
            words += ["COUNT", str(self.count)]
        if self.max_idle:
            words += ["MAXIDLE", str(self.max_idle)]
        return words
