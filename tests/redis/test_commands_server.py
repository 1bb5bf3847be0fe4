"""Server, connection, scripting and pub/sub commands: aio vs redis-py.

Server state moves between the two runs (clocks, counters, client IDs), so these
scenarios compare shapes and stable fields rather than whole replies.
"""

from __future__ import annotations

import datetime
import inspect
from typing import Any

import pytest
import redis.asyncio


def shape(value: Any) -> Any:
    """The type structure of a value: what must agree even when numbers move."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, *[shape(v) for v in value]]
    return type(value).__name__


async def test_info(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.set("k", 1)
        server = await r.info("server")
        everything = await r.info()
        keyspace = await r.info("keyspace")
        return [
            server["redis_version"],
            server["tcp_port"],
            shape(server["redis_mode"]),
            sorted(server) == sorted(k for k in server if not k.startswith("__")),
            {k: shape(v) for k, v in everything.items() if k in server},
            keyspace["db10"]["keys"],
            sorted(await r.info("memory", "cpu"))
            == sorted({**await r.info("memory"), **await r.info("cpu")}),
        ]

    await oracle.check(scenario)


async def test_small_server_commands(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.mset({"a": 1, "b": 2})
        seconds, micros = await r.time()
        return [
            await r.dbsize(),
            isinstance(seconds, int) and isinstance(micros, int),
            type(await r.lastsave()).__name__,
            await r.config_get("maxmemory-policy"),
            sorted(await r.config_get("maxmemory*", "timeout")),
            await r.config_set("slowlog-max-len", 128),
            await r.config_get("slowlog-max-len"),
            await r.memory_usage("a") > 0,
            await r.memory_usage("nope"),
            await r.memory_usage("a", samples=5) > 0,
            await r.command_count() > 100,
            isinstance(await r.lolwut(), bytes),
            await r.wait(0, 10),
            await r.flushdb(),
            await r.flushdb(asynchronous=True),
            await r.dbsize(),
            shape(await r.slowlog_get(1)),
            isinstance(await r.slowlog_len(), int),
            await r.echo("hi"),
            await r.ping(),
            await r.select(10),
            await r.role(),
            await r.client_setname("oracle"),
            await r.client_getname(),
            isinstance(await r.client_id(), int),
            sorted(await r.client_info()),
            type(await r.command_list()).__name__,
            await r.command_list(pattern="xauto*"),
            await r.command_getkeys("SET", "a", "b"),
            await r.pubsub_channels("nobody-*"),
            await r.pubsub_numpat(),
            await r.pubsub_numsub("nobody", "neither"),
            await r.publish("nobody", "hello"),
            await r.spublish("nobody", "hello"),
            await r.pubsub_shardchannels(),
            await r.pubsub_shardnumsub("nobody"),
        ]

    await oracle.check(scenario)


REFUSED = (
    ("hello", ()), ("failover", ()), ("command_info", ()), ("command_docs", ("get",)),
    ("debug_segfault", ()), ("script_debug", ("yes",)), ("memory_doctor", ()),
    ("memory_help", ()), ("latency_doctor", ()), ("latency_graph", ()),
    ("latency_histogram", ("set",)),
)  # fmt: skip


@pytest.mark.parametrize(("name", "args"), REFUSED)
async def test_refused_like_redis_py(
    ours_only: Any, name: str, args: tuple[Any, ...]
) -> None:
    # Deliberate compatibility: redis-py refuses these with NotImplementedError
    # before sending anything; so do we, with its message.
    theirs = redis.asyncio.Redis()
    is_coroutine = inspect.iscoroutinefunction(getattr(theirs, name))
    assert inspect.iscoroutinefunction(getattr(ours_only, name)) == is_coroutine
    with pytest.raises(NotImplementedError) as expected:
        result = getattr(theirs, name)(*args)
        if is_coroutine:
            await result
    with pytest.raises(NotImplementedError) as got:
        result = getattr(ours_only, name)(*args)
        if is_coroutine:
            await result
    assert got.value.args == expected.value.args
    await theirs.aclose()
    assert await ours_only.ping()  # nothing was sent: the connection is clean


async def test_config_get_decoded(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.config_get("maxmemory-policy"),
            await r.client_setname("decoded"),
            await r.client_getname(),
            await r.echo("é"),
        ]

    await oracle_decoded.check(scenario)


async def test_client_list_and_kill(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.client_setname("lister")
        mine = await r.client_id()
        listed = await r.client_list(client_id=[mine])
        return [
            len(listed),
            listed[0]["name"],
            listed[0]["db"],
            sorted(listed[0]) == sorted((await r.client_info()).keys()),
            len(await r.client_list(_type="pubsub")) >= 0,
            await r.client_kill_filter(_id=999_999_999),
            await r.client_kill_filter(_type="pubsub", skipme=True) >= 0,
        ]

    async def kill_unknown(r: Any) -> Any:
        return await r.client_kill("127.0.0.1:1")

    async def bad_type(r: Any) -> Any:
        return await r.client_list(_type="elephant")

    async def no_filter(r: Any) -> Any:
        return await r.client_kill_filter()

    await oracle.check(scenario)
    await oracle.check(bad_type, raises=True)
    await oracle.check(no_filter, raises=True)
    await oracle.check(kill_unknown, raises=True)


async def test_client_tracking(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        # One connection for the whole scenario: tracking state is per connection.
        return [
            await r.client_trackinginfo(),
            await r.client_getredir(),
        ]

    await oracle.check(scenario)


async def test_scripting(oracle: Any) -> None:
    script = "return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}"

    async def scenario(r: Any) -> list[Any]:
        sha = await r.script_load(script)
        return [
            sha,
            await r.eval(script, 1, "counter", "arg"),
            await r.evalsha(sha, 1, "counter", "x"),
            await r.eval_ro("return redis.call('GET', KEYS[1])", 1, "counter"),
            await r.evalsha_ro(await r.script_load("return 7"), 0),
            await r.script_exists(sha, "0" * 40),
            await r.eval("return 1.5", 0),
            await r.eval("return {1, 'two', {3}}", 0),
            await r.eval("return redis.status_reply('FINE')", 0),
        ]

    async def noscript(r: Any) -> Any:
        return await r.evalsha("0" * 40, 0)

    async def script_error(r: Any) -> Any:
        return await r.eval("return redis.error_reply('MYERR bad')", 0)

    async def bad_flush(r: Any) -> Any:
        return await r.script_flush("LATER")

    await oracle.check(scenario)
    await oracle.check(noscript, raises=True)
    await oracle.check(script_error, raises=True)
    await oracle.check(bad_flush, raises=True)


LIBRARY = """#!lua name=oraclelib
redis.register_function('oracle_echo', function(keys, args) return args[1] end)
redis.register_function{function_name='oracle_get', callback=function(keys, args)
  return redis.call('GET', keys[1]) end, flags={'no-writes'}}
"""


async def test_functions(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.function_flush()
        await r.set("k", "v")
        dumped_empty = await r.function_dump()
        result = [
            await r.function_load(LIBRARY),
            await r.function_load(LIBRARY, replace=True),
            await r.fcall("oracle_echo", 0, "hello"),
            await r.fcall_ro("oracle_get", 1, "k"),
            await r.function_list(),
            await r.function_list(library="oracle*", withcode=True),
            type(await r.function_dump()).__name__,
            await r.function_delete("oraclelib"),
            await r.function_list(),
            await r.function_restore(dumped_empty, "FLUSH"),
            await r.function_flush("ASYNC"),
        ]
        return result

    async def duplicate(r: Any) -> Any:
        await r.function_flush()
        await r.function_load(LIBRARY)
        try:
            return await r.function_load(LIBRARY)
        finally:
            await r.function_flush()

    await oracle.check(scenario)
    await oracle.check(duplicate, raises=True)


async def test_functions_decoded(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.function_flush()
        try:
            return [
                await r.function_load(LIBRARY),
                await r.function_list(),
                type(await r.function_dump()).__name__,
            ]
        finally:
            await r.function_flush()

    await oracle_decoded.check(scenario)


async def test_lastsave_is_a_datetime(ours_only: Any) -> None:
    assert isinstance(await ours_only.lastsave(), datetime.datetime)
