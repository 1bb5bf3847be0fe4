"""The blocking ``RedisCluster.json()`` (and ``.vset()``) against redis-py's
blocking ``RedisCluster``, on the scripted two-shard cluster of
:mod:`tests.redis.scripted_cluster` (whose ``COMMAND`` lists RedisJSON's and
the vector sets' key positions): the same node gets the same words and the same
value comes back, on RESP2 and RESP3; pipelines, and ``rc.json().pipeline()``
(a cluster pipeline with the JSON commands) as redis-py's.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sync_shims.redis as shim
from sync_shims.redis.commands.json._cluster import ClusterJSON, JSONClusterPipeline
from sync_shims.redis.commands.vectorset import VectorSet
from tests.redis import scripted_cluster as scripted
from tests.redis.scripted_cluster import (
    KEY_A,
    KEY_B,
    ScriptedClusterNode,
    received_by,
    script_both,
)
from tests.redis.scripted_json import CASES, Case
from tests.redis.scripted_server import OK, Simple
from tests.redis.scripted_vectorset import CASES as VSET_CASES
from tests.sync_shims.redis import scripted_oracle as oracle
from tests.sync_shims.redis.scripted_oracle import LIBS

Nodes = tuple[ScriptedClusterNode, ScriptedClusterNode]

# The scripted cluster (cluster) and the blocking oracle's protocols (wire),
# used here by name.
cluster, wire = scripted.cluster, oracle.wire


@pytest.fixture
def clusters(cluster: Nodes, wire: int) -> Iterator[dict[str, Any]]:
    """redis-py's and the facade's blocking cluster client (RESP3 as the
    default, no ``protocol``, where redis-py gives the shapes aio gives)."""
    kwargs: dict[str, Any] = {"protocol": 2} if wire == 2 else {}
    made = {
        lib: mod.RedisCluster(host="127.0.0.1", port=cluster[0].port, **kwargs)
        for lib, mod in LIBS.items()
    }
    yield made
    for client in made.values():
        client.close()


def outcome(
    nodes: Nodes, reply: object, fn: Callable[..., Any], *args: Any
) -> tuple[list[tuple[int, list[bytes]]], str]:
    """(node index and words of what was sent, repr of the result or the
    error's class name)."""
    script_both(nodes, reply)
    with warnings.catch_warnings(record=True):  # the deprecated aliases warn
        warnings.simplefilter("always")
        try:
            shown = repr(fn(*args))
        except Exception as exc:  # compared by class name across the libraries
            shown = f"raised {type(exc).__name__}"
    return received_by(nodes), shown


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.id != "debug-help"], ids=lambda c: c.id
)
def test_json_routed_and_converted_as_redispy(
    case: Case, cluster: Nodes, clusters: dict[str, Any], wire: int
) -> None:
    results = {
        lib: outcome(cluster, case.reply(wire), case.call, rc.json())
        for lib, rc in clusters.items()
    }
    assert results["sync_shims"] == results["redis-py"]
    sent, shown = results["sync_shims"]
    if shown != "raised RedisClusterException":  # JSON.MGET across slots
        assert not shown.startswith("raised"), shown
        assert len(sent) == 1 and sent[0][1][0].startswith(b"JSON.")


@pytest.mark.parametrize("case", VSET_CASES, ids=lambda c: c.id)
def test_vset_routed_and_converted_as_redispy(
    case: Case, cluster: Nodes, clusters: dict[str, Any], wire: int
) -> None:
    from redis.commands.vectorset.commands import QuantizationOptions as Theirs

    from sync_shims.redis.commands.vectorset import QuantizationOptions as Ours

    results = {}
    for lib, rc in clusters.items():
        vs = rc.vset()
        vs.Q = Ours if lib == "sync_shims" else Theirs
        results[lib] = outcome(cluster, case.reply(wire), case.call, vs)
    if case.id.startswith("vemb-raw"):
        # redis-py's blocking cluster looks decode_responses up in its nodes'
        # connection_kwargs, which lack it unless given: KeyError, unsent.
        assert results["redis-py"] == ([], "raised KeyError")
        assert results["sync_shims"][1].startswith("{'quantization': b'")
        return
    assert results["sync_shims"] == results["redis-py"]
    [(_, words)] = results["sync_shims"][0]
    assert words[0].startswith(b"V")


def test_accessors(cluster: Nodes) -> None:
    with shim.RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        j = rc.json()
        assert isinstance(j, ClusterJSON)
        client: Any = j.client
        assert client is rc
        vs = rc.vset()
        assert isinstance(vs, VectorSet)
        assert vs.client is rc
        for key, node in ((KEY_A, 0), (KEY_B, 1)):
            script_both(cluster, OK)
            assert j.set(key, "$", 1) is True
            script_both(cluster, 2)
            assert vs.vcard(key) == 2
            assert [i for i, _ in received_by(cluster)] == [node]


def test_pipeline_json_and_vset_as_redispy(
    cluster: Nodes, clusters: dict[str, Any], wire: int
) -> None:
    results = {}
    for lib, rc in clusters.items():
        pipe = rc.pipeline()
        assert pipe.json().set(KEY_A, "$", {"n": 1}) is pipe
        pipe.vset().vadd(KEY_A, [1.0], "a")
        pipe.json().get(KEY_B, "$")
        pipe.vset().vsim(KEY_B, "a", with_scores=True)
        pipe.exists(KEY_B)
        cluster[0].script(OK, 1 if wire == 2 else True)
        cluster[1].script(b'[{"n":1}]', [b"a", b"1"] if wire == 2 else {b"a": 1.0}, 1)
        results[lib] = (pipe.execute(), received_by(cluster))
    assert results["sync_shims"] == results["redis-py"]
    values, sent = results["sync_shims"]
    assert values[0] is True and values[2:] == [[{"n": 1}], {b"a": 1.0}, 1]
    assert [(i, c[0]) for i, c in sent] == [
        (0, b"JSON.SET"),
        (0, b"VADD"),
        (1, b"JSON.GET"),
        (1, b"VSIM"),
        (1, b"EXISTS"),
    ]


def test_json_object_pipeline_as_redispy(
    cluster: Nodes, clusters: dict[str, Any]
) -> None:
    """``rc.json().pipeline()``: redis-py's blocking cluster gives a cluster
    pipeline whose set/get/delete/type are the JSON commands; so does the
    facade."""
    results = {}
    for lib, rc in clusters.items():
        with warnings.catch_warnings():
            # redis-py passes its own deprecated cluster_error_retry_attempts.
            warnings.simplefilter("ignore", DeprecationWarning)
            pipe = rc.json().pipeline()
        if lib == "sync_shims":
            assert isinstance(pipe, JSONClusterPipeline)
        assert pipe.set(KEY_A, "$", {"n": 7}) is pipe
        pipe.get(KEY_B)
        pipe.delete(KEY_A, "$.n")
        pipe.type(KEY_B)
        pipe.exists(KEY_B)  # a core command stays
        cluster[0].script(OK, 1)
        cluster[1].script(b'{"n":7}', Simple("object"), 1)
        results[lib] = (pipe.execute(), received_by(cluster))
    assert results["sync_shims"] == results["redis-py"]
    values, sent = results["sync_shims"]
    assert values[:3] == [True, {"n": 7}, 1]
    assert [(i, c[0]) for i, c in sent] == [
        (0, b"JSON.SET"),
        (0, b"JSON.DEL"),
        (1, b"JSON.GET"),
        (1, b"JSON.TYPE"),
        (1, b"EXISTS"),
    ]
