"""Type aliases shared by the Redis client and its command mixins.

The names and meanings follow redis-py's ``redis.typing`` so that code moving
over keeps its annotations: a key is ``str | bytes | memoryview``, a value that
can be sent is any of those or a number, and a command's return annotation is
``ResponseT`` because the same mixin method returns an awaitable on ``Redis``
and the pipeline itself on ``Pipeline``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeAlias, TypeVar

Number: TypeAlias = int | float

#: Values already in wire form.
EncodedT: TypeAlias = bytes | bytearray | memoryview
#: Values the client encodes (str with the client's encoding, numbers as repr).
DecodedT: TypeAlias = str | int | float
#: Anything that can be sent as one command argument.
EncodableT: TypeAlias = EncodedT | DecodedT

_StringLikeT: TypeAlias = bytes | str | memoryview

#: A key in the Redis key space.
KeyT: TypeAlias = _StringLikeT
#: The key type of a mapping of keys (``mset``, ``zadd``, ``xread``): a
#: constrained ``TypeVar``, as redis-py's, because ``Mapping`` is invariant in its
#: keys, so ``Mapping[str | bytes | memoryview, X]`` would refuse a
#: ``dict[str, X]`` held in a typed variable.
AnyKeyT = TypeVar("AnyKeyT", bytes, str, memoryview)
#: One key or an iterable of keys (``blpop(keys, ...)``, ``sinter(keys, *args)``).
KeysT: TypeAlias = KeyT | Iterable[KeyT]
#: Glob-style pattern matched against keys, fields, channels.
PatternT: TypeAlias = _StringLikeT
#: A field of a hash or stream entry, a geo member.
FieldT: TypeAlias = EncodableT
#: The key type of a mapping of fields (``hset(mapping=...)``, ``xadd``): a
#: constrained ``TypeVar`` for the reason given at :data:`AnyKeyT`.
FieldKeyT = TypeVar("FieldKeyT", bytes, bytearray, memoryview, str, int, float)
#: A pub/sub channel name.
ChannelT: TypeAlias = _StringLikeT
#: A stream entry ID (``"1526919030474-55"``, ``"$"``, ``">"``) or a millisecond int.
StreamIdT: TypeAlias = int | _StringLikeT
#: Consumer group and consumer names.
GroupT: TypeAlias = _StringLikeT
ConsumerT: TypeAlias = _StringLikeT
#: Lua script source.
ScriptTextT: TypeAlias = _StringLikeT
#: Relative expiry: seconds (or ms for the ``p*`` commands) or a timedelta.
ExpiryT: TypeAlias = int | timedelta
#: Absolute expiry: a unix time in seconds (ms for ``p*``) or a datetime.
AbsExpiryT: TypeAlias = int | datetime
#: A sorted-set score bound; a str allows ``"(1.5"``, ``"-inf"``, ``"+inf"``.
ZScoreBoundT: TypeAlias = float | str
#: A BITFIELD offset; a str allows the ``#N`` (type-width multiple) form.
BitfieldOffsetT: TypeAlias = int | str
#: A blocking command's timeout in seconds.
TimeoutSecT: TypeAlias = int | float | _StringLikeT
#: A command's result: awaitable on ``Redis``, the pipeline on ``Pipeline``.
ResponseT: TypeAlias = Awaitable[Any] | Any
#: A pub/sub message handler: called with the message dict (the async client
#: also awaits what a coroutine function returns).
PubSubHandler: TypeAlias = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Subscription:
    """A channel or pattern with an optional handler, as redis-py 8's
    ``redis.Subscription``: ``pubsub.subscribe(Subscription(b"\\xff", handler))``
    attaches a handler to a name that cannot be a keyword argument.

    :param name: the channel or pattern.
    :param handler: called with each of its messages instead of returning them
        from ``get_message()``/``listen()``; None returns them.

    .. versionadded:: 0.1
    """

    name: ChannelT
    handler: PubSubHandler | None = None


__all__ = (
    "AbsExpiryT",
    "AnyKeyT",
    "BitfieldOffsetT",
    "ChannelT",
    "ConsumerT",
    "DecodedT",
    "EncodableT",
    "EncodedT",
    "ExpiryT",
    "FieldKeyT",
    "FieldT",
    "GroupT",
    "KeyT",
    "KeysT",
    "Number",
    "PatternT",
    "PubSubHandler",
    "ResponseT",
    "ScriptTextT",
    "StreamIdT",
    "Subscription",
    "TimeoutSecT",
    "ZScoreBoundT",
)
