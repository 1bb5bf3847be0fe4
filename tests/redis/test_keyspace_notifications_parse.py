"""Keyspace notification parsing and channel names, without a server, with
redis-py 8.1's ``redis.keyspace_notifications`` as the oracle: the same channel
and data give the same :class:`KeyNotification` (or None), the channel objects
the same names, reprs and pattern flags; malformed data gives
:class:`KeyNotificationError` (a ``ValueError``, as redis-py's) and never
anything else, nor a hang.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import redis.keyspace_notifications as theirs
from hypothesis import given, settings
from hypothesis import strategies as st

import aio.redis.keyspace_notifications as ours
from aio.redis._keyspace_channels import is_glob
from aio.redis.exceptions import DataError, RedisError
from aio.redis.keyspace_notifications import KeyNotification, KeyNotificationError


def both(channel: Any, data: Any, prefix: Any = None) -> tuple[Any, Any]:
    mine = KeyNotification.try_parse(channel, data, prefix)
    oracle = theirs.KeyNotification.try_parse(channel, data, prefix)
    return (
        mine and dataclasses.asdict(mine),
        oracle and dataclasses.asdict(oracle),
    )


CASES = [
    ("__keyspace@0__:user:1", "set"),
    (b"__keyspace@0__:user:1", b"del"),
    ("__keyspace@12__:a:b:c", "expire"),
    ("__keyspace@*__:user:*", "set"),
    ("__keyevent@3__:del", "user:9"),
    (b"__keyevent@0__:rename_to", b"user:2"),
    ("__keyspace@0__:__:x", "set"),  # the first "__:" ends the database
    ("__subkeyspace@0__:h", "hset|2:f1,3:f22"),
    ("__subkeyspace@0__:h", "hdel|"),
    ("__subkeyspace@0__:h", "hset|2:a,,1:b"),
    ("__subkeyevent@5__:hdel", "1:h|2:f1"),
    ("__subkeyevent@0__:hset", "4:user|1:a,1:b"),
    ("__subkeyevent@0__:hset", "0:|"),
    ("__subkeyspaceitem@0__:h\nfield", "hset"),
    ("__subkeyspaceitem@0__:h\nf\ng", "hset"),
    ("__subkeyspaceevent@0__:hset|h", "2:ab,1:c"),
    ("__subkeyspaceevent@0__:hset|a|b", "1:x"),
    ("__subkeyspaceevent@0__:hset|h", ""),
    # not notifications
    ("news", "set"),
    ("__keyspace@x__:k", "set"),
    ("__keyspace@0__:", "set"),
    ("__keyspace@0_:k", "set"),
    ("__keyspace@__:k", "set"),
    ("__keyevents@0__:set", "k"),
]


@pytest.mark.parametrize(("channel", "data"), CASES)
@pytest.mark.parametrize("prefix", [None, "", "user:", b"h", "zzz"])
def test_parsed_as_redis_py(channel: Any, data: Any, prefix: Any) -> None:
    mine, oracle = both(channel, data, prefix)
    assert mine == oracle


def test_parsed_fields() -> None:
    n = KeyNotification.try_parse(b"__subkeyevent@4__:hdel", b"4:user|2:f1,2:f2")
    assert n == KeyNotification(
        key="user",
        event_type="hdel",
        database=4,
        channel="__subkeyevent@4__:hdel",
        is_keyspace=False,
        data="4:user|2:f1,2:f2",
        subkeys=["f1", "f2"],
    )
    assert n.key_starts_with(b"us") and not n.key_starts_with("x")
    stripped = KeyNotification.try_parse("__keyspace@0__:user:1", "set", "user:")
    assert stripped is not None and stripped.key == "1"
    assert KeyNotification.try_parse("__keyspace@0__:other", "set", "user:") is None


def test_from_message_as_redis_py() -> None:
    messages: list[Any] = [
        None,
        {"type": "message", "channel": b"__keyspace@0__:k", "data": b"set"},
        {
            "type": "pmessage",
            "pattern": b"__keyspace@0__:*",
            "channel": "__keyspace@0__:k",
            "data": "del",
        },
        {"type": "smessage", "channel": "__keyspace@0__:k", "data": "set"},
        {"type": "psubscribe", "channel": "__keyspace@0__:*", "data": 1},
        {"type": "pong", "channel": None, "data": b""},
        {"type": "message", "channel": "__keyspace@0__:k", "data": None},
        {"type": "message", "data": "set"},
        {},
    ]
    for message in messages:
        mine = KeyNotification.from_message(message, key_prefix=None)
        oracle = theirs.KeyNotification.from_message(message)
        assert (mine and dataclasses.asdict(mine)) == (
            oracle and dataclasses.asdict(oracle)
        ), message
    # Not a mapping at all: not a notification (redis-py: AttributeError).
    assert KeyNotification.from_message(["message", "c", "d"]) is None  # type: ignore[arg-type]


MALFORMED = [
    ("__subkeyspace@0__:h", "no pipe"),
    ("__subkeyevent@0__:hset", "x:h|1:a"),
    ("__subkeyevent@0__:hset", "h|1:a"),
    ("__subkeyspaceitem@0__:h", "hset"),
    ("__subkeyspaceevent@0__:hset", "1:a"),
    ("__subkeyspaceevent@0__:hset|h", "a:b"),
]


@pytest.mark.parametrize(("channel", "data"), MALFORMED)
def test_malformed_raise_a_typed_value_error_as_redis_py(
    channel: str, data: str
) -> None:
    with pytest.raises(ValueError):
        theirs.KeyNotification.try_parse(channel, data)
    with pytest.raises(KeyNotificationError) as info:
        KeyNotification.try_parse(channel, data)
    error: Exception = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, DataError) and isinstance(error, RedisError)
    assert info.value.channel == channel and info.value.data == data
    assert channel in str(info.value)


@pytest.mark.parametrize(
    "data",
    [
        "hset|3:a",  # shorter than its length (redis-py: "a")
        "hset|1:ab",  # no ',' after an item (redis-py: ValueError)
        "hset|-3:ab",  # a negative length (redis-py: loops for ever)
        "hset|+1:a",  # not a plain decimal (redis-py: int() takes it)
        "hset|1_0:a",
    ],
)
def test_subkey_lists_are_read_strictly(data: str) -> None:
    with pytest.raises(KeyNotificationError):
        KeyNotification.try_parse("__subkeyspace@0__:h", data)


def test_subkey_lengths_count_bytes() -> None:
    # The server's lengths are byte counts: "é" is 2 bytes.
    for channel, data in (
        (b"__subkeyspace@0__:h", "hset|2:é,1:a".encode()),
        ("__subkeyspace@0__:h", "hset|2:é,1:a"),
    ):
        n = KeyNotification.try_parse(channel, data)
        assert n is not None and n.subkeys == ["é", "a"]
    n = KeyNotification.try_parse("__subkeyevent@0__:hset", "3:ké|1:a")
    assert n is not None and (n.key, n.subkeys) == ("ké", ["a"])


def test_keys_with_newlines_are_whole() -> None:
    # redis-py's patterns stop at a newline (None, or a truncated key).
    n = KeyNotification.try_parse("__keyspace@0__:a\nb", "set")
    assert n is not None and n.key == "a\nb"
    n = KeyNotification.try_parse("__keyevent@0__:set", "a\n")
    assert n is not None and n.key == "a\n"


def test_undecodable_bytes_are_replaced() -> None:
    n = KeyNotification.try_parse(b"__keyspace@0__:\xff", b"s\xfet")
    assert n is not None and (n.key, n.event_type) == ("\ufffd", "s\ufffdt")


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(
        ["keyspace", "keyevent", "subkeyspace", "subkeyevent", "subkeyspaceevent"]
    ),
    rest=st.text(alphabet="ab:|,019*", min_size=0, max_size=12),
    data=st.text(alphabet="ab:|,019", max_size=16),
    prefix=st.sampled_from([None, "a", "b:"]),
)
def test_random_ascii_as_redis_py_where_both_parse(
    kind: str, rest: str, data: str, prefix: str | None
) -> None:
    channel = f"__{kind}@0__:{rest}"
    oracle: Any
    mine: Any
    try:
        oracle = theirs.KeyNotification.try_parse(channel, data, prefix)
    except ValueError:
        oracle = ValueError
    try:
        mine = KeyNotification.try_parse(channel, data, prefix)
    except KeyNotificationError:
        mine = ValueError
    if oracle is ValueError:
        assert mine is ValueError
    elif mine is not ValueError:
        # Ours may refuse what redis-py reads leniently (a short item...),
        # never read it differently.
        assert _fields(mine) == _fields(oracle)


def _fields(n: Any) -> Any:
    return None if n is None else dataclasses.asdict(n)


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(
        [b"__keyspace@", b"__keyevent@", b"__subkeyspace@", b"__subkeyevent@"]
        + [b"__subkeyspaceitem@", b"__subkeyspaceevent@", b""]
    ),
    rest=st.binary(max_size=24),
    data=st.binary(max_size=24),
)
def test_random_bytes_give_a_notification_none_or_the_typed_error(
    prefix: bytes, rest: bytes, data: bytes
) -> None:
    try:
        n = KeyNotification.try_parse(prefix + rest, data)
    except KeyNotificationError:
        return
    assert n is None or isinstance(n, KeyNotification)


# -- channels -------------------------------------------------------------------------

CHANNEL_ARGS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("KeyspaceChannel", ("user:123",), {}),
    ("KeyspaceChannel", ("user:*",), {"db": 3}),
    ("KeyspaceChannel", ("my[key",), {}),
    ("KeyeventChannel", ("set",), {}),
    ("KeyeventChannel", ("*",), {"db": 2}),
    ("SubkeyspaceChannel", ("h",), {"db": 1}),
    ("SubkeyspaceChannel", ("h?",), {}),
    ("SubkeyeventChannel", ("hdel",), {}),
    ("SubkeyspaceitemChannel", ("h", "f"), {}),
    ("SubkeyspaceitemChannel", ("h", "f*"), {"db": 4}),
    ("SubkeyspaceeventChannel", ("hset", "h"), {}),
    ("SubkeyspaceeventChannel", ("h[ab]set", "h"), {"db": 9}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CHANNEL_ARGS)
def test_channels_as_redis_py(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    mine = getattr(ours, name)(*args, **kwargs)
    oracle = getattr(theirs, name)(*args, **kwargs)
    assert str(mine) == str(oracle)
    assert repr(mine) == repr(oracle)
    assert mine.is_pattern == oracle.is_pattern
    assert mine.db == oracle.db
    assert mine == str(oracle) and hash(mine) == hash(str(oracle))
    assert mine == getattr(ours, name)(*args, **kwargs)
    assert mine != 42
    assert theirs._is_pattern(str(oracle)) == is_glob(str(mine))
    kind, oracle_kind = (
        ours.get_channel_type(str(mine)),
        theirs.get_channel_type(str(oracle)),
    )
    assert kind is not None and oracle_kind is not None
    assert kind.value == oracle_kind.value


def test_channel_kinds_do_not_compare_equal() -> None:
    assert ours.KeyspaceChannel("x") != ours.KeyeventChannel("x")
    assert ours.KeyeventChannel.all_events(db=2) == "__keyevent@2__:*"
    assert ours.SubkeyeventChannel.all_events() == "__subkeyevent@0__:*"


@pytest.mark.parametrize(
    "channel", ["news", b"__keyspace@0__:k", "__keyevent@0__:set", "__sub", ""]
)
def test_get_channel_type_as_redis_py(channel: Any) -> None:
    mine, oracle = ours.get_channel_type(channel), theirs.get_channel_type(channel)
    assert (mine and mine.value) == (oracle and oracle.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab*?[]\\-^", max_size=10))
def test_glob_detection_as_redis_py(name: str) -> None:
    assert is_glob(name) == theirs._is_pattern(name)


def test_event_type_names_as_redis_py() -> None:
    names = {n for n in vars(theirs.EventType) if n.isupper()}
    assert names == {n for n in vars(ours.EventType) if n.isupper()}
    for n in names:
        assert getattr(ours.EventType, n) == getattr(theirs.EventType, n)
    assert [k.name for k in ours.ChannelType] == [k.name for k in theirs.ChannelType]


def test_package_names_as_redis_py() -> None:
    import redis.asyncio

    import aio.redis

    theirs_names = {
        name
        for name in redis.asyncio.__all__
        if getattr(getattr(redis.asyncio, name), "__module__", "")
        == "redis.asyncio.keyspace_notifications"
    }
    assert theirs_names == {
        "AsyncClusterKeyspaceNotifications",
        "AsyncKeyspaceNotifications",
        "AsyncKeyspaceNotificationsInterface",
    }
    for name in theirs_names:
        assert name in aio.redis.__all__
        assert getattr(aio.redis, name) is getattr(ours, name)
    assert aio.redis.keyspace_notifications is ours
