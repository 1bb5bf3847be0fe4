"""Credential providers with the blocking client (``sync_shims.redis.credentials``)
against a private ``redis-server`` with an ACL user, with redis-py's blocking
``redis`` and ``redis.credentials`` doing the same as the oracle.

The server has a ``default`` password (``--requirepass``) and a user ``app``
created through ACL SETUSER; each test subclasses the library's own
``CredentialProvider`` as users do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import redis
import redis.credentials as redispy_credentials

import sync_shims.redis
from sync_shims.redis import credentials as shim_credentials
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.reauth_scaffold import (
    ACCEPTED_CREDENTIALS,
    REFUSED_CREDENTIALS,
    USER,
    USER_PASSWORD,
    acl_server,
    rotating_provider,
)
from tests.redis.reauth_scaffold import client as _client

LIBS = pytest.mark.parametrize(
    ("lib", "creds"),
    [(sync_shims.redis, shim_credentials), (redis, redispy_credentials)],
    ids=["sync_shims", "redis-py"],
)


@pytest.fixture
def server(private_redis_server: Callable[..., PrivateRedis]) -> PrivateRedis:
    """A private server: ``default`` with a password, and the ACL user ``app``."""
    return acl_server(private_redis_server, [(USER, USER_PASSWORD)], channels=False)


def _whoami(lib: ModuleType, server: PrivateRedis, provider: Any) -> str:
    client = _client(lib, server, provider)
    try:
        name = client.acl_whoami()
    finally:
        client.close()
    return name.decode() if isinstance(name, bytes) else str(name)


def test_the_shim_classes_are_the_async_ones() -> None:
    import aio.redis.credentials

    assert (
        shim_credentials.CredentialProvider is aio.redis.credentials.CredentialProvider
    )
    assert sync_shims.redis.CredentialProvider is shim_credentials.CredentialProvider
    assert (
        sync_shims.redis.UsernamePasswordCredentialProvider
        is shim_credentials.UsernamePasswordCredentialProvider
    )


@LIBS
@pytest.mark.parametrize("protocol", [2, 3])
def test_subclass_authenticates_an_acl_user(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType, protocol: int
) -> None:
    asked: list[str] = []

    class FromVault(creds.CredentialProvider):  # type: ignore[name-defined,misc]
        def get_credentials(self) -> tuple[str, str]:
            asked.append(USER)
            return USER, USER_PASSWORD

    client = _client(lib, server, FromVault(), protocol=protocol)
    try:
        assert client.acl_whoami() in (USER, USER.encode())
        # asked anew at every connect (here, after the pool dropped the connection)
        client.connection_pool.disconnect()
        assert client.ping() is True
    finally:
        client.close()
    assert asked == [USER, USER]


@LIBS
@ACCEPTED_CREDENTIALS
def test_username_password_provider(
    server: PrivateRedis,
    lib: ModuleType,
    creds: ModuleType,
    args: tuple[str | None, str],
    user: str,
) -> None:
    provider = creds.UsernamePasswordCredentialProvider(*args)
    assert _whoami(lib, server, provider) == user


@LIBS
@REFUSED_CREDENTIALS
def test_wrong_credentials_raise_authentication_error(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType, args: tuple[str, ...]
) -> None:
    provider = creds.UsernamePasswordCredentialProvider(*args)
    with pytest.raises(lib.AuthenticationError) as caught:
        _whoami(lib, server, provider)
    assert "invalid username-password pair" in str(caught.value)


@LIBS
def test_changed_credentials_apply_at_the_next_connect(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType
) -> None:
    provider = rotating_provider(creds, USER, USER_PASSWORD)
    client = _client(lib, server, provider)
    try:
        assert client.ping() is True
        provider.password = "rotated-away"
        assert client.ping() is True  # the open connection stays
        client.connection_pool.disconnect()
        with pytest.raises(lib.AuthenticationError):
            client.ping()
    finally:
        client.close()


@LIBS
def test_provider_with_no_source_fails_the_connect(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType
) -> None:
    with pytest.raises(NotImplementedError):
        _whoami(lib, server, creds.CredentialProvider())


@LIBS
def test_credentials_with_username_or_password_is_refused(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType
) -> None:
    provider = creds.UsernamePasswordCredentialProvider(USER, USER_PASSWORD)
    with pytest.raises(lib.DataError, match="cannot be passed along"):
        client = _client(lib, server, provider, password=USER_PASSWORD)
        try:
            client.ping()
        finally:
            client.close()


def test_a_blocking_source_runs_off_the_engine_loop(server: PrivateRedis) -> None:
    # On the blocking client a provider would otherwise run on the engine's
    # shared loop thread, where a slow one stalls every client of the process.
    from sync_shims._portal import run_sync

    threads: list[int] = []

    class FromVault(shim_credentials.CredentialProvider):
        def get_credentials(self) -> tuple[str, str]:
            threads.append(threading.get_ident())
            return USER, USER_PASSWORD

    assert _whoami(sync_shims.redis, server, FromVault()) == USER
    loop_thread = run_sync(threading.get_ident)
    assert len(threads) == 1
    assert threads[0] not in (loop_thread, threading.get_ident())
