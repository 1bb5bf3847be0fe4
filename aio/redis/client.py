"""The :class:`Redis` client: redis-py's ``redis.asyncio.Redis`` on aio.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aio.redis._client_watch import WarnsWatch
from aio.redis._cluster_commands import CLUSTER_RESPONSE_CALLBACKS
from aio.redis._core import RedisCore
from aio.redis._pipeline import PipelineCore, register_pipeline_class
from aio.redis._types import ResponseT
from aio.redis.commands import (
    RESP3_RESPONSE_CALLBACKS,
    RESPONSE_CALLBACKS,
    CoreCommands,
)
from aio.redis.commands.modules import ModuleCommands

if TYPE_CHECKING:
    from aio.redis.keyspace_notifications import AsyncKeyspaceNotifications

__all__ = ("Pipeline", "Redis", "StrictRedis", "from_url")

# The CLUSTER replies redis-py's plain client converts too (for ``cluster()``
# or ``execute_command`` sent to a cluster node): the same converters as the
# cluster client's, for the subcommands redis-py's ``Redis`` knows.
_PLAIN_CLUSTER_CALLBACKS = {
    name: CLUSTER_RESPONSE_CALLBACKS[name]
    for name in (
        "CLUSTER ADDSLOTS",
        "CLUSTER ADDSLOTSRANGE",
        "CLUSTER DELSLOTS",
        "CLUSTER DELSLOTSRANGE",
        "CLUSTER FAILOVER",
        "CLUSTER FORGET",
        "CLUSTER INFO",
        "CLUSTER MEET",
        "CLUSTER NODES",
        "CLUSTER REPLICAS",
        "CLUSTER REPLICATE",
        "CLUSTER RESET",
        "CLUSTER SAVECONFIG",
        "CLUSTER SET-CONFIG-EPOCH",
        "CLUSTER SETSLOT",
        "CLUSTER SLAVES",
    )
}


class Redis(WarnsWatch, ModuleCommands, CoreCommands, RedisCore):  # type: ignore[misc]
    """An asyncio Redis client with redis-py's API.

    ``Redis(host="localhost", port=6379, db=0, password=None, socket_timeout=5,
    socket_connect_timeout=5, socket_keepalive=True, connection_pool=None,
    unix_socket_path=None, encoding="utf-8", encoding_errors="strict",
    decode_responses=False, retry_on_timeout=False, retry=<default>,
    retry_on_error=None, ssl=False, ssl_keyfile=None, ssl_certfile=None,
    ssl_cert_reqs="required", ssl_ca_certs=None, max_connections=None,
    single_connection_client=False, health_check_interval=0, client_name=None,
    username=None, protocol=3)``.

    Every command is a coroutine method (``await r.set("k", "v")``). Replies are
    ``bytes`` unless ``decode_responses=True``; RESP3 (the default, as in redis-py
    8) and RESP2 (``protocol=2``) replies are converted to the same Python shapes.
    Use ``async with`` or :meth:`aclose` to release the connections. Without
    ``retry=``, a failed command is retried as redis-py 8 does (10 times,
    exponential backoff with jitter from 10 ms, capped at 1 s); ``retry=None``
    turns retries off, and ``retry_on_error=[...]`` adds errors to retry on;
    ``retry_on_timeout`` is ignored, as in redis-py 8 (the default policy
    retries timeouts already; a pool or URL may still set it), and given to the
    client it warns (``DeprecationWarning``, redis-py's words).

    The defaults are redis-py 8's: a reply must come within 5 s
    (``socket_timeout``; blocking commands such as ``BLPOP`` get their own
    timeout on top, and pub/sub reads are never cut), connecting within 5 s,
    TCP keepalive on (idle 30 s, probes every 5 s, 3 probes).

    Differences from redis-py: with ``single_connection_client=True`` concurrent
    commands share the connection (they are pipelined, replies matched in order)
    instead of waiting for a lock; a connection whose caller was cancelled is
    closed, never reused.
    """

    RESPONSE_CALLBACKS = {**RESPONSE_CALLBACKS, **_PLAIN_CLUSTER_CALLBACKS}
    RESP3_RESPONSE_CALLBACKS = RESP3_RESPONSE_CALLBACKS

    def __init__(
        self, host: str = "localhost", port: int = 6379, db: int = 0, **kwargs: Any
    ) -> None:
        RedisCore.__init__(self, host=host, port=port, db=db, **kwargs)

    def cluster(self, cluster_arg: str, *args: Any, **kwargs: Any) -> ResponseT:
        """Send ``CLUSTER <cluster_arg>`` (upper-cased) with ``args``, as
        redis-py's generic ``cluster()``; the reply goes through that command's
        converter when there is one (``r.cluster("info")`` as ``cluster_info``).
        On a pipeline it is queued."""
        return self.execute_command(f"CLUSTER {cluster_arg.upper()}", *args, **kwargs)

    def keyspace_notifications(
        self,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> AsyncKeyspaceNotifications:
        """An :class:`~aio.redis.keyspace_notifications.AsyncKeyspaceNotifications`
        on its own pub/sub connection (the server's ``notify-keyspace-events``
        must ask for the notifications).

        :param key_prefix: keep only the keys with this prefix, stripped.
        :param ignore_subscribe_messages: the default of its ``get_message``.
        """
        from aio.redis.keyspace_notifications import AsyncKeyspaceNotifications

        return AsyncKeyspaceNotifications(
            self,
            key_prefix=key_prefix,
            ignore_subscribe_messages=ignore_subscribe_messages,
        )


StrictRedis = Redis


class Pipeline(PipelineCore, Redis):  # type: ignore[misc]
    """A :class:`Redis` whose commands are queued until ``await pipe.execute()``."""

    async def discard(self) -> None:
        """Send DISCARD as redis-py's pipeline does: queued like any command (in
        a transaction it closes the MULTI block, so ``execute()`` then raises
        ``ResponseError`` for the EXEC without MULTI), or at once while WATCHing.
        """
        await self.execute_command("DISCARD")


register_pipeline_class(Redis, Pipeline)


def from_url(url: str, **kwargs: Any) -> Redis:
    """A :class:`Redis` client for a ``redis://``, ``rediss://`` or ``unix://`` URL."""
    return Redis.from_url(url, **kwargs)
