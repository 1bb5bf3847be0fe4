"""What the module-command tests share to run aio and redis-py side by side on
:class:`~tests.redis.scripted_server.ScriptedServer`.

The fixtures are used by name: a test module binds them as its own attributes
(``server, protocol, decode, clients = oracle.FIXTURES``), which is where pytest
looks for them, so each module gets its own scripted server and nothing here
is a global fixture.

- ``server``: a scripted server per test module.
- ``protocol``: (protocol given to aio, protocol given to redis-py, wire
  protocol), over :data:`PROTOCOLS`.
- ``decode``: ``decode_responses`` off ("bytes") and on ("decoded").
- ``clients``: ``{"aio": make, "redis-py": make}``, see :func:`client_makers`.

:func:`outcome` runs one call against a script and returns what is compared
across the libraries: the words sent, the result (or the error's class name)
and the warnings.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any, Protocol

import pytest
import redis
import redis.asyncio as redispy

from aio.redis import Redis
from tests.redis.scripted_server import ScriptedServer

__all__ = (
    "FIXTURES",
    "PROTOCOLS",
    "Maker",
    "ProtocolTriple",
    "Scripted",
    "client_makers",
    "clients",
    "decode",
    "outcome",
    "protocol",
    "protocol_fixture",
    "raised",
    "server",
)

ProtocolTriple = tuple[int | None, int | None, int]

# (protocol given to aio, protocol given to redis-py, wire protocol): redis-py
# gives its RESP2 ("legacy") shapes on RESP3 when no protocol is pinned, which
# aio gives whether or not it is pinned.
PROTOCOLS: dict[str, ProtocolTriple] = {
    "resp2": (2, 2, 2),
    "resp3": (None, None, 3),
    "resp3-pinned": (3, None, 3),
}

#: ``make(**kwargs)``: a new client of one library on the scripted server.
Maker = Callable[..., Any]


def protocol_fixture(protocols: dict[str, ProtocolTriple]) -> Any:
    """A ``protocol`` fixture parametrised over ``protocols`` (by their names)."""

    @pytest.fixture(params=sorted(protocols))
    def protocol(request: pytest.FixtureRequest) -> ProtocolTriple:
        return protocols[request.param]

    return protocol


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


protocol = protocol_fixture(PROTOCOLS)


@pytest.fixture(params=[False, True], ids=["bytes", "decoded"])
def decode(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@contextlib.asynccontextmanager
async def client_makers(
    port: int, protocol: ProtocolTriple, decode: bool, *, blocking: bool = False
) -> AsyncIterator[dict[str, Maker]]:
    """``{"aio": make, "redis-py": make}`` (and ``"blocking"``, redis-py's
    blocking client, if asked): ``make(**kwargs)`` gives a client of that
    library on the scripted server at ``port``, with the protocol ``protocol``
    gives it, ``decode_responses=decode`` and no retries (a wrong script fails
    once); ``kwargs`` override those. Every client made is closed on exit."""
    made: list[Any] = []
    ours, theirs, _ = protocol

    def make(factory: Callable[..., Any], given: int | None, **kwargs: Any) -> Any:
        kwargs = {
            "protocol": given,
            "decode_responses": decode,
            "retry": None,
            **kwargs,
        }
        made.append(factory(host="127.0.0.1", port=port, **kwargs))
        return made[-1]

    makers: dict[str, Maker] = {
        "aio": functools.partial(make, Redis, ours),
        "redis-py": functools.partial(make, redispy.Redis, theirs),
    }
    if blocking:
        makers["blocking"] = functools.partial(make, redis.Redis, theirs)
    try:
        yield makers
    finally:
        for client in made:
            if isinstance(client, redis.Redis):
                client.close()
            else:
                await client.aclose()


@pytest.fixture
async def clients(
    server: ScriptedServer, protocol: ProtocolTriple, decode: bool
) -> AsyncIterator[dict[str, Maker]]:
    """:func:`client_makers` of aio and redis.asyncio on ``server``."""
    async with client_makers(server.port, protocol, decode) as makers:
        yield makers


#: The fixtures, for a test module to bind by their names.
FIXTURES = (server, protocol, decode, clients)


class Scripted(Protocol):
    """What :func:`outcome` scripts: a :class:`ScriptedServer`, or the nodes
    of a scripted cluster as one."""

    def script(self, *replies: object) -> None: ...

    @property
    def received(self) -> Sequence[object]: ...


def raised(exc: Exception) -> str:
    """An error as compared across the libraries: by its class name."""
    return f"raised {type(exc).__name__}"


async def outcome(
    scripted: Scripted,
    replies: Sequence[object],
    call: Callable[[], Any],
    *,
    show: Callable[[Any], Any] = repr,
    show_error: Callable[[Exception], str] = raised,
    warnings_raise: bool = False,
) -> tuple[Any, Any, list[str]]:
    """Script ``replies``, run ``call()`` (awaited if need be): (what was sent,
    ``show(result)`` or ``show_error(exc)``, the classes of the warnings issued).

    :param warnings_raise: a warning raises instead (so a result is one that
        came without any).
    """
    scripted.script(*replies)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error" if warnings_raise else "always")
        try:
            result = call()
            if inspect.isawaitable(result):
                result = await result
            shown = show(result)
        except Exception as exc:  # compared as shown across the libraries
            shown = show_error(exc)
    return scripted.received, shown, sorted({w.category.__name__ for w in caught})
