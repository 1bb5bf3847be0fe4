"""RedisCluster, ClusterPipeline and ClusterNode where they used to differ from
redis-py 8.1's asyncio cluster client, with redis-py as the oracle against the
private three-master cluster (``redis_cluster``): node lookup by slot, the default
node, replies merged across nodes (SCAN, PUBSUB introspection, FLUSHDB...), a
keyed command sent without its key, pipeline error messages, commands run at
once between WATCH and MULTI, scripts queued on a pipeline, multi-key commands in
pipelines, and the public names redis-py's classes have that ours do not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.asyncio.cluster as redispy_cluster
import redis.exceptions as redispy_errors

from aio.redis import ClusterNode, Redis, RedisCluster
from aio.redis.exceptions import (
    DataError,
    RedisClusterException,
    RedisError,
    WatchError,
)
from tests.redis.test_cluster import Nodes

# Modules' clients (RedisJSON, search, ...) are out of scope here.
_MODULE_CLIENTS = {"json", "ft", "ts", "bf", "cf", "cms", "topk", "tdigest", "vset"}


async def _flush(nodes: Nodes) -> None:
    for host, port in nodes:
        async with Redis(host=host, port=port) as admin:
            await admin.flushall()
            await admin.script_flush()
            await admin.function_flush()


@pytest.fixture
async def pair(redis_cluster: Nodes) -> AsyncIterator[tuple[RedisCluster, Any]]:
    """Ours and redis-py's asyncio cluster client, on RESP2 (redis-py's reply
    shapes there are aio's on both protocols), with the same default node."""
    await _flush(redis_cluster)
    host, port = redis_cluster[0]
    ours = RedisCluster(host=host, port=port, protocol=2)
    theirs = redispy.RedisCluster(host=host, port=port, protocol=2)
    await ours.initialize()
    await theirs.initialize()
    ours.set_default_node(ours.get_primaries()[0])
    name = ours.get_default_node().name
    theirs.set_default_node(theirs.get_node(node_name=name))
    try:
        yield ours, theirs
    finally:
        await ours.aclose()
        await theirs.aclose()


def _outcome(call: Any) -> Any:
    """An awaitable's value, or its error as ``(class name, message)``."""

    async def run() -> Any:
        try:
            return await call
        except (
            RedisError,
            redispy_errors.RedisError,
            redispy_errors.RedisClusterException,  # not a RedisError there
        ) as exc:
            name = type(exc).__name__
            # aio's WRONGTYPE class is a ResponseError, which redis-py raises.
            return ("ResponseError" if name == "WrongTypeError" else name, str(exc))

    return run()


def _error_shape(value: Any) -> Any:
    if isinstance(value, RedisError | redispy_errors.RedisError):
        name = type(value).__name__
        return ("ResponseError" if name == "WrongTypeError" else name, str(value))
    return value


# -- nodes -------------------------------------------------------------------------


async def test_get_nodes_from_slot_takes_the_arguments_after_the_name(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair
    for command in [
        ("GET", "k1"),
        ("SET", "{user}:1", "v"),
        ("MGET", "{t}a", "{t}b"),
        ("CLUSTER COUNTKEYSINSLOT", 12000),
        ("EVALSHA", "0" * 40, 1, "k2"),
    ]:
        got = await ours.get_nodes_from_slot(*command)
        expected = await theirs.get_nodes_from_slot(*command)
        assert [n.name for n in got] == [n.name for n in expected], command
    for command in [("GET",), ("ECHO", "x"), ("MGET", "a", "b")]:
        got = await _outcome(ours.get_nodes_from_slot(*command))
        expected = await _outcome(theirs.get_nodes_from_slot(*command))
        assert got == expected, command
        assert got[0] == "RedisClusterException"


async def test_set_default_node_returns_none_and_refuses_strangers(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair
    target = ours.get_primaries()[2]
    assert ours.set_default_node(target) is None  # type: ignore[func-returns-value]
    assert theirs.set_default_node(theirs.get_node(node_name=target.name)) is None
    assert ours.get_default_node() is target
    for node in (None, ClusterNode("127.0.0.1", 1)):
        with pytest.raises(DataError) as ours_error:
            ours.set_default_node(node)
        foreign = None if node is None else redispy_cluster.ClusterNode("127.0.0.1", 1)
        with pytest.raises(redispy_errors.DataError) as theirs_error:
            theirs.set_default_node(foreign)
        assert str(ours_error.value) == str(theirs_error.value)
    assert ours.get_default_node() is target


async def test_a_keyed_command_without_its_key_is_refused(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair
    for command in [("GET",), ("SET",), ("OBJECT ENCODING",), ("HGETALL",)]:
        got = await _outcome(ours.execute_command(*command))
        expected = await _outcome(theirs.execute_command(*command))
        assert got == expected, command
        assert got[0] == "RedisClusterException" and "Missing key" in got[1]
    # Keyless commands without a node policy still go to the default node
    # (redis-py refuses them too: a documented difference).
    assert await ours.execute_command("ECHO", "x") == b"x"
    assert (await _outcome(theirs.execute_command("ECHO", "x")))[0] == (
        "RedisClusterException"
    )
    # Commands whose keys move with their arguments may have none.
    assert await ours.eval("return 7", 0) == await theirs.eval("return 7", 0) == 7


# -- replies of several nodes ----------------------------------------------------------


async def test_scan_and_scan_iter_as_redis_py(pair: tuple[RedisCluster, Any]) -> None:
    ours, theirs = pair
    for i in range(60):
        await theirs.set(f"sc:{i}", i)
    await theirs.set("other", 1)
    for kwargs in [
        {"match": "sc:*", "count": 1000},
        {"match": "sc:*", "count": 3},
        {"count": 1000},
        {"match": "sc:*", "_type": "string", "count": 1000},
    ]:
        (got_cursors, got_keys) = await ours.scan(**kwargs)
        (their_cursors, their_keys) = await theirs.scan(**kwargs)
        assert got_cursors == their_cursors, kwargs
        assert sorted(got_keys) == sorted(their_keys), kwargs
    node = ours.get_primaries()[1]
    their_node = theirs.get_node(node_name=node.name)
    got = await ours.scan(0, "sc:*", 1000, target_nodes=node)
    expected = await theirs.scan(0, "sc:*", 1000, target_nodes=their_node)
    assert got[0] == expected[0] == {node.name: 0}
    assert sorted(got[1]) == sorted(expected[1])
    for kwargs in [{"match": "sc:*", "count": 2}, {"match": "sc:1*"}, {}]:
        got_all = [k async for k in ours.scan_iter(**kwargs)]
        their_all = [k async for k in theirs.scan_iter(**kwargs)]
        assert sorted(got_all) == sorted(their_all), kwargs
    assert len(set(got_all)) == len(got_all) == 61
    got_all = [k async for k in ours.scan_iter(count=2, target_nodes=node)]
    their_all = [k async for k in theirs.scan_iter(count=2, target_nodes=their_node)]
    assert sorted(got_all) == sorted(their_all) and got_all


async def test_pubsub_introspection_merged_as_redis_py(
    pair: tuple[RedisCluster, Any], redis_cluster: Nodes
) -> None:
    ours, theirs = pair
    plain = [Redis(host=h, port=p) for h, p in redis_cluster]
    listeners = []
    shard = ours.pubsub()
    try:
        # A subscriber on each node: "common" on all, "only<i>" on one, a pattern.
        for i, client in enumerate(plain):
            listener = client.pubsub()
            await listener.subscribe("common", f"only{i}")
            await listener.psubscribe("pat*")
            listeners.append(listener)
        await shard.ssubscribe("s1", "s2", "s3", "s4", "s5")
        for _ in range(5):
            assert await shard.get_sharded_message(timeout=5.0) is not None
        for listener in listeners:
            for _ in range(3):
                assert await listener.get_message(timeout=5.0) is not None
        node = ours.get_primaries()[1]
        for flag in (None, RedisCluster.ALL_NODES, RedisCluster.PRIMARIES, node):
            target_ours: Any = flag
            target_theirs: Any = (
                theirs.get_node(node_name=node.name) if flag is node else flag
            )

            async def calls(client: Any, target: Any) -> list[Any]:
                kw = {} if target is None else {"target_nodes": target}
                return [
                    await client.pubsub_numsub("common", "only0", "nope", **kw),
                    await client.pubsub_numsub(**kw),
                    await client.pubsub_numpat(**kw),
                    sorted(await client.pubsub_channels(**kw)),
                    sorted(await client.pubsub_channels("only*", **kw)),
                    sorted(await client.pubsub_shardchannels(**kw)),
                    await client.pubsub_shardnumsub("s1", "s2", "s3", **kw),
                ]

            got = await calls(ours, target_ours)
            expected = await calls(theirs, target_theirs)
            assert got == expected, flag
        everywhere = await ours.pubsub_numsub("common", target_nodes=ours.ALL_NODES)
        assert everywhere == [(b"common", 3)]
        assert await ours.pubsub_numpat(target_nodes=ours.ALL_NODES) == 3
        shards = await ours.pubsub_shardchannels(target_nodes=ours.PRIMARIES)
        assert sorted(shards) == [b"s1", b"s2", b"s3", b"s4", b"s5"]
    finally:
        await shard.aclose()
        for listener in listeners:
            await listener.aclose()
        for client in plain:
            await client.aclose()


LIBRARY = "#!lua name=gaplib\nredis.register_function('gapf', function() return 1 end)"


async def test_replies_of_several_nodes_as_redis_py(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair
    for i in range(10):
        await theirs.set(f"k{i}", i)

    async def calls(c: Any) -> list[Any]:
        sha = await c.script_load("return 1")
        out = [
            await c.dbsize(target_nodes=c.PRIMARIES),
            sorted(await c.keys(target_nodes=c.ALL_NODES)),
            await c.ping(target_nodes=c.ALL_NODES),
            await c.config_set(
                "maxmemory-policy", "noeviction", target_nodes=c.ALL_NODES
            ),
            await c.client_setname("parity", target_nodes=c.ALL_NODES),
            await c.slowlog_reset(target_nodes=c.ALL_NODES),
            await c.memory_purge(target_nodes=c.ALL_NODES),
            await c.wait(0, 10, target_nodes=c.ALL_NODES),
            await c.client_unblock(987654321, target_nodes=c.ALL_NODES),
            await c.client_unblock(987654321),
            sha,
            await c.script_exists(sha, "0" * 40),
            await c.script_flush(),
            await c.randomkey(target_nodes=c.ALL_NODES) is not None,
            await c.function_load(LIBRARY),
            await c.function_delete("gaplib"),
            await c.function_flush(),
            await c.flushdb(),
            await c.dbsize(),
        ]
        return out

    expected = await calls(theirs)
    await _flush([(n.host, n.port) for n in ours.get_primaries()])
    for i in range(10):
        await theirs.set(f"k{i}", i)
    # Without target_nodes, DBSIZE (and KEYS) ask the default node, as redis-py.
    for c in (ours, theirs):
        default = c.get_default_node()
        assert await c.dbsize() == await c.dbsize(target_nodes=default) < 10
    got = await calls(ours)
    assert got == expected
    # Per node, as redis-py: {node name: reply} where it has no result callback.
    assert set(got[-2]) == {n.name for n in ours.get_primaries()}
    assert got[14] == dict.fromkeys(got[-2], b"gaplib")


# -- pipelines -----------------------------------------------------------------------


async def test_pipeline_error_messages_as_redis_py(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair
    await theirs.set("str", "x")
    for transaction in (False, True):
        key = "{t}a" if transaction else "str"
        for raise_on_error in (False, True):
            outcomes = []
            for client in (ours, theirs):
                await client.set("{t}a", "1" if not transaction else "x")
                pipe = client.pipeline(transaction=transaction)
                pipe.set("{t}b", 1)
                pipe.lpush(key, 1)
                pipe.get("{t}b")
                pipe.incr("{t}b")
                result = await _outcome(pipe.execute(raise_on_error=raise_on_error))
                if isinstance(result, list):
                    result = [_error_shape(r) for r in result]
                outcomes.append(result)
            assert outcomes[0] == outcomes[1], (transaction, raise_on_error)
    # The cluster pipeline quotes the error's args, as redis-py's does.
    pipe = ours.pipeline()
    pipe.lpush("str", 1)
    with pytest.raises(RedisError) as info:
        await pipe.execute()
    assert str(info.value) == (
        "Command # 1 (LPUSH str 1) of pipeline caused error: "
        "('WRONGTYPE Operation against a key holding the wrong kind of value',)"
    )


async def test_split_commands_run_at_once_between_watch_and_multi(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, _ = pair
    await ours.mset({"{w}a": "1", "{w}b": "2", "{w}c": "3", "{w}d": "4"})
    async with ours.pipeline(transaction=True) as pipe:
        await pipe.watch("{w}a")
        assert await pipe.exists("{w}a", "{w}b", "{w}nope") == 2
        assert await pipe.touch("{w}b", "{w}c") == 2
        assert await pipe.delete("{w}b") == 1
        assert await pipe.unlink("{w}c", "{w}nope") == 1
        assert await ours.exists("{w}b", "{w}c") == 0  # really run
        with pytest.raises(RedisClusterException, match="same key slot"):
            await pipe.delete("{w}d", "elsewhere")
        pipe.multi()
        assert pipe.delete("{w}d") is pipe  # queued again after MULTI
        pipe.set("{w}a", "10")
        assert await pipe.execute() == [1, True]
    assert await ours.get("{w}a") == b"10"
    # A change to a watched key still aborts the transaction.
    async with ours.pipeline(transaction=True) as pipe:
        await pipe.watch("{w}a")
        assert await pipe.delete("{w}a") == 1
        pipe.multi()
        pipe.set("{w}a", "11")
        with pytest.raises(WatchError):
            await pipe.execute()


async def test_scripts_queued_on_a_pipeline(pair: tuple[RedisCluster, Any]) -> None:
    ours, theirs = pair
    source = "redis.call('SET', KEYS[1], ARGV[1]) return {KEYS[1], ARGV[1]}"
    keys = ["a", "b", "c", "d"]  # slots on all three primaries
    assert len({ours.get_node_from_key(k).name for k in keys}) == 3
    expected = [
        await theirs.register_script(source)([k], [i]) for i, k in enumerate(keys)
    ]
    await _flush([(n.host, n.port) for n in ours.get_primaries()])
    script = ours.register_script(source)
    pipe = ours.pipeline()
    for i, key in enumerate(keys):
        assert await script([key], [i], client=pipe) is pipe
    pipe.get("a")
    # Not loaded anywhere yet: the pipeline loads it on each node it runs on.
    assert await pipe.execute() == [*expected, b"0"]
    assert await ours.script_exists(script.sha) == [True]
    # In a transaction (one slot), after SCRIPT FLUSH, and run at once after WATCH.
    await ours.script_flush()
    async with ours.pipeline(transaction=True) as tx:
        await script(["{s}1"], ["x"], client=tx)
        tx.get("{s}1")
        assert await tx.execute() == [[b"{s}1", b"x"], b"x"]
        await ours.script_flush()
        await tx.watch("{s}1")
        assert await script(["{s}2"], ["y"], client=tx) == [b"{s}2", b"y"]
        tx.multi()
        await script(["{s}1"], ["z"], client=tx)
        assert await tx.execute() == [[b"{s}1", b"z"]]
    # redis-py's cluster pipelines refuse scripts (a documented difference).
    with pytest.raises(redispy_errors.RedisClusterException, match="blocked"):
        await theirs.register_script(source)(["a"], [1], client=theirs.pipeline())


async def test_multi_key_commands_in_pipelines_stay_in_one_slot(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair
    await theirs.mset({"{m}a": "1", "{m}b": "2"})
    pipe = ours.pipeline()
    pipe.mget("{m}a", "{m}b").rename("{m}a", "{m}c").mget("{m}c", "{m}a")
    assert await pipe.execute() == [[b"1", b"2"], True, [b"1", None]]
    assert await theirs.mget("{m}c", "{m}b") == [b"1", b"2"]
    # Keys of two slots are refused before anything is sent (never misrouted).
    pipe = ours.pipeline()
    pipe.set("{m}sent", "1").mget("{m}a", "elsewhere")
    with pytest.raises(RedisClusterException, match="same key slot"):
        await pipe.execute()
    assert await theirs.exists("{m}sent") == 0
    # redis-py blocks these in a cluster pipeline altogether.
    with pytest.raises(redispy_errors.RedisClusterException, match="blocked"):
        theirs.pipeline().mget("{m}a", "{m}b")


async def test_cluster_commands_queue_on_a_pipeline(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair

    async def run(client: Any) -> list[Any]:
        node = client.get_node(node_name=ours.get_primaries()[1].name)
        pipe = client.pipeline()
        pipe.cluster_keyslot("a").cluster_countkeysinslot(15495).cluster_myid(node)
        pipe.cluster_info()
        replies = await pipe.execute()
        return [*replies[:3], replies[3]["cluster_state"]]

    assert await run(ours) == await run(theirs)
    assert ours.pipeline().RedisClusterRequestTTL == 16
    assert ours.pipeline().PRIMARIES == theirs.pipeline().PRIMARIES


async def test_cluster_node_methods_as_redis_py(pair: tuple[RedisCluster, Any]) -> None:
    ours, theirs = pair
    node = ours.get_node_from_key("nk")
    their_node = theirs.get_node_from_key("nk")
    assert await node.execute_command("SET", "nk", "v") is True
    assert await their_node.execute_command("GET", "nk") == b"v"
    for command in [("GET", "nk"), ("PING",), ("EXISTS", "nk"), ("TIME",)]:
        got = await node.execute_command(*command)
        expected = await their_node.execute_command(*command)
        assert type(got) is type(expected), command
        if command != ("TIME",):
            assert got == expected, command
    assert node.get_encoder() == ("utf-8", "strict", False)
    assert their_node.get_encoder().encoding == "utf-8"
    ours.set_response_callback("GET", lambda reply, **_: b"seen:" + reply)
    assert await node.execute_command("GET", "nk") == b"seen:v"
    await node.disconnect_free_connections()
    assert await node.execute_command("PING") is True


async def test_reinitialize_counter_and_retry_errors(
    pair: tuple[RedisCluster, Any],
) -> None:
    ours, theirs = pair
    assert ours.reinitialize_counter == theirs.reinitialize_counter == 0
    assert {e.__name__ for e in ours.ERRORS_ALLOW_RETRY} == {
        e.__name__ for e in theirs.ERRORS_ALLOW_RETRY
    }
    assert RedisCluster.NODE_FLAGS == redispy.RedisCluster.NODE_FLAGS


# -- what redis-py has that we do not ---------------------------------------------------

#: Public names of redis-py's asyncio classes that ours leave out, and why
#: (see docs/redis.md, Cluster and Sentinel).
LEFT_OUT: dict[str, set[str]] = {
    "RedisCluster": {
        # Routing tables of another shape (redis-py: callback(command, res),
        # "CONFIG SET" keys; ours: callback(replies), COMMAND's "CONFIG|SET").
        "COMMAND_FLAGS",
        "command_flags",
        "RESULT_CALLBACKS",
        "result_callbacks",
        "CLUSTER_COMMANDS_RESPONSE_CALLBACKS",
        # Plumbing: the COMMAND parser, the Encoder object, the connection
        # hook (get_encoder() is there).
        "commands_parser",
        "encoder",
        "on_connect",
        "node_flags",
        # Modules (RediSearch).
        "SEARCH_COMMANDS",
        "get_special_nodes",
    },
    "ClusterPipeline": {
        "COMMAND_FLAGS",
        "RESULT_CALLBACKS",
        "CLUSTER_COMMANDS_RESPONSE_CALLBACKS",
        "ERRORS_ALLOW_RETRY",
        "SEARCH_COMMANDS",
        # redis-py has these only to refuse them in a pipeline (or, for
        # register_script, to fail with AttributeError).
        "client",
        "config",
        "slowlog",
        "script",
        "mget_nonatomic",
        "register_script",
        "replace_default_node",
    },
    "ClusterPubSub": {
        # Plumbing of redis-py's re-subscription (ours: see _cluster_pubsub).
        "on_slots_changed",
        "parse_response",
        "reinitialize_shard_subscriptions",
    },
    "ClusterNode": {
        # Connection plumbing (ours: node.connection_pool).
        "acquire_connection",
        "release",
        "disconnect_if_needed",
        "execute_pipeline",
        "parse_response",
        "re_auth_callback",
    },
    "Sentinel": set(),
}


def _missing(theirs: type, ours: object) -> set[str]:
    return {
        name
        for name in dir(theirs)
        if not name.startswith("_")
        and name not in _MODULE_CLIENTS
        and not hasattr(ours, name)
    }


async def test_public_names_left_out_are_the_documented_ones() -> None:
    from aio.redis import Sentinel

    client = RedisCluster(host="127.0.0.1", port=1)
    objects = {
        "RedisCluster": (redispy_cluster.RedisCluster, client),
        "ClusterPipeline": (redispy_cluster.ClusterPipeline, client.pipeline()),
        "ClusterPubSub": (redispy_cluster.ClusterPubSub, client.pubsub()),
        "ClusterNode": (redispy_cluster.ClusterNode, ClusterNode("127.0.0.1", 1)),
        "Sentinel": (redispy.Sentinel, Sentinel([])),
    }
    for name, (theirs, ours) in objects.items():
        assert _missing(theirs, ours) == LEFT_OUT[name], name
