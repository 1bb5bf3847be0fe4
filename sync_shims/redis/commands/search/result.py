"""``redis.commands.search.result``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.result import *  # noqa: F403
from aio.redis.commands.search.result import __all__ as __all__
