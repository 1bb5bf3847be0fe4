"""Oracle fixtures for the Redis command tests: run a scenario on redis-py and on aio.

``oracle`` (parametrised over RESP2 and RESP3) holds two clients on database 10:
``theirs``, redis-py's asyncio client on RESP2 (the shapes users know), and ``ours``,
``aio.redis.Redis`` with the same settings and the parametrised protocol.
``await oracle.check(scenario)`` runs ``scenario(client)`` on each in turn, with a
FLUSHDB of database 10 before each run, and asserts the two results are equal; an
exception counts as a result (compared by class name and, for ``ResponseError``,
by the server's message), so error behaviour is compared too.

Database 10 belongs to the command tests: the client tests use 9 (and 8), and
nothing here ever runs FLUSHALL. Several test runs may share one server (engineers
running the suite side by side), so every test that uses database 10 holds an
exclusive file lock for its duration: runs take turns instead of flushing each
other's keys mid-scenario.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import tempfile
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis.asyncio as redis_asyncio

from tests.plugins.fix_services import require_service

DB = 10
LOCK_PATH = os.path.join(tempfile.gettempdir(), "aio-tests-redis-db10.lock")


@contextlib.contextmanager
def db_lock_sync() -> Iterator[None]:
    """:func:`db_lock` for synchronous tests."""
    fd = os.open(LOCK_PATH, os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.asynccontextmanager
async def db_lock() -> AsyncIterator[None]:
    """Hold database 10 exclusively (across processes) for the duration."""
    fd = os.open(LOCK_PATH, os.O_CREAT | os.O_RDWR, 0o666)
    try:
        # In a thread: another run may hold it for a test's length.
        await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


Scenario = Callable[[Any], Awaitable[Any]]


def _make_ours(host: str, port: int, protocol: int, decode: bool) -> Any:
    from aio.redis import Redis

    return Redis(
        host=host, port=port, db=DB, protocol=protocol, decode_responses=decode
    )


@dataclass(frozen=True)
class Raised:
    """A scenario's exception, as compared: redis-py's class name and the message."""

    name: str
    message: str


def outcome(exc: BaseException) -> Raised:
    """How an exception is compared: redis-py's class name and the server's message.

    Our typed subclasses (``WrongTypeError``) count as the redis-py class they
    derive from; DataError messages are our own wording, so only the class counts.
    """
    import redis.exceptions

    name = next(
        (
            k.__name__
            for k in type(exc).__mro__
            if hasattr(redis.exceptions, k.__name__)
        ),
        type(exc).__name__,
    )
    if name == "DataError":
        return Raised(name, "")
    return Raised(name, str(exc))


@dataclass
class Oracle:
    """A redis-py client and an aio client on the same database."""

    theirs: Any
    ours: Any
    protocol: int
    decode: bool

    async def run(self, client: Any, scenario: Scenario) -> Any:
        await client.execute_command("FLUSHDB")
        with warnings.catch_warnings():
            if client is self.theirs:
                # redis-py 8 deprecates setex, getset, hmset...: still the oracle.
                warnings.simplefilter("ignore", DeprecationWarning)
            try:
                return await scenario(client)
            except Exception as exc:  # the error is part of the behaviour compared
                return outcome(exc)

    async def check(self, scenario: Scenario, raises: bool = False) -> Any:
        """Run ``scenario`` on both clients; assert equal results; return ours.

        :param raises: the scenario is expected to end in an exception (compared
            like a result); otherwise an exception on redis-py's side fails the
            test, so a scenario cannot pass by failing the same way on both.
        """
        expected = await self.run(self.theirs, scenario)
        assert isinstance(expected, Raised) == raises, (
            f"redis-py {'did not raise' if raises else 'raised'}: {expected!r}"
        )
        got = await self.run(self.ours, scenario)
        assert got == expected, (
            f"protocol={self.protocol} decode={self.decode}\n"
            f"redis-py: {expected!r}\naio:      {got!r}"
        )
        return got


async def _oracle(protocol: int, decode: bool) -> AsyncIterator[Oracle]:
    host, port = require_service("redis")
    async with db_lock():
        theirs = redis_asyncio.Redis(
            host=host, port=port, db=DB, protocol=2, decode_responses=decode
        )
        ours = _make_ours(host, port, protocol, decode)
        try:
            yield Oracle(theirs, ours, protocol, decode)
        finally:
            await theirs.execute_command("FLUSHDB")
            await theirs.aclose()
            await ours.aclose()


@pytest.fixture(
    params=[(2, False), (3, False), (2, True), (3, True)],
    ids=["resp2", "resp3", "resp2-decoded", "resp3-decoded"],
)
async def oracle(request: pytest.FixtureRequest) -> AsyncIterator[Oracle]:
    """redis-py (RESP2) vs aio (RESP2 and RESP3), bytes and decoded replies."""
    protocol, decode = request.param
    async for o in _oracle(protocol, decode=decode):
        yield o


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def oracle_decoded(request: pytest.FixtureRequest) -> AsyncIterator[Oracle]:
    """The same with ``decode_responses=True`` on both sides."""
    async for o in _oracle(request.param, decode=True):
        yield o


@pytest.fixture
async def ours_only(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """Just an aio client on database 10 (RESP2), flushed before and after."""
    host, port = require_service("redis")
    async with db_lock():
        ours = _make_ours(host, port, 2, False)
        await ours.execute_command("FLUSHDB")
        try:
            yield ours
        finally:
            await ours.execute_command("FLUSHDB")
            await ours.aclose()
