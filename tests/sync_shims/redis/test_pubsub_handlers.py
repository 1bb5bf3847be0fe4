"""A pub/sub handler lives as long as its subscription, as in redis-py.

redis-py keeps handlers in its ``channels``/``patterns`` dicts: an unsubscribe
(once confirmed) drops the handler, subscribing again without one leaves the
channel without a handler, and ``reset()`` forgets them all. Run both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _drain(p: Any, kind: str) -> None:
    while True:
        message = p.get_message(timeout=5)
        assert message is not None, f"no {kind} confirmation"
        if message["type"] == kind:
            return


def test_resubscribed_without_handler_returns_messages(
    r: Any, make: Callable[..., Any]
) -> None:
    got: list[Any] = []
    p = r.pubsub()
    p.subscribe(hcn=got.append)
    _drain(p, "subscribe")
    p.unsubscribe("hcn")
    _drain(p, "unsubscribe")
    p.subscribe("hcn")
    _drain(p, "subscribe")
    assert make().publish("hcn", "x") == 1
    message = p.get_message(timeout=5)
    assert message is not None and message["data"] == b"x"
    assert got == []
    p.close()


def test_handler_replaced_by_a_plain_subscription(
    r: Any, make: Callable[..., Any]
) -> None:
    got: list[Any] = []
    p = r.pubsub()
    p.subscribe(hcn=got.append)
    _drain(p, "subscribe")
    p.subscribe("hcn")  # again, without a handler: it has none now
    _drain(p, "subscribe")
    assert make().publish("hcn", "y") == 1
    message = p.get_message(timeout=5)
    assert message is not None and message["data"] == b"y"
    assert got == []
    p.close()


def test_reset_forgets_handlers(r: Any, make: Callable[..., Any]) -> None:
    got: list[Any] = []
    p = r.pubsub()
    p.psubscribe(**{"hcn*": got.append})
    _drain(p, "psubscribe")
    p.reset()
    p.psubscribe("hcn*")
    _drain(p, "psubscribe")
    assert make().publish("hcn1", "z") == 1
    message = p.get_message(timeout=5)
    assert message is not None and message["type"] == "pmessage"
    assert got == []
    p.close()


def test_handler_still_runs_while_subscribed(r: Any, make: Callable[..., Any]) -> None:
    got: list[Any] = []
    p = r.pubsub()
    p.subscribe(hcn=got.append)
    _drain(p, "subscribe")
    p.subscribe("other")  # another subscription leaves hcn's handler alone
    _drain(p, "subscribe")
    assert make().publish("hcn", "w") == 1
    assert p.get_message(timeout=5) is None  # handled
    assert [m["data"] for m in got] == [b"w"]
    p.close()
