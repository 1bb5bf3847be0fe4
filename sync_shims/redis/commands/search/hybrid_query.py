"""``redis.commands.search.hybrid_query``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.hybrid_query import *  # noqa: F403
from aio.redis.commands.search.hybrid_query import __all__ as __all__
