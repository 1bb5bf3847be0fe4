"""Blocking cluster keyspace notifications on the private cluster, both ways:
``sync_shims.redis.cluster.RedisCluster.keyspace_notifications()`` against
redis-py's blocking ``ClusterKeyspaceNotifications`` (same notifications for keys
on every node), and handlers in the ``run_in_thread`` worker.
"""

from __future__ import annotations

import importlib
import threading
import time
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
import redis

import sync_shims.redis as shim
from tests.sync_shims.redis.test_keyspace_notifications import (
    collect,
    ksn_module,
    ready,
)


@pytest.fixture
def prefix() -> str:
    return f"ksn:{uuid.uuid4().hex[:10]}:"


@pytest.fixture
def cluster(redis_cluster: list[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    admins = [redis.Redis(host=h, port=p) for h, p in redis_cluster]
    old = [
        a.config_get("notify-keyspace-events")["notify-keyspace-events"] for a in admins
    ]
    for admin in admins:
        admin.config_set("notify-keyspace-events", "KEA")
    try:
        yield redis_cluster[0]
    finally:
        for admin, flags in zip(admins, old, strict=True):
            admin.config_set("notify-keyspace-events", flags or "")
            admin.close()


def cluster_scenario(mod: ModuleType, host: str, port: int, prefix: str) -> Any:
    cluster_mod = importlib.import_module(f"{mod.__name__}.cluster")
    rc = cluster_mod.RedisCluster(host=host, port=port, decode_responses=True)
    keys = [f"{prefix}{i}" for i in range(12)]
    assert len({rc.get_node_from_key(k).name for k in keys}) == 3
    ksn = rc.keyspace_notifications()
    assert isinstance(ksn, ksn_module(mod).ClusterKeyspaceNotifications)
    try:
        ksn.subscribe_keyspace(f"{prefix}*")
        for key in keys:  # every node subscribed before the writes
            ready(rc, ksn, key)
        for key in keys:
            rc.set(key, "v")
        got = sorted(collect(ksn, len(keys)), key=lambda n: n["key"])
        ksn.refresh_subscriptions()
        return got
    finally:
        ksn.close()
        rc.delete(*keys)
        rc.close()


def test_cluster_as_redis_py(cluster: tuple[str, int], prefix: str) -> None:
    ours = cluster_scenario(shim, *cluster, prefix)
    assert ours == cluster_scenario(redis, *cluster, prefix)
    assert [n["event_type"] for n in ours] == ["set"] * 12


def test_cluster_handlers_in_a_worker_thread(
    cluster: tuple[str, int], prefix: str
) -> None:
    rc = shim.RedisCluster(host=cluster[0], port=cluster[1])
    keys = [f"{prefix}{i}" for i in range(12)]
    seen: dict[str, threading.Thread] = {}
    done = threading.Event()

    def handler(n: Any) -> None:
        seen[n.key] = threading.current_thread()
        if all(k in seen for k in keys):
            done.set()

    ksn = rc.keyspace_notifications()
    ksn.subscribe_keyevent("set", handler=handler)
    thread = ksn.run_in_thread(poll_timeout=0.1, daemon=True)
    deadline = time.monotonic() + 10
    while not done.is_set():
        assert time.monotonic() < deadline
        for key in keys:
            if key not in seen:
                rc.set(key, "v")
        done.wait(0.3)
    thread.stop()
    thread.join(5)
    assert {seen[k] for k in keys} == {thread}
    assert not ksn.subscribed
    rc.delete(*keys)
    rc.close()
