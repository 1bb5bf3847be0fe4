"""``Suggestion``: an autocomplete entry (``FT.SUGADD``/``FT.SUGGET``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from aio.redis.commands.search._text import to_string

__all__ = ("Suggestion", "SuggestionParser")


class Suggestion:
    """An autocomplete suggestion: its text, score and payload.

    :param string: the text (bytes are decoded as UTF-8).
    :param score: its score (1.0 by default).
    :param payload: its payload, if any.
    """

    def __init__(self, string: Any, score: float = 1.0, payload: Any = None) -> None:
        self.string = to_string(string)
        self.payload = to_string(payload)
        self.score = score

    def __repr__(self) -> str:
        return str(self.string)


class SuggestionParser:
    """Reads ``FT.SUGGET``'s flat reply: each suggestion, then its score and
    payload when asked for; iterating gives :class:`Suggestion` objects.

    :param with_scores: the reply has scores.
    :param with_payloads: the reply has payloads.
    :param ret: the reply.
    """

    def __init__(self, with_scores: bool, with_payloads: bool, ret: Sequence[Any]):
        self.with_scores = with_scores
        self.with_payloads = with_payloads
        self.sugsize = 1 + int(with_scores) + int(with_payloads)
        self._sugs = ret

    def __iter__(self) -> Iterator[Suggestion]:
        payload_at = 2 if self.with_scores else 1
        for i in range(0, len(self._sugs), self.sugsize):
            score = float(self._sugs[i + 1]) if self.with_scores else 1.0
            payload = self._sugs[i + payload_at] if self.with_payloads else None
            yield Suggestion(self._sugs[i], score, payload)
