"""Pipelines, MULTI/EXEC, WATCH conflicts and ``transaction()``, redis-py style."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest


def test_pipeline_chains_and_executes(r: Any) -> None:
    pipe = r.pipeline(transaction=False)
    assert pipe.set("a", 1).incr("a").get("a") is pipe
    assert len(pipe) == 3
    assert pipe.execute() == [True, 2, b"2"]
    assert len(pipe) == 0
    assert pipe.execute() == []


def test_transaction_pipeline_context_manager(r: Any) -> None:
    with r.pipeline() as pipe:
        pipe.rpush("l", "a", "b")
        pipe.lrange("l", 0, -1)
        pipe.hset("h", mapping={"f": "v"})
        pipe.hgetall("h")
        assert pipe.execute() == [2, [b"a", b"b"], 1, {b"f": b"v"}]


def test_pipeline_errors(redis_mod: ModuleType, r: Any) -> None:
    r.set("s", "v")
    with r.pipeline(transaction=False) as pipe:
        pipe.set("x", 1).lpush("s", 1).get("x")
        replies = pipe.execute(raise_on_error=False)
    assert replies[0] is True
    assert isinstance(replies[1], redis_mod.ResponseError)
    assert replies[2] == b"1"
    with r.pipeline() as pipe:
        pipe.set("y", 1).lpush("s", 1)
        with pytest.raises(redis_mod.ResponseError, match="WRONGTYPE"):
            pipe.execute()


def test_watch_conflict_raises_watch_error(
    redis_mod: ModuleType, r: Any, make: Callable[..., Any]
) -> None:
    other = make()
    r.set("balance", 10)
    with r.pipeline() as pipe:
        pipe.watch("balance")
        value = int(pipe.get("balance"))  # immediate mode
        assert value == 10
        other.set("balance", 99)  # someone else changes it
        pipe.multi()
        pipe.set("balance", value + 1)
        with pytest.raises(redis_mod.WatchError):
            pipe.execute()
    assert r.get("balance") == b"99"
    with r.pipeline() as pipe:  # without a conflict it goes through
        pipe.watch("balance")
        value = int(pipe.get("balance"))
        pipe.multi()
        pipe.set("balance", value + 1)
        assert pipe.execute() == [True]
    assert r.get("balance") == b"100"


def test_unwatch(r: Any, make: Callable[..., Any]) -> None:
    other = make()
    with r.pipeline() as pipe:
        pipe.watch("k")
        assert pipe.unwatch() is True
        other.set("k", 1)
        pipe.multi()
        pipe.get("k")
        assert pipe.execute() == [b"1"]


def test_transaction_helper_retries(r: Any, make: Callable[..., Any]) -> None:
    other = make()
    r.set("counter", 1)
    calls = []

    def increment(pipe: Any) -> int:
        current = int(pipe.get("counter"))
        calls.append(current)
        if len(calls) == 1:
            other.set("counter", 5)  # forces one retry
        pipe.multi()
        pipe.set("counter", current + 1)
        return current

    result = r.transaction(increment, "counter")
    assert result == [True]
    assert calls == [1, 5]
    assert r.get("counter") == b"6"
    value = r.transaction(increment, "counter", value_from_callable=True)
    assert value == 6


def test_script_in_pipeline(r: Any) -> None:
    source = f"-- {uuid.uuid4()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])"
    script = r.register_script(source)  # unknown to the server: execute loads it
    with r.pipeline() as pipe:
        pipe.set("n", 1)
        script(keys=["n"], args=[41], client=pipe)
        assert pipe.execute() == [True, 42]
