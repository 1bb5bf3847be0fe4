"""The pub/sub of the multi-database client: one pub/sub per client, on the
active database; after a failover the client moves it, with its subscriptions,
to the new active database (the messages published meanwhile are lost)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aio.redis.multidb.client import MultiDBClient

__all__ = ("PubSub",)


class PubSub:
    """Subscribe and read messages through the multi-database client.

    :param client: the client.
    :param kwargs: arguments of the underlying :class:`aio.redis.PubSub`.
    """

    def __init__(self, client: MultiDBClient, **kwargs: Any) -> None:
        self._client = client
        self._client.command_executor.pubsub(**kwargs)

    async def __aenter__(self) -> PubSub:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await self._client.command_executor.execute_pubsub_method(
            method, *args, **kwargs
        )

    async def aclose(self) -> None:
        """Unsubscribe from everything and give the connection back."""
        await self._call("aclose")

    @property
    def subscribed(self) -> bool:
        """Whether anything is subscribed."""
        pubsub = self._client.command_executor.active_pubsub
        return pubsub is not None and pubsub.subscribed

    async def execute_command(self, *args: Any) -> Any:
        """Send a command on the pub/sub connection."""
        return await self._call("execute_command", *args)

    async def subscribe(self, *args: Any, **kwargs: Any) -> None:
        """Subscribe to channels (keywords name a channel's handler)."""
        await self._call("subscribe", *args, **kwargs)

    async def unsubscribe(self, *args: Any) -> None:
        """Unsubscribe from channels (all when none is named)."""
        await self._call("unsubscribe", *args)

    async def psubscribe(self, *args: Any, **kwargs: Any) -> None:
        """Subscribe to patterns (keywords name a pattern's handler)."""
        await self._call("psubscribe", *args, **kwargs)

    async def punsubscribe(self, *args: Any) -> None:
        """Unsubscribe from patterns (all when none is named)."""
        await self._call("punsubscribe", *args)

    async def ssubscribe(self, *args: Any, **kwargs: Any) -> None:
        """Subscribe to shard channels."""
        await self._call("ssubscribe", *args, **kwargs)

    async def sunsubscribe(self, *args: Any) -> None:
        """Unsubscribe from shard channels."""
        await self._call("sunsubscribe", *args)

    async def get_message(
        self,
        ignore_subscribe_messages: bool = False,
        timeout: float | None = 0.0,  # noqa: ASYNC109 (redis-py's signature)
    ) -> dict[str, Any] | None:
        """The next message, or None when none came within ``timeout`` seconds."""
        message: dict[str, Any] | None = await self._call(
            "get_message",
            ignore_subscribe_messages=ignore_subscribe_messages,
            timeout=timeout,
        )
        return message

    async def run(
        self,
        *,
        exception_handler: Callable[[BaseException, Any], Awaitable[None] | None]
        | None = None,
        poll_timeout: float = 1.0,
    ) -> None:
        """Dispatch messages to their handlers until cancelled (run it as a task)."""
        await self._client.command_executor.execute_pubsub_run(
            sleep_time=poll_timeout, exception_handler=exception_handler
        )
