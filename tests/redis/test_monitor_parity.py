"""``Monitor`` as ``redis.asyncio`` 8.1's: ``next_command()`` is cut at
``socket_timeout`` with ``TimeoutError`` (the connection is closed, so later
calls raise ``ConnectionError``), waits for ever with ``socket_timeout=None``,
and describes a unix-socket client as redis-py does.

A private server: MONITOR shows every client's commands, and the shared server
has other test runs' traffic. Each test runs with both libraries (``lib``).
"""

from __future__ import annotations

import asyncio
import builtins
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exceptions

import aio.redis as aio_redis

LIBS = pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])


def _errors(lib: Any) -> Any:
    return aio_redis.exceptions if lib is aio_redis else redispy_exceptions


@LIBS
async def test_next_command_is_cut_at_socket_timeout(
    private_redis_server: Any, lib: Any
) -> None:
    server = private_redis_server()
    errors = _errors(lib)
    r = lib.Redis(host=server.host, port=server.port, socket_timeout=0.1)
    try:
        async with r.monitor() as monitor:
            with pytest.raises(errors.TimeoutError, match="Timeout reading from"):
                await monitor.next_command()
            assert not monitor.connection.is_connected
            # The timed-out connection is gone: the next read fails at once.
            with pytest.raises(errors.ConnectionError):
                await monitor.next_command()
    finally:
        await r.aclose()


@LIBS
async def test_next_command_waits_without_socket_timeout(
    private_redis_server: Any, lib: Any
) -> None:
    server = private_redis_server()
    r = lib.Redis(host=server.host, port=server.port, socket_timeout=None)
    try:
        async with r.monitor() as monitor:
            # Only the outer bound ends the wait: asyncio's own TimeoutError,
            # not the library's.
            with pytest.raises(builtins.TimeoutError) as caught:
                await asyncio.wait_for(monitor.next_command(), 0.2)
            assert type(caught.value) is builtins.TimeoutError
    finally:
        await r.aclose()


@LIBS
async def test_a_command_within_socket_timeout_is_returned(
    private_redis_server: Any, lib: Any
) -> None:
    server = private_redis_server()
    watcher = lib.Redis(host=server.host, port=server.port, socket_timeout=5)
    r = lib.Redis(host=server.host, port=server.port)
    try:
        await r.ping()  # its handshake happens before MONITOR
        async with watcher.monitor() as monitor:
            await r.set("monitored", "x")
            command = await monitor.next_command()
            while command["command"] != "SET monitored x":
                command = await monitor.next_command()
            assert command["client_type"] == "tcp"
            assert command["db"] == 0
    finally:
        await r.aclose()
        await watcher.aclose()


async def test_a_unix_socket_client_is_described_as_redis_py_does(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    seen = {}
    for lib in (aio_redis, redispy):
        watcher = lib.Redis(unix_socket_path=server.unix_socket)
        r = lib.Redis(unix_socket_path=server.unix_socket)
        try:
            await r.ping()
            async with watcher.monitor() as monitor:
                await r.set("over-unix", 1)
                command = await monitor.next_command()
                while command["command"] != "SET over-unix 1":
                    command = await monitor.next_command()
            seen[lib.__name__] = {k: v for k, v in command.items() if k != "time"}
        finally:
            await r.aclose()
            await watcher.aclose()
    assert (
        seen["aio.redis"]
        == seen["redis.asyncio"]
        == {
            "db": 0,
            "client_address": "unix",
            "client_port": server.unix_socket,
            "client_type": "unix",
            "command": "SET over-unix 1",
        }
    )
