"""redis-py's ``redis.commands.timeseries.commands`` for blocking code: the
core's module (the command mixin and the command-name constants; no I/O)."""

from __future__ import annotations

# The core's names, all of them and nothing else: its __all__ is the list.
from aio.redis.commands.timeseries.commands import *  # noqa: F403
from aio.redis.commands.timeseries.commands import __all__ as __all__
