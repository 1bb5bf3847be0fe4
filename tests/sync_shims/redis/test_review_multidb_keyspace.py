"""Review findings on the blocking keyspace notifications (readers in several
threads share the notifications set aside for handlers: one thread emptying
the queue while another is about to take from it must not raise) and on the
blocking multi-database client (in a forked child its background jobs run)."""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import pytest

import sync_shims.redis as shim
from sync_shims.redis.keyspace_notifications import KeyspaceNotifications
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.multidb_setup import eventually
from tests.sync_shims.redis.test_multidb import _library, make_config


class LooksThenWaits(deque[Any]):
    """A queue whose first look, in ``looker``'s thread, is answered before
    another thread empties it (the interleaving a thread switch can give)."""

    def __init__(self, items: list[Any], looker: threading.Thread) -> None:
        super().__init__(items)
        self.looker = looker
        self.looked = threading.Event()
        self.emptied = threading.Event()

    def __len__(self) -> int:
        size = super().__len__()
        if threading.current_thread() is self.looker and not self.looked.is_set():
            self.looked.set()
            self.emptied.wait(5)
        return size


def test_handlers_run_by_two_reading_threads() -> None:
    client = shim.Redis(host="127.0.0.1", port=6379)
    ksn = KeyspaceNotifications(client)
    handled: list[Any] = []
    errors: list[BaseException] = []

    def first_reader() -> None:
        try:
            ksn._run_handlers()
        except BaseException as exc:
            errors.append(exc)

    looker = threading.Thread(target=first_reader)
    queue = LooksThenWaits([(handled.append, "notification")], looker)
    ksn._pending = queue
    looker.start()
    if queue.looked.wait(2):
        ksn._run_handlers()  # the other reader takes it meanwhile
        queue.emptied.set()
    looker.join(5)
    assert errors == []
    assert handled == ["notification"]
    ksn.close()
    client.close()


def test_a_forked_child_keeps_its_health_checks(
    private_redis_server: Callable[..., PrivateRedis],
) -> None:
    # In a forked child the parent's engine loop is gone: the client's
    # background jobs (health checks, half-open checks) must run on the
    # child's, and its health checks must not use the parent's sockets.
    from sync_shims.redis.multidb.circuit import State
    from sync_shims.redis.multidb.client import MultiDBClient

    servers = [private_redis_server(), private_redis_server()]
    lib = _library("sync_shims")
    with pytest.warns(UserWarning, match="experimental"):
        client = MultiDBClient(make_config(lib, servers, [1.0, 0.5]))
    try:
        assert client.set("k", "parent")
        pid = os.fork()
        if pid == 0:  # the child: its exit code says what happened
            code = 1
            try:
                primary = client.get_databases()[0][0]
                primary.circuit.state = State.OPEN  # as a failed command would
                assert client.set("k", "child")  # on the secondary
                # Half-opened after the grace period, closed by its check.
                eventually(lambda: primary.circuit.state == State.CLOSED, 5)
                client.set_active_database(primary)
                assert client.get("k") == b"parent"
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert client.get("k") == b"parent"
    finally:
        client.close()
