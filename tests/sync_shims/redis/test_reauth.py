"""Re-authentication with the blocking client: a ``StreamingCredentialProvider``
that pushes a token from its own thread (as redis-py's token manager does)
re-authenticates the client's open connections, against a private
``redis-server`` with two ACL users, with redis-py's blocking ``redis`` doing
the same as the oracle.

The provider calls the client's callbacks as plain functions; they return once
the connections are re-authenticated, or raise.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from types import ModuleType
from typing import Any

import pytest
import redis

from tests.plugins.fix_redis import PrivateRedis
from tests.redis.reauth_scaffold import (
    ADMIN_PASSWORD,
    BLOCKING_LIBS,
    Session,
    acl_server,
    session,
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


def _session(
    libs: tuple[ModuleType, ...], server: PrivateRedis, **kw: Any
) -> AbstractContextManager[Session]:
    """A streaming provider of OLD and a client subscribed to it, closed at the end."""
    return session(
        libs, OLD, OLD_PASSWORD, lambda lib, p: _client(lib, server, p, **kw)
    )


def _whoami_on(conn: Any) -> str:
    conn.send_command("ACL", "WHOAMI")
    return _text(conn.read_response())


def _users(server: PrivateRedis) -> list[str]:
    admin = redis.Redis(host=server.host, port=server.port, password=ADMIN_PASSWORD)
    try:
        users = (_text(c["user"]) for c in admin.client_list())
        return sorted(user for user in users if user != "default")
    finally:
        admin.close()


@BLOCKING_LIBS
@pytest.mark.parametrize("protocol", [2, 3])
def test_idle_connections_at_once_in_use_ones_on_release(
    server: PrivateRedis, libs: tuple[ModuleType, ...], protocol: int
) -> None:
    with _session(libs, server, protocol=protocol) as (provider, client, lib, token):
        pool = client.connection_pool
        in_use = pool.get_connection()
        idle = pool.get_connection()
        pool.release(idle)

        assert provider.push(provider.next, _token(token, NEW, NEW_PASSWORD)) is None

        assert _whoami_on(idle) == NEW
        assert _whoami_on(in_use) == OLD
        pool.release(in_use)
        assert _whoami_on(in_use) == NEW
        assert _users(server) == [NEW, NEW]
        assert _text(client.acl_whoami()) == NEW


@BLOCKING_LIBS
def test_resp3_pubsub_connection_re_authenticates(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    with _session(libs, server, protocol=3) as (provider, client, lib, token):
        pubsub = client.pubsub()
        try:
            pubsub.subscribe("news")
            message = pubsub.get_message(timeout=5)
            assert message is not None and message["type"] == "subscribe"
            assert _users(server) == [OLD]
            provider.push(provider.next, _token(token, NEW, NEW_PASSWORD))
            assert _users(server) == [NEW]
        finally:
            pubsub.close()


@BLOCKING_LIBS
def test_refused_token_raises_to_the_provider(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    with _session(libs, server) as (provider, client, lib, token):
        assert _text(client.acl_whoami()) == OLD  # one idle connection
        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            provider.push(provider.next, _token(token, NEW, "wrong"))
        assert _text(client.acl_whoami()) == OLD
        assert _users(server) == [OLD]


@BLOCKING_LIBS
def test_on_error_raises_event_exception(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    event = libs[3]
    with _session(libs, server) as (provider, client, *_):
        error = RuntimeError("token service down")
        with pytest.raises(event.EventException) as caught:
            provider.push(provider.error, error)
        assert caught.value.exception is error
        assert caught.value.event.credential_provider is provider
        assert caught.value.event.client_type is event.ClientType.SYNC
        assert len(caught.value.event.connection_pools) == 1
        assert _text(client.acl_whoami()) == OLD
