"""Where a command goes in a cluster: its keys, or a node policy for keyless ones.

Keys are found the way the server itself describes them: ``COMMAND`` tells, for
every command (and subcommand), the position of its first and last key and the
step between keys. Commands whose keys move with their arguments (``movablekeys``:
EVAL, ZUNIONSTORE, XREAD, ...) are decoded here for the common ones; the rest are
asked of the server with ``COMMAND GETKEYS`` (the caller does that round trip).
A command mixin may also name its keys with the ``keys=`` option, which wins.

Keyless commands follow redis-py's table: most go to one "default" node, some to
every primary (FLUSHDB, SCRIPT LOAD...) or to a random one (RANDOMKEY). Replies
of several nodes (``target_nodes=``) are combined by redis-py's result callbacks
where it has one (DBSIZE summed, KEYS merged, SCAN's cursors kept per node),
else returned per node.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aio.redis.exceptions import RedisClusterException

__all__ = (
    "ALL_NODES",
    "DEFAULT_NODE",
    "PRIMARIES",
    "RANDOM",
    "REPLICAS",
    "RESULT_CALLBACKS",
    "SLOT_ID",
    "CommandInfo",
    "command_name",
    "node_flag",
)

PRIMARIES = "primaries"
REPLICAS = "replicas"
ALL_NODES = "all"
RANDOM = "random"
DEFAULT_NODE = "default-node"
SLOT_ID = "slot-id"

NODE_FLAGS = frozenset({PRIMARIES, REPLICAS, ALL_NODES, RANDOM, DEFAULT_NODE})

# As redis-py's COMMAND_FLAGS; everything else keyless (PING, KEYS, DBSIZE,
# CONFIG SET, INFO...) goes to the default node.
_PRIMARY_COMMANDS = (
    "FLUSHALL FLUSHDB SCAN SCRIPT|EXISTS SCRIPT|FLUSH SCRIPT|LOAD "
    "FUNCTION|DELETE FUNCTION|FLUSH FUNCTION|LOAD FUNCTION|RESTORE FUNCTION|LIST"
)
_RANDOM_COMMANDS = "RANDOMKEY FUNCTION|DUMP"
_SLOT_COMMANDS = (
    "CLUSTER|COUNTKEYSINSLOT CLUSTER|GETKEYSINSLOT CLUSTER|SETSLOT "
    "CLUSTER|DELSLOTS CLUSTER|DELSLOTSRANGE CLUSTER|ADDSLOTS"
)

#: Node policy of keyless commands that do not go to the default node.
COMMAND_FLAGS: dict[str, str] = {
    **dict.fromkeys(_PRIMARY_COMMANDS.split(), PRIMARIES),
    **dict.fromkeys(_RANDOM_COMMANDS.split(), RANDOM),
    **dict.fromkeys(_SLOT_COMMANDS.split(), SLOT_ID),
}


def _merge(replies: dict[str, Any]) -> list[Any]:
    # redis-py puts the items in a set: each once (the order is the nodes').
    return list(dict.fromkeys(item for value in replies.values() for item in value))


def _all_true(replies: dict[str, Any]) -> bool:
    return all(replies.values())


def _sum(replies: dict[str, Any]) -> int:
    return sum(replies.values())


def _any_unblocked(replies: dict[str, Any]) -> int:
    return 1 if sum(replies.values()) > 0 else 0


def _script_exists(replies: dict[str, Any]) -> list[bool]:
    return [all(flags) for flags in zip(*replies.values(), strict=True)]


def _last(replies: dict[str, Any]) -> Any:
    return list(replies.values())[-1]


def _first(replies: dict[str, Any]) -> Any:
    return next(iter(replies.values()))


def _numsub(replies: dict[str, Any]) -> list[tuple[Any, int]]:
    """``[(channel, count)]`` with each channel's counts added up, in the order
    the channels first appear."""
    counts: dict[Any, int] = {}
    for pairs in replies.values():
        for channel, count in pairs:
            counts[channel] = counts.get(channel, 0) + count
    return list(counts.items())


def _scan(replies: dict[str, Any]) -> tuple[dict[str, int], list[Any]]:
    """``({node name: cursor}, keys)``: each node's next cursor, every key."""
    cursors: dict[str, int] = {}
    keys: list[Any] = []
    for name, (cursor, found) in replies.items():
        cursors[name] = cursor
        keys += found
    return cursors, keys


#: How the replies of a command's nodes are combined, redis-py's
#: ``RESULT_CALLBACKS``: applied to the ``{node name: reply}`` of every call of
#: these commands, even when one node answered (so ``scan()`` always gives
#: ``({node name: cursor}, keys)``). Other commands sent to several nodes give
#: the ``{node name: reply}`` dict itself (FLUSHDB, FUNCTION LOAD, INFO...).
RESULT_CALLBACKS: dict[str, Callable[[dict[str, Any]], Any]] = {
    **dict.fromkeys(("PUBSUB|NUMSUB", "PUBSUB|SHARDNUMSUB"), _numsub),
    "PUBSUB|NUMPAT": _sum,
    **dict.fromkeys(("KEYS", "PUBSUB|CHANNELS", "PUBSUB|SHARDCHANNELS"), _merge),
    **dict.fromkeys(
        (
            "PING",
            "CONFIG|SET",
            "CONFIG|REWRITE",
            "CONFIG|RESETSTAT",
            "CLIENT|SETNAME",
            "BGSAVE",
            "SLOWLOG|RESET",
            "SAVE",
            "MEMORY|PURGE",
            "CLIENT|PAUSE",
            "CLIENT|UNPAUSE",
            "SCRIPT|FLUSH",
        ),
        _all_true,
    ),
    **dict.fromkeys(("DBSIZE", "WAIT"), _sum),
    "CLIENT|UNBLOCK": _any_unblocked,
    "SCAN": _scan,
    "SCRIPT|LOAD": _last,
    "SCRIPT|EXISTS": _script_exists,
    # Every node answers with the same map: one is enough (redis-py gives one).
    "CLUSTER|SLOTS": _first,
}


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def command_name(args: tuple[Any, ...]) -> str:
    """``GET``, or ``CONFIG|SET`` for a container command and its subcommand."""
    first = _text(args[0]).upper()
    if " " in first:
        head, _, sub = first.partition(" ")
        return f"{head}|{sub.strip()}"
    return first


def node_flag(name: str) -> str | None:
    """The node policy of a keyless command, or None (the default node)."""
    return COMMAND_FLAGS.get(name)


def _int(value: Any) -> int:
    return int(_text(value))


class CommandInfo:
    """Key positions of every command, from a ``COMMAND`` reply.

    ``keys_of(args)`` returns the keys, or None when only the server can tell
    (``COMMAND GETKEYS``).
    """

    def __init__(self) -> None:
        # name -> (first key, last key, step, movable, readonly)
        self.commands: dict[str, tuple[int, int, int, bool, bool]] = {}

    def __len__(self) -> int:
        return len(self.commands)

    def load(self, reply: Any) -> None:
        """Read a ``COMMAND`` reply (RESP2 or RESP3 shape)."""
        try:
            for entry in reply or ():
                self._load_entry(entry)
        except (TypeError, ValueError, IndexError, UnicodeError) as exc:
            raise RedisClusterException(f"Unexpected COMMAND reply: {exc}") from exc

    def _load_entry(self, entry: Any) -> None:
        name = _text(entry[0]).upper()
        flags = {_text(f) for f in entry[2]}
        self.commands[name] = (
            _int(entry[3]),
            _int(entry[4]),
            _int(entry[5]),
            "movablekeys" in flags,
            "readonly" in flags,
        )
        if len(entry) > 9 and entry[9]:
            for sub in entry[9]:
                self._load_entry(sub)

    def _info(self, args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]] | None:
        """The command's table name (``OBJECT|ENCODING``) and its words."""
        name = command_name(args)
        words = (*name.split("|"), *args[1:]) if "|" in name else args
        if "|" not in name and len(words) > 1 and isinstance(words[1], str | bytes):
            sub = f"{name}|{_text(words[1]).upper()}"
            if sub in self.commands:
                return sub, tuple(words)
        if name in self.commands:
            return name, tuple(words)
        return None

    def table_name(self, args: tuple[Any, ...]) -> str:
        """The name routing tables use: ``GET``, ``CONFIG|SET``."""
        found = self._info(args)
        return found[0] if found is not None else command_name(args)

    def is_readonly(self, args: tuple[Any, ...]) -> bool:
        """Whether the server flags this command ``readonly``."""
        found = self._info(args)
        return found is not None and self.commands[found[0]][4]

    def needs_keys(self, args: tuple[Any, ...]) -> bool:
        """Whether the command has keys at fixed positions (GET, MSET...), so
        that one sent without them cannot be routed. Commands whose keys move
        (EVAL with no key, XREAD...) and keyless ones do not."""
        found = self._info(args)
        if found is None:
            return False
        first, _, _, movable, _ = self.commands[found[0]]
        return first > 0 and not movable

    def is_known(self, args: tuple[Any, ...]) -> bool:
        """Whether ``COMMAND`` described this command."""
        return self._info(args) is not None

    def keys_of(self, args: tuple[Any, ...]) -> list[Any] | None:
        """The keys of a command ([] for keyless), or None when the server must
        be asked."""
        found = self._info(args)
        if found is None:
            return None
        name, words = found
        first, last, step, movable, _ = self.commands[name]
        if movable:
            return _movable_keys(name, words)
        if first <= 0:
            return []
        end = len(words) + last if last < 0 else last
        return list(words[first : end + 1 : step])


def _numkeys(words: tuple[Any, ...], at: int) -> list[Any] | None:
    """Keys counted by the ``numkeys`` argument at ``at``, right after it."""
    try:
        count = _int(words[at])
    except (IndexError, ValueError):
        return None
    return list(words[at + 1 : at + 1 + count])


def _movable_keys(name: str, words: tuple[Any, ...]) -> list[Any] | None:
    if name in ("EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"):
        return _numkeys(words, 2)
    if name in ("ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "SINTERCARD"):
        return _numkeys(words, 1)
    if name in ("LMPOP", "ZMPOP"):
        return _numkeys(words, 1)
    if name in ("BLMPOP", "BZMPOP"):
        return _numkeys(words, 2)
    if name in ("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"):
        rest = _numkeys(words, 2)
        return None if rest is None else [words[1], *rest]
    if name in ("XREAD", "XREADGROUP"):
        upper = [_text(w).upper() if isinstance(w, str | bytes) else "" for w in words]
        if "STREAMS" not in upper:
            return None
        tail = words[upper.index("STREAMS") + 1 :]
        return list(tail[: len(tail) // 2])
    return None
