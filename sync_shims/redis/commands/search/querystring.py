"""``redis.commands.search.querystring``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.querystring import *  # noqa: F403
from aio.redis.commands.search.querystring import __all__ as __all__
