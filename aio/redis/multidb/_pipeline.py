"""The pipeline of the multi-database client: commands are queued here and sent
together, by ``execute()``, as one pipeline on the database active then (the
whole batch is retried on the next active database after a failure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from aio.redis.commands import CoreCommands
from aio.redis.exceptions import DataError

if TYPE_CHECKING:
    from aio.redis.multidb.client import MultiDBClient

__all__ = ("HIMPORT_UNSUPPORTED", "Pipeline")

HIMPORT_UNSUPPORTED = (
    "HIMPORT is not supported on the multi-database (Active-Active) client"
)

Command = tuple[tuple[Any, ...], dict[str, Any]]


class Pipeline(CoreCommands):
    """Queues commands for :meth:`execute` (``await client.pipeline().set(...)
    .get(...).execute()``).

    Unlike redis-py's, leaving ``async with client.pipeline()`` resets the
    pipeline and leaves the client open (redis-py's closes the client too).
    """

    _is_async_client: Literal[True] = True

    def __init__(self, client: MultiDBClient) -> None:
        self._command_stack: list[Command] = []
        self._client = client

    async def __aenter__(self) -> Pipeline:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.reset()

    def __await__(self) -> Any:
        return self._async_self().__await__()

    async def _async_self(self) -> Pipeline:
        return self

    def __len__(self) -> int:
        return len(self._command_stack)

    def __bool__(self) -> bool:
        return True

    @property
    def command_stack(self) -> list[Command]:
        """The queued ``(args, options)``."""
        return self._command_stack

    async def reset(self) -> None:
        """Drop the queued commands."""
        self._command_stack = []

    async def aclose(self) -> None:
        """Drop the queued commands."""
        await self.reset()

    def pipeline_execute_command(self, *args: Any, **options: Any) -> Pipeline:
        """Queue a command; returns the pipeline (calls chain)."""
        self._command_stack.append((args, options))
        return self

    def execute_command(self, *args: Any, **options: Any) -> Pipeline:
        """Queue a command; returns the pipeline (calls chain)."""
        return self.pipeline_execute_command(*args, **options)

    def himport_prepare(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: HIMPORT state does not survive a failover."""
        raise DataError(HIMPORT_UNSUPPORTED)

    def himport_set(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: HIMPORT state does not survive a failover."""
        raise DataError(HIMPORT_UNSUPPORTED)

    def himport_discard(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: HIMPORT state does not survive a failover."""
        raise DataError(HIMPORT_UNSUPPORTED)

    def himport_discard_all(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: HIMPORT state does not survive a failover."""
        raise DataError(HIMPORT_UNSUPPORTED)

    async def execute(self) -> list[Any]:
        """Send the queued commands on the active database; their replies in order."""
        await self._client._ensure_initialized()
        try:
            return await self._client.command_executor.execute_pipeline(
                tuple(self._command_stack)
            )
        finally:
            await self.reset()
