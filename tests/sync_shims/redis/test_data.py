"""Data-type basics, scans, decoding, URLs and errors, in plain redis-py style.

Every test runs twice: against redis-py and against ``sync_shims.redis``.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import redis.backoff
import redis.retry  # noqa: F401

from tests.sync_shims.redis.conftest import DB


def test_strings_and_keys(r: Any) -> None:
    assert r.set("s", "v") is True
    assert r.get("s") == b"v"
    assert r.set("s", "w", nx=True) is None
    assert r.set("s", "w", xx=True, get=True) == b"v"
    assert r.mset({"a": 1, "b": 2}) is True
    assert r.mget("a", "b", "nope") == [b"1", b"2", None]
    assert r.incr("a") == 2
    assert r.incrby("a", 5) == 7
    assert r.incrbyfloat("a", 0.5) == 7.5
    assert r.append("s", "x") == 2
    assert r.strlen("s") == 2
    assert r.exists("a", "b", "nope") == 2
    assert r.expire("a", 100) is True
    assert 0 < r.ttl("a") <= 100
    assert r.persist("a") is True
    assert r.ttl("a") == -1
    assert r.type("a") == b"string"
    assert r.rename("a", "c") is True
    assert sorted(r.keys("*")) == [b"b", b"c", b"s"]
    assert r.delete("b", "c", "nope") == 2
    assert r.get("nope") is None


def test_lists(r: Any) -> None:
    assert r.rpush("l", 1, 2, 3) == 3
    assert r.lpush("l", 0) == 4
    assert r.lrange("l", 0, -1) == [b"0", b"1", b"2", b"3"]
    assert r.lpop("l") == b"0"
    assert r.rpop("l", 2) == [b"3", b"2"]
    assert r.llen("l") == 1
    assert r.blpop(["l"], timeout=1) == (b"l", b"1")
    assert r.blpop("l", timeout=0.05) is None


def test_hashes(r: Any) -> None:
    assert r.hset("h", mapping={"f1": "a", "f2": 2}) == 2
    assert r.hset("h", "f3", "c") == 1
    assert r.hget("h", "f1") == b"a"
    assert r.hgetall("h") == {b"f1": b"a", b"f2": b"2", b"f3": b"c"}
    assert r.hincrby("h", "f2", 3) == 5
    assert sorted(r.hkeys("h")) == [b"f1", b"f2", b"f3"]
    assert r.hdel("h", "f1", "nope") == 1
    assert not r.hexists("h", "f1")
    assert r.hlen("h") == 2
    assert dict(r.hscan_iter("h")) == {b"f2": b"5", b"f3": b"c"}


def test_sets_and_sorted_sets(r: Any) -> None:
    assert r.sadd("s1", "a", "b", "c") == 3
    assert r.sadd("s2", "b", "c", "d") == 3
    assert r.sinter("s1", "s2") == {b"b", b"c"}
    assert r.sunion(["s1", "s2"]) == {b"a", b"b", b"c", b"d"}
    assert r.sismember("s1", "a") == 1
    assert sorted(r.sscan_iter("s1")) == [b"a", b"b", b"c"]
    assert r.zadd("z", {"a": 1, "b": 2.5, "c": 3}) == 3
    assert r.zrange("z", 0, -1, withscores=True) == [
        (b"a", 1.0),
        (b"b", 2.5),
        (b"c", 3.0),
    ]
    assert r.zscore("z", "b") == 2.5
    assert r.zincrby("z", 1, "a") == 2.0
    assert r.zrangebyscore("z", 2, 3) == [b"a", b"b", b"c"]
    assert r.zrevrank("z", "c") == 0
    assert sorted(r.zscan_iter("z")) == [(b"a", 2.0), (b"b", 2.5), (b"c", 3.0)]


def test_streams(r: Any) -> None:
    first = r.xadd("st", {"k": "v1"})
    r.xadd("st", {"k": "v2"})
    assert r.xlen("st") == 2
    entries = r.xrange("st")
    assert [fields for _, fields in entries] == [{b"k": b"v1"}, {b"k": b"v2"}]
    assert entries[0][0] == first
    assert r.xgroup_create("st", "g", id="0") is True
    read = r.xreadgroup("g", "c1", {"st": ">"}, count=1)
    assert read[0][0] == b"st"
    assert read[0][1][0][1] == {b"k": b"v1"}
    assert r.xack("st", "g", first) == 1


def test_scan_iter_sees_every_key(r: Any) -> None:
    r.mset({f"key:{i}": i for i in range(250)})
    r.set("other", 1)
    found = set(r.scan_iter(match="key:*", count=50))
    assert found == {f"key:{i}".encode() for i in range(250)}
    assert sum(1 for _ in r.scan_iter()) == 251


def test_decode_responses(make: Callable[..., Any]) -> None:
    r = make(decode_responses=True)
    r.flushdb()
    r.set("k", "välue")
    r.hset("h", "f", "x")
    assert r.get("k") == "välue"
    assert r.hgetall("h") == {"f": "x"}
    assert sorted(r.scan_iter()) == ["h", "k"]
    r.flushdb()


def test_from_url_variants(
    redis_mod: ModuleType, server: tuple[str, int], db_lock: None
) -> None:
    host, port = server
    for client in (
        redis_mod.from_url(f"redis://{host}:{port}/{DB}"),
        redis_mod.Redis.from_url(f"redis://{host}:{port}?db={DB}"),
        redis_mod.StrictRedis.from_url(
            f"redis://{host}:{port}/{DB}", decode_responses=True
        ),
        redis_mod.Redis(
            connection_pool=redis_mod.ConnectionPool.from_url(
                f"redis://{host}:{port}/{DB}"
            )
        ),
    ):
        with client:
            client.set("url", "ok")
            assert client.get("url") in (b"ok", "ok")
            assert client.connection_pool.connection_kwargs["db"] in (DB, str(DB))
            client.delete("url")


def test_pools(redis_mod: ModuleType, server: tuple[str, int], db_lock: None) -> None:
    host, port = server
    for pool in (
        redis_mod.ConnectionPool(host=host, port=port, db=DB, max_connections=4),
        redis_mod.BlockingConnectionPool(
            host=host, port=port, db=DB, max_connections=2, timeout=5
        ),
    ):
        a = redis_mod.Redis(connection_pool=pool)
        b = redis_mod.Redis(connection_pool=pool)
        a.set("shared", "1")
        assert b.get("shared") == b"1"
        b.delete("shared")
        pool.disconnect()


def test_wrongtype_is_response_error(redis_mod: ModuleType, r: Any) -> None:
    r.set("s", "v")
    with pytest.raises(redis_mod.ResponseError, match="WRONGTYPE"):
        r.lpush("s", 1)
    with pytest.raises(redis_mod.exceptions.ResponseError):
        r.execute_command("NOSUCHCOMMAND")


def test_data_error_before_sending(redis_mod: ModuleType, r: Any) -> None:
    with pytest.raises(redis_mod.DataError):
        r.set("k", "v", ex=1, px=1)


def test_connection_refused(redis_mod: ModuleType) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    no_retry = redis_mod.retry.Retry(redis_mod.backoff.NoBackoff(), 0)
    client = redis_mod.Redis(
        host="127.0.0.1", port=port, socket_connect_timeout=2, retry=no_retry
    )
    with pytest.raises(redis_mod.ConnectionError):
        client.ping()
    with pytest.raises(redis_mod.exceptions.ConnectionError):
        client.get("k")
    client.close()


def test_wrong_password(
    redis_mod: ModuleType, private_redis_server: Callable[..., Any]
) -> None:
    server = private_redis_server("--requirepass", "s3cret")
    bad = redis_mod.Redis(host="127.0.0.1", port=server.port, password="wrong")
    with pytest.raises(redis_mod.AuthenticationError):
        bad.ping()
    bad.close()
    good = redis_mod.Redis(host="127.0.0.1", port=server.port, password="s3cret")
    assert good.ping() is True
    good.close()


def test_client_as_mapping(r: Any) -> None:
    r["k"] = "v"
    assert r["k"] == b"v"
    assert "k" in r
    del r["k"]
    assert "k" not in r
    with pytest.raises(KeyError):
        r["k"]


def test_dedicated_client_shares_the_pool(r: Any) -> None:
    dedicated = r.client()
    dedicated.set("k", "v")
    assert r.get("k") == b"v"
    dedicated.close()
    assert r.get("k") == b"v"  # closing it left the shared pool usable


def test_bitfield_builder(r: Any) -> None:
    bf = r.bitfield("bits")
    assert bf.set("u8", 8, 255).get("u8", 0).get("u4", 8).execute() == [0, 0, 15]
    with r.pipeline() as pipe:
        pipe.bitfield("bits").incrby("u8", 8, 1).execute()
        pipe.get("nope")
        assert pipe.execute() == [[0], None]  # 255 + 1 wraps to 0


def test_monitor_sees_commands(r: Any, make: Callable[..., Any]) -> None:
    other = make()
    with r.monitor() as m:
        other.get("monitored-key")
        command: dict[str, Any] = {}
        # MONITOR shows every database: other suites' commands may come first.
        for _ in range(100_000):
            command = m.next_command()
            if "monitored-key" in command["command"]:
                break
        assert command["command"] == "GET monitored-key"
        assert command["db"] == DB
