"""``redis.commands.search.index_definition``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.index_definition import *  # noqa: F403
from aio.redis.commands.search.index_definition import __all__ as __all__
