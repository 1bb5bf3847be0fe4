"""Reply converters by command name: ``RESPONSE_CALLBACKS`` and its RESP3 twin.

The client looks up ``RESPONSE_CALLBACKS[name]`` (``RESP3_RESPONSE_CALLBACKS``
on a RESP3 connection) with the command name as the mixin sent it (two-word
commands are one key: ``"CONFIG GET"``) and calls it as
``callback(reply, **options)``. A command without an entry returns the parsed
reply unchanged.

The converters accept both protocols' replies and return the same shape. The
RESP3 table is the RESP2 table plus the commands whose RESP2 reply redis-py
leaves raw but whose RESP3 reply comes in another form (``RESP3_ONLY``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aio.redis.commands import _convert as c
from aio.redis.commands import _convert_server as srv
from aio.redis.commands import _convert_streams as st
from aio.redis.commands.himport import to_int

Callback = Callable[..., Any]


def _each(names: str, callback: Callback) -> dict[str, Callback]:
    # Comma-separated, because two-word commands ("CONFIG GET") contain a space.
    return dict.fromkeys((name.strip() for name in names.split(",")), callback)


RESPONSE_CALLBACKS: dict[str, Callback] = {
    **_each(
        "AUTH, COPY, EXPIRE, EXPIREAT, HEXISTS, HMSET, MOVE, MSETNX, PERSIST, PSETEX, "
        "PEXPIRE, PEXPIREAT, RENAMENX, SETEX, SETNX, SMOVE",
        c.to_bool,
    ),
    **_each("HINCRBYFLOAT, INCRBYFLOAT", c.to_float),
    **_each(
        "FLUSHALL, FLUSHDB, LSET, LTRIM, MSET, PFMERGE, READONLY, READWRITE, RENAME, SAVE, "
        "SELECT, SHUTDOWN, SLAVEOF, SWAPDB, WATCH, UNWATCH, QUIT",
        c.bool_ok,
    ),
    **_each(
        "CLIENT PAUSE, CLIENT SETINFO, CLIENT SETNAME, "
        "CONFIG RESETSTAT, CONFIG SET, "
        "FUNCTION DELETE, FUNCTION FLUSH, FUNCTION RESTORE, "
        "MEMORY PURGE, SCRIPT FLUSH, SCRIPT KILL, SLOWLOG RESET, "
        "XGROUP CREATE, XGROUP SETID",
        c.bool_ok,
    ),
    **_each("CLIENT UNBLOCK, XGROUP DESTROY", c.to_bool),
    **_each("HIMPORT PREPARE, HIMPORT SET", c.bool_ok),
    **_each("HIMPORT DISCARD, HIMPORT DISCARDALL", to_int),
    **_each("BGREWRITEAOF, BGSAVE", c.always_true),
    # keys and strings
    "SET": c.set_result,
    "SCAN": c.scan,
    "SORT": c.sort,
    # lists
    **_each("BLPOP, BRPOP", c.blocking_pop),
    # hashes
    "HGETALL": c.hgetall,
    "HSCAN": c.hscan,
    # sets
    **_each("SDIFF, SINTER, SMEMBERS, SUNION", c.as_set),
    "SSCAN": c.scan,
    # sorted sets
    **_each(
        "ZINTER, ZRANGE, ZRANGEBYSCORE, ZREVRANGE, ZREVRANGEBYSCORE, ZUNION",
        c.zset_pairs,
    ),
    **_each("ZPOPMAX, ZPOPMIN", c.zpop),
    **_each("BZPOPMAX, BZPOPMIN", c.bzpop),
    **_each("ZRANK, ZREVRANK", c.zrank),
    **_each("ZINCRBY, ZSCORE", c.float_or_none),
    "ZADD": c.zadd,
    "ZMSCORE": c.zmscore,
    "ZSCAN": c.zscan,
    # geo
    "GEODIST": c.float_or_none,
    "GEOHASH": c.str_list,
    "GEOPOS": c.geopos,
    **_each("GEORADIUS, GEORADIUSBYMEMBER, GEOSEARCH", c.geosearch),
    # streams
    **_each("XRANGE, XREVRANGE", st.stream_entries),
    **_each("XREAD, XREADGROUP", st.xread),
    "XCLAIM": st.xclaim,
    "XAUTOCLAIM": st.xautoclaim,
    "XINFO STREAM": st.xinfo_stream,
    **_each("XINFO GROUPS, XINFO CONSUMERS", st.list_of_dicts),
    "XPENDING": st.xpending,
    # strings
    # scripting and functions
    "SCRIPT EXISTS": srv.script_exists,
    "SCRIPT LOAD": c.str_reply,
    # pub/sub
    **_each("PUBSUB NUMSUB, PUBSUB SHARDNUMSUB", srv.numsub),
    # ACL
    **_each("ACL CAT, ACL HELP, ACL LIST, ACL USERS", c.str_list),
    **_each("ACL GENPASS, ACL WHOAMI", c.str_reply),
    **_each("ACL LOAD, ACL SAVE, ACL SETUSER", c.bool_ok),
    "ACL GETUSER": srv.acl_getuser,
    "ACL LOG": srv.acl_log,
    # server and connection
    "PING": srv.ping,
    "RESET": c.str_reply,
    "INFO": srv.info,
    "LASTSAVE": srv.lastsave,
    "TIME": srv.server_time,
    "CLIENT GETNAME": c.str_reply,
    "CLIENT INFO": srv.client_info,
    "CLIENT KILL": srv.client_kill,
    "CLIENT LIST": srv.client_list,
    "CLIENT TRACKINGINFO": srv.tracking_info,
    "COMMAND": srv.command_table,
    "COMMAND GETKEYS": c.str_list,
    "CONFIG GET": srv.config_get,
    "DEBUG OBJECT": srv.debug_object,
    "MEMORY STATS": srv.memory_stats,
    "MODULE LIST": srv.module_list,
    "SLOWLOG GET": srv.slowlog_get,
    # Redis 8.x and other late additions
    **_each("MODULE LOAD, MODULE UNLOAD", c.to_bool),
    "ARINFO": c.str_keyed_dict,
    "STRALGO": c.stralgo,
    "HOTKEYS GET": srv.hotkeys_get,
    # SENTINEL (to a sentinel through a plain client)
    **_each(
        "SENTINEL CKQUORUM, SENTINEL FAILOVER, SENTINEL FLUSHCONFIG, "
        "SENTINEL MONITOR, SENTINEL REMOVE, SENTINEL RESET, SENTINEL SET",
        c.bool_ok,
    ),
    "SENTINEL GET-MASTER-ADDR-BY-NAME": srv.sentinel_master_address,
    "SENTINEL MASTER": srv.sentinel_master,
    "SENTINEL MASTERS": srv.sentinel_masters,
    **_each("SENTINEL SENTINELS, SENTINEL SLAVES", srv.sentinel_states),
}

# Where redis-py leaves the RESP2 reply raw but RESP3 carries it in another form
# (maps, sets, doubles), the RESP3 table converts back to the RESP2 shape. The
# RESP2 table has exactly redis-py's entries, so ``execute_command`` returns what
# redis-py's would; the RESP3 table is complete on its own (no merging needed).
RESP3_ONLY: dict[str, Callback] = {
    "HRANDFIELD": c.hrandfield,
    "SPOP": c.as_list,
    **_each("ZMPOP, BZMPOP", c.zmpop),
    **_each("ZDIFF, ZRANDMEMBER", c.zset_flat),
    "LCS": c.flatten_map,
    "FUNCTION LIST": st.function_list,
    "INCREX": c.increx,
    "COMMAND GETKEYSANDFLAGS": srv.getkeysandflags,
}

RESP3_RESPONSE_CALLBACKS: dict[str, Callback] = {**RESPONSE_CALLBACKS, **RESP3_ONLY}

__all__ = ("RESP3_RESPONSE_CALLBACKS", "RESPONSE_CALLBACKS")
