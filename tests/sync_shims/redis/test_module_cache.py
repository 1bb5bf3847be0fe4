"""Client-side caching of the module reads (RedisJSON, TimeSeries) on the
blocking facade, as tests/redis/test_module_cache.py checks on aio.redis.

redis-py's blocking client caches only against a server announcing Redis 7.4+,
which the scripted server does not, so its ``DEFAULT_ALLOW_LIST`` is the oracle
of which commands are cached; the caching itself is aio's, reached through the
facade's ``r.json()`` and ``r.ts()``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from redis.cache import CacheConfig as OracleCacheConfig

import sync_shims.redis as shim
from aio.redis.cache import CacheConfig, CacheKey
from aio.redis.commands.json import JSONReplyError
from tests.redis import scripted_json, scripted_timeseries
from tests.redis.scripted_case import Case
from tests.redis.scripted_server import Raw, ScriptedServer
from tests.redis.test_module_cache import invalidate, shown

ALLOWED = frozenset(OracleCacheConfig.DEFAULT_ALLOW_LIST)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    try:
        yield scripted
    finally:
        scripted.close()


@pytest.fixture
def client(server: ScriptedServer) -> Iterator[shim.Redis]:
    r = shim.Redis(port=server.port, protocol=3, cache_config=CacheConfig())
    try:
        yield r
    finally:
        r.close()


def outcome(call: Any) -> Any:
    """What a case's call gives: its result, or the type of what it raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return call()
        except Exception as exc:
            return type(exc)


def cache_keys(client: shim.Redis) -> list[CacheKey]:
    cache = client.get_cache()
    assert cache is not None
    return list(cache.collection)


def run_twice(
    server: ScriptedServer, client: shim.Redis, case: Case, module: Any
) -> None:
    """Run ``case`` twice; the second is served from the cache exactly when
    redis-py's allow list names the command (and its reply is cachable)."""
    reply = case.reply(3)
    server.script(reply, reply)
    first = outcome(lambda: case.call(module))
    sent = list(server.received)
    second = outcome(lambda: case.call(module))
    assert shown(second) == shown(first)
    if not sent:
        assert server.received == []
        return
    command = sent[0][0].decode().upper()
    if command in ALLOWED and reply is not None and not isinstance(first, type):
        assert server.received == sent, "the second read reached the server"
        assert [k.command for k in cache_keys(client)] == [command]
    else:
        assert len(server.received) == 2 * len(sent), f"{command} was cached"


@pytest.mark.parametrize("case", scripted_json.CASES, ids=lambda c: c.id)
def test_json_reads_in_the_allow_list_are_cached(
    server: ScriptedServer, client: shim.Redis, case: Case
) -> None:
    run_twice(server, client, case, client.json())


@pytest.mark.parametrize("case", scripted_timeseries.CASES, ids=lambda c: c.id)
def test_timeseries_reads_in_the_allow_list_are_cached(
    server: ScriptedServer, client: shim.Redis, case: Case
) -> None:
    run_twice(server, client, case, client.ts())


def test_json_get_cached_then_invalidated(
    server: ScriptedServer, client: shim.Redis
) -> None:
    j = client.json()
    server.script(b'{"a":1}')
    assert j.get("doc") == {"a": 1}
    assert j.get("doc") == {"a": 1}
    assert cache_keys(client) == [
        CacheKey("JSON.GET", ("doc",), ("JSON.GET", "doc", "."))
    ]
    server.script(Raw(invalidate(b"doc") + b"+OK\r\n"), b'{"a":2}')
    assert j.set("doc", ".", {"a": 2}) is True
    assert cache_keys(client) == []
    assert j.get("doc") == {"a": 2}
    assert [c[0] for c in server.received] == [b"JSON.SET", b"JSON.GET"]


def test_ts_range_cached_then_invalidated(
    server: ScriptedServer, client: shim.Redis
) -> None:
    t = client.ts()
    server.script([[1, 1.5]])
    assert t.range("t", "-", "+") == [(1, 1.5)]
    assert t.range("t", "-", "+") == [(1, 1.5)]
    assert [k.redis_keys for k in cache_keys(client)] == [("t",)]
    server.script(Raw(invalidate(b"t") + b":2\r\n"), [[1, 1.5], [2, 2.5]])
    assert t.add("t", 2, 2.5) == 2
    assert t.range("t", "-", "+") == [(1, 1.5), (2, 2.5)]
    assert len(server.received) == 2


def test_a_malformed_cached_json_reply_raises_on_every_read(
    server: ScriptedServer, client: shim.Redis
) -> None:
    server.script(b"[1,")
    for _ in range(2):
        with pytest.raises(JSONReplyError):
            client.json().get("doc")
    assert len(server.received) == 1
