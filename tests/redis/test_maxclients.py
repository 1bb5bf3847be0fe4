"""A server at ``maxclients`` answers a new connection with ``-ERR max number of
clients reached`` and closes it: the client raises redis-py's ``ConnectionError``
with the server's words, as redis-py does, rather than a bare "closed by server".
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
import redis.asyncio as redispy

import aio.redis as aio_redis
from aio.redis.credentials import CredentialProvider
from tests.plugins.fix_redis import PrivateRedis


# redis-py on RESP2 sends its first command after the server's close and fails
# in the write ("Error UNKNOWN while writing to socket"), never reading why;
# on RESP3 it reads the reply to HELLO, as aio does on both.
@pytest.mark.parametrize(
    ("lib", "protocol"),
    [(aio_redis, 2), (aio_redis, 3), (redispy, 3)],
    ids=["aio-resp2", "aio-resp3", "redis-py-resp3"],
)
async def test_max_clients_reached_is_a_connection_error(
    private_redis_server: Callable[..., PrivateRedis], lib: ModuleType, protocol: int
) -> None:
    server = private_redis_server()
    admin = aio_redis.Redis(host=server.host, port=server.port)
    try:
        await admin.config_set("maxclients", 1)  # admin's own connection is the one
        client = lib.Redis(
            host=server.host, port=server.port, protocol=protocol, retry=None
        )
        try:
            with pytest.raises(lib.ConnectionError) as caught:
                await client.ping()
        finally:
            await client.aclose()
        assert str(caught.value) == "max number of clients reached"
        assert await admin.ping() is True  # the server and its client are fine
    finally:
        await admin.aclose()


class _BlockingProvider(CredentialProvider):
    """Credentials from a blocking source: asked in a worker thread, while the
    server's refusal may arrive and the connection close."""

    def get_credentials(self) -> tuple[str]:
        return ("unused",)


@pytest.mark.parametrize("protocol", [2, 3])
async def test_max_clients_reached_while_credentials_are_asked(
    private_redis_server: Callable[..., PrivateRedis], protocol: int
) -> None:
    # The refusal comes before any command is written: it is the reason given
    # for the loss, not the write into the closed connection that follows.
    server = private_redis_server("--requirepass", "unused")
    admin = aio_redis.Redis(host=server.host, port=server.port, password="unused")
    try:
        await admin.config_set("maxclients", 1)
        client = aio_redis.Redis(
            host=server.host,
            port=server.port,
            protocol=protocol,
            retry=None,
            credential_provider=_BlockingProvider(),
        )
        try:
            with pytest.raises(aio_redis.ConnectionError) as caught:
                await client.ping()
        finally:
            await client.aclose()
        assert str(caught.value) == "max number of clients reached"
        assert await admin.ping() is True
    finally:
        await admin.aclose()
