"""Client-side caching of the module reads (RedisJSON, TimeSeries) on aio.redis.

The local Redis has no modules, so the client talks to the scripted server
(RESP3, ``CLIENT TRACKING`` answered by its handshake). Every JSON and
time-series case is run twice: a command in redis-py's
``CacheConfig.DEFAULT_ALLOW_LIST`` (the oracle) must be answered the second
time from the cache, under a key naming the Redis keys it read, and every other
command must reach the server both times. An ``invalidate`` push sent before a
reply drops the entries of its keys, as it does for GET.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from redis.cache import CacheConfig as OracleCacheConfig

from aio.redis import Redis
from aio.redis.cache import CacheConfig, CacheKey
from aio.redis.commands.json import JSONReplyError
from tests.redis import scripted_json, scripted_timeseries
from tests.redis.scripted_case import Case
from tests.redis.scripted_server import Raw, ScriptedServer

ALLOWED = frozenset(OracleCacheConfig.DEFAULT_ALLOW_LIST)
JSON_CASES = [pytest.param(c, id=c.id) for c in scripted_json.CASES]
TS_CASES = [pytest.param(c, id=c.id) for c in scripted_timeseries.CASES]


def invalidate(*keys: bytes) -> bytes:
    """The wire bytes of an ``invalidate`` push naming ``keys``."""
    names = b"".join(b"$%d\r\n%s\r\n" % (len(k), k) for k in keys)
    return b">2\r\n$10\r\ninvalidate\r\n*%d\r\n%s" % (len(keys), names)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    try:
        yield scripted
    finally:
        scripted.close()


@pytest.fixture
async def client(server: ScriptedServer) -> AsyncIterator[Redis]:
    r = Redis(
        host="127.0.0.1", port=server.port, protocol=3, cache_config=CacheConfig()
    )
    try:
        yield r
    finally:
        await r.aclose()


async def outcome(call: Any) -> Any:
    """What a case's call gives: its result, or the type of what it raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            result = call()
            return await result if hasattr(result, "__await__") else result
        except Exception as exc:
            return type(exc)


def shown(value: Any) -> str:
    """``value`` comparable across calls (a TSInfo by its attributes)."""
    return repr(vars(value) if hasattr(value, "__dict__") else value)


def cache_keys(client: Redis) -> list[CacheKey]:
    cache = client.get_cache()
    assert cache is not None
    return list(cache.collection)


async def run_twice(server: ScriptedServer, case: Case, module: Any) -> None:
    """Run ``case`` twice with its reply scripted for both; check the second
    came from the cache exactly when redis-py's allow list names the command."""
    reply = case.reply(3)
    server.script(reply, reply)
    first = await outcome(lambda: case.call(module))
    sent = list(server.received)
    second = await outcome(lambda: case.call(module))
    assert shown(second) == shown(first)
    if not sent:  # refused before sending: nothing to cache
        assert server.received == []
        return
    command = sent[0][0].decode().upper()
    cachable = (
        command in ALLOWED
        and reply is not None
        and not isinstance(first, type)  # an error is never cached
    )
    if cachable:
        assert server.received == sent, "the second read reached the server"
        [key] = [k for k in cache_keys(module.client) if k.command == command]
        assert key.redis_keys
        sent_words = {w.decode() for w in sent[0][1:]}
        assert all(str(k) in sent_words for k in key.redis_keys)
    else:
        assert len(server.received) == 2 * len(sent), f"{command} was cached"


@pytest.mark.parametrize("case", JSON_CASES)
async def test_json_reads_in_the_allow_list_are_cached(
    server: ScriptedServer, client: Redis, case: Case
) -> None:
    await run_twice(server, case, client.json())


@pytest.mark.parametrize("case", TS_CASES)
async def test_timeseries_reads_in_the_allow_list_are_cached(
    server: ScriptedServer, client: Redis, case: Case
) -> None:
    await run_twice(server, case, client.ts())


def test_the_cases_cover_every_module_read_of_the_allow_list() -> None:
    # The module reads redis-py's allow list names, each with a case above.
    module_reads = {c for c in ALLOWED if c.startswith(("JSON.", "TS."))}
    assert module_reads == {
        "JSON.ARRINDEX",
        "JSON.ARRLEN",
        "JSON.GET",
        "JSON.MGET",
        "JSON.OBJKEYS",
        "JSON.OBJLEN",
        "JSON.RESP",
        "JSON.STRLEN",
        "JSON.TYPE",
        "TS.GET",
        "TS.INFO",
        "TS.RANGE",
        "TS.REVRANGE",
    }
    # No other module (search, Bloom, vector sets) has a read in the list.
    assert {c for c in ALLOWED if "." in c} == module_reads


async def test_json_get_key_and_invalidation(
    server: ScriptedServer, client: Redis
) -> None:
    j = client.json()
    server.script(b'{"a":1}', b'{"b":2}')
    assert await j.get("doc") == {"a": 1}
    assert await j.get("other") == {"b": 2}
    assert set(cache_keys(client)) == {
        CacheKey("JSON.GET", ("doc",), ("JSON.GET", "doc", ".")),
        CacheKey("JSON.GET", ("other",), ("JSON.GET", "other", ".")),
    }
    # The push comes with the next reply, as Redis sends it after a write.
    server.script(Raw(invalidate(b"doc") + b"+OK\r\n"), b'{"a":2}')
    assert await j.set("doc", ".", {"a": 2}) is True
    assert [k.redis_keys for k in cache_keys(client)] == [("other",)]
    assert await j.get("doc") == {"a": 2}
    assert await j.get("other") == {"b": 2}  # still cached
    assert [c[0] for c in server.received] == [b"JSON.SET", b"JSON.GET"]


async def test_json_mget_is_dropped_by_any_of_its_keys(
    server: ScriptedServer, client: Redis
) -> None:
    j = client.json()
    server.script([b"[1]", b"[2]"])
    assert await j.mget(["d1", "d2"], "$.a") == [[1], [2]]
    assert [k.redis_keys for k in cache_keys(client)] == [("d1", "d2")]
    assert await j.mget(["d1", "d2"], "$.a") == [[1], [2]]
    server.script(Raw(invalidate(b"d2") + b":1\r\n"), [b"[1]", b"[3]"])
    assert await client.delete("d2") == 1
    assert cache_keys(client) == []
    assert await j.mget(["d1", "d2"], "$.a") == [[1], [3]]
    assert len(server.received) == 2


async def test_ts_get_is_invalidated_by_a_push(
    server: ScriptedServer, client: Redis
) -> None:
    t = client.ts()
    server.script([2, 1.5])
    assert await t.get("t") == (2, 1.5)
    assert await t.get("t") == (2, 1.5)
    assert [k.command for k in cache_keys(client)] == ["TS.GET"]
    server.script(Raw(invalidate(b"t") + b":3\r\n"), [3, 2.5])
    assert await t.add("t", 3, 2.5) == 3
    assert await t.get("t") == (3, 2.5)
    assert [c[0] for c in server.received] == [b"TS.ADD", b"TS.GET"]


async def test_a_malformed_json_reply_raises_on_every_cached_read(
    server: ScriptedServer, client: Redis
) -> None:
    # The reply is cached as read and decoded on every read, so each read of
    # the broken document raises the typed error, without asking again.
    j = client.json()
    server.script(b"{not json")
    for _ in range(2):
        with pytest.raises(JSONReplyError, match="JSON.GET reply is not valid JSON"):
            await j.get("doc")
    assert len(server.received) == 1
