"""``aio.redis.crc`` (and ``sync_shims.redis.crc``) against redis-py's ``redis.crc``:
the same slots for the same key bytes, the same error classes for keys that are not
bytes, and ``crc16`` equal to a bitwise CRC-16/XMODEM written from its definition
(``crc16`` is ``binascii.crc_hqx``, so comparing with that could not fail)."""

from __future__ import annotations

import binascii
from typing import Any

import pytest
import redis.crc
from hypothesis import given
from hypothesis import strategies as st
from redis._parsers import Encoder

import aio.redis.crc
import sync_shims.redis.crc
from aio.redis._cluster_slots import key_slot as routing_key_slot

# Bytes rich in braces, so that hash tags (empty, unclosed, nested, several)
# come up often, and plain binary.
brace_bytes = st.lists(
    st.sampled_from([b"{", b"}", b"a", b"xyz", b"\x00", b"\xff", b"{}"]), max_size=12
).map(b"".join)
key_bytes = brace_bytes | st.binary(max_size=64)
# What a user hands the client as a key: the client encodes it before hashing.
client_keys = (
    key_bytes
    | st.text(max_size=24)
    | st.text(alphabet="{}ab", max_size=12)
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
)

EDGE_KEYS = [
    b"",
    b"{",
    b"}",
    b"{}",
    b"}{",
    b"{a",
    b"a}",
    b"{a}",
    b"{}{a}",
    b"{{a}}",
    b"a{b}c{d}",
    b"foo{}{bar}",
    b"foo{{bar}}zap",
    b"foo{bar}{zap}",
    b"user:{42}:name",
    "é{ü}".encode(),
    b"\xff{\x00}\xfe",
]


def redispy_outcome(func: Any, *args: Any) -> Any:
    """``func(*args)``, or the class of the error it raised."""
    try:
        return func(*args)
    except Exception as exc:
        return type(exc)


def test_constants_and_names() -> None:
    assert aio.redis.crc.REDIS_CLUSTER_HASH_SLOTS == redis.crc.REDIS_CLUSTER_HASH_SLOTS
    assert set(redis.crc.__all__) <= set(aio.redis.crc.__all__)
    for name in aio.redis.crc.__all__:
        # the blocking API's module is the same implementation
        assert getattr(sync_shims.redis.crc, name) is getattr(aio.redis.crc, name)


@pytest.mark.parametrize("key", EDGE_KEYS)
def test_hash_tag_edges(key: bytes) -> None:
    assert aio.redis.crc.key_slot(key) == redis.crc.key_slot(key)
    assert aio.redis.crc.key_slot(bytearray(key)) == redis.crc.key_slot(bytearray(key))


def test_hash_tag_groups_keys() -> None:
    slot = aio.redis.crc.key_slot(b"{user1000}.following")
    assert slot == aio.redis.crc.key_slot(b"{user1000}.followers")
    assert slot == aio.redis.crc.key_slot(b"user1000")
    # an empty tag does not count: the whole key is hashed
    assert aio.redis.crc.key_slot(b"{}x") != aio.redis.crc.key_slot(b"x")
    assert aio.redis.crc.key_slot(b"{}x") == redis.crc.key_slot(b"{}x")


@given(key_bytes)
def test_key_slot_as_redispy(key: bytes) -> None:
    expected = redis.crc.key_slot(key)
    assert aio.redis.crc.key_slot(key) == expected
    assert aio.redis.crc.key_slot(bytearray(key)) == expected
    # redis-py's refuses a memoryview (AttributeError); aio takes its bytes
    assert aio.redis.crc.key_slot(memoryview(key)) == expected
    assert 0 <= expected < aio.redis.crc.REDIS_CLUSTER_HASH_SLOTS


@given(key_bytes, st.integers(min_value=1, max_value=1 << 20))
def test_key_slot_bucket_as_redispy(key: bytes, bucket: int) -> None:
    assert aio.redis.crc.key_slot(key, bucket) == redis.crc.key_slot(key, bucket)


@given(client_keys)
def test_client_keys_route_as_redispy(key: Any) -> None:
    """A str, int or float key is refused by ``key_slot`` as by redis-py's
    (error class); encoded as the clients encode keys, it gets redis-py's slot,
    which is also the slot aio's cluster client routes the unencoded key to."""
    outcome = redispy_outcome(redis.crc.key_slot, key)
    if isinstance(outcome, int):
        assert aio.redis.crc.key_slot(key) == outcome
    else:
        with pytest.raises(outcome):
            aio.redis.crc.key_slot(key)
    encoded = Encoder("utf-8", "strict", False).encode(key)
    assert aio.redis.crc.key_slot(encoded) == redis.crc.key_slot(encoded)
    assert routing_key_slot(key) == redis.crc.key_slot(encoded)


@pytest.mark.parametrize(
    "key", ["key", "{a}b", "", 0, 1.5, None, True, ["a"], ("a",), {"a": 1}, object()]
)
def test_bad_key_types_raise_redispys_errors(key: Any) -> None:
    expected = redispy_outcome(redis.crc.key_slot, key)
    assert isinstance(expected, type) and issubclass(expected, Exception)
    with pytest.raises(expected) as info:
        aio.redis.crc.key_slot(key)
    # exactly redis-py's class (not a subclass of it) and a message naming it
    assert type(info.value) is expected
    assert "key_slot() takes the key's bytes" in str(info.value)


@pytest.mark.parametrize("bucket", [0, "16384", None])
def test_bad_buckets_raise_redispys_errors(bucket: Any) -> None:
    expected = redispy_outcome(redis.crc.key_slot, b"key", bucket)
    assert isinstance(expected, type)
    with pytest.raises(expected):
        aio.redis.crc.key_slot(b"key", bucket)


def _crc16_xmodem_bitwise(data: bytes) -> int:
    # CRC-16/XMODEM by its definition: polynomial 0x1021, start 0, no reflection,
    # no final XOR, one bit at a time.
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


@given(st.binary(max_size=256))
def test_crc16_is_crc16_xmodem(data: bytes) -> None:
    expected = _crc16_xmodem_bitwise(data)
    assert aio.redis.crc.crc16(data) == expected
    assert aio.redis.crc.crc16(bytearray(data)) == expected
    assert aio.redis.crc.crc16(memoryview(data)) == expected


def test_crc16_check_value() -> None:
    # CRC-16/XMODEM's catalogue check value
    assert aio.redis.crc.crc16(b"123456789") == 0x31C3


@pytest.mark.parametrize("data", ["abc", 1, None, [1, 2]])
def test_crc16_bad_types_as_crc_hqx(data: Any) -> None:
    expected = redispy_outcome(binascii.crc_hqx, data, 0)
    assert expected is TypeError
    with pytest.raises(TypeError):
        aio.redis.crc.crc16(data)
