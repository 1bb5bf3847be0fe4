"""Review findings on aio.redis.multidb: a cancelled aclose() still closes every
connection, and a removed database's health-check client is closed and never
reused for another database."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from aio.redis import Redis
from aio.redis.multidb.circuit import State
from aio.redis.multidb.client import MultiDBClient
from aio.redis.multidb.healthcheck import LagAwareHealthCheck
from tests.redis.multidb_setup import clients_connected
from tests.redis.test_multidb import Factory, active_port, make_config, wait_for

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


async def test_a_cancelled_aclose_still_closes_every_connection(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    before = set(asyncio.all_tasks())
    client = MultiDBClient(make_config(servers, [1.0, 0.5]))
    await client.set("k", "v")
    assert clients_connected(servers[0]) >= 2  # the command and its health check
    with anyio.CancelScope() as scope:
        scope.cancel()  # the caller is cancelled while closing
        await client.aclose()
    for server in servers:
        assert clients_connected(server) == 0
    assert set(asyncio.all_tasks()) - before == set()


async def test_a_removed_database_loses_its_health_check_client(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    async with MultiDBClient(make_config(servers, [1.0, 0.5])) as client:
        removed = client.get_databases()[1][0]
        # Only the health checks talk to the database that is not active.
        assert clients_connected(servers[1]) >= 1
        await client.remove_database(removed)

        async def closed() -> bool:
            return clients_connected(servers[1]) == 0

        await wait_for(closed, timeout=3)


async def test_a_health_check_client_is_held_with_its_database(
    private_redis_server: Factory,
) -> None:
    # Keyed by id(database): the policy holds the database too, so that a
    # dropped database's id is not reused by another one (whose checks would
    # then go to this one's server); release() closes and forgets it.
    server = private_redis_server()
    async with MultiDBClient(make_config([server], [1.0])) as client:
        database = client.get_databases()[0][0]
        policy = client._health_check_policy
        hc_client = await policy.get_client(database)
        assert await policy.get_client(database) is hc_client
        await hc_client.ping()
        await policy.release(database)
        assert await policy.get_client(database) is not hc_client


class SlowApi:
    """A Redis Enterprise REST API whose bdb list takes a while; it records the
    Host header of each request (one server, reached by two names)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.requests.append((self.path, self.headers["Host"].split(":")[0]))
                if self.path == "/v1/bdbs":
                    time.sleep(0.3)  # both checks are waiting here at once
                    bdbs = [
                        {"uid": 1, "endpoints": [{"dns_name": "a.db", "addr": []}]},
                        {"uid": 2, "endpoints": [{"dns_name": "b.db", "addr": []}]},
                    ]
                    body = json.dumps(bdbs).encode()
                else:
                    body = b"{}"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]


async def test_concurrent_lag_aware_checks_ask_their_own_api() -> None:
    # One LagAwareHealthCheck checks every database, concurrently: each
    # database's availability must be asked of its own cluster's API.
    api = SlowApi()
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    check = LagAwareHealthCheck(rest_api_port=api.port, http_timeout=5)
    databases = [
        SimpleNamespace(client=Redis(host="a.db"), health_check_url="http://127.0.0.1"),
        SimpleNamespace(client=Redis(host="b.db"), health_check_url="http://localhost"),
    ]
    try:
        async with anyio.create_task_group() as tg:
            for database in databases:
                tg.start_soon(check.check_health, database, database.client)
    finally:
        api.server.shutdown()
        api.server.server_close()
    asked = {path.split("?")[0]: host for path, host in api.requests}
    assert asked["/v1/bdbs/1/availability"] == "127.0.0.1"
    assert asked["/v1/bdbs/2/availability"] == "localhost"


async def test_clients_of_one_config_do_not_count_each_others_failures(
    private_redis_server: Factory,
) -> None:
    # The config's dispatcher is shared: a failure of one client's command
    # must not reach the other client's failure detectors (which would open
    # its healthy database's circuit and fail it over).
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config([primary, secondary], [1.0, 0.5], health_check_interval=60)
    async with MultiDBClient(config) as first, MultiDBClient(config) as second:
        assert active_port(first) == active_port(second) == primary.port
        broken: Any = second.get_databases()[0][0].client
        broken.connection_pool.connection_kwargs["port"] = secondary.port + 1
        await broken.connection_pool.disconnect()
        with anyio.fail_after(10):
            assert await second.set("k", "v")  # on its secondary, after a failure
        assert active_port(second) == secondary.port
        assert first.get_databases()[0][0].circuit.state == State.CLOSED
        assert await first.set("k", "v")
        assert active_port(first) == primary.port


async def test_closed_clients_leave_the_config_dispatcher_as_it_was(
    private_redis_server: Factory,
) -> None:
    server = private_redis_server()
    config = make_config([server], [1.0])
    dispatcher: Any = config.event_dispatcher
    before = {event: list(found) for event, found in dispatcher._listeners.items()}
    for _ in range(3):
        async with MultiDBClient(config) as client:
            await client.ping()
    after = {event: found for event, found in dispatcher._listeners.items() if found}
    assert after == before


async def test_removing_the_active_database_when_the_next_one_is_unhealthy(
    private_redis_server: Factory,
) -> None:
    # The next database by weight has an open circuit: the active one, removed,
    # must not stay active (its commands would go to a removed database).
    servers = [private_redis_server() for _ in range(3)]
    config = make_config(servers, [1.0, 0.5, 0.2], health_check_interval=60)
    async with MultiDBClient(config) as client:
        first, second, third = (db for db, _ in client.get_databases())
        assert active_port(client) == servers[0].port
        second.circuit.state = State.OPEN
        await client.remove_database(first)
        assert client.command_executor.active_database is third
        assert await client.set("k", "v")
        assert active_port(client) == servers[2].port


async def test_failover_periods_ignore_wall_clock_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The executor counts one failover attempt per delay period. A wall-clock
    # step (NTP, a suspended VM) must neither end a period early nor stretch it.
    from aio.redis.multidb.exception import (
        NoValidDatabaseException,
        TemporaryUnavailableException,
    )
    from aio.redis.multidb.failover import DefaultFailoverStrategyExecutor

    class NoDatabase:
        async def database(self) -> Any:
            raise NoValidDatabaseException("none")

    executor = DefaultFailoverStrategyExecutor(
        NoDatabase(),  # type: ignore[arg-type]
        failover_attempts=2,
        failover_delay=60,
    )
    wall = [time.time()]
    monkeypatch.setattr(time, "time", lambda: wall[0])
    for _ in range(5):
        with pytest.raises(TemporaryUnavailableException):
            await executor.execute()
        wall[0] += 3600  # an hour per call, by the wall clock only
    assert executor._failover_counter == 1
