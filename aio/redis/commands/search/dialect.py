"""The query dialect sent with every search and aggregation unless changed."""

from __future__ import annotations

__all__ = ("DEFAULT_DIALECT",)

#: ``DIALECT 2``: what redis-py's ``Query`` and ``AggregateRequest`` send by
#: default (``.dialect(n)`` changes it; 0 sends no DIALECT at all).
DEFAULT_DIALECT = 2
