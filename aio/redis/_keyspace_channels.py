"""The channels of keyspace notifications: their names, kinds and event types.

Redis publishes a notification about a key on channels whose names say what
happened (``notify-keyspace-events`` picks which are sent)::

    __keyspace@<db>__:<key>                  data: the event      ("set")
    __keyevent@<db>__:<event>                data: the key
    __subkeyspace@<db>__:<key>               data: <event>|<subkey list>
    __subkeyevent@<db>__:<event>             data: <len>:<key>|<subkey list>
    __subkeyspaceitem@<db>__:<key>\\n<subkey> data: the event
    __subkeyspaceevent@<db>__:<event>|<key>  data: <subkey list>

(the four ``sub*`` kinds are Redis 8's, for hash fields). One class per kind
builds the channel name to subscribe to; a name with glob characters is
subscribed with PSUBSCRIBE, any other with SUBSCRIBE (:func:`is_glob`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import ClassVar, TypeAlias

__all__ = (
    "ChannelT",
    "ChannelType",
    "EventType",
    "KeyeventChannel",
    "KeyspaceChannel",
    "SubkeyeventChannel",
    "SubkeyspaceChannel",
    "SubkeyspaceeventChannel",
    "SubkeyspaceitemChannel",
    "get_channel_type",
    "is_glob",
    "split_by_glob",
    "text",
)


def text(value: object) -> str:
    """``value`` as text: bytes decoded as UTF-8 (undecodable bytes replaced,
    so no channel name or payload can make parsing fail), anything else
    through ``str``, as redis-py's ``safe_str``."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


class EventType:
    """Names of common keyspace events (the data of a ``__keyspace`` message,
    the last part of a ``__keyevent`` channel), as redis-py's ``EventType``.

    Plain strings, for autocompletion: any other event name works the same,
    so events of newer servers need no new constant.
    """

    # strings
    SET = "set"
    SETEX = "setex"
    SETNX = "setnx"
    SETRANGE = "setrange"
    INCR = "incr"
    INCRBY = "incrby"
    INCRBYFLOAT = "incrbyfloat"
    DECR = "decr"
    DECRBY = "decrby"
    APPEND = "append"
    # generic
    DEL = "del"
    UNLINK = "unlink"
    RENAME = "rename"
    RENAME_FROM = "rename_from"
    RENAME_TO = "rename_to"
    COPY_TO = "copy_to"
    MOVE = "move"
    RESTORE = "restore"
    # expiry and eviction
    EXPIRE = "expire"
    EXPIREAT = "expireat"
    PEXPIRE = "pexpire"
    PEXPIREAT = "pexpireat"
    EXPIRED = "expired"
    PERSIST = "persist"
    EVICTED = "evicted"
    # lists
    LPUSH = "lpush"
    RPUSH = "rpush"
    LPOP = "lpop"
    RPOP = "rpop"
    LINSERT = "linsert"
    LSET = "lset"
    LTRIM = "ltrim"
    LMOVE = "lmove"
    BLPOP = "blpop"
    BRPOP = "brpop"
    BLMOVE = "blmove"
    # sets
    SADD = "sadd"
    SREM = "srem"
    SPOP = "spop"
    SMOVE = "smove"
    SINTERSTORE = "sinterstore"
    SUNIONSTORE = "sunionstore"
    SDIFFSTORE = "sdiffstore"
    # sorted sets
    ZADD = "zadd"
    ZINCRBY = "zincrby"
    ZREM = "zrem"
    ZREMRANGEBYRANK = "zremrangebyrank"
    ZREMRANGEBYSCORE = "zremrangebyscore"
    ZREMRANGEBYLEX = "zremrangebylex"
    ZPOPMIN = "zpopmin"
    ZPOPMAX = "zpopmax"
    BZPOPMIN = "bzpopmin"
    BZPOPMAX = "bzpopmax"
    ZINTERSTORE = "zinterstore"
    ZUNIONSTORE = "zunionstore"
    ZDIFFSTORE = "zdiffstore"
    ZRANGESTORE = "zrangestore"
    # hashes
    HSET = "hset"
    HSETNX = "hsetnx"
    HDEL = "hdel"
    HINCRBY = "hincrby"
    HINCRBYFLOAT = "hincrbyfloat"
    # streams
    XADD = "xadd"
    XTRIM = "xtrim"
    XDEL = "xdel"
    XGROUP_CREATE = "xgroup-create"
    XGROUP_CREATECONSUMER = "xgroup-createconsumer"
    XGROUP_DELCONSUMER = "xgroup-delconsumer"
    XGROUP_DESTROY = "xgroup-destroy"
    XGROUP_SETID = "xgroup-setid"
    XSETID = "xsetid"
    XCLAIM = "xclaim"
    XAUTOCLAIM = "xautoclaim"
    XREADGROUP = "xreadgroup"
    # others
    NEW = "new"
    SORTSTORE = "sortstore"
    GETEX = "getex"
    GETDEL = "getdel"
    SETIFGT = "setifgt"
    SETIFLT = "setiflt"
    SETIFEQ = "setifeq"
    SETIFNE = "setifne"


def is_glob(name: object) -> bool:
    """Whether the channel name ``name`` (text, bytes or a channel object) has
    glob characters, so that it must be subscribed with PSUBSCRIBE.

    ``*`` and ``?`` always count; ``[`` only when an unescaped ``]`` closes it
    (Redis reads a lone ``[`` literally); a backslash escapes the next character.
    """
    pattern = text(name)
    i, end = 0, len(pattern)
    while i < end:
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char in "*?":
            return True
        if char == "[" and _closes(pattern, i + 1):
            return True
        i += 1
    return False


def split_by_glob(channels: Iterable[object]) -> tuple[list[str], list[str]]:
    """The names of ``channels`` (text, bytes or channel objects), in order:
    those with glob characters (for PSUBSCRIBE), then the others (SUBSCRIBE)."""
    patterns: list[str] = []
    exact: list[str] = []
    for channel in channels:
        name = text(channel)
        (patterns if is_glob(name) else exact).append(name)
    return patterns, exact


def _closes(pattern: str, start: int) -> bool:
    """An unescaped ``]`` at or after ``start``."""
    j = start
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "]":
            return True
        j += 1
    return False


class _Channel:
    """What every channel class shares: the name, equality with other channels
    of its class and with the name itself, hashing."""

    PREFIX: ClassVar[str]

    db: int
    _channel_str: str

    def __str__(self) -> str:
        return self._channel_str

    def __eq__(self, other: object) -> bool:
        if isinstance(other, type(self)):
            return self._channel_str == other._channel_str
        if isinstance(other, str):
            return self._channel_str == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._channel_str)

    def _name(self, rest: str) -> str:
        return f"{self.PREFIX}{self.db}__:{rest}"


class _KeyNamedChannel(_Channel):
    """A channel named after a key or a key pattern (the keyspace kinds)."""

    def __init__(self, key_or_pattern: str, db: int = 0) -> None:
        self.key_or_pattern = key_or_pattern
        self.db = db
        self._channel_str = self._name(key_or_pattern)

    @property
    def is_pattern(self) -> bool:
        """Whether the key part has glob characters."""
        return is_glob(self.key_or_pattern)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key_or_pattern!r}, db={self.db})"


class _EventNamedChannel(_Channel):
    """A channel named after an event or an event pattern (the keyevent kinds)."""

    def __init__(self, event: str, db: int = 0) -> None:
        self.event = event
        self.db = db
        self._channel_str = self._name(event)

    @property
    def is_pattern(self) -> bool:
        """Whether the event part has glob characters."""
        return is_glob(self.event)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.event!r}, db={self.db})"


class KeyspaceChannel(_KeyNamedChannel):
    """The channel of the events on a key, or on the keys matching a pattern:
    ``__keyspace@<db>__:<key>`` (``str(channel)``); its messages carry the event.

    :param key_or_pattern: a key, or a glob pattern (``"user:*"``).
    :param db: the database (0 is a cluster's only one).
    """

    PREFIX: ClassVar[str] = "__keyspace@"


class KeyeventChannel(_EventNamedChannel):
    """The channel of an event on any key: ``__keyevent@<db>__:<event>``; its
    messages carry the key.

    :param event: an event name (:class:`EventType`) or a glob pattern.
    :param db: the database (0 is a cluster's only one).
    """

    PREFIX: ClassVar[str] = "__keyevent@"

    @classmethod
    def all_events(cls, db: int = 0) -> KeyeventChannel:
        """The pattern of every event in ``db``: ``__keyevent@<db>__:*``."""
        return cls("*", db=db)


class SubkeyspaceChannel(_KeyNamedChannel):
    """The channel of the subkey (hash field) events on a key:
    ``__subkeyspace@<db>__:<key>``; its messages carry the event and the
    subkeys.

    :param key_or_pattern: a key or a glob pattern.
    :param db: the database.
    """

    PREFIX: ClassVar[str] = "__subkeyspace@"


class SubkeyeventChannel(_EventNamedChannel):
    """The channel of a subkey event on any key: ``__subkeyevent@<db>__:<event>``;
    its messages carry the key and the subkeys.

    :param event: an event name or a glob pattern.
    :param db: the database.
    """

    PREFIX: ClassVar[str] = "__subkeyevent@"

    @classmethod
    def all_events(cls, db: int = 0) -> SubkeyeventChannel:
        """The pattern of every subkey event in ``db``."""
        return cls("*", db=db)


class SubkeyspaceitemChannel(_Channel):
    """The channel of the events on one subkey of one key:
    ``__subkeyspaceitem@<db>__:<key>\\n<subkey>``; its messages carry the event.
    (The server sends none for a key holding a newline.)

    :param key_or_pattern: a key or a glob pattern.
    :param subkey_or_pattern: a subkey (hash field) or a glob pattern.
    :param db: the database.
    """

    PREFIX: ClassVar[str] = "__subkeyspaceitem@"

    def __init__(
        self, key_or_pattern: str, subkey_or_pattern: str, db: int = 0
    ) -> None:
        self.key_or_pattern = key_or_pattern
        self.subkey_or_pattern = subkey_or_pattern
        self.db = db
        self._channel_str = self._name(f"{key_or_pattern}\n{subkey_or_pattern}")

    @property
    def is_pattern(self) -> bool:
        """Whether the key or the subkey part has glob characters."""
        return is_glob(self.key_or_pattern) or is_glob(self.subkey_or_pattern)

    def __repr__(self) -> str:
        return (
            f"SubkeyspaceitemChannel({self.key_or_pattern!r}, "
            f"{self.subkey_or_pattern!r}, db={self.db})"
        )


class SubkeyspaceeventChannel(_Channel):
    """The channel of one event on one key, with the subkeys it touched:
    ``__subkeyspaceevent@<db>__:<event>|<key>``; its messages carry the subkeys.

    :param event: an event name or a glob pattern.
    :param key_or_pattern: a key or a glob pattern.
    :param db: the database.
    """

    PREFIX: ClassVar[str] = "__subkeyspaceevent@"

    def __init__(self, event: str, key_or_pattern: str, db: int = 0) -> None:
        self.event = event
        self.key_or_pattern = key_or_pattern
        self.db = db
        self._channel_str = self._name(f"{event}|{key_or_pattern}")

    @property
    def is_pattern(self) -> bool:
        """Whether the event or the key part has glob characters."""
        return is_glob(self.event) or is_glob(self.key_or_pattern)

    def __repr__(self) -> str:
        return (
            f"SubkeyspaceeventChannel({self.event!r}, "
            f"{self.key_or_pattern!r}, db={self.db})"
        )


#: What ``subscribe()`` and ``unsubscribe()`` take: a channel name (text or
#: bytes, a pattern or not) or a channel object.
ChannelT: TypeAlias = (
    str
    | bytes
    | KeyspaceChannel
    | KeyeventChannel
    | SubkeyspaceChannel
    | SubkeyeventChannel
    | SubkeyspaceitemChannel
    | SubkeyspaceeventChannel
)


class ChannelType(Enum):
    """The kind of a notification channel (:func:`get_channel_type`)."""

    KEYSPACE = "keyspace"
    KEYEVENT = "keyevent"
    SUBKEYSPACE = "subkeyspace"
    SUBKEYEVENT = "subkeyevent"
    SUBKEYSPACEITEM = "subkeyspaceitem"
    SUBKEYSPACEEVENT = "subkeyspaceevent"


# The kind of each prefix. No prefix starts another ("__subkeyspace@" ends at
# the "@"), so the order does not matter.
_PREFIXES = (
    (SubkeyspaceitemChannel.PREFIX, ChannelType.SUBKEYSPACEITEM),
    (SubkeyspaceeventChannel.PREFIX, ChannelType.SUBKEYSPACEEVENT),
    (SubkeyspaceChannel.PREFIX, ChannelType.SUBKEYSPACE),
    (SubkeyeventChannel.PREFIX, ChannelType.SUBKEYEVENT),
    (KeyspaceChannel.PREFIX, ChannelType.KEYSPACE),
    (KeyeventChannel.PREFIX, ChannelType.KEYEVENT),
)


def get_channel_type(channel: str | bytes) -> ChannelType | None:
    """The kind of notification channel ``channel`` names, by its prefix
    (``__keyspace@``...), or None for any other channel.

    >>> get_channel_type("__keyevent@0__:set")
    <ChannelType.KEYEVENT: 'keyevent'>
    """
    name = text(channel)
    for prefix, kind in _PREFIXES:
        if name.startswith(prefix):
            return kind
    return None
