"""Fixtures of the both-ways suite: each test body runs against redis-py itself
and against ``sync_shims.redis``, on database 11 of the shared Redis.

Database 11 is held under a cross-process file lock for each test, so two
suite runs side by side take turns instead of flushing each other's keys.
"""

from __future__ import annotations

import fcntl
import importlib
import os
import tempfile
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.plugins.fix_services import require_service

DB = 11
LOCK_PATH = os.path.join(tempfile.gettempdir(), "aio-tests-redis-db11.lock")


@pytest.fixture(params=["redis", "sync_shims.redis"])
def redis_mod(request: pytest.FixtureRequest) -> ModuleType:
    """The module under test: real redis-py, or our facade."""
    return importlib.import_module(request.param)


@pytest.fixture
def is_shim(redis_mod: ModuleType) -> bool:
    return redis_mod.__name__ == "sync_shims.redis"


@pytest.fixture
def server() -> tuple[str, int]:
    return require_service("redis")


@pytest.fixture
def db_lock() -> Iterator[None]:
    fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@pytest.fixture
def make(
    redis_mod: ModuleType, server: tuple[str, int], db_lock: None
) -> Iterator[Callable[..., Any]]:
    """Factory of clients on db 11 (``make(decode_responses=True)``), closed after."""
    host, port = server
    clients: list[Any] = []

    def factory(**kwargs: Any) -> Any:
        kwargs.setdefault("db", DB)
        client = redis_mod.Redis(host=host, port=port, **kwargs)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
def r(make: Callable[..., Any]) -> Iterator[Any]:
    """A client on db 11, flushed before and after."""
    client = make()
    client.flushdb()
    yield client
    client.flushdb()
