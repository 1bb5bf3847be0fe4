"""Re-authentication with the blocking client: a ``StreamingCredentialProvider``
that pushes a token from its own thread (as redis-py's token manager does)
re-authenticates the client's open connections, against a private
``redis-server`` with two ACL users, with redis-py's blocking ``redis`` doing
the same as the oracle.

The provider calls the client's callbacks as plain functions; they return once
the connections are re-authenticated, or raise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import redis
import redis.auth.token as redispy_token
import redis.credentials as redispy_credentials
import redis.event as redispy_event

import sync_shims.redis
import sync_shims.redis.auth.token as shim_token
import sync_shims.redis.credentials as shim_credentials
import sync_shims.redis.event as shim_event
from tests.plugins.fix_redis import PrivateRedis

ADMIN_PASSWORD = "admin-s3cret"
OLD, OLD_PASSWORD = "app-old", "old-s3cret"
NEW, NEW_PASSWORD = "app-new", "new-s3cret"

LIBS = pytest.mark.parametrize(
    "libs",
    [
        (sync_shims.redis, shim_credentials, shim_token, shim_event),
        (redis, redispy_credentials, redispy_token, redispy_event),
    ],
    ids=["sync_shims", "redis-py"],
)


@pytest.fixture
def server(private_redis_server: Callable[..., PrivateRedis]) -> PrivateRedis:
    """A private server with a ``default`` password and the ACL users OLD, NEW."""
    server = private_redis_server("--requirepass", ADMIN_PASSWORD)
    admin = redis.Redis(host=server.host, port=server.port, password=ADMIN_PASSWORD)
    try:
        for user, password in ((OLD, OLD_PASSWORD), (NEW, NEW_PASSWORD)):
            admin.acl_setuser(user, enabled=True, passwords=[f"+{password}"], commands=["+@all"], keys=["*"], channels=["*"])  # fmt: skip
    finally:
        admin.close()
    return server


def _provider(creds: ModuleType) -> Any:
    class Streaming(creds.StreamingCredentialProvider):  # type: ignore[name-defined,misc]
        """OLD's credentials at connect; pushes tokens from a thread of its own."""

        def __init__(self) -> None:
            self.next: Any = None
            self.error: Any = None

        def get_credentials(self) -> tuple[str, str]:
            return OLD, OLD_PASSWORD

        def on_next(self, callback: Any) -> None:
            self.next = callback

        def on_error(self, callback: Any) -> None:
            self.error = callback

        def is_streaming(self) -> bool:
            return True

        def push(self, callback: Any, value: Any) -> Any:
            """Call ``callback(value)`` in another thread: its result or error."""
            outcome: list[Any] = []

            def run() -> None:
                try:
                    outcome.append(("ok", callback(value)))
                except Exception as exc:
                    outcome.append(("error", exc))

            thread = threading.Thread(target=run)
            thread.start()
            thread.join()
            kind, result = outcome[0]
            if kind == "error":
                raise result
            return result

    return Streaming()


def _token(token_module: ModuleType, user: str, password: str) -> Any:
    return token_module.SimpleToken(password, -1, 0, {"oid": user})


def _client(lib: ModuleType, server: PrivateRedis, provider: Any, **kw: Any) -> Any:
    return lib.Redis(
        host=server.host,
        port=server.port,
        credential_provider=provider,
        retry=None,
        **kw,
    )


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


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


@LIBS
@pytest.mark.parametrize("protocol", [2, 3])
def test_idle_connections_at_once_in_use_ones_on_release(
    server: PrivateRedis, libs: tuple[ModuleType, ...], protocol: int
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = _client(lib, server, provider, protocol=protocol)
    try:
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
    finally:
        client.close()


@LIBS
def test_resp3_pubsub_connection_re_authenticates(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = _client(lib, server, provider, protocol=3)
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
        client.close()


@LIBS
def test_refused_token_raises_to_the_provider(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = _client(lib, server, provider)
    try:
        assert _text(client.acl_whoami()) == OLD  # one idle connection
        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            provider.push(provider.next, _token(token, NEW, "wrong"))
        assert _text(client.acl_whoami()) == OLD
        assert _users(server) == [OLD]
    finally:
        client.close()


@LIBS
def test_on_error_raises_event_exception(
    server: PrivateRedis, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, _, event = libs
    provider = _provider(creds)
    client = _client(lib, server, provider)
    try:
        error = RuntimeError("token service down")
        with pytest.raises(event.EventException) as caught:
            provider.push(provider.error, error)
        assert caught.value.exception is error
        assert caught.value.event.credential_provider is provider
        assert caught.value.event.client_type is event.ClientType.SYNC
        assert len(caught.value.event.connection_pools) == 1
        assert _text(client.acl_whoami()) == OLD
    finally:
        client.close()
