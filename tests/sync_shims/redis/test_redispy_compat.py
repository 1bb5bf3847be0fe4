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
