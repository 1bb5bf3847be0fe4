"""What ``hybrid_search()`` returns: :class:`HybridResult`, or with a cursor
:class:`HybridCursorResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ("HybridCursorResult", "HybridResult")


@dataclass
class HybridResult:
    """The rows of an ``FT.HYBRID`` search.

    :param total_results: how many documents matched.
    :param results: one dict per row (field -> value; values as sent: bytes
        unless the post-processing's ``load(..., decode_field=True)``).
    :param warnings: the server's warnings.
    :param execution_time: the server's execution time.
    """

    total_results: int
    results: list[dict[str, Any]]
    warnings: list[str | bytes]
    execution_time: float


class HybridCursorResult:
    """The cursors of an ``FT.HYBRID ... WITHCURSOR``: one for the text search,
    one for the vector similarity search.

    :param search_cursor_id: the text search's cursor.
    :param vsim_cursor_id: the vector search's cursor.
    """

    def __init__(self, search_cursor_id: int, vsim_cursor_id: int) -> None:
        self.search_cursor_id = search_cursor_id
        self.vsim_cursor_id = vsim_cursor_id
