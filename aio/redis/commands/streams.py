"""Stream commands: XADD, XREAD(GROUP), consumer groups, XPENDING, XINFO...

XREAD/XREADGROUP with ``block`` pass ``timeout=block/1000`` seconds as an option
(``0`` = forever), so the connection does not time the wait out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aio.redis._types import (
    ConsumerT,
    EncodableT,
    FieldT,
    GroupT,
    KeyT,
    ResponseT,
    StreamIdT,
)
from aio.redis.commands._base import CommandsBase
from aio.redis.exceptions import DataError

__all__ = ("StreamCommands",)


def _non_negative_int(command: str, name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DataError(f"{command}: {name} must be a non-negative integer")


def _at_least_zero(command: str, name: str, value: Any) -> bool:
    """Whether ``value`` is given; refuses a negative one before sending, as
    redis-py does (``int()`` of a non-number raises ValueError, like redis-py)."""
    if value is None:
        return False
    if int(value) < 0:
        raise DataError(f"{command}: {name} must be a non-negative integer")
    return True


def _positive_count(command: str, value: Any) -> None:
    if not isinstance(value, int) or value < 1:
        raise DataError(f"{command}: count must be a positive integer")


def _non_empty(command: str, what: str, value: Any, kinds: Any) -> None:
    # Checked at run time too: redis-py users get DataError, not a server error.
    if not isinstance(value, kinds) or not value:
        raise DataError(f"{command}: {what} must be non-empty")


def _trim_pieces(
    command: str,
    maxlen: int | None,
    approximate: bool,
    minid: StreamIdT | None,
    limit: int | None,
) -> list[Any]:
    if maxlen is not None and minid is not None:
        raise DataError(f"{command}: only one of maxlen and minid may be given")
    pieces: list[Any] = []
    if maxlen is not None:
        _non_negative_int(command, "maxlen", maxlen)
        pieces.append("MAXLEN")
        if approximate:
            pieces.append("~")
        pieces.append(maxlen)
    if minid is not None:
        pieces.append("MINID")
        if approximate:
            pieces.append("~")
        pieces.append(minid)
    if limit is not None:
        pieces += ["LIMIT", limit]
    return pieces


def _streams_pieces(command: str, streams: Mapping[KeyT, StreamIdT]) -> list[Any]:
    _non_empty(command, "streams", streams, Mapping)
    return ["STREAMS", *streams.keys(), *streams.values()]


class StreamCommands(CommandsBase):
    """Stream commands, with redis-py's method names and return values."""

    def xadd(
        self,
        name: KeyT,
        fields: Mapping[FieldT, EncodableT],
        id: StreamIdT = "*",
        maxlen: int | None = None,
        approximate: bool = True,
        nomkstream: bool = False,
        minid: StreamIdT | None = None,
        limit: int | None = None,
    ) -> ResponseT:
        """Append an entry; returns its ID (None with nomkstream and no stream).

        :raises DataError: for empty ``fields``, maxlen with minid, bad maxlen.
        """
        pieces: list[Any] = []
        if nomkstream:
            pieces.append("NOMKSTREAM")
        pieces += _trim_pieces("XADD", maxlen, approximate, minid, limit)
        pieces.append(id)
        _non_empty("XADD", "fields", fields, Mapping)
        for pair in fields.items():
            pieces.extend(pair)
        return self.execute_command("XADD", name, *pieces)

    def xlen(self, name: KeyT) -> ResponseT:
        """The number of entries."""
        return self.execute_command("XLEN", name, keys=[name])

    def xdel(self, name: KeyT, *ids: StreamIdT) -> ResponseT:
        """Delete entries; returns how many existed."""
        return self.execute_command("XDEL", name, *ids)

    def xtrim(
        self,
        name: KeyT,
        maxlen: int | None = None,
        approximate: bool = True,
        minid: StreamIdT | None = None,
        limit: int | None = None,
    ) -> ResponseT:
        """Trim by length or minimum ID; returns how many entries were removed."""
        if maxlen is None and minid is None:
            raise DataError("XTRIM: one of maxlen and minid must be given")
        pieces = _trim_pieces("XTRIM", maxlen, approximate, minid, limit)
        return self.execute_command("XTRIM", name, *pieces)

    def xrange(
        self,
        name: KeyT,
        min: StreamIdT = "-",
        max: StreamIdT = "+",
        count: int | None = None,
    ) -> ResponseT:
        """Entries between two IDs: ``[(id, {field: value}), ...]``."""
        pieces: list[Any] = [min, max]
        if count is not None:
            _positive_count("XRANGE", count)
            pieces += ["COUNT", count]
        return self.execute_command("XRANGE", name, *pieces, keys=[name])

    def xrevrange(
        self,
        name: KeyT,
        max: StreamIdT = "+",
        min: StreamIdT = "-",
        count: int | None = None,
    ) -> ResponseT:
        """Entries between two IDs, newest first."""
        pieces: list[Any] = [max, min]
        if count is not None:
            _positive_count("XREVRANGE", count)
            pieces += ["COUNT", count]
        return self.execute_command("XREVRANGE", name, *pieces, keys=[name])

    def xread(
        self,
        streams: Mapping[KeyT, StreamIdT],
        count: int | None = None,
        block: int | None = None,
    ) -> ResponseT:
        """Read entries after the given IDs: ``[[stream, entries], ...]``.

        :param block: wait up to this many milliseconds (0 = forever).
        """
        pieces: list[Any] = []
        options: dict[str, Any] = {}
        if block is not None:
            _non_negative_int("XREAD", "block", block)
            pieces += ["BLOCK", block]
            options["timeout"] = block / 1000
        if count is not None:
            _positive_count("XREAD", count)
            pieces += ["COUNT", count]
        pieces += _streams_pieces("XREAD", streams)
        return self.execute_command("XREAD", *pieces, **options)

    def xreadgroup(
        self,
        groupname: GroupT,
        consumername: ConsumerT,
        streams: Mapping[KeyT, StreamIdT],
        count: int | None = None,
        block: int | None = None,
        noack: bool = False,
    ) -> ResponseT:
        """Read as a consumer of a group (``">"`` for new entries)."""
        pieces: list[Any] = ["GROUP", groupname, consumername]
        options: dict[str, Any] = {}
        if count is not None:
            _positive_count("XREADGROUP", count)
            pieces += ["COUNT", count]
        if block is not None:
            _non_negative_int("XREADGROUP", "block", block)
            pieces += ["BLOCK", block]
            options["timeout"] = block / 1000
        if noack:
            pieces.append("NOACK")
        pieces += _streams_pieces("XREADGROUP", streams)
        return self.execute_command("XREADGROUP", *pieces, **options)

    def xack(self, name: KeyT, groupname: GroupT, *ids: StreamIdT) -> ResponseT:
        """Acknowledge entries; returns how many were pending."""
        return self.execute_command("XACK", name, groupname, *ids)

    def xclaim(
        self,
        name: KeyT,
        groupname: GroupT,
        consumername: ConsumerT,
        min_idle_time: int,
        message_ids: list[StreamIdT] | tuple[StreamIdT, ...],
        idle: int | None = None,
        time: int | None = None,
        retrycount: int | None = None,
        force: bool = False,
        justid: bool = False,
    ) -> ResponseT:
        """Take over pending entries idle for ``min_idle_time`` ms.

        :returns: the claimed entries, or their IDs with ``justid``.
        """
        _non_negative_int("XCLAIM", "min_idle_time", min_idle_time)
        _non_empty("XCLAIM", "message_ids", message_ids, (list, tuple))
        pieces: list[Any] = [name, groupname, consumername, min_idle_time]
        pieces.extend(message_ids)
        for token, value in (
            ("IDLE", idle),
            ("TIME", time),
            ("RETRYCOUNT", retrycount),
        ):
            if value is not None:
                _non_negative_int("XCLAIM", token.lower(), value)
                pieces += [token, value]
        if force:
            pieces.append("FORCE")
        options: dict[str, Any] = {}
        if justid:
            pieces.append("JUSTID")
            options["parse_justid"] = True
        return self.execute_command("XCLAIM", *pieces, **options)

    def xautoclaim(
        self,
        name: KeyT,
        groupname: GroupT,
        consumername: ConsumerT,
        min_idle_time: int,
        start_id: StreamIdT = "0-0",
        count: int | None = None,
        justid: bool = False,
    ) -> ResponseT:
        """Claim entries idle for ``min_idle_time`` ms, scanning from ``start_id``.

        :returns: ``[next_start_id, entries, deleted_ids]``, or the IDs with justid.
        """
        _at_least_zero("XAUTOCLAIM", "min_idle_time", min_idle_time)
        pieces: list[Any] = [name, groupname, consumername, min_idle_time, start_id]
        if _at_least_zero("XAUTOCLAIM", "count", count):
            pieces += ["COUNT", count]
        options: dict[str, Any] = {}
        if justid:
            pieces.append("JUSTID")
            options["parse_justid"] = True
        return self.execute_command("XAUTOCLAIM", *pieces, **options)

    def xpending(self, name: KeyT, groupname: GroupT) -> ResponseT:
        """Summary of a group's pending entries: a dict."""
        return self.execute_command("XPENDING", name, groupname, keys=[name])

    def xpending_range(
        self,
        name: KeyT,
        groupname: GroupT,
        min: StreamIdT | None,
        max: StreamIdT | None,
        count: int | None,
        consumername: ConsumerT | None = None,
        idle: int | None = None,
    ) -> ResponseT:
        """Details of pending entries: one dict per entry (with min, max and
        count all None and no idle/consumername: the :meth:`xpending` summary).

        :raises DataError: min, max and count not all given, or a negative
            ``idle``/``count`` (checked before sending, as redis-py does).
        """
        if min is None and max is None and count is None:
            if idle is None and consumername is None:
                return self.xpending(name, groupname)  # redis-py does the same
        if min is None or max is None or count is None:
            raise DataError(
                "XPENDING must be provided with min, max and count parameters"
            )
        pieces: list[Any] = [name, groupname]
        if _at_least_zero("XPENDING", "idle", idle):
            pieces += ["IDLE", idle]
        _at_least_zero("XPENDING", "count", count)
        pieces += [min, max, count]
        if consumername is not None:
            pieces.append(consumername)
        return self.execute_command("XPENDING", *pieces, parse_detail=True)

    def xgroup_create(
        self,
        name: KeyT,
        groupname: GroupT,
        id: StreamIdT = "$",
        mkstream: bool = False,
        entries_read: int | None = None,
    ) -> ResponseT:
        """Create a consumer group; returns True."""
        pieces: list[Any] = [name, groupname, id]
        if mkstream:
            pieces.append("MKSTREAM")
        if entries_read is not None:
            pieces += ["ENTRIESREAD", entries_read]
        return self.execute_command("XGROUP CREATE", *pieces)

    def xgroup_destroy(self, name: KeyT, groupname: GroupT) -> ResponseT:
        """Destroy a consumer group; returns whether it existed."""
        return self.execute_command("XGROUP DESTROY", name, groupname)

    def xgroup_setid(
        self,
        name: KeyT,
        groupname: GroupT,
        id: StreamIdT,
        entries_read: int | None = None,
    ) -> ResponseT:
        """Move a group's last-delivered ID; returns True."""
        pieces: list[Any] = [name, groupname, id]
        if entries_read is not None:
            pieces += ["ENTRIESREAD", entries_read]
        return self.execute_command("XGROUP SETID", *pieces)

    def xgroup_createconsumer(
        self, name: KeyT, groupname: GroupT, consumername: ConsumerT
    ) -> ResponseT:
        """Create a consumer; returns 1 if created."""
        return self.execute_command(
            "XGROUP CREATECONSUMER", name, groupname, consumername
        )

    def xgroup_delconsumer(
        self, name: KeyT, groupname: GroupT, consumername: ConsumerT
    ) -> ResponseT:
        """Delete a consumer; returns how many entries it had pending."""
        return self.execute_command("XGROUP DELCONSUMER", name, groupname, consumername)

    def xinfo_stream(self, name: KeyT, full: bool = False) -> ResponseT:
        """Stream information as a dict (``full=True`` for every detail)."""
        pieces: list[Any] = [name]
        options: dict[str, Any] = {}
        if full:
            pieces.append("FULL")
            options["full"] = True
        return self.execute_command("XINFO STREAM", *pieces, **options)

    def xinfo_groups(self, name: KeyT) -> ResponseT:
        """One dict per consumer group."""
        return self.execute_command("XINFO GROUPS", name)

    def xinfo_consumers(self, name: KeyT, groupname: GroupT) -> ResponseT:
        """One dict per consumer of a group."""
        return self.execute_command("XINFO CONSUMERS", name, groupname)
