"""The blocking facade's CLIENT SETINFO (redis.driver_info) and HIMPORT family,
against sync redis-py 8.1 on the scripted Redis 8.9 of the async tests (run on
a loop of its own thread here)."""

from __future__ import annotations

import asyncio
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis as redispy

import aio
import sync_shims.redis as shim
from sync_shims.redis.driver_info import DriverInfo
from sync_shims.redis.exceptions import DataError
from sync_shims.redis.himport import HImportRegistry
from tests.redis.test_setinfo_himport import Script, Words, normalized


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], int]]:
    """``port = start(script)``: serve ``script`` on 127.0.0.1 from a thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    servers: list[asyncio.Server] = []

    def start(script: Script) -> int:
        async def serve() -> int:
            server = await asyncio.start_server(script.handler, "127.0.0.1", 0)
            servers.append(server)
            return int(server.sockets[0].getsockname()[1])

        return asyncio.run_coroutine_threadsafe(serve(), loop).result(5)

    yield start

    async def stop() -> None:
        for server in servers:
            server.close()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def run_both(
    scripted: Callable[[Script], int],
    scenario: Callable[[Any], Any],
    **kwargs: Any,
) -> list[tuple[list[Words], Any]]:
    """``scenario(client)`` on the facade, then on redis-py: [(words, result)]."""
    out = []
    for make in (shim.Redis, redispy.Redis):
        script = Script()
        port = scripted(script)
        client = make(
            host="127.0.0.1", port=port, protocol=2, socket_timeout=2, **kwargs
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # redis-py: experimental
            result = scenario(client)
        client.close()
        out.append((script.connections, result))
    return out


def test_setinfo_words_match_redis_py(scripted: Callable[[Script], int]) -> None:
    ours, theirs = run_both(scripted, lambda r: r.ping(), client_name="me", db=1)
    assert normalized(ours[0]) == normalized(theirs[0])
    assert ours[0][0][1:3] == [
        [b"CLIENT", b"SETINFO", b"LIB-NAME", b"aio-redis"],
        [b"CLIENT", b"SETINFO", b"LIB-VER", aio.__version__.encode()],
    ]


def test_driver_info_none_and_deprecated_lib_args(
    scripted: Callable[[Script], int],
) -> None:
    ours, theirs = run_both(scripted, lambda r: r.ping(), driver_info=None)
    assert ours[0] == theirs[0] == [[[b"PING"]]]
    with pytest.warns(DeprecationWarning, match="lib_name"):
        client = shim.Redis(lib_name=None, lib_version=None)
    assert client.connection_pool.connection_kwargs["driver_info"] is None
    client.close()
    with pytest.warns(DeprecationWarning, match="lib_version"):
        conn = shim.Connection(protocol=2, lib_name=None, lib_version=None)
    assert conn.driver_info is None


def test_upstream_driver_through_the_facade(scripted: Callable[[Script], int]) -> None:
    script = Script()
    port = scripted(script)
    info = DriverInfo().add_upstream_driver("django-redis", "5.4.0")
    with shim.Redis(host="127.0.0.1", port=port, protocol=2, driver_info=info) as r:
        assert r.ping() is True
    assert script.connections[0][0] == [
        b"CLIENT",
        b"SETINFO",
        b"LIB-NAME",
        b"aio-redis(django-redis_v5.4.0)",
    ]


def test_himport_words_and_replies_match_redis_py(
    scripted: Callable[[Script], int],
) -> None:
    def scenario(r: Any) -> Any:
        results = [
            r.himport_prepare("users", ["name", "email"]),
            r.himport_set("u:1", "users", ["ann", "a@x"]),
            r.himport_set("u:2", "users", ["bob", "b@x"]),
            r.himport_discard("users"),
            r.himport_prepare("tags", ["t"]),
            r.himport_set("t:1", "tags", ["x"]),
        ]
        with r.pipeline() as pipe:
            pipe.himport_set("t:2", "tags", ["y"])
            results.append(pipe.execute())
        results.append(r.himport_discard_all())
        return results

    ours, theirs = run_both(scripted, scenario, driver_info=None)
    assert ours == theirs
    assert ours[1] == [True, True, True, 1, True, True, [True], 1]
    assert [w[:3] for w in ours[0][0]] == [
        [b"HIMPORT", b"PREPARE", b"users"],
        [b"HIMPORT", b"SET", b"u:1"],
        [b"HIMPORT", b"SET", b"u:2"],
        [b"HIMPORT", b"DISCARD", b"users"],
        [b"HIMPORT", b"PREPARE", b"tags"],
        [b"HIMPORT", b"SET", b"t:1"],
        [b"MULTI"],  # the fieldset is prepared already: nothing before MULTI
        [b"HIMPORT", b"SET", b"t:2"],
        [b"EXEC"],
    ]


def test_registry_is_the_pools() -> None:
    pool = shim.ConnectionPool()
    client = shim.Redis(connection_pool=pool)
    assert isinstance(client.himport_registry, HImportRegistry)
    assert pool.connection_kwargs["himport_registry"] is pool.himport_registry
    assert client.himport_registry is pool.himport_registry
    assert "himport_registry" not in repr(pool)  # as redis-py's repr
    assert client.himport_prepare("users", ["a", "b"]) is True
    assert client.himport_registry.get("users") is not None
    assert client.himport_discard("users") == 1
    with pytest.raises(DataError):
        client.himport_set("k", "users", "ab")
    client.close()
    pool.disconnect()
