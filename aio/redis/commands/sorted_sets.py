"""Sorted-set commands, ``zscan_iter`` and the blocking ``bzpop*``.

Score-returning commands take ``score_cast_func`` (default ``float``) like
redis-py: it receives the score as RESP2 text (bytes, or str when decoding) on
both protocols, and its result is what the caller sees.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

from aio.redis._types import (
    AnyKeyT,
    EncodableT,
    FieldT,
    KeysT,
    KeyT,
    PatternT,
    ResponseT,
    TimeoutSecT,
    ZScoreBoundT,
)
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import list_or_args, scan_options
from aio.redis.exceptions import DataError

__all__ = ("SortedSetCommands",)

ScoreCast = type | Callable[[Any], Any]


class SortedSetCommands(CommandsBase):
    """Sorted-set commands, with redis-py's method names and return values."""

    def zadd(
        self,
        name: KeyT,
        mapping: Mapping[AnyKeyT, EncodableT],
        nx: bool = False,
        xx: bool = False,
        ch: bool = False,
        incr: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Add ``{member: score}``; returns the number added (changed with ``ch``).

        With ``incr`` (one member only) the new score is returned, or None.
        :raises DataError: for an empty mapping or conflicting flags.
        """
        if not mapping:
            raise DataError("zadd: requires at least one member/score pair")
        if nx and xx:
            raise DataError("zadd: only one of nx and xx may be set")
        if gt and lt:
            raise DataError("zadd: only one of gt and lt may be set")
        if nx and (gt or lt):
            raise DataError("zadd: nx cannot be combined with gt or lt")
        if incr and len(mapping) != 1:
            raise DataError("zadd: incr works with a single member/score pair")
        pieces: list[Any] = []
        options: dict[str, Any] = {}
        flags = (
            ("NX", nx),
            ("XX", xx),
            ("CH", ch),
            ("INCR", incr),
            ("GT", gt),
            ("LT", lt),
        )
        pieces += [flag for flag, on in flags if on]
        if incr:
            options["as_score"] = True
        for member, score in mapping.items():
            pieces += [score, member]
        return self.execute_command("ZADD", name, *pieces, **options)

    def zcard(self, name: KeyT) -> ResponseT:
        """The number of members."""
        return self.execute_command("ZCARD", name, keys=[name])

    def zcount(self, name: KeyT, min: ZScoreBoundT, max: ZScoreBoundT) -> ResponseT:
        """The number of members with a score in ``[min, max]``."""
        return self.execute_command("ZCOUNT", name, min, max, keys=[name])

    def zlexcount(self, name: KeyT, min: EncodableT, max: EncodableT) -> ResponseT:
        """The number of members between two lexicographic bounds."""
        return self.execute_command("ZLEXCOUNT", name, min, max, keys=[name])

    def zincrby(self, name: KeyT, amount: float, value: EncodableT) -> ResponseT:
        """Add ``amount`` to a member's score; returns the new score (float)."""
        return self.execute_command("ZINCRBY", name, amount, value)

    def zscore(self, name: KeyT, value: EncodableT) -> ResponseT:
        """A member's score (float) or None."""
        return self.execute_command("ZSCORE", name, value, keys=[name])

    def zmscore(self, key: KeyT, members: list[EncodableT]) -> ResponseT:
        """Scores of several members (None where missing).

        :raises DataError: for an empty ``members`` list.
        """
        if not members:
            raise DataError("zmscore: members must be a non-empty list")
        return self.execute_command("ZMSCORE", key, *members, keys=[key])

    def zrem(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Remove members; returns how many existed."""
        return self.execute_command("ZREM", name, *values)

    def zremrangebylex(self, name: KeyT, min: EncodableT, max: EncodableT) -> ResponseT:
        """Remove members between two lexicographic bounds."""
        return self.execute_command("ZREMRANGEBYLEX", name, min, max)

    def zremrangebyrank(self, name: KeyT, min: int, max: int) -> ResponseT:
        """Remove members ranked between ``min`` and ``max``."""
        return self.execute_command("ZREMRANGEBYRANK", name, min, max)

    def zremrangebyscore(
        self, name: KeyT, min: ZScoreBoundT, max: ZScoreBoundT
    ) -> ResponseT:
        """Remove members with a score in ``[min, max]``."""
        return self.execute_command("ZREMRANGEBYSCORE", name, min, max)

    def zrank(
        self,
        name: KeyT,
        value: EncodableT,
        withscore: bool = False,
        score_cast_func: ScoreCast = float,
    ) -> ResponseT:
        """A member's rank (lowest score first); ``[rank, score]`` with withscore."""
        pieces: list[Any] = [name, value]
        if withscore:
            pieces.append("WITHSCORE")
        return self.execute_command(
            "ZRANK", *pieces, withscore=withscore, score_cast_func=score_cast_func
        )

    def zrevrank(
        self,
        name: KeyT,
        value: EncodableT,
        withscore: bool = False,
        score_cast_func: ScoreCast = float,
    ) -> ResponseT:
        """A member's rank (highest score first); ``[rank, score]`` with withscore."""
        pieces: list[Any] = [name, value]
        if withscore:
            pieces.append("WITHSCORE")
        return self.execute_command(
            "ZREVRANK", *pieces, withscore=withscore, score_cast_func=score_cast_func
        )

    # -- ranges -------------------------------------------------------------------

    def _zrange(
        self,
        command: str,
        dest: KeyT | None,
        name: KeyT,
        start: EncodableT,
        end: EncodableT,
        desc: bool = False,
        byscore: bool = False,
        bylex: bool = False,
        withscores: bool = False,
        score_cast_func: ScoreCast = float,
        offset: int | None = None,
        num: int | None = None,
    ) -> ResponseT:
        if byscore and bylex:
            raise DataError(f"{command}: byscore and bylex cannot both be set")
        if (offset is None) != (num is None):
            raise DataError(f"{command}: offset and num must both be specified")
        if bylex and withscores:
            raise DataError(f"{command}: withscores is not supported with bylex")
        pieces: list[Any] = [] if dest is None else [dest]
        pieces += [name, start, end]
        if byscore:
            pieces.append("BYSCORE")
        if bylex:
            pieces.append("BYLEX")
        if desc:
            pieces.append("REV")
        if offset is not None:
            pieces += ["LIMIT", offset, num]
        if withscores:
            pieces.append("WITHSCORES")
        options = {"withscores": withscores, "score_cast_func": score_cast_func}
        return self.execute_command(command, *pieces, **options, keys=[name])

    def zrange(
        self,
        name: KeyT,
        start: EncodableT,
        end: EncodableT,
        desc: bool = False,
        withscores: bool = False,
        score_cast_func: ScoreCast = float,
        byscore: bool = False,
        bylex: bool = False,
        offset: int | None = None,
        num: int | None = None,
    ) -> ResponseT:
        """Members by rank (or score with ``byscore``, lex with ``bylex``).

        :returns: members, or ``[(member, score), ...]`` with ``withscores``.
        :raises DataError: for byscore+bylex, offset without num, bylex+withscores.
        """
        if desc and not byscore and not bylex and offset is None and num is None:
            # redis-py sends ZREVRANGE here (it works on servers before 6.2).
            return self.zrevrange(name, start, end, withscores, score_cast_func)  # type: ignore[arg-type]
        return self._zrange(
            "ZRANGE",
            None,
            name,
            start,
            end,
            desc,
            byscore,
            bylex,
            withscores,
            score_cast_func,
            offset,
            num,
        )

    def zrangestore(
        self,
        dest: KeyT,
        name: KeyT,
        start: EncodableT,
        end: EncodableT,
        byscore: bool = False,
        bylex: bool = False,
        desc: bool = False,
        offset: int | None = None,
        num: int | None = None,
    ) -> ResponseT:
        """Store a ZRANGE result in ``dest``; returns its size."""
        return self._zrange(
            "ZRANGESTORE",
            dest,
            name,
            start,
            end,
            desc,
            byscore,
            bylex,
            False,
            float,
            offset,
            num,
        )

    def zrevrange(
        self,
        name: KeyT,
        start: int,
        end: int,
        withscores: bool = False,
        score_cast_func: ScoreCast = float,
    ) -> ResponseT:
        """Members by rank, highest score first."""
        pieces: list[Any] = [name, start, end]
        if withscores:
            pieces.append("WITHSCORES")
        options = {"withscores": withscores, "score_cast_func": score_cast_func}
        return self.execute_command("ZREVRANGE", *pieces, **options, keys=[name])

    def zrangebyscore(
        self,
        name: KeyT,
        min: ZScoreBoundT,
        max: ZScoreBoundT,
        start: int | None = None,
        num: int | None = None,
        withscores: bool = False,
        score_cast_func: ScoreCast = float,
    ) -> ResponseT:
        """Members with a score in ``[min, max]``, optionally paged."""
        return self._by_score(
            "ZRANGEBYSCORE", name, min, max, start, num, withscores, score_cast_func
        )

    def zrevrangebyscore(
        self,
        name: KeyT,
        max: ZScoreBoundT,
        min: ZScoreBoundT,
        start: int | None = None,
        num: int | None = None,
        withscores: bool = False,
        score_cast_func: ScoreCast = float,
    ) -> ResponseT:
        """Members with a score in ``[min, max]``, highest first."""
        return self._by_score(
            "ZREVRANGEBYSCORE", name, max, min, start, num, withscores, score_cast_func
        )

    def _by_score(
        self,
        command: str,
        name: KeyT,
        first: Any,
        second: Any,
        start: int | None,
        num: int | None,
        withscores: bool,
        score_cast_func: ScoreCast,
    ) -> ResponseT:
        if (start is None) != (num is None):
            raise DataError(f"{command}: start and num must both be specified")
        pieces: list[Any] = [name, first, second]
        if start is not None:
            pieces += ["LIMIT", start, num]
        if withscores:
            pieces.append("WITHSCORES")
        options = {"withscores": withscores, "score_cast_func": score_cast_func}
        return self.execute_command(command, *pieces, **options, keys=[name])

    def zrangebylex(
        self,
        name: KeyT,
        min: EncodableT,
        max: EncodableT,
        start: int | None = None,
        num: int | None = None,
    ) -> ResponseT:
        """Members between two lexicographic bounds (``"[a"``, ``"(b"``, ``"-"``)."""
        return self._by_lex("ZRANGEBYLEX", name, min, max, start, num)

    def zrevrangebylex(
        self,
        name: KeyT,
        max: EncodableT,
        min: EncodableT,
        start: int | None = None,
        num: int | None = None,
    ) -> ResponseT:
        """Members between two lexicographic bounds, in reverse order."""
        return self._by_lex("ZREVRANGEBYLEX", name, max, min, start, num)

    def _by_lex(
        self,
        command: str,
        name: KeyT,
        first: Any,
        second: Any,
        start: int | None,
        num: int | None,
    ) -> ResponseT:
        if (start is None) != (num is None):
            raise DataError(f"{command}: start and num must both be specified")
        pieces: list[Any] = [name, first, second]
        if start is not None:
            pieces += ["LIMIT", start, num]
        return self.execute_command(command, *pieces, keys=[name])

    # -- pops -------------------------------------------------------------------

    def zpopmax(self, name: KeyT, count: int | None = None) -> ResponseT:
        """Pop the highest-scored members: ``[(member, score), ...]``."""
        args = [count] if count is not None else []
        return self.execute_command("ZPOPMAX", name, *args, withscores=True)

    def zpopmin(self, name: KeyT, count: int | None = None) -> ResponseT:
        """Pop the lowest-scored members: ``[(member, score), ...]``."""
        args = [count] if count is not None else []
        return self.execute_command("ZPOPMIN", name, *args, withscores=True)

    def bzpopmax(self, keys: KeysT, timeout: TimeoutSecT | None = 0) -> ResponseT:
        """Blocking ZPOPMAX: ``(key, member, score)`` or None on timeout."""
        timeout = 0 if timeout is None else timeout
        names = list_or_args(keys, None)
        return self.execute_command("BZPOPMAX", *names, timeout, timeout=timeout)

    def bzpopmin(self, keys: KeysT, timeout: TimeoutSecT | None = 0) -> ResponseT:
        """Blocking ZPOPMIN: ``(key, member, score)`` or None on timeout."""
        timeout = 0 if timeout is None else timeout
        names = list_or_args(keys, None)
        return self.execute_command("BZPOPMIN", *names, timeout, timeout=timeout)

    @staticmethod
    def _min_max(min: bool | None, max: bool | None) -> str:
        if bool(min) == bool(max):
            raise DataError("zmpop: exactly one of min and max must be set")
        return "MIN" if min else "MAX"

    def zmpop(
        self,
        num_keys: int,
        keys: list[KeyT],
        min: bool | None = False,
        max: bool | None = False,
        count: int | None = 1,
    ) -> ResponseT:
        """Pop from the first non-empty set: ``[key, [[member, score], ...]]``."""
        pieces: list[Any] = [num_keys, *keys, self._min_max(min, max)]
        if count != 1:
            pieces += ["COUNT", count]
        return self.execute_command("ZMPOP", *pieces)

    def bzmpop(
        self,
        timeout: float,
        numkeys: int,
        keys: list[KeyT],
        min: bool | None = False,
        max: bool | None = False,
        count: int | None = 1,
    ) -> ResponseT:
        """Blocking ZMPOP; None on timeout."""
        pieces: list[Any] = [timeout, numkeys, *keys, self._min_max(min, max)]
        pieces += ["COUNT", count]
        return self.execute_command("BZMPOP", *pieces, timeout=timeout)

    # -- set algebra --------------------------------------------------------------

    def _zaggregate(
        self,
        command: str,
        dest: KeyT | None,
        keys: Sequence[KeyT] | Mapping[AnyKeyT, float],
        aggregate: str | None = None,
        **options: Any,
    ) -> ResponseT:
        pieces: list[Any] = [] if dest is None else [dest]
        weights: list[Any] = []
        names: list[Any]
        if isinstance(keys, Mapping):
            names = list(keys.keys())
            weights = list(keys.values())
        else:
            names = list(keys)
        pieces += [len(names), *names]
        if weights:
            pieces += ["WEIGHTS", *weights]
        if aggregate:
            if aggregate.upper() not in ("SUM", "MIN", "MAX"):
                raise DataError(f"{command}: aggregate must be sum, min or max")
            pieces += ["AGGREGATE", aggregate]
        if options.get("withscores"):
            pieces.append("WITHSCORES")
        return self.execute_command(command, *pieces, **options, keys=names)

    def zunionstore(
        self,
        dest: KeyT,
        keys: Sequence[KeyT] | Mapping[AnyKeyT, float],
        aggregate: str | None = None,
    ) -> ResponseT:
        """Store the union in ``dest`` (a dict of keys gives WEIGHTS)."""
        return self._zaggregate("ZUNIONSTORE", dest, keys, aggregate)

    def zinterstore(
        self,
        dest: KeyT,
        keys: Sequence[KeyT] | Mapping[AnyKeyT, float],
        aggregate: str | None = None,
    ) -> ResponseT:
        """Store the intersection in ``dest`` (a dict of keys gives WEIGHTS)."""
        return self._zaggregate("ZINTERSTORE", dest, keys, aggregate)

    def zunion(
        self,
        keys: Sequence[KeyT] | Mapping[AnyKeyT, float],
        aggregate: str | None = None,
        withscores: bool = False,
        score_cast_func: ScoreCast = float,
    ) -> ResponseT:
        """The union of sorted sets (members, or pairs with ``withscores``)."""
        return self._zaggregate(
            "ZUNION",
            None,
            keys,
            aggregate,
            withscores=withscores,
            score_cast_func=score_cast_func,
        )

    def zinter(
        self,
        keys: Sequence[KeyT] | Mapping[AnyKeyT, float],
        aggregate: str | None = None,
        withscores: bool = False,
    ) -> ResponseT:
        """The intersection of sorted sets (members, or pairs with ``withscores``)."""
        return self._zaggregate("ZINTER", None, keys, aggregate, withscores=withscores)

    def zintercard(self, numkeys: int, keys: list[KeyT], limit: int = 0) -> ResponseT:
        """The size of the intersection, counting at most ``limit`` (0 = all)."""
        return self.execute_command(
            "ZINTERCARD", numkeys, *keys, "LIMIT", limit, keys=keys
        )

    def zdiff(self, keys: KeysT, withscores: bool = False) -> ResponseT:
        """Members of the first set not in the others (flat with scores)."""
        names = list_or_args(keys, None)
        pieces: list[Any] = [len(names), *names]
        if withscores:
            pieces.append("WITHSCORES")
        return self.execute_command("ZDIFF", *pieces, withscores=withscores, keys=names)

    def zdiffstore(self, dest: KeyT, keys: KeysT) -> ResponseT:
        """Store ZDIFF in ``dest``; returns its size."""
        names = list_or_args(keys, None)
        return self.execute_command("ZDIFFSTORE", dest, len(names), *names)

    def zrandmember(
        self, key: KeyT, count: int | None = None, withscores: bool = False
    ) -> ResponseT:
        """Random member(s); with ``withscores`` RESP2's flat member/score list."""
        params: list[Any] = []
        if count is not None:
            params.append(count)
        if withscores:
            params.append("WITHSCORES")
        return self.execute_command("ZRANDMEMBER", key, *params, withscores=withscores)

    # -- scanning -------------------------------------------------------------------

    def zscan(
        self,
        name: KeyT,
        cursor: int = 0,
        match: PatternT | None = None,
        count: int | None = None,
        score_cast_func: ScoreCast = float,
    ) -> ResponseT:
        """One ZSCAN step: ``(cursor, [(member, score), ...])``."""
        pieces: list[Any] = [name, cursor, *scan_options(match, count)]
        return self.execute_command("ZSCAN", *pieces, score_cast_func=score_cast_func)

    async def zscan_iter(
        self,
        name: KeyT,
        match: PatternT | None = None,
        count: int | None = None,
        score_cast_func: ScoreCast = float,
    ) -> AsyncIterator[Any]:
        """Iterate over ``(member, score)`` pairs with ZSCAN."""
        cursor = None
        while cursor != 0:
            cursor, data = await self.zscan(
                name,
                cursor=cursor or 0,
                match=match,
                count=count,
                score_cast_func=score_cast_func,
            )
            for item in data:
                yield item
