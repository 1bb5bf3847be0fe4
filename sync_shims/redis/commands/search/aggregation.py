"""``redis.commands.search.aggregation``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.aggregation import *  # noqa: F403
from aio.redis.commands.search.aggregation import __all__ as __all__
