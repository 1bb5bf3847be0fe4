"""``Document``: one hit of a search, its fields as attributes."""

from __future__ import annotations

from typing import Any

__all__ = ("Document",)


class Document:
    """One document of a :class:`~aio.redis.commands.search.result.Result`.

    Every returned field is an attribute (``doc.title``) and an item
    (``doc["title"]``); ``id`` is the key, ``payload`` the payload asked for
    with ``Query.with_payloads()`` (else None) and, with ``with_scores()``,
    ``score`` the document's score.

    :param id: the document's key.
    :param payload: its payload, if any.
    :param fields: the returned fields.
    """

    def __init__(self, id: Any, payload: Any = None, **fields: Any) -> None:
        self.id = id
        self.payload = payload
        for name, value in fields.items():
            setattr(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # Only reached for a field the document does not have; declared so
        # that type checkers accept ``doc.title``.
        raise AttributeError(name)

    def __getitem__(self, item: str) -> Any:
        return getattr(self, item)

    def __repr__(self) -> str:
        return f"Document {self.__dict__}"
