"""Review findings on the blocking keyspace notifications: readers in several
threads share the notifications set aside for handlers; one thread emptying
the queue while another is about to take from it must not raise."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

import sync_shims.redis as shim
from sync_shims.redis.keyspace_notifications import KeyspaceNotifications


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
