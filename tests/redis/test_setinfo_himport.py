"""CLIENT SETINFO (driver_info) and the HIMPORT family, against redis-py 8.1.

The server here is Redis 7.0 (no CLIENT SETINFO before 7.2, no HIMPORT before
8.9), so a scripted RESP2 server records the words each client sends and
answers as Redis 8.9 would; redis.asyncio runs the same script, and both must
send the same words (the LIB-NAME/LIB-VER values aside: ours are aio's).
"""

from __future__ import annotations

import asyncio
import pathlib
import re
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy

import aio
from aio.proto.resp import NEED_DATA, RESPParser
from aio.redis import ConnectionPool, DataError, Redis
from aio.redis.driver_info import DriverInfo, resolve_driver_info
from aio.redis.exceptions import NoSuchFieldsetError, ResponseError, error_from_reply
from aio.redis.himport import HImportRegistry, parse_himport_set_args
from tests.plugins.fix_redis import db_lock
from tests.plugins.fix_services import require_service

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "redis.md"
Words = list[list[bytes]]


class Script:
    """Answers commands as Redis 8.9 would and records them, per connection.

    ``lost`` fieldset names answer their next bare HIMPORT SET with ``no such
    fieldset`` once (the server dropped them); ``setinfo_error`` answers CLIENT
    SETINFO as Redis before 7.2 does.
    """

    def __init__(self, *, setinfo_error: bool = False) -> None:
        self.connections: list[Words] = []
        self.lost: set[bytes] = set()
        self.setinfo_error = setinfo_error

    def answer(self, words: list[bytes], prepared: set[bytes]) -> bytes:
        name = [w.upper() for w in words[:2]]
        if name == [b"CLIENT", b"SETINFO"] and self.setinfo_error:
            return b"-ERR unknown subcommand 'SETINFO'.\r\n"
        if name == [b"HIMPORT", b"PREPARE"]:
            prepared.add(words[2])
            return b"+OK\r\n"
        if name == [b"HIMPORT", b"SET"]:
            if words[3] in self.lost or words[3] not in prepared:
                self.lost.discard(words[3])
                prepared.discard(words[3])
                return b"-ERR no such fieldset\r\n"
            return b"+OK\r\n"
        if name == [b"HIMPORT", b"DISCARD"]:
            found = words[2] in prepared
            prepared.discard(words[2])
            return b":1\r\n" if found else b":0\r\n"
        if name == [b"HIMPORT", b"DISCARDALL"]:
            count = len(prepared)
            prepared.clear()
            return b":%d\r\n" % count
        if words[0].upper() == b"PING":
            return b"+PONG\r\n"
        return b"+OK\r\n"

    async def handler(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        seen: Words = []
        self.connections.append(seen)
        prepared: set[bytes] = set()
        queued: list[bytes] | None = None  # replies owed at EXEC, inside MULTI
        parser = RESPParser()
        while True:
            words = parser.gets()
            if words is NEED_DATA:
                data = await reader.read(65536)
                if not data:
                    return
                parser.feed(data)
                continue
            assert isinstance(words, list)
            seen.append(words)
            verb = words[0].upper()
            if queued is not None and verb != b"EXEC":
                queued.append(self.answer(words, prepared))
                writer.write(b"+QUEUED\r\n")
            elif verb == b"MULTI":
                queued = []
                writer.write(b"+OK\r\n")
            elif verb == b"EXEC":
                replies, queued = queued or [], None
                writer.write(b"*%d\r\n" % len(replies) + b"".join(replies))
            else:
                writer.write(self.answer(words, prepared))
            await writer.drain()


def normalized(connections: list[Words]) -> list[Words]:
    """The words with the LIB-NAME and LIB-VER values blanked (they differ)."""
    return [
        [
            [*w[:3], b"<value>"]
            if [x.upper() for x in w[:2]] == [b"CLIENT", b"SETINFO"]
            else w
            for w in conn
        ]
        for conn in connections
    ]


async def run_both(
    fake_server: Any,
    scenario: Callable[[Any], Awaitable[Any]],
    **client_kwargs: Any,
) -> tuple[tuple[list[Words], Any], tuple[list[Words], Any]]:
    """Run ``scenario(client)`` on redis.asyncio and on aio.redis, each on its
    own scripted server: ``((ours_words, ours_result), (theirs_...))``."""
    out = []
    for make in (Redis, redispy.Redis):
        script = Script()
        port = await fake_server(script.handler)
        client = make(
            host="127.0.0.1", port=port, protocol=2, socket_timeout=2, **client_kwargs
        )
        with warnings.catch_warnings():
            # redis-py marks the HIMPORT methods experimental (a UserWarning).
            warnings.simplefilter("ignore", UserWarning)
            result = await scenario(client)
        await client.aclose()
        out.append((script.connections, result))
    return out[0], out[1]


# -- CLIENT SETINFO -------------------------------------------------------------


async def test_setinfo_words_and_order_match_redis_py(fake_server: Any) -> None:
    async def ping(client: Any) -> Any:
        return await client.ping()

    ours, theirs = await run_both(fake_server, ping, db=3, client_name="me")
    assert normalized(ours[0]) == normalized(theirs[0])
    assert ours[0][0][:4] == [
        [b"CLIENT", b"SETNAME", b"me"],
        [b"CLIENT", b"SETINFO", b"LIB-NAME", b"aio-redis"],
        [b"CLIENT", b"SETINFO", b"LIB-VER", aio.__version__.encode()],
        [b"SELECT", b"3"],
    ]
    assert theirs[0][0][1][3] == b"redis-py"  # theirs, for the record


@pytest.mark.parametrize(
    "kwargs",
    [
        {"driver_info": None},
        {"lib_name": None, "lib_version": None},
    ],
)
async def test_setinfo_is_not_sent_when_told_so(
    fake_server: Any, kwargs: dict[str, Any]
) -> None:
    async def ping(client: Any) -> Any:
        return await client.ping()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ours, theirs = await run_both(fake_server, ping, **kwargs)
    assert ours[0] == theirs[0] == [[[b"PING"]]]


async def test_a_driver_info_without_name_or_version_sends_nothing(
    fake_server: Any,
) -> None:
    script = Script()
    port = await fake_server(script.handler)
    info = DriverInfo(name=None, lib_version=None)
    async with Redis(host="127.0.0.1", port=port, protocol=2, driver_info=info) as r:
        assert await r.ping() is True
    assert script.connections == [[[b"PING"]]]


async def test_lib_name_alone_sends_the_version_and_warns(fake_server: Any) -> None:
    async def ping(client: Any) -> Any:
        return await client.ping()

    with pytest.warns(DeprecationWarning, match="lib_name"):
        ours, theirs = await run_both(fake_server, ping, lib_name="mylib")
    assert (
        ours[0][0][0]
        == theirs[0][0][0]
        == [
            b"CLIENT",
            b"SETINFO",
            b"LIB-NAME",
            b"mylib",
        ]
    )
    assert ours[0][0][1][:3] == [b"CLIENT", b"SETINFO", b"LIB-VER"]


async def test_setinfo_refused_by_an_old_server_is_ignored(fake_server: Any) -> None:
    script = Script(setinfo_error=True)
    port = await fake_server(script.handler)
    async with Redis(host="127.0.0.1", port=port, protocol=2, db=2) as r:
        assert await r.ping() is True
    assert [w[:2] for w in script.connections[0]] == [
        [b"CLIENT", b"SETINFO"],
        [b"CLIENT", b"SETINFO"],
        [b"SELECT", b"2"],
        [b"PING"],
    ]


async def test_upstream_drivers_in_lib_name(fake_server: Any) -> None:
    info = (
        DriverInfo()
        .add_upstream_driver("celery", "5.4")
        .add_upstream_driver("django-redis", "5.4.0")
    )
    assert info.formatted_name == "aio-redis(django-redis_v5.4.0;celery_v5.4)"
    script = Script()
    port = await fake_server(script.handler)
    async with Redis(host="127.0.0.1", port=port, protocol=2, driver_info=info) as r:
        assert r.connection_pool.connection_kwargs["driver_info"] is info
        await r.ping()
    assert script.connections[0][0][3] == b"aio-redis(django-redis_v5.4.0;celery_v5.4)"


def test_driver_info_defaults_and_bad_input() -> None:
    client = Redis()
    info = client.connection_pool.connection_kwargs["driver_info"]
    assert (info.formatted_name, info.lib_version) == ("aio-redis", aio.__version__)
    assert resolve_driver_info() is not None
    with pytest.raises(TypeError, match="DriverInfo instance or None"):
        Redis(driver_info="aio")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="package-style"):
        DriverInfo().add_upstream_driver("Django", "1")
    with pytest.raises(ValueError, match="braces"):
        DriverInfo().add_upstream_driver("django", "1 2")


# -- HIMPORT ---------------------------------------------------------------------


async def test_himport_words_and_replies_match_redis_py(fake_server: Any) -> None:
    async def scenario(r: Any) -> Any:
        return [
            await r.himport_prepare("users", ["name", "email"]),
            await r.himport_set("u:1", "users", ["ann", "a@x"]),  # PREPARE + SET
            await r.himport_set("u:2", "users", ["bob", "b@x"]),  # SET alone
            await r.himport_prepare("users", ["name", "email", "age"]),
            await r.himport_set("u:3", "users", ["cy", "c@x", 3]),  # re-PREPARE
            await r.himport_discard("users"),
            await r.himport_discard("users"),
            await r.himport_prepare("tags", ["t"]),
            await r.himport_set("t:1", "tags", ["x"]),  # DISCARD users first
            await r.execute_command("himport set", "t:2", "tags", "y"),
            await r.execute_command(b"HIMPORT", b"set", "t:3", "tags", "z"),
            await r.himport_discard_internal("tags"),
            await r.himport_discard_all_internal(),
            await r.himport_discard_all(),
        ]

    ours, theirs = await run_both(fake_server, scenario, driver_info=None)
    assert ours == theirs
    words, results = ours
    assert results == [
        True,
        True,
        True,
        True,
        True,
        1,
        0,
        True,
        True,
        True,
        True,
        1,
        0,
        1,
    ]
    assert words == [
        [
            [b"HIMPORT", b"PREPARE", b"users", b"name", b"email"],
            [b"HIMPORT", b"SET", b"u:1", b"users", b"ann", b"a@x"],
            [b"HIMPORT", b"SET", b"u:2", b"users", b"bob", b"b@x"],
            [b"HIMPORT", b"PREPARE", b"users", b"name", b"email", b"age"],
            [b"HIMPORT", b"SET", b"u:3", b"users", b"cy", b"c@x", b"3"],
            [b"HIMPORT", b"DISCARD", b"users"],
            [b"HIMPORT", b"PREPARE", b"tags", b"t"],
            [b"HIMPORT", b"SET", b"t:1", b"tags", b"x"],
            [b"HIMPORT", b"SET", b"t:2", b"tags", b"y"],
            [b"HIMPORT", b"SET", b"t:3", b"tags", b"z"],
            [b"HIMPORT", b"DISCARD", b"tags"],
            [b"HIMPORT", b"DISCARDALL"],
        ]
    ]


async def test_a_lost_fieldset_is_prepared_again_once(fake_server: Any) -> None:
    scripts: list[Script] = []

    async def scenario(r: Any) -> Any:
        await r.himport_prepare("users", ["name"])
        await r.himport_set("u:1", "users", ["ann"])
        scripts[-1].lost.add(b"users")  # RESET on the server's side
        return await r.himport_set("u:2", "users", ["bob"])

    out = []
    for make in (Redis, redispy.Redis):
        scripts.append(Script())
        port = await fake_server(scripts[-1].handler)
        client = make(host="127.0.0.1", port=port, protocol=2, driver_info=None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            out.append((await scenario(client), scripts[-1].connections))
        await client.aclose()
    assert out[0] == out[1]
    assert out[0][0] is True
    assert [w[1] for w in out[0][1][0]] == [
        b"PREPARE",
        b"SET",
        b"SET",
        b"PREPARE",
        b"SET",
    ]


async def test_an_unregistered_fieldset_raises_no_such_fieldset(
    fake_server: Any,
) -> None:
    script = Script()
    port = await fake_server(script.handler)
    async with Redis(host="127.0.0.1", port=port, protocol=2, driver_info=None) as r:
        with pytest.raises(NoSuchFieldsetError):
            await r.himport_set("k", "never", ["v"])
        assert await r.ping() is True  # the session is still in step
    assert script.connections[0] == [
        [b"HIMPORT", b"SET", b"k", b"never", b"v"],
        [b"PING"],
    ]


@pytest.mark.parametrize("transaction", [False, True])
async def test_pipelines_prepare_their_fieldsets_first(
    fake_server: Any, transaction: bool
) -> None:
    async def scenario(r: Any) -> Any:
        await r.himport_prepare("users", ["name"])
        async with r.pipeline(transaction=transaction) as pipe:
            pipe.himport_set("u:1", "users", ["ann"])
            pipe.ping()
            return await pipe.execute()

    ours, theirs = await run_both(fake_server, scenario, driver_info=None)
    assert ours[0] == theirs[0]
    assert ours[0][0][0] == [b"HIMPORT", b"PREPARE", b"users", b"name"]
    if not transaction:
        assert ours[1] == theirs[1] == [True, True]


async def test_single_connection_client_prepares_at_once(fake_server: Any) -> None:
    async def scenario(r: Any) -> Any:
        await r.ping()  # connected: its session can be changed at once
        return [
            await r.himport_prepare("users", ["name"]),
            await r.himport_set("u:1", "users", ["ann"]),
            await r.himport_discard("users"),
        ]

    ours, theirs = await run_both(
        fake_server, scenario, driver_info=None, single_connection_client=True
    )
    assert ours == theirs
    assert [w[:2] for w in ours[0][0]] == [
        [b"PING"],
        [b"HIMPORT", b"PREPARE"],
        [b"HIMPORT", b"SET"],
        [b"HIMPORT", b"DISCARD"],
    ]


async def test_registry_is_the_pools_and_reaches_every_connection() -> None:
    pool = ConnectionPool()
    assert pool.connection_kwargs["himport_registry"] is pool.himport_registry
    registry = HImportRegistry()
    shared = ConnectionPool(himport_registry=registry)
    a, b = Redis(connection_pool=shared), Redis(connection_pool=shared)
    await a.himport_prepare("users", ["name", "email"])
    assert b.himport_registry is registry
    assert registry.get("users") is not None
    assert shared.make_connection().himport_registry is registry
    assert "himport_registry" not in repr(shared)  # as redis-py's repr
    await a.himport_discard("users")
    assert "users" not in registry and registry.revision == 2


async def test_bad_input_is_refused_before_anything_is_sent() -> None:
    r = Redis(port=1)  # nothing listens: any send would fail differently
    with pytest.raises(DataError, match="collection of values"):
        await r.himport_set("k", "users", "ab")
    with pytest.raises(DataError, match="collection of field names"):
        await r.himport_prepare("users", "name")
    with pytest.raises(DataError, match="at least one field"):
        await r.himport_prepare("users", [])
    assert len(r.himport_registry) == 0
    await r.aclose()


def test_parse_himport_set_args() -> None:
    assert parse_himport_set_args(("HIMPORT SET", "k", "fs", 1, 2)) == (
        "k",
        "fs",
        [1, 2],
    )
    assert parse_himport_set_args((b"himport", b"Set", "k", "fs")) == ("k", "fs", [])
    assert (
        parse_himport_set_args(("HIMPORT SET", "k")) is None
    )  # the server's arity error
    assert parse_himport_set_args(("HSET", "k", "f", "v")) is None


def test_no_such_fieldset_is_typed() -> None:
    error = error_from_reply("ERR no such fieldset")
    assert type(error) is NoSuchFieldsetError
    assert isinstance(error, ResponseError) and str(error) == "no such fieldset"


# -- the examples of docs/redis.md -------------------------------------------------


def _doc_example(name: str) -> str:
    match = re.search(
        rf"```python\n(# example: {name}\n.*?)```", DOC.read_text(), re.DOTALL
    )
    assert match, f"docs/redis.md has no '# example: {name}' block"
    return match.group(1)


def test_driver_info_example(capsys: pytest.CaptureFixture[str]) -> None:
    require_service("redis")
    with db_lock():  # the example uses database 9
        exec(
            compile(_doc_example("driver-info"), str(DOC), "exec"), {"__name__": "doc"}
        )
    assert capsys.readouterr().out.splitlines() == [
        "aio-redis(django-redis_v5.4.0) True",
        "None",
    ]


def test_himport_example(capsys: pytest.CaptureFixture[str]) -> None:
    require_service("redis")
    with db_lock():
        exec(compile(_doc_example("himport"), str(DOC), "exec"), {"__name__": "doc"})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "HImportRegistry(users=['name', 'email'])"
    # Redis 7.0 here: refused; a Redis 8.9 prints the hash.
    assert lines[1].startswith("refused: unknown command 'HIMPORT'") or lines[1] == (
        "{'name': 'ann', 'email': 'ann@example.com'}"
    )
    assert lines[2:] == ["1"]
