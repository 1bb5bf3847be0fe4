"""A keyspace notification, parsed: :class:`KeyNotification`.

A notification is a pub/sub message whose channel names a kind of notification
(see :mod:`aio.redis._keyspace_channels`). Parsing it gives the key, the event,
the database and, for the ``sub*`` kinds, the subkeys; a channel of another name
is not a notification (None). A channel of a notification kind whose name or
data break the kind's format (anyone may PUBLISH to ``__subkeyspace@0__:k``) is
an error, :class:`KeyNotificationError`, which is a ``ValueError`` too (redis-py
raises ``ValueError`` for most of them).

Subkey lists are ``<length>:<subkey>`` items joined by ``,``, and the length
counts bytes (the server's): they are cut from the UTF-8 bytes of the data and
decoded afterwards, so a subkey with non-ASCII characters comes out whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aio.redis._keyspace_channels import ChannelType, get_channel_type, text
from aio.redis.exceptions import DataError

__all__ = ("KeyNotification", "KeyNotificationError")

# What separates the database from the rest of a channel name.
_DB_END = "__:"


class KeyNotificationError(DataError, ValueError):
    """A message on a notification channel that breaks the channel kind's format.

    :ivar channel: the channel name (text).
    :ivar data: the message data (text).
    """

    def __init__(self, reason: str, channel: str, data: str) -> None:
        super().__init__(f"malformed keyspace notification on {channel!r}: {reason}")
        self.channel = channel
        self.data = data


def _as_bytes(value: object) -> bytes:
    # The lengths in subkey lists count bytes: measure on the bytes the server
    # sent (text decoded by the connection is encoded back).
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8", "surrogatepass")


def _length_prefixed(raw: bytes, pos: int) -> tuple[bytes, int]:
    """The ``<length>:<item>`` at ``raw[pos:]`` and the position after it.

    :raises ValueError: no length, a length that is not a decimal number, or
        fewer bytes than it says.
    """
    colon = raw.find(b":", pos)
    digits = raw[pos:colon]
    if colon < 0 or not digits.isdigit():
        raise ValueError(f"expected <length>: at byte {pos}")
    start = colon + 1
    end = start + int(digits)
    if end > len(raw):
        raise ValueError(f"item at byte {pos} is shorter than {int(digits)} bytes")
    return raw[start:end], end


def _subkey_list(raw: bytes) -> list[str]:
    """The subkeys of ``<len>:<subkey>[,<len>:<subkey>...]``."""
    subkeys: list[str] = []
    pos = 0
    while pos < len(raw):
        item, pos = _length_prefixed(raw, pos)
        subkeys.append(text(item))
        if pos < len(raw):
            if raw[pos : pos + 1] != b",":
                raise ValueError(f"expected ',' at byte {pos}")
            pos += 1
    return subkeys


def _split(raw: bytes, separator: bytes, what: str) -> tuple[bytes, bytes]:
    head, found, tail = raw.partition(separator)
    if not found:
        raise ValueError(f"no {separator.decode()!r} in the {what}")
    return head, tail


def _database(rest: str) -> tuple[int, str] | None:
    """``<db>__:<name>`` as (db, name); db ``*`` (a pattern's) is -1. None
    when ``rest`` is not of that shape."""
    db, found, name = rest.partition(_DB_END)
    if not found or not name:
        return None
    if db == "*":
        return -1, name
    if not (db.isascii() and db.isdigit()):
        return None
    return int(db), name


@dataclass
class KeyNotification:
    """A keyspace, keyevent or subkey notification (redis-py's ``KeyNotification``).

    :ivar key: the key the event happened to (``key_prefix`` stripped).
    :ivar event_type: the event (``"set"``, ``"del"``...; compare with
        :class:`EventType`'s names or any string).
    :ivar database: the database number (-1 on a ``*`` pattern channel).
    :ivar channel: the channel name.
    :ivar is_keyspace: True for the key-named kinds (``__keyspace``,
        ``__subkeyspace``, ``__subkeyspaceitem``), False for the event-named ones.
    :ivar data: the message data as sent.
    :ivar subkeys: the subkeys (hash fields) of a subkey notification, else [].
    """

    key: str
    event_type: str
    database: int
    channel: str
    is_keyspace: bool
    data: str
    subkeys: list[str] = field(default_factory=list)

    @classmethod
    def from_message(
        cls,
        message: Mapping[str, object] | None,
        key_prefix: str | bytes | None = None,
    ) -> KeyNotification | None:
        """The notification a pub/sub message carries, or None when the message
        is not one (another type than ``message``/``pmessage``, another channel,
        no data, a key without ``key_prefix``).

        :param message: a message of ``PubSub.get_message()``.
        :param key_prefix: keep only keys with this prefix, and strip it.
        :raises KeyNotificationError: a notification channel with malformed data.
        """
        if not isinstance(message, Mapping):
            return None
        if message.get("type") not in ("message", "pmessage"):
            return None
        channel, data = message.get("channel"), message.get("data")
        if channel is None or data is None:
            return None
        return cls._parse(channel, data, key_prefix)

    @classmethod
    def try_parse(
        cls,
        channel: str | bytes,
        data: str | bytes,
        key_prefix: str | bytes | None = None,
    ) -> KeyNotification | None:
        """The notification of ``data`` published on ``channel``, or None when
        ``channel`` is not a notification channel (or the key lacks ``key_prefix``).

        :raises KeyNotificationError: a notification channel with malformed data.
        """
        return cls._parse(channel, data, key_prefix)

    @classmethod
    def _parse(
        cls, channel: object, data: object, key_prefix: str | bytes | None
    ) -> KeyNotification | None:
        name, payload = text(channel), text(data)
        kind = get_channel_type(name)
        if kind is None:
            return None
        parsed = _database(name[name.index("@") + 1 :])
        if parsed is None:
            return None
        database, rest = parsed
        try:
            key, event, subkeys = _fields(kind, rest, payload, _as_bytes(data))
        except ValueError as exc:
            raise KeyNotificationError(str(exc), name, payload) from None
        if key_prefix:
            prefix = text(key_prefix)
            if not key.startswith(prefix):
                return None
            key = key[len(prefix) :]
        return cls(
            key=key,
            event_type=event,
            database=database,
            channel=name,
            is_keyspace=kind in _KEY_NAMED,
            data=payload,
            subkeys=subkeys,
        )

    def key_starts_with(self, prefix: str | bytes) -> bool:
        """Whether the key starts with ``prefix``."""
        return self.key.startswith(text(prefix))


_KEY_NAMED = (
    ChannelType.KEYSPACE,
    ChannelType.SUBKEYSPACE,
    ChannelType.SUBKEYSPACEITEM,
)


def _fields(
    kind: ChannelType, rest: str, payload: str, raw: bytes
) -> tuple[str, str, list[str]]:
    """(key, event, subkeys) of a notification of ``kind`` whose channel name
    ends in ``rest``, with data ``payload`` (``raw``: its bytes)."""
    if kind is ChannelType.KEYSPACE:
        return rest, payload, []
    if kind is ChannelType.KEYEVENT:
        return payload, rest, []
    if kind is ChannelType.SUBKEYSPACE:
        event, subkeys = _split(raw, b"|", "data")
        return rest, text(event), _subkey_list(subkeys)
    if kind is ChannelType.SUBKEYEVENT:
        key, end = _length_prefixed(raw, 0)
        if raw[end : end + 1] != b"|":
            raise ValueError(f"expected '|' after the key at byte {end}")
        return text(key), rest, _subkey_list(raw[end + 1 :])
    if kind is ChannelType.SUBKEYSPACEITEM:
        item_key, found, subkey = rest.partition("\n")
        if not found:
            raise ValueError("no newline between key and subkey in the channel")
        return item_key, payload, [subkey]
    event_name, found, event_key = rest.partition("|")
    if not found:
        raise ValueError("no '|' between event and key in the channel")
    return event_key, event_name, _subkey_list(raw)
