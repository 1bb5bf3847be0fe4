"""Cluster routing without a cluster: key slots, the slot map parser, key positions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.crc import key_slot as redis_py_key_slot

from aio.redis._cluster_route import CommandInfo, command_name
from aio.redis._cluster_slots import ClusterNode, NodesManager, crc16, key_slot
from aio.redis.exceptions import RedisClusterException, SlotNotCoveredError


def test_crc16_reference_value() -> None:
    # The check value of CRC-16/XMODEM, and the example of the cluster spec.
    assert crc16(b"123456789") == 0x31C3
    assert key_slot("123456789") == 0x31C3 % 16384


@pytest.mark.parametrize(
    ("key", "hashed"),
    [
        ("{user1000}.following", "user1000"),
        ("foo{}{bar}", "foo{}{bar}"),
        ("foo{{bar}}zap", "{bar"),
        ("foo{bar}{zap}", "bar"),
        ("{}", "{}"),
        ("no tag", "no tag"),
    ],
)
def test_hash_tags(key: str, hashed: str) -> None:
    assert key_slot(key) == crc16(hashed.encode()) % 16384


def test_key_types() -> None:
    assert key_slot(b"abc") == key_slot("abc") == key_slot(bytearray(b"abc"))
    assert key_slot(12) == key_slot("12")
    with pytest.raises(RedisClusterException):
        key_slot(True)
    with pytest.raises(RedisClusterException):
        key_slot(object())


@given(st.binary(max_size=64))
def test_key_slot_matches_redis_py(data: bytes) -> None:
    assert key_slot(data) == redis_py_key_slot(data)
    assert 0 <= key_slot(data) < 16384


def _manager(full: bool = True) -> NodesManager:
    return NodesManager([ClusterNode("127.0.0.1", 7000)], full, {})


def _slots_reply() -> list[Any]:
    return [
        [0, 5460, [b"127.0.0.1", 7000, b"id0"], [b"127.0.0.1", 7003, b"id3"]],
        [5461, 10922, ["", 7001, "id1"]],
        [10923, 16383, [b"localhost", 7002, b"id2", [b"hostname", b"x"]]],
    ]


def test_parse_slots() -> None:
    manager = _manager()
    startup = ClusterNode("10.0.0.9", 7000)
    slots, nodes = manager.parse_slots(_slots_reply(), startup)
    assert len(slots) == 16384
    assert [n.name for n in slots[0]] == ["127.0.0.1:7000", "127.0.0.1:7003"]
    assert slots[0][1].server_type == "replica"
    # An empty host means the address the reply came from.
    assert slots[6000][0].name == "10.0.0.9:7001"
    assert slots[16383][0].name == "127.0.0.1:7002"
    assert sorted(nodes) == sorted(
        ["127.0.0.1:7000", "127.0.0.1:7003", "10.0.0.9:7001", "127.0.0.1:7002"]
    )


async def test_moved_and_replica_rotation() -> None:
    manager = _manager()
    slots, nodes = manager.parse_slots(_slots_reply(), ClusterNode("127.0.0.1", 1))
    await manager._install(slots, nodes)
    first = manager.get_node_from_slot(1, read_from_replicas=True)
    second = manager.get_node_from_slot(1, read_from_replicas=True)
    assert {first.name, second.name} == {"127.0.0.1:7000", "127.0.0.1:7003"}
    # A replica promoted (failover): it leads the slot, the old primary demoted.
    node = manager.update_moved(1, "127.0.0.1", 7003)
    assert manager.get_node_from_slot(1) is node and node.server_type == "primary"
    # A brand new node.
    new = manager.update_moved(2, "127.0.0.1", 7009)
    assert manager.get_node_from_slot(2) is new
    assert manager.get_node("127.0.0.1", 7009) is new
    del manager.slots_cache[3]
    with pytest.raises(SlotNotCoveredError):
        manager.get_node_from_slot(3)
    await manager.aclose()


@pytest.mark.parametrize(
    "reply",
    [
        None,
        b"garbage",
        [[0]],
        [[0, 16384, [b"h", 1]]],
        [[5, 1, [b"h", 1]]],
        [[0, 10, [b"h", b"port"]]],
        [[0, 10, 7]],
        [["a", "b", ["h", 1]]],
    ],
)
def test_parse_slots_malformed(reply: Any) -> None:
    with pytest.raises(RedisClusterException):
        _manager().parse_slots(reply, ClusterNode("h", 1))


_leaf = st.one_of(
    st.none(), st.integers(-5, 20000), st.binary(max_size=8), st.text(max_size=8)
)
_replies = st.recursive(_leaf, lambda inner: st.lists(inner, max_size=5), max_leaves=30)


@given(_replies)
def test_parse_slots_random_replies(reply: Any) -> None:
    try:
        slots, _ = _manager().parse_slots(reply, ClusterNode("h", 1))
    except RedisClusterException:
        return
    assert all(0 <= slot < 16384 for slot in slots)


@given(_replies)
def test_command_info_random_replies(reply: Any) -> None:
    info = CommandInfo()
    try:
        info.load(reply)
    except RedisClusterException:
        return


def _info() -> CommandInfo:
    info = CommandInfo()
    info.load(
        [
            ["get", 2, ["readonly", "fast"], 1, 1, 1],
            ["set", -3, ["write"], 1, 1, 1],
            ["mset", -3, ["write"], 1, -1, 2],
            ["eval", -3, ["movablekeys"], 0, 0, 0],
            ["zunionstore", -4, ["write", "movablekeys"], 1, 1, 1],
            ["xread", -4, ["readonly", "movablekeys"], 0, 0, 0],
            ["sort", -2, ["write", "movablekeys"], 1, 1, 1],
            ["ping", -1, ["fast"], 0, 0, 0],
            [
                "object",
                -2,
                [],
                0,
                0,
                0,
                [],
                [],
                [],
                [["object|encoding", 3, ["readonly"], 2, 2, 1]],
            ],
        ]
    )
    return info


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (("GET", "k"), ["k"]),
        (("SET", "k", "v", "EX", 1), ["k"]),
        (("MSET", "a", 1, "b", 2), ["a", "b"]),
        (("EVAL", "return 1", 2, "a", "b", "arg"), ["a", "b"]),
        (("EVAL", "return 1", 0), []),
        (("ZUNIONSTORE", "d", 2, "a", "b", "WEIGHTS", 1, 2), ["d", "a", "b"]),
        (("XREAD", "COUNT", 1, "STREAMS", "s1", "s2", "0", "0"), ["s1", "s2"]),
        (("PING",), []),
        (("OBJECT ENCODING", "k"), ["k"]),
        (("OBJECT", "ENCODING", "k"), ["k"]),
        (("SORT", "k", "STORE", "d"), None),
        (("NOSUCH", "k"), None),
    ],
)
def test_command_keys(args: tuple[Any, ...], keys: list[Any] | None) -> None:
    assert _info().keys_of(args) == keys


def test_command_flags() -> None:
    info = _info()
    assert info.is_readonly(("GET", "k"))
    assert not info.is_readonly(("SET", "k", "v"))
    assert info.is_readonly(("OBJECT ENCODING", "k"))
    assert info.table_name(("OBJECT", "ENCODING", "k")) == "OBJECT|ENCODING"
    assert command_name(("CONFIG SET", "a", "b")) == "CONFIG|SET"
    assert command_name((b"get", "k")) == "GET"


async def test_require_full_coverage(monkeypatch: pytest.MonkeyPatch) -> None:
    partial = [[0, 100, [b"127.0.0.1", 7000, b"id0"]]]

    async def slots(self: ClusterNode, *args: Any, **options: Any) -> Any:
        assert args == ("CLUSTER SLOTS",)
        return partial

    monkeypatch.setattr(ClusterNode, "execute_raw", slots)
    strict = _manager(full=True)
    with pytest.raises(RedisClusterException, match="101 of 16384 covered"):
        await strict.initialize()
    lenient = _manager(full=False)
    await lenient.initialize()
    assert lenient.get_node_from_slot(100).name == "127.0.0.1:7000"
    with pytest.raises(SlotNotCoveredError):
        lenient.get_node_from_slot(101)
    assert lenient.default_node is not None
    await lenient.aclose()
