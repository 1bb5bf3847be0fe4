"""The command lines our mixins build, compared with redis-py's, without a server.

Both libraries' command methods end in ``execute_command``; here each records its
arguments instead of sending them. This covers what the shared test server cannot
run (per-field hash expiry on Redis < 7.4, SAVE, SHUTDOWN-free admin commands, ...)
and every option combination cheaply.
"""

from __future__ import annotations

import datetime
import warnings
from typing import Any

import pytest
import redis.commands.core as redis_core
import redis.exceptions
from hypothesis import given
from hypothesis import strategies as st

from aio.redis.commands import CoreCommands
from aio.redis.exceptions import DataError


def _norm(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split(args: tuple[Any, ...]) -> list[str]:
    # "CONFIG GET" and "CONFIG", "GET" are the same command line.
    out: list[str] = []
    for i, arg in enumerate(args):
        text = _norm(arg)
        out += text.split() if i == 0 else [text]
    out[0] = out[0].upper()
    return out


class Theirs(
    redis_core.CoreCommands,  # type: ignore[misc]
):
    def execute_command(self, *args: Any, **options: Any) -> Any:
        return _split(args)

    def get_connection_kwargs(self) -> dict[str, Any]:
        return {}

    def get_encoder(self) -> Any:
        from redis._parsers.encoders import Encoder

        return Encoder("utf-8", "strict", False)


class Ours(CoreCommands):
    def execute_command(self, *args: Any, **options: Any) -> Any:
        return _split(args)


WHEN = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
DELTA = datetime.timedelta(seconds=90, milliseconds=500)

CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("set", ("k", "v"), {"ex": DELTA, "nx": True, "get": True}),
    ("set", ("k", "v"), {"px": 5, "xx": True}),
    ("set", ("k", "v"), {"exat": WHEN}),
    ("set", ("k", "v"), {"pxat": WHEN}),
    ("set", ("k", "v"), {"keepttl": True}),
    ("getex", ("k",), {"exat": WHEN}),
    ("getex", ("k",), {"px": DELTA}),
    ("setex", ("k", DELTA, "v"), {}),
    ("psetex", ("k", DELTA, "v"), {}),
    ("mset", ({"a": 1, "b": 2},), {}),
    ("mget", (["a", "b"], "c"), {}),
    ("lcs", ("a", "b"), {"idx": True, "minmatchlen": 3, "withmatchlen": True}),
    ("bitcount", ("k", 1, 2), {"mode": "BIT"}),
    ("bitpos", ("k", 1, 2), {}),
    ("bitfield_ro", ("k", "u8", 0), {"items": [("i4", "#1")]}),
    ("expire", ("k", DELTA), {"gt": True}),
    ("pexpire", ("k", DELTA), {"nx": True}),
    ("expireat", ("k", WHEN), {"lt": True}),
    ("pexpireat", ("k", WHEN), {"xx": True}),
    ("scan", (5,), {"match": "a*", "count": 10, "_type": "string"}),
    ("restore", ("k", 0, b"payload"), {"replace": True, "absttl": True, "idletime": 3}),
    ("restore", ("k", 0, b"payload"), {"frequency": 3}),
    ("copy", ("a", "b"), {"destination_db": 3, "replace": True}),
    (
        "sort",
        ("l",),
        {
            "start": 0,
            "num": 2,
            "by": "w_*",
            "get": ["#", "o_*"],
            "desc": True,
            "alpha": True,
            "store": "dst",
        },
    ),
    ("blpop", (["a", "b"], 5), {}),
    ("brpop", ("a",), {}),
    ("brpoplpush", ("a", "b", 3), {}),
    ("blmove", ("a", "b", 3, "RIGHT", "LEFT"), {}),
    ("blmpop", (2, 2, "a", "b"), {"direction": "LEFT", "count": 3}),
    ("lmpop", (2, "a", "b"), {"direction": "RIGHT", "count": 3}),
    ("lpos", ("l", "v"), {"rank": -1, "count": 2, "maxlen": 9}),
    ("hset", ("h", "f", "v"), {"mapping": {"a": 1}, "items": ["b", 2]}),
    ("hmget", ("h", ["a", "b"], "c"), {}),
    ("hrandfield", ("h", 3), {"withvalues": True}),
    ("hscan", ("h", 3), {"match": "a*", "count": 5, "no_values": True}),
    ("hexpire", ("h", DELTA, "a", "b"), {"nx": True}),
    ("hpexpire", ("h", 500, "a"), {"gt": True}),
    ("hexpireat", ("h", WHEN, "a"), {"xx": True}),
    ("hpexpireat", ("h", WHEN, "a"), {"lt": True}),
    ("hpersist", ("h", "a", "b"), {}),
    ("hexpiretime", ("h", "a"), {}),
    ("hpexpiretime", ("h", "a"), {}),
    ("httl", ("h", "a"), {}),
    ("hpttl", ("h", "a", "b"), {}),
    ("hgetdel", ("h", "a", "b"), {}),
    ("hgetex", ("h", "a", "b"), {"ex": 10}),
    ("hgetex", ("h", "a"), {"persist": True}),
    ("smismember", ("s", ["a"], "b"), {}),
    ("sintercard", (2, ["a", "b"]), {"limit": 3}),
    ("sscan", ("s", 2), {"match": "x", "count": 4}),
    ("sdiffstore", ("d", ["a", "b"]), {}),
    ("zadd", ("z", {"a": 1, "b": 2}), {"xx": True, "gt": True, "ch": True}),
    ("zadd", ("z", {"a": 1}), {"incr": True, "nx": True}),
    ("zrange", ("z", 0, 5), {"desc": True, "withscores": True}),
    ("zrange", ("z", 1, 5), {"byscore": True, "desc": True, "offset": 1, "num": 2}),
    ("zrange", ("z", "[a", "(c"), {"bylex": True}),
    ("zrangestore", ("d", "z", 0, 5), {"byscore": True, "offset": 0, "num": 1}),
    ("zrangebyscore", ("z", 1, 2), {"start": 0, "num": 1, "withscores": True}),
    ("zrevrangebyscore", ("z", 2, 1), {"withscores": True}),
    ("zrangebylex", ("z", "-", "+"), {"start": 1, "num": 2}),
    ("zrevrangebylex", ("z", "+", "-"), {}),
    ("zrank", ("z", "a"), {"withscore": True}),
    ("zrevrank", ("z", "a"), {"withscore": True}),
    ("zpopmin", ("z", 2), {}),
    ("bzpopmax", (["a", "b"], 2), {}),
    ("zmpop", (2, ["a", "b"]), {"max": True, "count": 2}),
    ("bzmpop", (1, 2, ["a", "b"]), {"min": True}),
    ("zunionstore", ("d", {"a": 1, "b": 2}), {"aggregate": "MAX"}),
    ("zinter", (["a", "b"],), {"aggregate": "min", "withscores": True}),
    ("zunion", (["a", "b"],), {"withscores": True}),
    ("zdiff", (["a", "b"],), {"withscores": True}),
    ("zdiffstore", ("d", ["a", "b"]), {}),
    ("zintercard", (2, ["a", "b"]), {"limit": 1}),
    ("zrandmember", ("z", 3), {"withscores": True}),
    ("zscan", ("z", 1), {"match": "m", "count": 3}),
    ("zmscore", ("z", ["a", "b"]), {}),
    ("geoadd", ("g", (1, 2, "m")), {"xx": True, "ch": True}),
    ("geodist", ("g", "a", "b"), {"unit": "km"}),
    (
        "georadius",
        ("g", 1, 2, 3),
        {
            "unit": "km",
            "withdist": True,
            "withcoord": True,
            "withhash": True,
            "count": 2,
            "any": True,
            "sort": "ASC",
        },
    ),
    ("georadius", ("g", 1, 2, 3), {"store": "dst"}),
    ("georadiusbymember", ("g", "m", 3), {"store_dist": "dst", "sort": "DESC"}),
    (
        "geosearch",
        ("g",),
        {
            "member": "m",
            "radius": 5,
            "unit": "km",
            "sort": "ASC",
            "count": 3,
            "any": True,
            "withcoord": True,
            "withdist": True,
            "withhash": True,
        },
    ),
    ("geosearch", ("g",), {"longitude": 1, "latitude": 2, "width": 3, "height": 4}),
    ("geosearchstore", ("d", "g"), {"member": "m", "radius": 5, "storedist": True}),
    (
        "xadd",
        ("s", {"a": 1}),
        {"id": "1-1", "maxlen": 5, "nomkstream": True, "limit": 10},
    ),
    ("xadd", ("s", {"a": 1}), {"minid": "0-1", "approximate": False}),
    ("xtrim", ("s",), {"minid": "0-1", "limit": 5}),
    ("xtrim", ("s",), {"maxlen": 5, "approximate": False}),
    ("xrange", ("s", "-", "+", 3), {}),
    ("xrevrange", ("s",), {"count": 3}),
    ("xread", ({"a": 0, "b": "$"},), {"count": 2, "block": 100}),
    ("xreadgroup", ("g", "c", {"a": ">"}), {"count": 2, "block": 0, "noack": True}),
    (
        "xclaim",
        ("s", "g", "c", 10, ["1-1"]),
        {"idle": 1, "time": 2, "retrycount": 3, "force": True, "justid": True},
    ),
    (
        "xautoclaim",
        ("s", "g", "c", 10),
        {"start_id": "1-0", "count": 3, "justid": True},
    ),
    ("xpending_range", ("s", "g", "-", "+", 5), {"consumername": "c", "idle": 9}),
    ("xgroup_create", ("s", "g"), {"id": "0", "mkstream": True, "entries_read": 3}),
    ("xgroup_setid", ("s", "g", "0"), {"entries_read": 1}),
    ("xgroup_createconsumer", ("s", "g", "c"), {}),
    ("xgroup_delconsumer", ("s", "g", "c"), {}),
    ("xinfo_stream", ("s",), {"full": True}),
    ("xinfo_consumers", ("s", "g"), {}),
    ("info", ("memory", "cpu"), {}),
    ("flushdb", (), {"asynchronous": True}),
    ("flushall", (), {"asynchronous": True}),
    ("bgsave", (), {}),
    ("bgsave", (), {"schedule": False}),
    ("save", (), {}),
    ("bgrewriteaof", (), {}),
    ("swapdb", (1, 2), {}),
    ("config_get", ("a*", "b"), {}),
    ("config_set", ("a", 1, "b", 2), {}),
    ("config_resetstat", (), {}),
    ("config_rewrite", (), {}),
    ("memory_usage", ("k",), {"samples": 3}),
    ("memory_stats", (), {}),
    ("memory_purge", (), {}),
    ("slowlog_get", (5,), {}),
    ("slowlog_len", (), {}),
    ("slowlog_reset", (), {}),
    ("wait", (1, 100), {}),
    ("command_count", (), {}),
    ("command_list", (), {"category": "admin"}),
    ("command_getkeys", ("SET", "a", "b"), {}),
    ("lolwut", (5, 1), {}),
    ("latency_latest", (), {}),
    ("latency_reset", ("command",), {}),
    ("debug_object", ("k",), {}),
    ("object", ("encoding", "k"), {}),
    ("auth", ("pw",), {"username": "me"}),
    ("select", (3,), {}),
    ("echo", ("x",), {}),
    ("ping", (), {}),
    ("quit", (), {}),
    ("reset", (), {}),
    ("client_list", (), {"_type": "normal", "client_id": [1, 2]}),
    ("client_kill", ("1.2.3.4:5",), {}),
    (
        "client_kill_filter",
        (),
        {
            "_id": 3,
            "_type": "normal",
            "addr": "a:1",
            "skipme": False,
            "laddr": "b:2",
            "user": "u",
            "maxage": 9,
        },
    ),
    ("client_pause", (100,), {"all": False}),
    ("client_unpause", (), {}),
    ("client_unblock", (5,), {"error": True}),
    ("client_reply", ("SKIP",), {}),
    ("client_setinfo", ("LIB-NAME", "aio"), {}),
    ("client_no_evict", ("ON",), {}),
    (
        "client_tracking_on",
        (),
        {"clientid": 3, "prefix": ["a", "b"], "bcast": True, "noloop": True},
    ),
    ("client_tracking_off", (), {}),
    ("client_tracking", (True,), {"optin": True}),
    ("client_trackinginfo", (), {}),
    ("client_getredir", (), {}),
    ("eval", ("return 1", 1, "k", "a"), {}),
    ("eval_ro", ("return 1", 0), {}),
    ("evalsha", ("abc", 0, "a"), {}),
    ("evalsha_ro", ("abc", 1, "k"), {}),
    ("script_exists", ("a", "b"), {}),
    ("script_flush", ("ASYNC",), {}),
    ("script_kill", (), {}),
    ("script_load", ("return 1",), {}),
    ("fcall", ("f", 1, "k", "a"), {}),
    ("fcall_ro", ("f", 0), {}),
    ("function_load", ("code",), {"replace": True}),
    ("function_delete", ("lib",), {}),
    ("function_flush", (), {}),
    ("function_list", (), {"library": "l*", "withcode": True}),
    ("function_dump", (), {}),
    ("function_restore", (b"payload",), {"policy": "REPLACE"}),
    ("function_kill", (), {}),
    ("function_stats", (), {}),
    ("publish", ("c", "m"), {}),
    ("spublish", ("c", "m"), {}),
    ("pubsub_channels", ("a*",), {}),
    ("pubsub_shardchannels", (), {}),
    ("pubsub_numpat", (), {}),
    ("pubsub_numsub", ("a", "b"), {}),
    ("pubsub_shardnumsub", ("a",), {}),
    ("role", (), {}),
    ("slaveof", (), {}),
    ("slaveof", ("127.0.0.1", 6380), {}),
    ("memory_malloc_stats", (), {}),
    (
        "migrate",
        ("10.0.0.1", 6380, ["a", "b"], 2, 500),
        {"copy": True, "replace": True, "auth": "pw"},
    ),
    ("migrate", ("10.0.0.1", 6380, "a", 0, 5), {}),
    ("waitaof", (1, 0, 100), {}),
    ("module_list", (), {}),
    ("latency_history", ("command",), {}),
    ("acl_cat", ("read",), {}),
    ("acl_dryrun", ("u", "GET", "k"), {}),
    ("acl_deluser", ("a", "b"), {}),
    ("acl_genpass", (128,), {}),
    ("acl_getuser", ("u",), {}),
    ("acl_help", (), {}),
    ("acl_list", (), {}),
    ("acl_log", (5,), {}),
    ("acl_log_reset", (), {}),
    ("acl_load", (), {}),
    ("acl_save", (), {}),
    ("acl_users", (), {}),
    ("acl_whoami", (), {}),
    ("acl_setuser", ("u",), {}),
    (
        "acl_setuser",
        ("u",),
        {
            "enabled": True,
            "reset": True,
            "reset_keys": True,
            "reset_channels": True,
            "reset_passwords": True,
            "passwords": ["+a", "-b"],
            "hashed_passwords": "+" + "0" * 64,
            "categories": ["+@read", "-write", "+hash", "-@all"],
            "commands": ["+get", "-set"],
            "keys": ["k*", "%R~r*", "~x"],
            "channels": ["ch*"],
            "selectors": [("+set", "s*"), ("-get", "%W~w")],
        },
    ),
    ("acl_setuser", ("u",), {"nopass": True, "passwords": "+a"}),
    ("acl_setuser", ("u",), {"passwords": "nosign"}),
    ("acl_setuser", ("u",), {"categories": ["read"]}),
    ("acl_setuser", ("u",), {"commands": ["get"]}),
    ("client_no_touch", ("ON",), {}),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    CALLS,
    ids=[f"{i}-{c[0]}" for i, c in enumerate(CALLS)],
)
def test_same_command_line_as_redis_py(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            expected = getattr(Theirs(), method)(*args, **kwargs)
        except redis.exceptions.DataError:
            with pytest.raises(DataError):
                getattr(Ours(), method)(*args, **kwargs)
            return
    assert getattr(Ours(), method)(*args, **kwargs) == expected


@pytest.mark.parametrize(
    "kwargs",
    [{"nosave": True, "now": True, "force": True}, {"save": True, "abort": True}],
)
async def test_shutdown_like_redis_py(kwargs: dict[str, Any]) -> None:
    import redis.asyncio
    import redis.exceptions

    from aio.redis import exceptions

    sent: list[list[str]] = []

    class TheirsDropped(redis.asyncio.Redis):  # type: ignore[misc]
        async def execute_command(self, *args: Any, **options: Any) -> Any:
            sent.append(_split(args))
            raise redis.exceptions.ConnectionError("gone")

    class OursDropped(CoreCommands):
        async def execute_command(self, *args: Any, **options: Any) -> Any:
            sent.append(_split(args))
            raise exceptions.ConnectionError("gone")

    class OursAnswered(CoreCommands):
        async def execute_command(self, *args: Any, **options: Any) -> Any:
            return b"OK"

    assert await TheirsDropped().shutdown(**kwargs) is None
    assert await OursDropped().shutdown(**kwargs) is None
    assert sent[0] == sent[1]
    with pytest.raises(exceptions.RedisError, match="SHUTDOWN"):
        await OursAnswered().shutdown(**kwargs)


def test_sort_ro_sends_the_read_only_command() -> None:
    # redis-py sends plain SORT for sort_ro(); we send SORT_RO, which replicas accept.
    assert Ours().sort_ro("l", get="o_*", alpha=True) == [
        "SORT_RO",
        "l",
        "GET",
        "o_*",
        "ALPHA",
    ]


def test_bitfield_builder_matches() -> None:
    def build(client: Any) -> Any:
        op = client.bitfield("k", default_overflow="SAT")
        return op.set("u8", 0, 1).incrby("i5", "#1", 3, overflow="FAIL").get("u4", 2)

    assert [_norm(a) for a in build(Ours()).command] == [
        _norm(a) for a in build(Theirs()).command
    ]
    assert build(Ours()).execute() == build(Theirs()).execute()


def _same_or_both_refuse(method: str, *args: Any, **kwargs: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            expected = getattr(Theirs(), method)(*args, **kwargs)
        except redis.exceptions.DataError:
            with pytest.raises(DataError):
                getattr(Ours(), method)(*args, **kwargs)
            return
    assert getattr(Ours(), method)(*args, **kwargs) == expected


maybe_int = st.none() | st.integers(min_value=0, max_value=10**6)
flag = st.booleans()


@given(
    ex=maybe_int, px=maybe_int, exat=maybe_int, pxat=maybe_int,
    nx=flag, xx=flag, keepttl=flag, get=flag,
)  # fmt: skip
def test_set_option_combinations(**kwargs: Any) -> None:
    _same_or_both_refuse("set", "k", "v", **kwargs)


@given(
    nx=flag, xx=flag, ch=flag, incr=flag, gt=flag, lt=flag,
    mapping=st.dictionaries(st.text("abc", max_size=2), st.floats(allow_nan=False),
                            max_size=3),
)  # fmt: skip
def test_zadd_option_combinations(mapping: dict[str, float], **kwargs: Any) -> None:
    _same_or_both_refuse("zadd", "z", mapping, **kwargs)


@given(
    desc=flag, withscores=flag, byscore=flag, bylex=flag,
    offset=st.none() | st.integers(0, 5), num=st.none() | st.integers(0, 5),
)  # fmt: skip
def test_zrange_option_combinations(**kwargs: Any) -> None:
    _same_or_both_refuse("zrange", "z", 0, 10, **kwargs)


@given(
    member=st.none() | st.just("m"),
    longitude=st.none() | st.just(1.5), latitude=st.none() | st.just(2.5),
    radius=st.none() | st.just(10), width=st.none() | st.just(3),
    height=st.none() | st.just(4), unit=st.sampled_from(["m", "km", "mi", "ft"]),
    sort=st.none() | st.sampled_from(["ASC", "DESC"]),
    count=st.none() | st.integers(1, 5), any=flag,
    withcoord=flag, withdist=flag, withhash=flag,
)  # fmt: skip
def test_geosearch_option_combinations(**kwargs: Any) -> None:
    _same_or_both_refuse("geosearch", "g", **kwargs)


@given(
    maxlen=st.none() | st.integers(0, 100), minid=st.none() | st.just("1-0"),
    approximate=flag, nomkstream=flag, limit=st.none() | st.integers(1, 50),
)  # fmt: skip
def test_xadd_option_combinations(**kwargs: Any) -> None:
    _same_or_both_refuse("xadd", "s", {"f": "v"}, **kwargs)
