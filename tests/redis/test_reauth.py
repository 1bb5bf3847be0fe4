"""Re-authentication of open connections when a ``StreamingCredentialProvider``
pushes a token (``aio.redis._reauth``), against a private ``redis-server`` with
two ACL users, with redis-py's ``redis.asyncio`` doing the same as the oracle.

The provider of these tests is the libraries' own ``StreamingCredentialProvider``
subclassed as redis-entraid does: it gives the first user's credentials at
connect and keeps the callbacks the client subscribes; a test pushes a token
(``oid`` claim: the second user) by awaiting the client's ``on_next``, as
redis-py's async token manager does. Who a connection is logged in as is read
with ``ACL WHOAMI`` on that connection, or ``CLIENT LIST`` for a pub/sub one.
The example of docs/redis.md ("Streaming credentials") runs at the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from types import ModuleType
from typing import Any

import pytest
import redis.asyncio as redispy

import aio.redis as aio_redis
import aio.redis.auth.token as aio_token
from tests.plugins.fix_redis import PrivateRedis
from tests.plugins.fix_services import require_service
from tests.redis.docs_example import example_in
from tests.redis.reauth_scaffold import (
    ADMIN_PASSWORD,
    AIO,
    ASYNC_LIBS,
    Session,
    acl_server,
    async_session,
)
from tests.redis.reauth_scaffold import client as _client
from tests.redis.reauth_scaffold import text as _text
from tests.redis.reauth_scaffold import token as _token

OLD, OLD_PASSWORD = "app-old", "old-s3cret"
NEW, NEW_PASSWORD = "app-new", "new-s3cret"


@pytest.fixture
def server(private_redis_server: Callable[..., PrivateRedis]) -> PrivateRedis:
    """A private server with a ``default`` password and the ACL users OLD, NEW."""
    return acl_server(private_redis_server, [(OLD, OLD_PASSWORD), (NEW, NEW_PASSWORD)])


def _admin(server: PrivateRedis) -> Any:
    return aio_redis.Redis(host=server.host, port=server.port, password=ADMIN_PASSWORD)


async def _until_blocked(admin: Any) -> None:
    """Until a connection of the server is blocked in BLPOP."""
    while not any(_text(c["cmd"]) == "blpop" for c in await admin.client_list()):
        await asyncio.sleep(0.01)


async def _publish_news(lib: ModuleType, server: PrivateRedis) -> None:
    """Publish "hello" to ``news`` with an admin client of ``lib``: one receiver."""
    async with lib.Redis(host=server.host, port=server.port, password=ADMIN_PASSWORD) as admin:  # fmt: skip
        assert await admin.publish("news", "hello") == 1


def _session(
    libs: tuple[ModuleType, ...], server: PrivateRedis, **kw: Any
) -> AbstractAsyncContextManager[Session]:
    """A streaming provider of OLD and a client subscribed to it, closed at the end."""

    async def connect(lib: ModuleType, provider: Any) -> Any:
        return _client(lib, server, provider, **kw)

    return async_session(libs, OLD, OLD_PASSWORD, connect)


async def _whoami_on(conn: Any) -> str:
    """ACL WHOAMI on this very connection (redis-py's lower-level API)."""
    await conn.send_command("ACL", "WHOAMI")
    return _text(await conn.read_response())


async def _users(server: PrivateRedis) -> list[str]:
    """The user of every connection logged in as OLD or NEW (not the admins)."""
    admin = _admin(server)
    try:
        users = (_text(c["user"]) for c in await admin.client_list())
        return sorted(user for user in users if user != "default")
    finally:
        await admin.aclose()


@ASYNC_LIBS
@pytest.mark.parametrize("protocol", [2, 3])
async def test_idle_connections_at_once_in_use_ones_on_release(
    server: PrivateRedis, libs: tuple[ModuleType, ...], protocol: int
) -> None:
    async with _session(libs, server, protocol=protocol) as (
        provider,
        client,
        lib,
        token,
    ):
        assert provider.next is not None  # subscribed when the client was made
        pool = client.connection_pool
        in_use = await pool.get_connection()
        idle = await pool.get_connection()
        await pool.release(idle)
        assert await _whoami_on(idle) == OLD

        await provider.next(_token(token, NEW, NEW_PASSWORD))

        assert await _whoami_on(idle) == NEW
        assert await _whoami_on(in_use) == OLD  # until it comes back
        await pool.release(in_use)
        assert await _whoami_on(in_use) == NEW
        assert await _users(server) == [NEW, NEW]
        assert _text(await client.acl_whoami()) == NEW


@ASYNC_LIBS
async def test_a_command_in_flight_re_authenticates_when_it_returns(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, server) as (provider, client, lib, token):
        admin = _admin(server)
        try:
            pool = client.connection_pool
            first, second = await pool.get_connection(), await pool.get_connection()
            await pool.release(first)
            await pool.release(second)
            # BLPOP holds one of the two until admin pushes; the other stays idle.
            popped = asyncio.ensure_future(client.blpop("queue", timeout=0))
            await _until_blocked(admin)

            await provider.next(_token(token, NEW, NEW_PASSWORD))
            users_during = await _users(server)
            await admin.lpush("queue", "x")
            assert await popped is not None

            assert sorted(users_during) == [NEW, OLD]  # the idle one, the blocked one
            assert await _users(server) == [NEW, NEW]
        finally:
            await admin.aclose()


@ASYNC_LIBS
async def test_single_connection_client_re_authenticates_at_once(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, server, single_connection_client=True) as (
        provider,
        client,
        lib,
        token,
    ):
        await client.initialize()
        assert _text(await client.acl_whoami()) == OLD
        await provider.next(_token(token, NEW, NEW_PASSWORD))
        assert _text(await client.acl_whoami()) == NEW


@ASYNC_LIBS
async def test_resp3_pubsub_connection_re_authenticates_at_once(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, server, protocol=3) as (provider, client, lib, token):
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe("news")
            message = await pubsub.get_message(timeout=5)
            assert message is not None and message["type"] == "subscribe"
            assert await _users(server) == [OLD]

            await provider.next(_token(token, NEW, NEW_PASSWORD))

            assert await _users(server) == [NEW]
            # still subscribed, and messages still come
            await _publish_news(lib, server)
            message = await pubsub.get_message(timeout=5)
            assert message is not None and _text(message["data"]) == "hello"
        finally:
            await pubsub.aclose()


@ASYNC_LIBS
async def test_refused_token_on_idle_connections_raises_to_the_provider(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, server) as (provider, client, lib, token):
        pool = client.connection_pool
        in_use = await pool.get_connection()
        assert _text(await client.acl_whoami()) == OLD  # an idle connection

        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            await provider.next(_token(token, NEW, "wrong"))

        # the refused connection still works as OLD (closed and reconnected by
        # both), and the one in use was not marked: its release does nothing
        assert _text(await client.acl_whoami()) == OLD
        await pool.release(in_use)
        assert await _whoami_on(in_use) == OLD
        assert await _users(server) == [OLD, OLD]


@ASYNC_LIBS
async def test_refused_token_on_release_raises_to_the_releaser(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, server) as (provider, client, lib, token):
        pool = client.connection_pool
        in_use = await pool.get_connection()  # the only connection: none idle
        await provider.next(_token(token, NEW, "wrong"))  # nothing refused yet

        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            await pool.release(in_use)

        if lib is redispy:
            # redis-py keeps the refused token on the connection (its re_auth
            # forgets it only after a success): every later release of it
            # sends it again and raises, each command's reply lost
            with pytest.raises(lib.AuthenticationError):
                await client.acl_whoami()
        else:
            # aio forgets it and closes the connection (as redis-py closes it):
            # the client goes on as OLD
            assert _text(await client.acl_whoami()) == OLD
            assert await _users(server) == [OLD]


@ASYNC_LIBS
async def test_on_error_raises_event_exception(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    event = libs[3]
    async with _session(libs, server) as (provider, client, *_):
        error = RuntimeError("token service down")
        with pytest.raises(event.EventException) as caught:
            await provider.error(error)
        assert caught.value.exception is error
        assert str(caught.value) == "token service down"
        assert caught.value.event.connection_pools == [client.connection_pool]
        assert caught.value.event.credential_provider is provider
        assert caught.value.event.client_type is event.ClientType.ASYNC
        # the client is unaffected
        assert _text(await client.acl_whoami()) == OLD


@ASYNC_LIBS
async def test_plain_provider_is_not_subscribed(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, _, _ = libs
    provider = creds.UsernamePasswordCredentialProvider(OLD, OLD_PASSWORD)
    client = _client(lib, server, provider)
    try:
        assert _text(await client.acl_whoami()) == OLD
    finally:
        await client.aclose()


async def _pipeline_blocked(client: Any, admin: Any) -> asyncio.Future[Any]:
    """A pipeline (BLPOP) holding a connection until admin pushes to ``queue``."""
    pipe = client.pipeline(transaction=False)
    pipe.blpop("queue", timeout=0)
    executed: asyncio.Future[Any] = asyncio.ensure_future(pipe.execute())
    await _until_blocked(admin)
    return executed


@ASYNC_LIBS
async def test_a_pipeline_in_flight_re_authenticates_when_it_returns(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, server) as (provider, client, lib, token):
        admin = _admin(server)
        try:
            executed = await _pipeline_blocked(client, admin)
            await provider.next(_token(token, NEW, NEW_PASSWORD))
            assert await _users(server) == [OLD]
            await admin.lpush("queue", "x")
            assert len(await executed) == 1
            # the pipeline's connection, back in the pool, is NEW's
            assert _text(await client.acl_whoami()) == NEW
            assert await _users(server) == [NEW]
        finally:
            await admin.aclose()


async def test_aio_pipeline_refused_on_release_logs_and_reconnects(
    server: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    # redis-py raises the AuthenticationError from pipeline.execute() (its
    # release is synchronous and sends the AUTH there); aio's pipelines give
    # the connection back synchronously, with the AUTH written ahead of its
    # next command: a refusal is logged and closes the connection.
    async with _session(AIO, server) as (provider, client, *_):
        admin = _admin(server)
        try:
            executed = await _pipeline_blocked(client, admin)
            await provider.next(_token(aio_token, NEW, "wrong"))
            await admin.lpush("queue", "x")
            assert len(await executed) == 1
            # the next command on it is answered (after the refused AUTH) as OLD
            assert _text(await client.acl_whoami()) == OLD
            assert "re-authentication refused on release" in caplog.text
            # and closed: the one after reconnects, as OLD
            assert _text(await client.acl_whoami()) == OLD
            assert await _users(server) == [OLD]
        finally:
            await admin.aclose()


def test_docs_example(capsys: pytest.CaptureFixture[str]) -> None:
    require_service("redis")  # the example uses the shared server's ACL
    exec(compile(example_in("redis.md", "streaming credentials"), "docs/redis.md", "exec"), {"__name__": "doc"})  # fmt: skip
    assert capsys.readouterr().out.splitlines() == ["docs-token-old", "docs-token-new"]


async def test_aio_a_closed_single_connection_client_gives_back_a_plain_connection(
    server: PrivateRedis,
) -> None:
    # Once its single-connection client is closed, the connection is like any
    # pooled one: in use by a blocking command, it re-authenticates on release
    # (an AUTH at once would wait behind the BLPOP, and on_next with it).
    async with _session(AIO, server) as (provider, client, *_):
        admin = _admin(server)
        try:
            single = client.client()
            await single.initialize()
            await single.aclose()
            assert client.connection_pool.available_count == 1
            popped = asyncio.ensure_future(client.blpop("queue", timeout=0))
            await _until_blocked(admin)
            await asyncio.wait_for(
                provider.next(_token(aio_token, NEW, NEW_PASSWORD)), timeout=10
            )
            assert not popped.done()
            assert await _users(server) == [OLD]
            await admin.lpush("queue", "x")
            assert await popped is not None
            assert await _users(server) == [NEW]
        finally:
            await admin.aclose()


@pytest.mark.parametrize("refused", [False, True], ids=["accepted", "refused"])
async def test_aio_resp3_pubsub_ping_in_flight_is_not_the_auth_reply(
    server: PrivateRedis, refused: bool
) -> None:
    # The pub/sub writes PING without waiting for its reply, which on RESP3 is
    # a plain reply (not a push): an AUTH written behind it must be answered by
    # its own reply, and the pong still reach the reader. (redis-py's pub/sub
    # re-auth reads the next reply after its AUTH, the pong: not an oracle.)
    async with _session(AIO, server, protocol=3) as (provider, client, *_):
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe("news")
            message = await pubsub.get_message(timeout=5)
            assert message is not None and message["type"] == "subscribe"

            await pubsub.ping("before-auth")  # written, its reply not read yet
            if refused:
                with pytest.raises(aio_redis.AuthenticationError):
                    await provider.next(_token(aio_token, NEW, "wrong"))
            else:
                await provider.next(_token(aio_token, NEW, NEW_PASSWORD))
                assert await _users(server) == [NEW]

            # the pong, and nothing else (the AUTH's OK is not a message)
            messages = [await pubsub.get_message(timeout=5)]
            assert [(m["type"], _text(m["data"])) for m in messages if m] == [
                ("pong", "before-auth")
            ]
            if refused:
                # the refused connection was closed: with retry=None the reader
                # hears of it once, then reconnects and re-subscribes
                with pytest.raises(aio_redis.AuthenticationError):
                    await pubsub.get_message(timeout=5)
                message = await pubsub.get_message(timeout=5)
                assert message is not None and message["type"] == "subscribe"
            else:
                assert await pubsub.get_message(timeout=0.2) is None
            await _publish_news(aio_redis, server)
            message = await pubsub.get_message(timeout=5)
            while message is not None and message["type"] != "message":
                message = await pubsub.get_message(timeout=5)
            assert message is not None and _text(message["data"]) == "hello"
        finally:
            await pubsub.aclose()


async def test_aio_idle_connection_taken_for_resp2_pubsub_before_its_auth(
    server: PrivateRedis,
) -> None:
    # The idle connections' AUTHs are written by tasks of their own: one taken
    # meanwhile for a RESP2 pub/sub (where AUTH is refused while subscribed,
    # and the confirmations are plain replies) is left alone, not sent an
    # AUTH that its SUBSCRIBE's confirmation would answer.
    async with _session(AIO, server, protocol=2) as (provider, client, *_):
        pubsub = client.pubsub()
        try:
            assert _text(await client.acl_whoami()) == OLD  # one idle connection
            subscribing = asyncio.ensure_future(pubsub.subscribe("news"))
            await provider.next(_token(aio_token, NEW, NEW_PASSWORD))
            await subscribing
            message = await pubsub.get_message(timeout=5)
            assert message is not None and message["type"] == "subscribe"
            await _publish_news(aio_redis, server)
            message = await pubsub.get_message(timeout=5)
            assert message is not None and _text(message["data"]) == "hello"
        finally:
            await pubsub.aclose()


@ASYNC_LIBS
async def test_idle_connection_taken_while_its_auth_is_refused_keeps_its_command(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    # A command takes the idle connection on_next has just written a refused
    # AUTH to (aio writes the AUTHs first, then awaits them; redis-py holds the
    # pool's lock meanwhile, so the command gets it after): the refusal is the
    # provider's error, not the command's, whose reply (BLPOP's element,
    # popped on the server) must not be lost to the connection being closed.
    async with _session(libs, server) as (provider, client, lib, token):
        admin = _admin(server)
        try:
            assert _text(await client.acl_whoami()) == OLD  # one idle connection
            refusing = asyncio.ensure_future(provider.next(_token(token, NEW, "wrong")))
            popped = asyncio.ensure_future(client.blpop("queue", timeout=0))
            with pytest.raises(
                lib.AuthenticationError, match="invalid username-password"
            ):
                await refusing
            while not popped.done() and not any(
                _text(c["cmd"]) == "blpop" for c in await admin.client_list()
            ):
                await asyncio.sleep(0.01)
            await admin.lpush("queue", "x")
            assert [_text(v) for v in await popped] == ["queue", "x"]
            assert _text(await client.acl_whoami()) == OLD
        finally:
            await admin.aclose()


async def test_aio_idle_connection_closed_while_its_auth_is_pending_is_no_refusal(
    server: PrivateRedis,
) -> None:
    # An idle connection closed while on_next awaits its AUTH's reply (its
    # pool disconnected, as a cluster node's dropped at a map refresh) needs
    # no AUTH: its next use reconnects with the provider's credentials. Its
    # loss is no refusal of the token: the connection in use elsewhere keeps
    # its mark and re-authenticates on release. (redis-py, with its default
    # retry, reconnects the idle one and sends the AUTH again: not an oracle
    # for the timing.)
    async with _session(AIO, server) as (provider, client, *_):
        pool = client.connection_pool
        in_use = await pool.get_connection()
        idle = await pool.get_connection()
        await pool.release(idle)
        pushing = asyncio.ensure_future(provider.next(_token(aio_token, NEW, NEW_PASSWORD)))  # fmt: skip
        await asyncio.sleep(0)  # the AUTH written, its reply awaited
        assert idle.pending_replies == 1
        await idle.disconnect()
        await pushing
        await pool.release(in_use)
        assert await _whoami_on(in_use) == NEW
        assert await _users(server) == [NEW]
