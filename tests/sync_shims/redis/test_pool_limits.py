"""The blocking facade's pool limits against redis-py's sync ones: default
sizes (100, 50 for ``BlockingConnectionPool``, ``None`` meaning 100) and what
happens at the limit. Each body runs on redis-py and on ``sync_shims.redis``
(``redis_mod``).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.sync_shims.redis.conftest import DB

URL = f"redis://127.0.0.1:6379/{DB}"

# (what is built, the size redis-py 8.1 gives it)
DEFAULTS: list[tuple[str, Callable[[ModuleType], Any], int]] = [
    ("ConnectionPool()", lambda m: m.ConnectionPool(), 100),
    ("ConnectionPool(None)", lambda m: m.ConnectionPool(max_connections=None), 100),
    ("ConnectionPool(0)", lambda m: m.ConnectionPool(max_connections=0), 100),
    ("ConnectionPool.from_url", lambda m: m.ConnectionPool.from_url(URL), 100),
    ("BlockingConnectionPool()", lambda m: m.BlockingConnectionPool(), 50),
    (
        "BlockingConnectionPool(None)",
        lambda m: m.BlockingConnectionPool(max_connections=None),
        100,
    ),
    (
        "BlockingConnectionPool.from_url",
        lambda m: m.BlockingConnectionPool.from_url(URL),
        50,
    ),
    (
        "BlockingConnectionPool.from_url(None)",
        lambda m: m.BlockingConnectionPool.from_url(URL, max_connections=None),
        100,
    ),
    ("Redis()", lambda m: m.Redis().connection_pool, 100),
    ("Redis.from_url", lambda m: m.Redis.from_url(URL).connection_pool, 100),
    (
        "Redis.from_url(?max_connections=7)",
        lambda m: m.Redis.from_url(URL + "?max_connections=7").connection_pool,
        7,
    ),
    (
        "Sentinel.master_for",
        lambda m: (
            m.sentinel.Sentinel([("127.0.0.1", 1)]).master_for("svc").connection_pool
        ),
        100,
    ),
]


@pytest.mark.parametrize(
    ("build", "expected"),
    [(build, expected) for _, build, expected in DEFAULTS],
    ids=[name for name, _, _ in DEFAULTS],
)
def test_default_pool_sizes_are_redis_py_s(
    redis_mod: ModuleType, build: Callable[[ModuleType], Any], expected: int
) -> None:
    pool = build(redis_mod)
    try:
        assert pool.max_connections == expected
    finally:
        pool.disconnect()


def test_a_full_pool_raises_max_connections_error(
    redis_mod: ModuleType, server: tuple[str, int]
) -> None:
    host, port = server
    pool = redis_mod.ConnectionPool(host=host, port=port, db=DB, max_connections=1)
    r = redis_mod.Redis(connection_pool=pool)
    try:
        held = pool.get_connection()
        with pytest.raises(redis_mod.exceptions.MaxConnectionsError) as caught:
            pool.get_connection()
        assert str(caught.value) == "Too many connections"
        assert isinstance(caught.value, redis_mod.ConnectionError)
        with pytest.raises(redis_mod.MaxConnectionsError):
            r.ping()
        pool.release(held)
        assert r.ping() is True
    finally:
        r.close()
        pool.disconnect()


def test_a_full_blocking_pool_times_out_with_connection_error(
    redis_mod: ModuleType, server: tuple[str, int]
) -> None:
    host, port = server
    pool = redis_mod.BlockingConnectionPool(
        host=host, port=port, db=DB, max_connections=1, timeout=0.05
    )
    try:
        held = pool.get_connection()
        with pytest.raises(redis_mod.ConnectionError) as caught:
            pool.get_connection()
        assert type(caught.value) is redis_mod.exceptions.ConnectionError
        assert str(caught.value) == "No connection available."
        pool.release(held)
        again = pool.get_connection()  # freed: served at once
        pool.release(again)
    finally:
        pool.disconnect()
