"""``Query``: an ``FT.SEARCH`` query and its options, built by chained calls.

``Query("hello").paging(0, 5).with_scores().return_fields("title")`` gives the
words :meth:`Query.get_args` sends after the index name, in redis-py's order:
the query text, the flag and keyword options, ``SUMMARIZE``/``HIGHLIGHT``, then
``LIMIT offset num`` (``DIALECT 2`` unless :meth:`Query.dialect` changes it).
"""

from __future__ import annotations

from typing import Any

from aio.redis.commands.search.dialect import DEFAULT_DIALECT

__all__ = ("Filter", "GeoFilter", "NumericFilter", "Query", "SortbyField")


class Query:
    """An ``FT.SEARCH`` query; every setter returns the query, for chaining.

    :param query_string: the query text (``"@title:hello"``, ``"*"``).
    """

    def __init__(self, query_string: str) -> None:
        self._query_string = query_string
        self._offset = 0
        self._num = 10
        self._no_content = False
        self._no_stopwords = False
        self._fields: list[str] | None = None
        self._verbatim = False
        self._with_payloads = False
        self._with_scores = False
        self._scorer: str | None = None
        self._filters: list[Any] = []
        self._ids: tuple[Any, ...] | None = None
        self._slop = -1
        self._timeout: float | None = None
        self._in_order = False
        self._sortby: SortbyField | None = None
        self._return_fields: list[Any] = []
        #: Returned field -> the encoding its value is decoded with (None: bytes).
        self._return_fields_decode_as: dict[str, str | None] = {}
        self._summarize_fields: list[Any] = []
        self._highlight_fields: list[Any] = []
        self._language: str | None = None
        self._expander: str | None = None
        self._dialect = DEFAULT_DIALECT

    def query_string(self) -> str:
        """The query text."""
        return self._query_string

    def limit_ids(self, *ids: Any) -> Query:
        """Search only the documents with these keys (``INKEYS``)."""
        self._ids = ids
        return self

    def return_fields(self, *fields: str) -> Query:
        """Return only these fields (``RETURN``), decoded as UTF-8."""
        for field in fields:
            self.return_field(field)
        return self

    def return_field(
        self,
        field: str,
        as_field: str | None = None,
        decode_field: bool | None = True,
        encoding: str | None = "utf8",
    ) -> Query:
        """Return ``field`` too (``RETURN``), named ``as_field`` if given.

        :param decode_field: False keeps the value as bytes (a vector).
        :param encoding: how the value is decoded.
        """
        self._return_fields.append(field)
        self._return_fields_decode_as[field] = encoding if decode_field else None
        if as_field is not None:
            self._return_fields += ("AS", as_field)
        return self

    @staticmethod
    def _field_list(fields: list[str] | str | None) -> list[str]:
        if not fields:
            return []
        return [fields] if isinstance(fields, str) else list(fields)

    def summarize(
        self,
        fields: list[str] | str | None = None,
        context_len: int | None = None,
        num_frags: int | None = None,
        sep: str | None = None,
    ) -> Query:
        """Return only the fragments around the matches (``SUMMARIZE``).

        :param fields: the fields to summarize (all if none).
        :param context_len: words of context per fragment (``LEN``).
        :param num_frags: fragments per document (``FRAGS``).
        :param sep: the text between fragments (``SEPARATOR``).
        """
        args: list[Any] = ["SUMMARIZE"]
        names = self._field_list(fields)
        if names:
            args += ["FIELDS", str(len(names)), *names]
        if context_len is not None:
            args += ["LEN", str(context_len)]
        if num_frags is not None:
            args += ["FRAGS", str(num_frags)]
        if sep is not None:
            args += ["SEPARATOR", sep]
        self._summarize_fields = args
        return self

    def highlight(
        self, fields: list[str] | str | None = None, tags: list[str] | None = None
    ) -> Query:
        """Wrap the matched terms in ``tags`` (``HIGHLIGHT``; ``<b>``/``</b>``
        by default), in ``fields`` (all if none)."""
        args: list[Any] = ["HIGHLIGHT"]
        names = self._field_list(fields)
        if names:
            args += ["FIELDS", str(len(names)), *names]
        if tags:
            args += ["TAGS", *tags]
        self._highlight_fields = args
        return self

    def language(self, language: str) -> Query:
        """Stem the query as ``language`` (``LANGUAGE``)."""
        self._language = language
        return self

    def slop(self, slop: int) -> Query:
        """Allow ``slop`` unmatched terms between phrase terms (``SLOP``)."""
        self._slop = slop
        return self

    def timeout(self, timeout: float) -> Query:
        """The query's own timeout in milliseconds (``TIMEOUT``)."""
        self._timeout = timeout
        return self

    def in_order(self) -> Query:
        """Match the terms only in the query's order (``INORDER``)."""
        self._in_order = True
        return self

    def scorer(self, scorer: str) -> Query:
        """Score with ``scorer`` (``SCORER``: ``"BM25"``, ``"TFIDF.DOCNORM"``...)."""
        self._scorer = scorer
        return self

    def get_args(self) -> list[Any]:
        """The words this query sends after the index name."""
        return [
            self._query_string,
            *self._get_args_tags(),
            *self._summarize_fields,
            *self._highlight_fields,
            "LIMIT",
            self._offset,
            self._num,
        ]

    def _get_args_tags(self) -> list[Any]:
        args: list[Any] = []
        if self._no_content:
            args.append("NOCONTENT")
        if self._fields:
            args += ["INFIELDS", len(self._fields), *self._fields]
        if self._verbatim:
            args.append("VERBATIM")
        if self._no_stopwords:
            args.append("NOSTOPWORDS")
        for flt in self._filters:
            if not isinstance(flt, Filter):
                raise AttributeError("Did not receive a Filter object.")
            args += flt.args
        if self._with_payloads:
            args.append("WITHPAYLOADS")
        if self._scorer:
            args += ["SCORER", self._scorer]
        if self._with_scores:
            args.append("WITHSCORES")
        if self._ids:
            args += ["INKEYS", len(self._ids), *self._ids]
        if self._slop >= 0:
            args += ["SLOP", self._slop]
        if self._timeout is not None:
            args += ["TIMEOUT", self._timeout]
        if self._in_order:
            args.append("INORDER")
        if self._return_fields:
            args += ["RETURN", len(self._return_fields), *self._return_fields]
        if self._sortby:
            if not isinstance(self._sortby, SortbyField):
                raise AttributeError("Did not receive a SortByField.")
            args += ["SORTBY", *self._sortby.args]
        if self._language:
            args += ["LANGUAGE", self._language]
        if self._expander:
            args += ["EXPANDER", self._expander]
        if self._dialect:
            args += ["DIALECT", self._dialect]
        return args

    def paging(self, offset: int, num: int) -> Query:
        """Return ``num`` results from ``offset`` (``LIMIT``; 0, 10 by default)."""
        self._offset = offset
        self._num = num
        return self

    def verbatim(self) -> Query:
        """No stemming or query expansion (``VERBATIM``)."""
        self._verbatim = True
        return self

    def no_content(self) -> Query:
        """Return the ids only (``NOCONTENT``)."""
        self._no_content = True
        return self

    def no_stopwords(self) -> Query:
        """Do not drop stopwords from the query (``NOSTOPWORDS``)."""
        self._no_stopwords = True
        return self

    def with_payloads(self) -> Query:
        """Return each document's payload (``WITHPAYLOADS``)."""
        self._with_payloads = True
        return self

    def with_scores(self) -> Query:
        """Return each document's score (``WITHSCORES``)."""
        self._with_scores = True
        return self

    def limit_fields(self, *fields: str) -> Query:
        """Search only these TEXT fields (``INFIELDS``)."""
        self._fields = list(fields)
        return self

    def add_filter(self, flt: Filter) -> Query:
        """Add a :class:`NumericFilter` or :class:`GeoFilter`."""
        self._filters.append(flt)
        return self

    def sort_by(self, field: str, asc: bool = True) -> Query:
        """Sort by ``field`` (``SORTBY field ASC|DESC``)."""
        self._sortby = SortbyField(field, asc)
        return self

    def expander(self, expander: str) -> Query:
        """Expand the query with ``expander`` (``EXPANDER``)."""
        self._expander = expander
        return self

    def dialect(self, dialect: int) -> Query:
        """Run under query dialect ``dialect`` (``DIALECT``; 0 sends none)."""
        self._dialect = dialect
        return self


class Filter:
    """A search filter clause: ``keyword field *args``."""

    def __init__(self, keyword: str, field: str, *args: Any) -> None:
        self.args: list[Any] = [keyword, field, *args]


class NumericFilter(Filter):
    """``FILTER field min max``; an exclusive bound is sent as ``(value``."""

    INF = "+inf"
    NEG_INF = "-inf"

    def __init__(
        self,
        field: str,
        minval: int | float | str,
        maxval: int | float | str,
        minExclusive: bool = False,
        maxExclusive: bool = False,
    ) -> None:
        low = f"({minval}" if minExclusive else minval
        high = f"({maxval}" if maxExclusive else maxval
        Filter.__init__(self, "FILTER", field, low, high)


class GeoFilter(Filter):
    """``GEOFILTER field lon lat radius unit``."""

    METERS = "m"
    KILOMETERS = "km"
    FEET = "ft"
    MILES = "mi"

    def __init__(
        self, field: str, lon: float, lat: float, radius: float, unit: str = KILOMETERS
    ) -> None:
        Filter.__init__(self, "GEOFILTER", field, lon, lat, radius, unit)


class SortbyField:
    """A ``SORTBY`` clause: ``field ASC|DESC``."""

    def __init__(self, field: str, asc: bool = True) -> None:
        self.args: list[Any] = [field, "ASC" if asc else "DESC"]
