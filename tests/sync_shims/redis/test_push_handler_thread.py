"""A RESP3 ``push_handler_func`` on the blocking pub/sub never runs on the
engine's shared loop thread (a slow handler there would stall every client of
the process): it runs in a worker thread while the reader waits, and the
attribute still reads back as the user's own function."""

from __future__ import annotations

import functools
import threading
from typing import Any

import pytest

import sync_shims.redis
from sync_shims._portal import run_sync
from tests.plugins.fix_services import require_service


@pytest.mark.parametrize("decorated", [False, True], ids=["plain", "decorated"])
@pytest.mark.parametrize("how", ["argument", "attribute"])
def test_push_handler_runs_off_the_loop(how: str, decorated: bool) -> None:
    host, port = require_service("redis")
    threads: list[int] = []
    pushes: list[Any] = []

    def plain(push: list[Any]) -> None:
        threads.append(threading.get_ident())
        pushes.append(push)

    # a user's decorator made with functools.wraps: the wrapper has a
    # ``__wrapped__`` of its own, and is the handler all the same
    @functools.wraps(plain)
    def decorated_handler(push: list[Any]) -> None:
        plain(push)

    handler = decorated_handler if decorated else plain

    r = sync_shims.redis.Redis(host=host, port=port, protocol=3)
    if how == "argument":
        p = r.pubsub(push_handler_func=handler)
    else:
        p = r.pubsub()
        p.push_handler_func = handler
    assert p.push_handler_func is handler
    p.subscribe("push-thread")
    for _ in range(10):
        if pushes:
            break
        assert p.get_message(timeout=5) is None  # consumed by the handler
    assert pushes and pushes[0][0] in (b"subscribe", "subscribe")
    loop_thread = run_sync(threading.get_ident)
    assert loop_thread not in threads
    p.close()
    r.close()
