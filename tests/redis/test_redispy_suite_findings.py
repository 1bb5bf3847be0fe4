"""What redis-py's own suite files added in task H5 found different in aio.

Each test pins one fix made while adding files of redis-py's ``tests/`` and
``tests/test_asyncio/`` to the suite runs (``redispy_async_suite.py``,
``redispy_suite.py``), with redis-py as the oracle: the same calls on both.
"""

from __future__ import annotations

import ssl
import tempfile
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.asyncio.connection as redispy_connection
import redis.exceptions as redispy_exceptions
from redis.asyncio import sentinel as redispy_sentinel

import aio.redis as aio_redis
from aio.redis import sentinel as aio_sentinel
from aio.redis._pool import parse_url

LIBS = pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])


@LIBS
async def test_unix_socket_error_names_the_path_as_redis_py(lib: Any) -> None:
    # redis-py's test_unix_socket_connection_failure matches this message.
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "absent.sock")
        client = lib.Redis(unix_socket_path=path)
        try:
            with pytest.raises(lib.ConnectionError) as caught:
                await client.set("a", "b")
        finally:
            await client.aclose()
    assert str(caught.value) == (
        f"Error 2 connecting to {path}. No such file or directory."
    )


def test_url_ssl_min_version_is_a_tls_version_as_redis_py() -> None:
    url = f"rediss://localhost:6379/0?ssl_min_version={ssl.TLSVersion.TLSv1_3:d}"
    ours = parse_url(url)["ssl_min_version"]
    theirs = redispy_connection.parse_url(url)["ssl_min_version"]
    assert ours == theirs == ssl.TLSVersion.TLSv1_3
    assert isinstance(ours, ssl.TLSVersion)
    with pytest.raises(ValueError, match="ssl_min_version"):
        parse_url("rediss://localhost/0?ssl_min_version=tls1.3")


@LIBS
async def test_close_is_a_deprecated_alias_of_aclose(redis_url: str, lib: Any) -> None:
    client = lib.Redis.from_url(redis_url)
    assert await client.ping()
    with pytest.warns(DeprecationWarning, match=r"close\. \(Use aclose\(\) instead\)"):
        await client.close()


@LIBS
async def test_auto_close_connection_pool_is_deprecated(
    redis_url: str, lib: Any
) -> None:
    with pytest.deprecated_call():
        own = lib.Redis.from_url(redis_url, auto_close_connection_pool=False)
    assert own.auto_close_connection_pool is False
    await own.connection_pool.disconnect()
    pool = lib.ConnectionPool.from_url(redis_url)
    try:
        for flag in (True, False):
            # A pool handed in stays the caller's, whatever the flag says.
            with pytest.deprecated_call():
                client = lib.Redis(
                    connection_pool=pool, auto_close_connection_pool=flag
                )
            assert client.auto_close_connection_pool is False
        # No argument, no warning (pytest's filterwarnings=error would raise).
        assert lib.Redis.from_url(redis_url).auto_close_connection_pool is True
    finally:
        await pool.disconnect()


class _FakeSentinel:
    """A sentinel client answering SENTINEL MASTERS/SLAVES with parsed states
    (what ``sentinel_masters()``/``sentinel_slaves()`` return), or failing."""

    def __init__(self, master: dict[str, Any], slaves: list[Any], error: Any = None):
        self.master, self.slaves, self.error = master, slaves, error

    async def sentinel_masters(self) -> dict[str, Any]:
        if self.error:
            raise self.error
        return {"mymaster": self.master}

    async def sentinel_slaves(self, name: str) -> list[Any]:
        if self.error:
            raise self.error
        return self.slaves if name == "mymaster" else []


@pytest.mark.parametrize(
    "sentinel_module",
    [aio_sentinel, redispy_sentinel],
    ids=["aio", "redis-py"],
)
async def test_discovery_reads_parsed_states_as_redis_py(sentinel_module: Any) -> None:
    # redis-py's test_sentinel fakes the sentinel clients this way: discovery
    # asks sentinel_masters()/sentinel_slaves() and reads is_master, is_sdown...
    master = {"ip": "10.0.0.1", "port": 6380, "is_master": True, "is_sdown": False,
              "is_odown": False, "num-other-sentinels": 0}  # fmt: skip
    slaves = [
        {"ip": "10.0.0.2", "port": 6381, "is_odown": False, "is_sdown": False},
        {"ip": "10.0.0.3", "port": 6381, "is_odown": True, "is_sdown": False},
    ]
    errors = (aio_redis.ConnectionError, redispy_exceptions.ConnectionError)
    down = _FakeSentinel(
        master, slaves, error=errors[sentinel_module is redispy_sentinel]("down")
    )
    up = _FakeSentinel(master, slaves)
    sentinel = sentinel_module.Sentinel([], min_other_sentinels=0)
    sentinel.sentinels = [down, up]
    assert await sentinel.discover_master("mymaster") == ("10.0.0.1", 6380)
    assert sentinel.sentinels[0] is up  # the one that answered goes first
    assert await sentinel.discover_slaves("mymaster") == [("10.0.0.2", 6381)]
    sentinel.min_other_sentinels = 1
    with pytest.raises(sentinel_module.MasterNotFoundError):
        await sentinel.discover_master("mymaster")
    sentinel.min_other_sentinels = 0
    master["is_sdown"] = True
    with pytest.raises(sentinel_module.MasterNotFoundError):
        await sentinel.discover_master("mymaster")
    with pytest.raises(sentinel_module.MasterNotFoundError):
        await sentinel.discover_master("unknown")


@pytest.mark.parametrize(
    "error",
    [OSError(), OSError(12), OSError(12, "Some Error"), ssl.SSLError("No cipher")],
    ids=["bare", "errno", "errno and text", "one argument"],
)
def test_connect_error_message_as_redis_py(error: OSError) -> None:
    from redis.utils import format_error_message

    from aio.redis._connection import _connect_message

    where = "localhost:6379"
    assert _connect_message(error, where) == format_error_message(where, error)


@LIBS
async def test_ciphers_openssl_refuses_fail_the_command(lib: Any) -> None:
    # redis-py's test_ssl_connection_tls12_custom_ciphers_invalid: the error
    # comes from ping() as a RedisError (a ConnectionError), not from OpenSSL.
    client = lib.Redis(
        host="localhost", port=1, ssl=True, ssl_cert_reqs="none",
        ssl_ciphers="foo:bar", retry=None,
    )  # fmt: skip
    try:
        with pytest.raises(lib.RedisError, match="No cipher can be selected"):
            await client.ping()
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    "module", [aio_redis, redispy_connection], ids=["aio", "redis-py"]
)
@pytest.mark.parametrize(("reqs", "checked"), [("none", False), ("required", True)])
def test_no_certificate_check_means_no_hostname_check(
    module: Any, reqs: str, checked: bool
) -> None:
    conn = module.SSLConnection(ssl_cert_reqs=reqs, ssl_check_hostname=True)
    assert conn.check_hostname is checked


class _Creds:
    """A credential provider (duck-typed as redis-py's CredentialProvider)."""

    def __init__(self, *creds: str) -> None:
        self.creds = creds
        self.asked = 0

    def get_credentials(self) -> tuple[str, ...]:
        return self.creds

    async def get_credentials_async(self) -> tuple[str, ...]:
        self.asked += 1
        return self.creds


@LIBS
@pytest.mark.parametrize("protocol", [2, 3])
async def test_credential_provider_authenticates_as_redis_py(
    redis_url: str, lib: Any, protocol: int
) -> None:
    # redis-py's test_credentials (both suites) found aio ignoring providers.
    admin = aio_redis.Redis.from_url(redis_url)
    user = f"h5-creds-{protocol}-{lib.__name__}"
    await admin.acl_setuser(user, enabled=True, passwords=["+s3cret"], commands=["+@all"], keys=["*"])  # fmt: skip
    try:
        provider = _Creds(user, "s3cret")
        client = lib.Redis.from_url(redis_url, protocol=protocol, credential_provider=provider)  # fmt: skip
        try:
            assert await client.acl_whoami() in (user, user.encode())
            assert provider.asked == 1
        finally:
            await client.aclose()
        wrong = lib.Redis.from_url(redis_url, protocol=protocol, credential_provider=_Creds(user, "nope"), retry=None)  # fmt: skip
        try:
            with pytest.raises(lib.AuthenticationError):
                await wrong.ping()
        finally:
            await wrong.aclose()
        with pytest.raises(lib.DataError, match="cannot be passed along"):
            both = lib.Redis.from_url(redis_url, password="x", credential_provider=provider)  # fmt: skip
            await both.ping()
    finally:
        await admin.acl_deluser(user)
        await admin.aclose()


@LIBS
async def test_username_alone_authenticates_with_an_empty_password(
    redis_url: str, lib: Any
) -> None:
    # as redis-py: HELLO 3 AUTH <user> "" (the server says whether it is allowed)
    admin = aio_redis.Redis.from_url(redis_url)
    user = f"h5-nopass-{lib.__name__}"
    await admin.acl_setuser(user, enabled=True, nopass=True, commands=["+@all"], keys=["*"])  # fmt: skip
    try:
        client = lib.Redis.from_url(redis_url, username=user)
        try:
            assert await client.acl_whoami() in (user, user.encode())
        finally:
            await client.aclose()
    finally:
        await admin.acl_deluser(user)
        await admin.aclose()
