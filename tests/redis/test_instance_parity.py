"""redis-py's instance members on aio.redis objects: the generic ``cluster()``,
the warning ``watch()``/``unwatch()`` of a client, the Lock's script
attributes, the pools' ``get_protocol()``/``get_connection_count()``/
``encoder_class``, pub/sub ``encoder``/``check_health()``/
``health_check_response``, and the pipeline's ``UNWATCH_COMMANDS``/
``annotate_exception()``/``raise_first_error()``; redis-py is the oracle."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis
import redis.asyncio as redispy
import redis.asyncio.lock as redispy_lock
from redis.exceptions import ResponseError as RedisPyResponseError

import aio.redis as ours
from aio.redis._encoder import Encoder
from aio.redis.exceptions import ResponseError
from tests.plugins.fix_redis_commands import outcome
from tests.plugins.fix_services import require_service

# -- cluster() ---------------------------------------------------------------------


@pytest.fixture(params=[(2, False), (3, False), (3, True)], ids=str)
async def node_pair(
    request: pytest.FixtureRequest, redis_cluster: list[tuple[str, int]]
) -> AsyncIterator[tuple[Any, Any]]:
    """redis-py's and aio's plain clients on one node of the private cluster."""
    protocol, decode = request.param
    host, port = redis_cluster[0]
    theirs = redispy.Redis(
        host=host, port=port, protocol=protocol, decode_responses=decode
    )
    mine = ours.Redis(host=host, port=port, protocol=protocol, decode_responses=decode)
    try:
        yield theirs, mine
    finally:
        await theirs.aclose()
        await mine.aclose()


async def test_cluster_sends_the_subcommand_and_converts_as_redispy(
    node_pair: tuple[Any, Any],
) -> None:
    theirs, mine = node_pair
    myid = await theirs.execute_command("CLUSTER MYID")
    myid = myid.decode() if isinstance(myid, bytes) else myid
    stable = [
        ("myid",),
        ("keyslot", "foo"),
        ("countkeysinslot", 0),
        ("getkeysinslot", 0, 10),
        ("slots",),
        ("replicas", myid),
        ("saveconfig",),
        ("KeySlot", "{user}:1"),  # any case: upper-cased
    ]
    for sub in stable:
        expected = await theirs.cluster(*sub)
        assert await mine.cluster(*sub) == expected, sub
    # Replies that change from one call to the next: their converted shape.
    info = await theirs.cluster("info")
    mine_info = await mine.cluster("info")
    assert isinstance(mine_info, dict)
    assert mine_info.keys() == info.keys()
    assert mine_info["cluster_state"] == info["cluster_state"] == "ok"
    nodes = await theirs.cluster("nodes")
    mine_nodes = await mine.cluster("nodes")
    assert mine_nodes.keys() == nodes.keys()
    assert {n["node_id"] for n in mine_nodes.values()} == {
        n["node_id"] for n in nodes.values()
    }
    # Queued on a pipeline, as redis-py's.
    expected_pipe = theirs.pipeline()
    mine_pipe = mine.pipeline()
    assert expected_pipe.cluster("keyslot", "a") is expected_pipe
    assert mine_pipe.cluster("keyslot", "a") is mine_pipe
    assert await mine_pipe.execute() == await expected_pipe.execute()


async def test_cluster_on_a_server_without_cluster_support(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        return await r.cluster("info")

    got = await oracle.check(scenario, raises=True)
    assert got.name == "ResponseError"


# -- watch() / unwatch() on a client -----------------------------------------------


async def test_client_watch_and_unwatch_only_warn(oracle: Any) -> None:
    for client in (oracle.theirs, oracle.ours):
        await client.set("k", "v")
        with pytest.warns(DeprecationWarning) as caught:
            assert await client.watch("k", "other") is None
            assert await client.unwatch() is None
        assert [str(w.message) for w in caught] == [
            "Call WATCH from a Pipeline object",
            "Call UNWATCH from a Pipeline object",
        ]
    # Nothing was sent: a pipeline's WATCH is still its own (a change by the
    # client does not abort a transaction that did not watch).
    async with oracle.ours.pipeline() as pipe:
        await pipe.watch("k")
        assert pipe.watching
        await pipe.unwatch()
        assert not pipe.watching


# -- Lock scripts ------------------------------------------------------------------


def test_lock_script_attributes() -> None:
    for name in ("LUA_RELEASE_SCRIPT", "LUA_EXTEND_SCRIPT", "LUA_REACQUIRE_SCRIPT"):
        assert isinstance(getattr(ours.Lock, name), str)
        assert isinstance(getattr(redispy_lock.Lock, name), str)


async def test_register_scripts_fills_the_class_once(oracle: Any) -> None:
    class MineLock(ours.Lock):
        lua_release = None
        lua_extend = None
        lua_reacquire = None

    lock = oracle.ours.lock("res", lock_class=MineLock)
    scripts = (MineLock.lua_release, MineLock.lua_extend, MineLock.lua_reacquire)
    for script, source in zip(
        scripts,
        (
            MineLock.LUA_RELEASE_SCRIPT,
            MineLock.LUA_EXTEND_SCRIPT,
            MineLock.LUA_REACQUIRE_SCRIPT,
        ),
        strict=True,
    ):
        assert isinstance(script, ours.Script)
        assert script.sha == hashlib.sha1(source.encode()).hexdigest()
    lock.register_scripts()  # already registered: kept, as redis-py
    assert (MineLock.lua_release, MineLock.lua_extend, MineLock.lua_reacquire) == (
        scripts
    )
    other = oracle.ours.lock("res2", lock_class=MineLock)
    assert other.lua_release is scripts[0]


# A release that also counts releases: a subclass replacing a script.
_COUNTING_RELEASE = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('incr', 'releases')
return redis.call('del', KEYS[1])
"""


async def test_a_subclass_script_is_the_one_run(oracle: Any) -> None:
    class TheirLock(redispy_lock.Lock):
        LUA_RELEASE_SCRIPT = _COUNTING_RELEASE
        lua_release = None

    class MineLock(ours.Lock):
        LUA_RELEASE_SCRIPT = _COUNTING_RELEASE
        lua_release = None

    async def scenario(r: Any) -> Any:
        lock_class = TheirLock if r is oracle.theirs else MineLock
        lock = r.lock("res", timeout=10, lock_class=lock_class)
        assert await lock.acquire(blocking=False)
        await lock.release()
        async with r.lock("res", lock_class=lock_class):
            pass
        return [await r.get("releases"), await r.exists("res")]

    assert await oracle.check(scenario) in ([b"2", 0], ["2", 0])


async def test_extend_and_reacquire_run_the_class_scripts(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        lock = r.lock("res", timeout=10)
        assert await lock.acquire(blocking=False)
        extended = await lock.extend(100, replace_ttl=True)
        ttl = await r.pttl("res")
        reacquired = await lock.reacquire()
        return [extended, 90_000 < ttl <= 100_000, reacquired, await r.pttl("res")]

    def rounded(result: Any) -> Any:
        # the TTL after reacquire is "about timeout": compare it to the second
        return [*result[:3], 9_000 < result[3] <= 10_000]

    expected = await oracle.run(oracle.theirs, scenario)
    got = await oracle.run(oracle.ours, scenario)
    assert rounded(got) == rounded(expected) == [True, True, True, True]


# -- pools --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs", [{}, {"protocol": 2}, {"protocol": 3}, {"protocol": "3"}], ids=str
)
async def test_pool_get_protocol(kwargs: dict[str, Any]) -> None:
    theirs = redispy.Redis(**kwargs)
    mine = ours.Redis(**kwargs)
    try:
        assert (
            mine.connection_pool.get_protocol() == theirs.connection_pool.get_protocol()
        )
        url = "redis://localhost:6379/0?protocol=2"
        assert (
            ours.ConnectionPool.from_url(url).get_protocol()
            == redispy.ConnectionPool.from_url(url).get_protocol()
            == 2
        )
    finally:
        await theirs.aclose()
        await mine.aclose()


async def test_pool_get_connection_count() -> None:
    host, port = require_service("redis")
    counts = []
    for module in (redispy, ours):
        pool = module.ConnectionPool(host=host, port=port)
        try:
            first = await pool.get_connection()
            second = await pool.get_connection()
            await pool.release(second)
            result = pool.get_connection_count()
            await pool.release(first)
            counts.append(result)
        finally:
            await pool.disconnect()
    theirs, mine = counts
    assert [n for n, _ in mine] == [n for n, _ in theirs] == [1, 1]
    for (_, mine_attrs), (_, their_attrs) in zip(mine, theirs, strict=True):
        assert mine_attrs.keys() == their_attrs.keys()
        assert mine_attrs["db.system"] == their_attrs["db.system"] == "redis"
        assert (
            mine_attrs["db.client.connection.state"]
            == their_attrs["db.client.connection.state"]
        )
        # host:port, with the pool's own id (as sync redis-py names its pools)
        assert mine_attrs["db.client.connection.pool.name"].startswith(
            their_attrs["db.client.connection.pool.name"] + "_"
        )
        assert mine_attrs["redis.client.library"].startswith("aio-redis:v")


class _TaggedEncoder(Encoder):
    pass


async def test_pool_encoder_class_makes_the_pubsub_encoder() -> None:
    for module in (redispy, ours):
        pool = module.ConnectionPool()
        assert pool.encoder_class.__name__ == "Encoder"
        custom = module.ConnectionPool(encoder_class=_TaggedEncoder)
        assert custom.encoder_class is _TaggedEncoder
    pubsub = ours.Redis(
        connection_pool=ours.ConnectionPool(encoder_class=_TaggedEncoder)
    ).pubsub()
    assert type(pubsub.encoder) is _TaggedEncoder


# -- pub/sub ------------------------------------------------------------------------


@pytest.mark.parametrize("decode", [False, True])
async def test_pubsub_encoder_and_health_check_response(decode: bool) -> None:
    theirs = redispy.Redis(decode_responses=decode, encoding="latin-1")
    mine = ours.Redis(decode_responses=decode, encoding="latin-1")
    try:
        their_pubsub, my_pubsub = theirs.pubsub(), mine.pubsub()
        assert my_pubsub.health_check_response == their_pubsub.health_check_response
        for attr in ("encoding", "encoding_errors", "decode_responses"):
            assert getattr(my_pubsub.encoder, attr) == getattr(
                their_pubsub.encoder, attr
            )
        assert my_pubsub.encoder.encode("é") == their_pubsub.encoder.encode("é")
        given = Encoder("utf-8", "strict", True)
        assert mine.pubsub(encoder=given).encoder is given
    finally:
        await theirs.aclose()
        await mine.aclose()


async def test_pubsub_check_health_before_subscribing() -> None:
    raised = []
    for module in (redispy, ours):
        client = module.Redis()
        try:
            with pytest.raises(RuntimeError) as info:
                await client.pubsub().check_health()
            raised.append(str(info.value))
        finally:
            await client.aclose()
    assert raised[0] == raised[1]


async def _last_command(admin: Any, name: str, awaited: str | None = None) -> str:
    # The server handles the pub/sub connection's command on its own
    # schedule: look a few times for the one ``awaited``.
    for _ in range(100):
        [entry] = [c for c in await admin.client_list() if c["name"] == name]
        if awaited is None or entry["cmd"] == awaited:
            break
        await asyncio.sleep(0.02)
    return str(entry["cmd"])


async def test_pubsub_check_health_pings_when_due() -> None:
    host, port = require_service("redis")
    admin = ours.Redis(host=host, port=port, decode_responses=True)
    try:
        for module, name in ((redispy, "hc-theirs"), (ours, "hc-mine")):
            client = module.Redis(
                host=host, port=port, health_check_interval=3600, client_name=name
            )
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe("hc-channel")
                assert (await pubsub.get_message(timeout=5))["type"] == "subscribe"
                await pubsub.check_health()  # not due: nothing sent
                assert await _last_command(admin, name) == "subscribe"
                conn = pubsub.connection
                if module is redispy:
                    conn.next_health_check = 0
                else:
                    conn._next_health_check = 0
                await pubsub.check_health()
                # sent by check_health() itself, before any read
                assert await _last_command(admin, name, "ping") == "ping"
                # the pong is never a message (a read may give None for it)
                await admin.publish("hc-channel", "after")
                message = None
                for _ in range(3):
                    message = await pubsub.get_message(timeout=5)
                    if message is not None:
                        break
                assert message is not None and message["data"] == b"after"
            finally:
                await pubsub.aclose()
                await client.aclose()
    finally:
        await admin.aclose()


# -- pipelines ---------------------------------------------------------------------


async def test_pipeline_unwatch_commands() -> None:
    mine = ours.Redis()
    theirs = redispy.Redis()
    try:
        assert mine.pipeline().UNWATCH_COMMANDS == theirs.pipeline().UNWATCH_COMMANDS
    finally:
        await mine.aclose()
        await theirs.aclose()


def _annotated(pipeline: Any, error: Exception, number: int, args: Any) -> Any:
    pipeline.annotate_exception(error, number, args)
    return error.args


async def test_pipeline_annotate_exception_and_raise_first_error() -> None:
    mine = ours.Redis().pipeline()
    # The message sync redis-py writes (redis.asyncio shows the args' tuple:
    # aio's pipelines report errors in the sync form, documented).
    theirs = redis.Redis().pipeline()
    long_arg = "x" * 200
    for args in (("SET", b"k", 1), ("LPUSH", "k", long_arg), ("GET", "k")):
        assert _annotated(mine, ResponseError("boom", 2), 3, args) == _annotated(
            theirs, RedisPyResponseError("boom", 2), 3, args
        )
    commands = [(("SET", "a", 1), {}), (("LPUSH", "a", 2), {}), (("GET", "b"), {})]
    mine.raise_first_error(commands, [True, 1, None])  # no error: nothing raised
    theirs.raise_first_error(commands, [True, 1, None])
    with pytest.raises(ResponseError) as mine_info:
        mine.raise_first_error(
            commands, [True, ResponseError("WRONGTYPE x"), ResponseError("other")]
        )
    with pytest.raises(RedisPyResponseError) as their_info:
        theirs.raise_first_error(
            commands,
            [True, RedisPyResponseError("WRONGTYPE x"), RedisPyResponseError("o")],
        )
    assert mine_info.value.args == their_info.value.args
    assert outcome(mine_info.value).name == "ResponseError"


async def test_pipeline_watch_state_follows_unwatch(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        async with r.pipeline() as pipe:
            await pipe.watch("k")
            states = [pipe.watching]
            await pipe.unwatch()
            states.append(pipe.watching)
            return states

    assert await oracle.check(scenario) == [True, False]


async def test_pubsub_handle_message_keeps_a_health_check_pong() -> None:
    # redis-py drops the health-check pong where it reads replies; a
    # handle_message() call makes a message of it, as of any pong.
    results = []
    for module in (redispy, ours):
        client = module.Redis()
        try:
            pubsub = client.pubsub()
            results.append(
                [
                    await pubsub.handle_message([b"pong", b"redis-py-health-check"]),
                    await pubsub.handle_message(b"redis-py-health-check"),
                    await pubsub.handle_message(None),
                ]
            )
        finally:
            await client.aclose()
    assert results[0] == results[1]
    assert results[1][0] == {
        "type": "pong",
        "pattern": None,
        "channel": None,
        "data": b"redis-py-health-check",
    }
