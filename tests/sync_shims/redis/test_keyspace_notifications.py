"""Blocking keyspace notifications, both ways: each test runs against redis-py's
``redis.keyspace_notifications`` and against ``sync_shims.redis``'s, and the
scenarios are compared (same writes, same :class:`KeyNotification` objects).

The shared Redis: database 13, ``notify-keyspace-events`` set and restored under
a lock (the cluster manager: test_keyspace_notifications_cluster.py).
Handlers run in the thread that reads: the caller of ``get_message``, or the
worker of ``run_in_thread`` (never the engine's loop thread).
"""

from __future__ import annotations

import dataclasses
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
import sync_shims.redis.keyspace_notifications as shim_ksn
from tests.plugins.fix_services import require_service
from tests.redis.test_keyspace_notifications import DB, notify_keyspace_events

MODULES = ["redis", "sync_shims.redis"]


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    host, port = require_service("redis")
    with notify_keyspace_events(host, port):
        yield host, port


@pytest.fixture
def prefix() -> str:
    return f"ksn:{uuid.uuid4().hex[:10]}:"


def ksn_module(mod: ModuleType) -> ModuleType:
    return importlib.import_module(f"{mod.__name__}.keyspace_notifications")


def ready(client: Any, ksn: Any, key: str) -> None:
    """SET ``key`` until its notification comes (the subscription is then in
    place), then drain what is left of it."""
    deadline = time.monotonic() + 10
    while True:
        assert time.monotonic() < deadline, "the subscription never took effect"
        client.set(key, "probe")
        n = ksn.get_message(timeout=0.3)
        if n is not None:
            break
    while ksn.get_message(timeout=0.2) is not None:
        pass
    client.delete(key)
    while ksn.get_message(timeout=0.2) is not None:
        pass


def collect(ksn: Any, count: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + 10
    while len(out) < count:
        assert time.monotonic() < deadline, out
        n = ksn.get_message(timeout=1)
        if n is not None:
            out.append(dataclasses.asdict(n))
    assert ksn.get_message(timeout=0.2) is None
    return out


def keyspace_scenario(mod: ModuleType, host: str, port: int, prefix: str) -> Any:
    client = mod.Redis(host=host, port=port, db=DB, decode_responses=True)
    ksn = ksn_module(mod).KeyspaceNotifications(client)
    try:
        ksn.subscribe(ksn_module(mod).KeyspaceChannel(f"{prefix}*", db=DB))
        ready(client, ksn, f"{prefix}probe")
        client.set(f"{prefix}a", "1")
        client.hset(f"{prefix}h", "f", "v")
        client.expire(f"{prefix}a", 100)
        client.delete(f"{prefix}a", f"{prefix}h")
        return collect(ksn, 5)
    finally:
        ksn.close()
        client.close()


def test_keyspace_notifications_as_redis_py(
    server: tuple[str, int], prefix: str
) -> None:
    ours = keyspace_scenario(shim, *server, prefix)
    assert ours == keyspace_scenario(redis, *server, prefix)
    assert [(n["key"], n["event_type"]) for n in ours] == [
        (f"{prefix}a", "set"),
        (f"{prefix}h", "hset"),
        (f"{prefix}a", "expire"),
        (f"{prefix}a", "del"),
        (f"{prefix}h", "del"),
    ]


@pytest.mark.parametrize("mod", MODULES)
def test_handlers_run_in_the_reading_thread(
    mod: str, server: tuple[str, int], prefix: str
) -> None:
    redis_mod = importlib.import_module(mod)
    client = redis_mod.Redis(host=server[0], port=server[1], db=DB)
    ksn = client.keyspace_notifications(key_prefix=prefix)
    assert isinstance(ksn, ksn_module(redis_mod).KeyspaceNotifications)
    seen: list[tuple[str, str, threading.Thread]] = []
    got_b = threading.Event()

    def handler(n: Any) -> None:
        seen.append((n.key, n.event_type, threading.current_thread()))
        if n.key == "b":
            got_b.set()

    ksn.subscribe_keyevent("set", db=DB, handler=handler)
    # In the caller's thread: get_message returns None for it.
    deadline = time.monotonic() + 10
    while not seen:
        assert time.monotonic() < deadline
        client.set(f"{prefix}a", "1")
        assert ksn.get_message(timeout=0.3) is None
    assert seen[0][:2] == ("a", "set")
    assert seen[0][2] is threading.current_thread()
    # In the worker's thread.
    thread = ksn.run_in_thread(poll_timeout=0.1, daemon=True)
    assert isinstance(thread, ksn_module(redis_mod).KeyspaceWorkerThread)
    client.set(f"{prefix}b", "1")
    assert got_b.wait(10)
    thread.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert ("b", "set", thread) in seen
    assert not ksn.subscribed  # the thread closed it
    client.delete(f"{prefix}a", f"{prefix}b")
    client.close()


@pytest.mark.parametrize("decode", [False, True])
@pytest.mark.parametrize("mod", MODULES)
def test_run_in_thread_needs_handlers(
    mod: str, decode: bool, server: tuple[str, int]
) -> None:
    redis_mod = importlib.import_module(mod)
    client = redis_mod.Redis(
        host=server[0], port=server[1], db=DB, decode_responses=decode
    )

    def shown(name: str) -> str:  # as redis-py's PubSub keys names
        return name if decode else repr(name.encode())

    with client.keyspace_notifications() as ksn:
        ksn.subscribe_keyspace("k*", db=DB, handler=lambda n: None)
        ksn.subscribe_keyevent("del", db=DB)
        with pytest.raises(redis_mod.RedisError) as info:
            ksn.run_in_thread(poll_timeout=0.1)
        channel = shown(f"__keyevent@{DB}__:del")
        assert str(info.value) == f"Channel '{channel}' has no handler registered"
    assert not ksn.subscribed
    with client.keyspace_notifications() as ksn:
        ksn.subscribe_keyspace("j*", db=DB)
        with pytest.raises(redis_mod.RedisError) as info:
            ksn.run_in_thread(poll_timeout=0.1)
        pattern = shown(f"__keyspace@{DB}__:j*")
        assert str(info.value) == f"Pattern '{pattern}' has no handler registered"
    client.close()


@pytest.mark.parametrize("mod", MODULES)
def test_listen_with_key_prefix(mod: str, server: tuple[str, int], prefix: str) -> None:
    redis_mod = importlib.import_module(mod)
    client = redis_mod.Redis(host=server[0], port=server[1], db=DB)
    ksn = client.keyspace_notifications(key_prefix=prefix.encode())
    channel = ksn_module(redis_mod).KeyeventChannel(
        ksn_module(redis_mod).EventType.SET, db=DB
    )
    ksn.subscribe(channel)
    ready(client, ksn, f"{prefix}probe")
    client.set(f"other:{prefix}", "x")
    client.set(f"{prefix}one", "1")
    client.set(f"{prefix}two", "2")
    keys = []
    for n in ksn.listen():
        keys.append(n.key)
        if len(keys) == 2:
            break
    assert keys == ["one", "two"]
    ksn.unsubscribe(channel)
    assert list(ksn.listen()) == []  # ends once nothing is subscribed
    ksn.close()
    client.delete(f"other:{prefix}", f"{prefix}one", f"{prefix}two")
    client.close()


@pytest.mark.parametrize("mod", MODULES)
def test_get_message_waits_for_a_subscription(
    mod: str, server: tuple[str, int], prefix: str
) -> None:
    redis_mod = importlib.import_module(mod)
    client = redis_mod.Redis(host=server[0], port=server[1], db=DB)
    ksn = client.keyspace_notifications()
    start = time.monotonic()
    assert ksn.get_message(timeout=0.2) is None
    assert time.monotonic() - start >= 0.15
    # A subscription made in another thread meanwhile is read.
    timer = threading.Timer(0.2, ksn.subscribe_keyspace, (f"{prefix}*",), {"db": DB})
    timer.start()
    start = time.monotonic()
    assert ksn.get_message(timeout=5) is None  # its confirmation
    assert 0.1 <= time.monotonic() - start < 4
    timer.join()
    assert ksn.subscribed
    ksn.close()
    assert ksn.get_message(timeout=1) is None and not ksn.subscribed
    client.close()


def test_malformed_notifications_are_skipped(
    server: tuple[str, int], prefix: str
) -> None:
    client = shim.Redis(host=server[0], port=server[1], db=DB)
    seen: list[list[str]] = []
    with client.keyspace_notifications() as ksn:
        ksn.subscribe_subkeyspace(
            f"{prefix}*", db=DB, handler=lambda n: seen.append(n.subkeys)
        )
        ksn.subscribe_subkeyevent("hdel", db=DB)
        ready_channel = f"__subkeyspace@{DB}__:{prefix}h"
        deadline = time.monotonic() + 10
        while not seen:
            assert time.monotonic() < deadline
            client.publish(ready_channel, "hset|-3:ab")  # bad: redis-py loops
            client.publish(ready_channel, "hset|1:f")
            assert ksn.get_message(timeout=0.3) is None
        client.publish(f"__subkeyevent@{DB}__:hdel", "9:short|")
        client.publish(f"__subkeyevent@{DB}__:hdel", "1:h|1:g")
        got = collect(ksn, 1)
    assert got[0]["key"] == "h" and got[0]["subkeys"] == ["g"]
    assert seen[0] == ["f"]
    client.close()


def test_names_as_redis_py() -> None:
    import redis.keyspace_notifications as theirs

    names = {
        name
        for name, value in vars(theirs).items()
        if not name.startswith("_")
        and getattr(value, "__module__", theirs.__name__) == theirs.__name__
        and not isinstance(value, ModuleType)
    } - {"annotations", "logger", "TYPE_CHECKING", "Any", "ClassVar", "Union"}
    missing = {name for name in names if not hasattr(shim_ksn, name)}
    assert missing == set()
    assert set(shim_ksn.__all__) >= names - {"TypeAlias"}
    for name in shim_ksn.__all__:
        assert hasattr(shim_ksn, name), name
    # The package re-exports what redis-py's does.
    top = {
        name
        for name in redis.__all__
        if getattr(getattr(redis, name), "__module__", "") == theirs.__name__
    }
    assert len(top) == 14
    for name in top:
        assert name in shim.__all__
        assert getattr(shim, name) is getattr(shim_ksn, name)
    assert shim.keyspace_notifications is shim_ksn


@pytest.mark.parametrize("mod", MODULES)
def test_run_in_thread_exception_handler_gets_every_error(
    mod: str, server: tuple[str, int], prefix: str
) -> None:
    # As redis-py: what a handler raises, SystemExit included, goes to the
    # exception handler with the manager and the thread, and the loop goes on.
    redis_mod = importlib.import_module(mod)
    client = redis_mod.Redis(host=server[0], port=server[1], db=DB)
    ksn = client.keyspace_notifications(key_prefix=prefix)
    probed, done = threading.Event(), threading.Event()

    def handler(n: Any) -> None:
        if n.key == "probe":
            probed.set()
        if n.key == "one":
            raise ValueError(n.key)
        if n.key == "two":
            raise SystemExit(2)
        if n.key == "three":
            done.set()

    errors: list[tuple[type[BaseException], bool, bool]] = []

    def on_error(exc: BaseException, notifications: Any, thread: Any) -> None:
        errors.append((type(exc), notifications is ksn, thread is worker))

    ksn.subscribe_keyevent("set", db=DB, handler=handler)
    deadline = time.monotonic() + 10
    while not probed.is_set():  # until the subscription is in place
        assert time.monotonic() < deadline, "the subscription never took effect"
        client.set(f"{prefix}probe", "1")
        assert ksn.get_message(timeout=0.3) is None
    worker = ksn.run_in_thread(
        poll_timeout=0.05, daemon=True, exception_handler=on_error
    )
    for key in ("one", "two", "three"):
        client.set(f"{prefix}{key}", "1")
    assert done.wait(10)
    worker.stop()
    worker.join(5)
    assert not worker.is_alive()
    assert errors == [(ValueError, True, True), (SystemExit, True, True)]
    assert not ksn.subscribed  # the stopped thread closed it
    client.delete(*(f"{prefix}{key}" for key in ("probe", "one", "two", "three")))
    client.close()
