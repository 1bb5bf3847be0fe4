"""Stream commands: XADD, XREAD(GROUP), consumer groups, XPENDING, XINFO...

XREAD/XREADGROUP with ``block`` pass ``timeout=block/1000`` seconds as an option
(``0`` = forever), so the connection does not time the wait out.

Redis 8.2+ added consumer-group-aware deletion (``ref_policy`` on XADD/XTRIM,
XACKDEL, XDELEX), 8.4 XREADGROUP CLAIM, 8.6 idempotent XADD (IDMP, XCFGSET) and
XNACK, 8.10 the MAXCOUNT/MAXSIZE caps of XREAD(GROUP).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aio.redis._types import (
    AnyKeyT,
    ConsumerT,
    EncodableT,
    FieldKeyT,
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


def _positive_count(command: str, value: Any, name: str = "count") -> None:
    if not isinstance(value, int) or value < 1:
        raise DataError(f"{command}: {name} must be a positive integer")


_REF_POLICIES = ("KEEPREF", "DELREF", "ACKED")


def _ref_policy(command: str, value: Any) -> str:
    """What deleting an entry does to the consumer groups' pending lists."""
    if value not in _REF_POLICIES:
        raise DataError(f"{command}: ref_policy must be one of KEEPREF, DELREF, ACKED")
    return str(value)


def _read_caps(
    command: str, count: int | None, max_count: int | None, max_size: int | None
) -> list[Any]:
    """XREAD(GROUP)'s COUNT (per stream) and MAXCOUNT/MAXSIZE (whole reply)."""
    pieces: list[Any] = []
    if count is not None:
        _positive_count(command, count)
        pieces += ["COUNT", count]
    if max_count is not None:
        _positive_count(command, max_count, "max_count")
        if count is not None and max_count < count:
            raise DataError(f"{command}: max_count must be at least count")
        pieces += ["MAXCOUNT", max_count]
    if max_size is not None:
        _positive_count(command, max_size, "max_size")
        pieces += ["MAXSIZE", max_size]
    return pieces


def _idmp_pair(value: Any) -> tuple[Any, Any]:
    # Checked at run time: a str here would be sent as its characters.
    if not isinstance(value, tuple) or len(value) != 2:
        raise DataError("XADD: idmp must be a (producer_id, idempotent_id) tuple")
    return value[0], value[1]


def _int_within(command: str, name: str, value: Any, top: int) -> None:
    if not isinstance(value, int) or not 1 <= value <= top:
        raise DataError(f"{command}: {name} must be an integer from 1 to {top:,}")


def _ids_block(command: str, ids: tuple[StreamIdT, ...]) -> list[Any]:
    if not ids:
        raise DataError(f"{command}: at least one message ID is required")
    return ["IDS", len(ids), *ids]


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


def _streams_pieces(command: str, streams: Mapping[AnyKeyT, StreamIdT]) -> list[Any]:
    _non_empty(command, "streams", streams, Mapping)
    return ["STREAMS", *streams.keys(), *streams.values()]


class StreamCommands(CommandsBase):
    """Stream commands, with redis-py's method names and return values."""

    def xadd(
        self,
        name: KeyT,
        fields: Mapping[FieldKeyT, EncodableT],
        id: StreamIdT = "*",
        maxlen: int | None = None,
        approximate: bool = True,
        nomkstream: bool = False,
        minid: StreamIdT | None = None,
        limit: int | None = None,
        ref_policy: str | None = None,
        idmpauto: str | None = None,
        idmp: tuple[str, bytes] | None = None,
    ) -> ResponseT:
        """Append an entry; returns its ID (None with nomkstream and no stream).

        :param ref_policy: what trimming does to the groups' pending lists:
            ``"KEEPREF"`` (keep references), ``"DELREF"`` (drop them) or
            ``"ACKED"`` (trim only entries every group acknowledged) (8.2+).
        :param idmpauto: a producer ID: the server derives an idempotency ID
            from the entry and drops duplicates (8.6+, only with ``id="*"``).
        :param idmp: ``(producer_id, idempotent_id)``: the same with an
            explicit idempotency ID (8.6+, only with ``id="*"``).
        :raises DataError: for empty ``fields``, maxlen with minid, bad maxlen,
            idmpauto with idmp, either with an explicit id, a bad ref_policy.
        """
        pieces: list[Any] = []
        if idmpauto is not None and idmp is not None:
            raise DataError("XADD: only one of idmpauto and idmp may be given")
        if (idmpauto is not None or idmp is not None) and id != "*":
            raise DataError("XADD: idmpauto and idmp need id='*'")
        if nomkstream:
            pieces.append("NOMKSTREAM")
        if ref_policy is not None:
            pieces.append(_ref_policy("XADD", ref_policy))
        if idmpauto is not None:
            pieces += ["IDMPAUTO", idmpauto]
        if idmp is not None:
            pieces += ["IDMP", *_idmp_pair(idmp)]
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
        ref_policy: str | None = None,
    ) -> ResponseT:
        """Trim by length or minimum ID; returns how many entries were removed.

        :param ref_policy: ``"KEEPREF"``, ``"DELREF"`` or ``"ACKED"``, as for
            :meth:`xadd` (Redis 8.2+).
        """
        if maxlen is None and minid is None:
            raise DataError("XTRIM: one of maxlen and minid must be given")
        pieces = _trim_pieces("XTRIM", maxlen, approximate, minid, limit)
        if ref_policy is not None:
            pieces.append(_ref_policy("XTRIM", ref_policy))
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
        streams: Mapping[AnyKeyT, StreamIdT],
        count: int | None = None,
        block: int | None = None,
        max_count: int | None = None,
        max_size: int | None = None,
    ) -> ResponseT:
        """Read entries after the given IDs: ``[[stream, entries], ...]``.

        :param count: at most this many entries per stream.
        :param block: wait up to this many milliseconds (0 = forever).
        :param max_count: at most this many entries in all (>= count; 8.10+).
        :param max_size: a soft cap on the reply's size in bytes (8.10+).
        :raises DataError: for a negative block, a count, max_count or max_size
            below 1, max_count below count, or no streams.
        """
        pieces: list[Any] = []
        options: dict[str, Any] = {}
        if block is not None:
            _non_negative_int("XREAD", "block", block)
            pieces += ["BLOCK", block]
            options["timeout"] = block / 1000
        pieces += _read_caps("XREAD", count, max_count, max_size)
        pieces += _streams_pieces("XREAD", streams)
        return self.execute_command("XREAD", *pieces, **options)

    def xreadgroup(
        self,
        groupname: GroupT,
        consumername: ConsumerT,
        streams: Mapping[AnyKeyT, StreamIdT],
        count: int | None = None,
        block: int | None = None,
        noack: bool = False,
        claim_min_idle_time: int | None = None,
        max_count: int | None = None,
        max_size: int | None = None,
    ) -> ResponseT:
        """Read as a consumer of a group (``">"`` for new entries).

        :param claim_min_idle_time: also claim entries pending in the group for
            at least this many milliseconds (8.4+); entries then come back as
            ``(id, fields, idle_ms, delivery_count)``.
        :param max_count: at most this many entries in all (>= count; 8.10+).
        :param max_size: a soft cap on the reply's size in bytes (8.10+).
        :raises DataError: for bad count/max_count/max_size/block values, a
            negative claim_min_idle_time, or no streams.
        """
        pieces: list[Any] = ["GROUP", groupname, consumername]
        options: dict[str, Any] = {}
        pieces += _read_caps("XREADGROUP", count, max_count, max_size)
        if block is not None:
            _non_negative_int("XREADGROUP", "block", block)
            pieces += ["BLOCK", block]
            options["timeout"] = block / 1000
        if noack:
            pieces.append("NOACK")
        if claim_min_idle_time is not None:
            _non_negative_int("XREADGROUP", "claim_min_idle_time", claim_min_idle_time)
            pieces += ["CLAIM", claim_min_idle_time]
            options["claim_min_idle_time"] = claim_min_idle_time
        pieces += _streams_pieces("XREADGROUP", streams)
        return self.execute_command("XREADGROUP", *pieces, **options)

    def xack(self, name: KeyT, groupname: GroupT, *ids: StreamIdT) -> ResponseT:
        """Acknowledge entries; returns how many were pending."""
        return self.execute_command("XACK", name, groupname, *ids)

    def xackdel(
        self,
        name: KeyT,
        groupname: GroupT,
        *ids: StreamIdT,
        ref_policy: str = "KEEPREF",
    ) -> ResponseT:
        """Acknowledge entries and delete them from the stream (Redis 8.2+).

        :param ref_policy: ``"KEEPREF"`` (other groups keep their references),
            ``"DELREF"`` (removed from every group) or ``"ACKED"`` (deleted
            only once every group acknowledged it).
        :returns: one status per ID (-1 no such ID, 1 deleted, 2 kept).
        :raises DataError: without IDs or for a bad ref_policy.
        """
        policy = _ref_policy("XACKDEL", ref_policy)
        return self.execute_command(
            "XACKDEL", name, groupname, policy, *_ids_block("XACKDEL", ids)
        )

    def xdelex(
        self, name: KeyT, *ids: StreamIdT, ref_policy: str = "KEEPREF"
    ) -> ResponseT:
        """XDEL with control over the consumer groups' references (Redis 8.2+).

        :returns: one status per ID, as :meth:`xackdel`.
        :raises DataError: without IDs or for a bad ref_policy.
        """
        policy = _ref_policy("XDELEX", ref_policy)
        return self.execute_command("XDELEX", name, policy, *_ids_block("XDELEX", ids))

    def xnack(
        self,
        name: KeyT,
        groupname: GroupT,
        mode: str,
        *ids: StreamIdT,
        retrycount: int | None = None,
        force: bool = False,
    ) -> ResponseT:
        """Give pending entries back to the group unprocessed (Redis 8.6+).

        :param mode: ``"SILENT"`` (shutting down: the delivery count goes
            down), ``"FAIL"`` (could not process: unchanged) or ``"FATAL"``
            (never deliver again: set to the maximum).
        :param retrycount: set the delivery count to this instead.
        :param force: create unowned pending entries for IDs not pending yet.
        :returns: how many entries were nacked.
        :raises DataError: without IDs, a bad mode, or a negative retrycount.
        """
        pieces: list[Any] = [name, groupname]
        if mode not in ("SILENT", "FAIL", "FATAL"):
            raise DataError("XNACK: mode must be one of SILENT, FAIL, FATAL")
        pieces += [mode, *_ids_block("XNACK", ids)]
        if retrycount is not None:
            if retrycount < 0:
                raise DataError("XNACK: retrycount must be a non-negative integer")
            pieces += ["RETRYCOUNT", retrycount]
        if force:
            pieces.append("FORCE")
        return self.execute_command("XNACK", *pieces)

    def xcfgset(
        self,
        name: KeyT,
        idmp_duration: int | None = None,
        idmp_maxsize: int | None = None,
    ) -> ResponseT:
        """Configure a stream's idempotency map (Redis 8.6+; clears it when a
        value changes).

        :param idmp_duration: seconds an idempotency ID is remembered (1-300).
        :param idmp_maxsize: IDs remembered per producer (1-1,000,000).
        :returns: ``b"OK"`` (as redis-py: no conversion).
        :raises DataError: when neither is given or one is out of range.
        """
        if idmp_duration is None and idmp_maxsize is None:
            raise DataError("XCFGSET: give idmp_duration and/or idmp_maxsize")
        pieces: list[Any] = [name]
        for token, value, top in (
            ("IDMP-DURATION", idmp_duration, 300),
            ("IDMP-MAXSIZE", idmp_maxsize, 1_000_000),
        ):
            if value is not None:
                _int_within("XCFGSET", token.lower().replace("-", "_"), value, top)
                pieces += [token, value]
        return self.execute_command("XCFGSET", *pieces)

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
