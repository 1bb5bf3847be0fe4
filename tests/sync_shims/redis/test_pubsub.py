"""Pub/sub: get_message with timeouts, listen(), handlers, run_in_thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest


def _next_message(p: Any) -> dict[str, Any]:
    message: dict[str, Any] | None = p.get_message(timeout=5)
    assert message is not None
    return message


def test_subscribe_get_message(r: Any, make: Callable[..., Any]) -> None:
    p = r.pubsub()
    p.subscribe("news")
    assert _next_message(p) == {
        "type": "subscribe",
        "pattern": None,
        "channel": b"news",
        "data": 1,
    }
    assert p.get_message(timeout=0.05) is None  # nothing published yet
    assert make().publish("news", "hello") == 1
    assert _next_message(p) == {
        "type": "message",
        "pattern": None,
        "channel": b"news",
        "data": b"hello",
    }
    p.unsubscribe("news")
    assert _next_message(p)["type"] == "unsubscribe"
    p.close()


def test_psubscribe_and_ignore_subscribe_messages(r: Any) -> None:
    p = r.pubsub(ignore_subscribe_messages=True)
    p.psubscribe("ev.*")
    assert p.get_message(timeout=0.2) is None  # the confirmation is dropped
    r.publish("ev.one", "1")
    message = _next_message(p)
    assert message["type"] == "pmessage"
    assert message["pattern"] == b"ev.*"
    assert message["channel"] == b"ev.one"
    assert message["data"] == b"1"
    p.close()


def test_listen_iterates_until_unsubscribed(r: Any, make: Callable[..., Any]) -> None:
    publisher = make()
    p = r.pubsub()
    p.subscribe("chan")
    received: list[Any] = []
    for message in p.listen():
        received.append((message["type"], message["data"]))
        if message["type"] == "subscribe":
            publisher.publish("chan", "a")
            publisher.publish("chan", "b")
        elif message["data"] == b"b":
            p.unsubscribe("chan")
    assert received == [
        ("subscribe", 1),
        ("message", b"a"),
        ("message", b"b"),
        ("unsubscribe", 0),
    ]
    p.close()


def test_handlers_run_in_reading_thread(r: Any) -> None:
    p = r.pubsub()
    seen: list[tuple[bytes, int]] = []
    p.subscribe(alerts=lambda m: seen.append((m["data"], threading.get_ident())))
    _next_message(p)
    r.publish("alerts", "x")
    assert p.get_message(timeout=5) is None  # handled, not returned
    assert seen == [(b"x", threading.get_ident())]
    p.close()


def test_run_in_thread(r: Any, make: Callable[..., Any]) -> None:
    p = r.pubsub()
    got = threading.Event()
    messages: list[Any] = []

    def handler(message: dict[str, Any]) -> None:
        messages.append(message["data"])
        got.set()

    p.subscribe(**{"work": handler})
    thread = p.run_in_thread(sleep_time=0.01, daemon=True)
    make().publish("work", "job-1")
    assert got.wait(5)
    thread.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert messages == [b"job-1"]


def test_run_in_thread_needs_handlers(redis_mod: ModuleType, r: Any) -> None:
    p = r.pubsub()
    p.subscribe("nohandler")
    with pytest.raises(redis_mod.exceptions.PubSubError):
        p.run_in_thread()
    p.close()


def test_decoded_pubsub(make: Callable[..., Any]) -> None:
    r = make(decode_responses=True)
    p = r.pubsub()
    seen: list[str] = []
    p.subscribe(**{"txt": lambda m: seen.append(m["data"])})
    p.get_message(timeout=5)
    r.publish("txt", "héllo")
    p.get_message(timeout=5)
    assert seen == ["héllo"]
    p.close()


def test_resubscribes_after_connection_loss(r: Any, make: Callable[..., Any]) -> None:
    p = r.pubsub()
    p.subscribe("a")
    p.psubscribe("b.*")
    assert {_next_message(p)["type"] for _ in range(2)} == {"subscribe", "psubscribe"}
    p.connection.disconnect()
    again = [_next_message(p) for _ in range(2)]  # reconnected, subscribed again
    assert {m["type"] for m in again} == {"subscribe", "psubscribe"}
    make().publish("a", "after")
    assert _next_message(p)["data"] == b"after"
    p.close()


def test_run_in_thread_exception_handler_gets_every_error(
    r: Any, make: Callable[..., Any]
) -> None:
    # As redis-py: what a handler raises, SystemExit included, goes to the
    # exception handler with the pub/sub and the thread, and the loop goes on.
    p = r.pubsub()
    done = threading.Event()

    def handler(message: dict[str, Any]) -> None:
        if message["data"] == b"1":
            raise ValueError("one")
        if message["data"] == b"2":
            raise SystemExit(2)
        done.set()

    errors: list[tuple[type[BaseException], bool, bool]] = []

    def on_error(exc: BaseException, pubsub: Any, thread: Any) -> None:
        errors.append((type(exc), pubsub is p, thread is worker))

    p.subscribe(work=handler)
    assert _next_message(p)["type"] == "subscribe"
    worker = p.run_in_thread(sleep_time=0.01, daemon=True, exception_handler=on_error)
    publisher = make()
    for data in ("1", "2", "3"):
        publisher.publish("work", data)
    assert done.wait(5)
    worker.stop()
    worker.join(5)
    assert not worker.is_alive()
    assert errors == [(ValueError, True, True), (SystemExit, True, True)]
    assert not p.subscribed  # the stopped thread closed it


def test_run_in_thread_error_without_handler_ends_thread(
    r: Any, make: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The error leaves run(): the thread ends without closing the pub/sub.
    raised: list[type[BaseException]] = []
    monkeypatch.setattr(
        threading, "excepthook", lambda args: raised.append(args.exc_type)
    )
    p = r.pubsub()

    def handler(message: dict[str, Any]) -> None:
        raise ValueError(message["data"])

    p.subscribe(work=handler)
    assert _next_message(p)["type"] == "subscribe"
    worker = p.run_in_thread(sleep_time=0.01, daemon=True)
    make().publish("work", "boom")
    worker.join(5)
    assert not worker.is_alive()
    assert raised == [ValueError]
    assert p.subscribed
    p.close()


def test_run_in_thread_sharded_and_other_pubsub(
    r: Any, make: Callable[..., Any]
) -> None:
    got: list[bytes] = []
    done = threading.Event()

    def handler(message: dict[str, Any]) -> None:
        got.append(message["data"])
        done.set()

    p = r.pubsub()
    p.ssubscribe(shard=handler)
    assert p.get_sharded_message(timeout=5)["type"] == "ssubscribe"
    starter = r.pubsub()  # reads p, with no subscription of its own
    worker = starter.run_in_thread(
        sleep_time=0.01, daemon=True, pubsub=p, sharded_pubsub=True
    )
    assert worker.pubsub is p
    assert worker.sharded_pubsub is True
    assert worker.sleep_time == 0.01
    make().spublish("shard", "s1")
    assert done.wait(5)
    worker.stop()
    worker.join(5)
    assert not worker.is_alive()
    assert got == [b"s1"]
    starter.close()


@pytest.mark.parametrize(
    ("kind", "name", "shown"),
    [
        ("subscribe", "c", "Channel: 'b'c''"),
        ("psubscribe", "p*", "Pattern: 'b'p*''"),
        ("ssubscribe", "s", "Shard Channel: 'b's''"),
    ],
)
def test_run_in_thread_names_the_subscription_without_handler(
    redis_mod: ModuleType, r: Any, kind: str, name: str, shown: str
) -> None:
    p = r.pubsub()
    getattr(p, kind)(name)
    with pytest.raises(redis_mod.exceptions.PubSubError) as info:
        p.run_in_thread()
    assert str(info.value) == f"{shown} has no handler registered"
    p.close()
