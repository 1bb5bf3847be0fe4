"""The blocking ``RedisCluster`` against a private three-master cluster
(``redis_cluster`` fixture), with redis-py's blocking ``redis.cluster.RedisCluster``
as the oracle: the same calls give the same results.

The cluster is shared by the session: every test flushes it first, and the tests
that move a slot use one of their own (a hash tag) and give it back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis as redispy
import redis.cluster as redispy_cluster

import aio.redis.exceptions as aio_exc
import sync_shims.redis as shim
from aio.engine import EngineThreadError, portal
from aio.redis.cluster import key_slot
from sync_shims.redis.cluster import (
    ClusterNode,
    ClusterPipeline,
    ClusterPubSub,
    RedisCluster,
)
from tests.redis.test_cluster_himport import KEY_A, KEY_B, Node, himport_words
from tests.sync_shims.redis.doc_examples import run_doc_example

Nodes = list[tuple[str, int]]


def _flush(nodes: Nodes) -> None:
    for host, port in nodes:
        with redispy.Redis(host=host, port=port) as admin:
            admin.flushall()


@pytest.fixture
def rc(redis_cluster: Nodes) -> Iterator[RedisCluster]:
    _flush(redis_cluster)
    host, port = redis_cluster[0]
    client = RedisCluster(host=host, port=port, decode_responses=True)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def oracle(redis_cluster: Nodes) -> Iterator[redispy_cluster.RedisCluster]:
    host, port = redis_cluster[0]
    client = redispy_cluster.RedisCluster(
        host=host, port=port, decode_responses=True, protocol=2
    )
    try:
        yield client
    finally:
        client.close()


def both(
    redis_cluster: Nodes,
    rc: RedisCluster,
    oracle: redispy_cluster.RedisCluster,
    scenario: Callable[[Any], list[Any]],
) -> tuple[list[Any], list[Any]]:
    """Run ``scenario`` on a flushed cluster with redis-py, then with the facade."""
    _flush(redis_cluster)
    expected = scenario(oracle)
    _flush(redis_cluster)
    got = scenario(rc)
    return got, expected


def _names(nodes: list[Any]) -> list[str]:
    return sorted(n.name for n in nodes)


# -- same calls, same results --------------------------------------------------


def test_topology_as_redis_py_sees_it(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    # The constructor read the map, as redis-py's does.
    assert _names(rc.get_nodes()) == _names(oracle.get_nodes())
    assert _names(rc.get_primaries()) == sorted(f"{h}:{p}" for h, p in redis_cluster)
    assert rc.get_replicas() == oracle.get_replicas() == []
    for key in ["", "a", "{user1000}.following", "{}x", "é", b"\xff", 12]:
        assert rc.keyslot(key) == oracle.keyslot(key)
        ours, theirs = rc.get_node_from_key(key), oracle.get_node_from_key(key)
        assert ours is not None and ours.name == theirs.name
    host, port = redis_cluster[1]
    node = rc.get_node(host, port)
    assert node is not None and node.name == oracle.get_node(host, port).name
    assert rc.get_node(node_name=f"{host}:{port}") is node
    assert rc.get_random_node().name in _names(oracle.get_nodes())
    rc.set_default_node(node)
    assert rc.get_default_node() is node


def test_commands_match_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        out: list[Any] = []
        for i in range(30):  # keys on every node
            out.append(c.set(f"k:{i}", i))
        out.append([c.get(f"k:{i}") for i in range(30)])
        out.append(c.mset({"{u}:a": "1", "{u}:b": "2"}))
        out.append(c.mget("{u}:a", "{u}:b", "{u}:c"))
        out.append(c.mget_nonatomic(["k:1", "k:2", "nope", "k:3"]))
        out.append(c.mset_nonatomic({"m:1": "x", "m:2": "y", "m:3": "z"}))
        out.append(c.exists("k:1", "k:2", "nope", "m:1"))
        out.append(c.delete("k:1", "k:2", "nope"))
        out.append(c.unlink("k:3", "k:4"))
        out.append(c.touch("k:5", "k:6", "nope"))
        out.append(c.incrby("n", 5))
        out.append(c.hset("h", mapping={"f": "1", "g": "2"}))
        out.append(c.hgetall("h"))
        out.append(c.rpush("l", "a", "b", "c"))
        out.append(c.lrange("l", 0, -1))
        out.append(c.zadd("z", {"a": 1.5, "b": 2}))
        out.append(c.zrange("z", 0, -1, withscores=True))
        out.append(c.sadd("{s}1", "a", "b"))
        out.append(c.sadd("{s}2", "b", "c"))
        out.append(sorted(c.sinter("{s}1", "{s}2")))
        out.append(sorted(c.scan_iter(match="k:*", count=7)))
        out.append(c.ping())
        out.append(c.expire("n", 100))
        out.append(0 < c.ttl("n") <= 100)
        out.append(c.type("h"))
        return out

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected


def test_target_nodes_match_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        cls = type(c)
        for i in range(40):
            c.set(f"t:{i}", i)
        per_node = []
        for node in sorted(c.get_primaries(), key=lambda n: n.name):
            per_node.append(c.dbsize(target_nodes=node))
        return [
            sum(per_node),
            per_node,
            c.ping(target_nodes=cls.ALL_NODES),
            c.ping(target_nodes=cls.RANDOM),
            sorted(c.keys(target_nodes=cls.PRIMARIES)),
            c.config_get("cluster-enabled", target_nodes=cls.DEFAULT_NODE),
        ]

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected
    assert got[0] == 40 and all(got[1])


def test_pipeline_matches_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        with c.pipeline() as pipe:
            for i in range(200):
                pipe.set(f"p:{i}", i)
            pipe.incr("p:counter").incr("p:counter")
            for i in range(0, 200, 20):
                pipe.get(f"p:{i}")
            pipe.hset("p:h", "f", "v").hgetall("p:h")
            first = pipe.execute()
        with c.pipeline() as pipe:
            pipe.set("p:s", "x").lpush("p:s", 1).get("p:s")
            errors = pipe.execute(raise_on_error=False)
        # aio's is a WrongTypeError (a ResponseError) whose message also names
        # the command: compare what the server said
        wrong = errors[1]
        said = (
            str(wrong).rpartition(": ")[2] if "pipeline" in str(wrong) else str(wrong)
        )
        kinds = {k.__name__ for k in type(wrong).__mro__}
        return [first, "ResponseError" in kinds, said, errors[::2]]

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected
    assert len(got[0]) == 214


def test_pipeline_queues_in_the_calling_thread(rc: RedisCluster) -> None:
    pipe = rc.pipeline()
    assert isinstance(pipe, ClusterPipeline)
    assert pipe.set("a", 1).get("a") is pipe
    assert len(pipe) == 2
    assert [args for args, _ in pipe.command_stack] == [("SET", "a", 1), ("GET", "a")]
    pipe.reset()
    assert len(pipe) == 0 and pipe.execute() == []


def test_transaction_pipeline_in_one_slot(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        with c.pipeline(transaction=True) as pipe:
            pipe.set("{tx}a", 1).incr("{tx}a").get("{tx}a")
            result = pipe.execute()
        with c.pipeline(transaction=True) as pipe:
            pipe.set("{tx}a", 1).set("{other}b", 2)
            try:
                pipe.execute()
                crossed = "no error"
            except Exception as exc:
                crossed = type(exc).__name__
        return [result, crossed]

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == [[True, 2, "2"], "CrossSlotTransactionError"]
    # redis-py 8.1's cluster transactions skip SET's reply callback ('OK'); the
    # facade converts as its pipelines and redis-py's standalone ones do.
    assert expected == [["OK", 2, "2"], "CrossSlotTransactionError"]


def test_transaction_with_watch_matches_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        c.set("{acct}balance", 100)
        calls: list[int] = []
        other = threading.Thread(target=c.incrby, args=("{acct}balance", 1000))

        def withdraw(pipe: Any) -> int:
            balance = int(pipe.get("{acct}balance"))  # immediate mode: a reply
            calls.append(balance)
            if len(calls) == 1:  # another thread writes between WATCH and EXEC
                other.start()
                other.join()
            pipe.multi()
            pipe.set("{acct}balance", balance - 30)
            pipe.rpush("{acct}log", balance)
            return balance - 30

        value = c.transaction(withdraw, "{acct}balance", value_from_callable=True)
        with c.pipeline(transaction=True) as pipe:
            pipe.watch("{acct}balance")
            pipe.unwatch()
            pipe.multi()
            pipe.get("{acct}balance").lrange("{acct}log", 0, -1)
            after = pipe.execute()
        return [value, calls, after]

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected == [1070, [100, 1100], ["1070", ["1100"]]]
    with rc.pipeline(transaction=True) as pipe:  # the facade's own flag
        pipe.watch("{acct}balance")
        assert pipe.watching
        pipe.reset()
        assert not pipe.watching


def test_pubsub_matches_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def next_message(read: Callable[..., Any]) -> Any:
        for _ in range(50):
            message = read(timeout=0.1)
            if message is not None:
                return {k: message[k] for k in ("type", "channel", "data")}
        return None

    def scenario(c: Any) -> list[Any]:
        p = c.pubsub()
        out = []
        try:
            p.subscribe("news")
            out.append(next_message(p.get_message))
            assert p.get_redis_connection() is not None
            # PUBLISH's count is that of the node it reached: not compared
            c.publish("news", "hello")
            out.append(next_message(p.get_message))
            p.ssubscribe("{shard}a", "{shard}b")  # one slot, one node
            out.append(next_message(p.get_sharded_message))
            out.append(next_message(p.get_sharded_message))
            out.append(c.spublish("{shard}b", "s1"))
            out.append(next_message(p.get_sharded_message))
            seen: list[Any] = []
            p.ssubscribe(**{"{other}c": lambda m: seen.append(m["data"])})
            out.append(next_message(p.get_sharded_message))  # the confirmation
            c.spublish("{other}c", "handled")
            for _ in range(50):  # the handler's message gives None
                if p.get_sharded_message(timeout=0.1) is None and seen:
                    break
            out.append(seen)
            p.sunsubscribe("{shard}a")
            out.append(next_message(p.get_sharded_message))
        finally:
            p.close()
        return out

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected
    assert got[1] == {"type": "message", "channel": "news", "data": "hello"}
    assert isinstance(rc.pubsub(), ClusterPubSub)
    assert got[5] == {"type": "smessage", "channel": "{shard}b", "data": "s1"}
    assert got[7] == ["handled"]


def test_cluster_commands_match_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        c.mset({"{cc}1": "a", "{cc}2": "b"})
        slot = c.keyslot("{cc}")
        node = c.get_node_from_key("{cc}")
        return [
            c.cluster_keyslot("{cc}1") == slot,
            c.cluster_countkeysinslot(slot),
            sorted(c.cluster_get_keys_in_slot(slot, 10)),
            c.cluster_info(target_nodes=node)["cluster_state"],
            len(c.cluster_myid(node)),
        ]

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected
    assert got[:4] == [True, 2, ["{cc}1", "{cc}2"], "ok"]
    # As redis-py's blocking client, the whole command follows its name.
    owner = rc.get_node_from_key("{cc}1")
    assert rc.get_nodes_from_slot("GET", "GET", "{cc}1") == [owner]
    assert _names(oracle.get_nodes_from_slot("GET", "GET", "{cc}1")) == [owner.name]


def test_errors_match_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    with pytest.raises(redispy.exceptions.RedisClusterException, match="same key slot"):
        oracle.mget("a", "b")
    with pytest.raises(shim.RedisClusterException, match="same key slot"):
        rc.mget("a", "b")
    oracle.set("str", "v")
    with pytest.raises(shim.ResponseError, match="WRONGTYPE"):
        rc.lpush("str", 1)
    with pytest.raises(redispy.ResponseError, match="WRONGTYPE"):
        oracle.lpush("str", 1)
    host, _ = redis_cluster[0]
    dead = _closed_port()
    with pytest.raises(redispy.exceptions.RedisClusterException):
        redispy_cluster.RedisCluster(host=host, port=dead)
    with (
        pytest.raises(shim.RedisClusterException, match="cannot be connected"),
        pytest.warns(DeprecationWarning, match="cluster_error_retry_attempts"),
    ):
        RedisCluster(host=host, port=dead, cluster_error_retry_attempts=0)


def test_scripts_and_locks(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        script = c.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        out = [script(keys=["sc:1"], args=[5]), script(keys=["sc:2"], args=[7])]
        c.script_flush()  # NOSCRIPT next time: loaded again on that node
        out.append(script(keys=["sc:1"], args=[1]))
        lock = c.lock("lk", timeout=10)
        out.append(lock.acquire(blocking=False))
        out.append(c.lock("lk", timeout=10).acquire(blocking=False))
        out.append(lock.owned())
        lock.release()
        out.append(lock.locked())
        with c.lock("lk2", timeout=5):
            out.append(bool(c.get("lk2")))
        return out

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected == [5, 7, 6, True, False, True, False, True]


def test_default_node_scan_and_pubsub_merges_match_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    host, port = redis_cluster[1]
    name = f"{host}:{port}"
    # redis-py's blocking client answers True/False (its asyncio one None).
    assert rc.set_default_node(rc.get_node(node_name=name)) is True
    assert oracle.set_default_node(oracle.get_node(node_name=name)) is True
    assert rc.get_default_node().name == name
    assert rc.set_default_node(None) is oracle.set_default_node(None) is False
    stranger = ClusterNode("127.0.0.1", 1)
    assert rc.set_default_node(stranger) is False
    assert oracle.set_default_node(redispy_cluster.ClusterNode("127.0.0.1", 1)) is False
    assert rc.get_default_node().name == name

    listeners = []
    try:
        for h, p in redis_cluster:
            listener = redispy.Redis(host=h, port=p).pubsub()
            listener.subscribe("news")
            listener.get_message(timeout=5)
            listeners.append(listener)

        def scenario(c: Any) -> list[Any]:
            c.mset_nonatomic({f"s:{i}": i for i in range(40)})
            cursors, keys = c.scan(match="s:*", count=1000)
            return [
                cursors,
                sorted(keys),
                sorted(c.scan_iter(match="s:*", count=3)),
                c.pubsub_numsub("news", "none", target_nodes=c.ALL_NODES),
                sorted(c.pubsub_channels(target_nodes=c.ALL_NODES)),
                c.pubsub_numsub("news"),
            ]

        got, expected = both(redis_cluster, rc, oracle, scenario)
        assert got == expected
        assert got[3] == [("news", 3), ("none", 0)]
    finally:
        for listener in listeners:
            listener.close()


def test_keyed_command_without_key_and_pipeline_errors_match_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster
) -> None:
    with pytest.raises(redispy.exceptions.RedisClusterException) as theirs:
        oracle.execute_command("GET")
    with pytest.raises(shim.RedisClusterException) as ours:
        rc.execute_command("GET")
    # The last line quotes the arguments after the command name, as redis-py's
    # asyncio client does (its blocking one quotes the name too).
    assert (
        str(ours.value).split("Command:")[0] == str(theirs.value).split("Command:")[0]
    )
    assert str(ours.value).endswith("Command: ()")
    oracle.set("str", "x")
    messages = []
    for client in (rc, oracle):
        pipe = client.pipeline()
        pipe.set("a", 1).lpush("str", 1)
        with pytest.raises((shim.ResponseError, redispy.ResponseError)) as info:
            pipe.execute()
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_pipeline_scripts_and_run_at_once_commands(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster
) -> None:
    source = "return redis.call('INCRBY', KEYS[1], ARGV[1])"
    script = rc.register_script(source)
    rc.script_flush()
    with rc.pipeline() as pipe:
        assert script(keys=["a"], args=[2], client=pipe) is pipe
        script(keys=["b"], args=[3], client=pipe)
        pipe.get("a")
        assert pipe.execute() == [2, 3, "2"]
    # redis-py refuses a script on a cluster pipeline (a documented difference).
    with pytest.raises(redispy.exceptions.RedisClusterException, match="blocked"):
        oracle.register_script(source)(keys=["a"], args=[1], client=oracle.pipeline())
    # Between WATCH and MULTI the split commands run at once (one slot).
    rc.mset({"{w}a": "1", "{w}b": "2"})
    with rc.pipeline(transaction=True) as pipe:
        pipe.watch("{w}a")
        assert pipe.exists("{w}a", "{w}b") == 2
        assert pipe.delete("{w}b") == 1
        assert script(keys=["{w}c"], args=[4], client=pipe) == 4
        pipe.multi()
        pipe.set("{w}a", "3")
        assert pipe.delete("{w}c") is pipe
        assert pipe.execute() == [True, 1]
    assert rc.mget("{w}a", "{w}b", "{w}c") == ["3", None, None]


def test_monitor_of_a_node_matches_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster
) -> None:
    node_name = rc.get_node_from_key("mon").name
    seen = []
    for client in (rc, oracle):
        node = client.get_node(node_name=node_name)
        with client.monitor(target_node=node) as monitor:
            client.set("mon", "1")
            while True:
                command = monitor.next_command()
                if "mon" in command["command"]:
                    seen.append(command["command"])
                    break
    assert seen == ["SET mon 1", "SET mon 1"]
    with rc.monitor() as monitor:  # the default node
        rc.echo("to-default")
        while "to-default" not in (command := monitor.next_command())["command"]:
            pass
        assert command["command"] == "ECHO to-default"


def test_cluster_commands_queue_on_the_pipeline(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        pipe = c.pipeline()
        pipe.cluster_keyslot("a").cluster_countkeysinslot(15495)
        return list(pipe.execute())

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected == [15495, 0]


def test_from_url_context_manager_and_node_clients(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[2]
    with RedisCluster.from_url(f"redis://{host}:{port}/0", decode_responses=True) as c:
        assert len(c.get_primaries()) == 3
        c.set("u", "1")
        node = c.get_node_from_key("u")
        assert node is not None
        direct = c.get_redis_connection(node)
        assert isinstance(direct, shim.Redis)
        assert direct.get("u") == "1"  # no routing: that node holds the key
        direct.close()
        assert c.get_encoder().decode_responses is True
    with RedisCluster(url=f"redis://{host}:{port}") as c:
        assert c.get("u") == b"1"
    with RedisCluster(startup_nodes=[ClusterNode(host, port)]) as c:
        assert c.get("u") == b"1"
    with pytest.raises(shim.RedisClusterException, match="at least one node"):
        RedisCluster()


def test_mapping_face_and_pools_match_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    def scenario(c: Any) -> list[Any]:
        c["mk"] = "v"
        out = [c["mk"], "mk" in c, "nope" in c]
        del c["mk"]
        try:
            c["mk"]
        except KeyError as exc:
            out.append(repr(exc))
        c.disconnect_connection_pools()
        out.append(c.set("after", 1))  # new connections on demand
        c.cluster_error_retry_attempts = 2
        out.append(c.cluster_error_retry_attempts)
        c.read_from_replicas = True
        out.append(c.read_from_replicas)
        out.append(c.get("after"))  # no replica here: the primary answers
        c.read_from_replicas = False
        return out

    got, expected = both(redis_cluster, rc, oracle, scenario)
    assert got == expected == ["v", True, False, "KeyError('mk')", True, 2, True, "1"]
    # aio counts the retries of its policy (redis-py 8.1 keeps the two apart)
    assert rc.retry.get_retries() == rc.cluster_error_retry_attempts == 2


def test_bitfield_blocks(rc: RedisCluster) -> None:
    assert rc.bitfield("bf").set("u8", 0, 200).get("u8", 0).execute() == [0, 200]


# -- threads, loops, fork --------------------------------------------------------


def test_sixteen_threads_share_one_client(rc: RedisCluster) -> None:
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(30):
                rc.incr(f"hits:{i % 6}")
                rc.set(f"t{n}", i)
                assert rc.get(f"t{n}") == str(i)
            with rc.pipeline() as pipe:
                assert pipe.incr("hits:0").get(f"t{n}").execute()[1] == "29"
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(int(v) for v in rc.mget_nonatomic([f"hits:{i}" for i in range(6)])) == (
        16 * 30 + 16
    )


def test_thread_running_its_own_loop(rc: RedisCluster) -> None:
    async def notebook_cell() -> Any:
        rc.set("nb", "1")
        with rc.pipeline() as pipe:
            return pipe.incr("nb").get("nb").execute()

    assert asyncio.run(notebook_cell()) == [2, "2"]


def test_module_level_client_in_forked_child(rc: RedisCluster) -> None:
    keys = [f"f:{i}" for i in range(12)]  # connections to every node
    for key in keys:
        rc.set(key, key)
    pid = os.fork()
    if pid == 0:  # the child: the exit code tells the parent what happened
        signal.alarm(30)  # a child stuck on its parent's sockets dies, not hangs
        code = 1
        try:
            if rc.mget_nonatomic(keys) == keys and rc.set("child", "c"):
                with rc.pipeline() as pipe:
                    if pipe.incr("n").get("child").execute() == [1, "c"]:
                        code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert rc.get("child") == "c"  # and the parent's connections still work
    assert rc.mget_nonatomic(keys) == keys


def test_facade_on_the_engine_thread_is_refused(rc: RedisCluster) -> None:
    with pytest.raises(EngineThreadError, match="await"):
        portal().run_sync(rc.get, "k")


# -- faults ---------------------------------------------------------------------


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _kill_clients(redis_cluster: Nodes, name: str) -> int:
    """CLIENT KILL every connection named ``name`` on every node."""
    killed = 0
    for host, port in redis_cluster:
        with redispy.Redis(host=host, port=port) as admin:
            for client in admin.client_list():
                if client["name"] == name:
                    killed += admin.client_kill_filter(_id=client["id"])
    return killed


def test_killed_node_connections_are_replaced(redis_cluster: Nodes) -> None:
    _flush(redis_cluster)
    host, port = redis_cluster[0]
    for client in (
        redispy_cluster.RedisCluster(host=host, port=port, client_name="victim-rp"),
        RedisCluster(host=host, port=port, client_name="victim-shim"),
    ):
        name = client.get_connection_kwargs()["client_name"]
        keys = [f"kill:{i}" for i in range(12)]
        for key in keys:
            client.set(key, key)
        assert _kill_clients(redis_cluster, name) >= 3
        assert [client.get(k) for k in keys] == [k.encode() for k in keys]
        assert _kill_clients(redis_cluster, name) >= 3
        pipe = client.pipeline()
        for key in keys:
            pipe.get(key)
        assert pipe.execute() == [k.encode() for k in keys]
        client.close()


def _migrate_slot(slot: int, src: Any, dst: Any, nodes: Nodes) -> None:
    """Move ``slot`` with its keys from ``src`` to ``dst`` as redis-cli does."""
    admin = {f"{h}:{p}": redispy.Redis(host=h, port=p) for h, p in nodes}
    try:
        a, b = admin[src.name], admin[dst.name]
        src_id = a.execute_command("CLUSTER MYID").decode()
        dst_id = b.execute_command("CLUSTER MYID").decode()
        b.execute_command("CLUSTER SETSLOT", slot, "IMPORTING", src_id)
        a.execute_command("CLUSTER SETSLOT", slot, "MIGRATING", dst_id)
        while keys := a.execute_command("CLUSTER GETKEYSINSLOT", slot, 100):
            a.execute_command("MIGRATE", dst.host, dst.port, "", 0, 5000, "KEYS", *keys)
        # The importing side first: it bumps its epoch, so its claim wins.
        for name in (
            dst.name,
            src.name,
            *(n for n in admin if n not in (src.name, dst.name)),
        ):
            admin[name].execute_command("CLUSTER SETSLOT", slot, "NODE", dst_id)
    finally:
        for client in admin.values():
            client.close()


def test_moved_after_slot_migration(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster, redis_cluster: Nodes
) -> None:
    tag = "{moved}"
    slot = rc.keyslot(tag)
    src = rc.get_node_from_key(tag)
    assert src is not None
    dst = next(n for n in rc.get_primaries() if n.name != src.name)
    keys = [f"{tag}:{i}" for i in range(10)]
    for key in keys:
        rc.set(key, key)
    assert oracle.get(keys[0]) == keys[0]  # the oracle's map is read: stale too
    host, port = redis_cluster[0]
    stale = RedisCluster(host=host, port=port, decode_responses=True)
    _migrate_slot(slot, src, dst, redis_cluster)
    try:
        assert rc.get_node_from_key(tag) == src  # the client does not know yet
        assert [rc.get(k) for k in keys] == [oracle.get(k) for k in keys] == keys
        assert rc.get_node_from_key(tag) == dst  # MOVED followed, map patched
        assert oracle.get_node_from_key(tag).name == dst.name
        pipe = stale.pipeline()
        for key in keys:
            pipe.get(key)
        assert pipe.set(f"{tag}:p", "p").get(f"{tag}:p").execute() == [*keys, True, "p"]
        assert stale.get_node_from_key(tag) == dst
    finally:
        stale.close()
        _migrate_slot(slot, dst, src, redis_cluster)
    assert rc.get(keys[0]) == keys[0]
    assert rc.get_node_from_key(tag) == src


# -- the module's face -------------------------------------------------------------


def test_redis_py_names_are_there() -> None:
    for name in ("RedisCluster", "ClusterNode", "ClusterPipeline"):
        assert hasattr(shim.cluster, name), name
    exception_names = [
        n
        for n, v in vars(redispy.exceptions).items()
        if isinstance(v, type) and issubclass(v, BaseException)
    ]
    missing = [n for n in exception_names if not hasattr(shim.exceptions, n)]
    # Exceptions of redis-py features that aio does not have at all.
    assert set(missing) <= {
        "NoSuchFieldsetError",
        "ExternalAuthProviderError",
        "IncorrectPolicyType",
    }
    assert shim.RedisCluster is shim.cluster.RedisCluster
    assert shim.cluster.MovedError is aio_exc.MovedError
    assert issubclass(shim.exceptions.InvalidPipelineStack, shim.RedisClusterException)


def test_docs_example_runs(redis_cluster: Nodes) -> None:
    _flush(redis_cluster)
    host, port = redis_cluster[0]
    lines = run_doc_example(
        "blocking cluster",
        AIO_REDIS_CLUSTER_HOST=host,
        AIO_REDIS_CLUSTER_PORT=str(port),
    )
    assert lines == [
        "hello",
        "['Ada', 'en']",
        "100",
        "100",
        "[1, '1']",
        "3",
    ]


# -- what redis-py's own cluster tests found ------------------------------------------


def test_node_redis_connection_is_a_blocking_client_of_that_node(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster
) -> None:
    for node in rc.get_nodes():
        client = node.redis_connection
        assert isinstance(client, shim.Redis)
        assert node.redis_connection is client  # the same one each time
        assert rc.get_redis_connection(node) is client
        theirs = oracle.get_node(node_name=node.name)
        assert theirs is not None
        assert client.client_id() != theirs.redis_connection.client_id()
        assert client.config_get("port") == {"port": str(node.port)}
    # redis-py's test_pubsub_channels_merge_results: one channel per node.
    subscribers = []
    for i, node in enumerate(rc.get_primaries()):
        p = rc.pubsub(node)
        p.subscribe(f"chan{i}")
        subscribers.append(p)
        assert node.redis_connection.pubsub_channels() == [f"chan{i}"]
    channels = sorted(rc.pubsub_channels(target_nodes="all"))
    assert channels == [f"chan{i}" for i in range(len(subscribers))]
    # and a ClusterPubSub's get_redis_connection() is its node's (redis-py's)
    assert (
        subscribers[0].get_redis_connection() is rc.get_primaries()[0].redis_connection
    )
    assert rc.pubsub().get_redis_connection() is None  # no node chosen yet
    for p in subscribers:
        p.close()


def test_default_retry_and_callbacks_as_redis_py(
    rc: RedisCluster, oracle: redispy_cluster.RedisCluster
) -> None:
    for client in (rc, oracle):
        assert client.retry.get_retries() == 10
        assert type(client.retry._backoff).__name__ == "ExponentialWithJitterBackoff"
    # the blocking Retry class of the module redis-py users import
    assert isinstance(rc.retry, shim.retry.Retry)
    callbacks = rc.cluster_response_callbacks
    assert callbacks["cluster slots"] is callbacks["CLUSTER SLOTS"]
    assert callbacks is rc.response_callbacks


def test_redis_connect_func_runs_in_a_thread_with_a_blocking_connection(
    redis_cluster: Nodes,
) -> None:
    seen: list[tuple[Any, str]] = []

    def on_connect(connection: Any) -> None:
        # It may block, even on the connection it is given: not the loop thread.
        connection.send_command("CLIENT", "SETNAME", "facade")
        assert connection.read_response() in (b"OK", "OK")
        seen.append((connection, threading.current_thread().name))

    host, port = redis_cluster[0]
    with RedisCluster(host=host, port=port, redis_connect_func=on_connect) as c:
        second = c.get_primaries()[1]
        assert c.client_getname(target_nodes=second) == "facade"
    assert seen
    assert all(isinstance(conn, shim.connection.Connection) for conn, _ in seen)
    loop_thread = portal().run_sync(threading.current_thread).name
    assert loop_thread not in {name for _, name in seen}


def test_nodes_take_the_facade_pool_class(redis_cluster: Nodes) -> None:
    # redis-py's test_user_connection_pool_timeout
    host, port = redis_cluster[0]
    with RedisCluster(
        host=host,
        port=port,
        connection_pool_class=shim.BlockingConnectionPool,
        timeout=3,
    ) as c:
        for node in c.get_nodes():
            pool = node.redis_connection.connection_pool
            assert isinstance(pool, shim.BlockingConnectionPool)
            assert pool.timeout == 3
            # the nodes' connections do not retry (the client does)
            retry = node.redis_connection.get_retry()
            assert retry is not None and retry.get_retries() == 0
        assert c.set("pooled", 1) is True


def test_node_connection_limit_matches_redis_py(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    ref = redispy_cluster.RedisCluster(host=host, port=port, max_connections=1)
    rc = RedisCluster(host=host, port=port, max_connections=1)
    try:
        held_ref = ref.get_node_from_key("k").redis_connection.connection_pool
        held_ref.get_connection()
        with pytest.raises(redispy.exceptions.MaxConnectionsError) as expected:
            ref.get("k")
        node = rc.get_node_from_key("k")
        held = node.redis_connection.connection_pool.get_connection()
        with pytest.raises(aio_exc.MaxConnectionsError) as got:
            rc.get("k")
        # redis-py's blocking words (its nodes have pools), and no refresh of
        # the map: the limit is the client's own.
        assert str(got.value) == str(expected.value) == "Too many connections"
        assert rc._async._refresh_needed is False
        node.redis_connection.connection_pool.release(held)
        assert rc.set("k", "v") is True
    finally:
        rc.close()
        ref.close()


@pytest.fixture
def scripted_cluster() -> Iterator[Callable[[], tuple[Node, Node]]]:
    """``a, b = start()``: a scripted two-node Redis 8.9 cluster (HIMPORT) served
    from a loop of its own thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    servers: list[asyncio.Server] = []

    def start() -> tuple[Node, Node]:
        async def serve(node: Node) -> int:
            server = await asyncio.start_server(node.handler, "127.0.0.1", 0)
            servers.append(server)
            return int(server.sockets[0].getsockname()[1])

        layout: list[tuple[int, int, int]] = []
        a, b = Node(layout), Node(layout)
        ports = [
            asyncio.run_coroutine_threadsafe(serve(n), loop).result(5) for n in (a, b)
        ]
        layout += [(0, 8191, ports[0]), (8192, 16383, ports[1])]
        a.target, b.target = ports[1], ports[0]
        return a, b

    yield start

    async def stop() -> None:
        for server in servers:
            server.close()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_himport_matches_redis_py(
    scripted_cluster: Callable[[], tuple[Node, Node]],
) -> None:
    def scenario(rc: Any, a: Node, b: Node) -> Any:
        results = [
            rc.himport_prepare("fs", ["f1", "f2"]),
            rc.himport_set(KEY_A, "fs", [1, 2]),
            rc.himport_set(KEY_B, "fs", [3, 4]),
            rc.himport_discard("fs"),
            rc.himport_prepare("tx", ["g"]),
            len(rc.himport_registry),
        ]
        with rc.pipeline() as pipe:
            pipe.himport_set(KEY_A, "tx", [5])
            pipe.himport_set(KEY_B, "tx", [6])
            results.append(pipe.execute())
        # ASK: prepared on the target first, then ASKING and the SET.
        a.asks.add(key_slot(KEY_A))
        b.importing.add(key_slot(KEY_A))
        results.append(rc.himport_set(KEY_A, "tx", [7]))
        results.append(rc.himport_discard_all())
        return results

    runs = []
    for make in (RedisCluster, redispy_cluster.RedisCluster):
        a, b = scripted_cluster()
        client = make(host="127.0.0.1", port=a.cluster[0][2], protocol=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # redis-py: experimental
            try:
                result = scenario(client, a, b)
            finally:
                client.close()
        runs.append(([himport_words(a), himport_words(b)], result))
    assert runs[0] == runs[1]
    words_a, words_b = runs[0][0]
    # B's connection prepared "tx" for the pipeline: ASKING comes right before.
    assert words_b[-2:] == [
        [b"ASKING"],
        [b"HIMPORT", b"SET", KEY_A.encode(), b"tx", b"7"],
    ]
    assert runs[0][1] == [True, True, True, 1, True, 1, [True, True], True, 1]
