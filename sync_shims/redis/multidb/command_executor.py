"""redis-py's ``redis.multidb.command_executor``: the blocking client runs its
commands through the async core's executor (on the engine's loop), so these are
the core's names (``MultiDBClient.command_executor`` is a
:class:`DefaultCommandExecutor` of the core)."""

from __future__ import annotations

from aio.redis.multidb.command_executor import (
    DEFAULT_AUTO_FALLBACK_INTERVAL as DEFAULT_AUTO_FALLBACK_INTERVAL,
)
from aio.redis.multidb.command_executor import (
    BaseCommandExecutor as BaseCommandExecutor,
)
from aio.redis.multidb.command_executor import CommandExecutor as CommandExecutor
from aio.redis.multidb.command_executor import (
    DefaultCommandExecutor as DefaultCommandExecutor,
)
from aio.redis.multidb.command_executor import GeoFailoverReason as GeoFailoverReason

__all__ = (
    "DEFAULT_AUTO_FALLBACK_INTERVAL",
    "BaseCommandExecutor",
    "CommandExecutor",
    "DefaultCommandExecutor",
    "GeoFailoverReason",
)
