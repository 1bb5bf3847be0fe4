"""The blocking ``r.bf()``, ``r.cf()``, ``r.cms()``, ``r.topk()``, ``r.tdigest()``
against sync redis-py as the oracle.

Both talk to the scripted server of :mod:`tests.redis.scripted_bloom` (no
RedisBloom here), get the same reply, and must send the same words and return
the same value, on RESP2 and RESP3, bytes and decoded, and in pipelines; bad
input and the deprecation warning come in the calling thread, as redis-py's.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import redis.commands.bf as theirs

import sync_shims.redis as shim
from aio.redis import DataError, InvalidResponse
from sync_shims.redis.commands import bf
from sync_shims.redis.commands.bf import (
    BFBloom,
    CFBloom,
    CMSBloom,
    TDigestBloom,
    TOPKBloom,
)
from sync_shims.redis.commands.bf.commands import BF_ADD, TOPKCommands
from sync_shims.redis.commands.bf.info import CFInfo
from tests.redis.scripted_bloom import (
    CASES,
    DUMP,
    FAMILIES,
    HELPER_CALLS,
    Case,
    doc_example,
    helper_outcome,
    shown,
)
from tests.redis.scripted_server import OK, ScriptedServer
from tests.sync_shims.redis import scripted_oracle as oracle
from tests.sync_shims.redis.scripted_oracle import LIBS

# The scripted oracle's fixtures, used here by name.
server, wire, decode, clients = oracle.FIXTURES


def outcome(
    server: ScriptedServer, reply: object, fn: Callable[..., Any], *args: Any
) -> tuple[list[list[bytes]], Any, list[str]]:
    """(sent commands, the result as shown() or the error's class name, warning
    classes)."""
    return oracle.outcome(server, [reply], functools.partial(fn, *args), show=shown)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
    decode: bool,
) -> None:
    if decode and not case.same_decoded:
        pytest.skip("a deliberate difference, tested on its own")
    results = {
        lib: outcome(
            server, case.reply(wire), case.call, getattr(make(), case.family)()
        )
        for lib, make in clients.items()
    }
    assert results["sync_shims"] == results["redis-py"]
    sent, seen, _ = results["sync_shims"]
    assert len(sent) == 1
    assert not str(seen).startswith("raised"), seen


def test_objects(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        classes = (BFBloom, CFBloom, CMSBloom, TOPKBloom, TDigestBloom)
        for family, cls in zip(FAMILIES, classes, strict=True):
            obj: Any = getattr(r, family)()
            assert type(obj) is cls and obj.client is r
            assert obj.execute_command == r.execute_command
        assert r.topk().commandmixin is TOPKCommands
        assert "BF.INFO" in r.response_callbacks
        assert "TDIGEST.QUANTILE" in r.response_callbacks
        assert BF_ADD == bf.BF_ADD == "BF.ADD"
        server.script([b"a", 3])
        assert r.topk().list("t", withcount=True) == ["a", 3]
        assert server.received == [[b"TOPK.LIST", b"t", b"WITHCOUNT"]]


#: The names of ``redis.commands.bf`` an object of a family may be an instance of.
BLOOM_CLASSES = (
    "AbstractBloom",
    "BFCommands",
    "CFCommands",
    "CMSCommands",
    "TOPKCommands",
    "TDigestCommands",
    "BFBloom",
    "CFBloom",
    "CMSBloom",
    "TOPKBloom",
    "TDigestBloom",
)


def test_objects_are_instances_as_redispy(server: ScriptedServer) -> None:
    """Of redis-py's ``AbstractBloom`` (which holds the ``append_*``
    helpers), its command mixin and its own class, on a client and a pipeline;
    the classes relate as redis-py's do."""

    def relations(mod: Any, client: Any) -> dict[tuple[str, str], bool]:
        pipe = client.pipeline()
        found = {
            (f"{where}.{family}", name): isinstance(
                getattr(owner, family)(), getattr(mod, name)
            )
            for where, owner in (("client", client), ("pipeline", pipe))
            for family in FAMILIES
            for name in BLOOM_CLASSES
        }
        found |= {
            (sub, name): issubclass(getattr(mod, sub), getattr(mod, name))
            for sub in BLOOM_CLASSES
            for name in BLOOM_CLASSES
        }
        pipe.reset()
        return found

    with (
        shim.Redis(port=server.port) as ours,
        redis.Redis(port=server.port) as them,
    ):
        assert relations(bf, ours) == relations(theirs, them)
        assert isinstance(ours.bf(), bf.AbstractBloom)


def test_static_helper_names_as_redispy() -> None:
    def helpers(cls: type) -> set[str]:
        return {name for name in dir(cls) if name.startswith("append_")}

    wanted = helpers(theirs.AbstractBloom)
    assert {name for name, _ in HELPER_CALLS} == wanted
    with shim.Redis() as r:
        for family in FAMILIES:
            assert helpers(type(getattr(r, family)())) == wanted


@pytest.mark.parametrize(("name", "args"), HELPER_CALLS)
def test_static_helpers_as_redispy(
    server: ScriptedServer, name: str, args: tuple[Any, ...]
) -> None:
    """Each helper appends what redis-py's does, called on the class or on an
    object (no command sent); it is the core's function, not a copy."""
    with (
        shim.Redis(port=server.port) as ours,
        redis.Redis(port=server.port) as them,
    ):
        for family in FAMILIES:
            theirs_obj, ours_obj = getattr(them, family)(), getattr(ours, family)()
            expected = helper_outcome(theirs_obj, name, args)
            assert helper_outcome(ours_obj, name, args) == expected
            assert helper_outcome(type(ours_obj), name, args) == expected
            assert getattr(ours_obj, name) is getattr(bf.AbstractBloom, name)
    assert helper_outcome(bf.AbstractBloom, name, args) == expected


def test_static_pair_helpers_refuse_unequal_lengths() -> None:
    """redis-py drops extra increments or raises IndexError; the helpers here
    (the core's) refuse, as the commands that use them do."""
    with shim.Redis() as r:
        cms = r.cms()
        for name in ("append_items_and_increments", "append_values_and_weights"):
            params: list[Any] = []
            with pytest.raises(DataError, match="differ in length"):
                getattr(cms, name)(params, ["a", "b"], [1])
            assert params == []


def _queue(pipe: Any) -> None:
    pipe.bf().madd("b", "x", "y")
    pipe.cf().info("c")
    pipe.topk().add("t", "a")
    pipe.tdigest().cdf("d", 1)
    pipe.tdigest().trimmed_mean("d", 0.1, 0.9)
    pipe.cms().merge("m", 1, ["n"])
    pipe.get("b")


CF_FIELDS = {
    b"Size": 1,
    b"Number of buckets": 2,
    b"Number of filters": 1,
    b"Number of items inserted": 0,
    b"Number of items deleted": 0,
    b"Bucket size": 2,
    b"Expansion rate": 1,
    b"Max iterations": 20,
}
PIPE_REPLIES = {
    2: [[1, 0], [x for kv in CF_FIELDS.items() for x in kv], [None], [b"0.5"]]
    + [b"2.5", OK, None],
    3: [[1, 0], CF_FIELDS, [None], [0.5], 2.5, OK, None],
}


@pytest.mark.parametrize("transaction", [False, True])
def test_pipeline_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
    transaction: bool,
) -> None:
    results = {}
    for lib, make in clients.items():
        pipe = make().pipeline(transaction=transaction)
        b = pipe.bf()
        assert b.client is pipe
        assert b.add("k", 1) is pipe  # queued: the pipeline comes back
        pipe.reset()
        _queue(pipe)
        server.script(*PIPE_REPLIES[wire])
        results[lib] = (shown(pipe.execute()), server.received)
    assert results["sync_shims"] == results["redis-py"]
    values, sent = results["sync_shims"]
    assert values[0] == [1, 0] and values[2] == [None] and values[4] == 2.5
    assert values[1][0] == "CFInfo" and values[5] is True
    assert [c[0] for c in sent] == [
        b"BF.MADD",
        b"CF.INFO",
        b"TOPK.ADD",
        b"TDIGEST.CDF",
        b"TDIGEST.TRIMMED_MEAN",
        b"CMS.MERGE",
        b"GET",
    ]


def test_pipeline_with_statement(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port) as r, r.pipeline() as pipe:
        pipe.tdigest().create("d").tdigest().max("d")
        server.script(OK, math.inf)
        assert pipe.execute() == [True, math.inf]


def test_scandump_round_trip_decoded(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, decode_responses=True) as r:
        for obj, prefix in ((r.bf(), b"BF"), (r.cf(), b"CF")):
            server.script([1, DUMP], OK)
            it, chunk = obj.scandump("k", 0)
            assert (it, chunk) == (1, DUMP)
            assert obj.loadchunk("k2", it, chunk) == "OK"
            assert server.received[-1] == [prefix + b".LOADCHUNK", b"k2", b"1", DUMP]


def test_info_object(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port) as r:
        server.script(CF_FIELDS)
        info = r.cf().info("c")
        assert isinstance(info, CFInfo)
        assert (info.bucketNum, info["maxIteration"], info.get("nope")) == (2, 20, None)


def test_deprecation_warning_in_calling_thread(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port) as r:
        server.script([2])
        with pytest.warns(DeprecationWarning, match="deprecated count"):
            assert r.topk().count("t", "a") == [2]


def test_bad_input_raises_before_sending(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port) as r:
        server.script()
        with pytest.raises(DataError, match="differ in length"):
            r.cms().incrby("m", ["a"], [])
        assert server.received == []


def test_malformed_reply(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        server.script([b"Compression", 1], b"x")
        with pytest.raises(InvalidResponse, match="TDIGEST.INFO"):
            r.tdigest().info("d")
        assert r.echo("x") == b"x"


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # RedisBloom's RESP3 replies to the example's commands (the default protocol).
    server.script(
        OK,
        [1, 1],
        1,
        {**CF_FIELDS, b"Number of items inserted": 2, b"Bucket size": 4},
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    code = doc_example("bloom-blocking")
    exec(compile(code, "docs/redis_probabilistic.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == ["[1, 1]", "1", "2 4"]
    assert [c[0] for c in server.received] == [
        b"CF.RESERVE",
        b"CF.INSERTNX",
        b"CF.COUNT",
        b"CF.INFO",
    ]


def _errors_by_node(nodes: dict[str, Any]) -> dict[str, int]:
    counts = {}
    for name, node in nodes.items():
        stats = node.info("errorstats")
        counts[name] = int(stats.get("errorstat_ERR", {}).get("count", 0))
    return counts


CLUSTER_CALLS = (
    ("bf", "madd", ("x",)),
    ("cf", "count", ("x",)),
    ("cms", "info", ()),
    ("topk", "query", ("x",)),
    ("tdigest", "max", ()),
)


def test_cluster_sends_each_command_to_its_keys_node(
    redis_cluster: list[tuple[str, int]],
) -> None:
    """No RedisBloom on the test cluster: the unknown-command error is counted
    by the node the command went to (see tests/redis/test_bloom_cluster.py)."""
    host, port = redis_cluster[0]
    # One lasting client per node: a new connection's handshake may count an
    # error of its own (CLIENT MAINT_NOTIFICATIONS on Redis 7.0).
    nodes = {f"{h}:{p}": shim.Redis(host=h, port=p) for h, p in redis_cluster}
    try:
        with shim.RedisCluster(host=host, port=port) as rc:
            assert isinstance(rc.topk(), TOPKBloom)
            assert "TOPK.LIST" in rc.response_callbacks
            for key in ("alpha", "beta", "gamma", "{t}x"):
                node = rc.get_node_from_key(key)
                assert node is not None
                for family, method, args in CLUSTER_CALLS:
                    _errors_by_node(nodes)  # connected before counting
                    bloom = getattr(rc, family)()
                    rc.ping(target_nodes=rc.get_nodes())  # the cluster too
                    before = _errors_by_node(nodes)
                    with pytest.raises(shim.ResponseError, match="unknown command"):
                        getattr(bloom, method)(key, *args)
                    after = _errors_by_node(nodes)
                    grew = [name for name in after if after[name] > before[name]]
                    assert grew == [node.name], (family, method, key)
    finally:
        for client in nodes.values():
            client.close()


def test_cluster_pipeline_queues_and_routes(
    redis_cluster: list[tuple[str, int]],
) -> None:
    host, port = redis_cluster[0]
    nodes = {f"{h}:{p}": shim.Redis(host=h, port=p) for h, p in redis_cluster}
    try:
        with shim.RedisCluster(host=host, port=port) as rc:
            keys = ["alpha", "beta", "gamma"]
            owners = set()
            for key in keys:
                node = rc.get_node_from_key(key)
                assert node is not None
                owners.add(node.name)
            rc.ping(target_nodes=rc.get_nodes())  # connected before counting
            with rc.pipeline() as pipe:
                assert pipe.bf().add(keys[0], "x") is pipe
                pipe.cf().count(keys[1], "x")
                pipe.tdigest().cdf(keys[2], 1.5)
                before = _errors_by_node(nodes)
                results = pipe.execute(raise_on_error=False)
                after = _errors_by_node(nodes)
            assert [type(r) for r in results] == [shim.ResponseError] * 3
            assert {n for n in after if after[n] > before[n]} == owners
    finally:
        for client in nodes.values():
            client.close()


@pytest.fixture(scope="module")
def scripted_cluster() -> Iterator[tuple[Any, Any]]:
    from tests.redis.scripted_cluster import scripted_cluster as two_nodes
    from tests.redis.test_bloom_cluster_oracle import BLOOM_COMMANDS

    with two_nodes(BLOOM_COMMANDS) as nodes:
        yield nodes


@pytest.mark.parametrize("wire_protocol", [2, None], ids=["resp2", "resp3"])
def test_cluster_as_redispy_on_a_scripted_cluster(
    scripted_cluster: tuple[Any, Any], wire_protocol: int | None
) -> None:
    """Every single-key case on the blocking cluster clients of both libraries
    (a two-shard scripted cluster with RedisBloom's COMMAND table): the same
    node gets the same words, the same value comes back."""
    from tests.redis.scripted_cluster import received_by, script_both
    from tests.redis.test_bloom_cluster_oracle import SINGLE_KEY

    wire = 2 if wire_protocol == 2 else 3
    port = scripted_cluster[0].port
    made = {
        lib: mod.RedisCluster(host="127.0.0.1", port=port, protocol=wire_protocol)
        for lib, mod in LIBS.items()
    }
    try:
        for case in SINGLE_KEY:
            results = {}
            for lib, rc in made.items():
                script_both(scripted_cluster, case.reply(wire))
                with warnings.catch_warnings(record=True):
                    warnings.simplefilter("always")
                    seen = shown(case.call(getattr(rc, case.family)()))
                results[lib] = (received_by(scripted_cluster), seen)
            assert results["sync_shims"] == results["redis-py"], case.id
    finally:
        for rc in made.values():
            rc.close()
