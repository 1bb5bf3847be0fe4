"""LagAwareHealthCheck against a fake Redis Enterprise REST API, with redis-py's
check on the same API as the oracle (same requests, same verdicts, same
errors), and inside a client: an API that reports the database lagging fails
the client over."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest
import redis.asyncio as rp_redis
import redis.asyncio.multidb.healthcheck as rp_healthcheck

from aio.redis import Redis
from aio.redis.multidb import healthcheck
from aio.redis.multidb.circuit import State
from aio.redis.multidb.client import MultiDBClient
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.test_multidb import active_port, make_config, wait_for

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


class FakeApi:
    """The two endpoints the check uses; ``lagging`` bdb uids answer 503."""

    def __init__(self) -> None:
        self.bdbs: list[dict[str, Any]] = []
        self.lagging: set[int] = set()
        self.requests: list[tuple[str, str | None]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.requests.append((self.path, self.headers.get("Authorization")))
                if self.path == "/v1/bdbs":
                    self._reply(200, json.dumps(api.bdbs).encode())
                elif self.path.startswith("/v1/bdbs/"):
                    uid = int(self.path.split("/")[3])
                    lagging = uid in api.lagging
                    self._reply(503 if lagging else 200, b"lag" if lagging else b"{}")
                else:
                    self._reply(404, b"no")

            def _reply(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]

    def bdb(self, uid: int, host: str, by: str = "dns_name") -> None:
        endpoint = {"dns_name": host if by == "dns_name" else "x", "addr": []}
        if by == "addr":
            endpoint["addr"] = [host]
        self.bdbs.append({"uid": uid, "endpoints": [endpoint]})


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi()
    thread = threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


async def _verdict(check: Any, database: Any) -> Any:
    try:
        return await check.check_health(database, None)
    except Exception as exc:
        return (type(exc).__name__, str(exc))


Make = Callable[[str | None], tuple[Any, Any]]


def _both(api: FakeApi) -> list[Make]:
    def ours(url: str | None) -> tuple[Any, Any]:
        check = healthcheck.LagAwareHealthCheck(
            rest_api_port=api.port, auth_basic=("u", "p"), lag_aware_tolerance=100
        )
        client = Redis(host="127.0.0.1", port=1)
        return check, SimpleNamespace(client=client, health_check_url=url)

    def theirs(url: str | None) -> tuple[Any, Any]:
        check = rp_healthcheck.LagAwareHealthCheck(
            rest_api_port=api.port, auth_basic=("u", "p"), lag_aware_tolerance=100
        )
        client = rp_redis.Redis(host="127.0.0.1", port=1)
        return check, SimpleNamespace(client=client, health_check_url=url)

    return [ours, theirs]


@pytest.mark.parametrize(
    "case", ["available", "by_addr", "lagging", "no_bdb", "no_url", "last_wins"]
)
async def test_lag_aware_check_as_redis_pys(api: FakeApi, case: str) -> None:
    if case == "by_addr":
        api.bdb(7, "127.0.0.1", by="addr")
    elif case == "no_bdb":
        api.bdb(7, "10.0.0.9")
    elif case == "last_wins":
        api.bdb(3, "127.0.0.1")
        api.bdb(9, "127.0.0.1")
        api.lagging.add(9)
    else:
        api.bdb(7, "127.0.0.1")
    if case == "lagging":
        api.lagging.add(7)
    url = None if case == "no_url" else "http://127.0.0.1"
    verdicts, requests = [], []
    for make in _both(api):
        api.requests.clear()
        check, database = make(url)
        verdict = await _verdict(check, database)
        if isinstance(verdict, tuple):  # the messages differ by the API's URL only
            verdict = (verdict[0], verdict[1].replace(str(api.port), "PORT"))
        verdicts.append(verdict)
        requests.append(list(api.requests))
    assert verdicts[0] == verdicts[1]
    assert requests[0] == requests[1]
    token = base64.b64encode(b"u:p").decode()
    assert all(auth == f"Basic {token}" for _, auth in requests[0])
    expected = {
        "available": True,
        "by_addr": True,
        "lagging": ("HttpError", "lag"),
        "no_bdb": ("ValueError", "Could not find a matching bdb"),
        "last_wins": ("HttpError", "lag"),
    }
    if case in expected:
        assert verdicts[0] == expected[case]
    else:
        assert verdicts[0][0] == "ValueError"


async def test_lag_opens_the_circuits_and_recovery_closes_them(
    api: FakeApi, private_redis_server: Callable[..., PrivateRedis]
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config([primary, secondary], [1.0, 0.5])
    config.health_checks = [
        healthcheck.LagAwareHealthCheck(rest_api_port=api.port, health_check_probes=1)
    ]
    for db_config in config.databases_config:
        db_config.health_check_url = "http://127.0.0.1"
    # Both servers are on 127.0.0.1: bdb 1 stands for both databases.
    api.bdb(1, "127.0.0.1")
    async with MultiDBClient(config) as client:
        assert active_port(client) == primary.port
        databases = [db for db, _ in client.get_databases()]
        api.lagging.add(1)

        async def all_open() -> bool:
            return all(db.circuit.state != State.CLOSED for db in databases)

        await wait_for(all_open)
        api.lagging.clear()

        async def all_closed() -> bool:
            return all(db.circuit.state == State.CLOSED for db in databases)

        await wait_for(all_closed)
        assert await client.ping()
        assert active_port(client) == primary.port
