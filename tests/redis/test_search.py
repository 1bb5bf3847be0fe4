"""RediSearch (``r.ft()``) against redis-py's ``redis.asyncio`` as the oracle.

No RediSearch server here: both clients talk to a scripted server
(:mod:`tests.redis.scripted_search`) that gives each the same replies, and must
send the same command words and return the same values, on RESP2 and RESP3,
with bytes and with ``decode_responses``. Then what redis-py cannot be the
oracle of (its search pipelines), and bad input.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import pytest
import redis
import redis.asyncio as redispy

from aio.redis import Redis
from aio.redis.commands.search import Search
from tests.redis.scripted_search import (
    CASES,
    Case,
    ScriptedServer,
    modules,
    shape,
)

PROTOCOLS = {
    "resp2": (2, 2, 2),
    "resp3": (None, None, 3),
    "resp3-pinned": (3, None, 3),
}


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


@pytest.fixture(params=sorted(PROTOCOLS))
def protocol(request: pytest.FixtureRequest) -> tuple[int | None, int | None, int]:
    return PROTOCOLS[request.param]


@pytest.fixture(params=[False, True], ids=["bytes", "decoded"])
def decode(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


Maker = Callable[..., Any]


def ft(client: Any, index: str = "idx") -> Any:
    """The search object of ``client`` (either library)."""
    if isinstance(client, Redis):
        return Search(client, index)
    return client.ft(index)


@pytest.fixture
async def clients(
    server: ScriptedServer, protocol: tuple[int | None, int | None, int], decode: bool
) -> AsyncIterator[dict[str, Maker]]:
    made: list[Any] = []
    ours, theirs, _ = protocol

    def make_aio(**kwargs: Any) -> Any:
        kwargs = {"protocol": ours, "decode_responses": decode, **kwargs}
        made.append(Redis(host="127.0.0.1", port=server.port, retry=None, **kwargs))
        return made[-1]

    def make_redispy(**kwargs: Any) -> Any:
        kwargs = {
            "protocol": theirs,
            "decode_responses": decode,
            "retry": None,
            **kwargs,
        }
        made.append(redispy.Redis(host="127.0.0.1", port=server.port, **kwargs))
        return made[-1]

    def make_blocking(**kwargs: Any) -> Any:
        kwargs = {"protocol": theirs, "decode_responses": decode, **kwargs}
        made.append(redis.Redis(host="127.0.0.1", port=server.port, **kwargs))
        return made[-1]

    yield {"aio": make_aio, "redis-py": make_redispy, "blocking": make_blocking}
    for client in made:
        if isinstance(client, redis.Redis):
            client.close()
        else:
            await client.aclose()


async def blocking_outcome(
    server: ScriptedServer, replies: tuple[object, ...], fn: Callable[[], Any]
) -> Any:
    """:func:`outcome` of a blocking call, run in a worker thread."""

    async def call() -> Any:
        return await anyio.to_thread.run_sync(fn)

    return await outcome(server, replies, call)


async def outcome(
    server: ScriptedServer, replies: tuple[object, ...], fn: Callable[[], Any]
) -> Any:
    """Script ``replies``, run ``fn()`` (awaited if need be): (sent commands,
    the result's shape or the error's class name, warning classes)."""
    server.script(*replies)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn()
            if inspect.isawaitable(result):
                result = await result
            shown = shape(result)
        except Exception as exc:  # compared by class name across the libraries
            shown = f"raised {type(exc).__name__}"
    categories = sorted({w.category.__name__ for w in caught})
    return server.received, shown, categories


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
) -> None:
    wire = protocol[2]
    results = {}
    for lib in ("aio", "redis-py"):
        m = modules(lib)
        blocking = lib == "redis-py" and case.sync_oracle
        call = functools.partial(case.call, ft(clients[lib]()), m)
        if blocking:
            call = functools.partial(case.call, ft(clients["blocking"]()), m)
            got = await blocking_outcome(server, case.replies(wire), call)
        else:
            got = await outcome(server, case.replies(wire), call)
        results[lib] = got
        assert server.unused == 0, f"{lib} sent too few commands"
    assert results["aio"] == results["redis-py"]
    sent, shown, _ = results["aio"]
    assert sent and not (isinstance(shown, str) and shown.startswith("raised")), shown
