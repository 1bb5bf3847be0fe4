"""Small parity follow-ups of the blocking facade against redis-py 8.1:

- ``RedisCluster`` takes ``maint_notifications_config`` and shows it as
  ``maint_notifications_config``, as redis-py's blocking cluster client; an
  ``SMIGRATED`` then re-reads the slot map (scripted RESP3 nodes served by a
  loop on a thread of their own);
- the ``lib_name``/``lib_version`` DeprecationWarning has redis-py's words
  (``'__init__'``) for ``Redis`` and ``RedisCluster``;
- a closed keyspace notifications manager reads nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import redis.cluster as redispy_cluster
import redis.exceptions as redispy_exc
import redis.maint_notifications as oracle_maint

import sync_shims.redis as shim
from sync_shims.redis.cluster import RedisCluster
from sync_shims.redis.exceptions import RedisError
from sync_shims.redis.maint_notifications import MaintNotificationsConfig
from tests.redis.maint_server import ScriptedServer
from tests.redis.test_parity_fixes_maint import MigratingCluster

Nodes = list[tuple[str, int]]


@contextlib.contextmanager
def deprecations() -> Iterator[list[str]]:
    """The texts of the DeprecationWarnings raised inside the block."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found: list[str] = []
        yield found
    found.extend(
        str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)
    )


# -- RedisCluster(maint_notifications_config=...) -----------------------------------


@contextlib.contextmanager
def migrating_cluster() -> Iterator[MigratingCluster]:
    """Two scripted RESP3 nodes (``a`` serves every slot until its first GET
    moves them to ``b`` with an SMIGRATED), served by a loop on a thread of
    their own, as the blocking clients need."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> MigratingCluster:
        a, b = ScriptedServer("127.0.0.1"), ScriptedServer("127.0.0.1")
        await a.start()
        await b.start()
        return MigratingCluster(a, b, leaves=True)

    cluster = asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    try:
        yield cluster
    finally:
        for server in (cluster.a, cluster.b):
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def _eventually(check: Callable[[], bool]) -> bool:
    # The refresh may run in a task of the engine's loop: give it a while.
    for _ in range(200):
        if check():
            return True
        time.sleep(0.01)
    return check()


def _migration_scenario(make: Any, **kwargs: Any) -> list[Any]:
    """GET (node a answers with an SMIGRATED ahead of the reply), whether the
    key's slot moved to b, then GET again."""
    with migrating_cluster() as cluster:
        client = make(host="127.0.0.1", port=cluster.a.port, protocol=3, **kwargs)
        try:
            config = client.maint_notifications_config
            first = client.get("k")
            refreshed = _eventually(
                lambda: client.get_node_from_key("k").port == cluster.b.port
            )
            second = client.get("k")
            return [
                None if config is None else config.enabled,
                first,
                refreshed,
                second,
            ]
        finally:
            client.close()


def test_smigrated_refreshes_the_map_as_redis_pys_blocking_cluster() -> None:
    theirs = _migration_scenario(redispy_cluster.RedisCluster)
    ours = _migration_scenario(RedisCluster)
    assert theirs == ["auto", b"a", True, b"b"]
    assert ours == theirs


def test_maint_notifications_off_is_passed_through() -> None:
    # Off: the SMIGRATED is not acted on, and the scripted node a (which
    # sends no MOVED) answers the second GET too.
    theirs = _migration_scenario(
        redispy_cluster.RedisCluster,
        maint_notifications_config=oracle_maint.MaintNotificationsConfig(enabled=False),
    )
    config = MaintNotificationsConfig(enabled=False)
    with migrating_cluster() as cluster:
        client = RedisCluster(
            host="127.0.0.1",
            port=cluster.a.port,
            protocol=3,
            maint_notifications_config=config,
        )
        try:
            # The very object given, as redis-py's.
            assert client.maint_notifications_config is config
            assert client._async._oss_cluster_maint_notifications_handler is None
        finally:
            client.close()
    ours = _migration_scenario(RedisCluster, maint_notifications_config=config)
    assert theirs == [False, b"a", False, b"a"]
    assert ours == theirs


def test_resp2_cluster_has_no_configuration(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    with (
        RedisCluster(host=host, port=port, protocol=2) as ours,
        redispy_cluster.RedisCluster(host=host, port=port, protocol=2) as theirs,
    ):
        assert ours.maint_notifications_config is None
        assert theirs.maint_notifications_config is None


def test_resp2_cluster_asked_for_notifications_is_refused() -> None:
    with pytest.raises(RedisError) as got:
        _ = RedisCluster(
            host="127.0.0.1",
            port=1,
            protocol=2,
            maint_notifications_config=MaintNotificationsConfig(enabled=True),
        )
    with pytest.raises(redispy_exc.RedisError) as expected:
        _ = redispy_cluster.RedisCluster(
            host="127.0.0.1",
            port=1,
            protocol=2,
            maint_notifications_config=oracle_maint.MaintNotificationsConfig(
                enabled=True
            ),
        )
    assert str(got.value) == str(expected.value)


# -- the lib_* deprecation warning --------------------------------------------------


@pytest.mark.parametrize(
    "kwargs", [{"lib_name": "x"}, {"lib_name": "x", "lib_version": "1.0"}]
)
def test_client_warning_is_redis_pys(kwargs: dict[str, Any]) -> None:
    with deprecations() as theirs:
        redis.Redis(**kwargs).close()
    with deprecations() as ours:
        shim.Redis(**kwargs).close()
    assert ours == theirs
    assert len(ours) == len(kwargs)


def test_cluster_warning_is_redis_pys(redis_cluster: Nodes) -> None:
    # redis-py's blocking cluster passes lib_name to each node's client, which
    # warns (so once per node it makes); ours warns once, with the same words.
    host, port = redis_cluster[0]
    with deprecations() as theirs:
        redispy_cluster.RedisCluster(host=host, port=port, lib_name="x").close()
    with deprecations() as ours:
        RedisCluster(host=host, port=port, lib_name="x").close()
    assert len(ours) == 1
    assert set(ours) == set(theirs)
    assert "Call to '__init__' function" in ours[0]


# -- keyspace notifications ---------------------------------------------------------


def test_a_closed_keyspace_manager_reads_nothing() -> None:
    client = shim.Redis(host="127.0.0.1", port=1)
    manager = client.keyspace_notifications()
    manager.close()
    assert manager._core._is_closed
    assert not manager.subscribed
    # Open, it would wait that long for a subscription.
    assert manager.get_message(timeout=30.0) is None
    client.close()
