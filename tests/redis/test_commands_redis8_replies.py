"""Reply conversion of the Redis 8.x commands, SENTINEL, STRALGO and MODULE.

Replies in the forms redis.io documents, as wire bytes in RESP2 and in RESP3,
are parsed by our RESP parser and converted by our callbacks. The RESP2 result
must equal what redis-py 8.1's RESP2 callback (or no callback) makes of the same
reply, and the RESP3 result must be that same RESP2 shape: aio.redis returns
redis-py's "legacy" shapes on both protocols. Each case runs with and without
``decode_responses``.
"""

from __future__ import annotations

from typing import Any

import pytest
from redis._parsers import helpers as redis_helpers

from aio.proto.resp import RESPParser
from aio.redis.commands import RESP3_RESPONSE_CALLBACKS, RESPONSE_CALLBACKS
from aio.redis.commands._convert import human_double

# redis-py's RESP2 callback table is its shared one plus the RESP2-only one.
REDIS_PY_RESP2: dict[str, Any] = {
    **redis_helpers._RedisCallbacks,  # type: ignore[attr-defined]
    **redis_helpers._RedisCallbacksRESP2,  # type: ignore[attr-defined]
}


def parse(wire: bytes, decode: bool) -> Any:
    parser = RESPParser(encoding="utf-8" if decode else None)
    parser.feed(wire)
    return parser.gets()


def ours(command: str, reply: Any, protocol: int, **options: Any) -> Any:
    table = RESP3_RESPONSE_CALLBACKS if protocol == 3 else RESPONSE_CALLBACKS
    callback = table.get(command)
    return reply if callback is None else callback(reply, **options)


def redis_py(command: str, reply: Any, **options: Any) -> Any:
    callback = REDIS_PY_RESP2.get(command)
    return reply if callback is None else callback(reply, **options)


def _bulk(text: str) -> bytes:
    return f"${len(text.encode())}\r\n{text}\r\n".encode()


def _flat(pairs: list[tuple[str, str]], kind: bytes) -> bytes:
    # ``kind`` is b"*" (RESP2 flat array of 2n items) or b"%" (RESP3 map of n).
    count = len(pairs) * 2 if kind == b"*" else len(pairs)
    body = b"".join(_bulk(k) + _bulk(v) for k, v in pairs)
    return kind + str(count).encode() + b"\r\n" + body


MASTER = [
    ("name", "mymaster"), ("ip", "127.0.0.1"), ("port", "6379"),
    ("runid", "8d4b1a9c"), ("flags", "master"), ("link-pending-commands", "0"),
    ("last-ping-sent", "0"), ("last-ok-ping-reply", "512"),
    ("num-slaves", "1"), ("num-other-sentinels", "2"), ("quorum", "2"),
    ("failover-timeout", "180000"), ("parallel-syncs", "1"),
]  # fmt: skip
REPLICA = [
    ("name", "127.0.0.1:6380"), ("ip", "127.0.0.1"), ("port", "6380"),
    ("flags", "slave,s_down,disconnected"), ("master-link-down-time", "0"),
    ("slave-priority", "100"), ("slave-repl-offset", "not-a-number"),
]  # fmt: skip

# (command, RESP2 wire, RESP3 wire, options)
CASES: list[tuple[str, bytes, bytes, dict[str, Any]]] = [
    # INCREX: integers on both; BYFLOAT: text (RESP2) or doubles (RESP3)
    ("INCREX", b"*2\r\n:24\r\n:4\r\n", b"*2\r\n:24\r\n:4\r\n", {}),
    ("INCREX", b"*2\r\n$4\r\n1.75\r\n$4\r\n0.25\r\n",
     b"*2\r\n,1.75\r\n,0.25\r\n", {}),
    ("INCREX", b"*2\r\n$1\r\n2\r\n$3\r\n0.2\r\n", b"*2\r\n,2\r\n,0.2\r\n", {}),
    ("INCREX", b"*2\r\n$5\r\n-0.01\r\n$7\r\n0.00001\r\n",
     b"*2\r\n,-0.01\r\n,1e-05\r\n", {}),
    # SET with a compare-and-set condition: OK or nil (like NX/XX)
    ("SET", b"+OK\r\n", b"+OK\r\n", {}),
    ("SET", b"$-1\r\n", b"_\r\n", {}),
    ("SET", b"$3\r\nold\r\n", b"$3\r\nold\r\n", {"get": True}),
    # DIGEST, DELEX, MSETEX, HSETEX: plain replies
    ("DIGEST", b"$16\r\n2d06800538d394c2\r\n", b"$16\r\n2d06800538d394c2\r\n", {}),
    ("DIGEST", b"$-1\r\n", b"_\r\n", {}),
    ("DELEX", b":1\r\n", b":1\r\n", {}),
    ("MSETEX", b":0\r\n", b":0\r\n", {}),
    ("HSETEX", b":1\r\n", b":1\r\n", {}),
    # STRALGO LCS
    ("STRALGO", b"$2\r\nab\r\n", b"$2\r\nab\r\n", {}),
    ("STRALGO", b":2\r\n", b":2\r\n", {"len": True}),
    ("STRALGO",
     b"*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
     b"*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n",
     b"%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
     b"*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n",
     {"idx": True}),
    ("STRALGO",
     b"*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
     b"$3\r\nlen\r\n:6\r\n",
     b"%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
     b"$3\r\nlen\r\n:6\r\n",
     {"idx": True, "withmatchlen": True}),
    # arrays: ARINFO is a map in RESP3; the rest are the same on both
    ("ARINFO",
     b"*6\r\n$5\r\ncount\r\n:3\r\n$3\r\nlen\r\n:101\r\n$10\r\nslice-size\r\n:4096\r\n",
     b"%3\r\n$5\r\ncount\r\n:3\r\n$3\r\nlen\r\n:101\r\n$10\r\nslice-size\r\n:4096\r\n",
     {}),
    ("ARINFO", b"*2\r\n$14\r\navg-dense-fill\r\n$3\r\n0.5\r\n",
     b"%1\r\n$14\r\navg-dense-fill\r\n,0.5\r\n", {}),
    ("ARSCAN", b"*2\r\n*2\r\n:0\r\n$1\r\na\r\n*2\r\n:5\r\n$1\r\nb\r\n",
     b"*2\r\n*2\r\n:0\r\n$1\r\na\r\n*2\r\n:5\r\n$1\r\nb\r\n", {}),
    ("ARGETRANGE", b"*3\r\n$1\r\na\r\n$-1\r\n$1\r\nb\r\n",
     b"*3\r\n$1\r\na\r\n_\r\n$1\r\nb\r\n", {}),
    ("ARNEXT", b"$-1\r\n", b"_\r\n", {}),
    ("AROP", b"$3\r\n4.5\r\n", b"$3\r\n4.5\r\n", {}),
    ("LMOVEM", b"*2\r\n$1\r\nx\r\n$1\r\ny\r\n", b"*2\r\n$1\r\nx\r\n$1\r\ny\r\n", {}),
    ("LMOVEM", b"*-1\r\n", b"_\r\n", {}),
    ("SDIFFCARD", b":3\r\n", b":3\r\n", {}),
    # streams
    ("XREADGROUP",
     b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
     b":1500\r\n:2\r\n",
     b"%1\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
     b":1500\r\n:2\r\n",
     {"claim_min_idle_time": 1000}),
    ("XACKDEL", b"*2\r\n:1\r\n:-1\r\n", b"*2\r\n:1\r\n:-1\r\n", {}),
    ("XNACK", b":2\r\n", b":2\r\n", {}),
    ("XCFGSET", b"+OK\r\n", b"+OK\r\n", {}),
    # HOTKEYS GET: one session per node
    ("HOTKEYS GET",
     b"*1\r\n*6\r\n$15\r\ntracking-active\r\n:1\r\n$12\r\nsample-ratio\r\n:1\r\n"
     b"$14\r\nby-cpu-time-us\r\n*4\r\n$1\r\nx\r\n:104\r\n$1\r\ny\r\n:98\r\n",
     b"*1\r\n%3\r\n$15\r\ntracking-active\r\n:1\r\n$12\r\nsample-ratio\r\n:1\r\n"
     b"$14\r\nby-cpu-time-us\r\n%2\r\n$1\r\nx\r\n:104\r\n$1\r\ny\r\n:98\r\n",
     {}),
    ("HOTKEYS STOP", b"+OK\r\n", b"+OK\r\n", {}),
    # modules
    ("MODULE LOAD", b"+OK\r\n", b"+OK\r\n", {}),
    ("MODULE UNLOAD", b"+OK\r\n", b"+OK\r\n", {}),
    ("MODULE LOADEX", b"+OK\r\n", b"+OK\r\n", {}),
    # SENTINEL
    ("SENTINEL MASTER", _flat(MASTER, b"*"), _flat(MASTER, b"%"), {}),
    ("SENTINEL MASTERS", b"*1\r\n" + _flat(MASTER, b"*"),
     b"*1\r\n" + _flat(MASTER, b"%"), {}),
    ("SENTINEL SLAVES", b"*1\r\n" + _flat(REPLICA, b"*"),
     b"*1\r\n" + _flat(REPLICA, b"%"), {}),
    ("SENTINEL SENTINELS", b"*0\r\n", b"*0\r\n", {}),
    ("SENTINEL GET-MASTER-ADDR-BY-NAME", b"*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n",
     b"*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n", {}),
    ("SENTINEL GET-MASTER-ADDR-BY-NAME", b"*-1\r\n", b"_\r\n", {}),
    ("SENTINEL CKQUORUM", b"+OK 3 usable Sentinels. Quorum and failover "
     b"authorization can be reached\r\n",
     b"+OK 3 usable Sentinels. Quorum and failover "
     b"authorization can be reached\r\n", {}),
    ("SENTINEL RESET", b":1\r\n", b":1\r\n", {}),
    ("SENTINEL MONITOR", b"+OK\r\n", b"+OK\r\n", {}),
    ("SENTINEL REMOVE", b"+OK\r\n", b"+OK\r\n", {}),
    ("SENTINEL SET", b"+OK\r\n", b"+OK\r\n", {}),
    ("SENTINEL FAILOVER", b"+OK\r\n", b"+OK\r\n", {}),
    ("SENTINEL FLUSHCONFIG", b"+OK\r\n", b"+OK\r\n", {}),
    ("READONLY", b"+OK\r\n", b"+OK\r\n", {}),
    ("READWRITE", b"+OK\r\n", b"+OK\r\n", {}),
]  # fmt: skip


@pytest.mark.parametrize("decode", [False, True], ids=["bytes", "decoded"])
@pytest.mark.parametrize(
    ("command", "resp2", "resp3", "options"),
    CASES,
    ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)],
)
def test_both_protocols_give_redis_py_resp2_shape(
    command: str, resp2: bytes, resp3: bytes, options: dict[str, Any], decode: bool
) -> None:
    expected = redis_py(command, parse(resp2, decode), **options)
    assert ours(command, parse(resp2, decode), 2, **options) == expected
    # The INCREX method tells its converter whether replies are decoded.
    resp3_options = {**options, "decoded": decode} if command == "INCREX" else options
    assert ours(command, parse(resp3, decode), 3, **resp3_options) == expected


def test_sentinel_state_shape() -> None:
    # What the cases above compare, spelled out once: ints, str, derived flags.
    state = ours("SENTINEL MASTER", parse(_flat(MASTER, b"%"), False), 3)
    assert state["port"] == 6379 and state["num-other-sentinels"] == 2
    assert state["flags"] == "master" and state["ip"] == "127.0.0.1"
    assert state["is_master"] is True and state["is_sdown"] is False
    replica = ours("SENTINEL SLAVES", parse(b"*1\r\n" + _flat(REPLICA, b"*"), True), 2)
    assert replica[0]["is_sdown"] and replica[0]["is_disconnected"]
    assert replica[0]["slave-repl-offset"] == "not-a-number"  # left as text


def test_increx_float_text() -> None:
    # Redis prints INCREX/INCRBYFLOAT results in fixed point without trailing
    # zeros; the RESP3 doubles are turned back into that text.
    assert human_double(1.75) == b"1.75"
    assert human_double(2.0, as_str=True) == "2"
    assert human_double(1e20) == b"100000000000000000000"
    assert human_double(1e-05) == b"0.00001"
    assert human_double(-0.5) == b"-0.5"
    assert human_double(0.1 + 0.2) == b"0.30000000000000004"
    assert human_double(float("inf")) == b"inf"
