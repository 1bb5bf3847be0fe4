"""``AggregateRequest``: an ``FT.AGGREGATE`` pipeline, built by chained calls.

``AggregateRequest("*").group_by("@city", reducers.count().alias("n"))
.sort_by(Desc("@n"), max=10)`` gives the words :meth:`AggregateRequest.build_args`
sends after the index name, in redis-py's order: the query, ``WITHSCHEMA``,
``VERBATIM``, ``SCORER``, ``ADDSCORES``, ``WITHCURSOR``, ``LOAD``, ``DIALECT``,
then the steps (GROUPBY, APPLY, SORTBY, FILTER, LIMIT) in the order they were
added. A :class:`Cursor` reads on from a cursor (``FT.CURSOR READ``).
"""

from __future__ import annotations

from typing import Any

from aio.redis.commands.search.dialect import DEFAULT_DIALECT

__all__ = (
    "FIELDNAME",
    "AggregateRequest",
    "AggregateResult",
    "Asc",
    "Cursor",
    "Desc",
    "Limit",
    "Reducer",
    "SortDirection",
)

#: Pass to :meth:`Reducer.alias` to name the result after the reduced field.
FIELDNAME: Any = object()


class Limit:
    """A ``LIMIT offset count`` step (nothing when ``count`` is 0)."""

    def __init__(self, offset: int = 0, count: int = 0) -> None:
        self.offset = offset
        self.count = count

    def build_args(self) -> list[str]:
        """The step's words."""
        return ["LIMIT", str(self.offset), str(self.count)] if self.count else []


class Reducer:
    """A ``REDUCE`` of a GROUPBY step; the functions are in
    :mod:`aio.redis.commands.search.reducers`.

    :param args: the reducer's arguments.
    """

    #: The reducer's function name (``"COUNT"``); set by each subclass.
    NAME: str | None = None

    def __init__(self, *args: Any) -> None:
        self._args: tuple[Any, ...] = args
        self._field: str | None = None
        self._alias: str | None = None

    def alias(self, alias: Any) -> Reducer:
        """Name the reducer's result ``alias`` (``AS``); :data:`FIELDNAME`
        names it after the field reduced, without its ``@``.

        :raises ValueError: :data:`FIELDNAME` on a reducer of no one field.
        """
        if alias is FIELDNAME:
            if not self._field:
                raise ValueError("Cannot use FIELDNAME alias with no field")
            alias = self._field.removeprefix("@")
        self._alias = alias
        return self

    @property
    def args(self) -> tuple[Any, ...]:
        """The reducer's arguments."""
        return self._args


class SortDirection:
    """A field with a sort direction (see :class:`Asc`, :class:`Desc`)."""

    DIRSTRING: str | None = None

    def __init__(self, field: str) -> None:
        self.field = field


class Asc(SortDirection):
    """Sort ``field`` ascending."""

    DIRSTRING = "ASC"


class Desc(SortDirection):
    """Sort ``field`` descending."""

    DIRSTRING = "DESC"


class AggregateRequest:
    """An ``FT.AGGREGATE`` request for ``aggregate()``; every method but
    :meth:`build_args` returns the request, for chaining.

    :param query: the query selecting the documents (``"*"``: all).
    """

    def __init__(self, query: str = "*") -> None:
        self._query = query
        self._aggregateplan: list[Any] = []
        self._loadfields: list[str] = []
        self._loadall = False
        self._max = 0
        self._with_schema = False
        self._verbatim = False
        self._cursor: list[str] = []
        self._dialect = DEFAULT_DIALECT
        self._add_scores = False
        self._scorer = "TFIDF"

    def load(self, *fields: str) -> AggregateRequest:
        """Load these fields (``LOAD n @f ...``); none: all (``LOAD *``)."""
        if fields:
            self._loadfields.extend(fields)
        else:
            self._loadall = True
        return self

    def group_by(self, fields: str | list[str], *reducers: Reducer) -> AggregateRequest:
        """Group by ``fields`` (``@name``), reducing each group with ``reducers``."""
        names = [fields] if isinstance(fields, str) else list(fields)
        step: list[Any] = ["GROUPBY", str(len(names)), *names]
        for reducer in reducers:
            step += ["REDUCE", reducer.NAME, str(len(reducer.args)), *reducer.args]
            if reducer._alias is not None:
                step += ["AS", reducer._alias]
        self._aggregateplan.extend(step)
        return self

    def apply(self, **kwexpr: str) -> AggregateRequest:
        """Add a computed field per row: ``apply(total="@price * @qty")``."""
        for alias, expr in kwexpr.items():
            self._aggregateplan.extend(["APPLY", expr, "AS", alias])
        return self

    def limit(self, offset: int, num: int) -> AggregateRequest:
        """Keep ``num`` rows from ``offset`` at this point of the pipeline."""
        self._aggregateplan.extend(Limit(offset, num).build_args())
        return self

    def sort_by(self, *fields: str | SortDirection, **kwargs: Any) -> AggregateRequest:
        """Sort the rows by ``fields`` (``"@f"``, :class:`Asc`, :class:`Desc`);
        ``max=n`` keeps the first ``n`` (``MAX``)."""
        words: list[Any] = []
        for field in fields:
            if isinstance(field, Asc | Desc):
                words += [field.field, field.DIRSTRING]
            else:
                words.append(field)
        step: list[Any] = ["SORTBY", str(len(words)), *words]
        most = kwargs.get("max", 0)
        if most > 0:
            step += ["MAX", str(most)]
        self._aggregateplan.extend(step)
        return self

    def filter(self, expressions: str | list[str]) -> AggregateRequest:
        """Keep the rows matching each expression (``FILTER``)."""
        if isinstance(expressions, str):
            expressions = [expressions]
        for expression in expressions:
            self._aggregateplan.extend(["FILTER", expression])
        return self

    def with_schema(self) -> AggregateRequest:
        """Ask for the fields' types (``WITHSCHEMA``)."""
        self._with_schema = True
        return self

    def add_scores(self) -> AggregateRequest:
        """Add each row's score as a field (``ADDSCORES``)."""
        self._add_scores = True
        return self

    def scorer(self, scorer: str) -> AggregateRequest:
        """Score with ``scorer`` (``SCORER``; ``"TFIDF"`` by default)."""
        self._scorer = scorer
        return self

    def verbatim(self) -> AggregateRequest:
        """No stemming or query expansion (``VERBATIM``)."""
        self._verbatim = True
        return self

    def cursor(self, count: int = 0, max_idle: float = 0.0) -> AggregateRequest:
        """Read the rows through a cursor (``WITHCURSOR``), ``count`` at a time,
        the cursor living ``max_idle`` seconds unread (sent in milliseconds)."""
        words = ["WITHCURSOR"]
        if count:
            words += ["COUNT", str(count)]
        if max_idle:
            words += ["MAXIDLE", str(max_idle * 1000)]
        self._cursor = words
        return self

    def build_args(self) -> list[Any]:
        """The words this request sends after the index name."""
        words: list[Any] = [self._query]
        if self._with_schema:
            words.append("WITHSCHEMA")
        if self._verbatim:
            words.append("VERBATIM")
        if self._scorer:
            words += ["SCORER", self._scorer]
        if self._add_scores:
            words.append("ADDSCORES")
        words += self._cursor
        if self._loadall:
            words += ["LOAD", "*"]
        elif self._loadfields:
            words += ["LOAD", str(len(self._loadfields)), *self._loadfields]
        if self._dialect:
            words += ["DIALECT", str(self._dialect)]
        words += self._aggregateplan
        return words

    def dialect(self, dialect: int) -> AggregateRequest:
        """Run under query dialect ``dialect`` (``DIALECT``; 0 sends none)."""
        self._dialect = dialect
        return self


class Cursor:
    """An aggregation cursor; pass it to ``aggregate()`` to read the next rows.

    :param cid: the cursor id the server gave.
    """

    def __init__(self, cid: int) -> None:
        self.cid = cid
        self.max_idle = 0
        self.count = 0

    def build_args(self) -> list[str]:
        """The words of ``FT.CURSOR READ index`` after the index name."""
        words = [str(self.cid)]
        if self.max_idle:
            words += ["MAXIDLE", str(self.max_idle)]
        if self.count:
            words += ["COUNT", str(self.count)]
        return words


class AggregateResult:
    """What ``aggregate()`` returns.

    :param rows: the rows, each a flat ``[field, value, ...]`` list.
    :param cursor: the :class:`Cursor` to read on with (None: no cursor).
    :param schema: the fields' types, with ``with_schema()``.
    :param total: the total the server counted (RESP3 replies).
    :param warnings: the server's warnings (RESP3 replies).
    """

    def __init__(
        self,
        rows: list[Any],
        cursor: Cursor | None,
        schema: Any,
        total: int = 0,
        warnings: list[Any] | None = None,
    ) -> None:
        self.rows = rows
        self.cursor = cursor
        self.schema = schema
        self.total = total
        self.warnings = warnings or []

    def __repr__(self) -> str:
        cid = self.cursor.cid if self.cursor else -1
        return (
            f"<{type(self).__name__} at 0x{id(self):x} "
            f"Rows={len(self.rows)}, Cursor={cid}>"
        )
