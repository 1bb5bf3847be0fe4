"""Timeouts in the blocking facade as in redis-py's sync client: the client's
``retry_on_timeout`` is ignored (redis-py 8 deprecates it there) while a URL's
still reaches the connections, and ``Monitor.next_command()`` is cut at
``socket_timeout``. Each body runs on redis-py and on ``sync_shims.redis``
(``redis_mod``).
"""

from __future__ import annotations

import warnings
from types import ModuleType
from typing import Any

import pytest

from tests.sync_shims.redis.conftest import DB


def _redis(redis_mod: ModuleType, **kwargs: Any) -> Any:
    # redis-py warns that the client's retry_on_timeout is deprecated.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return redis_mod.Redis(**kwargs)


def test_the_client_ignores_retry_on_timeout(redis_mod: ModuleType) -> None:
    r = _redis(redis_mod, retry=None, retry_on_timeout=True)
    try:
        assert r.get_retry() is None
        assert "retry_on_timeout" not in r.connection_pool.connection_kwargs
        conn = r.connection_pool.make_connection()
        assert conn.retry_on_timeout is False
        assert conn.retry.get_retries() == 0
    finally:
        r.close()


def test_a_url_still_sets_it_on_connections(redis_mod: ModuleType) -> None:
    r = redis_mod.Redis.from_url(f"redis://127.0.0.1/{DB}?retry_on_timeout=yes")
    try:
        assert r.get_retry() is None
        conn = r.connection_pool.make_connection()
        assert conn.retry_on_timeout is True
        assert conn.retry.get_retries() == 1
    finally:
        r.close()


def test_monitor_next_command_is_cut_at_socket_timeout(
    redis_mod: ModuleType, private_redis_server: Any
) -> None:
    # A private server: MONITOR shows the shared server's other traffic too.
    server = private_redis_server()
    r = redis_mod.Redis(host=server.host, port=server.port, socket_timeout=0.1)
    try:
        with r.monitor() as monitor:
            with pytest.raises(redis_mod.TimeoutError):
                monitor.next_command()
            # The timed-out connection was closed: the next read fails at once.
            with pytest.raises(redis_mod.ConnectionError):
                monitor.next_command()
    finally:
        r.close()
