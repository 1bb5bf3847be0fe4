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
from contextlib import AbstractAsyncContextManager
from types import ModuleType
from typing import Any

import pytest
import redis.asyncio as redispy

import aio.redis as aio_redis
import aio.redis.auth.token as aio_token
import aio.redis.credentials as aio_credentials
import aio.redis.event as aio_event
from tests.redis.reauth_scaffold import (
    AIO,
    ASYNC_LIBS,
    Session,
    acl_user,
    async_session,
    cluster,
    streaming_provider,
)
from tests.redis.reauth_scaffold import token as _token

OLD, OLD_PASSWORD = "cluster-app-old", "old-s3cret"
NEW, NEW_PASSWORD = "cluster-app-new", "new-s3cret"


Admins = dict[str, Any]


@pytest.fixture
async def admins(cluster_admin: Admins) -> AsyncIterator[Admins]:
    """``cluster_admin`` (a plain client per node, by name), with the ACL
    users OLD and NEW made on every node (ACLs are per node in a cluster);
    they go at the end, and their connections with them."""
    for admin in cluster_admin.values():
        for user, password in ((OLD, OLD_PASSWORD), (NEW, NEW_PASSWORD)):
            await admin.acl_setuser(user, **acl_user(password, reset_passwords=True))
    try:
        yield cluster_admin
    finally:
        for admin in cluster_admin.values():
            await admin.acl_deluser(OLD, NEW)


def _provider(creds: ModuleType) -> Any:
    """OLD's credentials at connect; keeps the client's callbacks."""
    return streaming_provider(creds, OLD, OLD_PASSWORD, has_async_source=True)


async def _cluster(lib: ModuleType, admins: Admins, provider: Any, **kw: Any) -> Any:
    """A cluster client that knows one startup node: the others are learnt
    from the slot map at ``initialize``, after it subscribed."""
    client = cluster(lib, admins, provider, **({"decode_responses": True} | kw))
    await client.initialize()
    return client


def _session(
    libs: tuple[ModuleType, ...], admins: Admins, **kw: Any
) -> AbstractAsyncContextManager[Session]:
    """A streaming provider of OLD and a cluster client subscribed to it,
    closed at the end."""
    return async_session(
        libs, OLD, OLD_PASSWORD, lambda lib, p: _cluster(lib, admins, p, **kw)
    )


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


@ASYNC_LIBS
async def test_idle_connections_of_every_node_re_authenticate(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, admins) as (provider, client, lib, token):
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


@ASYNC_LIBS
async def test_a_node_learnt_at_a_later_refresh_re_authenticates(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, admins) as (provider, client, lib, token):
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


@ASYNC_LIBS
async def test_a_command_in_flight_on_a_node(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, admins) as (provider, client, lib, token):
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


async def test_aio_refused_token_on_release_raises_from_the_command(
    admins: Admins,
) -> None:
    # A connection in use when the token came sends AUTH as the command that
    # held it returns: a refusal is raised there, as from a plain client's
    # command (redis-py's asyncio cluster leaves such connections alone).
    async with _session(AIO, admins) as (provider, client, *_):
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


async def test_aio_a_connection_given_back_while_the_idle_ones_answer(
    admins: Admins,
) -> None:
    # on_next writes every AUTH and marks the connections in use before it
    # waits for anything: one given back while the idle ones' replies are
    # awaited (neither idle when the AUTHs went out nor in use after them)
    # re-authenticates on its release.
    async with _session(AIO, admins) as (provider, client, *_):
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


@ASYNC_LIBS
async def test_refused_token_raises_to_the_provider(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, admins) as (provider, client, lib, token):
        await _whoami_everywhere(client)
        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            await provider.next(_token(token, NEW, "wrong"))
        # the client goes on as OLD (the refused connections are closed or
        # dropped by both, and the next use connects with the provider's)
        assert await _whoami_everywhere(client) == dict.fromkeys(admins, OLD)


@ASYNC_LIBS
async def test_on_error_raises_event_exception(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    event = libs[3]
    async with _session(libs, admins) as (provider, client, *_):
        error = RuntimeError("token service down")
        with pytest.raises(event.EventException) as caught:
            await provider.error(error)
        assert caught.value.exception is error
        assert caught.value.event.credential_provider is provider
        assert await _whoami_everywhere(client) == dict.fromkeys(admins, OLD)


async def test_aio_on_error_event_names_every_node_pool(admins: Admins) -> None:
    # aio's event is the subscription: its pools are the nodes' known now
    # (redis-py's asyncio cluster event has its nodes instead).
    async with _session(AIO, admins) as (provider, client, *_):
        with pytest.raises(aio_event.EventException) as caught:
            await provider.error(RuntimeError("down"))
        event: Any = caught.value.event
        pools = {node.connection_pool for node in client.get_nodes()}
        assert set(event.connection_pools) == pools
        assert event.client_type is aio_event.ClientType.ASYNC


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


@ASYNC_LIBS
async def test_resp3_pubsub_connection_re_authenticates_at_once(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    async with _session(libs, admins, decode_responses=False, protocol=3) as (
        provider,
        client,
        lib,
        token,
    ):
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
