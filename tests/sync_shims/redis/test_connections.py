"""Blocking connections, pools, defaults and retry policies, both ways: each test
body runs against redis-py and against ``sync_shims.redis`` (``redis_mod``).

What redis-py's own suite checks through its private attributes (``_sock``,
``_available_connections``, a patched ``parse_response``) is checked here through
public API.
"""

from __future__ import annotations

import inspect
import multiprocessing
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import redis as redispy
from redis._defaults import get_default_socket_keepalive_options

from tests.sync_shims.redis.conftest import DB

FORK = multiprocessing.get_context("fork")


def _connection(redis_mod: ModuleType, server: tuple[str, int]) -> Any:
    host, port = server
    return redis_mod.Connection(host=host, port=port, db=DB)


def test_connection_defaults(redis_mod: ModuleType) -> None:
    conn = redis_mod.Connection()
    assert conn.socket_timeout == 5
    assert conn.socket_connect_timeout == 5
    assert conn.socket_keepalive is True
    assert conn.socket_keepalive_options == get_default_socket_keepalive_options()
    assert (
        conn.socket_keepalive_options
        is not redis_mod.Connection().socket_keepalive_options
    )
    assert (
        redis_mod.Connection(socket_keepalive_options=None).socket_keepalive_options
        == {}
    )
    assert redis_mod.UnixDomainSocketConnection("/tmp/x.sock").path == "/tmp/x.sock"
    assert redis_mod.UnixDomainSocketConnection().socket_timeout == 5
    assert redis_mod.ConnectionPool().max_connections == 100
    assert redis_mod.Redis().connection_pool.max_connections == 100
    assert redis_mod.BlockingConnectionPool().max_connections == 50


def test_client_signature_defaults_match_redis_py(redis_mod: ModuleType) -> None:
    ours = inspect.signature(redis_mod.Redis.__init__).parameters
    theirs = inspect.signature(redispy.Redis.__init__).parameters
    for name in (
        "host",
        "port",
        "db",
        "socket_timeout",
        "socket_connect_timeout",
        "socket_read_size",
        "socket_keepalive",
        "retry_on_timeout",
        "retry_on_error",
        "max_connections",
        "single_connection_client",
        "health_check_interval",
        "protocol",
    ):
        assert ours[name].default == theirs[name].default, name
    retry = ours["retry"].default
    assert retry.get_retries() == 10
    assert type(retry._backoff).__name__ == "ExponentialWithJitterBackoff"
    assert (retry._backoff._base, retry._backoff._cap) == (0.01, 1)
    client = redis_mod.Redis()
    assert client.get_retry() == retry and client.get_retry() is not retry


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"retry_on_timeout": True},
        {"retry_on_error": []},
        {"retry_on_error": ["ReadOnlyError"]},
        {
            "retry_on_error": ["ReadOnlyError", "BusyLoadingError"],
            "retry_on_timeout": True,
        },
        {"retry_on_error": ["ReadOnlyError"], "retry": 4},
        {"retry": 3},
    ],
)
def test_connection_retry_policy(redis_mod: ModuleType, kwargs: dict[str, Any]) -> None:
    def build(mod: ModuleType) -> Any:
        options = dict(kwargs)
        if "retry_on_error" in options:
            options["retry_on_error"] = [
                getattr(mod, n) for n in options["retry_on_error"]
            ]
        if "retry" in options:
            options["retry"] = mod.retry.Retry(
                mod.backoff.NoBackoff(), options["retry"]
            )
        return mod.Connection(**options)

    ours, theirs = build(redis_mod), build(redispy)
    assert isinstance(ours.retry, redis_mod.retry.Retry)
    assert ours.retry.get_retries() == theirs.retry.get_retries()
    names = {e.__name__ for e in ours.retry._supported_errors}
    assert names == {e.__name__ for e in theirs.retry._supported_errors}
    assert [e.__name__ for e in ours.retry_on_error] == [
        e.__name__ for e in theirs.retry_on_error
    ]


def _counting(redis_mod: ModuleType) -> Any:
    class Counting(redis_mod.backoff.AbstractBackoff):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            self.calls = 0
            self.resets = 0

        def reset(self) -> None:
            self.resets += 1

        def compute(self, failures: int) -> float:
            self.calls += 1
            return 0

    return Counting()


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_call_with_retry_blocks_and_counts(redis_mod: ModuleType, retries: int) -> None:
    backoff = _counting(redis_mod)
    attempts: list[int] = []
    failures: list[Exception] = []

    def do() -> None:
        attempts.append(1)
        raise redis_mod.ConnectionError("down")

    retry = redis_mod.retry.Retry(backoff, retries)
    with pytest.raises(redis_mod.ConnectionError):
        retry.call_with_retry(do, failures.append)
    assert len(attempts) == len(failures) == retries + 1
    assert (backoff.calls, backoff.resets) == (retries, 1)
    # an error it does not support is raised at once, without calling fail
    attempts.clear()
    failures.clear()

    def wrong() -> None:
        attempts.append(1)
        raise ValueError("not a connection error")

    with pytest.raises(ValueError):
        retry.call_with_retry(wrong, failures.append)
    assert (len(attempts), failures) == (1, [])
    # with_failure_count and a value once it works
    seen: list[tuple[str, int]] = []
    results = iter([redis_mod.ConnectionError("x"), "ok"])

    def flaky() -> str:
        value = next(results)
        if isinstance(value, Exception):
            raise value
        return str(value)

    retry = redis_mod.retry.Retry(redis_mod.backoff.NoBackoff(), 2)
    got = retry.call_with_retry(
        flaky, lambda e, n: seen.append((type(e).__name__, n)), with_failure_count=True
    )
    assert got == "ok" and seen == [("ConnectionError", 1)]


# Each call increments a counter and answers READONLY until the third call.
FLAKY = """
local n = redis.call('INCR', KEYS[1])
if n < tonumber(ARGV[1]) then return redis.error_reply('READONLY not yet') end
return n
"""


def test_client_retry_on_error(make: Callable[..., Any], redis_mod: ModuleType) -> None:
    backoff = _counting(redis_mod)
    r = make(
        retry_on_error=[redis_mod.ReadOnlyError],
        retry=redis_mod.retry.Retry(backoff, 3),
    )
    r.delete("flaky")
    assert r.eval(FLAKY, 1, "flaky", 3) == 3  # two READONLY, retried
    r.delete("flaky")
    with pytest.raises(redis_mod.ReadOnlyError):
        r.eval(FLAKY, 1, "flaky", 99)
    assert int(r.get("flaky")) == 4  # the first call and three retries
    plain = make()
    with pytest.raises(redis_mod.ReadOnlyError):
        plain.eval(FLAKY, 1, "flaky", 99)  # not retried by default
    assert int(plain.get("flaky")) == 5
    plain.delete("flaky")


def test_blocking_connection(redis_mod: ModuleType, server: tuple[str, int]) -> None:
    conn = _connection(redis_mod, server)
    assert not conn.is_connected
    assert conn.send_command("PING") is None
    assert conn.is_connected
    assert conn.read_response() == b"PONG"
    conn.send_command("ECHO", "hi")
    assert conn.read_response() == b"hi"
    conn.disconnect()
    assert not conn.is_connected
    conn.connect()
    assert conn.is_connected
    conn.disconnect()


def test_pool_hands_out_blocking_connections(
    redis_mod: ModuleType, server: tuple[str, int]
) -> None:
    host, port = server
    pool = redis_mod.ConnectionPool(host=host, port=port, db=DB)
    other = redis_mod.ConnectionPool(host=host, port=port, db=DB)
    c1 = pool.get_connection()
    assert isinstance(c1, redis_mod.Connection) and c1.is_connected
    c1.send_command("PING")
    assert c1.read_response() == b"PONG"
    pool.release(c1)
    c2 = pool.get_connection()
    assert c2 is c1  # the released one, reused
    foreign = other.get_connection()
    pool.release(foreign)  # not this pool's: ignored, never handed out
    c3 = pool.get_connection()
    assert c3 != foreign and c3 != c2
    pool.release(c3)
    pool.disconnect()  # in-use connections too
    assert not c2.is_connected
    c2.connect()
    pool.disconnect(inuse_connections=False)
    assert c2.is_connected
    with pool as entered:
        assert entered is pool
    assert not c2.is_connected  # leaving the block closed the pool
    other.disconnect()


def test_pool_repr_as_redis_py(redis_mod: ModuleType) -> None:
    pool = redis_mod.ConnectionPool(
        host="localhost", port=6379, db=1, client_name="c", password="secret"
    )
    text = repr(pool)
    assert text.startswith(f"<{redis_mod.__name__}.connection.ConnectionPool(<")
    assert "Connection(host=localhost,port=6379,db=1,client_name=c," in text
    assert "password=<REDACTED>" in text and "secret" not in text
    unix = redis_mod.ConnectionPool.from_url("unix:///tmp/r.sock?db=2")
    assert unix.connection_class is redis_mod.UnixDomainSocketConnection
    assert "UnixDomainSocketConnection(" in repr(unix) and "path=/tmp/r.sock" in repr(
        unix
    )
    conn = redis_mod.Connection(host="h", port=1, db=2, client_name="n")
    assert (
        repr(conn)
        == f"<{redis_mod.__name__}.connection.Connection(host=h,port=1,db=2,client_name=n)>"
    )


def test_unsupported_connection_class_is_refused() -> None:
    import sync_shims.redis as shim

    class Custom:
        def __init__(self, **kwargs: Any) -> None:
            pass

    with pytest.raises(TypeError, match="connection_class must be"):
        shim.ConnectionPool(connection_class=Custom)
    with pytest.raises(TypeError, match="connection_class must be"):
        shim.BlockingConnectionPool(connection_class=Custom)


@pytest.mark.parametrize("own", [True, False], ids=["facade-config", "redis-py-config"])
def test_maintenance_notifications_config(own: bool) -> None:
    # Taken for TCP connections, refused enabled on a unix socket (redis-py's
    # messages), dropped when off; redis-py's own config objects work too.
    import redis.maint_notifications as redispy_maint

    import sync_shims.redis as shim
    import sync_shims.redis.maint_notifications as shim_maint

    config_class = (
        shim_maint.MaintNotificationsConfig
        if own
        else redispy_maint.MaintNotificationsConfig
    )
    on, off = config_class(enabled=True), config_class(enabled=False)
    for made in (
        shim.ConnectionPool(host="localhost", maint_notifications_config=on),
        shim.Redis(maint_notifications_config=on).connection_pool,
        redispy.ConnectionPool(host="localhost", maint_notifications_config=on),
    ):
        assert made.maint_notifications_enabled() is True
        config = made.connection_kwargs["maint_notifications_config"]
        assert config.enabled is True
    pool = shim.ConnectionPool(host="localhost", maint_notifications_config=on)
    assert isinstance(
        pool.connection_kwargs["maint_notifications_pool_handler"],
        shim_maint.MaintNotificationsPoolHandler,
    )
    with pytest.raises(shim.RedisError, match="not supported with Unix domain"):
        shim.Redis(unix_socket_path="/tmp/x.sock", maint_notifications_config=on)
    with pytest.raises(shim.RedisError, match="not supported with .*UnixDomain"):
        shim.ConnectionPool(
            connection_class=shim.UnixDomainSocketConnection,
            path="/tmp/x.sock",
            maint_notifications_config=on,
        )
    with pytest.raises(shim.RedisError, match="not supported with connections to"):
        shim.ConnectionPool.from_url(
            "unix:///tmp/x.sock", maint_notifications_config=on
        )
    pool = shim.ConnectionPool(maint_notifications_config=off)
    assert "maint_notifications_config" not in pool.connection_kwargs
    assert pool.maint_notifications_enabled() is None


def test_single_connection_client_connects_at_once(
    make: Callable[..., Any], redis_mod: ModuleType
) -> None:
    pooled = make()
    assert pooled.connection is None
    single = make(single_connection_client=True)
    assert single.connection is not None and single.connection.is_connected
    assert single.connection is single.connection
    assert single.ping() is True
    with pytest.raises(redis_mod.ConnectionError):
        redis_mod.Redis(port=1, single_connection_client=True, retry=None)


def _child_uses(conn: Any) -> None:
    conn.send_command("PING")
    assert conn.read_response() == b"PONG"
    conn.disconnect()


def test_connection_made_in_parent_works_in_child(
    redis_mod: ModuleType, server: tuple[str, int]
) -> None:
    conn = _connection(redis_mod, server)
    conn.send_command("PING")
    assert conn.read_response() == b"PONG"
    proc = FORK.Process(target=_child_uses, args=(conn,))
    proc.start()
    proc.join(10)
    assert proc.exitcode == 0
    conn.send_command("PING")  # the child's disconnect left the parent's alone
    assert conn.read_response() == b"PONG"
    conn.disconnect()
