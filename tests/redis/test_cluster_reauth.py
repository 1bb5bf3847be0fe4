"""Re-authentication of a cluster client's node connections when a
``StreamingCredentialProvider`` pushes a token (``aio.redis._cluster_reauth``),
on the private cluster (``redis_cluster``) with two ACL users made on every
node, with redis-py's ``redis.asyncio.RedisCluster`` doing the same as the
oracle.

The provider gives the first user's credentials at connect and keeps the
callbacks the client subscribes; a test pushes a token (``oid`` claim: the
second user) by awaiting the client's ``on_next``, as redis-py's async token
manager does. Who the connections to a node are logged in as is read with
``CLIENT LIST`` there.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.auth.token as redispy_token
import redis.credentials as redispy_credentials
import redis.event as redispy_event

import aio.redis as aio_redis
import aio.redis.auth.token as aio_token
import aio.redis.credentials as aio_credentials
import aio.redis.event as aio_event

OLD, OLD_PASSWORD = "cluster-app-old", "old-s3cret"
NEW, NEW_PASSWORD = "cluster-app-new", "new-s3cret"

AIO = (aio_redis, aio_credentials, aio_token, aio_event)
REDISPY = (redispy, redispy_credentials, redispy_token, redispy_event)
LIBS = pytest.mark.parametrize("libs", [AIO, REDISPY], ids=["aio", "redis-py"])

Admins = dict[str, Any]


@pytest.fixture
async def admins(cluster_admin: Admins) -> AsyncIterator[Admins]:
    """``cluster_admin`` (a plain client per node, by name), with the ACL
    users OLD and NEW made on every node (ACLs are per node in a cluster);
    they go at the end, and their connections with them."""
    for admin in cluster_admin.values():
        for user, password in ((OLD, OLD_PASSWORD), (NEW, NEW_PASSWORD)):
            await admin.acl_setuser(user, enabled=True, reset_passwords=True, passwords=[f"+{password}"], commands=["+@all"], keys=["*"], channels=["*"])  # fmt: skip
    try:
        yield cluster_admin
    finally:
        for admin in cluster_admin.values():
            await admin.acl_deluser(OLD, NEW)


def _provider(creds: ModuleType) -> Any:
    class Streaming(creds.StreamingCredentialProvider):  # type: ignore[name-defined,misc]
        """OLD's credentials at connect; keeps the client's callbacks."""

        def __init__(self) -> None:
            self.next: Any = None
            self.error: Any = None

        def get_credentials(self) -> tuple[str, str]:
            return OLD, OLD_PASSWORD

        async def get_credentials_async(self) -> tuple[str, str]:
            return OLD, OLD_PASSWORD

        def on_next(self, callback: Any) -> None:
            self.next = callback

        def on_error(self, callback: Any) -> None:
            self.error = callback

        def is_streaming(self) -> bool:
            return True

    return Streaming()


def _token(token_module: ModuleType, user: str, password: str) -> Any:
    # As redis-entraid's tokens: the password is the value, the user the oid.
    return token_module.SimpleToken(password, -1, 0, {"oid": user})


async def _cluster(lib: ModuleType, admins: Admins, provider: Any) -> Any:
    """A cluster client that knows one startup node: the others are learnt
    from the slot map at ``initialize``, after it subscribed."""
    host, port = next(iter(admins)).split(":")
    client = lib.RedisCluster(
        host=host, port=int(port), credential_provider=provider, decode_responses=True
    )
    await client.initialize()
    return client


async def _whoami_everywhere(client: Any) -> dict[str, str]:
    """ACL WHOAMI on every node, through the client (leaves a connection
    idle in each node's pool)."""
    return {
        node.name: await client.execute_command("ACL WHOAMI", target_nodes=node)
        for node in client.get_nodes()
    }


async def _users(admins: Admins) -> dict[str, list[str]]:
    """The users of the connections to each node logged in as OLD or NEW."""
    users = {}
    for name, admin in admins.items():
        listed = (c["user"] for c in await admin.client_list())
        users[name] = sorted(u for u in listed if u in (OLD, NEW))
    return users


async def _subscriber(admins: Admins) -> tuple[str, str]:
    """The node and user of the one connection subscribed to a channel."""
    (found,) = [
        (name, c["user"])
        for name, admin in admins.items()
        for c in await admin.client_list()
        if int(c["sub"])
    ]
    return found


@LIBS
async def test_idle_connections_of_every_node_re_authenticate(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = await _cluster(lib, admins, provider)
    try:
        assert provider.next is not None  # subscribed when the client was made
        assert await _whoami_everywhere(client) == dict.fromkeys(admins, OLD)

        await provider.next(_token(token, NEW, NEW_PASSWORD))

        # every node's connections, though the client knew one node when made
        users = await _users(admins)
        assert all(NEW in users[name] for name in admins)
        stale = {name for name, logged_in in users.items() if OLD in logged_in}
        if lib is redispy:
            # redis-py read the map on its startup node's own connection (that
            # node object is not among those it re-authenticates): still OLD's
            assert stale == {next(iter(admins))}
        else:
            assert stale == set()  # aio's startup nodes are re-authenticated too
        assert await _whoami_everywhere(client) == dict.fromkeys(admins, NEW)
    finally:
        await client.aclose()


@LIBS
async def test_a_node_learnt_at_a_later_refresh_re_authenticates(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = await _cluster(lib, admins, provider)
    try:
        # The client forgets a node, and learns it anew from the map: a new
        # node object, with a new pool, that did not exist at subscription.
        manager = client.nodes_manager
        name = client.get_node_from_key("learnt").name
        old = manager.nodes_cache.pop(name)
        manager.startup_nodes.pop(name, None)
        await old.disconnect()
        await manager.initialize()
        learnt = manager.nodes_cache[name]
        assert learnt is not old
        assert await client.execute_command("ACL WHOAMI", target_nodes=learnt) == OLD

        await provider.next(_token(token, NEW, NEW_PASSWORD))

        assert (await _users(admins))[name] == [NEW]
        assert await client.execute_command("ACL WHOAMI", target_nodes=learnt) == NEW
    finally:
        await client.aclose()


@LIBS
async def test_a_command_in_flight_on_a_node(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = await _cluster(lib, admins, provider)
    try:
        name = client.get_node_from_key("queue").name
        admin = admins[name]
        popped = asyncio.ensure_future(client.blpop("queue", timeout=0))
        while not any(c["cmd"] == "blpop" for c in await admin.client_list()):
            await asyncio.sleep(0.01)

        await provider.next(_token(token, NEW, NEW_PASSWORD))
        assert (await _users(admins))[name] == [OLD]  # blocked: not yet
        await admin.lpush("queue", "x")
        assert list(await popped) == ["queue", "x"]

        if lib is redispy:
            # redis-py's asyncio cluster re-authenticates the idle connections
            # only: the one that was in use stays OLD's
            assert (await _users(admins))[name] == [OLD]
        else:
            # aio's, as its plain client and redis-py's blocking cluster:
            # AUTH when it comes back to the node's pool
            assert (await _users(admins))[name] == [NEW]
    finally:
        await client.aclose()


async def test_aio_refused_token_on_release_raises_from_the_command(
    admins: Admins,
) -> None:
    # A connection in use when the token came sends AUTH as the command that
    # held it returns: a refusal is raised there, as from a plain client's
    # command (redis-py's asyncio cluster leaves such connections alone).
    provider = _provider(aio_credentials)
    client = await _cluster(aio_redis, admins, provider)
    try:
        for node in client.get_nodes():
            # none open and idle, so none refused at once
            await node.disconnect_free_connections()
        name = client.get_node_from_key("queue").name
        admin = admins[name]
        popped = asyncio.ensure_future(client.blpop("queue", timeout=0))
        while not any(c["cmd"] == "blpop" for c in await admin.client_list()):
            await asyncio.sleep(0.01)
        await provider.next(_token(aio_token, NEW, "wrong"))
        await admin.lpush("queue", "x")
        with pytest.raises(aio_redis.AuthenticationError, match="invalid username"):
            await popped
        # the refused connection was closed: the client goes on as OLD
        assert await _whoami_everywhere(client) == dict.fromkeys(admins, OLD)
    finally:
        await client.aclose()


async def test_aio_a_connection_given_back_while_the_idle_ones_answer(
    admins: Admins,
) -> None:
    # on_next writes every AUTH and marks the connections in use before it
    # waits for anything: one given back while the idle ones' replies are
    # awaited (neither idle when the AUTHs went out nor in use after them)
    # re-authenticates on its release.
    provider = _provider(aio_credentials)
    client = await _cluster(aio_redis, admins, provider)
    try:
        # the first pool on_next re-authenticates
        assert client._re_auth is not None
        pool = client._re_auth.connection_pools[0]
        (node,) = (n for n in client.get_nodes() if n.connection_pool is pool)
        in_use = await pool.get_connection()
        await client.execute_command("ACL WHOAMI", target_nodes=node)  # one idle
        pushed = asyncio.ensure_future(
            provider.next(_token(aio_token, NEW, NEW_PASSWORD))
        )
        await asyncio.sleep(0)  # on_next runs until it waits for the replies
        assert not pushed.done()
        await pool.release(in_use)
        await pushed
        users = (await _users(admins))[node.name]
        assert users and set(users) == {NEW}
    finally:
        await client.aclose()


@LIBS
async def test_refused_token_raises_to_the_provider(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = await _cluster(lib, admins, provider)
    try:
        await _whoami_everywhere(client)
        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            await provider.next(_token(token, NEW, "wrong"))
        # the client goes on as OLD (the refused connections are closed or
        # dropped by both, and the next use connects with the provider's)
        assert await _whoami_everywhere(client) == dict.fromkeys(admins, OLD)
    finally:
        await client.aclose()


@LIBS
async def test_on_error_raises_event_exception(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, _, event = libs
    provider = _provider(creds)
    client = await _cluster(lib, admins, provider)
    try:
        error = RuntimeError("token service down")
        with pytest.raises(event.EventException) as caught:
            await provider.error(error)
        assert caught.value.exception is error
        assert caught.value.event.credential_provider is provider
        assert await _whoami_everywhere(client) == dict.fromkeys(admins, OLD)
    finally:
        await client.aclose()


async def test_aio_on_error_event_names_every_node_pool(admins: Admins) -> None:
    # aio's event is the subscription: its pools are the nodes' known now
    # (redis-py's asyncio cluster event has its nodes instead).
    provider = _provider(aio_credentials)
    client = await _cluster(aio_redis, admins, provider)
    try:
        with pytest.raises(aio_event.EventException) as caught:
            await provider.error(RuntimeError("down"))
        event: Any = caught.value.event
        pools = {node.connection_pool for node in client.get_nodes()}
        assert set(event.connection_pools) == pools
        assert event.client_type is aio_event.ClientType.ASYNC
    finally:
        await client.aclose()


async def test_aio_a_closed_cluster_is_let_go(admins: Admins) -> None:
    # The subscription holds a cluster's nodes weakly: a later token
    # re-authenticates the live client's nodes only.
    provider = _provider(aio_credentials)
    gone = await _cluster(aio_redis, admins, provider)
    await gone.aclose()
    del gone
    gc.collect()
    client = await _cluster(aio_redis, admins, provider)
    try:
        await _whoami_everywhere(client)
        await provider.next(_token(aio_token, NEW, NEW_PASSWORD))
        assert client._re_auth is not None
        pools = {node.connection_pool for node in client.get_nodes()}
        assert set(client._re_auth.connection_pools) == pools
    finally:
        await client.aclose()


@LIBS
async def test_resp3_pubsub_connection_re_authenticates_at_once(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    host, port = next(iter(admins)).split(":")
    client = lib.RedisCluster(
        host=host, port=int(port), credential_provider=provider, protocol=3
    )
    await client.initialize()
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe("news")
        message = await pubsub.get_message(timeout=5)
        assert message is not None and message["type"] == "subscribe"
        node, user = await _subscriber(admins)
        assert user == OLD

        await provider.next(_token(token, NEW, NEW_PASSWORD))

        assert await _subscriber(admins) == (node, NEW)
        # still subscribed, and messages still come
        assert await admins[node].publish("news", "hello") == 1
        message = await pubsub.get_message(timeout=5)
        assert message is not None and message["data"] == b"hello"
    finally:
        await pubsub.aclose()
        await client.aclose()
