"""Reply deadlines: one watchdog timer per connection instead of a timer per command.

Each entry of the reply FIFO carries a deadline; the connection's watchdog fires at
the earliest one outstanding and re-arms itself for the next. These tests pin what
that must keep from a timer per command: a deadline is met whatever the order of
deadlines, an answered command's deadline never fires, a cancelled caller's
deadline does not close the connection, and nothing stays armed once the
connection is gone.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aio.proto.resp import encode_reply
from aio.redis import Connection, TimeoutError
from tests.redis.test_connection import read_commands


async def _conn(port: int) -> Connection:
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.connect()
    return conn


async def test_a_shorter_deadline_behind_a_longer_one_still_fires(
    fake_server: Any,
) -> None:
    async def silent(reader: asyncio.StreamReader, writer: Any) -> None:
        await reader.read()  # never answers

    conn = await _conn(await fake_server(silent))
    loop = asyncio.get_running_loop()
    started = loop.time()
    slow = conn.send_request(("GET", "a"), timeout=30)
    quick = conn.send_request(("GET", "b"), timeout=0.2)
    with pytest.raises(TimeoutError, match="Timeout reading from"):
        await quick
    assert loop.time() - started < 5  # the 0.2 s deadline, not the 30 s one
    # The stream position is unknown: every waiter fails, the connection closes.
    with pytest.raises(TimeoutError):
        await slow
    assert not conn.is_connected
    assert conn._watchdog is None


async def test_answered_deadlines_never_fire_and_the_next_one_does(
    fake_server: Any,
) -> None:
    async def answers_first_only(reader: asyncio.StreamReader, writer: Any) -> None:
        await read_commands(reader, 1)
        writer.write(encode_reply(b"one"))
        await writer.drain()
        await reader.read()

    conn = await _conn(await fake_server(answers_first_only))
    loop = asyncio.get_running_loop()
    assert await conn.send_request(("GET", "a"), timeout=0.3) == b"one"
    # The watchdog armed for the first deadline is still pending; waiting past it
    # must not close a connection whose every command was answered.
    await asyncio.sleep(0.5)
    assert conn.is_connected
    started = loop.time()
    with pytest.raises(TimeoutError):
        await conn.send_request(("GET", "b"), timeout=0.4)
    assert 0.3 < loop.time() - started < 5  # its own deadline, measured from its send


async def test_a_cancelled_callers_deadline_does_not_close_the_connection(
    fake_server: Any,
) -> None:
    async def late(reader: asyncio.StreamReader, writer: Any) -> None:
        await read_commands(reader, 2)
        await asyncio.sleep(0.5)
        writer.write(encode_reply(b"one") + encode_reply(b"two"))
        await writer.drain()
        await reader.read()

    conn = await _conn(await fake_server(late))
    first = conn.send_request(("GET", "a"), timeout=0.2)
    second = conn.send_request(("GET", "b"), timeout=5)
    first.cancel()
    # The cancelled entry stays in the FIFO (its reply is still owed) but nobody
    # waits on it: its deadline passing must not fail the command behind it.
    assert await second == b"two"
    assert conn.is_connected
    await conn.disconnect()


async def test_moved_deadlines_are_watched(fake_server: Any) -> None:
    """Maintenance moves in-flight deadlines (relaxed timeouts): the watchdog
    follows them, both later and back."""

    async def silent(reader: asyncio.StreamReader, writer: Any) -> None:
        await reader.read()

    conn = await _conn(await fake_server(silent))
    loop = asyncio.get_running_loop()
    started = loop.time()
    waiting = conn.send_request(("GET", "a"), timeout=0.2)
    conn.update_current_socket_timeout(0.6)  # relaxed: 0.6 s from now
    with pytest.raises(TimeoutError):
        await waiting
    assert loop.time() - started >= 0.5
    assert conn._watchdog is None
