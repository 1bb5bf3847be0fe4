"""Shared setup of the multi-database tests (async and blocking): private
servers, fast configs, event recorders, and waiting for the client to react."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.plugins.fix_redis import PrivateRedis

#: Fast policies: a health check round every 0.1 s with one probe, one failed
#: command opens a circuit, fallback every 0.3 s, an open circuit is half-opened
#: after 0.3 s.
FAST: dict[str, Any] = {
    "health_check_interval": 0.1,
    "health_check_probes": 1,
    "health_check_delay": 0.01,
    "health_check_timeout": 1.0,
    "min_num_failures": 1,
    "failure_rate_threshold": 0.0,
    "failover_delay": 0.05,
    "failover_attempts": 40,
    "auto_fallback_interval": 0.3,
}
GRACE = 0.3


def port_of(database: Any) -> int:
    """The port of a database's client (async or blocking, either library)."""
    client = database.client
    core = getattr(client, "_async", client)
    return int(core.get_connection_kwargs()["port"])


def start_servers(
    private_redis_server: Callable[..., PrivateRedis], count: int
) -> list[PrivateRedis]:
    return [private_redis_server() for _ in range(count)]


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``check`` until it is true (fails the test after ``timeout``)."""
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def clients_connected(server: PrivateRedis) -> int:
    """How many clients (other than the asking one) are connected to ``server``."""
    import redis

    with redis.Redis(host=server.host, port=server.port) as admin:
        return len(admin.client_list()) - 1
