"""Behaviour found by redis-py's own suite, checked both ways (redis-py and facade)."""

from __future__ import annotations

import datetime
from types import ModuleType
from typing import Any

import pytest
from redis.typing import Subscription


@pytest.mark.parametrize("ex", [10.0, 1.5, "10.5", "ten"])
def test_set_refuses_a_float_or_non_digit_ex(
    redis_mod: ModuleType, r: Any, ex: Any
) -> None:
    with pytest.raises(redis_mod.DataError):
        r.set("k", "v", ex=ex)
    assert r.get("k") is None  # refused before sending


def test_set_px_float_is_refused(redis_mod: ModuleType, r: Any) -> None:
    with pytest.raises(redis_mod.DataError):
        r.set("k", "v", px=1.5)
    with pytest.raises(redis_mod.DataError):
        r.getex("k", ex=2.5)


@pytest.mark.parametrize("ex", ["10", 10, datetime.timedelta(seconds=10)])
def test_set_accepts_int_digit_string_and_timedelta(r: Any, ex: Any) -> None:
    assert r.set("k", "v", ex=ex)
    assert r.ttl("k") == 10


def test_get_encoder_encodes_like_redis_py(redis_mod: ModuleType, r: Any) -> None:
    encoder = r.get_encoder()
    assert encoder.encode("é") == "é".encode()
    assert encoder.encode(b"\x80") == b"\x80"
    assert encoder.encode(12) == b"12"
    assert encoder.encode(1.5) == b"1.5"
    assert encoder.decode(b"x") == b"x"
    assert encoder.decode(b"x", force=True) == "x"
    for bad in (True, None, object()):
        with pytest.raises(redis_mod.DataError):
            encoder.encode(bad)
    pool_encoder = r.connection_pool.get_encoder()
    assert (pool_encoder.encoding, pool_encoder.decode_responses) == ("utf-8", False)


def test_subscription_object_with_binary_channel(r: Any) -> None:
    seen: list[dict[str, Any]] = []
    p = r.pubsub(ignore_subscribe_messages=True)
    channel = b"\x80\x81\x82"
    p.subscribe(Subscription(channel, seen.append))
    assert p.get_message(timeout=1) is None
    assert r.publish(channel, b"hi") == 1
    assert p.get_message(timeout=1) is None  # went to the handler
    assert seen == [
        {"type": "message", "pattern": None, "channel": channel, "data": b"hi"}
    ]
    p.subscribe("plain")  # a plain name next to it: no handler
    assert p.get_message(timeout=1) is None
    assert r.publish("plain", b"yo") == 1
    message = p.get_message(timeout=1)
    assert message is not None and message["data"] == b"yo"
    p.close()


def test_response_callbacks_any_case_and_settable(r: Any) -> None:
    assert r.response_callbacks["ping"] is r.response_callbacks["PING"]
    assert "ping" in r.response_callbacks
    r.set_response_callback("GET", lambda reply, **options: "static")
    r["a"] = "foo"
    assert r["a"] == "static"


def test_command_table_and_getkeysandflags(r: Any) -> None:
    table = r.command()
    assert len(table) >= 100
    assert table["get"]["arity"] == 2
    assert "readonly" in table["get"]["flags"]
    keys = r.command_getkeysandflags("LMOVE", "l1", "l2", "left", "left")
    assert [key for key, _flags in keys] == [b"l1", b"l2"]


def _commands_until(monitor: Any, marker: str) -> list[str]:
    """Commands seen on db 11 until the GET of ``marker`` (sent by the caller)."""
    seen: list[str] = []
    while True:
        event = monitor.next_command()
        if int(event["db"]) != 11:
            continue  # another suite on the shared server
        if marker in event["command"]:
            return seen
        seen.append(event["command"])


def test_exec_unwatches_so_no_unwatch_is_sent(r: Any) -> None:
    r.mset({"a": 1, "b": 2})
    with r.monitor() as monitor:
        with r.pipeline() as pipe:
            pipe.watch("a", "b")
            assert pipe.watching
            assert pipe.get("a") == b"1"
            pipe.multi()
            pipe.set("c", 3)
            assert pipe.execute() == [True]
            assert not pipe.watching
        r.get("__unwatch_marker__")
        seen = _commands_until(monitor, "__unwatch_marker__")
    assert any(command.startswith("EXEC") for command in seen)
    assert not any(command.startswith("UNWATCH") for command in seen)


def test_reset_while_watching_still_unwatches(r: Any) -> None:
    with r.monitor() as monitor:
        with r.pipeline() as pipe:
            pipe.watch("a")
        r.get("__unwatch_marker__")
        seen = _commands_until(monitor, "__unwatch_marker__")
    assert any(command.startswith("UNWATCH") for command in seen)


def test_pipeline_error_message_is_shortened_like_redis_py(
    redis_mod: ModuleType, r: Any
) -> None:
    key = "k" * 50
    r[key] = 1
    with r.pipeline(transaction=False) as pipe:
        pipe.hset(key, mapping={"field_a": "a" * 20, "field_b": "b" * 20})
        with pytest.raises(redis_mod.ResponseError) as info:
            pipe.execute()
    expected = f"Command # 1 (HSET {key} field_a {'a' * 20} field_b...) of pipeline"
    assert str(info.value).startswith(expected)
    with r.pipeline(transaction=False) as pipe:
        pipe.hset(key, b"f\xc3\xa9", b"v")
        with pytest.raises(redis_mod.ResponseError) as info:
            pipe.execute()
    assert str(info.value).startswith(f"Command # 1 (HSET {key} fé v) of pipeline")


@pytest.mark.parametrize("sharded", [False, True])
def test_resp3_push_handler_gets_every_push(make: Any, sharded: bool) -> None:
    seen: list[Any] = []
    r = make(protocol=3)
    p = r.pubsub(push_handler_func=seen.append)
    read = p.get_sharded_message if sharded else p.get_message

    def read_until(count: int) -> None:
        for _ in range(10):
            if len(seen) >= count:
                return
            assert read(timeout=5) is None  # consumed by the handler
        raise AssertionError(f"the handler got {seen!r}")

    (p.ssubscribe if sharded else p.subscribe)("push-chan")
    read_until(1)
    assert (r.spublish if sharded else r.publish)("push-chan", "hi") == 1
    read_until(2)
    p.close()
    prefix = b"s" if sharded else b""
    assert seen == [
        [prefix + b"subscribe", b"push-chan", 1],
        [prefix + b"message", b"push-chan", b"hi"],
    ]
