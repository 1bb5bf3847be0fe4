"""redis-py's ``redis.commands.timeseries.commands`` path: the command mixin
:class:`TimeSeriesCommands` and the command-name constants (``ADD_CMD``...)."""

from __future__ import annotations

# The builders' module, all of its names and nothing else: its __all__ is the list.
from aio.redis.commands.timeseries._commands import *  # noqa: F403
from aio.redis.commands.timeseries._commands import __all__ as __all__
