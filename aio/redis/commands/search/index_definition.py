"""``IndexDefinition``: which keys an index follows (``FT.CREATE``'s ``ON``,
``PREFIX``, ``FILTER``, ``LANGUAGE``, ``SCORE`` and ``PAYLOAD_FIELD`` options)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

__all__ = ("IndexDefinition", "IndexType")


class IndexType(Enum):
    """The kind of keys an index follows."""

    HASH = 1
    JSON = 2


def _as_list(prefix: Any) -> list[Any]:
    # One prefix may be given bare (a str or bytes), several as any iterable.
    if isinstance(prefix, str | bytes | bytearray | memoryview):
        return [prefix]
    if isinstance(prefix, Iterable):
        return list(prefix)
    return [prefix]


class IndexDefinition:
    """The definition part of ``FT.CREATE``; its words are :attr:`args`.

    :param prefix: the key prefixes to follow (one, or a list; none: every key).
    :param filter: an expression keys must match.
    :param language_field: the field holding each document's language.
    :param language: the default language.
    :param score_field: the field holding each document's score.
    :param score: the default score (``SCORE``; None sends none).
    :param payload_field: the field holding each document's payload.
    :param index_type: :attr:`IndexType.HASH` or :attr:`IndexType.JSON`.
    :raises TypeError: ``prefix`` is None.
    :raises RuntimeError: ``index_type`` is not an :class:`IndexType`.
    """

    def __init__(
        self,
        prefix: Any = (),
        filter: str | None = None,
        language_field: str | None = None,
        language: str | None = None,
        score_field: str | None = None,
        score: float | None = 1.0,
        payload_field: str | None = None,
        index_type: IndexType | None = None,
    ) -> None:
        self.args: list[Any] = []
        if index_type is IndexType.HASH:
            self.args += ["ON", "HASH"]
        elif index_type is IndexType.JSON:
            self.args += ["ON", "JSON"]
        elif index_type is not None:
            raise RuntimeError(f"index_type must be one of {list(IndexType)}")
        if prefix is None:
            raise TypeError("prefix must be provided")
        if len(prefix) > 0:
            prefixes = _as_list(prefix)
            self.args += ["PREFIX", len(prefixes), *prefixes]
        options = (
            ("FILTER", filter),
            ("LANGUAGE_FIELD", language_field),
            ("LANGUAGE", language),
            ("SCORE_FIELD", score_field),
            ("SCORE", score),
            ("PAYLOAD_FIELD", payload_field),
        )
        for word, value in options:
            if value is not None:
                self.args += [word, value]
