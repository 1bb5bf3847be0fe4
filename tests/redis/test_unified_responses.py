"""``legacy_responses=False`` (redis-py 8's unified reply shapes) against
``redis.asyncio`` 8.1 with the same flag, on RESP2 and RESP3, bytes and
decoded.

The commands come from redis-py's own tables (every command it converts with
the flag off): each is run on the real server by both libraries
(:data:`SCENARIOS`) or, where it cannot run on a standalone server that other
tests share (cluster, sentinel, shutdown, Redis 8 commands...), its converter
is fed the same replies as redis-py's (:data:`SYNTHETIC`). A command redis-py
converts that neither covers fails :func:`test_every_converted_command_is_covered`.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy
from redis._parsers import response_callbacks as redispy_tables
from redis.cluster import RedisCluster as RedispyCluster

import aio.redis as aio_redis
from aio.redis import DataError
from aio.redis.client import Redis as AioRedis
from aio.redis.cluster import RedisCluster as AioCluster
from aio.redis.commands._unified import unified_callbacks

REDISPY_NAMES = frozenset(
    {
        *redispy_tables._RedisCallbacks,
        *redispy_tables._RedisCallbacksRESP2Unified,
        *redispy_tables._RedisCallbacksRESP3Unified,
    }
)

Scenario = Callable[[Any], Awaitable[Any]]

K = "uni:"


async def _prepare(r: Any) -> None:
    """The same data before every call, whichever library makes it."""
    await r.flushdb()
    p = r.pipeline(transaction=False)
    p.set(K + "s", "hello")
    p.set(K + "t", "hallo")
    p.hset(K + "h", mapping={"a": "1", "b": "2"})
    p.rpush(K + "l", "x", "y", "z")
    p.sadd(K + "s1", "a", "b", "c")
    p.sadd(K + "s2", "b", "c", "d")
    p.zadd(K + "z1", {"a": 1, "b": 2.5, "c": 3})
    p.zadd(K + "z2", {"b": 1, "c": 2})
    p.hset(K + "h1", "a", "1")
    p.zadd(K + "z3", {"m": 0.5})
    p.sadd(K + "s3m", "only")
    p.geoadd(K + "g", (13.361389, 38.115556, "Palermo"))
    p.geoadd(K + "g", (15.087269, 37.502669, "Catania"))
    p.xadd(K + "x", {"f": "v"}, id="1-0")
    p.xadd(K + "x", {"f": "w"}, id="2-0")
    p.xgroup_create(K + "x", "grp", id="0")
    p.pfadd(K + "p1", "a")
    p.pfadd(K + "p2", "b")
    await p.execute()


SCENARIOS: dict[str, Scenario] = {
    # data commands
    "COPY": lambda r: r.copy(K + "s", K + "s3"),
    "EXPIRE": lambda r: r.expire(K + "s", 100),
    "EXPIREAT": lambda r: r.expireat(K + "s", 4_000_000_000),
    "PEXPIRE": lambda r: r.pexpire(K + "s", 100_000),
    "PEXPIREAT": lambda r: r.pexpireat(K + "s", 4_000_000_000_000),
    "PERSIST": lambda r: r.persist(K + "s"),
    "HEXISTS": lambda r: r.hexists(K + "h", "a"),
    "HMSET": lambda r: r.execute_command("HMSET", K + "h", "c", "3"),
    "MOVE": lambda r: r.move(K + "nope", 8),
    "MSETNX": lambda r: r.msetnx({K + "n1": "1", K + "n2": "2"}),
    "PSETEX": lambda r: r.execute_command("PSETEX", K + "e", 100_000, "v"),
    "SETEX": lambda r: r.execute_command("SETEX", K + "e", 100, "v"),
    "SETNX": lambda r: r.setnx(K + "s", "v"),
    "RENAME": lambda r: r.rename(K + "s", K + "s9"),
    "RENAMENX": lambda r: r.renamenx(K + "s", K + "t"),
    "SMOVE": lambda r: r.smove(K + "s1", K + "s2", "a"),
    "HINCRBYFLOAT": lambda r: r.hincrbyfloat(K + "h", "a", 1.5),
    "INCRBYFLOAT": lambda r: r.incrbyfloat(K + "f", 2.25),
    "LSET": lambda r: r.lset(K + "l", 0, "w"),
    "LTRIM": lambda r: r.ltrim(K + "l", 0, 1),
    "MSET": lambda r: r.mset({K + "m": "1"}),
    "PFMERGE": lambda r: r.pfmerge(K + "p3", K + "p1", K + "p2"),
    "FLUSHDB": lambda r: r.flushdb(),
    "WATCH": lambda r: r.execute_command("WATCH", K + "s"),
    "UNWATCH": lambda r: r.execute_command("UNWATCH"),
    "SET": lambda r: r.set(K + "s", "v", get=True),
    "SCAN": lambda r: r.scan(0, match=K + "s*", count=1000),
    "SSCAN": lambda r: r.sscan(K + "s1", 0),
    "HSCAN": lambda r: r.hscan(K + "h", 0),
    "ZSCAN": lambda r: r.zscan(K + "z1", 0),
    "SORT": lambda r: r.sort(K + "l", alpha=True, get=["#", "#"], groups=True),
    "BLPOP": lambda r: r.blpop([K + "l"], timeout=1),
    "BRPOP": lambda r: r.brpop([K + "nolist"], timeout=0.01),
    "HGETALL": lambda r: r.hgetall(K + "h"),
    # On one field and one member: the random picks are the same every time.
    "HRANDFIELD": lambda r: r.hrandfield(K + "h1", -2, withvalues=True),
    "SDIFF": lambda r: r.sdiff(K + "s1", K + "s2"),
    "SINTER": lambda r: r.sinter(K + "s1", K + "s2"),
    "SMEMBERS": lambda r: r.smembers(K + "s1"),
    "SUNION": lambda r: r.sunion(K + "s1", K + "s2"),
    "ZADD": lambda r: r.zadd(K + "z1", {"a": 5}, incr=True),
    "ZDIFF": lambda r: r.zdiff([K + "z1", K + "z2"], withscores=True),
    "ZINTER": lambda r: r.zinter([K + "z1", K + "z2"], withscores=True),
    "ZUNION": lambda r: r.zunion([K + "z1", K + "z2"], withscores=True),
    "ZRANGE": lambda r: r.zrange(K + "z1", 0, -1, withscores=True),
    "ZRANGEBYSCORE": lambda r: r.zrangebyscore(K + "z1", 0, 10, withscores=True),
    "ZREVRANGE": lambda r: r.zrevrange(
        K + "z1", 0, -1, withscores=True, score_cast_func=int
    ),
    "ZREVRANGEBYSCORE": lambda r: r.zrevrangebyscore(K + "z1", 10, 0, withscores=True),
    "ZRANDMEMBER": lambda r: r.zrandmember(K + "z3", -2, withscores=True),
    "ZPOPMAX": lambda r: r.zpopmax(K + "z1"),
    "ZPOPMIN": lambda r: r.zpopmin(K + "z1", 2),
    "BZPOPMAX": lambda r: r.bzpopmax([K + "z1"], timeout=1),
    "BZPOPMIN": lambda r: r.bzpopmin([K + "none"], timeout=0.01),
    "ZMPOP": lambda r: r.zmpop(2, [K + "z1", K + "z2"], min=True, count=2),
    "BZMPOP": lambda r: r.bzmpop(1, 1, [K + "z2"], max=True),
    "ZRANK": lambda r: r.zrank(K + "z1", "b", withscore=True),
    "ZREVRANK": lambda r: r.zrevrank(K + "z1", "b", withscore=True),
    "ZINCRBY": lambda r: r.zincrby(K + "z1", 1.5, "a"),
    "ZSCORE": lambda r: r.zscore(K + "z1", "b"),
    "ZMSCORE": lambda r: r.zmscore(K + "z1", ["a", "zz"]),
    "LCS": lambda r: r.lcs(K + "s", K + "t", idx=True, withmatchlen=True),
    "GEODIST": lambda r: r.geodist(K + "g", "Palermo", "Catania"),
    "GEOHASH": lambda r: r.geohash(K + "g", "Palermo"),
    "GEOPOS": lambda r: r.geopos(K + "g", "Palermo", "nowhere"),
    "GEORADIUS": lambda r: r.georadius(
        K + "g", 15, 37, 200, unit="km", withdist=True, withcoord=True
    ),
    "GEORADIUSBYMEMBER": lambda r: r.georadiusbymember(
        K + "g", "Palermo", 200, unit="km", withhash=True
    ),
    "GEOSEARCH": lambda r: r.geosearch(
        K + "g", longitude=15, latitude=37, radius=200, unit="km", withcoord=True
    ),
    # streams
    "XRANGE": lambda r: r.xrange(K + "x"),
    "XREVRANGE": lambda r: r.xrevrange(K + "x", count=1),
    "XREAD": lambda r: r.xread({K + "x": "0"}),
    "XREADGROUP": lambda r: r.xreadgroup("grp", "c1", {K + "x": ">"}),
    "XGROUP CREATE": lambda r: r.xgroup_create(K + "x", "grp2"),
    "XGROUP DESTROY": lambda r: r.xgroup_destroy(K + "x", "grp"),
    "XGROUP SETID": lambda r: r.xgroup_setid(K + "x", "grp", "1-0"),
    "XINFO STREAM": lambda r: r.xinfo_stream(K + "x"),
    "XINFO GROUPS": lambda r: r.xinfo_groups(K + "x"),
    "XPENDING": lambda r: r.xpending(K + "x", "grp"),
    "XCLAIM": lambda r: r.xclaim(K + "x", "grp", "c2", 0, ["1-0"]),
    "XAUTOCLAIM": lambda r: r.xautoclaim(K + "x", "grp", "c2", 0),
    # server, scripting, ACL (deterministic replies)
    "PING": lambda r: r.ping(),
    "ECHO": lambda r: r.echo("x"),
    "SCRIPT LOAD": lambda r: r.script_load("return 1"),
    "SCRIPT EXISTS": lambda r: r.script_exists("0" * 40),
    "CONFIG GET": lambda r: r.config_get("maxmemory*"),
    "COMMAND": lambda r: r.command(),
    "COMMAND GETKEYS": lambda r: r.command_getkeys("MSET", "a", "1", "b", "2"),
    "CLIENT GETNAME": lambda r: r.client_getname(),
    "CLIENT SETNAME": lambda r: r.client_setname("uni"),
    "CLIENT SETINFO": lambda r: r.client_setinfo("LIB-NAME", "uni"),
    "CLIENT TRACKINGINFO": lambda r: r.client_trackinginfo(),
    "CLIENT UNBLOCK": lambda r: r.client_unblock(2**40),
    "CLIENT KILL": lambda r: r.client_kill_filter(_id=2**40),
    "ACL CAT": lambda r: r.acl_cat("keyspace"),
    "ACL HELP": lambda r: r.execute_command("ACL HELP"),
    "ACL LIST": lambda r: r.acl_list(),
    "ACL USERS": lambda r: r.acl_users(),
    "ACL WHOAMI": lambda r: r.acl_whoami(),
    "ACL GETUSER": lambda r: r.acl_getuser("default"),
    "PUBSUB NUMSUB": lambda r: r.pubsub_numsub("uni:ch"),
    "PUBSUB SHARDNUMSUB": lambda r: r.pubsub_shardnumsub("uni:ch"),
    "MODULE LIST": lambda r: r.module_list(),
    "MEMORY PURGE": lambda r: r.memory_purge(),
    "FUNCTION LIST": lambda r: r.function_list(library="uni_nolib"),
    # Not converted by redis-py, but by aio's legacy RESP3 table (RESP3 sets).
    # The whole set (count >= its size): every member, in the server's order.
    "SPOP": lambda r: r.spop(K + "s1", 3),
    "COMMAND GETKEYSANDFLAGS": lambda r: r.command_getkeysandflags(
        "LMOVE", "a", "b", "LEFT", "RIGHT"
    ),
}


async def _function_list(r: Any) -> Any:
    # Flags (a RESP3 set redis-py leaves unconverted): compared in order.
    code = (
        "#!lua name=unilib\nredis.register_function{function_name='unif', "
        "callback=function() return 1 end, "
        "flags={'no-writes', 'allow-stale', 'no-cluster', 'allow-oom'}}"
    )
    await r.function_load(code, replace=True)
    try:
        return await r.function_list(library="unilib", withcode=True)
    finally:
        await r.function_delete("unilib")


async def _acl_setuser(r: Any) -> Any:
    try:
        return [
            await r.acl_setuser(
                "uni-user", enabled=True, keys=["uni:*"], commands=["+get"]
            ),
            await r.acl_getuser("uni-user"),
        ]
    finally:
        await r.acl_deluser("uni-user")


async def _xinfo_consumers(r: Any) -> Any:
    await r.xreadgroup("grp", "c1", {K + "x": ">"})
    return await r.xinfo_consumers(K + "x", "grp")


async def _xpending(r: Any) -> Any:
    await r.xreadgroup("grp", "c1", {K + "x": ">"})
    return await r.xpending(K + "x", "grp")


async def _xpending_range(r: Any) -> Any:
    await r.xreadgroup("grp", "c1", {K + "x": ">"})
    return await r.xpending_range(K + "x", "grp", "-", "+", 10)


async def _tracking_info(r: Any) -> Any:
    # Several flags (a RESP3 set): on one connection, turned off after.
    async with r.client() as one:
        await one.client_tracking_on(bcast=True, prefix=[K], noloop=True)
        try:
            return await one.client_trackinginfo()
        finally:
            await one.client_tracking_off()


SCENARIOS.update(
    {
        "FUNCTION LIST": _function_list,
        "CLIENT TRACKINGINFO": _tracking_info,
        "ACL SETUSER": _acl_setuser,
        "XPENDING": _xpending,
    }
)


# The same commands with the other options their unified shape depends on
# (with/without scores or values, a count or none, JUSTID, IDX...): compared
# exactly, as SCENARIOS.
VARIANTS: dict[str, Scenario] = {
    "ZRANGE plain": lambda r: r.zrange(K + "z1", 0, -1),
    "ZRANGE byscore rev limit": lambda r: r.zrange(
        K + "z1", 10, 0, byscore=True, desc=True, offset=0, num=2, withscores=True
    ),
    "ZRANGE bylex": lambda r: r.zrange(K + "z1", "[a", "[c", bylex=True),
    "ZRANGE cast": lambda r: r.zrange(
        K + "z1", 0, -1, withscores=True, score_cast_func=str
    ),
    "ZRANGEBYSCORE plain": lambda r: r.zrangebyscore(K + "z1", 0, 10),
    "ZRANGEBYSCORE limit": lambda r: r.zrangebyscore(
        K + "z1", 0, 10, start=1, num=1, withscores=True
    ),
    "ZREVRANGE plain": lambda r: r.zrevrange(K + "z1", 0, -1),
    "ZREVRANGEBYSCORE plain": lambda r: r.zrevrangebyscore(K + "z1", 10, 0),
    "ZREVRANGEBYSCORE cast": lambda r: r.zrevrangebyscore(
        K + "z1", 10, 0, withscores=True, score_cast_func=int
    ),
    "ZUNION plain": lambda r: r.zunion([K + "z1", K + "z2"]),
    "ZUNION weights": lambda r: r.zunion(
        {K + "z1": 2, K + "z2": 1}, aggregate="MAX", withscores=True
    ),
    "ZINTER plain": lambda r: r.zinter([K + "z1", K + "z2"]),
    "ZINTER aggregate": lambda r: r.zinter(
        [K + "z1", K + "z2"], aggregate="MIN", withscores=True
    ),
    "ZDIFF plain": lambda r: r.zdiff([K + "z1", K + "z2"]),
    "ZDIFF empty": lambda r: r.zdiff([K + "none", K + "z2"], withscores=True),
    "ZRANDMEMBER one": lambda r: r.zrandmember(K + "z3"),
    "ZRANDMEMBER count": lambda r: r.zrandmember(K + "z3", 1),
    "ZRANDMEMBER one withscores": lambda r: r.zrandmember(K + "z3", 1, withscores=True),
    "ZRANDMEMBER missing": lambda r: r.zrandmember(K + "none", 2, withscores=True),
    "ZPOPMAX count": lambda r: r.zpopmax(K + "z1", 2),
    "ZPOPMIN one": lambda r: r.zpopmin(K + "z1"),
    "ZPOPMIN missing": lambda r: r.zpopmin(K + "none"),
    "ZPOPMIN missing count": lambda r: r.zpopmin(K + "none", 2),
    "ZMPOP one": lambda r: r.zmpop(1, [K + "z1"], max=True),
    "ZMPOP missing": lambda r: r.zmpop(1, [K + "none"], min=True),
    "BZMPOP count": lambda r: r.bzmpop(1, 1, [K + "z1"], min=True, count=5),
    "BZMPOP timeout": lambda r: r.bzmpop(0.01, 1, [K + "none"], min=True),
    "BZPOPMAX timeout": lambda r: r.bzpopmax([K + "none"], timeout=0.01),
    "ZRANK plain": lambda r: r.zrank(K + "z1", "b"),
    "ZRANK missing": lambda r: r.zrank(K + "z1", "nope"),
    "ZREVRANK plain": lambda r: r.zrevrank(K + "z1", "b"),
    "ZSCAN cast": lambda r: r.zscan(K + "z1", 0, score_cast_func=int),
    "ZSCAN missing": lambda r: r.zscan(K + "none", 0),
    "ZSCAN match": lambda r: r.zscan(K + "z1", 0, match="a*", count=10),
    "HRANDFIELD one": lambda r: r.hrandfield(K + "h1"),
    "HRANDFIELD count": lambda r: r.hrandfield(K + "h1", 1),
    "HRANDFIELD one withvalues": lambda r: r.hrandfield(K + "h1", 1, withvalues=True),
    "HRANDFIELD missing": lambda r: r.hrandfield(K + "none", 2, withvalues=True),
    "LCS plain": lambda r: r.lcs(K + "s", K + "t"),
    "LCS len": lambda r: r.lcs(K + "s", K + "t", len=True),
    "LCS idx": lambda r: r.lcs(K + "s", K + "t", idx=True),
    "LCS idx minmatchlen": lambda r: r.lcs(K + "s", K + "t", idx=True, minmatchlen=2),
    "GEOPOS missing key": lambda r: r.geopos(K + "none", "a"),
    "XREAD count": lambda r: r.xread({K + "x": "0"}, count=1),
    "XREAD none": lambda r: r.xread({K + "x": "$"}, block=10),
    "XREAD two": lambda r: r.xread({K + "x": "0", K + "x2": "0"}),
    "XREADGROUP noack count": lambda r: r.xreadgroup(
        "grp", "c1", {K + "x": ">"}, count=1, noack=True
    ),
    "XINFO STREAM full": lambda r: r.xinfo_stream(K + "x", full=True),
    "SPOP one": lambda r: r.spop(K + "s3m"),
    "SPOP missing": lambda r: r.spop(K + "none", 2),
    "SRANDMEMBER count": lambda r: r.srandmember(K + "s3m", 2),
    "SORT store": lambda r: r.sort(K + "l", alpha=True, store=K + "sorted"),
    "SET plain": lambda r: r.set(K + "s", "v"),
    "SET nx": lambda r: r.set(K + "s", "v", nx=True),
    "SCAN type": lambda r: r.scan(0, match=K + "*", count=1000, _type="zset"),
    "CONFIG GET one": lambda r: r.config_get("maxmemory"),
    "ACL GETUSER missing": lambda r: r.acl_getuser("uni-nobody"),
    "COMMAND GETKEYSANDFLAGS one": lambda r: r.command_getkeysandflags("GET", "k"),
    "CLIENT TRACKINGINFO off": lambda r: r.client_trackinginfo(),
    "FUNCTION LIST none": lambda r: r.function_list(library="uni_nolib"),
    "GEOSEARCH all": lambda r: r.geosearch(
        K + "g",
        member="Palermo",
        radius=300,
        unit="km",
        withdist=True,
        withhash=True,
        withcoord=True,
        sort="ASC",
    ),
    "GEOSEARCH plain": lambda r: r.geosearch(
        K + "g", member="Palermo", radius=300, unit="km"
    ),
    "GEOSEARCH withhash": lambda r: r.geosearch(
        K + "g", longitude=15, latitude=37, radius=300, unit="km", withhash=True
    ),
    "GEORADIUS store": lambda r: r.georadius(
        K + "g", 15, 37, 300, unit="km", store=K + "gs"
    ),
    "GEORADIUSBYMEMBER store_dist": lambda r: r.georadiusbymember(
        K + "g", "Palermo", 300, unit="km", store_dist=K + "gd"
    ),
    "GEORADIUSBYMEMBER withcoord": lambda r: r.georadiusbymember(
        K + "g", "Palermo", 300, unit="km", withcoord=True, withdist=True
    ),
    "ZADD plain": lambda r: r.zadd(K + "z1", {"d": 4, "a": 7}),
    "ZADD incr refused": lambda r: r.zadd(K + "z1", {"a": 5}, nx=True, incr=True),
    "ZADD incr new": lambda r: r.zadd(K + "z1", {"new": 0.25}, incr=True),
    "ZPOPMAX missing": lambda r: r.zpopmax(K + "none", 3),
    "SORT plain": lambda r: r.sort(K + "l", alpha=True),
    "SORT get": lambda r: r.sort(K + "l", alpha=True, get="#", desc=True),
    "ACL LOG reset": lambda r: r.acl_log_reset(),
    "GEORADIUS count": lambda r: r.georadius(
        K + "g", 15, 37, 300, unit="km", withdist=True, count=1, sort="DESC"
    ),
}


async def _xreadgroup_after_delete(r: Any) -> Any:
    # A pending entry whose message was deleted: its fields come as None.
    await r.xreadgroup("grp", "c1", {K + "x": ">"})
    await r.xdel(K + "x", "1-0")
    return await r.xreadgroup("grp", "c1", {K + "x": "0"})


async def _xread_prepared_x2(r: Any) -> Any:
    await r.xadd(K + "x2", {"g": "h"}, id="5-0")
    return await r.xread({K + "x": "1-0", K + "x2": "0"}, count=5)


def _pending(call: Scenario) -> Scenario:
    """``call`` once consumer c1 of group grp has both entries pending."""

    async def run(r: Any) -> Any:
        await r.xreadgroup("grp", "c1", {K + "x": ">"})
        return await call(r)

    return run


VARIANTS.update(
    {
        "XREADGROUP history": _pending(
            lambda r: r.xreadgroup("grp", "c1", {K + "x": "0"})
        ),
        "XREADGROUP history count": _pending(
            lambda r: r.xreadgroup("grp", "c1", {K + "x": "0"}, count=1)
        ),
        "XREADGROUP none": _pending(
            lambda r: r.xreadgroup("grp", "c1", {K + "x": ">"}, block=10)
        ),
        "XCLAIM": _pending(lambda r: r.xclaim(K + "x", "grp", "c2", 0, ["1-0"])),
        "XCLAIM justid": _pending(
            lambda r: r.xclaim(K + "x", "grp", "c2", 0, ["1-0", "2-0"], justid=True)
        ),
        "XAUTOCLAIM justid": _pending(
            lambda r: r.xautoclaim(K + "x", "grp", "c2", 0, justid=True)
        ),
        "XAUTOCLAIM count": _pending(
            lambda r: r.xautoclaim(K + "x", "grp", "c2", 0, count=1)
        ),
        "XREADGROUP deleted": _xreadgroup_after_delete,
        "XREAD two streams": _xread_prepared_x2,
    }
)


async def _acl_log(r: Any) -> Any:
    # A refused AUTH leaves an entry (and the connection's user unchanged).
    with contextlib.suppress(Exception):
        await r.execute_command("AUTH", "uni-nobody", "wrong")
    return await r.acl_log(count=1)


async def _info(r: Any) -> Any:
    # Other tests' databases and errors on the shared server come and go
    # between the two calls: only this test's database (9) is kept of those.
    info = await r.info()
    return {
        k: v
        for k, v in info.items()
        if not (k.startswith("errorstat_") or (k.startswith("db") and k != "db9"))
    }


# Replies that change from one call to the next: compared by shape (types,
# dict keys, lengths), not value.
VOLATILE: dict[str, Scenario] = {
    "INFO": _info,
    "TIME": lambda r: r.time(),
    "LASTSAVE": lambda r: r.lastsave(),
    "CLIENT INFO": lambda r: r.client_info(),
    "CLIENT LIST": lambda r: r.client_list(),
    "SLOWLOG GET": lambda r: r.slowlog_get(2),
    "MEMORY STATS": lambda r: r.memory_stats(),
    "DEBUG OBJECT": lambda r: r.debug_object(K + "s"),
    "ACL GENPASS": lambda r: r.acl_genpass(),
    "ACL LOG": _acl_log,
    "XPENDING RANGE": _xpending_range,
    "XINFO CONSUMERS": _xinfo_consumers,
    # Delivery times in the replies: with pending entries, by shape.
    "XPENDING RANGE consumer": _pending(
        lambda r: r.xpending_range(K + "x", "grp", "-", "+", 10, consumername="c1")
    ),
    "XINFO STREAM full pending": _pending(lambda r: r.xinfo_stream(K + "x", full=True)),
}


def _report(mismatches: list[tuple[str, Any, Any]]) -> str:
    return "\n".join(
        f"{n}:\n  aio      {g!r}\n  redis-py {e!r}" for n, g, e in mismatches
    )


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return ("dict", {k: _shape(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_shape(v) for v in value])
    if isinstance(value, (set, frozenset)):
        return (type(value).__name__, len(value))
    return type(value).__name__


# -- commands that cannot run here: the converter fed redis-py's inputs ----------

OK = b"OK"
_SENTINEL_STATE = [b"name", b"m", b"ip", b"127.0.0.1", b"port", b"6379"]
_SENTINEL_STATE += [b"flags", b"master,disconnected", b"quorum", b"2"]
_SENTINEL_MAP = dict(zip(_SENTINEL_STATE[::2], _SENTINEL_STATE[1::2], strict=True))
_SHARD2 = [
    b"slots",
    [0, 5460],
    b"nodes",
    [[b"id", b"abc", b"port", 7000, b"role", b"master"]],
]
_SHARD3 = {b"slots": [0, 5460], b"nodes": [{b"id": b"abc", b"port": 7000}]}
_LINK2 = [b"direction", b"to", b"node", b"abc", b"send-buffer-used", 0]
_LINK3 = {b"direction": b"to", b"node": b"abc", b"send-buffer-used": 0}
_STRALGO2 = [b"matches", [[[4, 7], [5, 8], 4]], b"len", 6]
_STRALGO3 = {b"matches": [[[4, 7], [5, 8], 4]], b"len": 6}
_HOTKEYS = [[b"keys", [b"a", 1]]]

# name -> [(RESP2 reply, RESP3 reply, options), ...]
SYNTHETIC: dict[str, list[tuple[Any, Any, dict[str, Any]]]] = {}


def _names(words: str) -> list[str]:
    # Two-word names joined with "_" in the source, one per whitespace run.
    return [w.replace("_", " ") for w in words.split()]


for _name in _names(
    "ASKING FLUSHALL READONLY READWRITE SAVE SELECT SHUTDOWN SLAVEOF SWAPDB QUIT "
    "AUTH ACL_LOAD ACL_SAVE CLIENT_PAUSE CONFIG_RESETSTAT CONFIG_SET "
    "FUNCTION_DELETE FUNCTION_FLUSH FUNCTION_RESTORE SCRIPT_FLUSH SCRIPT_KILL "
    "SLOWLOG_RESET HIMPORT_PREPARE HIMPORT_SET SENTINEL_CKQUORUM "
    "SENTINEL_FAILOVER SENTINEL_FLUSHCONFIG SENTINEL_MONITOR SENTINEL_REMOVE "
    "SENTINEL_RESET SENTINEL_SET MODULE_LOAD MODULE_UNLOAD CLUSTER_ADDSLOTS "
    "CLUSTER_ADDSLOTSRANGE CLUSTER_DELSLOTS CLUSTER_DELSLOTSRANGE "
    "CLUSTER_FAILOVER CLUSTER_FORGET CLUSTER_MEET CLUSTER_REPLICATE "
    "CLUSTER_RESET CLUSTER_SAVECONFIG CLUSTER_SET-CONFIG-EPOCH CLUSTER_SETSLOT "
    "BGSAVE BGREWRITEAOF"
):
    SYNTHETIC[_name] = [(OK, OK, {})]
for _name in ("BGSAVE", "BGREWRITEAOF"):
    SYNTHETIC[_name] = [(b"Background saving started",) * 2 + ({},)]

SYNTHETIC.update(
    {
        # Redis 8.x: RESP3's doubles stay floats (redis-py converts nothing).
        "INCREX": [([b"3.5", b"1.5"], [3.5, 1.5], {})],
        # WITHSCORE needs Redis 7.2 (the shared server is 7.0).
        "ZRANK": [([2, b"2.5"], [2, 2.5], {"withscore": True}), (2, 2, {})],
        "ZREVRANK": [
            ([0, b"3"], [0, 3.0], {"withscore": True, "score_cast_func": int})
        ],
        # NOVALUES needs Redis 7.4.
        "HSCAN": [([b"0", [b"a", b"b"]], [b"0", [b"a", b"b"]], {"no_values": True})],
        "HIMPORT DISCARD": [(1, 1, {})],
        "HIMPORT DISCARDALL": [(2, 2, {})],
        # (None, no session, is left out: redis-py's RESP2 converter fails on it.)
        "HOTKEYS GET": [(_HOTKEYS, _HOTKEYS, {})],
        # Not run on the server: RESET puts the connection back on RESP2.
        "RESET": [(b"RESET", b"RESET", {})],
        "ARINFO": [([b"len", 3, b"avg", b"1.5"], {b"len": 3, b"avg": 1.5}, {})],
        "STRALGO": [
            (_STRALGO2, _STRALGO3, {"idx": True, "withmatchlen": True}),
            (b"ell", b"ell", {}),
            (3, 3, {"len": True}),
        ],
        "CLUSTER INFO": [
            (b"cluster_state:ok\r\ncluster_slots_ok:16384\r\n",) * 2 + ({},)
        ],
        "CLUSTER NODES": [
            (b"abc 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460\n",) * 2
            + ({},)
        ],
        "CLUSTER GETKEYSINSLOT": [([b"a", b"b"], [b"a", b"b"], {})],
        "CLUSTER LINKS": [([_LINK2], [_LINK3], {})],
        "SENTINEL GET-MASTER-ADDR-BY-NAME": [
            ([b"127.0.0.1", b"6379"], [b"127.0.0.1", b"6379"], {})
        ],
        "SENTINEL MASTER": [(_SENTINEL_STATE, _SENTINEL_MAP, {})],
        "SENTINEL MASTERS": [([_SENTINEL_STATE], [_SENTINEL_MAP], {})],
        "SENTINEL SENTINELS": [([_SENTINEL_STATE], [_SENTINEL_MAP], {})],
        "SENTINEL SLAVES": [([_SENTINEL_STATE], [_SENTINEL_MAP], {})],
    }
)
for _name in ("CLUSTER REPLICAS", "CLUSTER SLAVES"):
    SYNTHETIC[_name] = SYNTHETIC["CLUSTER NODES"]
# A command redis-py's cluster client alone converts (unified: str keys).
_SLOTS = [[0, 5460, [b"127.0.0.1", 7000, b"abc"], [b"127.0.0.1", 7003, b"def"]]]
CLUSTER_ONLY = {
    "CLUSTER SHARDS": [([_SHARD2], [_SHARD3], {})],
    "CLUSTER SLOTS": [(_SLOTS, _SLOTS, {})],
    "CLUSTER MYSHARDID": [(b"abc", b"abc", {})],
}


def test_every_converted_command_is_covered() -> None:
    covered = set(SCENARIOS) | set(VOLATILE) | set(SYNTHETIC)
    assert sorted(REDISPY_NAMES - covered) == []


# -- the real server ------------------------------------------------------------


def _clients(redis_url: str, protocol: int, decode: bool) -> tuple[Any, Any]:
    options = {
        "protocol": protocol,
        "decode_responses": decode,
        "legacy_responses": False,
    }
    return (
        aio_redis.Redis.from_url(redis_url, **options),
        redispy.Redis.from_url(redis_url, **options),
    )


async def _outcome(r: Any, call: Scenario) -> Any:
    await _prepare(r)
    try:
        return await call(r)
    except Exception as exc:
        return ("error", type(exc).__name__)


@pytest.mark.parametrize("decode", [False, True], ids=["bytes", "decoded"])
@pytest.mark.parametrize("protocol", [2, 3])
async def test_unified_shapes_as_redis_py(
    redis_url: str, protocol: int, decode: bool
) -> None:
    ours, theirs = _clients(redis_url, protocol, decode)
    mismatches = []
    try:
        for name, call in SCENARIOS.items():
            expected = await _outcome(theirs, call)
            got = await _outcome(ours, call)
            # Exactly: RESP3 sets redis-py leaves raw (COMMAND's tips, key
            # specifications and subcommands, FUNCTION LIST's flags) are lists
            # in the server's order on both.
            if got != expected or _shape(got) != _shape(expected):
                mismatches.append((name, got, expected))
        for name, call in VARIANTS.items():
            expected = await _outcome(theirs, call)
            got = await _outcome(ours, call)
            if got != expected or _shape(got) != _shape(expected):
                mismatches.append((name, got, expected))
        for name, call in VOLATILE.items():
            expected = _shape(await _outcome(theirs, call))
            got = _shape(await _outcome(ours, call))
            if got != expected:
                mismatches.append((name, got, expected))
    finally:
        await ours.flushdb()
        await ours.aclose()
        await theirs.aclose()
    assert mismatches == [], _report(mismatches)


# -- converters on the replies no shared standalone server gives -------------------


def _redispy_table(protocol: int, cluster: bool) -> dict[str, Any]:
    table = redispy_tables.get_response_callbacks(protocol, False)
    if cluster:
        table = {**RedispyCluster.CLUSTER_COMMANDS_RESPONSE_CALLBACKS, **table}
        table["CLUSTER SHARDS"] = _redispy_cluster_shards_unified()
    return table


def _redispy_cluster_shards_unified() -> Any:
    from redis.cluster import parse_cluster_shards_unified

    return parse_cluster_shards_unified


def _apply(
    table: dict[str, Any], name: str, reply: Any, options: dict[str, Any]
) -> Any:
    callback = table.get(name)
    reply = copy.deepcopy(reply)
    try:
        return reply if callback is None else callback(reply, **options)
    except Exception as exc:
        return ("error", type(exc).__name__)


@pytest.mark.parametrize("protocol", [2, 3])
def test_unified_converters_as_redis_py(protocol: int) -> None:
    ours = unified_callbacks(AioRedis.RESPONSE_CALLBACKS, protocol)
    theirs = _redispy_table(protocol, cluster=False)
    mismatches = []
    for name, cases in SYNTHETIC.items():
        for resp2, resp3, options in cases:
            reply = resp3 if protocol == 3 else resp2
            got = _apply(ours, name, reply, options)
            expected = _apply(theirs, name, reply, options)
            if got != expected or _shape(got) != _shape(expected):
                mismatches.append((name, got, expected))
    assert mismatches == [], _report(mismatches)


@pytest.mark.parametrize("protocol", [2, 3])
def test_unified_cluster_converters_as_redis_py(protocol: int) -> None:
    from aio.redis._cluster_commands import CLUSTER_RESPONSE_CALLBACKS

    ours = unified_callbacks(
        {**AioCluster.RESPONSE_CALLBACKS, **CLUSTER_RESPONSE_CALLBACKS}, protocol
    )
    theirs = _redispy_table(protocol, cluster=True)
    mismatches = []
    for name, cases in {**SYNTHETIC, **CLUSTER_ONLY}.items():
        for resp2, resp3, options in cases:
            reply = resp3 if protocol == 3 else resp2
            got = _apply(ours, name, reply, options)
            expected = _apply(theirs, name, reply, options)
            if got != expected or _shape(got) != _shape(expected):
                mismatches.append((name, got, expected))
    assert mismatches == [], _report(mismatches)


# -- how the flag is given ------------------------------------------------------


async def test_from_url_option_and_module_refusal(redis_url: str) -> None:
    async with aio_redis.Redis.from_url(
        f"{redis_url}?legacy_responses=false&protocol=2"
    ) as r:
        await r.delete(K + "z")
        await r.zadd(K + "z", {"a": 1})
        assert await r.zrange(K + "z", 0, -1, withscores=True) == [[b"a", 1.0]]
        assert await r.pipeline().zrange(K + "z", 0, -1, withscores=True).execute() == [
            [[b"a", 1.0]]
        ]
        with pytest.raises(DataError, match="legacy_responses=False"):
            r.json()
        with pytest.raises(DataError, match="legacy_responses=False"):
            r.pipeline().ft()
        await r.delete(K + "z")
    # The default stays the legacy shapes.
    async with aio_redis.Redis.from_url(redis_url) as r:
        await r.zadd(K + "z", {"a": 1})
        assert await r.zrange(K + "z", 0, -1, withscores=True) == [(b"a", 1.0)]
        await r.delete(K + "z")


# -- the cluster client ----------------------------------------------------------


async def _cluster_calls(rc: Any, host: str, port: int) -> list[Any]:
    await rc.delete("{u}z", "{u}x", "{u}g", "{u}s")
    await rc.zadd("{u}z", {"a": 1, "b": 2})
    await rc.xadd("{u}x", {"f": "v"}, id="1-0")
    await rc.geoadd("{u}g", (13.361389, 38.115556, "Palermo"))
    await rc.sadd("{u}s", "c", "a", "b")
    try:
        return [
            # A whole set popped: RESP3's set as a list in the server's order.
            await rc.spop("{u}s", 3),
            await rc.zrange("{u}z", 0, -1, withscores=True),
            await rc.zpopmin("{u}z"),
            await rc.xread({"{u}x": "0"}),
            await rc.geopos("{u}g", "Palermo"),
            _shape(await rc.cluster_shards()),
            _shape(await rc.cluster_links(rc.get_node(host=host, port=port))),
            await rc.pipeline().zrange("{u}z", 0, -1, withscores=True).execute(),
        ]
    finally:
        await rc.delete("{u}z", "{u}x", "{u}g", "{u}s")


@pytest.mark.parametrize("protocol", [2, 3])
async def test_cluster_unified_shapes_as_redis_py(
    redis_cluster: list[tuple[str, int]], protocol: int
) -> None:
    host, port = redis_cluster[0]
    options = {"protocol": protocol, "legacy_responses": False}
    ours = aio_redis.RedisCluster(host=host, port=port, **options)
    theirs = redispy.RedisCluster(host=host, port=port, **options)
    try:
        assert await _cluster_calls(ours, host, port) == await _cluster_calls(
            theirs, host, port
        )
        with pytest.raises(DataError, match="legacy_responses=False"):
            ours.ts()
        with pytest.raises(DataError, match="legacy_responses=False"):
            ours.ft()
    finally:
        await ours.aclose()
        await theirs.aclose()


# -- the multi-database client's ft() --------------------------------------------


@pytest.mark.parametrize("unified", [0, 1], ids=["first-unified", "second-unified"])
async def test_multidb_ft_refuses_a_unified_database(
    redis_url: str, unified: int
) -> None:
    """As the other module accessors: refused when any database (not only the
    active one: a failover may make any answer) asks for the unified shapes."""
    from urllib.parse import urlsplit

    from aio.redis.multidb.client import MultiDBClient
    from aio.redis.multidb.config import DatabaseConfig, MultiDbConfig

    url = urlsplit(redis_url)

    def config(unified_at: int | None) -> MultiDbConfig:
        return MultiDbConfig(
            databases_config=[
                DatabaseConfig(
                    weight=weight,
                    client_kwargs={
                        "host": url.hostname,
                        "port": url.port,
                        "legacy_responses": i != unified_at,
                    },
                )
                for i, weight in enumerate([0.9, 0.2])
            ],
            health_check_interval=60.0,
        )

    with pytest.warns(UserWarning, match="experimental"):
        client = MultiDBClient(config(unified))
    async with client:
        with pytest.raises(DataError, match="legacy_responses=False"):
            client.ft("idx")
    with pytest.warns(UserWarning, match="experimental"):
        legacy = MultiDBClient(config(None))
    async with legacy:
        assert legacy.ft("idx").index_name == "idx"
