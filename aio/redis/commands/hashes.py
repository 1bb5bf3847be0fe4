"""Hash commands, ``hscan_iter``, and the per-field expiry family (Redis 7.4+)."""

from __future__ import annotations

import enum
import warnings
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any

from aio.redis._types import (
    AbsExpiryT,
    EncodableT,
    ExpiryT,
    FieldKeyT,
    FieldT,
    KeyT,
    PatternT,
    ResponseT,
)
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import (
    expiry_conditions,
    getex_options,
    list_or_args,
    one_of,
    option_word,
    scan_options,
    unix_milliseconds,
    unix_seconds,
)
from aio.redis.commands._util import (
    milliseconds as to_milliseconds,
)
from aio.redis.commands._util import (
    seconds as to_seconds,
)
from aio.redis.exceptions import DataError

__all__ = ("HashCommands", "HashDataPersistOptions")


class HashDataPersistOptions(enum.Enum):
    """``hsetex``'s condition: set the fields only if none (FNX) or all (FXX)
    already exist."""

    FNX = "FNX"
    FXX = "FXX"


def _field_pairs(
    command: str,
    key: FieldT | None,
    value: EncodableT | None,
    mapping: Mapping[FieldKeyT, EncodableT] | None,
    items: Sequence[EncodableT] | None,
) -> list[Any]:
    """HSET's and HSETEX's field/value list from its three ways of giving it."""
    if key is None and not mapping and not items:
        raise DataError(f"{command}: no field/value pairs given")
    pieces: list[Any] = []
    if items:
        pieces.extend(items)
    if key is not None:
        pieces += [key, value]
    if mapping:
        for pair in mapping.items():
            pieces.extend(pair)
    return pieces


class HashCommands(CommandsBase):
    """Hash commands, with redis-py's method names and return values."""

    def hset(
        self,
        name: KeyT,
        key: FieldT | None = None,
        value: EncodableT | None = None,
        mapping: Mapping[FieldKeyT, EncodableT] | None = None,
        items: Sequence[EncodableT] | None = None,
    ) -> ResponseT:
        """Set fields: ``key``/``value``, a ``mapping``, and/or flat ``items``.

        :returns: the number of fields that were added (not updated).
        :raises DataError: when no field is given.
        """
        pieces = _field_pairs("HSET", key, value, mapping, items)
        return self.execute_command("HSET", name, *pieces)

    def hsetex(
        self,
        name: KeyT,
        key: FieldT | None = None,
        value: EncodableT | None = None,
        mapping: Mapping[FieldKeyT, EncodableT] | None = None,
        items: Sequence[EncodableT] | None = None,
        ex: ExpiryT | None = None,
        px: ExpiryT | None = None,
        exat: AbsExpiryT | None = None,
        pxat: AbsExpiryT | None = None,
        data_persist_option: HashDataPersistOptions | None = None,
        keepttl: bool = False,
    ) -> ResponseT:
        """Set fields (as :meth:`hset` takes them) and their expiry (Redis 8+).

        :param data_persist_option: ``HashDataPersistOptions.FNX`` (only if no
            field exists yet) or ``FXX`` (only if all do).
        :returns: 1 when the fields were set, 0 when the condition prevented it.
        :raises DataError: when no field is given, ``items`` has an odd length,
            or more than one of ex, px, exat, pxat and keepttl is given.
        """
        if items and len(items) % 2:
            raise DataError("HSETEX: items must hold field/value pairs (even length)")
        pieces = _field_pairs("HSETEX", key, value, mapping, items)
        one_of("HSETEX", ex=ex, px=px, exat=exat, pxat=pxat, keepttl=keepttl)
        options = getex_options(ex, px, exat, pxat)
        if data_persist_option:
            word = option_word(
                data_persist_option, "data_persist_option", ("FNX", "FXX")
            )
            options.append(word)
        if keepttl:
            options.append("KEEPTTL")
        return self.execute_command(
            "HSETEX", name, *options, "FIELDS", len(pieces) // 2, *pieces, keys=[name]
        )

    def hmset(self, name: KeyT, mapping: Mapping[FieldKeyT, EncodableT]) -> ResponseT:
        """Deprecated alias of ``hset(name, mapping=...)``; returns True."""
        warnings.warn(
            "hmset() is deprecated, use hset(name, mapping=...)",
            DeprecationWarning,
            stacklevel=2,
        )
        if not mapping:
            raise DataError("hmset: mapping must not be empty")
        pieces: list[Any] = []
        for pair in mapping.items():
            pieces.extend(pair)
        return self.execute_command("HMSET", name, *pieces)

    def hsetnx(self, name: KeyT, key: FieldT, value: EncodableT) -> ResponseT:
        """Set a field only if it does not exist; returns 1 or 0."""
        return self.execute_command("HSETNX", name, key, value)

    def hget(self, name: KeyT, key: FieldT) -> ResponseT:
        """The value of a field, or None."""
        return self.execute_command("HGET", name, key, keys=[name])

    def hmget(
        self, name: KeyT, keys: FieldT | Iterable[FieldT], *args: FieldT
    ) -> ResponseT:
        """The values of several fields (None where missing)."""
        fields = list_or_args(keys, args)
        return self.execute_command("HMGET", name, *fields, keys=[name])

    def hgetall(self, name: KeyT) -> ResponseT:
        """All fields and values as a dict."""
        return self.execute_command("HGETALL", name, keys=[name])

    def hdel(self, name: KeyT, *keys: FieldT) -> ResponseT:
        """Delete fields; returns how many existed."""
        return self.execute_command("HDEL", name, *keys)

    def hexists(self, name: KeyT, key: FieldT) -> ResponseT:
        """Whether the field exists (a bool)."""
        return self.execute_command("HEXISTS", name, key, keys=[name])

    def hincrby(self, name: KeyT, key: FieldT, amount: int = 1) -> ResponseT:
        """Increment an integer field; returns the new value."""
        return self.execute_command("HINCRBY", name, key, amount)

    def hincrbyfloat(self, name: KeyT, key: FieldT, amount: float = 1.0) -> ResponseT:
        """Increment a float field; returns the new value as a float."""
        return self.execute_command("HINCRBYFLOAT", name, key, amount)

    def hkeys(self, name: KeyT) -> ResponseT:
        """All field names."""
        return self.execute_command("HKEYS", name, keys=[name])

    def hvals(self, name: KeyT) -> ResponseT:
        """All values."""
        return self.execute_command("HVALS", name, keys=[name])

    def hlen(self, name: KeyT) -> ResponseT:
        """The number of fields."""
        return self.execute_command("HLEN", name, keys=[name])

    def hstrlen(self, name: KeyT, key: FieldT) -> ResponseT:
        """The length of a field's value."""
        return self.execute_command("HSTRLEN", name, key, keys=[name])

    def hrandfield(
        self, key: KeyT, count: int | None = None, withvalues: bool = False
    ) -> ResponseT:
        """Random field(s); with ``withvalues`` a flat ``[field, value, ...]`` list."""
        params: list[Any] = []
        if count is not None:
            params.append(count)
        if withvalues:
            params.append("WITHVALUES")
        return self.execute_command("HRANDFIELD", key, *params, withvalues=withvalues)

    def hscan(
        self,
        name: KeyT,
        cursor: int = 0,
        match: PatternT | None = None,
        count: int | None = None,
        no_values: bool | None = None,
    ) -> ResponseT:
        """One HSCAN step: ``(cursor, {field: value})`` (``[field]`` with no_values)."""
        pieces: list[Any] = [name, cursor, *scan_options(match, count)]
        if no_values:
            pieces.append("NOVALUES")
        return self.execute_command("HSCAN", *pieces, no_values=no_values)

    async def hscan_iter(
        self,
        name: KeyT,
        match: PatternT | None = None,
        count: int | None = None,
        no_values: bool | None = None,
    ) -> AsyncIterator[Any]:
        """Iterate over ``(field, value)`` pairs (field names with no_values)."""
        cursor = None
        while cursor != 0:
            cursor, data = await self.hscan(
                name, cursor=cursor or 0, match=match, count=count, no_values=no_values
            )
            if no_values:
                for field in data:
                    yield field
            else:
                for pair in data.items():
                    yield pair

    def hgetdel(self, name: KeyT, *keys: FieldT) -> ResponseT:
        """Get and delete fields (Redis 8+)."""
        return self.execute_command("HGETDEL", name, "FIELDS", len(keys), *keys)

    def hgetex(
        self,
        name: KeyT,
        *keys: FieldT,
        ex: ExpiryT | None = None,
        px: ExpiryT | None = None,
        exat: AbsExpiryT | None = None,
        pxat: AbsExpiryT | None = None,
        persist: bool = False,
    ) -> ResponseT:
        """Get fields and set or clear their expiry (Redis 8+)."""
        one_of("HGETEX", ex=ex, px=px, exat=exat, pxat=pxat, persist=persist)
        pieces = getex_options(ex, px, exat, pxat, persist)
        return self.execute_command("HGETEX", name, *pieces, "FIELDS", len(keys), *keys)

    # -- per-field expiry (Redis 7.4+): one integer status per field -----------

    def _field_expiry(
        self,
        command: str,
        name: KeyT,
        when: int,
        fields: tuple[FieldT, ...],
        conditions: list[str],
    ) -> ResponseT:
        if len(conditions) > 1:
            raise DataError(f"{command}: only one of nx, xx, gt and lt may be set")
        return self.execute_command(
            command, name, when, *conditions, "FIELDS", len(fields), *fields
        )

    def hexpire(
        self,
        name: KeyT,
        seconds: ExpiryT,
        *fields: FieldT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire hash fields in ``seconds`` seconds."""
        conditions = expiry_conditions(nx, xx, gt, lt)
        return self._field_expiry(
            "HEXPIRE", name, to_seconds(seconds), fields, conditions
        )

    def hpexpire(
        self,
        name: KeyT,
        milliseconds: ExpiryT,
        *fields: FieldT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire hash fields in ``milliseconds`` milliseconds."""
        conditions = expiry_conditions(nx, xx, gt, lt)
        when = to_milliseconds(milliseconds)
        return self._field_expiry("HPEXPIRE", name, when, fields, conditions)

    def hexpireat(
        self,
        name: KeyT,
        unix_time_seconds: AbsExpiryT,
        *fields: FieldT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire hash fields at a unix time in seconds (or a datetime)."""
        conditions = expiry_conditions(nx, xx, gt, lt)
        when = unix_seconds(unix_time_seconds)
        return self._field_expiry("HEXPIREAT", name, when, fields, conditions)

    def hpexpireat(
        self,
        name: KeyT,
        unix_time_milliseconds: AbsExpiryT,
        *fields: FieldT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire hash fields at a unix time in milliseconds (or a datetime)."""
        conditions = expiry_conditions(nx, xx, gt, lt)
        when = unix_milliseconds(unix_time_milliseconds)
        return self._field_expiry("HPEXPIREAT", name, when, fields, conditions)

    def hpersist(self, name: KeyT, *fields: FieldT) -> ResponseT:
        """Remove the expiry of hash fields."""
        return self.execute_command("HPERSIST", name, "FIELDS", len(fields), *fields)

    def hexpiretime(self, key: KeyT, *fields: FieldT) -> ResponseT:
        """Unix expiry time in seconds of hash fields."""
        return self.execute_command("HEXPIRETIME", key, "FIELDS", len(fields), *fields)

    def hpexpiretime(self, key: KeyT, *fields: FieldT) -> ResponseT:
        """Unix expiry time in milliseconds of hash fields."""
        return self.execute_command("HPEXPIRETIME", key, "FIELDS", len(fields), *fields)

    def httl(self, key: KeyT, *fields: FieldT) -> ResponseT:
        """Seconds to live of hash fields."""
        return self.execute_command("HTTL", key, "FIELDS", len(fields), *fields)

    def hpttl(self, key: KeyT, *fields: FieldT) -> ResponseT:
        """Milliseconds to live of hash fields."""
        return self.execute_command("HPTTL", key, "FIELDS", len(fields), *fields)
