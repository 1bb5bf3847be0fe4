"""Timeouts, dedicated connections, and binary values across both clients."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sync_shims.redis


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_socket_timeout_raises_timeout_error(
    redis_mod: ModuleType, silent_server: int
) -> None:
    no_retry = redis_mod.retry.Retry(redis_mod.backoff.NoBackoff(), 0)
    client = redis_mod.Redis(
        host="127.0.0.1", port=silent_server, socket_timeout=0.2, retry=no_retry
    )
    with pytest.raises(redis_mod.exceptions.TimeoutError):
        client.get("k")
    assert issubclass(redis_mod.TimeoutError, redis_mod.RedisError)
    client.close()


def test_single_connection_client(make: Callable[..., Any]) -> None:
    r = make(single_connection_client=True)
    r.flushdb()
    r.client_setname("dedicated")
    assert r.client_getname() in (b"dedicated", "dedicated")  # same connection
    assert r.set("k", "v") and r.get("k") == b"v"
    r.flushdb()


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[Any, Any]]:
    from tests.plugins.fix_services import require_service
    from tests.sync_shims.redis.conftest import DB

    host, port = require_service("redis")
    theirs = redis.Redis(host=host, port=port, db=DB)
    ours = sync_shims.redis.Redis(host=host, port=port, db=DB)
    yield theirs, ours
    theirs.delete("hyp:k", "hyp:h")
    theirs.close()
    ours.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=st.binary(max_size=300), field=st.binary(min_size=1, max_size=20))
def test_binary_values_cross_over(
    pair: tuple[Any, Any], db_lock: None, value: bytes, field: bytes
) -> None:
    theirs, ours = pair
    ours.set("hyp:k", value)
    assert theirs.get("hyp:k") == value
    theirs.hset("hyp:h", field, value)
    assert ours.hgetall("hyp:h") == {field: value}
    assert ours.get("hyp:k") == theirs.get("hyp:k")
    ours.delete("hyp:h")
