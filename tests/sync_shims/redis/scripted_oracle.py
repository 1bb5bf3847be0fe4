"""What the blocking module-command tests share to run the facade and sync
redis-py side by side on :class:`~tests.redis.scripted_server.ScriptedServer`.

As in :mod:`tests.redis.scripted_oracle`, the fixtures are used by name: a test
module binds them as its own attributes (``clients = oracle.clients``).

- ``server``, ``decode``: those of :mod:`tests.redis.scripted_oracle`.
- ``wire``: RESP2 (``protocol=2``) and RESP3 (the default, no ``protocol``,
  where redis-py gives the shapes aio gives).
- ``clients``: ``{"redis-py": make, "sync_shims": make}``; ``make(**kwargs)``
  gives a client of that library on the server, closed after the test.

:func:`outcome` is :func:`tests.redis.scripted_oracle.outcome` for blocking
calls.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

import pytest
import redis

import sync_shims.redis as shim
from tests.redis import scripted_oracle
from tests.redis.scripted_oracle import Scripted, raised
from tests.redis.scripted_server import ScriptedServer

__all__ = ("LIBS", "clients", "decode", "outcome", "server", "wire")

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


def outcome(
    scripted: Scripted,
    replies: Sequence[object],
    call: Callable[[], Any],
    *,
    show: Callable[[Any], Any] = repr,
    warnings_raise: bool = False,
) -> tuple[Any, Any, list[str]]:
    """Script ``replies``, run ``call()``: (what was sent, ``show(result)`` or
    :func:`~tests.redis.scripted_oracle.raised`, the classes of the warnings
    issued; with ``warnings_raise`` a warning raises instead)."""
    scripted.script(*replies)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error" if warnings_raise else "always")
        try:
            shown = show(call())
        except Exception as exc:  # compared by class name across the libraries
            shown = raised(exc)
    return scripted.received, shown, sorted({w.category.__name__ for w in caught})
