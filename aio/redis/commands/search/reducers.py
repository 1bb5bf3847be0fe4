"""The ``REDUCE`` functions of ``AggregateRequest.group_by``, as redis-py
names them (``reducers.count()``, ``reducers.sum("@price")``...).

The class names shadow the builtins ``sum``, ``min`` and ``max`` on purpose:
they are redis-py's, so ``import ... reducers as r; r.sum("@x")`` moves over.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aio.redis.commands.search.aggregation import Asc, Desc, Reducer, SortDirection

__all__ = (
    "FieldOnlyReducer",
    "avg",
    "collect",
    "count",
    "count_distinct",
    "count_distinctish",
    "first_value",
    "max",
    "min",
    "quantile",
    "random_sample",
    "stddev",
    "sum",
    "tolist",
)


def _at(name: str) -> str:
    # COLLECT wants every field named with exactly one leading "@".
    return name if name.startswith("@") else "@" + name


class FieldOnlyReducer(Reducer):
    """A reducer of one field and no other argument."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self._field = field


class count(Reducer):
    """The number of rows in the group (``COUNT``)."""

    NAME = "COUNT"

    def __init__(self) -> None:
        super().__init__()


class sum(FieldOnlyReducer):
    """The sum of ``field`` in the group (``SUM``)."""

    NAME = "SUM"


class min(FieldOnlyReducer):
    """The smallest value of ``field`` in the group (``MIN``)."""

    NAME = "MIN"


class max(FieldOnlyReducer):
    """The largest value of ``field`` in the group (``MAX``)."""

    NAME = "MAX"


class avg(FieldOnlyReducer):
    """The mean of ``field`` in the group (``AVG``)."""

    NAME = "AVG"


class tolist(FieldOnlyReducer):
    """The distinct values of ``field`` in the group, as a list (``TOLIST``)."""

    NAME = "TOLIST"


class count_distinct(FieldOnlyReducer):
    """The number of distinct values of ``field`` (``COUNT_DISTINCT``)."""

    NAME = "COUNT_DISTINCT"


class count_distinctish(FieldOnlyReducer):
    """An estimate of :class:`count_distinct`, faster (``COUNT_DISTINCTISH``)."""

    NAME = "COUNT_DISTINCTISH"


class quantile(Reducer):
    """The value of ``field`` at quantile ``pct`` (0..1) in the group (``QUANTILE``)."""

    NAME = "QUANTILE"

    def __init__(self, field: str, pct: float) -> None:
        super().__init__(field, str(pct))
        self._field = field


class stddev(FieldOnlyReducer):
    """The standard deviation of ``field`` in the group (``STDDEV``)."""

    NAME = "STDDEV"


class first_value(Reducer):
    """The first value of ``field`` in the group, ordered by ``byfields``
    (``FIRST_VALUE field [BY f ASC|DESC ...]``).

    :param byfields: :class:`Asc`/:class:`Desc` instances, or the class
        ``Asc`` or ``Desc`` alone to order by ``field`` itself.
    """

    NAME = "FIRST_VALUE"

    def __init__(self, field: str, *byfields: Any) -> None:
        order: tuple[Any, ...] = byfields
        if (
            len(order) == 1
            and isinstance(order[0], type)
            and issubclass(order[0], SortDirection)
        ):
            order = (order[0](field),)
        words = [word for f in order for word in (f.field, f.DIRSTRING)]
        super().__init__(field, *(["BY", *words] if words else []))
        self._field = field


class random_sample(Reducer):
    """Up to ``size`` random values of ``field`` in the group (``RANDOM_SAMPLE``)."""

    NAME = "RANDOM_SAMPLE"

    def __init__(self, field: str, size: int) -> None:
        super().__init__(field, str(size))
        self._field = field


class collect(Reducer):
    """The group's rows, projected on ``fields`` (``COLLECT``, a preview
    feature of recent RediSearch).

    :param fields: ``"*"`` or field names (sent with one leading ``@``).
    :param distinct: add ``DISTINCT``.
    :param sort_by: an :class:`Asc`/:class:`Desc`, or several.
    :param limit: ``(offset, count)``.
    :raises ValueError: no field names, a blank one, or an empty ``sort_by``.
    """

    NAME = "COLLECT"

    def __init__(
        self,
        fields: str | Iterable[str] = "*",
        distinct: bool = False,
        sort_by: Asc | Desc | Iterable[Asc | Desc] | None = None,
        limit: tuple[int, int] | None = None,
    ) -> None:
        words: list[str] = []
        if fields == "*":
            words += ["FIELDS", "*"]
        else:
            names = [fields] if isinstance(fields, str) else list(fields)
            if not names or any(not name.strip() for name in names):
                raise ValueError(
                    "collect fields must be '*' or a non-empty list of names"
                )
            words += ["FIELDS", str(len(names)), *(_at(name) for name in names)]
        if distinct:
            words.append("DISTINCT")
        if sort_by is not None:
            order = [sort_by] if isinstance(sort_by, Asc | Desc) else list(sort_by)
            sort_words = [w for f in order for w in (_at(f.field), str(f.DIRSTRING))]
            if not sort_words:
                raise ValueError("collect sort_by must contain at least one field")
            words += ["SORTBY", str(len(sort_words)), *sort_words]
        if limit is not None:
            offset, number = limit
            words += ["LIMIT", str(offset), str(number)]
        super().__init__(*words)
