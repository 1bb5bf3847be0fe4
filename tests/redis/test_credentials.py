"""Credential providers (``aio.redis.credentials``) against a private
``redis-server`` with an ACL user, with redis-py's ``redis.asyncio`` and
``redis.credentials`` doing the same as the oracle.

The server has a ``default`` password (``--requirepass``) and a user ``app``
created through ACL SETUSER; each test subclasses the library's own
``CredentialProvider`` as users do. The example of docs/redis.md
("Credential providers") runs at the end.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.credentials as redispy_credentials

import aio.redis as aio_redis
from aio.redis import credentials as aio_credentials
from tests.plugins.fix_redis import PrivateRedis
from tests.plugins.fix_services import require_service
from tests.redis.docs_example import example_in
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
    [(aio_redis, aio_credentials), (redispy, redispy_credentials)],
    ids=["aio", "redis-py"],
)


@pytest.fixture
def server(private_redis_server: Callable[..., PrivateRedis]) -> PrivateRedis:
    """A private server: ``default`` with a password, and the ACL user ``app``."""
    return acl_server(private_redis_server, [(USER, USER_PASSWORD)], channels=False)


async def _whoami(lib: ModuleType, server: PrivateRedis, provider: Any) -> str:
    client = _client(lib, server, provider)
    try:
        name = await client.acl_whoami()
    finally:
        await client.aclose()
    return name.decode() if isinstance(name, bytes) else str(name)


@LIBS
@pytest.mark.parametrize("protocol", [2, 3])
async def test_subclass_with_a_blocking_source_authenticates(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType, protocol: int
) -> None:
    asked: list[str] = []

    class FromVault(creds.CredentialProvider):  # type: ignore[name-defined,misc]
        def get_credentials(self) -> tuple[str, str]:
            asked.append("sync")
            return USER, USER_PASSWORD

    client = lib.Redis(
        host=server.host,
        port=server.port,
        protocol=protocol,
        credential_provider=FromVault(),
    )
    try:
        assert await client.acl_whoami() in (USER, USER.encode())
        # asked anew at every connect (here, after the pool dropped the connection)
        await client.connection_pool.disconnect()
        assert await client.ping() is True
    finally:
        await client.aclose()
    # the default get_credentials_async calls get_credentials
    assert asked == ["sync", "sync"]


@LIBS
async def test_subclass_with_an_async_source_is_awaited(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType
) -> None:
    asked: list[str] = []

    class FromTokenService(creds.CredentialProvider):  # type: ignore[name-defined,misc]
        def get_credentials(self) -> tuple[str, str]:
            asked.append("sync")
            return USER, "not-this-one"

        async def get_credentials_async(self) -> tuple[str, str]:
            asked.append("async")
            return USER, USER_PASSWORD

    assert await _whoami(lib, server, FromTokenService()) == USER
    assert asked == ["async"]


@LIBS
@ACCEPTED_CREDENTIALS
async def test_username_password_provider(
    server: PrivateRedis,
    lib: ModuleType,
    creds: ModuleType,
    args: tuple[str | None, str],
    user: str,
) -> None:
    provider = creds.UsernamePasswordCredentialProvider(*args)
    assert await _whoami(lib, server, provider) == user


@LIBS
@REFUSED_CREDENTIALS
async def test_wrong_credentials_raise_authentication_error(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType, args: tuple[str, ...]
) -> None:
    provider = creds.UsernamePasswordCredentialProvider(*args)
    with pytest.raises(lib.AuthenticationError) as caught:
        await _whoami(lib, server, provider)
    assert "invalid username-password pair" in str(caught.value)


@LIBS
async def test_changed_credentials_apply_at_the_next_connect(
    server: PrivateRedis, lib: ModuleType, creds: ModuleType
) -> None:
    provider = rotating_provider(creds, USER, USER_PASSWORD)
    client = _client(lib, server, provider)
    try:
        assert await client.ping() is True
        provider.password = "rotated-away"
        assert await client.ping() is True  # the open connection stays
        await client.connection_pool.disconnect()
        with pytest.raises(lib.AuthenticationError):
            await client.ping()
    finally:
        await client.aclose()


@LIBS
async def test_provider_with_no_source_fails_the_connect(
    server: PrivateRedis,
    lib: ModuleType,
    creds: ModuleType,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # redis-py's base logs a warning from its get_credentials_async; ours does not
    with caplog.at_level(logging.CRITICAL), pytest.raises(NotImplementedError):
        await _whoami(lib, server, creds.CredentialProvider())


@pytest.mark.parametrize("creds", [aio_credentials, redispy_credentials])
def test_streaming_provider_is_abstract(creds: ModuleType) -> None:
    with pytest.raises(TypeError, match="abstract"):
        creds.StreamingCredentialProvider()

    class Streaming(creds.StreamingCredentialProvider):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            self.callbacks: list[Any] = []

        def get_credentials(self) -> tuple[str, str]:
            return USER, USER_PASSWORD

        def on_next(self, callback: Any) -> None:
            self.callbacks.append(callback)

        def on_error(self, callback: Any) -> None:
            self.callbacks.append(callback)

        def is_streaming(self) -> bool:
            return False

    provider = Streaming()
    assert isinstance(provider, creds.CredentialProvider)
    assert provider.is_streaming() is False
    provider.on_next(print)
    assert provider.callbacks == [print]


@pytest.mark.parametrize("creds", [aio_credentials, redispy_credentials])
async def test_username_password_provider_values(creds: ModuleType) -> None:
    cases: list[tuple[tuple[str | None, ...], tuple[str, ...]]] = [
        ((USER, "pw"), (USER, "pw")),
        ((None, "pw"), ("pw",)),
        (("", "pw"), ("pw",)),
        ((USER, None), (USER, "")),
        ((), ("",)),
    ]
    for args, expected in cases:
        provider = creds.UsernamePasswordCredentialProvider(*args)
        assert provider.get_credentials() == expected
        assert await provider.get_credentials_async() == expected
        assert (provider.username, provider.password) == (
            args[0] if args and args[0] else "",
            args[1] if len(args) > 1 and args[1] else "",
        )


def test_docs_example(capsys: pytest.CaptureFixture[str]) -> None:
    require_service("redis")  # the example uses the shared server's ACL
    exec(compile(example_in("redis.md", "credentials"), "docs/redis.md", "exec"), {"__name__": "doc"})  # fmt: skip
    assert capsys.readouterr().out.splitlines() == ["docs-credentials-app"]


async def test_a_blocking_source_runs_off_the_loop(server: PrivateRedis) -> None:
    # A provider that only has get_credentials may block (a file, a token
    # fetch): it runs in a worker thread, never on the loop's own thread.
    # (redis-py calls it on the loop; the credentials are the same.)
    loop_thread = threading.get_ident()
    threads: list[int] = []

    class FromVault(aio_credentials.CredentialProvider):
        def get_credentials(self) -> tuple[str, str]:
            threads.append(threading.get_ident())
            return USER, USER_PASSWORD

    assert await _whoami(aio_redis, server, FromVault()) == USER
    assert len(threads) == 1
    assert threads[0] != loop_thread


async def test_a_duck_typed_provider_is_asked_off_the_loop(
    server: PrivateRedis,
) -> None:
    # Not a CredentialProvider subclass: only get_credentials, as redis-py's
    # clients also accept.
    loop_thread = threading.get_ident()
    threads: list[int] = []

    class Plain:
        def get_credentials(self) -> tuple[str, str]:
            threads.append(threading.get_ident())
            return USER, USER_PASSWORD

    assert await _whoami(aio_redis, server, Plain()) == USER
    assert threads and loop_thread not in threads


async def test_a_username_password_subclass_with_a_blocking_source_runs_off_the_loop(
    server: PrivateRedis,
) -> None:
    # Its parent's get_credentials_async (no I/O) would call the override on
    # the loop: the override is the source, so it runs in a worker thread.
    loop_thread = threading.get_ident()
    threads: list[int] = []

    class Rotating(aio_credentials.UsernamePasswordCredentialProvider):
        def get_credentials(self) -> tuple[str, str]:
            threads.append(threading.get_ident())
            return USER, USER_PASSWORD

    assert await _whoami(aio_redis, server, Rotating("nobody", "wrong")) == USER
    assert threads and loop_thread not in threads
