"""What the blocking module-command tests share to run the facade and sync
redis-py side by side on :class:`~tests.redis.scripted_server.ScriptedServer`.

As in :mod:`tests.redis.scripted_oracle`, the fixtures are used by name: a test
module binds them as its own attributes
(``server, wire, decode, clients = oracle.FIXTURES``).

- ``server``, ``decode``: those of :mod:`tests.redis.scripted_oracle`.
- ``wire``: RESP2 (``protocol=2``) and RESP3 (the default, no ``protocol``,
  where redis-py gives the shapes aio gives).
- ``clients``: ``{"redis-py": make, "sync_shims": make}``; ``make(**kwargs)``
  gives a client of that library on the server, closed after the test.

:func:`outcome` is :func:`tests.redis.scripted_oracle.outcome` of a blocking
call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any, cast

import pytest
import redis

import sync_shims.redis as shim
from tests.redis import scripted_oracle
from tests.redis.scripted_oracle import Scripted
from tests.redis.scripted_server import ScriptedServer

__all__ = ("FIXTURES", "LIBS", "clients", "decode", "outcome", "server", "wire")

LIBS: dict[str, ModuleType] = {"redis-py": redis, "sync_shims": shim}

server = scripted_oracle.server
decode = scripted_oracle.decode


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def wire(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def clients(
    server: ScriptedServer, wire: int, decode: bool
) -> Iterator[dict[str, Callable[..., Any]]]:
    """``{"redis-py": make, "sync_shims": make}``: ``make(**kwargs)`` gives a
    client of that library on ``server`` (``decode_responses=decode``, no
    retries, ``protocol=2`` on RESP2); ``kwargs`` override those."""
    made: list[Any] = []

    def maker(mod: ModuleType) -> Callable[..., Any]:
        def make(**kwargs: Any) -> Any:
            kwargs = {"decode_responses": decode, "retry": None, **kwargs}
            if wire == 2:
                kwargs["protocol"] = 2
            client = mod.Redis(host="127.0.0.1", port=server.port, **kwargs)
            made.append(client)
            return client

        return make

    yield {lib: maker(mod) for lib, mod in LIBS.items()}
    for client in made:
        client.close()


#: The fixtures, for a test module to bind by their names.
FIXTURES = (server, wire, decode, clients)


def outcome(
    scripted: Scripted,
    replies: Sequence[object],
    call: Callable[[], Any],
    *,
    show: Callable[[Any], Any] = repr,
    warnings_raise: bool = False,
) -> tuple[Any, Any, list[str]]:
    """:func:`tests.redis.scripted_oracle.outcome` of a blocking ``call``."""
    running = scripted_oracle.outcome(
        scripted, replies, call, show=show, warnings_raise=warnings_raise
    )
    # A call that returns no awaitable leaves that coroutine nothing to wait
    # for: it finishes on its first step, without an event loop.
    try:
        running.send(None)
    except StopIteration as done:
        return cast("tuple[Any, Any, list[str]]", done.value)
    running.close()
    raise AssertionError(f"{call!r} returned an awaitable: not a blocking call")
