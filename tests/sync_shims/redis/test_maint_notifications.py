"""Maintenance notifications through the blocking facade, both ways (redis-py and
``sync_shims.redis``): the real Redis 7.0 refuses them ("auto" goes on, True
fails), and a MOVING pushed by a scripted server re-points the client to a
second one. The core's behaviour in detail: ``tests/redis/test_maint_notifications*.py``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.redis.maint_server import (
    ScriptedServer,
    push,
    reply_after,
    same_port_pair_in_thread,
)


def _maint(redis_mod: ModuleType) -> ModuleType:
    return importlib.import_module(redis_mod.__name__ + ".maint_notifications")


def test_the_module_has_redis_py_names(redis_mod: ModuleType) -> None:
    import redis.maint_notifications as oracle

    names = {
        "EndpointType",
        "MaintNotificationsConfig",
        "MaintNotificationsConnectionHandler",
        "MaintNotificationsPoolHandler",
        "MaintenanceNotification",
        "MaintenanceState",
        "NodeFailedOverNotification",
        "NodeFailingOverNotification",
        "NodeMigratedNotification",
        "NodeMigratingNotification",
        "NodeMovingNotification",
        "OSSNodeMigratedNotification",
        "OSSNodeMigratingNotification",
    }
    assert names <= set(dir(oracle))
    assert names <= set(dir(_maint(redis_mod)))


def test_real_redis_auto_goes_on_and_true_fails(
    redis_mod: ModuleType, make: Callable[..., Any]
) -> None:
    client = make()
    assert client.ping() is True
    assert client.connection_pool.maint_notifications_enabled() == "auto"
    config = _maint(redis_mod).MaintNotificationsConfig(enabled=True)
    strict = make(maint_notifications_config=config, retry=None)
    with pytest.raises(redis_mod.ResponseError, match="MAINT_NOTIFICATIONS"):
        strict.ping()
    assert make(protocol=2).connection_pool.maint_notifications_enabled() is None


def _scripts(old: ScriptedServer, new: ScriptedServer) -> None:
    moving = push("MOVING", 1, 30, f"::1:{new.port}")
    old.scripts[b"GET"] = reply_after(moving, delay=0, reply=b"$3\r\nold\r\n")
    new.scripts[b"GET"] = reply_after(delay=0, reply=b"$3\r\nnew\r\n")


def test_moving_reaches_the_new_node(redis_mod: ModuleType) -> None:
    with same_port_pair_in_thread(_scripts) as (old, new):
        client = redis_mod.Redis(host="127.0.0.1", port=old.port)
        try:
            assert client.get("k") == b"old"
            assert client.connection_pool.connection_kwargs["host"] == "::1"
            assert client.get("k") == b"new"
            assert client.get("k") == b"new"
        finally:
            client.connection_pool.disconnect()
            client.close()
        assert new.sent(b"GET") == [[b"GET", b"k"]] * 2
