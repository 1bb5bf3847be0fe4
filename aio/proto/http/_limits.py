"""Size limits applied while parsing, so a peer cannot make us buffer without bound."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ("DEFAULT_LIMITS", "Limits")


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits on what the peer may send; exceeding one raises a typed error.

    :param max_request_line: longest request line (or status line), in bytes,
        without its CRLF. Over it: :class:`RequestLineTooLong` (414).
    :param max_header_count: most header (or trailer) field lines.
        Over it: :class:`TooManyHeaders` (431).
    :param max_header_block: largest header section including the request line
        (and largest trailer section). Over it: :class:`HeaderBlockTooLarge` (431).
    :param max_body: largest body in bytes, or ``None`` for no limit.
        Over it: :class:`BodyTooLarge` (413).
    :param max_chunk_ext: longest chunk extension (the part of a chunk-size line
        after ``;``). Over it: :class:`InvalidChunk`.

    .. versionadded:: 0.1
    """

    max_request_line: int = 8190
    max_header_count: int = 100
    max_header_block: int = 65536
    max_body: int | None = None
    max_chunk_ext: int = 4096


DEFAULT_LIMITS = Limits()
