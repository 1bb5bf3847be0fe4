"""The Redis 8.x commands and options: our command lines against redis-py's.

The machine's server is Redis 7.0, which has none of these commands, so their
encoding is checked with redis-py 8.1 as the oracle: both libraries' command
methods run with ``execute_command`` recording the words instead of sending
them, over fixed calls and hypothesis-drawn option combinations. A combination
redis-py refuses must be refused by us with the same exception class (DataError,
or ValueError where redis-py raises that), before anything is sent.
"""

from __future__ import annotations

import datetime
import enum
import warnings
from typing import Any

import pytest
import redis.commands.core as redis_core
import redis.commands.sentinel as redis_sentinel
import redis.exceptions
from hypothesis import given
from hypothesis import strategies as st

import aio.redis.commands as ours_commands
from aio.redis.commands import CoreCommands
from aio.redis.exceptions import DataError
from tests.redis.test_commands_args import _split


class Theirs(redis_core.CoreCommands, redis_sentinel.SentinelCommands):
    decode = False

    def execute_command(self, *args: Any, **options: Any) -> Any:
        return _split(args)

    def get_encoder(self) -> Any:
        from redis._parsers.encoders import Encoder

        return Encoder("utf-8", "strict", self.decode)  # type: ignore[no-untyped-call]


class Ours(CoreCommands):
    decode = False

    def execute_command(self, *args: Any, **options: Any) -> Any:
        return _split(args)

    def get_encoder(self) -> tuple[str, str, bool]:
        return ("utf-8", "strict", self.decode)


class E:
    """An enum member named for both libraries: ``E("HashDataPersistOptions.FNX")``
    is redis-py's member for redis-py and ours for us."""

    def __init__(self, path: str) -> None:
        self.enum_name, self.member = path.split(".")

    def __repr__(self) -> str:
        return f"E({self.enum_name}.{self.member})"

    def resolve(self, module: Any) -> enum.Enum:
        return getattr(module, self.enum_name)[self.member]  # type: ignore[no-any-return]


def _resolve(value: Any, module: Any) -> Any:
    if isinstance(value, E):
        return value.resolve(module)
    if isinstance(value, list):
        return [_resolve(v, module) for v in value]
    if isinstance(value, tuple):
        return tuple(_resolve(v, module) for v in value)
    return value


def _call(client: Any, module: Any, method: str, args: Any, kwargs: Any) -> Any:
    args = _resolve(args, module)
    kwargs = {k: _resolve(v, module) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        # redis-py flags these commands as experimental (UserWarning).
        warnings.simplefilter("ignore")
        return getattr(client, method)(*args, **kwargs)


def same_as_redis_py(method: str, *args: Any, **kwargs: Any) -> Any:
    """Our command line equals redis-py's, or both refuse with the same class."""
    try:
        expected = _call(Theirs(), redis_core, method, args, kwargs)  # type: ignore[abstract]
    except redis.exceptions.DataError:
        with pytest.raises(DataError):
            _call(Ours(), ours_commands, method, args, kwargs)
        return None
    except ValueError:
        with pytest.raises(ValueError):
            _call(Ours(), ours_commands, method, args, kwargs)
        return None
    got = _call(Ours(), ours_commands, method, args, kwargs)
    assert got == expected, (method, args, kwargs)
    return got


WHEN = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
DELTA = datetime.timedelta(seconds=90, milliseconds=500)

CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    # strings
    ("set", ("k", "v"), {"ifeq": "old", "get": True, "ex": 5}),
    ("set", ("k", "v"), {"ifne": b"", "keepttl": True}),
    ("set", ("k", "v"), {"ifdeq": "0123456789abcdef", "pxat": WHEN}),
    ("set", ("k", "v"), {"ifdne": "0123456789abcdef", "px": DELTA}),
    ("set", ("k", "v"), {"nx": True, "ifeq": b""}),  # refused: two conditions
    ("msetex", ({"a": 1, "b": 2},), {"ex": 10}),
    ("msetex", ({"a": 1},), {"data_persist_option": E("DataPersistOptions.NX")}),
    (
        "msetex",
        ({"a": 1},),
        {"data_persist_option": E("DataPersistOptions.XX"), "keepttl": True},
    ),  # fmt: skip
    ("msetex", ({"a": 1},), {"exat": WHEN}),
    ("msetex", ({"a": 1},), {"ex": 0, "px": 1}),  # refused
    ("increx", ("k",), {}),
    ("increx", ("k",), {"byint": 4, "lbound": 0, "ubound": 10, "saturate": True}),
    ("increx", ("k",), {"byfloat": 0.25, "ex": 60, "enx": True}),
    ("increx", ("k",), {"byint": -1, "pxat": WHEN, "enx": True}),
    ("increx", ("k",), {"persist": True}),
    ("increx", ("k",), {"enx": True}),  # refused: enx without expiry
    ("delex", ("k",), {}),
    ("delex", ("k",), {"ifeq": b"v"}),
    ("delex", ("k",), {"ifdne": "00ff"}),
    ("delex", ("k",), {"ifeq": "a", "ifne": "b"}),  # ValueError in both
    ("digest", ("k",), {}),
    ("stralgo", ("LCS", "ab", "ac"), {}),
    ("stralgo", ("LCS", "k1", "k2"), {"specific_argument": "keys", "len": True}),
    (
        "stralgo",
        ("LCS", "a", "b"),
        {"idx": True, "minmatchlen": 2, "withmatchlen": True},
    ),  # fmt: skip
    ("stralgo", ("LCS", "a", "b"), {"minmatchlen": 0}),
    ("stralgo", ("LCS", "a", "b"), {"len": True, "idx": True}),  # refused
    ("stralgo", ("XYZ", "a", "b"), {}),  # refused
    ("stralgo", ("LCS", "a", "b"), {"specific_argument": "other"}),  # refused
    # hashes
    ("hsetex", ("h", "f", "v"), {"ex": DELTA}),
    (
        "hsetex",
        ("h",),
        {
            "mapping": {"a": 1, "b": 2},
            "items": ["c", 3],
            "data_persist_option": E("HashDataPersistOptions.FNX"),
            "px": 5,
        },
    ),  # fmt: skip
    (
        "hsetex",
        ("h", "f", "v"),
        {"data_persist_option": E("HashDataPersistOptions.FXX"), "keepttl": True},
    ),  # fmt: skip
    ("hsetex", ("h", "f", "v"), {"exat": WHEN}),
    ("hsetex", ("h",), {"items": ["a", 1, "b"]}),  # refused: odd items
    ("hsetex", ("h",), {}),  # refused: nothing to set
    ("hsetex", ("h", "f", "v"), {"ex": 0, "px": 1}),  # refused
    # lists
    ("lmovem", ("a", "b"), {}),
    ("lmovem", ("a", "b", "RIGHT", "LEFT"), {"count": 3, "ordering": "BULK"}),
    ("lmovem", ("a", "b"), {"count": 2, "mode": "EXACTLY", "ordering": "OBO"}),
    ("lmovem", ("a", "b"), {"count": 2}),  # refused: no ordering
    ("lmovem", ("a", "b"), {"mode": "COUNT"}),  # refused: no count
    ("blmovem", ("a", "b", 1.5), {}),
    (
        "blmovem",
        ("a", "b", 0, "LEFT", "LEFT"),
        {"count": 4, "mode": "COUNT", "ordering": "OBO"},
    ),  # fmt: skip
    ("blmovem", ("a", "b", 1), {"ordering": "OBO"}),  # refused
    # sets
    ("sdiffcard", (2, ["a", "b"]), {}),
    ("sdiffcard", (3, ["a", "b", "c"]), {"limit": 5}),
    ("sunioncard", (2, ["a", "b"]), {}),
    ("sunioncard", (2, ["a", "b"]), {"limit": 7, "approx": True}),
    # streams
    ("xadd", ("s", {"f": "v"}), {"ref_policy": "DELREF", "maxlen": 10}),
    ("xadd", ("s", {"f": "v"}), {"idmpauto": "p1", "nomkstream": True}),
    (
        "xadd",
        ("s", {"f": "v"}),
        {"idmp": ("p1", b"i1"), "minid": "0-1", "ref_policy": "ACKED", "limit": 5},
    ),  # fmt: skip
    ("xadd", ("s", {"f": "v"}), {"idmp": ("p1", "i1"), "idmpauto": "p"}),  # refused
    ("xadd", ("s", {"f": "v"}), {"idmpauto": "p", "id": "1-1"}),  # refused
    ("xadd", ("s", {"f": "v"}), {"idmp": "p1"}),  # refused: not a pair
    ("xadd", ("s", {"f": "v"}), {"ref_policy": "keepref"}),  # refused
    ("xtrim", ("s",), {"maxlen": 5, "ref_policy": "KEEPREF"}),
    ("xtrim", ("s",), {"minid": "1-0", "limit": 3, "ref_policy": "ACKED"}),
    ("xtrim", ("s",), {"maxlen": 5, "ref_policy": "X"}),  # refused
    ("xread", ({"a": 0},), {"max_count": 5, "max_size": 1024}),
    ("xread", ({"a": 0, "b": "$"},), {"count": 2, "max_count": 2, "block": 10}),
    ("xread", ({"a": 0},), {"count": 5, "max_count": 3}),  # refused
    ("xread", ({"a": 0},), {"max_size": 0}),  # refused
    ("xreadgroup", ("g", "c", {"a": ">"}), {"claim_min_idle_time": 100}),
    (
        "xreadgroup",
        ("g", "c", {"a": ">"}),
        {
            "count": 1,
            "max_count": 9,
            "max_size": 5,
            "block": 0,
            "noack": True,
            "claim_min_idle_time": 0,
        },
    ),  # fmt: skip
    ("xreadgroup", ("g", "c", {"a": ">"}), {"claim_min_idle_time": -1}),  # refused
    ("xreadgroup", ("g", "c", {"a": ">"}), {"max_count": 0}),  # refused
    ("xackdel", ("s", "g", "1-1", "2-1"), {}),
    ("xackdel", ("s", "g", "1-1"), {"ref_policy": "DELREF"}),
    ("xackdel", ("s", "g"), {}),  # refused: no IDs
    ("xackdel", ("s", "g", "1-1"), {"ref_policy": "NONE"}),  # refused
    ("xdelex", ("s", "1-1"), {"ref_policy": "ACKED"}),
    ("xdelex", ("s", "1-1", "1-2"), {}),
    ("xdelex", ("s",), {}),  # refused
    ("xnack", ("s", "g", "FAIL", "1-1"), {}),
    ("xnack", ("s", "g", "FATAL", "1-1", "2-2"), {"retrycount": 0, "force": True}),
    ("xnack", ("s", "g", "SILENT", "1-1"), {"retrycount": 3}),
    ("xnack", ("s", "g", "OOPS", "1-1"), {}),  # refused
    ("xnack", ("s", "g", "FAIL"), {}),  # refused
    ("xnack", ("s", "g", "FAIL", "1-1"), {"retrycount": -1}),  # refused
    ("xcfgset", ("s",), {"idmp_duration": 1}),
    ("xcfgset", ("s",), {"idmp_duration": 300, "idmp_maxsize": 1_000_000}),
    ("xcfgset", ("s",), {"idmp_maxsize": 5}),
    ("xcfgset", ("s",), {}),  # refused
    ("xcfgset", ("s",), {"idmp_duration": 301}),  # refused
    ("xcfgset", ("s",), {"idmp_maxsize": 0}),  # refused
    ("xcfgset", ("s",), {"idmp_duration": "10"}),  # refused: not an int
    # arrays
    ("arset", ("a", 0, "v0", "v1"), {}),
    ("armset", ("a", {0: "x", 7: "y"}), {}),
    ("arget", ("a", 3), {}),
    ("armget", ("a", 1, 5, 2), {}),
    ("argetrange", ("a", 5, 0), {}),
    ("arscan", ("a", 0, 10), {}),
    ("arscan", ("a", 0, 10), {"limit": 2}),
    ("argrep", ("a", 0, 3, [(E("ArrayPredicateType.EXACT"), "boot")]), {}),
    (
        "argrep",
        (
            "a",
            0,
            9,
            [(E("ArrayPredicateType.GLOB"), "w*"), (E("ArrayPredicateType.RE"), "^e")],
        ),
        {
            "combinator": E("ArrayPredicateCombinator.AND"),
            "limit": 2,
            "withvalues": True,
            "nocase": True,
        },
    ),  # fmt: skip
    (
        "argrep",
        ("a", 0, 9, [(E("ArrayPredicateType.MATCH"), "x")]),
        {"combinator": E("ArrayPredicateCombinator.OR")},
    ),  # fmt: skip
    ("arop", ("a", 0, 9, E("ArrayAggregateOperations.SUM")), {}),
    ("arop", ("a", 9, 0, E("ArrayAggregateOperations.MATCH"), "v"), {}),
    ("arop", ("a", 0, 1, E("ArrayAggregateOperations.USED")), {}),
    ("ardel", ("a", 1, 2), {}),
    ("ardelrange", ("a", (0, 2), (7, 5)), {}),
    ("arinsert", ("a", "x", "y"), {}),
    ("arring", ("a", 3, "x"), {}),
    ("arlastitems", ("a", 3), {}),
    ("arlastitems", ("a", 3), {"rev": True}),
    ("arnext", ("a",), {}),
    ("arseek", ("a", 10), {}),
    ("arlen", ("a",), {}),
    ("arcount", ("a",), {}),
    ("arinfo", ("a",), {}),
    ("arinfo", ("a",), {"full": True}),
    # server, modules, connection
    ("hotkeys_start", ([E("HotkeysMetricsTypes.CPU")],), {"count": 10}),
    (
        "hotkeys_start",
        ([E("HotkeysMetricsTypes.CPU"), E("HotkeysMetricsTypes.NET")],),
        {"duration": 5, "sample_ratio": 2, "slots": [1, 2, 3]},
    ),  # fmt: skip
    ("hotkeys_start", ([E("HotkeysMetricsTypes.NET")],), {"slots": []}),
    ("hotkeys_stop", (), {}),
    ("hotkeys_get", (), {}),
    ("hotkeys_reset", (), {}),
    ("module_load", ("/x.so", "a", 1), {}),
    ("module_loadex", ("/x.so",), {"options": ["k", "v"], "args": ["a"]}),
    ("module_loadex", ("/x.so",), {}),
    ("module_unload", ("mod",), {}),
    ("readonly", (), {}),
    ("readwrite", (), {}),
    # sentinel
    ("sentinel_get_master_addr_by_name", ("m",), {}),
    ("sentinel_master", ("m",), {"return_responses": True}),
    ("sentinel_masters", (), {}),
    ("sentinel_sentinels", ("m",), {}),
    ("sentinel_slaves", ("m",), {}),
    ("sentinel_monitor", ("m", "10.0.0.1", 6379, 2), {}),
    ("sentinel_remove", ("m",), {}),
    ("sentinel_set", ("m", "down-after-milliseconds", 500), {}),
    ("sentinel_reset", ("m*",), {}),
    ("sentinel_failover", ("m",), {}),
    ("sentinel_ckquorum", ("m",), {}),
    ("sentinel_flushconfig", (), {}),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    CALLS,
    ids=[f"{i}-{c[0]}" for i, c in enumerate(CALLS)],
)
def test_same_command_line_as_redis_py(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    same_as_redis_py(method, *args, **kwargs)


def test_the_refusals_above_are_refusals() -> None:
    # The table mixes accepted and refused calls; make sure both kinds are there,
    # so that a table of only refusals (or none) cannot pass unnoticed.
    outcomes = [same_as_redis_py(m, *a, **k) is None for m, a, k in CALLS]
    assert 30 < outcomes.count(True) < len(CALLS) - 80


def test_options_also_accept_redis_py_enums_and_words() -> None:
    # Code written for redis-py passes redis-py's enum members; words work too.
    client: Any = Ours()
    for option in (redis_core.HashDataPersistOptions.FNX, "FNX"):
        assert client.hsetex("h", "f", "v", data_persist_option=option) == [
            "HSETEX", "h", "FNX", "FIELDS", "1", "f", "v",
        ]  # fmt: skip
    assert client.arop("a", 0, 1, redis_core.ArrayAggregateOperations.MAX)[-1] == "MAX"
    assert client.hotkeys_start(["CPU"]) == ["HOTKEYS", "START", "METRICS", "1", "CPU"]


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [
        ("hsetex", ("h", "f", "v"), {"data_persist_option": "NX"}),
        ("msetex", ({"a": 1},), {"data_persist_option": "FNX"}),
        ("argrep", ("a", 0, 1, [("FUZZY", "x")]), {}),
        ("argrep", ("a", 0, 1, [("EXACT", "x")]), {"combinator": "XOR"}),
        ("argrep", ("a", 0, 1, []), {}),
        ("arop", ("a", 0, 1, "AVG"), {}),
        ("hotkeys_start", (["DISK"],), {}),
    ],
)
def test_unknown_option_words_are_refused(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    # redis-py fails on these with AttributeError (``.value`` of a str) or sends
    # them for the server to reject; we say what was wrong before sending.
    with pytest.raises(DataError, match="must be|at least one"):
        getattr(Ours(), method)(*args, **kwargs)


def test_digest_local_matches_redis_py_shape() -> None:
    # redis-py needs the optional xxhash package; the hex digest of b"" is the
    # XXH3 test vector 2d06800538d394c2.
    assert Ours().digest_local(b"") == b"2d06800538d394c2"
    decoding = Ours()
    decoding.decode = True
    assert decoding.digest_local("") == "2d06800538d394c2"


# -- option combinations ---------------------------------------------------------

maybe_int = st.none() | st.integers(min_value=0, max_value=10**6)
maybe_value = st.none() | st.sampled_from([b"", b"v", "text"])
flag = st.booleans()


@given(
    nx=flag, xx=flag, get=flag, keepttl=flag, ex=maybe_int, px=maybe_int,
    exat=maybe_int, pxat=maybe_int, ifeq=maybe_value, ifne=maybe_value,
    ifdeq=st.none() | st.just("00ff"), ifdne=st.none() | st.just("ff00"),
)  # fmt: skip
def test_set_conditions(**kwargs: Any) -> None:
    same_as_redis_py("set", "k", "v", **kwargs)


@given(
    key=st.none() | st.just("f"),
    mapping=st.none() | st.dictionaries(st.sampled_from("abc"), st.integers(0, 9),
                                        max_size=2),
    items=st.none() | st.lists(st.sampled_from(["x", 1]), max_size=4),
    ex=maybe_int, px=maybe_int, exat=maybe_int, pxat=maybe_int, keepttl=flag,
    data_persist_option=st.none() | st.sampled_from(
        [E("HashDataPersistOptions.FNX"), E("HashDataPersistOptions.FXX")]),
)  # fmt: skip
def test_hsetex_options(key: Any, **kwargs: Any) -> None:
    same_as_redis_py("hsetex", "h", key, "v" if key else None, **kwargs)


@given(
    mapping=st.dictionaries(st.sampled_from("abc"), st.integers(0, 9), max_size=3),
    ex=maybe_int, px=maybe_int, exat=maybe_int, pxat=maybe_int, keepttl=flag,
    data_persist_option=st.none() | st.sampled_from(
        [E("DataPersistOptions.NX"), E("DataPersistOptions.XX")]),
)  # fmt: skip
def test_msetex_options(mapping: dict[str, int], **kwargs: Any) -> None:
    same_as_redis_py("msetex", mapping, **kwargs)


@given(
    byfloat=st.none() | st.sampled_from([0.5, -1.25, "2.5"]),
    byint=st.none() | st.integers(-5, 5), lbound=st.none() | st.integers(-9, 0),
    ubound=st.none() | st.integers(0, 9), saturate=flag, ex=maybe_int,
    px=maybe_int, exat=maybe_int, pxat=maybe_int, persist=flag, enx=flag,
)  # fmt: skip
def test_increx_options(**kwargs: Any) -> None:
    same_as_redis_py("increx", "k", **kwargs)


@given(ifeq=maybe_value, ifne=maybe_value, ifdeq=st.none() | st.just("0a"),
       ifdne=st.none() | st.just("0b"))  # fmt: skip
def test_delex_conditions(**kwargs: Any) -> None:
    same_as_redis_py("delex", "k", **kwargs)


@given(
    blocking=flag, count=st.none() | st.integers(1, 5),
    mode=st.none() | st.sampled_from(["COUNT", "EXACTLY"]),
    ordering=st.none() | st.sampled_from(["OBO", "BULK"]),
    ends=st.sampled_from([("LEFT", "RIGHT"), ("RIGHT", "RIGHT"), ("LEFT", "LEFT")]),
)  # fmt: skip
def test_lmovem_options(blocking: bool, ends: tuple[str, str], **kwargs: Any) -> None:
    if blocking:
        same_as_redis_py("blmovem", "a", "b", 2, *ends, **kwargs)
    else:
        same_as_redis_py("lmovem", "a", "b", *ends, **kwargs)


@given(
    union=flag, keys=st.lists(st.sampled_from("abcd"), min_size=1, max_size=3),
    limit=st.integers(0, 50), approx=flag,
)  # fmt: skip
def test_set_cardinality(
    union: bool, keys: list[str], limit: int, approx: bool
) -> None:
    if union:
        same_as_redis_py("sunioncard", len(keys), keys, limit=limit, approx=approx)
    else:
        same_as_redis_py("sdiffcard", len(keys), keys, limit=limit)


ref_policy = st.none() | st.sampled_from(["KEEPREF", "DELREF", "ACKED", "delref"])


@given(
    maxlen=st.none() | st.integers(0, 100), minid=st.none() | st.just("1-0"),
    approximate=flag, nomkstream=flag, limit=st.none() | st.integers(1, 50),
    ref_policy=ref_policy, idmpauto=st.none() | st.just("producer"),
    idmp=st.none() | st.just(("producer", b"iid")), id=st.sampled_from(["*", "5-1"]),
)  # fmt: skip
def test_xadd_idempotency_and_ref_policy(**kwargs: Any) -> None:
    same_as_redis_py("xadd", "s", {"f": "v"}, **kwargs)


@given(
    maxlen=st.none() | st.integers(0, 100), minid=st.none() | st.just("1-0"),
    approximate=flag, limit=st.none() | st.integers(1, 50), ref_policy=ref_policy,
)  # fmt: skip
def test_xtrim_ref_policy(**kwargs: Any) -> None:
    same_as_redis_py("xtrim", "s", **kwargs)


caps = st.none() | st.integers(-1, 6)


@given(count=caps, max_count=caps, max_size=caps,
       block=st.none() | st.integers(-1, 100))  # fmt: skip
def test_xread_caps(**kwargs: Any) -> None:
    same_as_redis_py("xread", {"a": 0, "b": "1-0"}, **kwargs)


@given(count=caps, max_count=caps, max_size=caps, noack=flag,
       block=st.none() | st.integers(-1, 100),
       claim_min_idle_time=st.none() | st.integers(-1, 1000))  # fmt: skip
def test_xreadgroup_caps_and_claim(**kwargs: Any) -> None:
    same_as_redis_py("xreadgroup", "g", "c", {"a": ">"}, **kwargs)


@given(
    command=st.sampled_from(["xackdel", "xdelex"]),
    ids=st.lists(st.sampled_from(["1-1", "2-0", "3-7"]), max_size=3),
    policy=st.sampled_from(["KEEPREF", "DELREF", "ACKED", "acked"]),
)  # fmt: skip
def test_group_aware_deletion(command: str, ids: list[str], policy: str) -> None:
    head = ("s", "g") if command == "xackdel" else ("s",)
    same_as_redis_py(command, *head, *ids, ref_policy=policy)


@given(
    mode=st.sampled_from(["SILENT", "FAIL", "FATAL", "fail"]),
    ids=st.lists(st.sampled_from(["1-1", "2-0"]), max_size=2),
    retrycount=st.none() | st.integers(-2, 5), force=flag,
)  # fmt: skip
def test_xnack_options(mode: str, ids: list[str], **kwargs: Any) -> None:
    same_as_redis_py("xnack", "s", "g", mode, *ids, **kwargs)


@given(idmp_duration=st.none() | st.integers(-1, 302),
       idmp_maxsize=st.none() | st.integers(0, 1_000_001))  # fmt: skip
def test_xcfgset_ranges(**kwargs: Any) -> None:
    same_as_redis_py("xcfgset", "s", **kwargs)


@given(
    predicates=st.lists(
        st.tuples(
            st.sampled_from([E(f"ArrayPredicateType.{m}") for m in
                             ("EXACT", "MATCH", "GLOB", "RE")]),
            st.sampled_from(["a", b"b*", 3]),
        ),
        min_size=1, max_size=3,
    ),
    combinator=st.none() | st.sampled_from([E("ArrayPredicateCombinator.AND"),
                                            E("ArrayPredicateCombinator.OR")]),
    limit=st.none() | st.integers(1, 9), withvalues=flag, nocase=flag,
)  # fmt: skip
def test_argrep_options(predicates: list[Any], **kwargs: Any) -> None:
    same_as_redis_py("argrep", "a", 0, 100, predicates, **kwargs)


@given(
    metrics=st.lists(st.sampled_from([E("HotkeysMetricsTypes.CPU"),
                                      E("HotkeysMetricsTypes.NET")]),
                     min_size=1, max_size=2),
    count=st.none() | st.integers(1, 50), duration=st.none() | st.integers(1, 60),
    sample_ratio=st.none() | st.integers(1, 10),
    slots=st.none() | st.lists(st.integers(0, 16383), max_size=3),
)  # fmt: skip
def test_hotkeys_start_options(metrics: list[Any], **kwargs: Any) -> None:
    same_as_redis_py("hotkeys_start", metrics, **kwargs)


@given(
    specific_argument=st.sampled_from(["strings", "keys"]), len=flag, idx=flag,
    minmatchlen=st.none() | st.integers(0, 5), withmatchlen=flag,
)  # fmt: skip
def test_stralgo_options(**kwargs: Any) -> None:
    same_as_redis_py("stralgo", "LCS", "a", "b", **kwargs)
