"""redis-py's instance members on the blocking facade, each test run against
redis-py itself and against ``sync_shims.redis``: ``cluster()``, the warning
``watch()``/``unwatch()`` of a client, the Lock's script attributes, the
pools' ``get_protocol()``/``get_connection_count()``."""

from __future__ import annotations

import hashlib
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
