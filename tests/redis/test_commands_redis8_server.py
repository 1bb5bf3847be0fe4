"""The new command methods against real servers.

* Every call of the encoding table goes to the shared Redis 7.0 through redis-py
  and through us (``oracle``): 7.0 has none of the Redis 8 commands or options,
  so both clients must get the same error, whose text quotes the command and
  its first arguments: the words went over the wire as redis-py sends them.
* SENTINEL against a real sentinel (``redis_sentinel``), compared with redis-py.
* READONLY/READWRITE on a cluster node, MODULE LOAD/UNLOAD errors, PSYNC on a
  private server (its connection must not go back to the pool), SYNC refused,
  and ``digest_local`` against the C xxHash library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import random
import uuid
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import redis
import redis.commands.core as redis_core
import redis.exceptions

import aio.redis.commands as ours_commands
from aio.redis import Redis
from aio.redis.commands import CoreCommands
from aio.redis.exceptions import ModuleError, ResponseError
from tests.plugins.fix_redis_commands import Oracle
from tests.redis.test_commands_redis8_args import CALLS, Theirs, _call, _resolve

Topology = dict[str, tuple[str, int]]


def _sent_by_redis_py(method: str, args: Any, kwargs: Any) -> bool:
    try:
        _call(Theirs(), redis_core, method, args, kwargs)  # type: ignore[abstract]
    except (redis.exceptions.DataError, ValueError):
        return False  # refused before sending: test_commands_redis8_args covers it
    return True


SENT = [call for call in CALLS if _sent_by_redis_py(*call)]


@pytest.mark.parametrize(
    ("method", "args", "kwargs"), SENT, ids=[f"{i}-{c[0]}" for i, c in enumerate(SENT)]
)
async def test_redis_7_answers_both_clients_alike(
    oracle: Oracle, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    async def scenario(client: Any) -> Any:
        module = redis_core if client is oracle.theirs else ours_commands
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # redis-py: experimental
            return await getattr(client, method)(
                *_resolve(args, module),
                **{k: _resolve(v, module) for k, v in kwargs.items()},
            )

    await oracle.check(scenario, raises=True)


# -- SENTINEL --------------------------------------------------------------------------


def _stable(state: dict[str, Any]) -> dict[str, Any]:
    # Timers and counters move between two calls; names, addresses, types stay.
    moving = {"last-ping-sent", "last-ok-ping-reply", "last-ping-reply",
              "down-after-milliseconds", "info-refresh", "role-reported-time",
              "last-hello-message", "link-pending-commands", "link-refcount",
              "voted-leader-epoch", "config-epoch", "master-link-down-time",
              "slave-repl-offset", "replica-announced"}  # fmt: skip
    return {k: (type(v), v if k not in moving else None) for k, v in state.items()}


@pytest.mark.parametrize("protocol", [2, 3])
async def test_sentinel_reads_like_redis_py(
    redis_sentinel: Topology, protocol: int
) -> None:
    host, port = redis_sentinel["sentinel"]
    theirs: Any = redis.Redis(host=host, port=port, protocol=2, decode_responses=True)
    ours: Any = Redis(host=host, port=port, protocol=protocol, decode_responses=True)
    try:
        assert await ours.sentinel_get_master_addr_by_name("mymaster") == (
            theirs.sentinel_get_master_addr_by_name("mymaster")
        )
        assert await ours.sentinel_get_master_addr_by_name("nope") is None
        master = await ours.sentinel_master("mymaster")
        assert _stable(master) == _stable(theirs.sentinel_master("mymaster"))
        assert (
            master["is_master"] is True
            and master["port"] == (redis_sentinel["master"][1])
        )
        masters = await ours.sentinel_masters()
        assert masters.keys() == theirs.sentinel_masters().keys()
        assert _stable(masters["mymaster"]) == _stable(master)
        assert [_stable(s) for s in await ours.sentinel_sentinels("mymaster")] == [
            _stable(s) for s in theirs.sentinel_sentinels("mymaster")
        ]
        assert await ours.sentinel_slaves("mymaster") == []
        # redis-py's bool_ok: "OK 1 usable Sentinels..." is not "OK".
        assert await ours.sentinel_ckquorum("mymaster") is (
            theirs.sentinel_ckquorum("mymaster")
        )
        assert await ours.sentinel_flushconfig() is True
        with pytest.raises(ResponseError, match="No such master"):
            await ours.sentinel_master("nope")
        with pytest.warns(DeprecationWarning, match="sentinel_"):
            await ours.sentinel("masters")
    finally:
        theirs.close()
        await ours.aclose()


async def test_sentinel_monitor_set_reset_remove(
    redis_sentinel: Topology, private_redis_server: Any
) -> None:
    master = private_redis_server()
    host, port = redis_sentinel["sentinel"]
    name = f"aio-cmds-{uuid.uuid4().hex[:8]}"
    ours = Redis(host=host, port=port, decode_responses=True)
    try:
        assert await ours.sentinel_monitor(name, master.host, master.port, 1) is True
        try:
            assert await ours.sentinel_set(name, "down-after-milliseconds", 4321)
            state = await ours.sentinel_master(name)
            assert state["down-after-milliseconds"] == 4321
            assert state["quorum"] == 1 and state["port"] == master.port
            # RESET answers the number of masters reset: not "OK" (redis-py).
            assert await ours.sentinel_reset(name) is False
            with pytest.raises(ResponseError, match="NOGOODSLAVE|No suitable"):
                await ours.sentinel_failover(name)
        finally:
            assert await ours.sentinel_remove(name) is True
        with pytest.raises(ResponseError, match="No such master"):
            await ours.sentinel_master(name)
    finally:
        await ours.aclose()


# -- cluster connection flags ------------------------------------------------------------


async def test_readonly_readwrite(redis_cluster: list[tuple[str, int]]) -> None:
    host, port = redis_cluster[0]
    node = Redis(host=host, port=port, single_connection_client=True)
    try:
        assert await node.readonly() is True
        assert await node.readwrite() is True
    finally:
        await node.aclose()


async def test_readonly_outside_a_cluster_is_the_servers_error(oracle: Oracle) -> None:
    async def scenario(client: Any) -> Any:
        return await client.readonly()

    await oracle.check(scenario, raises=True)


# -- modules -------------------------------------------------------------------------------


async def test_module_errors_are_module_errors(private_redis_server: Any) -> None:
    server = private_redis_server("--enable-module-command", "yes")
    ours: Any = Redis(host=server.host, port=server.port)
    theirs: Any = redis.Redis(host=server.host, port=server.port)
    missing = f"/nonexistent/aio-{uuid.uuid4().hex}.so"
    calls: list[Callable[[Any], Any]] = [
        lambda c: c.module_load(missing, "arg"),
        lambda c: c.module_loadex(missing, options=["k", "v"], args=["a"]),
        lambda c: c.module_unload("aio-no-such-module"),
    ]
    try:
        for call in calls:
            with pytest.raises(redis.exceptions.ModuleError) as expected:
                call(theirs)
            with pytest.raises(ModuleError) as got:
                await call(ours)
            assert str(got.value) == str(expected.value)
        assert await ours.module_list() == []
    finally:
        theirs.close()
        await ours.aclose()


# -- replication -------------------------------------------------------------------------


async def test_psync_runs_on_a_connection_of_its_own(private_redis_server: Any) -> None:
    server = private_redis_server()
    # No retries: a command sent on the replica-mode connection must not be
    # rescued by reconnecting (the server drops a replica that sends GET).
    r = Redis(host=server.host, port=server.port, decode_responses=True, retry=None)
    try:
        await r.set("k", "v")
        line = await r.psync("?", -1)
        words = line.split()
        assert words[0] == b"FULLRESYNC" and len(words[1]) == 40
        # The replica-mode connection was closed, not pooled: the next commands
        # get their own replies, not the dataset that followed FULLRESYNC.
        assert r.connection_pool.in_use_count == 0
        assert await r.get("k") == "v"
        assert await r.ping() is True
        async with Redis(host=server.host, port=server.port) as other:
            info: dict[str, Any] = {}
            for _ in range(200):
                info = await other.info("replication")
                if info["connected_slaves"] == 0:
                    break
                await other.ping()  # let the master notice the closed socket
            assert info["connected_slaves"] == 0
    finally:
        await r.aclose()


async def test_psync_needs_a_pool() -> None:
    class NoPool(CoreCommands):
        def execute_command(self, *args: Any, **options: Any) -> Any:
            raise AssertionError("not reached")

    with pytest.raises(Exception, match="connection_pool"):
        await NoPool().psync("?", -1)


async def test_sync_is_refused_with_the_reason() -> None:
    async with Redis(host="127.0.0.1", port=1) as r:  # never connects
        with pytest.raises(NotImplementedError, match="not RESP"):
            await r.sync()


# -- the local digest ------------------------------------------------------------------


def _libxxhash() -> Any:
    path = ctypes.util.find_library("xxhash")
    if path is None:
        pytest.skip("libxxhash is not installed (the pure-Python vectors still run)")
    lib = ctypes.CDLL(path)
    lib.XXH3_64bits.restype = ctypes.c_uint64
    lib.XXH3_64bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    return lib


def test_digest_local_against_the_c_library() -> None:
    lib = _libxxhash()
    rnd = random.Random(8)
    client = Redis()
    # Every code path: 0, 1-3, 4-8, 9-16, 17-128, 129-240, and the striped one
    # around block (1024) and stripe (64) boundaries.
    sizes = [*range(0, 260), 1023, 1024, 1025, 1087, 1088, 2048, 4097, 65_536]
    for size in sizes:
        data = rnd.randbytes(size)
        expected = format(lib.XXH3_64bits(data, size), "016x").encode()
        assert client.digest_local(data) == expected, size
    assert client.digest_local("héllo") == client.digest_local("héllo".encode())


@pytest.mark.parametrize(
    ("value", "digest"),
    [
        # Published XXH3-64 (seed 0) values.
        (b"", "2d06800538d394c2"),
        (b"a", "e6c632b61e964e1f"),
        (b"abc", "78af5f94892f3950"),
    ],
)
def test_digest_local_known_values(value: bytes, digest: str) -> None:
    assert Redis().digest_local(value) == digest.encode()
    assert Redis(decode_responses=True).digest_local(value) == digest


# -- RESP3 sets turned back into RESP2's ordered lists ------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("LMOVE", "a", "b", "left", "left"),
        ("SET", "k", "v"),
        ("XADD", "s", "*", "f", "v"),
        ("GETDEL", "k"),
        ("SORT", "l", "STORE", "d"),
        ("MIGRATE", "h", 1, "", 0, 5, "KEYS", "a", "b"),
        ("GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", 1, "km"),
    ],
)
async def test_getkeysandflags_keeps_the_servers_flag_order(
    oracle: Oracle, command: tuple[Any, ...]
) -> None:
    async def scenario(client: Any) -> Any:
        return await client.command_getkeysandflags(*command)

    await oracle.check(scenario)
