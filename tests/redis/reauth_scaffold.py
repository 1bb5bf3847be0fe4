"""Scaffolding shared by the credential and re-authentication tests, async
and blocking, plain and cluster (``tests/redis/test_reauth.py``,
``test_cluster_reauth.py``, ``test_credentials.py`` and their twins under
``tests/sync_shims/redis``): the ACL users they make, the streaming provider
double, the tokens it pushes, and the clients, made alike for redis-py and ours.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from types import ModuleType
from typing import Any

import pytest
import redis
import redis.asyncio
import redis.auth.token
import redis.credentials
import redis.event

import aio.redis
import aio.redis.auth.token
import aio.redis.credentials
import aio.redis.event
import sync_shims.redis
import sync_shims.redis.auth.token
import sync_shims.redis.credentials
import sync_shims.redis.event
from tests.plugins.fix_redis import PrivateRedis

ADMIN_PASSWORD = "admin-s3cret"

#: The libraries the re-authentication tests run against, ours and redis-py's
#: (the oracle), each as its client, credentials, token and event modules.
AIO = (aio.redis, aio.redis.credentials, aio.redis.auth.token, aio.redis.event)
REDISPY_ASYNC = (redis.asyncio, redis.credentials, redis.auth.token, redis.event)
SHIM = (
    sync_shims.redis,
    sync_shims.redis.credentials,
    sync_shims.redis.auth.token,
    sync_shims.redis.event,
)
REDISPY = (redis, redis.credentials, redis.auth.token, redis.event)

#: A test run against each: the async clients, the blocking ones.
ASYNC_LIBS = pytest.mark.parametrize(
    "libs", [AIO, REDISPY_ASYNC], ids=["aio", "redis-py"]
)
BLOCKING_LIBS = pytest.mark.parametrize(
    "libs", [SHIM, REDISPY], ids=["sync_shims", "redis-py"]
)

#: The ACL user of the credential provider tests.
USER, USER_PASSWORD = "app", "app-s3cret"

#: A UsernamePasswordCredentialProvider's arguments, and who they log in as.
ACCEPTED_CREDENTIALS = pytest.mark.parametrize(
    ("args", "user"),
    [((USER, USER_PASSWORD), USER), ((None, ADMIN_PASSWORD), "default")],
    ids=["acl-user", "password-only"],
)

#: A UsernamePasswordCredentialProvider's arguments the server refuses.
REFUSED_CREDENTIALS = pytest.mark.parametrize(
    "args",
    [(USER, "wrong"), ("nobody", USER_PASSWORD), (None, "wrong")],
    ids=["wrong-password", "unknown-user", "wrong-default-password"],
)


def acl_user(password: str, *, channels: bool = True, **extra: Any) -> dict[str, Any]:
    """``ACL SETUSER`` keywords of an enabled user allowed everything, with
    ``password`` (``extra``: more keywords, as ``reset_passwords=True``)."""
    rules: dict[str, Any] = {
        "enabled": True,
        "passwords": [f"+{password}"],
        "commands": ["+@all"],
        "keys": ["*"],
    }
    if channels:
        rules["channels"] = ["*"]
    return rules | extra


def acl_server(
    private_redis_server: Callable[..., PrivateRedis],
    users: Iterable[tuple[str, str]],
    *,
    channels: bool = True,
) -> PrivateRedis:
    """A private server with a ``default`` password and the ACL ``users``
    (name, password), made through redis-py's blocking client."""
    server = private_redis_server("--requirepass", ADMIN_PASSWORD)
    admin = redis.Redis(host=server.host, port=server.port, password=ADMIN_PASSWORD)
    try:
        for user, password in users:
            admin.acl_setuser(user, **acl_user(password, channels=channels))
    finally:
        admin.close()
    return server


def streaming_provider(
    creds: ModuleType, user: str, password: str, *, has_async_source: bool
) -> Any:
    """The library's own ``StreamingCredentialProvider`` subclassed as
    redis-entraid does: ``user``'s credentials at connect, and it keeps the
    client's callbacks (``next``, ``error``) for a test to call. With
    ``has_async_source``, it has a ``get_credentials_async`` too."""

    class Streaming(creds.StreamingCredentialProvider):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            self.next: Any = None
            self.error: Any = None

        def get_credentials(self) -> tuple[str, str]:
            return user, password

        def on_next(self, callback: Any) -> None:
            self.next = callback

        def on_error(self, callback: Any) -> None:
            self.error = callback

        def is_streaming(self) -> bool:
            return True

        def push(self, callback: Any, value: Any) -> Any:
            """Call ``callback(value)`` in another thread, as redis-py's token
            manager does: its result, or its error raised here."""
            outcome: list[tuple[bool, Any]] = []

            def run() -> None:
                try:
                    outcome.append((True, callback(value)))
                except Exception as exc:
                    outcome.append((False, exc))

            thread = threading.Thread(target=run)
            thread.start()
            thread.join()
            is_ok, result = outcome[0]
            if not is_ok:
                raise result
            return result

    if not has_async_source:
        return Streaming()

    class AsyncStreaming(Streaming):
        async def get_credentials_async(self) -> tuple[str, str]:
            return user, password

    return AsyncStreaming()


def rotating_provider(creds: ModuleType, user: str, password: str) -> Any:
    """A ``CredentialProvider`` subclass giving ``user`` and its ``password``
    attribute (``password`` at first), as it is at each connect."""

    class Rotating(creds.CredentialProvider):  # type: ignore[name-defined,misc]
        def get_credentials(self) -> tuple[str, str]:
            return user, self.password

    provider = Rotating()
    provider.password = password
    return provider


#: What a session yields: the provider, the client, the client's library and
#: that library's token module.
Session = tuple[Any, Any, ModuleType, ModuleType]


@asynccontextmanager
async def async_session(
    libs: tuple[ModuleType, ...],
    user: str,
    password: str,
    connect: Callable[[ModuleType, Any], Awaitable[Any]],
) -> AsyncIterator[Session]:
    """A streaming provider of ``user`` (with a ``get_credentials_async``)
    and the client ``connect(lib, provider)`` makes, closed at the end.
    ``libs``: the library, its credentials, token and event modules."""
    lib, creds, token_module, _ = libs
    provider = streaming_provider(creds, user, password, has_async_source=True)
    client = await connect(lib, provider)
    try:
        yield provider, client, lib, token_module
    finally:
        await client.aclose()


@contextmanager
def session(
    libs: tuple[ModuleType, ...],
    user: str,
    password: str,
    connect: Callable[[ModuleType, Any], Any],
) -> Iterator[Session]:
    """:func:`async_session` for the blocking clients (a provider without a
    ``get_credentials_async``)."""
    lib, creds, token_module, _ = libs
    provider = streaming_provider(creds, user, password, has_async_source=False)
    client = connect(lib, provider)
    try:
        yield provider, client, lib, token_module
    finally:
        client.close()


def token(token_module: ModuleType, user: str, password: str) -> Any:
    """A token as redis-entraid's: the password is the value, the user the oid."""
    return token_module.SimpleToken(password, -1, 0, {"oid": user})


def client(lib: ModuleType, server: PrivateRedis, provider: Any, **kw: Any) -> Any:
    """``lib.Redis`` on ``server`` with ``provider``; retry=None: a refused
    AUTH is raised as it is, by both libraries."""
    return lib.Redis(
        host=server.host,
        port=server.port,
        credential_provider=provider,
        retry=None,
        **kw,
    )


def cluster(
    lib: ModuleType, node_names: Iterable[str], provider: Any, **kw: Any
) -> Any:
    """``lib.RedisCluster`` that knows one startup node (the first of
    ``node_names``, ``host:port``): the others are learnt from the slot map."""
    host, port = next(iter(node_names)).split(":")
    return lib.RedisCluster(
        host=host, port=int(port), credential_provider=provider, **kw
    )


def text(value: Any) -> str:
    """A reply as text, from either library's bytes or str."""
    return value.decode() if isinstance(value, bytes) else str(value)
