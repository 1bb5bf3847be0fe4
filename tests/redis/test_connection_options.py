"""Connection options redis-py has: TCP keepalive tuning, retry policies that
compare by value, ``set_retry`` reaching the connections a pool holds."""

from __future__ import annotations

import socket

import pytest
import redis.backoff as redispy_backoff

from aio.redis import ConnectionPool, Redis
from aio.redis import backoff as ours
from aio.redis.exceptions import ReadOnlyError
from aio.redis.retry import Retry

KEEPIDLE = getattr(socket, "TCP_KEEPIDLE", None)


@pytest.mark.skipif(KEEPIDLE is None, reason="no TCP_KEEPIDLE on this platform")
async def test_keepalive_options_are_set_on_the_socket(redis_url: str) -> None:
    assert KEEPIDLE is not None
    pool = ConnectionPool.from_url(
        redis_url,
        socket_keepalive=True,
        socket_keepalive_options={KEEPIDLE: 31, socket.TCP_KEEPCNT: 4},
    )
    conn = await pool.get_connection()
    try:
        sock = conn._transport.get_extra_info("socket")  # type: ignore[union-attr]
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert sock.getsockopt(socket.IPPROTO_TCP, KEEPIDLE) == 31
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 4
    finally:
        await pool.release(conn)
        await pool.aclose()


async def test_keepalive_options_need_keepalive(redis_url: str) -> None:
    # Keepalive is on by default (as redis-py 8): turned off here.
    pool = ConnectionPool.from_url(
        redis_url, socket_keepalive=False, socket_keepalive_options=None
    )
    conn = pool.make_connection()
    assert conn.socket_keepalive_options == {}
    await conn.connect()
    try:
        sock = conn._transport.get_extra_info("socket")  # type: ignore[union-attr]
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0
    finally:
        await conn.disconnect()


BACKOFFS = [
    ("ConstantBackoff", (0.5,)),
    ("NoBackoff", ()),
    ("ExponentialBackoff", (2, 0.1)),
    ("FullJitterBackoff", (2, 0.1)),
    ("EqualJitterBackoff", (2, 0.1)),
    ("ExponentialWithJitterBackoff", (2, 0.1)),
    ("DecorrelatedJitterBackoff", (2, 0.1)),
]


@pytest.mark.parametrize(("name", "args"), BACKOFFS)
def test_backoffs_compare_by_value_as_redis_py(name: str, args: tuple[float]) -> None:
    make, theirs = getattr(ours, name), getattr(redispy_backoff, name)
    assert make(*args) == make(*args)
    assert hash(make(*args)) == hash(make(*args))
    other = ours.ConstantBackoff(9000)
    assert (make(*args) == other) == (
        theirs(*args) == redispy_backoff.ConstantBackoff(9000)
    )
    assert len({make(*args), make(*args), other}) == 2


def test_retry_compares_by_value() -> None:
    one = Retry(ours.ExponentialBackoff(1, 0.01), 3)
    assert one == Retry(ours.ExponentialBackoff(1, 0.01), 3)
    assert one != Retry(ours.ExponentialBackoff(1, 0.01), 4)
    assert one != Retry(ours.NoBackoff(), 3)
    widened = Retry(ours.ExponentialBackoff(1, 0.01), 3)
    widened.update_supported_errors([ReadOnlyError])
    assert one != widened
    assert len({one, Retry(ours.ExponentialBackoff(1, 0.01), 3), widened}) == 2


async def test_set_retry_reaches_held_connections(redis_url: str) -> None:
    async with Redis.from_url(redis_url) as r:
        held = await r.connection_pool.get_connection()
        idle = await r.connection_pool.get_connection()
        await r.connection_pool.release(idle)
        policy = Retry(ours.ConstantBackoff(0.01), 3)
        r.set_retry(policy)
        assert held.retry is policy and idle.retry is policy
        # a new connection takes a copy, as redis-py's Connection does
        assert r.connection_pool.make_connection().retry == policy
        await r.connection_pool.release(held)
