"""redis-py's instance members on the blocking facade, each test run against
redis-py itself and against ``sync_shims.redis``: ``cluster()``, the warning
``watch()``/``unwatch()`` of a client, the Lock's script attributes, the
pools' ``get_protocol()``/``get_connection_count()``."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

# -- cluster() ---------------------------------------------------------------------


@pytest.fixture
def node(redis_mod: ModuleType, redis_cluster: list[tuple[str, int]]) -> Iterator[Any]:
    """A plain client on one node of the private cluster."""
    host, port = redis_cluster[0]
    client = redis_mod.Redis(host=host, port=port, decode_responses=True)
    yield client
    client.close()


def test_cluster_generic(node: Any) -> None:
    myid = node.execute_command("CLUSTER MYID")
    assert node.cluster("myid") == myid
    assert node.cluster("KEYSLOT", "foo") == 12182
    assert node.cluster("countkeysinslot", 0) == 0
    assert node.cluster("replicas", myid) == {}
    assert node.cluster("saveconfig") is True
    info = node.cluster("info")
    assert info["cluster_state"] == "ok"
    nodes = node.cluster("nodes")
    assert myid in {n["node_id"] for n in nodes.values()}
    pipe = node.pipeline()
    assert pipe.cluster("keyslot", "a") is pipe
    assert pipe.execute() == [15495]


def test_cluster_without_cluster_support(redis_mod: ModuleType, r: Any) -> None:
    with pytest.raises(redis_mod.exceptions.ResponseError) as info:
        r.cluster("info")
    assert str(info.value) == "This instance has cluster support disabled"


# -- watch() / unwatch() on a client -----------------------------------------------


def test_client_watch_and_unwatch_only_warn(r: Any) -> None:
    with pytest.warns(DeprecationWarning) as caught:
        assert r.watch("k") is None
        assert r.unwatch() is None
    assert [str(w.message) for w in caught] == [
        "Call WATCH from a Pipeline object",
        "Call UNWATCH from a Pipeline object",
    ]
    with r.pipeline() as pipe:  # a pipeline's are the real commands
        assert pipe.watch("k") is True
        assert pipe.watching


# -- Lock scripts ------------------------------------------------------------------


def _lock_module(redis_mod: ModuleType) -> Any:
    return redis_mod.lock


def test_lock_class_attributes(redis_mod: ModuleType, r: Any) -> None:
    base = _lock_module(redis_mod).Lock

    class Fresh(base):  # type: ignore[misc, valid-type]
        lua_release = None
        lua_extend = None
        lua_reacquire = None

    assert Fresh.lua_release is None
    lock = r.lock("res", lock_class=Fresh)
    for attr, source in (
        ("lua_release", "LUA_RELEASE_SCRIPT"),
        ("lua_extend", "LUA_EXTEND_SCRIPT"),
        ("lua_reacquire", "LUA_REACQUIRE_SCRIPT"),
    ):
        script = getattr(Fresh, attr)
        assert script is getattr(lock, attr)
        assert script.sha == hashlib.sha1(getattr(Fresh, source).encode()).hexdigest()
        assert type(script).__name__ == "Script"
    first = Fresh.lua_release
    lock.register_scripts()
    r.lock("other", lock_class=Fresh)
    assert Fresh.lua_release is first


_COUNTING_RELEASE = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('incr', 'releases')
return redis.call('del', KEYS[1])
"""

_COUNTING_EXTEND = """
redis.call('incr', 'extends')
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1
"""


def test_a_subclass_script_is_the_one_run(redis_mod: ModuleType, r: Any) -> None:
    class Counting(_lock_module(redis_mod).Lock):  # type: ignore[misc]
        LUA_RELEASE_SCRIPT = _COUNTING_RELEASE
        LUA_EXTEND_SCRIPT = _COUNTING_EXTEND
        lua_release = None
        lua_extend = None

    lock = r.lock("res", timeout=10, lock_class=Counting)
    assert lock.acquire(blocking=False)
    assert lock.extend(20, replace_ttl=True) is True
    lock.release()
    with r.lock("res", timeout=5, lock_class=Counting):
        pass
    assert r.get("releases") == b"2"
    assert r.get("extends") == b"1"
    assert not r.exists("res")
    # the base class keeps its own scripts
    plain = r.lock("res", timeout=10)
    assert plain.acquire(blocking=False)
    plain.release()
    assert r.get("releases") == b"2"


# -- pools --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [({}, None), ({"protocol": 2}, 2), ({"protocol": 3}, 3)],
    ids=str,
)
def test_pool_get_protocol(
    make: Callable[..., Any], kwargs: dict[str, Any], expected: int | None
) -> None:
    assert make(**kwargs).connection_pool.get_protocol() == expected


def test_pool_get_connection_count(
    redis_mod: ModuleType, server: tuple[str, int]
) -> None:
    host, port = server
    pool = redis_mod.ConnectionPool(host=host, port=port)
    try:
        first = pool.get_connection()
        second = pool.get_connection()
        pool.release(second)
        counts = pool.get_connection_count()
        pool.release(first)
    finally:
        pool.disconnect()
    assert [n for n, _ in counts] == [1, 1]
    assert [a["db.client.connection.state"] for _, a in counts] == ["idle", "used"]
    for _, attributes in counts:
        assert attributes["db.system"] == "redis"
        assert attributes["db.client.connection.pool.name"].startswith(
            f"{host}:{port}_"
        )
        assert set(attributes) == {
            "db.system",
            "redis.client.library",
            "db.client.connection.pool.name",
            "db.client.connection.state",
        }


# -- PubSub facade -----------------------------------------------------------------


def test_pubsub_class_constants(redis_mod: ModuleType, r: Any) -> None:
    pubsub = r.pubsub()
    assert pubsub.PUBLISH_MESSAGE_TYPES == ("message", "pmessage", "smessage")
    assert pubsub.UNSUBSCRIBE_MESSAGE_TYPES == (
        "unsubscribe",
        "punsubscribe",
        "sunsubscribe",
    )
    assert redis_mod.client.PubSub.HEALTH_CHECK_MESSAGE == "redis-py-health-check"


def test_pubsub_attributes(make: Callable[..., Any]) -> None:
    client = make(decode_responses=True)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        assert pubsub.connection_pool is client.connection_pool
        assert pubsub.ignore_subscribe_messages is True
        assert pubsub.shard_hint is None
        assert pubsub.push_handler_func is None
        assert pubsub.encoder.decode_responses is True
        assert pubsub.encoder.encoding == "utf-8"
        assert pubsub.shard_channels == {}
        assert pubsub.pending_unsubscribe_channels == set()
        assert pubsub.pending_unsubscribe_patterns == set()
        assert pubsub.pending_unsubscribe_shard_channels == set()
        pubsub.subscribe("a", "b")
        pubsub.unsubscribe("a")
        # the confirmations are ignored (the attribute, not the argument)
        assert pubsub.get_message(timeout=0.5) is None
        pubsub.ignore_subscribe_messages = False
        pubsub.subscribe("c")
        message = pubsub.get_message(timeout=5)
        while message is None or message["channel"] != "c":
            message = pubsub.get_message(timeout=5)
        assert message["type"] == "subscribe"
        assert set(pubsub.channels) == {"b", "c"}
    finally:
        pubsub.close()


@pytest.mark.parametrize("decode", [False, True])
def test_pubsub_health_check_response(make: Callable[..., Any], decode: bool) -> None:
    import redis

    pubsub = make(decode_responses=decode).pubsub()
    oracle = redis.Redis(decode_responses=decode).pubsub()
    assert pubsub.health_check_response == oracle.health_check_response
    assert pubsub.health_check_response_b == oracle.health_check_response_b
    for response in (
        oracle.health_check_response,
        oracle.health_check_response_b,
        "redis-py-health-check",
        [b"pong", b"other"],
        ["pong", "redis-py-health-check"],
        b"PONG",
    ):
        assert pubsub.is_health_check_response(
            response
        ) == oracle.is_health_check_response(response), response


def test_pubsub_handle_message(r: Any) -> None:
    received: list[Any] = []
    pubsub = r.pubsub()
    try:
        pubsub.subscribe("ch", handled=received.append)
        pubsub.psubscribe("p*")
        results = [
            pubsub.handle_message([b"message", b"ch", b"data"]),
            pubsub.handle_message([b"pmessage", b"p*", b"pa", b"d"]),
            pubsub.handle_message([b"subscribe", b"ch", 1]),
            pubsub.handle_message([b"subscribe", b"ch", 1], True),
            pubsub.handle_message(b"hello"),
            pubsub.handle_message(b"PONG"),
            pubsub.handle_message([b"pong", b"redis-py-health-check"]),
            pubsub.handle_message(None),
            pubsub.handle_message([b"message", b"handled", b"x"]),
        ]
    finally:
        pubsub.close()
    assert results == [
        {"type": "message", "pattern": None, "channel": b"ch", "data": b"data"},
        {"type": "pmessage", "pattern": b"p*", "channel": b"pa", "data": b"d"},
        {"type": "subscribe", "pattern": None, "channel": b"ch", "data": 1},
        None,
        {"type": "pong", "pattern": None, "channel": None, "data": b"hello"},
        {"type": "pong", "pattern": None, "channel": None, "data": b""},
        # a health-check pong is dropped where replies are read, not here
        {
            "type": "pong",
            "pattern": None,
            "channel": None,
            "data": b"redis-py-health-check",
        },
        None,
        None,  # went to the handler
    ]
    assert received == [
        {"type": "message", "pattern": None, "channel": b"handled", "data": b"x"}
    ]


def test_pubsub_execute_command(r: Any) -> None:
    pubsub = r.pubsub()
    try:
        pubsub.subscribe("ch")
        assert pubsub.get_message(timeout=5)["type"] == "subscribe"
        pubsub.execute_command("PING", "hello")
        message = pubsub.get_message(timeout=5)
    finally:
        pubsub.close()
    assert message == {
        "type": "pong",
        "pattern": None,
        "channel": None,
        "data": b"hello",
    }


def _last_command(admin: Any, name: str, awaited: str) -> str:
    # The server handles the pub/sub connection's command on its own
    # schedule: look a few times for the one awaited.
    for _ in range(100):
        [entry] = [c for c in admin.client_list() if c["name"] == name]
        if entry["cmd"] == awaited:
            break
        time.sleep(0.02)
    return str(entry["cmd"])


def test_pubsub_check_health(make: Callable[..., Any], r: Any) -> None:
    with pytest.raises(RuntimeError) as info:
        r.pubsub().check_health()
    assert "did you forget to call subscribe() or psubscribe()?" in str(info.value)
    name = f"hc-{uuid.uuid4().hex[:8]}"
    client = make(health_check_interval=3600, client_name=name)
    pubsub = client.pubsub()
    try:
        pubsub.subscribe("hc")
        assert pubsub.get_message(timeout=5)["type"] == "subscribe"
        pubsub.connection.next_health_check = 0
        pubsub.check_health()
        assert _last_command(r, name, "ping") == "ping"
        r.publish("hc", "after")
        message = None
        for _ in range(3):  # the pong may give a None read, never a message
            message = pubsub.get_message(timeout=5)
            if message is not None:
                break
        assert message is not None and message["data"] == b"after"
    finally:
        pubsub.close()


# -- Pipeline facade ---------------------------------------------------------------


def test_pipeline_attributes(r: Any) -> None:
    pipe = r.pipeline(shard_hint="hint")
    assert pipe.UNWATCH_COMMANDS == {"DISCARD", "EXEC", "UNWATCH"}
    assert pipe.shard_hint == "hint"
    assert pipe.explicit_transaction is False
    assert pipe.scripts == set()
    pipe.watch("k")
    pipe.multi()
    assert pipe.explicit_transaction is True
    pipe.reset()
    assert pipe.explicit_transaction is False


def test_pipeline_immediate_and_queued_commands(r: Any) -> None:
    with r.pipeline() as pipe:
        assert pipe.immediate_execute_command("SET", "k", "1") is True
        assert r.get("k") == b"1"  # sent at once
        assert len(pipe) == 0
        pipe.watch("k")
        assert pipe.pipeline_execute_command("SET", "k", "2") is pipe
        assert len(pipe) == 1  # queued, though WATCHing
        assert r.get("k") == b"1"
        assert pipe.execute() == [True]
    assert r.get("k") == b"2"


def test_pipeline_load_scripts(r: Any) -> None:
    script = r.register_script(f"-- {uuid.uuid4()}\nreturn ARGV[1]")
    with r.pipeline() as pipe:
        script(args=["x"], client=pipe)
        assert [s.sha for s in pipe.scripts] == [script.sha]
        assert r.script_exists(script.sha) == [False]
        pipe.load_scripts()
        assert r.script_exists(script.sha) == [True]
        assert pipe.execute() == [b"x"]


def test_pipeline_annotate_exception_and_raise_first_error(
    redis_mod: ModuleType, r: Any
) -> None:
    error_class = redis_mod.exceptions.ResponseError
    pipe = r.pipeline()
    error = error_class("boom", 2)
    pipe.annotate_exception(error, 3, ("SET", b"k", 1))
    assert error.args == ("Command # 3 (SET k 1) of pipeline caused error: boom", 2)
    commands = [(("SET", "a", 1), {}), (("LPUSH", "a", 2), {})]
    pipe.raise_first_error(commands, [True, 1])
    with pytest.raises(error_class) as info:
        pipe.raise_first_error(commands, [True, error_class("WRONGTYPE x")])
    assert info.value.args == (
        "Command # 2 (LPUSH a 2) of pipeline caused error: WRONGTYPE x",
    )
