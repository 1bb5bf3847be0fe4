"""The examples of docs/redis_keyspace_notifications.md run as documented (on the
shared Redis, with ``notify-keyspace-events`` restored after them)."""

from __future__ import annotations

import pathlib
import re

import pytest

from tests.plugins.fix_services import require_service
from tests.redis.test_keyspace_notifications import notify_keyspace_events

DOC = (
    pathlib.Path(__file__).resolve().parents[2]
    / "docs"
    / "redis_keyspace_notifications.md"
)


def example(name: str) -> str:
    match = re.search(
        rf"```python\n(# example: {name}\n.*?)```", DOC.read_text(), re.DOTALL
    )
    assert match, f"{DOC.name} has no '# example: {name}' block"
    return match.group(1)


def run(name: str) -> None:
    host, port = require_service("redis")
    # The examples set notify-keyspace-events themselves; this puts it back.
    with notify_keyspace_events(host, port):
        exec(compile(example(name), str(DOC), "exec"), {"__name__": "doc"})


def test_async_example(capsys: pytest.CaptureFixture[str]) -> None:
    run("async")
    assert capsys.readouterr().out.splitlines() == [
        "1 set 13",
        "1 expire 13",
        "deleted docs:user:1",
    ]


def test_blocking_example(capsys: pytest.CaptureFixture[str]) -> None:
    run("blocking")
    lines = capsys.readouterr().out.splitlines()
    assert lines and set(lines) == {"set docs:blocking"}
